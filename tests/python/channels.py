"""Reads the input channel /dev/input and writes its lines, numbered and
upper-cased, to the output channel /dev/output. Needs channels (the
--channel option), which the sandbox does not have yet."""

with open("/dev/input", encoding="utf-8") as src, \
        open("/dev/output", "w", encoding="utf-8") as dst:
    for number, line in enumerate(src, start=1):
        dst.write(f"{number}: {line.upper()}")
print("channels: ok")

"""Reads the input channel /dev/input and writes its lines, numbered and
upper-cased, to the output channel /dev/output (declared with
`--channel HOST::/dev/input` and `--channel HOST::/dev/output:wo`)."""

with open("/dev/input", encoding="utf-8") as src, \
        open("/dev/output", "w", encoding="utf-8") as dst:
    for number, line in enumerate(src, start=1):
        dst.write(f"{number}: {line.upper()}")
print("channels: ok")

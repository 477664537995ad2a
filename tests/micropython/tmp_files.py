# Files in /tmp with MicroPython's smaller os module (no os.path, no
# os.walk, no makedirs, no shutil, no tempfile).

import errno
import os
import sys


def check(ok, what):
    if not ok:
        print("tmp_files: FAILED:", what, file=sys.stderr)
        sys.exit(1)


base = "/tmp/work"
os.mkdir(base)
os.mkdir(base + "/sub")

with open(base + "/notes.txt", "w") as f:
    f.write("first line\n")
with open(base + "/notes.txt", "a") as f:
    f.write("second líne\n")
with open(base + "/notes.txt") as f:
    lines = f.read().split("\n")
check(lines == ["first line", "second líne", ""], "read back %r" % lines)
check(os.stat(base + "/notes.txt")[6] == 24, "size in bytes")

with open(base + "/blob.bin", "wb") as f:
    f.write(bytes(range(256)) * 4)
with open(base + "/blob.bin", "rb") as f:
    f.seek(1000)
    check(f.read() == bytes(range(232, 256)), "seek and read")

os.rename(base + "/notes.txt", base + "/sub/notes.txt")
check(sorted(os.listdir(base)) == ["blob.bin", "sub"], "listdir")
try:
    open(base + "/missing.txt")
    check(False, "opened a missing file")
except OSError as err:
    check(err.errno == errno.ENOENT, "ENOENT, got %r" % err.errno)

for name, kind, *_ in sorted(os.ilistdir(base)):
    print(name, "dir" if kind == 0x4000 else "file")
os.remove(base + "/sub/notes.txt")
os.remove(base + "/blob.bin")
os.rmdir(base + "/sub")
os.rmdir(base)
check("work" not in os.listdir("/tmp"), "removed")
print("tmp_files: ok")

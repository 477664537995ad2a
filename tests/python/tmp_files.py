"""Files in /tmp: write, append, read back, rename, list, stat, remove,
the tempfile and shutil modules, and the errors a program relies on."""

import errno
import os
import shutil
import sys
import tempfile


def check(ok, what):
    if not ok:
        print(f"tmp_files: FAILED: {what}", file=sys.stderr)
        sys.exit(1)


base = "/tmp/work"
os.makedirs(f"{base}/sub/deeper")

with open(f"{base}/notes.txt", "w", encoding="utf-8") as f:
    f.write("first line\n")
with open(f"{base}/notes.txt", "a", encoding="utf-8") as f:
    f.write("second líne\n")
with open(f"{base}/notes.txt", encoding="utf-8") as f:
    lines = f.read().splitlines()
check(lines == ["first line", "second líne"], f"read back {lines}")
check(os.stat(f"{base}/notes.txt").st_size == 24, "size in bytes")

# Binary data with seeks, and truncation.
with open(f"{base}/blob.bin", "w+b") as f:
    f.write(bytes(range(256)) * 4)
    f.seek(1000)
    tail = f.read()
    f.truncate(10)
check(tail == bytes(range(232, 256)), "seek and read")
check(os.path.getsize(f"{base}/blob.bin") == 10, "truncate")

os.rename(f"{base}/notes.txt", f"{base}/sub/notes.txt")
shutil.copy(f"{base}/sub/notes.txt", f"{base}/sub/deeper/copy.txt")
listing = sorted(os.listdir(base))
check(listing == ["blob.bin", "sub"], f"listdir {listing}")

try:
    open(f"{base}/missing.txt")
    check(False, "opened a missing file")
except FileNotFoundError as err:
    check(err.errno == errno.ENOENT, "ENOENT")
try:
    os.rmdir(f"{base}/sub")
    check(False, "removed a non-empty directory")
except OSError as err:
    check(err.errno == errno.ENOTEMPTY, f"rmdir errno {err.errno}")

with tempfile.NamedTemporaryFile("w+", suffix=".txt") as tmp:
    tmp.write("scratch")
    tmp.flush()
    check(os.path.dirname(tmp.name) == "/tmp", f"tempfile in {tmp.name}")
    tmp.seek(0)
    check(tmp.read() == "scratch", "tempfile read back")
with tempfile.TemporaryDirectory() as d:
    open(os.path.join(d, "x"), "w").close()
    check(os.listdir(d) == ["x"], "temporary directory")
check(not os.path.exists(d), "temporary directory removed")

tree = []
for dirpath, dirnames, filenames in os.walk(base):
    dirnames.sort()
    for name in sorted(filenames):
        path = os.path.join(dirpath, name)
        tree.append(f"{path} {os.path.getsize(path)}")
shutil.rmtree(base)
check(not os.path.exists(base), "rmtree")

print("\n".join(tree))
print("tmp_files: ok")

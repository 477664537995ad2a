"""Walks the directory tree given as argv[1] (a tar image mounted
read-only under a writable layer) and prints every file with its size and
the first 12 hex digits of its SHA-256, in sorted order. Then checks that
the program may change what it sees: a file written over the image reads
back, and removing an image file hides it."""

import hashlib
import os
import sys


def check(ok, what):
    if not ok:
        print(f"walk_image: FAILED: {what}", file=sys.stderr)
        sys.exit(1)


root = sys.argv[1]
check(os.path.isdir(root), f"{root} is not a directory")

count = 0
for dirpath, dirnames, filenames in os.walk(root):
    dirnames.sort()
    rel = os.path.relpath(dirpath, root)
    print(f"{rel}/")
    for name in sorted(filenames):
        path = os.path.join(dirpath, name)
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()[:12]
        print(f"  {name} {os.path.getsize(path)} {digest}")
        count += 1
check(count > 0, "the image holds no files")

# The writable layer over the image.
first = next(
    os.path.join(d, fs[0]) for d, _, fs in sorted(os.walk(root)) if fs)
with open(first, "w") as f:
    f.write("changed")
with open(first) as f:
    check(f.read() == "changed", "write over an image file")
os.remove(first)
check(not os.path.exists(first), "remove an image file")

print(f"walk_image: {count} files")
print("walk_image: ok")

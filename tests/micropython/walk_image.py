# Walks the tree given as argv[1] (a tar image) with os.ilistdir, since
# MicroPython has no os.walk, and prints each file with its size and the
# first 12 hex digits of its SHA-256, in sorted order.

import binascii
import hashlib
import os
import sys

DIR = 0x4000


def walk(path, rel):
    print(rel + "/")
    entries = sorted(os.ilistdir(path))
    for name, kind, *_ in entries:
        if kind != DIR:
            full = path + "/" + name
            with open(full, "rb") as f:
                data = f.read()
            digest = binascii.hexlify(hashlib.sha256(data).digest())
            print("  %s %d %s" % (name, len(data), digest.decode()[:12]))
    count = sum(1 for e in entries if e[1] != DIR)
    for name, kind, *_ in entries:
        if kind == DIR:
            sub = name if rel == "." else rel + "/" + name
            count += walk(path + "/" + name, sub)
    return count


count = walk(sys.argv[1], ".")
if count == 0:
    print("walk_image: FAILED: the image holds no files", file=sys.stderr)
    sys.exit(1)
print("walk_image: %d files" % count)
print("walk_image: ok")

# JSON, regular expressions, hashing and binascii in MicroPython, which
# has smaller versions of these modules: json without sort_keys, re
# without named groups or findall, hashlib with sha256 only.

import binascii
import hashlib
import json
import re
import sys


def check(ok, what):
    if not ok:
        print("text_and_hashes: FAILED:", what, file=sys.stderr)
        sys.exit(1)


doc = {"name": "zerovm", "tags": ["wasm", "wasi"], "n": 3, "ok": True,
       "none": None}
text = json.dumps(doc)
check(json.loads(text) == doc, "json round trip")
check(json.loads('{"ü": [1, 2.5, "é"]}') == {"ü": [1, 2.5, "é"]},
      "json unicode")
try:
    json.loads("{bad json}")
    check(False, "bad json accepted")
except ValueError:
    pass
print("json:", json.dumps([1, "two", None, True]))

m = re.match(r"(\d+)-(\d+)-(\d+) (\w+)", "2026-01-01 ERROR disk full")
check(m is not None and m.group(4) == "ERROR", "match groups")
check(m.group(1) == "2026", "group 1")
check(re.sub(r"\s+", " ", "a  b\t\tc\n d") == "a b c d", "sub")
check(re.search(r"[0-9]+", "abc 123 def").group(0) == "123", "search")
check(re.compile(",").split("a,b,,c") == ["a", "b", "", "c"], "split")
print("re:", [m.group(i) for i in range(1, 5)])

sha = binascii.hexlify(hashlib.sha256(b"abc").digest()).decode()
check(sha == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      "sha256")
h = hashlib.sha256()
for _ in range(1000):
    h.update(b"zerovm " * 100)
digest = binascii.hexlify(h.digest()).decode()
check(digest == "0ffbae42e40e397965ce4e9d858bca7674195003f21f29120b606713e3217f14",
      "incremental sha256")
check(binascii.crc32(b"zerovm") == 0x827250A6, "crc32")
check(binascii.a2b_base64(binascii.b2a_base64(b"\x00\xffzv")) == b"\x00\xffzv",
      "base64 round trip")
print("sha256:", digest)
print("text_and_hashes: ok")

"""JSON, regular expressions and hashing in CPython, checked against
values worked out by hand or by the host's own CPython."""

import hashlib
import json
import re
import sys


def check(ok, what):
    if not ok:
        print(f"text_and_hashes: FAILED: {what}", file=sys.stderr)
        sys.exit(1)


# JSON: a round trip keeps every type, and the encoding is stable.
doc = {"name": "zerovm", "tags": ["wasm", "wasi"], "n": 3, "pi": 3.25,
       "ok": True, "none": None, "nested": {"ü": "é"}}
text = json.dumps(doc, sort_keys=True, ensure_ascii=False)
check(json.loads(text) == doc, "json round trip")
check(text.startswith('{"n": 3, "name": "zerovm", "nested": {"ü": "é"}'),
      f"json text {text!r}")
try:
    json.loads("{bad json}")
    check(False, "bad json accepted")
except json.JSONDecodeError as err:
    check(err.pos == 1, f"decode error position {err.pos}")
print("json:", text)

# Regular expressions: groups, named groups, substitution, flags.
log = "2026-01-01 ERROR disk full\n2026-01-02 INFO ok\n2026-01-03 ERROR fan"
errors = re.findall(r"^(\d{4})-(\d\d)-(\d\d) ERROR (.*)$", log, re.M)
check(errors == [("2026", "01", "01", "disk full"),
                 ("2026", "01", "03", "fan")], f"findall {errors}")
m = re.match(r"(?P<key>\w+)\s*=\s*(?P<value>.+)", "answer = 42")
check(m is not None and m["key"] == "answer" and m["value"] == "42",
      "named groups")
check(re.sub(r"\s+", " ", "a  b\t\tc\n d") == "a b c d", "sub")
check(re.fullmatch(r"[a-f0-9]+", "DEADbeef", re.I) is not None, "ignorecase")
print("re:", errors)

# Hashing: digests of known inputs.
check(hashlib.sha256(b"abc").hexdigest() ==
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      "sha256")
check(hashlib.md5(b"").hexdigest() == "d41d8cd98f00b204e9800998ecf8427e",
      "md5")
check(hashlib.sha1(b"abc").hexdigest() ==
      "a9993e364706816aba3e25717850c26c9cd0d89d", "sha1")
big = hashlib.sha256()
for _ in range(1000):
    big.update(b"zerovm " * 100)
digest = big.hexdigest()
check(digest == hashlib.sha256(b"zerovm " * 100_000).hexdigest(),
      "incremental sha256")
blake = hashlib.blake2b(b"zerovm", digest_size=16).hexdigest()
print("sha256:", digest)
print("blake2b:", blake)
print("text_and_hashes: ok")

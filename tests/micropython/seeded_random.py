# random and os.urandom in MicroPython: seeded from the sandbox, so the
# same --seed prints the same lines. MicroPython does not randomise str
# hashes, so hash() is the same under every seed.

import os
import random
import sys


def check(ok, what):
    if not ok:
        print("seeded_random: FAILED:", what, file=sys.stderr)
        sys.exit(1)


draws = [random.randrange(1_000_000) for _ in range(5)]
raw = os.urandom(16)
check(len(raw) == 16 and raw != bytes(16), "urandom gave 16 bytes")
random.seed(42)
a = [random.getrandbits(30) for _ in range(3)]
random.seed(42)
check([random.getrandbits(30) for _ in range(3)] == a, "seed(42) repeats")

print("random:", draws)
print("urandom:", "".join("%02x" % b for b in raw))
print("hash:", hash("zerovm"))
print("seeded_random: ok")

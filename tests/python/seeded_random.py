"""random, os.urandom, uuid4, secrets and str hashes: all drawn from the
sandbox's seed. Prints them so that the harness can compare runs; checks
what holds for any seed."""

import os
import random
import secrets
import sys
import uuid


def check(ok, what):
    if not ok:
        print(f"seeded_random: FAILED: {what}", file=sys.stderr)
        sys.exit(1)


# An explicit seed gives CPython's documented Mersenne Twister sequence.
rng = random.Random(42)
check(rng.random() == 0.6394267984578837, "Random(42)")

# The module-level generator is seeded from the sandbox (os.urandom).
draws = [random.randrange(1_000_000) for _ in range(5)]
deck = list(range(10))
random.shuffle(deck)
check(sorted(deck) == list(range(10)), "shuffle is a permutation")
u = uuid.uuid4()
check(u.version == 4, "uuid version")
raw = os.urandom(16)
check(len(raw) == 16 and raw != bytes(16), "urandom gave 16 bytes")

print("random:", draws)
print("shuffle:", deck)
print("uuid4:", u)
print("urandom:", raw.hex())
print("token:", secrets.token_hex(8))
print("hash:", hash("zerovm"), hash(b"zerovm"))
print("set:", list({"alpha", "beta", "gamma", "delta", "epsilon"}))
print("seeded_random: ok")

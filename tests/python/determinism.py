"""Everything a program could use to tell two runs apart. Under the same
--seed and --time every line is the same; the random ones change with
the seed."""

import os
import time
import uuid

print("time:", repr(time.time()))
print("urandom:", os.urandom(8).hex())
print("uuid4:", uuid.uuid4())
print("hash:", hash("the same string"))
print("set:", {"apple", "banana", "cherry", "damson", "elder", "fig"})

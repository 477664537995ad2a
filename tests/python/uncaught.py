"""Ends with an uncaught exception raised two calls deep: CPython prints
the traceback on stderr and exits with status 1."""

import sys


def parse(record):
    key, value = record.split("=")
    return key, int(value)


def load(records):
    return dict(parse(r) for r in records)


print("loading", flush=True)
print(load(["a=1", "b=2"]))
load(["c=3", "d=four"])
print("not reached")
sys.exit(0)

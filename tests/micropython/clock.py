# The virtual clock in MicroPython, which has no datetime module: time()
# and gmtime() start at the --time given as argv[1], and sleeping moves
# the clock without taking real time.

import sys
import time


def check(ok, what):
    if not ok:
        print("clock: FAILED:", what, file=sys.stderr)
        sys.exit(1)


start = int(sys.argv[1])
now = time.time()
check(start <= now < start + 1, "time() %r vs --time %d" % (now, start))
check(time.time_ns() // 1_000_000_000 == start, "time_ns()")
y, mo, d, h, mi, s = time.gmtime()[:6]
stamp = "%04d-%02d-%02d %02d:%02d:%02d" % (y, mo, d, h, mi, s)
check(time.mktime(time.gmtime(start)) == start, "mktime(gmtime())")

before = time.ticks_ms()
time.sleep(3600)
slept = time.ticks_diff(time.ticks_ms(), before)
check(3600_000 <= slept < 3601_000, "ticks advanced %d ms" % slept)
check(time.time() >= start + 3600, "time() advanced over the sleep")

print("now:", stamp)
print("after sleep:", "%04d-%02d-%02d %02d:%02d:%02d" % time.gmtime()[:6])
print("clock: ok")

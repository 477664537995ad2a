"""The virtual clock: started at the --time given as argv[1], it shows
through time.time() and datetime.now(), and sleeping costs no real time
but moves the clock."""

import datetime
import sys
import time


def check(ok, what):
    if not ok:
        print(f"clock: FAILED: {what}", file=sys.stderr)
        sys.exit(1)


start = int(sys.argv[1])

# Every reading ticks a microsecond, so the clock stands just past start.
now = time.time()
check(start <= now < start + 1, f"time.time() {now} vs --time {start}")

expected = datetime.datetime.fromtimestamp(start, datetime.timezone.utc)
local = datetime.datetime.now()
utc = datetime.datetime.now(datetime.timezone.utc)
check(local.replace(microsecond=0) == expected.replace(tzinfo=None),
      f"datetime.now() {local} vs {expected}")
check(utc.replace(microsecond=0) == expected, f"now(utc) {utc}")
check(time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()) ==
      expected.strftime("%Y-%m-%d %H:%M:%S"), "gmtime")

# A sleep of an hour returns at once and the clock moves an hour.
before = time.monotonic()
time.sleep(3600)
slept = time.monotonic() - before
check(3600 <= slept < 3601, f"monotonic advanced {slept} over sleep(3600)")
check(time.time() >= start + 3600, "realtime advanced over the sleep")

print("now:", local.strftime("%Y-%m-%d %H:%M:%S"))
print("utc:", utc.isoformat(timespec="seconds"))
print("after sleep:", datetime.datetime.fromtimestamp(
    int(time.time()), datetime.timezone.utc).isoformat())
print("clock: ok")

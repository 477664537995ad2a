"""Sends N requests to a zerovm daemon, one after another, and prints the
median and 90th percentile latency in milliseconds. Each request gives
the daemon an input file for /dev/stdin and /dev/null for /dev/stdout
(framing: 4-byte big-endian length, then JSON).

    python3 client.py SOCKET WORKDIR N
"""

import json
import os
import socket
import struct
import sys
import time


def ask(path, channels):
    with socket.socket(socket.AF_UNIX) as s:
        s.connect(path)
        body = json.dumps({"channels": channels}).encode()
        s.sendall(struct.pack(">I", len(body)) + body)
        head = b""
        while len(head) < 4:
            head += s.recv(4 - len(head))
        n = struct.unpack(">I", head)[0]
        data = b""
        while len(data) < n:
            data += s.recv(n - len(data))
    return json.loads(data)


def main():
    sock, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    times = []
    for i in range(n):
        src = os.path.join(work, f"in-{i}.txt")
        with open(src, "w") as f:
            f.write(f"the quick brown fox {i} jumps over the lazy dog\n" * 20)
        start = time.perf_counter()
        # Output to /dev/null, as the cold runs' is: no disk in the figure.
        report = ask(sock, {"/dev/stdin": src, "/dev/stdout": "/dev/null"})
        times.append(time.perf_counter() - start)
        if report.get("exit_state") != "ok":
            sys.exit(f"request {i} failed: {report}")
    times.sort()
    print(f"{times[len(times) // 2] * 1000:.2f} {times[len(times) * 9 // 10] * 1000:.2f}")


main()

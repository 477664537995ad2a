#!/usr/bin/env bash
# The whole-process benchmarks: zerovm against the Wasmtime CLI, Node.js's
# built-in WASI and native code built from the same C source, every peer
# measured in the same run with hyperfine. The figures and the targets are
# in docs/benchmarks.md.
#
#   bench/run.sh                        # ROUNDS=3 START_RUNS=10 COMPUTE_RUNS=3 IO_RUNS=2
#   WASMTIME=/path/to/wasmtime bench/run.sh
#
# (b) start-up: `zerovm run hello.wasm` with a filled cache, against
#     `wasmtime run hello.wasm` with its own cache filled, Node and native;
# (c) compute: SHA-256 of 64 MiB, a sort of 8 Mi integers and an LZ77
#     compression of 8 MiB, against the same C built natively;
# (d) channels: 1 GiB (BIG_MIB) through a guest `cat`, read from a channel
#     or standard input and written to /dev/null or a `wo` channel,
#     against native `cat`.
#
# The guests under bench/guests/ are built twice, natively with $CC -O2
# (default clang) and for wasm32-wasi with Debian's clang and wasi-libc;
# the script stops unless every runtime prints the same bytes as native.
#
# The Wasmtime peer is the CLI named by $WASMTIME, else `wasmtime` on PATH.
# Without either it falls back to bench/wasmtime_run.py (Wasmtime through
# the PyPI bindings, which also pays for starting CPython), and says so in
# every table. hyperfine 1.15 cannot interleave commands, so each round
# measures every command of a group again, and the medians are taken over
# all the runs of all rounds. Set ZEROVM to a zerovm binary to skip the
# build; IO_DIR is where the 1 GiB files go (default /dev/shm, so that the
# figure is the channel's and not the disk's).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${ROUNDS:-3}"
start_runs="${START_RUNS:-10}"
compute_runs="${COMPUTE_RUNS:-3}"
io_runs="${IO_RUNS:-2}"
big_mib="${BIG_MIB:-1024}"
cc="${CC:-clang}"
work="$root/target/bench/run"
io_dir="${IO_DIR:-/dev/shm}"
[[ -d "$io_dir" ]] || io_dir="$work"

need() { command -v "$1" >/dev/null || { echo "bench: $1 is missing ($2)" >&2; exit 1; }; }
need hyperfine "apt-get install hyperfine"
need node "apt-get install nodejs"
need "$cc" "apt-get install clang"

# --- zerovm and the guests ----------------------------------------------------

if [[ -z "${ZEROVM:-}" ]]; then
    cargo build --release --quiet -p zerovm
    ZEROVM="$root/target/release/zerovm"
fi

rm -rf "$work"
mkdir -p "$work/bin" "$work/json"
bin="$work/bin"
guests="hello sha256 sort compress cat"
for guest in $guests; do
    "$cc" -O2 -o "$bin/$guest" "bench/guests/$guest.c"
    clang --target=wasm32-wasi --sysroot=/usr -O2 -o "$bin/$guest.wasm" "bench/guests/$guest.c"
done

# Each runtime keeps its compiled code in a cache of this run's own.
zcache="$work/zerovm-cache"
export XDG_CACHE_HOME="$work/xdg-cache"
for guest in $guests; do
    env ZEROVM_CACHE_DIR="$zcache" "$ZEROVM" compile "$bin/$guest.wasm"
done
zerovm="env ZEROVM_CACHE_DIR=$zcache $ZEROVM run"
# --single-threaded: Node 20 here crashes at exit (SIGSEGV, now and then)
# after a guest that grew its memory to tens of MiB (sort.c), unless V8
# runs its background tasks on the main thread.
node="node --no-warnings --single-threaded $root/bench/node_wasi.mjs"

# --- the Wasmtime peer ----------------------------------------------------------

wasmtime_cli="${WASMTIME:-$(command -v wasmtime || true)}"
if [[ -n "$wasmtime_cli" && -x "$wasmtime_cli" ]]; then
    peer_name="wasmtime CLI $("$wasmtime_cli" --version | cut -d' ' -f2)"
    wasmtime="$wasmtime_cli run"
else
    python3 -c 'import wasmtime' 2>/dev/null ||
        { echo "bench: no Wasmtime peer: set WASMTIME or pip install wasmtime" >&2; exit 1; }
    host_python="$(python3 -c 'import sys; print(sys.executable)')"
    peer_name="FALLBACK: wasmtime $(python3 -c 'import importlib.metadata as m; print(m.version("wasmtime"))') (PyPI bindings, bench/wasmtime_run.py), NOT the CLI"
    wasmtime="$host_python $root/bench/wasmtime_run.py --cache"
    {
        echo "bench: ************************************************************"
        echo "bench: NO WASMTIME CLI (set WASMTIME=/path/to/wasmtime)."
        echo "bench: The Wasmtime peer is bench/wasmtime_run.py over the PyPI"
        echo "bench: bindings: every one of its runs also starts CPython and"
        echo "bench: imports wasmtime, so its start-up figure is not the CLI's."
        echo "bench: ************************************************************"
    } >&2
fi

# --- every runtime prints what native prints ----------------------------------

for guest in hello sha256 sort compress; do
    "$bin/$guest" >"$work/$guest.native.out"
    for runner in zerovm wasmtime node; do
        ${!runner} "$bin/$guest.wasm" >"$work/$guest.$runner.out"
        cmp -s "$work/$guest.native.out" "$work/$guest.$runner.out" ||
            { echo "bench: $guest under $runner prints other bytes than native" >&2; exit 1; }
    done
    echo "bench: $guest: $(head -c 100 "$work/$guest.native.out")"
done

big="$io_dir/zerovm-bench-in.bin"
out_zerovm="$io_dir/zerovm-bench-out.bin"
out_native="$io_dir/zerovm-bench-native.bin"
trap 'rm -f "$big" "$out_zerovm" "$out_native" "$io_dir"/.zerovm-bench-out.bin.zerovm-*' EXIT
head -c "$((big_mib << 20))" /dev/urandom >"$big"
head -c $((8 << 20)) "$big" >"$work/small.bin"
for runner in zerovm wasmtime node; do
    ${!runner} "$bin/cat.wasm" <"$work/small.bin" | cmp -s - "$work/small.bin" ||
        { echo "bench: cat under $runner does not copy its input" >&2; exit 1; }
done

{
    echo "zerovm: $("$ZEROVM" --version | head -1), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates || echo ", crates/ changed since")"
    echo "wasmtime peer: $peer_name"
    echo "node: $(node --version) (node:wasi, preview1)"
    echo "native: $("$cc" --version | head -1), -O2; wasm: $(clang --version | head -1), wasm32-wasi -O2"
    echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -r)"
    echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "hyperfine $(hyperfine --version | cut -d' ' -f2): rounds=$rounds start_runs=$start_runs compute_runs=$compute_runs io_runs=$io_runs, ${big_mib} MiB through $io_dir"
} | tee "$work/versions.txt"

# --- the rounds ------------------------------------------------------------------

bench() {
    local file="$1"
    shift
    hyperfine --style basic --export-json "$work/json/$file.json" "$@"
}

for round in $(seq "$rounds"); do
    echo "bench: round $round of $rounds"

    # -N: no shell in between, so nothing is subtracted from a 1 ms run.
    bench "b-$round" -N --runs "$start_runs" --warmup 2 \
        -n "b/zerovm" "$zerovm $bin/hello.wasm" \
        -n "b/wasmtime" "$wasmtime $bin/hello.wasm" \
        -n "b/node" "$node $bin/hello.wasm" \
        -n "b/native" "$bin/hello"

    for guest in sha256 sort compress; do
        bench "c-$guest-$round" -N --runs "$compute_runs" \
            -n "c/$guest/zerovm" "$zerovm $bin/$guest.wasm" \
            -n "c/$guest/wasmtime" "$wasmtime $bin/$guest.wasm" \
            -n "c/$guest/node" "$node $bin/$guest.wasm" \
            -n "c/$guest/native" "$bin/$guest"
    done

    # A read channel and standard input into /dev/null, then standard input
    # into a `wo` channel, which is written beside its target and renamed
    # over it at the end (with an fdatasync, which on tmpfs costs nothing).
    bench "d-$round" --runs "$io_runs" --warmup 1 \
        -n "d/read channel/zerovm" "$zerovm --channel $big::/dev/stdin $bin/cat.wasm >/dev/null" \
        -n "d/read channel/native cat" "cat $big >/dev/null" \
        -n "d/stdin to stdout/zerovm" "$zerovm $bin/cat.wasm <$big >/dev/null" \
        -n "d/stdin to stdout/wasmtime" "$wasmtime $bin/cat.wasm <$big >/dev/null" \
        -n "d/stdin to stdout/node" "$node $bin/cat.wasm <$big >/dev/null" \
        -n "d/stdin to stdout/native cat" "cat <$big >/dev/null" \
        -n "d/stdin to stdout/native cat.c" "$bin/cat <$big >/dev/null"
    # Both write into a fresh file: freeing the last run's 1 GiB is left to
    # the prepare step, out of the timing, for both.
    bench "d-write-$round" --runs "$io_runs" --warmup 1 \
        --prepare "rm -f $out_zerovm" \
        -n "d/write channel/zerovm" "$zerovm --channel $out_zerovm::/dev/stdout:wo $bin/cat.wasm <$big" \
        --prepare "rm -f $out_native" \
        -n "d/write channel/native cat" "cat <$big >$out_native"
done
cmp -s "$big" "$out_zerovm" || { echo "bench: the wo channel's output differs from its input" >&2; exit 1; }
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$work/versions.txt"

# --- the figures -------------------------------------------------------------------

python3 - "$work" "$big_mib" "$peer_name" <<'PY' | tee "$work/summary.md"
import glob, json, statistics, sys

work, big_mib, peer = sys.argv[1], int(sys.argv[2]), sys.argv[3]
runs = {}
for path in sorted(glob.glob(f"{work}/json/*.json")):
    for result in json.load(open(path))["results"]:
        runs.setdefault(result["command"], []).extend(result["times"])
median = {name: statistics.median(ts) for name, ts in runs.items()}
count = {name: len(ts) for name, ts in runs.items()}
label = {"wasmtime": peer, "node": "Node.js node:wasi"}

def verdict(ok):
    return "**MET**" if ok else "**NOT MET**"

print(open(f"{work}/versions.txt").read())
print("### (b) whole-process run of a cached module (`hello.c`)\n")
print("| runtime | median | runs | zerovm ÷ this |")
print("| --- | ---: | ---: | ---: |")
z = median["b/zerovm"]
for who in ("zerovm", "wasmtime", "node", "native"):
    t = median[f"b/{who}"]
    print(f"| {label.get(who, who)} | {t * 1000:.1f} ms | {count[f'b/{who}']} | {z / t:.2f}× |")
print(f"\nTarget: no slower than `wasmtime run` ({peer}): "
      f"{verdict(z <= median['b/wasmtime'])}\n")

print("### (c) compute-bound guests, determinism on in zerovm\n")
print(f"| guest | native | zerovm | zerovm ÷ native | {peer} | node | target ≤ 1.5× |")
print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
for guest in ("sha256", "sort", "compress"):
    t = {who: median[f"c/{guest}/{who}"] for who in ("native", "zerovm", "wasmtime", "node")}
    r = t["zerovm"] / t["native"]
    print(f"| {guest} | {t['native']:.3f} s | {t['zerovm']:.3f} s | {r:.2f}× "
          f"| {t['wasmtime']:.3f} s ({t['wasmtime'] / t['native']:.2f}×) "
          f"| {t['node']:.3f} s ({t['node'] / t['native']:.2f}×) | {verdict(r <= 1.5)} |")

print(f"\n### (d) channel throughput, {big_mib} MiB through `cat`\n")
print("| path | runtime | median | GiB/s | speed ÷ native `cat` | target ≥ 1 GiB/s |")
print("| --- | --- | ---: | ---: | ---: | --- |")
gib = big_mib / 1024
for path in ("read channel", "stdin to stdout", "write channel"):
    native = median[f"d/{path}/native cat"]
    for name in sorted(n for n in median if n.startswith(f"d/{path}/")):
        who = name.rsplit("/", 1)[1]
        t = median[name]
        target = verdict(gib / t >= 1) if who == "zerovm" else ""
        print(f"| {path} | {label.get(who, who)} | {t:.3f} s | {gib / t:.2f} "
              f"| {native / t:.2f}× | {target} |")
PY

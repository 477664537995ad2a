#!/usr/bin/env bash
# How long `python3 -c pass` takes as a whole process: CPython 3.12 for WASI
# in zerovm, against a Wasmtime-based peer running the same module with
# Wasmtime's own WASI (bench/wasmtime_run.py over the PyPI `wasmtime`
# bindings), measured in the same run with hyperfine. The figures are in
# docs/python.md.
#
#   bench/python-startup.sh            # ROUNDS=3 COLD_RUNS=2 WARM_RUNS=10
#
# hyperfine 1.15 runs one command's runs back to back, so the comparison
# alternates by rounds: every round measures every command of a group
# again, and the medians are taken over all rounds. Set ZEROVM to a zerovm
# binary to skip building one.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rounds="${ROUNDS:-3}"
cold_runs="${COLD_RUNS:-2}"
warm_runs="${WARM_RUNS:-10}"
work="$root/target/bench/python-startup"
interpreters="${ZEROVM_INTERPRETERS:-$root/target/interpreters}"
python_wasm="$interpreters/python3.wasm"

command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing (apt-get install hyperfine)" >&2; exit 1; }
python3 -c 'import wasmtime' 2>/dev/null ||
    { echo "bench: the peer needs the wasmtime bindings (pip install wasmtime)" >&2; exit 1; }
if [[ -z "${ZEROVM:-}" ]]; then
    cargo build --release --quiet -p zerovm
    ZEROVM="$root/target/release/zerovm"
fi
scripts/fetch-interpreters.sh >/dev/null

rm -rf "$work"
mkdir -p "$work"
zcache="$work/zerovm-cache"    # zerovm's compiled-code cache
xdg="$work/xdg-cache"          # the peer's: $XDG_CACHE_HOME/wasmtime
cwasm="$work/python3.cwasm"    # the peer's precompiled module
# The host's CPython itself, not a version manager's shim in front of it.
host_python="$(python3 -c 'import sys; print(sys.executable)')"
peer="$host_python $root/bench/wasmtime_run.py"

# The peer's ahead-of-time form; the engine settings match the runner's.
"$host_python" - "$python_wasm" "$cwasm" <<'PY'
import sys, wasmtime
engine = wasmtime.Engine(wasmtime.Config())
module = wasmtime.Module.from_file(engine, sys.argv[1])
open(sys.argv[2], "wb").write(module.serialize())
PY

{
    echo "zerovm $("$ZEROVM" --version 2>/dev/null | head -1 || true)"
    echo "peer: wasmtime (PyPI) $(python3 -c 'import importlib.metadata as m; print(m.version("wasmtime"))') on $(python3 --version)"
    echo "hyperfine $(hyperfine --version | cut -d' ' -f2), $(nproc) cores, rounds=$rounds cold_runs=$cold_runs warm_runs=$warm_runs"
} | tee "$work/versions.txt"

for round in $(seq "$rounds"); do
    echo "bench: round $round of $rounds"

    # Cold: every run starts with an empty compiled-code cache, so it
    # compiles the 26 MB module and stores the result.
    hyperfine --style basic --runs "$cold_runs" \
        --export-json "$work/cold-$round.json" \
        --prepare "rm -rf $zcache" \
        -n "zerovm run, cold cache" \
        "env ZEROVM_CACHE_DIR=$zcache $ZEROVM run $python_wasm -c pass" \
        --prepare "rm -rf $xdg" \
        -n "peer, cold cache" \
        "env XDG_CACHE_HOME=$xdg $peer --cache $python_wasm -c pass" \
        --prepare "rm -rf $zcache" \
        -n "zerovm compile (ahead of time)" \
        "env ZEROVM_CACHE_DIR=$zcache $ZEROVM compile $python_wasm" \
        --prepare "true" \
        -n "peer, Module.serialize (ahead of time)" \
        "$host_python -c 'import sys, wasmtime as w; w.Module.from_file(w.Engine(), sys.argv[1]).serialize()' $python_wasm"

    # Warm: the caches are filled (the ahead-of-time case of zerovm is
    # this one, since `zerovm compile` fills the same cache).
    env ZEROVM_CACHE_DIR="$zcache" "$ZEROVM" compile "$python_wasm" >/dev/null
    env XDG_CACHE_HOME="$xdg" $peer --cache "$python_wasm" -c pass
    hyperfine --style basic --runs "$warm_runs" --warmup 1 \
        --export-json "$work/warm-$round.json" \
        -n "zerovm run, warm cache" \
        "env ZEROVM_CACHE_DIR=$zcache $ZEROVM run $python_wasm -c pass" \
        -n "peer, warm cache" \
        "env XDG_CACHE_HOME=$xdg $peer --cache $python_wasm -c pass" \
        -n "peer, precompiled .cwasm" \
        "$peer $cwasm -c pass" \
        -n "host python3 -c 'import wasmtime' (the peer's own start-up)" \
        "$host_python -c 'import wasmtime'" \
        -n "host python3 -c pass (native CPython, for scale)" \
        "$host_python -c pass"
done

# Medians over every run of every round.
python3 - "$work" <<'PY' | tee "$work/summary.md"
import glob, json, statistics, sys
times = {}
for path in sorted(glob.glob(f"{sys.argv[1]}/*-*.json")):
    for result in json.load(open(path))["results"]:
        times.setdefault(result["command"], []).extend(result["times"])
print("| case | median | min | max | runs |")
print("| --- | ---: | ---: | ---: | ---: |")
for name, ts in times.items():
    print(f"| {name} | {statistics.median(ts):.3f} s | {min(ts):.3f} s"
          f" | {max(ts):.3f} s | {len(ts)} |")
PY

#!/usr/bin/env bash
# Figure (f): a daemon-mode request against a cold start of the same
# interpreter and program. CPython for WASI loads and imports, then reads
# its standard input: in daemon mode that read is the fork point, so each
# request is served by a copy of the process made there.
#
#   bench/daemon.sh [REQUESTS]
#
# Prints the median of cold whole-process runs (hyperfine) and the median
# and 90th percentile of daemon requests (bench/daemon/client.py), and
# their ratio. Set ZEROVM to use a given binary.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
requests="${1:-50}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [[ -z "${ZEROVM:-}" ]]; then
    cargo build --release --quiet -p zerovm
    ZEROVM="$root/target/release/zerovm"
fi
scripts/fetch-interpreters.sh >/dev/null
python="${ZEROVM_INTERPRETERS:-$root/target/interpreters}/python3.wasm"
"$ZEROVM" compile "$python"
printf 'the quick brown fox jumps over the lazy dog\n%.0s' {1..20} >"$work/in.txt"

run=("$ZEROVM" run --memory 256MiB --dir-ro "bench/daemon::/app" "$python" /app/request.py)
echo "daemon: cold runs"
hyperfine --warmup 3 --runs 20 --export-json "$work/cold.json" \
    "${run[*]} < $work/in.txt > /dev/null" >/dev/null
cold=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][0]['median']*1000)" "$work/cold.json")

echo "daemon: $requests requests"
socket="$work/daemon.sock"
"${run[@]:0:2}" --daemon "$socket" --daemon-requests "$requests" "${run[@]:2}" \
    </dev/null >"$work/daemon.out" 2>"$work/daemon.err" &
daemon=$!
for _ in $(seq 200); do [[ -S "$socket" ]] && break; sleep 0.05; done
read -r median p90 < <(python3 bench/daemon/client.py "$socket" "$work" "$requests")
wait "$daemon"

printf '%-44s %10s\n' "case" "median ms"
printf '%-44s %10.1f\n' "cold: zerovm run python3 request.py" "$cold"
printf '%-44s %10.2f  (p90 %s)\n' "daemon: one request" "$median" "$p90"
python3 -c "import sys; c,d=float(sys.argv[1]),float(sys.argv[2]); r=c/d; print(f'ratio cold/daemon: {r:.1f}x; target >= 20x: ' + ('MET' if r>=20 else 'NOT MET'))" "$cold" "$median"

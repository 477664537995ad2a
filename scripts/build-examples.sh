#!/usr/bin/env bash
# Compiles the C programs of the job examples, examples/<name>/*.c, to
# OUTDIR/<name>/<program>.wasm for wasm32-wasi. A program is rebuilt only
# when its .wasm is older than a source or header of its example.
#
#   scripts/build-examples.sh OUTDIR
set -euo pipefail

if [ "$#" -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$1"
cc="${CLANG:-clang}"
cflags=(--target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra)

for dir in "$root"/examples/*/; do
    name="$(basename "$dir")"
    for c in "$dir"*.c; do
        [ -e "$c" ] || continue
        # wordfreq is the single-sandbox demo, built by scripts/demo.sh.
        [ "$name" = wordfreq ] && continue
        prog="$(basename "$c" .c)"
        wasm="$out/$name/$prog.wasm"
        stale=0
        [ -e "$wasm" ] || stale=1
        for dep in "$dir"*.c "$dir"*.h; do
            [ -e "$dep" ] && [ "$dep" -nt "$wasm" ] && stale=1
        done
        [ "$stale" = 1 ] || continue
        mkdir -p "$out/$name"
        tmp="$out/$name/.$prog.wasm.$$"
        if ! "$cc" "${cflags[@]}" -I"$dir" -o "$tmp" "$c"; then
            rm -f "$tmp"
            echo "build-examples: failed to compile $c (scripts/install-deps.sh installs clang and wasi-libc)" >&2
            exit 1
        fi
        mv -f "$tmp" "$wasm"
        echo "build-examples: built $name/$prog.wasm"
    done
done

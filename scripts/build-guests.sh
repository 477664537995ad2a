#!/usr/bin/env bash
# Compiles every C test guest in tests/guests/ to OUTDIR/NAME.wasm for
# wasm32-wasi (WASI preview 1). A guest is rebuilt only when its .wasm is
# older than its source, the shared check.h, include/zerovm.h, or this
# script.
#
# A guest whose source has the line `// zerovm-build: freestanding` is
# built without libc or WASI (-nostdlib, no entry point, `_start`
# exported): it may import only the `zerovm` module of include/zerovm.h.
#
#   scripts/build-guests.sh OUTDIR
set -euo pipefail

if [ "$#" -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/tests/guests"
out="$1"
cc="${CLANG:-clang}"
cflags=(--target=wasm32-wasi --sysroot=/usr -O2 -Wall -Wextra)
freestanding=(-nostdlib -Wl,--no-entry -Wl,--export=_start)

fail_toolchain() {
    echo "build-guests: $*" >&2
    echo "build-guests: run scripts/install-deps.sh (as root) to install" \
        "clang, lld, wasi-libc and libclang-rt-14-dev-wasm32" >&2
    exit 1
}

mkdir -p "$out"

# Work out what is stale before touching the toolchain, so an up-to-date
# tree builds nothing and needs no probe.
stale=()
for c in "$src"/*.c; do
    name="$(basename "$c" .c)"
    wasm="$out/$name.wasm"
    if [ ! -e "$wasm" ] || [ "$c" -nt "$wasm" ] \
        || [ "$src/check.h" -nt "$wasm" ] \
        || [ "$root/include/zerovm.h" -nt "$wasm" ] \
        || [ "${BASH_SOURCE[0]}" -nt "$wasm" ]; then
        stale+=("$c")
    fi
done

if [ "${#stale[@]}" -eq 0 ]; then
    exit 0
fi

# Probe the toolchain once with a program that needs every piece of it:
# the clang wasm32 target, wasi-libc headers and libraries, libm, the
# compiler-rt builtins (for 128-bit division) and wasm-ld.
command -v "$cc" >/dev/null 2>&1 || fail_toolchain "'$cc' not found"
probe_dir="$(mktemp -d)"
trap 'rm -rf "$probe_dir"' EXIT
cat >"$probe_dir/probe.c" <<'PROBE'
#include <math.h>
#include <stdio.h>
#include <wasi/api.h>
int main(int argc, char **argv) {
    volatile __int128 x = argc;
    (void)argv;
    printf("%f\n", sqrt((double)(x / (argc + 1))));
    return 0;
}
PROBE
if ! "$cc" "${cflags[@]}" -o "$probe_dir/probe.wasm" "$probe_dir/probe.c" \
    -lm >"$probe_dir/log" 2>&1; then
    sed 's/^/build-guests:   /' "$probe_dir/log" >&2
    fail_toolchain "clang cannot build for wasm32-wasi (target, wasi-libc," \
        "compiler-rt or wasm-ld missing)"
fi

for c in "${stale[@]}"; do
    name="$(basename "$c" .c)"
    wasm="$out/$name.wasm"
    # Build beside the target and rename, so a concurrent or interrupted
    # build never leaves a truncated module behind.
    tmp="$out/.$name.wasm.$$"
    if grep -q '^// zerovm-build: freestanding$' "$c"; then
        extra=("${freestanding[@]}")
    else
        extra=(-lm)
    fi
    if ! "$cc" "${cflags[@]}" -I"$src" -I"$root/include" -o "$tmp" "$c" \
        "${extra[@]}"; then
        rm -f "$tmp"
        echo "build-guests: failed to compile $c" >&2
        exit 1
    fi
    mv -f "$tmp" "$wasm"
    echo "build-guests: built $name.wasm"
done

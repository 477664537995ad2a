#!/usr/bin/env bash
# Installs the toolchain that builds the C test guests for wasm32-wasi:
# clang and wasm-ld from Debian, with wasi-libc and the wasm32 compiler-rt
# builtins. Meant for a fresh Debian 12 machine, run as root. Does nothing
# (and touches no package index) when every package is already installed.
set -euo pipefail

packages=(clang lld wasi-libc libclang-rt-14-dev-wasm32)

missing=()
for pkg in "${packages[@]}"; do
    # `dpkg -s` also succeeds for a package that was removed but whose
    # configuration remains, so look at the state it reports.
    if ! dpkg -s "$pkg" 2>/dev/null \
        | grep -q '^Status: install ok installed$'; then
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-deps: all packages present (${packages[*]})"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing ${missing[*]}; run this script as root" >&2
    exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
echo "install-deps: done"

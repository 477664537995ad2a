#!/usr/bin/env bash
# The whole test suite, as the README promises and CI runs it: installs
# the guest toolchain if missing, checks formatting and lints, then runs
# every test of the workspace in release mode (one build of Wasmtime,
# shared by the tests and the binary).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

scripts/install-deps.sh
echo "test: cargo fmt --check"
cargo fmt --all -- --check
echo "test: cargo clippy"
cargo clippy --release --all-targets --quiet -- -D warnings
echo "test: cargo test"
cargo test --release --workspace

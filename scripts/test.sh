#!/usr/bin/env bash
# Runs every test of unspin: formatting, lints, the Rust test suite, then
# the Python package and Spark job, the trace crash tests and the browser
# test. `.ci/run` installs what is missing on a fresh machine, then runs
# this script. Set UNSPIN_QUICK=1 to run the Rust checks only.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== fmt"
cargo fmt --all -- --check
echo "== clippy"
cargo clippy --workspace --all-targets -- -D warnings
echo "== cargo test"
cargo test --workspace
if [ "${UNSPIN_QUICK:-0}" = 1 ]; then
  exit 0
fi
for part in scripts/ci-lm.sh scripts/ci-fingerprints.sh scripts/ci-trace.sh scripts/ci-python.sh scripts/ci-serve.sh scripts/ci-fuzz.sh; do
  if [ -x "$part" ]; then
    echo "== $part"
    "$part"
  fi
done
echo "== all tests passed"

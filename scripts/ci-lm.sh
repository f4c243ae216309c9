#!/usr/bin/env bash
# CI for the language-model training code (crates/core/src/train):
# fetches the pocketsphinx en-us model (so the real-file test runs instead
# of skipping) and runs the train tests. Idempotent; bounded by timeouts.
set -euo pipefail
cd "$(dirname "$0")/.."

if lm=$(timeout 900 scripts/fetch-lm.sh target/model-src); then
    export UNSPIN_SPHINX_LM="$lm"
else
    echo "ci-lm: could not fetch the sphinx model; its test will skip" >&2
fi
timeout 1800 cargo test -p unspin-core --lib train:: -- --nocapture

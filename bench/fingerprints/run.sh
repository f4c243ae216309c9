#!/usr/bin/env bash
# One command: evaluate tortured-phrase list matching and `mine` on
# ../shared/data/science, and measure list-matching throughput.
# Run from anywhere; prints markdown tables. Exit 1 when the recall of listed
# phrases is below 0.99 (--strict: when any target is missed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="${1:-$root/../shared/data}"
if [ ! -f "$data/science/tortured_dev.tsv" ]; then
    echo "skipping: $data/science/tortured_dev.tsv not found" >&2
    exit 0
fi
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
cargo run --quiet --release --manifest-path "$here/Cargo.toml" -- "$data" "${@:2}"

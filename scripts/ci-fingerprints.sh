#!/usr/bin/env bash
# CI for tortured-phrase lists and `mine` (issue 6): unit and property tests
# of unspin_core::fingerprints and unspin_core::mine, the `mine` command's
# tests, then the list evaluation on ../shared/data/science when present
# (exits non-zero when the recall of listed phrases is below 0.99; clean
# flags and throughput are printed, as is mining precision, not enforced).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# the unit tests run in `cargo test --workspace` (scripts/test.sh)
if [ -f "$root/../shared/data/science/tortured_dev.tsv" ]; then
    bench/fingerprints/run.sh "$root/../shared/data" --no-mine --mb 8
else
    echo "skipping the list evaluation: ../shared/data/science not found"
fi

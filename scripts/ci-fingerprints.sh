#!/usr/bin/env bash
# CI for tortured-phrase lists and `mine` (issue 6): unit and property tests
# of unspin_core::fingerprints and unspin_core::mine, the `mine` command's
# tests, then the list evaluation on ../shared/data/science when present
# (recall of listed phrases ≥ 0.99 and no list hit on the clean originals;
# exits non-zero when missed). Mining precision is printed, not enforced.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# the unit tests run in `cargo test --workspace` (scripts/test.sh)
if [ -f "$root/../shared/data/science/tortured_dev.tsv" ]; then
    bench/fingerprints/run.sh "$root/../shared/data" --no-mine --mb 8
else
    echo "skipping the list evaluation: ../shared/data/science not found"
fi

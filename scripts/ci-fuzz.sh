#!/usr/bin/env bash
# CI for fuzzing (issue 7): builds the cargo-fuzz targets under fuzz/,
# replays every committed regression input (fuzz/regressions/<target>/),
# then runs each target for a bounded time from its seeds
# (fuzz/seeds/<target>/) and fails on any crash, panic, hang (an input
# taking over 10 s) or memory blow-up (over 2 GB).
#
#   FUZZ_SECONDS   seconds per target (default 40: with the build of the
#                  eight targets this keeps CI's addition near 15 minutes
#                  on 2 cores)
#   FUZZ_TARGETS   space-separated targets to run (default: all)
#   FUZZ_SANITIZER address (default) or none (faster, catches less)
#
# A crash leaves its input in fuzz/artifacts/<target>/; copy it to
# fuzz/regressions/<target>/ with the fix, and add a #[test] replaying it.
# cargo-fuzz needs nightly features: on the stable toolchain they are
# unlocked with RUSTC_BOOTSTRAP=1 (the fuzz crate is its own workspace).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root/fuzz"
export RUSTC_BOOTSTRAP=1
secs="${FUZZ_SECONDS:-40}"
sanitizer="${FUZZ_SANITIZER:-address}"
started=$(date +%s)

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

targets="${FUZZ_TARGETS:-$(cargo fuzz list)}"
# release with debug assertions (and so overflow checks) on
flags=(-O -a -s "$sanitizer")
echo "== building fuzz targets: $(echo $targets)"
cargo fuzz build "${flags[@]}"
built=$(date +%s)

passed=0
for t in $targets; do
  if [ -d "regressions/$t" ] && [ -n "$(ls -A "regressions/$t")" ]; then
    echo "== $t: replaying $(ls "regressions/$t" | wc -l) regression input(s)"
    cargo fuzz run "${flags[@]}" "$t" "regressions/$t"/* -- -timeout=10
  fi
  corpus="$(mktemp -d)"
  dirs=("$corpus")
  [ -d "seeds/$t" ] && dirs+=("seeds/$t")
  extra=()
  [ -f "dicts/$t.dict" ] && extra+=("-dict=dicts/$t.dict")
  echo "== $t: fuzzing for ${secs}s"
  cargo fuzz run "${flags[@]}" "$t" "${dirs[@]}" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    "${extra[@]}" 2> "$corpus.log" || {
      tail -n 60 "$corpus.log"
      echo "ci-fuzz: $t found a crash; its input is in fuzz/artifacts/$t/"
      exit 1
    }
  grep -E '^stat::number_of_executed_units|^Done' "$corpus.log" | sed "s/^/  $t: /" || true
  rm -rf "$corpus" "$corpus.log"
  passed=$((passed + 1))
done
now=$(date +%s)
echo "ci-fuzz: build $((built - started)) s, fuzzing $((now - built)) s"
echo "ci-fuzz: $passed passed, 0 failed"

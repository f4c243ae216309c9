#!/usr/bin/env bash
# CI for trace (issue 3): the unspin-index tests (including the SIGKILL
# crash test and the BBC trace test, which skips without ../shared/data),
# a compile of the trace benchmark, and an end-to-end run of
# `unspin index build` + `unspin trace` on a tiny corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
# the index tests run in `cargo test --workspace` (scripts/test.sh)
cargo check -p unspin-index --benches
cargo build -p unspin-cli
bin="${CARGO_TARGET_DIR:-target}/debug/unspin"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/refs.jsonl" <<'JSONL'
{"id": "army", "text": "The military held joint exercises in the field last February. Officials said the drills would continue until March."}
{"id": "flood", "text": "Heavy rain flooded the valley overnight and roads were closed by the police. Hundreds of homes lost power."}
{"id": "army", "text": "The military held joint exercises in the field last February. Officials said the drills would continue until March, and beyond."}
{"text": "no id here"}
{"id": "empty", "text": "   "}
JSONL
set +e
"$bin" index build --index "$tmp/idx" "$tmp/refs.jsonl" 2> "$tmp/build.err"
code=$?
set -e
cat "$tmp/build.err"
# two bad lines were reported and skipped: exit 2
[ "$code" -eq 2 ] || { echo "index build: expected exit 2, got $code"; exit 1; }
grep -q 'refs.jsonl:3: id "army" was already indexed: replaced' "$tmp/build.err"
grep -q 'refs.jsonl:4: skipped: no "id" field' "$tmp/build.err"
grep -q 'refs.jsonl:5: skipped: .*empty document' "$tmp/build.err"
grep -q '2 new, 1 replaced, 2 skipped; 2 documents in total' "$tmp/build.err"
# building over an existing index without --append is refused
if "$bin" index build --index "$tmp/idx" "$tmp/refs.jsonl" 2>/dev/null; then echo "expected refusal"; exit 1; fi
echo '{"id": "q1", "text": "The navy held joint workout routines in the discipline final February. Officials stated the drills would proceed until March."}' > "$tmp/q.jsonl"
"$bin" trace --index "$tmp/idx" "$tmp/q.jsonl" > "$tmp/out.jsonl"
cat "$tmp/out.jsonl"
grep -q '"id":"q1","matches":\[{"doc_id":"army"' "$tmp/out.jsonl"
grep -q '"text":"navy","source_start"' "$tmp/out.jsonl"
# restoration by reference: exact where the text aligns to a source
"$bin" restore --index "$tmp/idx" "$tmp/q.jsonl" > "$tmp/restored.jsonl"
cat "$tmp/restored.jsonl"
grep -q '"text":"The military held joint exercises in the field last February. Officials said the drills would continue until March' "$tmp/restored.jsonl"
grep -q '"source":"reference"' "$tmp/restored.jsonl"
# a foreign directory is a clear error, exit 2
set +e
"$bin" trace --index "$tmp" "$tmp/q.jsonl" 2> "$tmp/err"
code=$?
set -e
[ "$code" -eq 2 ] && grep -q 'is not an unspin index' "$tmp/err" || { echo "foreign dir: exit $code"; cat "$tmp/err"; exit 1; }
echo "ci-trace: 1 passed, 0 failed"

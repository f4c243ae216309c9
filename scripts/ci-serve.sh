#!/usr/bin/env bash
# CI for `unspin serve` (issue 5): installs what the browser and load tests
# need, builds the binary, and runs, against a real server on 127.0.0.1:
#   1. HTTP checks over a real socket (healthz, page, 10x body limit → 413 JSON),
#   2. the browser test (Debian's headless Chromium + playwright-core),
#      saving screenshots and exported reports under target/artifacts/,
#   3. a graceful shutdown on SIGTERM,
#   4. the load test in its short mode (bench/load/run.sh --short).
# The Rust tests of the server run with `cargo test -p unspin-server`.
# Idempotent, bounded in time (each step has a timeout), non-zero on failure.
# UNSPIN_SERVE_ARGS adds flags to every `unspin serve` it starts (for
# example `--model PATH --fingerprints FILE`); by default the built-in model.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
ARTIFACTS="$ROOT/target/artifacts"
mkdir -p "$ARTIFACTS"
step() { echo "== ci-serve: $*"; }

# ---- installs -------------------------------------------------------------
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
command -v wrk >/dev/null || need+=(wrk)
command -v curl >/dev/null || need+=(curl)
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v node >/dev/null || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ]; then
  step "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get update -qq
  timeout 900 apt-get install -y -qq "${need[@]}" >/dev/null
fi
step "npm ci (tests/browser)"
(cd tests/browser && timeout 300 npm ci --no-audit --no-fund --loglevel=error)

# ---- build ------------------------------------------------------------------
TARGET="${CARGO_TARGET_DIR:-target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
step "cargo build --release -p unspin-cli"
timeout 2400 cargo build --release -p unspin-cli
BIN="$TARGET/release/unspin"

# ---- server -----------------------------------------------------------------
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    sleep 1
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# a small reference index: the original of the browser test's spun text
# (tests/browser/page.test.mjs) and a distractor
step "unspin index build (reference index for the trace view)"
cat > "$WORK/refs.jsonl" <<'EOF'
{"id": "spun-source", "text": "During the Cold War era, the military staged joint exercises near the border. The Health Ministry published the total number of active cases on Tuesday, and local officials said the recovery rate had improved. In this paper we use a random forest and artificial intelligence to detect breast cancer in mammogram images."}
{"id": "distractor", "text": "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn for the three months to December, from $639m year-earlier."}
EOF
timeout 300 "$BIN" index build --quiet --index "$WORK/refs.idx" "$WORK/refs.jsonl"

BODY_LIMIT=262144
step "start unspin serve on 127.0.0.1 (free port)"
# shellcheck disable=SC2086
"$BIN" serve --addr 127.0.0.1:0 --index "$WORK/refs.idx" --body-limit "$BODY_LIMIT" --upload-limit 1048576 --log-json \
  ${UNSPIN_SERVE_ARGS:-} 2>"$WORK/server.log" &
SERVER_PID=$!
URL=""
for _ in $(seq 1 300); do
  URL=$(sed -n 's#^unspin: serving on \(http://127\.0\.0\.1:[0-9]*\)/$#\1#p' "$WORK/server.log" | head -1)
  [ -n "$URL" ] && break
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "ci-serve: the server exited:" >&2; cat "$WORK/server.log" >&2; exit 1
  fi
  sleep 0.1
done
[ -n "$URL" ] || { echo "ci-serve: the server did not start within 30 s" >&2; exit 1; }
echo "server at $URL"

# ---- HTTP checks over the socket -------------------------------------------------
step "HTTP checks"
fail=0
check() { # name expected-status actual-status body
  if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: expected $2, got $3: $4"; fail=1; fi
}
out=$(curl -sS -m 10 -w '\n%{http_code}' "$URL/healthz")
check "GET /healthz" 200 "${out##*$'\n'}" "$out"
out=$(curl -sS -m 10 -o /dev/null -w '%{http_code} %{content_type}' "$URL/")
check "GET / (html)" "200 text/html; charset=utf-8" "$out" ""
head -c $((BODY_LIMIT * 10)) /dev/zero | tr '\0' 'a' | sed 's/^/{"id":"big","text":"/; s/$/"}/' > "$WORK/big.json"
for ep in detect restore trace; do
  out=$(curl -sS -m 30 -H 'Content-Type: application/json' --data-binary @"$WORK/big.json" -w '\n%{http_code}' "$URL/v1/$ep" || true)
  code="${out##*$'\n'}"
  check "POST /v1/$ep 10x body limit" 413 "$code" "$out"
  case "$out" in *'"error"'*) ;; *) echo "FAIL /v1/$ep 413 body is not a JSON error: $out"; fail=1 ;; esac
  out=$(curl -sS -m 10 -H 'Content-Type: application/json' --data-binary '{"text": 5}' -w '\n%{http_code}' "$URL/v1/$ep")
  check "POST /v1/$ep wrong type" 422 "${out##*$'\n'}" "$out"
done
out=$(curl -sS -m 10 -H 'Content-Type: application/json' --data-binary '{"id":"t","text":"x"}' -w '\n%{http_code}' "$URL/v1/trace")
check "POST /v1/trace with the index" 200 "${out##*$'\n'}" "$out"
grep -q '"status":200' "$WORK/server.log" || { echo "FAIL no structured request log line"; fail=1; }
[ "$fail" = 0 ] || { echo "ci-serve: HTTP checks failed" >&2; exit 1; }

# ---- browser test ---------------------------------------------------------------
step "browser test (headless Chromium)"
if ! (cd tests/browser && UNSPIN_URL="$URL" ARTIFACTS_DIR="$ARTIFACTS" timeout 300 node --test page.test.mjs); then
  echo "ci-serve: browser test failed; server log tail:" >&2
  tail -20 "$WORK/server.log" >&2
  exit 1
fi
echo "screenshots: $ARTIFACTS/serve-page.png (and serve-highlights, serve-restored, serve-trace, serve-report .png)"

# ---- graceful shutdown -------------------------------------------------------------
step "SIGTERM"
kill -TERM "$SERVER_PID"
for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$SERVER_PID" 2>/dev/null; then echo "ci-serve: the server ignored SIGTERM for 10 s" >&2; exit 1; fi
code=0; wait "$SERVER_PID" || code=$?
SERVER_PID=""
[ "$code" = 0 ] || { echo "ci-serve: the server exited $code after SIGTERM" >&2; exit 1; }
grep -q 'SIGTERM' "$WORK/server.log" || { echo "ci-serve: no shutdown log line" >&2; exit 1; }
echo "ok   graceful shutdown"

# ---- load test (short) ---------------------------------------------------------------
step "load test (short mode)"
timeout 300 bench/load/run.sh --short --bin "$BIN" --out "$ARTIFACTS/load-short.json"

echo "ci-serve: all checks passed"

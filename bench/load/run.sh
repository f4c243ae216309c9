#!/usr/bin/env bash
# Load test of `unspin serve`, on loopback only, bounded in time.
#
# Starts the server (127.0.0.1, a free port), warms it up, then runs wrk
# (Debian's package) from a second process with N concurrent connections for
# a fixed time against /v1/detect and then /v1/restore with a ~5 KB
# document, and reports requests/s, p50/p90/p99 latency, errors, and the
# server's resident memory before and after. Finally it stops the server
# with SIGTERM and checks that it exits cleanly.
#
#   bench/load/run.sh            # 60 s per endpoint, 32 connections (the report)
#   bench/load/run.sh --short    # 5 s per endpoint (CI)
#
# Options: --duration S, --connections N, --threads N, --bin PATH (default
# target/release/unspin), --out FILE (default target/artifacts/load.json),
# --paths "/v1/detect /v1/restore". Extra server flags go in UNSPIN_SERVE_ARGS.
# Exit status: 0 when every request succeeded, 1 when any failed, 2 on a
# setup error.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"

DURATION=60
WARMUP=5
CONNECTIONS=32
THREADS=2
TARGET="${CARGO_TARGET_DIR:-target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac
BIN="${UNSPIN_BIN:-$TARGET/release/unspin}"
OUT="$ROOT/target/artifacts/load.json"
PATHS="/v1/detect /v1/restore"
while [ $# -gt 0 ]; do
  case "$1" in
    --short) DURATION=5; WARMUP=2 ;;
    --duration) DURATION="$2"; shift ;;
    --connections) CONNECTIONS="$2"; shift ;;
    --threads) THREADS="$2"; shift ;;
    --bin) BIN="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --paths) PATHS="$2"; shift ;;
    *) echo "load: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
case "$BIN" in /*) ;; *) BIN="$ROOT/$BIN" ;; esac

command -v wrk >/dev/null || { echo "load: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
command -v node >/dev/null || { echo "load: node is needed to build the request body" >&2; exit 2; }
[ -x "$BIN" ] || { echo "load: no binary at $BIN (cargo build --release -p unspin-cli)" >&2; exit 2; }

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

# ---- the document: ~5 KB of news text, spun when `unspin spin` works -------
DATA="$ROOT/../shared/data/news-bbc/bbc_dev.jsonl"
if [ -r "$DATA" ]; then
  node -e '
    const fs = require("fs");
    const lines = fs.readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean);
    let text = "";
    for (const l of lines) { text += JSON.parse(l).text.trim() + "\n\n"; if (Buffer.byteLength(text) > 6000) break; }
    fs.writeFileSync(process.argv[2], text);
  ' "$DATA" "$WORK/original.txt"
  SOURCE="first BBC articles of ../shared/data/news-bbc/bbc_dev.jsonl"
else
  echo "load: $DATA is absent; using a built-in paragraph repeated to 5 KB" >&2
  node -e '
    const p = "Throughout the Chilly Conflict period, the navy staged joint workout routines close to the border. " +
      "The Well being Ministry revealed the whole variety of lively instances on Tuesday, and native officers stated " +
      "the restoration charge had improved. ";
    let t = ""; while (Buffer.byteLength(t + p) <= 5120) t += p;
    require("fs").writeFileSync(process.argv[1], t);
  ' "$WORK/original.txt"
  SOURCE="a built-in spun paragraph, repeated"
fi
if "$BIN" spin --rate 0.3 --seed 7 "$WORK/original.txt" > "$WORK/doc.txt" 2>"$WORK/spin.err" && [ -s "$WORK/doc.txt" ]; then
  SOURCE="$SOURCE, spun by unspin spin --rate 0.3 --seed 7"
else
  cp "$WORK/original.txt" "$WORK/doc.txt"
  SOURCE="$SOURCE (not spun: unspin spin failed: $(head -c 200 "$WORK/spin.err" | tr '\n' ' '))"
fi
# cut at the last sentence end within 5 KB (spinning changes the length)
node -e '
  const fs = require("fs");
  let cut = fs.readFileSync(process.argv[1], "utf8");
  while (Buffer.byteLength(cut) > 5120) cut = cut.slice(0, -1);
  const end = Math.max(cut.lastIndexOf(". "), cut.lastIndexOf(".\n"), cut.endsWith(".") ? cut.length - 1 : -1);
  if (end > 0) cut = cut.slice(0, end + 1);
  fs.writeFileSync(process.argv[1], cut);
  fs.writeFileSync(process.argv[2], JSON.stringify({ id: "load-5k", text: cut }));
' "$WORK/doc.txt" "$WORK/body.json"
DOC_BYTES=$(wc -c < "$WORK/doc.txt")

# ---- the server ----------------------------------------------------------
# shellcheck disable=SC2086
"$BIN" serve --addr 127.0.0.1:0 ${UNSPIN_SERVE_ARGS:-} 2>"$WORK/server.log" &
SERVER_PID=$!
URL=""
for _ in $(seq 1 300); do
  URL=$(sed -n 's#^unspin: serving on \(http://127\.0\.0\.1:[0-9]*\)/$#\1#p' "$WORK/server.log" | head -1)
  [ -n "$URL" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "load: the server exited:" >&2; cat "$WORK/server.log" >&2; exit 2; }
  sleep 0.1
done
[ -n "$URL" ] || { echo "load: the server did not start in 30 s" >&2; exit 2; }
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status"; }

run_wrk() { # path seconds
  UNSPIN_PATH="$1" UNSPIN_BODY="$WORK/body.json" \
    timeout $(( $2 + 30 )) wrk --threads "$THREADS" --connections "$CONNECTIONS" --duration "${2}s" \
    --timeout 30s --script "$ROOT/bench/load/post.lua" "$URL" > "$WORK/wrk.out" 2>&1 \
    || { echo "load: wrk failed:" >&2; cat "$WORK/wrk.out" >&2; exit 2; }
  sed -n 's/^RESULT //p' "$WORK/wrk.out"
}

echo "load: server $URL (pid $SERVER_PID), document $DOC_BYTES bytes ($SOURCE)" >&2
LOADAVG_START=$(cut -d' ' -f1-3 /proc/loadavg)
RSS_START=$(rss_kb)
run_wrk /v1/detect "$WARMUP" > /dev/null
RSS_WARM=$(rss_kb)
RESULTS=()
for p in $PATHS; do
  before=$(rss_kb)
  # sample the server's RSS every second during the run
  : > "$WORK/rss.txt"
  ( while kill -0 "$SERVER_PID" 2>/dev/null; do rss_kb >> "$WORK/rss.txt"; sleep 1; done ) &
  SAMPLER=$!
  r=$(run_wrk "$p" "$DURATION")
  kill "$SAMPLER" 2>/dev/null || true
  wait "$SAMPLER" 2>/dev/null || true
  after=$(rss_kb)
  RESULTS+=("$(node -e '
    const r = JSON.parse(process.argv[1]);
    r.rss_before_kb = +process.argv[2];
    r.rss_after_kb = +process.argv[3];
    r.rss_series_kb = require("fs").readFileSync(process.argv[4], "utf8").split("\n").filter(Boolean).map(Number);
    console.log(JSON.stringify(r));
  ' "$r" "$before" "$after" "$WORK/rss.txt")")
done
RSS_END=$(rss_kb)
LOADAVG_END=$(cut -d' ' -f1-3 /proc/loadavg)

# graceful shutdown: SIGTERM, then a clean exit
kill -TERM "$SERVER_PID"
SHUTDOWN=ok
for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$SERVER_PID" 2>/dev/null; then SHUTDOWN="did not stop within 10 s of SIGTERM"; fi
wait "$SERVER_PID" 2>/dev/null && true
CODE=$?
[ "$SHUTDOWN" = ok ] && [ "$CODE" -ne 0 ] && SHUTDOWN="exit status $CODE after SIGTERM"
SERVER_PID=""
LOG_LINES=$(grep -c '"answered"\|answered' "$WORK/server.log" || true)

mkdir -p "$(dirname "$OUT")"
node -e '
  const [out, source, docBytes, conns, threads, dur, rssStart, rssWarm, rssEnd, shutdown, logLines, laStart, laEnd, ...rs] = process.argv.slice(1);
  const runs = rs.map((r) => JSON.parse(r));
  const report = {
    machine: { cpus: require("os").cpus().length, loadavg_start: laStart, loadavg_end: laEnd, note: "wrk and the server share these cores" },
    document: { bytes: +docBytes, source },
    connections: +conns, threads: +threads, seconds_per_endpoint: +dur,
    rss_kb: { start: +rssStart, after_warmup: +rssWarm, end: +rssEnd },
    shutdown, request_log_lines: +logLines, runs,
  };
  require("fs").writeFileSync(out, JSON.stringify(report, null, 2) + "\n");
  const errs = (r) => Object.values(r.errors).reduce((a, b) => a + b, 0);
  console.log(`document: ${docBytes} bytes (${source})`);
  console.log(`${conns} connections, ${threads} wrk threads, ${dur} s per endpoint, loopback; load average ${laStart} at start, ${laEnd} at end (${require("os").cpus().length} cores)`);
  console.log("endpoint      req/s    p50 ms   p90 ms   p99 ms   max ms  errors  RSS before→after (MB)");
  for (const r of runs) {
    console.log(`${r.path.padEnd(12)} ${r.rps.toFixed(0).padStart(6)} ${r.p50_ms.toFixed(2).padStart(9)} ${r.p90_ms.toFixed(2).padStart(8)} ` +
      `${r.p99_ms.toFixed(2).padStart(8)} ${r.max_ms.toFixed(1).padStart(8)} ${String(errs(r)).padStart(7)}  ` +
      `${(r.rss_before_kb / 1024).toFixed(1)} → ${(r.rss_after_kb / 1024).toFixed(1)}`);
  }
  for (const r of runs) {
    const s = r.rss_series_kb;
    if (s.length >= 4) {
      // growth over the second half of the run, after the pools have filled
      const mid = s[Math.floor(s.length / 2)], last = s[s.length - 1];
      console.log(`${r.path} RSS second half: ${(mid / 1024).toFixed(1)} → ${(last / 1024).toFixed(1)} MB (${(((last - mid) / mid) * 100).toFixed(1)}%), max ${(Math.max(...s) / 1024).toFixed(1)} MB`);
    }
  }
  console.log(`server RSS: start ${(rssStart / 1024).toFixed(1)} MB, after warm-up ${(rssWarm / 1024).toFixed(1)} MB, end ${(rssEnd / 1024).toFixed(1)} MB`);
  console.log(`shutdown on SIGTERM: ${shutdown}`);
  const det = runs.find((r) => r.path === "/v1/detect");
  if (det) console.log(`target p99(/v1/detect) <= 50 ms: ${det.p99_ms <= 50 ? "met" : "missed"} (${det.p99_ms.toFixed(2)} ms)`);
  console.log(`report: ${out}`);
' "$OUT" "$SOURCE" "$DOC_BYTES" "$CONNECTIONS" "$THREADS" "$DURATION" "$RSS_START" "$RSS_WARM" "$RSS_END" "$SHUTDOWN" "$LOG_LINES" "$LOADAVG_START" "$LOADAVG_END" "${RESULTS[@]}"

FAILED=$(node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1])); let n = 0; for (const x of r.runs) n += Object.values(x.errors).reduce((a, b) => a + b, 0); console.log(n)' "$OUT")
if [ "$FAILED" -ne 0 ] || [ "$SHUTDOWN" != ok ]; then
  echo "load: FAILED ($FAILED request errors; shutdown: $SHUTDOWN)" >&2
  exit 1
fi

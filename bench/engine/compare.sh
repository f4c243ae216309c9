#!/usr/bin/env bash
# Two builds of unspin side by side (issue 2's speed, same run, same input):
# detect and restore pinned to one core, runs alternated so that the
# machine's drift hits both alike, CPU seconds (user + sys) reported as
# min and median with the ratio new / old; and whether the two builds
# wrote byte-identical output.
#
#   bench/engine/compare.sh OLD_BIN NEW_BIN [ROUNDS]     (default 3)
#
# Inputs: bench/out/bbc_all.jsonl (genuine BBC text) and the spun side of
# bench/out/bbc_B_spun_0.3.jsonl, both made by bench/engine/run.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
old=$1 new=$2 rounds=${3:-3}
out=bench/out
for f in "$out/bbc_all.jsonl" "$out/bbc_B_spun_0.3.jsonl"; do
  [ -s "$f" ] || { echo "compare.sh: $f is missing: run bench/engine/run.sh first" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -c "import json,sys; [print(json.dumps({'id':d['id'],'text':d['spun']})) for d in map(json.loads, open(sys.argv[1]))]" \
  "$out/bbc_B_spun_0.3.jsonl" > "$tmp/spun.jsonl"

for input in "$out/bbc_all.jsonl" "$tmp/spun.jsonl"; do
  for cmd in detect restore; do
    : > "$tmp/times"
    for _ in $(seq "$rounds"); do
      for which in old new; do
        bin=$old; [ "$which" = new ] && bin=$new
        /usr/bin/time -o "$tmp/t" -f "%U %S" taskset -c 0 "$bin" "$cmd" --format jsonl "$input" \
          > "$tmp/$which.out" 2>/dev/null
        echo "$which $(cat "$tmp/t")" >> "$tmp/times"
      done
    done
    same=different; cmp -s "$tmp/old.out" "$tmp/new.out" && same=identical
    name=genuine; [ "$input" = "$tmp/spun.jsonl" ] && name="spun 0.3"
    python3 - "$tmp/times" "$name" "$cmd" "$same" "$(wc -c < "$input")" <<'PY'
import collections, statistics, sys
path, name, cmd, same, nbytes = sys.argv[1:]
t = collections.defaultdict(list)
for line in open(path):
    which, user, sys_ = line.split()
    t[which].append(float(user) + float(sys_))
o, n = statistics.median(t["old"]), statistics.median(t["new"])
mb = int(nbytes) / 1e6
print(f"{name:9} {cmd:8} old min {min(t['old']):6.2f} s median {o:6.2f} s ({mb / o:.3f} MB/s)"
      f" | new min {min(t['new']):6.2f} s median {n:6.2f} s ({mb / n:.3f} MB/s)"
      f" | new/old median {n / o:.2f} | output {same}")
PY
  done
done

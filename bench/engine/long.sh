#!/usr/bin/env bash
# One long document, two builds (issue 2's memory and speed on long
# input): the BBC articles joined into one plain-text document of MB
# megabytes, run through detect, restore and scan (a directory holding
# the document) by each build, pinned to one
# core, runs alternated; CPU seconds (user + sys) and peak memory, the
# ratios new / old, and whether the two builds wrote byte-identical output.
#
#   bench/engine/long.sh OLD_BIN NEW_BIN [MB] [ROUNDS]     (defaults 2 and 1)
#
# Reads ../shared/data/news-bbc/bbc_dev.jsonl in place.
set -euo pipefail
cd "$(dirname "$0")/../.."
old=$1 new=$2 mb=${3:-2} rounds=${4:-1}
data=../shared/data/news-bbc/bbc_dev.jsonl
[ -s "$data" ] || { echo "long.sh: $data is missing" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the articles joined by blank lines, repeated as needed, cut at a line end
python3 - "$data" "$mb" "$tmp/long.txt" <<'PY'
import json, sys
path, mb, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8")]
want, parts, size = int(mb * 1e6), [], 0
while size < want:
    for t in texts:
        parts.append(t)
        size += len(t.encode()) + 2
        if size >= want:
            break
open(out, "w", encoding="utf-8").write("\n\n".join(parts) + "\n")
PY
words=$(wc -w < "$tmp/long.txt")
echo "one document: $(wc -c < "$tmp/long.txt") bytes, $words words"
mkdir "$tmp/dir"
cp "$tmp/long.txt" "$tmp/dir/long.txt"
for cmd in detect restore scan; do
  input=$tmp/long.txt args=(--json)
  [ "$cmd" = scan ] && input=$tmp/dir args=()
  : > "$tmp/times"
  for _ in $(seq "$rounds"); do
    for which in old new; do
      bin=$old; [ "$which" = new ] && bin=$new
      /usr/bin/time -o "$tmp/t" -f "%U %S %M" taskset -c 0 "$bin" "$cmd" "${args[@]}" "$input" \
        > "$tmp/$which.out" 2>/dev/null
      echo "$which $(cat "$tmp/t")" >> "$tmp/times"
    done
  done
  same=different; cmp -s "$tmp/old.out" "$tmp/new.out" && same=identical
  python3 - "$tmp/times" "$cmd" "$same" <<'PY'
import collections, statistics, sys
path, cmd, same = sys.argv[1:]
cpu, rss = collections.defaultdict(list), collections.defaultdict(list)
for line in open(path):
    which, user, sys_, kb = line.split()
    cpu[which].append(float(user) + float(sys_))
    rss[which].append(int(kb) / 1024)
o, n = statistics.median(cpu["old"]), statistics.median(cpu["new"])
mo, mn = max(rss["old"]), max(rss["new"])
print(f"{cmd:8} CPU old {o:6.2f} s new {n:6.2f} s, new/old {n / o:.2f}"
      f" | peak memory old {mo:6.0f} MiB new {mn:6.0f} MiB, new/old {mn / mo:.2f}"
      f" | output {same}")
PY
done

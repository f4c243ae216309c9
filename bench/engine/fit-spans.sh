#!/usr/bin/env bash
# How the built-in model's span model was fitted (DESIGN.md, *A second
# opinion on each span*), rerunnable: on split A of the BBC articles (the
# tuning split; run.sh reports on split B), spun by `unspin spin --seed 7`
# at 0.15, 0.3 and 0.5, with the paragraphs of 15 words or more of the 0.3
# pairs as pairs of their own; every pair is read on both sides. Writes
# the fitted `span_model` into model/params.json (the other parameters
# are left as they are) and prints what it does on the pairs it saw.
#
#   bench/engine/fit-spans.sh [N_ARTICLES]     (default 200)
set -euo pipefail
cd "$(dirname "$0")/../.."
data=../shared/data
n=${1:-200}
cargo build --release -q -p unspin-cli
bin=${CARGO_TARGET_DIR:-target}/release/unspin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 bench/engine/split.py "$data/news-bbc/bbc_dev.jsonl" "$tmp/A.jsonl" A "$n"
for rate in 0.15 0.3 0.5; do
  "$bin" spin --rate "$rate" --seed 7 "$tmp/A.jsonl" > "$tmp/A_$rate.jsonl"
done
python3 bench/engine/paragraphs.py "$tmp/A_0.3.jsonl" "$tmp/A_0.3_paragraphs.jsonl"
# the features do not depend on the span model in use: fit from none
"$bin" fit-spans --set 'span_model={}' -o "$tmp/span_model.json" \
  --pairs "$tmp"/A_0.15.jsonl "$tmp"/A_0.3.jsonl "$tmp"/A_0.5.jsonl "$tmp"/A_0.3_paragraphs.jsonl
python3 - "$tmp/span_model.json" model/params.json <<'PY'
import json, sys
fitted, path = sys.argv[1:3]
params = json.load(open(path))
provenance = params.pop("provenance", None)
params["span_model"] = json.load(open(fitted))
if provenance is not None:
    params["provenance"] = provenance
with open(path, "w") as f:
    json.dump(params, f, indent=2)
    f.write("\n")
PY
echo "fit-spans: wrote span_model into model/params.json"

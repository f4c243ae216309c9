#!/usr/bin/env bash
# How the document score's parameters were chosen (DESIGN.md, *Document
# score*), rerunnable: on split A of the BBC articles (the tuning split;
# run.sh reports on split B), genuine texts and texts spun at 0.15, 0.3 and
# 0.5 as articles, paragraphs and sentences. Prints the genuine texts' rate
# against their vocabulary (`doc_clean_a`, `doc_clean_b`), its spread
# (`doc_rare_damping` from `doc_rare_from`), the slope `doc_a` that gives
# the least Brier score with the intercept `doc_b` held at -5, and the
# Brier score and accuracy at 0.5 of model/params.json's score and of the
# old one, by kind of text.
#
#   bench/engine/calibrate.sh [N_ARTICLES]     (default 200)
#
# The first pass's spun share r and the vocabulary u of each text are read
# through the CLI: with doc_a=1 and everything else 0 the score is
# sigmoid(r); with doc_clean_b=1 as well it is sigmoid(r - u).
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

# the texts: each article's original once, its spun copies, their paragraphs
# of 15 words or more, and a quarter of their sentences of 6 words or more
python3 - "$tmp" <<'PY'
import json, random, re, sys
tmp = sys.argv[1]
random.seed(3)
W = re.compile(r"\w+(?:['’-]\w+)*")
S = re.compile(r'(?<=[.!?])\s+(?=[A-Z"])')
docs, seen = [], set()
def add(i, text, label, kind, rate):
    docs.append({"id": i, "text": text, "n": len(W.findall(text)), "label": label, "kind": kind, "rate": rate})
for rate in ("0.15", "0.3", "0.5"):
    for line in open(f"{tmp}/A_{rate}.jsonl", encoding="utf-8"):
        p = json.loads(line)
        if p["id"] not in seen:
            seen.add(p["id"])
            add(p["id"] + "/o", p["original"], 0, "article", "0")
        add(p["id"] + "/s" + rate, p["spun"], 1, "article", rate)
        os_, ss = p["original"].split("\n\n"), p["spun"].split("\n\n")
        for i, (o, s) in enumerate(zip(os_, ss)):
            if len(os_) == len(ss) and len(o.split()) >= 15:
                if rate == "0.3":
                    add(f"{p['id']}-{i}/o", o, 0, "paragraph", "0")
                if s != o:
                    add(f"{p['id']}-{i}/s{rate}", s, 1, "paragraph", rate)
        for pi, (o, s) in enumerate(zip(os_, ss)):
            so, sp = S.split(o), S.split(s)
            if len(so) != len(sp):
                continue
            for si, (a, b) in enumerate(zip(so, sp)):
                if len(W.findall(a)) < 6 or random.random() > 0.25:
                    continue
                if rate == "0.3":
                    add(f"{p['id']}-{pi}-{si}/o", a, 0, "sentence", "0")
                if a != b:
                    add(f"{p['id']}-{pi}-{si}/s{rate}", b, 1, "sentence", rate)
with open(f"{tmp}/docs.jsonl", "w") as f:
    for d in docs:
        f.write(json.dumps({"id": d["id"], "text": d["text"]}) + "\n")
with open(f"{tmp}/meta.jsonl", "w") as f:
    for d in docs:
        f.write(json.dumps({k: d[k] for k in ("id", "n", "label", "kind", "rate")}) + "\n")
PY

probe="--set doc_a=1 --set doc_b=0 --set doc_clean_a=0 --set doc_words=0 --set doc_rare_damping=0"
# shellcheck disable=SC2086
"$bin" detect --format jsonl $probe --set doc_clean_b=0 "$tmp/docs.jsonl" > "$tmp/r.jsonl"
# shellcheck disable=SC2086
"$bin" detect --format jsonl $probe --set doc_clean_b=1 "$tmp/docs.jsonl" > "$tmp/ru.jsonl"

python3 - "$tmp" model/params.json <<'PY'
import collections, json, math, sys
tmp, params = sys.argv[1], json.load(open(sys.argv[2]))
meta = {json.loads(l)["id"]: json.loads(l) for l in open(f"{tmp}/meta.jsonl")}
logit = lambda s: math.log(min(max(s, 1e-12), 1 - 1e-12) / (1 - min(max(s, 1e-12), 1 - 1e-12)))
r = {json.loads(l)["id"]: logit(json.loads(l)["score"]) for l in open(f"{tmp}/r.jsonl")}
ru = {json.loads(l)["id"]: logit(json.loads(l)["score"]) for l in open(f"{tmp}/ru.jsonl")}
rows = [(r[i], r[i] - ru[i], m["n"], m["label"], m["kind"], m["rate"]) for i, m in meta.items()]
sig = lambda z: 1 / (1 + math.exp(-max(min(z, 50), -50)))

# the genuine texts' rate against their vocabulary: a least-squares line
clean = [(u, x) for x, u, n, y, k, _ in rows if y == 0 and k != "sentence"]
mu, mx = sum(u for u, _ in clean) / len(clean), sum(x for _, x in clean) / len(clean)
b0 = sum((u - mu) * (x - mx) for u, x in clean) / sum((u - mu) ** 2 for u, _ in clean)
a0 = mx - b0 * mu
print(f"genuine articles and paragraphs ({len(clean)}): r = {a0:.4f} + {b0:.4f} u"
      f"   (model/params.json: {params['doc_clean_a']} + {params['doc_clean_b']} u)")
print("their spread around it (RMS) by u:")
bins = collections.defaultdict(list)
for x, u, n, y, k, _ in rows:
    if y == 0 and k == "paragraph":
        bins[round(u * 5) / 5].append(x - (a0 + b0 * u))
for u in sorted(bins):
    if len(bins[u]) >= 15:
        rms = math.sqrt(sum(v * v for v in bins[u]) / len(bins[u]))
        print(f"  u {u:5.1f}: {len(bins[u]):4} paragraphs, RMS {rms:.4f}")

# every kind's classes weigh alike
count = collections.Counter((k, y) for *_, y, k, _ in rows)
weight = [(count[(k, 0)] + count[(k, 1)]) / (2 * count[(k, y)]) for *_, y, k, _ in rows]

def score(p, x, u, n):
    excess = x - (p["doc_clean_a"] + p["doc_clean_b"] * u)
    rare = min(1.0, math.exp(p["doc_rare_damping"] * (u - p["doc_rare_from"])))
    g = min(1.0, math.sqrt(n / p["doc_words"])) if p["doc_words"] > 0 else 1.0
    return sig(g * (p["doc_a"] * rare * excess + p["doc_b"]))

def brier(p, kinds=None):
    num = den = 0.0
    for (x, u, n, y, k, _), w in zip(rows, weight):
        if kinds is None or k in kinds:
            num += w * (score(p, x, u, n) - y) ** 2
            den += w
    return num / den

fit = dict(params)
best = min(range(100, 401, 10), key=lambda a: brier(dict(fit, doc_a=float(a))))
print(f"slope with doc_b = {params['doc_b']}: doc_a = {best} (model/params.json: {params['doc_a']})")

old = dict(params, doc_a=19.5, doc_b=-1.65, doc_clean_a=0.0, doc_clean_b=0.0,
           doc_words=0.0, doc_rare_damping=0.0)
print("\n| kind | texts (genuine/spun) | Brier old → params.json | accuracy at 0.5 old → params.json |")
print("|---|---|---|---|")
for kind in ("article", "paragraph", "sentence"):
    def acc(p):
        num = den = 0.0
        for (x, u, n, y, k, _), w in zip(rows, weight):
            if k == kind:
                num += w * ((score(p, x, u, n) >= 0.5) == (y == 1))
                den += w
        return num / den
    print(f"| {kind} | {count[(kind, 0)]}/{count[(kind, 1)]} | {brier(old, {kind}):.4f} → "
          f"{brier(params, {kind}):.4f} | {acc(old):.3f} → {acc(params):.3f} |")
PY

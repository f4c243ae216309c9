#!/usr/bin/env bash
# The engine benchmark (issue 2): quality of detect/restore on the dev sets
# and their speed against `wc -w` on the same input in the same run.
#
#   bench/engine/run.sh [N_ARTICLES]     (default 300; 0 = every article of split B)
#
# Data (read in place, never copied): ../shared/data/news-bbc/bbc_dev.jsonl,
# ../shared/data/science/science_pairs_dev.jsonl and tortured_dev.tsv, and the
# CS abstracts of ../shared/data/abstracts that are not in the science pairs
# (the corpus of the field-adapted model, `unspin train --mix`).
# News is spun by `unspin spin` three ways per rate: its default spinner
# (each occurrence decided afresh, familiar synonyms favoured as real
# spinners do, see bench/engine/real_spins.tsv), `--consistent` (every
# occurrence of a word alike), and the plain thesaurus-channel draw of the
# first five sessions (`--familiarity 0 --channel-power 1`), for continuity;
# and at 0.3 once more with capitalised words spun too (`--capitalised-rate`),
# with the article fitted to each swapped word (`--fix-articles`) and with
# typos (`--typo-rate`).
# Splits: BBC articles are split by md5(id) mod 2; split A was used to
# choose the decoder parameters, every figure here is on split B.
# Output: a table on stdout and bench/out/engine.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
data=../shared/data
n=${1:-300}
out=bench/out
mkdir -p "$out"
cargo build --release -q -p unspin-cli
bin=${CARGO_TARGET_DIR:-target}/release/unspin

python3 bench/engine/split.py "$data/news-bbc/bbc_dev.jsonl" "$out/bbc_B.jsonl" B "$n"

declare -A report
for rate in 0.3 0.5; do
  "$bin" spin --rate "$rate" --seed 7 "$out/bbc_B.jsonl" > "$out/bbc_B_spun_$rate.jsonl"
  report[news_$rate]=$("$bin" eval --json --pairs "$out/bbc_B_spun_$rate.jsonl")
  # a spinner with a fixed dictionary: every occurrence of a word alike
  "$bin" spin --consistent --rate "$rate" --seed 7 "$out/bbc_B.jsonl" > "$out/bbc_B_spun_c$rate.jsonl"
  report[news_c$rate]=$("$bin" eval --json --pairs "$out/bbc_B_spun_c$rate.jsonl")
  # the plain channel draw: rarer thesaurus entries
  "$bin" spin --familiarity 0 --channel-power 1 --rate "$rate" --seed 7 "$out/bbc_B.jsonl" > "$out/bbc_B_spun_u$rate.jsonl"
  report[news_u$rate]=$("$bin" eval --json --pairs "$out/bbc_B_spun_u$rate.jsonl")
done
# real spinners look words up whatever their case ("The Well being
# Ministry", "the Chilly Conflict"), where the default spinner spares every
# capitalised word inside a sentence as a name: here such words are spun
# at half the rate (names the lexicon knows are spun too: "Lisbon" → "Port")
"$bin" spin --capitalised-rate 0.5 --rate 0.3 --seed 7 "$out/bbc_B.jsonl" > "$out/bbc_B_spun_k0.3.jsonl"
report[news_k0.3]=$("$bin" eval --json --pairs "$out/bbc_B_spun_k0.3.jsonl")
# some spinner families fit "a"/"an" to the word they swap in ("a longer"
# → "an extended"), where the default spinner leaves it ("a impartial")
"$bin" spin --fix-articles --rate 0.3 --seed 7 "$out/bbc_B.jsonl" > "$out/bbc_B_spun_f0.3.jsonl"
report[news_f0.3]=$("$bin" eval --json --pairs "$out/bbc_B_spun_f0.3.jsonl")
# spinners "spin typos too": 2% of the lower-case words of four letters or
# more get one ("anouncement", "recieved"), about 1% of all words
"$bin" spin --typo-rate 0.02 --rate 0.3 --seed 7 "$out/bbc_B.jsonl" > "$out/bbc_B_spun_t0.3.jsonl"
report[news_t0.3]=$("$bin" eval --json --pairs "$out/bbc_B_spun_t0.3.jsonl")
# short texts, as an analyst pastes them: each paragraph of 15 words or
# more of the 0.3 pairs, as a pair of its own
python3 bench/engine/paragraphs.py "$out/bbc_B_spun_0.3.jsonl" "$out/bbc_B_spun_0.3_paragraphs.jsonl"
report[news_para]=$("$bin" eval --json --pairs "$out/bbc_B_spun_0.3_paragraphs.jsonl")
# hand-made sentences around the real spins PRODUCT.md §1 quotes (14 pairs:
# indicative only, and seen while choosing the parameters)
report[examples]=$("$bin" eval --json --pairs bench/engine/product_examples.jsonl)
report[science_nolist]=$("$bin" eval --json --pairs "$data/science/science_pairs_dev.jsonl")
report[science_list]=$("$bin" eval --json --pairs "$data/science/science_pairs_dev.jsonl" \
  --fingerprints "$data/science/tortured_dev.tsv")
# the same with the adaptive prior's switch reading the first pass as it is,
# undamped in rare vocabulary (`prior_vocabulary`, on by default since the
# eighteenth session: off, news gains a little recall, science many flags)
report[science_vocab_nolist]=$("$bin" eval --json --pairs "$data/science/science_pairs_dev.jsonl" \
  --set prior_vocabulary=false)
report[science_vocab_list]=$("$bin" eval --json --pairs "$data/science/science_pairs_dev.jsonl" \
  --fingerprints "$data/science/tortured_dev.tsv" --set prior_vocabulary=false)
report[news_vocab]=$("$bin" eval --json --pairs "$out/bbc_B_spun_0.3.jsonl" --set prior_vocabulary=false)
# the same with the built-in model adapted to the field: a corpus model of
# the CS abstracts that are not in the evaluation set, mixed in at 0.5
python3 - "$data/abstracts/csabstruct_train.jsonl" "$data/science/science_pairs_dev.jsonl" \
  "$out/science_reference.jsonl" <<'PY'
import json, sys
abstracts, pairs, dst = sys.argv[1:4]
evaluated = {json.loads(l)["original"][:80] for l in open(pairs, encoding="utf-8")}
with open(dst, "w") as f:
    for line in open(abstracts, encoding="utf-8"):
        d = json.loads(line)
        text = " ".join(d["sentences"])
        if text[:80] not in evaluated:
            f.write(json.dumps({"id": str(d["abstract_id"]), "text": text}) + "\n")
PY
"$bin" train --corpus "$out/science_reference.jsonl" --mix 0.5 \
  --output "$out/science_mixed.unspin" 2> /dev/null
report[science_mixed_nolist]=$("$bin" eval --json --pairs "$data/science/science_pairs_dev.jsonl" \
  --model "$out/science_mixed.unspin")
report[science_mixed_list]=$("$bin" eval --json --pairs "$data/science/science_pairs_dev.jsonl" \
  --model "$out/science_mixed.unspin" --fingerprints "$data/science/tortured_dev.tsv")

# speed on one core: the BBC text as plain JSONL, detect and restore
# against wc -w, with peak memory
python3 -c "import json,sys; [print(json.dumps({'id':json.loads(l)['id'],'text':json.loads(l)['text']})) for l in open(sys.argv[1])]" \
  "$data/news-bbc/bbc_dev.jsonl" > "$out/bbc_all.jsonl"
bytes=$(wc -c < "$out/bbc_all.jsonl")
t() { local s e; s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
t_wc=$(t wc -w "$out/bbc_all.jsonl")
t_wc=$(t wc -w "$out/bbc_all.jsonl")
mem() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
t_detect=$(t taskset -c 0 "$bin" detect --format jsonl "$out/bbc_all.jsonl")
t_restore=$(t taskset -c 0 "$bin" restore --format jsonl "$out/bbc_all.jsonl")
m_detect=$(mem "$bin" detect --format jsonl "$out/bbc_all.jsonl")

python3 - "$out/engine.json" "$bytes" "$t_wc" "$t_detect" "$t_restore" "$m_detect" \
  "${report[news_0.3]}" "${report[news_0.5]}" "${report[news_c0.3]}" "${report[news_c0.5]}" \
  "${report[news_u0.3]}" "${report[news_u0.5]}" "${report[news_k0.3]}" "${report[news_f0.3]}" \
  "${report[news_t0.3]}" "${report[news_para]}" \
  "${report[examples]}" "${report[science_nolist]}" "${report[science_list]}" \
  "${report[news_vocab]}" "${report[science_vocab_nolist]}" "${report[science_vocab_list]}" \
  "${report[science_mixed_nolist]}" "${report[science_mixed_list]}" <<'PY'
import json, sys
path, nbytes, t_wc, t_det, t_res, mem_kb = sys.argv[1:7]
nbytes, t_wc, t_det, t_res = int(nbytes), float(t_wc), float(t_det), float(t_res)
runs = dict(zip(["news spun 0.3", "news spun 0.5", "news spun 0.3, consistent",
                 "news spun 0.5, consistent", "news spun 0.3, plain channel",
                 "news spun 0.5, plain channel",
                 "news spun 0.3, capitalised words at half rate",
                 "news spun 0.3, articles fitted to the swapped word",
                 "news spun 0.3, with typos",
                 "news spun 0.3, by paragraph",
                 "PRODUCT.md §1 examples",
                 "science, no list", "science, dev list",
                 "news spun 0.3, --set prior_vocabulary=false",
                 "science, no list, --set prior_vocabulary=false",
                 "science, dev list, --set prior_vocabulary=false",
                 "science, no list, model mixed with the field (--mix 0.5)",
                 "science, dev list, model mixed with the field (--mix 0.5)"],
                [json.loads(x) for x in sys.argv[7:25]]))
mb = nbytes / 1e6
speed = {
    "input_mb": mb,
    "wc_w_mb_s": mb / t_wc, "detect_mb_s": mb / t_det, "restore_mb_s": mb / t_res,
    "detect_vs_wc": t_wc / t_det, "restore_vs_wc": t_wc / t_res,
    "detect_peak_mib": int(mem_kb) / 1024,
}
json.dump({"quality": runs, "speed": speed}, open(path, "w"), indent=1)
keys = ["span_precision", "span_recall", "span_f1", "clean_flags_per_1k", "doc_auc",
        "doc_brier", "doc_accuracy", "wer_reduction", "damage_rate"]
print("| set | pairs | " + " | ".join(keys) + " |")
print("|---" * (len(keys) + 2) + "|")
for name, r in runs.items():
    print(f"| {name} | {r['pairs']} | " + " | ".join(f"{r[k]:.3f}" for k in keys) + " |")
print()
print("| speed (one core, BBC %.1f MB) | MB/s | ratio to wc -w |" % mb)
print("|---|---|---|")
print(f"| wc -w | {speed['wc_w_mb_s']:.1f} | 1 |")
print(f"| detect | {speed['detect_mb_s']:.3f} | {speed['detect_vs_wc']:.4f} |")
print(f"| restore | {speed['restore_mb_s']:.3f} | {speed['restore_vs_wc']:.4f} |")
print(f"\ndetect peak memory: {speed['detect_peak_mib']:.0f} MiB")
PY

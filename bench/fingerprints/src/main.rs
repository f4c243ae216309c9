//! Evaluation of tortured-phrase lists and `mine` on ../shared/data/science
//! (issue 6), and list-matching throughput against a raw Aho-Corasick pass.
//!
//! Usage: `fingerprints-eval [DATA_DIR] [--mb N] [--top N] [--no-mine]
//! [--mine-only] [--strict]`. Exits 1 when the recall of listed phrases
//! falls below 0.99; with `--strict`, also when there are clean flags or the
//! mining precision is below 0.7.
//! (DATA_DIR defaults to ../shared/data, relative to the repository root).
//! The dev list is read in place for evaluation only; nothing here is
//! shipped.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use aho_corasick::AhoCorasick;
use serde_json::Value;
use unspin_core::fingerprints::Fingerprints;
use unspin_core::mine::{MineOptions, Miner, Thesaurus};

struct Pair {
    original: String,
    spun: String,
    /// (tortured, expected)
    subs: Vec<(String, String)>,
}

fn main() {
    let mut data = PathBuf::from("../shared/data");
    let mut mb = 32usize;
    let mut top = 100usize;
    let mut mine = true;
    let mut list_eval = true;
    let mut strict = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--mb" => mb = args.next().and_then(|v| v.parse().ok()).expect("--mb N"),
            "--top" => top = args.next().and_then(|v| v.parse().ok()).expect("--top N"),
            "--no-mine" => mine = false,
            "--mine-only" => list_eval = false,
            "--strict" => strict = true,
            _ => data = PathBuf::from(a),
        }
    }
    let list_path = data.join("science/tortured_dev.tsv");
    let pairs_path = data.join("science/science_pairs_dev.jsonl");
    if !list_path.exists() || !pairs_path.exists() {
        eprintln!(
            "skipping: {} or {} not found",
            list_path.display(),
            pairs_path.display()
        );
        return;
    }
    let list = Fingerprints::from_path(&list_path).expect("dev list loads");
    let pairs = read_pairs(&pairs_path);
    println!(
        "# tortured-phrase evaluation ({} list entries, {} automaton patterns, {} pairs)",
        list.len(),
        list.pattern_count(),
        pairs.len()
    );
    let reference = read_reference(&data, &pairs);
    let mut ok = true;
    if list_eval {
        println!("\n## list matching, the list as loaded");
        eval_list(&list, &pairs);
        // rows found in clean text of the field are genuine terms listed by
        // mistake; the reference holds no abstract of the evaluation set
        let mut calibrated = list.clone();
        let off = calibrated.disable_found_in(reference.iter().map(String::as_str));
        let names: Vec<&str> = off
            .iter()
            .map(|&e| calibrated.entries()[e].phrase())
            .collect();
        println!(
            "\n## list matching, after `disable_found_in` on the {} reference abstracts ({} rows disabled: {names:?}; {} inert in all)",
            reference.len(),
            off.len(),
            calibrated.inert().len()
        );
        let (recall_ok, clean_ok) = eval_list(&calibrated, &pairs);
        if !recall_ok {
            eprintln!("target missed: recall of listed phrases < 0.99");
            ok = false;
        }
        if !clean_ok {
            eprintln!("target missed: list hits on the clean originals");
            ok &= !strict;
        }
        throughput(&calibrated, &list_path, &pairs, mb);
    }
    let mut mined_ok = true;
    if mine {
        mined_ok = eval_mine(&reference, &list_path, &pairs, top) || !strict;
    }
    if !(ok && mined_ok) {
        std::process::exit(1);
    }
}

fn read_pairs(path: &Path) -> Vec<Pair> {
    let text = std::fs::read_to_string(path).expect("pairs file");
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("pair JSON");
            let subs = v["substitutions"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|s| {
                            (
                                s["tortured"].as_str().unwrap_or("").to_string(),
                                s["expected"].as_str().unwrap_or("").to_string(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            Pair {
                original: v["original"].as_str().unwrap_or("").to_string(),
                spun: v["spun"].as_str().unwrap_or("").to_string(),
                subs,
            }
        })
        .collect()
}

/// Character ranges of every case-insensitive occurrence of `needle`.
fn occurrences(hay: &str, needle: &str) -> Vec<(usize, usize)> {
    let ac = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build([needle])
        .unwrap();
    ac.find_iter(hay)
        .map(|m| {
            let s = hay[..m.start()].chars().count();
            (s, s + hay[m.start()..m.end()].chars().count())
        })
        .collect()
}

fn metric_words(s: &str) -> usize {
    unspin_core::text::metric_words(s).len()
}

/// Returns (recall target met, clean-flag target met).
fn eval_list(list: &Fingerprints, pairs: &[Pair]) -> (bool, bool) {
    let (mut subs, mut found, mut exact, mut extra, mut hits_total) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    let (mut clean_hits, mut clean_words, mut clean_flagged_words, mut words) =
        (0usize, 0usize, 0usize, 0usize);
    let mut clean_examples = Vec::new();
    let mut missed = Vec::new();
    for p in pairs {
        let hits = list.find(&p.spun);
        hits_total += hits.len();
        let mut gold: Vec<(usize, usize)> = Vec::new();
        for (t, e) in &p.subs {
            subs += 1;
            let occ = occurrences(&p.spun, t);
            gold.extend(&occ);
            let hit = hits
                .iter()
                .find(|h| occ.iter().any(|&(s, en)| h.start <= s && en <= h.end));
            match hit {
                Some(h) => {
                    found += 1;
                    if h.expected.eq_ignore_ascii_case(e) {
                        exact += 1;
                    }
                }
                None => missed.push(t.clone()),
            }
        }
        extra += hits
            .iter()
            .filter(|h| !gold.iter().any(|&(s, e)| h.start < e && s < h.end))
            .count();
        words += metric_words(&p.spun);
        let ch = list.find(&p.original);
        clean_words += metric_words(&p.original);
        for h in &ch {
            let text: String = p
                .original
                .chars()
                .skip(h.start)
                .take(h.end - h.start)
                .collect();
            clean_flagged_words += metric_words(&text);
            if clean_examples.len() < 10 {
                clean_examples.push(text);
            }
        }
        clean_hits += ch.len();
    }
    let recall = found as f64 / subs.max(1) as f64;
    println!("| metric | value | target |\n|---|---|---|");
    println!("| recall of listed phrases (spun) | {recall:.4} ({found}/{subs}) | ≥ 0.99 |");
    println!(
        "| hit expected = gold expected | {:.4} ({exact}/{found}) | |",
        exact as f64 / found.max(1) as f64
    );
    println!(
        "| list hits on spun texts / of which not a gold substitution | {hits_total} / {extra} | |"
    );
    println!("| clean flags on originals (hits) | {clean_hits} | 0 |");
    println!(
        "| clean flagged words per 1k words | {:.3} | 0 |",
        1000.0 * clean_flagged_words as f64 / clean_words.max(1) as f64
    );
    let _ = words;
    if !missed.is_empty() {
        println!("missed (first 10): {:?}", &missed[..missed.len().min(10)]);
    }
    if !clean_examples.is_empty() {
        println!("clean flags (first 10): {clean_examples:?}");
    }
    (recall >= 0.99, clean_hits == 0)
}

fn throughput(list: &Fingerprints, list_path: &Path, pairs: &[Pair], mb: usize) {
    let docs: Vec<&str> = pairs
        .iter()
        .flat_map(|p| [p.spun.as_str(), p.original.as_str()])
        .collect();
    let bytes_per_round: usize = docs.iter().map(|d| d.len()).sum();
    let rounds = (mb << 20).div_ceil(bytes_per_round).max(1);
    let total = (bytes_per_round * rounds) as f64 / (1 << 20) as f64;
    // baseline: the raw tortured phrases, one case-insensitive byte pass
    let raw: Vec<String> = std::fs::read_to_string(list_path)
        .unwrap()
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next().map(str::to_string))
        .filter(|s| !s.is_empty())
        .collect();
    let ac = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(&raw)
        .unwrap();
    // the two passes alternate round by round, so that the load of a shared
    // machine falls on both alike; each pass is timed on its own
    let (mut base_hits, mut hits) = (0usize, 0usize);
    let (mut base_secs, mut our_secs) = (0f64, 0f64);
    for _ in 0..rounds {
        let t = Instant::now();
        for d in &docs {
            base_hits += ac.find_iter(d).count();
        }
        base_secs += t.elapsed().as_secs_f64();
        let t = Instant::now();
        for d in &docs {
            hits += list.find(d).len();
        }
        our_secs += t.elapsed().as_secs_f64();
    }
    let base = total / base_secs;
    let ours = total / our_secs;
    println!("\n## throughput (one core, {total:.1} MB of abstracts, per-document calls, the passes alternating round by round)");
    println!("| pass | MB/s | hits | ratio |\n|---|---|---|---|");
    println!("| raw Aho-Corasick byte pass (case-insensitive, no normalisation, no context) | {base:.1} | {base_hits} | 1.00 |");
    println!("| Fingerprints::find (normalised tokens, inflection, context) | {ours:.1} | {hits} | {:.2} |", ours / base);
}

fn eval_mine(reference: &[String], list_path: &Path, pairs: &[Pair], top: usize) -> bool {
    let t = Instant::now();
    let thesaurus = Thesaurus::builtin();
    let t_thes = t.elapsed().as_secs_f64();
    let model = unspin_core::Model::builtin().expect("built-in model");
    let lm = model.lm();
    let rows: Vec<(String, String)> = std::fs::read_to_string(list_path)
        .unwrap()
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some((f.next()?.to_string(), f.next()?.to_string()))
        })
        .collect();
    println!(
        "\n## mine (spun abstracts as corpus; reference: {} clean CS abstracts not in the eval set; builtin thesaurus {} words, loaded in {t_thes:.1} s)",
        reference.len(),
        thesaurus.len()
    );
    // 1. no list at all: judged against the whole dev list
    let p1 = mine_once(
        &thesaurus,
        lm,
        reference,
        pairs,
        &[],
        &rows,
        top,
        "no list; judged against the whole dev list",
    );
    // 2. half of the dev list known (split by expected phrase, as the data
    //    set itself was split): judged against the other half only
    type Rows = Vec<(String, String)>;
    let (known, held): (Rows, Rows) = rows
        .iter()
        .cloned()
        .partition(|(_, e)| fnv(&e.to_lowercase()) & 1 == 0);
    let p2 = mine_once(
        &thesaurus,
        lm,
        reference,
        pairs,
        &known,
        &held,
        top,
        "half of the dev list known (`learn_from_list`); judged against the other half",
    );
    p1.max(p2) >= 0.7
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

#[allow(clippy::too_many_arguments)]
fn mine_once(
    thesaurus: &Thesaurus,
    lm: &unspin_core::lm::NgramLm,
    reference: &[String],
    pairs: &[Pair],
    known: &[(String, String)],
    judge_rows: &[(String, String)],
    top: usize,
    what: &str,
) -> f64 {
    let t = Instant::now();
    let mut miner = Miner::new(thesaurus, MineOptions::default());
    miner.set_language_model(lm);
    for p in pairs {
        miner.add_corpus(&p.spun);
    }
    for r in reference {
        miner.add_reference(r);
    }
    miner.learn_from_list(known.iter().map(|(a, b)| (a.as_str(), b.as_str())));
    let cands = miner.candidates();
    let t_mine = t.elapsed().as_secs_f64();
    // judge without context, inflection-aware, whole phrase
    let judge = Fingerprints::from_pairs(judge_rows.iter().map(|(a, b)| (a.as_str(), b.as_str())));
    let is_good = |c: &unspin_core::mine::Candidate| {
        let len = c.tortured.chars().count();
        judge
            .find(&c.tortured)
            .iter()
            .any(|h| h.start == 0 && h.end == len)
    };
    // partial credit: the candidate is a 2+ word part of a judged phrase
    // ("highlight determination" in "highlight determination calculation")
    let parts: HashSet<String> = judge_rows
        .iter()
        .flat_map(|(t, _)| {
            let w: Vec<String> = t
                .to_lowercase()
                .split_whitespace()
                .map(str::to_string)
                .collect();
            (2..=w.len()).flat_map(move |n| w.windows(n).map(|x| x.join(" ")).collect::<Vec<_>>())
        })
        .collect();
    let is_part = |c: &unspin_core::mine::Candidate| is_good(c) || parts.contains(&c.tortured);
    let n = top.min(cands.len());
    let mut good = 0usize;
    let mut partial = 0usize;
    let mut lines = Vec::new();
    for c in &cands[..n] {
        let ok = is_good(c);
        good += ok as usize;
        partial += is_part(c) as usize;
        if lines.len() < 25 {
            lines.push(format!(
                "{} {} → {} (score {:.2}, learned {}, fit {:.2}, unattested {:.2}, keyness {:.2}, docs {}, established {}, substituted {})",
                if ok {
                    "+"
                } else if is_part(c) {
                    "~"
                } else {
                    "-"
                },
                c.tortured,
                c.expected,
                c.score,
                c.learned,
                c.context_fit,
                c.unattested,
                c.keyness,
                c.docs,
                c.established_count,
                c.substituted
            ));
        }
    }
    let precision = good as f64 / n.max(1) as f64;
    if let Ok(dump) = std::env::var("MINE_DUMP") {
        let mut out = String::new();
        for c in &cands {
            out.push_str(&format!(
                "{}\t{}\t{}\t{:.3}\t{:.3}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.3}\n",
                is_good(c) as u8,
                c.tortured,
                c.expected,
                c.score,
                c.context_fit,
                c.docs,
                c.corpus_count,
                c.established_count,
                c.substituted,
                c.clean_count,
                c.learned,
                c.keyness
            ));
        }
        std::fs::write(format!("{dump}.{}", known.len()), out).expect("dump");
    }
    println!("\n### {what}");
    println!("| metric | value | target |\n|---|---|---|");
    println!("| candidates | {} | |", cands.len());
    println!("| precision of the top {n} | {precision:.2} ({good}/{n}) | ≥ 0.7 |");
    println!(
        "| same, counting parts of listed phrases | {:.2} ({partial}/{n}) | |",
        partial as f64 / n.max(1) as f64
    );
    println!("| time: counting and ranking | {t_mine:.1} s | |");
    println!("top candidates (+ = a judged dev-list phrase, ~ = part of one):");
    for l in lines {
        println!("  {l}");
    }
    precision
}

/// Clean CS abstracts that are not in the evaluation set.
fn read_reference(data: &Path, pairs: &[Pair]) -> Vec<String> {
    let held: HashSet<String> = pairs.iter().map(|p| squeeze(&p.original)).collect();
    let mut reference = Vec::new();
    let abs_path = data.join("abstracts/csabstruct_train.jsonl");
    if let Ok(text) = std::fs::read_to_string(&abs_path) {
        for l in text.lines().filter(|l| !l.trim().is_empty()) {
            let v: Value = serde_json::from_str(l).expect("abstract JSON");
            let s: Vec<&str> = v["sentences"]
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let doc = s.join(" ");
            if !held.contains(&squeeze(&doc)) {
                reference.push(doc);
            }
        }
    } else {
        eprintln!("note: {} not found; mining without it", abs_path.display());
    }
    reference
}

fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

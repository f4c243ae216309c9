//! Trace benchmark: unspin's index vs MinHash-LSH vs plain BM25.
//!
//! Run with `bench/trace/run.sh` (small, a few minutes) or
//! `bench/trace/run.sh --full` (100,000 documents). It builds, on the same
//! documents in the same run:
//!
//! - **unspin**: `unspin_index::Index` (stems + immutable n-grams, then
//!   alignment re-ranking);
//! - **MinHash-LSH** with datatrove's defaults: word 5-gram shingles of the
//!   simplified text, 112 hashes `(a·h + b) mod (2^61 − 1)`, 14 bands × 8
//!   rows; candidates share a band and are ranked by shared bands, then by
//!   equal hashes;
//! - **BM25** on raw words: a tantivy index with its default analyzer,
//!   queried with every distinct word of the suspect.
//!
//! Documents: the BBC and CSAbstruct sources (../shared/data) plus
//! generated distractors, each made of sentences drawn from other documents
//! of the same corpus (same length as a random real document), so
//! distractors share whole sentences with the sources. Queries: spun copies
//! of sampled sources at rates 0.3 and 0.5, made by two differently built
//! spinners: this file's Moby-thesaurus spinner, and `unspin spin`
//! (`unspin_core::spin`, over the built-in model's lexicon) when the
//! built-in model loads. Prints recall@1 and MRR@10 per method, spinner and
//! rate, build MB/s, query p50/p99 and index size per MB of text. A
//! retrieved document whose text is identical to the source's counts as the
//! source (the BBC set holds 59 exact duplicates); near-duplicates do not.
//! `TRACE_BENCH_MISSES=1` prints every query whose source is not ranked
//! first.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rand::rngs::SmallRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value, STORED, STRING, TEXT};
use tantivy::{TantivyDocument, Term};
use unspin_core::text::{Case, Text};

struct Opts {
    docs: usize,
    queries: usize,
    seed: u64,
    work: PathBuf,
}

fn parse_args() -> Opts {
    let mut o = Opts {
        docs: 10_000,
        queries: 100,
        seed: 7,
        work: std::env::temp_dir().join("unspin-trace-bench"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = |name: &str| -> usize {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} needs a number"))
        };
        match a.as_str() {
            "--full" => {
                o.docs = 100_000;
                o.queries = 500;
            }
            "--docs" => o.docs = num("--docs"),
            "--queries" => o.queries = num("--queries"),
            "--seed" => o.seed = num("--seed") as u64,
            "--work" => o.work = PathBuf::from(args.next().expect("--work needs a directory")),
            "--bench" => {} // passed by `cargo bench`
            other => panic!(
                "unknown flag {other} (flags: --full --docs N --queries N --seed N --work DIR)"
            ),
        }
    }
    o
}

struct Doc {
    id: String,
    text: String,
    corpus: usize,
}

fn load(root: &Path) -> Option<Vec<Doc>> {
    let bbc = std::fs::read_to_string(root.join("news-bbc/bbc_dev.jsonl")).ok()?;
    let abs = std::fs::read_to_string(root.join("abstracts/csabstruct_train.jsonl")).ok()?;
    let mut docs = Vec::new();
    for l in bbc.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(l).ok()?;
        docs.push(Doc {
            id: v["id"].as_str()?.to_string(),
            text: v["text"].as_str()?.to_string(),
            corpus: 0,
        });
    }
    for l in abs.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(l).ok()?;
        let sents: Vec<&str> = v["sentences"]
            .as_array()?
            .iter()
            .filter_map(|s| s.as_str())
            .collect();
        docs.push(Doc {
            id: format!("abs-{}", v["abstract_id"]),
            text: sents.join(" "),
            corpus: 1,
        });
    }
    Some(docs)
}

fn sentences(text: &str) -> Vec<String> {
    let t = Text::new(text);
    let spans: Vec<(usize, usize)> = t
        .sentences()
        .filter(|r| !r.is_empty())
        .map(|r| (t.words()[r.start].bytes.start, r.end))
        .collect();
    let mut out = Vec::new();
    for (k, &(start, end_word)) in spans.iter().enumerate() {
        let end = spans.get(k + 1).map_or(text.len(), |s| s.0);
        let _ = end_word;
        out.push(text[start..end].trim().to_string());
    }
    out
}

/// Distractors: each takes its length (in sentences) from a random real
/// document and its sentences from random other documents of that corpus.
fn distractors(docs: &[Doc], n: usize, rng: &mut SmallRng) -> Vec<Doc> {
    let sents: Vec<Vec<Vec<String>>> = (0..2)
        .map(|c| {
            docs.iter()
                .filter(|d| d.corpus == c)
                .map(|d| sentences(&d.text))
                .collect()
        })
        .collect();
    (0..n)
        .map(|i| {
            let c = if rng.gen_bool(0.5) { 0 } else { 1 };
            let pool = &sents[c];
            let len = pool[rng.gen_range(0..pool.len())].len().max(1);
            let mut parts = Vec::with_capacity(len);
            for _ in 0..len {
                let d = &pool[rng.gen_range(0..pool.len())];
                if let Some(s) = d.choose(rng) {
                    parts.push(s.as_str());
                }
            }
            Doc {
                id: format!("distractor-{i}"),
                text: parts.join(if c == 0 { "\n\n" } else { " " }),
                corpus: c,
            }
        })
        .collect()
}

// ---------------------------------------------------------------- spinners

/// A thesaurus spinner of its own make (Moby thesaurus): swaps a share
/// `rate` of the content words that have synonyms for a random one of their
/// first synonyms (words or phrases), keeps capitalisation, spares
/// capitalised words inside sentences (names), and swaps a few function
/// words from a small table.
struct MobySpinner {
    dict: HashMap<String, Vec<String>>,
}

const FUNCTION_SWAPS: &[(&str, &str)] = &[
    ("in", "within"),
    ("while", "whereas"),
    ("also", "additionally"),
    ("was", "was once"),
    ("this", "that"),
    ("during", "throughout"),
    ("about", "regarding"),
    ("but", "however"),
    ("because", "since"),
    ("many", "numerous"),
    ("to", "to be able to"),
    ("for", "for the purpose of"),
];

impl MobySpinner {
    fn new() -> MobySpinner {
        let mut dict = thesaurus::dict();
        for syns in dict.values_mut() {
            syns.retain(|s| {
                !s.is_empty()
                    && s.split(' ').count() <= 3
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c == ' ' || c == '-')
            });
            syns.truncate(12);
        }
        dict.retain(|_, v| !v.is_empty());
        MobySpinner { dict }
    }

    fn spin(&self, text: &str, rate: f64, rng: &mut SmallRng) -> String {
        let t = Text::new(text);
        let mut out = String::with_capacity(text.len() + text.len() / 4);
        let mut cursor = 0;
        for w in t.words() {
            let fw = unspin_index::features::is_function_word(&w.norm);
            let name = !w.sentence_start && w.case != Case::Lower;
            let replacement = if fw {
                FUNCTION_SWAPS
                    .iter()
                    .find(|(f, _)| *f == w.norm)
                    .filter(|_| rng.gen_bool(rate * 0.3))
                    .map(|(_, r)| r.to_string())
            } else if !name && w.norm.len() > 2 {
                match self.dict.get(&w.norm) {
                    Some(syns) if rng.gen_bool(rate) => syns.choose(rng).cloned(),
                    _ => None,
                }
            } else {
                None
            };
            if let Some(r) = replacement {
                out.push_str(&text[cursor..w.bytes.start]);
                out.push_str(&if w.sentence_start {
                    w.case.apply_first(&r)
                } else {
                    w.case.apply(&r)
                });
                cursor = w.bytes.end;
            }
        }
        out.push_str(&text[cursor..]);
        out
    }
}

// ---------------------------------------------------------------- MinHash

const MERSENNE: u64 = (1 << 61) - 1;
const BANDS: usize = 14;
const ROWS: usize = 8;
const N_GRAMS: usize = 5;

/// datatrove's simplify_text, roughly: lower case, punctuation removed,
/// digits folded to 0, whitespace collapsed; then words.
fn simplified_words(text: &str) -> Vec<String> {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            if c.is_ascii_digit() {
                s.push('0');
            } else {
                s.extend(c.to_lowercase());
            }
        } else if c.is_whitespace() {
            s.push(' ');
        }
    }
    s.split_whitespace().map(str::to_string).collect()
}

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

struct MinHash {
    a: Vec<u64>,
    b: Vec<u64>,
}

impl MinHash {
    fn new(seed: u64) -> MinHash {
        let mut rng = SmallRng::seed_from_u64(seed);
        let n = BANDS * ROWS;
        MinHash {
            a: (0..n).map(|_| rng.gen_range(1..MERSENNE)).collect(),
            b: (0..n).map(|_| rng.gen_range(0..MERSENNE)).collect(),
        }
    }

    fn signature(&self, text: &str) -> Vec<u64> {
        let words = simplified_words(text);
        let mut sig = vec![u64::MAX; BANDS * ROWS];
        let n = N_GRAMS.min(words.len().max(1));
        for g in words.windows(n) {
            let h = fnv(&g.join(" ")) & MERSENNE;
            for (k, s) in sig.iter_mut().enumerate() {
                let v = ((u128::from(self.a[k]) * u128::from(h) + u128::from(self.b[k]))
                    % u128::from(MERSENNE)) as u64;
                if v < *s {
                    *s = v;
                }
            }
        }
        sig
    }
}

fn band_keys(sig: &[u64]) -> [u64; BANDS] {
    let mut keys = [0u64; BANDS];
    for (b, k) in keys.iter_mut().enumerate() {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ b as u64;
        for v in &sig[b * ROWS..(b + 1) * ROWS] {
            h = (h ^ v).wrapping_mul(0x0100_0000_01b3).rotate_left(17);
        }
        *k = h;
    }
    keys
}

struct Lsh {
    sigs: Vec<Vec<u64>>,
    buckets: Vec<HashMap<u64, Vec<u32>>>,
}

impl Lsh {
    fn build(mh: &MinHash, docs: &[Doc]) -> Lsh {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let chunk = docs.len().div_ceil(threads).max(1);
        let sigs: Vec<Vec<u64>> = std::thread::scope(|s| {
            let hs: Vec<_> = docs
                .chunks(chunk)
                .map(|c| {
                    s.spawn(move || c.iter().map(|d| mh.signature(&d.text)).collect::<Vec<_>>())
                })
                .collect();
            hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
        });
        let mut buckets = vec![HashMap::new(); BANDS];
        for (i, s) in sigs.iter().enumerate() {
            for (b, k) in band_keys(s).into_iter().enumerate() {
                buckets[b].entry(k).or_insert_with(Vec::new).push(i as u32);
            }
        }
        Lsh { sigs, buckets }
    }

    fn query(&self, mh: &MinHash, text: &str, k: usize) -> Vec<u32> {
        let sig = mh.signature(text);
        let mut shared: HashMap<u32, usize> = HashMap::new();
        for (b, key) in band_keys(&sig).into_iter().enumerate() {
            if let Some(ds) = self.buckets[b].get(&key) {
                for &d in ds {
                    *shared.entry(d).or_insert(0) += 1;
                }
            }
        }
        let mut c: Vec<(usize, usize, u32)> = shared
            .into_iter()
            .map(|(d, n)| {
                (
                    n,
                    self.sigs[d as usize]
                        .iter()
                        .zip(&sig)
                        .filter(|(a, b)| a == b)
                        .count(),
                    d,
                )
            })
            .collect();
        c.sort_by(|a, b| b.cmp(a));
        c.into_iter().take(k).map(|x| x.2).collect()
    }
}

// ---------------------------------------------------------------- harness

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| {
                    let m = e.metadata().unwrap();
                    if m.is_dir() {
                        dir_size(&e.path())
                    } else {
                        m.len()
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

struct Suspect {
    source: usize,
    spinner: &'static str,
    rate: f64,
    text: String,
}

#[derive(Default)]
struct Scores {
    hits1: usize,
    rr: f64,
    n: usize,
}

struct Method {
    name: &'static str,
    build_secs: f64,
    size_bytes: u64,
    latencies: Vec<f64>,
    scores: HashMap<(&'static str, u64), Scores>,
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn evaluate(
    m: &mut Method,
    queries: &[Suspect],
    docs: &[Doc],
    mut run: impl FnMut(&str) -> Vec<usize>,
) {
    let verbose = std::env::var_os("TRACE_BENCH_MISSES").is_some();
    let mut first: HashMap<&str, usize> = HashMap::new();
    let canon: Vec<usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| *first.entry(d.text.as_str()).or_insert(i))
        .collect();
    for q in queries {
        let t = Instant::now();
        let ranked = run(&q.text);
        // documents with the same text as the source (the BBC set has 59
        // exact duplicates) count as the source
        let ranked: Vec<usize> = ranked.into_iter().map(|d| canon[d]).collect();
        if verbose && ranked.first() != Some(&canon[q.source]) {
            println!(
                "miss {} {} {}: source {} ranked {:?}, got {:?}",
                m.name,
                q.spinner,
                q.rate,
                docs[q.source].id,
                ranked.iter().position(|&d| d == canon[q.source]),
                ranked
                    .iter()
                    .take(3)
                    .map(|&d| docs[d].id.as_str())
                    .collect::<Vec<_>>()
            );
        }
        m.latencies.push(t.elapsed().as_secs_f64() * 1e3);
        let s = m
            .scores
            .entry((q.spinner, (q.rate * 100.0) as u64))
            .or_default();
        s.n += 1;
        if let Some(r) = ranked.iter().take(10).position(|&d| d == canon[q.source]) {
            s.rr += 1.0 / (r + 1) as f64;
            if r == 0 {
                s.hits1 += 1;
            }
        }
    }
}

/// WER reduction (PRODUCT.md §5, pooled over a sample of the queries) of restoration
/// by reference, beside the model alone, per spinner and rate.
fn restoration(
    index: &unspin_index::Index,
    model: Option<&unspin_core::Model>,
    queries: &[Suspect],
    docs: &[Doc],
) {
    let Some(model) = model else {
        println!("restoration by reference: skipped (no built-in model)");
        return;
    };
    let unspinner = unspin_core::Unspinner::new(model.clone());
    let words = unspin_core::text::metric_words;
    // (spinner, rate) -> [errors before, after by reference, after by model alone]
    let mut errs: std::collections::BTreeMap<(&str, u64), [usize; 3]> = Default::default();
    // a sample of at most ~400 queries keeps the model's share of the run short
    for q in queries.iter().step_by((queries.len() / 400).max(1)) {
        let orig = words(&docs[q.source].text);
        let by_ref = unspin_index::restore_by_reference(index, &unspinner, &q.text).unwrap();
        let by_model = unspinner.restore(&q.text);
        let e = errs
            .entry((q.spinner, (q.rate * 100.0) as u64))
            .or_default();
        e[0] += unspin_core::eval::edit_distance(&words(&q.text), &orig);
        e[1] += unspin_core::eval::edit_distance(&words(&by_ref.text), &orig);
        e[2] += unspin_core::eval::edit_distance(&words(&by_model.text), &orig);
    }
    println!("\n| restoration (WER reduction) | by reference | model alone |\n|---|---|---|");
    for ((sp, r), e) in errs {
        let red = |after: usize| 1.0 - after as f64 / e[0].max(1) as f64;
        println!(
            "| {sp} {:.1} | {:.3} | {:.3} |",
            r as f64 / 100.0,
            red(e[1]),
            red(e[2])
        );
    }
}

fn main() {
    let o = parse_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let Some(sources) = load(&root) else {
        println!(
            "skipped: the BBC and CSAbstruct data were not found under {}",
            root.display()
        );
        return;
    };
    let mut rng = SmallRng::seed_from_u64(o.seed);
    let n_src = sources.len();
    let mut docs = sources;
    if o.docs > n_src {
        let extra = distractors(&docs, o.docs - n_src, &mut rng);
        docs.extend(extra);
    }
    docs.shuffle(&mut rng);
    let text_bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mb = text_bytes as f64 / 1e6;
    println!(
        "documents: {} ({} sources, {} distractors), {:.1} MB of text",
        docs.len(),
        n_src,
        docs.len().saturating_sub(n_src),
        mb
    );

    // queries: spun copies of sampled sources
    let mut source_idx: Vec<usize> = (0..docs.len())
        .filter(|&i| !docs[i].id.starts_with("distractor-"))
        .collect();
    source_idx.shuffle(&mut rng);
    source_idx.truncate(o.queries);
    let moby = MobySpinner::new();
    let model = unspin_core::Model::builtin();
    if let Err(e) = &model {
        println!("note: `unspin spin` not used (built-in model unavailable: {e})");
    }
    let mut queries = Vec::new();
    for rate in [0.3, 0.5] {
        for (qi, &i) in source_idx.iter().enumerate() {
            queries.push(Suspect {
                source: i,
                spinner: "moby",
                rate,
                text: moby.spin(&docs[i].text, rate, &mut rng),
            });
            if let Ok(model) = &model {
                let sp = unspin_core::spin::Spinner::new(
                    model,
                    unspin_core::spin::SpinOptions {
                        rate,
                        seed: o.seed,
                        ..Default::default()
                    },
                );
                queries.push(Suspect {
                    source: i,
                    spinner: "unspin-spin",
                    rate,
                    text: sp.spin(&docs[i].text, qi as u64),
                });
            }
        }
    }
    println!("queries: {}", queries.len());
    let _ = std::fs::remove_dir_all(&o.work);
    std::fs::create_dir_all(&o.work).unwrap();
    let mut methods = Vec::new();

    // unspin
    {
        let dir = o.work.join("unspin");
        let t = Instant::now();
        let index = unspin_index::Index::create(&dir).unwrap();
        let mut w = index.writer().unwrap();
        for (i, d) in docs.iter().enumerate() {
            w.add(&i.to_string(), &d.text).unwrap();
            if (i + 1) % 20_000 == 0 {
                w.commit().unwrap();
            }
        }
        w.finish().unwrap();
        index.reload().unwrap();
        let mut m = Method {
            name: "unspin",
            build_secs: t.elapsed().as_secs_f64(),
            size_bytes: dir_size(&dir),
            latencies: Vec::new(),
            scores: HashMap::new(),
        };
        evaluate(&mut m, &queries, &docs, |q| {
            index
                .trace(q, 10)
                .unwrap()
                .into_iter()
                .map(|x| x.doc_id.parse().unwrap())
                .collect()
        });
        restoration(&index, model.as_ref().ok(), &queries, &docs);
        methods.push(m);
    }
    // BM25, tantivy's default analyzer
    {
        let dir = o.work.join("bm25");
        std::fs::create_dir_all(&dir).unwrap();
        let t = Instant::now();
        let mut sb = tantivy::schema::Schema::builder();
        let id = sb.add_u64_field("id", STORED);
        let body = sb.add_text_field("body", TEXT);
        let _ = STRING;
        let index = tantivy::Index::create_in_dir(&dir, sb.build()).unwrap();
        let mut w: tantivy::IndexWriter = index.writer(256 << 20).unwrap();
        for (i, d) in docs.iter().enumerate() {
            let mut doc = TantivyDocument::default();
            doc.add_u64(id, i as u64);
            doc.add_text(body, &d.text);
            w.add_document(doc).unwrap();
        }
        w.commit().unwrap();
        w.wait_merging_threads().unwrap();
        let reader = index.reader().unwrap();
        let mut m = Method {
            name: "BM25 (raw words)",
            build_secs: t.elapsed().as_secs_f64(),
            size_bytes: dir_size(&dir),
            latencies: Vec::new(),
            scores: HashMap::new(),
        };
        let mut analyzer = index.tokenizer_for_field(body).unwrap();
        let searcher = reader.searcher();
        evaluate(&mut m, &queries, &docs, |q| {
            let mut terms = std::collections::BTreeSet::new();
            let mut ts = analyzer.token_stream(q);
            while let Some(tok) = ts.next() {
                terms.insert(tok.text.clone());
            }
            let clauses: Vec<(Occur, Box<dyn Query>)> = terms
                .into_iter()
                .map(|t| {
                    let q: Box<dyn Query> = Box::new(TermQuery::new(
                        Term::from_field_text(body, &t),
                        IndexRecordOption::WithFreqs,
                    ));
                    (Occur::Should, q)
                })
                .collect();
            let top = searcher
                .search(&BooleanQuery::new(clauses), &TopDocs::with_limit(10))
                .unwrap();
            top.into_iter()
                .map(|(_, a)| {
                    let d: TantivyDocument = searcher.doc(a).unwrap();
                    d.get_first(id).and_then(|v| v.as_u64()).unwrap() as usize
                })
                .collect()
        });
        methods.push(m);
    }
    // MinHash-LSH, datatrove defaults
    {
        let mh = MinHash::new(1);
        let t = Instant::now();
        let lsh = Lsh::build(&mh, &docs);
        let mut m = Method {
            name: "MinHash-LSH 5-gram 14x8",
            build_secs: t.elapsed().as_secs_f64(),
            // in memory: 112 hashes and 14 bucket entries per document
            size_bytes: (docs.len() * (BANDS * ROWS * 8 + BANDS * 12)) as u64,
            latencies: Vec::new(),
            scores: HashMap::new(),
        };
        evaluate(&mut m, &queries, &docs, |q| {
            lsh.query(&mh, q, 10)
                .into_iter()
                .map(|d| d as usize)
                .collect()
        });
        methods.push(m);
    }

    // report
    let mut groups: Vec<(&'static str, u64)> = methods[0].scores.keys().copied().collect();
    groups.sort();
    let mut header = String::from("| method |");
    let mut rule = String::from("|---|");
    for (sp, r) in &groups {
        header.push_str(&format!(
            " R@1 {sp} {:.1} | MRR@10 {sp} {:.1} |",
            *r as f64 / 100.0,
            *r as f64 / 100.0
        ));
        rule.push_str("---|---|");
    }
    header.push_str(" build MB/s | query p50 ms | query p99 ms | index MB per MB text |");
    rule.push_str("---|---|---|---|");
    println!(
        "\n{} documents, {:.1} MB of text, {} sources queried\n",
        docs.len(),
        mb,
        source_idx.len()
    );
    println!("{header}\n{rule}");
    for m in &mut methods {
        let mut row = format!("| {} |", m.name);
        for g in &groups {
            let s = &m.scores[g];
            row.push_str(&format!(
                " {:.3} | {:.3} |",
                s.hits1 as f64 / s.n as f64,
                s.rr / s.n as f64
            ));
        }
        let p50 = pct(&mut m.latencies, 0.5);
        let p99 = pct(&mut m.latencies, 0.99);
        row.push_str(&format!(
            " {:.1} | {:.2} | {:.2} | {:.2} |",
            mb / m.build_secs,
            p50,
            p99,
            m.size_bytes as f64 / 1e6 / mb
        ));
        println!("{row}");
    }
    let _ = std::fs::remove_dir_all(&o.work);
}

//! Training a trigram language model from plain text.
//!
//! [`CorpusTrainer`] tokenises texts with [`Text`] (lower-cased words,
//! numbers as they are, sentence boundaries from [`Text::sentences`]),
//! pads every sentence as `<s> w1 .. wn </s>` and estimates an
//! *interpolated modified Kneser-Ney* model (Chen & Goodman 1998, as in
//! KenLM's `lmplz`), written in ARPA backoff form.
//!
//! # Estimation
//!
//! - Trigrams keep their raw counts; a bigram's count is the number of
//!   distinct words seen before it ("adjusted count"), except bigrams
//!   starting with `<s>`, which keep raw counts; a unigram's count is the
//!   number of distinct words seen before it.
//! - Each order has three discounts D1, D2, D3+ from its counts of
//!   counts: with Y = t1 / (t1 + 2 t2), Dk = k - (k + 1) Y t(k+1) / tk.
//! - P(w | h) = (c(h w) - D(c(h w))) / c(h ·) + γ(h) P(w | h'), with
//!   γ(h) = (D1 N1(h ·) + D2 N2(h ·) + D3+ N3+(h ·)) / c(h ·); unigrams
//!   interpolate with the uniform distribution over the vocabulary.
//!   Stored n-grams carry the interpolated probability and the backoff
//!   weight of a context is γ(h), so the ARPA backoff rules of
//!   [`crate::lm`] give exactly the interpolated model.
//! - With [`CorpusOptions::prune_singleton_trigrams`], trigrams seen once
//!   are dropped and their discounted mass moves into γ of their context,
//!   so every context still sums to one.
//!
//! # Bounded memory
//!
//! Trigram counts are kept in a hash map of at most
//! [`CorpusOptions::max_entries`] entries; when it fills, it is sorted and
//! spilled to an anonymous temporary file, and at the end the runs are
//! merged (k-way) into one sorted stream. Bigram adjusted counts are
//! derived from that stream with the same bounded counter. What stays in
//! memory is the vocabulary, the unigram table, and the finished model
//! (the stored bigrams and kept trigrams, which the [`LmBuilder`] holds
//! anyway).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::lm::{LmBuilder, BOS, EOS, MAX_VOCAB};
use crate::text::Text;

const ID_BITS: u32 = 21;
const ID_MASK: u64 = (1 << ID_BITS) - 1;
const BOS_ID: u32 = 0;
const EOS_ID: u32 = 1;
/// The log10 probability written for `<s>`, which is never predicted.
const BOS_LOGP: f32 = -99.0;

/// Options of a [`CorpusTrainer`].
#[derive(Clone, Debug)]
pub struct CorpusOptions {
    /// The most n-gram counts held in memory at once before a sorted run
    /// is spilled to a temporary file. An entry costs up to about 40 bytes
    /// at the peak of a spill (hash map plus sort buffer), and the trigram
    /// and bigram counters can be full at the same time, so the default of
    /// 8 million entries stays under about 650 MB.
    pub max_entries: usize,
    /// Drop trigrams seen only once (their probability mass goes to the
    /// backoff weight of their context).
    pub prune_singleton_trigrams: bool,
    /// Where spill files go (the system temporary directory if `None`).
    pub temp_dir: Option<PathBuf>,
}

impl Default for CorpusOptions {
    fn default() -> Self {
        CorpusOptions {
            max_entries: 8_000_000,
            prune_singleton_trigrams: false,
            temp_dir: None,
        }
    }
}

/// Figures of a training run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CorpusStats {
    /// Sentences with at least one word.
    pub sentences: u64,
    /// Words (without `<s>` and `</s>`).
    pub tokens: u64,
    /// Vocabulary size, `<s>` and `</s>` included.
    pub vocab: usize,
    /// Distinct bigrams (all stored).
    pub bigrams: usize,
    /// Distinct trigrams seen.
    pub trigrams_seen: usize,
    /// Trigrams stored (after pruning).
    pub trigrams_kept: usize,
    /// Sorted runs spilled to disk (trigram and bigram counters).
    pub spilled_runs: usize,
    /// Discounts D1, D2, D3+ of unigrams, bigrams and trigrams.
    pub discounts: [[f64; 3]; 3],
}

/// Trains a trigram model from texts; see the module docs.
///
/// ```
/// use unspin_core::train::{CorpusOptions, CorpusTrainer};
/// let mut t = CorpusTrainer::new(CorpusOptions::default());
/// t.add_text("The cat sat on the mat. The dog sat on the log.").unwrap();
/// let builder = t.finish().unwrap();
/// assert_eq!(builder.counts()[0], 9); // 7 words, <s>, </s>
/// ```
pub struct CorpusTrainer {
    opts: CorpusOptions,
    ids: HashMap<String, u32>,
    names: Vec<String>,
    trigrams: Counter,
    sentences: u64,
    tokens: u64,
    sentence: Vec<u32>,
}

impl CorpusTrainer {
    /// A trainer with no text yet.
    pub fn new(opts: CorpusOptions) -> CorpusTrainer {
        let mut ids = HashMap::new();
        ids.insert(BOS.to_string(), BOS_ID);
        ids.insert(EOS.to_string(), EOS_ID);
        let trigrams = Counter::new(opts.max_entries, opts.temp_dir.clone());
        CorpusTrainer {
            opts,
            ids,
            names: vec![BOS.to_string(), EOS.to_string()],
            trigrams,
            sentences: 0,
            tokens: 0,
            sentence: Vec::new(),
        }
    }

    /// Adds one text (any length; it is split into sentences).
    ///
    /// Fails when the vocabulary would exceed [`MAX_VOCAB`] words or a
    /// spill file cannot be written.
    pub fn add_text(&mut self, text: &str) -> Result<()> {
        let t = Text::new(text);
        for range in t.sentences() {
            if range.is_empty() {
                continue;
            }
            self.sentence.clear();
            self.sentence.push(BOS_ID);
            for w in &t.words()[range] {
                let id = match self.ids.get(w.norm.as_str()) {
                    Some(&id) => id,
                    None => {
                        if self.names.len() >= MAX_VOCAB {
                            return Err(Error::Training(format!(
                                "corpus vocabulary above {MAX_VOCAB} words (at {:?})",
                                w.norm
                            )));
                        }
                        let id = self.names.len() as u32;
                        self.names.push(w.norm.clone());
                        self.ids.insert(w.norm.clone(), id);
                        id
                    }
                };
                self.sentence.push(id);
            }
            self.sentence.push(EOS_ID);
            self.sentences += 1;
            self.tokens += self.sentence.len() as u64 - 2;
            for w in self.sentence.windows(3) {
                self.trigrams.add(key3(w[0], w[1], w[2]), 1)?;
            }
        }
        Ok(())
    }

    /// Adds many texts.
    pub fn add_texts<I, S>(&mut self, texts: I) -> Result<()>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for t in texts {
            self.add_text(t.as_ref())?;
        }
        Ok(())
    }

    /// Estimates the model into a new [`LmBuilder`].
    pub fn finish(self) -> Result<LmBuilder> {
        Ok(self.finish_with_stats()?.0)
    }

    /// [`finish`](Self::finish), with figures of the run.
    pub fn finish_with_stats(self) -> Result<(LmBuilder, CorpusStats)> {
        let mut b = LmBuilder::new();
        let stats = self.finish_into(|words, p, bow| b.add(words, p, bow))?;
        Ok((b, stats))
    }

    /// Estimates the model and hands each entry (words, log10 probability,
    /// log10 backoff) to `sink`: trigrams first, then unigrams, then
    /// bigrams, each in a fixed order.
    pub fn finish_into(
        self,
        mut sink: impl FnMut(&[&str], f32, f32) -> Result<()>,
    ) -> Result<CorpusStats> {
        if self.sentences == 0 {
            return Err(Error::Training("the corpus has no words".into()));
        }
        let CorpusTrainer {
            opts,
            names,
            trigrams,
            ..
        } = self;
        let n = names.len();
        let mut stats = CorpusStats {
            sentences: self.sentences,
            tokens: self.tokens,
            vocab: n,
            ..CorpusStats::default()
        };
        let tri = trigrams.finish()?;

        // Pass 1 over trigrams: their counts of counts; bigram adjusted counts.
        let mut t3 = [0u64; 5];
        let mut bigrams = Counter::new(opts.max_entries, opts.temp_dir.clone());
        tri.for_each(|k, c| {
            stats.trigrams_seen += 1;
            count_of_counts(&mut t3, c);
            let (a, b, w) = split3(k);
            bigrams.add(key2(b, w), 1)?;
            if a == BOS_ID {
                bigrams.add(key2(a, b), c)?;
            }
            Ok(())
        })?;
        stats.spilled_runs = tri.runs;
        let bi = bigrams.finish()?;
        stats.spilled_runs += bi.runs;

        // Pass over bigrams: their counts of counts; unigram adjusted counts.
        let mut t2 = [0u64; 5];
        let mut a1 = vec![0u32; n];
        bi.for_each(|k, c| {
            stats.bigrams += 1;
            count_of_counts(&mut t2, c);
            let w = (k & ID_MASK) as usize;
            let slot = a1
                .get_mut(w)
                .ok_or_else(|| internal("word id out of range"))?;
            *slot += 1;
            Ok(())
        })?;
        let mut t1 = [0u64; 5];
        for &c in &a1 {
            count_of_counts(&mut t1, c);
        }
        let d1 = discounts(&t1);
        let d2 = discounts(&t2);
        let d3 = discounts(&t3);
        stats.discounts = [d1, d2, d3];

        // Unigrams: interpolate with the uniform distribution.
        let total1: f64 = a1.iter().map(|&c| c as f64).sum();
        let gamma0 = gamma(&d1, a1.iter().copied(), total1);
        let predictable = (n - 1) as f64; // all but <s>
        let p1: Vec<f64> = a1
            .iter()
            .enumerate()
            .map(|(w, &c)| {
                if w == BOS_ID as usize {
                    0.0
                } else {
                    (c as f64 - disc(&d1, c)).max(0.0) / total1 + gamma0 / predictable
                }
            })
            .collect();

        // Bigrams, grouped by context (the stream is sorted by (b, w)).
        let mut bi_keys: Vec<u64> = Vec::with_capacity(stats.bigrams);
        let mut bi_p: Vec<f64> = Vec::with_capacity(stats.bigrams);
        let mut uni_bow = vec![0f32; n];
        let mut group: Vec<(u64, u32)> = Vec::new();
        let mut flush_bigrams = |group: &mut Vec<(u64, u32)>| {
            let Some(&(k0, _)) = group.first() else {
                return;
            };
            let ctx = (k0 >> ID_BITS) as usize;
            let sum: f64 = group.iter().map(|&(_, c)| c as f64).sum();
            let g = gamma(&d2, group.iter().map(|&(_, c)| c), sum);
            for &(k, c) in group.iter() {
                let w = (k & ID_MASK) as usize;
                let p = (c as f64 - disc(&d2, c)).max(0.0) / sum + g * p1[w];
                bi_keys.push(k);
                bi_p.push(p);
            }
            uni_bow[ctx] = log10(g);
            group.clear();
        };
        bi.for_each(|k, c| {
            if group
                .first()
                .is_some_and(|&(k0, _)| k0 >> ID_BITS != k >> ID_BITS)
            {
                flush_bigrams(&mut group);
            }
            group.push((k, c));
            Ok(())
        })?;
        flush_bigrams(&mut group);
        let mut bi_bow = vec![0f32; bi_keys.len()];

        // Trigrams, grouped by context (the stream is sorted by (a, b, w)).
        let prune = opts.prune_singleton_trigrams;
        let find_bi = |k: u64| {
            bi_keys
                .binary_search(&k)
                .map_err(|_| internal("bigram missing"))
        };
        let mut tgroup: Vec<(u64, u32)> = Vec::new();
        let mut kept = 0usize;
        let mut flush_trigrams = |group: &mut Vec<(u64, u32)>| -> Result<()> {
            let Some(&(k0, _)) = group.first() else {
                return Ok(());
            };
            let (a, b, _) = split3(k0);
            let sum: f64 = group.iter().map(|&(_, c)| c as f64).sum();
            let g = gamma(&d3, group.iter().map(|&(_, c)| c), sum);
            // Kept trigrams keep their interpolated probability; the backoff
            // weight then gives the context exactly the mass left over
            // (equal to g when nothing is pruned).
            let (mut kept_p, mut kept_lower, mut pruned_any) = (0f64, 0f64, false);
            for &(k, c) in group.iter() {
                if prune && c == 1 {
                    pruned_any = true;
                    continue;
                }
                let (_, _, w) = split3(k);
                let lower = bi_p[find_bi(key2(b, w))?];
                let p = (c as f64 - disc(&d3, c)).max(0.0) / sum + g * lower;
                kept_p += p;
                kept_lower += lower;
                sink(
                    &[&names[a as usize], &names[b as usize], &names[w as usize]],
                    log10(p),
                    0.0,
                )?;
                kept += 1;
            }
            let bow = if pruned_any {
                ((1.0 - kept_p).max(0.0) / (1.0 - kept_lower).max(1e-12)).max(1e-12)
            } else {
                g
            };
            bi_bow[find_bi(key2(a, b))?] = log10(bow);
            group.clear();
            Ok(())
        };
        tri.for_each(|k, c| {
            if tgroup
                .first()
                .is_some_and(|&(k0, _)| k0 >> ID_BITS != k >> ID_BITS)
            {
                flush_trigrams(&mut tgroup)?;
            }
            tgroup.push((k, c));
            Ok(())
        })?;
        flush_trigrams(&mut tgroup)?;
        stats.trigrams_kept = kept;

        for (w, name) in names.iter().enumerate() {
            let p = if w == BOS_ID as usize {
                BOS_LOGP
            } else {
                log10(p1[w])
            };
            sink(&[name], p, uni_bow[w])?;
        }
        for (i, &k) in bi_keys.iter().enumerate() {
            let (b, w) = ((k >> ID_BITS) as usize, (k & ID_MASK) as usize);
            sink(&[&names[b], &names[w]], log10(bi_p[i]), bi_bow[i])?;
        }
        Ok(stats)
    }
}

fn internal(what: &str) -> Error {
    Error::Training(format!("internal error in the corpus trainer: {what}"))
}

fn log10(p: f64) -> f32 {
    if p > 0.0 {
        p.log10() as f32
    } else {
        BOS_LOGP
    }
}

fn key3(a: u32, b: u32, c: u32) -> u64 {
    ((a as u64) << (2 * ID_BITS)) | ((b as u64) << ID_BITS) | c as u64
}
fn key2(a: u32, b: u32) -> u64 {
    ((a as u64) << ID_BITS) | b as u64
}
fn split3(k: u64) -> (u32, u32, u32) {
    (
        (k >> (2 * ID_BITS)) as u32,
        ((k >> ID_BITS) & ID_MASK) as u32,
        (k & ID_MASK) as u32,
    )
}

/// Tallies a count for [`discounts`]: `t[k]` = n-grams seen exactly `k`
/// times, for `k` in 1..=4.
fn count_of_counts(t: &mut [u64; 5], c: u32) {
    if (1..=4).contains(&c) {
        t[c as usize] += 1;
    }
}

/// Modified Kneser-Ney discounts D1, D2, D3+ from counts of counts
/// (`t[k]` = n-grams seen exactly k times, k = 1..=4). Degenerate
/// statistics (tiny corpora) fall back to 0.5, 1.0, 1.5.
fn discounts(t: &[u64; 5]) -> [f64; 3] {
    let fallback = [0.5, 1.0, 1.5];
    let [_, t1, t2, t3, t4] = t.map(|x| x as f64);
    if t1 == 0.0 {
        return fallback;
    }
    let y = t1 / (t1 + 2.0 * t2);
    let mut d = [
        1.0 - 2.0 * y * t2 / t1,
        2.0 - 3.0 * y * t3 / t2,
        3.0 - 4.0 * y * t4 / t3,
    ];
    for (k, dk) in d.iter_mut().enumerate() {
        if !(dk.is_finite() && *dk > 0.0 && *dk < (k + 1) as f64) {
            *dk = fallback[k];
        }
    }
    d
}

fn disc(d: &[f64; 3], c: u32) -> f64 {
    match c {
        0 => 0.0,
        1 => d[0],
        2 => d[1],
        _ => d[2],
    }
}

/// The interpolation weight of a context whose continuations have counts
/// `counts`, summing to `sum`.
fn gamma(d: &[f64; 3], counts: impl Iterator<Item = u32>, sum: f64) -> f64 {
    if sum <= 0.0 {
        return 1.0;
    }
    counts.map(|c| disc(d, c).min(c as f64)).sum::<f64>() / sum
}

/// Hashes the packed n-gram keys of [`Counter`] with the splitmix64
/// finaliser: several times faster than SipHash for `u64` keys, and the
/// keys are ids we assign, so flooding is not a concern.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(self.0 ^ b as u64);
        }
    }
    fn write_u64(&mut self, n: u64) {
        let mut z = n.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        self.0 = z ^ (z >> 31);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// An n-gram counter that holds at most `max_entries` keys in memory and
/// spills sorted runs to temporary files.
struct Counter {
    map: HashMap<u64, u32, BuildHasherDefault<KeyHasher>>,
    runs: Vec<File>,
    max_entries: usize,
    dir: Option<PathBuf>,
}

/// Bytes of one spilled record: key (u64) and count (u32), little-endian.
const RECORD: usize = 12;

impl Counter {
    fn new(max_entries: usize, dir: Option<PathBuf>) -> Counter {
        Counter {
            map: HashMap::default(),
            runs: Vec::new(),
            max_entries: max_entries.max(1),
            dir,
        }
    }

    fn add(&mut self, key: u64, n: u32) -> Result<()> {
        let e = self.map.entry(key).or_insert(0);
        *e = e.saturating_add(n);
        if self.map.len() >= self.max_entries {
            self.spill()?;
        }
        Ok(())
    }

    fn temp(&self) -> Result<File> {
        Ok(match &self.dir {
            Some(d) => tempfile::tempfile_in(d)?,
            None => tempfile::tempfile()?,
        })
    }

    fn sorted_entries(&mut self) -> Vec<(u64, u32)> {
        let mut v: Vec<(u64, u32)> = self.map.drain().collect();
        v.sort_unstable_by_key(|e| e.0);
        self.map.shrink_to(self.max_entries.min(1 << 20));
        v
    }

    fn spill(&mut self) -> Result<()> {
        let entries = self.sorted_entries();
        let mut f = self.temp()?;
        {
            let mut w = BufWriter::new(&mut f);
            for (k, c) in entries {
                w.write_all(&k.to_le_bytes())?;
                w.write_all(&c.to_le_bytes())?;
            }
            w.flush()?;
        }
        self.runs.push(f);
        Ok(())
    }

    /// All counts, sorted by key, equal keys summed.
    fn finish(mut self) -> Result<Sorted> {
        if self.runs.is_empty() {
            return Ok(Sorted {
                data: SortedData::Memory(self.sorted_entries()),
                runs: 0,
            });
        }
        if !self.map.is_empty() {
            self.spill()?;
        }
        let runs = self.runs.len();
        let mut readers = Vec::with_capacity(runs);
        for f in &mut self.runs {
            f.seek(SeekFrom::Start(0))?;
            readers.push(RunReader::new(f.try_clone()?));
        }
        let mut heap = BinaryHeap::with_capacity(runs);
        for (i, r) in readers.iter_mut().enumerate() {
            if let Some((k, c)) = r.next()? {
                heap.push(Reverse((k, i, c)));
            }
        }
        let mut out = self.temp()?;
        {
            let mut w = BufWriter::new(&mut out);
            let mut cur: Option<(u64, u32)> = None;
            while let Some(Reverse((k, i, c))) = heap.pop() {
                cur = match cur {
                    Some((ck, cc)) if ck == k => Some((ck, cc.saturating_add(c))),
                    Some((ck, cc)) => {
                        w.write_all(&ck.to_le_bytes())?;
                        w.write_all(&cc.to_le_bytes())?;
                        Some((k, c))
                    }
                    None => Some((k, c)),
                };
                if let Some((k2, c2)) = readers[i].next()? {
                    heap.push(Reverse((k2, i, c2)));
                }
            }
            if let Some((ck, cc)) = cur {
                w.write_all(&ck.to_le_bytes())?;
                w.write_all(&cc.to_le_bytes())?;
            }
            w.flush()?;
        }
        Ok(Sorted {
            data: SortedData::Disk(out),
            runs,
        })
    }
}

struct RunReader {
    r: BufReader<File>,
}

impl RunReader {
    fn new(f: File) -> RunReader {
        RunReader {
            r: BufReader::with_capacity(1 << 16, f),
        }
    }

    fn next(&mut self) -> Result<Option<(u64, u32)>> {
        let mut buf = [0u8; RECORD];
        let mut got = 0;
        while got < RECORD {
            match self.r.read(&mut buf[got..])? {
                0 if got == 0 => return Ok(None),
                0 => return Err(internal("spill file ends inside a record")),
                k => got += k,
            }
        }
        let mut k = [0u8; 8];
        k.copy_from_slice(&buf[..8]);
        let mut c = [0u8; 4];
        c.copy_from_slice(&buf[8..]);
        Ok(Some((u64::from_le_bytes(k), u32::from_le_bytes(c))))
    }
}

/// A sorted stream of counts that can be read more than once.
struct Sorted {
    data: SortedData,
    runs: usize,
}

enum SortedData {
    Memory(Vec<(u64, u32)>),
    Disk(File),
}

impl Sorted {
    fn for_each(&self, mut f: impl FnMut(u64, u32) -> Result<()>) -> Result<()> {
        match &self.data {
            SortedData::Memory(v) => v.iter().try_for_each(|&(k, c)| f(k, c)),
            SortedData::Disk(file) => {
                let mut file = file.try_clone()?;
                file.seek(SeekFrom::Start(0))?;
                let mut r = RunReader::new(file);
                while let Some((k, c)) = r.next()? {
                    f(k, c)?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::LexiconBuilder;
    use crate::model::{write_model, Model, Params};
    use crate::train::testing::{bbc_split, perplexity};

    const CORPUS: &[&str] = &[
        "The cold war ended. The war was cold and long!",
        "A cold wind blew over the hills. The wind was cold.",
        "The United States and the United Kingdom signed the treaty in 1987.",
        "Researchers conduct joint workout routines every day. They conduct research.",
        "The cat sat on the mat. The dog sat on the log. The cat saw the dog.",
        "It was a long war. It was a cold night. The night was long.",
        "Numbers like 3.5 and 42 stay as they are; the cat ate 42 fish.",
    ];

    type Entry = (Vec<String>, f32, f32);

    fn entries(opts: CorpusOptions) -> (Vec<Entry>, CorpusStats) {
        let mut t = CorpusTrainer::new(opts);
        t.add_texts(CORPUS).unwrap();
        let mut out = Vec::new();
        let stats = t
            .finish_into(|w, p, b| {
                out.push((w.iter().map(|s| s.to_string()).collect(), p, b));
                Ok(())
            })
            .unwrap();
        (out, stats)
    }

    fn model(opts: CorpusOptions) -> Model {
        let mut t = CorpusTrainer::new(opts);
        t.add_texts(CORPUS).unwrap();
        let lm = t.finish().unwrap().build().unwrap();
        Model::from_bytes(&write_model(
            &lm,
            &LexiconBuilder::new().build(),
            &Params::default(),
        ))
        .unwrap()
    }

    fn vocab() -> Vec<String> {
        let (e, _) = entries(CorpusOptions::default());
        e.into_iter()
            .filter(|x| x.0.len() == 1)
            .map(|x| x.0[0].clone())
            .collect()
    }

    fn assert_contexts_sum_to_one(opts: CorpusOptions) {
        let m = model(opts);
        let lm = m.lm();
        let words = vocab();
        let ids: Vec<Option<u32>> = words.iter().map(|w| lm.id(w)).collect();
        assert!(ids.iter().all(|i| i.is_some()));
        let id = |w: &str| lm.id(w);
        let contexts = [
            (None, None),
            (None, id("cold")),
            (None, id("the")),
            (None, id("<s>")),
            (id("the"), id("cold")),
            (id("<s>"), id("the")),
            (id("the"), id("united")),
            (id("was"), id("cold")),
            (id("cat"), id("sat")),
            (id("zebra"), id("sat")),
        ];
        for ctx in contexts {
            let sum: f64 = ids
                .iter()
                .map(|&w| 10f64.powf(lm.logp(ctx, w) as f64))
                .sum();
            assert!((sum - 1.0).abs() < 0.005, "context {ctx:?} sums to {sum}");
        }
    }

    #[test]
    fn every_context_sums_to_one() {
        assert_contexts_sum_to_one(CorpusOptions::default());
    }

    #[test]
    fn pruned_contexts_still_sum_to_one() {
        let opts = CorpusOptions {
            prune_singleton_trigrams: true,
            ..CorpusOptions::default()
        };
        let (_, stats) = entries(opts.clone());
        assert!(stats.trigrams_kept < stats.trigrams_seen);
        assert_contexts_sum_to_one(opts);
    }

    #[test]
    fn spilling_gives_the_same_model() {
        let (mem, s1) = entries(CorpusOptions::default());
        assert_eq!(s1.spilled_runs, 0);
        for budget in [1, 3, 17] {
            let (disk, s2) = entries(CorpusOptions {
                max_entries: budget,
                ..CorpusOptions::default()
            });
            assert!(
                s2.spilled_runs > 2,
                "budget {budget}: {} runs",
                s2.spilled_runs
            );
            assert_eq!(mem, disk, "budget {budget}");
            assert_eq!(s1.trigrams_seen, s2.trigrams_seen);
        }
    }

    #[test]
    fn counts_and_probabilities_are_sensible() {
        let (e, s) = entries(CorpusOptions::default());
        let expected: usize = CORPUS
            .iter()
            .map(|c| Text::new(c).sentences().filter(|r| !r.is_empty()).count())
            .sum();
        assert_eq!(s.sentences, expected as u64);
        assert!(s.sentences >= 14);
        assert!(e
            .iter()
            .all(|x| x.1 <= 0.0 && x.1.is_finite() && x.2.is_finite()));
        // numbers are words as the tokeniser gives them
        assert!(e.iter().any(|x| x.0 == ["42"]) && e.iter().any(|x| x.0 == ["1987"]));
        assert!(e.iter().any(|x| x.0 == ["<s>", "the", "cat"]));
        let m = model(CorpusOptions::default());
        let lm = m.lm();
        let id = |w: &str| lm.id(w);
        assert!(lm.logp((None, id("cold")), id("war")) > lm.logp((None, id("cold")), id("mat")));
        let united = |w: &str| lm.logp((id("the"), id("united")), id(w));
        eprintln!(
            "P(states | the united) = {}, discounts {:?}",
            united("states"),
            s.discounts
        );
        assert!(united("states") > united("cat") + 1.0);
        assert!((united("states") - united("kingdom")).abs() < 1e-3);
        assert!(
            lm.sentence_logp(&["the", "cat", "sat", "on", "the", "mat"])
                > lm.sentence_logp(&["mat", "the", "on", "sat", "cat", "the"])
        );
    }

    #[test]
    fn empty_corpus_is_an_error() {
        let mut t = CorpusTrainer::new(CorpusOptions::default());
        t.add_text("  ... !? ").unwrap();
        assert!(t.finish().is_err());
    }

    #[test]
    fn trains_on_bbc_news() {
        let Some((train, test)) = bbc_split() else {
            return;
        };
        let run = |opts: CorpusOptions| {
            let t0 = std::time::Instant::now();
            let mut t = CorpusTrainer::new(opts);
            t.add_texts(&train).unwrap();
            let mut out: Vec<Entry> = Vec::new();
            let stats = t
                .finish_into(|w, p, b| {
                    out.push((w.iter().map(|s| s.to_string()).collect(), p, b));
                    Ok(())
                })
                .unwrap();
            let trained = t0.elapsed();
            let mut b = LmBuilder::new();
            for (w, p, bo) in &out {
                let w: Vec<&str> = w.iter().map(|s| s.as_str()).collect();
                b.add(&w, *p, *bo).unwrap();
            }
            let lm = b.build().unwrap();
            let m = Model::from_bytes(&write_model(
                &lm,
                &LexiconBuilder::new().build(),
                &Params::default(),
            ))
            .unwrap();
            let ppl = perplexity(&m, &test);
            eprintln!("{stats:?}\n  trained in {trained:?}, held-out perplexity {ppl:.1}");
            (out, stats, ppl)
        };
        let (full, s_full, ppl_full) = run(CorpusOptions::default());
        let (spilled, s_spill, _) = run(CorpusOptions {
            max_entries: 100_000,
            ..CorpusOptions::default()
        });
        assert!(s_spill.spilled_runs >= 4, "{s_spill:?}");
        assert!(full == spilled, "spilled model differs");
        let (_, s_pruned, ppl_pruned) = run(CorpusOptions {
            prune_singleton_trigrams: true,
            ..CorpusOptions::default()
        });
        assert!(s_full.tokens > 500_000, "{s_full:?}");
        assert!(s_pruned.trigrams_kept * 3 < s_full.trigrams_kept);
        // A trigram KN model of ~0.7M words of news: a few hundred.
        assert!((50.0..600.0).contains(&ppl_full), "perplexity {ppl_full}");
        // (0.6M words is little: singletons carry much of the signal)
        assert!(
            ppl_pruned < ppl_full * 1.35,
            "pruned {ppl_pruned} vs {ppl_full}"
        );
        // The same counts without the trigrams (back off to bigrams) are worse.
        let mut b = LmBuilder::new();
        for (w, p, bo) in full.iter().filter(|e| e.0.len() < 3) {
            let w: Vec<&str> = w.iter().map(|s| s.as_str()).collect();
            b.add(&w, *p, *bo).unwrap();
        }
        let lm = b.build().unwrap();
        let m = Model::from_bytes(&write_model(
            &lm,
            &LexiconBuilder::new().build(),
            &Params::default(),
        ))
        .unwrap();
        let ppl_bi = perplexity(&m, &test);
        eprintln!("bigram part alone: perplexity {ppl_bi:.1}");
        assert!(
            ppl_full < ppl_bi,
            "trigrams do not help: {ppl_full} vs {ppl_bi}"
        );
    }

    #[test]
    fn discounts_follow_the_formula() {
        let d = discounts(&[0, 100, 40, 20, 10]);
        let y = 100.0 / 180.0;
        assert!((d[0] - (1.0 - 2.0 * y * 0.4)).abs() < 1e-12);
        assert!((d[1] - (2.0 - 3.0 * y * 0.5)).abs() < 1e-12);
        assert!((d[2] - (3.0 - 4.0 * y * 0.5)).abs() < 1e-12);
        assert_eq!(discounts(&[0, 0, 0, 0, 0]), [0.5, 1.0, 1.5]);
        // an out-of-range D3+ falls back alone
        assert_eq!(discounts(&[0, 100, 40, 20, 30])[2], 1.5);
    }
}

//! Reader for CMU Sphinx binary trie language models.
//!
//! sphinxbase and pocketsphinx store n-gram models (up to trigrams here) in
//! a "Trie Language Model" file, e.g. `en-us.lm.bin` of the Debian package
//! `pocketsphinx-en-us` (BSD-2 licence). [`read_sphinx_trie`] decodes every
//! n-gram of such a file and adds it to an [`LmBuilder`] in ARPA form.
//!
//! # The format (little-endian, as written on x86)
//!
//! | part | layout |
//! |------|--------|
//! | magic | the 19 bytes `Trie Language Model` |
//! | order | one byte, N |
//! | counts | N × `u32`: number of 1-grams, 2-grams, ... |
//! | quantiser | (N > 1) one `i32` (ignored), then float tables of 2^16 bins each: for every middle order a probability table and a backoff table, then a probability table for the highest order |
//! | unigrams | (count₁ + 1) × `{f32 prob, f32 backoff, u32 next}`; the last one is a sentinel whose `next` ends the range of the one before |
//! | n-gram memory | (N > 1) one bit-packed array per order 2..N |
//! | words | `i32` byte length, then the words, each ended by a NUL byte, in id order |
//!
//! Scores are in the units of sphinx's `logmath` with base 1.0001 (a
//! log10 value is the stored value × log10(1.0001)); the base is not in the
//! file, see [`SphinxOptions::log_base`].
//!
//! The trie is *reversed*: a unigram `w` points at a range of middle
//! entries holding the word *before* `w`; a middle entry `v` under `w`
//! holds P(w | v) and the backoff of the context "v w", and points at a
//! range of highest-order entries holding the word before `v`. Entries
//! are bit-packed: a middle entry is `[word: ⌈log2(count₁+1)⌉ bits]
//! [backoff bin: 16][prob bin: 16][next: ⌈log2(count₃+1)⌉ bits]`, a
//! highest-order entry is `[word][prob bin: 16]`; each array has one extra
//! entry whose `next` closes the last range. A field at bit offset `o` is
//! read as the little-endian `u32` at byte `o / 8`, shifted right by
//! `o % 8` and masked. The header counts may exceed the entries really
//! stored (sphinx reserves room for padding n-grams it may insert); the
//! sentinel pointers give the true numbers.
//!
//! sphinx may insert "padding" bigrams so that a trigram whose bigram
//! suffix was pruned stays reachable; they carry the backed-off
//! probability and a zero backoff, so adding them as ordinary entries does
//! not change any probability.

use crate::error::{Error, Result};
use crate::lm::{LmBuilder, BOS, EOS};
use crate::text::normalize_word;

/// The magic bytes at the start of a sphinx trie language model.
pub const MAGIC: &[u8] = b"Trie Language Model";
const DMP_MAGIC: &[u8] = b"Darpa Trigram LM";
/// Bits of a quantised probability or backoff (sphinxbase uses 16).
const QUANT_BITS: u32 = 16;
const BINS: usize = 1 << QUANT_BITS;
/// The floor for decoded log10 probabilities (ARPA's "never").
const LOGP_FLOOR: f32 = -99.0;

/// How to read a sphinx model.
#[derive(Clone, Debug)]
pub struct SphinxOptions {
    /// The base of the logarithms in the file: sphinx's `-logbase` when
    /// the file was written (1.0001 unless changed). A wrong base shows as
    /// [`SphinxStats::unigram_mass`] far from 1.
    pub log_base: f64,
}

impl Default for SphinxOptions {
    fn default() -> Self {
        SphinxOptions { log_base: 1.0001 }
    }
}

/// What [`read_sphinx_trie`] found and added.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SphinxStats {
    /// The n-gram order of the file (1 to 3).
    pub order: u8,
    /// The n-gram counts in the header (see the module docs: they may
    /// exceed the stored entries).
    pub header_counts: Vec<u32>,
    /// The n-grams stored in the file, per order.
    pub stored_counts: Vec<usize>,
    /// The n-grams added to the builder, per order (stored ones minus
    /// those with a skipped word).
    pub added_counts: Vec<usize>,
    /// Special words that were left out (e.g. `<UNK>`), with every n-gram
    /// that contains them.
    pub skipped_words: Vec<String>,
    /// Words whose lower-case form equals that of a more probable word
    /// (e.g. `US` next to `us`); they are left out like special words.
    pub case_duplicates: usize,
    /// n-grams left out because they contain a skipped word.
    pub skipped_ngrams: usize,
    /// The total probability of the unigrams (except `<s>`): about 1 for
    /// a well-formed model read with the right [`SphinxOptions::log_base`].
    pub unigram_mass: f64,
}

/// Reads a sphinx trie model (log base 1.0001) into `builder`.
///
/// Words are lower-cased; `<s>` and `</s>` are kept; other special words
/// in angle brackets (`<UNK>`, `<sil>`...) are skipped with their n-grams.
/// Fails with [`Error::Training`] for input that is not a sphinx trie
/// model and with [`Error::CorruptModel`] for a truncated or inconsistent
/// one; never panics.
pub fn read_sphinx_trie(bytes: &[u8], builder: &mut LmBuilder) -> Result<SphinxStats> {
    read_sphinx_trie_with(bytes, &SphinxOptions::default(), builder)
}

/// [`read_sphinx_trie`] with options.
pub fn read_sphinx_trie_with(
    bytes: &[u8],
    opts: &SphinxOptions,
    builder: &mut LmBuilder,
) -> Result<SphinxStats> {
    if !(opts.log_base.is_finite() && opts.log_base > 1.0) {
        return Err(Error::Training(format!(
            "sphinx log base must be above 1, got {}",
            opts.log_base
        )));
    }
    let trie = Trie::parse(bytes)?;
    trie.emit(opts.log_base.log10(), builder)
}

fn corrupt(reason: impl Into<String>) -> Error {
    Error::CorruptModel {
        what: "sphinx trie language model".into(),
        reason: reason.into(),
    }
}

/// A cursor over the file that reports truncation instead of panicking.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or_else(|| {
                corrupt(format!(
                    "truncated: {what} needs {n} bytes at offset {}, file has {}",
                    self.pos,
                    self.bytes.len()
                ))
            })?;
        let s = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(s)
    }
    fn u32(&mut self, what: &str) -> Result<u32> {
        let b = self.take(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

fn f32_at(b: &[u8], i: usize) -> f32 {
    f32::from_le_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]])
}
fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]])
}

/// sphinx's `bitarr_required_bits`: bits to hold values up to `max`.
fn required_bits(max: u32) -> u32 {
    32 - max.leading_zeros()
}

/// A bit-packed array of one n-gram order.
struct Packed<'a> {
    mem: &'a [u8],
    total_bits: u64,
    word_bits: u32,
    /// bits of the next pointer (0 for the highest order)
    next_bits: u32,
    /// entries really stored (from the pointers of the order below)
    len: usize,
}

impl Packed<'_> {
    fn field(&self, bit: u64, len: u32) -> Result<u32> {
        let byte = (bit >> 3) as usize;
        let b = self
            .mem
            .get(byte..byte + 4)
            .ok_or_else(|| corrupt(format!("n-gram field at bit {bit} lies outside its array")))?;
        let v = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) >> (bit & 7);
        Ok(if len >= 32 {
            v
        } else {
            v & ((1u32 << len) - 1)
        })
    }
    fn word(&self, i: usize) -> Result<u32> {
        self.field(i as u64 * self.total_bits, self.word_bits)
    }
    /// (backoff bin, probability bin) of a middle entry.
    fn middle_quant(&self, i: usize) -> Result<(u32, u32)> {
        let at = i as u64 * self.total_bits + self.word_bits as u64;
        Ok((
            self.field(at, QUANT_BITS)?,
            self.field(at + QUANT_BITS as u64, QUANT_BITS)?,
        ))
    }
    fn longest_prob(&self, i: usize) -> Result<u32> {
        self.field(
            i as u64 * self.total_bits + self.word_bits as u64,
            QUANT_BITS,
        )
    }
    /// The next pointer of entry `i` (valid for `i` up to the length, the
    /// extra entry closing the last range).
    fn next(&self, i: usize) -> Result<u32> {
        let at = (i as u64 + 1) * self.total_bits - self.next_bits as u64;
        self.field(at, self.next_bits)
    }
}

/// sphinx's `base_size`: bytes of an array of `entries` (+1) entries.
fn array_size(entries: u32, total_bits: u64) -> usize {
    (((1 + entries as u64) * total_bits).div_ceil(8) + 8) as usize
}

struct Trie<'a> {
    order: u8,
    counts: Vec<u32>,
    /// probability (and backoff) bin tables: for order 2 in a trigram
    /// model `[prob, bo]`, for the highest order `[prob]`
    middle_prob: &'a [u8],
    middle_bo: &'a [u8],
    longest_prob: &'a [u8],
    unigrams: &'a [u8],
    middle: Option<Packed<'a>>,
    longest: Option<Packed<'a>>,
    words: Vec<&'a str>,
}

impl<'a> Trie<'a> {
    fn parse(bytes: &'a [u8]) -> Result<Trie<'a>> {
        if !bytes.starts_with(MAGIC) {
            let hint = if bytes.get(4..4 + DMP_MAGIC.len()) == Some(DMP_MAGIC) {
                " (it is the older DMP format: convert it with `sphinx_lm_convert -ofmt bin`)"
            } else if bytes.windows(6).take(4096).any(|w| w == b"\\data\\") {
                " (it looks like a text ARPA model)"
            } else {
                ""
            };
            return Err(Error::Training(format!(
                "not a sphinx trie language model: it does not start with {:?}{hint}",
                String::from_utf8_lossy(MAGIC)
            )));
        }
        let mut c = Cursor {
            bytes,
            pos: MAGIC.len(),
        };
        let order = c.take(1, "order")?[0];
        if !(1..=3).contains(&order) {
            return Err(Error::Training(format!(
                "sphinx model of order {order}: only orders 1 to 3 are supported"
            )));
        }
        let mut counts = Vec::with_capacity(order as usize);
        for n in 1..=order {
            counts.push(c.u32(&format!("{n}-gram count"))?);
        }
        let n1 = counts[0];
        if n1 == 0 || n1 as usize > crate::lm::MAX_VOCAB || counts.iter().any(|&k| k >= 1 << 25) {
            return Err(corrupt(format!(
                "implausible n-gram counts {counts:?} (at most {} words and 2^25 n-grams)",
                crate::lm::MAX_VOCAB
            )));
        }
        let table = BINS * 4;
        let (mut middle_prob, mut middle_bo, mut longest_prob): (&[u8], &[u8], &[u8]) =
            (&[], &[], &[]);
        if order > 1 {
            c.take(4, "quantiser header")?;
            if order == 3 {
                middle_prob = c.take(table, "bigram probability bins")?;
                middle_bo = c.take(table, "bigram backoff bins")?;
            }
            longest_prob = c.take(table, "highest-order probability bins")?;
        }
        let unigrams = c.take(12 * (n1 as usize + 1), "unigram table")?;
        // Unigram next pointers must rise and stay within the order above.
        let next_cap = counts.get(1).copied().unwrap_or(0);
        let mut last = 0;
        for i in 0..=n1 as usize {
            let next = u32_at(unigrams, 3 * i + 2);
            if order > 1 && (next < last || next > next_cap) {
                return Err(corrupt(format!(
                    "unigram {i} points at bigram {next} (previous {last}, at most {next_cap})"
                )));
            }
            last = next;
        }
        let stored_bigrams = last as usize;
        let word_bits = required_bits(n1);
        let (mut middle, mut longest) = (None, None);
        if order == 3 {
            let next_bits = required_bits(counts[2]);
            let total_bits = word_bits as u64 + 2 * QUANT_BITS as u64 + next_bits as u64;
            let mem = c.take(array_size(counts[1], total_bits), "bigram array")?;
            middle = Some(Packed {
                mem,
                total_bits,
                word_bits,
                next_bits,
                len: stored_bigrams,
            });
        }
        if order > 1 {
            let top = counts[order as usize - 1];
            let total_bits = word_bits as u64 + QUANT_BITS as u64;
            let mem = c.take(array_size(top, total_bits), "highest-order array")?;
            let len = match &middle {
                Some(m) => {
                    // the pointers of the bigram array must rise too
                    let mut last = 0;
                    for i in 0..=m.len {
                        let next = m.next(i)?;
                        if next < last || next > top {
                            return Err(corrupt(format!(
                                "bigram {i} points at trigram {next} (previous {last}, at most {top})"
                            )));
                        }
                        last = next;
                    }
                    last as usize
                }
                None => stored_bigrams,
            };
            longest = Some(Packed {
                mem,
                total_bits,
                word_bits,
                next_bits: 0,
                len,
            });
        }
        let k = c.u32("word list length")? as usize;
        let text = c.take(k, "word list")?;
        if c.pos != bytes.len() {
            return Err(corrupt(format!(
                "{} unexpected bytes after the word list",
                bytes.len() - c.pos
            )));
        }
        let mut words = Vec::with_capacity(n1 as usize);
        for (i, w) in text.split(|&b| b == 0).enumerate() {
            if i == n1 as usize {
                if !w.is_empty() {
                    return Err(corrupt("word list has more words than unigrams"));
                }
                break;
            }
            let w =
                std::str::from_utf8(w).map_err(|_| corrupt(format!("word {i} is not UTF-8")))?;
            words.push(w);
        }
        if words.len() != n1 as usize || text.last() != Some(&0) {
            return Err(corrupt(format!(
                "word list holds {} words, the header says {n1}",
                words.len()
            )));
        }
        Ok(Trie {
            order,
            counts,
            middle_prob,
            middle_bo,
            longest_prob,
            unigrams,
            middle,
            longest,
            words,
        })
    }

    fn emit(&self, log10_base: f64, builder: &mut LmBuilder) -> Result<SphinxStats> {
        let n1 = self.words.len();
        let to_log10 = |v: f32| -> f32 {
            let x = (v as f64 * log10_base) as f32;
            if x.is_nan() {
                LOGP_FLOOR
            } else {
                x.clamp(LOGP_FLOOR, 0.0)
            }
        };
        let to_bow = |v: f32| -> f32 {
            let x = (v as f64 * log10_base) as f32;
            if x.is_finite() {
                x.clamp(-99.0, 99.0)
            } else {
                0.0
            }
        };
        let uni_prob = |i: usize| f32_at(self.unigrams, 3 * i);
        let uni_bo = |i: usize| f32_at(self.unigrams, 3 * i + 1);
        let uni_next = |i: usize| u32_at(self.unigrams, 3 * i + 2) as usize;

        // Lower-case names; choose which ids are kept.
        let mut stats = SphinxStats {
            order: self.order,
            header_counts: self.counts.clone(),
            ..SphinxStats::default()
        };
        let mut names: Vec<Option<String>> = Vec::with_capacity(n1);
        let mut owner: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (i, &w) in self.words.iter().enumerate() {
            let special = w.starts_with('<') && w.ends_with('>') && w.len() > 2;
            if special && w != BOS && w != EOS {
                stats.skipped_words.push(w.to_string());
                names.push(None);
                continue;
            }
            let lower = if special {
                w.to_string()
            } else {
                normalize_word(w)
            };
            match owner.get(&lower).copied() {
                Some(j) => {
                    stats.case_duplicates += 1;
                    if uni_prob(i) > uni_prob(j) {
                        names[j] = None;
                        owner.insert(lower.clone(), i);
                        names.push(Some(lower));
                    } else {
                        names.push(None);
                    }
                }
                None => {
                    owner.insert(lower.clone(), i);
                    names.push(Some(lower));
                }
            }
        }
        let name = |id: u32| -> Result<Option<&str>> {
            names
                .get(id as usize)
                .map(|n| n.as_deref())
                .ok_or_else(|| corrupt(format!("word id {id} beyond the {n1} words")))
        };

        let mut added = vec![0usize; self.order as usize];
        let mut stored = vec![0usize; self.order as usize];
        for (i, name) in names.iter().enumerate() {
            stored[0] += 1;
            let p = to_log10(uni_prob(i));
            if let Some(w) = name {
                if w != BOS {
                    stats.unigram_mass += 10f64.powf(p as f64);
                }
                builder.add(&[w], p, to_bow(uni_bo(i)))?;
                added[0] += 1;
            }
        }
        let bin = |table: &[u8], idx: u32| f32_at(table, idx as usize);
        if self.order == 2 {
            let top = self
                .longest
                .as_ref()
                .ok_or_else(|| corrupt("missing bigram array"))?;
            for (u, wu) in names.iter().enumerate() {
                for j in uni_next(u)..uni_next(u + 1) {
                    stored[1] += 1;
                    let v = top.word(j)?;
                    let p = to_log10(bin(self.longest_prob, top.longest_prob(j)?));
                    match (name(v)?, wu.as_deref()) {
                        (Some(a), Some(b)) => {
                            builder.add(&[a, b], p, 0.0)?;
                            added[1] += 1;
                        }
                        _ => stats.skipped_ngrams += 1,
                    }
                }
            }
        } else if self.order == 3 {
            let mid = self
                .middle
                .as_ref()
                .ok_or_else(|| corrupt("missing bigram array"))?;
            let top = self
                .longest
                .as_ref()
                .ok_or_else(|| corrupt("missing trigram array"))?;
            for (u, wu) in names.iter().enumerate() {
                let wu = wu.as_deref();
                for j in uni_next(u)..uni_next(u + 1) {
                    stored[1] += 1;
                    let v = mid.word(j)?;
                    let wv = name(v)?;
                    let (bo, pr) = mid.middle_quant(j)?;
                    let (p, b) = (
                        to_log10(bin(self.middle_prob, pr)),
                        to_bow(bin(self.middle_bo, bo)),
                    );
                    match (wv, wu) {
                        (Some(a), Some(c)) => {
                            builder.add(&[a, c], p, b)?;
                            added[1] += 1;
                        }
                        _ => stats.skipped_ngrams += 1,
                    }
                    let (lo, hi) = (mid.next(j)? as usize, mid.next(j + 1)? as usize);
                    for k in lo..hi {
                        stored[2] += 1;
                        let x = top.word(k)?;
                        let p = to_log10(bin(self.longest_prob, top.longest_prob(k)?));
                        match (name(x)?, wv, wu) {
                            (Some(a), Some(b), Some(c)) => {
                                builder.add(&[a, b, c], p, 0.0)?;
                                added[2] += 1;
                            }
                            _ => stats.skipped_ngrams += 1,
                        }
                    }
                }
            }
        }
        stats.stored_counts = stored;
        stats.added_counts = added;
        Ok(stats)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::LexiconBuilder;
    use crate::model::{write_model, Model, Params};

    /// Path of the real model relative to the crate dir (see
    /// scripts/fetch-lm.sh), or `UNSPIN_SPHINX_LM`.
    fn real_model() -> Option<Vec<u8>> {
        let candidates = [
            std::env::var("UNSPIN_SPHINX_LM").unwrap_or_default(),
            "../../target/model-src/root/usr/share/pocketsphinx/model/en-us/en-us.lm.bin".into(),
            "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin".into(),
            "/tmp/pkgs/root/usr/share/pocketsphinx/model/en-us/en-us.lm.bin".into(),
        ];
        for c in candidates.iter().filter(|c| !c.is_empty()) {
            if let Ok(b) = std::fs::read(c) {
                return Some(b);
            }
        }
        eprintln!(
            "skipping: en-us.lm.bin not found (run scripts/fetch-lm.sh or set UNSPIN_SPHINX_LM)"
        );
        None
    }

    /// Bit writer mirroring the reader, for hand-made models.
    fn put(mem: &mut [u8], bit: u64, len: u32, v: u32) {
        for k in 0..len as u64 {
            if v >> k & 1 == 1 {
                let b = bit + k;
                mem[(b >> 3) as usize] |= 1 << (b & 7);
            }
        }
    }

    /// A tiny trigram model in the sphinx format. Words: `<s> </s> <UNK>
    /// Cold war`; bigrams "<s> cold", "cold war"; trigram "<s> cold war".
    /// Scores are in logmath units of base 10 (log_base 10) for clarity.
    fn tiny_file() -> Vec<u8> {
        let words = ["</s>", "<UNK>", "<s>", "Cold", "war"];
        let (n1, n2, n3) = (5u32, 2u32, 1u32);
        let mut f = MAGIC.to_vec();
        f.push(3);
        for n in [n1, n2, n3] {
            f.extend(n.to_le_bytes());
        }
        f.extend(0i32.to_le_bytes());
        let mut tables = vec![0f32; 3 * BINS];
        tables[1] = -0.5; // bigram prob bin 1
        tables[2] = -0.25; // bigram prob bin 2
        tables[BINS + 1] = -0.2; // bigram backoff bin 1
        tables[2 * BINS + 1] = -0.1; // trigram prob bin 1
        for t in tables {
            f.extend(t.to_le_bytes());
        }
        // unigrams: (prob, bo); bigram ranges by predicted word:
        // "cold" (id 3) <- "<s>" (entry 0); "war" (id 4) <- "cold" (entry 1)
        let uni = [
            (-1.0f32, 0.0f32, 0u32),
            (-2.0, 0.0, 0),
            (-99.0, -0.3, 0),
            (-2.0, -0.4, 0),
            (-2.5, 0.0, 1),
        ];
        for (p, b, nx) in uni {
            f.extend(p.to_le_bytes());
            f.extend(b.to_le_bytes());
            f.extend(nx.to_le_bytes());
        }
        f.extend(0f32.to_le_bytes());
        f.extend(0f32.to_le_bytes());
        f.extend(2u32.to_le_bytes());
        let wb = required_bits(n1);
        let nb = required_bits(n3);
        let tb = (wb + 32 + nb) as u64;
        let mut mid = vec![0u8; array_size(n2, tb)];
        // entry 0: word <s> (2), bo bin 1, prob bin 2, next 0
        put(&mut mid, 0, wb, 2);
        put(&mut mid, wb as u64, 16, 1);
        put(&mut mid, wb as u64 + 16, 16, 2);
        put(&mut mid, tb - nb as u64, nb, 0);
        // entry 1: word cold (3), bo bin 0, prob bin 1, next 0 -> trigram 0
        put(&mut mid, tb, wb, 3);
        put(&mut mid, tb + wb as u64 + 16, 16, 1);
        put(&mut mid, 2 * tb - nb as u64, nb, 0);
        put(&mut mid, 3 * tb - nb as u64, nb, 1); // closing entry
        f.extend(&mid);
        let lb = (wb + 16) as u64;
        let mut long = vec![0u8; array_size(n3, lb)];
        put(&mut long, 0, wb, 2);
        put(&mut long, wb as u64, 16, 1);
        f.extend(&long);
        let text: Vec<u8> = words.iter().flat_map(|w| w.bytes().chain([0])).collect();
        f.extend((text.len() as u32).to_le_bytes());
        f.extend(text);
        f
    }

    fn model_of(b: LmBuilder) -> Model {
        let lm = b.build().unwrap();
        Model::from_bytes(&write_model(
            &lm,
            &LexiconBuilder::new().build(),
            &Params::default(),
        ))
        .unwrap()
    }

    #[test]
    fn decodes_a_hand_made_model() {
        let mut b = LmBuilder::new();
        let opts = SphinxOptions { log_base: 10.0 };
        let s = read_sphinx_trie_with(&tiny_file(), &opts, &mut b).unwrap();
        assert_eq!(s.header_counts, vec![5, 2, 1]);
        assert_eq!(s.stored_counts, vec![5, 2, 1]);
        assert_eq!(s.added_counts, vec![4, 2, 1]);
        assert_eq!(s.skipped_words, vec!["<UNK>".to_string()]);
        let m = model_of(b);
        let lm = m.lm();
        let (bos, cold, war) = (lm.id("<s>"), lm.id("cold"), lm.id("war"));
        assert!(cold.is_some() && lm.id("Cold").is_none() && lm.id("<UNK>").is_none());
        let near = |a: f32, b: f32| (a - b).abs() < 1e-3;
        assert!(near(lm.logp((None, bos), cold), -0.25));
        assert!(near(lm.logp((None, cold), war), -0.5));
        assert!(near(lm.logp((bos, cold), war), -0.1));
        // backoff from "<s> cold" (bo -0.2) for an unseen trigram
        assert!(near(
            lm.logp((bos, cold), lm.id("</s>")),
            -0.2 + -0.4 + -1.0
        ));
        assert!(near(lm.unigram(war), -2.5));
    }

    #[test]
    fn truncated_and_garbage_input_is_an_error() {
        let file = tiny_file();
        let opts = SphinxOptions { log_base: 10.0 };
        for cut in 0..file.len() {
            let r = read_sphinx_trie_with(&file[..cut], &opts, &mut LmBuilder::new());
            assert!(r.is_err(), "cut at {cut} accepted");
        }
        let mut longer = file.clone();
        longer.push(7);
        assert!(read_sphinx_trie_with(&longer, &opts, &mut LmBuilder::new()).is_err());
        // random garbage, with and without the magic in front
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for round in 0..300 {
            let len = (round * 37) % 2000;
            let mut g: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            if round % 2 == 0 {
                g.splice(0..0, MAGIC.iter().copied().chain([3u8]));
            }
            assert!(read_sphinx_trie(&g, &mut LmBuilder::new()).is_err());
        }
        // corrupt pointers and bytes of the real layout never panic
        // (every byte outside the 768 KiB of bin tables, a sample inside)
        let tables = MAGIC.len() + 1 + 12 + 4..MAGIC.len() + 1 + 12 + 4 + 3 * BINS * 4;
        let mut f = file.clone();
        for i in (MAGIC.len()..file.len()).filter(|i| !tables.contains(i) || i % 4099 == 0) {
            f[i] ^= 0xA5;
            let _ = read_sphinx_trie_with(&f, &opts, &mut LmBuilder::new());
            f[i] ^= 0xA5;
        }
        let e = read_sphinx_trie(b"\\data\\\nngram 1=3\n", &mut LmBuilder::new()).unwrap_err();
        assert!(e.to_string().contains("ARPA"), "{e}");
        let bad = read_sphinx_trie_with(
            &file,
            &SphinxOptions { log_base: 0.5 },
            &mut LmBuilder::new(),
        );
        assert!(bad.is_err());
    }

    #[test]
    fn reads_the_pocketsphinx_en_us_model() {
        let Some(bytes) = real_model() else { return };
        let t = std::time::Instant::now();
        let mut b = LmBuilder::new();
        let s = read_sphinx_trie(&bytes, &mut b).unwrap();
        eprintln!("read in {:?}: {s:?}", t.elapsed());
        assert_eq!(s.order, 3);
        assert_eq!(s.header_counts, vec![72_547, 2_051_547, 1_669_625]);
        assert_eq!(s.stored_counts[0], 72_547);
        assert!(
            (2_000_000..=2_051_547).contains(&s.stored_counts[1]),
            "{s:?}"
        );
        assert!(
            (1_600_000..=1_669_625).contains(&s.stored_counts[2]),
            "{s:?}"
        );
        assert!(
            (s.unigram_mass - 1.0).abs() < 0.01,
            "unigram mass {}",
            s.unigram_mass
        );
        assert_eq!(b.counts()[0], s.added_counts[0]);
        let m = model_of(b);
        let lm = m.lm();
        let id = |w: &str| lm.id(w);
        let bi = |a: &str, w: &str| lm.logp((None, id(a)), id(w));
        let tri = |a: &str, b: &str, w: &str| lm.logp((id(a), id(b)), id(w));
        eprintln!(
            "log10 P(war | cold) = {}, P(war | chilly) = {}, P(states | the united) = {}",
            bi("cold", "war"),
            bi("chilly", "war"),
            tri("the", "united", "states")
        );
        assert!(bi("cold", "war") > bi("chilly", "war") + 1.0);
        assert!(
            tri("the", "united", "states") > -0.5,
            "{}",
            tri("the", "united", "states")
        );
        assert!(tri("the", "united", "states") > tri("the", "united", "rabbits") + 2.0);
        assert!(
            lm.sentence_logp(&["the", "cat", "sat", "on", "the", "mat"])
                > lm.sentence_logp(&["the", "mat", "sat", "on", "the", "cat", "cat"])
        );
        // held-out BBC news (the split the corpus trainer is tested on)
        if let Some((_, test)) = crate::train::testing::bbc_split() {
            let ppl = crate::train::testing::perplexity(&m, &test);
            eprintln!("perplexity on held-out BBC news: {ppl:.1}");
            assert!(ppl < 1000.0, "perplexity {ppl}");
        }
        // every probability is a probability
        for w in ["the", "of", "zebra", "</s>"] {
            let p = lm.unigram(id(w));
            assert!((-8.0..0.0).contains(&p), "{w}: {p}");
        }
    }
}

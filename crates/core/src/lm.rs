//! A backoff n-gram language model (up to trigrams), stored as sorted
//! arrays that are used in place from a memory-mapped model file.
//!
//! Probabilities follow ARPA semantics (log10, with backoff weights):
//! `P(c | a b) = tri(a b c)` if stored, else `bow(a b) + P(c | b)`, and
//! `P(c | b) = bi(b c)` if stored, else `bow(b) + uni(c)`.
//!
//! Storage: the vocabulary is an `fst` map from word to id (ids follow the
//! sorted order of words); unigrams are arrays indexed by id; bigrams and
//! trigrams are sorted `u64` keys (21 bits per id) with parallel arrays of
//! quantised log-probabilities and backoff weights (1/2000 of a log10 unit).

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::model::{Container, ContainerWriter, Section};

/// Word ids are packed 21 bits each into n-gram keys.
const ID_BITS: u32 = 21;
/// The largest vocabulary a model can hold.
pub const MAX_VOCAB: usize = 1 << ID_BITS;
const QUANT: f32 = 2000.0;
/// log10 probability of a word the model does not know.
pub const UNKNOWN_LOGP: f32 = -7.0;

/// Sentence start and end symbols.
pub const BOS: &str = "<s>";
/// See [`BOS`].
pub const EOS: &str = "</s>";

fn q_logp(x: f32) -> u16 {
    (-x * QUANT).round().clamp(0.0, u16::MAX as f32) as u16
}
fn dq_logp(q: u16) -> f32 {
    -(q as f32) / QUANT
}
fn q_bow(x: f32) -> i16 {
    (x * QUANT).round().clamp(i16::MIN as f32, i16::MAX as f32) as i16
}
fn dq_bow(q: i16) -> f32 {
    q as f32 / QUANT
}

impl AsRef<[u8]> for Section {
    fn as_ref(&self) -> &[u8] {
        self.bytes()
    }
}

/// A loaded n-gram model.
pub struct NgramLm {
    vocab: fst::Map<Section>,
    word_ids: crate::model::KeyIds,
    uni_p: Section,
    uni_b: Section,
    bi_k: Section,
    bi_p: Section,
    bi_b: Section,
    tri_k: Section,
    tri_p: Section,
    order: usize,
    bos: Option<u32>,
    eos: Option<u32>,
    /// the bigrams and trigrams again, hashed with their values: a lookup
    /// touches one cache line instead of a binary search's dozen
    bi_table: NgramTable,
    tri_table: NgramTable,
    /// tells this model's entries apart in the per-thread memo of [`NgramLm::logp`]
    instance: u32,
}

/// A per-thread, direct-mapped memo of recent `logp` answers: the decoder
/// asks the same (context, word) questions many times per sentence (local
/// scoring, beam, posteriors, a second pass), and a hit costs one L2 line
/// instead of up to three hash probes into the model.
const MEMO_BITS: u32 = 15;
const MEMO_SLOTS: usize = 1 << MEMO_BITS;

#[derive(Clone, Copy)]
struct MemoEntry {
    key: u64,
    instance: u32,
    logp: f32,
}

thread_local! {
    static MEMO: std::cell::RefCell<Vec<MemoEntry>> = const { std::cell::RefCell::new(Vec::new()) };
}

static INSTANCES: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);

/// Packs a query into one key: 21 bits a word, all ones for "none".
#[inline]
fn memo_key(a: Option<u32>, b: Option<u32>, w: u32) -> u64 {
    let none = (1u64 << ID_BITS) - 1;
    let f = |x: Option<u32>| x.map_or(none, |v| v as u64);
    (f(a) << (2 * ID_BITS)) | (f(b) << ID_BITS) | w as u64
}

/// The memo slot of a query key.
#[inline]
fn memo_slot(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - MEMO_BITS)) as usize
}

/// The table key of the bigram (a, b).
#[inline]
fn bigram_key(a: u32, b: u32) -> u64 {
    ((a as u64) << ID_BITS) | b as u64
}

/// The table key of the trigram (a, b, c).
#[inline]
fn trigram_key(a: u32, b: u32, c: u32) -> u64 {
    ((a as u64) << (2 * ID_BITS)) | bigram_key(b, c)
}

/// An open-addressing hash table from an n-gram key to its quantised
/// log-probability and backoff weight, built when a model is loaded (16
/// bytes a slot, at most 3/4 full). The values sit beside the key, so a
/// lookup costs one cache line where an index into the sorted arrays costs
/// three (slot, key, value): the decoder's time is dominated by these
/// lookups' memory latency.
#[derive(Default)]
struct NgramTable {
    slots: Vec<Slot>,
    shift: u32,
}

#[derive(Clone, Copy)]
#[repr(C, align(16))]
struct Slot {
    key: u64,
    logp: u16,
    bow: i16,
}

/// No n-gram key has its top bit set (three 21-bit ids fill 63 bits).
const EMPTY: u64 = u64::MAX;

impl NgramTable {
    fn build(keys: &[u64], logp: &[u16], bow: Option<&[i16]>) -> NgramTable {
        let want = (keys.len() * 4 / 3 + 1).next_power_of_two().max(2);
        let empty = Slot {
            key: EMPTY,
            logp: 0,
            bow: 0,
        };
        let mut t = NgramTable {
            slots: vec![empty; want],
            shift: 64 - want.trailing_zeros(),
        };
        let mask = want - 1;
        for (i, &key) in keys.iter().enumerate() {
            let mut h = t.slot(key);
            while t.slots[h].key != EMPTY {
                h = (h + 1) & mask;
            }
            t.slots[h] = Slot {
                key,
                logp: logp[i],
                bow: bow.map_or(0, |b| b[i]),
            };
        }
        t
    }

    #[inline]
    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// Asks the memory system for the slot where a lookup of `key`
    /// starts, without waiting for it.
    #[inline]
    fn prefetch(&self, key: u64) {
        if let Some(s) = self.slots.get(self.slot(key)) {
            prefetch_line(s);
        }
    }

    #[inline]
    fn find(&self, key: u64) -> Option<&Slot> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut h = self.slot(key);
        loop {
            let s = &self.slots[h];
            if s.key == key {
                return Some(s);
            }
            if s.key == EMPTY {
                return None;
            }
            h = (h + 1) & mask;
        }
    }
}

/// Starts loading the cache line holding `x`. A hint: it never faults
/// and changes nothing but timing.
#[inline]
fn prefetch_line<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch only hints the cache; it reads nothing and cannot
    // fault, whatever the address
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((x as *const T).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

/// A state of the model: the last two words (None = unknown or none).
pub type LmState = (Option<u32>, Option<u32>);

impl NgramLm {
    pub(crate) fn from_container(c: &Container, what: &str) -> Result<NgramLm> {
        let corrupt = |reason: String| Error::CorruptModel {
            what: what.to_string(),
            reason,
        };
        let vocab = fst::Map::new(c.require("lm.vocab", what)?)
            .map_err(|e| corrupt(format!("bad vocabulary: {e}")))?;
        let uni_p = c.require("lm.uni.p", what)?;
        let words = (uni_p.bytes().len() / 2) as u64;
        let word_ids = crate::model::KeyIds::of(&vocab, words)
            .map_err(|e| corrupt(format!("section lm.vocab: {e}")))?;
        let lm = NgramLm {
            uni_p,
            uni_b: c.require("lm.uni.b", what)?,
            bi_k: c.require("lm.bi.k", what)?,
            bi_p: c.require("lm.bi.p", what)?,
            bi_b: c.require("lm.bi.b", what)?,
            tri_k: c.require("lm.tri.k", what)?,
            tri_p: c.require("lm.tri.p", what)?,
            order: 3,
            bi_table: NgramTable::default(),
            tri_table: NgramTable::default(),
            instance: INSTANCES.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            word_ids,
            bos: vocab.get(BOS).map(|v| v as u32),
            eos: vocab.get(EOS).map(|v| v as u32),
            vocab,
        };
        let n = lm.vocab.len();
        let ok = lm.uni_p.as_slice::<u16>().is_some_and(|s| s.len() == n)
            && lm.uni_b.as_slice::<i16>().is_some_and(|s| s.len() == n)
            && lm.bi_k.as_slice::<u64>().is_some()
            && lm.bi_p.as_slice::<u16>().map(|s| s.len())
                == lm.bi_k.as_slice::<u64>().map(|s| s.len())
            && lm.bi_b.as_slice::<i16>().map(|s| s.len())
                == lm.bi_k.as_slice::<u64>().map(|s| s.len())
            && lm.tri_k.as_slice::<u64>().is_some()
            && lm.tri_p.as_slice::<u16>().map(|s| s.len())
                == lm.tri_k.as_slice::<u64>().map(|s| s.len());
        if !ok {
            return Err(corrupt("language model arrays disagree in length".into()));
        }
        let mut lm = lm;
        let sorted = |k: &[u64]| k.windows(2).all(|w| w[0] < w[1]);
        if !sorted(lm.bi_keys()) || !sorted(lm.tri_keys()) {
            return Err(corrupt("language model keys are not sorted".into()));
        }
        let table = |k: &Section, p: &Section, b: Option<&Section>| {
            NgramTable::build(
                k.as_slice::<u64>().unwrap_or(&[]),
                p.as_slice::<u16>().unwrap_or(&[]),
                b.and_then(|b| b.as_slice::<i16>()),
            )
        };
        // the two tables are independent: build them on two threads
        let (bi, tri) = std::thread::scope(|s| {
            let bi = s.spawn(|| table(&lm.bi_k, &lm.bi_p, Some(&lm.bi_b)));
            let tri = table(&lm.tri_k, &lm.tri_p, None);
            let bi = bi.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            (bi, tri)
        });
        lm.bi_table = bi;
        lm.tri_table = tri;
        Ok(lm)
    }

    /// The n-gram order (3).
    pub fn order(&self) -> usize {
        self.order
    }

    /// Number of words in the vocabulary.
    pub fn vocab_len(&self) -> usize {
        self.vocab.len()
    }

    /// The vocabulary, indexed by word id.
    pub(crate) fn words(&self) -> Vec<String> {
        use fst::Streamer;
        let mut words = vec![String::new(); self.vocab.len()];
        let mut stream = self.vocab.stream();
        while let Some((w, id)) = stream.next() {
            if let Some(slot) = words.get_mut(id as usize) {
                *slot = String::from_utf8_lossy(w).into_owned();
            }
        }
        words
    }

    /// The stored bigrams, as word ids.
    pub(crate) fn bigrams(&self) -> impl Iterator<Item = [u32; 2]> + '_ {
        let mask = (1u64 << ID_BITS) - 1;
        self.bi_keys()
            .iter()
            .map(move |&k| [(k >> ID_BITS) as u32, (k & mask) as u32])
    }

    /// The stored trigrams, as word ids.
    pub(crate) fn trigrams(&self) -> impl Iterator<Item = [u32; 3]> + '_ {
        let mask = (1u64 << ID_BITS) - 1;
        self.tri_keys().iter().map(move |&k| {
            [
                (k >> (2 * ID_BITS)) as u32,
                ((k >> ID_BITS) & mask) as u32,
                (k & mask) as u32,
            ]
        })
    }

    /// Number of stored bigrams and trigrams.
    pub fn ngram_counts(&self) -> (usize, usize) {
        (self.bi_keys().len(), self.tri_keys().len())
    }

    /// The id of a (lower-case) word.
    #[inline]
    pub fn id(&self, word: &str) -> Option<u32> {
        self.word_ids.get(word)
    }

    /// The id of a (lower-case) word, or of its American spelling or
    /// unhyphenated form when only that is known (see [`crate::spelling`]).
    pub fn id_lenient(&self, word: &str) -> Option<u32> {
        self.id(word).or_else(|| {
            crate::spelling::variants(word)
                .iter()
                .find_map(|v| self.id(v))
        })
    }

    /// The state at a sentence start.
    pub fn start_state(&self) -> LmState {
        (None, self.bos)
    }

    /// The id of the sentence end symbol.
    pub fn eos(&self) -> Option<u32> {
        self.eos
    }

    fn uni_p(&self) -> &[u16] {
        self.uni_p.as_slice().unwrap_or(&[])
    }
    fn uni_b(&self) -> &[i16] {
        self.uni_b.as_slice().unwrap_or(&[])
    }
    fn bi_keys(&self) -> &[u64] {
        self.bi_k.as_slice().unwrap_or(&[])
    }
    fn tri_keys(&self) -> &[u64] {
        self.tri_k.as_slice().unwrap_or(&[])
    }

    #[inline]
    fn find_bi(&self, a: u32, b: u32) -> Option<&Slot> {
        self.bi_table.find(bigram_key(a, b))
    }

    #[inline]
    fn find_tri(&self, a: u32, b: u32, c: u32) -> Option<&Slot> {
        self.tri_table.find(trigram_key(a, b, c))
    }

    /// log10 P(w) without context.
    #[inline]
    pub fn unigram(&self, w: Option<u32>) -> f32 {
        match w {
            Some(w) => self
                .uni_p()
                .get(w as usize)
                .map_or(UNKNOWN_LOGP, |&q| dq_logp(q)),
            None => UNKNOWN_LOGP,
        }
    }

    /// log10 P(w | b) with backoff.
    #[inline]
    pub fn bigram(&self, b: Option<u32>, w: u32) -> f32 {
        if let Some(b) = b {
            if let Some(e) = self.find_bi(b, w) {
                return dq_logp(e.logp);
            }
            let bow = self.uni_b().get(b as usize).map_or(0.0, |&q| dq_bow(q));
            return bow + self.unigram(Some(w));
        }
        self.unigram(Some(w))
    }

    /// Starts loading the table entries that [`NgramLm::logp`] of each
    /// step of `words` after `state` will read, so that the many
    /// independent lookups of a decoding step wait for memory together
    /// rather than one after another (the tables are far larger than the
    /// caches). Changes no result.
    #[inline]
    pub fn prefetch(&self, mut state: LmState, words: impl IntoIterator<Item = Option<u32>>) {
        for w in words {
            if let Some(w) = w {
                let slot = memo_slot(memo_key(state.0, state.1, w));
                MEMO.with(|m| {
                    if let Some(e) = m.borrow().get(slot) {
                        prefetch_line(e);
                    }
                });
            }
            if let (Some(w), Some(b)) = (w, state.1) {
                if let Some(a) = state.0 {
                    self.tri_table.prefetch(trigram_key(a, b, w));
                    self.bi_table.prefetch(bigram_key(a, b));
                }
                self.bi_table.prefetch(bigram_key(b, w));
            }
            state = NgramLm::advance(state, w);
        }
    }

    /// log10 P(w | a b) with backoff. An unknown `w` gets [`UNKNOWN_LOGP`].
    #[inline]
    pub fn logp(&self, state: LmState, w: Option<u32>) -> f32 {
        let Some(w) = w else {
            return UNKNOWN_LOGP;
        };
        let key = memo_key(state.0, state.1, w);
        let slot = memo_slot(key);
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            if m.is_empty() {
                m.resize(
                    MEMO_SLOTS,
                    MemoEntry {
                        key: 0,
                        instance: 0,
                        logp: 0.0,
                    },
                );
            }
            let e = m[slot];
            if e.key == key && e.instance == self.instance {
                return e.logp;
            }
            let logp = self.logp_uncached(state, w);
            m[slot] = MemoEntry {
                key,
                instance: self.instance,
                logp,
            };
            logp
        })
    }

    fn logp_uncached(&self, state: LmState, w: u32) -> f32 {
        let (a, b) = state;
        if let (Some(a), Some(b)) = (a, b) {
            if let Some(e) = self.find_tri(a, b, w) {
                return dq_logp(e.logp);
            }
            let bow = self.find_bi(a, b).map_or(0.0, |e| dq_bow(e.bow));
            return bow + self.bigram(Some(b), w);
        }
        self.bigram(b, w)
    }

    /// log10 P(phrase) out of context, for a lower-case phrase of
    /// space-separated words: its first word's unigram, then bigrams along
    /// it; an unknown word costs `unknown` (and the next word starts afresh).
    pub fn phrase_logp(&self, phrase: &str, unknown: f32) -> f32 {
        self.ids_logp(phrase.split(' ').map(|w| self.id(w)), unknown)
    }

    /// [`NgramLm::phrase_logp`] of a phrase already mapped to ids (None for
    /// an unknown word).
    pub fn ids_logp(&self, ids: impl IntoIterator<Item = Option<u32>>, unknown: f32) -> f32 {
        let mut prev: Option<u32> = None;
        let mut total = 0.0;
        for id in ids {
            total += match (prev, id) {
                (_, None) => unknown,
                (None, Some(x)) => self.unigram(Some(x)),
                (Some(p), Some(x)) => self.bigram(Some(p), x),
            };
            prev = id;
        }
        total
    }

    /// True when the bigram (a, b) is stored.
    #[inline]
    pub fn has_bigram(&self, a: u32, b: u32) -> bool {
        self.find_bi(a, b).is_some()
    }

    /// The state after `w`.
    #[inline]
    pub fn advance(state: LmState, w: Option<u32>) -> LmState {
        (state.1, w)
    }

    /// log10 probability of a whole sentence (lower-case words), with
    /// sentence start and end.
    pub fn sentence_logp(&self, words: &[&str]) -> f32 {
        let mut st = self.start_state();
        let mut total = 0.0;
        for w in words {
            let id = self.id(w);
            total += self.logp(st, id);
            st = Self::advance(st, id);
        }
        total + self.logp(st, self.eos)
    }
}

/// An n-gram model under construction: entries in ARPA form.
#[derive(Default)]
pub struct LmBuilder {
    words: HashMap<String, u32>,
    names: Vec<String>,
    uni: Vec<(f32, f32)>,
    bi: Vec<([u32; 2], f32, f32)>,
    tri: Vec<([u32; 3], f32)>,
}

impl LmBuilder {
    /// An empty model.
    pub fn new() -> LmBuilder {
        LmBuilder::default()
    }

    fn intern(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.words.get(w) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(w.to_string());
        self.words.insert(w.to_string(), id);
        self.uni.push((UNKNOWN_LOGP, 0.0));
        id
    }

    /// Adds an entry: `words` of length 1 to 3, its log10 probability and
    /// its log10 backoff weight (ignored for trigrams). Words are stored as
    /// given (callers lower-case them). A later entry for the same words
    /// replaces an earlier one.
    pub fn add(&mut self, words: &[&str], logp: f32, bow: f32) -> Result<()> {
        match words {
            [w] => {
                let id = self.intern(w);
                self.uni[id as usize] = (logp, bow);
            }
            [a, b] => {
                let k = [self.intern(a), self.intern(b)];
                self.bi.push((k, logp, bow));
            }
            [a, b, c] => {
                let k = [self.intern(a), self.intern(b), self.intern(c)];
                self.tri.push((k, logp));
            }
            _ => {
                return Err(Error::Training(format!(
                    "n-gram of order {} (1 to 3 supported)",
                    words.len()
                )))
            }
        }
        if self.names.len() > MAX_VOCAB {
            return Err(Error::Training(format!(
                "vocabulary above {MAX_VOCAB} words"
            )));
        }
        Ok(())
    }

    /// The log10 unigram probability of a word added so far.
    pub fn unigram(&self, w: &str) -> Option<f32> {
        self.words.get(w).map(|&id| self.uni[id as usize].0)
    }

    /// Number of entries of each order.
    pub fn counts(&self) -> [usize; 3] {
        [self.names.len(), self.bi.len(), self.tri.len()]
    }

    /// Freezes the model into its stored parts.
    pub fn build(self) -> Result<LmParts> {
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_by(|&a, &b| {
            self.names[a as usize]
                .as_bytes()
                .cmp(self.names[b as usize].as_bytes())
        });
        let mut remap = vec![0u32; self.names.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old as usize] = new as u32;
        }
        let mut fst_builder = fst::MapBuilder::memory();
        let mut uni_p = Vec::with_capacity(order.len());
        let mut uni_b = Vec::with_capacity(order.len());
        let mut last: Option<&str> = None;
        for (new, &old) in order.iter().enumerate() {
            let name = self.names[old as usize].as_str();
            if last == Some(name) {
                continue;
            }
            last = Some(name);
            fst_builder
                .insert(name, new as u64)
                .map_err(|e| Error::Training(format!("vocabulary: {e}")))?;
            let (p, b) = self.uni[old as usize];
            uni_p.push(q_logp(p));
            uni_b.push(q_bow(b));
        }
        let vocab = fst_builder
            .into_inner()
            .map_err(|e| Error::Training(format!("vocabulary: {e}")))?;
        let mut bi: Vec<(u64, u16, i16)> = self
            .bi
            .iter()
            .map(|&([a, b], p, w)| {
                let key = bigram_key(remap[a as usize], remap[b as usize]);
                (key, q_logp(p), q_bow(w))
            })
            .collect();
        bi.sort_by_key(|e| e.0);
        bi.dedup_by(|later, earlier| {
            if later.0 == earlier.0 {
                *earlier = *later;
                true
            } else {
                false
            }
        });
        let mut tri: Vec<(u64, u16)> = self
            .tri
            .iter()
            .map(|&([a, b, c], p)| {
                let key = trigram_key(remap[a as usize], remap[b as usize], remap[c as usize]);
                (key, q_logp(p))
            })
            .collect();
        tri.sort_by_key(|e| e.0);
        tri.dedup_by(|later, earlier| {
            if later.0 == earlier.0 {
                *earlier = *later;
                true
            } else {
                false
            }
        });
        Ok(LmParts {
            vocab,
            uni_p,
            uni_b,
            bi_k: bi.iter().map(|e| e.0).collect(),
            bi_p: bi.iter().map(|e| e.1).collect(),
            bi_b: bi.iter().map(|e| e.2).collect(),
            tri_k: tri.iter().map(|e| e.0).collect(),
            tri_p: tri.iter().map(|e| e.1).collect(),
        })
    }
}

/// The stored arrays of an n-gram model, ready to be written.
pub struct LmParts {
    vocab: Vec<u8>,
    uni_p: Vec<u16>,
    uni_b: Vec<i16>,
    bi_k: Vec<u64>,
    bi_p: Vec<u16>,
    bi_b: Vec<i16>,
    tri_k: Vec<u64>,
    tri_p: Vec<u16>,
}

fn le_bytes<T: Copy, const N: usize>(xs: &[T], f: impl Fn(T) -> [u8; N]) -> Vec<u8> {
    let mut out = Vec::with_capacity(xs.len() * N);
    for &x in xs {
        out.extend_from_slice(&f(x));
    }
    out
}

impl LmParts {
    pub(crate) fn write(&self, w: &mut ContainerWriter) {
        w.add("lm.vocab", self.vocab.clone());
        w.add("lm.uni.p", le_bytes(&self.uni_p, u16::to_le_bytes));
        w.add("lm.uni.b", le_bytes(&self.uni_b, i16::to_le_bytes));
        w.add("lm.bi.k", le_bytes(&self.bi_k, u64::to_le_bytes));
        w.add("lm.bi.p", le_bytes(&self.bi_p, u16::to_le_bytes));
        w.add("lm.bi.b", le_bytes(&self.bi_b, i16::to_le_bytes));
        w.add("lm.tri.k", le_bytes(&self.tri_k, u64::to_le_bytes));
        w.add("lm.tri.p", le_bytes(&self.tri_p, u16::to_le_bytes));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::LexiconBuilder;
    use crate::model::{write_model, Model, Params};

    pub(crate) fn tiny_model() -> Model {
        let mut b = LmBuilder::new();
        for (w, p, bo) in [
            ("<s>", -99.0, -0.5),
            ("</s>", -1.0, 0.0),
            ("cold", -2.0, -0.3),
            ("war", -2.0, -0.3),
            ("chilly", -4.0, -0.1),
        ] {
            b.add(&[w], p, bo).unwrap();
        }
        b.add(&["cold", "war"], -0.5, -0.2).unwrap();
        b.add(&["<s>", "cold", "war"], -0.1, 0.0).unwrap();
        let lm = b.build().unwrap();
        let lex = LexiconBuilder::new().build();
        Model::from_bytes(&write_model(&lm, &lex, &Params::default())).unwrap()
    }

    #[test]
    fn backoff_follows_arpa_rules() {
        let m = tiny_model();
        let lm = m.lm();
        let (cold, war, chilly) = (lm.id("cold"), lm.id("war"), lm.id("chilly"));
        let q = |x: f32| dq_logp(q_logp(x));
        assert_eq!(lm.logp((None, cold), war), q(-0.5));
        // unseen bigram: bow(chilly) + uni(war)
        assert!((lm.logp((None, chilly), war) - (-0.1 + -2.0)).abs() < 1e-3);
        // stored trigram
        assert_eq!(lm.logp((lm.id("<s>"), cold), war), q(-0.1));
        assert_eq!(lm.logp((None, None), None), UNKNOWN_LOGP);
        assert!(lm.sentence_logp(&["cold", "war"]) > lm.sentence_logp(&["chilly", "war"]));
        // out of context: unigram, then bigram; an unknown word at its price
        assert_eq!(lm.phrase_logp("cold war", -9.0), q(-2.0) + q(-0.5));
        assert_eq!(
            lm.phrase_logp("cold frost war", -9.0),
            q(-2.0) - 9.0 + q(-2.0)
        );
    }

    #[test]
    fn ngram_table_finds_exactly_the_stored_keys() {
        // packed keys that differ only in high bits collide in a naive hash
        let keys: Vec<u64> = (0..5000u64)
            .map(|i| (i << 42) | ((i % 7) << 21) | (i % 3))
            .collect();
        let logp: Vec<u16> = (0..5000u16).collect();
        let bow: Vec<i16> = (0..5000i16).map(|i| -i).collect();
        let t = NgramTable::build(&keys, &logp, Some(&bow));
        for (i, &k) in keys.iter().enumerate() {
            let e = t.find(k).expect("a stored key is found");
            assert_eq!((e.key, e.logp, e.bow), (k, i as u16, -(i as i16)));
            assert!(t.find(k + (1 << 20)).is_none());
        }
        assert!(NgramTable::build(&[], &[], None).find(3).is_none());
    }

    #[test]
    fn the_memo_never_mixes_two_models() {
        let a = tiny_model();
        let mut b = LmBuilder::new();
        for (w, p) in [
            ("<s>", -99.0),
            ("</s>", -1.0),
            ("cold", -3.0),
            ("war", -1.5),
            ("chilly", -2.5),
        ] {
            b.add(&[w], p, 0.0).unwrap();
        }
        let lex = LexiconBuilder::new().build();
        let b =
            Model::from_bytes(&write_model(&b.build().unwrap(), &lex, &Params::default())).unwrap();
        // the same ids in both vocabularies (sorted words), different answers
        let (la, lb) = (a.lm(), b.lm());
        assert_eq!(la.id("war"), lb.id("war"));
        for _ in 0..3 {
            let pa = la.logp((None, None), la.id("war"));
            let pb = lb.logp((None, None), lb.id("war"));
            assert!((pa - dq_logp(q_logp(-2.0))).abs() < 1e-6, "{pa}");
            assert!((pb - dq_logp(q_logp(-1.5))).abs() < 1e-6, "{pb}");
        }
    }
}

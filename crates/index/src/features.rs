//! Spin-robust features: what the index is keyed on.
//!
//! A spinner swaps content words for thesaurus synonyms and mostly leaves
//! alone the words that carry a text's skeleton: function words, numbers
//! and names. Two kinds of features survive a 50% spin well enough to find
//! the source among many documents:
//!
//! - **stems** of words (`rust-stemmers`, English Snowball), so the content
//!   words a spinner left alone match even when inflection moved, and names
//!   and numbers match exactly;
//! - **immutable n-grams** (Stamatatos 2011's stopword n-grams, DSpin's
//!   "immutables"): the sequence of function words, numbers and names with
//!   the content words dropped, cut into overlapping [`IMMUTABLE_N`]-grams
//!   and hashed. They are rare enough to be specific, and a spinner that
//!   swaps a content word does not break them.
//!
//! The same function, [`features`], runs at index time (inside tantivy's
//! indexing threads, through [`FeatureTokenizer`]) and at query time, so
//! both sides always agree.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unspin_core::text::{Case, Text};

/// Length of the immutable n-grams.
pub const IMMUTABLE_N: usize = 4;

/// Name under which [`FeatureTokenizer`] is registered in an index.
pub const TOKENIZER_NAME: &str = "unspin_features_v1";

/// English function words: the words a thesaurus spinner mostly leaves
/// alone. Sorted, so membership is a binary search.
const FUNCTION_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "against",
    "all",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "may",
    "me",
    "might",
    "more",
    "most",
    "must",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "ourselves",
    "out",
    "over",
    "own",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];

/// True when `norm` (a lower-cased word) is a function word.
pub fn is_function_word(norm: &str) -> bool {
    FUNCTION_WORDS.binary_search(&norm).is_ok()
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

thread_local! {
    /// Stems of words seen lately by this thread: word frequencies are
    /// Zipfian, so most words are stemmed once (a third of build time
    /// otherwise goes to the stemmer).
    static STEMS: std::cell::RefCell<HashMap<String, String, BuildHasherDefault<Fnv>>> = Default::default();
}

/// FNV-1a as a `Hasher`, for the stem cache (short keys; SipHash is slower).
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// Entries the per-thread stem cache may hold before it is cleared.
const STEM_CACHE_MAX: usize = 1 << 17;

/// The stem of a lower-cased word.
pub fn stem(norm: &str) -> String {
    STEMS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(s) = cache.get(norm) {
            return s.clone();
        }
        let s = stemmer().stem(norm).into_owned();
        if cache.len() >= STEM_CACHE_MAX {
            cache.clear();
        }
        cache.insert(norm.to_string(), s.clone());
        s
    })
}

/// Bits of an immutable n-gram's hash kept in its term: 20 bits keep the
/// term dictionary small (a million terms at most, 4 characters each; a
/// large dictionary made builds slow) at the price of
/// collisions, which the alignment that verifies every candidate absorbs.
const GRAM_BITS: u32 = 20;

/// `#` and the low [`GRAM_BITS`] of `h` in a 64-letter alphabet.
fn gram_term(h: u64) -> String {
    const DIGITS: &[u8; 64] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_+";
    let mut v = h & ((1 << GRAM_BITS) - 1);
    let mut out = String::with_capacity(6);
    out.push('#');
    for _ in 0..GRAM_BITS.div_ceil(6) {
        out.push(DIGITS[(v & 63) as usize] as char);
        v >>= 6;
    }
    out
}

/// FNV-1a, 64 bits: stable across builds and platforms (the index stores
/// these hashes, so they are part of the on-disk format).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0x1f;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in p.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// True when a word belongs to the immutable skeleton: a function word, a
/// word with a digit, or a capitalised word inside a sentence (a name).
fn is_immutable(norm: &str, case: Case, sentence_start: bool) -> bool {
    is_function_word(norm)
        || norm.bytes().any(|b| b.is_ascii_digit())
        || (!sentence_start && case != Case::Lower)
}

/// The index terms of `text`, in text order (duplicates kept: the index
/// counts term frequencies). Stems are written as they are; immutable
/// n-grams as `#` and four characters of their hash, which no stem can look
/// like (a word never contains `#`).
pub fn features(text: &str) -> Vec<String> {
    let t = Text::new(text);
    let mut out = Vec::with_capacity(t.words().len() * 2);
    let mut skeleton: Vec<&str> = Vec::new();
    for w in t.words() {
        if !is_function_word(&w.norm) {
            out.push(stem(&w.norm));
        }
        if is_immutable(&w.norm, w.case, w.sentence_start) {
            skeleton.push(&w.norm);
        }
    }
    if skeleton.len() >= IMMUTABLE_N {
        for g in skeleton.windows(IMMUTABLE_N) {
            out.push(gram_term(fnv1a(g)));
        }
    }
    out
}

/// A tantivy tokenizer that turns a document's raw text into [`features`],
/// so feature extraction runs in tantivy's indexing threads.
#[derive(Clone, Debug, Default)]
pub struct FeatureTokenizer;

/// The token stream of [`FeatureTokenizer`].
#[derive(Debug)]
pub struct FeatureStream {
    terms: std::vec::IntoIter<String>,
    token: Token,
}

impl Tokenizer for FeatureTokenizer {
    type TokenStream<'a> = FeatureStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FeatureStream {
        FeatureStream {
            terms: features(text).into_iter(),
            token: Token::default(),
        }
    }
}

impl TokenStream for FeatureStream {
    fn advance(&mut self) -> bool {
        match self.terms.next() {
            Some(t) => {
                self.token.position = self.token.position.wrapping_add(1);
                self.token.text = t;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_words_are_sorted() {
        assert!(FUNCTION_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn content_swaps_keep_the_immutable_grams() {
        let original = "The army of the United States said on Monday that it was in 3 cities.";
        let spun = "The navy of the United States stated on Monday that it was in 3 towns.";
        let grams = |s: &str| -> Vec<String> {
            features(s)
                .into_iter()
                .filter(|f| f.starts_with('#'))
                .collect()
        };
        assert!(!grams(original).is_empty());
        assert_eq!(grams(original), grams(spun));
        let other = "A cat sat on the mat while it rained in Paris for 2 days.";
        assert!(grams(other).iter().all(|g| !grams(original).contains(g)));
    }

    #[test]
    fn stems_absorb_inflection() {
        let f = features("Profits jumped");
        assert!(f.contains(&"profit".to_string()), "{f:?}");
        assert!(f.contains(&"jump".to_string()), "{f:?}");
        assert!(features("").is_empty());
    }

    #[test]
    fn tokenizer_streams_the_features() {
        let mut tok = FeatureTokenizer;
        let mut s = tok.token_stream("The firm rose 2% in March.");
        let mut got = Vec::new();
        while s.advance() {
            got.push(s.token().text.clone());
        }
        assert_eq!(got, features("The firm rose 2% in March."));
    }
}

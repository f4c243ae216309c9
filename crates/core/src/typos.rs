//! Misspelled words: a spinner "spins typos too" (PRODUCT.md §1). Some
//! spinners' dictionaries hold misspelled synonyms, others garble a word
//! now and then so that copy-detectors miss the copy ("recieved",
//! "anouncement", "numbr"). The thesaurus offers nothing for such a word,
//! so the decoder cannot restore it; this rule does.
//!
//! A word is taken for a typo when all of these hold:
//! - it is written in lower case, in ASCII letters, and has at least
//!   [`MIN_LEN`] letters (a short word's one-letter neighbours are many)
//!   and at most [`MAX_LEN`];
//! - neither the language model nor the lexicon knows it, and it is no
//!   inflection of a word the lexicon knows ("occured" is none: "occur"
//!   makes "occurred") nor a plural ("podcasts"). The model, trained on
//!   web text, knows common human misspellings ("goverment"), which are
//!   left alone: they are no spinner's;
//! - it occurs once in the text (a repeated unknown word is the text's
//!   own term, see the engine's repeated unknown words);
//! - one edit (a letter dropped, added, replaced, or two neighbours
//!   swapped) turns it into a word the model knows well, with a log10
//!   unigram probability of at least [`MIN_UNIGRAM`].
//!
//! The correction is the edit whose word the model likes best between
//! the two words before and the two after. Its confidence is its share of
//! the likelihood of all the corrections, times the probability that the
//! spinner, not the writer, made the typo: higher when the text has
//! several. A correction with less than half the share is not proposed.
//!
//! The engine decodes every text with its typos read as the words they
//! misspell. Like the style residue ([`crate::style`]), a misspelling is
//! not proof of spinning on its own (writers make typos too), so the
//! engine flags and restores the typos only in a text its first pass
//! reads as spun.

use std::collections::HashMap;

use crate::lexicon::morph::Infl;
use crate::lexicon::Lexicon;
use crate::lm::NgramLm;
use crate::style::WordFix;
use crate::text::{Case, Text};

/// The fewest letters a word needs to be taken for a typo.
pub const MIN_LEN: usize = 4;
/// The most: a word's one-edit neighbours grow with the square of its
/// length, and English words are shorter ("counterrevolutionaries" has
/// 22 letters), so a giant token costs nothing.
pub const MAX_LEN: usize = 24;
/// The least log10 unigram probability of a correction: a typo of a rare
/// word cannot be told from an unknown word of its own.
pub const MIN_UNIGRAM: f32 = -5.5;
/// Probability that a spinner wrote an unknown word one edit from a
/// common one, in a text that reads as spun and has no other such word:
/// writers make typos too (0.14 per 1,000 words of the BBC articles).
const LONE_TYPO: f64 = 0.9;
/// The same when the text has several: a spinner that makes typos makes
/// many (a genuine BBC article has more than one in 10 of 1,745 articles).
const TYPOS: f64 = 0.97;
/// Words of context on each side that weigh a correction.
const CONTEXT: usize = 2;

/// The typos of `t` that `lm` and `lexicon` can correct, in word order.
pub fn find(t: &Text, lm: &NgramLm, lexicon: &Lexicon) -> Vec<WordFix> {
    let words = t.words();
    let unknown = |w: &crate::text::Word| {
        w.case == Case::Lower
            && (MIN_LEN..=MAX_LEN).contains(&w.norm.len())
            && w.norm.bytes().all(|b| b.is_ascii_lowercase())
            && lm.id_lenient(&w.norm).is_none()
    };
    // most texts have no unknown word to look at
    if !words.iter().any(unknown) {
        return Vec::new();
    }
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for w in words {
        *counts.entry(w.norm.as_str()).or_default() += 1;
    }
    let ids: Vec<Option<u32>> = words.iter().map(|w| lm.id_lenient(&w.norm)).collect();
    let mut fixes = Vec::new();
    for sent in t.sentences() {
        for i in sent.clone() {
            let w = &words[i];
            if !unknown(w) || counts[w.norm.as_str()] > 1 || is_known(&w.norm, lm, lexicon) {
                continue;
            }
            let mut corrections: Vec<(u32, String)> = Vec::new();
            for_each_edit(&w.norm, |c| {
                if let Some(id) = lm.id(c).filter(|&id| lm.unigram(Some(id)) >= MIN_UNIGRAM) {
                    corrections.push((id, c.to_string()));
                }
            });
            corrections.sort_unstable();
            corrections.dedup();
            if corrections.is_empty() {
                continue;
            }
            let before = sent.start.max(i.saturating_sub(CONTEXT));
            let after = sent.end.min(i + 1 + CONTEXT);
            let scores: Vec<f64> = corrections
                .iter()
                .map(|&(id, _)| {
                    let mut state = match before == sent.start {
                        true => lm.start_state(),
                        false => (None, None),
                    };
                    for &x in &ids[before..i] {
                        state = NgramLm::advance(state, x);
                    }
                    let mut total = 0.0f64;
                    for x in std::iter::once(Some(id)).chain(ids[i + 1..after].iter().copied()) {
                        total += f64::from(lm.logp(state, x));
                        state = NgramLm::advance(state, x);
                    }
                    total
                })
                .collect();
            let top = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = scores.iter().map(|s| 10f64.powf(s - top)).sum();
            let best = scores
                .iter()
                .position(|&s| s == top)
                .expect("a correction scores highest");
            let share = 1.0 / sum;
            if share >= 0.5 {
                fixes.push(WordFix {
                    word: i,
                    to: corrections[best].1.clone(),
                    confidence: share,
                });
            }
        }
    }
    let prior = if fixes.len() > 1 { TYPOS } else { LONE_TYPO };
    for f in &mut fixes {
        f.confidence *= prior;
    }
    fixes
}

/// True when the lexicon knows `word` or a lemma it inflects to `word`
/// (not "occured": "occur" makes "occurred"), or the lexicon or the model
/// knows `word` without a final "s" (a plural: "podcasts", "tsunamis").
fn is_known(word: &str, lm: &NgramLm, lexicon: &Lexicon) -> bool {
    let morph = lexicon.irregular();
    let inflects = |lemma: &str, infl: Infl| {
        lexicon
            .id(lemma)
            .is_some_and(|id| lexicon.pos(id) & infl.pos() != 0)
            && morph.forms(lemma, infl).iter().any(|f| f == word)
    };
    lexicon.id(word).is_some()
        || word
            .strip_suffix('s')
            .is_some_and(|w| lexicon.id(w).is_some() || lm.id(w).is_some())
        || morph
            .analyses(word)
            .iter()
            .any(|(lemma, infl)| *infl != Infl::Base && inflects(lemma, *infl))
}

/// Calls `f` with every lower-case ASCII word one edit from `word` (a
/// letter dropped, added or replaced, or two neighbouring letters
/// swapped), never `word` itself; a word reached by two edits comes twice.
pub fn for_each_edit(word: &str, mut f: impl FnMut(&str)) {
    let w = word.as_bytes();
    let mut buf: Vec<u8> = Vec::with_capacity(w.len() + 1);
    let mut call = |buf: &[u8]| f(std::str::from_utf8(buf).expect("ASCII letters"));
    for i in 0..w.len() {
        buf.clear();
        buf.extend_from_slice(&w[..i]);
        buf.extend_from_slice(&w[i + 1..]);
        call(&buf);
        if i + 1 < w.len() && w[i] != w[i + 1] {
            buf.clear();
            buf.extend_from_slice(w);
            buf.swap(i, i + 1);
            call(&buf);
        }
        buf.clear();
        buf.extend_from_slice(w);
        for c in (b'a'..=b'z').filter(|&c| c != w[i]) {
            buf[i] = c;
            call(&buf);
        }
    }
    for i in 0..=w.len() {
        buf.clear();
        buf.extend_from_slice(&w[..i]);
        buf.push(b'a');
        buf.extend_from_slice(&w[i..]);
        for c in b'a'..=b'z' {
            buf[i] = c;
            call(&buf);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_are_one_step_away() {
        let mut e: Vec<String> = Vec::new();
        for_each_edit("form", |x| e.push(x.to_string()));
        assert_eq!(e.len(), 4 + 3 + 4 * 25 + 5 * 26, "every edit, once each");
        for want in ["from", "for", "forms", "farm", "fork", "orm"] {
            assert!(e.iter().any(|x| x == want), "{want} missing");
        }
        assert!(!e.iter().any(|x| x == "form"), "the word itself");
        for far in ["fir", "frmo", "forums"] {
            assert!(!e.iter().any(|x| x == far), "{far} is two edits away");
        }
    }
}

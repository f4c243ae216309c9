//! Word-level alignment of a suspect text to a candidate source.
//!
//! The two texts are tokenised with [`unspin_core::text::Text`] and aligned
//! by a longest common subsequence of their (lower-cased) words: the words
//! a spinner left alone are the anchors. Each suspect sentence whose words
//! are anchored densely enough is *aligned*: it is paired with the source
//! sentence(s) its anchors fall in, and every gap between two consecutive
//! anchors becomes a [`Substitution`] (spun phrase ↔ original phrase; one
//! side may be empty when the spinner inserted or dropped words). Sentences
//! of a patchwork that come from elsewhere find few, scattered anchors and
//! stay unaligned, so a source only claims the parts it explains.
//!
//! All offsets are character offsets into the untouched inputs.

use std::collections::HashMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use unspin_core::text::Text;

use crate::features::is_function_word;

/// A gap wider than this (in words, on either side) is not treated as one
/// substitution: spinners swap words and short phrases, not clauses.
pub const MAX_GAP_WORDS: usize = 12;

/// Above this many DP cells the suspect is aligned in chunks.
const MAX_CELLS: usize = 16 << 20;

/// One substitution: a spun phrase of the suspect and the original phrase of
/// the source it replaces.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Substitution {
    /// first character of the spun phrase in the suspect
    pub start: usize,
    /// one past its last character
    pub end: usize,
    /// the spun phrase (empty when the spinner dropped words)
    pub text: String,
    /// first character of the original phrase in the source
    pub source_start: usize,
    /// one past its last character
    pub source_end: usize,
    /// the original phrase (empty when the spinner inserted words)
    pub original: String,
}

/// A suspect sentence aligned to its source passage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SentencePair {
    /// first character of the sentence in the suspect
    pub start: usize,
    /// one past its last character
    pub end: usize,
    /// the suspect sentence
    pub text: String,
    /// first character of the aligned passage in the source
    pub source_start: usize,
    /// one past its last character
    pub source_end: usize,
    /// the aligned source passage
    pub source_text: String,
    /// every substitution inside the sentence, in order
    pub substitutions: Vec<Substitution>,
}

/// The alignment of a suspect to one source, with the counts scores are
/// made of.
#[derive(Clone, Debug, Default)]
pub struct Alignment {
    /// the aligned sentences, in suspect order
    pub pairs: Vec<SentencePair>,
    /// suspect words that match a source word inside aligned sentences
    pub matched: usize,
    /// suspect words inside aligned sentences
    pub covered: usize,
    /// all suspect words
    pub suspect_words: usize,
    /// source words inside the aligned source passages
    pub source_covered: usize,
    /// all source words
    pub source_words: usize,
}

impl Alignment {
    /// Share of the suspect's words that lie in sentences this source
    /// explains, 0..1.
    pub fn coverage(&self) -> f64 {
        ratio(self.covered, self.suspect_words)
    }

    /// Score: the share of suspect words matched verbatim in aligned
    /// sentences, nudged by the share of the source's words they match (so
    /// a source is preferred to a longer document that merely contains it,
    /// and to a near-duplicate with words the suspect lacks).
    pub fn score(&self) -> f64 {
        let recall = ratio(self.matched, self.suspect_words);
        let precision = ratio(self.matched, self.source_words);
        recall * (0.9 + 0.1 * precision)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Longest common subsequence of two id sequences, as index pairs.
fn lcs(a: &[u32], b: &[u32]) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return Vec::new();
    }
    let w = m + 1;
    // l[i * w + j] = LCS length of a[i..] and b[j..]; u32 never overflows.
    let mut l = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            l[i * w + j] = if a[i] == b[j] {
                l[(i + 1) * w + j + 1] + 1
            } else {
                l[(i + 1) * w + j].max(l[i * w + j + 1])
            };
        }
    }
    let mut out = Vec::with_capacity(l[0] as usize);
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            out.push((i, j));
            i += 1;
            j += 1;
        } else if l[(i + 1) * w + j] >= l[i * w + j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// Anchors (suspect word, source word) of the alignment, ascending in both.
fn anchors(suspect: &Text, source: &Text) -> Vec<(usize, usize)> {
    let mut ids: HashMap<&str, u32> = HashMap::new();
    let b: Vec<u32> = source
        .words()
        .iter()
        .map(|w| {
            let next = ids.len() as u32;
            *ids.entry(w.norm.as_str()).or_insert(next)
        })
        .collect();
    // words absent from the source get ids that match nothing
    let a: Vec<u32> = suspect
        .words()
        .iter()
        .enumerate()
        .map(|(i, w)| {
            ids.get(w.norm.as_str())
                .copied()
                .unwrap_or(u32::MAX - i as u32)
        })
        .collect();
    if b.is_empty() {
        return Vec::new();
    }
    let chunk = (MAX_CELLS / b.len()).max(64);
    let mut out = Vec::new();
    let mut j_floor = 0;
    for start in (0..a.len()).step_by(chunk) {
        let end = (start + chunk).min(a.len());
        let pairs = lcs(&a[start..end], &b[j_floor..]);
        for (i, j) in pairs {
            out.push((start + i, j_floor + j));
        }
        if let Some(&(_, j)) = out.last() {
            j_floor = j + 1;
        }
        if j_floor >= b.len() {
            break;
        }
    }
    out
}

fn chars(t: &Text, words: Range<usize>) -> Range<usize> {
    if words.is_empty() {
        return 0..0;
    }
    t.words()[words.start].chars.start..t.words()[words.end - 1].chars.end
}

fn slice(s: &str, r: &Range<usize>) -> String {
    unspin_core::text::slice_chars(s, r.clone())
        .unwrap_or_default()
        .to_string()
}

/// Character position where a word gap "after word `i`" starts: the end of
/// word `i`, or `fallback` when there is no such word.
fn end_of(t: &Text, i: Option<usize>, fallback: usize) -> usize {
    i.map_or(fallback, |i| t.words()[i].chars.end)
}

/// Aligns `suspect` to `source`.
pub fn align(suspect: &str, source: &str) -> Alignment {
    let st = Text::new(suspect);
    let ot = Text::new(source);
    align_texts(&st, &ot)
}

/// Aligns two tokenised texts (see [`align`]).
pub fn align_texts(st: &Text, ot: &Text) -> Alignment {
    let pairs = anchors(st, ot);
    let mut result = Alignment {
        suspect_words: st.words().len(),
        source_words: ot.words().len(),
        ..Alignment::default()
    };
    // sentence index of every source word, and the source sentences
    let src_sents: Vec<Range<usize>> = ot.sentences().collect();
    let mut src_sent_of = vec![0usize; ot.words().len()];
    for (k, r) in src_sents.iter().enumerate() {
        for j in r.clone() {
            src_sent_of[j] = k;
        }
    }
    let suspect = st.input();
    let source = ot.input();
    let mut p = 0usize; // next anchor to look at
    let mut claimed = 0usize; // source words before this are used by earlier sentences
    for r in st.sentences() {
        while p < pairs.len() && pairs[p].0 < r.start {
            p += 1;
        }
        let q = pairs[p..].iter().take_while(|(i, _)| *i < r.end).count() + p;
        let sent = &pairs[p..q];
        p = q;
        let len = r.len();
        let k = sent.len();
        if k == 0 {
            continue;
        }
        let content = sent
            .iter()
            .filter(|(i, _)| !is_function_word(&st.words()[*i].norm))
            .count();
        let (j_first, j_last) = (sent[0].1, sent[k - 1].1);
        let spread = j_last - j_first + 1;
        let dense = k * 10 >= len * 4 && k >= len.min(2) && content >= 1;
        if !dense || spread > 2 * len + MAX_GAP_WORDS || j_first < claimed {
            continue;
        }
        // the source passage: the anchors' source sentences, not reaching
        // into words an earlier suspect sentence already used
        let src_from = src_sents[src_sent_of[j_first]].start.max(claimed);
        let src_to = src_sents[src_sent_of[j_last]].end;
        claimed = j_last + 1;
        // gaps: before the first anchor, between anchors, after the last
        let mut subs = Vec::new();
        for w in 0..=k {
            let prev = w.checked_sub(1).map(|x| sent[x]);
            let (si, sj) = prev.map_or((r.start, src_from), |(i, j)| (i + 1, j + 1));
            let (qi, qj) = sent.get(w).copied().unwrap_or((r.end, src_to));
            let (gi, gj) = (si..qi, sj..qj.max(sj));
            // source words beyond the suspect's first or last anchor with
            // nothing in their place are a shorter copy, not a drop
            if gi.is_empty() && (gj.is_empty() || w == 0 || w == k) {
                continue;
            }
            if gi.len() > MAX_GAP_WORDS || gj.len() > MAX_GAP_WORDS {
                continue;
            }
            let prev_s = prev.map(|(i, _)| i);
            let prev_o = prev.map(|(_, j)| j);
            let (s_range, o_range) = match (gi.is_empty(), gj.is_empty()) {
                (false, false) => (chars(st, gi.clone()), chars(ot, gj.clone())),
                // the spinner inserted words: delete them with the space before
                (false, true) => {
                    let s_end = st.words()[gi.end - 1].chars.end;
                    let s_start = match prev_s {
                        Some(_) => end_of(st, prev_s, 0),
                        None => st.words()[gi.start].chars.start,
                    };
                    let s_end = if prev_s.is_none() {
                        st.words().get(gi.end).map_or(s_end, |w| w.chars.start)
                    } else {
                        s_end
                    };
                    let o = ot.words().get(gj.start).map_or(0, |w| w.chars.start);
                    (s_start..s_end, o..o)
                }
                // the spinner dropped words: put them back with their spacing
                (true, false) => {
                    let o_last = ot.words()[gj.end - 1].chars.end;
                    match prev_s {
                        Some(_) => {
                            let at = end_of(st, prev_s, 0);
                            (at..at, end_of(ot, prev_o, 0)..o_last)
                        }
                        None => {
                            let at = st
                                .words()
                                .get(gi.end)
                                .map_or(suspect.chars().count(), |w| w.chars.start);
                            let o_start = ot.words()[gj.start].chars.start;
                            let o_end = ot.words().get(gj.end).map_or(o_last, |w| w.chars.start);
                            (at..at, o_start..o_end)
                        }
                    }
                }
                (true, true) => unreachable!(),
            };
            subs.push(Substitution {
                start: s_range.start,
                end: s_range.end,
                text: slice(suspect, &s_range),
                source_start: o_range.start,
                source_end: o_range.end,
                original: slice(source, &o_range),
            });
        }
        let s_chars = chars(st, r.clone());
        let o_chars = chars(ot, src_from..src_to);
        result.matched += k;
        result.covered += len;
        result.source_covered += src_to - src_from;
        result.pairs.push(SentencePair {
            start: s_chars.start,
            end: s_chars.end,
            text: slice(suspect, &s_chars),
            source_start: o_chars.start,
            source_end: o_chars.end,
            source_text: slice(source, &o_chars),
            substitutions: subs,
        });
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subs(a: &Alignment) -> Vec<(String, String)> {
        a.pairs
            .iter()
            .flat_map(|p| {
                p.substitutions
                    .iter()
                    .map(|s| (s.text.clone(), s.original.clone()))
            })
            .collect()
    }

    #[test]
    fn lcs_finds_the_common_words() {
        assert_eq!(
            lcs(&[1, 2, 3, 4], &[1, 5, 3, 4]),
            vec![(0, 0), (2, 2), (3, 3)]
        );
        assert!(lcs(&[], &[1]).is_empty());
    }

    #[test]
    fn substitutions_pair_spun_and_original_phrases() {
        let src = "The Cold War era ended. The military held joint exercises in the field.";
        let sus = "The Chilly Conflict period ended. The navy held joint workout routines in the discipline.";
        let a = align(sus, src);
        assert_eq!(a.pairs.len(), 2);
        assert_eq!(
            subs(&a),
            [
                (
                    "Chilly Conflict period".to_string(),
                    "Cold War era".to_string()
                ),
                ("navy".into(), "military".into()),
                ("workout routines".into(), "exercises".into()),
                ("discipline".into(), "field".into()),
            ]
        );
        for p in &a.pairs {
            for s in &p.substitutions {
                assert_eq!(
                    unspin_core::text::slice_chars(sus, s.start..s.end),
                    Some(s.text.as_str())
                );
                assert_eq!(
                    unspin_core::text::slice_chars(src, s.source_start..s.source_end),
                    Some(s.original.as_str())
                );
            }
        }
        assert!((a.coverage() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn insertions_and_drops_keep_spacing() {
        let src = "It was reported that the firm grew quickly last year.";
        let sus = "It was once reported that the firm grew last year.";
        let a = align(sus, src);
        let s = subs(&a);
        assert!(s.contains(&(" once".to_string(), String::new())), "{s:?}");
        assert!(
            s.contains(&(String::new(), " quickly".to_string())),
            "{s:?}"
        );
    }

    #[test]
    fn a_shorter_copy_is_not_padded_with_the_source() {
        let src = "Officials said the drills would continue until March, and beyond.";
        let sus = "Officials stated the drills would continue until March.";
        let a = align(sus, src);
        assert_eq!(subs(&a), [("stated".to_string(), "said".to_string())]);
    }

    #[test]
    fn unrelated_sentences_stay_unaligned() {
        let src = "Quarterly profits at the media giant jumped to a record for the three months.";
        let sus = "The cat sat on the mat and looked at the rain for a while.";
        let a = align(sus, src);
        assert!(a.pairs.is_empty(), "{:?}", a.pairs);
        assert_eq!(a.coverage(), 0.0);
    }

    #[test]
    fn patchwork_sentences_are_claimed_by_their_source() {
        let a_src =
            "The minister said the budget would rise next year. Schools will get more money.";
        let b_src = "Heavy rain flooded the valley overnight. Roads were closed by the police.";
        let sus = "The minister stated the finances would increase next year. Heavy rain inundated the valley overnight.";
        let a = align(sus, a_src);
        let b = align(sus, b_src);
        assert_eq!(a.pairs.len(), 1);
        assert_eq!(b.pairs.len(), 1);
        assert!(a.pairs[0].end <= b.pairs[0].start);
        assert!(a.coverage() > 0.4 && b.coverage() > 0.3);
    }
}

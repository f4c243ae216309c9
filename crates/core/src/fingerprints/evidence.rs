//! Document evidence: the analyst's table of tortured phrases in one
//! document, and the PPS-style verdict.
//!
//! The Problematic Paper Screener flags a paper when it carries at least
//! *N* distinct tortured phrases; one phrase can be a fluke, several
//! distinct ones rarely are. [`evidence`] applies that rule to the spans of
//! a detection: list hits (`source: "list"`) count as *listed* phrases,
//! the model's and a reference's spans as *discovered* ones. Spinner
//! residue found by rule (`source: "rule"`: a split number, spintax) is no
//! phrase and is left out; it raises the detection's document score
//! instead.
//! Phrases are counted once per distinct normalised wording, however often
//! they occur.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::normalize::normalize_phrase;
use crate::record::Span;

/// Default N of the "≥ N distinct tortured phrases" verdict.
pub const DEFAULT_MIN_DISTINCT: usize = 2;

/// Where a phrase of the evidence table comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum PhraseOrigin {
    /// a hit of a loaded fingerprint list
    Listed,
    /// found by the model or by reference, not in any loaded list
    Discovered,
}

/// One distinct tortured phrase of a document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhraseEvidence {
    /// the phrase, normalised (lower case, single spaces)
    pub phrase: String,
    /// the expected wording, when known
    pub expected: Option<String>,
    /// listed or discovered
    pub origin: PhraseOrigin,
    /// how many times it occurs
    pub occurrences: usize,
    /// the highest span score among its occurrences
    pub score: f64,
    /// `[start, end)` character offsets of every occurrence
    pub spans: Vec<[usize; 2]>,
}

/// The evidence of one document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// distinct tortured phrases found
    pub distinct: usize,
    /// of which from a list
    pub listed: usize,
    /// of which discovered
    pub discovered: usize,
    /// the N of the verdict
    pub min_distinct: usize,
    /// true when `distinct >= min_distinct`
    pub flagged: bool,
    /// the table, listed phrases first, then by occurrences
    pub phrases: Vec<PhraseEvidence>,
}

impl Evidence {
    /// The verdict in words, e.g. "3 distinct tortured phrases (2 listed,
    /// 1 discovered): flagged (≥ 2)".
    pub fn verdict(&self) -> String {
        format!(
            "{} distinct tortured phrase{} ({} listed, {} discovered): {} (≥ {})",
            self.distinct,
            if self.distinct == 1 { "" } else { "s" },
            self.listed,
            self.discovered,
            if self.flagged {
                "flagged"
            } else {
                "not flagged"
            },
            self.min_distinct
        )
    }
}

/// Builds the evidence of a document from its detect spans (list hits have
/// `source: "list"`; rule hits, `source: "rule"`, are skipped); flags it
/// when at least `min_distinct` distinct phrases were found (`min_distinct`
/// 0 is read as 1).
///
/// ```
/// use unspin_core::fingerprints::{evidence, Fingerprints};
/// let list = Fingerprints::from_pairs([
///     ("counterfeit consciousness", "artificial intelligence"),
///     ("irregular woodland", "random forest"),
/// ]);
/// let text = "Counterfeit consciousness meets an irregular woodland.";
/// let ev = evidence(&list.spans(text), 2);
/// assert_eq!((ev.distinct, ev.listed), (2, 2));
/// assert!(ev.flagged);
/// ```
pub fn evidence(spans: &[Span], min_distinct: usize) -> Evidence {
    let min_distinct = min_distinct.max(1);
    let mut table: BTreeMap<(PhraseOrigin, String), PhraseEvidence> = BTreeMap::new();
    for s in spans {
        let origin = match s.source.as_deref() {
            Some("list") => PhraseOrigin::Listed,
            Some(crate::residue::SOURCE) => continue,
            _ => PhraseOrigin::Discovered,
        };
        let phrase = normalize_phrase(&s.text);
        if phrase.is_empty() {
            continue;
        }
        let e = table
            .entry((origin, phrase.clone()))
            .or_insert_with(|| PhraseEvidence {
                phrase,
                expected: None,
                origin,
                occurrences: 0,
                score: 0.0,
                spans: Vec::new(),
            });
        e.occurrences += 1;
        e.score = e.score.max(s.score);
        e.spans.push([s.start, s.end]);
        if e.expected.is_none() {
            e.expected.clone_from(&s.suggestion);
        }
    }
    // a phrase both listed and discovered counts once, as listed
    let listed_phrases: Vec<String> = table
        .keys()
        .filter(|(o, _)| *o == PhraseOrigin::Listed)
        .map(|(_, p)| p.clone())
        .collect();
    for p in listed_phrases {
        if let Some(d) = table.remove(&(PhraseOrigin::Discovered, p.clone())) {
            let l = table
                .get_mut(&(PhraseOrigin::Listed, p))
                .expect("listed phrase");
            l.occurrences += d.occurrences;
            l.spans.extend(d.spans);
            l.spans.sort_unstable();
        }
    }
    let mut phrases: Vec<PhraseEvidence> = table.into_values().collect();
    phrases.sort_by(|a, b| {
        a.origin
            .cmp(&b.origin)
            .then(b.occurrences.cmp(&a.occurrences))
            .then(a.phrase.cmp(&b.phrase))
    });
    let listed = phrases
        .iter()
        .filter(|p| p.origin == PhraseOrigin::Listed)
        .count();
    let distinct = phrases.len();
    Evidence {
        distinct,
        listed,
        discovered: distinct - listed,
        min_distinct,
        flagged: distinct >= min_distinct,
        phrases,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, text: &str, source: &str) -> Span {
        Span {
            start,
            end: start + text.chars().count(),
            text: text.into(),
            score: 0.9,
            suggestion: Some("x".into()),
            source: Some(source.into()),
        }
    }

    #[test]
    fn counts_distinct_phrases() {
        let spans = [
            span(0, "Counterfeit consciousness", "list"),
            span(40, "counterfeit  consciousness", "list"),
            span(80, "irregular woodland", "model"),
            span(120, "counterfeit consciousness", "model"),
        ];
        let ev = evidence(&spans, 2);
        assert_eq!((ev.distinct, ev.listed, ev.discovered), (2, 1, 1));
        assert!(ev.flagged);
        assert_eq!(ev.phrases[0].occurrences, 3);
        assert_eq!(ev.phrases[0].spans, [[0, 25], [40, 66], [120, 145]]);
        assert!(ev
            .verdict()
            .starts_with("2 distinct tortured phrases (1 listed, 1 discovered): flagged"));
        let ev = evidence(&spans, 3);
        assert!(!ev.flagged);
        assert!(!evidence(&[], 0).flagged);
    }

    #[test]
    fn rule_hits_are_no_phrases() {
        let spans = [span(0, "3, 800", "rule"), span(10, "{this|that}", "rule")];
        let ev = evidence(&spans, 1);
        assert_eq!((ev.distinct, ev.listed, ev.discovered), (0, 0, 0));
        assert!(!ev.flagged);
    }
}

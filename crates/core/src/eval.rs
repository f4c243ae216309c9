//! The metrics of PRODUCT.md §5, computed on aligned (original, spun) pairs.
//!
//! Words are the tokens of [`crate::text::Text`] (`\w+(['’-]\w+)*`),
//! compared case-insensitively. The gold spun words are the spun-side words
//! of the non-equal blocks of a longest-common-subsequence word diff.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::engine::Unspinner;
use crate::record::{Detection, Restoration};
use crate::text::Text;

/// One evaluation pair.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pair {
    /// the pair's id
    #[serde(default)]
    pub id: serde_json::Value,
    /// the original text
    pub original: String,
    /// the spun text
    pub spun: String,
    /// the domain ("news", "science"), free-form
    #[serde(default)]
    pub domain: Option<String>,
}

/// A block of a word diff: `a` words of the first text, `b` of the second.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// word range in the first text
    pub a: Range<usize>,
    /// word range in the second text
    pub b: Range<usize>,
    /// true for an unchanged block
    pub equal: bool,
}

/// A word diff by longest common subsequence (Myers' algorithm finds a
/// shortest edit script, whose equal runs are a longest common subsequence;
/// `similar`'s plain LCS gives up on long inputs and marks whole texts changed).
pub fn diff(a: &[String], b: &[String]) -> Vec<Block> {
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, a, b);
    let mut blocks: Vec<Block> = Vec::new();
    for op in ops {
        let (equal, ra, rb) = match op {
            similar::DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => (true, old_index..old_index + len, new_index..new_index + len),
            similar::DiffOp::Delete {
                old_index,
                old_len,
                new_index,
            } => (false, old_index..old_index + old_len, new_index..new_index),
            similar::DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => (false, old_index..old_index, new_index..new_index + new_len),
            similar::DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => (
                false,
                old_index..old_index + old_len,
                new_index..new_index + new_len,
            ),
        };
        match blocks.last_mut() {
            Some(last) if !last.equal && !equal => {
                last.a.end = ra.end;
                last.b.end = rb.end;
            }
            _ => blocks.push(Block {
                a: ra,
                b: rb,
                equal,
            }),
        }
    }
    blocks
}

fn words(s: &str) -> Vec<String> {
    crate::text::metric_words(s)
}

/// The (original phrase, spun phrase) of every changed block with words on
/// both sides.
pub fn substitutions(original: &str, spun: &str) -> Vec<(String, String)> {
    let (a, b) = (words(original), words(spun));
    diff(&a, &b)
        .into_iter()
        .filter(|bl| !bl.equal && !bl.a.is_empty() && !bl.b.is_empty())
        .map(|bl| (a[bl.a].join(" "), b[bl.b].join(" ")))
        .collect()
}

/// Word-level edit distance.
pub fn edit_distance(a: &[String], b: &[String]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// What one pair contributes to the metrics.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct PairScore {
    /// spun words that are gold-spun and flagged
    pub tp: usize,
    /// spun words flagged but not gold-spun
    pub fp: usize,
    /// gold-spun words not flagged
    pub fn_: usize,
    /// words flagged when detect ran on the original
    pub clean_flags: usize,
    /// words of the original
    pub clean_words: usize,
    /// document score of the spun text
    pub spun_score: f64,
    /// document score of the original
    pub orig_score: f64,
    /// word edits from spun to original
    pub edits_spun: usize,
    /// word edits from restored to original
    pub edits_restored: usize,
    /// spun words identical to the original
    pub kept_words: usize,
    /// of those, the ones restore changed
    pub damaged: usize,
}

/// True for each word of `t` that overlaps one of `ranges` (char offsets).
fn overlapped(t: &Text, ranges: &[Range<usize>]) -> Vec<bool> {
    t.words()
        .iter()
        .map(|w| {
            ranges
                .iter()
                .any(|r| r.start < w.chars.end && w.chars.start < r.end)
        })
        .collect()
}

/// Scores one pair from the engine's outputs.
pub fn score_pair(
    pair: &Pair,
    on_spun: &Detection,
    on_orig: &Detection,
    restored: &Restoration,
) -> PairScore {
    let (a, b) = (words(&pair.original), words(&pair.spun));
    let mut gold = vec![false; b.len()];
    let mut kept = vec![false; b.len()];
    for bl in diff(&a, &b) {
        for j in bl.b {
            if bl.equal {
                kept[j] = true;
            } else {
                gold[j] = true;
            }
        }
    }
    let ts = Text::new(&pair.spun);
    let flagged = overlapped(
        &ts,
        &on_spun
            .spans
            .iter()
            .map(|s| s.start..s.end)
            .collect::<Vec<_>>(),
    );
    let changed = overlapped(
        &ts,
        &restored
            .changes
            .iter()
            .map(|c| c.start..c.end)
            .collect::<Vec<_>>(),
    );
    let to = Text::new(&pair.original);
    let clean = overlapped(
        &to,
        &on_orig
            .spans
            .iter()
            .map(|s| s.start..s.end)
            .collect::<Vec<_>>(),
    );
    let mut s = PairScore::default();
    for j in 0..b.len() {
        match (gold[j], flagged[j]) {
            (true, true) => s.tp += 1,
            (false, true) => s.fp += 1,
            (true, false) => s.fn_ += 1,
            _ => {}
        }
        if kept[j] {
            s.kept_words += 1;
            s.damaged += usize::from(changed[j]);
        }
    }
    s.clean_flags = clean.iter().filter(|&&f| f).count();
    s.clean_words = a.len();
    s.spun_score = on_spun.score;
    s.orig_score = on_orig.score;
    s.edits_spun = edit_distance(&b, &a);
    s.edits_restored = edit_distance(&words(&restored.text), &a);
    s
}

/// Runs detect and restore on one pair and scores it.
pub fn evaluate_pair(u: &Unspinner, pair: &Pair) -> PairScore {
    score_pair(
        pair,
        &u.detect(&pair.spun),
        &u.detect(&pair.original),
        &u.restore(&pair.spun),
    )
}

/// The metrics over a set of pairs.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Report {
    /// number of pairs
    pub pairs: usize,
    /// span precision over spun-text words
    pub span_precision: f64,
    /// span recall over spun-text words
    pub span_recall: f64,
    /// span F1
    pub span_f1: f64,
    /// flagged words per 1,000 words of the originals
    pub clean_flags_per_1k: f64,
    /// document AUC, spun vs original
    pub doc_auc: f64,
    /// the document scores' Brier score: the mean squared distance of each
    /// spun text's score from 1 and each original's from 0 (0 is perfect;
    /// a constant 0.5 scores 0.25)
    #[serde(default)]
    pub doc_brier: f64,
    /// share of the documents, spun texts and originals alike, on the right
    /// side of 0.5
    #[serde(default)]
    pub doc_accuracy: f64,
    /// 1 - WER(restored) / WER(spun)
    pub wer_reduction: f64,
    /// WER of the spun texts against the originals
    pub wer_spun: f64,
    /// WER of the restored texts against the originals
    pub wer_restored: f64,
    /// share of unchanged spun words that restore changed
    pub damage_rate: f64,
}

impl Report {
    /// Aggregates pair scores.
    pub fn from_scores(scores: &[PairScore]) -> Report {
        let sum = |f: fn(&PairScore) -> usize| scores.iter().map(f).sum::<usize>() as f64;
        let (tp, fp, fn_) = (sum(|s| s.tp), sum(|s| s.fp), sum(|s| s.fn_));
        let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
        let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
        let words = sum(|s| s.clean_words);
        let (es, er) = (sum(|s| s.edits_spun), sum(|s| s.edits_restored));
        Report {
            pairs: scores.len(),
            span_precision: p,
            span_recall: r,
            span_f1: if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            },
            clean_flags_per_1k: if words > 0.0 {
                1000.0 * sum(|s| s.clean_flags) / words
            } else {
                0.0
            },
            doc_auc: auc(
                &scores.iter().map(|s| s.spun_score).collect::<Vec<_>>(),
                &scores.iter().map(|s| s.orig_score).collect::<Vec<_>>(),
            ),
            doc_brier: mean(
                scores
                    .iter()
                    .flat_map(|s| [(s.spun_score - 1.0).powi(2), s.orig_score.powi(2)]),
            ),
            doc_accuracy: mean(scores.iter().flat_map(|s| {
                [
                    f64::from(u8::from(s.spun_score >= 0.5)),
                    f64::from(u8::from(s.orig_score < 0.5)),
                ]
            })),
            wer_reduction: if es > 0.0 { 1.0 - er / es } else { 0.0 },
            wer_spun: es / words.max(1.0),
            wer_restored: er / words.max(1.0),
            damage_rate: sum(|s| s.damaged) / sum(|s| s.kept_words).max(1.0),
        }
    }

    /// The report as an aligned text table.
    pub fn table(&self) -> String {
        let rows = [
            ("pairs", self.pairs as f64),
            ("span precision", self.span_precision),
            ("span recall", self.span_recall),
            ("span F1", self.span_f1),
            ("clean flags / 1k words", self.clean_flags_per_1k),
            ("document AUC", self.doc_auc),
            ("document Brier score", self.doc_brier),
            ("document accuracy at 0.5", self.doc_accuracy),
            ("WER spun", self.wer_spun),
            ("WER restored", self.wer_restored),
            ("WER reduction", self.wer_reduction),
            ("damage rate", self.damage_rate),
        ];
        let mut out = String::from("| metric | value |\n|---|---|\n");
        for (k, v) in rows {
            out.push_str(&format!("| {k} | {v:.4} |\n"));
        }
        out
    }
}

/// The mean of some values; 0 for none.
fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

/// Area under the ROC curve: the probability that a positive scores above
/// a negative (ties count half).
pub fn auc(pos: &[f64], neg: &[f64]) -> f64 {
    if pos.is_empty() || neg.is_empty() {
        return 0.0;
    }
    let mut all: Vec<(f64, bool)> = pos
        .iter()
        .map(|&x| (x, true))
        .chain(neg.iter().map(|&x| (x, false)))
        .collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    // rank-sum with average ranks for ties
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < all.len() {
        let mut j = i;
        while j < all.len() && all[j].0 == all[i].0 {
            j += 1;
        }
        let avg = (i + j + 1) as f64 / 2.0; // ranks i+1..=j
        rank_sum += avg * all[i..j].iter().filter(|x| x.1).count() as f64;
        i = j;
    }
    let (np, nn) = (pos.len() as f64, neg.len() as f64);
    (rank_sum - np * (np + 1.0) / 2.0) / (np * nn)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Change, Span};

    #[test]
    fn substitutions_are_changed_blocks() {
        let s = substitutions(
            "They surpass the alliances of the Cold War era.",
            "They surpass the alliances of the Chilly Conflict period.",
        );
        assert_eq!(
            s,
            [(
                "cold war era".to_string(),
                "chilly conflict period".to_string()
            )]
        );
    }

    #[test]
    fn metrics_on_a_hand_scored_pair() {
        let pair = Pair {
            id: 1.into(),
            original: "a neutral party met".into(),
            spun: "a impartial celebration met".into(),
            domain: None,
        };
        let span = |s: usize, e: usize| Span {
            start: s,
            end: e,
            text: String::new(),
            score: 0.9,
            suggestion: None,
            source: None,
        };
        // flags "impartial" (right) and "met" (wrong)
        let det = Detection {
            score: 0.9,
            spans: vec![span(2, 11), span(24, 27)],
        };
        let clean = Detection {
            score: 0.1,
            spans: vec![span(0, 1)],
        };
        let restored = Restoration::apply(
            &pair.spun,
            vec![Change {
                start: 2,
                end: 11,
                from: "impartial".into(),
                to: "neutral".into(),
                score: 0.9,
                source: None,
            }],
        );
        let s = score_pair(&pair, &det, &clean, &restored);
        assert_eq!((s.tp, s.fp, s.fn_), (1, 1, 1));
        assert_eq!((s.edits_spun, s.edits_restored), (2, 1));
        assert_eq!((s.kept_words, s.damaged, s.clean_flags), (2, 0, 1));
        let r = Report::from_scores(&[s]);
        assert!((r.wer_reduction - 0.5).abs() < 1e-9);
        assert!((r.span_f1 - 0.5).abs() < 1e-9);
        assert_eq!(r.clean_flags_per_1k, 250.0);
        assert_eq!(r.doc_auc, 1.0);
        // scores 0.9 (spun) and 0.1 (original): both right, both 0.1 off
        assert!((r.doc_brier - 0.01).abs() < 1e-9);
        assert_eq!(r.doc_accuracy, 1.0);
    }

    #[test]
    fn document_scores_on_the_wrong_side_of_a_half_count_against_accuracy() {
        let score = |spun_score: f64, orig_score: f64| PairScore {
            spun_score,
            orig_score,
            ..PairScore::default()
        };
        let r = Report::from_scores(&[score(0.6, 0.2), score(0.4, 0.5)]);
        assert_eq!(r.doc_accuracy, 0.5);
        let brier = (0.16 + 0.04 + 0.36 + 0.25) / 4.0;
        assert!((r.doc_brier - brier).abs() < 1e-9, "{}", r.doc_brier);
    }

    #[test]
    fn long_texts_diff_word_by_word() {
        // a regression: a plain LCS implementation gave up on long inputs
        // and marked every word changed
        let original: Vec<String> = (0..3000).map(|i| format!("w{}", i % 97)).collect();
        let mut spun = original.clone();
        spun[1500] = "changed".into();
        let changed: usize = diff(&original, &spun)
            .iter()
            .filter(|b| !b.equal)
            .map(|b| b.b.len())
            .sum();
        assert_eq!(changed, 1);
    }

    #[test]
    fn auc_counts_ties_half() {
        assert_eq!(auc(&[0.5], &[0.5]), 0.5);
        assert_eq!(auc(&[0.9, 0.8], &[0.1, 0.85]), 0.75);
    }
}

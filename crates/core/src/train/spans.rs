//! Fitting detect's span model ([`crate::rescore`]) on aligned pairs.
//!
//! Each pair is analysed on both sides. A span on the spun side is a
//! positive example when it covers a word the spinner changed (a word of
//! a non-equal block of the word diff, as [`crate::eval`] scores it);
//! every span on the original is a negative one. The threshold is the
//! one that gives the best span F1 on the pairs' spun sides, words
//! counted as [`crate::eval`] counts them.

use rayon::prelude::*;

use crate::engine::Unspinner;
use crate::eval::{diff, Pair};
use crate::rescore::{fit, SpanFeatures, SpanModel};
use crate::text::Text;

/// L2 penalty of the fit, on standardised features.
pub const DEFAULT_L2: f64 = 1.0;

/// A fitted span model and what it does on the pairs it was fitted on.
#[derive(Clone, Debug)]
pub struct SpanFit {
    /// the model (the unspinner's span model with new weights and threshold)
    pub model: SpanModel,
    /// spans seen, and how many of them cover a changed word
    pub spans: usize,
    /// see `spans`
    pub positives: usize,
    /// span F1 and clean flags per 1,000 words with the decoder's
    /// posterior and `flag_threshold` alone
    pub before: (f64, f64),
    /// the same with the fitted model
    pub after: (f64, f64),
}

/// One pair's spans: (features, posterior, words covered) on each side,
/// with the spun side's gold words.
struct PairSpans {
    spun: Vec<(SpanFeatures, f64, Vec<usize>)>,
    gold: Vec<bool>,
    original: Vec<(SpanFeatures, f64, Vec<usize>)>,
    original_words: usize,
}

/// Fits the span model of `u`'s parameters on `pairs` (its floor is
/// kept), with L2 penalty `l2`.
pub fn fit_spans(u: &Unspinner, pairs: &[Pair], l2: f64) -> SpanFit {
    let analysed: Vec<PairSpans> = pairs.par_iter().map(|p| pair_spans(u, p)).collect();
    let mut rows = Vec::new();
    for a in &analysed {
        for (f, _, words) in &a.spun {
            rows.push((*f, words.iter().any(|&w| a.gold[w])));
        }
        rows.extend(a.original.iter().map(|(f, _, _)| (*f, false)));
    }
    let mut model = SpanModel {
        weights: fit(&rows, l2),
        ..u.params().span_model.clone()
    };
    let threshold = u.params().flag_threshold;
    let before = score(&analysed, |_, p| p >= threshold);
    if model.is_on() {
        let mut best = (f64::MIN, model.threshold);
        for k in 5..=95 {
            let t = k as f64 / 100.0;
            let f1 = score(&analysed, |f, _| model.probability(f) >= t).0;
            if f1 > best.0 {
                best = (f1, t);
            }
        }
        model.threshold = best.1;
    }
    let after = match model.is_on() {
        true => score(&analysed, |f, _| model.probability(f) >= model.threshold),
        false => before,
    };
    SpanFit {
        spans: rows.len(),
        positives: rows.iter().filter(|r| r.1).count(),
        model,
        before,
        after,
    }
}

fn pair_spans(u: &Unspinner, p: &Pair) -> PairSpans {
    let words = |s: &str| crate::text::metric_words(s);
    let (a, b) = (words(&p.original), words(&p.spun));
    let mut gold = vec![false; b.len()];
    for bl in diff(&a, &b).into_iter().filter(|bl| !bl.equal) {
        for j in bl.b {
            gold[j] = true;
        }
    }
    let side = |text: &str| {
        let t = Text::new(text);
        u.span_candidates(text)
            .into_iter()
            .map(|(s, f)| {
                let covered = t
                    .words()
                    .iter()
                    .enumerate()
                    .filter(|(_, w)| s.start < w.chars.end && w.chars.start < s.end)
                    .map(|(i, _)| i)
                    .collect();
                (f, s.score, covered)
            })
            .collect::<Vec<_>>()
    };
    PairSpans {
        spun: side(&p.spun),
        gold,
        original: side(&p.original),
        original_words: a.len(),
    }
}

/// Span F1 on the spun sides and flagged words per 1,000 on the
/// originals, flagging the spans `keep` accepts (given features and
/// posterior).
fn score(pairs: &[PairSpans], keep: impl Fn(&SpanFeatures, f64) -> bool) -> (f64, f64) {
    let (mut tp, mut fp, mut fn_, mut clean, mut words) = (0usize, 0usize, 0usize, 0usize, 0usize);
    for p in pairs {
        let mut flagged = vec![false; p.gold.len()];
        for (f, post, covered) in &p.spun {
            if keep(f, *post) {
                for &w in covered {
                    flagged[w] = true;
                }
            }
        }
        for (g, f) in p.gold.iter().zip(&flagged) {
            match (g, f) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fn_ += 1,
                _ => {}
            }
        }
        let mut flagged = vec![false; p.original_words];
        for (f, post, covered) in &p.original {
            if keep(f, *post) {
                for &w in covered {
                    flagged[w] = true;
                }
            }
        }
        clean += flagged.iter().filter(|&&f| f).count();
        words += p.original_words;
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    let f1 = match precision + recall > 0.0 {
        true => 2.0 * precision * recall / (precision + recall),
        false => 0.0,
    };
    (f1, clean as f64 * 1000.0 / words.max(1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::spin::{SpinOptions, Spinner};

    #[test]
    fn a_span_model_fitted_on_pairs_does_no_worse_on_them() {
        let model = Model::builtin().expect("the built-in model loads");
        let originals = [
            "The company said in a statement that it would cut 200 jobs at its factory in the north of the country, where demand has fallen sharply this year.",
            "Officials said the number of active cases in the state had fallen for the third week in a row, and the health ministry expects the trend to continue.",
            "The two navies will conduct joint exercises in the Indian Ocean next month, the defence ministry said on Monday in a brief statement to reporters.",
            "Shares in the firm rose by more than five per cent on Tuesday after it reported strong profits and said it would pay a larger dividend to its investors.",
        ];
        let mut pairs = Vec::new();
        for seed in 0..3 {
            let opts = SpinOptions {
                rate: 0.4,
                seed,
                ..Default::default()
            };
            let spinner = Spinner::new(&model, opts);
            for (salt, o) in originals.iter().enumerate() {
                pairs.push(Pair {
                    id: serde_json::Value::Null,
                    original: o.to_string(),
                    spun: spinner.spin(o, salt as u64),
                    domain: None,
                });
            }
        }
        let mut params = model.params().clone();
        params.span_model = SpanModel::default();
        let u = Unspinner::builder(model).params(params).build();
        let fit = fit_spans(&u, &pairs, DEFAULT_L2);
        assert!(fit.model.is_on(), "{fit:?}");
        assert!(fit.model.validate().is_ok());
        assert!(fit.positives > 0 && fit.positives < fit.spans, "{fit:?}");
        assert!(fit.after.0 >= fit.before.0 - 0.02, "{fit:?}");
        assert!((0.05..=0.95).contains(&fit.model.threshold));
    }

    #[test]
    fn no_pairs_fit_no_model() {
        let u = Unspinner::new(Model::builtin().expect("the built-in model loads"));
        let fit = fit_spans(&u, &[], DEFAULT_L2);
        assert!(!fit.model.is_on());
        assert_eq!(fit.spans, 0);
    }
}

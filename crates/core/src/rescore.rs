//! A second opinion on detect's spans: a logistic model that reads each
//! span the decoder proposes together with what surrounds it, and gives
//! the probability that its words were really swapped.
//!
//! The decoder's posterior answers "is this word spun, if the text is
//! spun at the prior's rate?". It is overconfident in a text that reads
//! spun (every odd word looks swapped there) and cannot weigh evidence it
//! does not model: that a capitalised word is more often a name than a
//! swap, that the span's neighbours were flagged too, how strongly the
//! whole document reads spun. The span model does. Its features
//! ([`FEATURES`]) are cheap facts about the span, its suggestion and the
//! document; its weights are fitted by [`fit`] on aligned (original, spun)
//! pairs, both sides: the spun side's spans are positive when they cover a
//! word the spinner changed, and every span on an original is negative,
//! which is what teaches the model to stay quiet on genuine text.
//!
//! A model's [`SpanModel`] lives in its decoder parameters
//! ([`crate::model::Params::span_model`]); `unspin fit-spans --pairs
//! PAIRS` fits one, and `bench/engine/fit-spans.sh` fitted the built-in
//! model's. Without weights detect flags by the decoder's posterior alone,
//! as before.

use crate::lm::NgramLm;
use crate::text::{Case, Text};

/// The features, in the order of [`SpanFeatures`] and of the weights.
pub const FEATURES: [&str; 20] = [
    "posterior",
    "ln_one_minus_posterior",
    "span_logp",
    "suggestion_logp",
    "span_left_seen",
    "span_right_seen",
    "suggestion_left_seen",
    "suggestion_right_seen",
    "context_gain",
    "span_words",
    "suggestion_words",
    "capitalised",
    "by_rule",
    "flagged_nearby",
    "document_score",
    "flags_per_word",
    "sentence_start",
    "document_words_log10",
    "posterior_times_document_score",
    "ln_one_minus_posterior_times_document_score",
];

/// Number of features.
pub const N_FEATURES: usize = FEATURES.len();

/// One span's features (see [`FEATURES`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpanFeatures(pub [f64; N_FEATURES]);

/// log10 probability given to a word the language model does not know.
const UNKNOWN: f32 = -7.0;

/// Words of context either side that [`SpanFeatures`]'s context gain reads.
const CONTEXT: usize = 2;

/// Spans this many words apart or nearer count as neighbours.
const NEARBY: usize = 3;

/// The logistic span model: weights over [`FEATURES`] then a bias, and
/// the probability from which a span is flagged.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct SpanModel {
    /// one weight per feature, then the bias; empty: no span model (detect
    /// flags by the decoder's posterior and `flag_threshold`)
    pub weights: Vec<f64>,
    /// probability from which a span is flagged
    pub threshold: f64,
    /// decoder posterior from which a span is shown to the model at all
    pub floor: f64,
}

impl Default for SpanModel {
    fn default() -> SpanModel {
        SpanModel {
            weights: Vec::new(),
            threshold: 0.5,
            floor: 0.5,
        }
    }
}

impl SpanModel {
    /// True when the model has weights.
    pub fn is_on(&self) -> bool {
        !self.weights.is_empty()
    }

    /// Probability that a span with these features was swapped.
    pub fn probability(&self, f: &SpanFeatures) -> f64 {
        let (w, bias) = self.weights.split_at(N_FEATURES);
        let z: f64 = bias[0] + w.iter().zip(f.0).map(|(w, x)| w * x).sum::<f64>();
        1.0 / (1.0 + (-z).exp())
    }

    /// Checks the weights' number and values and the two probabilities.
    pub fn validate(&self) -> std::result::Result<(), String> {
        if self.is_on() && self.weights.len() != N_FEATURES + 1 {
            return Err(format!(
                "span_model has {} weights, not {} ({} features and a bias)",
                self.weights.len(),
                N_FEATURES + 1,
                N_FEATURES
            ));
        }
        if let Some(w) = self.weights.iter().find(|w| !w.is_finite()) {
            return Err(format!("span_model has a weight {w}, not a finite number"));
        }
        for (name, v) in [("threshold", self.threshold), ("floor", self.floor)] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("span_model {name} is {v}, not between 0 and 1"));
            }
        }
        Ok(())
    }
}

/// A candidate span, in words of a [`Text`], as [`Document::features`]
/// reads it.
pub(crate) struct Candidate<'s> {
    pub ws: usize,
    pub we: usize,
    pub suggestion: Option<&'s str>,
    pub posterior: f64,
    pub by_rule: bool,
}

/// What the features need of a whole document.
pub(crate) struct Document<'a> {
    pub t: &'a Text<'a>,
    pub lm: &'a NgramLm,
    /// the document's words as LM ids
    pub ids: Vec<Option<u32>>,
    pub score: f64,
}

impl Document<'_> {
    /// The features of each candidate, given all of them.
    pub fn features(&self, cands: &[Candidate]) -> Vec<SpanFeatures> {
        let words = self.t.words().len().max(1);
        let per_word = cands.len() as f64 / words as f64;
        let near = nearby_counts(cands);
        cands
            .iter()
            .zip(near)
            .map(|(c, near)| self.one(c, near, per_word))
            .collect()
    }

    fn one(&self, c: &Candidate, near: usize, per_word: f64) -> SpanFeatures {
        let lm = self.lm;
        let (ws, we) = (c.ws, c.we);
        let span = &self.ids[ws..we];
        let sugg: Vec<Option<u32>> = c
            .suggestion
            .map(|s| {
                s.split_whitespace()
                    .map(|w| lm.id_lenient(&w.to_lowercase()))
                    .collect()
            })
            .unwrap_or_default();
        let seen = |a: Option<u32>, b: Option<u32>| match (a, b) {
            (Some(a), Some(b)) => f64::from(u8::from(lm.has_bigram(a, b))),
            _ => 0.0,
        };
        let left = ws.checked_sub(1).map(|i| self.ids[i]);
        let right = self.ids.get(we).copied();
        // an edge of the text has nothing to be unseen with
        let fits =
            |side: Option<Option<u32>>, inner: Option<Option<u32>>, left: bool| match (side, inner)
            {
                (None, _) => 1.0,
                (Some(s), Some(i)) if left => seen(s, i),
                (Some(s), Some(i)) => seen(i, s),
                _ => 0.0,
            };
        let logp = |ids: &[Option<u32>]| match ids.is_empty() {
            true => f64::from(UNKNOWN),
            false => f64::from(lm.ids_logp(ids.iter().copied(), UNKNOWN)),
        };
        // log10 P of a window of context around the span, with the
        // suggestion in the span's place, less the same with the span
        let lo = ws.saturating_sub(CONTEXT);
        let hi = (we + CONTEXT).min(self.ids.len());
        let window = |mid: &[Option<u32>]| {
            let seq = self.ids[lo..ws]
                .iter()
                .chain(mid)
                .chain(&self.ids[we..hi])
                .copied();
            let (mut state, mut total) = ((None, None), 0.0f64);
            for w in seq {
                total += f64::from(lm.logp(state, w));
                state = NgramLm::advance(state, w);
            }
            total
        };
        let gain = match sugg.is_empty() {
            true => 0.0,
            false => window(&sugg) - window(span),
        };
        let p = c.posterior.clamp(0.0, 1.0);
        let first = &self.t.words()[ws];
        SpanFeatures([
            p,
            (1.0 - p).max(1e-6).ln(),
            logp(span),
            logp(&sugg),
            fits(left, span.first().copied(), true),
            fits(right, span.last().copied(), false),
            fits(left, sugg.first().copied(), true),
            fits(right, sugg.last().copied(), false),
            gain,
            (we - ws) as f64,
            sugg.len() as f64,
            f64::from(u8::from(first.case != Case::Lower)),
            f64::from(u8::from(c.by_rule)),
            near as f64,
            self.score,
            per_word,
            f64::from(u8::from(first.sentence_start)),
            (self.t.words().len().max(1) as f64).log10(),
            p * self.score,
            (1.0 - p).max(1e-6).ln() * self.score,
        ])
    }
}

/// For each candidate, how many others lie within [`NEARBY`] words of it:
/// in time linear in the candidates (a long text has many), walking them
/// in order of their first word.
fn nearby_counts(cands: &[Candidate]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by_key(|&k| cands[k].ws);
    let longest = cands.iter().map(|c| c.we - c.ws).max().unwrap_or(0);
    let mut near = vec![0; cands.len()];
    for (pos, &k) in order.iter().enumerate() {
        let c = &cands[k];
        // later starts: near until one starts too far on
        let after = order[pos + 1..]
            .iter()
            .take_while(|&&j| cands[j].ws < c.we + NEARBY)
            .count();
        // earlier starts: none ends near once they start too far back
        let before = order[..pos]
            .iter()
            .rev()
            .take_while(|&&j| cands[j].ws + longest + NEARBY > c.ws)
            .filter(|&&j| cands[j].we + NEARBY > c.ws)
            .count();
        near[k] = after + before;
    }
    near
}

/// Fits a logistic model to labelled features: Newton's method on the
/// L2-penalised log-likelihood (penalty `l2` on standardised features, none
/// on the bias). Returns the weights of [`SpanModel::weights`], in the raw
/// features' units. Empty `rows` or one class only give no weights.
pub fn fit(rows: &[(SpanFeatures, bool)], l2: f64) -> Vec<f64> {
    let n = rows.len();
    if n == 0 || rows.iter().all(|r| r.1) || rows.iter().all(|r| !r.1) {
        return Vec::new();
    }
    // standardise: the Newton steps and the penalty see comparable units
    let mut mean = [0.0f64; N_FEATURES];
    let mut sd = [0.0f64; N_FEATURES];
    for (f, _) in rows {
        for (m, x) in mean.iter_mut().zip(f.0) {
            *m += x / n as f64;
        }
    }
    for (f, _) in rows {
        for ((s, m), x) in sd.iter_mut().zip(mean).zip(f.0) {
            *s += (x - m) * (x - m) / n as f64;
        }
    }
    let sd = sd.map(|v| if v > 1e-12 { v.sqrt() } else { 1.0 });
    let d = N_FEATURES + 1;
    let x = |f: &SpanFeatures, i: usize| -> f64 {
        match i {
            i if i < N_FEATURES => (f.0[i] - mean[i]) / sd[i],
            _ => 1.0,
        }
    };
    let mut w = vec![0.0f64; d];
    for _ in 0..50 {
        let mut grad = vec![0.0f64; d];
        let mut hess = vec![vec![0.0f64; d]; d];
        for (f, y) in rows {
            let xs: Vec<f64> = (0..d).map(|i| x(f, i)).collect();
            let z: f64 = xs.iter().zip(&w).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-z).exp());
            let r = p - f64::from(u8::from(*y));
            let v = (p * (1.0 - p)).max(1e-9);
            for ((g, row), xi) in grad.iter_mut().zip(hess.iter_mut()).zip(&xs) {
                *g += r * xi;
                for (h, xj) in row.iter_mut().zip(&xs) {
                    *h += v * xi * xj;
                }
            }
        }
        for (i, (g, row)) in grad.iter_mut().zip(hess.iter_mut()).enumerate() {
            if i < N_FEATURES {
                *g += l2 * w[i];
                row[i] += l2;
            }
        }
        let Some(step) = solve(hess, grad) else {
            break;
        };
        let mut biggest = 0.0f64;
        for (wi, s) in w.iter_mut().zip(&step) {
            *wi -= s;
            biggest = biggest.max(s.abs());
        }
        if biggest < 1e-9 {
            break;
        }
    }
    // back to raw units: w_i x_i' = (w_i / sd_i) x_i - w_i mean_i / sd_i
    let mut raw = vec![0.0f64; d];
    raw[N_FEATURES] = w[N_FEATURES];
    for i in 0..N_FEATURES {
        raw[i] = w[i] / sd[i];
        raw[N_FEATURES] -= w[i] * mean[i] / sd[i];
    }
    raw
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting; None
/// when `a` is singular.
fn solve(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (top, rest) = a.split_at_mut(col + 1);
        let pivot_row = &top[col];
        for (k, row) in rest.iter_mut().enumerate() {
            let f = row[col] / pivot_row[col];
            for (x, p) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[col + 1 + k] -= f * b[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let s: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(posterior: f64, capitalised: f64) -> SpanFeatures {
        let mut f = [0.0; N_FEATURES];
        f[0] = posterior;
        f[1] = (1.0 - posterior).max(1e-6).ln();
        f[11] = capitalised;
        SpanFeatures(f)
    }

    #[test]
    fn a_fitted_model_learns_which_spans_are_swapped() {
        // swapped: confident and lower-case; genuine: capitalised, or unsure
        let mut rows = Vec::new();
        for k in 0..200 {
            let p = 0.5 + (k % 50) as f64 / 100.0;
            rows.push((features(p, 0.0), p > 0.7 || k % 7 == 0));
            rows.push((features(p, 1.0), k % 11 == 0));
        }
        let model = SpanModel {
            weights: fit(&rows, 1.0),
            ..SpanModel::default()
        };
        assert!(model.validate().is_ok());
        let lower = model.probability(&features(0.95, 0.0));
        let capital = model.probability(&features(0.95, 1.0));
        let unsure = model.probability(&features(0.55, 0.0));
        assert!(lower > 0.8, "{lower}");
        assert!(capital < 0.3, "{capital}");
        assert!(unsure < lower, "{unsure} {lower}");
    }

    #[test]
    fn one_class_or_no_rows_fit_nothing() {
        assert!(fit(&[], 1.0).is_empty());
        assert!(fit(&[(features(0.9, 0.0), true)], 1.0).is_empty());
    }

    #[test]
    fn a_model_of_the_wrong_shape_is_refused() {
        let m = SpanModel {
            weights: vec![0.0; 3],
            ..SpanModel::default()
        };
        assert!(m.validate().unwrap_err().contains("3 weights"));
        let m = SpanModel {
            weights: vec![f64::NAN; N_FEATURES + 1],
            ..SpanModel::default()
        };
        assert!(m.validate().is_err());
        let m = SpanModel {
            threshold: 2.0,
            ..SpanModel::default()
        };
        assert!(m.validate().unwrap_err().contains("threshold"));
    }

    #[test]
    fn nearby_spans_are_counted_as_by_brute_force() {
        let mut state = 7u64;
        let mut next = |m: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize % m
        };
        for _ in 0..50 {
            let n = next(40);
            let cands: Vec<Candidate> = (0..n)
                .map(|_| {
                    let ws = next(100);
                    Candidate {
                        ws,
                        we: ws + 1 + next(3),
                        suggestion: None,
                        posterior: 0.9,
                        by_rule: false,
                    }
                })
                .collect();
            let brute: Vec<usize> = (0..n)
                .map(|k| {
                    let c = &cands[k];
                    (0..n)
                        .filter(|&j| {
                            let o = &cands[j];
                            j != k && o.we + NEARBY > c.ws && o.ws < c.we + NEARBY
                        })
                        .count()
                })
                .collect();
            assert_eq!(nearby_counts(&cands), brute);
        }
    }

    #[test]
    fn the_solver_solves() {
        let x = solve(vec![vec![2.0, 1.0], vec![1.0, 3.0]], vec![3.0, 5.0]).unwrap();
        assert!((x[0] - 0.8).abs() < 1e-12 && (x[1] - 1.4).abs() < 1e-12);
        assert!(solve(vec![vec![1.0, 2.0], vec![2.0, 4.0]], vec![1.0, 2.0]).is_none());
    }
}

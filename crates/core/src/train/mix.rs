//! Mixing a corpus language model into another one: adapting the built-in
//! general-English model to a domain whose own text is too scarce to make a
//! language model alone (a few hundred abstracts of one field).
//!
//! [`interpolate`] writes the linear interpolation `w · P_corpus + (1 − w) ·
//! P_base` back as one backoff model over the union of both models'
//! n-grams, as SRILM's static mixing (`ngram -mix-lm -write-lm`) does. Each
//! stored n-gram gets the mixture of the two models' probabilities (each
//! with its own backoff), and each context gets the backoff weight that
//! leaves its probabilities summing to one. The result is a model like any
//! other: decoding pays nothing for the mixing.

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::lm::{LmBuilder, LmState, NgramLm, MAX_VOCAB};

/// What [`interpolate`] made, for a report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MixStats {
    /// words, bigrams and trigrams of the mixed model
    pub counts: [usize; 3],
    /// words the corpus model adds to the base model's vocabulary
    pub new_words: usize,
}

/// The interpolation of `corpus` (weight `weight`, between 0 and 1
/// exclusive) with `base`, as a new model's entries.
pub fn interpolate(base: &NgramLm, corpus: &NgramLm, weight: f64) -> Result<(LmBuilder, MixStats)> {
    if !(weight > 0.0 && weight < 1.0) {
        return Err(Error::Training(format!(
            "the corpus model's weight is {weight}, not between 0 and 1"
        )));
    }
    // the union vocabulary, the base model's words first
    let mut names: Vec<String> = Vec::new();
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut intern = |w: String| -> u32 {
        *index.entry(w.clone()).or_insert_with(|| {
            names.push(w);
            names.len() as u32 - 1
        })
    };
    let from_base: Vec<u32> = base.words().into_iter().map(&mut intern).collect();
    let from_corpus: Vec<u32> = corpus.words().into_iter().map(&mut intern).collect();
    if names.len() > MAX_VOCAB {
        return Err(Error::Training(format!(
            "the two vocabularies together hold {} words, more than {MAX_VOCAB}",
            names.len()
        )));
    }
    // each mixed word's id in either model
    let mut ids: Vec<(Option<u32>, Option<u32>)> = vec![(None, None); names.len()];
    for (i, &m) in from_base.iter().enumerate() {
        ids[m as usize].0 = Some(i as u32);
    }
    for (i, &m) in from_corpus.iter().enumerate() {
        ids[m as usize].1 = Some(i as u32);
    }
    let in_base = |m: Option<u32>| m.and_then(|m| ids[m as usize].0);
    let in_corpus = |m: Option<u32>| m.and_then(|m| ids[m as usize].1);
    // P(w | state) under the mixture, each model backing off on its own
    let mixed = |state: LmState, w: u32| -> f64 {
        let pb = base.logp((in_base(state.0), in_base(state.1)), in_base(Some(w)));
        let pc = corpus.logp((in_corpus(state.0), in_corpus(state.1)), in_corpus(Some(w)));
        weight * 10f64.powf(pc as f64) + (1.0 - weight) * 10f64.powf(pb as f64)
    };
    let n = names.len();
    let uni: Vec<f64> = (0..n as u32).map(|w| mixed((None, None), w)).collect();

    let mut bi_keys: Vec<[u32; 2]> = base
        .bigrams()
        .map(|[a, b]| [from_base[a as usize], from_base[b as usize]])
        .chain(
            corpus
                .bigrams()
                .map(|[a, b]| [from_corpus[a as usize], from_corpus[b as usize]]),
        )
        .collect();
    bi_keys.sort_unstable();
    bi_keys.dedup();
    let bi: Vec<f64> = bi_keys
        .iter()
        .map(|&[a, b]| mixed((None, Some(a)), b))
        .collect();
    // backoff of a one-word context: the mass its stored bigrams leave,
    // over the mass the unigrams of the same words leave
    let mut uni_bow = vec![0f64; n];
    {
        let mut sums = vec![(0f64, 0f64); n];
        for (&[a, b], &p) in bi_keys.iter().zip(&bi) {
            let s = &mut sums[a as usize];
            s.0 += p;
            s.1 += uni[b as usize];
        }
        for (bow, &(num, den)) in uni_bow.iter_mut().zip(&sums) {
            if num > 0.0 {
                *bow = backoff(num, den);
            }
        }
    }
    // P(w | b) of the mixed model itself, for the trigram contexts' backoff
    let mixed_bigram = |b: u32, w: u32| -> f64 {
        match bi_keys.binary_search(&[b, w]) {
            Ok(i) => bi[i],
            Err(_) => 10f64.powf(uni_bow[b as usize]) * uni[w as usize],
        }
    };

    let mut tri_keys: Vec<[u32; 3]> = base
        .trigrams()
        .map(|[a, b, c]| {
            [
                from_base[a as usize],
                from_base[b as usize],
                from_base[c as usize],
            ]
        })
        .chain(corpus.trigrams().map(|[a, b, c]| {
            [
                from_corpus[a as usize],
                from_corpus[b as usize],
                from_corpus[c as usize],
            ]
        }))
        .collect();
    tri_keys.sort_unstable();
    tri_keys.dedup();
    let tri: Vec<f64> = tri_keys
        .iter()
        .map(|&[a, b, c]| mixed((Some(a), Some(b)), c))
        .collect();
    // backoff of a two-word context, stored with its bigram; a context
    // that is not a stored bigram backs off at no cost, as in any model
    let mut bi_bow = vec![0f64; bi_keys.len()];
    let mut i = 0;
    while i < tri_keys.len() {
        let [a, b, _] = tri_keys[i];
        let (mut num, mut den) = (0f64, 0f64);
        while i < tri_keys.len() && tri_keys[i][..2] == [a, b] {
            num += tri[i];
            den += mixed_bigram(b, tri_keys[i][2]);
            i += 1;
        }
        if let Ok(j) = bi_keys.binary_search(&[a, b]) {
            bi_bow[j] = backoff(num, den);
        }
    }

    let mut out = LmBuilder::new();
    let log10 = |p: f64| p.max(1e-99).log10() as f32;
    for (w, name) in names.iter().enumerate() {
        out.add(&[name], log10(uni[w]), uni_bow[w] as f32)?;
    }
    for ((&[a, b], &p), &bow) in bi_keys.iter().zip(&bi).zip(&bi_bow) {
        out.add(
            &[&names[a as usize], &names[b as usize]],
            log10(p),
            bow as f32,
        )?;
    }
    for (&[a, b, c], &p) in tri_keys.iter().zip(&tri) {
        let words = [&names[a as usize], &names[b as usize], &names[c as usize]];
        out.add(&words.map(String::as_str), log10(p), 0.0)?;
    }
    let stats = MixStats {
        counts: [n, bi_keys.len(), tri_keys.len()],
        new_words: n - from_base.len(),
    };
    Ok((out, stats))
}

/// log10 of the backoff weight of a context whose stored continuations
/// have mass `num`, against mass `den` for the same words one order down.
fn backoff(num: f64, den: f64) -> f64 {
    ((1.0 - num).max(1e-9) / (1.0 - den).max(1e-9)).log10()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::ModelBuilder;
    use crate::model::Model;

    fn model(entries: &[(&[&str], f32, f32)]) -> Model {
        let mut mb = ModelBuilder::new();
        for (words, p, bow) in entries {
            mb.lm.add(words, *p, *bow).unwrap();
        }
        Model::from_bytes(&mb.to_bytes().unwrap()).unwrap()
    }

    fn logp(m: &Model, context: &[&str], w: &str) -> f32 {
        let lm = m.lm();
        let id = |w: &str| lm.id(w);
        let state = match context {
            [a, b] => (id(a), id(b)),
            [b] => (None, id(b)),
            _ => (None, None),
        };
        lm.logp(state, id(w))
    }

    #[test]
    fn the_mixture_is_the_weighted_sum_of_its_parts() {
        let base = model(&[
            (&["<s>"], -99.0, -0.3),
            (&["the"], -0.5, -0.2),
            (&["cold"], -1.0, -0.3),
            (&["war"], -1.0, 0.0),
            (&["</s>"], -0.8, 0.0),
            (&["cold", "war"], -0.3, -0.1),
            (&["the", "cold", "war"], -0.05, 0.0),
        ]);
        let corpus = model(&[
            (&["<s>"], -99.0, -0.3),
            (&["the"], -0.6, -0.2),
            (&["random"], -1.0, -0.3),
            (&["forest"], -1.0, 0.0),
            (&["</s>"], -0.7, 0.0),
            (&["random", "forest"], -0.1, -0.1),
        ]);
        let (lm, stats) = interpolate(base.lm(), corpus.lm(), 0.25).unwrap();
        assert_eq!(stats.new_words, 2);
        assert_eq!(stats.counts, [7, 2, 1]);
        let mut mb = ModelBuilder::new();
        mb.lm = lm;
        let mixed = Model::from_bytes(&mb.to_bytes().unwrap()).unwrap();
        // a stored n-gram of either model: the weighted sum, to quantisation
        for (context, w) in [
            (&[][..], "the"),
            (&["cold"][..], "war"),
            (&["random"][..], "forest"),
            (&["the", "cold"][..], "war"),
        ] {
            let want = 0.25 * 10f64.powf(logp(&corpus, context, w) as f64)
                + 0.75 * 10f64.powf(logp(&base, context, w) as f64);
            let got = 10f64.powf(logp(&mixed, context, w) as f64);
            assert!(
                (got / want - 1.0).abs() < 0.01,
                "{context:?} {w}: {got} vs {want}"
            );
        }
        // a word of the corpus only is known now, and likelier than unknown
        assert!(logp(&mixed, &[], "forest") > -2.0);
    }

    fn trained(texts: &[&str]) -> Model {
        let mut t = crate::train::CorpusTrainer::new(Default::default());
        t.add_texts(texts.iter().copied()).unwrap();
        let mut mb = ModelBuilder::new();
        mb.lm = t.finish().unwrap();
        Model::from_bytes(&mb.to_bytes().unwrap()).unwrap()
    }

    #[test]
    fn mixing_two_trained_models_keeps_every_distribution_whole() {
        let base = trained(&[
            "The cold war ended. The war was cold and long.",
            "The cold wind blew. A long war began in the north.",
        ]);
        let corpus = trained(&[
            "A random forest is an ensemble. The random forest votes.",
            "The forest of trees votes. A random choice of trees.",
        ]);
        let (lm, _) = interpolate(base.lm(), corpus.lm(), 0.4).unwrap();
        let mut mb = ModelBuilder::new();
        mb.lm = lm;
        let mixed = Model::from_bytes(&mb.to_bytes().unwrap()).unwrap();
        let vocab: Vec<String> = mixed.lm().words();
        let words: Vec<&str> = vocab
            .iter()
            .map(String::as_str)
            .filter(|w| *w != "<s>")
            .collect();
        for context in [
            &[][..],
            &["the"][..],
            &["random"][..],
            &["the", "cold"][..],
            &["a", "random"][..],
            &["war", "forest"][..],
        ] {
            let total: f64 = words
                .iter()
                .map(|w| 10f64.powf(logp(&mixed, context, w) as f64))
                .sum();
            assert!((total - 1.0).abs() < 0.03, "{context:?}: {total}");
        }
    }

    #[test]
    fn a_weight_outside_zero_to_one_is_refused() {
        let m = model(&[(&["a"], -1.0, 0.0)]);
        for w in [0.0, 1.0, -0.5, f64::NAN] {
            assert!(interpolate(m.lm(), m.lm(), w).is_err());
        }
    }
}

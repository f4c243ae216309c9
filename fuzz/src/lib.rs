//! Helpers shared by the fuzz targets: the tiny in-process model (the same
//! one the core's tests use) and the checks every result must pass.

use std::sync::OnceLock;

use unspin_core::text::slice_chars;
use unspin_core::{Detection, Model, Restoration, Unspinner};

#[path = "../../crates/core/tests/common/tiny.rs"]
pub mod tiny;

/// The tiny model's bytes, built once per process.
pub fn model_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(tiny::model_bytes)
}

/// The tiny model, loaded once per process.
pub fn model() -> Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL
        .get_or_init(|| Model::from_bytes(model_bytes()).expect("the tiny model loads"))
        .clone()
}

/// An unspinner on the tiny model, without or with a small tortured-phrase
/// list.
pub fn unspinner(with_list: bool) -> Unspinner {
    static PLAIN: OnceLock<Unspinner> = OnceLock::new();
    static LISTED: OnceLock<Unspinner> = OnceLock::new();
    if with_list {
        LISTED
            .get_or_init(|| {
                let list = unspin_core::fingerprints::Fingerprints::from_pairs([
                    ("chilly conflict", "cold war"),
                    ("counterfeit consciousness", "artificial intelligence"),
                    ("bosom", "breast"),
                ]);
                let mut b = Unspinner::builder(model());
                b.fingerprints(list);
                b.build()
            })
            .clone()
    } else {
        PLAIN.get_or_init(|| Unspinner::new(model())).clone()
    }
}

/// Text made of the tiny model's words (`choices` index the vocabulary,
/// high values pick punctuation), so that the fuzzer reaches the decoder's
/// interesting paths quickly.
pub fn words_text(choices: &[u8]) -> String {
    static VOCAB: OnceLock<Vec<String>> = OnceLock::new();
    let vocab = VOCAB.get_or_init(tiny::vocabulary);
    let mut out = String::new();
    for &c in choices {
        let c = c as usize;
        if c < vocab.len() {
            if !out.is_empty() && !out.ends_with(['\n', '(', '"']) {
                out.push(' ');
            }
            let w = &vocab[c];
            match c % 7 {
                0 => out.push_str(&unspin_core::text::Case::Title.apply(w)),
                1 => out.push_str(&w.to_uppercase()),
                _ => out.push_str(w),
            }
        } else {
            const PUNCT: &[&str] = &[
                ".", ",", "!", "?", "\n", " (", ")", " \"", "'s", "-", "’", "…", " 1990", " é",
                " 東京", "\u{301}", "\t",
            ];
            out.push_str(PUNCT[c % PUNCT.len()]);
        }
    }
    out
}

/// Every span of a detection slices `text` exactly, spans are sorted, and
/// every score is a probability.
pub fn check_detection(text: &str, d: &Detection) {
    assert!((0.0..=1.0).contains(&d.score), "document score {}", d.score);
    let mut last = (0, 0);
    for s in &d.spans {
        assert!(s.start <= s.end, "{s:?}");
        assert_eq!(
            slice_chars(text, s.start..s.end),
            Some(s.text.as_str()),
            "{s:?}"
        );
        assert!((0.0..=1.0).contains(&s.score), "{s:?}");
        assert!(
            (s.start, s.end) >= last,
            "spans out of order: {:?}",
            d.spans
        );
        last = (s.start, s.end);
    }
}

/// Every change of a restoration slices `text` exactly, changes are sorted
/// and disjoint, and applying them to `text` gives the restored text.
pub fn check_restoration(text: &str, r: &Restoration) {
    r.check(text).unwrap_or_else(|e| panic!("{e}: {r:?}"));
    if r.changes.is_empty() {
        assert_eq!(r.text, text);
    }
}

//! Property tests of the engine's contracts, on a tiny in-process model:
//! offsets slice the input exactly, applying the changes gives the restored
//! text, answers are deterministic, genuine text is left alone, spin then
//! restore never panics, and a model written and read back is the same
//! model (bytes and behaviour).

#[path = "common/tiny.rs"]
mod tiny;

use proptest::prelude::*;
use unspin_core::build::ModelBuilder;
use unspin_core::lexicon::morph::pos;
use unspin_core::model::Params;
use unspin_core::spin::{SpinOptions, Spinner};
use unspin_core::text::{slice_chars, Text};
use unspin_core::{Detection, Model, Restoration, Unspinner};

fn unspinner() -> Unspinner {
    static U: std::sync::OnceLock<Unspinner> = std::sync::OnceLock::new();
    U.get_or_init(|| Unspinner::new(tiny::model())).clone()
}

/// Text mixing the tiny model's words (in any case), punctuation and
/// arbitrary Unicode.
fn mixed_text() -> impl Strategy<Value = String> {
    let vocab = tiny::vocabulary();
    let piece = prop_oneof![
        4 => prop::sample::select(vocab.clone()),
        1 => prop::sample::select(vocab).prop_map(|w| w.to_uppercase()),
        1 => prop::sample::select(vec![".", ",", "!", "?\n", "'s", "-", "’", "…", "«", "東京", "é", "\u{301}", "1990", "\t", ""]).prop_map(str::to_string),
        1 => any::<String>(),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|p| p.join(" "))
}

/// A sentence that walks the tiny model's attested bigrams: every pair of
/// neighbouring words is known to the language model.
fn genuine_text() -> impl Strategy<Value = String> {
    let bigrams = tiny::bigrams();
    let sentence = (
        0..bigrams.len(),
        prop::collection::vec(any::<prop::sample::Index>(), 0..12),
    )
        .prop_map(move |(first, steps)| {
            let (a, b) = &bigrams[first];
            let mut words = vec![a.clone(), b.clone()];
            for step in steps {
                let last = words.last().unwrap().clone();
                let next: Vec<&(String, String)> =
                    bigrams.iter().filter(|(x, _)| *x == last).collect();
                if next.is_empty() {
                    break;
                }
                words.push(step.get(&next).1.clone());
            }
            words.join(" ")
        });
    prop::collection::vec(sentence, 1..4).prop_map(|s| s.join(". ") + ".")
}

fn check_detection(text: &str, d: &Detection) {
    assert!((0.0..=1.0).contains(&d.score), "{}", d.score);
    for s in &d.spans {
        assert_eq!(
            slice_chars(text, s.start..s.end),
            Some(s.text.as_str()),
            "{s:?}"
        );
        assert!((0.0..=1.0).contains(&s.score), "{s:?}");
    }
    assert!(d
        .spans
        .windows(2)
        .all(|w| (w[0].start, w[0].end) <= (w[1].start, w[1].end)));
}

fn check_restoration(text: &str, r: &Restoration) {
    r.check(text).unwrap_or_else(|e| panic!("{e}: {r:?}"));
    assert_eq!(Restoration::apply(text, r.changes.clone()), *r);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn word_offsets_slice_arbitrary_unicode(text in any::<String>()) {
        let t = Text::new(&text);
        let mut last = 0;
        for w in t.words() {
            prop_assert!(w.chars.start >= last && w.chars.start < w.chars.end);
            prop_assert_eq!(slice_chars(&text, w.chars.clone()), Some(&text[w.bytes.clone()]));
            last = w.chars.end;
        }
    }

    #[test]
    fn detect_and_restore_offsets_slice_the_input(text in mixed_text()) {
        let u = unspinner();
        check_detection(&text, &u.detect(&text));
        check_restoration(&text, &u.restore(&text));
    }

    #[test]
    fn answers_are_deterministic(text in mixed_text(), other in mixed_text()) {
        let warm = unspinner();
        let (d, r) = (warm.detect(&text), warm.restore(&text));
        // other texts in between fill the candidate cache
        let _ = warm.restore(&other);
        prop_assert_eq!(&warm.detect(&text), &d);
        prop_assert_eq!(&warm.restore(&text), &r);
        let cold = Unspinner::new(tiny::model());
        prop_assert_eq!(cold.detect(&text), d);
        prop_assert_eq!(cold.restore(&text), r);
    }

    #[test]
    fn genuine_text_is_left_alone(text in genuine_text()) {
        // every bigram is attested, so the evidence gate (DESIGN.md) keeps
        // every word: nothing flagged, nothing changed
        let u = unspinner();
        let r = u.restore(&text);
        prop_assert!(r.changes.is_empty(), "{:?}", r.changes);
        prop_assert_eq!(&r.text, &text);
        prop_assert!(u.detect(&text).spans.is_empty());
    }

    #[test]
    fn spin_then_restore_never_panics(
        text in prop_oneof![genuine_text(), mixed_text()],
        seed in any::<u64>(),
        rate in 0.0f64..=1.0,
    ) {
        let u = unspinner();
        let spinner = Spinner::new(u.model(), SpinOptions { rate, seed, ..SpinOptions::default() });
        let spun = spinner.spin(&text, 3);
        prop_assert_eq!(&spinner.spin(&text, 3), &spun);
        check_detection(&spun, &u.detect(&spun));
        let r = u.restore(&spun);
        check_restoration(&spun, &r);
        // restoring the restored text again: offsets still hold, and it
        // changes no more words than there are
        let again = u.restore(&r.text);
        check_restoration(&r.text, &again);
        prop_assert!(again.changes.len() <= Text::new(&r.text).words().len());
    }
}

/// An n-gram (1 to 3 words), its log10 probability and backoff weight.
type Entry = (Vec<String>, f32, f32);
/// An original phrase, its spun form and a weight.
type Pair = (String, String, f32);

/// A random small model: words from a small alphabet, random n-grams and
/// synonym pairs, random parameters in their ranges.
fn random_model() -> impl Strategy<Value = (Vec<Entry>, Vec<Pair>, Params)> {
    let word = "[a-e]{1,3}( [a-e]{1,3})?";
    let entry = (
        prop::collection::vec("[a-e]{1,3}", 1..=3),
        -6.0f32..0.0,
        -2.0f32..0.5,
    );
    let pair = (word, word, 0.01f32..10.0);
    let params = (0.01f64..0.99, any::<bool>(), 0.0f64..8.0, 0.0f64..=1.0).prop_map(
        |(spin_rate, adaptive, change_margin, flag_threshold)| Params {
            spin_rate,
            adaptive,
            change_margin,
            flag_threshold,
            provenance: "property test".into(),
            ..Params::default()
        },
    );
    (
        prop::collection::vec(entry, 1..60),
        prop::collection::vec(pair, 0..30),
        params,
    )
}

fn build(entries: &[Entry], pairs: &[Pair], params: &Params) -> ModelBuilder {
    let mut mb = ModelBuilder::new();
    for (words, p, b) in entries {
        let w: Vec<&str> = words.iter().map(String::as_str).collect();
        mb.lm.add(&w, *p, *b).unwrap();
    }
    for (o, s, w) in pairs {
        mb.lexicon.add(o, s, pos::ANY, *w);
    }
    mb.params = params.clone();
    mb
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn a_model_written_and_read_back_is_the_same_model(
        (entries, pairs, params) in random_model(),
        probe in prop::collection::vec("[a-e]{1,3}", 1..30),
    ) {
        let bytes = build(&entries, &pairs, &params).to_bytes().unwrap();
        // building is reproducible
        prop_assert_eq!(&build(&entries, &pairs, &params).to_bytes().unwrap(), &bytes);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.unspin");
        let written = build(&entries, &pairs, &params).write(&path).unwrap();
        prop_assert_eq!(written as usize, bytes.len());
        prop_assert_eq!(&std::fs::read(&path).unwrap(), &bytes);
        let zst = dir.path().join("m.unspin.zst");
        build(&entries, &pairs, &params).write(&zst).unwrap();
        // no temporary file is left behind
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        prop_assert_eq!(names.len(), 2, "{:?}", names);

        let text = probe.join(" ");
        let in_memory = Unspinner::new(Model::from_bytes(&bytes).unwrap());
        for m in [Model::open(&path).unwrap(), Model::open(&zst).unwrap()] {
            prop_assert_eq!(m.params().provenance.as_str(), "property test");
            prop_assert_eq!(m.lm().vocab_len(), in_memory.model().lm().vocab_len());
            prop_assert_eq!(m.lexicon().len(), in_memory.model().lexicon().len());
            for w in &probe {
                prop_assert_eq!(m.lm().id(w), in_memory.model().lm().id(w));
                prop_assert_eq!(m.lexicon().candidates(w), in_memory.model().lexicon().candidates(w));
            }
            let u = Unspinner::new(m);
            prop_assert_eq!(u.detect(&text), in_memory.detect(&text));
            prop_assert_eq!(u.restore(&text), in_memory.restore(&text));
        }
    }

    #[test]
    fn every_truncation_of_a_model_is_refused(cut in any::<prop::sample::Index>(), flip in any::<prop::sample::Index>(), bit in 0u8..8) {
        let bytes = tiny::model_bytes();
        let cut = cut.index(bytes.len());
        prop_assert!(Model::from_bytes(&bytes[..cut]).is_err());
        let mut flipped = bytes.clone();
        flipped[flip.index(bytes.len())] ^= 1 << bit;
        let e = Model::from_bytes(&flipped).unwrap_err().to_string();
        prop_assert!(e.contains("model bytes"), "{}", e);
    }
}

#[test]
fn the_tiny_model_restores_its_own_spins() {
    // the fixture is meaningful: the property tests above exercise real
    // changes, not an engine that never changes anything
    let u = unspinner();
    let r = u.restore("officials stated the chilly conflict period ended final week");
    assert_eq!(
        r.text, "officials said the cold war era ended last week",
        "{r:?}"
    );
    assert!(!u
        .detect("the navy hosted joint workout routines")
        .spans
        .is_empty());
}

#[test]
fn candidates_of_an_empty_phrase_do_not_panic() {
    // found while writing the model round-trip checks: it panicked on any
    // model (an unwrap in lexicon/morph.rs)
    let m = tiny::model();
    assert!(m.lexicon().candidates("").is_empty());
    assert!(m.lexicon().spins("").is_empty());
}

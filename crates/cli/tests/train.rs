//! End-to-end tests of `unspin train --mix`: a corpus model mixed into a
//! base model, with the real binary on temp files.

use std::path::Path;
use std::process::{Command, Output};

use unspin_core::Model;

fn unspin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_unspin"))
        .args(args)
        .output()
        .expect("unspin runs")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temp path")
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_corpus_model_mixed_into_a_base_keeps_both_vocabularies() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let news = write(
        d,
        "news.txt",
        &"The cold war ended. The minister said the war was long. ".repeat(20),
    );
    let field = write(
        d,
        "field.txt",
        &"A random forest votes. The classifier uses a random forest. ".repeat(20),
    );
    let swaps = write(d, "swaps.tsv", "cold\tchilly\n");
    let base = d.join("base.unspin");
    let o = unspin(&[
        "train",
        "-o",
        s(&base),
        "--corpus",
        s(&news),
        "--swaps",
        s(&swaps),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mixed = d.join("mixed.unspin");
    let o = unspin(&[
        "train",
        "-o",
        s(&mixed),
        "--corpus",
        s(&field),
        "--mix",
        "0.5",
        "--base",
        s(&base),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("mixed into the base model"), "{err}");

    let base = Model::open(&base).unwrap();
    let mixed = Model::open(&mixed).unwrap();
    for w in ["minister", "war", "forest", "classifier"] {
        assert!(
            mixed.lm().id(w).is_some(),
            "{w} is known to the mixed model"
        );
    }
    assert!(base.lm().id("forest").is_none());
    // a word of the base only keeps about half its probability, a word of
    // the corpus only gets about half of what the corpus gave it
    let uni = |m: &Model, w: &str| m.lm().unigram(m.lm().id(w));
    let half = 0.5f32.log10();
    let minister = uni(&mixed, "minister") - uni(&base, "minister");
    assert!((minister - half).abs() < 0.05, "{minister}");
    // the base model's lexicon and parameters are kept
    assert_eq!(mixed.lexicon().len(), base.lexicon().len());
    assert_eq!(
        serde_json::to_string(mixed.params()).unwrap(),
        serde_json::to_string(base.params()).unwrap()
    );
}

#[test]
fn a_mixing_weight_outside_zero_to_one_or_without_a_corpus_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let text = write(d, "t.txt", "The cold war ended.\n");
    let out = d.join("m.unspin");
    let o = unspin(&["train", "-o", s(&out), "--corpus", s(&text), "--mix", "1.5"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("between 0 and 1"), "{err}");
    assert!(!out.exists(), "no model is written");
    let o = unspin(&["train", "-o", s(&out), "--mix", "0.5"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--corpus"));
}

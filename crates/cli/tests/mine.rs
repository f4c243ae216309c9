//! End-to-end tests of `unspin mine`: the real binary on temp files, with
//! the built-in thesaurus and language model. Skipped (with a message)
//! while the built-in model is missing.

use std::process::Output;

mod common;

use common::{model_ready, unspin};

/// Candidate lines of the TSV output (its `#` comment left out).
fn candidates(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

#[test]
fn mine_finds_a_recurring_variant_grown_to_its_whole_phrase() {
    if !model_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let reference = "We train a random forest on the data. A random forest is robust.\n";
    std::fs::write(dir.path().join("clean.txt"), reference.repeat(3)).unwrap();
    let docs = [
        "Our irregular woodland classifier beats the baseline.",
        "An irregular woodland classifier was trained, as before.",
        "They tuned the irregular woodland classifier twice.",
    ];
    let corpus: String = docs
        .iter()
        .enumerate()
        .map(|(i, t)| serde_json::json!({"id": i, "text": t}).to_string() + "\n")
        .collect();
    std::fs::write(dir.path().join("spun.jsonl"), &corpus).unwrap();
    let out = unspin(
        &["mine", "--corpus", "spun.jsonl", "--reference", "clean.txt"],
        dir.path(),
    );
    assert!(out.status.success(), "{out:?}");
    let found = candidates(&out);
    assert!(
        found
            .iter()
            .any(|l| l == "irregular woodland classifier\trandom forest classifier"),
        "{found:?}"
    );

    // one document is below the default --min-docs 2, and the summary says so
    std::fs::write(dir.path().join("one.jsonl"), corpus.lines().next().unwrap()).unwrap();
    let out = unspin(
        &["mine", "--corpus", "one.jsonl", "--reference", "clean.txt"],
        dir.path(),
    );
    assert!(out.status.success(), "{out:?}");
    assert!(candidates(&out).is_empty(), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--min-docs 1"),
        "{out:?}"
    );
    let out = unspin(
        &[
            "mine",
            "--corpus",
            "one.jsonl",
            "--reference",
            "clean.txt",
            "--min-docs",
            "1",
        ],
        dir.path(),
    );
    assert!(
        candidates(&out)
            .iter()
            .any(|l| l.starts_with("irregular woodland\t")),
        "{out:?}"
    );
}

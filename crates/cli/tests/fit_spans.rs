//! End-to-end tests of `unspin fit-spans`: the span model fitted on pairs
//! and used through `--set span_model=…`, with the real binary.

use std::path::Path;
use std::process::{Command, Output};

fn unspin(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_unspin"))
        .args(args)
        .output()
        .expect("unspin runs")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 temp path")
}

const ORIGINALS: [&str; 4] = [
    "The company said in a statement that it would cut 200 jobs at its factory in the north of the country, where demand has fallen sharply this year.",
    "Officials said the number of active cases in the state had fallen for the third week in a row, and the health ministry expects the trend to continue.",
    "The two navies will conduct joint exercises in the Indian Ocean next month, the defence ministry said on Monday in a brief statement to reporters.",
    "Shares in the firm rose by more than five per cent on Tuesday after it reported strong profits and said it would pay a larger dividend to its investors.",
];

/// Spun pairs of the originals, made by `unspin spin`.
fn pairs(dir: &Path) -> std::path::PathBuf {
    let texts = dir.join("texts.jsonl");
    let lines: Vec<String> = (0..3)
        .flat_map(|k| {
            ORIGINALS.iter().enumerate().map(move |(i, t)| {
                serde_json::json!({"id": format!("{k}-{i}"), "text": t}).to_string()
            })
        })
        .collect();
    std::fs::write(&texts, lines.join("\n") + "\n").unwrap();
    let o = unspin(&["spin", "--rate", "0.4", "--seed", "3", s(&texts)]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let p = dir.join("pairs.jsonl");
    std::fs::write(&p, &o.stdout).unwrap();
    p
}

#[test]
fn a_fitted_span_model_is_json_that_detect_takes() {
    let dir = tempfile::tempdir().unwrap();
    let pairs = pairs(dir.path());
    let out = dir.path().join("span.json");
    let o = unspin(&["fit-spans", "--pairs", s(&pairs), "-o", s(&out)]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("span F1"), "{err}");
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let weights = model["weights"].as_array().expect("weights");
    assert_eq!(weights.len(), unspin_core::rescore::N_FEATURES + 1);
    assert!(weights
        .iter()
        .all(|w| w.as_f64().is_some_and(f64::is_finite)));
    let threshold = model["threshold"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&threshold));
    // detect takes it, and reports the model's probabilities
    let spun: Vec<String> = std::fs::read_to_string(&pairs)
        .unwrap()
        .lines()
        .map(|l| {
            let p: serde_json::Value = serde_json::from_str(l).unwrap();
            serde_json::json!({"id": p["id"], "text": p["spun"]}).to_string()
        })
        .collect();
    let spun_file = dir.path().join("spun.jsonl");
    std::fs::write(&spun_file, spun.join("\n") + "\n").unwrap();
    let set = format!("span_model={model}");
    let o = unspin(&["detect", "--format", "jsonl", "--set", &set, s(&spun_file)]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut model_spans = 0;
    for line in String::from_utf8_lossy(&o.stdout).lines() {
        let d: serde_json::Value = serde_json::from_str(line).unwrap();
        for span in d["spans"].as_array().unwrap() {
            if span["source"].as_str() == Some("model") {
                model_spans += 1;
                assert!(span["score"].as_f64().unwrap() >= threshold, "{span}");
            }
        }
    }
    assert!(model_spans > 0, "the spun texts have flags");
}

#[test]
fn pairs_that_cannot_teach_a_model_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.jsonl");
    std::fs::write(&empty, "").unwrap();
    let o = unspin(&["fit-spans", "--pairs", s(&empty)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no pairs"));
    // originals on both sides: nothing was spun, every span is genuine
    let same = dir.path().join("same.jsonl");
    let lines: Vec<String> = ORIGINALS
        .iter()
        .map(|t| serde_json::json!({"original": t, "spun": t}).to_string())
        .collect();
    std::fs::write(&same, lines.join("\n")).unwrap();
    let o = unspin(&[
        "fit-spans",
        "--pairs",
        s(&same),
        "--set",
        "spin_rate_clean=0.5",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cannot fit") || err.contains("all of one kind"),
        "{err}"
    );
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"original\": 1}\n").unwrap();
    let o = unspin(&["fit-spans", "--pairs", s(&bad)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad.jsonl:1"));
}

#[test]
fn a_span_model_of_the_wrong_shape_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("a.txt");
    std::fs::write(&text, "A text.").unwrap();
    let o = unspin(&[
        "detect",
        "--set",
        r#"span_model={"weights":[1.0,2.0]}"#,
        s(&text),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("span_model has 2 weights"), "{err}");
}

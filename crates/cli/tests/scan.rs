//! End-to-end tests of `unspin scan`: the real binary on temp files.
//! Skipped (with a message) while the built-in model is missing.

use std::process::Command;

mod common;

use common::{model_ready, unspin};

fn corpus(n: usize) -> String {
    let texts = [
        "The Chilly Conflict period ended in 1991.",
        "We used an irregular woodland classifier.",
        "She visited her grandmother on Sunday.",
    ];
    (0..n)
        .map(|i| {
            serde_json::json!({"id": format!("d{i}"), "text": texts[i % 3], "src": "t"}).to_string()
                + "\n"
        })
        .collect()
}

#[test]
fn scan_matches_detect_and_reports_bad_lines() {
    if !model_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut input = corpus(50);
    input.push_str("{\"id\":\"x\"}\n");
    std::fs::write(dir.path().join("in.jsonl"), &input).unwrap();
    let scan = unspin(&["scan", "-j", "2", "in.jsonl"], dir.path());
    let detect = unspin(
        &["detect", "--format", "jsonl", "--json", "in.jsonl"],
        dir.path(),
    );
    assert_eq!(scan.status.code(), Some(2), "a bad record means exit 2");
    assert_eq!(detect.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&scan.stdout),
        String::from_utf8_lossy(&detect.stdout)
    );
    let err = String::from_utf8_lossy(&scan.stderr);
    assert!(
        err.contains("in.jsonl:51: no \"text\" field: skipped"),
        "{err}"
    );
    assert!(
        err.contains("unspin scan: 50 documents,") && err.contains("1 bad record(s) skipped"),
        "{err}"
    );
    assert!(err.contains("MB/s"), "{err}");
    // no progress bar when stderr is not a terminal
    assert!(!err.contains('\r') && !err.contains("\x1b["), "{err:?}");
}

#[test]
fn output_file_and_resume() {
    if !model_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("in.jsonl"), corpus(200)).unwrap();
    let full = unspin(&["scan", "-q", "in.jsonl"], dir.path());
    assert!(full.status.success());
    let full = String::from_utf8(full.stdout).unwrap();
    // an interrupted run: 77 lines and a torn one
    let lines: Vec<&str> = full.lines().collect();
    let mut partial: String = lines[..77].iter().map(|l| format!("{l}\n")).collect();
    partial.push_str(&lines[77][..10]);
    std::fs::write(dir.path().join("out.jsonl"), partial).unwrap();
    let r = unspin(
        &["scan", "in.jsonl", "-o", "out.jsonl", "--resume"],
        dir.path(),
    );
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(err.contains("resuming after 77 record(s)"), "{err}");
    assert!(err.contains("123 documents"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.jsonl")).unwrap(),
        full
    );
    // resuming a finished scan adds nothing
    let r = unspin(
        &["scan", "-q", "in.jsonl", "-o", "out.jsonl", "--resume"],
        dir.path(),
    );
    assert!(r.status.success());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.jsonl")).unwrap(),
        full
    );
    // against other input: refused, output untouched
    std::fs::write(
        dir.path().join("other.jsonl"),
        corpus(300).replace("\"d", "\"e"),
    )
    .unwrap();
    let r = unspin(
        &["scan", "-q", "other.jsonl", "-o", "out.jsonl", "--resume"],
        dir.path(),
    );
    assert_eq!(r.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&r.stderr).contains("cannot resume"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out.jsonl")).unwrap(),
        full
    );
}

#[test]
fn flags_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let r = unspin(&["scan", "--resume"], dir.path());
    assert_eq!(r.status.code(), Some(2), "--resume needs --output");
    let r = unspin(&["scan", "--unordered", "--resume", "-o", "x"], dir.path());
    assert_eq!(r.status.code(), Some(2));
}

#[test]
fn stdin_and_text_files() {
    if !model_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "The Chilly Conflict period ended.",
    )
    .unwrap();
    let r = unspin(&["scan", "-q", "a.txt"], dir.path());
    assert!(r.status.success());
    let v: serde_json::Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(v["id"], "a.txt");
    let mut child = Command::new(env!("CARGO_BIN_EXE_unspin"))
        .args(["scan", "-q"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(corpus(3).as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count(),
        3,
        "stdin sniffed as JSONL"
    );
}

#[test]
fn word_and_pdf_files_in_a_directory_are_scanned_and_a_corrupt_one_is_reported() {
    if !model_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    let text = "The Chilly Conflict period ended. A impartial celebration watched.";
    std::fs::write(
        docs.join("a.docx"),
        unspin_extract::testing::docx_of(&[text]),
    )
    .unwrap();
    std::fs::write(docs.join("b.txt"), text).unwrap();
    std::fs::write(docs.join("c.pdf"), b"%PDF-1.7\n%binary").unwrap();
    std::fs::write(docs.join("d.pdf"), unspin_extract::testing::pdf_of(&[text])).unwrap();
    let r = unspin(&["scan", "-q", "docs"], dir.path());
    assert_eq!(r.status.code(), Some(2), "the corrupt PDF is a bad record");
    let out: Vec<serde_json::Value> = String::from_utf8_lossy(&r.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(out.len(), 3, "{out:?}");
    assert!(out[0]["id"].as_str().unwrap().ends_with("a.docx"));
    assert!(out[1]["id"].as_str().unwrap().ends_with("b.txt"));
    assert!(out[2]["id"].as_str().unwrap().ends_with("d.pdf"));
    assert!(
        !out[0]["spans"].as_array().unwrap().is_empty(),
        "{}",
        out[0]
    );
    assert_eq!(
        out[0]["spans"], out[1]["spans"],
        "the Word file reads as its text"
    );
    assert_eq!(
        out[2]["spans"], out[1]["spans"],
        "the PDF reads as its text"
    );
    let err = String::from_utf8_lossy(&r.stderr);
    assert!(
        err.contains("c.pdf") && err.contains("PDF is corrupt"),
        "{err}"
    );
    assert!(!err.contains("--lossy"), "no UTF-8 advice for a PDF: {err}");
}

#[test]
fn word_and_pdf_files_are_indexed_as_their_text_and_a_corrupt_one_is_skipped() {
    if !model_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let cold_war = "The Cold War era ended in 1991 when the Soviet Union collapsed.";
    let forest = "We used a random forest classifier on the data.";
    std::fs::write(
        dir.path().join("a.pdf"),
        unspin_extract::testing::pdf_of(&[cold_war]),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.docx"),
        unspin_extract::testing::docx_of(&[forest]),
    )
    .unwrap();
    std::fs::write(dir.path().join("c.pdf"), b"%PDF-1.7\n%cut").unwrap();
    let b = unspin(
        &[
            "index", "build", "--index", "idx", "a.pdf", "c.pdf", "b.docx",
        ],
        dir.path(),
    );
    let err = String::from_utf8_lossy(&b.stderr);
    assert_eq!(b.status.code(), Some(2), "a skipped file: {err}");
    assert!(
        err.contains("c.pdf: skipped") && err.contains("PDF is corrupt"),
        "{err}"
    );
    assert!(err.contains("2 new") && err.contains("1 skipped"), "{err}");
    // the PDF's text is what trace finds
    std::fs::write(
        dir.path().join("q.txt"),
        "The Chilly Conflict period ended in 1991 when the Soviet Union collapsed.",
    )
    .unwrap();
    let t = unspin(&["trace", "--index", "idx", "--json", "q.txt"], dir.path());
    assert!(t.status.success(), "{}", String::from_utf8_lossy(&t.stderr));
    let t: serde_json::Value = serde_json::from_slice(&t.stdout).unwrap();
    assert_eq!(t["matches"][0]["doc_id"], "a.pdf", "{t}");
}

#[test]
fn index_adds_the_matches_trace_gives() {
    if !model_ready() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sources = [
        "The Cold War era ended in 1991 when the Soviet Union collapsed. Historians still argue about why.",
        "We used a random forest classifier on the data. It beat every other model we tried.",
    ];
    let src: String = sources
        .iter()
        .enumerate()
        .map(|(i, t)| serde_json::json!({"id": format!("s{i}"), "text": t}).to_string() + "\n")
        .collect();
    std::fs::write(dir.path().join("src.jsonl"), src).unwrap();
    let b = unspin(
        &["index", "build", "--index", "idx", "-q", "src.jsonl"],
        dir.path(),
    );
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    let suspects = "{\"id\":\"q\",\"text\":\"The Chilly Conflict period ended in 1991 when the Soviet Union collapsed.\"}\n";
    std::fs::write(dir.path().join("q.jsonl"), suspects).unwrap();
    let s = unspin(&["scan", "-q", "--index", "idx", "q.jsonl"], dir.path());
    assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stderr));
    let t = unspin(
        &[
            "trace", "--index", "idx", "--format", "jsonl", "--json", "q.jsonl",
        ],
        dir.path(),
    );
    assert!(t.status.success(), "{}", String::from_utf8_lossy(&t.stderr));
    let s: serde_json::Value = serde_json::from_slice(&s.stdout).unwrap();
    let t: serde_json::Value = serde_json::from_slice(&t.stdout).unwrap();
    assert_eq!(s["matches"], t["matches"]);
    assert_eq!(s["matches"][0]["doc_id"], "s0");
    assert!(s.get("score").is_some() && s.get("spans").is_some());
    let missing = unspin(&["scan", "--index", "nope", "q.jsonl"], dir.path());
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot open the index nope"));
}

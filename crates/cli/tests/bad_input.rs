//! `unspin detect` / `restore` on bad input, driving the real binary: every
//! case gets a clear message and the documented exit code; nothing is
//! dropped silently.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_unspin"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("unspin runs");
    let mut pipe = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn invalid_utf8_names_the_byte_offset_or_is_replaced_with_lossy() {
    let o = run(&["detect"], b"good text \xff\xfe more");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("byte offset 10"), "{}", stderr(&o));
    let o = run(&["restore", "--lossy"], b"good text \xff\xfe more");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains('\u{fffd}'));
}

#[test]
fn empty_input_gives_one_empty_record() {
    let o = run(&["detect", "--json"], b"");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["spans"].as_array().unwrap().len(), 0);
}

#[test]
fn bad_jsonl_lines_are_reported_with_line_numbers_and_exit_2() {
    let input = b"{\"id\":\"a\",\"text\":\"fine\"}\n{\"id\":\"b\"}\nnot json\n{\"id\":\"c\",\"text\":\"\xff\"}\n{\"id\":\"d\",\"text\":\"also fine\",\"lang\":\"en\"}\n";
    let o = run(&["detect", "--format", "jsonl"], input);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    for needle in [
        ":2: skipped: no \"text\"",
        ":3: skipped: bad JSON",
        ":4: skipped: invalid UTF-8",
        "3 bad record(s)",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in {err}");
    }
    let lines: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["id"], "d");
    assert_eq!(lines[1]["lang"], "en", "other fields pass through");
}

#[test]
fn binary_garbage_is_an_error_not_a_crash() {
    let garbage: Vec<u8> = (0..100_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let o = run(&["restore"], &garbage);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not valid UTF-8"));
}

#[test]
fn a_corrupt_or_foreign_model_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("model.unspin");
    std::fs::write(&bad, b"PK\x03\x04 not a model").unwrap();
    let o = run(&["detect", "--model", bad.to_str().unwrap()], b"text");
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is not an unspin model"),
        "{}",
        stderr(&o)
    );
}

#[test]
#[ignore = "slow: 100 MB through the decoder; run with --ignored"]
fn a_100_mb_single_line_is_processed() {
    let line =
        "the chilly conflict period ended and officials said so ".repeat(100 * 1024 * 1024 / 56);
    let o = run(&["detect", "--json"], line.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_long_single_line_is_processed() {
    let line = "the chilly conflict period ended and officials said so ".repeat(20_000);
    let o = run(&["restore", "--json"], line.as_bytes());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["text"].as_str().unwrap().split_whitespace().count(),
        9 * 20_000
    );
}

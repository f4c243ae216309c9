//! `--set NAME=VALUE` overrides a decoder parameter of the model for one
//! run, driving the real binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_unspin"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("unspin runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn changes(o: &Output) -> usize {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON record");
    v["changes"].as_array().expect("changes").len()
}

const SPUN: &str = "They surpass the military-political alliances of the Chilly Conflict period. \
    The minister said it was a impartial celebration and that this story is revealed from a \
    syndicated feed by NDTV workers.";

#[test]
fn an_overridden_parameter_changes_the_decoding() {
    // with no margin at all, the built-in model restores something here
    let eager = run(
        &["restore", "--format", "jsonl", "--set", "change_margin=0"],
        &format!("{{\"id\":\"a\",\"text\":{SPUN:?}}}"),
    );
    assert_eq!(eager.status.code(), Some(0));
    assert!(changes(&eager) > 0);
    // a margin no change can clear leaves the text alone
    let strict = run(
        &[
            "restore",
            "--format",
            "jsonl",
            "--set",
            "change_margin=1000",
        ],
        &format!("{{\"id\":\"a\",\"text\":{SPUN:?}}}"),
    );
    assert_eq!(
        strict.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&strict.stderr)
    );
    assert_eq!(changes(&strict), 0);
}

#[test]
fn unknown_names_and_bad_values_are_errors() {
    let o = run(&["detect", "--set", "no_such_knob=1"], "text");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no_such_knob") && err.contains("change_margin"),
        "{err}"
    );
    let o = run(&["detect", "--set", "change_margin=lots"], "text");
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["detect", "--set", "change_margin"], "text");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("NAME=VALUE"));
}

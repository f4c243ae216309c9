//! `unspin detect` / `restore` on bad input, driving the real binary: every
//! case gets a clear message and the documented exit code; nothing is
//! dropped silently.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use unspin_extract::testing::{docx_of, pdf_of};

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

#[path = "../../core/tests/common/tiny.rs"]
mod tiny;

fn unspin_at(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_unspin"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("unspin runs")
}

#[test]
fn truncated_and_bit_flipped_models_are_named_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let good = tiny::model_bytes();
    let path = dir.path().join("damaged.unspin");
    let p = path.to_str().unwrap();
    let mut cases: Vec<Vec<u8>> = [0, 7, 12, 19, 40, good.len() / 2, good.len() - 1]
        .iter()
        .map(|&cut| good[..cut].to_vec())
        .collect();
    for at in [0, 9, 13, 20, 60, good.len() / 3, good.len() - 2] {
        let mut b = good.clone();
        b[at] ^= 0x04;
        cases.push(b);
    }
    for bytes in cases {
        std::fs::write(&path, &bytes).unwrap();
        let o = run(&["detect", "--model", p], b"the chilly conflict period");
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{} bytes: {err}", bytes.len());
        assert!(err.contains(p), "the error names the file: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // the intact model works, so the failures above are the damage
    std::fs::write(&path, &good).unwrap();
    let o = run(
        &["restore", "--model", p],
        b"the chilly conflict period ended",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).trim(),
        "the cold war era ended"
    );
}

#[test]
fn damaged_index_files_are_errors_naming_the_index_never_panics() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs.jsonl");
    std::fs::write(
        &docs,
        "{\"id\":\"army\",\"text\":\"The military held joint exercises in the field last February.\"}\n\
         {\"id\":\"flood\",\"text\":\"Heavy rain flooded the valley overnight and roads were closed.\"}\n",
    )
    .unwrap();
    let query = tmp.path().join("q.jsonl");
    std::fs::write(
        &query,
        "{\"id\":\"q\",\"text\":\"The navy held joint workout routines in the discipline final February.\"}\n",
    )
    .unwrap();
    let pristine = tmp.path().join("pristine");
    let o = unspin_at(&[
        "index",
        "build",
        "-q",
        "--index",
        pristine.to_str().unwrap(),
        docs.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let files: Vec<String> = std::fs::read_dir(&pristine)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".lock"))
        .collect();
    assert!(files.len() >= 5, "{files:?}");
    let mut errors = 0;
    for (i, name) in files.iter().enumerate() {
        for damage in ["truncate", "flip", "empty"] {
            let dir = tmp.path().join(format!("d{i}-{damage}"));
            std::fs::create_dir(&dir).unwrap();
            for f in &files {
                std::fs::copy(pristine.join(f), dir.join(f)).unwrap();
            }
            let target = dir.join(name);
            let mut bytes = std::fs::read(&target).unwrap();
            match damage {
                "truncate" => bytes.truncate(bytes.len() / 2),
                "flip" => {
                    let at = bytes.len() * 2 / 3;
                    bytes[at] ^= 0x20;
                }
                _ => bytes.clear(),
            }
            std::fs::write(&target, &bytes).unwrap();
            let d = dir.to_str().unwrap();
            let o = unspin_at(&["trace", "--index", d, query.to_str().unwrap()]);
            let err = stderr(&o);
            assert!(!err.contains("panicked"), "{name} {damage}: {err}");
            match o.status.code() {
                Some(0) => {}
                Some(2) => {
                    errors += 1;
                    assert!(
                        err.contains(d),
                        "{name} {damage}: the error names no index: {err}"
                    );
                }
                other => panic!("{name} {damage}: exit {other:?}: {err}"),
            }
        }
    }
    assert!(
        errors >= files.len(),
        "most damage must be noticed ({errors} errors)"
    );
}

#[test]
fn documents_over_the_size_limit_are_reported_and_skipped() {
    let input = format!(
        "{{\"id\":\"a\",\"text\":\"short\"}}\n{{\"id\":\"b\",\"text\":\"{}\"}}\n{{\"id\":\"c\",\"text\":\"also short\"}}\n",
        "x".repeat(5000)
    );
    let o = run(
        &["detect", "--format", "jsonl", "--max-doc-bytes", "1000"],
        input.as_bytes(),
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("<stdin>:2: skipped: a line of 5021 bytes is larger than the limit of 1000 bytes (--max-doc-bytes)"),
        "{err}"
    );
    let ids: Vec<String> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids, ["\"a\"", "\"c\""]);
    // a 1 GiB plain-text file (sparse: no disk used) is refused after
    // reading just past the default limit, not loaded
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(1 << 30)
        .unwrap();
    let o = unspin_at(&["detect", "--json", big.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("big.txt: skipped: a document of 134217729 bytes or more"),
        "{err}"
    );
    // the limit is configurable; 0 turns it off
    let o = run(
        &["detect", "--json", "--max-doc-bytes", "0"],
        &vec![b'a'; 3000],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

// `--set NAME=VALUE` overrides a decoder parameter of the model for one run.

fn changes(o: &Output) -> usize {
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("one JSON record");
    v["changes"].as_array().expect("changes").len()
}

const SPUN: &str = "They surpass the military-political alliances of the Chilly Conflict period. \
    The minister said it was a impartial celebration and that this story is revealed from a \
    syndicated feed by NDTV workers.";

#[test]
fn set_overrides_a_decoder_parameter_for_one_run() {
    // with no margin at all, the built-in model restores something here
    let eager = run(
        &["restore", "--format", "jsonl", "--set", "change_margin=0"],
        format!("{{\"id\":\"a\",\"text\":{SPUN:?}}}").as_bytes(),
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
        format!("{{\"id\":\"a\",\"text\":{SPUN:?}}}").as_bytes(),
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
fn spin_refuses_draw_exponents_out_of_range() {
    for flag in ["--familiarity", "--channel-power"] {
        for bad in ["-1", "5", "NaN"] {
            let arg = format!("{flag}={bad}");
            let o = run(&["spin", &arg], b"The committee approved the plan.");
            assert_eq!(o.status.code(), Some(2), "{flag} {bad}");
            assert!(stderr(&o).contains(flag), "{flag} {bad}: {}", stderr(&o));
        }
    }
    let o = run(
        &["spin", "--familiarity", "0"],
        b"The committee approved the plan.",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn spin_fix_articles_fits_the_article_to_the_swapped_word() {
    let text = b"It was a long debate, an important vote, a huge effort and an awful storm.";
    // the same seed with and without the flag: the swaps are the same, so
    // the outputs differ exactly where an article was refitted
    let differ = (0..10).any(|seed| {
        let seed = seed.to_string();
        let plain = run(&["spin", "--rate", "1", "--seed", &seed], text);
        let fixed = run(
            &["spin", "--rate", "1", "--seed", &seed, "--fix-articles"],
            text,
        );
        assert_eq!(fixed.status.code(), Some(0), "{}", stderr(&fixed));
        plain.stdout != fixed.stdout
    });
    assert!(differ, "--fix-articles changed no output in 10 seeds");
}

#[test]
fn spin_typo_rate_garbles_words_and_must_be_a_share() {
    let text = b"The government announced a large investment in public transport today.";
    let plain = run(&["spin", "--rate", "0", "--seed", "3"], text);
    assert_eq!(
        plain.stdout,
        text.iter().chain(b"\n").copied().collect::<Vec<u8>>()
    );
    let garbled = run(
        &["spin", "--rate", "0", "--seed", "3", "--typo-rate", "1"],
        text,
    );
    assert_eq!(garbled.status.code(), Some(0), "{}", stderr(&garbled));
    // every lower-case word of four letters or more, and nothing else
    let out = String::from_utf8(garbled.stdout).unwrap();
    let words: Vec<&str> = out.split_whitespace().collect();
    assert_eq!(words.len(), 10, "{out}");
    for (w, was) in words
        .iter()
        .zip(std::str::from_utf8(text).unwrap().split_whitespace())
    {
        let long = was.trim_end_matches('.').len() >= 4 && was != "The";
        assert_eq!(*w != was, long, "{was} → {w}");
    }
    for bad in ["1.5", "-0.1", "NaN"] {
        let o = run(&["spin", &format!("--typo-rate={bad}")], text);
        assert_eq!(o.status.code(), Some(2), "--typo-rate {bad}");
        assert!(stderr(&o).contains("--typo-rate"), "{}", stderr(&o));
    }
}

#[test]
fn set_with_an_unknown_name_or_a_bad_value_is_an_error() {
    let o = run(&["detect", "--set", "no_such_knob=1"], b"text");
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no_such_knob") && err.contains("change_margin"),
        "{err}"
    );
    let o = run(&["detect", "--set", "change_margin=lots"], b"text");
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["detect", "--set", "change_margin"], b"text");
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("NAME=VALUE"));
}

#[test]
fn word_and_pdf_files_are_read_as_their_text_and_a_broken_one_is_an_error() {
    let lines = [
        "A impartial celebration.",
        "The Chilly Conflict period ended.",
    ];
    for (name, file, broken) in [
        ("paper.docx", docx_of(&lines), "Word document is corrupt"),
        ("paper.pdf", pdf_of(&lines), "PDF is corrupt"),
    ] {
        a_document_is_read_as_its_text(name, &file, broken);
    }
}

/// `extract` prints the text of `file` (holding the two lines of the test
/// above), detect's spans slice that text, and the file cut in half is an
/// error naming it and saying `broken`.
fn a_document_is_read_as_its_text(name: &str, file: &[u8], broken: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), file).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_unspin"))
        .args(["extract", name])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success(), "{name}: {out:?}");
    let text = "A impartial celebration.\nThe Chilly Conflict period ended.";
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{text}\n"));
    if unspin_core::Model::builtin().is_ok() {
        // detect reads the same text: its spans slice it
        let out = Command::new(env!("CARGO_BIN_EXE_unspin"))
            .args(["detect", "--json", name])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}: {out:?}");
        let rec: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let spans = rec["spans"].as_array().unwrap();
        assert!(!spans.is_empty(), "{name}: {rec}");
        let chars: Vec<char> = text.chars().collect();
        for s in spans {
            let (a, b) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                chars[a..b].iter().collect::<String>(),
                s["text"].as_str().unwrap()
            );
        }
    }
    // cut short: a clear error naming the file, exit 2
    let cut = format!("cut-{name}");
    std::fs::write(dir.path().join(&cut), &file[..file.len() / 2]).unwrap();
    for cmd in ["detect", "extract"] {
        let out = Command::new(env!("CARGO_BIN_EXE_unspin"))
            .args([cmd, &cut])
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{cmd}: {out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&cut) && err.contains(broken), "{cmd}: {err}");
    }
}

#[test]
fn jsonl_piped_in_without_a_format_is_read_as_text_with_a_warning() {
    if unspin_core::Model::builtin().is_err() {
        return;
    }
    let jsonl = b"{\"id\": \"a\", \"text\": \"A impartial celebration.\"}\n";
    let warned = |o: &Output| String::from_utf8_lossy(&o.stderr).contains("looks like JSONL");
    let o = run(&["detect", "--json"], jsonl);
    assert!(o.status.success(), "{o:?}");
    assert!(warned(&o), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("--format jsonl"));
    // read as one text: the record's JSON syntax is the document
    let rec: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(rec["id"], "<stdin>");
    // no warning when the format is given, or for text that is not JSONL
    for (args, input) in [
        (
            vec!["detect", "--json", "--format", "jsonl"],
            jsonl.as_slice(),
        ),
        (
            vec!["detect", "--json", "--format", "text"],
            jsonl.as_slice(),
        ),
        (vec!["detect", "--json"], b"{curly} but not JSON".as_slice()),
        (vec!["detect", "--json"], b"{\"text\": 3}".as_slice()),
    ] {
        let o = run(&args, input);
        assert!(o.status.success(), "{args:?}: {o:?}");
        assert!(!warned(&o), "{args:?}: {o:?}");
    }
}

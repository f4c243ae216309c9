//! Resource bounds of the scan pipeline against adversarial inputs: a
//! 1 GiB line, a huge plain-text file, a WARC record over the limit, many
//! tiny records, deeply repeated tokens. Each is reported (with a clear
//! reason) or processed without holding the input in memory. Runs on the
//! tiny in-process model, so it is fast. One test per process section:
//! the peak-memory check reads this process's high-water mark, so the
//! tests here run one after another (a mutex) and allocate little else.

#[path = "../../core/tests/common/tiny.rs"]
mod tiny;

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use unspin_core::Unspinner;
use unspin_scan::{BadRecord, Input, Location, Scanner};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

#[derive(Default)]
struct Collect(Vec<BadRecord>);

impl unspin_scan::Observer for Collect {
    fn bad(&mut self, bad: &BadRecord) {
        self.0.push(bad.clone());
    }
}

fn scanner(max: usize) -> Scanner {
    Scanner::builder(Unspinner::new(tiny::model()))
        .threads(2)
        .max_doc_bytes(max)
        .build()
}

/// Peak resident memory of this process so far, in bytes (Linux).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// A sparse file of `len` zero bytes (no newline) after `head`: costs no
/// disk and reads at memory speed.
fn sparse(path: &Path, head: &[u8], len: u64) -> Input {
    let mut f = std::fs::File::create(path).unwrap();
    f.write_all(head).unwrap();
    f.set_len(head.len() as u64 + len).unwrap();
    Input::Path(path.to_path_buf())
}

#[test]
fn a_1_gib_line_is_skipped_in_bounded_memory() {
    let _one = ONE_AT_A_TIME.lock().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let big = sparse(
        &tmp.path().join("big.jsonl"),
        b"{\"id\":\"a\",\"text\":\"the cold war era ended\"}\n",
        1 << 30,
    );
    let tail = tmp.path().join("tail.jsonl");
    std::fs::write(
        &tail,
        "{\"id\":\"b\",\"text\":\"the navy held joint exercises\"}\n",
    )
    .unwrap();
    let before = peak_rss();
    let mut out = Vec::new();
    let mut bad = Collect::default();
    let summary = scanner(1 << 20)
        .scan(&[big, Input::Path(tail)], &mut out, None, &mut bad)
        .unwrap();
    assert_eq!(
        summary.counts.documents, 2,
        "the records around it are scanned"
    );
    assert_eq!(bad.0.len(), 1);
    assert_eq!(bad.0[0].location, Location::Line(2));
    assert!(
        bad.0[0].reason
            == format!(
                "a line of {} bytes is larger than the limit of 1048576 bytes (--max-doc-bytes)",
                1u64 << 30
            ),
        "{}",
        bad.0[0].reason
    );
    if let (Some(a), Some(b)) = (before, peak_rss()) {
        assert!(
            b.saturating_sub(a) < 200 << 20,
            "peak memory grew by {} MB",
            (b - a) >> 20
        );
    }
}

#[test]
fn oversized_text_files_and_warc_records_are_bad_records() {
    let _one = ONE_AT_A_TIME.lock().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let text = sparse(&tmp.path().join("big.txt"), b"the cold war", 64 << 20);
    let small = tmp.path().join("small.txt");
    std::fs::write(&small, "the chilly conflict period ended").unwrap();
    // a WARC record whose body is over the limit, then a good one
    let warc = tmp.path().join("a.warc");
    let rec = |id: &str, body: &[u8]| {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        r.extend_from_slice(body);
        r.extend_from_slice(b"\r\n\r\n");
        r
    };
    let mut w = rec("1", &vec![b'a'; 3 << 20]);
    w.extend(rec("2", b"the navy held joint exercises"));
    std::fs::write(&warc, w).unwrap();
    let mut out = Vec::new();
    let mut bad = Collect::default();
    let summary = scanner(1 << 20)
        .scan(
            &[text, Input::Path(small), Input::Path(warc)],
            &mut out,
            None,
            &mut bad,
        )
        .unwrap();
    let reasons: Vec<String> = bad.0.iter().map(|b| b.to_string()).collect();
    assert_eq!(summary.counts.documents, 1, "{reasons:?}");
    assert_eq!(bad.0.len(), 2, "{reasons:?}");
    assert!(
        reasons[0].contains("big.txt: a text file of 1048577 bytes or more"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].contains("a.warc: record 1:") && reasons[1].contains("limit"),
        "{reasons:?}"
    );
}

#[test]
fn many_tiny_records_and_repeated_tokens() {
    let _one = ONE_AT_A_TIME.lock().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("tiny.jsonl");
    let mut body = String::new();
    for i in 0..20_000 {
        body.push_str(&format!(
            "{{\"text\":\"{}\"}}\n",
            ["a", "", "chilly", "."][i % 4]
        ));
    }
    // deeply repeated tokens: one spun word 20 000 times, one clean
    // word 20 000 times
    body.push_str(&format!("{{\"text\":\"{}\"}}\n", "chilly ".repeat(20_000)));
    body.push_str(&format!("{{\"text\":\"{}\"}}\n", "the ".repeat(20_000)));
    std::fs::write(&p, body).unwrap();
    let started = std::time::Instant::now();
    let mut out = Vec::new();
    let summary = scanner(0)
        .scan(&[Input::Path(p)], &mut out, None, &mut ())
        .unwrap();
    assert_eq!(summary.counts.documents, 20_002);
    assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), 20_002);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_warc_record_that_panics_the_warc_reader_is_a_bad_record() {
    let _one = ONE_AT_A_TIME.lock().unwrap();
    // the warc crate adds 4 to the Content-Length: an overflow (a panic
    // with overflow checks, a bad slice without); either way the scan must
    // report the file and go on
    let tmp = tempfile::tempdir().unwrap();
    let warc = tmp.path().join("evil.warc");
    std::fs::write(
        &warc,
        format!(
            "WARC/1.0\r\nWARC-Type: conversion\r\nContent-Length: {}\r\n\r\n\n\r\n",
            usize::MAX
        ),
    )
    .unwrap();
    let good = tmp.path().join("good.txt");
    std::fs::write(&good, "the cold war era ended").unwrap();
    let mut out = Vec::new();
    let mut bad = Collect::default();
    let summary = scanner(0)
        .scan(
            &[Input::Path(warc), Input::Path(good)],
            &mut out,
            None,
            &mut bad,
        )
        .unwrap();
    assert_eq!(summary.counts.documents, 1);
    assert_eq!(bad.0.len(), 1);
    assert_eq!(bad.0[0].location, Location::Record(1));
    assert!(
        bad.0[0].reason.contains("malformed WARC record"),
        "{}",
        bad.0[0].reason
    );
}

#[test]
fn a_warc_header_that_is_not_utf8_does_not_stop_the_scan() {
    let _one = ONE_AT_A_TIME.lock().unwrap();
    // found by the scan_input fuzz target: the warc crate's Record::header
    // unwrapped the header's UTF-8 decoding, and the panic came out of the
    // scan's reader thread and ended the whole scan
    let tmp = tempfile::tempdir().unwrap();
    let warc = tmp.path().join("latin1.warc");
    let body = b"the chilly conflict period";
    let mut w = b"WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Target-URI: http://x/caf\xe9\r\nContent-Type: text/pl\xf3in".to_vec();
    w.extend_from_slice(format!("\r\nContent-Length: {}\r\n\r\n", body.len()).as_bytes());
    w.extend_from_slice(body);
    w.extend_from_slice(b"\r\n\r\n");
    std::fs::write(&warc, w).unwrap();
    let mut out = Vec::new();
    let mut bad = Collect::default();
    let summary = scanner(0)
        .scan(&[Input::Path(warc)], &mut out, None, &mut bad)
        .unwrap();
    assert_eq!(summary.counts.documents, 1, "{:?}", bad.0);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["url"], "http://x/caf\u{fffd}");
}

//! Corpus input as `unspin scan` reads it: a file of arbitrary bytes in
//! JSONL, plain text or WARC (forced, or sniffed from its first bytes; gzip
//! and zstd by magic), through the whole scan pipeline with the tiny model
//! and a small record-size limit; also the WARC HTML-to-text extractor.
//! Every output line must be a JSON record with an id and a score, every
//! bad record a report with a reason, and the counts must add up.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use unspin_fuzz::unspinner;
use unspin_scan::{html_to_text, BadRecord, FormatKind, Input, Scanner};

struct Bad(Vec<BadRecord>);

impl unspin_scan::Observer for Bad {
    fn bad(&mut self, bad: &BadRecord) {
        self.0.push(bad.clone());
    }
}

fn dir() -> &'static std::path::Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        // The `warc` crate panics on some malformed records (an overflow on
        // a Content-Length near usize::MAX); the scan catches that and
        // reports the file as bad. Let those panics unwind to it; any other
        // panic still aborts through libFuzzer's hook.
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.location().is_some_and(|l| l.file().contains("/warc-")) {
                eprintln!("panic in the warc crate (caught by the scan): {info}");
            } else {
                fuzzer_hook(info)
            }
        }));
        tempfile::tempdir().expect("a temporary folder")
    })
    .path()
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, body)) = data.split_first() else {
        return;
    };
    let html = html_to_text(&String::from_utf8_lossy(body));
    assert!(!html.contains('<') || body.contains(&b'<') || body.contains(&b'&'));

    let format = match flags & 3 {
        0 => None,
        1 => Some(FormatKind::Jsonl),
        2 => Some(FormatKind::Text),
        _ => Some(FormatKind::Warc),
    };
    let path = dir().join("input.data");
    std::fs::write(&path, body).expect("the input file is written");
    let scanner = Scanner::builder(unspinner(flags & 4 != 0))
        .threads(1)
        .batch_records(1 + (flags as usize >> 5))
        .restore(flags & 8 != 0)
        .lossy(flags & 16 != 0)
        .max_doc_bytes(256)
        .format(format)
        .build();
    let mut out = Vec::new();
    let mut bad = Bad(Vec::new());
    let summary = scanner
        .scan(&[Input::Path(path)], &mut out, None, &mut bad)
        .expect("a scan into memory does not fail");
    let lines: Vec<&[u8]> = out
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len() as u64, summary.counts.documents);
    assert_eq!(bad.0.len() as u64, summary.counts.bad);
    for l in lines {
        let v: Value = serde_json::from_slice(l).expect("every output line is JSON");
        assert!(v.get("id").is_some(), "{v}");
        let score = v["score"].as_f64().expect("a score");
        assert!((0.0..=1.0).contains(&score));
        assert!(v["spans"].is_array());
    }
    for b in &bad.0 {
        assert!(!b.reason.is_empty());
    }
});

//! End-to-end tests of the scan pipeline: order, bad records, resume,
//! formats and compression, run over several thread counts, batch sizes
//! and in-flight limits so every path of the pipeline is taken.
//!
//! They use the built-in model; while it is missing from the tree they are
//! skipped with a message.

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use serde_json::{Map, Value};
use unspin_core::{Model, Unspinner};
use unspin_scan::{input, Annotator, BadRecord, Input, Location, Observer, Record, Scanner};

fn unspinner() -> Option<Unspinner> {
    match Model::builtin() {
        Ok(m) => Some(Unspinner::new(m)),
        Err(e) => {
            eprintln!("skipped: the built-in model is not available ({e})");
            None
        }
    }
}

const TEXTS: &[&str] = &[
    "The Chilly Conflict period ended in 1991.",
    "We used an irregular woodland classifier on the data.",
    "Patients with bosom malignancy were enrolled in the study.",
    "The weather was fine and the children played outside.",
    "Counterfeit consciousness is changing the discipline of medicine.",
    "Nearby, the navy staged joint workout routines last February.",
    "She visited her grandmother on Sunday.",
    "é — a line with ünïcödé and \"quotes\".",
];

/// A JSONL corpus of `n` records with an extra field, blank lines and the
/// given bad lines (`(after_record, line)`).
fn corpus(n: usize, bad: &[(usize, &str)]) -> String {
    let mut s = String::new();
    for i in 0..n {
        let rec = serde_json::json!({"lang": "en", "id": format!("d{i}"), "text": TEXTS[i % TEXTS.len()], "n": i});
        s.push_str(&rec.to_string());
        s.push('\n');
        for (after, line) in bad {
            if *after == i {
                s.push_str(line);
                s.push('\n');
            }
        }
        if i % 17 == 0 {
            s.push('\n');
        }
    }
    s
}

#[derive(Default)]
struct Collect {
    bad: Vec<BadRecord>,
    progress_calls: usize,
}

impl Observer for Collect {
    fn bad(&mut self, bad: &BadRecord) {
        self.bad.push(bad.clone());
    }
    fn progress(&mut self, _: &unspin_scan::Progress) {
        self.progress_calls += 1;
    }
}

fn run(scanner: &Scanner, inputs: &[Input]) -> (String, unspin_scan::Summary, Collect) {
    let mut out = Vec::new();
    let mut obs = Collect::default();
    let summary = scanner.scan(inputs, &mut out, None, &mut obs).unwrap();
    (String::from_utf8(out).unwrap(), summary, obs)
}

/// A value as it reads back from the output (serde_json's float parsing
/// may differ from the f64 in the last place, so compare like with like).
fn reparse(v: &impl serde::Serialize) -> Value {
    serde_json::from_str(&serde_json::to_string(v).unwrap()).unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> Input {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    Input::Path(p)
}

/// The reference: every line through `process_line`, one after another.
fn sequential(scanner: &Scanner, jsonl: &str) -> String {
    let mut s = String::new();
    for (i, line) in jsonl.lines().enumerate() {
        if let Ok(Some(out)) = scanner.process_line(line.as_bytes(), i + 1) {
            s.push_str(std::str::from_utf8(&out).unwrap());
        }
    }
    s
}

#[test]
fn ordered_output_matches_sequential_on_every_path() {
    let Some(u) = unspinner() else { return };
    let dir = tempfile::tempdir().unwrap();
    let jsonl = corpus(300, &[]);
    let inputs = [write(dir.path(), "c.jsonl", jsonl.as_bytes())];
    let expected = sequential(&Scanner::new(u.clone()), &jsonl);
    assert_eq!(expected.lines().count(), 300);
    for threads in [1, 2, 4] {
        for (batch, in_flight) in [(1, 1), (3, 2), (64, 0), (1000, 1)] {
            let mut b = Scanner::builder(u.clone());
            b.threads(threads).batch_records(batch);
            if in_flight > 0 {
                b.in_flight(in_flight);
            }
            let (out, summary, obs) = run(&b.build(), &inputs);
            assert_eq!(
                out, expected,
                "threads {threads} batch {batch} in_flight {in_flight}"
            );
            assert_eq!(summary.counts.documents, 300);
            assert_eq!(summary.counts.bad, 0);
            assert_eq!(summary.counts.bytes as usize, jsonl.len());
            assert!(obs.progress_calls >= 1);
        }
    }
}

#[test]
fn output_records_follow_the_detect_contract() {
    let Some(u) = unspinner() else { return };
    let dir = tempfile::tempdir().unwrap();
    let jsonl = corpus(16, &[]);
    let (out, summary, _) = run(
        &Scanner::new(u.clone()),
        &[write(dir.path(), "c.jsonl", jsonl.as_bytes())],
    );
    let mut spun = 0;
    for (line, inp) in out.lines().zip(jsonl.lines().filter(|l| !l.is_empty())) {
        let o: Map<String, Value> = serde_json::from_str(line).unwrap();
        let i: Map<String, Value> = serde_json::from_str(inp).unwrap();
        let keys: Vec<_> = o.keys().map(String::as_str).collect();
        assert_eq!(&keys[..], ["lang", "n", "id", "score", "spans"], "{line}");
        assert_eq!(o["id"], i["id"]);
        assert_eq!(o["n"], i["n"]);
        let d = u.detect(i["text"].as_str().unwrap());
        assert_eq!(o["score"], reparse(&d.score));
        assert_eq!(o["spans"], reparse(&d.spans));
        spun += usize::from(d.score >= 0.5);
        // offsets slice the input text
        let chars: Vec<char> = i["text"].as_str().unwrap().chars().collect();
        for s in o["spans"].as_array().unwrap() {
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
    assert_eq!(summary.counts.spun as usize, spun);
}

#[test]
fn unordered_output_has_the_same_records() {
    let Some(u) = unspinner() else { return };
    let dir = tempfile::tempdir().unwrap();
    let jsonl = corpus(200, &[]);
    let inputs = [write(dir.path(), "c.jsonl", jsonl.as_bytes())];
    let (ordered, _, _) = run(&Scanner::builder(u.clone()).threads(2).build(), &inputs);
    let (unordered, _, _) = run(
        &Scanner::builder(u)
            .threads(3)
            .batch_records(2)
            .ordered(false)
            .build(),
        &inputs,
    );
    let mut a: Vec<_> = ordered.lines().collect();
    let mut b: Vec<_> = unordered.lines().collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

#[test]
fn bad_records_are_reported_with_file_and_line_and_skipped() {
    let Some(u) = unspinner() else { return };
    let dir = tempfile::tempdir().unwrap();
    let jsonl = corpus(10, &[(2, "{\"id\":\"x\"}"), (5, "not json"), (5, "[1,2]")]);
    let inputs = [
        write(dir.path(), "c.jsonl", jsonl.as_bytes()),
        Input::Path(dir.path().join("missing.jsonl")),
        write(
            dir.path(),
            "d.jsonl",
            b"{\"id\":\"y\",\"text\":\"ok \xff\"}\n{\"id\":\"z\",\"text\":\"fine\"}\n",
        ),
    ];
    let (out, summary, obs) = run(
        &Scanner::builder(u).threads(2).batch_records(2).build(),
        &inputs,
    );
    assert_eq!(out.lines().count(), 11);
    assert_eq!(summary.counts.documents, 11);
    assert_eq!(summary.counts.bad, 5);
    let msgs: Vec<String> = obs.bad.iter().map(ToString::to_string).collect();
    let c = dir.path().join("c.jsonl").display().to_string();
    // line numbers count every line, blank ones included (line 1 is followed by a blank)
    assert!(
        msgs[0].starts_with(&format!("{c}:5: no \"text\"")),
        "{msgs:?}"
    );
    assert!(msgs[1].starts_with(&format!("{c}:9: bad JSON")), "{msgs:?}");
    assert!(
        msgs[2].starts_with(&format!("{c}:10: not a JSON object")),
        "{msgs:?}"
    );
    assert!(msgs[3].contains("missing.jsonl: cannot open"), "{msgs:?}");
    assert_eq!(obs.bad[3].location, Location::File);
    assert!(
        msgs[4].ends_with("d.jsonl:1: invalid UTF-8 at byte offset 21 of the line"),
        "{msgs:?}"
    );
}

#[test]
fn resume_continues_without_duplicating_or_losing() {
    let Some(u) = unspinner() else { return };
    let dir = tempfile::tempdir().unwrap();
    let jsonl = corpus(120, &[(3, "garbage"), (80, "{\"text\":1}")]);
    let inputs = [write(dir.path(), "c.jsonl", jsonl.as_bytes())];
    let scanner = Scanner::builder(u).threads(2).batch_records(5).build();
    let (full, full_summary, _) = run(&scanner, &inputs);
    let lines: Vec<&str> = full.lines().collect();
    for keep in [0, 1, 4, 50, 119, 120] {
        // an interrupted run: `keep` whole lines and a torn one
        let out = dir.path().join(format!("out{keep}.jsonl"));
        let mut partial: String = lines[..keep].iter().map(|l| format!("{l}\n")).collect();
        if keep < lines.len() {
            partial.push_str(&lines[keep][..lines[keep].len() / 2]);
        }
        std::fs::write(&out, partial).unwrap();
        let (point, mut file) = unspin_scan::resume::prepare(&out).unwrap();
        assert_eq!(point.records, keep);
        let mut obs = Collect::default();
        let s = scanner
            .scan(&inputs, &mut file, Some(&point), &mut obs)
            .unwrap();
        file.flush().unwrap();
        drop(file);
        assert_eq!(std::fs::read_to_string(&out).unwrap(), full, "keep {keep}");
        assert_eq!(s.counts.resumed as usize, keep);
        assert_eq!(s.counts.documents as usize, 120 - keep);
        assert_eq!(
            s.counts.bad, full_summary.counts.bad,
            "bad records are reported again"
        );
    }
}

#[test]
fn resume_refuses_other_inputs() {
    let Some(u) = unspinner() else { return };
    let dir = tempfile::tempdir().unwrap();
    let inputs = [write(dir.path(), "c.jsonl", corpus(20, &[]).as_bytes())];
    let out = dir.path().join("out.jsonl");
    std::fs::write(&out, "{\"id\":\"other\",\"score\":0,\"spans\":[]}\n").unwrap();
    let (point, mut file) = unspin_scan::resume::prepare(&out).unwrap();
    let scanner = Scanner::new(u.clone());
    let e = scanner
        .scan(&inputs, &mut file, Some(&point), &mut ())
        .unwrap_err()
        .to_string();
    assert!(e.contains("\"other\"") && e.contains("\"d0\""), "{e}");
    // a mismatch found only after many records: nothing is appended
    let head: String = (0..20).map(|i| format!("{{\"id\":\"d{i}\"}}\n")).collect();
    let changed = corpus(300, &[]).replace("\"d19\"", "\"y19\"");
    let changed = [write(dir.path(), "changed.jsonl", changed.as_bytes())];
    std::fs::write(&out, &head).unwrap();
    let (point, mut file) = unspin_scan::resume::prepare(&out).unwrap();
    let e = scanner
        .scan(&changed, &mut file, Some(&point), &mut ())
        .unwrap_err()
        .to_string();
    assert!(e.contains("input record 20 has id \"y19\""), "{e}");
    drop(file);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), head);
    let long: String = (0..30).map(|i| format!("{{\"id\":\"d{i}\"}}\n")).collect();
    std::fs::write(&out, long).unwrap();
    let (point, mut file) = unspin_scan::resume::prepare(&out).unwrap();
    let e = scanner
        .scan(&inputs, &mut file, Some(&point), &mut ())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("holds 30 records but the inputs have only 20"),
        "{e}"
    );
    let unordered = Scanner::builder(u).ordered(false).build();
    assert!(unordered
        .scan(&inputs, &mut Vec::new(), Some(&point), &mut ())
        .is_err());
}

#[test]
fn compressed_inputs_give_the_same_output() {
    let Some(u) = unspinner() else { return };
    let dir = tempfile::tempdir().unwrap();
    let jsonl = corpus(50, &[]);
    let plain = write(dir.path(), "c.jsonl", jsonl.as_bytes());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(jsonl.as_bytes()).unwrap();
    let gz = write(dir.path(), "c.jsonl.gz", &gz.finish().unwrap());
    let zst = write(
        dir.path(),
        "c.jsonl.zst",
        &zstd::encode_all(jsonl.as_bytes(), 3).unwrap(),
    );
    let scanner = Scanner::builder(u).threads(2).build();
    let (a, _, _) = run(&scanner, &[plain]);
    for inp in [gz, zst] {
        let (b, s, _) = run(&scanner, std::slice::from_ref(&inp));
        assert_eq!(a, b, "{inp:?}");
        assert_eq!(s.counts.bytes as usize, jsonl.len());
        assert!(s.counts.raw_bytes_read < jsonl.len() as u64);
    }
}

#[test]
fn text_files_and_directories_are_documents() {
    let Some(u) = unspinner() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(dir.path().join("b.txt"), TEXTS[0]).unwrap();
    std::fs::write(dir.path().join("sub/a.txt"), TEXTS[1]).unwrap();
    std::fs::write(dir.path().join("sub/bad.txt"), b"caf\xe9").unwrap();
    let inputs = input::expand(&[dir.path().to_path_buf()]).unwrap();
    let (out, summary, obs) = run(&Scanner::new(u.clone()), &inputs);
    let recs: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 2);
    assert_eq!(
        recs[0]["id"],
        Value::from(dir.path().join("b.txt").display().to_string())
    );
    assert_eq!(
        recs[1]["id"],
        Value::from(dir.path().join("sub/a.txt").display().to_string())
    );
    assert_eq!(recs[1]["score"], reparse(&u.detect(TEXTS[1]).score));
    assert_eq!(summary.counts.bad, 1);
    assert!(
        obs.bad[0]
            .to_string()
            .contains("bad.txt: invalid UTF-8 at byte offset 3"),
        "{:?}",
        obs.bad
    );
    // --lossy keeps it
    let (out, _, _) = run(&Scanner::builder(u).lossy(true).build(), &inputs);
    assert_eq!(out.lines().count(), 3);
}

fn warc_record(kind: &str, id: &str, uri: &str, content_type: &str, block: &[u8]) -> Vec<u8> {
    warc_record_with(kind, id, uri, content_type, "", block)
}

/// A WARC record with `more` header lines (each ending in CRLF).
fn warc_record_with(
    kind: &str,
    id: &str,
    uri: &str,
    content_type: &str,
    more: &str,
    block: &[u8],
) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{id}>\r\nWARC-Date: 2024-01-01T00:00:00Z\r\n\
         WARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\n{more}Content-Length: {}\r\n\r\n",
        block.len()
    )
    .into_bytes();
    r.extend_from_slice(block);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

#[test]
fn warc_and_wet_records_are_documents() {
    let Some(u) = unspinner() else { return };
    let dir = tempfile::tempdir().unwrap();
    let html = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>{}</p><script>x()</script></body></html>",
        TEXTS[2]
    );
    let records = [
        warc_record(
            "warcinfo",
            "0",
            "",
            "application/warc-fields",
            b"software: test\r\n",
        ),
        warc_record(
            "request",
            "1",
            "http://a.example/",
            "application/http; msgtype=request",
            b"GET / HTTP/1.1\r\n\r\n",
        ),
        warc_record(
            "response",
            "2",
            "http://a.example/",
            "application/http; msgtype=response",
            html.as_bytes(),
        ),
        warc_record(
            "response",
            "3",
            "http://a.example/i.png",
            "application/http; msgtype=response",
            b"HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG",
        ),
        warc_record(
            "conversion",
            "4",
            "http://b.example/",
            "text/plain",
            TEXTS[4].as_bytes(),
        ),
    ];
    // per-record gzip members, as Common Crawl writes them
    let mut gz = Vec::new();
    for r in &records {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(r).unwrap();
        gz.extend(e.finish().unwrap());
    }
    let plain = write(dir.path(), "cc.warc", &records.concat());
    let gz = write(dir.path(), "cc.warc.gz", &gz);
    let scanner = Scanner::new(u.clone());
    let (a, s, obs) = run(&scanner, &[plain]);
    let (b, _, _) = run(&scanner, &[gz]);
    assert_eq!(a, b);
    assert!(obs.bad.is_empty(), "{:?}", obs.bad);
    assert_eq!(s.counts.documents, 2);
    let recs: Vec<Value> = a
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs[0]["id"], "<urn:uuid:2>");
    assert_eq!(recs[0]["url"], "http://a.example/");
    assert_eq!(recs[0]["warc_type"], "response");
    assert_eq!(recs[0]["score"], reparse(&u.detect(TEXTS[2]).score));
    assert_eq!(recs[1]["id"], "<urn:uuid:4>");
    assert_eq!(recs[1]["spans"], reparse(&u.detect(TEXTS[4]).spans));
    // a truncated file: the good records before the break are kept
    let mut cut = records.concat();
    cut.truncate(cut.len() - 20);
    let (c, s, obs) = run(&scanner, &[write(dir.path(), "cut.warc", &cut)]);
    assert_eq!(c.lines().count(), 1);
    assert_eq!(s.counts.bad, 1);
    assert_eq!(obs.bad[0].location, Location::Record(5));
}

#[test]
fn a_pdf_response_in_a_warc_is_a_document_unless_cut_short() {
    let Some(u) = unspinner() else { return };
    let dir = tempfile::tempdir().unwrap();
    let response = |pdf: &[u8]| {
        let mut body = b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n".to_vec();
        body.extend_from_slice(pdf);
        body
    };
    let pdf = unspin_extract::testing::pdf_of(&[TEXTS[2]]);
    let kind = "application/http; msgtype=response";
    let records = [
        warc_record(
            "response",
            "1",
            "http://a.example/p.pdf",
            kind,
            &response(&pdf),
        ),
        warc_record_with(
            "response",
            "2",
            "http://a.example/big.pdf",
            kind,
            "WARC-Truncated: length\r\n",
            &response(&pdf[..pdf.len() / 2]),
        ),
    ];
    let scanner = Scanner::new(u.clone());
    let (out, s, obs) = run(
        &scanner,
        &[write(dir.path(), "pdf.warc", &records.concat())],
    );
    let recs: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 1, "{out}");
    assert_eq!(recs[0]["url"], "http://a.example/p.pdf");
    assert_eq!(recs[0]["spans"], reparse(&u.detect(TEXTS[2]).spans));
    assert_eq!(s.counts.bad, 1);
    assert!(
        obs.bad[0].to_string().contains("WARC-Truncated"),
        "{:?}",
        obs.bad
    );
}

struct Tag;
impl Annotator for Tag {
    fn annotate(&self, record: &Record, out: &mut Map<String, Value>) -> Result<(), String> {
        if record.text.contains("grandmother") {
            panic!("boom");
        }
        if record.text.contains("weather") {
            return Err("no weather here".into());
        }
        out.insert("chars".into(), Value::from(record.text.chars().count()));
        Ok(())
    }
}

#[test]
fn annotators_add_fields_and_a_panic_is_a_bad_record() {
    let Some(u) = unspinner() else { return };
    let dir = tempfile::tempdir().unwrap();
    let jsonl = corpus(40, &[]);
    let inputs = [write(dir.path(), "c.jsonl", jsonl.as_bytes())];
    let scanner = Scanner::builder(u)
        .threads(2)
        .batch_records(3)
        .in_flight(2)
        .annotator(Arc::new(Tag))
        .build();
    let (out, summary, obs) = run(&scanner, &inputs);
    assert_eq!(summary.counts.documents, 30);
    assert_eq!(summary.counts.bad, 10);
    assert_eq!(
        obs.bad
            .iter()
            .filter(|b| b.reason.contains("panicked"))
            .count(),
        5
    );
    assert_eq!(
        obs.bad
            .iter()
            .filter(|b| b.reason == "no weather here")
            .count(),
        5
    );
    assert!(obs
        .bad
        .iter()
        .all(|b| matches!(b.location, Location::Line(_))));
    assert!(out.lines().all(|l| l.contains("\"chars\":")));
}

#[test]
fn restore_adds_restored_text_and_changes() {
    let Some(u) = unspinner() else { return };
    let dir = tempfile::tempdir().unwrap();
    let inputs = [write(dir.path(), "c.jsonl", corpus(8, &[]).as_bytes())];
    let (out, _, _) = run(&Scanner::builder(u.clone()).restore(true).build(), &inputs);
    for (i, line) in out.lines().enumerate() {
        let o: Value = serde_json::from_str(line).unwrap();
        let r = u.restore(TEXTS[i]);
        assert_eq!(o["restored"], Value::from(r.text));
        assert_eq!(o["changes"], reparse(&r.changes));
    }
}

#[test]
fn stop_reading_when_the_output_fails() {
    struct Broken;
    impl Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let Some(u) = unspinner() else { return };
    let dir = tempfile::tempdir().unwrap();
    let inputs = [write(dir.path(), "c.jsonl", corpus(2000, &[]).as_bytes())];
    let e = Scanner::builder(u)
        .threads(2)
        .batch_records(4)
        .build()
        .scan(&inputs, &mut Broken, None, &mut ())
        .unwrap_err();
    assert!(e.is_broken_pipe(), "{e}");
}

//! `unspin serve` end to end: the real binary on 127.0.0.1 with a real
//! reference index; trace and restoration by reference over HTTP, and a
//! graceful exit on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const SOURCE: &str = "The military staged joint exercises near the border last February. \
    Officials said the recovery rate had improved and the number of active cases fell.";
const SPUN: &str = "The navy staged joint workout routines near the border final February. \
    Officials said the restoration charge had improved and the number of lively instances fell.";

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_unspin"))
        .arg("serve")
        .args(["--addr", "127.0.0.1:0"])
        .args(args)
        .stderr(Stdio::piped())
        .spawn()
        .expect("unspin runs");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    let addr = loop {
        assert!(Instant::now() < deadline, "the server did not start");
        let line = lines.next().expect("the server exited early").unwrap();
        if let Some(rest) = line.strip_prefix("unspin: serving on http://") {
            break rest.trim_end_matches('/').to_string();
        }
        assert!(!line.contains("error"), "{line}");
    };
    // keep draining the logs so the server never blocks on a full pipe
    std::thread::spawn(move || for _ in lines {});
    Server { child, addr }
}

/// One HTTP/1.1 request; returns (status, JSON body).
fn post(addr: &str, path: &str, body: &Value) -> (u16, Value) {
    let body = serde_json::to_string(body).unwrap();
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status: u16 = out[9..12].parse().unwrap();
    let json_start = out.find("\r\n\r\n").unwrap() + 4;
    (
        status,
        serde_json::from_str(&out[json_start..]).unwrap_or(Value::Null),
    )
}

#[test]
fn trace_and_restore_by_reference_over_http() {
    let dir = tempfile::tempdir().unwrap();
    let index_dir = dir.path().join("refs.idx");
    let index = unspin_index::Index::create(&index_dir).unwrap();
    let mut w = index.writer().unwrap();
    w.add("src-1", SOURCE).unwrap();
    w.add(
        "other",
        "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn.",
    )
    .unwrap();
    w.commit().unwrap();
    drop(w);
    drop(index);

    let server = start(&["--index", index_dir.to_str().unwrap()]);
    let (status, health) = post(&server.addr, "/healthz", &json!({}));
    assert_eq!(status, 405, "{health}");

    let (status, trace) = post(&server.addr, "/v1/trace", &json!({"id": "s", "text": SPUN}));
    assert_eq!(status, 200, "{trace}");
    assert_eq!(trace["id"], json!("s"));
    assert_eq!(trace["matches"][0]["doc_id"], json!("src-1"), "{trace}");
    let subs = &trace["matches"][0]["alignment"][0]["substitutions"];
    assert!(subs.as_array().is_some_and(|s| !s.is_empty()), "{trace}");

    let (status, restored) = post(
        &server.addr,
        "/v1/restore",
        &json!({"id": "s", "text": SPUN}),
    );
    assert_eq!(status, 200, "{restored}");
    assert_eq!(restored["text"], json!(SOURCE), "{restored}");
    assert!(restored["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["source"] == json!("reference")));
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let mut server = start(&[]);
    let (status, body) = post(&server.addr, "/v1/trace", &json!({"text": "x"}));
    assert_eq!(status, 501, "{body}");
    let ok = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "exit after SIGTERM: {status}");
            break;
        }
        assert!(Instant::now() < deadline, "the server ignored SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn bad_flags_and_a_missing_index_are_errors() {
    let out = Command::new(env!("CARGO_BIN_EXE_unspin"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--index",
            "/nonexistent/unspin-index",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/unspin-index"), "{err}");
    let out = Command::new(env!("CARGO_BIN_EXE_unspin"))
        .args(["serve", "--timeout", "-1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

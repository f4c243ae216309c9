//! The JSON API end to end through the router: answers equal the CLI's
//! records, every malformed request gets a 4xx JSON error, and the limits
//! (body size, time, concurrency) and graceful shutdown hold.

mod common;

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use common::*;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use unspin_extract::testing::{docx_of, pdf_of};
use unspin_server::{Limits, Tracer};

const ENDPOINTS: [&str; 3] = ["/v1/detect", "/v1/restore", "/v1/trace"];

/// A record as a client reads it: serialised, then parsed (serde_json's
/// default float parser may round the last digit, the same way for both).
fn as_client_sees(record: &impl serde::Serialize) -> Value {
    serde_json::from_str(&serde_json::to_string(record).unwrap()).unwrap()
}

/// A server whose /v1/trace works, so that every endpoint reaches parsing.
fn full_server(limits: Limits) -> axum::Router {
    let tracer: Arc<dyn Tracer> = Arc::new(SlowTracer::default());
    server(limits, Some(tracer)).router()
}

#[tokio::test]
async fn detect_answers_the_cli_record() {
    let router = server(Limits::default(), None).router();
    let a = post_json(
        &router,
        "/v1/detect",
        &json!({"id": "doc-7", "text": SPUN, "lang": "en"}),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let expected = as_client_sees(&unspinner().detect(SPUN));
    // the record: other fields, then id, then the detection's fields
    let keys: Vec<&str> = a
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(keys, ["lang", "id", "score", "spans"]);
    assert_eq!(a.body["id"], json!("doc-7"));
    assert_eq!(a.body["lang"], json!("en"));
    assert_eq!(a.body["score"], expected["score"]);
    assert_eq!(a.body["spans"], expected["spans"]);
    // offsets are character offsets into the text
    let chars: Vec<char> = SPUN.chars().collect();
    for s in a.body["spans"].as_array().unwrap() {
        let (start, end) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        let slice: String = chars[start..end].iter().collect();
        assert_eq!(s["text"], json!(slice));
    }
}

#[tokio::test]
async fn restore_answers_the_cli_record() {
    let router = server(Limits::default(), None).router();
    let a = post_json(&router, "/v1/restore", &json!({"id": 3, "text": SPUN})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    let expected = as_client_sees(&unspinner().restore(SPUN));
    let keys: Vec<&str> = a
        .body
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(keys, ["id", "text", "changes"]);
    assert_eq!(a.body["id"], json!(3));
    assert_eq!(a.body["text"], expected["text"]);
    assert_eq!(a.body["changes"], expected["changes"]);
}

#[tokio::test]
async fn unicode_text_round_trips() {
    let router = server(Limits::default(), None).router();
    let text = "Ça coûte 5 €: the Chilly Conflict period — 冷戦 🙂.";
    let a = post_json(&router, "/v1/detect", &json!({"id": "u", "text": text})).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(
        a.body["spans"],
        serde_json::to_value(unspinner().detect(text)).unwrap()["spans"]
    );
    let a = post_json(&router, "/v1/restore", &json!({"text": ""})).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body["text"], json!(""));
    assert_eq!(a.body["id"], Value::Null);
}

#[tokio::test]
async fn trace_without_an_index_is_501() {
    let router = server(Limits::default(), None).router();
    let a = post_json(&router, "/v1/trace", &json!({"id": "x", "text": SPUN})).await;
    let msg = a.assert_error(501, "trace without index");
    assert!(msg.contains("--index"), "{msg}");
    let h = call(&router, Method::GET, "/healthz", None, vec![]).await;
    assert_eq!(h.body["trace"], json!(false));
}

#[tokio::test]
async fn trace_answers_the_tracers_matches() {
    let router = full_server(Limits::default());
    let a = post_json(&router, "/v1/trace", &json!({"id": "x", "text": "né"})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["id"], json!("x"));
    assert_eq!(a.body["matches"][0]["doc_id"], json!("src-1"));
    assert_eq!(a.body["matches"][0]["alignment"][0]["end"], json!(2));
    let h = call(&router, Method::GET, "/healthz", None, vec![]).await;
    assert_eq!(h.body["trace"], json!(true));
    assert_eq!(h.body["index"], json!("test tracer"));
}

#[tokio::test]
async fn tracer_failure_is_a_json_500() {
    let tracer: Arc<dyn Tracer> = Arc::new(SlowTracer {
        fail: true,
        ..SlowTracer::default()
    });
    let router = server(Limits::default(), Some(tracer)).router();
    let a = post_json(&router, "/v1/trace", &json!({"text": "x"})).await;
    let msg = a.assert_error(500, "tracer failure");
    assert!(msg.contains("seg0"), "{msg}");
}

/// Every endpoint × every kind of malformed request.
#[tokio::test]
async fn malformed_requests_get_4xx_json_errors() {
    let limit = 1024;
    let router = full_server(small_limits(limit));
    let big_text = "a".repeat(10 * limit);
    let big = serde_json::to_vec(&json!({"id": "big", "text": big_text})).unwrap();
    let cases: Vec<(&str, Option<&str>, Vec<u8>, u16)> = vec![
        (
            "invalid JSON",
            Some("application/json"),
            b"{\"text\": \"abc".to_vec(),
            400,
        ),
        (
            "not JSON at all",
            Some("application/json"),
            b"text=hello".to_vec(),
            400,
        ),
        ("empty body", Some("application/json"), vec![], 400),
        (
            "invalid UTF-8",
            Some("application/json"),
            b"{\"text\": \"a\xff\"}".to_vec(),
            400,
        ),
        (
            "text is a number",
            Some("application/json"),
            br#"{"id":"a","text":42}"#.to_vec(),
            422,
        ),
        (
            "text is an array",
            Some("application/json"),
            br#"{"text":["a"]}"#.to_vec(),
            422,
        ),
        (
            "text is null",
            Some("application/json"),
            br#"{"text":null}"#.to_vec(),
            422,
        ),
        (
            "id is an object",
            Some("application/json"),
            br#"{"id":{},"text":"a"}"#.to_vec(),
            422,
        ),
        (
            "id is a boolean",
            Some("application/json"),
            br#"{"id":true,"text":"a"}"#.to_vec(),
            422,
        ),
        (
            "body is an array",
            Some("application/json"),
            br#"[{"text":"a"}]"#.to_vec(),
            422,
        ),
        (
            "body is a string",
            Some("application/json"),
            br#""a""#.to_vec(),
            422,
        ),
        (
            "missing text",
            Some("application/json"),
            br#"{"id":"a"}"#.to_vec(),
            422,
        ),
        (
            "empty object",
            Some("application/json"),
            b"{}".to_vec(),
            422,
        ),
        (
            "form content type",
            Some("application/x-www-form-urlencoded"),
            br#"{"text":"a"}"#.to_vec(),
            415,
        ),
        (
            "10x the body limit",
            Some("application/json"),
            big.clone(),
            413,
        ),
        ("10x the body limit, no content type", None, big, 413),
    ];
    for path in ENDPOINTS {
        for (what, ct, body, status) in &cases {
            let a = call(&router, Method::POST, path, *ct, body.clone()).await;
            a.assert_error(*status, &format!("{path}: {what}"));
        }
    }
}

#[tokio::test]
async fn the_body_limit_is_exact() {
    let limit = 2000;
    let router = full_server(small_limits(limit));
    for path in ENDPOINTS {
        let mut body = serde_json::to_vec(&json!({"text": ""})).unwrap();
        let pad = limit - body.len();
        body = serde_json::to_vec(&json!({"text": "x".repeat(pad)})).unwrap();
        assert_eq!(body.len(), limit);
        let a = call(&router, Method::POST, path, Some("application/json"), body).await;
        assert_eq!(a.status, StatusCode::OK, "{path} at the limit: {}", a.body);
        let body = serde_json::to_vec(&json!({"text": "x".repeat(pad + 1)})).unwrap();
        let a = call(&router, Method::POST, path, Some("application/json"), body).await;
        let msg = a.assert_error(413, path);
        assert!(msg.contains("2000 bytes"), "{msg}");
    }
}

#[tokio::test]
async fn unknown_routes_and_methods_get_json_errors() {
    let router = full_server(Limits::default());
    let a = call(&router, Method::GET, "/v2/nothing", None, vec![]).await;
    assert!(a.assert_error(404, "unknown route").contains("/v2/nothing"));
    for path in ENDPOINTS {
        let a = call(&router, Method::GET, path, None, vec![]).await;
        let msg = a.assert_error(405, path);
        assert!(msg.contains("POST"), "{msg}");
        assert!(a.headers.contains_key("allow"));
    }
    let a = call(&router, Method::POST, "/healthz", None, vec![]).await;
    a.assert_error(405, "POST /healthz");
}

#[tokio::test]
async fn healthz_reports_limits() {
    let limits = Limits {
        body_bytes: 4096,
        upload_bytes: 8192,
        timeout: Duration::from_millis(1500),
        concurrency: 3,
    };
    let router = server(limits, None).router();
    let a = call(&router, Method::GET, "/healthz", None, vec![]).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.body["status"], json!("ok"));
    assert_eq!(
        a.body["limits"],
        json!({"body_bytes": 4096, "upload_bytes": 8192, "timeout_ms": 1500, "concurrency": 3})
    );
}

/// A PDF or Word file is larger than its text: uploads have a limit of
/// their own, and the analyses keep theirs.
#[tokio::test]
async fn uploads_have_their_own_body_limit() {
    let limits = Limits {
        body_bytes: 4000,
        upload_bytes: 12000,
        ..Limits::default()
    };
    let router = full_server(limits);
    let text = "An irregular woodland. ".repeat(300);
    assert!(text.len() > 4000 && text.len() < 12000);
    let a = call(
        &router,
        Method::POST,
        "/v1/extract",
        None,
        text.clone().into_bytes(),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.body["text"], json!(text));
    let a = call(
        &router,
        Method::POST,
        "/v1/extract",
        None,
        vec![b'x'; 12001],
    )
    .await;
    let msg = a.assert_error(413, "upload over its limit");
    assert!(msg.contains("12000"), "{msg}");
    let a = post_json(&router, "/v1/detect", &json!({ "text": text })).await;
    let msg = a.assert_error(413, "analysis over its limit");
    assert!(msg.contains("4000"), "{msg}");
}

#[tokio::test]
async fn slow_requests_time_out_with_503() {
    let tracer: Arc<dyn Tracer> = Arc::new(SlowTracer {
        delay: Duration::from_millis(1500),
        ..SlowTracer::default()
    });
    let limits = Limits {
        timeout: Duration::from_millis(200),
        ..Limits::default()
    };
    let router = server(limits, Some(tracer)).router();
    let t0 = Instant::now();
    let a = post_json(&router, "/v1/trace", &json!({"text": "x"})).await;
    let msg = a.assert_error(503, "timeout");
    assert!(msg.contains("200 ms"), "{msg}");
    assert!(
        t0.elapsed() < Duration::from_millis(1200),
        "took {:?}",
        t0.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrency_is_limited() {
    let tracer = Arc::new(SlowTracer {
        delay: Duration::from_millis(150),
        ..SlowTracer::default()
    });
    let limits = Limits {
        concurrency: 2,
        ..Limits::default()
    };
    let router = server(limits, Some(tracer.clone() as Arc<dyn Tracer>)).router();
    let mut tasks = Vec::new();
    for i in 0..6 {
        let r = router.clone();
        tasks.push(tokio::spawn(async move {
            post_json(&r, "/v1/trace", &json!({"id": i, "text": "x"}))
                .await
                .status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::OK);
    }
    assert_eq!(tracer.max_running.load(Ordering::SeqCst), 2);
}

/// Blocking work runs on the blocking pool: on a single-threaded runtime,
/// /healthz still answers while an analysis is blocked.
#[tokio::test(flavor = "current_thread")]
async fn analyses_do_not_block_the_runtime() {
    let tracer: Arc<dyn Tracer> = Arc::new(SlowTracer {
        delay: Duration::from_millis(800),
        ..SlowTracer::default()
    });
    let router = server(Limits::default(), Some(tracer)).router();
    let r = router.clone();
    let slow = tokio::spawn(async move {
        post_json(&r, "/v1/trace", &json!({"text": "x"}))
            .await
            .status
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let t0 = Instant::now();
    let h = call(&router, Method::GET, "/healthz", None, vec![]).await;
    assert_eq!(h.status, StatusCode::OK);
    assert!(
        t0.elapsed() < Duration::from_millis(400),
        "healthz waited {:?}",
        t0.elapsed()
    );
    assert_eq!(slow.await.unwrap(), StatusCode::OK);
}

/// Over a real socket: shutdown waits for the request in flight.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_finishes_requests_in_flight() {
    let tracer: Arc<dyn Tracer> = Arc::new(SlowTracer {
        delay: Duration::from_millis(600),
        ..SlowTracer::default()
    });
    let server = server(Limits::default(), Some(tracer));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve(listener, async {
        let _ = stop_rx.await;
    }));
    let client = tokio::spawn(async move {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let body = r#"{"id":"inflight","text":"x"}"#;
        let req = format!(
            "POST /v1/trace HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        s.write_all(req.as_bytes()).await.unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        out
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop_tx.send(()).unwrap();
    let answer = client.await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"inflight\""), "{answer}");
    tokio::time::timeout(Duration::from_secs(5), serving)
        .await
        .expect("serve returns")
        .unwrap()
        .unwrap();
    // and the listener is closed
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

/// Over a real socket: a body declared too large is refused before it is
/// sent (no `100 Continue`), so the client never uploads it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declared_oversized_bodies_are_refused_before_upload() {
    let limit = 4096;
    let server = server(small_limits(limit), None);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(server.serve(listener, async {
        let _ = stop_rx.await;
    }));
    for path in ENDPOINTS {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let req = format!(
            "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
            10 * limit
        );
        s.write_all(req.as_bytes()).await.unwrap();
        let mut out = String::new();
        tokio::time::timeout(Duration::from_secs(5), s.read_to_string(&mut out))
            .await
            .expect("an answer without the body")
            .unwrap();
        assert!(out.starts_with("HTTP/1.1 413"), "{path}: {out}");
        assert!(!out.contains("100 Continue"), "{path}: {out}");
        let body = &out[out.find("\r\n\r\n").unwrap() + 4..];
        let v: Value = serde_json::from_str(body).unwrap();
        assert!(v["error"].as_str().unwrap().contains("40960 bytes"), "{v}");
    }
    stop_tx.send(()).unwrap();
    serving.await.unwrap().unwrap();
}

#[tokio::test]
async fn extract_gives_the_text_of_an_upload() {
    let router = full_server(small_limits(4000));
    let file = docx_of(&["A impartial celebration.", "The Chilly Conflict period."]);
    let a = call(
        &router,
        Method::POST,
        "/v1/extract",
        Some("application/octet-stream"),
        file,
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(
        a.body,
        json!({"format": "docx", "text": "A impartial celebration.\nThe Chilly Conflict period."})
    );
    // the content type does not matter: the bytes say what the file is
    let a = call(
        &router,
        Method::POST,
        "/v1/extract",
        Some("application/pdf"),
        b"plain".to_vec(),
    )
    .await;
    assert_eq!(a.body, json!({"format": "text", "text": "plain"}));
    // a PDF is read by pdftotext (which `.ci/run` installs)
    let a = call(
        &router,
        Method::POST,
        "/v1/extract",
        None,
        pdf_of(&["A impartial celebration.", "The Chilly Conflict period."]),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(
        a.body,
        json!({"format": "pdf", "text": "A impartial celebration.\nThe Chilly Conflict period."})
    );
    // a file no format reads, a Word file cut short, a corrupt PDF, a PDF
    // with no text, a file over the limit
    for (bytes, status) in [
        (b"\xff\xfe\x00binary".to_vec(), 422),
        (docx_of(&["x"])[..60].to_vec(), 422),
        (b"%PDF-1.4 nothing else".to_vec(), 422),
        (pdf_of(&[]), 422),
        (vec![b'x'; 4001], 413),
    ] {
        let a = call(&router, Method::POST, "/v1/extract", None, bytes).await;
        a.assert_error(status, "/v1/extract");
    }
}

//! Helpers shared by the server's integration tests: a server on the
//! built-in model, and one-shot requests against its router (no socket).

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;
use unspin_core::{Model, Unspinner};
use unspin_server::{Limits, Server, TraceError, Tracer};

/// A spun sentence (tortured phrases of PRODUCT.md §1).
pub const SPUN: &str = "During the Chilly Conflict period, researchers used an irregular woodland \
     and counterfeit consciousness to study bosom malignancy in a impartial celebration.";

/// The unspinner of the built-in model (the real engine).
pub fn unspinner() -> Unspinner {
    Unspinner::new(Model::builtin().expect("the built-in model loads"))
}

/// A server with these limits and, optionally, a tracer.
pub fn server(limits: Limits, tracer: Option<Arc<dyn Tracer>>) -> Server {
    let mut b = Server::builder(unspinner());
    b.limits(limits);
    if let Some(t) = tracer {
        b.tracer(t);
    }
    b.build()
}

/// One answer: status, headers and the body (JSON when it parses, else a
/// string value).
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub raw: Vec<u8>,
}

impl Answer {
    pub fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts a JSON error answer with this status and a non-empty message.
    pub fn assert_error(&self, status: u16, what: &str) -> &str {
        assert_eq!(
            self.status.as_u16(),
            status,
            "{what}: {}",
            String::from_utf8_lossy(&self.raw)
        );
        assert!(
            self.content_type().starts_with("application/json"),
            "{what}: content type {}",
            self.content_type()
        );
        let msg = self.body["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{what}: no error string in {}", self.body));
        assert!(!msg.is_empty(), "{what}: empty error message");
        assert_eq!(
            self.body.as_object().unwrap().len(),
            1,
            "{what}: error has extra fields: {}",
            self.body
        );
        msg
    }
}

/// Sends one request to `router`.
pub async fn call(
    router: &Router,
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> Answer {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(ct) = content_type {
        req = req.header(header::CONTENT_TYPE, ct);
    }
    let req = req.body(Body::from(body)).unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let raw = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    let body = serde_json::from_slice(&raw)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&raw).into_owned()));
    Answer {
        status,
        headers,
        body,
        raw,
    }
}

/// POSTs a JSON value.
pub async fn post_json(router: &Router, path: &str, body: &Value) -> Answer {
    call(
        router,
        Method::POST,
        path,
        Some("application/json"),
        serde_json::to_vec(body).unwrap(),
    )
    .await
}

/// A tracer for tests of the plumbing: answers one fixed match after an
/// optional (blocking) delay, and records how many calls ran at once.
#[derive(Default)]
pub struct SlowTracer {
    pub delay: Duration,
    pub running: AtomicUsize,
    pub max_running: AtomicUsize,
    pub fail: bool,
}

impl Tracer for SlowTracer {
    fn trace(&self, text: &str) -> Result<Vec<Value>, TraceError> {
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_running.fetch_max(now, Ordering::SeqCst);
        // a blocking sleep: the server must run tracers on the blocking pool
        std::thread::sleep(self.delay);
        self.running.fetch_sub(1, Ordering::SeqCst);
        if self.fail {
            return Err(TraceError::new("index file refs/seg0 cannot be read"));
        }
        let n = text.chars().count();
        Ok(vec![
            json!({"doc_id": "src-1", "score": 0.9, "coverage": 1.0, "alignment": [
                {"start": 0, "end": n, "text": text, "source_start": 0, "source_end": n, "source_text": text, "substitutions": []}
            ]}),
        ])
    }

    fn describe(&self) -> String {
        "test tracer".into()
    }
}

/// Default limits with a small body limit, for analyses and uploads alike.
pub fn small_limits(body_bytes: usize) -> Limits {
    Limits {
        body_bytes,
        upload_bytes: body_bytes,
        ..Limits::default()
    }
}

//! HTTP request bodies: arbitrary methods, paths, content types and bodies
//! (raw bytes, or JSON documents whose text is made of the model's words)
//! through the server's whole router with the tiny model and a small body
//! limit. No request may get a 5xx answer but 501 (trace without an
//! index); every error is a JSON `{"error"}`; every 200 from detect or
//! restore has offsets that slice the request's text.
#![no_main]

use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use axum::body::Body;
use axum::http::{header, Method, Request};
use http_body_util::BodyExt;
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};
use tower::ServiceExt;
use unspin_core::text::slice_chars;
use unspin_fuzz::{unspinner, words_text};

#[derive(Arbitrary, Debug)]
enum Payload {
    Raw(Vec<u8>),
    Document {
        id: Option<u32>,
        words: Vec<u8>,
        extra: Option<String>,
    },
}

#[derive(Arbitrary, Debug)]
struct Case {
    path: u8,
    method: u8,
    content_type: u8,
    payload: Payload,
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

fn router() -> axum::Router {
    static ROUTER: OnceLock<axum::Router> = OnceLock::new();
    ROUTER
        .get_or_init(|| {
            unspin_server::Server::builder(unspinner(true))
                .body_limit(4096)
                .build()
                .router()
        })
        .clone()
}

fuzz_target!(|data: &[u8]| {
    let Ok(case) = Case::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    const PATHS: &[&str] = &[
        "/v1/detect",
        "/v1/restore",
        "/v1/trace",
        "/healthz",
        "/openapi.json",
        "/",
        "/v1/nope",
        "/v1/detect?x=%ff",
    ];
    const TYPES: &[Option<&str>] = &[
        Some("application/json"),
        None,
        Some("application/json; charset=utf-8"),
        Some("application/problem+json"),
        Some("text/plain"),
        Some("application/json\u{7f}"),
    ];
    let path = PATHS[case.path as usize % PATHS.len()];
    let method = [Method::POST, Method::GET, Method::PUT][case.method as usize % 3].clone();
    let (body, text) = match case.payload {
        Payload::Raw(b) => (b, None),
        Payload::Document { id, words, extra } => {
            let text = words_text(&words);
            let mut v = json!({ "text": text });
            if let Some(id) = id {
                v["id"] = json!(id);
            }
            if let Some(x) = extra {
                v["extra"] = json!(x);
            }
            (serde_json::to_vec(&v).unwrap(), Some(text))
        }
    };
    let mut req = Request::builder().method(method.clone()).uri(path);
    if let Some(ct) = TYPES[case.content_type as usize % TYPES.len()] {
        if let Ok(v) = header::HeaderValue::from_str(ct) {
            req = req.header(header::CONTENT_TYPE, v);
        }
    }
    let req = req.body(Body::from(body.clone())).unwrap();
    let (status, raw) = runtime().block_on(async {
        let res = router().oneshot(req).await.expect("the router answers");
        let status = res.status();
        let raw = res.into_body().collect().await.unwrap().to_bytes();
        (status, raw)
    });
    assert!(
        !status.is_server_error() || status.as_u16() == 501,
        "{status} for {method} {path}: {}",
        String::from_utf8_lossy(&raw)
    );
    if path == "/" && status.is_success() {
        return; // the web page
    }
    let v: Value = serde_json::from_slice(&raw).expect("every answer is JSON");
    if !status.is_success() {
        let msg = v["error"].as_str().expect("an error message");
        assert!(!msg.is_empty());
        return;
    }
    // a document the server accepted: compare against the request's text
    let Some(text) = text.or_else(|| {
        serde_json::from_slice::<Value>(&body)
            .ok()
            .and_then(|b| b["text"].as_str().map(str::to_string))
    }) else {
        return;
    };
    if path.starts_with("/v1/detect") {
        for s in v["spans"].as_array().expect("spans") {
            let (a, b) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
            assert_eq!(
                slice_chars(&text, a as usize..b as usize),
                s["text"].as_str()
            );
        }
    } else if path == "/v1/restore" {
        for c in v["changes"].as_array().expect("changes") {
            let (a, b) = (c["start"].as_u64().unwrap(), c["end"].as_u64().unwrap());
            assert_eq!(
                slice_chars(&text, a as usize..b as usize),
                c["from"].as_str()
            );
        }
    }
});

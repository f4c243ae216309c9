//! `/openapi.json` matches the server: every documented route exists and
//! answers documented statuses with bodies that fit the documented schemas,
//! and undocumented methods on documented paths are refused.

mod common;

use std::sync::Arc;

use axum::http::{Method, StatusCode};
use axum::Router;
use common::*;
use serde_json::{json, Value};
use unspin_server::{Limits, Tracer};

/// Resolves a local `$ref`.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let ptr = r.strip_prefix('#').expect("local $ref");
            doc.pointer(ptr)
                .unwrap_or_else(|| panic!("dangling $ref {r}"))
        }
        None => schema,
    }
}

fn type_ok(ty: &str, v: &Value) -> bool {
    match ty {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "number" => v.is_number(),
        "integer" => v.is_u64() || v.is_i64(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        other => panic!("schema type {other} not handled by this checker"),
    }
}

/// Checks `v` against the subset of JSON Schema the document uses; returns
/// the problems found.
fn check(doc: &Value, schema: &Value, v: &Value, at: &str, problems: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if let Some(ty) = schema.get("type") {
        let ok = match ty {
            Value::String(t) => type_ok(t, v),
            Value::Array(ts) => ts.iter().any(|t| type_ok(t.as_str().unwrap(), v)),
            _ => panic!("bad type in schema at {at}"),
        };
        if !ok {
            problems.push(format!("{at}: {v} is not of type {ty}"));
            return;
        }
    }
    if let Some(Value::Array(options)) = schema.get("enum") {
        if !options.contains(v) {
            problems.push(format!("{at}: {v} is not one of {options:?}"));
        }
    }
    if let (Some(min), Some(x)) = (schema.get("minimum").and_then(Value::as_f64), v.as_f64()) {
        if x < min {
            problems.push(format!("{at}: {x} < minimum {min}"));
        }
    }
    if let (Some(max), Some(x)) = (schema.get("maximum").and_then(Value::as_f64), v.as_f64()) {
        if x > max {
            problems.push(format!("{at}: {x} > maximum {max}"));
        }
    }
    if let Some(obj) = v.as_object() {
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let r = r.as_str().unwrap();
            if !obj.contains_key(r) {
                problems.push(format!("{at}: missing required field {r}"));
            }
        }
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (k, s) in props {
                if let Some(x) = obj.get(k) {
                    check(doc, s, x, &format!("{at}.{k}"), problems);
                }
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, x) in arr.iter().enumerate() {
            check(doc, items, x, &format!("{at}[{i}]"), problems);
        }
    }
}

/// Checks an answer against the operation's documented responses.
fn check_answer(doc: &Value, op: &Value, what: &str, a: &Answer) {
    let code = a.status.as_u16().to_string();
    let response = op["responses"].get(&code).unwrap_or_else(|| {
        panic!(
            "{what}: status {code} is not documented ({})",
            String::from_utf8_lossy(&a.raw)
        )
    });
    let content = response["content"].as_object().expect("documented content");
    let (mime, media) = content
        .iter()
        .find(|(mime, _)| a.content_type().starts_with(mime.as_str()))
        .unwrap_or_else(|| {
            panic!(
                "{what}: content type {} is not documented for {code}",
                a.content_type()
            )
        });
    if mime == "application/json" {
        let mut problems = Vec::new();
        check(doc, &media["schema"], &a.body, what, &mut problems);
        assert!(problems.is_empty(), "{what}: {problems:#?}\n{}", a.body);
    } else {
        assert!(!a.raw.is_empty(), "{what}: empty {mime} body");
    }
}

async fn walk(router: &Router, expect_trace: u16) -> usize {
    let doc = call(router, Method::GET, "/openapi.json", None, vec![])
        .await
        .body;
    assert_eq!(doc["openapi"], json!("3.1.0"));
    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().unwrap() {
            let what = format!("{} {path}", method.to_uppercase());
            let answer = match method.as_str() {
                "get" => call(router, Method::GET, path, None, vec![]).await,
                "post"
                    if op["requestBody"]["content"]
                        .get("application/octet-stream")
                        .is_some() =>
                {
                    // a file upload: the example is the file's bytes
                    let media = &op["requestBody"]["content"]["application/octet-stream"];
                    let example = media["example"]
                        .as_str()
                        .unwrap_or_else(|| panic!("{what}: no request example"));
                    let a = call(
                        router,
                        Method::POST,
                        path,
                        Some("application/octet-stream"),
                        example.as_bytes().to_vec(),
                    )
                    .await;
                    // bytes that are no format it reads
                    let bad = call(
                        router,
                        Method::POST,
                        path,
                        Some("application/octet-stream"),
                        b"\x00\xff binary".to_vec(),
                    )
                    .await;
                    assert_eq!(bad.status.as_u16(), 422, "{what}");
                    check_answer(&doc, op, &format!("{what} malformed"), &bad);
                    a
                }
                "post" => {
                    let media = &op["requestBody"]["content"]["application/json"];
                    let example = media
                        .get("example")
                        .unwrap_or_else(|| panic!("{what}: no request example"));
                    let mut problems = Vec::new();
                    check(
                        &doc,
                        &media["schema"],
                        example,
                        &format!("{what} example"),
                        &mut problems,
                    );
                    assert!(problems.is_empty(), "{problems:?}");
                    let a = post_json(router, path, example).await;
                    // the malformed cases must be documented too
                    for (body, status) in [(&b"{"[..], 400u16), (&br#"{"id":"x"}"#[..], 422)] {
                        let bad = call(
                            router,
                            Method::POST,
                            path,
                            Some("application/json"),
                            body.to_vec(),
                        )
                        .await;
                        assert_eq!(bad.status.as_u16(), status, "{what}");
                        check_answer(&doc, op, &format!("{what} malformed"), &bad);
                    }
                    let bad = call(
                        router,
                        Method::POST,
                        path,
                        Some("text/plain"),
                        b"hi".to_vec(),
                    )
                    .await;
                    check_answer(&doc, op, &format!("{what} text/plain"), &bad);
                    a
                }
                other => panic!("{what}: method {other} not handled by this walker"),
            };
            let expected = if path == "/v1/trace" {
                expect_trace
            } else {
                200
            };
            assert_eq!(answer.status.as_u16(), expected, "{what}: {}", answer.body);
            check_answer(&doc, op, &what, &answer);
            // a method the document does not list is refused
            let undocumented = if item.get("post").is_some() {
                Method::DELETE
            } else {
                Method::PUT
            };
            let a = call(router, undocumented.clone(), path, None, vec![]).await;
            assert_eq!(
                a.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{undocumented} {path}"
            );
            checked += 1;
        }
    }
    checked
}

#[tokio::test]
async fn every_documented_route_behaves_as_documented() {
    let router = server(Limits::default(), None).router();
    let n = walk(&router, 501).await;
    assert!(n >= 8, "only {n} operations documented");
    let tracer: Arc<dyn Tracer> = Arc::new(SlowTracer::default());
    let router = server(Limits::default(), Some(tracer)).router();
    walk(&router, 200).await;
}

#[tokio::test]
async fn the_schema_checker_catches_mismatches() {
    let router = server(Limits::default(), None).router();
    let doc = call(&router, Method::GET, "/openapi.json", None, vec![])
        .await
        .body;
    let detection = json!({"$ref": "#/components/schemas/Detection"});
    let mut p = Vec::new();
    check(
        &doc,
        &detection,
        &json!({"id": "a", "score": 0.5, "spans": []}),
        "ok",
        &mut p,
    );
    assert!(p.is_empty(), "{p:?}");
    for bad in [
        json!({"id": "a", "score": 1.5, "spans": []}),
        json!({"id": "a", "spans": []}),
        json!({"id": "a", "score": 0.5, "spans": [{"start": 0, "end": 1, "text": "x", "score": 0.5}]}),
        json!({"id": [], "score": 0.5, "spans": []}),
    ] {
        let mut p = Vec::new();
        check(&doc, &detection, &bad, "bad", &mut p);
        assert!(!p.is_empty(), "{bad} passed");
    }
}

#[tokio::test]
async fn rule_findings_fit_the_documented_schemas() {
    let router = server(Limits::default(), None).router();
    let doc = call(&router, Method::GET, "/openapi.json", None, vec![])
        .await
        .body;
    let body = json!({"id": "r", "text": "It cost $3, 800, said {this|that} report."});
    for (path, schema, list) in [
        ("/v1/detect", "Detection", "spans"),
        ("/v1/restore", "Restoration", "changes"),
    ] {
        let a = post_json(&router, path, &body).await;
        assert_eq!(a.status, StatusCode::OK, "{path}: {}", a.body);
        let rules = a.body[list]
            .as_array()
            .expect("a list of findings")
            .iter()
            .filter(|x| x["source"] == json!("rule"))
            .count();
        assert_eq!(rules, 2, "{path}: {}", a.body);
        let mut p = Vec::new();
        let schema = json!({"$ref": format!("#/components/schemas/{schema}")});
        check(&doc, &schema, &a.body, path, &mut p);
        assert!(p.is_empty(), "{path}: {p:?}");
    }
}

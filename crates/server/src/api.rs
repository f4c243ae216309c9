//! The JSON API: request parsing, the handlers, error answers and the
//! layers (body limit, timeout, concurrency, request logs) around them.
//!
//! Requests are parsed by hand from the raw body rather than with axum's
//! `Json` extractor so that every malformed request gets a precise
//! `{"error": ...}` message and the right status: 400 for bytes that are not
//! JSON, 415 for a non-JSON content type, 413 for a body over the limit, 422
//! for JSON of the wrong shape (not an object, `text` missing or not a
//! string, `id` neither a string nor a number).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::trace::TraceLayer;
use unspin_core::Unspinner;

use crate::{Limits, Tracer};

/// What every handler shares.
pub(crate) struct AppState {
    pub(crate) unspinner: Unspinner,
    pub(crate) tracer: Option<Arc<dyn Tracer>>,
    pub(crate) limits: Limits,
    /// analyses running now
    pub(crate) in_flight: Arc<AtomicUsize>,
}

/// One running analysis, counted in [`AppState::in_flight`] while alive.
struct Running(Arc<AtomicUsize>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl AppState {
    /// The unspinner for one analysis, and its place in the count. An
    /// analysis that finds the server idle decodes its sentences on every
    /// core (a person waiting on one document gets it sooner); under load
    /// each keeps to one core, so that requests share the cores fairly.
    fn start(&self) -> (Unspinner, Running) {
        let idle = self.in_flight.fetch_add(1, Ordering::SeqCst) == 0;
        let running = Running(Arc::clone(&self.in_flight));
        (self.unspinner.parallel_sentences(idle), running)
    }
}

/// An error answer: a status and a message, sent as `{"error": message}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    /// An error with an HTTP status and a message for the client.
    pub fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }

    fn unprocessable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status, self.message)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "error": self.message }))).into_response()
    }
}

/// A tracer's failure (for example an index file that cannot be read).
/// `/v1/trace` answers it with 500 and the message.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{0}")]
pub struct TraceError(String);

impl TraceError {
    /// An error with a message naming what failed.
    pub fn new(message: impl std::fmt::Display) -> TraceError {
        TraceError(message.to_string())
    }
}

/// A parsed `{"id", "text", ...}` body.
#[derive(Debug)]
pub(crate) struct Document {
    id: Value,
    text: String,
    /// other fields, passed through untouched as the CLI does
    extra: Map<String, Value>,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// True when a content type is JSON (`application/json`, `…+json`).
fn is_json_type(v: &HeaderValue) -> bool {
    let Ok(s) = v.to_str() else { return false };
    let mime = s
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

/// The error for a body that could not be read; `limit` words the 413.
fn body_rejection(rej: BytesRejection, limit: usize) -> ApiError {
    if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than the limit of {limit} bytes"),
        )
    } else {
        ApiError::new(rej.status(), rej.body_text())
    }
}

/// Parses a request body. `limit` is only used to word the 413 message.
pub(crate) fn parse_document(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    limit: usize,
) -> Result<Document, ApiError> {
    if let Some(ct) = headers.get(header::CONTENT_TYPE) {
        if !is_json_type(ct) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "content type {:?} is not supported: send application/json",
                    ct.to_str().unwrap_or("(not text)")
                ),
            ));
        }
    }
    let body = body.map_err(|rej| body_rejection(rej, limit))?;
    let value: Value = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("the body is not valid JSON: {e}"),
        )
    })?;
    let Value::Object(mut obj) = value else {
        return Err(ApiError::unprocessable(format!(
            "the body must be a JSON object {{\"id\", \"text\"}}, not {}",
            type_name(&value)
        )));
    };
    let text = match obj.remove("text") {
        Some(Value::String(s)) => s,
        Some(other) => {
            return Err(ApiError::unprocessable(format!(
                "field \"text\" must be a string, not {}",
                type_name(&other)
            )))
        }
        None => return Err(ApiError::unprocessable("missing field \"text\"")),
    };
    let id = match obj.remove("id") {
        None => Value::Null,
        Some(v @ (Value::String(_) | Value::Number(_) | Value::Null)) => v,
        Some(other) => {
            return Err(ApiError::unprocessable(format!(
                "field \"id\" must be a string or a number, not {}",
                type_name(&other)
            )))
        }
    };
    Ok(Document {
        id,
        text,
        extra: obj,
    })
}

/// The answer record: the request's other fields, then `id`, then the
/// result's fields (the order the CLI writes).
fn record(
    id: Value,
    extra: Map<String, Value>,
    result: &impl serde::Serialize,
) -> Result<Value, ApiError> {
    let mut obj = extra;
    obj.insert("id".into(), id);
    match serde_json::to_value(result) {
        Ok(Value::Object(fields)) => obj.extend(fields),
        Ok(_) | Err(_) => {
            return Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the result could not be serialised",
            ))
        }
    }
    Ok(Value::Object(obj))
}

/// Runs CPU-bound work on the blocking pool; a panic becomes a 500.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| {
        tracing::error!(error = %e, "analysis task failed");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the analysis failed unexpectedly (a bug: please report it)",
        )
    })
}

type Body = Result<Bytes, BytesRejection>;

async fn detect(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let Document { id, text, extra } = parse_document(&headers, body, st.limits.body_bytes)?;
    let (unspinner, running) = st.start();
    let detection = blocking(move || {
        let _running = running;
        unspinner.detect(&text)
    })
    .await?;
    tracing::debug!(
        spans = detection.spans.len(),
        score = detection.score,
        "detected"
    );
    Ok(Json(record(id, extra, &detection)?))
}

async fn restore(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let Document { id, text, extra } = parse_document(&headers, body, st.limits.body_bytes)?;
    let (unspinner, running) = st.start();
    let tracer = st.tracer.clone();
    let restoration = blocking(move || {
        let _running = running;
        match tracer {
            None => Ok(unspinner.restore(&text)),
            Some(tracer) => tracer.restore(&unspinner, &text),
        }
    })
    .await?
    .map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("restore by reference failed: {e}"),
        )
    })?;
    tracing::debug!(changes = restoration.changes.len(), "restored");
    Ok(Json(record(id, extra, &restoration)?))
}

async fn trace(
    State(st): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let Document { id, text, extra } = parse_document(&headers, body, st.limits.body_bytes)?;
    let Some(tracer) = st.tracer.clone() else {
        return Err(ApiError::new(
            StatusCode::NOT_IMPLEMENTED,
            "no reference index is loaded: start the server with `unspin serve --index DIR` to trace sources",
        ));
    };
    let matches = blocking(move || tracer.trace(&text)).await?.map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("trace failed: {e}"),
        )
    })?;
    Ok(Json(record(id, extra, &json!({ "matches": matches }))?))
}

/// The text of an uploaded file (the raw bytes of a .txt, .docx or PDF),
/// for the web page's upload: `{"format", "text"}`. A PDF's reader is
/// killed at the request's time limit.
async fn extract(State(st): State<Arc<AppState>>, body: Body) -> Result<Json<Value>, ApiError> {
    let bytes = body.map_err(|rej| body_rejection(rej, st.limits.upload_bytes))?;
    let extractor = unspin_extract::Extractor::with_pdf(unspin_extract::PdfReader {
        timeout: st.limits.timeout,
        ..unspin_extract::PdfReader::default()
    });
    let got = blocking(move || extractor.extract(&bytes))
        .await?
        .map_err(|e| {
            use unspin_extract::ExtractError as E;
            let status = match e {
                // the server's lack, not the file's fault
                E::Pdf | E::PdfReaderMissing { .. } => StatusCode::NOT_IMPLEMENTED,
                E::PdfTimeout { .. } => StatusCode::SERVICE_UNAVAILABLE,
                E::PdfReaderFailed(_) => StatusCode::INTERNAL_SERVER_ERROR,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            ApiError::new(status, e.to_string())
        })?;
    tracing::debug!(
        format = got.format.name(),
        chars = got.text.len(),
        "extracted"
    );
    Ok(Json(
        json!({ "format": got.format.name(), "text": got.text }),
    ))
}

async fn healthz(State(st): State<Arc<AppState>>) -> Json<Value> {
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "trace": st.tracer.is_some(),
        "index": st.tracer.as_ref().map(|t| t.describe()),
        "fingerprints": st.unspinner.fingerprints().map_or(0, |f| f.len()),
        "limits": {
            "body_bytes": st.limits.body_bytes,
            "upload_bytes": st.limits.upload_bytes,
            "timeout_ms": st.limits.timeout.as_millis() as u64,
            "concurrency": st.limits.concurrency,
        },
    }))
}

async fn openapi() -> Json<Value> {
    Json(crate::openapi::document())
}

/// Answers 503 when a request runs past the time limit.
async fn time_limit(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            tracing::warn!(limit_ms = limit.as_millis() as u64, "request timed out");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "the request took longer than the limit of {} ms",
                    limit.as_millis()
                ),
            )
            .into_response()
        }
    }
}

/// Refuses a body whose declared length is over the limit before reading
/// any of it, so a client that sent `Expect: 100-continue` is told 413
/// instead of being invited to upload it. (Bodies without a length, or
/// that lie about it, are still cut at the limit while they are read.)
async fn declared_length_limit(State(limit): State<usize>, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match declared {
        Some(n) if n > limit as u64 => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body ({n} bytes) is larger than the limit of {limit} bytes"),
        )
        .into_response(),
        _ => next.run(req).await,
    }
}

/// Rewrites any error answer that is not already JSON (axum's 404 and 405,
/// for instance) into `{"error": ...}`, keeping its status and headers.
async fn json_errors(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    if res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(is_json_type)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let detail = axum::body::to_bytes(body, 64 * 1024)
        .await
        .unwrap_or_default();
    let detail = String::from_utf8_lossy(&detail).trim().to_string();
    let message = match status {
        StatusCode::NOT_FOUND => {
            format!("no route {method} {path} (the routes are listed in /openapi.json)")
        }
        StatusCode::METHOD_NOT_ALLOWED => {
            // axum adds the Allow header outside this layer: name the
            // methods from the OpenAPI document, which a test keeps exact
            let allow = match parts
                .headers
                .get(header::ALLOW)
                .and_then(|v| v.to_str().ok())
            {
                Some(a) => a.to_string(),
                None => crate::openapi::methods(&path).join(", "),
            };
            format!("method {method} is not allowed on {path}; allowed: {allow}")
        }
        _ if !detail.is_empty() => detail,
        _ => status.canonical_reason().unwrap_or("error").to_string(),
    };
    let body = serde_json::to_vec(&json!({ "error": message })).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// The whole application with its layers, outermost first: request log,
/// JSON errors, time limit, declared body length, then (API routes only) the
/// concurrency limit, then the body limit as the body is read. Uploads to
/// `/v1/extract` have a body limit of their own.
pub(crate) fn router(st: Arc<AppState>) -> Router {
    static NEXT_ID: AtomicU64 = AtomicU64::new(1);
    let limits = st.limits;
    // routes whose bodies may be `bytes` long
    fn bounded(routes: Router<Arc<AppState>>, bytes: usize) -> Router<Arc<AppState>> {
        routes
            .layer(DefaultBodyLimit::max(bytes))
            .layer(middleware::from_fn_with_state(bytes, declared_length_limit))
    }
    // one pool of slots for every analysis, uploads included
    let slots = GlobalConcurrencyLimitLayer::new(limits.concurrency);
    let analyses = Router::new()
        .route("/v1/detect", post(detect))
        .route("/v1/restore", post(restore))
        .route("/v1/trace", post(trace))
        .layer(slots.clone());
    let uploads = Router::new()
        .route("/v1/extract", post(extract))
        .layer(slots);
    let pages = Router::new()
        .route("/healthz", get(healthz))
        .route("/openapi.json", get(openapi))
        .merge(crate::web::routes());
    bounded(pages, limits.body_bytes)
        .merge(bounded(analyses, limits.body_bytes))
        .merge(bounded(uploads, limits.upload_bytes))
        .with_state(st)
        .layer(middleware::from_fn_with_state(limits.timeout, time_limit))
        .layer(middleware::from_fn(json_errors))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
                    tracing::info_span!("request", id, method = %req.method(), path = %req.uri().path())
                })
                .on_request(())
                .on_response(|res: &Response, latency: Duration, _span: &tracing::Span| {
                    tracing::info!(
                        status = res.status().as_u16(),
                        latency_ms = latency.as_secs_f64() * 1e3,
                        "answered"
                    );
                })
                .on_failure(()),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_analysis_that_finds_the_server_idle_uses_every_core() {
        let st = AppState {
            unspinner: Unspinner::new(unspin_core::Model::builtin().expect("model")),
            tracer: None,
            limits: Limits::default(),
            in_flight: Default::default(),
        };
        let (first, a) = st.start();
        let (second, b) = st.start();
        assert!(first.decodes_sentences_in_parallel());
        assert!(!second.decodes_sentences_in_parallel());
        drop(a);
        let (third, c) = st.start();
        assert!(
            !third.decodes_sentences_in_parallel(),
            "the second still runs"
        );
        drop((b, c));
        assert_eq!(st.in_flight.load(Ordering::SeqCst), 0);
        assert!(st.start().0.decodes_sentences_in_parallel());
    }

    fn parse(ct: Option<&str>, body: &str) -> Result<Document, ApiError> {
        let mut h = HeaderMap::new();
        if let Some(ct) = ct {
            h.insert(header::CONTENT_TYPE, HeaderValue::from_str(ct).unwrap());
        }
        parse_document(&h, Ok(Bytes::from(body.to_string())), 100)
    }

    #[test]
    fn parses_and_keeps_other_fields() {
        let d = parse(
            Some("application/json; charset=utf-8"),
            r#"{"id":"a","text":"né","lang":"en"}"#,
        )
        .unwrap();
        assert_eq!(d.id, json!("a"));
        assert_eq!(d.text, "né");
        assert_eq!(d.extra["lang"], json!("en"));
        let d = parse(None, r#"{"text":""}"#).unwrap();
        assert_eq!(d.id, Value::Null);
    }

    #[test]
    fn malformed_bodies_get_precise_errors() {
        let cases: &[(Option<&str>, &str, u16, &str)] = &[
            (None, "{", 400, "not valid JSON"),
            (None, "", 400, "not valid JSON"),
            (None, "[1,2]", 422, "not an array"),
            (None, "\"text\"", 422, "not a string"),
            (None, r#"{"id":"a"}"#, 422, "missing field \"text\""),
            (
                None,
                r#"{"text":5}"#,
                422,
                "\"text\" must be a string, not a number",
            ),
            (None, r#"{"text":null}"#, 422, "not null"),
            (
                None,
                r#"{"text":"x","id":[1]}"#,
                422,
                "\"id\" must be a string or a number",
            ),
            (
                Some("text/plain"),
                r#"{"text":"x"}"#,
                415,
                "application/json",
            ),
        ];
        for (ct, body, status, needle) in cases {
            let e = parse(*ct, body).unwrap_err();
            assert_eq!(e.status().as_u16(), *status, "{body}: {e}");
            assert!(e.message().contains(needle), "{body}: {e}");
        }
    }

    #[test]
    fn json_content_types() {
        for ok in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/vnd.x+json",
        ] {
            assert!(is_json_type(&HeaderValue::from_static(ok)), "{ok}");
        }
        for bad in ["text/plain", "application/x-www-form-urlencoded", "json"] {
            assert!(!is_json_type(&HeaderValue::from_static(bad)), "{bad}");
        }
    }
}

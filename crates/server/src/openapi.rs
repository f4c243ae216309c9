//! The OpenAPI 3.1 document served at `/openapi.json`.
//!
//! It is written by hand next to the routes it describes, and a test
//! (`tests/openapi.rs`) walks every path and method in it against the real
//! router: each documented route must exist, answer one of its documented
//! statuses, and answer bodies that match the documented schemas. The
//! record schemas are the core's wire format (PRODUCT.md §4).

use serde_json::{json, Value};

/// The error statuses every analysis route can answer.
const ANALYSIS_ERRORS: &[(&str, &str)] = &[
    ("400", "The body is not valid JSON."),
    ("413", "The body is larger than the server's limit (see `/healthz`)."),
    ("415", "The content type is not JSON."),
    ("422", "The JSON is not an object with a string `text` (and, if present, a string or number `id`)."),
    ("500", "The analysis failed."),
    ("503", "The request took longer than the server's time limit."),
];

fn error_responses(extra: &[(&str, &str)]) -> serde_json::Map<String, Value> {
    let mut m = serde_json::Map::new();
    for (code, why) in ANALYSIS_ERRORS.iter().chain(extra) {
        m.insert(
            code.to_string(),
            json!({
                "description": why,
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
            }),
        );
    }
    m
}

fn analysis(summary: &str, description: &str, schema: &str, extra: &[(&str, &str)]) -> Value {
    let mut responses = error_responses(extra);
    responses.insert(
        "200".into(),
        json!({
            "description": "The record `unspin` writes for this document.",
            "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } }
        }),
    );
    json!({
        "post": {
            "summary": summary,
            "description": description,
            "requestBody": {
                "required": true,
                "content": { "application/json": {
                    "schema": { "$ref": "#/components/schemas/Document" },
                    "example": { "id": "doc-1", "text": "The study used an irregular woodland classifier to sort bosom malignancy images." }
                } }
            },
            "responses": responses
        }
    })
}

fn asset(summary: &str, mime: &str) -> Value {
    json!({
        "get": {
            "summary": summary,
            "responses": { "200": { "description": summary, "content": { mime: { "schema": { "type": "string" } } } } }
        }
    })
}

/// The OpenAPI document of the server.
pub fn document() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "unspin",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Detect machine-spun text, restore its original wording, trace its sources. \
                Offsets are Unicode scalar (character) offsets into `text`, end exclusive. \
                Fields of the request other than `id` and `text` are passed through to the answer. \
                Every error answer is `{\"error\": \"...\"}`."
        },
        "paths": {
            "/v1/detect": analysis(
                "Flag spun spans",
                "Spans flagged at the default threshold, each with a confidence and the suggested original, and the document's probability of being spun.",
                "Detection",
                &[]
            ),
            "/v1/restore": analysis(
                "Restore the original wording",
                "The most likely original text; every change is listed with offsets into the input.",
                "Restoration",
                &[]
            ),
            "/v1/trace": analysis(
                "Find the sources in the reference index",
                "Sources best first, each with a score, its coverage and an alignment. Needs the server to run with `--index DIR`.",
                "Trace",
                &[("501", "No reference index is loaded.")]
            ),
            "/v1/extract": {
                "post": {
                    "summary": "The text of an uploaded file",
                    "description": "The body is the file itself: UTF-8 text, a Word document (.docx) or a PDF, told apart by their first bytes. The answer is the text to send to the analysis routes, one line per paragraph (per line of the page for a PDF, read by Poppler's pdftotext in a child process that is stopped at the time limit).",
                    "requestBody": {
                        "required": true,
                        "content": { "application/octet-stream": {
                            "schema": { "type": "string", "format": "binary" },
                            "example": "An irregular woodland classifier sorted bosom malignancy images."
                        } }
                    },
                    "responses": {
                        "200": {
                            "description": "The file's text.",
                            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Extracted" } } }
                        },
                        "413": { "description": "The file is larger than the server's upload limit (`upload_bytes` in `/healthz`).", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                        "422": { "description": "The file is not UTF-8 text, a readable .docx or a PDF with text (a corrupt PDF, or a scan without a text layer).", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                        "500": { "description": "The extraction failed.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                        "501": { "description": "The file is a PDF and the server has no PDF reader (Poppler's pdftotext is not installed).", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
                        "503": { "description": "The request took longer than the server's time limit.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
                    }
                }
            },
            "/healthz": {
                "get": {
                    "summary": "Liveness and what is loaded",
                    "responses": { "200": {
                        "description": "The server is up.",
                        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Health" } } }
                    } }
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "responses": { "200": {
                        "description": "The OpenAPI document.",
                        "content": { "application/json": { "schema": { "type": "object", "required": ["openapi", "paths"] } } }
                    } }
                }
            },
            "/": asset("The web page", "text/html"),
            "/app.js": asset("The web page's script", "text/javascript"),
            "/app.css": asset("The web page's style sheet", "text/css")
        },
        "components": { "schemas": {
            "Document": {
                "type": "object",
                "required": ["text"],
                "properties": {
                    "id": { "type": ["string", "number", "null"], "description": "Echoed in the answer." },
                    "text": { "type": "string", "description": "The document to analyse." }
                },
                "additionalProperties": true
            },
            "Span": {
                "type": "object",
                "required": ["start", "end", "text", "score", "suggestion"],
                "properties": {
                    "start": { "type": "integer", "minimum": 0 },
                    "end": { "type": "integer", "minimum": 0 },
                    "text": { "type": "string" },
                    "score": { "type": "number", "minimum": 0, "maximum": 1 },
                    "suggestion": { "type": ["string", "null"], "description": "The most likely original wording; empty when the flagged words were added by the spinner and should be deleted; null when there is no suggestion." },
                    "source": { "type": "string", "enum": ["model", "list", "rule", "reference"], "description": "Where the evidence comes from: the language model, a tortured-phrase list, a spinner-residue rule (a split number, spintax, a number spelled out, a contraction in a spun text) or a reference source." }
                }
            },
            "Detection": {
                "type": "object",
                "required": ["id", "score", "spans"],
                "properties": {
                    "id": { "type": ["string", "number", "null"] },
                    "score": { "type": "number", "minimum": 0, "maximum": 1 },
                    "spans": { "type": "array", "items": { "$ref": "#/components/schemas/Span" } }
                }
            },
            "Change": {
                "type": "object",
                "required": ["start", "end", "from", "to", "score"],
                "properties": {
                    "start": { "type": "integer", "minimum": 0 },
                    "end": { "type": "integer", "minimum": 0 },
                    "from": { "type": "string" },
                    "to": { "type": "string" },
                    "score": { "type": "number", "minimum": 0, "maximum": 1 },
                    "source": { "type": "string", "enum": ["model", "list", "rule", "reference"], "description": "Where the evidence comes from: the language model, a tortured-phrase list, a spinner-residue rule (a split number, spintax, a number spelled out, a contraction in a spun text) or a reference source." }
                }
            },
            "Restoration": {
                "type": "object",
                "required": ["id", "text", "changes"],
                "properties": {
                    "id": { "type": ["string", "number", "null"] },
                    "text": { "type": "string" },
                    "changes": { "type": "array", "items": { "$ref": "#/components/schemas/Change" } }
                }
            },
            "Match": {
                "type": "object",
                "required": ["doc_id", "score", "coverage", "alignment"],
                "properties": {
                    "doc_id": { "type": ["string", "number"] },
                    "score": { "type": "number" },
                    "coverage": { "type": "number", "minimum": 0, "maximum": 1 },
                    "alignment": { "type": "array" }
                }
            },
            "Trace": {
                "type": "object",
                "required": ["id", "matches"],
                "properties": {
                    "id": { "type": ["string", "number", "null"] },
                    "matches": { "type": "array", "items": { "$ref": "#/components/schemas/Match" } }
                }
            },
            "Extracted": {
                "type": "object",
                "required": ["format", "text"],
                "properties": {
                    "format": { "type": "string", "enum": ["text", "docx", "pdf"] },
                    "text": { "type": "string" }
                }
            },
            "Health": {
                "type": "object",
                "required": ["status", "version", "trace", "fingerprints", "limits"],
                "properties": {
                    "status": { "type": "string", "enum": ["ok"] },
                    "version": { "type": "string" },
                    "trace": { "type": "boolean", "description": "Whether /v1/trace is available." },
                    "index": { "type": ["string", "null"] },
                    "fingerprints": { "type": "integer", "minimum": 0 },
                    "limits": {
                        "type": "object",
                        "required": ["body_bytes", "upload_bytes", "timeout_ms", "concurrency"],
                        "properties": {
                            "body_bytes": { "type": "integer", "description": "Largest body of /v1/detect, /v1/restore and /v1/trace." },
                            "upload_bytes": { "type": "integer", "description": "Largest file uploaded to /v1/extract." },
                            "timeout_ms": { "type": "integer" },
                            "concurrency": { "type": "integer" }
                        }
                    }
                }
            },
            "Error": {
                "type": "object",
                "required": ["error"],
                "properties": { "error": { "type": "string" } }
            }
        } }
    })
}

/// The methods the document lists for `path`, upper case (empty for an
/// undocumented path).
pub fn methods(path: &str) -> Vec<String> {
    document()["paths"]
        .get(path)
        .and_then(Value::as_object)
        .map(|ops| ops.keys().map(|m| m.to_ascii_uppercase()).collect())
        .unwrap_or_default()
}

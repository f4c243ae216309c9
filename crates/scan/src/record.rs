//! Documents and their JSON Lines form.
//!
//! A JSONL input line is `{"id": ..., "text": "...", ...}`; every field other
//! than `id` and `text` is passed through untouched (PRODUCT.md §4). This is
//! the one parser of that form: `unspin detect`, `restore` and `scan` and the
//! Python binding all use it, so a line is judged the same way everywhere.

use serde_json::{Map, Value};

/// One document to process.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// The record's id: the JSONL `id` (any JSON value), the line number
    /// when the line has none, a file name for plain text, the
    /// `WARC-Record-ID` for WARC.
    pub id: Value,
    /// The text.
    pub text: String,
    /// Other fields, passed through untouched into the output record.
    pub extra: Map<String, Value>,
}

impl Record {
    /// A record with no extra fields.
    pub fn new(id: impl Into<Value>, text: impl Into<String>) -> Record {
        Record {
            id: id.into(),
            text: text.into(),
            extra: Map::new(),
        }
    }

    /// The output object for this record: its extra fields, then `id`, then
    /// the fields of `result` (a serialisable struct such as
    /// [`unspin_core::Detection`]); a result field with the name of an extra
    /// field replaces its value in place.
    pub fn output(
        &self,
        result: &impl serde::Serialize,
    ) -> Result<Map<String, Value>, serde_json::Error> {
        let mut obj = Map::with_capacity(self.extra.len() + 4);
        for (k, v) in &self.extra {
            obj.insert(k.clone(), v.clone());
        }
        obj.insert("id".into(), self.id.clone());
        if let Value::Object(fields) = serde_json::to_value(result)? {
            for (k, v) in fields {
                obj.insert(k, v);
            }
        }
        Ok(obj)
    }
}

/// Decodes bytes as UTF-8. With `lossy`, bad bytes become U+FFFD; without,
/// the error names the offset of the first bad byte.
pub fn decode(bytes: Vec<u8>, lossy: bool) -> Result<String, String> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) if lossy => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(e) => Err(format!(
            "invalid UTF-8 at byte offset {}",
            e.utf8_error().valid_up_to()
        )),
    }
}

/// The text of a whole file read as one document: a Word file (.docx) or
/// a PDF (through Poppler's `pdftotext`, with its default limits) is read
/// by [`unspin_extract`], anything else decoded as by [`decode`].
pub fn decode_document(bytes: Vec<u8>, lossy: bool) -> Result<String, String> {
    if unspin_extract::Format::sniff(&bytes) != unspin_extract::Format::Text {
        return unspin_extract::Extractor::with_pdf(unspin_extract::PdfReader::default())
            .extract(&bytes)
            .map(|e| e.text)
            .map_err(|e| e.to_string());
    }
    decode(bytes, lossy)
}

/// Parses one JSONL line (a trailing `\n` or `\r\n` is ignored).
///
/// Returns `Ok(None)` for a blank line, `Err(reason)` for a bad one (invalid
/// UTF-8 without `lossy`, bad JSON, not an object, no string `text`). A
/// record without `id` gets its 1-based line number `lineno` as id.
pub fn parse_record(line: &[u8], lossy: bool, lineno: usize) -> Result<Option<Record>, String> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(None);
    }
    let owned;
    let text = match std::str::from_utf8(line) {
        Ok(s) => s,
        Err(_) if lossy => {
            owned = String::from_utf8_lossy(line).into_owned();
            &owned
        }
        Err(e) => {
            return Err(format!(
                "invalid UTF-8 at byte offset {} of the line",
                e.valid_up_to()
            ))
        }
    };
    let value: Value = serde_json::from_str(text).map_err(|e| format!("bad JSON: {e}"))?;
    let Value::Object(mut obj) = value else {
        return Err("not a JSON object".into());
    };
    let text = match obj.shift_remove("text") {
        Some(Value::String(s)) => s,
        Some(_) => return Err("field \"text\" is not a string".into()),
        None => return Err("no \"text\" field".into()),
    };
    let id = obj
        .shift_remove("id")
        .unwrap_or_else(|| Value::from(lineno));
    Ok(Some(Record {
        id,
        text,
        extra: obj,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_say_why() {
        assert!(parse_record(b"{\"id\":1}", false, 1)
            .unwrap_err()
            .contains("no \"text\""));
        assert!(parse_record(b"{\"text\":3}", false, 1)
            .unwrap_err()
            .contains("not a string"));
        assert!(parse_record(b"[1]", false, 1)
            .unwrap_err()
            .contains("object"));
        assert!(parse_record(b"{\"text\":", false, 1)
            .unwrap_err()
            .starts_with("bad JSON"));
        assert!(parse_record(b"{\"text\":\"a\xff\"}", false, 1)
            .unwrap_err()
            .contains("byte offset 10"));
        assert!(parse_record(b"{\"text\":\"a\xff\"}", true, 1)
            .unwrap()
            .is_some());
        assert!(parse_record(b"  \n", false, 1).unwrap().is_none());
        assert!(parse_record(b"\r\n", false, 1).unwrap().is_none());
    }

    #[test]
    fn passes_other_fields_through_in_order() {
        let r = parse_record(br#"{"lang":"en","id":"a","text":"t","url":"u"}"#, false, 1)
            .unwrap()
            .unwrap();
        assert_eq!(r.id, Value::from("a"));
        assert_eq!(r.text, "t");
        let keys: Vec<_> = r.extra.keys().cloned().collect();
        assert_eq!(keys, ["lang", "url"]);
    }

    #[test]
    fn numbers_in_other_fields_pass_through_unchanged() {
        // found by the jsonl fuzz target: without correctly rounded float
        // parsing, 2.5e33 came back as 2.5000000000000002e33
        let r = parse_record(br#"{"text":"e","m":{"x":[5,2.5e33,0.1,1e-300]}}"#, false, 1)
            .unwrap()
            .unwrap();
        let out = serde_json::to_string(&Value::Object(r.output(&()).unwrap())).unwrap();
        assert_eq!(out, r#"{"m":{"x":[5,2.5e+33,0.1,1e-300]},"id":1}"#);
    }

    #[test]
    fn missing_id_is_the_line_number() {
        let r = parse_record(b"{\"text\":\"t\"}\r\n", false, 7)
            .unwrap()
            .unwrap();
        assert_eq!(r.id, Value::from(7));
    }

    #[test]
    fn output_puts_extra_then_id_then_result() {
        let r = parse_record(
            br#"{"id":3,"text":"t","lang":"en","score":"old"}"#,
            false,
            1,
        )
        .unwrap()
        .unwrap();
        let d = unspin_core::Detection {
            score: 0.25,
            spans: vec![],
        };
        let out = serde_json::to_string(&Value::Object(r.output(&d).unwrap())).unwrap();
        assert_eq!(out, r#"{"lang":"en","score":0.25,"id":3,"spans":[]}"#);
    }

    #[test]
    fn decode_names_offset() {
        let e = decode(b"ok\xc3(".to_vec(), false).unwrap_err();
        assert!(e.contains("byte offset 2"), "{e}");
        assert_eq!(decode(b"ok\xff".to_vec(), true).unwrap(), "ok\u{fffd}");
    }

    #[test]
    fn word_and_pdf_files_are_their_text_and_a_corrupt_pdf_is_an_error() {
        let docx = unspin_extract::testing::docx_of(&["A impartial celebration."]);
        assert_eq!(
            decode_document(docx, false).unwrap(),
            "A impartial celebration."
        );
        let pdf = unspin_extract::testing::pdf_of(&["A impartial celebration."]);
        assert_eq!(
            decode_document(pdf, false).unwrap(),
            "A impartial celebration."
        );
        let e = decode_document(b"%PDF-1.7 ...".to_vec(), true).unwrap_err();
        assert!(e.contains("PDF is corrupt"), "{e}");
        let e = decode_document(b"PK\x03\x04 broken".to_vec(), true).unwrap_err();
        assert!(e.contains("corrupt") || e.contains("zip"), "{e}");
        assert_eq!(decode_document(b"plain".to_vec(), false).unwrap(), "plain");
    }
}

//! WARC records as documents (the `warc` crate parses the container).
//!
//! Which records are documents:
//! - `conversion` (Common Crawl's WET files) and `resource` records with a
//!   text payload: the block is the text;
//! - `response` records: the HTTP body, after the HTTP headers; an HTML
//!   body is turned into text (scripts, styles and tags dropped, entities
//!   decoded, block elements become line breaks), a `text/plain` body is
//!   kept as it is, a PDF (`application/pdf`: papers on publishers' sites)
//!   is read by Poppler's `pdftotext` ([`unspin_extract::PdfReader`]),
//!   and any other payload type (images, scripts...) is not a document.
//!   A PDF the crawler cut short (`WARC-Truncated`, Common Crawl's 1 MiB
//!   cap) cannot be read: it is reported as a bad record with that reason;
//! - every other type (`warcinfo`, `request`, `metadata`, `revisit`...) is
//!   metadata, not a document.
//!
//! The document id is the `WARC-Record-ID`; `url` (the `WARC-Target-URI`)
//! and `warc_type` are passed through. Span offsets refer to the text
//! described above.

use serde_json::{Map, Value};
use warc::{BufferedBody, Record as WarcRecord, RecordType, WarcHeader};

use crate::record::{decode, Record};

/// Turns one WARC record into a document: `Ok(None)` when it is not one.
pub(crate) fn to_document(
    rec: WarcRecord<BufferedBody>,
    lossy: bool,
) -> Result<Option<Record>, String> {
    let kind = rec.warc_type().clone();
    let id = rec.warc_id().to_string();
    // `Record::header` unwraps a header value's UTF-8 decoding (a panic on
    // a bad byte): read the raw headers instead, lossily
    let (raw, block) = rec.into_raw_parts();
    let header = |h: WarcHeader| {
        raw.headers
            .get(&h)
            .map(|v| String::from_utf8_lossy(v).into_owned())
    };
    let block = &block[..];
    let (content_type, payload): (String, &[u8]) = match kind {
        RecordType::Conversion | RecordType::Resource => (
            header(WarcHeader::ContentType)
                .map(|c| c.to_ascii_lowercase())
                .unwrap_or_else(|| "text/plain".into()),
            block,
        ),
        RecordType::Response => match split_http(block) {
            Some((headers, body)) => (http_content_type(headers).unwrap_or_default(), body),
            None => return Err("response record without an HTTP header block".into()),
        },
        _ => return Ok(None),
    };
    let is_html = content_type.contains("html");
    let is_pdf = content_type.starts_with("application/pdf");
    if !(is_html || is_pdf || content_type.starts_with("text/") || content_type.is_empty()) {
        return Ok(None);
    }
    let text = if is_pdf {
        if let Some(why) = header(WarcHeader::Truncated) {
            return Err(format!(
                "a PDF cut short by the crawler (WARC-Truncated: {why}) cannot be read"
            ));
        }
        unspin_extract::PdfReader::default()
            .text(payload)
            .map_err(|e| e.to_string())?
    } else {
        let raw = decode(payload.to_vec(), lossy)?;
        if is_html {
            html_to_text(&raw)
        } else {
            raw
        }
    };
    let mut extra = Map::new();
    if let Some(uri) = header(WarcHeader::TargetURI) {
        extra.insert("url".into(), Value::from(uri));
    }
    extra.insert("warc_type".into(), Value::from(kind.to_string()));
    Ok(Some(Record {
        id: Value::from(id),
        text,
        extra,
    }))
}

/// Splits an HTTP message into its header block and body.
fn split_http(block: &[u8]) -> Option<(&[u8], &[u8])> {
    if let Some(i) = block.windows(4).position(|w| w == b"\r\n\r\n") {
        return Some((&block[..i], &block[i + 4..]));
    }
    block
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|i| (&block[..i], &block[i + 2..]))
}

/// The lower-cased `Content-Type` of an HTTP header block.
fn http_content_type(headers: &[u8]) -> Option<String> {
    let headers = String::from_utf8_lossy(headers);
    headers.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-type")
            .then(|| value.trim().to_ascii_lowercase())
    })
}

/// Visible text of an HTML page: a small, forgiving extractor (no DOM).
pub fn html_to_text(html: &str) -> String {
    const BLOCK: &[&str] = &[
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "title",
        "hr",
    ];
    let mut out = String::with_capacity(html.len() / 2);
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    let bytes = html.as_bytes();
    while i < bytes.len() {
        if bytes[i] == b'<' {
            if lower[i..].starts_with("<!--") {
                i = lower[i..].find("-->").map_or(bytes.len(), |j| i + j + 3);
                continue;
            }
            // a tag runs to its '>' (excluded), or to the end of the text
            let (tag, end) = match lower[i..].find('>') {
                Some(j) => (&lower[i + 1..i + j], i + j + 1),
                None => (&lower[i + 1..], bytes.len()),
            };
            let name: String = tag
                .trim_start_matches('/')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            if (name == "script" || name == "style") && !tag.starts_with('/') {
                let close = format!("</{name}");
                i = lower[end..].find(&close).map_or(bytes.len(), |j| {
                    let k = end + j;
                    lower[k..].find('>').map_or(bytes.len(), |m| k + m + 1)
                });
                continue;
            }
            if BLOCK.contains(&name.as_str()) {
                push_break(&mut out);
            } else {
                push_space(&mut out);
            }
            i = end;
        } else if bytes[i] == b'&' {
            let semi = html[i..]
                .char_indices()
                .take(12)
                .find(|&(_, c)| c == ';')
                .map(|(j, _)| i + j);
            match semi.and_then(|s| entity(&html[i + 1..s]).map(|c| (s, c))) {
                Some((s, c)) => {
                    if c.is_whitespace() {
                        push_space(&mut out);
                    } else {
                        out.push(c);
                    }
                    i = s + 1;
                }
                None => {
                    out.push('&');
                    i += 1;
                }
            }
        } else {
            let c = html[i..].chars().next().unwrap_or(' ');
            if c.is_whitespace() {
                push_space(&mut out);
            } else {
                out.push(c);
            }
            i += c.len_utf8();
        }
    }
    out.trim().to_string()
}

fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with([' ', '\n']) {
        out.push(' ');
    }
}

fn push_break(out: &mut String) {
    while out.ends_with(' ') {
        out.pop();
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
}

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "mdash" => '—',
        "ndash" => '–',
        "rsquo" => '’',
        "lsquo" => '‘',
        "rdquo" => '”',
        "ldquo" => '“',
        "hellip" => '…',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)?
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_text() {
        let html = "<html><head><title>T</title><style>p{x:1}</style></head><body>\
                    <!-- c --><p>Cold&nbsp;War &amp; <b>peace</b></p><script>var a='<p>';</script>\
                    <div>caf&eacute; &#233;&#x41;</div></body></html>";
        assert_eq!(html_to_text(html), "T\nCold War & peace\ncaf&eacute; éA");
    }

    #[test]
    fn an_unclosed_tag_before_multibyte_text_does_not_panic() {
        // the end of an unclosed tag was taken one byte
        // before the end of the text, inside the last character
        assert_eq!(html_to_text("<é"), "");
        assert_eq!(html_to_text("a <b c日本"), "a");
        assert_eq!(html_to_text("x<script>é"), "x");
    }

    #[test]
    fn http_split_and_type() {
        let (h, b) = split_http(
            b"HTTP/1.1 200 OK\r\nContent-Type: Text/HTML; charset=utf-8\r\n\r\n<p>x</p>",
        )
        .unwrap();
        assert_eq!(b, b"<p>x</p>");
        assert_eq!(http_content_type(h).unwrap(), "text/html; charset=utf-8");
    }
}

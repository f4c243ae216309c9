//! Reading documents: plain-text files or JSONL records, from files or stdin.
//!
//! Policy: a whole input that cannot be read is fatal (exit 2). In JSONL, a
//! bad line (invalid UTF-8, bad JSON, no `text`, longer than
//! `--max-doc-bytes`) is reported on stderr with its file and line number
//! and skipped; so is a plain-text input over `--max-doc-bytes`. The run
//! goes on and exits 2.

use std::io::{BufReader, Read};
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use serde_json::{Map, Value};
use unspin_scan::input::{read_doc_limited, read_line_limited, too_large, LineRead};

/// Input format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// each file (or stdin) is one document
    Text,
    /// one `{"id", "text", ...}` record per line
    Jsonl,
}

/// Flags shared by every command that reads documents.
#[derive(Clone, Debug, clap::Args)]
pub struct InputArgs {
    /// Input files; standard input when none (or "-").
    pub files: Vec<PathBuf>,
    /// Input format; `jsonl` when every file ends in .jsonl, else `text`.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    #[arg(long)]
    pub lossy: bool,
    /// Largest document in bytes (a text input, or a JSONL line without its
    /// line ending); a larger one is reported and skipped. 0: no limit.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_DOC_BYTES)]
    pub max_doc_bytes: usize,
}

pub use unspin_scan::input::DEFAULT_MAX_DOC_BYTES;

/// The limit `--max-doc-bytes N` sets (0 means none).
pub fn doc_limit(n: usize) -> usize {
    if n == 0 {
        usize::MAX
    } else {
        n
    }
}

/// One document to process (the one record type of every command; see
/// `unspin_scan::record`).
pub use unspin_scan::Record;

/// What reading found wrong but skipped.
#[derive(Debug, Default)]
pub struct Report {
    /// records skipped
    pub skipped: usize,
}

impl InputArgs {
    /// The format in effect.
    pub fn format(&self) -> Format {
        format_of(&self.files, self.format)
    }

    fn sources(&self) -> Vec<Option<PathBuf>> {
        sources_of(&self.files)
    }

    /// Calls `f` on every document in input order.
    pub fn for_each(&self, mut f: impl FnMut(Record) -> Result<()>) -> Result<Report> {
        let mut report = Report::default();
        let format = self.format();
        let max = doc_limit(self.max_doc_bytes);
        for src in self.sources() {
            let name = src
                .as_ref()
                .map_or("<stdin>".to_string(), |p| p.display().to_string());
            let reader: Box<dyn Read> = match &src {
                Some(p) => Box::new(
                    std::fs::File::open(p)
                        .with_context(|| format!("cannot open {}", p.display()))?,
                ),
                None => Box::new(std::io::stdin().lock()),
            };
            match format {
                Format::Text => {
                    let bytes = match read_doc_limited(&mut BufReader::new(reader), max)
                        .with_context(|| format!("cannot read {name}"))?
                    {
                        Ok(bytes) => bytes,
                        Err(n) => {
                            report.skipped += 1;
                            let reason =
                                too_large(&format!("a document of {n} bytes or more"), max);
                            eprintln!("unspin: {name}: skipped: {reason}");
                            continue;
                        }
                    };
                    // a JSONL stream piped in without --format is read as
                    // one text, as documented, but not silently
                    if src.is_none() && self.format.is_none() && looks_like_jsonl(&bytes) {
                        eprintln!(
                            "unspin: warning: {name} looks like JSONL but is read as one text \
                             document; pass --format jsonl to read its records"
                        );
                    }
                    // a Word file or a PDF is analysed as its text (what
                    // `unspin extract` prints)
                    let document =
                        unspin_extract::Format::sniff(&bytes) != unspin_extract::Format::Text;
                    let text = if document {
                        extract(&bytes, &name)?
                    } else {
                        decode(bytes, self.lossy).with_context(|| {
                            format!("{name} is not valid UTF-8 (pass --lossy to replace bad bytes)")
                        })?
                    };
                    f(Record {
                        id: Value::String(name.clone()),
                        text,
                        extra: Map::new(),
                    })?;
                }
                Format::Jsonl => {
                    let mut reader = BufReader::with_capacity(1 << 16, reader);
                    let mut line = Vec::new();
                    let mut lineno = 0usize;
                    loop {
                        let read = read_line_limited(&mut reader, &mut line, max)
                            .with_context(|| format!("cannot read {name}"))?;
                        match read {
                            LineRead::Eof => break,
                            LineRead::Line => lineno += 1,
                            LineRead::TooLong { len } => {
                                lineno += 1;
                                report.skipped += 1;
                                let reason = too_large(&format!("a line of {len} bytes"), max);
                                eprintln!("unspin: {name}:{lineno}: skipped: {reason}");
                                continue;
                            }
                        }
                        match parse_record(&line, self.lossy, lineno) {
                            Ok(Some(r)) => f(r)?,
                            Ok(None) => {}
                            Err(reason) => {
                                report.skipped += 1;
                                eprintln!("unspin: {name}:{lineno}: skipped: {reason}");
                            }
                        }
                    }
                }
            }
        }
        Ok(report)
    }
}

/// The format of `files`: `explicit` if given, else `jsonl` when every file
/// ends in .jsonl, else `text`.
pub fn format_of(files: &[PathBuf], explicit: Option<Format>) -> Format {
    explicit.unwrap_or_else(|| {
        if !files.is_empty()
            && files
                .iter()
                .all(|f| f.extension().is_some_and(|e| e == "jsonl"))
        {
            Format::Jsonl
        } else {
            Format::Text
        }
    })
}

/// The inputs to read: each file, `None` for standard input (no files, or "-").
pub fn sources_of(files: &[PathBuf]) -> Vec<Option<PathBuf>> {
    if files.is_empty() {
        vec![None]
    } else {
        files
            .iter()
            .map(|f| {
                if f.as_os_str() == "-" {
                    None
                } else {
                    Some(f.clone())
                }
            })
            .collect()
    }
}

/// True when the first line of `bytes` is a JSON object with a string
/// `text`: a JSONL record.
fn looks_like_jsonl(bytes: &[u8]) -> bool {
    let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    serde_json::from_slice::<Map<String, Value>>(first)
        .is_ok_and(|record| record.get("text").is_some_and(Value::is_string))
}

/// The text of a Word, PDF or text file named `name` (a PDF read by
/// Poppler's `pdftotext`, with its default limits).
pub fn extract(bytes: &[u8], name: &str) -> Result<String> {
    unspin_extract::Extractor::with_pdf(unspin_extract::PdfReader::default())
        .extract(bytes)
        .map(|e| e.text)
        .with_context(|| format!("cannot read {name}"))
}

/// Decodes bytes as UTF-8; the error names the first bad byte's offset.
pub fn decode(bytes: Vec<u8>, lossy: bool) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) if lossy => Ok(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        Err(e) => bail!(
            "invalid UTF-8 at byte offset {}",
            e.utf8_error().valid_up_to()
        ),
    }
}

/// Parses one JSONL line; `Ok(None)` for a blank line. The parser lives in
/// `unspin_scan` so that detect, restore, scan and the Python binding judge
/// a line the same way.
pub fn parse_record(line: &[u8], lossy: bool, lineno: usize) -> Result<Option<Record>, String> {
    unspin_scan::parse_record(line, lossy, lineno)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_names_offset() {
        let e = decode(b"ok\xc3(".to_vec(), false).unwrap_err();
        assert!(e.to_string().contains("byte offset 2"), "{e}");
    }
}

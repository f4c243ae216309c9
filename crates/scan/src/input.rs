//! Where documents come from: files, directories and standard input, in
//! JSONL, plain text or WARC, plain or gzip/zstd-compressed.
//!
//! Compression is recognised by its magic bytes, whatever the file is
//! called. The format is taken from the name with any `.gz`/`.zst` removed
//! (`.jsonl`, `.ndjson`, `.json` → JSONL; `.warc`, `.wet` → WARC; other
//! names → sniffed: a first non-blank byte `{` means JSONL, `WARC/` means
//! WARC, else plain text) unless a format is forced. Directories are walked
//! recursively in file-name order, so a scan's order is reproducible.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::error::Error;

/// The default largest document, in bytes: a JSONL line (its line ending
/// not counted), a plain-text file or a WARC record. Larger ones are
/// reported and skipped without being held in memory.
pub const DEFAULT_MAX_DOC_BYTES: usize = 128 << 20;

/// What [`read_line_limited`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineRead {
    /// The end of the input: nothing was read.
    Eof,
    /// A line (with its `\n`, if any) is in the buffer.
    Line,
    /// A line longer than the limit was skipped up to and including its
    /// `\n`; `len` is its length in bytes, line ending included. The buffer
    /// is empty.
    TooLong {
        /// bytes skipped
        len: usize,
    },
}

/// Reads one line into `buf` (cleared first), like
/// [`BufRead::read_until`] with `\n`, but never holds more than about
/// `max` bytes: a line whose content (without `\n` or `\r\n`) is longer
/// than `max` bytes is skipped to its end and reported as
/// [`LineRead::TooLong`], so one huge line costs no memory and the next
/// line is read normally.
pub fn read_line_limited(
    reader: &mut (impl BufRead + ?Sized),
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<LineRead> {
    buf.clear();
    let mut total = 0usize;
    let mut too_long = false;
    loop {
        let chunk = match reader.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            break;
        }
        let (used, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if !too_long {
            buf.extend_from_slice(&chunk[..used]);
            // room for the content and a \r\n
            if buf.len() > max.saturating_add(2) {
                too_long = true;
                buf.clear();
                buf.shrink_to(1 << 16);
            }
        }
        total += used;
        reader.consume(used);
        if done {
            break;
        }
    }
    if total == 0 {
        return Ok(LineRead::Eof);
    }
    if !too_long {
        let content = buf.strip_suffix(b"\n").unwrap_or(buf);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        too_long = content.len() > max;
    }
    if too_long {
        buf.clear();
        return Ok(LineRead::TooLong { len: total });
    }
    Ok(LineRead::Line)
}

/// Reads a whole input as one document, up to `max` bytes: `Ok(Err(n))`
/// when it is longer (`n` bytes were read before giving up; the rest is
/// not read).
pub fn read_doc_limited(
    reader: &mut (impl Read + ?Sized),
    max: usize,
) -> io::Result<Result<Vec<u8>, usize>> {
    let mut bytes = Vec::new();
    let limit = (max as u64).saturating_add(1);
    reader.take(limit).read_to_end(&mut bytes)?;
    if bytes.len() > max {
        return Ok(Err(bytes.len()));
    }
    Ok(Ok(bytes))
}

/// The message for a document over the size limit: `what` names it and
/// its size ("a line of 5021 bytes").
pub fn too_large(what: &str, max: usize) -> String {
    format!("{what} is larger than the limit of {max} bytes (--max-doc-bytes)")
}

/// A reader that fails once more than `limit` bytes have been consumed
/// since the shared counter was last reset: bounds what a parser that
/// buffers a whole record (the WARC reader) may hold.
pub(crate) struct ConsumeLimit<R> {
    pub(crate) inner: R,
    pub(crate) consumed: Arc<AtomicU64>,
    pub(crate) limit: u64,
}

impl<R: BufRead> Read for ConsumeLimit<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let buf = self.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for ConsumeLimit<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.consumed.load(Ordering::Relaxed) > self.limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "a record larger than the limit of {} bytes (--max-doc-bytes)",
                    self.limit
                ),
            ));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        self.consumed.fetch_add(n as u64, Ordering::Relaxed);
        self.inner.consume(n);
    }
}

/// The format of an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FormatKind {
    /// One `{"id", "text", ...}` record per line.
    Jsonl,
    /// The whole file is one document, its id the path; a Word file
    /// (.docx) or a PDF gives its text.
    Text,
    /// WARC: each `conversion` (WET), `resource` or `response` record with
    /// a text payload is one document, its id the `WARC-Record-ID`.
    Warc,
}

impl std::str::FromStr for FormatKind {
    type Err = String;
    fn from_str(s: &str) -> Result<FormatKind, String> {
        match s {
            "jsonl" => Ok(FormatKind::Jsonl),
            "text" => Ok(FormatKind::Text),
            "warc" => Ok(FormatKind::Warc),
            _ => Err(format!(
                "unknown format {s:?} (expected jsonl, text or warc)"
            )),
        }
    }
}

/// One input: a file or standard input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file.
    Path(PathBuf),
}

impl Input {
    /// The name used in messages and as a plain-text document's id.
    pub fn name(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".into(),
            Input::Path(p) => p.display().to_string(),
        }
    }
}

/// Expands command-line operands into inputs: `-` is standard input, a
/// directory stands for every file below it (sorted by path), none at all
/// means standard input.
pub fn expand(operands: &[PathBuf]) -> Result<Vec<Input>, Error> {
    if operands.is_empty() {
        return Ok(vec![Input::Stdin]);
    }
    let mut out = Vec::new();
    for op in operands {
        if op.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if op.is_dir() {
            let walker = walkdir::WalkDir::new(op)
                .sort_by_file_name()
                .follow_links(true);
            for entry in walker {
                let entry = entry.map_err(|e| Error::Walk {
                    path: op.clone(),
                    reason: e.to_string(),
                })?;
                if entry.file_type().is_file() {
                    out.push(Input::Path(entry.into_path()));
                }
            }
        } else {
            out.push(Input::Path(op.clone()));
        }
    }
    Ok(out)
}

/// A reader that counts the raw bytes read through it (for progress).
pub(crate) struct Counting<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// Opens an input and undoes its compression. Raw bytes read are added to
/// `counter`.
pub(crate) fn open(input: &Input, counter: Arc<AtomicU64>) -> io::Result<Box<dyn BufRead + Send>> {
    let raw: Box<dyn Read + Send> = match input {
        Input::Stdin => Box::new(io::stdin()),
        Input::Path(p) => Box::new(File::open(p)?),
    };
    let mut raw = BufReader::with_capacity(
        1 << 16,
        Counting {
            inner: raw,
            counter,
        },
    );
    let head = raw.fill_buf()?;
    Ok(if head.starts_with(&[0x1f, 0x8b]) {
        // MultiGzDecoder: Common Crawl's .warc.gz is one gzip member per record.
        Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(raw),
        ))
    } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Box::new(BufReader::with_capacity(
            1 << 16,
            zstd::Decoder::with_buffer(raw)?,
        ))
    } else {
        Box::new(raw)
    })
}

/// The format of `input` from its name, if the name tells.
pub(crate) fn format_from_name(path: &Path) -> Option<FormatKind> {
    let mut name = path.file_name()?.to_str()?.to_ascii_lowercase();
    for suffix in [".gz", ".zst", ".zstd"] {
        if let Some(stem) = name.strip_suffix(suffix) {
            name = stem.to_string();
        }
    }
    let ext = name.rsplit_once('.')?.1;
    match ext {
        "jsonl" | "ndjson" | "json" => Some(FormatKind::Jsonl),
        "warc" | "wet" => Some(FormatKind::Warc),
        "txt" | "text" | "md" | "docx" | "pdf" => Some(FormatKind::Text),
        _ => None,
    }
}

/// The format of a (decompressed) stream from its first bytes.
pub(crate) fn sniff(reader: &mut dyn BufRead) -> io::Result<FormatKind> {
    let head = reader.fill_buf()?;
    let first = head.iter().position(|b| !b.is_ascii_whitespace());
    Ok(match first.map(|i| &head[i..]) {
        Some(rest) if rest.starts_with(b"{") => FormatKind::Jsonl,
        Some(rest) if rest.starts_with(b"WARC/") => FormatKind::Warc,
        _ => FormatKind::Text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn long_lines_are_skipped_without_being_held() {
        let mut input = Vec::new();
        input.extend_from_slice(b"short\n");
        input.extend(std::iter::repeat(b'x').take(100_000));
        input.extend_from_slice(b"\r\nexact\r\n12345");
        // a small buffer: the long line spans many fill_buf calls
        let mut r = BufReader::with_capacity(64, &input[..]);
        let mut buf = Vec::new();
        assert_eq!(
            read_line_limited(&mut r, &mut buf, 5).unwrap(),
            LineRead::Line
        );
        assert_eq!(buf, b"short\n");
        assert_eq!(
            read_line_limited(&mut r, &mut buf, 5).unwrap(),
            LineRead::TooLong { len: 100_002 }
        );
        assert!(buf.is_empty() && buf.capacity() <= 1 << 16);
        assert_eq!(
            read_line_limited(&mut r, &mut buf, 5).unwrap(),
            LineRead::Line
        );
        assert_eq!(buf, b"exact\r\n", "a line of exactly the limit is kept");
        assert_eq!(
            read_line_limited(&mut r, &mut buf, 5).unwrap(),
            LineRead::Line
        );
        assert_eq!(buf, b"12345", "the last line needs no line ending");
        assert_eq!(
            read_line_limited(&mut r, &mut buf, 5).unwrap(),
            LineRead::Eof
        );
        let mut r = &b"123456"[..];
        assert_eq!(
            read_line_limited(&mut r, &mut buf, 5).unwrap(),
            LineRead::TooLong { len: 6 }
        );
    }

    #[test]
    fn documents_are_read_up_to_the_limit() {
        assert_eq!(
            read_doc_limited(&mut &b"12345"[..], 5).unwrap(),
            Ok(b"12345".to_vec())
        );
        assert_eq!(read_doc_limited(&mut &b"123456789"[..], 5).unwrap(), Err(6));
        let msg = too_large("a document of 6 bytes or more", 5);
        assert!(
            msg.contains("limit of 5 bytes") && msg.contains("--max-doc-bytes"),
            "{msg}"
        );
    }

    #[test]
    fn consume_limit_fails_past_the_limit_until_reset() {
        let consumed = Arc::new(AtomicU64::new(0));
        let mut r = ConsumeLimit {
            inner: BufReader::with_capacity(4, &b"line one\nline two\n"[..]),
            consumed: consumed.clone(),
            limit: 10,
        };
        let mut buf = Vec::new();
        r.read_until(b'\n', &mut buf).unwrap();
        assert_eq!(buf, b"line one\n");
        buf.clear();
        let e = r.read_until(b'\n', &mut buf).unwrap_err();
        assert!(e.to_string().contains("limit of 10 bytes"), "{e}");
        consumed.store(0, Ordering::Relaxed);
        buf.clear();
        r.read_until(b'\n', &mut buf).unwrap();
        assert!(buf.ends_with(b"two\n"), "{buf:?}");
    }

    #[test]
    fn names_tell_the_format() {
        let f = |s: &str| format_from_name(Path::new(s));
        assert_eq!(f("a/b.jsonl"), Some(FormatKind::Jsonl));
        assert_eq!(f("b.JSONL.gz"), Some(FormatKind::Jsonl));
        assert_eq!(f("cc.warc.gz"), Some(FormatKind::Warc));
        assert_eq!(f("cc.warc.wet.zst"), Some(FormatKind::Warc));
        assert_eq!(f("notes.txt"), Some(FormatKind::Text));
        assert_eq!(f("README"), None);
    }

    #[test]
    fn sniffing() {
        let s = |b: &[u8]| sniff(&mut io::Cursor::new(b.to_vec())).unwrap();
        assert_eq!(s(b"  {\"text\":1}"), FormatKind::Jsonl);
        assert_eq!(s(b"WARC/1.0\r\n"), FormatKind::Warc);
        assert_eq!(s(b"Hello"), FormatKind::Text);
        assert_eq!(s(b""), FormatKind::Text);
    }

    #[test]
    fn opens_gzip_and_zstd_by_magic() {
        let dir = tempfile::tempdir().unwrap();
        let text = b"{\"text\":\"x\"}\n".repeat(1000);
        let gz = dir.path().join("a.data");
        let mut enc =
            flate2::write::GzEncoder::new(File::create(&gz).unwrap(), flate2::Compression::fast());
        enc.write_all(&text[..500]).unwrap();
        enc.finish().unwrap();
        // a second gzip member, as in per-record-compressed WARC files
        let mut enc = flate2::write::GzEncoder::new(
            std::fs::OpenOptions::new().append(true).open(&gz).unwrap(),
            flate2::Compression::fast(),
        );
        enc.write_all(&text[500..]).unwrap();
        enc.finish().unwrap();
        let zst = dir.path().join("b");
        std::fs::write(&zst, zstd::encode_all(&text[..], 3).unwrap()).unwrap();
        for p in [gz, zst] {
            let counter = Arc::new(AtomicU64::new(0));
            let mut r = open(&Input::Path(p.clone()), counter.clone()).unwrap();
            let mut got = Vec::new();
            r.read_to_end(&mut got).unwrap();
            assert_eq!(got, text, "{}", p.display());
            assert_eq!(
                counter.load(Ordering::Relaxed),
                std::fs::metadata(&p).unwrap().len()
            );
        }
    }

    #[test]
    fn directories_expand_sorted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for n in ["b.txt", "a.txt", "sub/c.txt"] {
            std::fs::write(dir.path().join(n), "x").unwrap();
        }
        let got = expand(&[dir.path().to_path_buf(), "-".into()]).unwrap();
        let names: Vec<_> = got.iter().map(|i| i.name()).collect();
        let d = dir.path().display();
        assert_eq!(
            names,
            [
                format!("{d}/a.txt"),
                format!("{d}/b.txt"),
                format!("{d}/sub/c.txt"),
                "<stdin>".into()
            ]
        );
        assert_eq!(expand(&[]).unwrap(), vec![Input::Stdin]);
    }
}

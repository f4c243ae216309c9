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

/// The format of an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FormatKind {
    /// One `{"id", "text", ...}` record per line.
    Jsonl,
    /// The whole file is one document, its id the path.
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
        "txt" | "text" | "md" => Some(FormatKind::Text),
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

//! Plain text out of the files integrity analysts hold: UTF-8 text, Word
//! documents (`.docx`) and PDF.
//!
//! unspin analyses text; a suspect manuscript often arrives as a Word file
//! or a PDF. An [`Extractor`] recognises the format by its first bytes (not
//! by a file name, which may lie), and gives the text with one line per
//! paragraph (per line of the page, for a PDF). The server's upload
//! (`POST /v1/extract`) and the CLI's file input are faces over it.
//!
//! - **docx**: the text runs of `word/document.xml`, tabs and line breaks
//!   kept, one line per paragraph (Office Open XML, read with `zip` and
//!   `quick-xml`). Headers, footers and notes are not part of the body
//!   text and are left out.
//! - **PDF** is read by Poppler's `pdftotext` in a child process
//!   ([`PdfReader`]), the reader most PDF tools are built on, when the
//!   extractor has one: a hostile file can make a PDF parser loop (the
//!   registry's `pdf-extract` 0.12 looped for over a minute on a 606-byte
//!   file that fuzzing found in two minutes), and a child process is one
//!   that can be killed at a deadline, its output capped. Without a reader
//!   ([`extract`], the in-process formats only) a PDF is refused with an
//!   error that says what to do.
//! - anything else must be UTF-8 text (a leading byte-order mark is
//!   dropped); invalid UTF-8 is an error naming the byte offset.
//!
//! Every failure is an [`ExtractError`]; nothing here panics on hostile
//! input, a zip bomb stops at [`MAX_XML_BYTES`], and a PDF reader that
//! runs past its time or output limit is killed.
//!
//! ```
//! let got = unspin_extract::extract("An irregular woodland.".as_bytes()).unwrap();
//! assert_eq!(got.format, unspin_extract::Format::Text);
//! assert_eq!(got.text, "An irregular woodland.");
//! ```

use std::io::{Cursor, Read};

use quick_xml::events::Event;

mod pdf;

pub use pdf::PdfReader;

/// The largest `word/document.xml`, decompressed, that is read (a guard
/// against zip bombs): 256 MiB.
pub const MAX_XML_BYTES: u64 = 256 << 20;

/// A file format [`extract`] reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// UTF-8 text
    Text,
    /// Office Open XML word-processing document
    Docx,
    /// Portable Document Format
    Pdf,
}

impl Format {
    /// The format's name on the wire: `text` or `docx`.
    pub fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Docx => "docx",
            Format::Pdf => "pdf",
        }
    }

    /// The format of a file, from its first bytes.
    pub fn sniff(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"PK\x03\x04") {
            Format::Docx
        } else if is_pdf(bytes) {
            Format::Pdf
        } else {
            Format::Text
        }
    }
}

/// The text of a file, and the format it was read as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Extracted {
    pub format: Format,
    pub text: String,
}

/// Why a file gave no text.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("the file is not UTF-8 text (invalid byte at offset {offset}), nor a .docx or a PDF")]
    InvalidUtf8 { offset: usize },
    #[error("the file is a zip archive but not a Word document (no word/document.xml)")]
    NotWord,
    #[error("the Word document is corrupt: {0}")]
    CorruptDocx(String),
    #[error(
        "PDF files are not read here: save the document as .docx or text (e.g. `pdftotext FILE.pdf`)"
    )]
    Pdf,
    #[error(
        "cannot run `{program}` to read the PDF ({reason}): install Poppler's pdftotext \
         (Debian and Ubuntu: apt-get install poppler-utils), or convert the file to text first"
    )]
    PdfReaderMissing { program: String, reason: String },
    #[error("the PDF is corrupt or cannot be read: {0}")]
    CorruptPdf(String),
    #[error("the PDF has no text to read (a scanned image? run OCR on it first)")]
    PdfNoText,
    #[error("reading the PDF took longer than {seconds} s and was stopped")]
    PdfTimeout { seconds: f64 },
    #[error("the PDF's text is larger than {max} bytes")]
    PdfTooLarge { max: usize },
    #[error("the PDF reader failed: {0}")]
    PdfReaderFailed(String),
}

/// True for the first bytes of a PDF.
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF-")
}

/// Reads files as text: the in-process formats (UTF-8 text, `.docx`) and,
/// when a [`PdfReader`] is set, PDF.
#[derive(Clone, Debug, Default)]
pub struct Extractor {
    /// reads PDF files; `None` refuses them with [`ExtractError::Pdf`]
    pub pdf: Option<PdfReader>,
}

impl Extractor {
    /// An extractor that reads PDF files with `reader`.
    pub fn with_pdf(reader: PdfReader) -> Extractor {
        Extractor { pdf: Some(reader) }
    }

    /// The text of a file, told apart by its first bytes.
    pub fn extract(&self, bytes: &[u8]) -> Result<Extracted, ExtractError> {
        let format = Format::sniff(bytes);
        let text = match format {
            Format::Text => plain(bytes)?,
            Format::Docx => docx(bytes)?,
            Format::Pdf => match &self.pdf {
                Some(reader) => reader.text(bytes)?,
                None => return Err(ExtractError::Pdf),
            },
        };
        Ok(Extracted { format, text })
    }
}

/// The text of a file: UTF-8 text or a `.docx`, told apart by their first
/// bytes, in this process (a PDF is refused with [`ExtractError::Pdf`]; an
/// [`Extractor`] with a [`PdfReader`] reads it).
pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    Extractor::default().extract(bytes)
}

fn plain(bytes: &[u8]) -> Result<String, ExtractError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes)
        .map(str::to_string)
        .map_err(|e| ExtractError::InvalidUtf8 {
            offset: e.valid_up_to(),
        })
}

fn docx(bytes: &[u8]) -> Result<String, ExtractError> {
    let corrupt = |e: &dyn std::fmt::Display| ExtractError::CorruptDocx(e.to_string());
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
    let part = match zip.by_name("word/document.xml") {
        Ok(part) => part,
        Err(zip::result::ZipError::FileNotFound) => return Err(ExtractError::NotWord),
        Err(e) => return Err(corrupt(&e)),
    };
    let mut xml = Vec::new();
    part.take(MAX_XML_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| corrupt(&e))?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err(corrupt(&format!(
            "word/document.xml is larger than {MAX_XML_BYTES} bytes"
        )));
    }
    let xml = String::from_utf8(xml).map_err(|e| corrupt(&e))?;
    body_text(&xml).map_err(|e| corrupt(&e))
}

/// The body text of a `word/document.xml`: `w:t` runs, `w:tab` as a tab,
/// `w:br`/`w:cr` as a line break, a line per `w:p` paragraph.
fn body_text(xml: &str) -> Result<String, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event()? {
            Event::Start(e) => in_text = e.local_name().as_ref() == "t",
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => out.push('\t'),
                "br" | "cr" => out.push('\n'),
                _ => {}
            },
            Event::End(e) => {
                in_text = false;
                if e.local_name().as_ref() == "p" {
                    out.push('\n');
                }
            }
            Event::Text(t) if in_text => out.push_str(&t.xml10_content()),
            Event::CData(t) if in_text => out.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_text => {
                if let Some(c) = r.resolve_char_ref()? {
                    out.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(&r) {
                    out.push_str(s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(out.trim_end().to_string())
}

/// Word and PDF files for tests of the faces over [`extract`] (feature
/// `testing`): the CLI's and the server's tests upload them.
#[cfg(feature = "testing")]
pub mod testing {
    use std::io::Write;

    /// A one-page PDF with `lines` of text in Helvetica, one under the
    /// other (ASCII; parentheses and backslashes are escaped here).
    pub fn pdf_of(lines: &[&str]) -> Vec<u8> {
        let mut content = String::from("BT /F1 12 Tf 72 720 Td 14 TL");
        for line in lines {
            let escaped = line
                .replace('\\', "\\\\")
                .replace('(', "\\(")
                .replace(')', "\\)");
            content.push_str(&format!(" ({escaped}) Tj T*"));
        }
        content.push_str(" ET");
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
             /Resources << /Font << /F1 5 0 R >> >> >>"
                .to_string(),
            format!(
                "<< /Length {} >>\nstream\n{content}\nendstream",
                content.len()
            ),
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        ];
        let mut out = String::from("%PDF-1.4\n");
        let mut offsets = Vec::new();
        for (i, object) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.push_str(&format!("{} 0 obj\n{object}\nendobj\n", i + 1));
        }
        let xref = out.len();
        out.push_str(&format!(
            "xref\n0 {}\n0000000000 65535 f \n",
            objects.len() + 1
        ));
        for offset in offsets {
            out.push_str(&format!("{offset:010} 00000 n \n"));
        }
        out.push_str(&format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        ));
        out.into_bytes()
    }

    /// A zip archive of `(name, content)` entries, deflated.
    pub fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in entries {
            zip.start_file(*name, opts).expect("zip entry");
            zip.write_all(content.as_bytes()).expect("zip write");
        }
        zip.finish().expect("zip finish");
        out.into_inner()
    }

    /// A minimal .docx whose body holds `paragraphs`, one run each (the
    /// text is put in the XML as given: escape `&` and `<` yourself).
    pub fn docx_of(paragraphs: &[&str]) -> Vec<u8> {
        let body: String = paragraphs
            .iter()
            .map(|p| format!("<w:p><w:r><w:t>{p}</w:t></w:r></w:p>"))
            .collect();
        let xml = format!(
            r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
        );
        zip_of(&[("word/document.xml", &xml)])
    }
}

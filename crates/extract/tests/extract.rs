//! Extraction from real files made here (.docx by the `zip` crate) and
//! the bad inputs an upload form receives.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use unspin_extract::testing::{docx_of, pdf_of, zip_of};
use unspin_extract::{extract, ExtractError, Extractor, Format, PdfReader};

const DOCUMENT_XML: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body>
<w:p><w:r><w:t>They surpass the alliances of the </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>Chilly Conflict</w:t></w:r><w:r><w:t xml:space="preserve"> period.</w:t></w:r></w:p>
<w:p><w:r><w:t>R&amp;D costs</w:t><w:tab/><w:t>rose &#8212; a lot</w:t><w:br/><w:t>&#x201C;quoted&#x201D;</w:t></w:r></w:p>
<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>
</w:body>
</w:document>"#;

#[test]
fn docx_paragraphs_become_lines() {
    let file = zip_of(&[
        ("[Content_Types].xml", "<Types/>"),
        ("word/document.xml", DOCUMENT_XML),
    ]);
    let got = extract(&file).unwrap();
    assert_eq!(got.format, Format::Docx);
    assert_eq!(
        got.text,
        "They surpass the alliances of the Chilly Conflict period.\n\
         R&D costs\trose \u{2014} a lot\n\u{201C}quoted\u{201D}"
    );
}

#[test]
fn a_zip_that_is_not_word_or_is_cut_short_is_an_error() {
    let other = zip_of(&[("data.csv", "a,b\n")]);
    assert!(matches!(extract(&other), Err(ExtractError::NotWord)));
    let file = zip_of(&[("word/document.xml", DOCUMENT_XML)]);
    let cut = &file[..file.len() / 2];
    assert!(
        matches!(extract(cut), Err(ExtractError::CorruptDocx(_))),
        "{:?}",
        extract(cut)
    );
    let bad_xml = zip_of(&[("word/document.xml", "<w:p><w:t>x</w:p>")]);
    assert!(matches!(
        extract(&bad_xml),
        Err(ExtractError::CorruptDocx(_))
    ));
}

#[test]
fn a_pdf_is_refused_with_what_to_do_when_no_reader_is_set() {
    let err = extract(&pdf_of(&["text"])).unwrap_err();
    assert!(matches!(err, ExtractError::Pdf), "{err:?}");
    assert!(err.to_string().contains("pdftotext"), "{err}");
    assert_eq!(Format::sniff(b"%PDF-1.7"), Format::Pdf);
}

/// Poppler's `pdftotext`, which these tests need (`.ci/run` installs it).
fn poppler() -> Extractor {
    let reader = PdfReader::default();
    let found = std::process::Command::new(&reader.program)
        .arg("-v")
        .output()
        .is_ok();
    assert!(
        found,
        "these tests need pdftotext: apt-get install poppler-utils"
    );
    Extractor::with_pdf(reader)
}

#[test]
fn a_pdf_is_read_line_by_line_with_pdftotext() {
    let file = pdf_of(&[
        "They surpass the alliances of the Chilly Conflict period.",
        "An irregular woodland (a classifier) beats the base-",
        "line, by a wide margin -",
        "and fast.",
    ]);
    let got = poppler().extract(&file).unwrap();
    assert_eq!(got.format, Format::Pdf);
    // pdftotext puts a word hyphenated at a line end back together
    assert_eq!(
        got.text,
        "They surpass the alliances of the Chilly Conflict period.\n\
         An irregular woodland (a classifier) beats the baseline, by a wide margin and fast."
    );
    // the other formats read as before
    let e = poppler();
    assert_eq!(e.extract(b"plain").unwrap().text, "plain");
    let docx = e.extract(&docx_of(&["A impartial celebration."])).unwrap();
    assert_eq!(
        (docx.format, docx.text.as_str()),
        (Format::Docx, "A impartial celebration.")
    );
}

#[test]
fn a_corrupt_or_empty_pdf_is_an_error_that_says_so() {
    let e = poppler();
    let err = e.extract(b"%PDF-1.4\n1 0 obj << >> endobj").unwrap_err();
    assert!(matches!(err, ExtractError::CorruptPdf(_)), "{err:?}");
    // pdftotext's own words say what is wrong ("Couldn't read xref table")
    assert!(err.to_string().to_lowercase().contains("xref"), "{err}");
    let file = pdf_of(&[]);
    let err = e.extract(&file).unwrap_err();
    assert!(matches!(err, ExtractError::PdfNoText), "{err:?}");
    assert!(err.to_string().contains("OCR"), "{err}");
    // cut short
    let err = e.extract(&file[..file.len() / 2]).unwrap_err();
    assert!(matches!(err, ExtractError::CorruptPdf(_)), "{err:?}");
}

#[test]
fn a_missing_reader_says_what_to_install() {
    let e = Extractor::with_pdf(PdfReader {
        program: PathBuf::from("/nonexistent/pdftotext"),
        ..PdfReader::default()
    });
    let err = e.extract(&pdf_of(&["text"])).unwrap_err();
    assert!(
        matches!(err, ExtractError::PdfReaderMissing { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("poppler-utils"), "{err}");
}

/// A stand-in for pdftotext: a shell script running `body`.
fn fake_reader(dir: &Path, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("fake-pdftotext");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[test]
fn a_reader_that_hangs_is_killed_at_the_deadline() {
    let dir = tempfile::tempdir().unwrap();
    // it reads nothing and writes nothing: the PDF parser that loops
    let e = Extractor::with_pdf(PdfReader {
        program: fake_reader(dir.path(), "exec sleep 60"),
        timeout: Duration::from_millis(300),
        ..PdfReader::default()
    });
    let started = Instant::now();
    let err = e.extract(&pdf_of(&["text"])).unwrap_err();
    assert!(matches!(err, ExtractError::PdfTimeout { .. }), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    // one that writes without end is stopped too, its output capped
    let e = Extractor::with_pdf(PdfReader {
        program: fake_reader(dir.path(), "exec yes spun"),
        timeout: Duration::from_millis(300),
        max_text_bytes: 1000,
    });
    let err = e.extract(&pdf_of(&["text"])).unwrap_err();
    assert!(matches!(err, ExtractError::PdfTimeout { .. }), "{err:?}");
}

#[test]
fn a_reader_that_warns_at_length_is_heard_out() {
    let dir = tempfile::tempdir().unwrap();
    // a megabyte of warnings on a file it reads: its error output is read
    // to the end, not closed early (which would kill it mid-warning)
    let e = Extractor::with_pdf(PdfReader {
        program: fake_reader(
            dir.path(),
            "cat >/dev/null; yes 'Syntax Warning: bad xref' | head -c 1000000 >&2 && printf 'the text'",
        ),
        ..PdfReader::default()
    });
    assert_eq!(e.extract(&pdf_of(&["text"])).unwrap().text, "the text");
    // failing, it is quoted: its first complaints, not all of them
    let e = Extractor::with_pdf(PdfReader {
        program: fake_reader(
            dir.path(),
            "cat >/dev/null; yes 'Syntax Error: bad xref' | head -c 1000000 >&2; exit 1",
        ),
        ..PdfReader::default()
    });
    let err = e.extract(&pdf_of(&["text"])).unwrap_err();
    assert!(matches!(err, ExtractError::CorruptPdf(_)), "{err:?}");
    assert!(err.to_string().contains("Syntax Error: bad xref"), "{err}");
    assert!(err.to_string().len() < 300, "{err}");
}

#[test]
fn text_over_the_limit_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let e = Extractor::with_pdf(PdfReader {
        program: fake_reader(dir.path(), "cat >/dev/null; exec head -c 5000 /dev/zero"),
        max_text_bytes: 1000,
        ..PdfReader::default()
    });
    let err = e.extract(&pdf_of(&["text"])).unwrap_err();
    assert!(
        matches!(err, ExtractError::PdfTooLarge { max: 1000 }),
        "{err:?}"
    );
    // at the limit it is read
    let e = Extractor::with_pdf(PdfReader {
        program: fake_reader(dir.path(), "cat >/dev/null; printf 'spun text'"),
        max_text_bytes: 9,
        ..PdfReader::default()
    });
    assert_eq!(e.extract(&pdf_of(&["x"])).unwrap().text, "spun text");
}

#[test]
fn text_must_be_utf8_and_loses_its_byte_order_mark() {
    let got = extract(b"\xEF\xBB\xBFplain text").unwrap();
    assert_eq!(
        (got.format, got.text.as_str()),
        (Format::Text, "plain text")
    );
    assert_eq!(extract(b"").unwrap().text, "");
    let err = extract(b"caf\xC3\xA9 \xFF\x00binary").unwrap_err();
    assert!(
        matches!(err, ExtractError::InvalidUtf8 { offset: 6 }),
        "{err:?}"
    );
    assert!(err.to_string().contains("offset 6"), "{err}");
}

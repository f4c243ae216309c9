//! Extraction from real files made here (.docx by the `zip` crate) and
//! the bad inputs an upload form receives.

use unspin_extract::testing::zip_of;
use unspin_extract::{extract, ExtractError, Format};

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
fn a_pdf_is_refused_with_what_to_do() {
    let err = extract(b"%PDF-1.4\n1 0 obj << >> endobj").unwrap_err();
    assert!(matches!(err, ExtractError::Pdf), "{err:?}");
    assert!(err.to_string().contains("pdftotext"), "{err}");
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

//! Tortured-phrase fingerprint lists: load them, match them at scale.
//!
//! (Being written; see issue 6.)

use crate::record::Span;

/// A compiled list of tortured phrases, each with its expected wording.
#[derive(Debug, Default, Clone)]
pub struct Fingerprints {
    entries: Vec<(String, String)>,
}

/// One list hit in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// first character of the hit
    pub start: usize,
    /// one past the last character
    pub end: usize,
    /// the expected (original) wording
    pub expected: String,
}

impl Fingerprints {
    /// Loads a list from a file (PPS CSV export or TSV).
    pub fn from_path(_path: impl AsRef<std::path::Path>) -> crate::Result<Fingerprints> {
        Ok(Fingerprints::default())
    }

    /// Number of entries in the list.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the list is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every hit of the list in `text`, in input order.
    pub fn find(&self, _text: &str) -> Vec<Hit> {
        Vec::new()
    }

    /// Hits as detect spans.
    pub fn spans(&self, text: &str) -> Vec<Span> {
        self.find(text)
            .into_iter()
            .map(|h| Span {
                text: crate::text::slice_chars(text, h.start..h.end).unwrap_or("").to_string(),
                start: h.start,
                end: h.end,
                score: 0.99,
                suggestion: Some(h.expected),
                source: Some("list".into()),
            })
            .collect()
    }
}

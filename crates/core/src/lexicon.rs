//! The lexicon: synonym sets indexed both ways, with morphology.
//!
//! (Being written.)

use crate::error::Result;
use crate::model::{Container, ContainerWriter};

/// A loaded lexicon.
pub struct Lexicon {}

impl Lexicon {
    pub(crate) fn from_container(_c: &Container, _what: &str) -> Result<Lexicon> {
        Ok(Lexicon {})
    }
}

/// A lexicon under construction.
#[derive(Default)]
pub struct LexiconBuilder {}

impl LexiconBuilder {
    /// An empty lexicon.
    pub fn new() -> LexiconBuilder {
        LexiconBuilder::default()
    }

    /// Freezes the lexicon.
    pub fn build(self) -> LexiconParts {
        LexiconParts {}
    }
}

/// The stored form of a lexicon.
pub struct LexiconParts {}

impl LexiconParts {
    pub(crate) fn write(&self, _w: &mut ContainerWriter) {}
}

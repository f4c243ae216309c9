//! Detect and restore: the decoder over a lattice of candidate originals.
//!
//! (Being written.)

use std::sync::Arc;

use crate::fingerprints::Fingerprints;
use crate::model::Model;
use crate::record::{Detection, Restoration};

/// Detects and restores spun text with one model. Cheap to clone; share it
/// across threads.
#[derive(Clone, Debug)]
pub struct Unspinner {
    model: Model,
    fingerprints: Option<Arc<Fingerprints>>,
}

/// Builds an [`Unspinner`].
#[derive(Clone, Debug)]
pub struct UnspinnerBuilder {
    model: Model,
    fingerprints: Option<Arc<Fingerprints>>,
}

impl UnspinnerBuilder {
    /// Adds a tortured-phrase list whose hits count as strong evidence.
    pub fn fingerprints(&mut self, f: Fingerprints) -> &mut Self {
        self.fingerprints = Some(Arc::new(f));
        self
    }

    /// Freezes the configuration.
    pub fn build(&self) -> Unspinner {
        Unspinner {
            model: self.model.clone(),
            fingerprints: self.fingerprints.clone(),
        }
    }
}

impl Unspinner {
    /// An unspinner with a model and no fingerprint list.
    pub fn new(model: Model) -> Unspinner {
        Unspinner::builder(model).build()
    }

    /// A builder starting from a model.
    pub fn builder(model: Model) -> UnspinnerBuilder {
        UnspinnerBuilder {
            model,
            fingerprints: None,
        }
    }

    /// The model in use.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The fingerprint list in use, if any.
    pub fn fingerprints(&self) -> Option<&Fingerprints> {
        self.fingerprints.as_deref()
    }

    /// Finds the spun spans of `text` and scores the whole document.
    pub fn detect(&self, text: &str) -> Detection {
        let spans = self.fingerprints.as_ref().map(|f| f.spans(text)).unwrap_or_default();
        Detection {
            score: if spans.is_empty() { 0.0 } else { 0.99 },
            spans,
        }
    }

    /// Restores the most likely original wording of `text`.
    pub fn restore(&self, text: &str) -> Restoration {
        Restoration::apply(text, Vec::new())
    }
}

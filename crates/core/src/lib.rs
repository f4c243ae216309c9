//! # unspin-core
//!
//! The engine of unspin: it finds machine-spun text (words a spinner swapped
//! for thesaurus synonyms), restores the most likely original wording, and
//! leaves genuine text alone. It sets no I/O policy: callers hand it strings
//! and get plain values back ([`Detection`], [`Restoration`]).
//!
//! Main types:
//! - [`Model`]: the language model, lexicon and channel model, loaded from
//!   the built-in copy ([`Model::builtin`]) or a file ([`Model::open`]).
//! - [`Unspinner`]: detect and restore with a model and, optionally,
//!   tortured-phrase [`fingerprints::Fingerprints`].
//! - [`text::Text`]: tokenisation that keeps offsets into the input.
//! - [`spin::Spinner`]: a seeded spinner simulator for evaluation data.
//! - [`eval`]: the metrics of PRODUCT.md §5.
//! - [`rescore`]: a second opinion on detect's spans, fitted on pairs.
//! - [`residue`]: spinner residue found by rule (split numbers, spintax).
//! - [`style`]: residue of style (contractions, number words), applied to
//!   texts that read as spun.
//! - [`typos`]: misspelled words, read as what they misspell, and restored
//!   in texts that read as spun.
//!
//! ```no_run
//! use unspin_core::{Model, Unspinner};
//! let unspinner = Unspinner::new(Model::builtin().unwrap());
//! let restored = unspinner.restore("They conduct joint workout routines.");
//! println!("{}", restored.text);
//! ```
//!
//! Features: `builtin-model` (default) embeds the default model.
#![deny(missing_docs)]

pub mod build;
pub mod engine;
pub mod error;
pub mod eval;
pub mod fingerprints;
pub mod lexicon;
pub mod lm;
pub mod mine;
pub mod model;
pub mod numbers;
pub mod record;
pub mod rescore;
pub mod residue;
pub mod spelling;
pub mod spin;
pub mod style;
pub mod text;
pub mod train;
pub mod typos;

pub use engine::{Unspinner, UnspinnerBuilder};
pub use error::{Error, Result};
pub use model::Model;
pub use record::{Change, Detection, Restoration, Span};

#[cfg(test)]
mod auto_traits {
    fn assert_send_sync<T: Send + Sync + std::panic::UnwindSafe>() {}

    #[test]
    fn public_types_are_thread_safe() {
        assert_send_sync::<crate::Model>();
        assert_send_sync::<crate::Unspinner>();
        assert_send_sync::<crate::Detection>();
    }
}

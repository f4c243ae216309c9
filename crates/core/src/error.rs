//! Errors of the engine. Each names what failed and the bad value.

use std::path::PathBuf;

/// Any error of `unspin-core`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A model file could not be read.
    #[error("cannot read model {path}: {source}")]
    ModelIo {
        /// the file
        path: PathBuf,
        /// the cause
        source: std::io::Error,
    },
    /// A file is not an unspin model at all.
    #[error("{what} is not an unspin model (bad magic bytes)")]
    NotAModel {
        /// the file, or "built-in model"
        what: String,
    },
    /// A model written by another format version.
    #[error("{what} has model format version {found}; this unspin reads version {expected}: rebuild it with `unspin train`")]
    IncompatibleModel {
        /// the file
        what: String,
        /// its version
        found: u32,
        /// the version this build reads
        expected: u32,
    },
    /// A model whose bytes are damaged (checksum, truncation, bad section).
    #[error("{what} is corrupt: {reason}")]
    CorruptModel {
        /// the file
        what: String,
        /// what is wrong
        reason: String,
    },
    /// The library was built without the built-in model.
    #[error(
        "this build has no built-in model (feature `builtin-model` is off): pass --model PATH"
    )]
    NoBuiltinModel,
    /// A fingerprint list line could not be parsed.
    #[error("{file}:{line}: {reason}")]
    BadFingerprint {
        /// the list file
        file: String,
        /// 1-based line number
        line: usize,
        /// what is wrong
        reason: String,
    },
    /// Training input that cannot be used.
    #[error("training input: {0}")]
    Training(String),
    /// An I/O error while writing a model or reading a corpus.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

//! Errors of the reference index. Each names what failed and where.

use std::path::PathBuf;

/// Any error of `unspin-index`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The index directory does not exist.
    #[error("no index at {path}: build one with `unspin index build --index {path}`")]
    NotFound {
        /// the directory
        path: PathBuf,
    },
    /// `create` on a directory that already holds something.
    #[error(
        "{path} is not empty: pass --append to add to an existing index, or choose a new directory"
    )]
    AlreadyExists {
        /// the directory
        path: PathBuf,
    },
    /// A directory that is not an unspin index (a foreign tantivy index,
    /// or anything else).
    #[error("{path} is not an unspin index: {reason}")]
    NotAnIndex {
        /// the directory
        path: PathBuf,
        /// what was found instead
        reason: String,
    },
    /// An index written by another format version.
    #[error("{path} has index format version {found}; this unspin reads version {expected}: rebuild it with `unspin index build`")]
    IncompatibleVersion {
        /// the directory
        path: PathBuf,
        /// the version on disk
        found: u32,
        /// the version this build reads
        expected: u32,
    },
    /// An unspin index whose files are damaged or incomplete.
    #[error("index {path} is corrupt: {reason}; rebuild it with `unspin index build`")]
    Corrupt {
        /// the directory
        path: PathBuf,
        /// what is wrong
        reason: String,
    },
    /// Another process holds the index's write lock.
    #[error("index {path} is being written by another process (its write lock is taken)")]
    Locked {
        /// the directory
        path: PathBuf,
    },
    /// A document that cannot be indexed.
    #[error("document {id:?}: {reason}")]
    BadDocument {
        /// the document's id
        id: String,
        /// what is wrong
        reason: String,
    },
    /// An error of the index library.
    #[error("index library: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// An I/O error.
    #[error("{path}: {source}")]
    Io {
        /// the file or directory
        path: PathBuf,
        /// the cause
        source: std::io::Error,
    },
}

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

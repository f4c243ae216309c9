//! Errors that stop a scan. A bad record or an unreadable file does not:
//! it is reported as a [`crate::BadRecord`], skipped and counted.

use std::path::PathBuf;

/// A fatal scan error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A directory operand could not be walked.
    #[error("cannot list {path}: {reason}")]
    Walk {
        /// the directory
        path: PathBuf,
        /// why
        reason: String,
    },
    /// Writing the output failed (a broken pipe included).
    #[error("cannot write the output: {0}")]
    Output(#[source] std::io::Error),
    /// The output file of an interrupted scan cannot be resumed from.
    #[error("cannot resume from {path}: {reason}")]
    Resume {
        /// the output file
        path: PathBuf,
        /// why
        reason: String,
    },
    /// The inputs do not match the output being resumed.
    #[error("cannot resume: {0}")]
    ResumeMismatch(String),
    /// A combination of settings that cannot work.
    #[error("{0}")]
    Config(String),
}

impl Error {
    /// True when the output's reader went away (not worth reporting).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

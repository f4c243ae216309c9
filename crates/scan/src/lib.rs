//! # unspin-scan
//!
//! Streams a corpus through unspin's detector on every core with flat
//! memory: the library behind `unspin scan` and the Python binding's
//! JSONL helpers.
//!
//! Inputs are JSONL (`{"id", "text", ...}`, other fields passed through),
//! plain-text, Word (.docx) and PDF files and directories, and WARC files
//! (Common Crawl WARC and WET), each plain or gzip/zstd-compressed
//! ([`input`]). Output is one JSON line per good record — the record's
//! other fields, `id`, then the detect fields `score` and `spans`
//! (PRODUCT.md §4), plus `restored` and `changes` when restore is on — in
//! input order unless unordered output is asked for. A bad record is reported with file and line, skipped and
//! counted; it never stops the scan. An interrupted scan can be resumed
//! from its output file ([`resume`]).
//!
//! Main types:
//! - [`Scanner`] (built by [`ScannerBuilder`]): the pipeline, see [`scan`]
//!   for how reader, workers and writer are bounded.
//! - [`Record`] and [`parse_record`]: the JSONL record form shared by every
//!   unspin command.
//! - [`Observer`]: receives bad records and progress (the CLI draws its
//!   progress bar from it); [`Summary`]: the final counts and MB/s.
//! - [`Annotator`]: adds fields to each output record (trace matches).
//!
//! ```no_run
//! use unspin_core::{Model, Unspinner};
//! use unspin_scan::{input, Scanner};
//!
//! let scanner = Scanner::builder(Unspinner::new(Model::builtin()?)).threads(2).build();
//! let inputs = input::expand(&["corpus/".into()])?;
//! let summary = scanner.scan(&inputs, &mut std::io::stdout().lock(), None, &mut ())?;
//! eprintln!("{summary}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! No cargo features.
#![deny(missing_docs)]

pub mod error;
pub mod input;
pub mod record;
pub mod resume;
pub mod scan;
mod warc;

pub use error::Error;
pub use input::{FormatKind, Input};
pub use record::{decode, parse_record, Record};
pub use resume::ResumePoint;
pub use scan::{
    default_threads, Annotator, BadRecord, Location, Observer, Progress, Scanner, ScannerBuilder,
    Summary,
};
pub use warc::html_to_text;

#[cfg(test)]
mod auto_traits {
    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn public_types_are_thread_safe() {
        assert_send_sync::<crate::Scanner>();
        assert_send_sync::<crate::Record>();
        assert_send_sync::<crate::Summary>();
    }
}

//! `unspin extract`: the text of Word files, PDF files and text files, as
//! detect and restore read them (their offsets refer to this text).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

/// Flags of `unspin extract`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files to read: .docx, PDF (through Poppler's pdftotext) or UTF-8 text
    /// (told apart by their bytes).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for path in &args.files {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot open {}", path.display()))?;
        let text = crate::input::extract(&bytes, &path.display().to_string())?;
        writeln!(out, "{text}")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

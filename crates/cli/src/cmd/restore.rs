//! `unspin restore`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::{exit_code, ModelArgs};
use crate::input::{Format, InputArgs};
use crate::output;

/// Flags of `unspin restore`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    model: ModelArgs,
    /// Exit 1 when anything was changed.
    #[arg(long)]
    check: bool,
    /// Write JSON Lines even for plain-text input.
    #[arg(long)]
    json: bool,
    /// A reference index (`unspin index build`): restore exactly where the
    /// text aligns to an indexed source, and by the model elsewhere.
    #[arg(long, value_name = "DIR")]
    index: Option<std::path::PathBuf>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let unspinner = args.model.unspinner()?.parallel_sentences(true);
    let index = args
        .index
        .as_deref()
        .map(unspin_index::Index::open)
        .transpose()?;
    let plain = !args.json && args.input.format() == Format::Text;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut found = false;
    let report = args.input.for_each(|rec| {
        let r = match &index {
            Some(index) => unspin_index::restore_by_reference(index, &unspinner, &rec.text)?,
            None => unspinner.restore(&rec.text),
        };
        found |= !r.changes.is_empty();
        if plain {
            out.write_all(r.text.as_bytes())?;
            if !r.text.ends_with('\n') {
                out.write_all(b"\n")?;
            }
            for c in &r.changes {
                eprintln!(
                    "  {}..{}  {:?} -> {:?}  ({:.2})",
                    c.start, c.end, c.from, c.to, c.score
                );
            }
        } else {
            output::write_line(&mut out, &output::json_record(&rec, &r)?)?;
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(exit_code(report.skipped, args.check, found))
}

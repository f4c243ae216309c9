//! `unspin trace`: find the sources of suspect texts in a reference index.
//!
//! JSONL output, one line per input record (PRODUCT.md §4):
//! `{"id", "matches": [{"doc_id", "score", "coverage", "alignment": [...]}]}`,
//! best source first. Each alignment entry is a sentence pair
//! (`start`/`end` into the suspect, `source_start`/`source_end` into the
//! source, both texts) with its `substitutions` (spun `text` ↔ `original`).
//! Plain-text input without `--json` gets a readable view instead.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use unspin_index::{Index, Match};

use super::exit_code;
use crate::input::{Format, InputArgs};
use crate::output;

/// Flags of `unspin trace`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    /// The reference index (made by `unspin index build`).
    #[arg(long, value_name = "DIR")]
    index: PathBuf,
    /// Report at most this many sources per text.
    #[arg(short, long, default_value_t = 5)]
    k: usize,
    /// Exit 1 when a source was found for some text.
    #[arg(long)]
    check: bool,
    /// Write JSON Lines even for plain-text input.
    #[arg(long)]
    json: bool,
}

#[derive(serde::Serialize)]
struct Traced<'a> {
    matches: &'a [Match],
}

pub fn run(args: Args) -> Result<ExitCode> {
    let index = Index::open(&args.index)?;
    let plain = !args.json && args.input.format() == Format::Text;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut found = false;
    let report = args.input.for_each(|rec| {
        let matches = index.trace(&rec.text, args.k)?;
        found |= !matches.is_empty();
        if plain {
            write_human(&mut out, &rec.id, &matches)?;
        } else {
            output::write_line(
                &mut out,
                &output::json_record(&rec, &Traced { matches: &matches })?,
            )?;
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(exit_code(report.skipped, args.check, found))
}

fn write_human(out: &mut impl Write, id: &serde_json::Value, matches: &[Match]) -> Result<()> {
    let id = id.as_str().map_or_else(|| id.to_string(), str::to_string);
    if matches.is_empty() {
        writeln!(out, "{id}: no source found")?;
        return Ok(());
    }
    writeln!(out, "{id}:")?;
    for m in matches {
        writeln!(
            out,
            "  {}  score {:.3}  coverage {:.3}",
            m.doc_id, m.score, m.coverage
        )?;
        for p in &m.alignment {
            writeln!(
                out,
                "    [{}..{}] <- source [{}..{}]",
                p.start, p.end, p.source_start, p.source_end
            )?;
            for s in &p.substitutions {
                writeln!(out, "      {:?} <- {:?}", s.text, s.original)?;
            }
        }
    }
    Ok(())
}

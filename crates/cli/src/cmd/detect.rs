//! `unspin detect`.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;

use super::{exit_code, ModelArgs};
use crate::input::{Format, InputArgs};
use crate::output;

/// Flags of `unspin detect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    model: ModelArgs,
    /// Exit 1 when any document has a flagged span.
    #[arg(long)]
    check: bool,
    /// Write JSON Lines even on a terminal.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let unspinner = args.model.unspinner()?.parallel_sentences(true);
    let human = !args.json && args.input.format() == Format::Text && output::stdout_is_terminal();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut found = false;
    let report = args.input.for_each(|rec| {
        let d = unspinner.detect(&rec.text);
        found |= !d.spans.is_empty();
        if human {
            let spans: Vec<_> = d
                .spans
                .iter()
                .map(|s| (s.start, s.end, s.suggestion.clone(), s.score))
                .collect();
            writeln!(out, "{}", output::highlight(&rec.text, &spans, true))?;
            writeln!(
                out,
                "\n{} spun span(s); document spun probability {:.2}",
                d.spans.len(),
                d.score
            )?;
        } else {
            output::write_line(&mut out, &output::json_record(&rec, &d)?)?;
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(exit_code(report.skipped, args.check, found))
}

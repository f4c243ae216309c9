//! `unspin fit-spans`: fit detect's span model (the second opinion on each
//! span the decoder proposes, see `unspin_core::rescore`) on aligned
//! (original, spun) pairs, and print it as JSON for `--set span_model=…`
//! or a parameters file's `span_model`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use unspin_core::train::{fit_spans, spans::DEFAULT_L2};

use super::ModelArgs;

/// Flags of `unspin fit-spans`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Pairs (`{"id","original","spun","domain"}` JSONL): spun copies of
    /// the kind to detect, with their originals.
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    pairs: Vec<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
    /// The L2 penalty of the logistic fit (on standardised features).
    #[arg(long, default_value_t = DEFAULT_L2)]
    l2: f64,
    /// Write the span model here instead of to stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    if !(args.l2.is_finite() && args.l2 >= 0.0) {
        bail!("--l2 {}: the penalty must be a finite number >= 0", args.l2);
    }
    let u = args.model.unspinner()?;
    let mut pairs = Vec::new();
    for p in &args.pairs {
        pairs.extend(super::eval::load(p)?);
    }
    if pairs.is_empty() {
        bail!("no pairs to fit on");
    }
    let fit = fit_spans(&u, &pairs, args.l2);
    if !fit.model.is_on() {
        bail!(
            "cannot fit a span model: the {} span(s) the decoder proposed on {} pair(s) are all of one kind ({} cover a changed word)",
            fit.spans,
            pairs.len(),
            fit.positives
        );
    }
    eprintln!(
        "unspin fit-spans: {} pairs, {} spans ({} cover a changed word); threshold {}",
        pairs.len(),
        fit.spans,
        fit.positives,
        fit.model.threshold
    );
    eprintln!(
        "unspin fit-spans: on these pairs, span F1 {:.4} -> {:.4}, clean flags per 1,000 words {:.3} -> {:.3}",
        fit.before.0, fit.after.0, fit.before.1, fit.after.1
    );
    let json = serde_json::to_string_pretty(&fit.model)?;
    match &args.output {
        Some(path) => std::fs::write(path, json + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => writeln!(std::io::stdout(), "{json}")?,
    }
    Ok(ExitCode::SUCCESS)
}

//! `unspin eval`: every metric of PRODUCT.md §5 on aligned pairs.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use unspin_core::eval::{evaluate_pair, Pair, PairScore, Report};

use super::ModelArgs;

/// Flags of `unspin eval`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Pairs (`{"id","original","spun","domain"}` JSONL).
    #[arg(long, required = true, num_args = 1.., value_name = "FILE")]
    pairs: Vec<PathBuf>,
    #[command(flatten)]
    model: ModelArgs,
    /// Evaluate at most this many pairs (the first ones).
    #[arg(long)]
    limit: Option<usize>,
    /// Print only the JSON report.
    #[arg(long)]
    json: bool,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
}

/// Reads pairs (`{"id","original","spun","domain"}` JSONL); a bad line is an error.
pub(crate) fn load(path: &PathBuf) -> Result<Vec<Pair>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let p: Pair = serde_json::from_str(line)
            .with_context(|| format!("{}:{}: not a pair record", path.display(), i + 1))?;
        out.push(p);
    }
    Ok(out)
}

pub fn run(args: Args) -> Result<ExitCode> {
    let u = args.model.unspinner()?;
    let mut pairs = Vec::new();
    for p in &args.pairs {
        pairs.extend(load(p)?);
    }
    if let Some(l) = args.limit {
        pairs.truncate(l);
    }
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let chunk = pairs.len().div_ceil(threads).max(1);
    let scores: Vec<PairScore> = std::thread::scope(|s| {
        let handles: Vec<_> = pairs
            .chunks(chunk)
            .map(|c| {
                let u = &u;
                s.spawn(move || c.iter().map(|p| evaluate_pair(u, p)).collect::<Vec<_>>())
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("eval worker"))
            .collect()
    });
    let report = Report::from_scores(&scores);
    if !args.json {
        print!("{}", report.table());
    }
    println!("{}", serde_json::to_string(&report)?);
    Ok(ExitCode::SUCCESS)
}

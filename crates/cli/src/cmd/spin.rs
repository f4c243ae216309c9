//! `unspin spin`: make evaluation pairs with the spinner simulator.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use serde_json::Value;
use unspin_core::spin::{SpinOptions, Spinner};

use super::{exit_code, ModelArgs};
use crate::input::{Format, InputArgs};
use crate::output;

/// Flags of `unspin spin`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    model: ModelArgs,
    /// Share of eligible words to replace.
    #[arg(long, default_value_t = 0.3)]
    rate: f64,
    /// Random seed; the same seed gives the same output.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Spin every occurrence of a word or phrase in a text the same way
    /// (a spinner with a fixed dictionary), instead of deciding each afresh.
    #[arg(long)]
    consistent: bool,
    /// Exponent of a synonym's language-model probability in the draw
    /// (0: familiar and rare synonyms alike).
    #[arg(long, default_value_t = SpinOptions::default().familiarity)]
    familiarity: f64,
    /// Exponent of a synonym's channel probability in the draw.
    #[arg(long, default_value_t = SpinOptions::default().channel_power)]
    channel_power: f64,
    /// Relative rate for a capitalised word inside a sentence ("The Health
    /// Ministry" → "The Well being Ministry"); 0 spares them all as names.
    #[arg(long, default_value_t = SpinOptions::default().capitalised_rate)]
    capitalised_rate: f64,
    /// Fit "a"/"an" before a swapped word to the new word ("a longer" →
    /// "an extended"), as some spinner families do, instead of leaving it
    /// ("a impartial").
    #[arg(long)]
    fix_articles: bool,
    /// Share of lower-case words of four letters or more given a typo
    /// after the swaps (spinners "spin typos too").
    #[arg(long, default_value_t = SpinOptions::default().typo_rate)]
    typo_rate: f64,
    /// Write the spun text only, even for JSONL input.
    #[arg(long)]
    text: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    anyhow::ensure!(
        (0.0..=1.0).contains(&args.rate),
        "--rate must be between 0 and 1"
    );
    anyhow::ensure!(
        (0.0..=1.0).contains(&args.typo_rate),
        "--typo-rate must be between 0 and 1"
    );
    let model = args.model.model()?;
    for (name, x) in [
        ("--familiarity", args.familiarity),
        ("--channel-power", args.channel_power),
        ("--capitalised-rate", args.capitalised_rate),
    ] {
        anyhow::ensure!(
            x.is_finite() && (0.0..=4.0).contains(&x),
            "{name} must be between 0 and 4"
        );
    }
    let spinner = Spinner::new(
        &model,
        SpinOptions {
            rate: args.rate,
            seed: args.seed,
            consistent: args.consistent,
            familiarity: args.familiarity,
            channel_power: args.channel_power,
            capitalised_rate: args.capitalised_rate,
            fix_articles: args.fix_articles,
            typo_rate: args.typo_rate,
            ..SpinOptions::default()
        },
    );
    let pairs = !args.text && args.input.format() == Format::Jsonl;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut n = 0u64;
    let report = args.input.for_each(|rec| {
        let spun = spinner.spin(&rec.text, n);
        n += 1;
        if pairs {
            let mut obj = serde_json::Map::new();
            obj.insert("id".into(), rec.id.clone());
            obj.insert("original".into(), Value::String(rec.text.clone()));
            obj.insert("spun".into(), Value::String(spun));
            let domain = rec.extra.get("domain").cloned().unwrap_or(Value::Null);
            obj.insert("domain".into(), domain);
            output::write_line(&mut out, &Value::Object(obj))?;
        } else {
            out.write_all(spun.as_bytes())?;
            if !spun.ends_with('\n') {
                out.write_all(b"\n")?;
            }
        }
        Ok(())
    })?;
    out.flush()?;
    Ok(exit_code(report.skipped, false, false))
}

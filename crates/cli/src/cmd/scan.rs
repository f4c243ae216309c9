//! `unspin scan`: the command-line face of `unspin_scan`. It turns flags
//! into a [`Scanner`], draws the progress bar (only when stderr is a
//! terminal), reports bad records and prints the summary; the library does
//! the rest.

use std::fs::File;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Map, Value};
use unspin_scan::{input, Annotator, BadRecord, FormatKind, Observer, Progress, Record, Scanner};

use super::{exit_code, ModelArgs};

/// Input format of `unspin scan`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ScanFormat {
    /// one `{"id", "text", ...}` record per line
    Jsonl,
    /// each file is one document (a Word .docx file or a PDF gives its text)
    Text,
    /// WARC / WET records (Common Crawl)
    Warc,
}

/// Flags of `unspin scan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Inputs: JSONL, plain-text, Word (.docx) and PDF files, directories,
    /// WARC/WET; plain, gzip or zstd. Standard input when none (or "-").
    files: Vec<PathBuf>,
    /// Input format for every input (default: from each file's name, else
    /// its first bytes).
    #[arg(long, value_enum)]
    format: Option<ScanFormat>,
    #[command(flatten)]
    model: ModelArgs,
    /// Also restore each document: adds "restored" and "changes".
    #[arg(long)]
    restore: bool,
    /// Trace each document in this reference index (`unspin index build`):
    /// adds "matches", as `unspin trace` answers them.
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
    /// Sources kept per document with --index.
    #[arg(short = 'k', long, default_value_t = 5, requires = "index")]
    k: usize,
    /// Write the results to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Continue an interrupted scan: keep the records already in --output
    /// and append the rest (same inputs, same order).
    #[arg(long, requires = "output")]
    resume: bool,
    /// Write results as they finish rather than in input order.
    #[arg(long, conflicts_with = "resume")]
    unordered: bool,
    /// Worker threads (default: $UNSPIN_THREADS, else every core).
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,
    /// Records per batch handed to a worker.
    #[arg(long, value_name = "N", default_value_t = 64)]
    batch_size: usize,
    /// Replace invalid UTF-8 with U+FFFD instead of skipping the record.
    #[arg(long)]
    lossy: bool,
    /// Largest document in bytes (a JSONL line without its line ending, a
    /// text file, a WARC record); a larger one is reported and skipped
    /// without being held in memory. 0: no limit.
    #[arg(long, value_name = "BYTES", default_value_t = unspin_scan::input::DEFAULT_MAX_DOC_BYTES)]
    max_doc_bytes: usize,
    /// Exit 1 when any document scores as spun.
    #[arg(long)]
    check: bool,
    /// No summary line at the end (bad records are still reported).
    #[arg(short, long)]
    quiet: bool,
}

/// Adds `matches` from a reference index.
struct Trace {
    index: unspin_index::Index,
    k: usize,
}

impl Annotator for Trace {
    fn annotate(&self, record: &Record, out: &mut Map<String, Value>) -> Result<(), String> {
        let matches = self
            .index
            .trace(&record.text, self.k)
            .map_err(|e| format!("trace: {e}"))?;
        let v = serde_json::to_value(matches).map_err(|e| format!("trace: {e}"))?;
        out.insert("matches".into(), v);
        Ok(())
    }
}

/// Reports bad records on stderr and drives the progress bar.
struct Reporter {
    bar: Option<ProgressBar>,
}

impl Observer for Reporter {
    fn bad(&mut self, bad: &BadRecord) {
        let msg = format!("unspin: {bad}: skipped");
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{msg}")),
            None => eprintln!("{msg}"),
        }
    }

    fn progress(&mut self, p: &Progress) {
        if let Some(bar) = &self.bar {
            bar.set_position(p.raw_bytes_read);
            bar.set_message(format!(
                "{} docs, {} spun, {} bad",
                p.documents, p.spun, p.bad
            ));
        }
    }
}

fn threads(flag: Option<usize>) -> Result<usize> {
    if let Some(n) = flag {
        return Ok(n);
    }
    match std::env::var("UNSPIN_THREADS") {
        Ok(v) => v
            .trim()
            .parse()
            .with_context(|| format!("UNSPIN_THREADS={v:?} is not a number")),
        Err(_) => Ok(0),
    }
}

fn progress_bar(inputs: &[input::Input]) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let total: Option<u64> = inputs
        .iter()
        .map(|i| match i {
            input::Input::Path(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            input::Input::Stdin => None,
        })
        .sum();
    let bar = match total {
        Some(t) => ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta} {msg}",
            )
            .expect("valid template"),
        ),
        None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
            ProgressStyle::with_template("{spinner} {bytes} read {binary_bytes_per_sec} {msg}")
                .expect("valid template"),
        ),
    };
    Some(bar)
}

pub fn run(args: Args) -> Result<ExitCode> {
    let unspinner = args.model.unspinner()?;
    let format = args.format.map(|f| match f {
        ScanFormat::Jsonl => FormatKind::Jsonl,
        ScanFormat::Text => FormatKind::Text,
        ScanFormat::Warc => FormatKind::Warc,
    });
    if args.batch_size == 0 {
        bail!("--batch-size must be at least 1");
    }
    let mut builder = Scanner::builder(unspinner);
    builder
        .threads(threads(args.threads)?)
        .batch_records(args.batch_size)
        .ordered(!args.unordered)
        .restore(args.restore)
        .lossy(args.lossy)
        .max_doc_bytes(args.max_doc_bytes)
        .format(format);
    if let Some(dir) = &args.index {
        let index = unspin_index::Index::open(dir)
            .with_context(|| format!("cannot open the index {}", dir.display()))?;
        builder.annotator(std::sync::Arc::new(Trace { index, k: args.k }));
    }
    let scanner = builder.build();
    let inputs = input::expand(&args.files)?;
    let mut resume_point = None;
    let sink: Box<dyn Write> = match &args.output {
        Some(path) if args.resume => {
            let (point, file) = unspin_scan::resume::prepare(path)?;
            if point.records > 0 && !args.quiet {
                eprintln!(
                    "unspin: resuming after {} record(s) already in {}",
                    point.records,
                    path.display()
                );
            }
            resume_point = Some(point);
            Box::new(file)
        }
        Some(path) => Box::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, sink);
    let mut reporter = Reporter {
        bar: progress_bar(&inputs),
    };
    let summary = scanner.scan(&inputs, &mut out, resume_point.as_ref(), &mut reporter);
    if let Some(bar) = &reporter.bar {
        bar.finish_and_clear();
    }
    let summary = summary?;
    out.flush()?;
    if !args.quiet {
        eprintln!("unspin scan: {summary}");
    }
    Ok(exit_code(
        summary.counts.bad as usize,
        args.check,
        summary.counts.spun > 0,
    ))
}

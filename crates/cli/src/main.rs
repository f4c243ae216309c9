//! `unspin`: find machine-spun text, restore the original wording, trace the
//! source. This binary only parses flags, reads input and prints; the work is
//! done by the library crates.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;
mod input;
mod output;

/// Find machine-spun text, restore its original wording, trace its source.
#[derive(Parser)]
#[command(name = "unspin", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Flag spun spans with a confidence and a suggested original.
    Detect(cmd::detect::Args),
    /// Rewrite spun text back to its most likely original wording.
    Restore(cmd::restore::Args),
    /// Build a model from a corpus and/or aligned (original, spun) pairs.
    Train(cmd::train::Args),
    /// Spin text with a seeded spinner simulator (to make evaluation data).
    Spin(cmd::spin::Args),
    /// Score detect and restore on aligned (original, spun) pairs.
    Eval(cmd::eval::Args),
    /// Fit detect's span model (a second opinion on each span) on aligned pairs.
    FitSpans(cmd::fit_spans::Args),
    /// Build or extend a reference index of source documents.
    #[command(subcommand)]
    Index(cmd::index::Command),
    /// Find the sources of suspect texts in a reference index, with alignments.
    Trace(cmd::trace::Args),
    /// Stream corpora (JSONL, text, WARC) through detect on all cores.
    Scan(cmd::scan::Args),
    /// Serve the HTTP JSON API and the web page.
    Serve(cmd::serve::Args),
    /// Mine a corpus for candidate tortured phrases.
    Mine(cmd::mine::Args),
    /// Print the text of a Word file (.docx), a PDF or a text file: what
    /// detect and restore analyse, and what their offsets refer to.
    Extract(cmd::extract::Args),
}

fn main() -> ExitCode {
    // a damaged index makes its library panic: that is caught and reported
    // as a corrupt index, without a panic message on top
    unspin_index::install_panic_hook();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Detect(a) => cmd::detect::run(a),
        Command::Restore(a) => cmd::restore::run(a),
        Command::Train(a) => cmd::train::run(a),
        Command::Spin(a) => cmd::spin::run(a),
        Command::Eval(a) => cmd::eval::run(a),
        Command::FitSpans(a) => cmd::fit_spans::run(a),
        Command::Index(c) => cmd::index::run(c),
        Command::Trace(a) => cmd::trace::run(a),
        Command::Scan(a) => cmd::scan::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Mine(a) => cmd::mine::run(a),
        Command::Extract(a) => cmd::extract::run(a),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            if output::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("unspin: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

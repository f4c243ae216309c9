//! `unspin mine`: discover candidate tortured phrases in a corpus.
//!
//! Reads the suspect corpus (`--corpus`) and, optionally, clean reference
//! text (`--reference`), runs [`unspin_core::mine::Miner`] with the built-in
//! thesaurus (or a MyThes file given with `--thesaurus`) and the language
//! model of the built-in model (or of `--model`; `--no-lm` for none),
//! learning from a known list when one is given (`--fingerprints`), and
//! writes the
//! best candidates in the TSV list format (`tortured<TAB>expected`), or as
//! JSON lines with their evidence (`--jsonl`). A `.jsonl` file holds one
//! document per line (the `--field` value: a string, or an array of strings
//! that are joined); any other file is one document. A bad JSONL line is
//! reported with its file and line and skipped, and the run exits 2.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use serde_json::Value;
use unspin_core::fingerprints::Fingerprints;
use unspin_core::mine::{write_tsv, MineOptions, Miner, Thesaurus};
use unspin_core::Model;

/// Flags of `unspin mine`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The suspect corpus: JSONL (one document per line) or text files.
    #[arg(long, required = true, num_args = 1.., value_name = "FILES")]
    corpus: Vec<PathBuf>,
    /// Clean reference text, the same formats: phrases found there are not
    /// tortured, and its frequent phrases are established terms.
    #[arg(long, num_args = 1.., value_name = "FILES")]
    reference: Vec<PathBuf>,
    /// The JSONL field holding the text (a string or an array of strings).
    #[arg(long, default_value = "text", value_name = "NAME")]
    field: String,
    /// A list of known tortured phrases (PPS CSV or TSV): they are not
    /// proposed again, and their word substitutions count as evidence.
    #[arg(long, value_name = "FILE")]
    fingerprints: Option<PathBuf>,
    /// A MyThes thesaurus file (th_*.dat) instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    thesaurus: Option<PathBuf>,
    /// A model file made by `unspin train` whose language model ranks the
    /// candidates, instead of the built-in model's.
    #[arg(long, value_name = "PATH", conflicts_with = "no_lm")]
    model: Option<PathBuf>,
    /// Rank without a language model (domain evidence only).
    #[arg(long)]
    no_lm: bool,
    /// How many candidates to write (0 for all).
    #[arg(long, default_value_t = 100)]
    top: usize,
    /// Occurrences that make a phrase an established term.
    #[arg(long, default_value_t = 3)]
    min_established: usize,
    /// Most occurrences a candidate may have in the reference.
    #[arg(long, default_value_t = 0)]
    max_clean: usize,
    /// Fewest corpus documents a candidate must occur in (1 to see the
    /// phrases of a single document too).
    #[arg(long, default_value_t = 2)]
    min_docs: usize,
    /// Write JSON lines with the evidence instead of TSV.
    #[arg(long)]
    jsonl: bool,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let thesaurus = match &args.thesaurus {
        Some(p) => {
            let f = std::fs::File::open(p)
                .with_context(|| format!("cannot open thesaurus {}", p.display()))?;
            Thesaurus::from_mythes(BufReader::new(f))
                .with_context(|| format!("cannot read thesaurus {}", p.display()))?
        }
        None => Thesaurus::builtin(),
    };
    let options = MineOptions {
        min_established: args.min_established,
        max_clean: args.max_clean,
        min_docs: args.min_docs,
        ..MineOptions::default()
    };
    let model = match (&args.model, args.no_lm) {
        (_, true) => None,
        (Some(p), false) => {
            Some(Model::open(p).with_context(|| format!("cannot load model {}", p.display()))?)
        }
        (None, false) => Some(Model::builtin().context("cannot load the built-in model")?),
    };
    let mut miner = Miner::new(&thesaurus, options);
    if let Some(m) = &model {
        miner.set_language_model(m.lm());
    }
    if let Some(path) = &args.fingerprints {
        let list = Fingerprints::from_path(path)
            .with_context(|| format!("cannot load fingerprints {}", path.display()))?;
        miner.learn_from_list(list.entries().iter().map(|e| (e.phrase(), e.suggestion())));
    }
    let mut skipped = 0usize;
    for path in &args.corpus {
        skipped += read_documents(path, &args.field, |t| miner.add_corpus(t))?;
    }
    for path in &args.reference {
        skipped += read_documents(path, &args.field, |t| miner.add_reference(t))?;
    }
    let mut found = miner.candidates();
    if args.top > 0 {
        found.truncate(args.top);
    }
    let (docs, refs) = miner.documents();
    eprintln!(
        "unspin mine: {docs} corpus and {refs} reference documents; {} candidates written",
        found.len()
    );
    if docs < args.min_docs {
        eprintln!(
            "unspin mine: note: a candidate must occur in {} corpus documents \
             (--min-docs); use --min-docs 1 to mine fewer",
            args.min_docs
        );
    }
    let mut out: Box<dyn Write> = match &args.output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    if args.jsonl {
        for c in &found {
            writeln!(out, "{}", serde_json::to_string(c)?)?;
        }
    } else {
        write_tsv(&found, &mut out)?;
    }
    out.flush()?;
    if skipped > 0 {
        eprintln!("unspin: {skipped} bad record(s) skipped");
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}

/// Calls `f` on every document of `path`; returns the number of bad JSONL
/// lines skipped (each reported on stderr).
fn read_documents(path: &Path, field: &str, mut f: impl FnMut(&str)) -> Result<usize> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    if !path.extension().is_some_and(|e| e == "jsonl") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut BufReader::new(file), &mut text)
            .with_context(|| format!("cannot read {} as UTF-8 text", path.display()))?;
        f(&text);
        return Ok(0);
    }
    let mut skipped = 0;
    for (i, line) in BufReader::new(file).split(b'\n').enumerate() {
        let line = line.with_context(|| format!("cannot read {}", path.display()))?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match document(&line, field) {
            Ok(t) => f(&t),
            Err(reason) => {
                skipped += 1;
                eprintln!("unspin: {}:{}: skipped: {reason}", path.display(), i + 1);
            }
        }
    }
    Ok(skipped)
}

fn document(line: &[u8], field: &str) -> Result<String, String> {
    let v: Value = serde_json::from_slice(line).map_err(|e| format!("bad JSON: {e}"))?;
    match v.get(field) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(Value::Array(a)) => {
            let parts: Option<Vec<&str>> = a.iter().map(Value::as_str).collect();
            parts
                .map(|p| p.join(" "))
                .ok_or_else(|| format!("`{field}` is an array with non-string items"))
        }
        Some(_) => Err(format!("`{field}` is not a string or an array of strings")),
        None => Err(format!("no `{field}` field")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_from_fields() {
        assert_eq!(document(br#"{"text": "a b"}"#, "text").unwrap(), "a b");
        assert_eq!(
            document(br#"{"sentences": ["a.", "b."]}"#, "sentences").unwrap(),
            "a. b."
        );
        assert!(document(br#"{"id": 1}"#, "text")
            .unwrap_err()
            .contains("no `text`"));
        assert!(document(b"{", "text").unwrap_err().contains("bad JSON"));
        assert!(document(br#"{"text": 3}"#, "text").is_err());
    }
}

//! `unspin index …`: build or extend a reference index of source documents.
//!
//! Input is JSONL (`{"id", "text"}` per line; other fields are ignored) or
//! plain-text, Word (.docx) and PDF files (one document each, the path as
//! its id). A bad line (bad JSON, no `id`, no `text`, an empty text) or a
//! Word or PDF file that cannot be read is reported with its file (and
//! line number) and skipped; the run goes on and exits 2. The index is
//! committed every `--commit-every` documents and at the end, so a build
//! that is killed keeps everything committed before. The last document
//! added under an id wins (see `unspin_index`'s docs).

use std::io::{BufReader, Read};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use serde_json::Value;
use unspin_index::{Added, Index};
use unspin_scan::input::{read_doc_limited, read_line_limited, too_large, LineRead};

use crate::input::{decode, Format};

/// Subcommands of `unspin index`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Build (or with --append, extend) an index.
    Build(BuildArgs),
}

/// Flags of `unspin index build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The index directory (created; must be new or empty unless --append).
    #[arg(long, value_name = "DIR")]
    index: PathBuf,
    /// Add to an existing index instead of creating one.
    #[arg(long)]
    append: bool,
    /// Input files; standard input when none (or "-").
    files: Vec<PathBuf>,
    /// Input format; `jsonl` when every file ends in .jsonl, else `text`.
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Commit (make durable) after this many documents.
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    commit_every: usize,
    /// Print no progress.
    #[arg(long, short)]
    quiet: bool,
    /// Largest document in bytes (a text input, or a JSONL line without its
    /// line ending); a larger one is reported and skipped. 0: no limit.
    #[arg(long, value_name = "BYTES", default_value_t = crate::input::DEFAULT_MAX_DOC_BYTES)]
    max_doc_bytes: usize,
}

#[derive(Default)]
struct Stats {
    new: usize,
    replaced: usize,
    skipped: usize,
    bytes: usize,
}

pub fn run(c: Command) -> Result<ExitCode> {
    match c {
        Command::Build(a) => build(a),
    }
}

fn build(args: BuildArgs) -> Result<ExitCode> {
    let index = if args.append {
        Index::open(&args.index)?
    } else {
        Index::create(&args.index)?
    };
    let mut writer = index.writer()?;
    let format = crate::input::format_of(&args.files, args.format);
    let sources = crate::input::sources_of(&args.files);
    let started = Instant::now();
    let mut stats = Stats::default();
    let commit_every = args.commit_every.max(1);
    let quiet = args.quiet;
    let max = crate::input::doc_limit(args.max_doc_bytes);
    let dir = args.index.display().to_string();
    let add = |stats: &mut Stats,
               writer: &mut unspin_index::IndexWriter,
               name: &str,
               line: usize,
               id: String,
               text: String|
     -> Result<()> {
        match writer.add(&id, &text) {
            Ok(Added::Replaced) => {
                stats.replaced += 1;
                eprintln!("unspin: {name}:{line}: id {id:?} was already indexed: replaced (the last document wins)");
            }
            Ok(_) => stats.new += 1,
            Err(e @ unspin_index::Error::BadDocument { .. }) => {
                stats.skipped += 1;
                eprintln!("unspin: {name}:{line}: skipped: {e}");
                return Ok(());
            }
            Err(e) => return Err(e).with_context(|| format!("cannot write the index {dir}")),
        }
        stats.bytes += text.len();
        if writer.pending() >= commit_every {
            writer
                .commit()
                .with_context(|| format!("cannot write the index {dir}"))?;
            if !quiet {
                let secs = started.elapsed().as_secs_f64();
                eprintln!(
                    "unspin: committed {} documents ({:.1} MB, {:.1} MB/s)",
                    stats.new + stats.replaced,
                    stats.bytes as f64 / 1e6,
                    stats.bytes as f64 / 1e6 / secs.max(1e-9)
                );
            }
        }
        Ok(())
    };
    for src in sources {
        let name = src
            .as_ref()
            .map_or("<stdin>".to_string(), |p| p.display().to_string());
        let reader: Box<dyn Read> = match &src {
            Some(p) => Box::new(
                std::fs::File::open(p).with_context(|| format!("cannot open {}", p.display()))?,
            ),
            None => Box::new(std::io::stdin().lock()),
        };
        match format {
            Format::Text => {
                let bytes = match read_doc_limited(&mut BufReader::new(reader), max)
                    .with_context(|| format!("cannot read {name}"))?
                {
                    Ok(bytes) => bytes,
                    Err(n) => {
                        stats.skipped += 1;
                        eprintln!(
                            "unspin: {name}: skipped: {}",
                            too_large(&format!("a document of {n} bytes or more"), max)
                        );
                        continue;
                    }
                };
                // a Word file or a PDF is indexed as its text; one that
                // cannot be read is skipped, and the build goes on
                let text = if unspin_extract::Format::sniff(&bytes) != unspin_extract::Format::Text
                {
                    match crate::input::extract(&bytes, &name) {
                        Ok(text) => text,
                        Err(e) => {
                            stats.skipped += 1;
                            eprintln!("unspin: {name}: skipped: {e:#}");
                            continue;
                        }
                    }
                } else {
                    decode(bytes, false).with_context(|| format!("{name} is not valid UTF-8"))?
                };
                add(&mut stats, &mut writer, &name, 1, name.clone(), text)?;
            }
            Format::Jsonl => {
                let mut reader = BufReader::with_capacity(1 << 16, reader);
                let mut line = Vec::new();
                let mut lineno = 0usize;
                loop {
                    let read = read_line_limited(&mut reader, &mut line, max)
                        .with_context(|| format!("cannot read {name}"))?;
                    lineno += 1;
                    match read {
                        LineRead::Eof => break,
                        LineRead::Line => {}
                        LineRead::TooLong { len } => {
                            stats.skipped += 1;
                            let reason = too_large(&format!("a line of {len} bytes"), max);
                            eprintln!("unspin: {name}:{lineno}: skipped: {reason}");
                            continue;
                        }
                    }
                    match parse_doc(&line) {
                        Ok(Some((id, text))) => {
                            add(&mut stats, &mut writer, &name, lineno, id, text)?
                        }
                        Ok(None) => {}
                        Err(reason) => {
                            stats.skipped += 1;
                            eprintln!("unspin: {name}:{lineno}: skipped: {reason}");
                        }
                    }
                }
            }
        }
    }
    writer
        .finish()
        .with_context(|| format!("cannot write the index {dir}"))?;
    index.reload()?;
    let secs = started.elapsed().as_secs_f64();
    if !quiet {
        eprintln!(
            "unspin: index {}: {} new, {} replaced, {} skipped; {} documents in total ({:.1} MB in {:.1} s, {:.1} MB/s)",
            args.index.display(),
            stats.new,
            stats.replaced,
            stats.skipped,
            index.num_docs(),
            stats.bytes as f64 / 1e6,
            secs,
            stats.bytes as f64 / 1e6 / secs.max(1e-9)
        );
    }
    Ok(super::exit_code(stats.skipped, false, false))
}

/// Parses one JSONL document line: `Ok(None)` for a blank line; the id may
/// be a string or a number.
fn parse_doc(line: &[u8]) -> Result<Option<(String, String)>, String> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let s = std::str::from_utf8(line).map_err(|e| {
        format!(
            "invalid UTF-8 at byte offset {} of the line",
            e.valid_up_to()
        )
    })?;
    let Value::Object(obj) = serde_json::from_str(s).map_err(|e| format!("bad JSON: {e}"))? else {
        return Err("not a JSON object".into());
    };
    let id = match obj.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return Err("field \"id\" is not a string or a number".into()),
        None => return Err("no \"id\" field (an index needs an id per document)".into()),
    };
    let text = match obj.get("text") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err("field \"text\" is not a string".into()),
        None => return Err("no \"text\" field".into()),
    };
    Ok(Some((id, text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_need_an_id_and_a_text() {
        assert_eq!(
            parse_doc(br#"{"id":"a","text":"t"}"#),
            Ok(Some(("a".into(), "t".into())))
        );
        assert_eq!(
            parse_doc(br#"{"id":7,"text":"t"}"#),
            Ok(Some(("7".into(), "t".into())))
        );
        assert!(parse_doc(br#"{"text":"t"}"#)
            .unwrap_err()
            .contains("no \"id\""));
        assert!(parse_doc(br#"{"id":"a"}"#)
            .unwrap_err()
            .contains("no \"text\""));
        assert!(parse_doc(br#"{"id":[1],"text":"t"}"#)
            .unwrap_err()
            .contains("\"id\""));
        assert!(parse_doc(b"nope").unwrap_err().contains("bad JSON"));
        assert_eq!(parse_doc(b"  \n"), Ok(None));
    }
}

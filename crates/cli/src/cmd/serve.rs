//! `unspin serve`: the HTTP JSON API and the web page (unspin-server).
//!
//! This module only turns flags into a configured server and adapts the
//! reference index (unspin-index) to the server's `Tracer` extension point.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use unspin_core::{Restoration, Unspinner};
use unspin_index::Index;
use unspin_server::logging::{self, LogFormat};
use unspin_server::{Server, TraceError, Tracer};

use super::ModelArgs;

/// Flags of `unspin serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on (port 0 picks a free port; the address bound is
    /// printed on stderr).
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    #[command(flatten)]
    model: ModelArgs,
    /// A reference index (`unspin index build`): enables /v1/trace and
    /// restoration by reference.
    #[arg(long, value_name = "DIR")]
    index: Option<PathBuf>,
    /// Most sources /v1/trace returns per document.
    #[arg(long, value_name = "N", default_value_t = 10)]
    top: usize,
    /// Largest request body, in bytes; larger ones get 413.
    #[arg(long, value_name = "BYTES", default_value_t = 2 * 1024 * 1024)]
    body_limit: usize,
    /// Largest file uploaded to /v1/extract (the web page's .txt, .docx or
    /// .pdf upload), in bytes; larger ones get 413.
    #[arg(long, value_name = "BYTES", default_value_t = 32 * 1024 * 1024)]
    upload_limit: usize,
    /// Longest time a request may take, in seconds (queueing included);
    /// slower ones get 503.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0, value_parser = parse_seconds)]
    timeout: f64,
    /// Most analyses running at once; more wait their turn.
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..))]
    concurrency: u32,
    /// Write request logs as JSON lines instead of key=value text.
    #[arg(long)]
    log_json: bool,
}

fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 86_400.0 => Ok(v),
        _ => Err(format!(
            "{s:?} is not a number of seconds between 0 and 86400"
        )),
    }
}

/// The reference index, as the server's tracer.
struct IndexTracer {
    index: Index,
    top: usize,
}

impl Tracer for IndexTracer {
    fn trace(&self, text: &str) -> Result<Vec<serde_json::Value>, TraceError> {
        let matches = self.index.trace(text, self.top).map_err(TraceError::new)?;
        matches
            .iter()
            .map(|m| serde_json::to_value(m).map_err(TraceError::new))
            .collect()
    }

    fn restore(&self, unspinner: &Unspinner, text: &str) -> Result<Restoration, TraceError> {
        unspin_index::restore_by_reference(&self.index, unspinner, text).map_err(TraceError::new)
    }

    fn describe(&self) -> String {
        format!(
            "{} ({} documents)",
            self.index.path().display(),
            self.index.num_docs()
        )
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    logging::init(if args.log_json {
        LogFormat::Json
    } else {
        LogFormat::Text
    });
    // the index first: it is quicker to find a bad path than to load a model
    let index = match &args.index {
        Some(dir) => {
            Some(Index::open(dir).with_context(|| format!("cannot open index {}", dir.display()))?)
        }
        None => None,
    };
    let unspinner = args.model.unspinner()?;
    let mut builder = Server::builder(unspinner);
    builder
        .body_limit(args.body_limit)
        .upload_limit(args.upload_limit)
        .timeout(Duration::from_secs_f64(args.timeout))
        .concurrency(args.concurrency as usize);
    if let Some(index) = index {
        builder.tracer(Arc::new(IndexTracer {
            index,
            top: args.top.max(1),
        }));
    }
    builder
        .build()
        .run(args.addr, |bound| {
            eprintln!("unspin: serving on http://{bound}/")
        })
        .with_context(|| format!("cannot serve on {}", args.addr))?;
    Ok(ExitCode::SUCCESS)
}

//! Request logs: a `tracing` subscriber writing to standard error.
//!
//! Every request is one event inside a `request` span that carries an `id`,
//! the `method` and the `path`; the event carries `status` and `latency_ms`.
//! In [`LogFormat::Json`] each event is one JSON object per line, ready for a
//! log pipeline; [`LogFormat::Text`] is the same fields as `key=value`. The
//! level comes from `RUST_LOG` (default `info`).

use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum LogFormat {
    /// `key=value` fields, one event per line
    #[default]
    Text,
    /// one JSON object per line
    Json,
}

/// Installs the process-wide subscriber. Returns false when one was
/// already installed (the earlier one stays).
pub fn init(format: LogFormat) -> bool {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false);
    match format {
        LogFormat::Text => builder.try_init().is_ok(),
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init()
            .is_ok(),
    }
}

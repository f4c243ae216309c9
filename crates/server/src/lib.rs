//! # unspin-server
//!
//! The HTTP face of unspin: a JSON API for teams that integrate it and a web
//! page for people who paste a suspect text. It is a thin async shell over
//! [`unspin_core`]: every answer is one of the core's record types, serialised
//! exactly as the CLI writes it (PRODUCT.md §4).
//!
//! Routes:
//!
//! | route | what |
//! | --- | --- |
//! | `POST /v1/detect` | `{"id", "text"}` → `{"id", "score", "spans"}` |
//! | `POST /v1/restore` | `{"id", "text"}` → `{"id", "text", "changes"}` (by reference too, with a [`Tracer`]) |
//! | `POST /v1/trace` | `{"id", "text"}` → `{"id", "matches"}` (needs a [`Tracer`], else 501) |
//! | `POST /v1/extract` | the bytes of a .txt, .docx or PDF → `{"format", "text"}` (the page's upload; [`unspin_extract`]; a PDF through Poppler's `pdftotext`) |
//! | `GET /healthz` | liveness and what is loaded |
//! | `GET /openapi.json` | the OpenAPI 3.1 document of these routes ([`openapi`]) |
//! | `GET /` | the web page (assets embedded in the binary, no network) |
//!
//! Main types:
//! - [`ServerBuilder`] → [`Server`]: configuration (limits, tracer), frozen
//!   at [`ServerBuilder::build`].
//! - [`Limits`]: body size, time per request, concurrent analyses.
//! - [`Tracer`]: the extension point through which a reference index answers
//!   `/v1/trace`; the server itself does not depend on the index crate.
//!
//! Policy: a malformed request (invalid JSON, a body that is not an object,
//! a missing or mistyped field, an unsupported content type, a body over the
//! limit) gets a 4xx answer whose body is `{"error": "..."}`; so does every
//! other error the server gives (404, 405, 501, 503). Detection and
//! restoration are CPU-bound, so they run on tokio's blocking pool and never
//! stall the I/O threads. Every request is logged as one structured
//! `tracing` event (method, path, status, latency).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use unspin_core::{Model, Unspinner};
//! let unspinner = Unspinner::new(Model::builtin().expect("model"));
//! let server = unspin_server::Server::builder(unspinner).build();
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! server.serve(listener, unspin_server::shutdown_signal()).await
//! # }
//! ```
#![deny(missing_docs)]

mod api;
pub mod logging;
pub mod openapi;
mod web;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use unspin_core::{Restoration, Unspinner};

pub use api::{ApiError, TraceError};

/// Limits that keep one client from starving the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest request body accepted, in bytes; larger bodies get 413.
    pub body_bytes: usize,
    /// Largest file uploaded to `/v1/extract`, in bytes (a PDF or a Word
    /// file is larger than its text); larger ones get 413.
    pub upload_bytes: usize,
    /// Longest a request may take, queueing included; slower ones get 503.
    pub timeout: Duration,
    /// Most analyses (`/v1/*` requests) running at once; more wait in a
    /// queue (bounded in time by `timeout`).
    pub concurrency: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            body_bytes: 2 * 1024 * 1024,
            upload_bytes: 32 * 1024 * 1024,
            timeout: Duration::from_secs(30),
            concurrency: 64,
        }
    }
}

/// A reference collection: finds the sources of a suspect text, and
/// restores by reference.
///
/// This is how a reference index plugs into the server: the CLI adapts the
/// index crate to it when `--index DIR` is given, so this crate does not
/// depend on the index. Its methods are called on the blocking pool, so they
/// may take their time and block.
pub trait Tracer: Send + Sync + 'static {
    /// The sources of `text`, best first: each match is a JSON object
    /// `{"doc_id", "score", "coverage", "alignment": [...]}` (PRODUCT.md §4).
    fn trace(&self, text: &str) -> Result<Vec<serde_json::Value>, TraceError>;

    /// Restores `text`, exactly where it aligns to a source and with
    /// `unspinner` elsewhere. By default, with `unspinner` only.
    fn restore(&self, unspinner: &Unspinner, text: &str) -> Result<Restoration, TraceError> {
        Ok(unspinner.restore(text))
    }

    /// A short description for `/healthz` (for example the index path and
    /// its document count).
    fn describe(&self) -> String;
}

/// Builds a [`Server`].
#[derive(Clone)]
pub struct ServerBuilder {
    unspinner: Unspinner,
    tracer: Option<Arc<dyn Tracer>>,
    limits: Limits,
}

impl ServerBuilder {
    /// Sets every limit at once.
    pub fn limits(&mut self, limits: Limits) -> &mut Self {
        self.limits = limits;
        self
    }

    /// Largest request body, in bytes (at least 1).
    pub fn body_limit(&mut self, bytes: usize) -> &mut Self {
        self.limits.body_bytes = bytes.max(1);
        self
    }

    /// Largest file uploaded to `/v1/extract`, in bytes (at least 1).
    pub fn upload_limit(&mut self, bytes: usize) -> &mut Self {
        self.limits.upload_bytes = bytes.max(1);
        self
    }

    /// Longest time per request.
    pub fn timeout(&mut self, timeout: Duration) -> &mut Self {
        self.limits.timeout = timeout;
        self
    }

    /// Most analyses running at once (at least 1).
    pub fn concurrency(&mut self, n: usize) -> &mut Self {
        self.limits.concurrency = n.max(1);
        self
    }

    /// Answers `/v1/trace` with this tracer, and restores by reference
    /// through it (without one, `/v1/trace` answers 501).
    pub fn tracer(&mut self, tracer: Arc<dyn Tracer>) -> &mut Self {
        self.tracer = Some(tracer);
        self
    }

    /// Freezes the configuration.
    pub fn build(&self) -> Server {
        Server {
            state: Arc::new(api::AppState {
                unspinner: self.unspinner.clone(),
                tracer: self.tracer.clone(),
                limits: self.limits,
                in_flight: Default::default(),
            }),
        }
    }
}

/// A configured server: make its [`Router`] or serve it on a listener.
#[derive(Clone)]
pub struct Server {
    state: Arc<api::AppState>,
}

impl Server {
    /// A builder with default [`Limits`] and no tracer.
    pub fn builder(unspinner: Unspinner) -> ServerBuilder {
        ServerBuilder {
            unspinner,
            tracer: None,
            limits: Limits::default(),
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> Limits {
        self.state.limits
    }

    /// The whole application as an axum [`Router`] (API, page, limits,
    /// request logs). Useful to test it without a socket.
    pub fn router(&self) -> Router {
        api::router(self.state.clone())
    }

    /// Serves on `listener` until `shutdown` completes, then stops taking
    /// connections and waits for requests in flight to finish.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        if let Ok(addr) = listener.local_addr() {
            tracing::info!(%addr, limits = ?self.state.limits, trace = self.state.tracer.is_some(), "listening");
        }
        axum::serve(listener, self.router())
            .with_graceful_shutdown(shutdown)
            .await?;
        tracing::info!("stopped");
        Ok(())
    }

    /// Binds `addr`, tells `on_bound` the address actually bound (useful
    /// with port 0), and serves until SIGTERM or SIGINT on a tokio runtime of
    /// its own; returns once requests in flight have finished.
    pub fn run(
        self,
        addr: std::net::SocketAddr,
        on_bound: impl FnOnce(std::net::SocketAddr),
    ) -> std::io::Result<()> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()?;
        runtime.block_on(async move {
            let shutdown = shutdown_signal();
            let listener = tokio::net::TcpListener::bind(addr).await?;
            on_bound(listener.local_addr()?);
            self.serve(listener, shutdown).await
        })
    }
}

/// A future that completes on SIGTERM or SIGINT (Ctrl-C): pass it to
/// [`Server::serve`] for a graceful shutdown.
///
/// The signal handlers are installed when this function is called, not when
/// the future is first polled, so a signal that arrives in between is not
/// lost (nor does it kill the process).
///
/// # Panics
///
/// When called outside a tokio runtime with signals enabled.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    #[cfg(unix)]
    let mut int = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt()).ok();
    async move {
        #[cfg(unix)]
        {
            let term = async {
                match term.as_mut() {
                    Some(s) => drop(s.recv().await),
                    None => std::future::pending::<()>().await,
                }
            };
            let int = async {
                match int.as_mut() {
                    Some(s) => drop(s.recv().await),
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                _ = term => tracing::info!(signal = "SIGTERM", "shutting down"),
                _ = int => tracing::info!(signal = "SIGINT", "shutting down"),
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!(signal = "Ctrl-C", "shutting down");
        }
    }
}

#[cfg(test)]
mod auto_traits {
    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn server_is_shareable() {
        assert_send_sync::<crate::Server>();
        assert_send_sync::<crate::ServerBuilder>();
    }
}

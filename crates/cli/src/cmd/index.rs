//! `unspin index …`.

use std::process::ExitCode;

use anyhow::Result;

/// Subcommands of `unspin index`.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Build (or with --append, extend) an index.
    Build(BuildArgs),
}

/// Flags of `unspin index build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {}

pub fn run(_c: Command) -> Result<ExitCode> {
    anyhow::bail!("unspin index: not built yet")
}

//! `unspin trace`.

use std::process::ExitCode;

use anyhow::Result;

/// Flags of `unspin trace`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> Result<ExitCode> {
    anyhow::bail!("unspin trace: not built yet")
}

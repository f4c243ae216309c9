//! `unspin eval`.

use std::process::ExitCode;

use anyhow::Result;

/// Flags of `unspin eval`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> Result<ExitCode> {
    anyhow::bail!("unspin eval: not built yet")
}

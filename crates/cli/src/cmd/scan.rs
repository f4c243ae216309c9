//! `unspin scan`.

use std::process::ExitCode;

use anyhow::Result;

/// Flags of `unspin scan`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> Result<ExitCode> {
    anyhow::bail!("unspin scan: not built yet")
}

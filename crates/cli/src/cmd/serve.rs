//! `unspin serve`.

use std::process::ExitCode;

use anyhow::Result;

/// Flags of `unspin serve`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> Result<ExitCode> {
    anyhow::bail!("unspin serve: not built yet")
}

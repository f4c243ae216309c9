//! `unspin mine`.

use std::process::ExitCode;

use anyhow::Result;

/// Flags of `unspin mine`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> Result<ExitCode> {
    anyhow::bail!("unspin mine: not built yet")
}

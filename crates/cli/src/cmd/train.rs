//! `unspin train`.

use std::process::ExitCode;

use anyhow::Result;

/// Flags of `unspin train`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> Result<ExitCode> {
    anyhow::bail!("unspin train: not built yet")
}

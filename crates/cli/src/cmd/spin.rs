//! `unspin spin`.

use std::process::ExitCode;

use anyhow::Result;

/// Flags of `unspin spin`.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> Result<ExitCode> {
    anyhow::bail!("unspin spin: not built yet")
}

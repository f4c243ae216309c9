//! Helpers shared by the end-to-end tests that run the real `unspin`
//! binary with the built-in model.

use std::path::Path;
use std::process::{Command, Output};

/// True when the built-in model loads; otherwise says why the caller's
/// test is skipped.
pub fn model_ready() -> bool {
    match unspin_core::Model::builtin() {
        Ok(_) => true,
        Err(e) => {
            eprintln!("skipped: the built-in model is not available ({e})");
            false
        }
    }
}

/// Runs `unspin` with `args` in directory `dir`, to completion.
pub fn unspin(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_unspin"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("unspin runs")
}

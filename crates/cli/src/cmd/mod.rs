//! One module per subcommand; each has `Args` (clap) and `run`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use unspin_core::{Model, Unspinner};

pub mod detect;
pub mod eval;
pub mod extract;
pub mod fit_spans;
pub mod index;
pub mod mine;
pub mod restore;
pub mod scan;
pub mod serve;
pub mod spin;
pub mod trace;
pub mod train;

/// Flags that choose the model and extra evidence.
#[derive(Clone, Debug, clap::Args)]
pub struct ModelArgs {
    /// A model file made by `unspin train` instead of the built-in model.
    #[arg(long, value_name = "PATH")]
    pub model: Option<PathBuf>,
    /// A tortured-phrase list (PPS CSV export, or TSV tortured<TAB>expected[<TAB>context]).
    #[arg(long, value_name = "FILE")]
    pub fingerprints: Option<PathBuf>,
    /// Overrides a decoder parameter of the model, e.g. `--set change_margin=3`
    /// (repeatable; the names are those of the model's `params` section).
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
}

impl ModelArgs {
    /// Loads the model.
    pub fn model(&self) -> Result<Model> {
        match &self.model {
            Some(p) => Model::open(p).with_context(|| format!("cannot load model {}", p.display())),
            None => Model::builtin().context("cannot load the built-in model"),
        }
    }

    /// Builds the unspinner these flags describe.
    pub fn unspinner(&self) -> Result<Unspinner> {
        let model = self.model()?;
        let mut b = Unspinner::builder(model.clone());
        if !self.set.is_empty() {
            b.params(override_params(model.params(), &self.set)?);
        }
        if let Some(path) = &self.fingerprints {
            b.fingerprints(unspin_core::fingerprints::Fingerprints::from_path(path)?);
        }
        Ok(b.build())
    }
}

/// The model's parameters with `NAME=VALUE` overrides applied; a value is
/// read as JSON (numbers, booleans), else as a string.
fn override_params(
    params: &unspin_core::model::Params,
    set: &[String],
) -> Result<unspin_core::model::Params> {
    let mut v = serde_json::to_value(params)?;
    let obj = v.as_object_mut().expect("params serialise as an object");
    for s in set {
        let (k, val) = s
            .split_once('=')
            .with_context(|| format!("--set {s}: expected NAME=VALUE"))?;
        if !obj.contains_key(k) {
            let names: Vec<&str> = obj.keys().map(String::as_str).collect();
            anyhow::bail!(
                "--set {s}: unknown parameter {k:?} (known: {})",
                names.join(", ")
            );
        }
        let parsed = serde_json::from_str(val).unwrap_or(serde_json::Value::String(val.into()));
        obj.insert(k.to_string(), parsed);
    }
    let params: unspin_core::model::Params =
        serde_json::from_value(v).with_context(|| format!("--set: bad value in {set:?}"))?;
    params
        .validate()
        .map_err(|reason| anyhow::anyhow!("--set: {reason}"))?;
    Ok(params)
}

/// Exit code for a finished run: 2 when records were skipped, 1 when
/// `--check` asked and spun text was found, else 0.
pub fn exit_code(skipped: usize, check: bool, found: bool) -> ExitCode {
    if skipped > 0 {
        eprintln!("unspin: {skipped} bad record(s) skipped");
        ExitCode::from(2)
    } else if check && found {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

//! Assembling a model file from its parts: a language model, a lexicon and
//! parameters.
//!
//! The built-in model is made by `scripts/build-model.sh`, which fetches the
//! registry packages it is built from and calls `unspin train` with them;
//! `unspin train` is a thin face over [`ModelBuilder`].

use std::io::Write;
use std::path::Path;

use crate::error::Result;
use crate::lexicon::LexiconBuilder;
use crate::lm::LmBuilder;
use crate::model::{write_model, Params};

/// A model under construction.
#[derive(Default)]
pub struct ModelBuilder {
    /// the language model entries
    pub lm: LmBuilder,
    /// the lexicon
    pub lexicon: LexiconBuilder,
    /// decoder parameters and calibration
    pub params: Params,
}

impl ModelBuilder {
    /// An empty model with default parameters.
    pub fn new() -> ModelBuilder {
        ModelBuilder::default()
    }

    /// The model file's bytes.
    pub fn to_bytes(self) -> Result<Vec<u8>> {
        self.params
            .validate()
            .map_err(|e| crate::Error::Training(format!("parameters: {e}")))?;
        let lm = self.lm.build()?;
        let lex = self.lexicon.build();
        Ok(write_model(&lm, &lex, &self.params))
    }

    /// Writes the model to `path` atomically: a temporary file in the same
    /// folder, synced, then renamed, so no half-written model is ever
    /// loaded. A path ending in `.zst` is written zstd-compressed.
    pub fn write(self, path: &Path) -> Result<u64> {
        let bytes = self.to_bytes()?;
        let data = if path.extension().is_some_and(|e| e == "zst") {
            zstd_compress(&bytes)?
        } else {
            bytes
        };
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let tmp = dir.join(format!(
            ".{}.tmp-{}",
            path.file_name().and_then(|n| n.to_str()).unwrap_or("model"),
            std::process::id()
        ));
        let written = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&data)?;
            f.sync_all()?;
            std::fs::rename(&tmp, path)
        })();
        if let Err(e) = written {
            // a full disk, say: leave no partial temporary file behind
            let _ = std::fs::remove_file(&tmp);
            return Err(crate::Error::Io(std::io::Error::new(
                e.kind(),
                format!("cannot write model {}: {e}", path.display()),
            )));
        }
        // make the rename itself durable (best effort: not every system
        // can sync a folder)
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(data.len() as u64)
    }
}

#[cfg(feature = "builtin-model")]
fn zstd_compress(bytes: &[u8]) -> Result<Vec<u8>> {
    Ok(zstd::encode_all(bytes, 19)?)
}

#[cfg(not(feature = "builtin-model"))]
fn zstd_compress(_bytes: &[u8]) -> Result<Vec<u8>> {
    Err(crate::Error::Training(
        "zstd output needs the builtin-model feature".into(),
    ))
}

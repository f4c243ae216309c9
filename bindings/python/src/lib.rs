//! `unspin._unspin`: the native part of the `unspin` Python package.
//!
//! Thin wrappers only: [`PyUnspinner`] holds an `unspin_core::Unspinner`
//! and hands out plain dicts shaped like the JSONL records of PRODUCT.md §4.
//! Every call that does real work releases the GIL; the batch calls run on
//! rayon's pool (all cores, or `RAYON_NUM_THREADS`). Errors are mapped to
//! Python exception classes in [`error`].
#![deny(missing_docs)]

mod convert;
mod error;

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList, PyString};
use rayon::prelude::*;
use unspin_core::{Model, Unspinner};
use unspin_scan::Scanner;

/// What `scan_lines` returns: output lines, and `(line, reason)` per bad line.
type ScanLines<'py> = (Bound<'py, PyList>, Vec<(usize, String)>);

/// Detects and restores spun text with one model (the built-in one unless
/// `model` names a file), optionally with a tortured-phrase list.
#[pyclass(name = "Unspinner", module = "unspin", frozen)]
pub struct PyUnspinner {
    inner: Unspinner,
}

fn load(
    model: Option<PathBuf>,
    fingerprints: Option<PathBuf>,
) -> Result<Unspinner, unspin_core::Error> {
    let model = match model {
        Some(p) => Model::open(p)?,
        None => Model::builtin()?,
    };
    let mut b = Unspinner::builder(model);
    if let Some(p) = fingerprints {
        b.fingerprints(unspin_core::fingerprints::Fingerprints::from_path(p)?);
    }
    Ok(b.build())
}

#[pymethods]
impl PyUnspinner {
    #[new]
    #[pyo3(signature = (model=None, fingerprints=None))]
    fn new(
        py: Python<'_>,
        model: Option<PathBuf>,
        fingerprints: Option<PathBuf>,
    ) -> PyResult<Self> {
        let inner = py
            .detach(|| load(model, fingerprints))
            .map_err(error::to_py)?;
        Ok(PyUnspinner { inner })
    }

    /// `{"score", "spans": [{"start", "end", "text", "score", "suggestion"}]}`
    fn detect<'py>(&self, py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
        let text = text.to_owned();
        let d = py.detach(|| self.inner.detect(&text));
        convert::result_to_py(py, &d)
    }

    /// `{"text": restored, "changes": [{"start", "end", "from", "to", "score"}]}`
    fn restore<'py>(&self, py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
        let text = text.to_owned();
        let r = py.detach(|| self.inner.restore(&text));
        convert::result_to_py(py, &r)
    }

    /// `detect` on every text, in parallel, without the GIL.
    fn detect_batch<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<String>,
    ) -> PyResult<Bound<'py, PyList>> {
        let results: Vec<_> =
            py.detach(|| texts.par_iter().map(|t| self.inner.detect(t)).collect());
        let list = PyList::empty(py);
        for r in &results {
            list.append(convert::result_to_py(py, r)?)?;
        }
        Ok(list)
    }

    /// `restore` on every text, in parallel, without the GIL.
    fn restore_batch<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<String>,
    ) -> PyResult<Bound<'py, PyList>> {
        let results: Vec<_> =
            py.detach(|| texts.par_iter().map(|t| self.inner.restore(t)).collect());
        let list = PyList::empty(py);
        for r in &results {
            list.append(convert::result_to_py(py, r)?)?;
        }
        Ok(list)
    }

    /// JSONL lines in, `unspin scan` output lines out (without newline),
    /// byte for byte what the CLI writes: `(outputs, errors)` where
    /// `outputs[i]` is the output for `lines[i]` (None for a blank or bad
    /// line) and `errors` lists `(line_number, reason)` for bad lines.
    /// Line numbers (the ids of records without one) are `first_line`,
    /// `first_line + 1`... unless `line_numbers` gives one per line.
    #[pyo3(signature = (lines, restore=false, lossy=false, first_line=1, line_numbers=None))]
    fn scan_lines<'py>(
        &self,
        py: Python<'py>,
        lines: Vec<Bound<'py, PyAny>>,
        restore: bool,
        lossy: bool,
        first_line: usize,
        line_numbers: Option<Vec<usize>>,
    ) -> PyResult<ScanLines<'py>> {
        if line_numbers
            .as_ref()
            .is_some_and(|n| n.len() != lines.len())
        {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "line_numbers must have one number per line",
            ));
        }
        let lineno = |i: usize| line_numbers.as_ref().map_or(first_line + i, |n| n[i]);
        let mut raw: Vec<Vec<u8>> = Vec::with_capacity(lines.len());
        for l in &lines {
            if let Ok(s) = l.cast::<PyString>() {
                raw.push(s.to_cow()?.as_bytes().to_vec());
            } else if let Ok(b) = l.cast::<PyBytes>() {
                raw.push(b.as_bytes().to_vec());
            } else {
                return Err(pyo3::exceptions::PyTypeError::new_err(
                    "scan_lines takes a list of str or bytes",
                ));
            }
        }
        let scanner = Scanner::builder(self.inner.clone())
            .restore(restore)
            .lossy(lossy)
            .build();
        let results: Vec<Result<Option<Vec<u8>>, String>> = py.detach(|| {
            raw.par_iter()
                .enumerate()
                .map(|(i, line)| scanner.process_line(line, lineno(i)))
                .collect()
        });
        let out = PyList::empty(py);
        let mut errors = Vec::new();
        for (i, r) in results.into_iter().enumerate() {
            match r {
                Ok(Some(mut bytes)) => {
                    bytes.pop(); // the newline
                    let s = String::from_utf8(bytes).expect("serde_json writes UTF-8");
                    out.append(s)?;
                }
                Ok(None) => out.append(py.None())?,
                Err(reason) => {
                    out.append(py.None())?;
                    errors.push((lineno(i), reason));
                }
            }
        }
        Ok((out, errors))
    }

    fn __repr__(&self) -> String {
        format!(
            "Unspinner(fingerprints={})",
            self.inner.fingerprints().map_or(0, |f| f.len())
        )
    }
}

/// A reference index made by `unspin index build`, for trace.
#[pyclass(name = "Index", module = "unspin", frozen)]
pub struct PyIndex {
    inner: unspin_index::Index,
}

fn trace_result(
    index: &unspin_index::Index,
    text: &str,
    k: usize,
) -> Result<serde_json::Value, String> {
    let matches = index.trace(text, k).map_err(|e| e.to_string())?;
    Ok(serde_json::json!({ "matches": matches }))
}

#[pymethods]
impl PyIndex {
    #[new]
    fn new(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let inner = py
            .detach(|| unspin_index::Index::open(&path))
            .map_err(|e| error::IndexLoadError::new_err(e.to_string()))?;
        Ok(PyIndex { inner })
    }

    /// Number of indexed documents.
    fn __len__(&self) -> usize {
        self.inner.num_docs() as usize
    }

    /// `{"matches": [{"doc_id", "score", "coverage", "alignment"}]}`, best
    /// first, at most `k`.
    #[pyo3(signature = (text, k=5))]
    fn trace<'py>(&self, py: Python<'py>, text: &str, k: usize) -> PyResult<Bound<'py, PyAny>> {
        let text = text.to_owned();
        let v = py
            .detach(|| trace_result(&self.inner, &text, k))
            .map_err(error::UnspinError::new_err)?;
        convert::to_py(py, &v)
    }

    /// `trace` on every text, in parallel, without the GIL.
    #[pyo3(signature = (texts, k=5))]
    fn trace_batch<'py>(
        &self,
        py: Python<'py>,
        texts: Vec<String>,
        k: usize,
    ) -> PyResult<Bound<'py, PyList>> {
        let results: Vec<Result<serde_json::Value, String>> = py.detach(|| {
            texts
                .par_iter()
                .map(|t| trace_result(&self.inner, t, k))
                .collect()
        });
        let list = PyList::empty(py);
        for r in results {
            list.append(convert::to_py(
                py,
                &r.map_err(error::UnspinError::new_err)?,
            )?)?;
        }
        Ok(list)
    }

    fn __repr__(&self) -> String {
        format!(
            "Index({:?}, docs={})",
            self.inner.path(),
            self.inner.num_docs()
        )
    }
}

/// The native module.
#[pymodule]
fn _unspin(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<PyUnspinner>()?;
    m.add_class::<PyIndex>()?;
    m.add("UnspinError", py.get_type::<error::UnspinError>())?;
    m.add("ModelError", py.get_type::<error::ModelError>())?;
    m.add("FingerprintError", py.get_type::<error::FingerprintError>())?;
    m.add("IndexLoadError", py.get_type::<error::IndexLoadError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

//! JSON values to plain Python objects (dict, list, str, int, float, bool,
//! None). Results go through serde first, so a Python dict has exactly the
//! fields and values of the JSONL record the CLI writes.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3::IntoPyObjectExt;
use serde_json::Value;

/// Converts a JSON value.
pub fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_bound_py_any(py)?,
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_bound_py_any(py)?
            } else if let Some(u) = n.as_u64() {
                u.into_bound_py_any(py)?
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_bound_py_any(py)?
            }
        }
        Value::String(s) => s.into_bound_py_any(py)?,
        Value::Array(xs) => {
            let list = PyList::empty(py);
            for x in xs {
                list.append(to_py(py, x)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, x) in map {
                dict.set_item(k, to_py(py, x)?)?;
            }
            dict.into_any()
        }
    })
}

/// Serialises a result and converts it.
pub fn result_to_py<'py>(
    py: Python<'py>,
    r: &impl serde::Serialize,
) -> PyResult<Bound<'py, PyAny>> {
    let v = serde_json::to_value(r).map_err(|e| {
        crate::error::UnspinError::new_err(format!("cannot serialise the result: {e}"))
    })?;
    to_py(py, &v)
}

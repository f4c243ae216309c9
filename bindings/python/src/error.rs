//! Engine errors as Python exceptions, one class per kind, all in one place.
//!
//! ```text
//! UnspinError            base of everything unspin raises
//! ├── ModelError         a model cannot be loaded (missing, not a model,
//! │                      other format version, corrupt, no built-in model)
//! ├── FingerprintError   a tortured-phrase list line cannot be parsed
//! └── IndexLoadError     a reference index cannot be opened
//! ```

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::PyErr;

create_exception!(
    _unspin,
    UnspinError,
    PyException,
    "Base class of every error unspin raises."
);
create_exception!(
    _unspin,
    ModelError,
    UnspinError,
    "A model could not be loaded."
);
create_exception!(
    _unspin,
    FingerprintError,
    UnspinError,
    "A tortured-phrase (fingerprint) list could not be read or parsed."
);
create_exception!(
    _unspin,
    IndexLoadError,
    UnspinError,
    "A reference index could not be opened."
);

/// The Python exception for an engine error.
pub fn to_py(err: unspin_core::Error) -> PyErr {
    use unspin_core::Error as E;
    let msg = err.to_string();
    match err {
        E::ModelIo { .. }
        | E::NotAModel { .. }
        | E::IncompatibleModel { .. }
        | E::CorruptModel { .. }
        | E::NoBuiltinModel => ModelError::new_err(msg),
        E::BadFingerprint { .. } => FingerprintError::new_err(msg),
        _ => UnspinError::new_err(msg),
    }
}

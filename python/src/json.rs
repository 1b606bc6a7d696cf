//! Configuration through the crate's serde forms: a Python dict goes
//! through `json.dumps`, so a dict and its JSON text are the same input.

use pyo3::prelude::*;
use pyo3::types::PyString;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::errors;

/// The JSON text of a dict (or the text itself).
pub fn text_of(config: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    if let Ok(text) = config.cast::<PyString>() {
        return Ok(text.to_str()?.to_owned());
    }
    let json = config.py().import("json")?;
    json.call_method1("dumps", (config,))?
        .extract()
        .map_err(|_| errors::input("not_json", format!("the {what} must be a dict or its JSON text"), None))
}

/// A value from its JSON text; a bad one is a `ConfigError` that quotes
/// serde's message (the field path, line and column, and the crate's own
/// reason).
pub fn parse<T: DeserializeOwned>(text: &str, what: &str) -> PyResult<T> {
    serde_json::from_str(text).map_err(|e| {
        let err = errors::ConfigError::new_err(format!("invalid {what}: {e}"));
        Python::attach(|py| {
            let value = err.value(py);
            let _ = value.setattr("kind", "invalid_config");
            let _ = value.setattr("field", what);
            let _ = value.setattr("input", py.None());
            let _ = value.setattr("ticket", py.None());
            let _ = value.setattr("row", py.None());
        });
        err
    })
}

/// A value's JSON text.
pub fn write<T: Serialize>(value: &T, what: &str) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| errors::input("not_serialisable", format!("{what}: {e}"), None))
}

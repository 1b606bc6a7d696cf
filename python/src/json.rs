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

/// A value from its JSON text. A bad one raises the crate's own error
/// (`Error::from_deserialize`: the kind, field path and input of the value
/// it rejected, however deep) with serde's message, which adds the line and
/// column; input without the form the type reads is a `ConfigError` of
/// kind `invalid_form`.
pub fn parse<T: DeserializeOwned>(text: &str, what: &str) -> PyResult<T> {
    let mut located = None;
    servicelevel::Error::from_deserialize(|| serde_json::from_str(text).inspect_err(|e| located = Some(e.to_string())))
        .map_err(|error| {
            let message = format!("invalid {what}: {}", located.unwrap_or_else(|| error.to_string()));
            Python::attach(|py| errors::to_py_as(py, &error, message, None))
        })
}

/// A value's JSON text.
pub fn write<T: Serialize>(value: &T, what: &str) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| errors::input("not_serialisable", format!("{what}: {e}"), None))
}

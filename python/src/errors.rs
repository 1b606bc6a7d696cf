//! The crate's typed errors as Python exceptions: one base class, a
//! subclass per family (the predicates `is_config`, `is_event`,
//! `is_measurement`), with the kind, field, input, ticket and row as
//! attributes, and the whole cause chain as the message.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    servicelevel,
    Error,
    PyException,
    "Every error servicelevel raises: `kind`, `field`, `input`, `ticket` and `row` say what and where."
);
create_exception!(
    servicelevel,
    ConfigError,
    Error,
    "A calendar, policy or catalog that cannot be built (a malformed dict, an unknown zone, overlapping hours)."
);
create_exception!(
    servicelevel,
    EventError,
    Error,
    "A ticket's events that cannot be used (no creation, instants going back, a field set twice); `ticket` and `row` locate it."
);
create_exception!(
    servicelevel,
    MeasurementError,
    Error,
    "A measurement the calendar cannot answer (an instant outside its horizon, a nonexistent local time)."
);
create_exception!(
    servicelevel,
    InputError,
    Error,
    "Python input the engine cannot take: a naive datetime where an aware one is required, an unknown column, a wrong type."
);

/// The Python exception for a crate error, with its attributes set.
pub fn to_py(py: Python<'_>, error: &servicelevel::Error, row: Option<usize>) -> PyErr {
    to_py_as(py, error, error.to_string(), row)
}

/// The Python exception for a crate error, with another message (serde's,
/// which adds the line and column).
pub fn to_py_as(py: Python<'_>, error: &servicelevel::Error, message: String, row: Option<usize>) -> PyErr {
    let err = if error.is_event() {
        EventError::new_err(message)
    } else if error.is_config() {
        ConfigError::new_err(message)
    } else if error.is_measurement() || error.is_horizon() || error.is_local_time() {
        MeasurementError::new_err(message)
    } else {
        Error::new_err(message)
    };
    let value = err.value(py);
    let kind = serde_json::to_value(error.kind())
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("{:?}", error.kind()));
    // Setting attributes on a fresh exception instance cannot fail in
    // practice; a failure would only lose the attribute, not the error.
    let _ = value.setattr("kind", kind);
    let _ = value.setattr("field", error.field());
    let _ = value.setattr("input", error.input());
    let _ = value.setattr("ticket", error.ticket().map(|t| t.as_str().to_owned()));
    let _ = value.setattr("row", row.or(error.position()));
    err
}

/// An input error with its kind and the offending input.
pub fn input(kind: &str, message: impl Into<String>, field: Option<&str>) -> PyErr {
    let err = InputError::new_err(message.into());
    Python::attach(|py| {
        let value = err.value(py);
        let _ = value.setattr("kind", kind);
        let _ = value.setattr("field", field);
        let _ = value.setattr("input", py.None());
        let _ = value.setattr("ticket", py.None());
        let _ = value.setattr("row", py.None());
    });
    err
}

/// Registers the exception classes in the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("Error", py.get_type::<Error>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add("EventError", py.get_type::<EventError>())?;
    m.add("MeasurementError", py.get_type::<MeasurementError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    Ok(())
}

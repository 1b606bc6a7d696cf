//! Instants and durations between Python, Arrow (nanoseconds) and chrono.

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use pyo3::prelude::*;
use pyo3::types::{PyDateTime, PyDelta};

use crate::errors;

/// An aware `datetime` as UTC; a naive one is an [`errors::InputError`]
/// (its zone would be a guess).
pub fn instant(value: &Bound<'_, PyAny>, name: &str) -> PyResult<DateTime<Utc>> {
    if !value.is_instance_of::<PyDateTime>() {
        return Err(errors::input(
            "not_a_datetime",
            format!("`{name}` must be a timezone-aware datetime, got {}", type_name(value)),
            Some(name),
        ));
    }
    if value.getattr("tzinfo")?.is_none() || value.call_method0("utcoffset")?.is_none() {
        return Err(errors::input(
            "naive_datetime",
            format!("`{name}` is a naive datetime ({value}): give it a time zone (datetime.timezone.utc for UTC)"),
            Some(name),
        ));
    }
    let aware: DateTime<FixedOffset> = value.extract()?;
    Ok(aware.with_timezone(&Utc))
}

/// A `timedelta` as a duration.
pub fn duration(value: &Bound<'_, PyAny>, name: &str) -> PyResult<TimeDelta> {
    if !value.is_instance_of::<PyDelta>() {
        return Err(errors::input(
            "not_a_timedelta",
            format!("`{name}` must be a datetime.timedelta, got {}", type_name(value)),
            Some(name),
        ));
    }
    value.extract()
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "an unknown type".to_owned(), |n| n.to_string())
}

/// Nanoseconds since the epoch as an instant.
pub fn from_nanos(ns: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(ns)
}

/// An instant as nanoseconds since the epoch, if Arrow's `timestamp[ns]`
/// can hold it (1677-09-21 to 2262-04-11).
pub fn to_nanos(at: DateTime<Utc>) -> Option<i64> {
    at.timestamp_nanos_opt()
}

/// A duration as nanoseconds, if an `i64` holds it (about 292 years).
pub fn duration_nanos(d: TimeDelta) -> Option<i64> {
    d.num_nanoseconds()
}

//! `servicelevel.Calendar`: the business calendar, built from the same
//! JSON (or dict) as the Rust serde form, with scalar and column kernels.

use std::sync::Arc;

use arrow_array::{Array, ArrayRef, DurationNanosecondArray, TimestampNanosecondArray};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, Field, TimeUnit};

use pyo3::prelude::*;
use pyo3::types::{PyDateTime, PyDelta, PyTuple};
use pyo3_arrow::PyArray;
use servicelevel::BusinessCalendar;
use servicelevel::calendar::{Convention, EpochUnit};

use crate::{errors, json, time};

/// A business calendar: weekly hours in an IANA zone, holidays and closures.
#[pyclass(name = "Calendar", module = "servicelevel", frozen)]
pub struct PyCalendar {
    pub inner: Arc<BusinessCalendar>,
}

#[pymethods]
impl PyCalendar {
    /// A calendar from its configuration: a dict, or its JSON text (the
    /// crate's serde form: `time_zone`, `weekly`, `holidays`, ...).
    #[new]
    fn new(config: &Bound<'_, PyAny>) -> PyResult<PyCalendar> {
        let text = json::text_of(config, "calendar")?;
        PyCalendar::from_json(&text)
    }

    /// A calendar from its JSON text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<PyCalendar> {
        let calendar: BusinessCalendar = json::parse(text, "calendar")?;
        Ok(PyCalendar {
            inner: Arc::new(calendar),
        })
    }

    /// Every day open around the clock, in UTC.
    #[staticmethod]
    fn always_open() -> PyCalendar {
        PyCalendar {
            inner: Arc::new(BusinessCalendar::always_open(chrono_tz_utc())),
        }
    }

    /// The calendar's JSON text (what `from_json` reads).
    fn to_json(&self) -> PyResult<String> {
        json::write(&*self.inner, "calendar")
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let from_json = py.get_type::<PyCalendar>().getattr("from_json")?;
        let args = PyTuple::new(py, [slf.get().to_json()?])?;
        Ok((from_json, args))
    }

    fn __eq__(&self, other: &PyCalendar) -> bool {
        self.inner == other.inner
    }

    fn __repr__(&self) -> PyResult<String> {
        Ok(format!("Calendar.from_json({:?})", self.to_json()?))
    }

    /// The business time between `start` and `end` (negative when `end` is
    /// before `start`): two aware datetimes give a `timedelta`; columns
    /// (pyarrow, pandas, Polars, numpy) give a column of the same kind, a
    /// scalar side repeated. `naive` says what naive timestamps in a column
    /// are: `"error"` (the default), `"utc"`, or an IANA zone name.
    #[pyo3(signature = (start, end, naive="error"))]
    fn business_time<'py>(
        slf: &Bound<'py, Self>,
        start: &Bound<'py, PyAny>,
        end: &Bound<'py, PyAny>,
        naive: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        if start.is_instance_of::<PyDateTime>() && end.is_instance_of::<PyDateTime>() {
            let (start, end) = (time::instant(start, "start")?, time::instant(end, "end")?);
            return slf
                .get()
                .inner
                .business_time(start, end)
                .into_pyobject(py)
                .map(|d| d.into_any());
        }
        columns(py)?.call_method1("business_time", (slf, start, end, naive))
    }

    /// The instant `amount` of business time after `start` (before it, for
    /// a negative amount): an aware datetime and a `timedelta` give a
    /// datetime (UTC); columns give a column, a scalar side repeated.
    /// `convention` is where an amount that runs out at a close lands:
    /// `"earliest_instant"` (at the close, the default) or `"next_opening"`.
    #[pyo3(signature = (start, amount, naive="error", convention="earliest_instant"))]
    fn add_business_time<'py>(
        slf: &Bound<'py, Self>,
        start: &Bound<'py, PyAny>,
        amount: &Bound<'py, PyAny>,
        naive: &str,
        convention: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let rule = convention_of(convention)?;
        if start.is_instance_of::<PyDateTime>() && amount.is_instance_of::<PyDelta>() {
            let (start, amount) = (time::instant(start, "start")?, time::duration(amount, "amount")?);
            let due = slf
                .get()
                .inner
                .add_business_time_with(start, amount, rule)
                .map_err(|e| errors::to_py(py, &e, None))?;
            return due.into_pyobject(py).map(|d| d.into_any());
        }
        columns(py)?.call_method1("add_business_time", (slf, start, amount, naive, convention))
    }

    /// Whether the calendar is open at an instant.
    fn is_open(&self, at: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.inner.is_open(time::instant(at, "at")?))
    }

    /// The column kernel of `business_time`: two `timestamp[ns, UTC]`
    /// arrays in, a `duration[ns]` array out, nulls kept (the crate's
    /// `business_time_column` on the arrays' values, without a copy when
    /// there are no nulls).
    fn _business_time_ns<'py>(&self, py: Python<'py>, starts: PyArray, ends: PyArray) -> PyResult<Bound<'py, PyAny>> {
        let (starts, ends) = (timestamps(&starts, "start")?, timestamps(&ends, "end")?);
        same_length(&starts, &ends)?;
        let calendar = Arc::clone(&self.inner);
        let nulls = NullBuffer::union(starts.nulls(), ends.nulls());
        let asked = nulls.clone();
        let business = py
            .detach(move || match asked.filter(|n| n.null_count() > 0) {
                None => calendar.business_time_column(EpochUnit::Nanosecond, starts.values(), ends.values()),
                // A null's slot holds an arbitrary integer: ask about an
                // empty span instead and mask the answer.
                Some(nulls) => calendar.business_time_column(
                    EpochUnit::Nanosecond,
                    &masked(starts.values(), &nulls, 0),
                    &masked(ends.values(), &nulls, 0),
                ),
            })
            .map_err(|e| column_error(py, &e))?;
        let out = Arc::new(DurationNanosecondArray::new(business.into(), nulls)) as ArrayRef;
        let field = Field::new("business_time", DataType::Duration(TimeUnit::Nanosecond), true);
        pyarrow_array(py, PyArray::new(out, Arc::new(field)))
    }

    /// The column kernel of `add_business_time`: `timestamp[ns, UTC]` and
    /// `duration[ns]` in, `timestamp[ns, UTC]` out, nulls kept (rows with a
    /// null are not asked).
    #[pyo3(signature = (starts, amounts, convention="earliest_instant"))]
    fn _add_business_time_ns<'py>(
        &self,
        py: Python<'py>,
        starts: PyArray,
        amounts: PyArray,
        convention: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let rule = convention_of(convention)?;
        let starts = timestamps(&starts, "start")?;
        let amounts = durations(&amounts, "amount")?;
        if starts.len() != amounts.len() {
            return Err(errors::input(
                "length_mismatch",
                format!("start has {} values and amount {}", starts.len(), amounts.len()),
                None,
            ));
        }
        let calendar = Arc::clone(&self.inner);
        let nulls = NullBuffer::union(starts.nulls(), amounts.nulls());
        let asked = nulls.clone();
        let due = py
            .detach(move || -> servicelevel::Result<Vec<i64>> {
                // A null row's slot holds an arbitrary integer, which may be
                // outside the horizon: ask with a zero amount from a start
                // that is in it, and mask the answer.
                let Some(nulls) = asked.filter(|n| n.null_count() > 0) else {
                    return calendar.add_business_time_column(
                        EpochUnit::Nanosecond,
                        starts.values(),
                        amounts.values(),
                        rule,
                    );
                };
                let inside = starts.iter().flatten().next().unwrap_or_default();
                let (from, by) = (
                    masked(starts.values(), &nulls, inside),
                    masked(amounts.values(), &nulls, 0),
                );
                calendar.add_business_time_column(EpochUnit::Nanosecond, &from, &by, rule)
            })
            .map_err(|e| column_error(py, &e))?;
        let out = Arc::new(TimestampNanosecondArray::new(due.into(), nulls).with_timezone("UTC")) as ArrayRef;
        let field = Field::new(
            "due",
            DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into())),
            true,
        );
        pyarrow_array(py, PyArray::new(out, Arc::new(field)))
    }
}

/// `values` with every null row's slot (an arbitrary integer) set to `fill`.
fn masked(values: &[i64], nulls: &NullBuffer, fill: i64) -> Vec<i64> {
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| if nulls.is_valid(i) { v } else { fill })
        .collect()
}

/// A column kernel's error: the root cause's kind and family, the whole
/// chain as the message (`row 3 of column `amounts`: calendar cannot
/// supply ...`), the row as `row`.
fn column_error(py: Python<'_>, error: &servicelevel::Error) -> PyErr {
    errors::to_py_as(py, error.root_cause(), error.to_string(), error.position())
}

/// A `pyarrow.Array` of the result (pyarrow reads it through the Arrow
/// PyCapsule interface, without a copy).
fn pyarrow_array(py: Python<'_>, array: PyArray) -> PyResult<Bound<'_, PyAny>> {
    let pyarrow = py.import("pyarrow")?;
    pyarrow.getattr("array")?.call1((array.into_pyobject(py)?,))
}

fn convention_of(name: &str) -> PyResult<Convention> {
    match name {
        "earliest_instant" => Ok(Convention::EarliestInstant),
        "next_opening" => Ok(Convention::NextOpening),
        other => Err(errors::input(
            "invalid_choice",
            format!("`convention` must be \"earliest_instant\" or \"next_opening\", got {other:?}"),
            Some("convention"),
        )),
    }
}

/// The Python layer that turns columns into the kernels' Arrow forms.
fn columns(py: Python<'_>) -> PyResult<Bound<'_, PyModule>> {
    py.import("servicelevel._columns")
}

fn chrono_tz_utc() -> servicelevel::chrono_tz::Tz {
    servicelevel::chrono_tz::UTC
}

fn same_length(a: &TimestampNanosecondArray, b: &TimestampNanosecondArray) -> PyResult<()> {
    if a.len() == b.len() {
        Ok(())
    } else {
        Err(errors::input(
            "length_mismatch",
            format!("start has {} values and end {}", a.len(), b.len()),
            None,
        ))
    }
}

/// The array as nanosecond timestamps (the Python layer casts to them).
pub fn timestamps(array: &PyArray, name: &str) -> PyResult<TimestampNanosecondArray> {
    array
        .array()
        .as_any()
        .downcast_ref::<TimestampNanosecondArray>()
        .cloned()
        .ok_or_else(|| {
            errors::input(
                "not_timestamps",
                format!(
                    "`{name}` must be a timestamp[ns, tz] array, got {}",
                    array.array().data_type()
                ),
                Some(name),
            )
        })
}

fn durations(array: &PyArray, name: &str) -> PyResult<arrow_array::DurationNanosecondArray> {
    array
        .array()
        .as_any()
        .downcast_ref::<arrow_array::DurationNanosecondArray>()
        .cloned()
        .ok_or_else(|| {
            errors::input(
                "not_durations",
                format!(
                    "`{name}` must be a duration[ns] array, got {}",
                    array.array().data_type()
                ),
                Some(name),
            )
        })
}

//! The `servicelevel` Python package's native module: the calendar, the
//! policies, and SLA evaluation of an events table into a `task_sla`-shaped
//! Arrow table. The Python layer (`servicelevel/__init__.py`) turns any
//! DataFrame or column into the Arrow forms these functions take.

#![forbid(unsafe_code)]

mod calendar;
mod errors;
mod json;
mod output;
mod part;
mod policy;
mod review;
mod table;
mod time;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    m.add_class::<calendar::PyCalendar>()?;
    m.add_class::<policy::PyPolicy>()?;
    m.add_class::<review::PyExportProfile>()?;
    m.add_class::<review::PyReportSpec>()?;
    m.add_class::<review::PyIngested>()?;
    m.add_class::<review::PyReport>()?;
    m.add_class::<part::PyReviewPart>()?;
    m.add_function(wrap_pyfunction!(table::_evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(table::_evaluate_ingested, m)?)?;
    m.add_function(wrap_pyfunction!(review::_ingest, m)?)?;
    m.add_function(wrap_pyfunction!(review::_review, m)?)?;
    m.add_function(wrap_pyfunction!(part::_review_part, m)?)?;
    m.add_function(wrap_pyfunction!(part::_merge_review_parts, m)?)?;
    m.add("PRESETS", policy::names())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

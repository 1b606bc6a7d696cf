//! Partial reviews from Python: each worker (a Spark partition, a process)
//! reviews its share of the tickets into a `ReviewPart` that pickles, and
//! the driver merges the parts into the report of the whole export, exactly
//! (the crate's `Reporter::merge_part`).

use pyo3::prelude::*;
use pyo3::types::PyTuple;
use serde::{Deserialize, Serialize};
use servicelevel::ingest::Ledger;
use servicelevel::report::ReviewPart;
use servicelevel::{Report, ReportSpec};

use crate::review::{PyIngested, PyReport, PyReportSpec, service_of};
use crate::{errors, json, time};

/// What travels: the reporter's tallies and the ledger of the rows read.
#[derive(Clone, Serialize, Deserialize)]
struct Shipped {
    part: ReviewPart,
    ledger: Ledger,
}

/// One worker's share of a review: its tickets' tallies and the ledger of
/// its rows. Pickles (as JSON), so Spark and multiprocessing workers can
/// send it back; `merge_review_parts` adds parts up into the report.
#[pyclass(name = "ReviewPart", module = "servicelevel", frozen)]
pub struct PyReviewPart {
    inner: Shipped,
}

#[pymethods]
impl PyReviewPart {
    /// How many tickets the part holds.
    #[getter]
    fn tickets(&self) -> u64 {
        self.inner.part.tickets()
    }

    /// The part as JSON (exact: durations as `[seconds, nanoseconds]`).
    fn to_json(&self) -> PyResult<String> {
        json::write(&self.inner, "review part")
    }

    /// A part from its JSON text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<PyReviewPart> {
        Ok(PyReviewPart {
            inner: json::parse(text, "review part")?,
        })
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let from_json = py.get_type::<PyReviewPart>().getattr("from_json")?;
        Ok((from_json, PyTuple::new(py, [slf.get().to_json()?])?))
    }

    fn __repr__(&self) -> String {
        format!(
            "<ReviewPart: {} tickets, {} rows>",
            self.inner.part.tickets(),
            self.inner.ledger.rows()
        )
    }
}

/// One share of a review, as of `as_of` (given: each share's latest row
/// differs, and the parts must agree).
#[pyfunction]
#[pyo3(signature = (ingested, spec, as_of, service=None))]
pub fn _review_part(
    py: Python<'_>,
    ingested: PyRef<'_, PyIngested>,
    spec: PyRef<'_, PyReportSpec>,
    as_of: &Bound<'_, PyAny>,
    service: Option<&str>,
) -> PyResult<PyReviewPart> {
    let as_of = time::instant(as_of, "as_of")?;
    let service = service_of(&spec.inner, service)?;
    let ingested = &ingested.inner;
    let spec: &ReportSpec = &spec.inner;
    let part = py.detach(|| -> servicelevel::Result<ReviewPart> {
        let mut reporter = spec.reporter(as_of);
        for timeline in &ingested.timelines {
            let recorded = ingested.verdicts.get(timeline.ticket()).copied();
            reporter.add_with_verdict(&service, timeline, recorded)?;
        }
        Ok(reporter.into_part())
    });
    let part = part.map_err(|e| errors::to_py(py, &e, None))?;
    Ok(PyReviewPart {
        inner: Shipped {
            part,
            ledger: ingested.ledger.clone(),
        },
    })
}

/// The report of all the parts (made from `spec` as of `as_of`), their
/// ledgers added up in the order given.
#[pyfunction]
pub fn _merge_review_parts(
    py: Python<'_>,
    parts: Vec<PyRef<'_, PyReviewPart>>,
    spec: PyRef<'_, PyReportSpec>,
    as_of: &Bound<'_, PyAny>,
) -> PyResult<PyReport> {
    let as_of = time::instant(as_of, "as_of")?;
    let shipped: Vec<Shipped> = parts.iter().map(|p| p.inner.clone()).collect();
    let spec: &ReportSpec = &spec.inner;
    let report = py.detach(|| -> servicelevel::Result<Report> {
        let mut reporter = spec.reporter(as_of);
        let mut ledger = Ledger::default();
        for share in shipped {
            reporter.merge_part(share.part)?;
            ledger.merge(share.ledger);
        }
        Ok(reporter.finish().with_ledger(ledger))
    });
    report
        .map(|inner| PyReport { inner })
        .map_err(|e| errors::to_py(py, &e, None))
}

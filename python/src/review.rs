//! The review from Python: an export read through an `ExportProfile`
//! (every row used or rejected in a ledger), a `ReportSpec`, and the
//! `Report` as JSON and as tidy Arrow rows.

use std::sync::Arc;

use arrow_array::builder::{Decimal128Builder, StringBuilder, TimestampNanosecondBuilder};
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field as ArrowField, Schema, TimeUnit};
use chrono::{DateTime, Utc};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use pyo3_arrow::PyTable;
use rust_decimal::{Decimal, RoundingStrategy};
use servicelevel::ingest::Ingested;
use servicelevel::{ExportProfile, Report, ReportSpec};

use crate::{errors, json, time};

macro_rules! json_class {
    ($rust:ident, $py:literal, $inner:ty, $what:literal, $doc:literal) => {
        #[doc = $doc]
        #[pyclass(name = $py, module = "servicelevel", frozen)]
        pub struct $rust {
            pub inner: $inner,
        }

        #[pymethods]
        impl $rust {
            /// From its configuration: a dict or its JSON text (the crate's serde form).
            #[new]
            fn new(config: &Bound<'_, PyAny>) -> PyResult<$rust> {
                $rust::from_json(&json::text_of(config, $what)?)
            }

            /// From its JSON text.
            #[staticmethod]
            fn from_json(text: &str) -> PyResult<$rust> {
                Ok($rust {
                    inner: json::parse(text, $what)?,
                })
            }

            /// Its JSON text (what `from_json` reads).
            fn to_json(&self) -> PyResult<String> {
                json::write(&self.inner, $what)
            }

            fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
                let py = slf.py();
                let from_json = py.get_type::<$rust>().getattr("from_json")?;
                Ok((from_json, PyTuple::new(py, [slf.get().to_json()?])?))
            }
        }
    };
}

json_class!(
    PyExportProfile,
    "ExportProfile",
    ExportProfile,
    "export profile",
    "How an export's rows become tickets: the ticket and instant columns, field columns and value maps, activity tables."
);
json_class!(
    PyReportSpec,
    "ReportSpec",
    ReportSpec,
    "report spec",
    "What a review measures: the catalog (calendars, services, policies, commitments), the lifecycle, periods and breakdowns."
);

/// An export read through a profile: the tickets' timelines, where every
/// row went (the ledger), and the tool's recorded verdicts.
#[pyclass(name = "Ingested", module = "servicelevel", frozen)]
pub struct PyIngested {
    pub inner: Ingested,
}

#[pymethods]
impl PyIngested {
    /// How many tickets have a usable row.
    #[getter]
    fn tickets(&self) -> usize {
        self.inner.timelines.len()
    }

    /// The latest instant of a used row (a review's default `as_of`).
    #[getter]
    fn latest(&self) -> Option<DateTime<Utc>> {
        self.inner.latest
    }

    /// The ledger as JSON: every source's rows, used and rejected, with
    /// each rejected row's number and reason.
    fn ledger_json(&self) -> PyResult<String> {
        json::write(&self.inner.ledger, "ledger")
    }

    fn __repr__(&self) -> String {
        format!(
            "<Ingested: {} rows, {} used, {} tickets, {} rejected>",
            self.inner.ledger.rows(),
            self.inner.ledger.used(),
            self.inner.ledger.tickets(),
            self.inner.ledger.rejected().len()
        )
    }
}

/// Reads an export through a profile. Every column must be `string` (the
/// Python layer reads files and casts DataFrames so); a null cell reads as
/// an empty one, as in a CSV file.
#[pyfunction]
pub fn _ingest(
    py: Python<'_>,
    table: PyTable,
    profile: PyRef<'_, PyExportProfile>,
    source: &str,
) -> PyResult<PyIngested> {
    let (batches, schema) = table.into_inner();
    let header: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let profile = profile.inner.clone();
    let source = source.to_owned();
    let outcome = py.detach(move || -> Result<Ingested, Failure> {
        let mut ingest = profile.ingest();
        ingest.source(&source, &header).map_err(Failure::Engine)?;
        for batch in &batches {
            let columns: Vec<&StringArray> =
                (0..batch.num_columns())
                    .map(|c| {
                        batch.column(c).as_any().downcast_ref::<StringArray>().ok_or_else(|| {
                            Failure::NotStrings(format!("{}: {}", header[c], batch.column(c).data_type()))
                        })
                    })
                    .collect::<Result<_, _>>()?;
            for i in 0..batch.num_rows() {
                ingest.row(columns.iter().map(|c| if c.is_null(i) { "" } else { c.value(i) }));
            }
        }
        Ok(ingest.finish())
    });
    match outcome {
        Ok(inner) => Ok(PyIngested { inner }),
        Err(Failure::Engine(e)) => Err(errors::to_py(py, &e, None)),
        Err(Failure::NotStrings(column)) => Err(errors::input(
            "not_strings",
            format!("every column of an export must be text; {column}"),
            None,
        )),
    }
}

enum Failure {
    Engine(servicelevel::Error),
    NotStrings(String),
}

/// A service review.
#[pyclass(name = "Report", module = "servicelevel", frozen)]
pub struct PyReport {
    pub inner: Report,
}

#[pymethods]
impl PyReport {
    /// The report as JSON (the crate's serde form: what the review command
    /// writes with `--format json`).
    fn to_json(&self) -> PyResult<String> {
        json::write(&self.inner, "report")
    }

    /// The report as Python dicts and lists (its JSON form, read back).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?.call_method1("loads", (self.to_json()?,))
    }

    /// The report as tidy rows, one figure per row: `service`, `period`
    /// (`total` or its label), `start`, `end`, `breakdown`, `group`, `team`,
    /// `policy`, `measure`, `unit` (`count`, `percent`, `seconds`) and
    /// `value` (`decimal128(38, 9)`, null when unknown).
    fn rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let batch = rows_batch(&self.inner)?;
        let schema = batch.schema();
        PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyTuple>)> {
        let py = slf.py();
        let from_json = py.get_type::<PyReport>().getattr("from_json")?;
        Ok((from_json, PyTuple::new(py, [slf.get().to_json()?])?))
    }

    /// A report from its JSON text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<PyReport> {
        Ok(PyReport {
            inner: json::parse(text, "report")?,
        })
    }
}

/// The review of an ingested export under a spec, for one service (the
/// spec's only one by default), as of an instant (the latest used row by
/// default).
#[pyfunction]
#[pyo3(signature = (ingested, spec, service=None, as_of=None))]
pub fn _review(
    py: Python<'_>,
    ingested: PyRef<'_, PyIngested>,
    spec: PyRef<'_, PyReportSpec>,
    service: Option<&str>,
    as_of: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyReport> {
    let as_of = match as_of {
        Some(at) => time::instant(at, "as_of")?,
        None => ingested
            .inner
            .latest
            .ok_or_else(|| errors::input("no_rows", "the export has no usable row: give `as_of`", Some("as_of")))?,
    };
    let service = service_of(&spec.inner, service)?;
    let ingested = &ingested.inner;
    let spec = &spec.inner;
    let report = py.detach(|| -> servicelevel::Result<Report> {
        let mut reporter = spec.reporter(as_of);
        for timeline in &ingested.timelines {
            let recorded = ingested.verdicts.get(timeline.ticket()).copied();
            reporter.add_with_verdict(&service, timeline, recorded)?;
        }
        Ok(reporter.finish().with_ledger(ingested.ledger.clone()))
    });
    report
        .map(|inner| PyReport { inner })
        .map_err(|e| errors::to_py(py, &e, None))
}

/// The named service, or the catalog's only one.
pub fn service_of(spec: &ReportSpec, service: Option<&str>) -> PyResult<String> {
    let services = spec.catalog().services();
    match service {
        Some(id) if services.iter().any(|s| s.id().as_str() == id) => Ok(id.to_owned()),
        Some(id) => {
            let known: Vec<&str> = services.iter().map(|s| s.id().as_str()).collect();
            Err(errors::input(
                "unknown_service",
                format!(
                    "no service {id:?} in the spec's catalog (its services are {})",
                    known.join(", ")
                ),
                Some("service"),
            ))
        }
        None if services.len() == 1 => Ok(services[0].id().to_string()),
        None => Err(errors::input(
            "which_service",
            "the spec's catalog has several services: name one with `service=`",
            Some("service"),
        )),
    }
}

/// Decimal figures keep up to nine decimals (seconds to the nanosecond).
const ROW_SCALE: u32 = 9;

fn rows_batch(report: &Report) -> PyResult<RecordBatch> {
    let rows = report.rows();
    let text = || StringBuilder::with_capacity(rows.len(), rows.len() * 8);
    let (mut service, mut period, mut breakdown, mut group, mut team, mut policy, mut measure, mut unit) =
        (text(), text(), text(), text(), text(), text(), text(), text());
    let utc = || TimestampNanosecondBuilder::with_capacity(rows.len()).with_timezone("UTC");
    let (mut start, mut end) = (utc(), utc());
    let mut value = Decimal128Builder::with_capacity(rows.len())
        .with_precision_and_scale(38, ROW_SCALE as i8)
        .map_err(|e| errors::input("arrow", e.to_string(), None))?;
    for row in &rows {
        service.append_value(&row.service);
        period.append_value(&row.period);
        start.append_option(time::to_nanos(row.start));
        end.append_option(time::to_nanos(row.end));
        breakdown.append_value(&row.breakdown);
        group.append_value(&row.group);
        team.append_value(&row.team);
        policy.append_value(&row.policy);
        measure.append_value(row.measure);
        let unit_name = serde_json::to_value(row.unit)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        unit.append_value(unit_name);
        value.append_option(row.value.map(|v: Decimal| {
            let mut v = v.round_dp_with_strategy(ROW_SCALE, RoundingStrategy::MidpointAwayFromZero);
            v.rescale(ROW_SCALE);
            v.mantissa()
        }));
    }
    let ts = DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into()));
    let fields = vec![
        ArrowField::new("service", DataType::Utf8, false),
        ArrowField::new("period", DataType::Utf8, false),
        ArrowField::new("start", ts.clone(), true),
        ArrowField::new("end", ts, true),
        ArrowField::new("breakdown", DataType::Utf8, false),
        ArrowField::new("group", DataType::Utf8, false),
        ArrowField::new("team", DataType::Utf8, false),
        ArrowField::new("policy", DataType::Utf8, false),
        ArrowField::new("measure", DataType::Utf8, false),
        ArrowField::new("unit", DataType::Utf8, false),
        ArrowField::new("value", DataType::Decimal128(38, ROW_SCALE as i8), true),
    ];
    let columns: Vec<ArrayRef> = vec![
        Arc::new(service.finish()),
        Arc::new(period.finish()),
        Arc::new(start.finish()),
        Arc::new(end.finish()),
        Arc::new(breakdown.finish()),
        Arc::new(group.finish()),
        Arc::new(team.finish()),
        Arc::new(policy.finish()),
        Arc::new(measure.finish()),
        Arc::new(unit.finish()),
        Arc::new(value.finish()),
    ];
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
        .map_err(|e| errors::input("arrow", format!("the rows table: {e}"), None))
}

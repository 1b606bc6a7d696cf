//! `evaluate`: an events table in, one row per ticket x policy x cycle out
//! (the `task_sla` shape), through Arrow both ways.
//!
//! The Python layer hands over a table whose `ticket` and field columns are
//! `string` and whose instant column is `timestamp[ns, UTC]`; this module
//! groups the rows by ticket, interns each batch's field values (one shared
//! name per distinct value, no string per event), builds the timelines and
//! evaluates them with the GIL released.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Decimal128Builder, DurationNanosecondBuilder, StringBuilder, TimestampNanosecondBuilder,
    UInt32Builder,
};
use arrow_array::{Array, ArrayRef, RecordBatch, StringArray, TimestampNanosecondArray};
use arrow_schema::{DataType, Field as ArrowField, Schema, SchemaRef, TimeUnit};
use chrono::{DateTime, TimeDelta, Utc};
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use servicelevel::eval::{Cycle, Evaluation, Evaluator, State};
use servicelevel::event::{Action, EventBody, Field, Timeline, Value};
use servicelevel::{BusinessCalendar, Event};

use crate::calendar::PyCalendar;
use crate::policy::PyPolicy;
use crate::{errors, time};

/// How a row's empty (null) field cells read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rows {
    /// A row carries the fields that changed; a null leaves a field as it was.
    Changes,
    /// A row is the whole state after the update; a null clears the field.
    Snapshots,
}

/// What a ticket that cannot be evaluated does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum OnError {
    Raise,
    Report,
}

/// One row, reduced to what the timeline needs.
struct Row {
    index: usize,
    at: i64,
    action: Option<Action>,
    fields: Vec<(usize, Option<Value>)>,
}

/// A problem met while building or evaluating, with the input row.
struct Problem {
    ticket: String,
    policy: Option<String>,
    row: Option<usize>,
    error: servicelevel::Error,
}

#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (table, policies, calendar, as_of, ticket, at, action, fields, rows, errors))]
pub fn _evaluate<'py>(
    py: Python<'py>,
    table: PyTable,
    policies: Vec<PyRef<'py, PyPolicy>>,
    calendar: PyRef<'py, PyCalendar>,
    as_of: &Bound<'py, PyAny>,
    ticket: &str,
    at: &str,
    action: Option<&str>,
    fields: Vec<String>,
    rows: &str,
    errors: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let as_of = time::instant(as_of, "as_of")?;
    let rows = match rows {
        "changes" => Rows::Changes,
        "snapshots" => Rows::Snapshots,
        other => return Err(choice("rows", other, "\"changes\" or \"snapshots\"")),
    };
    let on_error = match errors {
        "raise" => OnError::Raise,
        "report" => OnError::Report,
        other => return Err(choice("errors", other, "\"raise\" or \"report\"")),
    };
    let (batches, schema) = table.into_inner();
    let columns = Columns::find(&schema, ticket, at, action, &fields)?;
    let policies: Vec<servicelevel::policy::Policy> = policies.iter().map(|p| p.inner.clone()).collect();
    let calendar: Arc<BusinessCalendar> = Arc::clone(&calendar.inner);
    let field_names: Vec<Field> = fields.iter().map(|f| Field::new(f)).collect();
    let outcome = py.detach(move || {
        let tickets = group(&batches, &columns)?;
        let evaluator = policies
            .into_iter()
            .fold(Evaluator::new(), |e, p| e.policy(p, (*calendar).clone()));
        Ok::<_, PyErrLater>(evaluate_all(&tickets, &field_names, rows, &evaluator, as_of))
    });
    let (out, problems) = outcome.map_err(|e| e.into_py())?;
    if on_error == OnError::Raise
        && let Some(problem) = problems.first()
    {
        return Err(errors::to_py(py, &problem.error, problem.row));
    }
    let batch = out.finish(&problems)?;
    let schema = batch.schema();
    PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
}

fn choice(name: &str, got: &str, expected: &str) -> PyErr {
    errors::input(
        "invalid_choice",
        format!("`{name}` must be {expected}, got {got:?}"),
        Some(name),
    )
}

/// An error found with the GIL released, raised once it is held again.
enum PyErrLater {
    Input {
        kind: &'static str,
        message: String,
        field: Option<String>,
    },
}

impl PyErrLater {
    fn into_py(self) -> PyErr {
        match self {
            PyErrLater::Input { kind, message, field } => errors::input(kind, message, field.as_deref()),
        }
    }
}

/// The positions of the columns the evaluation reads.
struct Columns {
    ticket: usize,
    at: usize,
    action: Option<usize>,
    fields: Vec<usize>,
}

impl Columns {
    fn find(schema: &SchemaRef, ticket: &str, at: &str, action: Option<&str>, fields: &[String]) -> PyResult<Columns> {
        let position = |name: &str, role: &str| {
            schema.index_of(name).map_err(|_| {
                let known: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
                errors::input(
                    "unknown_column",
                    format!(
                        "no column {name:?} for the {role} (the columns are {})",
                        known.join(", ")
                    ),
                    Some(name),
                )
            })
        };
        Ok(Columns {
            ticket: position(ticket, "ticket")?,
            at: position(at, "instant")?,
            action: action.map(|a| position(a, "action")).transpose()?,
            fields: fields.iter().map(|f| position(f, "field")).collect::<PyResult<_>>()?,
        })
    }
}

fn strings(batch: &RecordBatch, column: usize) -> Result<&StringArray, PyErrLater> {
    batch
        .column(column)
        .as_any()
        .downcast_ref::<StringArray>()
        .ok_or_else(|| PyErrLater::Input {
            kind: "not_strings",
            message: format!(
                "column {:?} must be strings, got {}",
                batch.schema().field(column).name(),
                batch.column(column).data_type()
            ),
            field: Some(batch.schema().field(column).name().clone()),
        })
}

/// The rows of every ticket, in order of first appearance, each ticket's
/// sorted by instant (ties in input order).
fn group(batches: &[RecordBatch], columns: &Columns) -> Result<Vec<(String, Vec<Row>)>, PyErrLater> {
    let mut order: HashMap<String, usize> = HashMap::new();
    let mut tickets: Vec<(String, Vec<Row>)> = Vec::new();
    let mut offset = 0usize;
    for batch in batches {
        let ids = strings(batch, columns.ticket)?;
        let instants = batch
            .column(columns.at)
            .as_any()
            .downcast_ref::<TimestampNanosecondArray>()
            .ok_or_else(|| PyErrLater::Input {
                kind: "not_timestamps",
                message: format!(
                    "the instant column must be timestamp[ns, tz], got {}",
                    batch.column(columns.at).data_type()
                ),
                field: None,
            })?;
        let actions = columns.action.map(|c| strings(batch, c)).transpose()?;
        let field_columns: Vec<&StringArray> = columns
            .fields
            .iter()
            .map(|&c| strings(batch, c))
            .collect::<Result<_, _>>()?;
        // One shared value per distinct text in this batch's column.
        let mut interned: Vec<HashMap<&str, Value>> = vec![HashMap::new(); field_columns.len()];
        let mut action_names: HashMap<&str, Action> = HashMap::new();
        for i in 0..batch.num_rows() {
            let index = offset + i;
            if ids.is_null(i) || instants.is_null(i) {
                let what = if ids.is_null(i) { "ticket" } else { "instant" };
                return Err(PyErrLater::Input {
                    kind: "missing_value",
                    message: format!("row {index}: the {what} is empty"),
                    field: None,
                });
            }
            let fields = field_columns
                .iter()
                .zip(interned.iter_mut())
                .enumerate()
                .map(|(f, (column, values))| {
                    let value = (!column.is_null(i)).then(|| {
                        let text = column.value(i);
                        values.entry(text).or_insert_with(|| Value::new(text)).clone()
                    });
                    (f, value)
                })
                .collect();
            let action = actions.filter(|a| !a.is_null(i)).map(|a| {
                action_names
                    .entry(a.value(i))
                    .or_insert_with(|| Action::new(a.value(i)))
                    .clone()
            });
            let id = ids.value(i);
            let slot = match order.get(id) {
                Some(&slot) => slot,
                None => {
                    order.insert(id.to_owned(), tickets.len());
                    tickets.push((id.to_owned(), Vec::new()));
                    tickets.len() - 1
                }
            };
            tickets[slot].1.push(Row {
                index,
                at: instants.value(i),
                action,
                fields,
            });
        }
        offset += batch.num_rows();
    }
    for (_, rows) in &mut tickets {
        rows.sort_by_key(|r| r.at);
    }
    Ok(tickets)
}

/// A ticket's events from its rows, with the row each event came from.
fn events(ticket: &str, rows: &[Row], names: &[Field], mode: Rows) -> (Vec<Event>, Vec<usize>) {
    let mut events = Vec::with_capacity(rows.len());
    let mut origin = Vec::with_capacity(rows.len());
    let mut state: Vec<Option<Value>> = vec![None; names.len()];
    for (n, row) in rows.iter().enumerate() {
        let at = time::from_nanos(row.at);
        if n == 0 {
            let set = row
                .fields
                .iter()
                .filter_map(|(f, v)| v.clone().map(|v| (names[*f].clone(), v)))
                .collect();
            for (f, v) in &row.fields {
                state[*f] = v.clone();
            }
            events.push(Event::new(ticket, at, EventBody::Created(set)));
            origin.push(row.index);
        } else {
            let changes: Vec<(Field, Option<Value>)> = row
                .fields
                .iter()
                .filter_map(|(f, v)| match (mode, v) {
                    (Rows::Changes, Some(v)) => Some((names[*f].clone(), Some(v.clone()))),
                    (Rows::Changes, None) => None,
                    (Rows::Snapshots, v) if *v != state[*f] => Some((names[*f].clone(), v.clone())),
                    (Rows::Snapshots, _) => None,
                })
                .collect();
            for (f, v) in &row.fields {
                if mode == Rows::Snapshots || v.is_some() {
                    state[*f] = v.clone();
                }
            }
            // A row that changes nothing and does nothing is still the
            // ticket's event (an update), so that every row is used.
            if !changes.is_empty() || row.action.is_none() {
                events.push(Event::new(ticket, at, EventBody::Changed(changes)));
                origin.push(row.index);
            }
        }
        if let Some(action) = &row.action {
            events.push(Event::new(ticket, at, EventBody::Action(action.clone())));
            origin.push(row.index);
        }
    }
    (events, origin)
}

fn evaluate_all(
    tickets: &[(String, Vec<Row>)],
    names: &[Field],
    mode: Rows,
    evaluator: &Evaluator,
    as_of: DateTime<Utc>,
) -> (Output, Vec<Problem>) {
    let mut out = Output::default();
    let mut problems = Vec::new();
    for (ticket, rows) in tickets {
        let (events, origin) = events(ticket, rows, names, mode);
        let timeline = match Timeline::new(events) {
            Ok(t) => t,
            Err(error) => {
                let row = error.position().and_then(|p| origin.get(p).copied());
                problems.push(Problem {
                    ticket: ticket.clone(),
                    policy: None,
                    row,
                    error,
                });
                continue;
            }
        };
        for (policy, result) in evaluator.policies().zip(evaluator.evaluate(&timeline, as_of)) {
            match result {
                Ok(evaluation) => out.add(&evaluation),
                Err(error) => {
                    let row = error.position().and_then(|p| origin.get(p).copied());
                    problems.push(Problem {
                        ticket: ticket.clone(),
                        policy: Some(policy.id().to_string()),
                        row,
                        error,
                    });
                }
            }
        }
    }
    (out, problems)
}

/// The output columns, filled row by row.
struct Output {
    ticket: StringBuilder,
    policy: StringBuilder,
    cycle: UInt32Builder,
    state: StringBuilder,
    calendar: StringBuilder,
    start: TimestampNanosecondBuilder,
    stop: TimestampNanosecondBuilder,
    due: TimestampNanosecondBuilder,
    breached_at: TimestampNanosecondBuilder,
    target: DurationNanosecondBuilder,
    business_elapsed: DurationNanosecondBuilder,
    wall_elapsed: DurationNanosecondBuilder,
    business_paused: DurationNanosecondBuilder,
    wall_paused: DurationNanosecondBuilder,
    time_left: DurationNanosecondBuilder,
    percent: Decimal128Builder,
    wall_percent: Decimal128Builder,
    breached: BooleanBuilder,
    error: StringBuilder,
    /// The first instant or duration an Arrow nanosecond column cannot hold.
    overflow: Option<String>,
}

impl Default for Output {
    fn default() -> Output {
        let utc = || TimestampNanosecondBuilder::new().with_timezone("UTC");
        let percent = || {
            Decimal128Builder::new()
                .with_precision_and_scale(38, PERCENT_SCALE as i8)
                .expect("38, 6 is a valid decimal")
        };
        Output {
            ticket: StringBuilder::new(),
            policy: StringBuilder::new(),
            cycle: UInt32Builder::new(),
            state: StringBuilder::new(),
            calendar: StringBuilder::new(),
            start: utc(),
            stop: utc(),
            due: utc(),
            breached_at: utc(),
            target: DurationNanosecondBuilder::new(),
            business_elapsed: DurationNanosecondBuilder::new(),
            wall_elapsed: DurationNanosecondBuilder::new(),
            business_paused: DurationNanosecondBuilder::new(),
            wall_paused: DurationNanosecondBuilder::new(),
            time_left: DurationNanosecondBuilder::new(),
            percent: percent(),
            wall_percent: percent(),
            breached: BooleanBuilder::new(),
            error: StringBuilder::new(),
            overflow: None,
        }
    }
}

/// Percentages keep the crate's six decimals.
const PERCENT_SCALE: u32 = 6;

fn state_name(state: State) -> &'static str {
    match state {
        State::NotStarted => "not_started",
        State::Running => "running",
        State::Paused => "paused",
        State::Met => "met",
        State::Breached => "breached",
        State::Cancelled => "cancelled",
        _ => "unknown",
    }
}

impl Output {
    fn add(&mut self, evaluation: &Evaluation) {
        for (n, cycle) in evaluation.cycles.iter().enumerate() {
            self.ticket.append_value(evaluation.ticket.as_str());
            self.policy.append_value(evaluation.policy.as_str());
            self.cycle.append_value(u32::try_from(n).unwrap_or(u32::MAX));
            self.state.append_value(state_name(cycle.state));
            self.calendar.append_option(cycle.calendar.as_deref());
            self.instants(cycle);
            self.durations(cycle);
            let percent = |d: rust_decimal::Decimal| {
                let mut d = d;
                d.rescale(PERCENT_SCALE);
                d.mantissa()
            };
            self.percent.append_value(percent(cycle.elapsed_percent()));
            self.wall_percent.append_value(percent(cycle.wall_elapsed_percent()));
            self.breached
                .append_value(cycle.breached_at.is_some_and(|at| at <= cycle.as_of));
            self.error.append_null();
        }
    }

    fn instant(&mut self, at: DateTime<Utc>) -> Option<i64> {
        let ns = time::to_nanos(at);
        if ns.is_none() && self.overflow.is_none() {
            self.overflow = Some(format!(
                "{at} is outside what timestamp[ns] holds (1677-09-21 to 2262-04-11)"
            ));
        }
        ns
    }

    fn span(&mut self, d: TimeDelta) -> Option<i64> {
        let ns = time::duration_nanos(d);
        if ns.is_none() && self.overflow.is_none() {
            self.overflow = Some(format!("{d} is longer than duration[ns] holds"));
        }
        ns
    }

    fn instants(&mut self, cycle: &Cycle) {
        let start = self.instant(cycle.start);
        self.start.append_option(start);
        let stop = cycle.end.and_then(|e| self.instant(e));
        self.stop.append_option(stop);
        let due = self.instant(cycle.due);
        self.due.append_option(due);
        let breached_at = cycle.breached_at.and_then(|b| self.instant(b));
        self.breached_at.append_option(breached_at);
    }

    fn durations(&mut self, cycle: &Cycle) {
        let values = [
            cycle.target,
            cycle.business_used,
            cycle.wall_used,
            cycle.paused_business,
            cycle.paused_wall,
            cycle.remaining,
        ];
        let ns: Vec<Option<i64>> = values.into_iter().map(|d| self.span(d)).collect();
        self.target.append_option(ns[0]);
        self.business_elapsed.append_option(ns[1]);
        self.wall_elapsed.append_option(ns[2]);
        self.business_paused.append_option(ns[3]);
        self.wall_paused.append_option(ns[4]);
        self.time_left.append_option(ns[5]);
    }

    /// A row per problem (`errors="report"`): the ticket, the policy, and
    /// the error with its cause chain; the measured columns null.
    fn problem(&mut self, problem: &Problem) {
        self.ticket.append_value(&problem.ticket);
        self.policy.append_option(problem.policy.as_deref());
        self.cycle.append_null();
        self.state.append_value("error");
        self.calendar.append_null();
        for column in [&mut self.start, &mut self.stop, &mut self.due, &mut self.breached_at] {
            column.append_null();
        }
        for column in [
            &mut self.target,
            &mut self.business_elapsed,
            &mut self.wall_elapsed,
            &mut self.business_paused,
            &mut self.wall_paused,
            &mut self.time_left,
        ] {
            column.append_null();
        }
        self.percent.append_null();
        self.wall_percent.append_null();
        self.breached.append_null();
        let row = problem.row.map_or(String::new(), |r| format!("row {r}: "));
        self.error.append_value(format!("{row}{}", problem.error));
    }

    fn finish(mut self, problems: &[Problem]) -> PyResult<RecordBatch> {
        if let Some(overflow) = self.overflow.take() {
            return Err(errors::input("timestamp_out_of_range", overflow, None));
        }
        for problem in problems {
            self.problem(problem);
        }
        let ts = || DataType::Timestamp(TimeUnit::Nanosecond, Some("UTC".into()));
        let dur = || DataType::Duration(TimeUnit::Nanosecond);
        let pct = || DataType::Decimal128(38, PERCENT_SCALE as i8);
        let fields = [
            ("ticket", DataType::Utf8),
            ("policy", DataType::Utf8),
            ("cycle", DataType::UInt32),
            ("state", DataType::Utf8),
            ("calendar", DataType::Utf8),
            ("start", ts()),
            ("stop", ts()),
            ("due", ts()),
            ("breached_at", ts()),
            ("target", dur()),
            ("business_elapsed", dur()),
            ("wall_elapsed", dur()),
            ("business_paused", dur()),
            ("wall_paused", dur()),
            ("time_left", dur()),
            ("percent", pct()),
            ("wall_percent", pct()),
            ("breached", DataType::Boolean),
            ("error", DataType::Utf8),
        ];
        let schema = Schema::new(
            fields
                .into_iter()
                .map(|(name, ty)| ArrowField::new(name, ty, true))
                .collect::<Vec<_>>(),
        );
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.ticket.finish()),
            Arc::new(self.policy.finish()),
            Arc::new(self.cycle.finish()),
            Arc::new(self.state.finish()),
            Arc::new(self.calendar.finish()),
            Arc::new(self.start.finish()),
            Arc::new(self.stop.finish()),
            Arc::new(self.due.finish()),
            Arc::new(self.breached_at.finish()),
            Arc::new(self.target.finish()),
            Arc::new(self.business_elapsed.finish()),
            Arc::new(self.wall_elapsed.finish()),
            Arc::new(self.business_paused.finish()),
            Arc::new(self.wall_paused.finish()),
            Arc::new(self.time_left.finish()),
            Arc::new(self.percent.finish()),
            Arc::new(self.wall_percent.finish()),
            Arc::new(self.breached.finish()),
            Arc::new(self.error.finish()),
        ];
        RecordBatch::try_new(Arc::new(schema), columns)
            .map_err(|e| errors::input("arrow", format!("the result table: {e}"), None))
    }
}

//! `evaluate`: an events table in, one row per ticket x policy x cycle out
//! (the `task_sla` shape), through Arrow both ways.
//!
//! The Python layer hands over a table whose `ticket` and field columns are
//! `string` and whose instant column is `timestamp[ns, UTC]`; this module
//! groups the rows by ticket, interns each batch's field values (one shared
//! name per distinct value, no string per event) and evaluates each ticket's
//! rows as borrowed events (`Evaluator::evaluate_refs`: no `Event`, no
//! allocation and no reference count per row) with the GIL released.

use rustc_hash::FxHashMap;

use arrow_array::{Array, RecordBatch, StringArray, TimestampNanosecondArray};
use arrow_schema::SchemaRef;
use chrono::{DateTime, Utc};
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use servicelevel::Event;
use servicelevel::eval::{Evaluator, EvaluatorCache};
use servicelevel::event::{Action, EventBody, EventRef, Field, TicketId, Value};

use crate::calendar::PyCalendar;
use crate::output::Output;
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

/// One row, reduced to what the timeline needs: its field cells are
/// `cells[index * fields .. (index + 1) * fields]` of the [`Grouped`] rows.
#[derive(Clone, Copy)]
struct Row {
    /// The input row (tables are at most `u32::MAX` rows).
    index: u32,
    /// The action's index in [`Grouped::actions`], or [`EMPTY`].
    action: u32,
    at: i64,
}

/// Sentinel for an empty cell.
const EMPTY: u32 = u32::MAX;

/// The rows grouped by ticket, with every distinct field value and action
/// interned once.
struct Grouped<'b> {
    /// Each ticket's id (in the input's buffers: its `TicketId` is made
    /// when it is evaluated, not kept for the whole table) with the range
    /// of its rows in `rows`.
    tickets: Vec<(&'b str, std::ops::Range<usize>)>,
    /// Every row, grouped by ticket (in order of first appearance), each
    /// ticket's sorted by instant (ties in input order).
    rows: Vec<Row>,
    /// Per row and field column, the value's index in `values[column]`.
    cells: Vec<u32>,
    values: Vec<Vec<Value>>,
    actions: Vec<Action>,
}

/// Interns the texts of one column: each distinct text becomes one shared
/// value, looked up once per row (a run of equal texts, the common case in
/// sorted exports, is not even hashed; a column of a few distinct texts,
/// such as a status, is searched without hashing).
struct Interner<'b> {
    ids: FxHashMap<&'b str, u32>,
    few: Vec<(&'b str, u32)>,
    last: Option<(&'b str, u32)>,
}

/// Up to this many distinct texts, a column is searched linearly.
const FEW: usize = 16;

impl<'b> Interner<'b> {
    fn new() -> Interner<'b> {
        Interner {
            ids: FxHashMap::default(),
            few: Vec::new(),
            last: None,
        }
    }

    fn id<T>(&mut self, text: &'b str, values: &mut Vec<T>, make: impl FnOnce(&str) -> T) -> Result<u32, PyErrLater> {
        if let Some((last, id)) = self.last
            && last == text
        {
            return Ok(id);
        }
        let id = match self.few.iter().find(|(t, _)| *t == text) {
            Some(&(_, id)) => id,
            None => self.insert(text, values, make)?,
        };
        self.last = Some((text, id));
        Ok(id)
    }

    fn insert<T>(
        &mut self,
        text: &'b str,
        values: &mut Vec<T>,
        make: impl FnOnce(&str) -> T,
    ) -> Result<u32, PyErrLater> {
        let next = u32::try_from(values.len())
            .ok()
            .filter(|&n| n < EMPTY)
            .ok_or_else(|| PyErrLater::Input {
                kind: "too_many_values",
                message: "a column has more than 4 billion distinct values".into(),
                field: None,
            })?;
        if values.len() < FEW {
            values.push(make(text));
            self.few.push((text, next));
            return Ok(next);
        }
        if self.ids.is_empty() {
            self.ids.extend(self.few.iter().copied());
        }
        Ok(*self.ids.entry(text).or_insert_with(|| {
            values.push(make(text));
            next
        }))
    }
}

/// A problem met while building or evaluating, with the input row.
pub(crate) struct Problem {
    pub(crate) ticket: String,
    pub(crate) policy: Option<String>,
    pub(crate) row: Option<usize>,
    pub(crate) error: servicelevel::Error,
}

#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (table, policies, calendar, as_of, ticket, at, action, fields, rows, errors, spec=None, service=None))]
pub fn _evaluate<'py>(
    py: Python<'py>,
    table: PyTable,
    policies: Vec<PyRef<'py, PyPolicy>>,
    calendar: Option<PyRef<'py, PyCalendar>>,
    as_of: &Bound<'py, PyAny>,
    ticket: &str,
    at: &str,
    action: Option<&str>,
    fields: Vec<String>,
    rows: &str,
    errors: &str,
    spec: Option<PyRef<'py, crate::review::PyReportSpec>>,
    service: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let as_of = time::instant(as_of, "as_of")?;
    let evaluator = evaluator_of(py, &policies, calendar.as_deref(), spec.as_deref(), service)?;
    let rows = match rows {
        "changes" => Rows::Changes,
        "snapshots" => Rows::Snapshots,
        other => return Err(choice("rows", other, "\"changes\" or \"snapshots\"")),
    };
    let on_error = on_error_of(errors)?;
    let (batches, schema) = table.into_inner();
    let columns = Columns::find(&schema, ticket, at, action, &fields)?;
    let field_names: Vec<Field> = fields.iter().map(|f| Field::new(f)).collect();
    let outcome = py.detach(move || {
        let grouped = group(&batches, &columns)?;
        Ok::<_, PyErrLater>(evaluate_all(&grouped, &field_names, rows, &evaluator, as_of))
    });
    let (out, problems) = outcome.map_err(|e| e.into_py())?;
    task_sla(py, out, &problems, on_error)
}

/// The result table, or the first problem raised.
fn task_sla<'py>(py: Python<'py>, out: Output, problems: &[Problem], on_error: OnError) -> PyResult<Bound<'py, PyAny>> {
    if on_error == OnError::Raise
        && let Some(problem) = problems.first()
    {
        return Err(errors::to_py(py, &problem.error, problem.row));
    }
    let batch = out.finish(problems)?;
    let schema = batch.schema();
    PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)
}

fn on_error_of(errors: &str) -> PyResult<OnError> {
    match errors {
        "raise" => Ok(OnError::Raise),
        "report" => Ok(OnError::Report),
        other => Err(choice("errors", other, "\"raise\" or \"report\"")),
    }
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
///
/// The rows go into one flat vector (no vector per ticket: a million
/// tickets would be a million allocations); a table already grouped by
/// ticket, the usual case, is taken as it is, and any other is put in
/// ticket order by a stable counting sort.
fn group<'b>(batches: &'b [RecordBatch], columns: &Columns) -> Result<Grouped<'b>, PyErrLater> {
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    let width = columns.fields.len();
    if u32::try_from(rows).is_err() {
        return Err(PyErrLater::Input {
            kind: "too_many_values",
            message: format!("the table has {rows} rows, more than 4 billion"),
            field: None,
        });
    }
    // While the ticket column is sorted (the usual export or Spark
    // partition), a ticket is new exactly when its id is greater than the
    // last one, and no map is needed; the first id out of order builds it.
    let mut order: Option<FxHashMap<&str, u32>> = None;
    let mut last_ticket: Option<(&str, u32)> = None;
    let mut ids: Vec<&'b str> = Vec::new();
    let mut slots: Vec<u32> = Vec::with_capacity(rows);
    let mut in_input_order: Vec<Row> = Vec::with_capacity(rows);
    let mut grouped_already = true;
    let mut cells = Vec::with_capacity(rows.saturating_mul(width));
    let mut values = vec![Vec::new(); width];
    let mut actions_seen = Vec::new();
    let mut interners: Vec<Interner<'_>> = (0..width).map(|_| Interner::new()).collect();
    let mut action_interner = Interner::new();
    let mut offset = 0usize;
    for batch in batches {
        let tickets = strings(batch, columns.ticket)?;
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
        for i in 0..batch.num_rows() {
            let index = offset + i;
            if tickets.is_null(i) || instants.is_null(i) {
                let what = if tickets.is_null(i) { "ticket" } else { "instant" };
                return Err(PyErrLater::Input {
                    kind: "missing_value",
                    message: format!("row {index}: the {what} is empty"),
                    field: None,
                });
            }
            for ((column, interner), values) in field_columns.iter().zip(&mut interners).zip(&mut values) {
                let cell = if column.is_null(i) {
                    EMPTY
                } else {
                    interner.id(column.value(i), values, Value::new)?
                };
                cells.push(cell);
            }
            let action = match actions {
                Some(a) if !a.is_null(i) => action_interner.id(a.value(i), &mut actions_seen, Action::new)?,
                _ => EMPTY,
            };
            let id = tickets.value(i);
            let slot = match last_ticket {
                Some((last, slot)) if last == id => slot,
                _ => {
                    let next = u32::try_from(ids.len()).map_err(|_| PyErrLater::Input {
                        kind: "too_many_values",
                        message: "the table has more than 4 billion tickets".into(),
                        field: None,
                    })?;
                    let sorted_so_far = order.is_none() && last_ticket.is_none_or(|(last, _)| id > last);
                    let slot = if sorted_so_far {
                        next
                    } else {
                        let order = order.get_or_insert_with(|| {
                            let mut map =
                                FxHashMap::with_capacity_and_hasher(ids.len().saturating_mul(2), Default::default());
                            map.extend(ids.iter().zip(0..).map(|(&t, n)| (t, n)));
                            map
                        });
                        *order.entry(id).or_insert(next)
                    };
                    if slot == next {
                        ids.push(id);
                    }
                    // A ticket seen before, after another: the table is not grouped.
                    grouped_already &= slot == next;
                    slot
                }
            };
            last_ticket = Some((id, slot));
            slots.push(slot);
            in_input_order.push(Row {
                // Checked against the row count above.
                index: index as u32,
                at: instants.value(i),
                action,
            });
        }
        offset += batch.num_rows();
    }
    let (mut rows, starts) = if grouped_already {
        let starts = run_starts(&slots, ids.len());
        (in_input_order, starts)
    } else {
        counting_sort(&in_input_order, &slots, ids.len())
    };
    let mut tickets = Vec::with_capacity(ids.len());
    for (n, id) in ids.into_iter().enumerate() {
        let range = starts[n]..starts[n + 1];
        let share = &mut rows[range.clone()];
        if !share.is_sorted_by_key(|r| r.at) {
            share.sort_by_key(|r| r.at);
        }
        tickets.push((id, range));
    }
    Ok(Grouped {
        tickets,
        rows,
        cells,
        values,
        actions: actions_seen,
    })
}

/// Where each ticket's rows start, for slots that are already grouped
/// (non-decreasing), with the end as the last entry.
fn run_starts(slots: &[u32], tickets: usize) -> Vec<usize> {
    let mut starts = Vec::with_capacity(tickets + 1);
    for (n, slot) in slots.iter().enumerate() {
        if *slot as usize == starts.len() {
            starts.push(n);
        }
    }
    starts.push(slots.len());
    starts
}

/// The rows in ticket order, stable (a ticket's rows keep their input
/// order), with where each ticket's rows start and the end.
fn counting_sort(rows: &[Row], slots: &[u32], tickets: usize) -> (Vec<Row>, Vec<usize>) {
    let mut starts = vec![0usize; tickets + 1];
    for slot in slots {
        starts[*slot as usize + 1] += 1;
    }
    for n in 0..tickets {
        starts[n + 1] += starts[n];
    }
    let mut next = starts.clone();
    // Every place is written once below; the copy only gives the length.
    let mut sorted = rows.to_vec();
    for (row, slot) in rows.iter().zip(slots) {
        let place = &mut next[*slot as usize];
        sorted[*place] = *row;
        *place += 1;
    }
    (sorted, starts)
}

impl Grouped<'_> {
    fn cell(&self, row: &Row, field: usize, width: usize) -> Option<&Value> {
        let id = self.cells[row.index as usize * width + field];
        (id != EMPTY).then(|| &self.values[field][id as usize])
    }

    /// A ticket's events from its rows, owned (the evaluation reads
    /// [`Grouped::shapes`]; these are built again only for a ticket in
    /// error, to find its rows); `origin`, when given, gets the row each
    /// event came from. `state` is
    /// a buffer kept from one ticket to the next.
    fn events<'g>(
        &'g self,
        ticket: &TicketId,
        rows: &[Row],
        names: &[Field],
        mode: Rows,
        state: &mut Vec<Option<&'g Value>>,
        mut origin: Option<&mut Vec<usize>>,
    ) -> Vec<Event> {
        let width = names.len();
        let mut events = Vec::with_capacity(rows.len());
        let mut came_from = |row: &Row| {
            if let Some(origin) = origin.as_deref_mut() {
                origin.push(row.index as usize);
            }
        };
        state.clear();
        state.resize(width, None);
        for (n, row) in rows.iter().enumerate() {
            let at = time::from_nanos(row.at);
            if n == 0 {
                let mut set = Vec::with_capacity(width);
                for (f, name) in names.iter().enumerate() {
                    let value = self.cell(row, f, width);
                    if let Some(v) = value {
                        set.push((name.clone(), v.clone()));
                    }
                    state[f] = value;
                }
                events.push(Event::new(ticket.clone(), at, EventBody::Created(set)));
                came_from(row);
            } else {
                let mut changes: Vec<(Field, Option<Value>)> = Vec::new();
                for (f, name) in names.iter().enumerate() {
                    let value = self.cell(row, f, width);
                    match (mode, value) {
                        (Rows::Changes, Some(v)) => {
                            changes.push((name.clone(), Some(v.clone())));
                            state[f] = Some(v);
                        }
                        (Rows::Changes, None) => {}
                        (Rows::Snapshots, v) if v != state[f] => {
                            changes.push((name.clone(), v.cloned()));
                            state[f] = v;
                        }
                        (Rows::Snapshots, _) => {}
                    }
                }
                // A row that changes nothing and does nothing is still the
                // ticket's event (an update), so that every row is used.
                if !changes.is_empty() || row.action == EMPTY {
                    events.push(Event::new(ticket.clone(), at, EventBody::Changed(changes)));
                    came_from(row);
                }
            }
            if row.action != EMPTY {
                let action = self.actions[row.action as usize].clone();
                events.push(Event::new(ticket.clone(), at, EventBody::Action(action)));
                came_from(row);
            }
        }
        events
    }
}

/// The shape of one event of a ticket, its fields in the [`Borrowed`]
/// buffers.
#[derive(Clone, Copy)]
enum Shape {
    Created(DateTime<Utc>),
    Changed(DateTime<Utc>, usize, usize),
    Action(DateTime<Utc>, u32),
}

/// A ticket's events as borrowed pairs (no reference count, no allocation
/// per event): buffers kept from one ticket to the next.
#[derive(Default)]
struct Borrowed<'g> {
    state: Vec<Option<&'g Value>>,
    created: Vec<(&'g Field, &'g Value)>,
    changes: Vec<(&'g Field, Option<&'g Value>)>,
    shapes: Vec<Shape>,
}

impl Grouped<'_> {
    /// A ticket's events, as [`Grouped::events`] makes them, into `into`.
    fn shapes<'g>(&'g self, rows: &[Row], names: &'g [Field], mode: Rows, into: &mut Borrowed<'g>) {
        let width = names.len();
        let Borrowed {
            state,
            created,
            changes,
            shapes,
        } = into;
        state.clear();
        state.resize(width, None);
        created.clear();
        changes.clear();
        shapes.clear();
        for (n, row) in rows.iter().enumerate() {
            let at = time::from_nanos(row.at);
            if n == 0 {
                for (f, name) in names.iter().enumerate() {
                    let value = self.cell(row, f, width);
                    if let Some(v) = value {
                        created.push((name, v));
                    }
                    state[f] = value;
                }
                shapes.push(Shape::Created(at));
            } else {
                let from = changes.len();
                for (f, name) in names.iter().enumerate() {
                    let value = self.cell(row, f, width);
                    match (mode, value) {
                        (Rows::Changes, Some(v)) => {
                            changes.push((name, Some(v)));
                            state[f] = Some(v);
                        }
                        (Rows::Changes, None) => {}
                        (Rows::Snapshots, v) if v != state[f] => {
                            changes.push((name, v));
                            state[f] = v;
                        }
                        (Rows::Snapshots, _) => {}
                    }
                }
                if changes.len() > from || row.action == EMPTY {
                    shapes.push(Shape::Changed(at, from, changes.len()));
                }
            }
            if row.action != EMPTY {
                shapes.push(Shape::Action(at, row.action));
            }
        }
    }
}

/// Re-types an empty vector's allocation (in-place collection keeps it),
/// so that a buffer of borrowed events outlives each ticket's borrows.
fn recycle<A, B>(mut v: Vec<A>) -> Vec<B> {
    v.clear();
    v.into_iter().map(|_| unreachable!("the vector is empty")).collect()
}

fn evaluate_all(
    grouped: &Grouped<'_>,
    names: &[Field],
    mode: Rows,
    evaluator: &Evaluator,
    as_of: DateTime<Utc>,
) -> (Output, Vec<Problem>) {
    // One row per ticket and policy, the usual count: sized once, the
    // columns are not copied as they grow.
    let mut out = Output::with_capacity(grouped.tickets.len().saturating_mul(evaluator.policies().count()));
    let mut problems = Vec::new();
    let policies: Vec<&servicelevel::Policy> = evaluator.policies().collect();
    let mut cache = EvaluatorCache::default();
    let mut borrowed = Borrowed::default();
    let mut stash: Vec<EventRef<'static>> = Vec::new();
    for (text, rows) in &grouped.tickets {
        let ticket = &TicketId::new(text);
        let rows = &grouped.rows[rows.clone()];
        grouped.shapes(rows, names, mode, &mut borrowed);
        let mut events: Vec<EventRef<'_>> = recycle(std::mem::take(&mut stash));
        events.extend(borrowed.shapes.iter().map(|shape| match *shape {
            Shape::Created(at) => EventRef::created(at, &borrowed.created),
            Shape::Changed(at, from, to) => EventRef::changed(at, &borrowed.changes[from..to]),
            Shape::Action(at, action) => EventRef::action(at, &grouped.actions[action as usize]),
        }));
        let outcome = evaluator.evaluate_refs(&mut cache, ticket, &events, as_of);
        stash = recycle(events);
        // An event's input row, looked up again only for a ticket in error.
        let row_of = |error: &servicelevel::Error| {
            let mut origin = Vec::new();
            grouped.events(ticket, rows, names, mode, &mut Vec::new(), Some(&mut origin));
            error.position().and_then(|p| origin.get(p).copied())
        };
        // The outcome is lent by the cache, which reuses its buffers for
        // the next ticket: the rows are written from it, nothing is moved.
        let results = match &outcome.evaluations {
            Ok(results) => results,
            Err(error) => {
                problems.push(Problem {
                    ticket: ticket.to_string(),
                    policy: None,
                    row: row_of(error),
                    error: error.clone(),
                });
                continue;
            }
        };
        for (policy, result) in policies.iter().zip(results) {
            match result {
                Ok(evaluation) => out.add(evaluation),
                Err(error) => problems.push(Problem {
                    ticket: ticket.to_string(),
                    policy: Some(policy.id().to_string()),
                    row: row_of(error),
                    error: error.clone(),
                }),
            }
        }
    }
    (out, problems)
}

/// `evaluate` on an export already read through a profile: the policies
/// given with their calendar, or the catalog's (each obligation on its own
/// calendar or route) for one service of a report spec.
#[allow(clippy::too_many_arguments)]
#[pyfunction]
#[pyo3(signature = (ingested, policies, calendar, spec, service, as_of, errors))]
pub fn _evaluate_ingested<'py>(
    py: Python<'py>,
    ingested: PyRef<'py, crate::review::PyIngested>,
    policies: Vec<PyRef<'py, PyPolicy>>,
    calendar: Option<PyRef<'py, PyCalendar>>,
    spec: Option<PyRef<'py, crate::review::PyReportSpec>>,
    service: Option<&str>,
    as_of: &Bound<'py, PyAny>,
    errors: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let as_of = time::instant(as_of, "as_of")?;
    let on_error = on_error_of(errors)?;
    let evaluator = evaluator_of(py, &policies, calendar.as_deref(), spec.as_deref(), service)?;
    let ingested = &ingested.inner;
    let (out, problems) = py.detach(|| {
        let mut out = Output::default();
        let mut problems = Vec::new();
        let outcomes = evaluator.evaluate_timelines(ingested.timelines.iter(), as_of);
        for (timeline, results) in ingested.timelines.iter().zip(outcomes) {
            for (policy, result) in evaluator.policies().zip(results) {
                match result {
                    Ok(evaluation) => out.add(&evaluation),
                    Err(error) => problems.push(Problem {
                        ticket: timeline.ticket().to_string(),
                        policy: Some(policy.id().to_string()),
                        row: None,
                        error,
                    }),
                }
            }
        }
        (out, problems)
    });
    task_sla(py, out, &problems, on_error)
}

/// The policies on one calendar, or a catalog service's obligations.
fn evaluator_of(
    py: Python<'_>,
    policies: &[PyRef<'_, PyPolicy>],
    calendar: Option<&PyCalendar>,
    spec: Option<&crate::review::PyReportSpec>,
    service: Option<&str>,
) -> PyResult<Evaluator> {
    match (spec, calendar) {
        (Some(spec), None) if policies.is_empty() => {
            let service = crate::review::service_of(&spec.inner, service)?;
            catalog_evaluator(py, &spec.inner, &service)
        }
        (None, Some(calendar)) if !policies.is_empty() => Ok(policies.iter().fold(Evaluator::new(), |e, p| {
            e.policy(p.inner.clone(), (*calendar.inner).clone())
        })),
        _ => Err(errors::input(
            "policies_or_spec",
            "give either `policies` with a `calendar`, or a `spec` (whose catalog has both)",
            None,
        )),
    }
}

/// The evaluator of one catalog service's obligations.
fn catalog_evaluator(py: Python<'_>, spec: &servicelevel::ReportSpec, service: &str) -> PyResult<Evaluator> {
    let catalog = spec.catalog();
    let Some(found) = catalog.service(service) else {
        return Err(errors::input(
            "unknown_service",
            format!("no service {service:?}"),
            Some("service"),
        ));
    };
    let set = servicelevel::calendar::CalendarSet::from(catalog.calendars().clone());
    let mut evaluator = Evaluator::new();
    for obligation in found.obligations() {
        evaluator = match &obligation.calendar_by {
            Some(route) => evaluator
                .policy_routed(obligation.policy.clone(), route.clone(), set.clone())
                .map_err(|e| errors::to_py(py, &e, None))?,
            None => {
                let name = obligation.calendar.as_deref().unwrap_or(found.calendar());
                evaluator.policy(obligation.policy.clone(), catalog.calendars()[name].clone())
            }
        };
    }
    Ok(evaluator)
}

//! The `task_sla` table `evaluate` returns: one row per ticket x policy x
//! cycle, filled row by row through Arrow's builders.
//!
//! Hand-written columns (a `Vec` per column, validity only from the first
//! null) were tried: about 125 fewer instructions a row, 1.4 % of an
//! `evaluate`, and no change in its time, so the builders stay. What a row
//! costs is mostly its conversions (four instants and six durations to
//! nanoseconds, two percentages).

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Decimal128Builder, DurationNanosecondBuilder, StringBuilder, TimestampNanosecondBuilder,
    UInt32Builder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field as ArrowField, Schema, TimeUnit};
use chrono::{DateTime, TimeDelta, Utc};
use pyo3::prelude::*;
use servicelevel::eval::{Cycle, Evaluation, State};

use crate::table::Problem;
use crate::{errors, time};

/// The output columns, filled row by row.
pub(crate) struct Output {
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
        Output::with_capacity(0)
    }
}

impl Output {
    /// Columns with room for `rows` rows (text columns for short texts).
    pub(crate) fn with_capacity(rows: usize) -> Output {
        let utc = || TimestampNanosecondBuilder::with_capacity(rows).with_timezone("UTC");
        let percent = || {
            Decimal128Builder::with_capacity(rows)
                .with_precision_and_scale(38, PERCENT_SCALE as i8)
                .expect("38, 6 is a valid decimal")
        };
        let text = |bytes_each: usize| StringBuilder::with_capacity(rows, rows.saturating_mul(bytes_each));
        let span = || DurationNanosecondBuilder::with_capacity(rows);
        Output {
            ticket: text(12),
            policy: text(24),
            cycle: UInt32Builder::with_capacity(rows),
            state: text(8),
            calendar: text(16),
            start: utc(),
            stop: utc(),
            due: utc(),
            breached_at: utc(),
            target: span(),
            business_elapsed: span(),
            wall_elapsed: span(),
            business_paused: span(),
            wall_paused: span(),
            time_left: span(),
            percent: percent(),
            wall_percent: percent(),
            breached: BooleanBuilder::with_capacity(rows),
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
    pub(crate) fn add(&mut self, evaluation: &Evaluation) {
        for (n, cycle) in evaluation.cycles.iter().enumerate() {
            self.ticket.append_value(evaluation.ticket.as_str());
            self.policy.append_value(evaluation.policy.as_str());
            self.cycle.append_value(u32::try_from(n).unwrap_or(u32::MAX));
            self.state.append_value(state_name(cycle.state));
            self.calendar.append_option(cycle.calendar.as_deref());
            self.instants(cycle);
            self.durations(cycle);
            self.percent.append_value(cycle.elapsed_percent_millionths());
            self.wall_percent.append_value(cycle.wall_elapsed_percent_millionths());
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
        let ns = values.map(|d| self.span(d));
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

    pub(crate) fn finish(mut self, problems: &[Problem]) -> PyResult<RecordBatch> {
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

//! Turns a calendar's rules into its table: walks the local dates of the
//! horizon once, works out each date's open windows (weekly or override,
//! less closures), maps them to UTC through the zone's offset steps, and
//! merges the result.

use chrono::{Datelike, NaiveDate, TimeDelta};

use super::Rules;
use super::day_plan::DayPlan;
use super::rules::SECONDS_PER_DAY;
use super::table::Table;
use super::zone::{MAX_OFFSET, OffsetSteps};
use crate::error::{Detail, Error, Result};

const DAY: i64 = SECONDS_PER_DAY as i64;

/// Per local date of the horizon: whether it is a working day, and when its
/// last window closes.
#[derive(Clone, Debug)]
pub(crate) struct WorkingDays {
    pub(crate) first: NaiveDate,
    /// UTC second at which the date's last window closes; `None` if the date
    /// has no open time.
    pub(crate) close: Vec<Option<i64>>,
    /// `before[i]` = working days among the first `i` dates.
    pub(crate) before: Vec<u32>,
}

/// Seconds since 1970-01-01T00:00 of a local (naive) midnight.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "local seconds of dates within the years 1 to 9999 (below 2^39) plus seconds of a day; day indices inside the horizon's day count"
)]
pub(crate) fn local_midnight(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce() - 719_163) * DAY
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "local seconds of dates within the years 1 to 9999 (below 2^39) plus seconds of a day; day indices inside the horizon's day count"
)]
pub(crate) fn materialize(rules: &Rules) -> Result<(Table, WorkingDays)> {
    let (first, end) = rules.horizon;
    let local_base = local_midnight(first);
    let local_limit = local_midnight(end);
    let steps = OffsetSteps::of(
        rules.tz,
        local_base - 2 * DAY - MAX_OFFSET,
        local_limit + 2 * DAY + MAX_OFFSET,
    );
    let base = steps.first_instant_at_or_after(local_base);
    let limit = steps.first_instant_at_or_after(local_limit);

    let plan = DayPlan::of(rules)?;
    let closed_spans = merge_and_clip(plan.closed_spans.clone(), i64::MIN, i64::MAX);
    let day_count = (end - first).num_days() as usize;
    let mut close = vec![None; day_count];
    let mut raw: Vec<(i64, i64)> = Vec::with_capacity(day_count * 2);
    let mut cursor = 0;
    let mut pieces = Vec::new();
    // The day before the horizon may run a night shift into it.
    let mut date = first - TimeDelta::days(1);
    let mut plan_index = plan.day_before_horizon_index();
    while date < end {
        let index = (date - first).num_days();
        let windows = plan.windows_at(rules, date, Some(plan_index));
        plan_index += 1;
        if let Some(windows) = windows {
            open_pieces(windows, plan.partial(date), &mut pieces);
            let midnight = local_midnight(date);
            let before = raw.len();
            for &(s, e) in &pieces {
                steps.local_range_to_utc(&mut cursor, midnight + i64::from(s), midnight + i64::from(e), &mut raw);
            }
            if !closed_spans.is_empty() {
                subtract(&mut raw, before, &closed_spans);
            }
            if index >= 0 && raw.len() > before {
                close[index as usize] = raw[before..].iter().map(|&(_, e)| e).max();
            }
            if raw.len() > super::MAX_OPEN_SPANS {
                return Err(horizon_error(
                    rules,
                    "the calendar would hold more than 2,097,152 open spans over its horizon: shorten the horizon or merge windows",
                ));
            }
        }
        date = date
            .succ_opt()
            .ok_or_else(|| horizon_error(rules, "the horizon reaches past the last representable date"))?;
    }
    let intervals = merge_and_clip(raw, base, limit);
    let table = Table::new(base, limit, &intervals);
    if table.total == 0 {
        return Err(Error::from(Detail::EmptyCalendar {
            horizon_start: first,
            horizon_end: end,
        }));
    }
    let mut before = Vec::with_capacity(day_count + 1);
    let mut count = 0u32;
    before.push(0);
    for c in &close {
        count += u32::from(c.is_some());
        before.push(count);
    }
    Ok((table, WorkingDays { first, close, before }))
}

pub(crate) fn horizon_error(rules: &Rules, reason: &'static str) -> Error {
    Error::from(Detail::InvalidHorizon {
        start: rules.horizon.0,
        end: rules.horizon.1,
        reason,
    })
}

/// Removes the `closed` spans (sorted, disjoint) from `raw[from..]`.
fn subtract(raw: &mut Vec<(i64, i64)>, from: usize, closed: &[(i64, i64)]) {
    let spans: Vec<(i64, i64)> = raw.drain(from..).collect();
    for (mut start, end) in spans {
        let first = closed.partition_point(|&(_, e)| e <= start);
        for &(c_start, c_end) in closed[first..].iter().take_while(|&&(s, _)| s < end) {
            if start < c_start {
                raw.push((start, c_start));
            }
            start = start.max(c_end);
        }
        if start < end {
            raw.push((start, end));
        }
    }
}

/// The open parts of `windows` (seconds from local midnight) after removing
/// `closures`, in increasing order.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "local seconds of dates within the years 1 to 9999 (below 2^39) plus seconds of a day; day indices inside the horizon's day count"
)]
#[inline]
pub(crate) fn open_pieces(windows: &[super::Window], closures: Option<&[(u32, u32)]>, out: &mut Vec<(u32, u32)>) {
    out.clear();
    out.extend(windows.iter().map(super::Window::day_seconds));
    for &(closed_from, closed_until) in closures.unwrap_or(&[]) {
        let mut kept = Vec::with_capacity(out.len() + 1);
        for &(s, e) in out.iter() {
            if s < closed_from.min(e) {
                kept.push((s, closed_from.min(e)));
            }
            if closed_until.max(s) < e {
                kept.push((closed_until.max(s), e));
            }
        }
        *out = kept;
    }
}

/// Sorts (only if needed), merges overlapping or touching intervals, and
/// clips them to `[base, limit)`, in place: the largest calendars hold
/// millions of spans, and a second buffer would double the memory touched.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "the write index stays below the read index, inside the vector"
)]
fn merge_and_clip(mut raw: Vec<(i64, i64)>, base: i64, limit: i64) -> Vec<(i64, i64)> {
    if !raw.is_sorted() {
        raw.sort_unstable();
    }
    let mut kept = 0usize;
    for read in 0..raw.len() {
        let (start, end) = raw[read];
        let (start, end) = (start.max(base), end.min(limit));
        if start >= end {
            continue;
        }
        match kept.checked_sub(1).map(|last| &mut raw[last]) {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => {
                raw[kept] = (start, end);
                kept += 1;
            }
        }
    }
    raw.truncate(kept);
    raw
}

//! The calendar's table read in ticks of `1 / PER` second (`PER` = 1, 1e3,
//! 1e6 or 1e9), so that a column of instants in that unit is answered with
//! `i64` arithmetic only: no split into seconds and nanoseconds, no `i128`,
//! no overflow checks in the loop. It exists only when every tick count of
//! the horizon fits an `i64` (nanoseconds cover 1677-2262), which
//! [`Ticks::new`] checks once.

use super::table::{DAY, Table};

/// A table in ticks. Instants before the horizon count as its first tick;
/// from the end of the last open span on, every instant has all the
/// business time.
#[derive(Clone, Copy)]
pub(crate) struct Ticks<'a, const PER: i64> {
    table: &'a Table,
    first: i64,
    done: i64,
    total: i64,
    origin: i64,
}

/// The instants, in ticks, that share one open span's position formula:
/// `[previous span's end, span's end)`, with the span's start, end and the
/// business time before it, in ticks.
#[derive(Clone, Copy)]
pub(crate) struct Cell {
    low: i64,
    /// The cell's last tick less its first, as an unsigned count.
    width: u64,
    start: i64,
    end: i64,
    before: i64,
}

impl<'a, const PER: i64> Ticks<'a, PER> {
    /// The table in ticks, or `None` when a tick count of its horizon (or a
    /// difference of two) does not fit an `i64`.
    pub(crate) fn new(table: &'a Table) -> Option<Ticks<'a, PER>> {
        let done = table.open_spans().last().map_or(table.base, |s| s.end);
        let ticks = Ticks {
            table,
            first: table.base.checked_mul(PER)?,
            done: done.checked_mul(PER)?,
            total: table.total.checked_mul(PER)?,
            origin: table.day_origin().checked_mul(PER)?,
        };
        ticks.done.checked_sub(ticks.origin)?;
        Some(ticks)
    }

    /// Business time from the horizon's start to `t`.
    #[inline(always)]
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "`new` checked that every tick count of the horizon, and their differences, fit an i64; `t` is clamped into the horizon first"
    )]
    pub(crate) fn position(&self, t: i64) -> i64 {
        if t >= self.done {
            return self.total;
        }
        let t = t.max(self.first);
        let span = self.table.span(self.index(t));
        span.before * PER + (t - span.start * PER).max(0)
    }

    /// The cell holding `t`.
    #[inline]
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "`new` checked that every tick count of the horizon, and their differences, fit an i64; `t` is clamped into the horizon first"
    )]
    pub(crate) fn cell(&self, t: i64) -> Cell {
        if t >= self.done {
            return Cell::new(self.done, i64::MAX, self.done, self.done, self.total);
        }
        let index = self.index(t.max(self.first));
        let span = self.table.span(index);
        let low = match index.checked_sub(1) {
            Some(previous) => self.table.span(previous).end * PER,
            None => i64::MIN,
        };
        Cell::new(
            low,
            span.end * PER - 1,
            span.start * PER,
            span.end * PER,
            span.before * PER,
        )
    }

    /// The span holding (or next after) `t`, for `first <= t < done`.
    #[inline(always)]
    #[allow(
        clippy::arithmetic_side_effects,
        clippy::cast_sign_loss,
        clippy::cast_possible_truncation,
        clippy::cast_possible_wrap,
        reason = "`t - origin` is in `0..done - origin`, which `new` checked fits an i64, so the unsigned quotients fit too"
    )]
    fn index(&self, t: i64) -> usize {
        let since_origin = t.wrapping_sub(self.origin) as u64;
        let seconds = (since_origin / PER as u64) as i64 + self.table.day_origin();
        let day = (since_origin / (DAY * PER) as u64) as usize;
        self.table.locate_in_day(day, seconds)
    }
}

impl Cell {
    #[allow(
        clippy::cast_sign_loss,
        reason = "the difference of the last and first ticks, read as unsigned, is the cell's width"
    )]
    fn new(low: i64, high: i64, start: i64, end: i64, before: i64) -> Cell {
        Cell {
            low,
            width: high.wrapping_sub(low) as u64,
            start,
            end,
            before,
        }
    }

    #[inline(always)]
    #[allow(clippy::cast_sign_loss, reason = "one unsigned comparison tests both bounds")]
    pub(crate) fn holds(&self, t: i64) -> bool {
        t.wrapping_sub(self.low) as u64 <= self.width
    }

    /// The business position of `t`, an instant the cell holds (or any
    /// instant, for the cells of the horizon's edges).
    #[inline(always)]
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "`t` is clamped into the span, whose tick counts fit an i64, and `before` plus the span's length is at most the total"
    )]
    pub(crate) fn position(&self, t: i64) -> i64 {
        self.before + (t.max(self.start).min(self.end) - self.start)
    }
}

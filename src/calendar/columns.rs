//! Column kernels: business time over columns of instants counted from the
//! Unix epoch, the form Arrow, numpy, pandas, Polars and Spark keep
//! timestamps in, without a `DateTime` per value.
//!
//! Each instant is located by the calendar's day buckets, or, when the
//! column is sorted, by a cursor that keeps the last instant's span and
//! only looks up again when an instant leaves it (a few instructions a
//! value). Both give the same positions; sortedness only picks the faster.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use super::table::{Pos, Table};
use super::ticks::{Cell, Ticks};
use super::{BusinessCalendar, Convention};
use crate::error::{Error, Result};

/// The unit a column of instants (or of durations) counts in, from the
/// Unix epoch: Arrow's `timestamp` units, numpy's `datetime64` units.
///
/// Text forms are Arrow's and numpy's names: `s`, `ms`, `us`, `ns`.
///
/// ```
/// use servicelevel::calendar::EpochUnit;
/// assert_eq!("us".parse::<EpochUnit>()?, EpochUnit::Microsecond);
/// assert_eq!(EpochUnit::Microsecond.ticks_per_second(), 1_000_000);
/// assert_eq!(EpochUnit::default().to_string(), "ns");
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EpochUnit {
    /// Whole seconds.
    Second,
    /// Milliseconds.
    Millisecond,
    /// Microseconds (Spark's and Parquet's usual timestamp unit).
    Microsecond,
    /// Nanoseconds (pandas' and Polars' usual unit): the default.
    #[default]
    Nanosecond,
}

impl EpochUnit {
    /// How many of this unit make a second.
    pub const fn ticks_per_second(self) -> i64 {
        match self {
            EpochUnit::Second => 1,
            EpochUnit::Millisecond => 1_000,
            EpochUnit::Microsecond => 1_000_000,
            EpochUnit::Nanosecond => 1_000_000_000,
        }
    }

    fn name(self) -> &'static str {
        match self {
            EpochUnit::Second => "s",
            EpochUnit::Millisecond => "ms",
            EpochUnit::Microsecond => "us",
            EpochUnit::Nanosecond => "ns",
        }
    }
}

impl fmt::Display for EpochUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for EpochUnit {
    type Err = Error;

    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) for
    /// anything but `s`, `ms`, `us` and `ns`.
    fn from_str(s: &str) -> Result<EpochUnit> {
        [
            EpochUnit::Second,
            EpochUnit::Millisecond,
            EpochUnit::Microsecond,
            EpochUnit::Nanosecond,
        ]
        .into_iter()
        .find(|unit| unit.name() == s)
        .ok_or_else(|| Error::value(s, "a time unit: `s`, `ms`, `us` or `ns`"))
    }
}

impl BusinessCalendar {
    /// Business time in `[starts[i], ends[i])` for every row `i`, instants
    /// and results counted in `unit` from the Unix epoch (negative when the
    /// end is before the start). Row for row the same as
    /// [`business_time`](Self::business_time): instants outside the
    /// horizon count as its edges.
    ///
    /// A sorted column (as a ticket log sorted by time gives) is read with a
    /// cursor instead of a lookup per value; see the README's performance
    /// table for both.
    ///
    /// ```
    /// # use servicelevel::calendar::{BusinessCalendar, EpochUnit, MONDAY_TO_FRIDAY};
    /// let calendar = BusinessCalendar::builder(chrono_tz::UTC)
    ///     .weekdays(&MONDAY_TO_FRIDAY, "09:00-17:00".parse()?)
    ///     .build()?;
    /// // Fri 2014-12-12 16:00 to Mon 10:30 UTC, and Mon 08:00 to 09:15, in seconds.
    /// let starts = [1_418_400_000, 1_418_630_400];
    /// let ends = [1_418_639_400, 1_418_634_900];
    /// let business = calendar.business_time_column(EpochUnit::Second, &starts, &ends)?;
    /// assert_eq!(business, [2 * 3_600 + 30 * 60, 15 * 60]);
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when the
    /// columns differ in length; [`ErrorKind::Column`](crate::ErrorKind::Column)
    /// (with the row as [`Error::position`]) when a business time does not
    /// fit an `i64` of `unit` (nanoseconds over more than 292 years).
    pub fn business_time_column(&self, unit: EpochUnit, starts: &[i64], ends: &[i64]) -> Result<Vec<i64>> {
        same_length(starts, ends, "ends")?;
        match unit {
            EpochUnit::Second => self.business_column::<1>(starts, ends),
            EpochUnit::Millisecond => self.business_column::<1_000>(starts, ends),
            EpochUnit::Microsecond => self.business_column::<1_000_000>(starts, ends),
            EpochUnit::Nanosecond => self.business_column::<1_000_000_000>(starts, ends),
        }
    }

    /// The instant `amounts[i]` of business time from `starts[i]` for every
    /// row `i`, instants and amounts counted in `unit`; row for row the same
    /// as [`add_business_time_with`](Self::add_business_time_with).
    ///
    /// ```
    /// # use servicelevel::calendar::{BusinessCalendar, Convention, EpochUnit, MONDAY_TO_FRIDAY};
    /// let calendar = BusinessCalendar::builder(chrono_tz::UTC)
    ///     .weekdays(&MONDAY_TO_FRIDAY, "09:00-17:00".parse()?)
    ///     .build()?;
    /// // 2 h of business time from Fri 2014-12-12 16:00 UTC: Mon 10:00, in milliseconds.
    /// let due = calendar.add_business_time_column(
    ///     EpochUnit::Millisecond,
    ///     &[1_418_400_000_000],
    ///     &[7_200_000],
    ///     Convention::EarliestInstant,
    /// )?;
    /// assert_eq!(due, [1_418_637_600_000]);
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) when the
    /// columns differ in length, and [`ErrorKind::Column`](crate::ErrorKind::Column)
    /// for the first row that cannot be answered, with the row as
    /// [`Error::position`] and the cause: a start outside the horizon
    /// ([`OutsideHorizon`](crate::ErrorKind::OutsideHorizon)), an amount the
    /// horizon does not hold ([`HorizonExceeded`](crate::ErrorKind::HorizonExceeded)),
    /// or an instant that does not fit an `i64` of `unit`.
    pub fn add_business_time_column(
        &self,
        unit: EpochUnit,
        starts: &[i64],
        amounts: &[i64],
        convention: Convention,
    ) -> Result<Vec<i64>> {
        same_length(starts, amounts, "amounts")?;
        match unit {
            EpochUnit::Second => self.add_column::<1>(starts, amounts, convention),
            EpochUnit::Millisecond => self.add_column::<1_000>(starts, amounts, convention),
            EpochUnit::Microsecond => self.add_column::<1_000_000>(starts, amounts, convention),
            EpochUnit::Nanosecond => self.add_column::<1_000_000_000>(starts, amounts, convention),
        }
    }

    fn business_column<const PER: i64>(&self, starts: &[i64], ends: &[i64]) -> Result<Vec<i64>> {
        let table = &self.inner.table;
        let Some(ticks) = Ticks::<PER>::new(table) else {
            return business_rows_wide::<PER>(table, starts, ends);
        };
        Ok(match (is_sorted(starts), is_sorted(ends)) {
            (true, true) => business_rows::<PER, Cursor, Cursor>(&ticks, starts, ends),
            (true, false) => business_rows::<PER, Cursor, Lookup>(&ticks, starts, ends),
            (false, true) => business_rows::<PER, Lookup, Cursor>(&ticks, starts, ends),
            (false, false) => business_rows::<PER, Lookup, Lookup>(&ticks, starts, ends),
        })
    }

    #[allow(
        clippy::arithmetic_side_effects,
        reason = "PER is one of 1, 1e3, 1e6 and 1e9, so the remainders and their products with 1e9 / PER are below 1e9; amounts are bounded by the horizon's business time before they reach `add_at`"
    )]
    fn add_column<const PER: i64>(&self, starts: &[i64], amounts: &[i64], convention: Convention) -> Result<Vec<i64>> {
        let table = &self.inner.table;
        let mut out = Vec::with_capacity(starts.len());
        for (row, (&start, &amount)) in starts.iter().zip(amounts).enumerate() {
            let from = split_ticks::<PER>(start);
            if from.secs < table.base || from.secs >= table.limit {
                return Err(Error::in_column("starts", row, self.outside_horizon(instant_of(from))));
            }
            let by = split_ticks::<PER>(amount);
            if by == Pos::whole(0) {
                out.push(start);
                continue;
            }
            // Past the horizon's whole business time, no instant can answer
            // (and the sum below could overflow).
            let reachable = by.secs.unsigned_abs() <= table.total.unsigned_abs();
            let due = if reachable {
                self.add_at(from, (by.secs, by.nanos), convention)
            } else {
                None
            };
            let Some(due) = due else {
                let amount = format!("business time `{amount} {}`", unit_name::<PER>());
                return Err(Error::in_column(
                    "amounts",
                    row,
                    self.exceeded(instant_of(from), amount),
                ));
            };
            let ticks = due
                .secs
                .checked_mul(PER)
                .and_then(|t| t.checked_add(i64::from(due.nanos / nanos_per_tick::<PER>())));
            let Some(ticks) = ticks else {
                let due = instant_of(due);
                return Err(Error::in_column(
                    "amounts",
                    row,
                    Error::value(
                        due,
                        format!("an instant that fits a 64-bit count of {}", unit_name::<PER>()),
                    ),
                ));
            };
            out.push(ticks);
        }
        Ok(out)
    }
}

fn same_length(first: &[i64], second: &[i64], name: &str) -> Result<()> {
    if first.len() == second.len() {
        return Ok(());
    }
    Err(Error::value(
        format!("{} rows", second.len()),
        format!("as many rows as the first column ({})", first.len()),
    )
    .in_field(name))
}

/// Rows of a horizon whose tick counts fit an `i64`: every position is in
/// `0..=total`, so no difference overflows.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "both positions are in 0..=total, which fits an i64"
)]
fn business_rows<const PER: i64, A: Locate, B: Locate>(
    ticks: &Ticks<'_, PER>,
    starts: &[i64],
    ends: &[i64],
) -> Vec<i64> {
    let first = |column: &[i64]| column.first().copied().unwrap_or_default();
    let (mut from, mut to) = (A::new(ticks, first(starts)), B::new(ticks, first(ends)));
    starts
        .iter()
        .zip(ends)
        .map(|(&start, &end)| to.position(ticks, end) - from.position(ticks, start))
        .collect()
}

/// Rows of a horizon too long for an `i64` of ticks (nanoseconds beyond
/// 1677-2262): positions as seconds and nanoseconds, differences checked.
fn business_rows_wide<const PER: i64>(table: &Table, starts: &[i64], ends: &[i64]) -> Result<Vec<i64>> {
    let position = |t: i64| {
        let at = split_ticks::<PER>(t);
        let p = table.position(at.secs, at.nanos);
        // Seconds below 2^39 times at most 1e9, plus nanoseconds: far inside an i128.
        #[allow(clippy::arithmetic_side_effects, reason = "see the comment above")]
        let ticks = i128::from(p.secs) * i128::from(PER) + i128::from(p.nanos / nanos_per_tick::<PER>());
        ticks
    };
    let mut out = Vec::with_capacity(starts.len());
    for (row, (&start, &end)) in starts.iter().zip(ends).enumerate() {
        #[allow(clippy::arithmetic_side_effects, reason = "two positions below 2^69")]
        let business = i64::try_from(position(end) - position(start)).map_err(|_| {
            Error::in_column(
                "ends",
                row,
                Error::value(
                    format!("{start}..{end}"),
                    format!("a business time that fits a 64-bit count of {}", unit_name::<PER>()),
                ),
            )
        })?;
        out.push(business);
    }
    Ok(out)
}

/// Whether `values` never decrease, block by block: the sign bits of the
/// wrapping differences of neighbours, or-ed together without an early
/// exit inside a block, so that it vectorises with SSE2 alone (a 64-bit
/// comparison does not; it cost 7 instructions a value). Neighbours more
/// than 2^63 apart may be misjudged, which only picks the other locator:
/// both give the same answers.
fn is_sorted(values: &[i64]) -> bool {
    const BLOCK: usize = 1_024;
    let next = values.get(1..).unwrap_or_default();
    values.chunks(BLOCK).zip(next.chunks(BLOCK)).all(|(block, following)| {
        block
            .iter()
            .zip(following)
            .fold(0i64, |signs, (a, b)| signs | b.wrapping_sub(*a))
            >= 0
    })
}

/// How a column's instants find their position.
trait Locate {
    /// A locator whose first value will be `first`.
    fn new<const PER: i64>(ticks: &Ticks<'_, PER>, first: i64) -> Self;
    fn position<const PER: i64>(&mut self, ticks: &Ticks<'_, PER>, t: i64) -> i64;
}

/// A lookup by the day buckets for every value: for unsorted columns.
struct Lookup;

impl Locate for Lookup {
    fn new<const PER: i64>(_: &Ticks<'_, PER>, _: i64) -> Lookup {
        Lookup
    }

    #[inline(always)]
    fn position<const PER: i64>(&mut self, ticks: &Ticks<'_, PER>, t: i64) -> i64 {
        ticks.position(t)
    }
}

/// The last value's cell, looked up again only when a value leaves it: for
/// sorted columns, where most values share their predecessor's cell.
struct Cursor(Cell);

impl Locate for Cursor {
    fn new<const PER: i64>(ticks: &Ticks<'_, PER>, first: i64) -> Cursor {
        Cursor(ticks.cell(first))
    }

    #[inline(always)]
    fn position<const PER: i64>(&mut self, ticks: &Ticks<'_, PER>, t: i64) -> i64 {
        if !self.0.holds(t) {
            self.0 = ticks.cell(t);
        }
        self.0.position(t)
    }
}

const fn nanos_per_tick<const PER: i64>() -> u32 {
    #[allow(
        clippy::arithmetic_side_effects,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "PER is one of 1, 1e3, 1e6 and 1e9"
    )]
    let nanos = (1_000_000_000 / PER) as u32;
    nanos
}

fn unit_name<const PER: i64>() -> &'static str {
    match PER {
        1 => "seconds",
        1_000 => "milliseconds",
        1_000_000 => "microseconds",
        _ => "nanoseconds",
    }
}

/// Ticks as whole seconds (floored) and the nanoseconds past them.
#[inline]
#[allow(
    clippy::arithmetic_side_effects,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "the remainder is in 0..PER and PER * (1e9 / PER) is 1e9"
)]
fn split_ticks<const PER: i64>(t: i64) -> Pos {
    Pos {
        secs: t.div_euclid(PER),
        nanos: t.rem_euclid(PER) as u32 * nanos_per_tick::<PER>(),
    }
}

fn instant_of(at: Pos) -> DateTime<Utc> {
    DateTime::from_timestamp(at.secs, at.nanos).unwrap_or(if at.secs < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

#[cfg(test)]
mod tests {
    use super::is_sorted;

    #[test]
    fn sortedness_is_found_across_block_edges() {
        assert!(is_sorted(&[]));
        assert!(is_sorted(&[5]));
        assert!(is_sorted(&[1, 1, 2, i64::MAX]));
        assert!(!is_sorted(&[2, 1]));
        let mut rising: Vec<i64> = (0..3_000).collect();
        assert!(is_sorted(&rising));
        // A fall between the last value of one block and the first of the next.
        rising[1_024] = 0;
        assert!(!is_sorted(&rising));
        rising[1_024] = 1_024;
        rising[2_999] = 0;
        assert!(!is_sorted(&rising));
    }
}

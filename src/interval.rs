//! Half-open intervals of UTC instants, and their union, intersection and
//! measure.
//!
//! Every span the crate reasons about (an open period of a calendar, an
//! outage, a segment of an SLA clock) is an [`Interval`]: `[start, end)`,
//! containing `start` and not `end`. Half-open intervals tile without
//! overlaps or gaps, so measures add up exactly.
//!
//! # Properties
//!
//! For intervals `a`, `b` and any slice `xs` of intervals:
//! - `a.duration() >= 0`, and it is zero exactly when `a.is_empty()`;
//! - `a.intersection(b) == b.intersection(a)`, and its duration is at most the
//!   smaller of the two;
//! - [`union`] returns sorted, disjoint, non-adjacent, non-empty intervals,
//!   and [`measure`] of `xs` equals the sum of durations of `union(xs)`;
//! - `measure` does not depend on the order of `xs` nor on duplicates in it.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, TimeDelta, Utc};

use crate::error::{Detail, Error, Result};

/// A half-open interval `[start, end)` of UTC instants.
///
/// Built with [`Interval::new`], which rejects `end < start`; an interval
/// with `start == end` is empty and allowed.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use servicelevel::Interval;
/// let at = |h| Utc.with_ymd_and_hms(2025, 6, 2, h, 0, 0).unwrap();
/// let morning = Interval::new(at(9), at(12))?;
/// assert_eq!(morning.duration(), TimeDelta::hours(3));
/// assert!(morning.contains(at(9)) && !morning.contains(at(12))); // half-open
/// assert_eq!(servicelevel::interval::measure(&[morning, Interval::new(at(11), at(13))?]), TimeDelta::hours(4));
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Interval {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

/// The serde form, checked by `Interval::new` on the way in.
#[cfg(feature = "serde")]
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct UncheckedInterval {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

#[cfg(feature = "serde")]
impl TryFrom<UncheckedInterval> for Interval {
    type Error = Error;

    fn try_from(raw: UncheckedInterval) -> Result<Interval> {
        Interval::new(raw.start, raw.end)
    }
}

impl Interval {
    /// The interval `[start, end)`; an error when `end` is before `start`.
    ///
    /// # Errors
    ///
    /// When `end` is before `start`.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>) -> Result<Interval> {
        let (start, end) = (without_leap_second(start), without_leap_second(end));
        if end < start {
            return Err(Error::from(Detail::InvalidRange {
                field: "interval".into(),
                input: format!("{start}..{end}"),
                reason: "the end is before the start",
            }));
        }
        Ok(Interval { start, end })
    }

    /// For callers that have already ordered the bounds.
    pub(crate) fn new_unchecked(start: DateTime<Utc>, end: DateTime<Utc>) -> Interval {
        let (start, end) = (without_leap_second(start), without_leap_second(end));
        debug_assert!(start <= end);
        Interval { start, end }
    }

    /// The first instant in the interval.
    pub fn start(&self) -> DateTime<Utc> {
        self.start
    }

    /// The first instant after the interval.
    pub fn end(&self) -> DateTime<Utc> {
        self.end
    }

    /// Elapsed (wall-clock) time from start to end.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "the difference of two instants chrono holds fits a TimeDelta, and disjoint intervals sum to at most chrono's range"
    )]
    pub fn duration(&self) -> TimeDelta {
        self.end - self.start
    }

    /// True when the interval holds no instant.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// True when `at` is inside `[start, end)`.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        self.start <= at && at < self.end
    }

    /// The instants in both intervals, or `None` when they share none.
    pub fn intersection(&self, other: &Interval) -> Option<Interval> {
        let start = self.start.max(other.start);
        let end = self.end.min(other.end);
        (start < end).then_some(Interval { start, end })
    }
}

/// The union of `intervals` as sorted, disjoint, non-adjacent, non-empty
/// intervals. Overlapping and touching intervals merge; empty ones vanish.
pub fn union(intervals: &[Interval]) -> Vec<Interval> {
    let mut sorted: Vec<Interval> = intervals.iter().filter(|i| !i.is_empty()).copied().collect();
    sorted.sort_unstable();
    let mut merged: Vec<Interval> = Vec::with_capacity(sorted.len());
    for next in sorted {
        match merged.last_mut() {
            Some(last) if next.start <= last.end => last.end = last.end.max(next.end),
            _ => merged.push(next),
        }
    }
    merged
}

/// The total time covered by at least one of `intervals`: overlaps count
/// once (a union, never a sum).
#[allow(
    clippy::arithmetic_side_effects,
    reason = "the difference of two instants chrono holds fits a TimeDelta, and disjoint intervals sum to at most chrono's range"
)]
pub fn measure(intervals: &[Interval]) -> TimeDelta {
    union(intervals)
        .iter()
        .fold(TimeDelta::zero(), |sum, i| sum + i.duration())
}

/// An instant inside a leap second (`23:59:60.5`, which chrono can hold and
/// RFC 3339 can write) as the last nanosecond of the second before it
/// (`23:59:59.999999999`): UTC instants here are Unix time, which does not
/// count leap seconds, and a leap instant would make wall and business time
/// disagree. Every instant that enters the crate (events, outages,
/// intervals, `as_of`) goes through this.
pub(crate) fn without_leap_second(at: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::Timelike;
    if at.nanosecond() < 1_000_000_000 {
        return at;
    }
    at.with_nanosecond(999_999_999).unwrap_or(at)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests compute expected values")]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 1, 6, h, m, 0).unwrap()
    }

    fn iv(a: (u32, u32), b: (u32, u32)) -> Interval {
        Interval::new(at(a.0, a.1), at(b.0, b.1)).unwrap()
    }

    #[test]
    fn reversed_bounds_are_an_error() {
        let err = Interval::new(at(10, 0), at(9, 0)).unwrap_err();
        assert!(err.is_config());
    }

    #[test]
    fn overlapping_and_touching_intervals_merge() {
        let xs = [
            iv((9, 0), (10, 0)),
            iv((9, 30), (11, 0)),
            iv((11, 0), (12, 0)),
            iv((13, 0), (13, 0)),
        ];
        assert_eq!(union(&xs), vec![iv((9, 0), (12, 0))]);
        assert_eq!(measure(&xs), TimeDelta::hours(3));
    }

    #[test]
    fn intersection_is_half_open() {
        assert_eq!(iv((9, 0), (10, 0)).intersection(&iv((10, 0), (11, 0))), None);
        assert_eq!(
            iv((9, 0), (10, 30)).intersection(&iv((10, 0), (11, 0))),
            Some(iv((10, 0), (10, 30)))
        );
    }
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(Interval, UncheckedInterval);

//! The periods a report covers, bounded by [`MAX_WINDOWS`]: a ticket
//! created at the Unix epoch (a common export artefact) under daily periods,
//! or an `as_of` far in the future, would otherwise build hundreds of
//! thousands of sections.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::calendar::{MAX_WINDOWS, Period};
use crate::error::Result;
use crate::interval::Interval;

/// Why a ticket cannot be placed in the report's periods.
pub(crate) const TICKET_TOO_LONG: &str =
    "the ticket spans more than 100,000 report periods (is its creation a placeholder such as 1970-01-01?)";
pub(crate) const REPORT_TOO_LONG: &str =
    "the ticket would stretch its service's report past 100,000 periods (is its creation a placeholder?)";

/// The first and last period with a ticket, and how many periods lie
/// between them, both included.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(crate) struct Span {
    first: Interval,
    last: Interval,
    count: usize,
}

/// The periods from the one containing `from` while they start no later
/// than `until`; `Ok(None)` past [`MAX_WINDOWS`] of them.
pub(crate) fn ticket_windows(
    known: &mut KnownPeriods,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Option<Vec<Interval>>> {
    let mut windows = Vec::new();
    let mut window = known.containing(from)?;
    while window.start() <= until {
        if windows.len() == MAX_WINDOWS {
            return Ok(None);
        }
        windows.push(window);
        window = known.containing(window.end())?;
    }
    Ok(Some(windows))
}

/// A report's periods met so far, so that placing a ticket costs a lookup
/// rather than the zone's arithmetic (two local midnights resolved through
/// chrono-tz, about 2,000 instructions a period). The periods partition
/// time, so a known period that holds an instant is the one containing it.
#[derive(Clone, Debug)]
pub(crate) struct KnownPeriods {
    period: Period,
    zone: Tz,
    by_start: BTreeMap<DateTime<Utc>, Interval>,
}

impl KnownPeriods {
    /// At most this many periods are kept; past it the memo starts again
    /// (a placeholder creation can walk [`MAX_WINDOWS`] periods at once).
    const CAPACITY: usize = 4_096;

    pub(crate) fn new(period: Period, zone: Tz) -> KnownPeriods {
        KnownPeriods {
            period,
            zone,
            by_start: BTreeMap::new(),
        }
    }

    /// The period containing `at`, as [`Period::containing`] gives it.
    pub(crate) fn containing(&mut self, at: DateTime<Utc>) -> Result<Interval> {
        if let Some((_, window)) = self.by_start.range(..=at).next_back()
            && window.contains(at)
        {
            return Ok(*window);
        }
        let window = self.period.containing(self.zone, at)?;
        if self.by_start.len() >= Self::CAPACITY {
            self.by_start.clear();
        }
        self.by_start.insert(window.start(), window);
        Ok(window)
    }
}

impl Span {
    /// The span with `windows` (sorted, not empty) added, or `Ok(None)`
    /// when it would hold more than [`MAX_WINDOWS`] periods. Only the
    /// periods added at either end are walked, so a report's spans cost
    /// at most `MAX_WINDOWS` steps in all.
    #[allow(clippy::arithmetic_side_effects, reason = "counts of periods, at most MAX_WINDOWS")]
    pub(crate) fn extended(span: Option<Span>, period: Period, zone: Tz, windows: &[Interval]) -> Result<Option<Span>> {
        let (Some(&first), Some(&last)) = (windows.first(), windows.last()) else {
            return Ok(span);
        };
        let Some(mut span) = span else {
            return Ok(Some(Span {
                first,
                last,
                count: windows.len(),
            }));
        };
        if first.start() < span.first.start() {
            let Some(added) = steps(period, zone, first, span.first.start(), MAX_WINDOWS - span.count)? else {
                return Ok(None);
            };
            span = Span {
                first,
                count: span.count + added,
                ..span
            };
        }
        if last.start() > span.last.start() {
            let Some(added) = steps(period, zone, span.last, last.start(), MAX_WINDOWS - span.count)? else {
                return Ok(None);
            };
            span = Span {
                last,
                count: span.count + added,
                ..span
            };
        }
        Ok(Some(span))
    }
}

impl Span {
    /// Both spans as one (the periods between them included), or `Ok(None)`
    /// past [`MAX_WINDOWS`] periods.
    pub(crate) fn merged(a: Option<Span>, b: Option<Span>, period: Period, zone: Tz) -> Result<Option<Span>> {
        match (a, b) {
            (a, None) => Ok(a),
            (None, b) => Ok(b),
            (a, Some(b)) if b.first == b.last => Span::extended(a, period, zone, &[b.first]),
            (a, Some(b)) => Span::extended(a, period, zone, &[b.first, b.last]),
        }
    }
}

/// The periods after `from` up to the one starting at `to`, or `None` past
/// `limit` of them.
#[allow(clippy::arithmetic_side_effects, reason = "counts of periods, at most MAX_WINDOWS")]
fn steps(period: Period, zone: Tz, from: Interval, to: DateTime<Utc>, limit: usize) -> Result<Option<usize>> {
    let mut window = from;
    let mut count = 0;
    while window.start() < to {
        if count == limit {
            return Ok(None);
        }
        window = period.containing(zone, window.end())?;
        count += 1;
    }
    Ok(Some(count))
}

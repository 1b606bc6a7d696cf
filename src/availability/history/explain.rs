//! Which outages make a window's downtime, and how much each counted: the
//! availability counterpart of a ticket cycle's segments.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use std::collections::BTreeSet;

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::{History, Record, instant, overlaps, to_nanos};
use crate::arith;
use crate::availability::impact::WEIGHT_SCALE;
use crate::error::Result;
use crate::interval::Interval;

/// A window's downtime, outage by outage.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct DowntimeExplanation {
    /// The window explained.
    pub window: Interval,
    /// Up to when it was measured (the window's end, or `as_of`).
    pub measured_until: DateTime<Utc>,
    /// Every outage that reaches into the measured part of the window, by
    /// start (then input position).
    pub outages: Vec<OutageShare>,
}

/// One outage's part in a window's downtime.
///
/// At each instant the outage with the highest weight counts (the earliest
/// given among equals), so the agreed time of the window inside outages is
/// split between them: `counted` where this one counted, `covered` where a
/// heavier (or earlier equal) one did, `in_maintenance` where planned
/// maintenance took it out. `downtime` is `counted * weight`, to the
/// nanosecond (half away from zero); the exact sum of the `downtime`s is the
/// window's [`unplanned_downtime`](super::WindowAvailability::unplanned_downtime).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct OutageShare {
    /// Its position (0-based) in the outages given.
    pub index: usize,
    /// Its start.
    pub start: DateTime<Utc>,
    /// Its end (`as_of` for an outage still open).
    pub end: DateTime<Utc>,
    /// Its weight under the agreement.
    pub weight: Decimal,
    /// Agreed service time within the window in which it is the outage that counts.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub counted: TimeDelta,
    /// What it added to the window's downtime: `counted * weight`.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub downtime: TimeDelta,
    /// Agreed service time within the window inside it in which another
    /// outage counted instead.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub covered: TimeDelta,
    /// Agreed service time within the window inside it that was planned
    /// maintenance (never unplanned downtime).
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub in_maintenance: TimeDelta,
}

impl History {
    /// The outages behind the downtime of `window`, and how much each
    /// counted. One sweep over the outages reaching into the window.
    ///
    /// # Errors
    ///
    /// As [`History::measure`]: an empty window, or one outside the calendar's horizon.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "outages and windows are i64 nanoseconds (1677 to 2262), agreed time per window below 2^63 ns, weights at most 10,000 units and fewer than 2^32 outages: every sum and product stays below 2^110"
    )]
    pub fn explain(&self, window: Interval) -> Result<DowntimeExplanation> {
        self.check_window(&window)?;
        let start = to_nanos(window.start()).unwrap_or(i64::MAX);
        let end = to_nanos(window.end()).unwrap_or(i64::MAX).min(self.as_of_ns).max(start);
        self.check_schedule(&[(start, end)])?;
        let maintenance: Vec<(i64, i64)> = if start < end {
            self.agreement
                .maintenance
                .intervals(instant(start), instant(end))
                .iter()
                .filter_map(|m| Some((to_nanos(m.start())?, to_nanos(m.end())?)))
                .collect()
        } else {
            Vec::new()
        };
        let reaching: Vec<&Record> = self.records.iter().filter(|r| r.start < end && r.end > start).collect();
        let mut shares: Vec<Share> = vec![Share::default(); reaching.len()];
        // Agreed time of a piece outside and inside maintenance.
        let business = |a: i64, b: i64| -> (i128, i128) {
            let agreed = self.agreement.calendar.business_nanos(a, b);
            let planned: i128 = overlaps(&maintenance, a, b)
                .iter()
                .map(|&(s, e)| self.agreement.calendar.business_nanos(s.max(a), e.min(b)))
                .sum();
            (agreed - planned, planned)
        };
        sweep(&reaching, start, end, |piece_start, piece_end, active| {
            let (outside, planned) = business(piece_start, piece_end);
            for (rank, &k) in active.iter().enumerate() {
                let share = &mut shares[k];
                share.in_maintenance += planned;
                if rank == 0 {
                    share.counted += outside;
                } else {
                    share.covered += outside;
                }
            }
        });
        let outages = reaching
            .iter()
            .zip(&shares)
            .map(|(record, share)| share.finish(record))
            .collect();
        Ok(DowntimeExplanation {
            window,
            measured_until: instant(end),
            outages,
        })
    }
}

/// Nanoseconds of agreed time per role, for one outage.
#[derive(Clone, Copy, Debug, Default)]
struct Share {
    counted: i128,
    covered: i128,
    in_maintenance: i128,
}

impl Share {
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "outages and windows are i64 nanoseconds (1677 to 2262), agreed time per window below 2^63 ns, weights at most 10,000 units and fewer than 2^32 outages: every sum and product stays below 2^110"
    )]
    fn finish(&self, record: &Record) -> OutageShare {
        let units = i128::from(record.units);
        OutageShare {
            index: record.index as usize,
            start: instant(record.start),
            end: instant(record.end),
            weight: Decimal::new(i64::from(record.units), 4).normalize(),
            counted: arith::from_nanos(self.counted),
            downtime: arith::from_nanos(arith::div_round(self.counted * units, WEIGHT_SCALE)),
            covered: arith::from_nanos(self.covered),
            in_maintenance: arith::from_nanos(self.in_maintenance),
        }
    }
}

/// Cuts `[start, end)` at every edge of the records and calls `piece` for
/// each stretch with at least one record, with the records active over it
/// ranked heaviest first (then by start, then by input position). `records`
/// are sorted by start.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "outages and windows are i64 nanoseconds (1677 to 2262), agreed time per window below 2^63 ns, weights at most 10,000 units and fewer than 2^32 outages: every sum and product stays below 2^110"
)]
fn sweep(records: &[&Record], start: i64, end: i64, mut piece: impl FnMut(i64, i64, &[usize])) {
    let mut edges: Vec<(i64, bool, usize)> = Vec::with_capacity(records.len() * 2);
    for (k, r) in records.iter().enumerate() {
        edges.push((r.start.max(start), true, k));
        edges.push((r.end.min(end), false, k));
    }
    edges.sort_unstable_by_key(|&(at, opens, _)| (at, opens));
    // Ranked by (heaviest, earliest start, earliest given).
    let key = |k: usize| (u16::MAX - records[k].units, records[k].start, records[k].index, k);
    let mut active: BTreeSet<(u16, i64, u32, usize)> = BTreeSet::new();
    let mut ranked: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < edges.len() {
        let at = edges[i].0;
        while i < edges.len() && edges[i].0 == at {
            let (_, opens, k) = edges[i];
            if opens {
                active.insert(key(k));
            } else {
                active.remove(&key(k));
            }
            i += 1;
        }
        let next = edges.get(i).map_or(at, |e| e.0);
        if !active.is_empty() && next > at {
            ranked.clear();
            ranked.extend(active.iter().map(|&(_, _, _, k)| k));
            piece(at, next, &ranked);
        }
    }
}

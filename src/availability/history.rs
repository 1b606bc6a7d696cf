//! Outages prepared for measurement, and the measure of a window.
//!
//! Weighted downtime is computed in *layers*: with the distinct positive
//! weights `w1 > w2 > ... > wm` (and `w(m+1) = 0`), the weight counted at an
//! instant is the largest weight of the outages covering it, which equals
//! `sum over k of (wk - w(k+1)) * [instant in Uk]`, where `Uk` is the union
//! of the outages weighing at least `wk`. Each `Uk` is a plain merge of
//! sorted intervals, so overlapping outages never count twice and a
//! partial outage inside a major one adds nothing.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

mod explain;

pub use explain::{DowntimeExplanation, OutageShare};

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::agreement::Agreement;
use super::impact::WEIGHT_SCALE;
use super::outage::{MaintenanceMode, Outage};
use super::sort::{StartRange, sorted_by_start};
use crate::arith;
use crate::error::{Detail, Error, Result};
use crate::interval::Interval;
use crate::ratio::{self, Figure, Unknown};

/// Outages prepared for measurement as of an instant; made by
/// [`Agreement::history`].
///
/// # Properties
///
/// For an agreement, outages `xs` and windows `w`:
/// - `availability` is within `[0, 100]` whenever it is known;
/// - adding a copy of an outage in `xs` changes nothing, and neither does
///   the order of `xs`;
/// - adding maintenance never adds downtime, and never lowers availability
///   under [`MaintenanceMode::CountedAsUp`]; under the default
///   [`MaintenanceMode::Excluded`], declaring part of a major outage as
///   maintenance never lowers availability. (Excluding maintenance over
///   *uptime* does lower it, as ITIL's `(T - M - D) / (T - M)` says it
///   should: 100 h with 10 h down is 90%; take out 50 h of maintenance and
///   the 10 h are a fifth of what is left, 80%.)
/// - downtime (and agreed service time and maintenance) over a window
///   equals the sum over any partition of that window into windows;
/// - `mtbsi == mtbf + mtrs` whenever there are failures.
///
/// Each is a property test in `tests/integration/availability_props.rs`.
#[derive(Clone, Debug)]
pub struct History {
    agreement: Agreement,
    as_of: DateTime<Utc>,
    as_of_ns: i64,
    /// Highest weight first; the last layer is the union of every outage
    /// that counts at all.
    layers: Vec<Layer>,
    /// The outages that count, sorted by start, for per-outage questions.
    records: Vec<Record>,
    /// For each record, its merged episode: the span of the last layer.
    episode_of: Vec<u32>,
    /// How many outages were given.
    input_len: usize,
    unused: Vec<UnusedOutage>,
}

#[derive(Clone, Debug)]
struct Layer {
    /// `wk - w(k+1)`, in weight units.
    step: i128,
    /// Sorted, disjoint, non-adjacent `[start, end)` in nanoseconds.
    spans: Vec<(i64, i64)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Record {
    pub start: i64,
    pub end: i64,
    pub units: u16,
    pub index: u32,
}

/// An outage that contributes nothing to a measurement, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct UnusedOutage {
    /// Its position (0-based) in the outages given.
    pub index: usize,
    /// Why it does not count.
    pub reason: UnusedReason,
}

/// Why an outage contributes nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum UnusedReason {
    /// Its impact level weighs 0 under the agreement's weights (degraded
    /// performance under [`ImpactWeights::STATUS_PAGE`](super::ImpactWeights::STATUS_PAGE)).
    NoWeight,
    /// It starts at or after `as_of`, so it had not happened yet.
    AfterAsOf,
    /// It lies entirely outside the windows measured.
    OutsideWindows,
    /// It lies entirely outside the agreed service time (or inside excluded
    /// maintenance) within the windows measured.
    OutsideAgreedTime,
}

/// Availability over one window (or, in [`AvailabilityReport::total`],
/// over all the windows of a report).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct WindowAvailability {
    /// The window asked for (for a report's total, from the first window's
    /// start to the last one's end).
    pub window: Interval,
    /// The end of what was measured: the window's end, or `as_of` for a
    /// window still running.
    pub measured_until: DateTime<Utc>,
    /// Agreed service time in the window, maintenance included (T).
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub agreed_service_time: TimeDelta,
    /// Planned maintenance within the agreed service time (M).
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub maintenance: TimeDelta,
    /// The denominator: `T - M` when maintenance is excluded, else `T`.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub counted_service_time: TimeDelta,
    /// Weighted downtime of unplanned outages within the agreed service time
    /// and outside maintenance (D).
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub unplanned_downtime: TimeDelta,
    /// Downtime counted against availability: `D`, plus `M` when
    /// maintenance counts as down.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub downtime: TimeDelta,
    /// Failures: merged outages with some counted downtime in the window.
    /// One that crosses a window edge counts in each window it reaches.
    pub failures: u64,
    /// `100 * (counted - downtime) / counted`, to six places, half away from
    /// zero; unknown when there is no counted service time.
    pub availability: Figure<Decimal>,
    /// Mean time between failures (ITIL): the time between a restoration
    /// and the next failure, on average: `mtbsi - mtrs`, so unweighted.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso_figure"))]
    pub mtbf: Figure<TimeDelta>,
    /// Mean time to restore service (ITIL): the agreed service time from
    /// failure to full restoration, outside maintenance, per failure;
    /// unweighted, so a 140-hour partial outage restores in 140 hours even
    /// though it counts 42 hours against availability (ITIL 4, "Service
    /// level management" practice: MTRS is measured from when the service
    /// fails until it is fully restored).
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso_figure"))]
    pub mtrs: Figure<TimeDelta>,
    /// Mean time between service incidents: `mtbf + mtrs`.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso_figure"))]
    pub mtbsi: Figure<TimeDelta>,
}

impl WindowAvailability {
    /// Availability rounded to `places` decimals (half away from zero),
    /// computed afresh from the durations rather than from the six-place
    /// figure, so it is never rounded twice.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "outages and windows are i64 nanoseconds (1677 to 2262), agreed time per window below 2^63 ns, weights at most 10,000 units and fewer than 2^32 outages: every sum and product stays below 2^110"
    )]
    pub fn availability_at(&self, places: u32) -> Figure<Decimal> {
        let counted = arith::nanos(self.counted_service_time);
        if counted <= 0 {
            return Figure::Unknown(Unknown::NoAgreedTime);
        }
        let up = counted - arith::nanos(self.downtime);
        // Up to 18 places; the product is formed in 256 bits, and a figure
        // past `Decimal`'s 96 bits cannot occur (it is at most 100).
        arith::checked_percent(up, counted, places.min(18))
            .map_or(Figure::Unknown(Unknown::NoAgreedTime), Figure::Known)
    }
}

/// Availability per window and in total, with the outages that counted in
/// none of them.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct AvailabilityReport {
    /// As of when.
    pub as_of: DateTime<Utc>,
    /// Each window, in the order given.
    pub windows: Vec<WindowAvailability>,
    /// All windows together (their union; a failure that spans two windows
    /// counts once here).
    pub total: WindowAvailability,
    /// Outages that contributed nothing, with the reason, in input order.
    pub unused: Vec<UnusedOutage>,
}

/// The sums behind one measurement, in nanoseconds (downtime in weight
/// units of nanoseconds).
#[derive(Default)]
struct Sums {
    agreed: i128,
    maintenance: i128,
    weighted_units: i128,
    /// Time within an outage that counts at all, unweighted (the last
    /// layer's): what restoring the service took, for MTRS.
    outage: i128,
    failures: u64,
}

impl History {
    pub(crate) fn new(agreement: Agreement, outages: &[Outage], as_of: DateTime<Utc>) -> Result<History> {
        let as_of_ns = to_nanos(as_of).ok_or_else(|| {
            Error::measurement(
                "as_of",
                as_of,
                "the instant is outside the range this crate measures (1677 to 2262)",
            )
        })?;
        if outages.len() > u32::MAX as usize {
            return Err(Error::measurement(
                "outages",
                outages.len(),
                "too many outages in one history",
            ));
        }
        let weights = agreement.weights;
        // The record an outage becomes, or why it counts nowhere.
        let record = |index: usize, outage: &Outage| -> std::result::Result<Record, UnusedReason> {
            let units = weights.weight(outage.impact()).units() as u16;
            let start = outage.start_nanos();
            if units == 0 {
                return Err(UnusedReason::NoWeight);
            }
            if start >= as_of_ns {
                return Err(UnusedReason::AfterAsOf);
            }
            Ok(Record {
                start,
                end: outage.end_nanos().map_or(as_of_ns, |end| end.min(as_of_ns)),
                units,
                index: index as u32,
            })
        };
        let mut unused = Vec::new();
        let mut starts = StartRange::default();
        // Exports usually come in order: the records are kept as they come
        // until one is out of order, and then built again, sorted.
        let mut records = Vec::with_capacity(outages.len());
        for (index, outage) in outages.iter().enumerate() {
            match record(index, outage) {
                Ok(r) => {
                    starts.take(r.start);
                    if starts.in_order {
                        records.push(r);
                    }
                }
                Err(reason) => unused.push(UnusedOutage { index, reason }),
            }
        }
        if !starts.in_order {
            drop(records);
            let usable = || outages.iter().enumerate().filter_map(|(i, o)| record(i, o).ok());
            records = sorted_by_start(usable, &starts);
        }
        let (layers, episode_of) = build_layers(&records);
        Ok(History {
            agreement,
            as_of,
            as_of_ns,
            layers,
            records,
            episode_of,
            input_len: outages.len(),
            unused,
        })
    }

    /// The agreement measured by.
    pub fn agreement(&self) -> &Agreement {
        &self.agreement
    }

    /// As of when.
    pub fn as_of(&self) -> DateTime<Utc> {
        self.as_of
    }

    /// The outages that cannot count in any window (no weight, or after
    /// `as_of`), in input order.
    pub fn unused(&self) -> &[UnusedOutage] {
        &self.unused
    }

    /// The merged downtime intervals at or above each weight, highest weight
    /// first: what the figures are computed from, for explanation.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "outages and windows are i64 nanoseconds (1677 to 2262), agreed time per window below 2^63 ns, weights at most 10,000 units and fewer than 2^32 outages: every sum and product stays below 2^110"
    )]
    pub fn merged(&self) -> Vec<(Decimal, Vec<Interval>)> {
        let mut weight = 0;
        let mut out: Vec<(Decimal, Vec<Interval>)> = self
            .layers
            .iter()
            .rev()
            .map(|layer| {
                weight += layer.step;
                let spans = layer.spans.iter().map(|&(s, e)| interval(s, e)).collect();
                (Decimal::from_i128_with_scale(weight, 4).normalize(), spans)
            })
            .collect();
        out.reverse();
        out
    }

    /// Availability over `window`. A window still running at `as_of` is
    /// measured up to `as_of`; one that starts after it measures nothing
    /// (its availability is unknown). An error when the window is empty or
    /// reaches outside the calendar's horizon.
    ///
    /// # Errors
    ///
    /// When the window is empty or reaches outside the calendar's horizon.
    pub fn measure(&self, window: Interval) -> Result<WindowAvailability> {
        let sweep = self.sweep(&[window])?;
        Ok(self.figures(window, &sweep.windows[0]))
    }

    /// Availability over each of `windows` (sorted, not overlapping) and over
    /// all of them together, with the outages that counted in none, in one
    /// pass over the merged outages.
    ///
    /// # Errors
    ///
    /// When there are no windows, they are not sorted or overlap, or one cannot be measured (as
    /// [`History::measure`]).
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "outages and windows are i64 nanoseconds (1677 to 2262), agreed time per window below 2^63 ns, weights at most 10,000 units and fewer than 2^32 outages: every sum and product stays below 2^110"
    )]
    pub fn report(&self, windows: &[Interval]) -> Result<AvailabilityReport> {
        let (Some(first), Some(last)) = (windows.first(), windows.last()) else {
            return Err(Error::measurement("windows", "[]", "there are no windows to measure"));
        };
        for pair in windows.windows(2) {
            if pair[1].start() < pair[0].end() {
                return Err(Error::measurement(
                    "windows",
                    format!(
                        "{}..{} and {}..{}",
                        pair[0].start(),
                        pair[0].end(),
                        pair[1].start(),
                        pair[1].end()
                    ),
                    "windows must be sorted and must not overlap",
                ));
            }
        }
        let sweep = self.sweep(windows)?;
        let per_window = windows
            .iter()
            .zip(&sweep.windows)
            .map(|(w, sums)| self.figures(*w, sums))
            .collect();
        // Sums over disjoint windows add up; a failure spanning two windows
        // counts once in the total.
        let mut total = Sums::default();
        for sums in &sweep.windows {
            total.agreed += sums.agreed;
            total.maintenance += sums.maintenance;
            total.weighted_units += sums.weighted_units;
            total.outage += sums.outage;
        }
        total.failures = sweep.counted.iter().filter(|&&c| c).count() as u64;
        let hull = Interval::new_unchecked(first.start(), last.end());
        let unused = self.unused_in(&sweep);
        Ok(AvailabilityReport {
            as_of: self.as_of,
            windows: per_window,
            total: self.figures(hull, &total),
            unused,
        })
    }

    /// Every outage that contributes nothing, in input order: those found
    /// when the history was built, and the counted outages whose merged
    /// episode has no counted time in any window (outside them all, or
    /// outside agreed time within them).
    fn unused_in(&self, sweep: &Sweep) -> Vec<UnusedOutage> {
        let mut reasons: Vec<Option<UnusedReason>> = vec![None; self.input_len];
        for u in &self.unused {
            reasons[u.index] = Some(u.reason);
        }
        for (r, &episode) in self.records.iter().zip(&self.episode_of) {
            let episode = episode as usize;
            if !sweep.counted[episode] {
                reasons[r.index as usize] = Some(if sweep.touched[episode] {
                    UnusedReason::OutsideAgreedTime
                } else {
                    UnusedReason::OutsideWindows
                });
            }
        }
        reasons
            .into_iter()
            .enumerate()
            .filter_map(|(index, reason)| Some(UnusedOutage { index, reason: reason? }))
            .collect()
    }

    fn check_window(&self, w: &Interval) -> Result<()> {
        if w.is_empty() {
            return Err(Error::measurement(
                "window",
                format!("{}..{}", w.start(), w.end()),
                "the window is empty",
            ));
        }
        let horizon = self.agreement.calendar.horizon_interval();
        for at in [w.start(), w.end()] {
            if at < horizon.start() || at > horizon.end() || to_nanos(at).is_none() {
                return Err(Error::from(Detail::OutsideHorizon {
                    instant: at,
                    horizon_start: horizon.start(),
                    horizon_end: horizon.end(),
                }));
            }
        }
        Ok(())
    }

    /// A recurring maintenance schedule knows its windows only inside its
    /// own horizon; a measured stretch past it would count as "no
    /// maintenance" without a word, so it is an error.
    fn check_schedule(&self, scope: &[(i64, i64)]) -> Result<()> {
        let Some(schedule) = &self.agreement.maintenance.recurring else {
            return Ok(());
        };
        let horizon = schedule.horizon_interval();
        for &(s, e) in scope.iter().filter(|(s, e)| s < e) {
            for at in [instant(s), instant(e)] {
                if at < horizon.start() || at > horizon.end() {
                    let outside = Error::from(Detail::OutsideHorizon {
                        instant: at,
                        horizon_start: horizon.start(),
                        horizon_end: horizon.end(),
                    });
                    return Err(Error::measurement(
                        "maintenance.recurring",
                        format!("{}..{}", instant(s), instant(e)),
                        "the window reaches past the maintenance schedule's horizon",
                    )
                    .caused_by(outside));
                }
            }
        }
        Ok(())
    }

    /// One pass per layer over the merged outages, attributing each piece
    /// to its window. `windows` are sorted and disjoint.
    fn sweep(&self, windows: &[Interval]) -> Result<Sweep> {
        let calendar = &self.agreement.calendar;
        let mut scope = Vec::with_capacity(windows.len());
        for w in windows {
            self.check_window(w)?;
            // Clipped to `as_of`; a window after it is left empty.
            let start = to_nanos(w.start()).unwrap_or(i64::MAX);
            let end = to_nanos(w.end()).unwrap_or(i64::MAX).min(self.as_of_ns).max(start);
            scope.push((start, end));
        }
        self.check_schedule(&scope)?;
        let maintenance: Vec<(i64, i64)> = scope
            .iter()
            .filter(|(s, e)| s < e)
            .flat_map(|&(s, e)| self.agreement.maintenance.intervals(instant(s), instant(e)))
            .filter_map(|m| Some((to_nanos(m.start())?, to_nanos(m.end())?)))
            .collect();
        let mut sums: Vec<Sums> = scope
            .iter()
            .map(|&(s, e)| {
                let inside = overlaps(&maintenance, s, e);
                Sums {
                    agreed: calendar.business_nanos(s, e),
                    maintenance: inside.iter().map(|&(a, b)| calendar.business_nanos(a, b)).sum(),
                    ..Sums::default()
                }
            })
            .collect();
        let episodes = self.layers.last().map_or(0, |l| l.spans.len());
        let mut sweep = Sweep {
            windows: Vec::new(),
            counted: vec![false; episodes],
            touched: vec![false; episodes],
        };
        let business = |s, e| calendar.business_nanos(s, e);
        let last = self.layers.len().saturating_sub(1);
        for (k, layer) in self.layers.iter().enumerate() {
            let flags = (k == last).then_some((&mut sweep.counted, &mut sweep.touched));
            measure_layer(layer, &scope, &maintenance, &business, &mut sums, flags);
        }
        sweep.windows = sums;
        Ok(sweep)
    }

    #[allow(
        clippy::arithmetic_side_effects,
        reason = "outages and windows are i64 nanoseconds (1677 to 2262), agreed time per window below 2^63 ns, weights at most 10,000 units and fewer than 2^32 outages: every sum and product stays below 2^110"
    )]
    fn figures(&self, window: Interval, sums: &Sums) -> WindowAvailability {
        let scale = WEIGHT_SCALE;
        let (counted, down_units) = match self.agreement.mode {
            MaintenanceMode::Excluded => (sums.agreed - sums.maintenance, sums.weighted_units),
            MaintenanceMode::CountedAsUp => (sums.agreed, sums.weighted_units),
            MaintenanceMode::CountedAsDown => (sums.agreed, sums.weighted_units + sums.maintenance * scale),
        };
        // Availability is computed from the downtime as reported (to the
        // nanosecond), so it can be redone by hand from the durations shown
        // and equals `availability_at(6)`.
        let downtime = arith::div_round(down_units, scale);
        let availability = ratio::percent(counted - downtime, counted, Unknown::NoAgreedTime);
        let (mtbf, mtrs, mtbsi) = if sums.failures == 0 {
            let none = Figure::Unknown(Unknown::NoFailures);
            (none, none, none)
        } else {
            let per_failure = i128::from(sums.failures) * scale;
            // ITIL: restore time runs from failure to full restoration, so
            // a partial outage counts in full here (its weight is for
            // availability only).
            let mtrs = arith::div_round(sums.outage * scale, per_failure);
            let mtbsi = arith::div_round(counted * scale - down_units + sums.weighted_units, per_failure);
            // MTBF is derived so that MTBSI = MTBF + MTRS holds exactly.
            (
                Figure::Known(arith::from_nanos(mtbsi - mtrs)),
                Figure::Known(arith::from_nanos(mtrs)),
                Figure::Known(arith::from_nanos(mtbsi)),
            )
        };
        WindowAvailability {
            window,
            measured_until: window.end().min(self.as_of).max(window.start()),
            agreed_service_time: arith::from_nanos(sums.agreed),
            maintenance: arith::from_nanos(sums.maintenance),
            counted_service_time: arith::from_nanos(counted),
            unplanned_downtime: arith::from_nanos(arith::div_round(sums.weighted_units, scale)),
            downtime: arith::from_nanos(downtime),
            failures: sums.failures,
            availability,
            mtbf,
            mtrs,
            mtbsi,
        }
    }
}

/// Per-window sums, and for each merged episode (a span of the last layer)
/// whether it has counted time in some window and whether it reaches one.
struct Sweep {
    windows: Vec<Sums>,
    counted: Vec<bool>,
    touched: Vec<bool>,
}

/// One merge per distinct weight, all in one pass over the sorted records;
/// also the episode (span of the last layer) each record fell into.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "outages and windows are i64 nanoseconds (1677 to 2262), agreed time per window below 2^63 ns, weights at most 10,000 units and fewer than 2^32 outages: every sum and product stays below 2^110"
)]
fn build_layers(records: &[Record]) -> (Vec<Layer>, Vec<u32>) {
    let mut weights: Vec<u16> = Vec::new();
    for r in records {
        // Few distinct weights (one per impact level in use): a linear scan.
        if !weights.contains(&r.units) {
            weights.push(r.units);
        }
    }
    weights.sort_unstable_by(|a, b| b.cmp(a));
    let mut layers: Vec<Layer> = weights
        .iter()
        .enumerate()
        .map(|(k, &w)| Layer {
            step: i128::from(w) - i128::from(weights.get(k + 1).copied().unwrap_or(0)),
            // Growing by doubling would copy the spans about twice over.
            spans: Vec::with_capacity(records.len()),
        })
        .collect();
    let mut episode_of = Vec::with_capacity(records.len());
    for r in records {
        // Layer k holds the outages weighing at least weights[k].
        let first = weights.partition_point(|&w| w > r.units);
        for layer in &mut layers[first..] {
            match layer.spans.last_mut() {
                Some(last) if r.start <= last.1 => last.1 = last.1.max(r.end),
                _ => layer.spans.push((r.start, r.end)),
            }
        }
        let last = layers.last().map_or(0, |l| l.spans.len());
        episode_of.push(last.saturating_sub(1) as u32);
    }
    for layer in &mut layers {
        if layer.spans.capacity() > 2 * layer.spans.len() {
            layer.spans.shrink_to_fit();
        }
    }
    (layers, episode_of)
}

/// Adds the business time of `layer` inside each scope window and outside
/// `maintenance` to that window's sums. With `flags` (the last layer), also
/// counts failures and marks which spans have counted time and which reach
/// a window. `scope` and `maintenance` are sorted and disjoint, and
/// `maintenance` lies inside `scope`.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "outages and windows are i64 nanoseconds (1677 to 2262), agreed time per window below 2^63 ns, weights at most 10,000 units and fewer than 2^32 outages: every sum and product stays below 2^110"
)]
fn measure_layer(
    layer: &Layer,
    scope: &[(i64, i64)],
    maintenance: &[(i64, i64)],
    business: &impl Fn(i64, i64) -> i128,
    sums: &mut [Sums],
    mut flags: Option<(&mut Vec<bool>, &mut Vec<bool>)>,
) {
    let (Some(&(scope_start, _)), Some(&(_, scope_end))) = (scope.first(), scope.last()) else {
        return;
    };
    let spans = &layer.spans;
    let first = spans.partition_point(|&(_, end)| end <= scope_start);
    let (mut window, mut in_maintenance) = (0, 0);
    for (offset, &(start, end)) in spans[first..].iter().enumerate() {
        if start >= scope_end {
            break;
        }
        while window < scope.len() && scope[window].1 <= start {
            window += 1;
        }
        let mut j = window;
        while j < scope.len() && scope[j].0 < end {
            let (s, e) = (start.max(scope[j].0), end.min(scope[j].1));
            if s < e {
                let inside = business(s, e) - clipped_sum(maintenance, &mut in_maintenance, s, e, business);
                sums[j].weighted_units += layer.step * inside;
                if let Some((counted, touched)) = flags.as_mut() {
                    sums[j].outage += inside;
                    touched[first + offset] = true;
                    if inside > 0 {
                        sums[j].failures += 1;
                        counted[first + offset] = true;
                    }
                }
            }
            j += 1;
        }
    }
}

/// Business time of `[start, end)` inside the sorted, disjoint `pieces`,
/// starting the search at `*from`, which moves forward for the next call.
#[inline]
#[allow(
    clippy::arithmetic_side_effects,
    reason = "outages and windows are i64 nanoseconds (1677 to 2262), agreed time per window below 2^63 ns, weights at most 10,000 units and fewer than 2^32 outages: every sum and product stays below 2^110"
)]
fn clipped_sum(
    pieces: &[(i64, i64)],
    from: &mut usize,
    start: i64,
    end: i64,
    business: &impl Fn(i64, i64) -> i128,
) -> i128 {
    while *from < pieces.len() && pieces[*from].1 <= start {
        *from += 1;
    }
    let mut sum = 0;
    for &(s, e) in &pieces[*from..] {
        if s >= end {
            break;
        }
        sum += business(s.max(start), e.min(end));
    }
    sum
}

/// The pieces of sorted, disjoint `pieces` that overlap `[start, end)`.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "from <= to <= pieces.len() by the partition points"
)]
fn overlaps(pieces: &[(i64, i64)], start: i64, end: i64) -> &[(i64, i64)] {
    let from = pieces.partition_point(|&(_, e)| e <= start);
    let to = from + pieces[from..].partition_point(|&(s, _)| s < end);
    &pieces[from..to]
}

fn to_nanos(at: DateTime<Utc>) -> Option<i64> {
    at.timestamp_nanos_opt()
}

fn instant(nanos: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(nanos)
}

fn interval(start: i64, end: i64) -> Interval {
    Interval::new_unchecked(instant(start), instant(end))
}

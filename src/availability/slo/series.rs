//! Where error ratios over a window come from: outage histories (time-based
//! SLOs) and event counts (request-based SLOs).

use chrono::{DateTime, Utc};

use super::SliceCounts;
use crate::arith;
use crate::availability::History;
use crate::error::{Error, Result};
use crate::interval::Interval;

/// Bad and valid amounts over a window, in one unit (events, or
/// nanoseconds of downtime and of counted service time).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Tally {
    /// The bad amount.
    pub bad: u128,
    /// The valid amount.
    pub valid: u128,
}

/// Anything that can say how much was bad over a window.
pub trait ErrorSource {
    /// The bad and valid amounts over `window`.
    fn tally(&self, window: Interval) -> Result<Tally>;
}

impl ErrorSource for History {
    /// Downtime over counted service time, in nanoseconds.
    fn tally(&self, window: Interval) -> Result<Tally> {
        let measured = self.measure(window)?;
        let to_u128 = |d| u128::try_from(arith::nanos(d)).unwrap_or(0);
        Ok(Tally {
            bad: to_u128(measured.downtime),
            valid: to_u128(measured.counted_service_time),
        })
    }
}

/// Event counts stamped with instants (one per scrape, minute or request
/// batch), with prefix sums so that any window is answered in O(log n).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventSeries {
    instants: Vec<DateTime<Utc>>,
    /// `bad[i]` and `valid[i]`: sums over the first `i` samples.
    bad: Vec<u128>,
    valid: Vec<u128>,
}

impl EventSeries {
    /// A series from `(instant, counts)` samples in any order; an error for
    /// a sample with more good events than valid ones, naming its position.
    ///
    /// # Errors
    ///
    /// When a sample has more good events than valid ones (the error names its position).
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "prefix sums of u64 counts in u128 cannot overflow (fewer than 2^64 samples); good <= valid is checked first"
    )]
    pub fn new(samples: &[(DateTime<Utc>, SliceCounts)]) -> Result<EventSeries> {
        for (i, (_, counts)) in samples.iter().enumerate() {
            if counts.good > counts.valid {
                return Err(Error::measurement(
                    format!("samples[{i}]"),
                    format!("good {} of valid {}", counts.good, counts.valid),
                    "a sample has more good events than valid ones",
                ));
            }
        }
        let mut sorted = samples.to_vec();
        sorted.sort_by_key(|(at, _)| *at);
        let mut series = EventSeries {
            instants: Vec::with_capacity(sorted.len()),
            bad: vec![0],
            valid: vec![0],
        };
        for (at, counts) in sorted {
            series.instants.push(at);
            let (bad, valid) = (series.bad[series.bad.len() - 1], series.valid[series.valid.len() - 1]);
            series.bad.push(bad + u128::from(counts.valid - counts.good));
            series.valid.push(valid + u128::from(counts.valid));
        }
        Ok(series)
    }
}

impl ErrorSource for EventSeries {
    /// Samples stamped inside `[start, end)`.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "prefix sums are non-decreasing and to >= from"
    )]
    fn tally(&self, window: Interval) -> Result<Tally> {
        let from = self.instants.partition_point(|at| *at < window.start());
        let to = self.instants.partition_point(|at| *at < window.end());
        Ok(Tally {
            bad: self.bad[to] - self.bad[from],
            valid: self.valid[to] - self.valid[from],
        })
    }
}

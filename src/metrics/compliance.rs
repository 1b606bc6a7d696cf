//! SLA compliance over many cycles: how many were met, breached, are still
//! running (and whether already breached), were cancelled, or never started.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use crate::eval::{Cycle, State};
use crate::ratio::{self, Figure, Unknown};

/// Verdicts of many cycles of one policy, and the compliance percentage.
///
/// `percent = 100 * met / (met + breached)` over cycles that *ended*,
/// rounded half away from zero to six places; unknown when none ended.
/// Cancelled cycles and tickets where the policy never started are left
/// out of the percentage but counted, so nothing disappears. Cycles still
/// open at `as_of` are counted apart: `running` (within target) and
/// `breached_running` (past target, a breach that is certain unless the
/// target changes), so that a month's figure does not move when a late
/// ticket finally closes; ServiceNow's "breached, in progress" list.
///
/// ```
/// use servicelevel::metrics::Compliance;
/// let mut c = Compliance::default();
/// c.met = 9;
/// c.breached = 3;
/// assert_eq!(c.settled().percent.to_string(), "75");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Compliance {
    /// Cycles that stopped within target.
    pub met: u64,
    /// Cycles that stopped past target.
    pub breached: u64,
    /// Cycles open at `as_of` and within target.
    pub running: u64,
    /// Cycles open at `as_of` and already past target.
    pub breached_running: u64,
    /// Cycles cancelled (neither met nor breached).
    pub cancelled: u64,
    /// Tickets on which the policy never started.
    pub not_started: u64,
    /// `100 * met / (met + breached)`; see the type's docs.
    pub percent: Figure<Decimal>,
}

impl Default for Compliance {
    fn default() -> Compliance {
        Compliance {
            met: 0,
            breached: 0,
            running: 0,
            breached_running: 0,
            cancelled: 0,
            not_started: 0,
            percent: Figure::Unknown(Unknown::NoEvents),
        }
    }
}

impl Compliance {
    /// Counts one cycle as it stands (its own `as_of`).
    pub fn record(&mut self, cycle: &Cycle) {
        self.record_at(cycle, cycle.as_of);
    }

    /// Counts one cycle as it stood at `at` (a cycle of an evaluation at
    /// `at` or later whose verdict was not yet in at `at` is open).
    #[allow(clippy::arithmetic_side_effects, reason = "cycle counters, one per cycle (u64)")]
    pub(crate) fn record_at(&mut self, cycle: &Cycle, at: DateTime<Utc>) {
        match cycle.state {
            State::Met => self.met += 1,
            State::Breached => self.breached += 1,
            State::Cancelled => self.cancelled += 1,
            State::NotStarted => self.not_started += 1,
            State::Running | State::Paused => match cycle.breached_at {
                Some(breach) if breach <= at => self.breached_running += 1,
                _ => self.running += 1,
            },
        }
    }

    /// Adds another tally's counts.
    #[allow(clippy::arithmetic_side_effects, reason = "cycle counters, one per cycle (u64)")]
    pub fn merge(&mut self, other: &Compliance) {
        self.met += other.met;
        self.breached += other.breached;
        self.running += other.running;
        self.breached_running += other.breached_running;
        self.cancelled += other.cancelled;
        self.not_started += other.not_started;
    }

    /// The counts with `percent` computed from them.
    #[allow(clippy::arithmetic_side_effects, reason = "cycle counters, one per cycle (u64)")]
    pub fn settled(mut self) -> Compliance {
        let decided = i128::from(self.met) + i128::from(self.breached);
        self.percent = ratio::percent(i128::from(self.met), decided, Unknown::NoEvents);
        self
    }

    /// Every cycle and not-started ticket counted.
    #[allow(clippy::arithmetic_side_effects, reason = "cycle counters, one per cycle (u64)")]
    pub fn total(&self) -> u64 {
        self.met + self.breached + self.running + self.breached_running + self.cancelled + self.not_started
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests compute expected values")]
mod tests {
    use super::*;

    #[test]
    fn nothing_decided_is_unknown_not_nan() {
        let c = Compliance {
            running: 2,
            cancelled: 1,
            ..Compliance::default()
        }
        .settled();
        assert_eq!(c.percent, Figure::Unknown(Unknown::NoEvents));
        assert_eq!(c.total(), 3);
    }

    #[test]
    fn two_thirds_round_half_away_from_zero() {
        let c = Compliance {
            met: 2,
            breached: 1,
            ..Compliance::default()
        }
        .settled();
        assert_eq!(c.percent, Figure::Known(Decimal::new(66_666_667, 6)));
    }
}

//! Looking ahead: which running cycles are at risk as of an instant, and
//! the next instant at which a live clock's state changes by itself (a
//! warning, an escalation, the breach), which a timer needs to schedule
//! its next wake-up.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::cycle::{Crossing, Cycle, State};
use super::{Evaluation, compute};
use crate::calendar::TimeBasis;
use crate::event::Problem;
use crate::policy::{Offset, Policy};

/// Why a cycle that has neither ended nor breached is at risk, as of the
/// instant it was evaluated at ([`Cycle::at_risk`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Risk {
    /// Wall-clock time from `as_of` to the due instant (for a paused cycle,
    /// the due instant if it resumed at `as_of`).
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub due_in: TimeDelta,
    /// The highest warning threshold already crossed, if any.
    pub warning: Option<Decimal>,
}

/// A change a live clock makes by itself, with no new event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Change {
    /// The warning at this percentage of the target is crossed.
    Warning(Decimal),
    /// The escalation at this offset from the due instant is crossed.
    Escalation(Offset),
    /// The cycle is breached (under the policy's breach rule).
    Breach,
    /// A revision of the policy comes into force and, under
    /// [`VersionRule::AtCycleEnd`](crate::policy::VersionRule::AtCycleEnd),
    /// measures the running cycle from then on.
    Revision,
}

/// The next change of a live clock: when, and what
/// ([`SlaClock::next_change`](super::SlaClock::next_change)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Upcoming {
    /// The instant of the change.
    pub at: DateTime<Utc>,
    /// What changes; when several change at one instant, the first of
    /// warnings, escalations, breach.
    pub change: Change,
}

impl Cycle {
    /// `Some` when the cycle has neither ended nor been breached as of its
    /// `as_of`, and either its due instant is at most `within` away or it
    /// has crossed a warning: the list a service desk works through first.
    /// A breached cycle is past risk; a cancelled or ended one is out of it.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use servicelevel::{BusinessCalendar, Event, Lifecycle, Target, Timeline, evaluate, presets};
    /// let policy = presets::zendesk_first_reply_time(&Lifecycle::zendesk(), Target::wall(TimeDelta::hours(1)))?
    ///     .to_builder()
    ///     .warnings([50.into(), 75.into()])
    ///     .build()?;
    /// let opened = Utc.with_ymd_and_hms(2025, 5, 5, 9, 0, 0).unwrap();
    /// let ticket = Timeline::new(vec![Event::created("T1", opened, [("status", "new")])])?;
    /// let calendar = BusinessCalendar::always_open(chrono_tz::UTC);
    /// let cycle = &evaluate(&policy, &calendar, &ticket, opened + TimeDelta::minutes(40))?.cycles[0];
    /// let risk = cycle.at_risk(TimeDelta::minutes(10)).unwrap();
    /// assert_eq!((risk.due_in, risk.warning), (TimeDelta::minutes(20), Some(50.into())));
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "the difference of two instants chrono holds fits a TimeDelta"
    )]
    pub fn at_risk(&self, within: TimeDelta) -> Option<Risk> {
        let open = matches!(self.state, State::Running | State::Paused) && self.end.is_none();
        if !open || self.breached_at.is_some() {
            return None;
        }
        let warning = self
            .warnings
            .iter()
            .filter(|w| matches!(w.crossing, Crossing::Reached(_)))
            .map(|w| w.percent)
            .max();
        let due_in = self.due - self.as_of;
        (due_in <= within || warning.is_some()).then_some(Risk { due_in, warning })
    }
}

impl Evaluation {
    /// The cycles at risk ([`Cycle::at_risk`]) with their risk.
    pub fn at_risk(&self, within: TimeDelta) -> impl Iterator<Item = (&Cycle, Risk)> {
        self.cycles
            .iter()
            .filter_map(move |c| c.at_risk(within).map(|r| (c, r)))
    }
}

/// The next change after `evaluation.as_of` of its running cycle, if any:
/// a paused cycle changes only at an event.
pub(crate) fn next_change(
    evaluation: &Evaluation,
    policy: &Policy,
    meter: TimeBasis<'_>,
) -> Result<Option<Upcoming>, Problem> {
    let after = evaluation.as_of;
    let Some(cycle) = evaluation.cycles.last().filter(|c| c.state == State::Running) else {
        return Ok(None);
    };
    let expected = |crossing: Crossing| match crossing {
        Crossing::Expected(at) if at > after => Some(at),
        _ => None,
    };
    let warnings = cycle
        .warnings
        .iter()
        .filter_map(|w| expected(w.crossing).map(|at| (at, Change::Warning(w.percent))));
    let escalations = cycle
        .escalations
        .iter()
        .filter_map(|e| expected(e.crossing).map(|at| (at, Change::Escalation(e.offset))));
    let breach = match cycle.breached_at {
        Some(_) => None,
        None => Some((projected_breach(cycle, policy, meter)?, Change::Breach)),
    };
    // `min_by_key` keeps the first of equal instants: warnings, then
    // escalations, then the breach.
    Ok(warnings
        .chain(escalations)
        .chain(breach)
        .min_by_key(|&(at, _)| at)
        .map(|(at, change)| Upcoming { at, change }))
}

/// Where a running, unbreached cycle is breached if it keeps running from
/// its `as_of`: the instant its breach rule is crossed.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "a cycle that is not breached has used less than its target, so the time left is positive and at most the target (at most 100 years)"
)]
fn projected_breach(cycle: &Cycle, policy: &Policy, meter: TimeBasis<'_>) -> Result<DateTime<Utc>, Problem> {
    let (threshold, convention) = compute::breach_threshold(policy.breach, cycle.target);
    meter
        .add(cycle.as_of, threshold - cycle.business_used, convention)
        .map_err(|error| Problem::Calendar { error })
}

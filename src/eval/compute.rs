//! Measuring a recorded cycle at `as_of`: used time, due and breach
//! instants, warnings, escalations, percentages.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, TimeDelta, Utc};

use super::cycle::{Cause, Crossing, Cycle, Escalation, Phase, PhaseKind, RawCycle, State, Warning};
use crate::arith::percent_of;
use crate::calendar::TimeBasis;
use crate::calendar::{BusinessCalendar, Convention};
use crate::event::Problem;
use crate::policy::{BreachRule, Offset, Policy};

/// Measures a cycle; `open` is the still-open phase of an active cycle.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "durations within one cycle are differences of instants the calendar holds (years 1 to 9999), far below TimeDelta's range"
)]
pub(crate) fn cycle(
    raw: RawCycle,
    open: Option<(DateTime<Utc>, PhaseKind, Cause)>,
    as_of: DateTime<Utc>,
    policy: &Policy,
    calendar: &BusinessCalendar,
) -> Result<Cycle, Problem> {
    let meter = super::clock::meter_for(policy, calendar);
    let mut phases = raw.phases;
    if let Some((since, kind, cause)) = open
        && as_of > since
    {
        phases.push(Phase {
            from: since,
            to: as_of,
            kind,
            cause,
        });
    }
    // Each phase's measured time, computed once: the walks below reuse it.
    let mut inline = [TimeDelta::zero(); 8];
    let mut heap = Vec::new();
    let times: &mut [TimeDelta] = if phases.len() <= inline.len() {
        &mut inline[..phases.len()]
    } else {
        heap.resize(phases.len(), TimeDelta::zero());
        &mut heap
    };
    let zero = TimeDelta::zero();
    let (mut used, mut wall, mut paused_business, mut paused_wall) = (zero, zero, zero, zero);
    for (phase, time) in phases.iter().zip(times.iter_mut()) {
        let (business, span) = (meter.time(phase.from, phase.to), phase.to - phase.from);
        *time = business;
        match phase.kind {
            PhaseKind::Running => (used, wall) = (used + business, wall + span),
            PhaseKind::Paused => (paused_business, paused_wall) = (paused_business + business, paused_wall + span),
        }
    }
    let times = &*times;
    let walk = Walk {
        phases: &phases,
        times,
        meter,
        tail: raw.end.map_or(as_of, |end| end.at),
    };
    let target = raw.target;
    let (threshold, convention) = breach_threshold(policy.breach, target);
    let breached = match policy.breach {
        BreachRule::Exact => used > threshold,
        BreachRule::RoundedPercentage | BreachRule::TimeLeft => used >= threshold,
    };
    let breached_at = if breached {
        Some(walk.instant_of(threshold, convention)?.0)
    } else {
        None
    };
    let state = match (raw.end, open) {
        (Some(end), _) if is_cancel(end.cause) => State::Cancelled,
        (Some(_), _) if breached => State::Breached,
        (Some(_), _) => State::Met,
        (None, Some((_, PhaseKind::Paused, _))) => State::Paused,
        (None, _) => State::Running,
    };
    let (due, _) = walk.instant_of(target, policy.due)?;
    let ended = raw.end.map(|end| end.at);
    let classify = |(at, within): (DateTime<Utc>, bool)| classify(at, within, ended, as_of);
    let warnings = if policy.warnings.is_empty() {
        Vec::new()
    } else {
        policy
            .warnings
            .iter()
            .map(|&percent| {
                let threshold = percent_of(target, percent);
                Ok(Warning {
                    percent,
                    crossing: classify(walk.instant_of(threshold, Convention::EarliestInstant)?),
                })
            })
            .collect::<Result<Vec<_>, Problem>>()?
    };
    let escalations = if policy.escalations.is_empty() {
        Vec::new()
    } else {
        policy
            .escalations
            .iter()
            .map(|&offset| {
                let at =
                    escalation_instant(due, offset, meter, calendar).map_err(|error| Problem::Calendar { error })?;
                let crossing = match ended {
                    Some(end) if at > end => Crossing::NotReached,
                    _ if at <= as_of => Crossing::Reached(at),
                    _ => Crossing::Expected(at),
                };
                Ok(Escalation { offset, crossing })
            })
            .collect::<Result<Vec<_>, Problem>>()?
    };
    Ok(Cycle {
        calendar: None,
        began: raw.began,
        state,
        start: raw.start,
        end: ended,
        end_cause: raw.end.map(|end| end.cause),
        amount: raw.amount,
        target,
        due,
        breached_at,
        business_used: used,
        wall_used: wall,
        paused_business,
        paused_wall,
        remaining: target - used,
        warnings,
        escalations,
        phases,
        measure: policy.target.measure(),
        as_of,
    })
}

/// The time used at which a breach rule is crossed, and the convention
/// that turns it into the breach instant: past the target (exact), at the
/// target (time left), or at 99.995 % of it, the least time whose
/// percentage rounds to 100.00 (ServiceNow's rounded percentage). A
/// TimeDelta is whole nanoseconds, so `used >= ceil(target * 0.99995)` is
/// `used * 20000 >= target * 19999`, and `ceil(t * 19999 / 20000)` is
/// `t - floor(t / 20000)`: one 64-bit division by a constant, where the
/// 128-bit one cost a sixth of an evaluation.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "a target is positive and at most 100 years (policy validation), so its nanoseconds fit an i64 and the slack is smaller than it"
)]
pub(crate) fn breach_threshold(rule: BreachRule, target: TimeDelta) -> (TimeDelta, Convention) {
    match rule {
        BreachRule::Exact => (target, Convention::NextOpening),
        BreachRule::RoundedPercentage => {
            let slack = target
                .num_nanoseconds()
                .map_or(TimeDelta::zero(), |n| TimeDelta::nanoseconds(n / 20_000));
            (target - slack, Convention::EarliestInstant)
        }
        BreachRule::TimeLeft => (target, Convention::EarliestInstant),
    }
}

/// When an escalation level is crossed: its offset from the due instant,
/// on the clock the offset names.
fn escalation_instant(
    due: DateTime<Utc>,
    offset: Offset,
    meter: TimeBasis<'_>,
    calendar: &BusinessCalendar,
) -> crate::Result<DateTime<Utc>> {
    match offset {
        Offset::InMeasure(amount) => meter.add(due, amount, Convention::EarliestInstant),
        Offset::Wall(amount) => TimeBasis::WallClock.add(due, amount, Convention::EarliestInstant),
        Offset::WorkingDays(days, landing) => calendar.add_working_days(due, i64::from(days), landing),
    }
}

fn is_cancel(cause: Cause) -> bool {
    use super::cycle::Reason;
    matches!(cause.reason, Reason::Cancel | Reason::TargetChange)
}

fn classify(at: DateTime<Utc>, within: bool, ended: Option<DateTime<Utc>>, as_of: DateTime<Utc>) -> Crossing {
    match (within, ended) {
        (true, _) => Crossing::Reached(at),
        (false, Some(_)) => Crossing::NotReached,
        (false, None) if at <= as_of => Crossing::Reached(at),
        (false, None) => Crossing::Expected(at),
    }
}

/// The running phases of a cycle, and where a projection continues.
struct Walk<'a> {
    phases: &'a [Phase],
    times: &'a [TimeDelta],
    meter: TimeBasis<'a>,
    tail: DateTime<Utc>,
}

impl Walk<'_> {
    /// The instant `amount` of counted time is reached, and whether that is
    /// within the recorded phases (else it is projected from the tail).
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "amounts are targets or offsets of at most 100 years (policy validation), far below TimeDelta's range"
    )]
    fn instant_of(&self, amount: TimeDelta, convention: Convention) -> Result<(DateTime<Utc>, bool), Problem> {
        let mut counted = TimeDelta::zero();
        let running = self
            .phases
            .iter()
            .zip(self.times)
            .filter(|(p, _)| p.kind == PhaseKind::Running);
        for (phase, &here) in running {
            let reached = match convention {
                Convention::EarliestInstant => counted + here >= amount,
                Convention::NextOpening => counted + here > amount,
            };
            if reached {
                return Ok((
                    self.meter
                        .add(phase.from, amount - counted, convention)
                        .map_err(|error| Problem::Calendar { error })?,
                    true,
                ));
            }
            counted += here;
        }
        Ok((
            self.meter
                .add(self.tail, amount - counted, convention)
                .map_err(|error| Problem::Calendar { error })?,
            false,
        ))
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests compute expected values")]
mod tests {
    use super::*;

    /// The 64-bit form of the rounded rule's threshold is the 128-bit
    /// ceiling it replaced, at the ends of the target range and between.
    #[test]
    fn rounded_threshold_is_the_ceiling_of_99_995_percent() {
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        let max = crate::policy::MAX_TARGET.num_nanoseconds().unwrap();
        let mut targets = vec![1, 2, 19_999, 20_000, 20_001, 3_600_000_000_000, max - 1, max];
        for _ in 0..10_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            targets.push(1 + (seed % max as u64) as i64);
        }
        for n in targets {
            let target = TimeDelta::nanoseconds(n);
            let (threshold, _) = breach_threshold(BreachRule::RoundedPercentage, target);
            assert_eq!(threshold, crate::arith::ceil_fraction(target, 19_999, 20_000), "{n} ns");
        }
    }
}

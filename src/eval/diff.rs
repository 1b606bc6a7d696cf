//! Which verdicts flip between two evaluations of the same tickets (a policy
//! edit, a calendar change, another breach rule), and why: the first instant
//! at which the two explanations part.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, Utc};

use super::Evaluation;
use super::cycle::{Cycle, Segment, State};
use crate::calendar::BusinessCalendar;
use crate::event::{PolicyId, TicketId};

/// One cycle whose verdict differs between two evaluations
/// ([`verdict_changes`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct VerdictChange {
    /// The ticket.
    pub ticket: TicketId,
    /// The policy of the first evaluation.
    pub policy: PolicyId,
    /// The cycle's index (cycles are matched by position).
    pub cycle: usize,
    /// The verdict in the first evaluation ([`State::NotStarted`] when it
    /// has no such cycle).
    pub before: Verdict,
    /// The verdict in the second.
    pub after: Verdict,
    /// Where the two explanations first differ in kind, when both have the
    /// cycle; `None` when they agree everywhere (then the target or the
    /// breach rule made the difference).
    pub parted: Option<Parting>,
}

/// A cycle's verdict: its state, and whether it is breached (a running
/// cycle can be either).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Verdict {
    /// The cycle's state.
    pub state: State,
    /// Whether it was breached by `as_of`.
    pub breached: bool,
}

/// The first instant at which two explanations of one cycle differ, with
/// the segment each was in (`None` outside the cycle).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Parting {
    /// The instant.
    pub at: DateTime<Utc>,
    /// The first evaluation's segment there.
    pub before: Option<Segment>,
    /// The second evaluation's segment there.
    pub after: Option<Segment>,
}

/// The cycles whose verdict differs between `before` and `after`, two
/// evaluations of one ticket (each with the calendar it was evaluated on,
/// so that a calendar change is explained too), with where they part: the
/// first instant at which one explanation counts, pauses, is outside hours
/// or has stopped while the other does something else, or one has begun
/// and the other not. Cycles are matched by position; a cycle only one side
/// has is [`State::NotStarted`] on the other.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use servicelevel::eval::{SegmentKind, State, verdict_changes};
/// use servicelevel::policy::RetroactivePause;
/// use servicelevel::{BusinessCalendar, Event, Lifecycle, Target, Timeline, evaluate, presets};
/// let h = TimeDelta::hours;
/// let full = presets::servicenow_resolution(&Lifecycle::servicenow(), Target::business_by("priority", [("1", h(4)), ("3", h(8))], None))?;
/// let replay = full.to_builder().retroactive_pause(RetroactivePause::Replay).build()?;
/// let calendar = BusinessCalendar::always_open(chrono_tz::UTC);
/// let at = |hour| Utc.with_ymd_and_hms(2025, 3, 3, hour, 0, 0).unwrap();
/// let ticket = Timeline::new(vec![
///     Event::created("INC1", at(9), [("status", "new"), ("priority", "3")]),
///     Event::set("INC1", at(10), [("status", "on_hold")]),
///     Event::set("INC1", at(15), [("priority", "1")]),
///     Event::set("INC1", at(16), [("status", "resolved")]),
/// ])?;
/// let before = evaluate(&full, &calendar, &ticket, at(17))?;
/// let after = evaluate(&replay, &calendar, &ticket, at(17))?;
/// let changes = verdict_changes(&before, &calendar, &after, &calendar);
/// // The P1 cycle: breached when its 5 hours on hold counted, met when kept paused.
/// assert_eq!(changes.len(), 1);
/// assert_eq!((changes[0].before.state, changes[0].after.state), (State::Breached, State::Met));
/// let parted = changes[0].parted.unwrap();
/// assert_eq!(parted.at, at(10));
/// assert_eq!(parted.before.unwrap().kind, SegmentKind::Counting);
/// assert_eq!(parted.after.unwrap().kind, SegmentKind::Paused);
/// # Ok::<(), servicelevel::Error>(())
/// ```
pub fn verdict_changes(
    before: &Evaluation,
    before_calendar: &BusinessCalendar,
    after: &Evaluation,
    after_calendar: &BusinessCalendar,
) -> Vec<VerdictChange> {
    verdict_changes_by(before, &|_| before_calendar, after, &|_| after_calendar)
}

/// [`verdict_changes`] with each cycle's calendar chosen per cycle (a
/// routed cycle is explained on the calendar that measured it).
pub(crate) fn verdict_changes_by<'c>(
    before: &Evaluation,
    before_calendar: &dyn Fn(&Cycle) -> &'c BusinessCalendar,
    after: &Evaluation,
    after_calendar: &dyn Fn(&Cycle) -> &'c BusinessCalendar,
) -> Vec<VerdictChange> {
    let count = before.cycles.len().max(after.cycles.len());
    (0..count)
        .filter_map(|index| {
            let (b, a) = (before.cycles.get(index), after.cycles.get(index));
            let (vb, va) = (verdict(b), verdict(a));
            (vb != va).then(|| VerdictChange {
                ticket: before.ticket.clone(),
                policy: before.policy.clone(),
                cycle: index,
                before: vb,
                after: va,
                parted: b
                    .zip(a)
                    .and_then(|(b, a)| parting(&b.segments(before_calendar(b)), &a.segments(after_calendar(a)))),
            })
        })
        .collect()
}

fn verdict(cycle: Option<&Cycle>) -> Verdict {
    cycle.map_or(
        Verdict {
            state: State::NotStarted,
            breached: false,
        },
        |c| Verdict {
            state: c.state,
            breached: c.breached_at.is_some_and(|at| at <= c.as_of),
        },
    )
}

/// The first instant at which the two tilings differ in kind (or one has a
/// segment and the other not), walking both once.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "indices into the two segment lists, each stepped at most once per segment"
)]
fn parting(before: &[Segment], after: &[Segment]) -> Option<Parting> {
    let mut t = before.first().into_iter().chain(after.first()).map(|s| s.from).min()?;
    let (mut i, mut j) = (0, 0);
    loop {
        while before.get(i).is_some_and(|s| s.to <= t) {
            i += 1;
        }
        while after.get(j).is_some_and(|s| s.to <= t) {
            j += 1;
        }
        let b = before.get(i).copied().filter(|s| s.from <= t);
        let a = after.get(j).copied().filter(|s| s.from <= t);
        if b.map(|s| s.kind) != a.map(|s| s.kind) {
            return Some(Parting {
                at: t,
                before: b,
                after: a,
            });
        }
        // The next boundary of either tiling: where the current segment
        // ends, or where the next one begins.
        let boundary = |s: Option<&Segment>| s.map(|s| if s.from <= t { s.to } else { s.from });
        t = boundary(before.get(i))
            .into_iter()
            .chain(boundary(after.get(j)))
            .filter(|&x| x > t)
            .min()?;
    }
}

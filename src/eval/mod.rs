//! Policy x timeline x calendar -> where each cycle stands, and why.
//!
//! [`evaluate`] runs an [`SlaClock`] over a ticket's [`Timeline`] up to
//! `as_of` and measures each cycle ([`Cycle`]): state, due and breach
//! instants, time used and paused, percentages, warnings, escalations, and
//! the explanation segment by segment ([`Cycle::segments`]).
//! [`Evaluator`] does it for many tickets and policies, reporting each
//! ticket's errors without stopping.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

mod batch;
mod clock;
mod compute;
mod cycle;
mod diff;
mod forecast;
#[cfg(feature = "parallel")]
mod parallel;
mod pass;
mod replay;
mod route;
mod routed_clock;
mod versions;

use chrono::{DateTime, Utc};

use crate::calendar::BusinessCalendar;
use crate::error::Result;
use crate::event::{PolicyId, TicketId, Timeline};
use crate::policy::Policy;

pub use batch::{Evaluator, EvaluatorCache, TicketOutcome};
pub use clock::SlaClock;
pub use cycle::{Cause, Crossing, Cycle, Escalation, Phase, PhaseKind, Reason, Segment, SegmentKind, State, Warning};
pub(crate) use diff::verdict_changes_by;
pub use diff::{Parting, Verdict, VerdictChange, verdict_changes};
pub use forecast::{Change, Risk, Upcoming};
pub(crate) use pass::{Scratch, evaluate_policies, evaluate_policies_at};
pub use route::evaluate_routed;
pub(crate) use route::evaluate_routed_with;
pub use routed_clock::RoutedClock;

/// The cycles of one policy on one ticket, as of an instant.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Evaluation {
    /// The ticket.
    pub ticket: TicketId,
    /// The policy's id.
    pub policy: PolicyId,
    /// The instant evaluated at.
    pub as_of: DateTime<Utc>,
    /// Every cycle that started by `as_of`, in order.
    pub cycles: Vec<Cycle>,
}

impl Evaluation {
    /// The state of the latest cycle, or [`State::NotStarted`].
    pub fn state(&self) -> State {
        self.cycles.last().map_or(State::NotStarted, |c| c.state)
    }

    /// The latest cycle.
    pub fn latest(&self) -> Option<&Cycle> {
        self.cycles.last()
    }
}

/// Evaluates a policy on one ticket as of an instant: the events up to and
/// including `as_of` are used (later ones had not happened yet).
///
/// An error (naming the ticket and the event) when the policy cannot be
/// applied: no target for the ticket's priority, a retroactive start field
/// that is not an instant, or an instant the calendar cannot answer for.
///
/// # Properties
///
/// - Deterministic; a later `as_of` never decreases time used; a larger
///   target never turns a met cycle into a breached one (except under
///   [`TargetChange::KeepDeadlineOnceExceeded`](crate::policy::TargetChange::KeepDeadlineOnceExceeded),
///   whose kept targets depend on the amounts); adding a pause never
///   increases time used.
/// - Equal to the [`SlaClock`] fed the same events.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc, Weekday::*};
/// use servicelevel::BusinessCalendar;
/// use servicelevel::calendar::Window;
/// use servicelevel::eval::{evaluate, State};
/// use servicelevel::event::{Event, Timeline};
/// use servicelevel::policy::{presets, Amount, Measure, Target};
///
/// // ServiceNow's worked example: weekdays 08:00-17:00, an 8-hour
/// // resolution SLA started Friday 21:00, looked at Monday 09:30.
/// let calendar = BusinessCalendar::builder(chrono_tz::UTC)
///     .weekdays(&[Mon, Tue, Wed, Thu, Fri], "08:00-17:00".parse::<Window>()?)
///     .build()?;
/// let policy = presets::servicenow_resolution(&servicelevel::Lifecycle::servicenow(), Target::business(TimeDelta::hours(8)))?;
/// let opened = Utc.with_ymd_and_hms(2014, 12, 12, 21, 0, 0).unwrap();
/// let timeline = Timeline::new(vec![Event::created("INC1", opened, [("status", "new")])])?;
/// let as_of = Utc.with_ymd_and_hms(2014, 12, 15, 9, 30, 0).unwrap();
/// let cycle = &evaluate(&policy, &calendar, &timeline, as_of)?.cycles[0];
/// assert_eq!(cycle.state, State::Running);
/// assert_eq!(cycle.business_used, TimeDelta::minutes(90));
/// assert_eq!(cycle.elapsed_percent().to_string(), "18.75");
/// assert_eq!(cycle.wall_elapsed_percent().to_string(), "756.25");
/// # Ok::<(), servicelevel::Error>(())
/// ```
///
/// # Errors
///
/// When the policy cannot evaluate the ticket: no target for its priority
/// ([`Problem::NoTarget`](crate::event::Problem::NoTarget)), a retroactive start field that is not
/// an instant, or an instant outside the calendar's horizon (then
/// [`Error::is_horizon`](crate::Error::is_horizon) holds). A breach is an outcome, never an error.
pub fn evaluate(
    policy: &Policy,
    calendar: &BusinessCalendar,
    timeline: &Timeline,
    as_of: DateTime<Utc>,
) -> Result<Evaluation> {
    let as_of = crate::interval::without_leap_second(as_of);
    let mut clock = SlaClock::new(policy, calendar);
    clock.name_ticket(timeline.ticket());
    for (index, event) in timeline.events().iter().enumerate() {
        if event.at() > as_of {
            break;
        }
        clock.take(event, timeline.position(index))?;
    }
    clock.into_evaluation(as_of)
}

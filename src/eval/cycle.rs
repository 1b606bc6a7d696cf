//! What evaluation returns: cycles, their phases, and the explanation
//! segments.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use crate::calendar::BusinessCalendar;
use crate::policy::{Amount, Measure, Offset};

/// Where a ticket stands under a policy (or where one cycle stands).
///
/// A cycle that is breached but still running is `Running` with a
/// [`breached_at`](Cycle::breached_at) instant (see [`Evaluator`](super::Evaluator)'s
/// example); `Breached` is a cycle that ended over its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum State {
    /// No cycle has started (the policy does not apply yet, or at all).
    NotStarted,
    /// The clock is running.
    Running,
    /// The clock is paused.
    Paused,
    /// The cycle stopped within its target.
    Met,
    /// The cycle stopped past its target.
    Breached,
    /// The cycle was cancelled; it counts neither as met nor as breached.
    Cancelled,
}

/// Why a phase or segment began, or a cycle ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Reason {
    /// The start condition held.
    Start,
    /// Time before the start event counted under a retroactive start.
    RetroactiveStart,
    /// Time before the start event during which the pause condition held,
    /// kept paused under [`RetroactivePause::Replay`](crate::policy::RetroactivePause::Replay).
    RetroactivePause,
    /// The pause condition held.
    Pause,
    /// The resume condition held (or the pause condition stopped holding).
    Resume,
    /// The stop condition held.
    Stop,
    /// The reset condition held.
    Reset,
    /// The cancel condition held.
    Cancel,
    /// The target changed and the policy restarts on a change.
    TargetChange,
}

/// The condition and event behind a phase, segment or end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Cause {
    /// Which condition.
    pub reason: Reason,
    /// The position (in the input) of the event at which it held.
    pub position: usize,
}

/// Whether the clock ran or was paused during a phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PhaseKind {
    /// The clock ran (it counts when the calendar is open).
    Running,
    /// The clock was paused.
    Paused,
}

/// A stretch `[from, to)` in which the clock ran or was paused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Phase {
    /// First instant.
    pub from: DateTime<Utc>,
    /// First instant after.
    pub to: DateTime<Utc>,
    /// Running or paused.
    pub kind: PhaseKind,
    /// What began it.
    pub cause: Cause,
}

/// How a cycle ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct End {
    pub at: DateTime<Utc>,
    pub cause: Cause,
}

/// A cycle as the clock records it, before it is measured.
#[derive(Clone, Debug)]
pub(crate) struct RawCycle {
    pub began: Began,
    pub start: DateTime<Utc>,
    pub amount: Amount,
    pub target: TimeDelta,
    pub phases: Vec<Phase>,
    pub end: Option<End>,
}

/// The input position of the event at which a cycle began: it orders the
/// cycles a revised policy's versions made as the history made them. It
/// never makes two cycles differ (every two are equal), so a cycle read
/// back from its serde form, which leaves it out, equals the original.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Began(pub usize);

impl PartialEq for Began {
    fn eq(&self, _: &Began) -> bool {
        true
    }
}

impl Eq for Began {}

/// When a warning or escalation level is crossed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Crossing {
    /// It was crossed at this instant (at or before `as_of`).
    Reached(DateTime<Utc>),
    /// It will be crossed at this instant if the clock keeps running (a
    /// paused cycle is projected as if it resumed at `as_of`).
    Expected(DateTime<Utc>),
    /// The cycle ended before crossing it.
    NotReached,
}

/// A warning threshold and when it is crossed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Warning {
    /// The threshold, as a percentage of the target.
    pub percent: Decimal,
    /// When it is crossed.
    pub crossing: Crossing,
}

/// An escalation level and when it is crossed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Escalation {
    /// The level's offset from the due instant (in its text form when
    /// serialised: `-1h`, `3 working days`).
    pub offset: Offset,
    /// When it is crossed.
    pub crossing: Crossing,
}

/// One cycle of a policy on a ticket: from a start to a stop, cancel or
/// reset (or still running at `as_of`), measured.
///
/// # Properties
///
/// - `business_used <= wall_used` (for business-time measures).
/// - The counting [`segments`](Cycle::segments) sum to `business_used`,
///   and all segments tile `[start, max(as_of, start))` with no gap or
///   overlap.
/// - `remaining == target - business_used`.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use servicelevel::calendar::MONDAY_TO_FRIDAY;
/// use servicelevel::{evaluate, presets, BusinessCalendar, Event, Lifecycle, State, Target, Timeline};
///
/// let office = BusinessCalendar::builder(chrono_tz::UTC).weekdays(&MONDAY_TO_FRIDAY, "09:00-17:00".parse()?).build()?;
/// let policy = presets::servicenow_resolution(&Lifecycle::servicenow(), Target::business(TimeDelta::hours(4)))?;
/// let at = |d, h| Utc.with_ymd_and_hms(2025, 3, d, h, 0, 0).unwrap(); // Friday 7 March 2025
/// let ticket = Timeline::new(vec![
///     Event::created("INC1", at(7, 15), [("status", "new")]),
///     Event::set("INC1", at(10, 12), [("status", "resolved")]), // Monday 12:00
/// ])?;
/// let cycle = &evaluate(&policy, &office, &ticket, at(10, 18))?.cycles[0];
/// // Friday 15-17 and Monday 09-12: 5 h used of 4 h; due Monday 11:00.
/// assert_eq!((cycle.state, cycle.business_used, cycle.due), (State::Breached, TimeDelta::hours(5), at(10, 11)));
/// assert_eq!(cycle.wall_used, TimeDelta::hours(69));
/// assert_eq!(cycle.elapsed_percent().to_string(), "125");
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Cycle {
    /// Where the cycle stands.
    pub state: State,
    /// Where its clock starts (before the start event under a retroactive
    /// start).
    pub start: DateTime<Utc>,
    /// When it stopped, was cancelled or was reset.
    pub end: Option<DateTime<Utc>>,
    /// What ended it.
    pub end_cause: Option<Cause>,
    /// The amount promised, as the policy states it.
    pub amount: Amount,
    /// The target, in the measure's time.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub target: TimeDelta,
    /// The instant the target is used up, under the policy's convention:
    /// within the cycle if it was, otherwise projected from its end (or
    /// from `as_of` for a running or paused cycle).
    pub due: DateTime<Utc>,
    /// The first instant at which used time exceeds the target; `None`
    /// when it has not (yet).
    pub breached_at: Option<DateTime<Utc>>,
    /// Time counted: business time, or wall-clock time for a wall-clock
    /// policy.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub business_used: TimeDelta,
    /// Wall-clock time with the clock running.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub wall_used: TimeDelta,
    /// Business time with the clock paused.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub paused_business: TimeDelta,
    /// Wall-clock time with the clock paused.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub paused_wall: TimeDelta,
    /// `target - business_used`; negative past the target.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub remaining: TimeDelta,
    /// The warning thresholds and when they are crossed.
    pub warnings: Vec<Warning>,
    /// The escalation levels and when they are crossed.
    pub escalations: Vec<Escalation>,
    /// The running and paused phases, in order.
    pub phases: Vec<Phase>,
    /// How time was measured.
    pub measure: Measure,
    /// The instant evaluated at.
    pub as_of: DateTime<Utc>,
    /// The name of the calendar that measured the cycle, when a
    /// [`CalendarRoute`](crate::policy::CalendarRoute) chose it from a set
    /// (`None` for a policy measured on one calendar).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub calendar: Option<String>,
    #[cfg_attr(feature = "serde", serde(skip))]
    pub(crate) began: Began,
}

/// What a stretch of a cycle was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum SegmentKind {
    /// The clock ran and the calendar was open: this time counts.
    Counting,
    /// The clock ran but the calendar was closed.
    OutsideHours,
    /// The clock was paused.
    Paused,
    /// The cycle had ended (stopped, cancelled or reset).
    Stopped,
}

/// One line of a cycle's explanation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Segment {
    /// First instant.
    pub from: DateTime<Utc>,
    /// First instant after.
    pub to: DateTime<Utc>,
    /// What the stretch was.
    pub kind: SegmentKind,
    /// The condition and event that began the phase it belongs to.
    pub cause: Cause,
}

impl Cycle {
    /// `business_used / target` as a percentage, rounded half away from
    /// zero to six decimals (ServiceNow's "business elapsed percentage").
    /// Computed on demand: it is a division most reports never ask for.
    pub fn elapsed_percent(&self) -> Decimal {
        crate::arith::duration_percent(self.business_used, self.target)
    }

    /// `wall_used / target` as a percentage, rounded the same way
    /// (ServiceNow's "actual elapsed percentage").
    pub fn wall_elapsed_percent(&self) -> Decimal {
        crate::arith::duration_percent(self.wall_used, self.target)
    }

    /// [`elapsed_percent`](Self::elapsed_percent) in millionths of a
    /// percent: the same value, rounded the same way, as the integer a
    /// fixed six-decimal column stores (`decimal(38, 6)` in Arrow), without
    /// building a `Decimal` (advanced: for column writers).
    ///
    /// ```
    /// # use chrono::{TimeDelta, TimeZone, Utc};
    /// # use servicelevel::{evaluate, presets, BusinessCalendar, Event, Lifecycle, Target, Timeline};
    /// # let policy = presets::servicenow_resolution(&Lifecycle::servicenow(), Target::wall(TimeDelta::hours(3)))?;
    /// # let at = Utc.with_ymd_and_hms(2025, 6, 2, 9, 0, 0).unwrap();
    /// # let timeline = Timeline::new(vec![Event::created("INC1", at, [("state", "new")])])?;
    /// # let calendar = BusinessCalendar::always_open(chrono_tz::UTC);
    /// let evaluation = evaluate(&policy, &calendar, &timeline, at + TimeDelta::hours(2))?;
    /// let cycle = &evaluation.cycles[0];
    /// // Two hours of a three-hour target: 66.666667 %.
    /// assert_eq!(cycle.elapsed_percent().to_string(), "66.666667");
    /// assert_eq!(cycle.elapsed_percent_millionths(), 66_666_667);
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    pub fn elapsed_percent_millionths(&self) -> i128 {
        crate::arith::duration_percent_millionths(self.business_used, self.target)
    }

    /// [`wall_elapsed_percent`](Self::wall_elapsed_percent) in millionths
    /// of a percent, as [`elapsed_percent_millionths`](Self::elapsed_percent_millionths).
    pub fn wall_elapsed_percent_millionths(&self) -> i128 {
        crate::arith::duration_percent_millionths(self.wall_used, self.target)
    }

    /// The explanation: consecutive segments from the start to `as_of`,
    /// each counting, outside business hours, paused or stopped, with what
    /// began it. Pass the calendar the cycle was evaluated on: then the
    /// counting segments sum to the time used. Another calendar only
    /// re-splits the same phases by its hours (the phases, due and breach
    /// instants stay those of the evaluation, and the counting segments no
    /// longer sum to the time used); for another calendar's figures,
    /// evaluate again with it. For a wall-clock policy every running
    /// stretch counts.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "differences of instants chrono holds fit a TimeDelta"
    )]
    pub fn segments(&self, calendar: &BusinessCalendar) -> Vec<Segment> {
        let mut out = Vec::with_capacity(self.phases.len() * 2 + 1);
        for phase in &self.phases {
            match (phase.kind, self.measure) {
                (PhaseKind::Paused, _) => out.push(segment(phase.from, phase.to, SegmentKind::Paused, phase.cause)),
                (PhaseKind::Running, Measure::WallClock) => {
                    out.push(segment(phase.from, phase.to, SegmentKind::Counting, phase.cause))
                }
                (PhaseKind::Running, _) => split_by_hours(calendar, phase, &mut out),
            }
        }
        if let (Some(end), Some(cause)) = (self.end, self.end_cause)
            && self.as_of > end
        {
            out.push(segment(end, self.as_of, SegmentKind::Stopped, cause));
        }
        out
    }
}

fn segment(from: DateTime<Utc>, to: DateTime<Utc>, kind: SegmentKind, cause: Cause) -> Segment {
    Segment { from, to, kind, cause }
}

fn split_by_hours(calendar: &BusinessCalendar, phase: &Phase, out: &mut Vec<Segment>) {
    let mut cursor = phase.from;
    for open in calendar.open_intervals(phase.from, phase.to) {
        if open.start() > cursor {
            out.push(segment(cursor, open.start(), SegmentKind::OutsideHours, phase.cause));
        }
        out.push(segment(open.start(), open.end(), SegmentKind::Counting, phase.cause));
        cursor = open.end();
    }
    if cursor < phase.to {
        out.push(segment(cursor, phase.to, SegmentKind::OutsideHours, phase.cause));
    }
}

//! The SLA clock: a state machine over one ticket's events.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, TimeDelta, Utc};

use super::cycle::{Cause, Cycle, End, Phase, PhaseKind, RawCycle, Reason};
use super::forecast::Upcoming;
use super::replay::PauseReplay;
use super::{Evaluation, compute};
use crate::calendar::BusinessCalendar;
use crate::calendar::TimeBasis;
use crate::error::{Error, Result};
use crate::event::{Event, Fields, OwnedFold, Problem, TicketId};
use crate::policy::{
    Amount, Cancel, Context, Cycles, Measure, Policy, RetroactivePause, RetroactiveStart, TargetChange,
};

/// An incremental SLA clock: takes one ticket's events one at a time and
/// says where the ticket stands at any instant not before the latest event.
/// This is what a live SLA timer in an ITSM tool needs; [`evaluate`](super::evaluate)
/// runs the same clock over a whole [`Timeline`](crate::event::Timeline).
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use servicelevel::BusinessCalendar;
/// use servicelevel::eval::{SlaClock, State};
/// use servicelevel::event::Event;
/// use servicelevel::policy::{presets, Amount, Measure, Target};
///
/// let policy = presets::zendesk_first_reply_time(&servicelevel::Lifecycle::zendesk(), Target::wall(TimeDelta::hours(1)))?;
/// let calendar = BusinessCalendar::always_open(chrono_tz::UTC);
/// let mut clock = SlaClock::new(&policy, &calendar);
/// let opened = Utc.with_ymd_and_hms(2025, 5, 5, 9, 0, 0).unwrap();
/// clock.push(&Event::created("T1", opened, [("status", "new")]))?;
/// let now = clock.at(opened + TimeDelta::minutes(45))?;
/// assert_eq!(now.cycles[0].state, State::Running);
/// assert_eq!(now.cycles[0].remaining, TimeDelta::minutes(15));
/// clock.push(&Event::action("T1", opened + TimeDelta::minutes(50), "agent_reply"))?;
/// assert_eq!(clock.at(opened + TimeDelta::hours(2))?.state(), State::Met);
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct SlaClock<'p> {
    policy: &'p Policy,
    meter: TimeBasis<'p>,
    calendar: &'p BusinessCalendar,
    ticket: Option<TicketId>,
    created_at: Option<DateTime<Utc>>,
    last_at: Option<DateTime<Utc>>,
    taken: usize,
    fold: OwnedFold,
    machine: Machine,
    /// One clock per later version of a revised policy, fed the same events.
    revisions: Vec<SlaClock<'p>>,
}

#[derive(Clone, Debug, Default)]
pub(super) struct Machine {
    pub(super) active: Option<Active>,
    pub(super) done: Vec<RawCycle>,
    pub(super) started_any: bool,
    pub(super) replay: PauseReplay,
    /// Under [`RetroactiveStart::FromStartEvent`], while no cycle runs: the
    /// first event since the last cycle at which the start condition held
    /// (and no stop since), where a late cycle starts from.
    pub(super) start_seen: Option<DateTime<Utc>>,
    /// Emptied phase buffers of earlier cycles, which a new cycle takes
    /// before allocating (batch evaluation with a cache gives them back).
    pub(super) spare: Vec<Vec<Phase>>,
}

/// At most this many phase buffers are kept for reuse per machine.
pub(super) const SPARE_PHASES: usize = 8;

#[derive(Clone, Debug)]
pub(super) struct Active {
    cycle: RawCycle,
    kind: PhaseKind,
    since: DateTime<Utc>,
    cause: Cause,
}

impl Active {
    /// The time the cycle has counted up to `at` (its running phases and
    /// the open one, if running).
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "a sum of durations between instants the calendar holds, within one cycle"
    )]
    fn used_at(&self, meter: TimeBasis<'_>, at: DateTime<Utc>) -> TimeDelta {
        let recorded = self
            .cycle
            .phases
            .iter()
            .filter(|p| p.kind == PhaseKind::Running)
            .map(|p| meter.time(p.from, p.to))
            .fold(TimeDelta::zero(), |sum, t| sum + t);
        match self.kind {
            PhaseKind::Running if at > self.since => recorded + meter.time(self.since, at),
            _ => recorded,
        }
    }
}

impl<'p> SlaClock<'p> {
    /// A clock for one ticket under one policy, measuring business time on
    /// `calendar` (which a wall-clock or working-days policy also uses for
    /// its explanation and working days).
    pub fn new(policy: &'p Policy, calendar: &'p BusinessCalendar) -> SlaClock<'p> {
        let meter = meter_for(policy, calendar);
        SlaClock {
            policy,
            meter,
            calendar,
            ticket: None,
            created_at: None,
            last_at: None,
            taken: 0,
            fold: OwnedFold::default(),
            machine: Machine::default(),
            revisions: policy
                .revisions()
                .iter()
                .map(|r| SlaClock::new(r.policy(), calendar))
                .collect(),
        }
    }

    /// Takes the next event. Events must come as a strict
    /// [`Timeline`](crate::event::Timeline) would have them: the creation
    /// first, one ticket, instants never decreasing. An event that breaks
    /// this, or that the policy cannot handle (no target for its priority),
    /// is an error naming its position, and leaves the clock as it was
    /// before the event.
    ///
    /// # Errors
    ///
    /// When the event is for another ticket, is out of order, or the policy cannot evaluate it (no
    /// target for the ticket's priority, an instant outside the calendar's horizon); the clock
    /// keeps the events it took before.
    pub fn push(&mut self, event: &Event) -> Result<()> {
        let position = self.taken;
        self.check_order(event)
            .map_err(|p| Error::event(event.ticket(), Some(position), p))?;
        let saved = (
            self.machine.clone(),
            self.fold.clone(),
            self.ticket.clone(),
            self.created_at,
            self.revisions.clone(),
        );
        let result = self.take(event, position);
        if result.is_err() {
            (self.machine, self.fold, self.ticket, self.created_at, self.revisions) = saved;
        }
        result
    }

    /// Names the ticket before any event is taken, so that an evaluation
    /// as of an instant before the creation still says whose it is.
    pub(crate) fn name_ticket(&mut self, ticket: &TicketId) {
        if self.ticket.is_none() {
            self.ticket = Some(ticket.clone());
        }
        for revision in &mut self.revisions {
            revision.name_ticket(ticket);
        }
    }

    #[allow(
        clippy::arithmetic_side_effects,
        reason = "counters of events and cycles in memory; durations between instants the calendar holds"
    )]
    pub(crate) fn take(&mut self, event: &Event, position: usize) -> Result<()> {
        self.fold.apply(event);
        if self.created_at.is_none() {
            self.ticket = Some(event.ticket().clone());
            self.created_at = Some(event.at());
        }
        let cx = Context {
            after: &self.fold,
            event: event.into(),
        };
        let env = Env {
            policy: self.policy,
            meter: self.meter,
            calendar: self.calendar,
            created_at: self.created_at.unwrap_or(event.at()),
            position,
        };
        if let Err(problem) = self.machine.step(&env, &cx) {
            return Err(Error::event(event.ticket(), Some(position), problem));
        }
        self.last_at = Some(event.at());
        self.taken += 1;
        self.revisions.iter_mut().try_for_each(|r| r.take(event, position))
    }

    fn check_order(&self, event: &Event) -> std::result::Result<(), Problem> {
        let created = self.created_at.is_some();
        match (&self.ticket, self.last_at) {
            _ if !created && !event.is_creation() => Err(Problem::MissingCreation),
            (Some(ticket), _) if ticket != event.ticket() => Err(Problem::OtherTicket {
                found: event.ticket().clone(),
            }),
            _ if created && event.is_creation() => Err(Problem::SecondCreation { first: 0 }),
            (_, Some(previous)) if event.at() < previous => Err(Problem::OutOfOrder {
                at: event.at(),
                previous,
            }),
            _ => Ok(()),
        }
    }

    /// Where the ticket stands at `as_of`, which must not be before the
    /// latest event taken. Before the creation, no cycle has started.
    ///
    /// # Errors
    ///
    /// When `as_of` is before the latest event taken, or the policy cannot evaluate the ticket as
    /// of then.
    pub fn at(&self, as_of: DateTime<Utc>) -> Result<Evaluation> {
        let as_of = crate::interval::without_leap_second(as_of);
        self.check_as_of(as_of)?;
        let own = self.measure(self.machine.done.clone(), self.machine.active.clone(), as_of)?;
        self.with_revisions(own, |clock| clock.at(as_of))
    }

    /// `own` merged with the revisions' evaluations (each as `evaluate`
    /// gives it), when the policy has revisions.
    fn with_revisions(
        &self,
        own: Evaluation,
        evaluate: impl Fn(&SlaClock<'p>) -> Result<Evaluation>,
    ) -> Result<Evaluation> {
        if self.revisions.is_empty() {
            return Ok(own);
        }
        let revised = self.revisions.iter().map(evaluate).collect::<Result<Vec<_>>>()?;
        Ok(super::versions::merge(self.policy, own, revised))
    }

    /// The next instant, at or after `after`, at which this clock changes
    /// with no new event (a warning or escalation crossed, the breach under
    /// the policy's rule), or `None` when nothing is scheduled (no cycle
    /// running, or a paused one: it changes only at an event). What a timer
    /// needs to set its next wake-up; evaluating at that instant shows the
    /// change.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use servicelevel::eval::{Change, SlaClock};
    /// use servicelevel::{BusinessCalendar, Event, Lifecycle, Target, presets};
    /// let policy = presets::zendesk_first_reply_time(&Lifecycle::zendesk(), Target::wall(TimeDelta::hours(1)))?
    ///     .to_builder()
    ///     .warnings([75.into()])
    ///     .build()?;
    /// let calendar = BusinessCalendar::always_open(chrono_tz::UTC);
    /// let opened = Utc.with_ymd_and_hms(2025, 5, 5, 9, 0, 0).unwrap();
    /// let mut clock = SlaClock::new(&policy, &calendar);
    /// clock.push(&Event::created("T1", opened, [("status", "new")]))?;
    /// let next = clock.next_change(opened)?.unwrap();
    /// assert_eq!((next.at, next.change), (opened + TimeDelta::minutes(45), Change::Warning(75.into())));
    /// let then = clock.next_change(next.at + TimeDelta::seconds(1))?.unwrap();
    /// assert_eq!((then.at, then.change), (opened + TimeDelta::hours(1), Change::Breach));
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`at`](Self::at): `after` before the latest event, or an instant
    /// outside the calendar's horizon.
    pub fn next_change(&self, after: DateTime<Utc>) -> Result<Option<Upcoming>> {
        let evaluation = self.at(after)?;
        let policy = evaluation
            .cycles
            .last()
            .map_or(self.policy, |cycle| super::versions::version_of(self.policy, cycle));
        let next = super::forecast::next_change(&evaluation, policy, meter_for(policy, self.calendar))
            .map_err(|problem| Error::event(&self.ticket_id(), None, problem))?;
        let running = evaluation.cycles.last().is_some_and(|c| c.end.is_none());
        let revision = super::versions::next_revision(self.policy, evaluation.as_of)
            .filter(|_| running)
            .map(|at| Upcoming {
                at,
                change: super::forecast::Change::Revision,
            });
        Ok(match (next, revision) {
            (Some(next), Some(revision)) if revision.at < next.at => Some(revision),
            (None, revision) => revision,
            (next, _) => next,
        })
    }

    /// [`at`](Self::at), consuming the clock (its cycles are moved, not
    /// copied).
    pub(crate) fn into_evaluation(mut self, as_of: DateTime<Utc>) -> Result<Evaluation> {
        let as_of = crate::interval::without_leap_second(as_of);
        self.check_as_of(as_of)?;
        let machine = std::mem::take(&mut self.machine);
        let own = self.measure(machine.done, machine.active, as_of)?;
        if self.revisions.is_empty() {
            return Ok(own);
        }
        let revisions = std::mem::take(&mut self.revisions);
        let revised = revisions
            .into_iter()
            .map(|clock| clock.into_evaluation(as_of))
            .collect::<Result<Vec<_>>>()?;
        Ok(super::versions::merge(self.policy, own, revised))
    }

    fn ticket_id(&self) -> TicketId {
        self.ticket.clone().unwrap_or_else(|| TicketId::new(""))
    }

    fn check_as_of(&self, as_of: DateTime<Utc>) -> Result<()> {
        match self.last_at {
            Some(last) if as_of < last => Err(Error::event(
                &self.ticket_id(),
                None,
                Problem::AsOfBeforeEvent { as_of, last },
            )),
            _ => Ok(()),
        }
    }

    fn measure(&self, done: Vec<RawCycle>, active: Option<Active>, as_of: DateTime<Utc>) -> Result<Evaluation> {
        measure(
            self.policy,
            self.calendar,
            self.ticket_id(),
            done.into_iter(),
            active,
            as_of,
        )
    }
}

pub(crate) fn meter_for<'a>(policy: &Policy, calendar: &'a BusinessCalendar) -> TimeBasis<'a> {
    match policy.target.measure() {
        Measure::WallClock => TimeBasis::WallClock,
        Measure::BusinessTime | Measure::WorkingDays(_) => TimeBasis::BusinessTime(calendar),
    }
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "counters of events and cycles in memory; durations between instants the calendar holds"
)]
pub(super) fn measure(
    policy: &Policy,
    calendar: &BusinessCalendar,
    ticket: TicketId,
    done: impl ExactSizeIterator<Item = RawCycle>,
    active: Option<Active>,
    as_of: DateTime<Utc>,
) -> Result<Evaluation> {
    let mut cycles = Vec::with_capacity(done.len() + usize::from(active.is_some()));
    measure_into(policy, calendar, &ticket, done, active, as_of, &mut cycles)?;
    Ok(Evaluation {
        ticket,
        policy: policy.id().clone(),
        as_of,
        cycles,
    })
}

/// [`measure`]'s cycles, appended to `cycles` (a buffer kept from one
/// ticket to the next by a cached batch).
pub(super) fn measure_into(
    policy: &Policy,
    calendar: &BusinessCalendar,
    ticket: &TicketId,
    done: impl Iterator<Item = RawCycle>,
    active: Option<Active>,
    as_of: DateTime<Utc>,
    cycles: &mut Vec<Cycle>,
) -> Result<()> {
    let measured = done
        .map(|raw| (raw, None))
        .chain(active.map(|a| (a.cycle, Some((a.since, a.kind, a.cause)))));
    for (raw, open) in measured {
        let cycle = compute::cycle(raw, open, as_of, policy, calendar).map_err(|p| Error::event(ticket, None, p))?;
        cycles.push(cycle);
    }
    Ok(())
}

/// What a step needs besides the machine.
pub(super) struct Env<'a> {
    pub(super) policy: &'a Policy,
    pub(super) meter: TimeBasis<'a>,
    pub(super) calendar: &'a BusinessCalendar,
    pub(super) created_at: DateTime<Utc>,
    pub(super) position: usize,
}

impl Env<'_> {
    fn cause(&self, reason: Reason) -> Cause {
        Cause {
            reason,
            position: self.position,
        }
    }

    fn target_time(&self, amount: Amount, start: DateTime<Utc>) -> std::result::Result<TimeDelta, Problem> {
        match (amount, self.policy.target.measure()) {
            (Amount::Time(t), _) => Ok(t),
            // ServiceNow's "Breach on Due Date": an empty or past deadline is
            // one second after the start; a deadline with no measured time
            // before it gets that second too (a target is never zero).
            (Amount::Until(Some(deadline)), _) if deadline > start => {
                Ok(self.meter.time(start, deadline).max(TimeDelta::seconds(1)))
            }
            (Amount::Until(_), _) => Ok(TimeDelta::seconds(1)),
            (Amount::WorkingDays(n), Measure::WorkingDays(landing)) => {
                let calendar_error = |error: Error| Problem::Calendar { error };
                let due = self
                    .calendar
                    .add_working_days(start, i64::from(n), landing)
                    .map_err(calendar_error)?;
                Ok(self.meter.time(start, due))
            }
            // Policy validation rejects working days under a time measure.
            (Amount::WorkingDays(_), _) => Err(Problem::Calendar {
                error: Error::policy(
                    self.policy.id().as_str(),
                    "target",
                    "working days need the working-days measure",
                ),
            }),
        }
    }
}

impl Machine {
    /// One event, in ServiceNow's order: stop; reset with start; cancel;
    /// target change; pause; resume. Without a running cycle: start.
    pub(super) fn step<F: Fields + ?Sized>(
        &mut self,
        env: &Env<'_>,
        cx: &Context<'_, F>,
    ) -> std::result::Result<(), Problem> {
        let policy = env.policy;
        let at = cx.event.at();
        if policy.retroactive_pause == RetroactivePause::Replay {
            self.replay.take(policy, cx, env.position);
        }
        if self.active.is_none() {
            let may_start = policy.cycles == Cycles::Repeat || !self.started_any;
            // Under FromStartEvent a start seen while the policy did not
            // apply starts the cycle once it does.
            if may_start && policy.applies_to.holds(cx) && (self.start_seen.is_some() || policy.start.holds(cx)) {
                self.start(env, cx, Reason::Start, &policy.retroactive)?;
                self.after_start(env, cx);
            } else if may_start && policy.retroactive == RetroactiveStart::FromStartEvent {
                self.watch_start(policy, cx);
            }
            return Ok(());
        }
        if policy.stop.holds(cx) {
            self.finish(at, env.cause(Reason::Stop));
            return Ok(());
        }
        if policy.reset.holds(cx) {
            self.finish(at, env.cause(Reason::Reset));
            if policy.applies_to.holds(cx) && policy.start.holds(cx) {
                self.start(env, cx, Reason::Reset, &policy.retroactive)?;
                self.after_start(env, cx);
            }
            return Ok(());
        }
        let cancelled = match &policy.cancel {
            Cancel::Never => false,
            Cancel::WhenStartNoLongerHolds => !(policy.applies_to.holds(cx) && policy.start.holds(cx)),
            Cancel::When(condition) => condition.holds(cx),
        };
        if cancelled {
            self.finish(at, env.cause(Reason::Cancel));
            return Ok(());
        }
        if self.target_changed(env, cx)? {
            return Ok(());
        }
        self.pause_or_resume(env, cx);
        Ok(())
    }

    /// While the policy does not apply: notes the first start event, and
    /// forgets it at a stop, as a cycle that ran unseen would have ended.
    fn watch_start<F: Fields + ?Sized>(&mut self, policy: &Policy, cx: &Context<'_, F>) {
        if self.start_seen.is_none() && policy.start.holds(cx) {
            self.start_seen = Some(cx.event.at());
        }
        if self.start_seen.is_some() && policy.stop.holds(cx) {
            self.start_seen = None;
        }
    }

    fn after_start<F: Fields + ?Sized>(&mut self, env: &Env<'_>, cx: &Context<'_, F>) {
        if env.policy.stop.holds(cx) {
            self.finish(cx.event.at(), env.cause(Reason::Stop));
        } else if env.policy.pause.holds(cx) {
            self.switch(cx.event.at(), PhaseKind::Paused, env.cause(Reason::Pause));
        }
    }

    /// Applies a target change; true when it ended the cycle (and started
    /// another).
    fn target_changed<F: Fields + ?Sized>(
        &mut self,
        env: &Env<'_>,
        cx: &Context<'_, F>,
    ) -> std::result::Result<bool, Problem> {
        if !env.policy.target.changed_by(cx.event) {
            return Ok(false);
        }
        let amount = env.policy.target.amount_for(cx.after)?;
        let active = self.active.as_mut().expect("a running cycle");
        if amount == active.cycle.amount {
            return Ok(false);
        }
        let retroactive = match env.policy.target_change {
            TargetChange::KeepClock => {
                active.cycle.target = env.target_time(amount, active.cycle.start)?;
                active.cycle.amount = amount;
                return Ok(false);
            }
            TargetChange::KeepDeadlineOnceExceeded => {
                let target = env.target_time(amount, active.cycle.start)?;
                if active.used_at(env.meter, cx.event.at()) < target {
                    active.cycle.target = target;
                    active.cycle.amount = amount;
                }
                return Ok(false);
            }
            TargetChange::Restart => RetroactiveStart::No,
            TargetChange::RestartFromCreation => RetroactiveStart::FromCreation,
        };
        self.finish(cx.event.at(), env.cause(Reason::TargetChange));
        self.start(env, cx, Reason::TargetChange, &retroactive)?;
        if env.policy.pause.holds(cx) {
            self.switch(cx.event.at(), PhaseKind::Paused, env.cause(Reason::Pause));
        }
        Ok(true)
    }

    fn pause_or_resume<F: Fields + ?Sized>(&mut self, env: &Env<'_>, cx: &Context<'_, F>) {
        let Some(active) = &self.active else { return };
        let policy = env.policy;
        match active.kind {
            PhaseKind::Running if policy.pause.holds(cx) => {
                self.switch(cx.event.at(), PhaseKind::Paused, env.cause(Reason::Pause));
            }
            PhaseKind::Paused => {
                let resumes = match &policy.resume {
                    Some(resume) => resume.holds(cx),
                    None => !policy.pause.holds(cx),
                };
                if resumes {
                    self.switch(cx.event.at(), PhaseKind::Running, env.cause(Reason::Resume));
                }
            }
            PhaseKind::Running => {}
        }
    }

    fn start<F: Fields + ?Sized>(
        &mut self,
        env: &Env<'_>,
        cx: &Context<'_, F>,
        reason: Reason,
        retroactive: &RetroactiveStart,
    ) -> std::result::Result<(), Problem> {
        let at = cx.event.at();
        let from = match retroactive {
            RetroactiveStart::No => at,
            RetroactiveStart::FromStartEvent => self.start_seen.unwrap_or(at),
            RetroactiveStart::FromCreation => env.created_at,
            RetroactiveStart::FromField(field) => match cx.after.get(field.as_str()) {
                None => at,
                Some(value) => DateTime::parse_from_rfc3339(value.as_str())
                    .map_err(|_| Problem::NotAnInstant {
                        field: field.clone(),
                        value: value.clone(),
                    })?
                    .to_utc(),
            },
        }
        .min(at);
        let amount = env.policy.target.amount_for(cx.after)?;
        let target = env.target_time(amount, from)?;
        let running = env.cause(Reason::RetroactiveStart);
        let mut phases = self.spare.pop().unwrap_or_else(|| Vec::with_capacity(4));
        match env.policy.retroactive_pause {
            RetroactivePause::Replay => self.replay.phases_into(&mut phases, from, at, running),
            RetroactivePause::CountInFull => {
                if from < at {
                    phases.push(Phase {
                        from,
                        to: at,
                        kind: PhaseKind::Running,
                        cause: running,
                    });
                }
            }
        }
        self.active = Some(Active {
            cycle: RawCycle {
                began: super::cycle::Began(env.position),
                start: from,
                amount,
                target,
                phases,
                end: None,
            },
            kind: PhaseKind::Running,
            since: at,
            cause: env.cause(reason),
        });
        self.started_any = true;
        self.start_seen = None;
        Ok(())
    }

    fn switch(&mut self, at: DateTime<Utc>, kind: PhaseKind, cause: Cause) {
        let active = self.active.as_mut().expect("a running cycle");
        close_phase(active, at);
        active.kind = kind;
        active.since = at;
        active.cause = cause;
    }

    fn finish(&mut self, at: DateTime<Utc>, cause: Cause) {
        let Some(mut active) = self.active.take() else { return };
        close_phase(&mut active, at);
        active.cycle.end = Some(End { at, cause });
        self.done.push(active.cycle);
    }
}

fn close_phase(active: &mut Active, at: DateTime<Utc>) {
    if at > active.since {
        active.cycle.phases.push(Phase {
            from: active.since,
            to: at,
            kind: active.kind,
            cause: active.cause,
        });
    }
}

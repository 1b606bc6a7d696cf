//! The SLA clock: a state machine over one ticket's events.

use chrono::{DateTime, TimeDelta, Utc};

use super::cycle::{Cause, End, Phase, PhaseKind, RawCycle, Reason};
use super::meter::Meter;
use super::{Evaluation, compute};
use crate::calendar::BusinessCalendar;
use crate::error::{Error, Result};
use crate::event::{Event, Problem, TicketId, TicketState};
use crate::policy::{Amount, Cancel, Context, Cycles, Measure, Policy, RetroactiveStart, TargetChange};

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
/// let policy = presets::zendesk_first_reply_time(Target::fixed(Measure::WallClock, Amount::Time(TimeDelta::hours(1))))?;
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
    meter: Meter<'p>,
    calendar: &'p BusinessCalendar,
    ticket: Option<TicketId>,
    created_at: Option<DateTime<Utc>>,
    last_at: Option<DateTime<Utc>>,
    taken: usize,
    before: TicketState,
    after: TicketState,
    machine: Machine,
}

#[derive(Clone, Debug, Default)]
struct Machine {
    active: Option<Active>,
    done: Vec<RawCycle>,
    started_any: bool,
}

#[derive(Clone, Debug)]
struct Active {
    cycle: RawCycle,
    kind: PhaseKind,
    since: DateTime<Utc>,
    cause: Cause,
}

impl<'p> SlaClock<'p> {
    /// A clock for one ticket under one policy, measuring business time on
    /// `calendar` (which a wall-clock or working-days policy also uses for
    /// its explanation and working days).
    pub fn new(policy: &'p Policy, calendar: &'p BusinessCalendar) -> SlaClock<'p> {
        let meter = match policy.target.measure() {
            Measure::WallClock => Meter::Wall,
            Measure::BusinessTime | Measure::WorkingDays(_) => Meter::Business(calendar),
        };
        SlaClock {
            policy,
            meter,
            calendar,
            ticket: None,
            created_at: None,
            last_at: None,
            taken: 0,
            before: TicketState::new(),
            after: TicketState::new(),
            machine: Machine::default(),
        }
    }

    /// Takes the next event. Events must come as a strict
    /// [`Timeline`](crate::event::Timeline) would have them: the creation
    /// first, one ticket, instants never decreasing. An event that breaks
    /// this, or that the policy cannot handle (no target for its priority),
    /// is an error naming its position, and leaves the clock as it was
    /// before the event.
    pub fn push(&mut self, event: &Event) -> Result<()> {
        let position = self.taken;
        self.check_order(event)
            .map_err(|p| Error::event(event.ticket(), Some(position), p))?;
        let saved = self.machine.clone();
        let result = self.take(event, position);
        if result.is_err() {
            self.machine = saved;
        }
        result
    }

    pub(crate) fn take(&mut self, event: &Event, position: usize) -> Result<()> {
        if self.ticket.is_none() {
            self.ticket = Some(event.ticket().clone());
            self.created_at = Some(event.at());
        }
        self.after.apply(event);
        let cx = Context {
            before: &self.before,
            after: &self.after,
            event,
        };
        let env = Env {
            policy: self.policy,
            meter: self.meter,
            calendar: self.calendar,
            created_at: self.created_at.unwrap_or(event.at()),
            position,
        };
        if let Err(problem) = self.machine.step(&env, &cx) {
            self.after = self.before.clone();
            return Err(Error::event(event.ticket(), Some(position), problem));
        }
        self.before.apply(event);
        self.last_at = Some(event.at());
        self.taken += 1;
        Ok(())
    }

    fn check_order(&self, event: &Event) -> std::result::Result<(), Problem> {
        match (&self.ticket, self.last_at) {
            (None, _) if !event.is_creation() => Err(Problem::MissingCreation),
            (Some(ticket), _) if ticket != event.ticket() => Err(Problem::OtherTicket {
                found: event.ticket().clone(),
            }),
            (Some(_), _) if event.is_creation() => Err(Problem::SecondCreation { first: 0 }),
            (_, Some(previous)) if event.at() < previous => Err(Problem::OutOfOrder {
                at: event.at(),
                previous,
            }),
            _ => Ok(()),
        }
    }

    /// Where the ticket stands at `as_of`, which must not be before the
    /// latest event taken. Before the creation, no cycle has started.
    pub fn at(&self, as_of: DateTime<Utc>) -> Result<Evaluation> {
        let ticket = self.ticket.clone().unwrap_or_else(|| TicketId::new(""));
        if let Some(last) = self.last_at
            && as_of < last
        {
            return Err(Error::event(&ticket, None, Problem::AsOfBeforeEvent { as_of, last }));
        }
        let mut cycles = Vec::with_capacity(self.machine.done.len() + 1);
        for raw in &self.machine.done {
            cycles.push(compute::cycle(raw, None, as_of, self.policy, self.meter));
        }
        if let Some(active) = &self.machine.active {
            let tail = (active.since, active.kind, active.cause);
            cycles.push(compute::cycle(
                &active.cycle,
                Some(tail),
                as_of,
                self.policy,
                self.meter,
            ));
        }
        let cycles = cycles
            .into_iter()
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|p| Error::event(&ticket, None, p))?;
        Ok(Evaluation {
            ticket,
            policy: self.policy.id().clone(),
            as_of,
            cycles,
        })
    }
}

/// What a step needs besides the machine.
struct Env<'a> {
    policy: &'a Policy,
    meter: Meter<'a>,
    calendar: &'a BusinessCalendar,
    created_at: DateTime<Utc>,
    position: usize,
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
            (Amount::WorkingDays(n), Measure::WorkingDays(landing)) => {
                let calendar_error = |e: Error| Problem::Calendar { message: e.to_string() };
                let due = self
                    .calendar
                    .add_working_days(start, i64::from(n), landing)
                    .map_err(calendar_error)?;
                Ok(self.meter.time(start, due))
            }
            // Policy validation rejects working days under a time measure.
            (Amount::WorkingDays(_), _) => Err(Problem::Calendar {
                message: "working days need the working-days measure".into(),
            }),
        }
    }
}

impl Machine {
    /// One event, in ServiceNow's order: stop; reset with start; cancel;
    /// target change; pause; resume. Without a running cycle: start.
    fn step(&mut self, env: &Env<'_>, cx: &Context<'_>) -> std::result::Result<(), Problem> {
        let policy = env.policy;
        let at = cx.event.at();
        if self.active.is_none() {
            let may_start = policy.cycles == Cycles::Repeat || !self.started_any;
            if may_start && policy.applies_to.holds(cx) && policy.start.holds(cx) {
                self.start(env, cx, Reason::Start, &policy.retroactive)?;
                self.after_start(env, cx);
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

    fn after_start(&mut self, env: &Env<'_>, cx: &Context<'_>) {
        if env.policy.stop.holds(cx) {
            self.finish(cx.event.at(), env.cause(Reason::Stop));
        } else if env.policy.pause.holds(cx) {
            self.switch(cx.event.at(), PhaseKind::Paused, env.cause(Reason::Pause));
        }
    }

    /// Applies a target change; true when it ended the cycle (and started
    /// another).
    fn target_changed(&mut self, env: &Env<'_>, cx: &Context<'_>) -> std::result::Result<bool, Problem> {
        let Some(field) = env.policy.target.field() else {
            return Ok(false);
        };
        if cx.event.new_value(field.as_str()).is_none() {
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

    fn pause_or_resume(&mut self, env: &Env<'_>, cx: &Context<'_>) {
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

    fn start(
        &mut self,
        env: &Env<'_>,
        cx: &Context<'_>,
        reason: Reason,
        retroactive: &RetroactiveStart,
    ) -> std::result::Result<(), Problem> {
        let at = cx.event.at();
        let from = match retroactive {
            RetroactiveStart::No => at,
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
        let mut phases = Vec::new();
        if from < at {
            phases.push(Phase {
                from,
                to: at,
                kind: PhaseKind::Running,
                cause: env.cause(Reason::RetroactiveStart),
            });
        }
        self.active = Some(Active {
            cycle: RawCycle {
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

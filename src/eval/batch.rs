//! Many tickets against many policies, one ticket at a time.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, Utc};

use super::Evaluation;
use crate::calendar::{BusinessCalendar, CalendarSet};
use crate::error::{Error, Result};
use crate::event::{Diagnostic, Event, EventRef, TicketId, Timeline, TimelineOptions};
use crate::policy::{CalendarRoute, Policy};

/// What happened to one ticket in a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TicketOutcome {
    /// The ticket (the first event's, when no timeline could be built).
    pub ticket: TicketId,
    /// Events left out of a lenient timeline.
    pub diagnostics: Vec<Diagnostic>,
    /// One result per policy, in the evaluator's order; or the error that
    /// kept the ticket from having a timeline at all.
    pub evaluations: Result<Vec<Result<Evaluation>>>,
}

/// Evaluates tickets against a list of policies, each on its calendar:
/// the batch way in ([`evaluate`](super::evaluate) is the one-ticket,
/// one-policy way, [`SlaClock`](super::SlaClock) the live one).
///
/// [`Evaluator::evaluate_all`] takes tickets as an iterator of event groups
/// (see [`tickets`](crate::event::tickets)), builds each into a timeline
/// under the evaluator's [`TimelineOptions`], and yields one
/// [`TicketOutcome`] per group, so memory stays flat however many tickets
/// stream through. A bad ticket is an outcome with an error, never the end
/// of the batch.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use servicelevel::event::{tickets, Event, TimelineOptions};
/// use servicelevel::{presets, BusinessCalendar, Evaluator, State, Target};
///
/// let policy = presets::servicenow_response(&servicelevel::Lifecycle::servicenow(), Target::wall(TimeDelta::hours(1)))?;
/// let evaluator = Evaluator::new()
///     .policy(policy, BusinessCalendar::always_open(chrono_tz::UTC))
///     .timelines(TimelineOptions::lenient());
/// let at = |h, m| Utc.with_ymd_and_hms(2025, 6, 2, h, m, 0).unwrap();
/// let events = vec![
///     Event::created("INC1", at(9, 0), [("status", "new")]),
///     Event::set("INC1", at(9, 30), [("status", "in_progress")]),
///     Event::created("INC2", at(9, 0), [("status", "new")]),
/// ];
/// let latest: Vec<(State, Option<_>)> = evaluator
///     .evaluate_all(tickets(events), at(12, 0))
///     .map(|outcome| {
///         let cycle = outcome.evaluations.unwrap()[0].as_ref().unwrap().cycles[0].clone();
///         (cycle.state, cycle.breached_at)
///     })
///     .collect();
/// // INC1 responded within the hour; INC2 is still waiting, breached when
/// // 99.995 % of the hour had passed (ServiceNow's rounded-percentage rule).
/// let breached = at(10, 0) - TimeDelta::milliseconds(180);
/// assert_eq!(latest, [(State::Met, None), (State::Running, Some(breached))]);
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Evaluator {
    policies: Vec<(Policy, BusinessCalendar)>,
    /// Policies whose calendar a route chooses per ticket, each with the
    /// index its result takes among all the evaluator's results.
    routed: Vec<(usize, Policy, CalendarRoute, CalendarSet)>,
    options: TimelineOptions,
}

impl Evaluator {
    /// An evaluator without policies.
    pub fn new() -> Evaluator {
        Evaluator::default()
    }

    /// Adds a policy, measured on `calendar`.
    pub fn policy(mut self, policy: Policy, calendar: BusinessCalendar) -> Evaluator {
        self.policies.push((policy, calendar));
        self
    }

    /// Adds a policy measured on the calendar of `set` that `route` names
    /// for each cycle ([`evaluate_routed`](super::evaluate_routed)).
    ///
    /// # Errors
    ///
    /// When the route names a calendar the set does not have.
    pub fn policy_routed(mut self, policy: Policy, route: CalendarRoute, set: CalendarSet) -> Result<Evaluator> {
        route.check(&set, policy.id().as_str())?;
        let index = self.policies.len().saturating_add(self.routed.len());
        self.routed.push((index, policy, route, set));
        Ok(self)
    }

    /// Builds each ticket's timeline under `options` (strict without a
    /// schema by default).
    pub fn timelines(mut self, options: TimelineOptions) -> Evaluator {
        self.options = options;
        self
    }

    /// Checks every policy against the options' schema, if there is one.
    ///
    /// # Errors
    ///
    /// The first policy whose conditions name a field or value the schema
    /// does not know.
    pub fn check(&self) -> Result<()> {
        match self.options.schema_ref() {
            Some(schema) => self.policies().try_for_each(|p| p.check_schema(schema)),
            None => Ok(()),
        }
    }

    /// The policies, in the order they were added.
    pub fn policies(&self) -> impl Iterator<Item = &Policy> {
        let mut all: Vec<(usize, &Policy)> = self.policies.iter().map(|(p, _)| p).enumerate().collect();
        for (index, policy, _, _) in &self.routed {
            all.insert((*index).min(all.len()), (*index, policy));
        }
        all.into_iter().map(|(_, p)| p)
    }

    /// Every policy on one timeline, reusing `scratch`: the fixed-calendar
    /// ones in one pass, then each routed one, in the order they were added.
    pub(super) fn run(
        &self,
        timeline: &Timeline,
        as_of: DateTime<Utc>,
        scratch: &mut super::Scratch,
    ) -> Vec<Result<Evaluation>> {
        let mut results = super::evaluate_policies(&self.policies, timeline, as_of, scratch);
        for (index, policy, route, set) in &self.routed {
            let result = super::route::evaluate_routed_with(policy, route, set, timeline, as_of, scratch);
            results.insert((*index).min(results.len()), result);
        }
        results
    }

    /// Every policy on one timeline.
    ///
    /// # Errors
    ///
    /// Each policy's result is its own: an error for a policy that cannot evaluate the ticket (no
    /// target for its priority, an instant outside the calendar's horizon) leaves the others'
    /// results.
    pub fn evaluate(&self, timeline: &Timeline, as_of: DateTime<Utc>) -> Vec<Result<Evaluation>> {
        self.run(timeline, as_of, &mut super::Scratch::default())
    }

    /// Every policy on one timeline as of each of `instants`, in one pass
    /// over the events: the result for an instant equals
    /// [`evaluate`](Self::evaluate) as of it (what a report's periods need:
    /// where the ticket stood at each period's end). One vector per
    /// instant, in order, each with one result per policy.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use servicelevel::{presets, BusinessCalendar, Evaluator, Event, Lifecycle, State, Target, Timeline};
    ///
    /// let policy = presets::servicenow_resolution(&Lifecycle::servicenow(), Target::wall(TimeDelta::hours(30)))?;
    /// let evaluator = Evaluator::new().policy(policy, BusinessCalendar::always_open(chrono_tz::UTC));
    /// let day = |d| Utc.with_ymd_and_hms(2025, 6, d, 0, 0, 0).unwrap();
    /// let timeline = Timeline::new(vec![
    ///     Event::created("INC1", day(2), [("status", "new")]),
    ///     Event::set("INC1", day(3) + TimeDelta::hours(12), [("status", "resolved")]),
    /// ])?;
    /// // The end of each day: running, then breached (30 h passed at 06:00
    /// // on the 3rd), then breached and finished.
    /// let states: Vec<State> = evaluator
    ///     .evaluate_as_of_each(&timeline, &[day(3), day(4), day(5)])?
    ///     .iter()
    ///     .map(|results| results[0].as_ref().unwrap().state())
    ///     .collect();
    /// assert_eq!(states, [State::Running, State::Breached, State::Breached]);
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When `instants` are not in increasing order (equal neighbours are
    /// allowed); otherwise each result is as [`Evaluator::evaluate`]'s.
    pub fn evaluate_as_of_each(
        &self,
        timeline: &Timeline,
        instants: &[DateTime<Utc>],
    ) -> Result<Vec<Vec<Result<Evaluation>>>> {
        if let Some(pair) = instants.windows(2).find(|pair| pair[1] < pair[0]) {
            return Err(
                Error::value(format!("{} after {}", pair[1], pair[0]), "instants in increasing order")
                    .in_field("instants"),
            );
        }
        let mut scratch = super::Scratch::default();
        let mut all = Vec::with_capacity(instants.len());
        super::evaluate_policies_at(&self.policies, timeline, instants, &mut scratch, |_, results| {
            all.push(results)
        });
        for (results, &at) in all.iter_mut().zip(instants) {
            for (index, policy, route, set) in &self.routed {
                let result = super::route::evaluate_routed_with(policy, route, set, timeline, at, &mut scratch);
                results.insert((*index).min(results.len()), result);
            }
        }
        Ok(all)
    }

    /// Every policy on each of many prebuilt timelines, reusing working
    /// buffers from one ticket to the next (advanced: the fast path when
    /// timelines are built once and evaluated many times).
    ///
    /// # Errors
    ///
    /// As [`Evaluator::evaluate`], per ticket.
    pub fn evaluate_timelines<'a, I>(
        &'a self,
        timelines: I,
        as_of: DateTime<Utc>,
    ) -> impl Iterator<Item = Vec<Result<Evaluation>>> + 'a
    where
        I: IntoIterator<Item = &'a Timeline>,
        I::IntoIter: 'a,
    {
        let mut scratch = super::Scratch::default();
        timelines
            .into_iter()
            .map(move |timeline| self.run(timeline, as_of, &mut scratch))
    }

    pub(super) fn evaluate_events(
        &self,
        events: Vec<Event>,
        as_of: DateTime<Utc>,
        scratch: &mut super::Scratch,
    ) -> TicketOutcome {
        let ticket = events.first().map_or_else(|| TicketId::new(""), |e| e.ticket().clone());
        match Timeline::build(events, &self.options) {
            Ok(crate::event::Built {
                timeline, diagnostics, ..
            }) => TicketOutcome {
                ticket: timeline.ticket().clone(),
                evaluations: Ok(self.run(&timeline, as_of, scratch)),
                diagnostics,
            },
            Err(error) => TicketOutcome {
                ticket: error.ticket().cloned().unwrap_or(ticket),
                diagnostics: Vec::new(),
                evaluations: Err(error),
            },
        }
    }

    /// Every policy on one ticket's borrowed events, reusing `cache`
    /// (advanced: the way in for rows of columns, whose names and values
    /// live once elsewhere, as in the Python package; no timeline, no
    /// reference count and no allocation per event).
    ///
    /// The outcome is the one [`evaluate_all`](Self::evaluate_all) gives
    /// for the same events as owned [`Event`]s of `ticket`
    /// ([`EventRef::to_event`]): under the default options (strict, no
    /// schema) events that make a strict timeline as they are go through
    /// one pass as they are; any other events, options or policies (routed
    /// calendars, revisions) take the owned way, so every problem is
    /// reported exactly as there.
    ///
    /// The outcome is lent from the cache until its next use: the cache
    /// keeps it, and the next ticket's outcome reuses its evaluations and
    /// their buffers (as csv's `read_record` reuses a record), so that a
    /// stream of tickets allocates nothing per ticket once the cache is
    /// warm. Clone it to keep it.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use servicelevel::event::{EventRef, Field, TicketId, Value};
    /// use servicelevel::eval::EvaluatorCache;
    /// use servicelevel::{presets, BusinessCalendar, Evaluator, Lifecycle, State, Target};
    ///
    /// let policy = presets::servicenow_resolution(&Lifecycle::servicenow(), Target::wall(TimeDelta::hours(4)))?;
    /// let evaluator = Evaluator::new().policy(policy, BusinessCalendar::always_open(chrono_tz::UTC));
    /// // Names and values interned once, as a column reader would.
    /// let (status, new, resolved) = (Field::new("status"), Value::new("new"), Value::new("resolved"));
    /// let at = Utc.with_ymd_and_hms(2025, 6, 2, 9, 0, 0).unwrap();
    /// let (created, solved) = ([(&status, &new)], [(&status, Some(&resolved))]);
    /// let events = [EventRef::created(at, &created), EventRef::changed(at + TimeDelta::hours(3), &solved)];
    /// let mut cache = EvaluatorCache::default();
    /// let outcome = evaluator.evaluate_refs(&mut cache, &TicketId::new("INC1"), &events, at + TimeDelta::days(1));
    /// let results = outcome.evaluations.as_ref().map_err(Clone::clone)?;
    /// assert_eq!(results[0].as_ref().unwrap().cycles[0].state, State::Met);
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`evaluate_all`](Self::evaluate_all)'s outcomes: the ticket's
    /// error when the events make no timeline, else each policy's own.
    pub fn evaluate_refs<'c>(
        &self,
        cache: &'c mut EvaluatorCache,
        ticket: &TicketId,
        events: &[EventRef<'_>],
        as_of: DateTime<Utc>,
    ) -> &'c TicketOutcome {
        let as_given = self.routed.is_empty()
            && self.options == TimelineOptions::default()
            && !self.policies.iter().any(|(p, _)| !p.revisions().is_empty())
            && crate::event::strict_as_given(events);
        if !as_given {
            let owned = events.iter().map(|event| event.to_event(ticket)).collect();
            let mut outcome = self.evaluate_events(owned, as_of, &mut cache.scratch);
            if events.is_empty() {
                outcome.ticket = ticket.clone();
            }
            return cache.outcome.insert(outcome);
        }
        let outcome = cache.outcome.get_or_insert_with(|| TicketOutcome {
            ticket: ticket.clone(),
            diagnostics: Vec::new(),
            evaluations: Ok(Vec::new()),
        });
        outcome.ticket.clone_from(ticket);
        outcome.diagnostics.clear();
        if outcome.evaluations.is_err() {
            outcome.evaluations = Ok(Vec::new());
        }
        if let Ok(results) = &mut outcome.evaluations {
            super::pass::evaluate_borrowed_into(
                &self.policies,
                ticket,
                events[0].at(),
                events.iter().copied().zip(0..),
                as_of,
                &mut cache.scratch,
                results,
            );
        }
        outcome
    }

    /// Every ticket of a stream of event groups, each built into a
    /// timeline under the evaluator's options; lazily, one at a time.
    pub fn evaluate_all<'a, I>(&'a self, tickets: I, as_of: DateTime<Utc>) -> impl Iterator<Item = TicketOutcome> + 'a
    where
        I: IntoIterator<Item = Vec<Event>>,
        I::IntoIter: 'a,
    {
        let mut scratch = super::Scratch::default();
        tickets
            .into_iter()
            .map(move |events| self.evaluate_events(events, as_of, &mut scratch))
    }
}

/// The working buffers of [`Evaluator::evaluate_refs`], kept from one
/// ticket to the next (as regex-automata's `Cache`: the evaluator is the
/// immutable spec, the cache the mutable part). Between calls it holds
/// the last outcome lent and emptied buffers, nothing the next outcome
/// depends on: any cache gives any evaluator the same outcomes.
#[derive(Clone, Debug, Default)]
pub struct EvaluatorCache {
    scratch: super::Scratch,
    /// The last outcome lent, whose buffers the next one reuses.
    outcome: Option<TicketOutcome>,
}

impl TicketOutcome {
    /// The first error of this ticket, if any.
    pub fn first_error(&self) -> Option<&Error> {
        match &self.evaluations {
            Err(e) => Some(e),
            Ok(results) => results.iter().find_map(|r| r.as_ref().err()),
        }
    }
}

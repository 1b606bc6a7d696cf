//! The live SLA clock of a policy whose calendar a route chooses: one
//! clock per calendar the ticket has named so far.

use chrono::{DateTime, Utc};

use super::route::{Chosen, candidates, pick};
use super::{Evaluation, SlaClock, Upcoming};
use crate::calendar::CalendarSet;
use crate::error::{Error, Result};
use crate::event::{Event, TicketState};
use crate::policy::{CalendarRoute, Policy};

/// An incremental SLA clock for a routed policy
/// ([`evaluate_routed`](super::evaluate_routed) event by event): it keeps
/// the ticket's events and one [`SlaClock`] per calendar its fields have
/// named, a new calendar's clock catching up on the events so far, and
/// gives what `evaluate_routed` gives on the same events.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use servicelevel::calendar::CalendarSet;
/// use servicelevel::eval::RoutedClock;
/// use servicelevel::policy::{CalendarRoute, PolicyKind};
/// use servicelevel::{BusinessCalendar, Condition, Event, Policy, Target};
///
/// let set = CalendarSet::new()
///     .with("utc", BusinessCalendar::always_open(chrono_tz::UTC))
///     .with("tokyo", BusinessCalendar::always_open(chrono_tz::Asia::Tokyo));
/// let route = CalendarRoute::by_field("site").name("JP", "tokyo").default_calendar("utc");
/// let policy = Policy::builder("p", "P", PolicyKind::Sla, Condition::Created, Condition::equals("status", "done"), Target::business(TimeDelta::hours(2))).build()?;
/// let mut clock = RoutedClock::new(&policy, &route, &set)?;
/// let at = Utc.with_ymd_and_hms(2025, 6, 2, 9, 0, 0).unwrap();
/// clock.push(&Event::created("T1", at, [("status", "new")]))?;
/// clock.push(&Event::set("T1", at + TimeDelta::minutes(5), [("site", "JP")]))?;
/// let now = clock.at(at + TimeDelta::hours(1))?;
/// assert_eq!(now.cycles[0].calendar.as_deref(), Some("tokyo"));
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct RoutedClock<'p> {
    policy: &'p Policy,
    route: &'p CalendarRoute,
    set: &'p CalendarSet,
    events: Vec<Event>,
    state: TicketState,
    chosen: Vec<Chosen>,
    clocks: Vec<(String, SlaClock<'p>)>,
}

impl<'p> RoutedClock<'p> {
    /// A clock for one ticket under `policy`, measured on the calendars of
    /// `set` that `route` names.
    ///
    /// # Errors
    ///
    /// When the route names a calendar the set does not have.
    pub fn new(policy: &'p Policy, route: &'p CalendarRoute, set: &'p CalendarSet) -> Result<RoutedClock<'p>> {
        route.check(set, policy.id().as_str())?;
        Ok(RoutedClock {
            policy,
            route,
            set,
            events: Vec::new(),
            state: TicketState::new(),
            chosen: Vec::new(),
            clocks: Vec::new(),
        })
    }

    /// Takes the next event, as [`SlaClock::push`] does; an event that
    /// cannot be taken leaves the clock as it was.
    ///
    /// # Errors
    ///
    /// As [`SlaClock::push`].
    pub fn push(&mut self, event: &Event) -> Result<()> {
        let saved = (self.state.clone(), self.clocks.clone());
        let result = self.take(event);
        if result.is_err() {
            (self.state, self.clocks) = saved;
        }
        result
    }

    fn take(&mut self, event: &Event) -> Result<()> {
        let position = self.events.len();
        // The first clock checks the order (a ticket's first event names
        // its first calendar, so a clock exists from then on).
        for (_, clock) in &mut self.clocks {
            clock.push(event)?;
        }
        self.state.apply(event);
        let name = self.route.choose(&self.state, self.set).map(str::to_string);
        if let Ok(name) = &name
            && !self.clocks.iter().any(|(n, _)| n == name)
            && let Some(calendar) = self.set.get(name)
        {
            let mut clock = SlaClock::new(self.policy, calendar);
            for earlier in self.events.iter().chain(std::iter::once(event)) {
                clock.push(earlier)?;
            }
            self.clocks.push((name.clone(), clock));
        }
        if self.clocks.is_empty() {
            // No calendar yet: check the event's order on a throwaway clock.
            let mut probe = SlaClock::new(self.policy, self.set_any()?);
            for earlier in self.events.iter().chain(std::iter::once(event)) {
                probe.push(earlier)?;
            }
        }
        self.events.push(event.clone());
        self.chosen.push((position, name));
        Ok(())
    }

    fn set_any(&self) -> Result<&'p crate::BusinessCalendar> {
        let set = self.set;
        set.names()
            .next()
            .and_then(|name| set.get(name))
            .ok_or_else(|| Error::policy(self.policy.id().as_str(), "calendar", "the calendar set is empty"))
    }

    /// Where the ticket stands at `as_of`, as
    /// [`evaluate_routed`](super::evaluate_routed) gives it on the events
    /// taken.
    ///
    /// # Errors
    ///
    /// As [`SlaClock::at`], and when a cycle's deciding event leaves the
    /// route with no calendar.
    pub fn at(&self, as_of: DateTime<Utc>) -> Result<Evaluation> {
        let as_of = crate::interval::without_leap_second(as_of);
        let candidates = candidates(&self.chosen);
        let evaluations = candidates
            .iter()
            .map(|name| match self.clocks.iter().find(|(n, _)| n == name) {
                Some((_, clock)) => clock.at(as_of),
                None => Err(Error::policy(
                    self.policy.id().as_str(),
                    "calendar",
                    format!("`{name}` names no calendar of the set"),
                )),
            })
            .collect();
        let ticket = self
            .events
            .first()
            .map_or_else(|| crate::event::TicketId::new(""), |e| e.ticket().clone());
        pick(
            self.policy,
            self.route.timing(),
            &ticket,
            as_of,
            &self.chosen,
            &candidates,
            evaluations,
        )
    }

    /// The next instant, at or after `after`, at which the clock changes
    /// with no new event, on the calendar the latest cycle is measured on
    /// ([`SlaClock::next_change`]).
    ///
    /// # Errors
    ///
    /// As [`at`](Self::at).
    pub fn next_change(&self, after: DateTime<Utc>) -> Result<Option<Upcoming>> {
        let evaluation = self.at(after)?;
        let name = evaluation.cycles.last().and_then(|c| c.calendar.as_deref());
        match name.and_then(|name| self.clocks.iter().find(|(n, _)| n == name)) {
            Some((_, clock)) => clock.next_change(after),
            None => Ok(None),
        }
    }
}

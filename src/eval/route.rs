//! Evaluating a policy whose calendar a [`CalendarRoute`] chooses per
//! ticket: the policy under each calendar the ticket's history names, in
//! one pass, and each cycle taken from the calendar its route names.

use chrono::{DateTime, Utc};

use super::{Cycle, Evaluation, Scratch, evaluate_policies};
use crate::calendar::{BusinessCalendar, CalendarSet};
use crate::error::{Error, Result};
use crate::event::{Problem, TicketState, Timeline};
use crate::policy::{CalendarRoute, Policy, RouteTiming};

/// Evaluates `policy` on `timeline` as of `as_of`, each cycle measured on
/// the calendar of `set` that `route` names for it
/// ([`RouteTiming`](crate::policy::RouteTiming) says at which event);
/// each cycle names its calendar ([`Cycle::calendar`]).
///
/// A calendar switch never moves a cycle's boundaries (they come from
/// events), so the cycles under every calendar line up one to one.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc, Weekday::*};
/// use servicelevel::calendar::{CalendarSet, Window};
/// use servicelevel::eval::evaluate_routed;
/// use servicelevel::policy::{CalendarRoute, PolicyKind};
/// use servicelevel::{BusinessCalendar, Condition, Event, Policy, Target, Timeline};
///
/// let office = |zone| BusinessCalendar::builder(zone).weekdays(&[Mon, Tue, Wed, Thu, Fri], "09:00-17:00".parse::<Window>().unwrap()).build();
/// let set = CalendarSet::new().with("paris", office(chrono_tz::Europe::Paris)?).with("new-york", office(chrono_tz::America::New_York)?);
/// let route = CalendarRoute::by_field("site").name("FR", "paris").name("US", "new-york");
/// let resolve = Policy::builder("resolve", "Resolve", PolicyKind::Sla, Condition::Created, Condition::equals("status", "solved"), Target::business(TimeDelta::hours(4))).build()?;
/// // Monday 2 June 2025, 14:00 UTC: 16:00 in Paris, 10:00 in New York.
/// let at = Utc.with_ymd_and_hms(2025, 6, 2, 14, 0, 0).unwrap();
/// let ticket = Timeline::new(vec![Event::created("T1", at, [("status", "new"), ("site", "US")])])?;
/// let cycle = &evaluate_routed(&resolve, &route, &set, &ticket, at)?.cycles[0];
/// assert_eq!(cycle.calendar.as_deref(), Some("new-york"));
/// assert_eq!(cycle.due, at + TimeDelta::hours(4)); // 14:00 in New York
/// # Ok::<(), servicelevel::Error>(())
/// ```
///
/// # Errors
///
/// As [`evaluate`](super::evaluate); also when a cycle's deciding event
/// leaves the route with no calendar ([`Problem::NoCalendar`], naming the
/// event), or a calendar the route names is missing from the set.
pub fn evaluate_routed(
    policy: &Policy,
    route: &CalendarRoute,
    set: &CalendarSet,
    timeline: &Timeline,
    as_of: DateTime<Utc>,
) -> Result<Evaluation> {
    route.check(set, policy.id().as_str())?;
    evaluate_routed_with(policy, route, set, timeline, as_of, &mut Scratch::default())
}

/// [`evaluate_routed`] without the route check (done once by the caller),
/// reusing buffers.
pub(crate) fn evaluate_routed_with(
    policy: &Policy,
    route: &CalendarRoute,
    set: &CalendarSet,
    timeline: &Timeline,
    as_of: DateTime<Utc>,
    scratch: &mut Scratch,
) -> Result<Evaluation> {
    let as_of = crate::interval::without_leap_second(as_of);
    let chosen = names_after_each_event(route, set, timeline, as_of);
    let candidates = candidates(&chosen);
    let pairs: Vec<(&Policy, &BusinessCalendar)> = candidates
        .iter()
        .filter_map(|name| set.get(name).map(|calendar| (policy, calendar)))
        .collect();
    let evaluations = evaluate_policies(&pairs, timeline, as_of, scratch);
    pick(
        policy,
        route.timing(),
        timeline.ticket(),
        as_of,
        &chosen,
        &candidates,
        evaluations,
    )
}

/// The distinct calendar names the events chose, in order of first choice.
pub(crate) fn candidates(chosen: &[Chosen]) -> Vec<&str> {
    let mut candidates: Vec<&str> = Vec::new();
    for name in chosen.iter().filter_map(|(_, name)| name.as_deref().ok()) {
        if !candidates.contains(&name) {
            candidates.push(name);
        }
    }
    candidates
}

/// The calendar a route chose after an event (by input position), or why
/// it chose none.
pub(crate) type Chosen = (usize, std::result::Result<String, Problem>);

/// Each cycle from the evaluation (one per candidate, in order) of the
/// calendar named at its deciding event.
pub(crate) fn pick(
    policy: &Policy,
    timing: RouteTiming,
    ticket: &crate::event::TicketId,
    as_of: DateTime<Utc>,
    chosen: &[Chosen],
    candidates: &[&str],
    evaluations: Vec<Result<Evaluation>>,
) -> Result<Evaluation> {
    let Some(&first) = candidates.first() else {
        // No event names a calendar: the first event's problem, or (as of
        // before the creation) no cycle at all.
        return match chosen.first() {
            Some((position, Err(problem))) => Err(Error::event(ticket, Some(*position), problem.clone())),
            _ => Ok(Evaluation {
                ticket: ticket.clone(),
                policy: policy.id().clone(),
                as_of,
                cycles: Vec::new(),
            }),
        };
    };
    let mut evaluations = evaluations.into_iter();
    let reference = evaluations.next().unwrap_or_else(|| Err(missing(policy, first)))?;
    let others: Vec<Result<Evaluation>> = evaluations.collect();
    let mut cycles = Vec::with_capacity(reference.cycles.len());
    for (index, cycle) in reference.cycles.iter().enumerate() {
        let position = deciding_position(timing, cycle, chosen);
        let name = match chosen.iter().find(|(p, _)| *p == position).map(|(_, n)| n) {
            Some(Ok(name)) => name.as_str(),
            Some(Err(problem)) => return Err(Error::event(ticket, Some(position), problem.clone())),
            None => first,
        };
        let mut measured = match candidates.iter().position(|c| *c == name) {
            Some(0) | None => cycle.clone(),
            Some(k) => match others.get(k.saturating_sub(1)) {
                Some(Ok(evaluation)) => evaluation.cycles.get(index).cloned().unwrap_or_else(|| cycle.clone()),
                Some(Err(error)) => return Err(error.clone()),
                None => cycle.clone(),
            },
        };
        measured.calendar = Some(name.to_string());
        cycles.push(measured);
    }
    Ok(Evaluation { cycles, ..reference })
}

fn missing(policy: &Policy, name: &str) -> Error {
    Error::policy(
        policy.id().as_str(),
        "calendar",
        format!("`{name}` names no calendar of the set"),
    )
}

/// The event (by input position) whose fields choose the cycle's calendar.
fn deciding_position(
    timing: RouteTiming,
    cycle: &Cycle,
    chosen: &[(usize, std::result::Result<String, Problem>)],
) -> usize {
    let last = chosen.last().map_or(0, |(position, _)| *position);
    match timing {
        RouteTiming::AtCycleStart => cycle.began.0,
        _ => cycle.end_cause.map_or(last, |cause| cause.position),
    }
}

/// The calendar name the route gives after each event up to `as_of`, with
/// the event's input position.
fn names_after_each_event(
    route: &CalendarRoute,
    set: &CalendarSet,
    timeline: &Timeline,
    as_of: DateTime<Utc>,
) -> Vec<Chosen> {
    let mut state = TicketState::new();
    let mut chosen = Vec::new();
    for (index, event) in timeline.events().iter().enumerate() {
        if event.at() > as_of {
            break;
        }
        state.apply(event);
        let name = route.choose(&state, set).map(str::to_string);
        chosen.push((timeline.position(index), name));
    }
    chosen
}

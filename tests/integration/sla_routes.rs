//! Laws and bad input of calendar routes (`policy::CalendarRoute`,
//! `eval::evaluate_routed`): a cycle is exactly the cycle its calendar
//! gives, a route that always names one calendar is that calendar, and the
//! batch evaluator agrees.

use std::sync::OnceLock;

use chrono::{TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use servicelevel::calendar::CalendarSet;
use servicelevel::eval::{Evaluator, RoutedClock, evaluate, evaluate_routed};
use servicelevel::event::{Event, Timeline};
use servicelevel::policy::{CalendarRoute, RouteTiming};
use servicelevel::{BusinessCalendar, ErrorKind};

use super::sla_props::{as_of_after, calendar, history, options, pending, policy};
use crate::support::config;

/// The helpers' New York office calendar, and a 24x7 one.
fn set() -> &'static CalendarSet {
    static SET: OnceLock<CalendarSet> = OnceLock::new();
    SET.get_or_init(|| {
        CalendarSet::new()
            .with("office", calendar().clone())
            .with("always", BusinessCalendar::always_open(chrono_tz::UTC))
    })
}

/// The `priority` field (set at creation, changed by the histories)
/// chooses: 1 and 2 are measured around the clock, the rest in office hours.
fn route(timing: RouteTiming) -> CalendarRoute {
    CalendarRoute::by_field("priority")
        .name("1", "always")
        .name("2", "always")
        .default_calendar("office")
        .with_timing(timing)
}

fn timing() -> impl Strategy<Value = RouteTiming> {
    prop_oneof![Just(RouteTiming::Recompute), Just(RouteTiming::AtCycleStart)]
}

proptest! {
    #![proptest_config(config())]

    /// Oracle: each routed cycle is the cycle of the same index evaluated
    /// on one of the set's calendars alone, the one it names; and the
    /// cycles under both calendars line up (boundaries come from events).
    #[test]
    fn each_routed_cycle_is_its_calendars_own_cycle(events in history(), (mode, cycles, measure) in options(), timing in timing(), later in 0i64..5_000) {
        let policy = policy(mode, cycles, pending(), TimeDelta::zero(), measure);
        let timeline = Timeline::new(events.clone()).unwrap();
        let as_of = as_of_after(&events, later);
        let routed = evaluate_routed(&policy, &route(timing), set(), &timeline, as_of).unwrap();
        let office = evaluate(&policy, set().get("office").unwrap(), &timeline, as_of).unwrap();
        let always = evaluate(&policy, set().get("always").unwrap(), &timeline, as_of).unwrap();
        prop_assert_eq!(office.cycles.len(), always.cycles.len());
        prop_assert_eq!(routed.cycles.len(), office.cycles.len());
        for (i, cycle) in routed.cycles.iter().enumerate() {
            prop_assert_eq!((office.cycles[i].start, office.cycles[i].end), (always.cycles[i].start, always.cycles[i].end));
            let own = match cycle.calendar.as_deref() {
                Some("office") => &office.cycles[i],
                Some("always") => &always.cycles[i],
                other => panic!("no such calendar {other:?}"),
            };
            let mut named = own.clone();
            named.calendar = cycle.calendar.clone();
            prop_assert_eq!(cycle, &named);
        }
    }

    /// The live routed clock equals routed evaluation on every prefix.
    #[test]
    fn the_live_routed_clock_equals_routed_evaluation_on_every_prefix(events in history(), (mode, cycles, measure) in options(), timing in timing()) {
        let policy = policy(mode, cycles, pending(), TimeDelta::zero(), measure);
        let route = route(timing);
        let mut clock = RoutedClock::new(&policy, &route, set()).unwrap();
        for k in 0..events.len() {
            clock.push(&events[k]).unwrap();
            let as_of = events[k].at() + TimeDelta::minutes(30);
            let prefix = Timeline::new(events[..=k].to_vec()).unwrap();
            prop_assert_eq!(clock.at(as_of).unwrap(), evaluate_routed(&policy, &route, set(), &prefix, as_of).unwrap());
        }
    }

    /// A route that names one calendar whatever the ticket says is that
    /// calendar; the batch evaluator equals one-ticket routed evaluation.
    #[test]
    fn a_route_to_one_calendar_is_that_calendar(events in history(), (mode, cycles, measure) in options(), later in 0i64..5_000) {
        let policy = policy(mode, cycles, pending(), TimeDelta::zero(), measure);
        let timeline = Timeline::new(events.clone()).unwrap();
        let as_of = as_of_after(&events, later);
        let one = CalendarRoute::by_field("no_such_field").default_calendar("office");
        let routed = evaluate_routed(&policy, &one, set(), &timeline, as_of).unwrap();
        let mut plain = evaluate(&policy, calendar(), &timeline, as_of).unwrap();
        for cycle in &mut plain.cycles {
            cycle.calendar = Some("office".into());
        }
        prop_assert_eq!(&routed, &plain);
        let evaluator = Evaluator::new()
            .policy(policy.clone(), calendar().clone())
            .policy_routed(policy.clone(), route(RouteTiming::Recompute), set().clone())
            .unwrap();
        let batch = evaluator.evaluate(&timeline, as_of);
        prop_assert_eq!(batch[0].as_ref().unwrap(), &evaluate(&policy, calendar(), &timeline, as_of).unwrap());
        prop_assert_eq!(batch[1].as_ref().unwrap(), &evaluate_routed(&policy, &route(RouteTiming::Recompute), set(), &timeline, as_of).unwrap());
    }
}

#[test]
fn routes_to_unknown_calendars_and_tickets_without_one_are_typed_errors() {
    let policy = policy(
        servicelevel::policy::TargetChange::KeepClock,
        servicelevel::policy::Cycles::Once,
        pending(),
        TimeDelta::zero(),
        servicelevel::policy::Measure::BusinessTime,
    );
    let typo = CalendarRoute::by_field("site").name("FR", "pariss");
    let error = Evaluator::new()
        .policy_routed(policy.clone(), typo, set().clone())
        .unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("calendar.names[FR]") && text.contains("`pariss`") && text.contains("`office`"),
        "{text}"
    );
    let at = Utc.with_ymd_and_hms(2025, 3, 3, 15, 0, 0).unwrap();
    let ticket = Timeline::new(vec![Event::created("T7", at, [("status", "new"), ("priority", "3")])]).unwrap();
    let nowhere = CalendarRoute::by_field("site").default_calendar("nowhere");
    let error = evaluate_routed(&policy, &nowhere, set(), &ticket, at).unwrap_err();
    assert!(error.to_string().contains("calendar.default"), "{error}");
    // Priority 3 names no calendar and the route has no default: the
    // ticket's problem, at its creation event.
    // The live clock refuses an event out of order and keeps what it had.
    let by_priority = route(RouteTiming::Recompute);
    let mut clock = RoutedClock::new(&policy, &by_priority, set()).unwrap();
    clock.push(&ticket.events()[0]).unwrap();
    let before = clock.at(at).unwrap();
    let early = Event::set("T7", at - TimeDelta::hours(1), [("priority", "1")]);
    assert!(clock.push(&early).unwrap_err().to_string().contains("out of order"));
    assert_eq!(clock.at(at).unwrap(), before);
    let no_default = CalendarRoute::by_field("priority").name("1", "always");
    let error = evaluate_routed(&policy, &no_default, set(), &ticket, at).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Event);
    assert_eq!(
        (error.ticket().map(|t| t.as_str()), error.position()),
        (Some("T7"), Some(0))
    );
    let text = error.to_string();
    assert!(
        text.contains("T7") && text.contains("no calendar for `priority` = `3` and no default calendar"),
        "{text}"
    );
}

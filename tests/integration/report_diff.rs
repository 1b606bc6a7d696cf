//! Two reviews of the same tickets under two specs, and the verdicts that
//! flip between them (`report::Comparison`).
//!
//! The numbers are those of `testdata/sla/11_servicenow_retroactive_pause.json`
//! (ServiceNow docs, "Use SLA retroactive pause", on the probe of issue 15):
//! on Mon-Fri 09:00-17:00 UTC, a P3 incident created Monday 2025-03-03 09:00,
//! on hold from Monday 11:00, raised to P1 on Wednesday 09:00 while still on
//! hold, back in progress Wednesday 10:00 and resolved Wednesday 11:30. With
//! retroactive pause off the P1 cycle counts its 14 hours on hold and is
//! breached; with it on it keeps them paused and is met.

use chrono::{DateTime, TimeDelta, TimeZone, Utc, Weekday::*};
use servicelevel::calendar::Window;
use servicelevel::eval::{SegmentKind, State};
use servicelevel::policy::{Policy, RetroactivePause};
use servicelevel::report::{Comparison, ReportSpec, Service};
use servicelevel::{BusinessCalendar, Catalog, Event, Lifecycle, Target, Timeline, presets};

fn at(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, day, hour, minute, 0).unwrap()
}

fn resolution(pause: RetroactivePause) -> Policy {
    let h = TimeDelta::hours;
    let target = Target::business_by("priority", [("1", h(4)), ("3", h(8))], None);
    presets::servicenow_resolution(&Lifecycle::servicenow(), target)
        .unwrap()
        .to_builder()
        .retroactive_pause(pause)
        .build()
        .unwrap()
}

fn spec(policies: Vec<Policy>) -> ReportSpec {
    spec_of("desk", policies)
}

fn spec_of(service: &str, policies: Vec<Policy>) -> ReportSpec {
    let calendar = BusinessCalendar::builder(chrono_tz::UTC)
        .weekdays(&[Mon, Tue, Wed, Thu, Fri], "09:00-17:00".parse::<Window>().unwrap())
        .build()
        .unwrap();
    let service = policies
        .into_iter()
        .fold(Service::builder(service, "Service desk", "office"), |s, p| s.policy(p))
        .build()
        .unwrap();
    let catalog = Catalog::builder()
        .calendar("office", calendar)
        .service(service)
        .build()
        .unwrap();
    ReportSpec::builder(catalog)
        .lifecycle(Lifecycle::servicenow())
        .build()
        .unwrap()
}

fn probe() -> Timeline {
    Timeline::new(vec![
        Event::created("INC1", at(3, 9, 0), [("status", "new"), ("priority", "3")]),
        Event::set("INC1", at(3, 11, 0), [("status", "on_hold")]),
        Event::set("INC1", at(5, 9, 0), [("priority", "1")]),
        Event::set("INC1", at(5, 10, 0), [("status", "in_progress")]),
        Event::set("INC1", at(5, 11, 30), [("status", "resolved")]),
    ])
    .unwrap()
}

/// A ticket both specs agree on: resolved in two hours, never on hold.
fn quick() -> Timeline {
    Timeline::new(vec![
        Event::created("INC2", at(3, 9, 0), [("status", "new"), ("priority", "1")]),
        Event::set("INC2", at(3, 11, 0), [("status", "resolved")]),
    ])
    .unwrap()
}

#[test]
fn turning_retroactive_pause_on_flips_the_probe_and_says_where() {
    let before = spec(vec![resolution(RetroactivePause::CountInFull)]);
    let after = spec(vec![resolution(RetroactivePause::Replay)]);
    let mut comparison = Comparison::new(before, after, at(5, 17, 0));
    comparison.add("desk", &probe()).unwrap();
    comparison.add("desk", &quick()).unwrap();
    let diff = comparison.finish();

    // Only the P1 cycle (the second: the P3 one was cancelled by the
    // priority change in both) flips, from breached to met.
    assert_eq!(diff.changes.len(), 1);
    let change = &diff.changes[0];
    assert_eq!(change.service.as_str(), "desk");
    assert_eq!(
        (change.change.ticket.as_str(), change.change.policy.as_str()),
        ("INC1", "servicenow-resolution")
    );
    assert_eq!(change.change.cycle, 1);
    assert_eq!(
        (change.change.before.state, change.change.after.state),
        (State::Breached, State::Met)
    );
    assert!(change.change.before.breached && !change.change.after.breached);
    // They part where the hold began: counted on one side, paused on the other.
    let parted = change.change.parted.unwrap();
    assert_eq!(parted.at, at(3, 11, 0));
    assert_eq!(parted.before.unwrap().kind, SegmentKind::Counting);
    assert_eq!(parted.after.unwrap().kind, SegmentKind::Paused);

    // The two reports are there in full, and their figures agree with it.
    let compliance = |r: &servicelevel::report::Report| {
        let c = &r.services[0].total.overall.policies[0].compliance;
        (c.met, c.breached)
    };
    assert_eq!(compliance(&diff.before), (1, 1));
    assert_eq!(compliance(&diff.after), (2, 0));
    let flips = diff.flips();
    assert_eq!(flips.len(), 1);
    assert_eq!(
        (flips[0].before.state, flips[0].after.state, flips[0].tickets),
        (State::Breached, State::Met, 1)
    );
}

#[test]
fn a_policy_only_one_spec_has_makes_every_cycle_a_change() {
    let response =
        presets::servicenow_response(&Lifecycle::servicenow(), Target::business(TimeDelta::hours(1))).unwrap();
    let before = spec(vec![resolution(RetroactivePause::CountInFull)]);
    let after = spec(vec![resolution(RetroactivePause::CountInFull), response]);
    let mut comparison = Comparison::new(before, after, at(5, 17, 0));
    comparison.add("desk", &quick()).unwrap();
    let diff = comparison.finish();
    // INC2 left `new` after two business hours: the added 1-hour response
    // clock is breached, where the first spec had no such clock.
    assert_eq!(diff.changes.len(), 1);
    let change = &diff.changes[0].change;
    assert_eq!(change.policy.as_str(), "servicenow-response");
    assert_eq!(
        (change.before.state, change.after.state),
        (State::NotStarted, State::Breached)
    );
    assert_eq!(change.parted, None);
}

#[test]
fn a_service_one_spec_lacks_is_an_error_and_counts_nowhere() {
    let before = spec(vec![resolution(RetroactivePause::CountInFull)]);
    let after = spec_of("service-desk", vec![resolution(RetroactivePause::Replay)]);
    let mut comparison = Comparison::new(before, after, at(5, 17, 0));
    let error = comparison.add("desk", &quick()).unwrap_err();
    assert!(error.to_string().contains("desk"), "{error}");
    let diff = comparison.finish();
    assert_eq!(
        (diff.before.services[0].tickets, diff.after.services[0].tickets),
        (0, 0)
    );
    assert!(diff.changes.is_empty());
}

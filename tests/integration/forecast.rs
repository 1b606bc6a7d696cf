//! Forecasting (issue 15): the next change of a live clock and the cycles
//! at risk, on ServiceNow's own numbers.
//!
//! ServiceNow docs, "SLA duration types": with a 10-hour duration and no
//! schedule, "An SLA starting now will end breach on 2015-01-01 20:30" for
//! a start on 2015-01-01 10:30. "SLA notifications" and "Flows for SLA":
//! the SLA Notification and Escalation flow notifies at 50 % and 75 % of the
//! duration, and again at 100 %.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use rust_decimal::Decimal;
use servicelevel::eval::{Change, SlaClock, State};
use servicelevel::policy::BreachRule;
use servicelevel::{BusinessCalendar, Event, Lifecycle, Policy, Target, Timeline, evaluate, presets};

fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2015, 1, 1, h, m, 0).unwrap()
}

/// ServiceNow's resolution SLA with a 10-hour duration, no schedule, the
/// flow's 50 % and 75 % notifications, and breach on time left (so that the
/// breach instant is the one the form's message states).
fn ten_hours() -> Policy {
    presets::servicenow_resolution(&Lifecycle::servicenow(), Target::wall(TimeDelta::hours(10)))
        .unwrap()
        .to_builder()
        .warnings([Decimal::from(50), Decimal::from(75)])
        .breach_rule(BreachRule::TimeLeft)
        .build()
        .unwrap()
}

#[test]
fn a_timer_wakes_at_each_notification_and_at_the_breach() {
    let policy = ten_hours();
    let calendar = BusinessCalendar::always_open(chrono_tz::UTC);
    let mut clock = SlaClock::new(&policy, &calendar);
    clock
        .push(&Event::created("INC1", at(10, 30), [("status", "new")]))
        .unwrap();
    let mut wake_ups = Vec::new();
    let mut now = at(10, 30);
    while let Some(next) = clock.next_change(now).unwrap() {
        wake_ups.push((next.at, next.change));
        now = next.at + TimeDelta::seconds(1);
    }
    assert_eq!(
        wake_ups,
        [
            (at(15, 30), Change::Warning(Decimal::from(50))),
            (at(18, 0), Change::Warning(Decimal::from(75))),
            (at(20, 30), Change::Breach),
        ]
    );
    // The preset's own rule (the rounded percentage) breaches when 99.995 %
    // of the 10 hours has passed: 1.8 s earlier.
    let rounded = ten_hours()
        .to_builder()
        .breach_rule(BreachRule::RoundedPercentage)
        .build()
        .unwrap();
    let mut clock = SlaClock::new(&rounded, &calendar);
    clock
        .push(&Event::created("INC1", at(10, 30), [("status", "new")]))
        .unwrap();
    let breach = clock.next_change(at(18, 1)).unwrap().unwrap();
    assert_eq!(
        (breach.at, breach.change),
        (at(20, 30) - TimeDelta::milliseconds(1800), Change::Breach)
    );
    // On hold, nothing happens until an event.
    clock
        .push(&Event::set("INC1", at(19, 0), [("status", "on_hold")]))
        .unwrap();
    assert_eq!(clock.next_change(at(19, 0)).unwrap(), None);
}

#[test]
fn cycles_at_risk_are_the_unbreached_ones_due_soon_or_past_a_warning() {
    let policy = ten_hours();
    let calendar = BusinessCalendar::always_open(chrono_tz::UTC);
    let ticket =
        |id: &str, opened: DateTime<Utc>| Timeline::new(vec![Event::created(id, opened, [("status", "new")])]).unwrap();
    let as_of = at(23, 0);
    // Opened 10:30 (breached 20:30), 13:30 (due 23:30, past 75 %), 21:00
    // (due 07:00, past nothing), 20:00 (due 06:00, 30 % used).
    let risks: Vec<_> = [("A", at(10, 30)), ("B", at(13, 30)), ("C", at(21, 0)), ("D", at(20, 0))]
        .iter()
        .map(|&(id, opened)| {
            let evaluation = evaluate(&policy, &calendar, &ticket(id, opened), as_of).unwrap();
            evaluation.cycles[0].at_risk(TimeDelta::hours(8))
        })
        .collect();
    assert_eq!(risks[0], None, "breached: past risk");
    let b = risks[1].unwrap();
    assert_eq!((b.due_in, b.warning), (TimeDelta::minutes(30), Some(Decimal::from(75))));
    let c = risks[2].unwrap();
    assert_eq!((c.due_in, c.warning), (TimeDelta::hours(8), None));
    assert_eq!(risks[3].unwrap().due_in, TimeDelta::hours(7));
    let far = evaluate(&policy, &calendar, &ticket("E", at(22, 0)), as_of).unwrap();
    assert_eq!(far.state(), State::Running);
    assert_eq!(far.at_risk(TimeDelta::hours(8)).count(), 0, "due in 9 h, 10 % used");
}

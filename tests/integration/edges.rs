//! Regression tests for inputs at the edges (issue 14's findings, as
//! fixed so far): each once panicked or lost data, and must now give a
//! typed error or a right answer.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use rust_decimal::Decimal;
use servicelevel::availability::Weight;
use servicelevel::event::{Problem, Schema, TimelineOptions, tickets};
use servicelevel::{BusinessCalendar, Evaluator, Event, Lifecycle, Period, Target, Timeline, evaluate, presets};

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 2, hour, 0, 0).unwrap()
}

/// A lenient timeline whose only creation is unusable used to be `Ok` with
/// no events, and `created_at()` then panicked (ending a whole batch).
#[test]
fn a_lenient_timeline_without_a_usable_creation_is_a_typed_error() {
    let twice = Event::created("T1", at(9), [("status", "new"), ("status", "open")]);
    let later = Event::set("T1", at(10), [("status", "resolved")]);
    let error = Timeline::build(vec![twice.clone(), later.clone()], &TimelineOptions::lenient()).unwrap_err();
    assert_eq!(
        (error.ticket().map(|t| t.as_str()), error.position()),
        (Some("T1"), Some(0))
    );
    assert!(
        matches!(error.problem(), Some(Problem::RepeatedField { .. })),
        "{error}"
    );

    let schema = Schema::new().closed_field("status", ["new", "resolved"]);
    let unknown = Event::created("T2", at(9), [("status", "nwe")]);
    let options = TimelineOptions::lenient().schema(schema);
    let error = Timeline::build(
        vec![unknown, Event::set("T2", at(10), [("status", "resolved")])],
        &options,
    )
    .unwrap_err();
    assert!(matches!(error.problem(), Some(Problem::UnknownValue { .. })), "{error}");

    // In a batch it is that ticket's outcome; the next ticket is evaluated.
    let policy = presets::servicenow_resolution(&Lifecycle::servicenow(), Target::wall(TimeDelta::hours(4))).unwrap();
    let evaluator = Evaluator::new()
        .policy(policy, BusinessCalendar::always_open(chrono_tz::UTC))
        .timelines(TimelineOptions::lenient());
    let good = Event::created("T3", at(9), [("status", "new")]);
    let outcomes: Vec<_> = evaluator
        .evaluate_all(tickets(vec![twice, later, good]), at(12))
        .collect();
    assert_eq!(outcomes.len(), 2);
    assert!(outcomes[0].evaluations.is_err());
    assert!(outcomes[1].evaluations.is_ok());
}

/// A strict timeline accepted a creation that sets one field twice (the
/// lenient one dropped the same event).
#[test]
fn a_strict_creation_that_sets_a_field_twice_is_refused() {
    let twice = Event::created("T1", at(9), [("priority", "1"), ("priority", "2")]);
    let error = Timeline::new(vec![twice]).unwrap_err();
    assert_eq!(error.position(), Some(0));
    assert!(
        matches!(error.problem(), Some(Problem::RepeatedField { .. })),
        "{error}"
    );
}

/// Evaluated as of an instant before its creation, a ticket kept no id.
#[test]
fn an_evaluation_before_the_creation_keeps_the_ticket() {
    let policy = presets::servicenow_resolution(&Lifecycle::servicenow(), Target::wall(TimeDelta::hours(4))).unwrap();
    let timeline = Timeline::new(vec![Event::created("INC9", at(9), [("status", "new")])]).unwrap();
    let calendar = BusinessCalendar::always_open(chrono_tz::UTC);
    let evaluation = evaluate(&policy, &calendar, &timeline, at(8)).unwrap();
    assert_eq!(evaluation.ticket.as_str(), "INC9");
    assert!(evaluation.cycles.is_empty());
}

/// A weight of 26 digits used to overflow a multiplication before its
/// range check.
#[test]
fn a_huge_weight_is_a_typed_error() {
    let huge = Decimal::from_i128_with_scale(10_i128.pow(26), 0);
    assert!(Weight::new(huge).unwrap_err().is_config());
    assert!(Weight::new(Decimal::from_i128_with_scale(1, 28)).is_err()); // 28 decimals
}

/// Periods near the ends of chrono's range: an answer or a typed error.
#[test]
fn periods_at_the_ends_of_time_do_not_panic() {
    for instant in [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC] {
        for period in [Period::Day, Period::Week, Period::Month, Period::Quarter, Period::Year] {
            for zone in [chrono_tz::UTC, chrono_tz::Pacific::Kiritimati, chrono_tz::America::Adak] {
                let _ = period.containing(zone, instant);
                let _ = period.windows(
                    zone,
                    instant - TimeDelta::days(1).min(instant - DateTime::<Utc>::MIN_UTC),
                    instant,
                );
                let _ = period.label_of(zone, instant);
            }
        }
    }
}

//! Bad input: every instant chrono can represent gets an answer or a typed
//! error, never a panic, an overflow or a long loop.

use std::time::Instant;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use servicelevel::calendar::{
    Convention, Disambiguation, EVERY_DAY, Landing, MONDAY_TO_FRIDAY, PartialClosure, Window,
};
use servicelevel::{BusinessCalendar, ErrorKind};

use crate::support::instant;

fn nine_to_five() -> BusinessCalendar {
    BusinessCalendar::builder(chrono_tz::America::New_York)
        .weekdays(&MONDAY_TO_FRIDAY, "09:00-17:00".parse::<Window>().unwrap())
        .build()
        .unwrap()
}

fn extremes() -> Vec<DateTime<Utc>> {
    vec![
        DateTime::<Utc>::MIN_UTC,
        DateTime::<Utc>::MAX_UTC,
        DateTime::from_timestamp(0, 0).unwrap(),
        DateTime::from_timestamp(-1, 999_999_999).unwrap(),
        instant("1969-12-31T23:59:59Z"),
        instant("2099-12-31T23:59:59Z"),
        instant("2100-01-01T05:00:00Z"),
        instant("2025-06-30T23:59:60Z"),
    ]
}

#[test]
fn extreme_instants_get_answers_or_typed_errors() {
    let calendar = nine_to_five();
    let amounts = [
        TimeDelta::MAX,
        TimeDelta::MIN,
        TimeDelta::zero(),
        TimeDelta::nanoseconds(1),
        TimeDelta::days(-1),
    ];
    for a in extremes() {
        for b in extremes() {
            let business = calendar.business_time(a, b);
            assert!(business.abs() <= calendar.total_business_time());
            if a <= b {
                assert!(business >= TimeDelta::zero());
            }
        }
        let _ = calendar.is_open(a);
        for convention in [Convention::EarliestInstant, Convention::NextOpening] {
            for amount in amounts {
                match calendar.add_business_time_with(a, amount, convention) {
                    Ok(due) => assert_eq!(calendar.business_time(a, due), amount),
                    Err(e) => assert!(e.is_horizon(), "{e}"),
                }
            }
        }
        for result in [calendar.next_open(a), calendar.next_close(a)] {
            if let Err(e) = result {
                assert!(e.is_horizon(), "{e}");
            }
        }
        for days in [i64::MIN, i64::MAX, -1, 1] {
            let result = calendar.add_working_days(a, days, Landing::EndOfWorkingDay);
            assert!(result.is_ok() || result.unwrap_err().is_horizon());
        }
    }
}

#[test]
fn outside_the_horizon_is_reported_by_checked_queries() {
    let calendar = nine_to_five();
    let far = instant("2150-01-05T15:00:00Z");
    let err = calendar
        .checked_business_time(instant("2025-01-06T15:00:00Z"), far)
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::OutsideHorizon));
    assert_eq!(
        err.to_string(),
        "instant `2150-01-05 15:00:00 UTC` is outside the calendar horizon `1970-01-01 05:00:00 UTC..2100-01-01 05:00:00 UTC`"
    );
    // The total functions treat the calendar as closed there.
    assert!(!calendar.is_open(far));
    assert_eq!(calendar.business_time(far, far + TimeDelta::days(7)), TimeDelta::zero());
    assert!(
        calendar
            .add_business_time(far, TimeDelta::hours(1))
            .unwrap_err()
            .is_horizon()
    );
    let date_err = calendar.working_days_between(
        NaiveDate::from_ymd_opt(2150, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2150, 2, 1).unwrap(),
    );
    assert!(matches!(date_err.unwrap_err().kind(), ErrorKind::DateOutsideHorizon));
}

#[test]
fn one_minute_a_year_asked_for_ten_years_answers_at_once() {
    // Open one minute a year: 00:00-00:01 on 1 January, by a full-day closure
    // of every other day and a partial closure of the rest of New Year's Day.
    let mut builder = BusinessCalendar::builder(chrono_tz::UTC)
        .weekdays(&EVERY_DAY, "00:00-24:00".parse::<Window>().unwrap())
        .closed_range(
            servicelevel::calendar::DateRange::new(NaiveDate::MIN, NaiveDate::from_ymd_opt(1969, 12, 31).unwrap())
                .unwrap(),
        );
    for year in 1970..2100 {
        let new_year = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        builder = builder
            .closed_range(
                servicelevel::calendar::DateRange::new(
                    new_year.succ_opt().unwrap(),
                    NaiveDate::from_ymd_opt(year, 12, 31).unwrap(),
                )
                .unwrap(),
            )
            .partial_closure(PartialClosure::from(
                new_year,
                servicelevel::calendar::ClockTime::hm(0, 1).unwrap(),
            ));
    }
    let calendar = builder.build().unwrap();
    assert_eq!(calendar.total_business_time(), TimeDelta::minutes(130));
    let from = instant("2000-06-01T00:00:00Z");
    let started = Instant::now();
    let result = calendar.add_business_time(from, TimeDelta::days(3652));
    let elapsed = started.elapsed();
    assert!(matches!(result.unwrap_err().kind(), ErrorKind::HorizonExceeded));
    // A generous bound for a debug build on a loaded machine; the release
    // figure is in the benches. What matters is that nothing loops.
    assert!(elapsed.as_millis() < 50, "took {elapsed:?}");
    assert_eq!(
        calendar.add_business_time(from, TimeDelta::minutes(2)).unwrap(),
        instant("2002-01-01T00:01:00Z")
    );
}

#[test]
fn gap_and_fold_times_follow_the_disambiguation_rule() {
    // New York springs forward 2025-03-09 02:00 -> 03:00 and falls back on
    // 2025-11-02 02:00 -> 01:00 (both Sundays). On a calendar open every day,
    // one working day after Saturday 02:30 (or 01:30) lands in the gap (or
    // the fold), and the disambiguation rule decides the instant.
    let calendar = BusinessCalendar::builder(chrono_tz::America::New_York)
        .weekdays(&EVERY_DAY, "00:00-24:00".parse::<Window>().unwrap())
        .build()
        .unwrap();
    let saturday_0230 = instant("2025-03-08T07:30:00Z");
    let land = |rule| calendar.add_working_days(saturday_0230, 1, Landing::SameClockTime(rule));
    assert_eq!(
        land(Disambiguation::Compatible).unwrap(),
        instant("2025-03-09T07:30:00Z")
    ); // 03:30 EDT
    assert_eq!(land(Disambiguation::Earlier).unwrap(), instant("2025-03-09T06:30:00Z")); // 01:30 EST
    assert!(land(Disambiguation::Reject).unwrap_err().is_local_time());
    let saturday_0130 = instant("2025-11-01T05:30:00Z");
    let land = |rule| calendar.add_working_days(saturday_0130, 1, Landing::SameClockTime(rule));
    assert_eq!(
        land(Disambiguation::Compatible).unwrap(),
        instant("2025-11-02T05:30:00Z")
    ); // 01:30 EDT
    assert_eq!(land(Disambiguation::Later).unwrap(), instant("2025-11-02T06:30:00Z")); // 01:30 EST
    let err = land(Disambiguation::Reject).unwrap_err();
    assert_eq!(
        err.to_string(),
        "local time `2025-11-02 01:30:00` is ambiguous in `America/New_York` (it occurs twice at a clock change)"
    );
}

#[test]
fn a_calendar_too_large_to_materialise_is_a_typed_error() {
    // 720 one-minute windows a day over the default 130-year horizon would
    // be 34 million open spans (3.3 s and 1.4 GiB before the cap); the
    // cap, MAX_OPEN_SPANS = 2^21, stops it after about eight years of days.
    let mut builder = BusinessCalendar::builder(chrono_tz::UTC);
    for i in 0..720u32 {
        let window: Window = format!(
            "{:02}:{:02}-{:02}:{:02}",
            i * 2 / 60,
            i * 2 % 60,
            (i * 2 + 1) / 60,
            (i * 2 + 1) % 60
        )
        .parse()
        .unwrap();
        builder = builder.weekdays(&EVERY_DAY, window);
    }
    let e = builder.clone().build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidHorizon);
    assert!(e.to_string().contains("more than 2,097,152 open spans"), "{e}");
    // The same windows over one year (262,800 spans) build.
    let year = builder
        .horizon(
            NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        )
        .build()
        .unwrap();
    let day = year.business_time(instant("2025-03-03T00:00:00Z"), instant("2025-03-04T00:00:00Z"));
    assert_eq!(day, TimeDelta::hours(12));
}

/// Found by fuzzing (the `calendar` target, whose wall-time invariant used
/// chrono's arithmetic): a query from inside a leap second reads it as the
/// last nanosecond of the second before, as everywhere in the crate.
#[test]
fn a_query_from_a_leap_second_reads_it_as_the_second_before() {
    // The leap second at the end of 2016 (IERS Bulletin C 52).
    let leap = DateTime::parse_from_rfc3339("2016-12-31T23:59:60.999997130Z")
        .unwrap()
        .to_utc();
    let calendar = BusinessCalendar::always_open(chrono_tz::UTC);
    let next = instant("2017-01-01T00:00:01Z");
    // From 23:59:59.999999999 to 00:00:01: one second and a nanosecond.
    assert_eq!(
        calendar.business_time(leap, next),
        TimeDelta::nanoseconds(1_000_000_001)
    );
    assert_eq!(
        calendar.business_time(leap, instant("2017-01-01T00:00:00Z")),
        TimeDelta::nanoseconds(1)
    );
}

fn calendar_json(recurring: &str) -> Result<BusinessCalendar, String> {
    let json = format!(
        r#"{{"time_zone": "Europe/Athens", "weekly": {{"mon": [["09:00", "17:00"]], "sat": [["09:00", "13:00"]]}}, "recurring": {recurring}}}"#
    );
    serde_json::from_str::<BusinessCalendar>(&json).map_err(|e| e.to_string())
}

#[test]
fn bad_recurring_rules_are_typed_errors_naming_the_rule() {
    let error = calendar_json(r#"["easter+300"]"#).unwrap_err();
    assert!(
        error.starts_with(
            "invalid calendar rule `easter+300` in `recurring[0]`: an Easter offset must lie within -80..=250 days"
        ),
        "{error}"
    );
    let error = calendar_json(r#"["12-25", {"on": "every other friday"}]"#).unwrap_err();
    assert!(
        error.starts_with("invalid calendar rule `every other friday` in `recurring[1].on`"),
        "{error}"
    );
    let error =
        calendar_json(r#"[{"on": "1st sun of month", "closed": ["02:00", "06:00"], "observed": "us_federal"}]"#)
            .unwrap_err();
    assert!(
        error.contains("only a rule that closes all day (a holiday) can be observed on another day"),
        "{error}"
    );
    let error = calendar_json(r#"[{"on": "12-25", "observed": "moon_phase"}]"#).unwrap_err();
    assert!(
        error.starts_with("invalid calendar rule `moon_phase` in `recurring[0].observed`"),
        "{error}"
    );
    let error = calendar_json(r#"[{"on": "1st sun of month", "closed": ["06:00", "02:00"]}]"#).unwrap_err();
    assert!(error.contains("the closure must end after it starts"), "{error}");
}

#[test]
fn an_orthodox_date_that_leaves_its_year_is_named_with_the_year() {
    // Orthodox Easter falls as late as 8 May in 1900-2099: 237 days later
    // is 31 December, 238 the next year (in 2021, when it was 2 May, 243
    // days later is still in the year; in 2024, 5 May, 240 is not).
    let error = calendar_json(r#"["orthodox easter+240"]"#).unwrap_err();
    assert!(
        error.starts_with("invalid calendar rule `orthodox easter+240`: the date leaves its year in "),
        "{error}"
    );
    assert!(calendar_json(r#"["orthodox easter+237"]"#).is_ok());
}

#[test]
fn two_recurring_rules_giving_one_date_different_hours_are_a_contradiction() {
    // Saturday 2025-03-01 is both the first Saturday of March and its first
    // working day (the desk opens on Saturdays).
    let error = calendar_json(
        r#"[{"on": "1st sat of month", "hours": [["10:00", "12:00"]]}, {"on": "first working day of month", "hours": [["09:00", "11:00"]]}]"#,
    )
    .unwrap_err();
    assert!(error.starts_with("conflicting rules for `"), "{error}");
    assert!(
        error.ends_with(
            "`1st sat of month 10:00-12:00` and `first working day of month 09:00-11:00` both set its hours"
        ),
        "{error}"
    );
}

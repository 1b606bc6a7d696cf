//! The calendar's serde form and its validation: the shape of the issue's
//! example, round trips, and errors that name the field and the value.

use chrono::{NaiveDate, TimeDelta, Weekday};
use serde_json::json;
use servicelevel::calendar::{ClockTime, FloatingDate, PartialClosure, Window, YearlyDate, time_zone};
use servicelevel::{BusinessCalendar, ErrorKind};

use crate::support::instant;

fn from_json(value: serde_json::Value) -> Result<BusinessCalendar, String> {
    serde_json::from_value(value).map_err(|e| e.to_string())
}

#[test]
fn the_documented_shape_round_trips_exactly() {
    let shape = json!({
        "time_zone": "America/New_York",
        "weekly": { "mon": [["09:00", "17:00"]],
                    "tue": [["09:00", "12:00"], ["13:00", "17:00"]],
                    "wed": [], "thu": [], "fri": [],
                    "sat": [], "sun": [] },
        "holidays": ["2024-12-25", "2025-01-01"]
    });
    let calendar = from_json(shape.clone()).unwrap();
    assert_eq!(serde_json::to_value(&calendar).unwrap(), shape);
    assert_eq!(calendar.weekly_windows(Weekday::Tue).len(), 2);
}

#[test]
fn absent_weekdays_are_closed() {
    let calendar = from_json(json!({
        "time_zone": "UTC",
        "weekly": { "mon": [["09:00", "17:00"]] },
        "holidays": []
    }))
    .unwrap();
    // Mon 2025-01-06 09:00 to Mon 2025-01-13 09:00: one Monday.
    assert_eq!(
        calendar.business_time(instant("2025-01-06T09:00:00Z"), instant("2025-01-13T09:00:00Z")),
        TimeDelta::hours(8)
    );
}

#[test]
fn every_rule_kind_round_trips() {
    let full = json!({
        "time_zone": "Europe/Berlin",
        "weekly": { "mon": [["08:00", "12:00"], ["13:00", "17:00"]], "tue": [["22:00", "06:00"]],
                    "wed": [["00:00", "24:00"]], "thu": [], "fri": [["09:00", "17:00"]], "sat": [], "sun": [] },
        "holidays": ["2025-05-01"],
        "closed_ranges": [["2025-12-27", "2025-12-31"]],
        "yearly_holidays": ["01-01", "12-25"],
        "floating_holidays": ["last mon of may", "4th thu of nov"],
        "partial_closures": [{ "date": "2025-06-02", "from": "10:00", "until": "11:30" }, { "date": "2025-12-24", "from": "13:00" }],
        "overrides": { "2025-12-28": [["09:00", "13:00"]] },
        "horizon": ["2020-01-01", "2030-01-01"]
    });
    let calendar = from_json(full.clone()).unwrap();
    assert_eq!(serde_json::to_value(&calendar).unwrap(), full);
    let again: BusinessCalendar = serde_json::from_value(serde_json::to_value(&calendar).unwrap()).unwrap();
    assert_eq!(again, calendar);
    // The override opens Sunday 2025-12-28, an exception to the closed range.
    assert!(
        calendar
            .is_working_day(NaiveDate::from_ymd_opt(2025, 12, 28).unwrap())
            .unwrap()
    );
    assert!(
        !calendar
            .is_working_day(NaiveDate::from_ymd_opt(2025, 12, 29).unwrap())
            .unwrap()
    );
    // 2025-12-24 is a Wednesday (00:00-24:00) closed from 13:00: 13 hours.
    let day = calendar
        .working_day_close(NaiveDate::from_ymd_opt(2025, 12, 24).unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(day, instant("2025-12-24T12:00:00Z"));
}

#[test]
fn invalid_input_names_the_field_and_the_value() {
    let base = || json!({ "time_zone": "Europe/Paris", "weekly": { "mon": [["09:00", "17:00"]] }, "holidays": [] });
    let cases = [
        (
            json!({ "time_zone": "Europe/Pariss" }),
            "unknown time zone `Europe/Pariss`",
        ),
        (
            json!({ "weekly": { "mon": [["09:00", "25:00"]] } }),
            "invalid clock time `25:00` in `weekly.mon[0]`: expected `HH:MM` or `HH:MM:SS` from `00:00` to `24:00`",
        ),
        (json!({ "weekly": { "mnd": [] } }), "unknown field `mnd`"),
        (
            json!({ "weekly": { "tue": [["09:00", "12:00"], ["11:00", "17:00"]] } }),
            "overlapping windows in `weekly.tue`: `09:00-12:00` and `11:00-17:00`",
        ),
        (
            json!({ "holidays": ["2025-02-30"] }),
            "invalid date `2025-02-30` in `holidays[0]`: expected `YYYY-MM-DD`",
        ),
        (
            json!({ "yearly_holidays": ["12/25"] }),
            "invalid date `12/25` in `yearly_holidays[0]`: expected `MM-DD`",
        ),
        (
            json!({ "floating_holidays": ["fourth thursday of november"] }),
            "invalid floating date `fourth thursday of november` in `floating_holidays[0]`",
        ),
        (
            json!({ "closed_ranges": [["2025-12-31", "2025-12-27"]] }),
            "invalid range `2025-12-31..2025-12-27` in `closed_ranges[0]`: the last date is before the first",
        ),
        (
            json!({ "partial_closures": [{ "date": "2025-12-24", "from": "13:00", "until": "12:00" }] }),
            "invalid range `13:00-12:00` in `partial_closures[0]`: the closure must end after it starts",
        ),
        (
            json!({ "holidays": ["2025-12-28"], "overrides": { "2025-12-28": [["09:00", "13:00"]] } }),
            "conflicting rules for `2025-12-28`: the date is both a holiday and has override hours",
        ),
        (
            json!({ "weekly": { "mon": [] } }),
            "calendar has no open time between `1970-01-01` and `2100-01-01`",
        ),
        (
            json!({ "horizon": ["2030-01-01", "2020-01-01"] }),
            "invalid horizon `2030-01-01..2020-01-01`: the horizon must end after it starts",
        ),
        (json!({ "holiday": ["2025-12-25"] }), "unknown field `holiday`"),
    ];
    for (patch, expected) in cases {
        let mut value = base();
        for (key, v) in patch.as_object().unwrap() {
            value[key] = v.clone();
        }
        let err = from_json(value).expect_err(expected);
        assert!(err.contains(expected), "expected `{expected}`, got `{err}`");
    }
}

#[test]
fn the_builder_reports_the_same_errors() {
    let err = time_zone("Europe/Pariss").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownTimeZone);
    assert_eq!(err.input(), Some("Europe/Pariss"));
    assert!(err.is_config());
    let err = BusinessCalendar::builder(chrono_tz::UTC)
        .window(Weekday::Mon, "09:00-17:00".parse::<Window>().unwrap())
        .window(Weekday::Mon, "16:00-18:00".parse::<Window>().unwrap())
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::OverlappingWindows);
    assert_eq!(err.field(), Some("weekly.mon"));
    // Value types validate themselves.
    assert!(ClockTime::hm(24, 30).is_err());
    assert!(YearlyDate::new(2, 30).is_err());
    assert!(YearlyDate::new(2, 29).is_ok());
    assert!("6th mon of may".parse::<FloatingDate>().is_err());
    let day = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    assert!(PartialClosure::between(day, ClockTime::hm(13, 0).unwrap(), ClockTime::hm(13, 0).unwrap()).is_err());
}

#[test]
fn value_types_use_the_same_string_forms() {
    let window: Window = serde_json::from_value(json!(["22:00", "06:00"])).unwrap();
    assert!(window.is_overnight());
    assert_eq!(serde_json::to_value(window).unwrap(), json!(["22:00", "06:00"]));
    let floating: FloatingDate = serde_json::from_value(json!("4th thu of nov")).unwrap();
    assert_eq!(floating.in_year(2025), NaiveDate::from_ymd_opt(2025, 11, 27));
    assert!(serde_json::from_value::<ClockTime>(json!("9am")).is_err());
}

//! Runs every calendar scenario file in `testdata/calendar/`. The file format
//! is documented in the crate docs ("Scenario files"); each file names its
//! source.

use std::path::Path;

use chrono::NaiveDate;
use serde_json::Value;
use servicelevel::BusinessCalendar;
use servicelevel::calendar::{Convention, Disambiguation, Landing};

use crate::support::{duration, instant, show};

fn text<'a>(check: &'a Value, key: &str) -> &'a str {
    check[key]
        .as_str()
        .unwrap_or_else(|| panic!("check lacks `{key}`: {check}"))
}

fn date(check: &Value, key: &str) -> NaiveDate {
    text(check, key).parse().expect("YYYY-MM-DD")
}

/// Runs one check and returns what the calendar answered, as the string the
/// file's `expect` is compared with.
fn answer(calendar: &BusinessCalendar, check: &Value) -> String {
    let show_result = |r: servicelevel::Result<chrono::DateTime<chrono::Utc>>| match r {
        Ok(at) => show(at),
        Err(e) => format!("error: {e}"),
    };
    match text(check, "op") {
        "business_time" => {
            let got = calendar.business_time(instant(text(check, "from")), instant(text(check, "to")));
            assert_eq!(got, duration(text(check, "expect")), "{check}");
            text(check, "expect").to_string()
        }
        "wall_time" => {
            let got = instant(text(check, "to")) - instant(text(check, "from"));
            assert_eq!(got, duration(text(check, "expect")), "{check}");
            text(check, "expect").to_string()
        }
        "add_business_time" => {
            let convention = match check["convention"].as_str() {
                None | Some("earliest_instant") => Convention::EarliestInstant,
                Some("next_opening") => Convention::NextOpening,
                Some(other) => panic!("unknown convention `{other}`"),
            };
            let from = instant(text(check, "from"));
            let amount = duration(text(check, "amount"));
            let due = calendar.add_business_time_with(from, amount, convention);
            if let Ok(at) = due {
                // Whatever the convention, the budget is used up exactly.
                assert_eq!(calendar.business_time(from, at), amount, "{check}");
            }
            show_result(due)
        }
        "is_open" => calendar.is_open(instant(text(check, "at"))).to_string(),
        "next_open" => show_result(calendar.next_open(instant(text(check, "at")))),
        "next_close" => show_result(calendar.next_close(instant(text(check, "at")))),
        "is_working_day" => calendar
            .is_working_day(date(check, "date"))
            .expect("inside horizon")
            .to_string(),
        "working_day_close" => match calendar.working_day_close(date(check, "date")).expect("inside horizon") {
            Some(at) => show(at),
            None => "none".into(),
        },
        "working_days_between" => calendar
            .working_days_between(date(check, "from"), date(check, "to"))
            .expect("inside horizon")
            .to_string(),
        "add_working_days" => {
            let landing = match text(check, "landing") {
                "same_clock_time" => Landing::SameClockTime(Disambiguation::Compatible),
                "end_of_working_day" => Landing::EndOfWorkingDay,
                other => panic!("unknown landing `{other}`"),
            };
            let days: i64 = text(check, "days").parse().expect("integer");
            show_result(calendar.add_working_days(instant(text(check, "from")), days, landing))
        }
        other => panic!("unknown op `{other}`"),
    }
}

#[test]
fn calendar_scenario_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/calendar");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("testdata/calendar")
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 10, "scenario files missing");
    let mut checked = 0;
    for path in files {
        let scenario: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert!(
            scenario["source"].as_str().is_some_and(|s| !s.is_empty()),
            "{path:?} names no source"
        );
        let calendar: BusinessCalendar =
            serde_json::from_value(scenario["calendar"].clone()).unwrap_or_else(|e| panic!("{path:?}: calendar: {e}"));
        for check in scenario["checks"].as_array().expect("checks") {
            assert_eq!(answer(&calendar, check), text(check, "expect"), "{path:?}: {check}");
            checked += 1;
        }
    }
    assert!(checked >= 38, "only {checked} checks ran");
}

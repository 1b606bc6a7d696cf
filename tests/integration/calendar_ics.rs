//! Calendars from iCalendar feeds (feature `ics`): the shipped feed
//! `testdata/ics/nrw_2024_2026.ics` (North Rhine-Westphalia's public holidays
//! 2024-2026, the dates of `testdata/calendar/germany_easter_holidays.json`,
//! plus a desk's own closures) gives the same calendar as the same rules
//! written by hand, and bad feeds are typed errors that name the line.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use proptest::prelude::*;
use servicelevel::calendar::{CalendarBuilder, DateRange, MONDAY_TO_FRIDAY, PartialClosure, RecurringRule};
use servicelevel::{BusinessCalendar, ErrorKind};

use crate::support::config;

const FEED: &str = include_str!("../../testdata/ics/nrw_2024_2026.ics");

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn office() -> CalendarBuilder {
    BusinessCalendar::builder(chrono_tz::Europe::Berlin)
        .weekdays(&MONDAY_TO_FRIDAY, "08:00-17:00".parse().unwrap())
        .horizon(date("2024-01-01"), date("2027-01-01"))
}

fn from_feed() -> BusinessCalendar {
    office().ics(FEED).unwrap().build().unwrap()
}

fn by_hand() -> BusinessCalendar {
    let mut b = office();
    for day in ["01-01", "05-01", "10-03", "11-01", "12-25", "12-26"] {
        b = b.yearly_holiday(day.parse().unwrap());
    }
    for rule in ["easter-2", "easter+1", "easter+39", "easter+50", "easter+60"] {
        b = b.recurring(RecurringRule::closed(rule.parse().unwrap()));
    }
    b.holiday(date("2024-12-31"))
        .holiday(date("2026-12-31"))
        .closed_range(DateRange::new(date("2025-07-28"), date("2025-08-01")).unwrap())
        .partial_closure(
            PartialClosure::between(date("2025-12-19"), "13:00".parse().unwrap(), "17:00".parse().unwrap()).unwrap(),
        )
        .build()
        .unwrap()
}

#[test]
fn the_feed_closes_the_published_days() {
    let calendar = from_feed();
    for closed in [
        "2024-03-29",
        "2025-06-19",
        "2026-05-25",
        "2025-10-03",
        "2026-12-25",
        "2026-12-26",
        "2025-07-30",
        "2026-12-31",
    ] {
        assert!(!calendar.is_working_day(date(closed)).unwrap(), "{closed}");
    }
    // EXDATE keeps 2025-12-31 open; the party closes the afternoon only.
    assert!(calendar.is_working_day(date("2025-12-31")).unwrap());
    let party_day = calendar.business_time(
        "2025-12-19T00:00:00Z".parse().unwrap(),
        "2025-12-20T00:00:00Z".parse().unwrap(),
    );
    assert_eq!(party_day, TimeDelta::hours(5));
}

#[test]
fn the_feed_and_the_hand_written_rules_agree_on_every_date() {
    let (feed, hand) = (from_feed(), by_hand());
    let mut day = date("2024-01-01");
    while day < date("2027-01-01") {
        assert_eq!(
            feed.is_working_day(day).unwrap(),
            hand.is_working_day(day).unwrap(),
            "{day}"
        );
        day = day.succ_opt().unwrap();
    }
}

fn instant_in_horizon() -> impl Strategy<Value = DateTime<Utc>> {
    let start = date("2024-01-01").and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
    let end = date("2027-01-01").and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
    (start..end).prop_map(|t| DateTime::from_timestamp(t, 0).unwrap())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_feed_and_the_hand_written_rules_give_the_same_business_time(a in instant_in_horizon(), b in instant_in_horizon()) {
        use std::sync::OnceLock;
        static CALENDARS: OnceLock<(BusinessCalendar, BusinessCalendar)> = OnceLock::new();
        let (feed, hand) = CALENDARS.get_or_init(|| (from_feed(), by_hand()));
        prop_assert_eq!(feed.business_time(a, b), hand.business_time(a, b));
    }
}

fn feed_error(events: &str) -> servicelevel::Error {
    let text = format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n");
    office().ics(&text).unwrap_err()
}

#[test]
fn an_unsupported_frequency_names_its_line() {
    let err =
        feed_error("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250106\r\nRRULE:FREQ=MONTHLY;BYDAY=1MO\r\nEND:VEVENT\r\n");
    assert_eq!(err.kind(), ErrorKind::InvalidIcs);
    assert!(err.is_config());
    assert_eq!(
        err.to_string(),
        "invalid iCalendar feed at line 5 (`RRULE:FREQ=MONTHLY;BYDAY=1MO`): `FREQ=MONTHLY` is not supported: holiday feeds recur yearly (`FREQ=YEARLY`)"
    );
}

#[test]
fn unsupported_properties_and_components_are_errors_not_skips() {
    let err = feed_error("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250106\r\nRDATE;VALUE=DATE:20250107\r\nEND:VEVENT\r\n");
    assert!(
        err.to_string().starts_with(
            "invalid iCalendar feed at line 5 (`RDATE;VALUE=DATE:20250107`): the `RDATE` property is not supported"
        ),
        "{err}"
    );
    let err = feed_error("BEGIN:VTODO\r\nSUMMARY:file the report\r\nEND:VTODO\r\n");
    assert_eq!(
        err.to_string(),
        "invalid iCalendar feed at line 3 (`BEGIN:VTODO`): `VTODO` components are not supported: a calendar feed closes time with `VEVENT`s"
    );
}

#[test]
fn malformed_feeds_name_the_line() {
    let err = office()
        .ics("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nthis is not a content line\r\nEND:VCALENDAR\r\n")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid iCalendar feed at line 3 (`this is not a content line`): not an iCalendar content line (`NAME;PARAM=VALUE:VALUE`) inside `BEGIN`/`END`"
    );
    let err = feed_error("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:2025-01-06\r\nEND:VEVENT\r\n");
    assert_eq!(
        err.to_string(),
        "invalid iCalendar feed at line 4 (`DTSTART;VALUE=DATE:2025-01-06`): `2025-01-06` is not a date `YYYYMMDD`"
    );
    let err = feed_error(
        "BEGIN:VEVENT\r\nDTSTART;TZID=Mars/Olympus:20250106T090000\r\nDTEND;TZID=Mars/Olympus:20250106T100000\r\nEND:VEVENT\r\n",
    );
    assert!(
        err.to_string()
            .contains("`TZID=Mars/Olympus` is not an IANA time zone name"),
        "{err}"
    );
    let err = feed_error("BEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20250106\r\nDTEND;VALUE=DATE:20250106\r\nEND:VEVENT\r\n");
    assert!(
        err.to_string()
            .ends_with("line 5 (`DTEND;VALUE=DATE:20250106`): the event must end after it starts"),
        "{err}"
    );
    let err = feed_error("BEGIN:VEVENT\r\nSUMMARY:no start\r\nEND:VEVENT\r\n");
    assert!(err.to_string().ends_with("the event has no `DTSTART`"), "{err}");
}

#[test]
fn a_folded_line_is_counted_where_it_starts() {
    let err = feed_error(
        "BEGIN:VEVENT\r\nSUMMARY:a summary long enough\r\n  to be folded\r\nDTSTART;VALUE=DATE:20250106\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\n",
    );
    assert!(
        err.to_string()
            .starts_with("invalid iCalendar feed at line 7 (`RRULE:FREQ=WEEKLY`)"),
        "{err}"
    );
}

#[test]
fn a_calendar_with_a_feed_round_trips_through_serde() {
    let calendar = from_feed();
    let json = serde_json::to_string(&calendar).unwrap();
    let back: BusinessCalendar = serde_json::from_str(&json).unwrap();
    assert_eq!(back, calendar);
    let a = "2025-12-19T00:00:00Z".parse().unwrap();
    let b = "2025-12-24T00:00:00Z".parse().unwrap();
    assert_eq!(back.business_time(a, b), calendar.business_time(a, b));
}

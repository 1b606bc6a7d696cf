//! The column kernels (`business_time_column`, `add_business_time_column`)
//! agree row for row with the scalar queries, in every unit, on sorted
//! columns (read with a cursor) and unsorted ones (a lookup per value), on
//! the random calendars of `calendar_props`.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use proptest::prelude::*;
use servicelevel::calendar::{Convention, EVERY_DAY, EpochUnit, Window};
use servicelevel::{BusinessCalendar, ErrorKind};

use crate::calendar_props::oracle;
use crate::support::config;

const UNITS: [EpochUnit; 4] = [
    EpochUnit::Second,
    EpochUnit::Millisecond,
    EpochUnit::Microsecond,
    EpochUnit::Nanosecond,
];

fn per(unit: EpochUnit) -> i64 {
    unit.ticks_per_second()
}

/// The instant `ticks` of `unit` after the epoch; the representable
/// extremes for counts chrono cannot hold (both lie outside any horizon,
/// where only the edge counts).
fn instant(unit: EpochUnit, ticks: i64) -> DateTime<Utc> {
    let (secs, rest) = (ticks.div_euclid(per(unit)), ticks.rem_euclid(per(unit)));
    let nanos = u32::try_from(rest * (1_000_000_000 / per(unit))).unwrap();
    DateTime::from_timestamp(secs, nanos).unwrap_or(if secs < 0 {
        DateTime::<Utc>::MIN_UTC
    } else {
        DateTime::<Utc>::MAX_UTC
    })
}

fn ticks_of(unit: EpochUnit, d: TimeDelta) -> i64 {
    let nanos = i128::from(d.num_seconds()) * 1_000_000_000 + i128::from(d.subsec_nanos());
    i64::try_from(nanos / i128::from(1_000_000_000 / per(unit))).unwrap()
}

fn seconds(y: i32, m: u32, d: u32) -> i64 {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp()
}

/// Seconds in 2005-2035 (the random calendars' horizon is 2010-2031), with
/// a tenth of the values at the `i64` extremes and a tenth on the edges of
/// whole minutes; `cluster` packs them into a few hours so that sorted
/// columns keep their cursor for many rows.
fn instants(unit: EpochUnit) -> impl Strategy<Value = Vec<i64>> {
    let (start, end) = (seconds(2005, 1, 1), seconds(2035, 1, 1));
    let p = per(unit);
    let value = prop_oneof![
        8 => start * p..end * p,
        1 => prop_oneof![Just(i64::MIN), Just(i64::MAX), Just(i64::MIN + 1), Just(i64::MAX - 1)],
        1 => (start / 60..end / 60).prop_map(move |m| m * 60 * p),
    ];
    let cluster = (start * p..end * p, prop::collection::vec(0..4 * 3_600 * p, 1..200))
        .prop_map(|(base, offsets)| offsets.into_iter().map(|o| base + o).collect::<Vec<_>>());
    prop_oneof![prop::collection::vec(value, 0..200), cluster]
}

fn calendar_and_unit() -> impl Strategy<Value = (BusinessCalendar, EpochUnit)> {
    (
        oracle().prop_filter_map("calendar without open time", |o| o.build().ok()),
        prop::sample::select(UNITS.to_vec()),
    )
}

fn columns() -> impl Strategy<Value = (BusinessCalendar, EpochUnit, Vec<i64>, Vec<i64>)> {
    calendar_and_unit().prop_flat_map(|(calendar, unit)| {
        let sorted = any::<(bool, bool)>();
        (Just(calendar), Just(unit), instants(unit), instants(unit), sorted).prop_map(
            |(calendar, unit, mut starts, mut ends, (sort_starts, sort_ends))| {
                let rows = starts.len().min(ends.len());
                starts.truncate(rows);
                ends.truncate(rows);
                if sort_starts {
                    starts.sort_unstable();
                }
                if sort_ends {
                    ends.sort_unstable();
                }
                (calendar, unit, starts, ends)
            },
        )
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn business_time_column_equals_the_scalar_rows((calendar, unit, starts, ends) in columns()) {
        let column = calendar.business_time_column(unit, &starts, &ends).unwrap();
        prop_assert_eq!(column.len(), starts.len());
        for (row, (&a, &b)) in starts.iter().zip(&ends).enumerate() {
            let expected = ticks_of(unit, calendar.business_time(instant(unit, a), instant(unit, b)));
            prop_assert_eq!(column[row], expected, "row {} of {} ({}): {}..{}", row, starts.len(), unit, a, b);
        }
    }

    #[test]
    fn add_business_time_column_equals_the_scalar_rows(
        (calendar, unit) in calendar_and_unit(),
        seed in prop::collection::vec((seconds(2009, 6, 1)..seconds(2032, 6, 1), -60 * 86_400i64..60 * 86_400, 0i64..1_000), 0..100),
        sorted in any::<bool>(),
        next_opening in any::<bool>(),
    ) {
        let p = per(unit);
        let convention = if next_opening { Convention::NextOpening } else { Convention::EarliestInstant };
        let mut starts: Vec<i64> = seed.iter().map(|&(s, _, f)| s * p + f * p / 1_000).collect();
        if sorted {
            starts.sort_unstable();
        }
        let amounts: Vec<i64> = seed.iter().map(|&(_, a, f)| a * p + f * p / 1_000).collect();
        let expected: Vec<_> = starts
            .iter()
            .zip(&amounts)
            .map(|(&s, &a)| {
                let amount = TimeDelta::nanoseconds(a * (1_000_000_000 / p));
                calendar.add_business_time_with(instant(unit, s), amount, convention)
            })
            .collect();
        let column = calendar.add_business_time_column(unit, &starts, &amounts, convention);
        match expected.iter().position(Result::is_err) {
            None => {
                let due: Vec<i64> = expected.iter().map(|d| ticks_of(unit, *d.as_ref().unwrap() - DateTime::UNIX_EPOCH)).collect();
                prop_assert_eq!(column.unwrap(), due);
            }
            Some(row) => {
                let error = column.unwrap_err();
                prop_assert_eq!(error.kind(), ErrorKind::Column);
                prop_assert_eq!(error.position(), Some(row));
                let scalar = expected[row].as_ref().unwrap_err();
                prop_assert_eq!(error.root_cause().kind(), scalar.kind());
                prop_assert!(error.is_horizon());
            }
        }
    }
}

fn office() -> BusinessCalendar {
    BusinessCalendar::builder(chrono_tz::America::New_York)
        .weekdays(
            &servicelevel::calendar::MONDAY_TO_FRIDAY,
            "09:00-17:00".parse::<Window>().unwrap(),
        )
        .build()
        .unwrap()
}

#[test]
fn columns_of_different_lengths_are_a_typed_error() {
    let error = office()
        .business_time_column(EpochUnit::Second, &[1, 2], &[3])
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidValue);
    assert_eq!(error.field(), Some("ends"));
    assert_eq!(
        error.to_string(),
        "invalid value `1 rows` in `ends`: expected as many rows as the first column (2)"
    );
    let error = office()
        .add_business_time_column(EpochUnit::Second, &[1], &[], Convention::default())
        .unwrap_err();
    assert_eq!(error.field(), Some("amounts"));
}

#[test]
fn a_start_outside_the_horizon_names_its_row() {
    // 2200-01-01 is past the default horizon (1970-2099).
    let starts = [seconds(2024, 3, 1), seconds(2200, 1, 1)];
    let error = office()
        .add_business_time_column(EpochUnit::Second, &starts, &[3_600, 3_600], Convention::default())
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Column);
    assert_eq!(error.position(), Some(1));
    assert_eq!(error.root_cause().kind(), ErrorKind::OutsideHorizon);
    assert!(
        error
            .to_string()
            .starts_with("row 1 of column `starts`: instant `2200-01-01 00:00:00 UTC` is outside")
    );
}

#[test]
fn an_amount_past_the_whole_horizon_is_a_horizon_error_not_an_overflow() {
    let error = office()
        .add_business_time_column(
            EpochUnit::Second,
            &[seconds(2024, 3, 1)],
            &[i64::MAX],
            Convention::default(),
        )
        .unwrap_err();
    assert_eq!(error.position(), Some(0));
    assert_eq!(error.root_cause().kind(), ErrorKind::HorizonExceeded);
    assert!(
        error
            .to_string()
            .starts_with("row 0 of column `amounts`: calendar cannot supply business time `9223372036854775807 seconds` from `2024-03-01 00:00:00 UTC`"),
        "{error}"
    );
}

#[test]
fn business_time_beyond_a_64_bit_count_of_nanoseconds_is_a_typed_error() {
    // Open around the clock for 400 years: the business time between the
    // first and last instants of an i64 of nanoseconds (1677-2262) is
    // about 584 years less the part before 1900, more than 2^63 ns.
    let calendar = BusinessCalendar::builder(chrono_tz::UTC)
        .weekdays(&EVERY_DAY, "00:00-24:00".parse::<Window>().unwrap())
        .horizon(
            NaiveDate::from_ymd_opt(1900, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2299, 12, 1).unwrap(),
        )
        .build()
        .unwrap();
    let error = calendar
        .business_time_column(EpochUnit::Nanosecond, &[0, i64::MIN], &[1_000, i64::MAX])
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Column);
    assert_eq!(error.position(), Some(1));
    // In seconds the same span fits.
    let seconds = calendar
        .business_time_column(EpochUnit::Second, &[i64::MIN], &[i64::MAX])
        .unwrap();
    assert_eq!(seconds, [calendar.total_business_time().num_seconds()]);
}

#[test]
fn an_unknown_unit_is_a_typed_error_quoting_it() {
    let error = "minutes".parse::<EpochUnit>().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidValue);
    assert_eq!(error.input(), Some("minutes"));
    assert_eq!(
        error.to_string(),
        "invalid value `minutes`: expected a time unit: `s`, `ms`, `us` or `ns`"
    );
}

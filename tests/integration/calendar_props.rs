//! The laws documented under "Properties" on `BusinessCalendar`, as property
//! tests over random calendars (several windows, night shifts, closures and
//! overrides) in zones chosen for their awkward clock changes.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc, Weekday};
use chrono_tz::Tz;
use proptest::prelude::*;
use servicelevel::BusinessCalendar;
use servicelevel::calendar::Convention;

use crate::calendar_oracle::{Minutes, Oracle, OracleRules};
use crate::support::config;

/// Zones with DST gaps and folds, half-hour and 45-minute offsets, a 30-minute
/// DST shift (Lord Howe), a 2-hour one (Troll), and a skipped date (Apia).
pub(crate) const ZONES: [Tz; 10] = [
    chrono_tz::America::New_York,
    chrono_tz::Europe::London,
    chrono_tz::Europe::Dublin,
    chrono_tz::Australia::Lord_Howe,
    chrono_tz::Pacific::Chatham,
    chrono_tz::Asia::Kolkata,
    chrono_tz::America::St_Johns,
    chrono_tz::Antarctica::Troll,
    chrono_tz::Pacific::Apia,
    chrono_tz::America::Sao_Paulo,
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const HORIZON: (i32, i32) = (2010, 2031);

/// The instants in 2011-2030 at which each zone's offset changes, found by
/// sampling every hour (all of these zones change on the hour or half hour).
fn transitions(tz: Tz) -> &'static [i64] {
    static CACHE: OnceLock<Vec<Vec<i64>>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        ZONES
            .iter()
            .map(|&tz| {
                use chrono::{Offset, TimeZone};
                let offset = |t: i64| {
                    tz.offset_from_utc_datetime(&DateTime::from_timestamp(t, 0).unwrap().naive_utc())
                        .fix()
                };
                let start = date(2011, 1, 1).and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
                let end = date(2030, 12, 1).and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
                let mut found = Vec::new();
                let mut t = start;
                while t < end {
                    if offset(t) != offset(t + 1800) {
                        found.push(t + 1800);
                    }
                    t += 1800;
                }
                found
            })
            .collect()
    });
    &all[ZONES.iter().position(|z| *z == tz).unwrap()]
}

/// Sorted disjoint windows for one day; the last may run past midnight.
pub(crate) fn day_windows() -> impl Strategy<Value = Vec<Minutes>> {
    (
        0usize..=3,
        prop::collection::btree_set(0u32..1440, 6),
        any::<bool>(),
        1u32..1440,
    )
        .prop_map(|(count, cuts, overnight, overnight_end)| {
            let cuts: Vec<u32> = cuts.into_iter().collect();
            let mut windows: Vec<Minutes> = (0..count.min(cuts.len() / 2))
                .map(|i| (cuts[2 * i], cuts[2 * i + 1]))
                .collect();
            if overnight && let Some(last) = windows.last_mut() {
                // Runs to overnight_end on the next day (at most 24 hours long).
                last.1 = 1440 + overnight_end.min(last.0);
            }
            windows
        })
}

fn some_date() -> impl Strategy<Value = NaiveDate> {
    (2012i32..2030, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| date(y, m, d))
}

prop_compose! {
    pub(crate) fn oracle()(
        zone in 0usize..ZONES.len(),
        weekly in prop::array::uniform7(day_windows()),
        holidays in prop::collection::btree_set(some_date(), 0..4),
        range in prop::option::of((some_date(), 0i64..10)),
        yearly in prop::collection::vec((1u32..=12, 1u32..=28), 0..2),
        floating in prop::collection::vec((0u8..=5, 0u8..7, 1u32..=12), 0..2),
        partial in prop::option::of((some_date(), 0u32..1440, 1u32..720, any::<bool>())),
        override_day in prop::option::of((some_date(), day_windows())),
    ) -> Oracle {
        let partial: BTreeMap<NaiveDate, Minutes> = partial
            .into_iter()
            .filter(|(d, _, _, _)| !holidays.contains(d))
            // Open-ended closures run to the end of the date's windows (2880 minutes covers them).
            .map(|(d, from, len, open_ended)| (d, (from, if open_ended { 2880 } else { (from + len).min(1440) })))
            .collect();
        let overrides: BTreeMap<NaiveDate, Vec<Minutes>> = override_day
            .into_iter()
            .filter(|(d, _)| !holidays.contains(d) && !partial.contains_key(d))
            .collect();
        Oracle {
            tz: ZONES[zone],
            weekly,
            holidays: holidays.into_iter().collect::<BTreeSet<_>>(),
            ranges: range.into_iter().map(|(d, len)| (d, d + TimeDelta::days(len))).collect(),
            yearly,
            floating: floating.into_iter().map(|(n, w, m)| (n, Weekday::try_from(w).unwrap(), m)).collect(),
            partial,
            overrides,
            horizon: (date(HORIZON.0, 1, 1), date(HORIZON.1, 1, 1)),
            recurring: OracleRules::default(),
        }
    }
}

/// A whole-minute instant in 2011-2030; half the time within two days of one
/// of the zone's clock changes (or of Apia's skipped day).
fn instant_near_changes(tz: Tz) -> impl Strategy<Value = DateTime<Utc>> {
    let start = date(2011, 1, 1).and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp() / 60;
    let end = date(2030, 12, 1).and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp() / 60;
    let changes = transitions(tz);
    let anywhere = (start..end).prop_map(|m| m * 60);
    let strategy = if changes.is_empty() {
        anywhere.boxed()
    } else {
        let near = (0..changes.len(), -2880i64..2880).prop_map(move |(i, offset)| changes[i] / 60 * 60 + offset * 60);
        prop_oneof![anywhere, near].boxed()
    };
    strategy.prop_map(|t| DateTime::from_timestamp(t, 0).unwrap())
}

/// Any instant chrono can represent in 2005-2035 (seconds and nanoseconds).
fn any_instant() -> impl Strategy<Value = DateTime<Utc>> {
    let start = date(2005, 1, 1).and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
    let end = date(2035, 1, 1).and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
    (start..end, 0u32..1_000_000_000).prop_map(|(s, n)| DateTime::from_timestamp(s, n).unwrap())
}

fn amount() -> impl Strategy<Value = TimeDelta> {
    prop_oneof![
        (-40 * 86_400i64..40 * 86_400).prop_map(TimeDelta::seconds),
        (-3_600_000_000_000i64..3_600_000_000_000).prop_map(TimeDelta::nanoseconds),
        (-200i64..200).prop_map(TimeDelta::hours),
    ]
}

/// A calendar, its oracle, and instants near its zone's clock changes.
fn calendar_with_instants() -> impl Strategy<Value = (Oracle, BusinessCalendar, DateTime<Utc>, i64)> {
    oracle()
        .prop_filter_map("calendar without open time", |o| o.build().ok().map(|c| (o, c)))
        .prop_flat_map(|(o, c)| {
            let tz = o.tz;
            (Just(o), Just(c), instant_near_changes(tz), 0i64..4 * 1440)
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn business_time_equals_the_brute_force_oracle((oracle, calendar, from, minutes) in calendar_with_instants()) {
        let to = from + TimeDelta::minutes(minutes);
        prop_assert_eq!(calendar.business_time(from, to), oracle.business_time(from, to));
        prop_assert_eq!(calendar.is_open(from), oracle.is_open(from));
    }

    #[test]
    fn additivity_and_antisymmetry((_, calendar, _, _) in calendar_with_instants(), a in any_instant(), b in any_instant(), c in any_instant()) {
        let bt = |x, y| calendar.business_time(x, y);
        prop_assert_eq!(bt(a, b) + bt(b, c), bt(a, c));
        prop_assert_eq!(bt(a, b), -bt(b, a));
    }

    #[test]
    fn business_time_is_within_wall_clock_time((_, calendar, _, _) in calendar_with_instants(), a in any_instant(), b in any_instant()) {
        let (a, b) = (a.min(b), a.max(b));
        let business = calendar.business_time(a, b);
        prop_assert!(TimeDelta::zero() <= business && business <= b - a);
    }

    #[test]
    fn always_open_gives_wall_clock_time(zone in 0usize..ZONES.len(), a in any_instant(), b in any_instant()) {
        let calendar = always_open(ZONES[zone]);
        let inside = calendar.horizon_interval();
        prop_assume!(inside.contains(a) && inside.contains(b));
        prop_assert_eq!(calendar.business_time(a, b), b - a);
    }

    #[test]
    fn adding_then_measuring_gives_the_amount_back((_, calendar, from, _) in calendar_with_instants(), d in amount()) {
        for convention in [Convention::EarliestInstant, Convention::NextOpening] {
            match calendar.add_business_time_with(from, d, convention) {
                Ok(due) => {
                    prop_assert_eq!(calendar.business_time(from, due), d);
                    let moved_the_right_way = if d >= TimeDelta::zero() { due >= from } else { due <= from };
                    prop_assert!(moved_the_right_way);
                }
                Err(e) => prop_assert!(e.is_horizon(), "unexpected error {}", e),
            }
        }
    }

    #[test]
    fn the_earliest_instant_is_the_earliest((_, calendar, from, _) in calendar_with_instants(), d in amount()) {
        let d = d.abs();
        prop_assume!(d > TimeDelta::zero());
        if let Ok(due) = calendar.add_business_time(from, d) {
            let just_before = due - TimeDelta::nanoseconds(1);
            prop_assert!(calendar.business_time(from, just_before) < d);
            let next_opening = calendar.add_business_time_with(from, d, Convention::NextOpening).unwrap();
            prop_assert!(next_opening >= due);
            prop_assert!(calendar.is_open(next_opening) || !calendar.horizon_interval().contains(next_opening) || next_opening == due);
        }
    }

    #[test]
    fn adding_is_monotonic((_, calendar, from, _) in calendar_with_instants(), step in 0i64..86_400 * 3, d1 in amount(), d2 in amount()) {
        let later = from + TimeDelta::seconds(step);
        let (small, large) = (d1.min(d2), d1.max(d2));
        if let (Ok(x), Ok(y)) = (calendar.add_business_time(from, small), calendar.add_business_time(from, large)) {
            prop_assert!(x <= y, "not monotonic in the amount");
        }
        if let (Ok(x), Ok(y)) = (calendar.add_business_time(from, d1), calendar.add_business_time(later, d1)) {
            prop_assert!(x <= y, "not monotonic in the start");
        }
    }

    #[test]
    fn open_intervals_measure_business_time((_, calendar, from, minutes) in calendar_with_instants()) {
        let to = from + TimeDelta::minutes(minutes);
        let total: TimeDelta = calendar.open_intervals(from, to).map(|i| i.duration()).sum();
        prop_assert_eq!(total, calendar.business_time(from, to));
        for interval in calendar.open_intervals(from, to) {
            prop_assert!(calendar.is_open(interval.start()));
            if interval.end() < to {
                // An interval clipped only by the range ends where the calendar closes.
                prop_assert_eq!(calendar.next_close(interval.start()).ok(), Some(interval.end()));
            }
        }
    }
}

fn always_open(tz: Tz) -> BusinessCalendar {
    static CACHE: OnceLock<Vec<BusinessCalendar>> = OnceLock::new();
    let all = CACHE.get_or_init(|| ZONES.iter().map(|&tz| BusinessCalendar::always_open(tz)).collect());
    all[ZONES.iter().position(|z| *z == tz).unwrap()].clone()
}

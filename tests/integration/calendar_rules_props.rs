//! The recurring rules (Easter dates, observed holidays, monthly closures,
//! the last working day's hours) against the brute-force oracle, on spans
//! of up to ten days anywhere in the year, so that the rules' dates are hit.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc, Weekday};
use proptest::prelude::*;

use crate::calendar_oracle::{Oracle, OracleRules};
use crate::calendar_props::{day_windows, oracle};
use crate::support::config;

prop_compose! {
    fn rules()(
        easter in prop::collection::vec((any::<bool>(), -50i64..62), 0..3),
        observed in prop::collection::vec((1u32..=12, 1u32..=28, 0u8..3), 0..4),
        monthly in prop::option::of((0u8..=4, 0u8..7, 0u32..1440, 1u32..600, any::<bool>())),
        last_working in prop::option::of(day_windows()),
    ) -> OracleRules {
        OracleRules {
            easter,
            observed,
            monthly_closure: monthly.map(|(nth, weekday, from, len, open_ended)| {
                (nth, Weekday::try_from(weekday).unwrap(), (from, if open_ended { 2880 } else { (from + len).min(1440) }))
            }),
            last_working_day_hours: last_working.filter(|w| !w.is_empty()),
        }
    }
}

fn with_rules() -> impl Strategy<Value = Oracle> {
    (oracle(), rules()).prop_map(|(mut o, r)| {
        o.recurring = r;
        o
    })
}

/// A whole-minute instant in 2012-2029, and a span of up to ten days.
fn span() -> impl Strategy<Value = (DateTime<Utc>, i64)> {
    (2012i32..2030, 1u32..=12, 1u32..=28, 0i64..1440, 0i64..10 * 1440).prop_map(|(y, m, d, minute, len)| {
        let day = NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc();
        (day + TimeDelta::minutes(minute), len)
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn recurring_rules_equal_the_brute_force_oracle(oracle in with_rules(), (from, minutes) in span()) {
        let calendar = match oracle.build() {
            Ok(calendar) => calendar,
            // Only a calendar without open time is refused here.
            Err(e) => {
                prop_assert_eq!(e.kind(), servicelevel::ErrorKind::EmptyCalendar);
                return Ok(());
            }
        };
        let to = from + TimeDelta::minutes(minutes);
        prop_assert_eq!(calendar.business_time(from, to), oracle.business_time(from, to));
        prop_assert_eq!(calendar.is_open(to), oracle.is_open(to));
    }
}

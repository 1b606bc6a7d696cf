//! What the benchmarks share: the seeded generator, the office calendar
//! and per-priority targets. Each bench uses part of it.
#![allow(dead_code)]

use chrono::{NaiveDate, TimeDelta};
use servicelevel::BusinessCalendar;
use servicelevel::calendar::{MONDAY_TO_FRIDAY, Window};
use servicelevel::policy::Target;

/// A xorshift generator, so the data is the same on every run and the
/// benches need no extra dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below
    }
}

/// Mon-Fri 09:00-17:00 America/New_York, 2020 to 2030.
pub fn new_york_office() -> BusinessCalendar {
    BusinessCalendar::builder(chrono_tz::America::New_York)
        .weekdays(&MONDAY_TO_FRIDAY, "09:00-17:00".parse::<Window>().unwrap())
        .horizon(
            NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
        )
        .build()
        .unwrap()
}

/// Business-time targets for priorities "1" to "4".
pub fn by_priority(hours: [i64; 4]) -> Target {
    let tiers = ["1", "2", "3", "4"].into_iter().zip(hours.map(TimeDelta::hours));
    Target::business_by("priority", tiers, None)
}

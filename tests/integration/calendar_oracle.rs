//! A brute-force business calendar, written from the definition and
//! nothing else: an instant is open when its local wall-clock time falls in a
//! window of its local date (or of the previous date, for a night shift),
//! that date is not closed, and no partial closure covers it. Business time
//! is counted minute by minute, which is exact when windows, closures and
//! the zone's offsets are whole minutes (true for every zone and calendar the
//! property tests generate).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use servicelevel::BusinessCalendar;
use servicelevel::calendar::{FloatingDate, PartialClosure, WeekOfMonth, Window, YearlyDate};

/// Windows as minutes from local midnight: `[start, end)`, `end` may pass
/// 1440 (night shift).
pub type Minutes = (u32, u32);

#[derive(Clone, Debug)]
pub struct Oracle {
    pub tz: Tz,
    pub weekly: [Vec<Minutes>; 7],
    pub holidays: BTreeSet<NaiveDate>,
    pub ranges: Vec<(NaiveDate, NaiveDate)>,
    pub yearly: Vec<(u32, u32)>,
    /// (nth occurrence 1..=5 or 0 for last, weekday, month)
    pub floating: Vec<(u8, Weekday, u32)>,
    pub partial: BTreeMap<NaiveDate, Minutes>,
    pub overrides: BTreeMap<NaiveDate, Vec<Minutes>>,
    pub horizon: (NaiveDate, NaiveDate),
}

fn clock(minutes: u32) -> servicelevel::calendar::ClockTime {
    servicelevel::calendar::ClockTime::hm(minutes / 60, minutes % 60).expect("valid clock time")
}

fn window((start, end): Minutes) -> Window {
    Window::new(clock(start), clock(if end > 1440 { end - 1440 } else { end })).expect("valid window")
}

impl Oracle {
    /// The same calendar, built by the crate.
    pub fn build(&self) -> servicelevel::Result<BusinessCalendar> {
        let mut b = BusinessCalendar::builder(self.tz).horizon(self.horizon.0, self.horizon.1);
        for (day, windows) in self.weekly.iter().enumerate() {
            for &w in windows {
                b = b.window(Weekday::try_from(day as u8).unwrap(), window(w));
            }
        }
        for &d in &self.holidays {
            b = b.holiday(d);
        }
        for &(first, last) in &self.ranges {
            b = b.closed_range(servicelevel::calendar::DateRange::new(first, last).unwrap());
        }
        for &(m, d) in &self.yearly {
            b = b.yearly_holiday(YearlyDate::new(m, d).unwrap());
        }
        for &(nth, weekday, month) in &self.floating {
            let week = [
                WeekOfMonth::Last,
                WeekOfMonth::First,
                WeekOfMonth::Second,
                WeekOfMonth::Third,
                WeekOfMonth::Fourth,
                WeekOfMonth::Fifth,
            ][nth as usize];
            b = b.floating_holiday(FloatingDate::new(week, weekday, month).unwrap());
        }
        for (&date, &(from, until)) in &self.partial {
            let closure = if until > 1440 {
                PartialClosure::from(date, clock(from))
            } else {
                PartialClosure::between(date, clock(from), clock(until)).unwrap()
            };
            b = b.partial_closure(closure);
        }
        for (&date, windows) in &self.overrides {
            b = b.override_hours(date, windows.iter().map(|&w| window(w)).collect());
        }
        b.build()
    }

    fn floating_matches(&self, date: NaiveDate) -> bool {
        self.floating.iter().any(|&(nth, weekday, month)| {
            if date.month() != month || date.weekday() != weekday {
                return false;
            }
            let occurrence = (date.day() - 1) / 7 + 1;
            let is_last = (date + TimeDelta::days(7)).month() != month;
            if nth == 0 {
                is_last
            } else {
                occurrence == u32::from(nth)
            }
        })
    }

    fn closed_all_day(&self, date: NaiveDate) -> bool {
        self.holidays.contains(&date)
            || self.ranges.iter().any(|&(a, b)| a <= date && date <= b)
            || self.yearly.iter().any(|&(m, d)| date.month() == m && date.day() == d)
            || self.floating_matches(date)
    }

    /// Is local minute `minute` (from the local midnight of `date`, up to
    /// 2880) inside an open window of `date`?
    fn date_open_at(&self, date: NaiveDate, minute: u32) -> bool {
        if date < self.horizon.0 - TimeDelta::days(1) || date >= self.horizon.1 {
            return false;
        }
        let windows = match self.overrides.get(&date) {
            Some(windows) => windows,
            None if self.closed_all_day(date) => return false,
            None => &self.weekly[date.weekday().num_days_from_monday() as usize],
        };
        let in_window = windows.iter().any(|&(s, e)| s <= minute && minute < e);
        let closed = self.partial.get(&date).is_some_and(|&(f, u)| f <= minute && minute < u);
        in_window && !closed
    }

    /// Is the UTC minute starting at `at` open?
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        let local = at.with_timezone(&self.tz).naive_local();
        let minute = local.hour() * 60 + local.minute();
        self.date_open_at(local.date(), minute) || self.date_open_at(local.date() - TimeDelta::days(1), minute + 1440)
    }

    /// Business time in `[from, to)`, both on whole minutes, `from <= to`.
    pub fn business_time(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeDelta {
        let mut open = 0;
        let mut at = from;
        while at < to {
            open += i64::from(self.is_open(at));
            at += TimeDelta::minutes(1);
        }
        TimeDelta::minutes(open)
    }
}

#[test]
fn oracle_agrees_with_the_servicenow_example() {
    // ServiceNow docs (elapsed time counting): 8-5 weekdays, Fri 21:00 to Mon
    // 09:30 is 1h30m of business time.
    let oracle = Oracle {
        tz: chrono_tz::UTC,
        weekly: [
            vec![(480, 1020)],
            vec![(480, 1020)],
            vec![(480, 1020)],
            vec![(480, 1020)],
            vec![(480, 1020)],
            vec![],
            vec![],
        ],
        holidays: BTreeSet::new(),
        ranges: vec![],
        yearly: vec![],
        floating: vec![],
        partial: BTreeMap::new(),
        overrides: BTreeMap::new(),
        horizon: (
            NaiveDate::from_ymd_opt(2014, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(),
        ),
    };
    let from = crate::support::instant("2014-12-12T21:00:00Z");
    let to = crate::support::instant("2014-12-15T09:30:00Z");
    assert_eq!(oracle.business_time(from, to), TimeDelta::minutes(90));
    assert_eq!(oracle.build().unwrap().business_time(from, to), TimeDelta::minutes(90));
}

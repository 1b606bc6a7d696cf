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
    pub recurring: OracleRules,
}

/// The recurring rules, written from their definitions.
#[derive(Clone, Debug, Default)]
pub struct OracleRules {
    /// (orthodox, days from Easter Sunday): closed all day.
    pub easter: Vec<(bool, i64)>,
    /// (month, day, observance: 0 none, 1 US federal, 2 UK substitute):
    /// closed all day.
    pub observed: Vec<(u32, u32, u8)>,
    /// (occurrence 1..=4 or 0 for last, weekday, closed minutes) in every
    /// month.
    pub monthly_closure: Option<(u8, Weekday, Minutes)>,
    /// The hours of every month's last working day.
    pub last_working_day_hours: Option<Vec<Minutes>>,
}

/// Easter Sunday by Gauss's algorithm (a different one from the crate's):
/// Gregorian with its two exceptions, or Julian moved by the 13 days the
/// calendars differ in 1900-2099.
fn gauss_easter(year: i32, orthodox: bool) -> NaiveDate {
    let (a, b, c) = (year % 19, year % 4, year % 7);
    let (m, n) = if orthodox {
        (15, 6)
    } else {
        let k = year / 100;
        let p = (13 + 8 * k) / 25;
        let q = k / 4;
        ((15 - p + k - q).rem_euclid(30), (4 + k - q).rem_euclid(7))
    };
    let d = (19 * a + m) % 30;
    let e = (2 * b + 4 * c + 6 * d + n) % 7;
    let march_22 = NaiveDate::from_ymd_opt(year, 3, 22).unwrap();
    if orthodox {
        return march_22 + TimeDelta::days(i64::from(d + e) + 13);
    }
    let mut days = d + e;
    if d == 29 && e == 6 {
        days = 28;
    } else if d == 28 && e == 6 && (11 * m + 11) % 30 < 19 {
        days = 27;
    }
    march_22 + TimeDelta::days(i64::from(days))
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// One local date: its windows (empty when closed all day) and its
/// partial closures, in minutes from its midnight.
struct Day {
    windows: Vec<Minutes>,
    closures: Vec<Minutes>,
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
        b = self.add_recurring(b);
        b.build()
    }

    fn add_recurring(&self, mut b: servicelevel::calendar::CalendarBuilder) -> servicelevel::calendar::CalendarBuilder {
        use servicelevel::calendar::{Computus, EasterDate, MonthlyDate, Observance, RecurringDate, RecurringRule};
        let r = &self.recurring;
        for &(orthodox, offset) in &r.easter {
            let computus = if orthodox {
                Computus::Orthodox
            } else {
                Computus::Western
            };
            let date = EasterDate::new(computus, offset as i32).unwrap();
            b = b.recurring(RecurringRule::closed(RecurringDate::Easter(date)));
        }
        for &(m, d, kind) in &r.observed {
            let observance = [Observance::None, Observance::UsFederal, Observance::UkSubstitute][kind as usize];
            let rule = RecurringRule::closed(RecurringDate::Yearly(YearlyDate::new(m, d).unwrap()));
            b = b.recurring(rule.observed(observance).unwrap());
        }
        if let Some((nth, weekday, (from, until))) = r.monthly_closure {
            let week = [
                WeekOfMonth::Last,
                WeekOfMonth::First,
                WeekOfMonth::Second,
                WeekOfMonth::Third,
                WeekOfMonth::Fourth,
            ][nth as usize];
            let date = RecurringDate::Monthly(MonthlyDate::new(week, weekday));
            let rule = if until > 1440 {
                RecurringRule::closed_from(date, clock(from))
            } else {
                RecurringRule::closed_between(date, clock(from), clock(until)).unwrap()
            };
            b = b.recurring(rule);
        }
        if let Some(hours) = &r.last_working_day_hours {
            let windows = hours.iter().map(|&w| window(w)).collect();
            b = b.recurring(RecurringRule::hours(RecurringDate::LastWorkingDayOfMonth, windows).unwrap());
        }
        b
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

    /// A holiday of the kind observances look at: every full-day rule but
    /// closed ranges, before UK substitutes.
    fn holiday(&self, date: NaiveDate) -> bool {
        let r = &self.recurring;
        self.holidays.contains(&date)
            || self.yearly.iter().any(|&(m, d)| date.month() == m && date.day() == d)
            || self.floating_matches(date)
            || r.easter
                .iter()
                .any(|&(orthodox, offset)| gauss_easter(date.year(), orthodox) + TimeDelta::days(offset) == date)
            || r.observed.iter().any(|&(m, d, kind)| {
                let on = |x: NaiveDate| x.month() == m && x.day() == d;
                on(date)
                    || (kind == 1 && date.weekday() == Weekday::Fri && on(date + TimeDelta::days(1)))
                    || (kind == 1 && date.weekday() == Weekday::Mon && on(date - TimeDelta::days(1)))
            })
    }

    /// The UK substitute days given for the years around `year`: each UK
    /// holiday on a weekend, in date order, takes the next weekday that is
    /// no holiday and no substitute already.
    fn uk_substitutes(&self, year: i32) -> BTreeSet<NaiveDate> {
        let mut weekend_holidays: Vec<NaiveDate> = (year - 1..=year + 1)
            .flat_map(|y| {
                self.recurring
                    .observed
                    .iter()
                    .filter(|r| r.2 == 2)
                    .filter_map(move |&(m, d, _)| NaiveDate::from_ymd_opt(y, m, d))
            })
            .filter(|&d| is_weekend(d))
            .collect();
        weekend_holidays.sort();
        weekend_holidays.dedup();
        let mut given = BTreeSet::new();
        for date in weekend_holidays {
            let mut next = date + TimeDelta::days(1);
            while is_weekend(next) || self.holiday(next) || given.contains(&next) {
                next += TimeDelta::days(1);
            }
            given.insert(next);
        }
        given
    }

    fn closed_all_day(&self, date: NaiveDate) -> bool {
        self.holiday(date)
            || self.ranges.iter().any(|&(a, b)| a <= date && date <= b)
            || self.uk_substitutes(date.year()).contains(&date)
    }

    fn monthly_closure_on(&self, date: NaiveDate) -> Option<Minutes> {
        let (nth, weekday, closed) = self.recurring.monthly_closure?;
        let last = (date + TimeDelta::days(7)).month() != date.month();
        let matches = date.weekday() == weekday
            && if nth == 0 {
                last
            } else {
                (date.day() - 1) / 7 + 1 == u32::from(nth)
            };
        matches.then_some(closed)
    }

    /// The date's windows and closures before the working-day rules.
    fn plain_day(&self, date: NaiveDate) -> Day {
        let mut closures: Vec<Minutes> = self.partial.get(&date).copied().into_iter().collect();
        closures.extend(self.monthly_closure_on(date));
        let windows = match self.overrides.get(&date) {
            Some(windows) => windows.clone(),
            None if self.closed_all_day(date) => Vec::new(),
            None => self.weekly[date.weekday().num_days_from_monday() as usize].clone(),
        };
        Day { windows, closures }
    }

    /// A working day: some minute of its windows is not closed.
    fn is_working(day: &Day) -> bool {
        day.windows
            .iter()
            .any(|&(s, e)| (s..e).any(|m| !day.closures.iter().any(|&(f, u)| f <= m && m < u)))
    }

    fn day(&self, date: NaiveDate) -> Day {
        let mut day = self.plain_day(date);
        if let Some(hours) = &self.recurring.last_working_day_hours
            && !self.overrides.contains_key(&date)
        {
            let mut last = date;
            while (last + TimeDelta::days(1)).month() == date.month() {
                last += TimeDelta::days(1);
            }
            while last.month() == date.month() && !Self::is_working(&self.plain_day(last)) {
                last -= TimeDelta::days(1);
            }
            if last == date {
                day.windows = hours.clone();
            }
        }
        day
    }

    /// Is local minute `minute` (from the local midnight of `date`, up to
    /// 2880) inside an open window of `date`?
    fn date_open_at(&self, date: NaiveDate, minute: u32, days: &mut BTreeMap<NaiveDate, Day>) -> bool {
        if date < self.horizon.0 - TimeDelta::days(1) || date >= self.horizon.1 {
            return false;
        }
        let day = days.entry(date).or_insert_with(|| self.day(date));
        let in_window = day.windows.iter().any(|&(s, e)| s <= minute && minute < e);
        let closed = day.closures.iter().any(|&(f, u)| f <= minute && minute < u);
        in_window && !closed
    }

    fn open_at(&self, at: DateTime<Utc>, days: &mut BTreeMap<NaiveDate, Day>) -> bool {
        let local = at.with_timezone(&self.tz).naive_local();
        let minute = local.hour() * 60 + local.minute();
        self.date_open_at(local.date(), minute, days)
            || self.date_open_at(local.date() - TimeDelta::days(1), minute + 1440, days)
    }

    /// Is the UTC minute starting at `at` open?
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        self.open_at(at, &mut BTreeMap::new())
    }

    /// Business time in `[from, to)`, both on whole minutes, `from <= to`.
    pub fn business_time(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeDelta {
        let mut days = BTreeMap::new();
        let mut open = 0;
        let mut at = from;
        while at < to {
            open += i64::from(self.open_at(at, &mut days));
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
        recurring: OracleRules::default(),
    };
    let from = crate::support::instant("2014-12-12T21:00:00Z");
    let to = crate::support::instant("2014-12-15T09:30:00Z");
    assert_eq!(oracle.business_time(from, to), TimeDelta::minutes(90));
    assert_eq!(oracle.build().unwrap().business_time(from, to), TimeDelta::minutes(90));
}

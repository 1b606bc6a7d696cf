//! Calendar periods in a time zone (day, ISO week, month, quarter, year):
//! the slices reports are cut into, for tickets and availability alike.

use chrono::{DateTime, Datelike, Months, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;

use std::fmt;
use std::str::FromStr;

use super::{Disambiguation, resolve_local};
use crate::error::{Error, Result};
use crate::interval::Interval;

/// A calendar period in an IANA zone. Periods run from local midnight to
/// local midnight, so a month is as long as that month really is (February
/// 2025 has 28 days, a DST month an hour more or less), never 30 days.
///
/// Text form (`FromStr`, `Display`, serde): `day`, `week`, `month`,
/// `quarter`, `year`. Each period has a [`label`](Period::label): `2025-03-07`,
/// `2025-W10` (ISO week), `2025-03`, `2025-Q1`, `2025`.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use servicelevel::Period;
///
/// let quarter: Period = "quarter".parse()?;
/// let window = quarter.containing(chrono_tz::Europe::Berlin, Utc.with_ymd_and_hms(2024, 8, 15, 12, 0, 0).unwrap())?;
/// assert_eq!(window.start(), Utc.with_ymd_and_hms(2024, 6, 30, 22, 0, 0).unwrap()); // 1 July 00:00 CEST
/// assert_eq!(quarter.label_of(chrono_tz::Europe::Berlin, window.start()), "2024-Q3");
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Period {
    /// A local day.
    Day,
    /// An ISO week, Monday to Sunday.
    Week,
    /// A calendar month (the default: the service review's period).
    #[default]
    Month,
    /// A calendar quarter (January, April, July, October).
    Quarter,
    /// A calendar year.
    Year,
}

/// Largest number of windows [`Period::windows`] returns, so that a
/// mistaken range (a century of days) is an error rather than a hang.
pub const MAX_WINDOWS: usize = 100_000;

const NAMES: [(Period, &str); 5] = [
    (Period::Day, "day"),
    (Period::Week, "week"),
    (Period::Month, "month"),
    (Period::Quarter, "quarter"),
    (Period::Year, "year"),
];

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = NAMES.iter().find(|(p, _)| p == self).map_or("month", |(_, n)| n);
        f.write_str(name)
    }
}

impl FromStr for Period {
    type Err = Error;

    fn from_str(input: &str) -> Result<Period> {
        NAMES
            .iter()
            .find(|(_, name)| *name == input)
            .map(|(p, _)| *p)
            .ok_or_else(|| Error::value(input, "one of `day`, `week`, `month`, `quarter`, `year`"))
    }
}

impl Period {
    /// The label of the period starting on local date `first`: `2025-03-07`,
    /// `2025-W10` (ISO week-numbering year and week), `2025-03`, `2025-Q1`,
    /// `2025`.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "dates within chrono's range stepped through checked calls; label numbers (months, quarters, weeks) are small"
    )]
    pub fn label(self, first: NaiveDate) -> String {
        match self {
            Period::Day => first.to_string(),
            Period::Week => {
                let week = first.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            Period::Month => format!("{}-{:02}", first.year(), first.month()),
            Period::Quarter => format!("{}-Q{}", first.year(), first.month0() / 3 + 1),
            Period::Year => first.year().to_string(),
        }
    }

    /// The label of the period holding `at` in `tz`.
    pub fn label_of(self, tz: Tz, at: DateTime<Utc>) -> String {
        // A local date outside chrono's range (within a day of its ends)
        // is labelled by its UTC date.
        let date = local_date(tz, at).unwrap_or(at.date_naive());
        self.label(self.first_day(date).unwrap_or(date))
    }

    /// The first local date of the period holding `date`; `None` when it
    /// falls before the first date chrono can represent (the week of
    /// `NaiveDate::MIN`).
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "dates within chrono's range stepped through checked calls; label numbers (months, quarters, weeks) are small"
    )]
    pub fn first_day(self, date: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::Day => Some(date),
            Period::Week => date.checked_sub_signed(TimeDelta::days(i64::from(date.weekday().num_days_from_monday()))),
            Period::Month => date.with_day(1),
            Period::Quarter => NaiveDate::from_ymd_opt(date.year(), (date.month0() / 3) * 3 + 1, 1),
            Period::Year => NaiveDate::from_ymd_opt(date.year(), 1, 1),
        }
    }

    /// The first local date of the next period, for `first` a first day.
    pub fn next_first_day(self, first: NaiveDate) -> Option<NaiveDate> {
        match self {
            Period::Day => first.succ_opt(),
            Period::Week => first.checked_add_signed(TimeDelta::days(7)),
            Period::Month => first.checked_add_months(Months::new(1)),
            Period::Quarter => first.checked_add_months(Months::new(3)),
            Period::Year => first.checked_add_months(Months::new(12)),
        }
    }

    /// The period holding `at`, as instants in `tz`.
    ///
    /// # Errors
    ///
    /// When the period holding `at` lies outside the range of dates chrono can represent.
    pub fn containing(self, tz: Tz, at: DateTime<Utc>) -> Result<Interval> {
        let date = local_date(tz, at)?;
        let first = self.first_day(date).ok_or_else(|| out_of_range(date))?;
        self.window_from(tz, first)
    }

    /// The periods that overlap `[from, to)`, in order, each whole (the
    /// first may start before `from`, the last end after `to`). An error
    /// when `to` is not after `from` or there would be more than
    /// [`MAX_WINDOWS`].
    ///
    /// # Errors
    ///
    /// When `to` is not after `from`, or the range holds more than [`MAX_WINDOWS`] periods.
    pub fn windows(self, tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Interval>> {
        if to <= from {
            return Err(Error::measurement(
                "window",
                format!("{from}..{to}"),
                "the range is empty or reversed",
            ));
        }
        let mut windows = Vec::new();
        let date = local_date(tz, from)?;
        let mut first = self.first_day(date).ok_or_else(|| out_of_range(date))?;
        loop {
            let window = self.window_from(tz, first)?;
            if window.start() >= to {
                return Ok(windows);
            }
            if windows.len() == MAX_WINDOWS {
                return Err(Error::measurement(
                    "window",
                    format!("{from}..{to}"),
                    "the range holds too many periods",
                ));
            }
            windows.push(window);
            first = self.next_first_day(first).ok_or_else(|| out_of_range(first))?;
        }
    }

    fn window_from(self, tz: Tz, first: NaiveDate) -> Result<Interval> {
        let next = self.next_first_day(first).ok_or_else(|| out_of_range(first))?;
        let start = local_midnight(tz, first)?;
        let end = local_midnight(tz, next)?;
        Interval::new(start, end)
    }
}

/// The local date of `at` in `tz`; an error (not chrono's panic) when it
/// lies outside the range of dates, within a day of chrono's ends.
fn local_date(tz: Tz, at: DateTime<Utc>) -> Result<NaiveDate> {
    use chrono::{Offset, TimeZone};
    let offset = tz.offset_from_utc_datetime(&at.naive_utc()).fix().local_minus_utc();
    at.naive_utc()
        .checked_add_signed(TimeDelta::seconds(i64::from(offset)))
        .map(|local| local.date())
        .ok_or_else(|| Error::measurement("window", at, "the instant's local date is outside the range of dates"))
}

/// Local midnight of `date` in `tz`; a midnight skipped by a clock change
/// (as in zones that change at 00:00) gives the first instant after the gap.
fn local_midnight(tz: Tz, date: NaiveDate) -> Result<DateTime<Utc>> {
    resolve_local(tz, date.and_time(chrono::NaiveTime::MIN), Disambiguation::Compatible)
}

fn out_of_range(date: NaiveDate) -> Error {
    Error::measurement("window", date, "the period is outside the range of dates")
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests compute expected values")]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn february_2025_is_28_days_and_march_in_new_york_loses_an_hour() {
        let at = Utc.with_ymd_and_hms(2025, 2, 10, 0, 0, 0).unwrap();
        let feb = Period::Month.containing(chrono_tz::UTC, at).unwrap();
        assert_eq!(feb.duration(), TimeDelta::days(28));
        let march = Utc.with_ymd_and_hms(2025, 3, 15, 12, 0, 0).unwrap();
        let ny = Period::Month.containing(chrono_tz::America::New_York, march).unwrap();
        assert_eq!(ny.duration(), TimeDelta::days(31) - TimeDelta::hours(1));
        assert_eq!(ny.start(), Utc.with_ymd_and_hms(2025, 3, 1, 5, 0, 0).unwrap());
    }

    #[test]
    fn windows_cover_the_range_and_weeks_start_on_monday() {
        let from = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        let to = Utc.with_ymd_and_hms(2025, 1, 15, 0, 0, 0).unwrap();
        let weeks = Period::Week.windows(chrono_tz::UTC, from, to).unwrap();
        assert_eq!(weeks.len(), 3);
        assert_eq!(weeks[0].start(), Utc.with_ymd_and_hms(2024, 12, 30, 0, 0, 0).unwrap());
        let quarters = Period::Quarter.windows(chrono_tz::UTC, from, to).unwrap();
        assert_eq!(quarters[0].duration(), TimeDelta::days(90));
        assert!(Period::Day.windows(chrono_tz::UTC, to, from).is_err());
    }
}

//! The value types a calendar is configured with: clock times, windows,
//! recurring and floating dates, partial closures. Each is validated when
//! made, so a value that exists is a valid one.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveDate, TimeDelta, Weekday};

use crate::error::{Detail, Error, Result};

pub(crate) const SECONDS_PER_DAY: u32 = 86_400;

/// A wall-clock time of day from `00:00` to `24:00` inclusive, to the second.
///
/// `24:00` exists only as the end of a window (the end of the day). Written
/// and parsed as `HH:MM`, or `HH:MM:SS` when the seconds are not zero.
///
/// ```
/// assert_eq!(servicelevel::ClockTime::hm(17, 30)?.to_string(), "17:30");
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ClockTime(u32);

impl ClockTime {
    /// `00:00`.
    pub const MIDNIGHT: ClockTime = ClockTime(0);
    /// `24:00`, the end of the day.
    pub const END_OF_DAY: ClockTime = ClockTime(SECONDS_PER_DAY);

    /// The time `hour:minute:second`; `24:00:00` is the only time with hour 24.
    ///
    /// # Errors
    ///
    /// When the time is not in `00:00..=24:00` (minutes and seconds under 60, and `24:00:00` the
    /// only time with hour 24).
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "hours, minutes and seconds are range-checked before they are combined; a clock time is at most 86,400 s"
    )]
    pub fn hms(hour: u32, minute: u32, second: u32) -> Result<ClockTime> {
        let valid = minute < 60 && second < 60 && (hour < 24 || (hour == 24 && minute == 0 && second == 0));
        if !valid {
            return Err(invalid_clock_time(&format!("{hour:02}:{minute:02}:{second:02}")));
        }
        Ok(ClockTime(hour * 3600 + minute * 60 + second))
    }

    /// The time `hour:minute`.
    ///
    /// # Errors
    ///
    /// As [`ClockTime::hms`].
    pub fn hm(hour: u32, minute: u32) -> Result<ClockTime> {
        ClockTime::hms(hour, minute, 0)
    }

    /// Seconds since local midnight, `0..=86400`.
    pub fn seconds_from_midnight(self) -> u32 {
        self.0
    }
}

/// Reads `HH:MM` or `HH:MM:SS` (`H:MM` is accepted too), the form
/// `Display` writes.
///
/// ```
/// use servicelevel::ClockTime;
/// let t: ClockTime = "8:30".parse()?;
/// assert_eq!(t.to_string(), "08:30");
/// assert_eq!("24:00".parse::<ClockTime>()?, ClockTime::END_OF_DAY);
/// assert!("17:70".parse::<ClockTime>().is_err());
/// # Ok::<(), servicelevel::Error>(())
/// ```
impl FromStr for ClockTime {
    type Err = Error;

    fn from_str(input: &str) -> Result<ClockTime> {
        let parts: Vec<&str> = input.split(':').collect();
        let number = |s: &str, max_len: usize| -> Option<u32> {
            (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let parsed = match parts.as_slice() {
            [h, m] if m.len() == 2 => number(h, 2).zip(number(m, 2)).map(|(h, m)| (h, m, 0)),
            [h, m, s] if m.len() == 2 && s.len() == 2 => number(h, 2)
                .zip(number(m, 2))
                .zip(number(s, 2))
                .map(|((h, m), s)| (h, m, s)),
            _ => None,
        };
        parsed
            .and_then(|(h, m, s)| ClockTime::hms(h, m, s).ok())
            .ok_or_else(|| invalid_clock_time(input))
    }
}

fn invalid_clock_time(input: &str) -> Error {
    Error::from(Detail::InvalidClockTime {
        field: String::new(),
        input: input.into(),
    })
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m, s) = (self.0 / 3600, self.0 / 60 % 60, self.0 % 60);
        if s == 0 {
            write!(f, "{h:02}:{m:02}")
        } else {
            write!(f, "{h:02}:{m:02}:{s:02}")
        }
    }
}

/// An opening window `[start, end)` in local wall-clock time, belonging to
/// the day it starts on.
///
/// When `end` is not after `start` the window runs past midnight into the
/// next day (a night shift): `22:00-06:00` is open eight hours, and
/// `08:00-08:00` is open 24 hours. `24:00` is allowed as an end, never as a
/// start.
///
/// ```
/// assert!("22:00-06:00".parse::<servicelevel::Window>()?.is_overnight());
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Window {
    start: ClockTime,
    end: ClockTime,
}

impl Window {
    /// The window from `start` to `end`; an error if `start` is `24:00`.
    ///
    /// # Errors
    ///
    /// When `start` is `24:00`.
    pub fn new(start: ClockTime, end: ClockTime) -> Result<Window> {
        if start == ClockTime::END_OF_DAY {
            return Err(Error::from(Detail::InvalidRange {
                field: String::new(),
                input: format!("{start}-{end}"),
                reason: "a window cannot start at 24:00; start it at 00:00 of the next day",
            }));
        }
        Ok(Window { start, end })
    }

    /// The window between two clock times written as text (the serde
    /// form's `["09:00", "17:00"]`).
    pub(crate) fn from_pair(start: &str, end: &str) -> Result<Window> {
        Window::new(start.parse()?, end.parse()?)
    }

    /// The opening time.
    pub fn start(&self) -> ClockTime {
        self.start
    }

    /// The closing time (on the next day for a night shift).
    pub fn end(&self) -> ClockTime {
        self.end
    }

    /// True when the window runs past midnight.
    pub fn is_overnight(&self) -> bool {
        self.end <= self.start
    }

    /// The window's nominal length on a day without a clock change.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "hours, minutes and seconds are range-checked before they are combined; a clock time is at most 86,400 s"
    )]
    pub fn nominal_length(&self) -> TimeDelta {
        let (start, end) = self.day_seconds();
        TimeDelta::seconds(i64::from(end - start))
    }

    /// `[start, end)` in seconds from the local midnight of its day; `end`
    /// is in `(start, start + 86400]`.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "hours, minutes and seconds are range-checked before they are combined; a clock time is at most 86,400 s"
    )]
    pub(crate) fn day_seconds(&self) -> (u32, u32) {
        let end = if self.is_overnight() {
            self.end.0 + SECONDS_PER_DAY
        } else {
            self.end.0
        };
        (self.start.0, end)
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.start, self.end)
    }
}

/// Reads `HH:MM-HH:MM` (seconds allowed), the form `Display` writes; an
/// end not after the start is a night shift.
///
/// ```
/// use servicelevel::Window;
/// let office: Window = "09:00-17:00".parse()?;
/// assert_eq!(office.nominal_length(), chrono::TimeDelta::hours(8));
/// let night: Window = "22:00-06:00".parse()?;
/// assert!(night.is_overnight());
/// assert_eq!(night.to_string(), "22:00-06:00");
/// assert!("09:00".parse::<Window>().is_err());
/// # Ok::<(), servicelevel::Error>(())
/// ```
impl FromStr for Window {
    type Err = Error;

    fn from_str(input: &str) -> Result<Window> {
        let (start, end) = input.split_once('-').ok_or_else(|| {
            Error::from(Detail::InvalidRange {
                field: String::new(),
                input: input.into(),
                reason: "expected a window `HH:MM-HH:MM`",
            })
        })?;
        Window::from_pair(start.trim(), end.trim()).map_err(|e| match e.kind() {
            crate::ErrorKind::InvalidRange => e,
            _ => Error::from(Detail::InvalidRange {
                field: String::new(),
                input: input.into(),
                reason: "expected a window `HH:MM-HH:MM` of clock times from `00:00` to `24:00`",
            }),
        })
    }
}

/// Sorts `windows` and rejects overlaps, naming `field`. Touching windows
/// (`09:00-12:00`, `12:00-17:00`) are fine.
pub(crate) fn sorted_disjoint(mut windows: Vec<Window>, field: &str) -> Result<Vec<Window>> {
    windows.sort();
    for pair in windows.windows(2) {
        let (_, first_end) = pair[0].day_seconds();
        let (second_start, _) = pair[1].day_seconds();
        if second_start < first_end {
            return Err(Error::from(Detail::OverlappingWindows {
                field: field.into(),
                first: pair[0].to_string(),
                second: pair[1].to_string(),
            }));
        }
    }
    Ok(windows)
}

/// A date that recurs every year, such as `12-25`. `02-29` closes only leap
/// years' 29 February.
///
/// ```
/// assert_eq!(servicelevel::YearlyDate::new(12, 25)?.to_string(), "12-25");
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearlyDate {
    month: u32,
    day: u32,
}

impl YearlyDate {
    /// The date `month-day`; an error if no year has it.
    ///
    /// # Errors
    ///
    /// When no year has the date (`02-30`).
    pub fn new(month: u32, day: u32) -> Result<YearlyDate> {
        // 2000 is a leap year, so every real month-day exists in it.
        if NaiveDate::from_ymd_opt(2000, month, day).is_none() {
            return Err(invalid_yearly(&format!("{month:02}-{day:02}")));
        }
        Ok(YearlyDate { month, day })
    }

    /// The month, 1 to 12.
    pub fn month(&self) -> u32 {
        self.month
    }

    /// The day of the month.
    pub fn day(&self) -> u32 {
        self.day
    }

    /// This date in `year`, if the year has it.
    pub fn in_year(&self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
    }
}

/// Reads `MM-DD`, the form `Display` writes.
///
/// ```
/// use servicelevel::YearlyDate;
/// let christmas: YearlyDate = "12-25".parse()?;
/// assert_eq!(christmas.in_year(2025), chrono::NaiveDate::from_ymd_opt(2025, 12, 25));
/// assert!("02-30".parse::<YearlyDate>().is_err());
/// # Ok::<(), servicelevel::Error>(())
/// ```
impl FromStr for YearlyDate {
    type Err = Error;

    fn from_str(input: &str) -> Result<YearlyDate> {
        let parts: Option<(u32, u32)> = input
            .split_once('-')
            .filter(|(m, d)| m.len() == 2 && d.len() == 2)
            .filter(|(m, d)| m.bytes().chain(d.bytes()).all(|b| b.is_ascii_digit()))
            .and_then(|(m, d)| Some((m.parse().ok()?, d.parse().ok()?)));
        parts
            .and_then(|(m, d)| YearlyDate::new(m, d).ok())
            .ok_or_else(|| invalid_yearly(input))
    }
}

fn invalid_yearly(input: &str) -> Error {
    Error::from(Detail::InvalidDate {
        field: String::new(),
        input: input.into(),
        expected: "`MM-DD`",
    })
}

impl fmt::Display for YearlyDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

/// Which occurrence of a weekday in a month a [`FloatingDate`] names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum WeekOfMonth {
    /// The first occurrence (`1st`).
    First,
    /// The second occurrence (`2nd`).
    Second,
    /// The third occurrence (`3rd`).
    Third,
    /// The fourth occurrence (`4th`).
    Fourth,
    /// The fifth occurrence (`5th`); months without one have no such date.
    Fifth,
    /// The last occurrence (`last`).
    Last,
}

const WEEKS: [(WeekOfMonth, &str); 6] = [
    (WeekOfMonth::First, "1st"),
    (WeekOfMonth::Second, "2nd"),
    (WeekOfMonth::Third, "3rd"),
    (WeekOfMonth::Fourth, "4th"),
    (WeekOfMonth::Fifth, "5th"),
    (WeekOfMonth::Last, "last"),
];

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// A date that floats with the weekdays: `4th thu of nov` (US Thanksgiving),
/// `last mon of may` (US Memorial Day).
///
/// ```
/// let memorial: servicelevel::FloatingDate = "last mon of may".parse()?;
/// assert_eq!(memorial.in_year(2025), chrono::NaiveDate::from_ymd_opt(2025, 5, 26));
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FloatingDate {
    week: WeekOfMonth,
    weekday: Weekday,
    month: u32,
}

impl FloatingDate {
    /// The `week` occurrence of `weekday` in `month` (1 to 12).
    ///
    /// # Errors
    ///
    /// When `month` is not 1 to 12.
    pub fn new(week: WeekOfMonth, weekday: Weekday, month: u32) -> Result<FloatingDate> {
        if !(1..=12).contains(&month) {
            return Err(Error::from(Detail::InvalidFloatingDate {
                field: String::new(),
                input: format!("month {month}"),
            }));
        }
        Ok(FloatingDate { week, weekday, month })
    }

    /// This date in `year`, if the month has such a weekday (a `5th` may not).
    pub fn in_year(&self, year: i32) -> Option<NaiveDate> {
        nth_weekday(year, self.month, self.weekday, self.week)
    }
}

/// The `week` occurrence of `weekday` in `year`'s `month`, if it has one.
pub(crate) fn nth_weekday(year: i32, month: u32, weekday: Weekday, week: WeekOfMonth) -> Option<NaiveDate> {
    let nth = |n: u8| NaiveDate::from_weekday_of_month_opt(year, month, weekday, n);
    match week {
        WeekOfMonth::First => nth(1),
        WeekOfMonth::Second => nth(2),
        WeekOfMonth::Third => nth(3),
        WeekOfMonth::Fourth => nth(4),
        WeekOfMonth::Fifth => nth(5),
        WeekOfMonth::Last => nth(5).or_else(|| nth(4)),
    }
}

/// The error of a closure that does not end after it starts.
pub(crate) fn reversed_closure(input: String) -> Error {
    Error::from(Detail::InvalidRange {
        field: String::new(),
        input,
        reason: "the closure must end after it starts",
    })
}

/// Reads `<1st|2nd|3rd|4th|5th|last> <weekday> of <month>` with
/// three-letter English names, as in `4th thu of nov`: the form `Display`
/// writes.
///
/// ```
/// use servicelevel::FloatingDate;
/// let thanksgiving: FloatingDate = "4th thu of nov".parse()?;
/// assert_eq!(thanksgiving.in_year(2025), chrono::NaiveDate::from_ymd_opt(2025, 11, 27));
/// assert_eq!(thanksgiving.to_string(), "4th thu of nov");
/// # Ok::<(), servicelevel::Error>(())
/// ```
impl FromStr for FloatingDate {
    type Err = Error;

    #[allow(
        clippy::arithmetic_side_effects,
        reason = "hours, minutes and seconds are range-checked before they are combined; a clock time is at most 86,400 s"
    )]
    fn from_str(input: &str) -> Result<FloatingDate> {
        let invalid = || {
            Error::from(Detail::InvalidFloatingDate {
                field: String::new(),
                input: input.into(),
            })
        };
        let words: Vec<&str> = input.split_whitespace().collect();
        let [week, weekday, "of", month] = words.as_slice() else {
            return Err(invalid());
        };
        let week = WEEKS
            .iter()
            .find(|(_, name)| name == week)
            .map(|(w, _)| *w)
            .ok_or_else(invalid)?;
        let weekday = parse_weekday(weekday).ok_or_else(invalid)?;
        let month = MONTHS.iter().position(|m| m == month).ok_or_else(invalid)? as u32 + 1;
        FloatingDate::new(week, weekday, month)
    }
}

impl FloatingDate {
    fn sort_key(&self) -> (u32, WeekOfMonth, u32) {
        (self.month, self.week, self.weekday.num_days_from_monday())
    }
}

impl PartialOrd for FloatingDate {
    fn partial_cmp(&self, other: &FloatingDate) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for FloatingDate {
    /// By month, then week, then weekday.
    fn cmp(&self, other: &FloatingDate) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl fmt::Display for FloatingDate {
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "hours, minutes and seconds are range-checked before they are combined; a clock time is at most 86,400 s"
    )]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let week = WEEKS
            .iter()
            .find(|(w, _)| *w == self.week)
            .map(|(_, n)| *n)
            .unwrap_or("1st");
        let weekday = WEEKDAY_KEYS[self.weekday.num_days_from_monday() as usize];
        write!(f, "{week} {weekday} of {}", MONTHS[self.month as usize - 1])
    }
}

pub(crate) fn parse_week(input: &str) -> Option<WeekOfMonth> {
    WEEKS.iter().find(|(_, name)| *name == input).map(|(w, _)| *w)
}

pub(crate) fn week_name(week: WeekOfMonth) -> &'static str {
    WEEKS.iter().find(|(w, _)| *w == week).map_or("1st", |(_, n)| *n)
}

/// The weekday keys of the serde form, Monday first.
pub(crate) const WEEKDAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

pub(crate) fn parse_weekday(input: &str) -> Option<Weekday> {
    WEEKDAY_KEYS
        .iter()
        .position(|k| *k == input)
        .map(|i| Weekday::try_from(i as u8).expect("0..7 is a weekday"))
}

/// Part of one date closed: the windows that start on `date` are closed from
/// `from` until `until` (local wall-clock time), or until they end when
/// there is no `until` ("2024-12-24 from 13:00").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialClosure {
    date: NaiveDate,
    from: ClockTime,
    until: Option<ClockTime>,
}

impl PartialClosure {
    /// Closes `date` from `from` onwards, including the rest of a night
    /// shift that starts on `date`.
    pub fn from(date: NaiveDate, from: ClockTime) -> PartialClosure {
        PartialClosure {
            date,
            from,
            until: None,
        }
    }

    /// Closes `date` from `from` until `until`; an error unless `from < until`.
    ///
    /// # Errors
    ///
    /// When `until` is not after `from`.
    pub fn between(date: NaiveDate, from: ClockTime, until: ClockTime) -> Result<PartialClosure> {
        if until <= from {
            return Err(reversed_closure(format!("{date} {from}-{until}")));
        }
        Ok(PartialClosure {
            date,
            from,
            until: Some(until),
        })
    }

    /// The date whose windows are closed.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// When the closure starts.
    pub fn from_time(&self) -> ClockTime {
        self.from
    }

    /// When it ends, if not at the end of the date's windows.
    pub fn until(&self) -> Option<ClockTime> {
        self.until
    }

    /// The closed part as seconds from the date's local midnight.
    pub(crate) fn day_seconds(&self) -> (u32, u32) {
        // Windows reach at most 48 h past midnight, so this is "the rest of them".
        let until = self.until.map_or(2 * SECONDS_PER_DAY, ClockTime::seconds_from_midnight);
        (self.from.seconds_from_midnight(), until)
    }
}

/// An inclusive range of closed dates, such as a year-end shutdown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateRange {
    first: NaiveDate,
    last: NaiveDate,
}

impl DateRange {
    /// The dates `first..=last`; an error if `last < first`.
    ///
    /// # Errors
    ///
    /// When `last` is before `first`.
    pub fn new(first: NaiveDate, last: NaiveDate) -> Result<DateRange> {
        if last < first {
            return Err(Error::from(Detail::InvalidRange {
                field: String::new(),
                input: format!("{first}..{last}"),
                reason: "the last date is before the first",
            }));
        }
        Ok(DateRange { first, last })
    }

    /// The first closed date.
    pub fn first(&self) -> NaiveDate {
        self.first
    }

    /// The last closed date (inclusive).
    pub fn last(&self) -> NaiveDate {
        self.last
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests compute expected values")]
mod tests {
    use super::*;

    #[test]
    fn clock_times_parse_and_print() {
        assert_eq!("09:00".parse::<ClockTime>().unwrap().seconds_from_midnight(), 9 * 3600);
        assert_eq!("24:00".parse::<ClockTime>().unwrap(), ClockTime::END_OF_DAY);
        assert_eq!("7:05:09".parse::<ClockTime>().unwrap().to_string(), "07:05:09");
        for bad in [
            "25:00",
            "24:01",
            "9",
            "09:0",
            "09:60",
            "-1:00",
            "",
            "aa:bb",
            "09:00:00:00",
        ] {
            let err = bad
                .parse::<ClockTime>()
                .map_err(|e| e.in_field("weekly.mon[0]"))
                .unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "invalid clock time `{bad}` in `weekly.mon[0]`: expected `HH:MM` or `HH:MM:SS` from `00:00` to `24:00`"
                )
            );
        }
    }

    #[test]
    fn night_shift_belongs_to_its_start_day() {
        let w = "22:00-06:00".parse::<Window>().unwrap();
        assert!(w.is_overnight());
        assert_eq!(w.day_seconds(), (22 * 3600, 30 * 3600));
        assert_eq!(
            "08:00-08:00".parse::<Window>().unwrap().nominal_length(),
            TimeDelta::hours(24)
        );
        assert!("24:00-08:00".parse::<Window>().is_err());
    }

    #[test]
    fn floating_dates_resolve_per_year() {
        let thanksgiving = "4th thu of nov".parse::<FloatingDate>().unwrap();
        assert_eq!(thanksgiving.in_year(2024), NaiveDate::from_ymd_opt(2024, 11, 28));
        let memorial = "last mon of may".parse::<FloatingDate>().unwrap();
        assert_eq!(memorial.in_year(2025), NaiveDate::from_ymd_opt(2025, 5, 26));
        assert_eq!(memorial.to_string(), "last mon of may");
        let fifth = "5th fri of feb".parse::<FloatingDate>().unwrap();
        assert_eq!(fifth.in_year(2025), None);
        assert!("fourth thursday of november".parse::<FloatingDate>().is_err());
    }

    #[test]
    fn overlapping_windows_are_rejected_touching_ones_kept() {
        let w = |a, b| Window::from_pair(a, b).unwrap();
        assert!(sorted_disjoint(vec![w("13:00", "17:00"), w("09:00", "13:00")], "weekly.mon").is_ok());
        let err = sorted_disjoint(vec![w("09:00", "12:00"), w("11:00", "17:00")], "weekly.mon").unwrap_err();
        assert_eq!(
            err.to_string(),
            "overlapping windows in `weekly.mon`: `09:00-12:00` and `11:00-17:00`"
        );
    }
}

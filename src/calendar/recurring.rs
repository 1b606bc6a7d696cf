//! Recurring rules: dates named by a rule (a yearly date, a floating
//! weekday, a day relative to Easter, a weekday of every month, the first or
//! last working day of every month), what the rule does on them (close all
//! day, close part of the day, set the day's hours), and, for holidays, the
//! day they are also observed on when they fall on a weekend.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};

use super::rules::{
    ClockTime, FloatingDate, WEEKDAY_KEYS, WeekOfMonth, Window, YearlyDate, nth_weekday, parse_weekday,
    reversed_closure, sorted_disjoint,
};
use crate::error::{Detail, Error, Result};

/// Which Easter a rule counts from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Computus {
    /// Western Easter: the Gregorian computus (the anonymous Gregorian
    /// algorithm of Meeus, *Astronomical Algorithms*, ch. 8), as kept by the
    /// Catholic and Protestant churches and by Western public calendars.
    #[default]
    Western,
    /// Orthodox Easter: the Julian computus (Meeus's Julian algorithm), its
    /// date converted to the Gregorian calendar, as kept by the Orthodox
    /// churches and by the public calendars of Greece, Romania, Serbia,
    /// Ukraine and others.
    Orthodox,
}

/// The most days before Easter a rule may name: 80 days before the earliest
/// Western Easter (22 March) is 1 January.
pub const EASTER_OFFSET_MIN: i32 = -80;

/// The most days after Easter a rule may name: 250 days after the latest
/// Western Easter (25 April) is 31 December.
pub const EASTER_OFFSET_MAX: i32 = 250;

/// A date a number of days from Easter Sunday: `easter-2` (Good Friday),
/// `easter+1` (Easter Monday), `easter+39` (Ascension), `easter+50` (Whit
/// Monday), `easter+60` (Corpus Christi); `orthodox easter+1` for the
/// Orthodox date.
///
/// ```
/// use servicelevel::calendar::EasterDate;
/// let easter_monday: EasterDate = "easter+1".parse()?;
/// assert_eq!(easter_monday.in_year(2025), chrono::NaiveDate::from_ymd_opt(2025, 4, 21));
/// let orthodox: EasterDate = "orthodox easter".parse()?;
/// assert_eq!(orthodox.in_year(2024), chrono::NaiveDate::from_ymd_opt(2024, 5, 5));
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EasterDate {
    computus: Computus,
    offset: i16,
}

impl EasterDate {
    /// `offset_days` from Easter Sunday by `computus`.
    ///
    /// # Errors
    ///
    /// When the offset is outside [`EASTER_OFFSET_MIN`]`..=`[`EASTER_OFFSET_MAX`]
    /// (the offsets that keep every Western Easter's date inside its year;
    /// an Orthodox date that still leaves its year is reported when the
    /// calendar is built, naming the year).
    pub fn new(computus: Computus, offset_days: i32) -> Result<EasterDate> {
        let offset = i16::try_from(offset_days)
            .ok()
            .filter(|_| (EASTER_OFFSET_MIN..=EASTER_OFFSET_MAX).contains(&offset_days));
        let offset = offset.ok_or_else(|| {
            invalid_rule(
                &EasterDate { computus, offset: 0 }.with_offset_text(offset_days),
                "an Easter offset must lie within -80..=250 days, so that the date stays in its year",
            )
        })?;
        Ok(EasterDate { computus, offset })
    }

    /// Which Easter it counts from.
    pub fn computus(&self) -> Computus {
        self.computus
    }

    /// Days from Easter Sunday (negative: before it).
    pub fn offset_days(&self) -> i32 {
        i32::from(self.offset)
    }

    /// This date in `year`: `None` when the year is outside 1 to 9999 or
    /// the date falls in another year (only possible for Orthodox dates far
    /// from Easter).
    pub fn in_year(&self, year: i32) -> Option<NaiveDate> {
        let sunday = easter_sunday(self.computus, year)?;
        sunday
            .checked_add_signed(TimeDelta::days(i64::from(self.offset)))
            .filter(|date| date.year() == year)
    }

    fn with_offset_text(self, offset: i32) -> String {
        let prefix = match self.computus {
            Computus::Orthodox => "orthodox easter",
            _ => "easter",
        };
        match offset {
            0 => prefix.to_string(),
            o if o > 0 => format!("{prefix}+{o}"),
            o => format!("{prefix}{o}"),
        }
    }
}

/// Easter Sunday of `year` (1 to 9999) by `computus`, as a Gregorian date.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "the computus works on a year from 1 to 9999: every intermediate stays below 10^6"
)]
fn easter_sunday(computus: Computus, year: i32) -> Option<NaiveDate> {
    if !(1..=9999).contains(&year) {
        return None;
    }
    match computus {
        Computus::Orthodox => {
            let (a, b, c) = (year % 4, year % 7, year % 19);
            let d = (19 * c + 15) % 30;
            let e = (2 * a + 4 * b - d + 34) % 7;
            let month = (d + e + 114) / 31;
            let day = (d + e + 114) % 31 + 1;
            // Julian to Gregorian: the calendars drift apart by three days
            // every four centuries; the rule holds from March on.
            let drift = year / 100 - year / 400 - 2;
            let julian = NaiveDate::from_ymd_opt(year, month as u32, day as u32)?;
            julian.checked_add_signed(TimeDelta::days(i64::from(drift)))
        }
        _ => {
            let a = year % 19;
            let (b, c) = (year / 100, year % 100);
            let (d, e) = (b / 4, b % 4);
            let f = (b + 8) / 25;
            let g = (b - f + 1) / 3;
            let h = (19 * a + b - d - g + 15) % 30;
            let (i, k) = (c / 4, c % 4);
            let l = (32 + 2 * e + 2 * i - h - k) % 7;
            let m = (a + 11 * h + 22 * l) / 451;
            let month = (h + l - 7 * m + 114) / 31;
            let day = (h + l - 7 * m + 114) % 31 + 1;
            NaiveDate::from_ymd_opt(year, month as u32, day as u32)
        }
    }
}

/// Reads `easter`, `easter+N`, `easter-N`, and the same after `orthodox `:
/// the form `Display` writes.
impl FromStr for EasterDate {
    type Err = Error;

    fn from_str(input: &str) -> Result<EasterDate> {
        let invalid = || {
            invalid_rule(
                input,
                "expected `easter`, `easter+N` or `easter-N`, optionally after `orthodox `",
            )
        };
        let (computus, rest) = match input.strip_prefix("orthodox ") {
            Some(rest) => (Computus::Orthodox, rest),
            None => (Computus::Western, input),
        };
        let offset = rest.strip_prefix("easter").ok_or_else(invalid)?;
        let offset: i32 = match offset.as_bytes().first() {
            None => 0,
            Some(b'+' | b'-')
                if offset.len() > 1 && offset.len() <= 4 && offset[1..].bytes().all(|b| b.is_ascii_digit()) =>
            {
                offset.parse().map_err(|_| invalid())?
            }
            _ => return Err(invalid()),
        };
        EasterDate::new(computus, offset).map_err(|_| {
            invalid_rule(
                input,
                "an Easter offset must lie within -80..=250 days, so that the date stays in its year",
            )
        })
    }
}

impl fmt::Display for EasterDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.with_offset_text(i32::from(self.offset)))
    }
}

/// A weekday of every month: `1st sun of month`, `last fri of month`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct MonthlyDate {
    week: WeekOfMonth,
    weekday: Weekday,
}

impl MonthlyDate {
    /// The `week` occurrence of `weekday` in every month.
    pub fn new(week: WeekOfMonth, weekday: Weekday) -> MonthlyDate {
        MonthlyDate { week, weekday }
    }

    /// This date in `year`'s `month`, if that month has it (a `5th` may not).
    pub fn in_month(&self, year: i32, month: u32) -> Option<NaiveDate> {
        nth_weekday(year, month, self.weekday, self.week)
    }
}

impl PartialOrd for MonthlyDate {
    fn partial_cmp(&self, other: &MonthlyDate) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for MonthlyDate {
    fn cmp(&self, other: &MonthlyDate) -> std::cmp::Ordering {
        (self.week, self.weekday.num_days_from_monday()).cmp(&(other.week, other.weekday.num_days_from_monday()))
    }
}

/// The dates a [`RecurringRule`] names.
///
/// Text forms (what `FromStr` reads and `Display` writes): `12-25`,
/// `4th thu of nov`, `easter+1`, `orthodox easter-2`, `1st sun of month`,
/// `first working day of month`, `last working day of month`.
///
/// A *working day* here is a date with open time in its local windows
/// (its override, else the recurring hours that name it, else its
/// weekday's) after the full-day and partial closures of every other kind
/// of rule; the working-day rules themselves do not count, so a rule that
/// closes the last working day does not move it.
///
/// ```
/// use servicelevel::calendar::RecurringDate;
/// for text in ["12-25", "last mon of may", "easter+39", "1st sun of month", "last working day of month"] {
///     assert_eq!(text.parse::<RecurringDate>()?.to_string(), text);
/// }
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum RecurringDate {
    /// A date every year (`12-25`).
    Yearly(YearlyDate),
    /// A weekday of one month every year (`4th thu of nov`).
    Floating(FloatingDate),
    /// A day relative to Easter Sunday (`easter+1`).
    Easter(EasterDate),
    /// A weekday of every month (`1st sun of month`).
    Monthly(MonthlyDate),
    /// The first working day of every month.
    FirstWorkingDayOfMonth,
    /// The last working day of every month.
    LastWorkingDayOfMonth,
}

impl RecurringDate {
    /// True for the working-day rules, whose dates depend on the rest of the
    /// calendar.
    pub(crate) fn is_working_day_rule(&self) -> bool {
        matches!(
            self,
            RecurringDate::FirstWorkingDayOfMonth | RecurringDate::LastWorkingDayOfMonth
        )
    }

    /// The dates of the calendar-date rules in `year` (the working-day rules
    /// name none here: the calendar works them out).
    pub(crate) fn dates_in_year(&self, year: i32, out: &mut Vec<NaiveDate>) {
        match self {
            RecurringDate::Yearly(date) => out.extend(date.in_year(year)),
            RecurringDate::Floating(date) => out.extend(date.in_year(year)),
            RecurringDate::Easter(date) => out.extend(date.in_year(year)),
            RecurringDate::Monthly(date) => out.extend((1..=12).filter_map(|month| date.in_month(year, month))),
            _ => {}
        }
    }
}

impl FromStr for RecurringDate {
    type Err = Error;

    fn from_str(input: &str) -> Result<RecurringDate> {
        match input {
            "first working day of month" => return Ok(RecurringDate::FirstWorkingDayOfMonth),
            "last working day of month" => return Ok(RecurringDate::LastWorkingDayOfMonth),
            _ => {}
        }
        if input.starts_with("easter") || input.starts_with("orthodox ") {
            return input.parse().map(RecurringDate::Easter);
        }
        let words: Vec<&str> = input.split_whitespace().collect();
        if let [week, weekday, "of", "month"] = words.as_slice() {
            let week = super::rules::parse_week(week);
            let weekday = parse_weekday(weekday);
            if let Some((week, weekday)) = week.zip(weekday) {
                return Ok(RecurringDate::Monthly(MonthlyDate::new(week, weekday)));
            }
        }
        if words.len() == 4 {
            return input
                .parse()
                .map(RecurringDate::Floating)
                .map_err(|_| unreadable_date(input));
        }
        input
            .parse()
            .map(RecurringDate::Yearly)
            .map_err(|_| unreadable_date(input))
    }
}

fn unreadable_date(input: &str) -> Error {
    invalid_rule(
        input,
        "expected `MM-DD`, `<week> <weekday> of <month>`, `easter+N`, `<week> <weekday> of month`, or `first|last working day of month`",
    )
}

impl fmt::Display for RecurringDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecurringDate::Yearly(date) => date.fmt(f),
            RecurringDate::Floating(date) => date.fmt(f),
            RecurringDate::Easter(date) => date.fmt(f),
            RecurringDate::Monthly(date) => write!(
                f,
                "{} {} of month",
                super::rules::week_name(date.week),
                WEEKDAY_KEYS[date.weekday.num_days_from_monday() as usize]
            ),
            RecurringDate::FirstWorkingDayOfMonth => f.write_str("first working day of month"),
            _ => f.write_str("last working day of month"),
        }
    }
}

/// Which other day a holiday is kept on when it falls on a weekend
/// (Saturday or Sunday, whatever the calendar's own hours).
///
/// Both the holiday and the day it is observed on are closed, as
/// `python-holidays` lists "Christmas Day" and "Christmas Day (observed)":
/// a desk open on Saturdays is closed on a Saturday Christmas and on the
/// Friday before.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Observance {
    /// Only the date itself.
    #[default]
    None,
    /// US federal holidays (5 U.S.C. 6103(b) and Executive Order 11582, as
    /// the Office of Personnel Management publishes them): a holiday on a
    /// Saturday is also observed the Friday before, one on a Sunday the
    /// Monday after (Christmas 2021, a Saturday, was observed on Friday
    /// 2021-12-24).
    UsFederal,
    /// UK substitute days (gov.uk, "Bank holidays"): a holiday on a
    /// Saturday or Sunday gets a substitute day, the next weekday that is
    /// not already a holiday; substitutes are given in date order (Christmas
    /// 2022, a Sunday, was kept on Tuesday 2022-12-27, since Boxing Day took
    /// the Monday). "A holiday" here is any full-day holiday of the
    /// calendar (dated, yearly, floating, Easter, monthly, and the
    /// substitutes already given); closed ranges (a company shutdown) are
    /// not holidays and do not push a substitute on.
    UkSubstitute,
}

impl FromStr for Observance {
    type Err = Error;

    fn from_str(input: &str) -> Result<Observance> {
        match input {
            "none" => Ok(Observance::None),
            "us_federal" => Ok(Observance::UsFederal),
            "uk_substitute" => Ok(Observance::UkSubstitute),
            _ => Err(invalid_rule(input, "expected `none`, `us_federal` or `uk_substitute`")),
        }
    }
}

impl fmt::Display for Observance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Observance::UsFederal => "us_federal",
            Observance::UkSubstitute => "uk_substitute",
            _ => "none",
        })
    }
}

/// What a [`RecurringRule`] does on its dates.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum RuleEffect {
    /// Closed all day (a holiday), night shifts that start on the date
    /// included.
    #[default]
    Closed,
    /// Closed from `from` until `until` (local time), or, without `until`,
    /// for the rest of the date's windows: a maintenance window.
    PartlyClosed {
        /// When the closure starts.
        from: ClockTime,
        /// When it ends; `None` for the rest of the date's windows.
        until: Option<ClockTime>,
    },
    /// The date's hours instead of its weekday's (a short day, a monthly
    /// Saturday opening). Unlike a dated override, closures still apply: a
    /// holiday on the date closes it.
    Hours(Vec<Window>),
}

/// A rule that recurs: which dates ([`RecurringDate`]), what happens on them
/// ([`RuleEffect`]), and, for holidays, the [`Observance`].
///
/// Precedence on one date: a dated override
/// ([`CalendarBuilder::override_hours`](super::CalendarBuilder::override_hours))
/// states the date's complete hours and beats every recurring rule (the way
/// to make an exception); otherwise the recurring hours replace the
/// weekday's, and full-day and partial closures then apply to them. Two
/// recurring rules that set different hours on the same date are a
/// contradiction the build rejects, naming both.
///
/// ```
/// use servicelevel::calendar::{Observance, RecurringRule};
/// let christmas = RecurringRule::closed("12-25".parse()?).observed(Observance::UsFederal)?;
/// let maintenance = RecurringRule::closed_between("1st sun of month".parse()?, "02:00".parse()?, "06:00".parse()?)?;
/// let short_day = RecurringRule::hours("last working day of month".parse()?, vec!["09:00-13:00".parse()?])?;
/// assert_eq!(christmas.observance(), Observance::UsFederal);
/// # let _ = (maintenance, short_day);
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecurringRule {
    date: RecurringDate,
    effect: RuleEffect,
    observance: Observance,
}

impl RecurringRule {
    /// Closes every date of `date` all day.
    pub fn closed(date: RecurringDate) -> RecurringRule {
        RecurringRule {
            date,
            effect: RuleEffect::Closed,
            observance: Observance::None,
        }
    }

    /// Closes every date of `date` from `from` until `until`.
    ///
    /// # Errors
    ///
    /// When `until` is not after `from`.
    pub fn closed_between(date: RecurringDate, from: ClockTime, until: ClockTime) -> Result<RecurringRule> {
        if until <= from {
            return Err(reversed_closure(format!("{date} {from}-{until}")));
        }
        Ok(RecurringRule {
            date,
            effect: RuleEffect::PartlyClosed {
                from,
                until: Some(until),
            },
            observance: Observance::None,
        })
    }

    /// Closes every date of `date` from `from` to the end of its windows.
    pub fn closed_from(date: RecurringDate, from: ClockTime) -> RecurringRule {
        RecurringRule {
            date,
            effect: RuleEffect::PartlyClosed { from, until: None },
            observance: Observance::None,
        }
    }

    /// Opens every date of `date` for `windows` instead of its weekday's.
    ///
    /// # Errors
    ///
    /// When two of the windows overlap.
    pub fn hours(date: RecurringDate, windows: Vec<Window>) -> Result<RecurringRule> {
        let windows = sorted_disjoint(windows, &date.to_string())?;
        Ok(RecurringRule {
            date,
            effect: RuleEffect::Hours(windows),
            observance: Observance::None,
        })
    }

    /// The same holiday, also kept as `observance` says when it falls on a
    /// weekend.
    ///
    /// # Errors
    ///
    /// When the rule is not a full-day closure on a calendar date: only
    /// holidays are observed, and a working-day rule never names a weekend.
    pub fn observed(mut self, observance: Observance) -> Result<RecurringRule> {
        if observance != Observance::None {
            if self.effect != RuleEffect::Closed {
                return Err(invalid_rule(
                    &self.date.to_string(),
                    "only a rule that closes all day (a holiday) can be observed on another day",
                ));
            }
            if self.date.is_working_day_rule() {
                return Err(invalid_rule(
                    &self.date.to_string(),
                    "a working day never falls on a weekend to be observed on another day",
                ));
            }
        }
        self.observance = observance;
        Ok(self)
    }

    /// The dates the rule names.
    pub fn date(&self) -> RecurringDate {
        self.date
    }

    /// What it does on them.
    pub fn effect(&self) -> &RuleEffect {
        &self.effect
    }

    /// Which other day a holiday is kept on when it falls on a weekend.
    pub fn observance(&self) -> Observance {
        self.observance
    }
}

/// The date `observance` adds for a holiday on `date`, for the rules that
/// need nothing but the date (the UK rule needs the other holidays).
#[allow(
    clippy::arithmetic_side_effects,
    reason = "one day either side of a date inside the horizon"
)]
pub(crate) fn us_observed(date: NaiveDate) -> Option<NaiveDate> {
    match date.weekday() {
        Weekday::Sat => date.pred_opt(),
        Weekday::Sun => date.succ_opt(),
        _ => None,
    }
}

pub(crate) fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn invalid_rule(input: &str, reason: &str) -> Error {
    Error::from(Detail::InvalidRule {
        field: String::new(),
        input: input.into(),
        reason: reason.into(),
    })
}

pub(crate) fn rule_error(input: &str, reason: String) -> Error {
    Error::from(Detail::InvalidRule {
        field: String::new(),
        input: input.into(),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn easter_sundays_match_published_tables() {
        // Western: US Naval Observatory, "The Date of Easter"; Orthodox:
        // the Orthodox Church's paschalion as published by the Greek
        // government's public holiday lists.
        let western = [
            (2000, 4, 23),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2038, 4, 25),
            (2285, 3, 22),
        ];
        for (y, m, d) in western {
            assert_eq!(easter_sunday(Computus::Western, y), Some(date(y, m, d)), "{y}");
        }
        let orthodox = [
            (2019, 4, 28),
            (2023, 4, 16),
            (2024, 5, 5),
            (2025, 4, 20),
            (2026, 4, 12),
            (2027, 5, 2),
        ];
        for (y, m, d) in orthodox {
            assert_eq!(easter_sunday(Computus::Orthodox, y), Some(date(y, m, d)), "{y}");
        }
    }

    #[test]
    fn easter_text_round_trips_and_bad_text_is_named() {
        for text in [
            "easter",
            "easter+1",
            "easter-2",
            "orthodox easter+50",
            "easter+250",
            "easter-80",
        ] {
            assert_eq!(text.parse::<EasterDate>().unwrap().to_string(), text);
        }
        let err = "easter+251".parse::<EasterDate>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid calendar rule `easter+251`: an Easter offset must lie within -80..=250 days, so that the date stays in its year"
        );
        for bad in [
            "easter+",
            "easter 1",
            "Easter+1",
            "easter+1d",
            "easter++1",
            "orthodox",
            "easter+99999",
        ] {
            assert!(bad.parse::<EasterDate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn recurring_dates_read_every_form() {
        let first_sunday: RecurringDate = "1st sun of month".parse().unwrap();
        let RecurringDate::Monthly(monthly) = first_sunday else {
            panic!()
        };
        assert_eq!(monthly.in_month(2026, 2), Some(date(2026, 2, 1)));
        assert_eq!(
            "last fri of month".parse::<RecurringDate>().unwrap().to_string(),
            "last fri of month"
        );
        let err = "every sunday".parse::<RecurringDate>().unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::InvalidRule);
        assert_eq!(err.input(), Some("every sunday"));
    }

    #[test]
    fn only_holidays_are_observed() {
        let maintenance = RecurringRule::closed_between(
            "1st sun of month".parse().unwrap(),
            ClockTime::hm(2, 0).unwrap(),
            ClockTime::hm(6, 0).unwrap(),
        )
        .unwrap();
        let err = maintenance.observed(Observance::UsFederal).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid calendar rule `1st sun of month`: only a rule that closes all day (a holiday) can be observed on another day"
        );
    }
}

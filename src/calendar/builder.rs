//! [`CalendarBuilder`]: the programmatic way to make a [`BusinessCalendar`].

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use chrono_tz::Tz;

use super::RecurringRule;
use super::rules::{DateRange, FloatingDate, PartialClosure, WEEKDAY_KEYS, Window, YearlyDate, sorted_disjoint};
use super::{BusinessCalendar, Rules};
use crate::error::{Detail, Error, Result};

/// The default horizon: local dates from 1970-01-01 up to (not including)
/// 2100-01-01. chrono-tz's transition table ends in 2099-2100 (past it
/// daylight saving time is no longer applied), so business hours past 2100
/// could not be exact anyway.
pub const DEFAULT_HORIZON: (NaiveDate, NaiveDate) = (
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date"),
    NaiveDate::from_ymd_opt(2100, 1, 1).expect("valid date"),
);

/// The longest horizon a calendar accepts, in days (400 years).
pub const MAX_HORIZON_DAYS: i64 = 146_097;

/// The most open spans (one per window per day, before adjacent spans are
/// merged) a calendar may materialise over its horizon: 2^21, about 34 MB
/// while it is built. Office hours over the default 130-year horizon need
/// about 50,000; 720 one-minute windows a day over it would need 34
/// million (3.3 s and 1.4 GiB) and are refused with a typed error instead
/// (shorten the horizon or merge the windows).
pub const MAX_OPEN_SPANS: usize = 1 << 21;

/// Collects a calendar's rules; [`CalendarBuilder::build`] validates them.
///
/// ```
/// use chrono::Weekday;
/// use servicelevel::calendar::{BusinessCalendar, Window};
///
/// let nine_to_five = "09:00-17:00".parse::<Window>()?;
/// let calendar = BusinessCalendar::builder(chrono_tz::America::New_York)
///     .weekdays(&[Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri], nine_to_five)
///     .holiday(chrono::NaiveDate::from_ymd_opt(2025, 12, 25).unwrap())
///     .build()?;
/// assert_eq!(calendar.time_zone(), chrono_tz::America::New_York);
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct CalendarBuilder {
    rules: Rules,
}

impl CalendarBuilder {
    pub(crate) fn new(tz: Tz) -> CalendarBuilder {
        CalendarBuilder {
            rules: Rules {
                tz,
                weekly: Default::default(),
                holidays: BTreeSet::new(),
                closed_ranges: Vec::new(),
                yearly: Vec::new(),
                floating: Vec::new(),
                recurring: Vec::new(),
                ics: Vec::new(),
                partial: Vec::new(),
                overrides: BTreeMap::new(),
                horizon: DEFAULT_HORIZON,
            },
        }
    }

    /// Opens `window` every `weekday`.
    pub fn window(mut self, weekday: Weekday, window: Window) -> CalendarBuilder {
        self.rules.weekly[weekday.num_days_from_monday() as usize].push(window);
        self
    }

    /// Opens `window` on each of `weekdays`.
    pub fn weekdays(self, weekdays: &[Weekday], window: Window) -> CalendarBuilder {
        weekdays.iter().fold(self, |builder, &day| builder.window(day, window))
    }

    /// Closes `date` all day.
    pub fn holiday(mut self, date: NaiveDate) -> CalendarBuilder {
        self.rules.holidays.insert(date);
        self
    }

    /// Closes every date in `range` all day.
    pub fn closed_range(mut self, range: DateRange) -> CalendarBuilder {
        self.rules.closed_ranges.push(range);
        self
    }

    /// Closes `date` every year.
    pub fn yearly_holiday(mut self, date: YearlyDate) -> CalendarBuilder {
        self.rules.yearly.push(date);
        self
    }

    /// Closes the date `date` names every year.
    pub fn floating_holiday(mut self, date: FloatingDate) -> CalendarBuilder {
        self.rules.floating.push(date);
        self
    }

    /// Adds a recurring rule: a holiday by Easter or with an observed day,
    /// a monthly maintenance closure, a short last working day (see
    /// [`RecurringRule`]).
    ///
    /// ```
    /// use servicelevel::calendar::{MONDAY_TO_FRIDAY, RecurringRule};
    /// use servicelevel::BusinessCalendar;
    /// let berlin = BusinessCalendar::builder(chrono_tz::Europe::Berlin)
    ///     .weekdays(&MONDAY_TO_FRIDAY, "09:00-17:00".parse()?)
    ///     .recurring(RecurringRule::closed("easter-2".parse()?))
    ///     .recurring(RecurringRule::closed("easter+1".parse()?))
    ///     .build()?;
    /// let good_friday_2025 = chrono::NaiveDate::from_ymd_opt(2025, 4, 18).unwrap();
    /// assert!(!berlin.is_working_day(good_friday_2025)?);
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    pub fn recurring(mut self, rule: RecurringRule) -> CalendarBuilder {
        self.rules.recurring.push(rule);
        self
    }

    /// Closes what an iCalendar (RFC 5545) feed lists: all-day events close
    /// their dates (multi-day events each of them), timed events the time
    /// they span, yearly `RRULE`s recur over the calendar's horizon and
    /// `EXDATE`s are left out. The library does no I/O: pass the feed's text.
    /// What is supported is listed in the crate docs ("Holidays from
    /// iCalendar feeds"); everything else is an error naming its line.
    ///
    /// All-day events count as holidays (a UK substitute day skips them);
    /// timed events close instants and do not change which day is a
    /// working day for the working-day rules.
    ///
    /// ```
    /// use servicelevel::calendar::MONDAY_TO_FRIDAY;
    /// use servicelevel::BusinessCalendar;
    /// let feed = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n\
    ///             DTSTART;VALUE=DATE:20251225\r\nRRULE:FREQ=YEARLY\r\n\
    ///             SUMMARY:Christmas Day\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    /// let office = BusinessCalendar::builder(chrono_tz::Europe::London)
    ///     .weekdays(&MONDAY_TO_FRIDAY, "09:00-17:30".parse()?)
    ///     .ics(feed)?
    ///     .build()?;
    /// let christmas_2026 = chrono::NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
    /// assert!(!office.is_working_day(christmas_2026)?);
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When the feed cannot be read, or uses a construct the calendar cannot
    /// represent ([`ErrorKind::InvalidIcs`](crate::ErrorKind::InvalidIcs), naming the line).
    #[cfg(feature = "ics")]
    pub fn ics(mut self, feed: &str) -> Result<CalendarBuilder> {
        let (start, end) = DEFAULT_HORIZON;
        super::ics::closures(feed, self.rules.tz, start, end)?;
        self.rules.ics.push(feed.into());
        Ok(self)
    }

    /// Closes part of one date.
    pub fn partial_closure(mut self, closure: PartialClosure) -> CalendarBuilder {
        self.rules.partial.push(closure);
        self
    }

    /// Replaces the weekly windows of `date` with `windows` (a short day, an
    /// extra Saturday). An override states the complete hours of its date:
    /// closure ranges and yearly or floating holidays do not apply to it,
    /// and a holiday or partial closure on the same date is rejected by
    /// [`build`](CalendarBuilder::build) as a contradiction.
    pub fn override_hours(mut self, date: NaiveDate, windows: Vec<Window>) -> CalendarBuilder {
        self.rules.overrides.entry(date).or_default().extend(windows);
        self
    }

    /// Sets the horizon: local dates `start` up to (not including) `end`.
    /// See [`BusinessCalendar`] for what the horizon means.
    pub fn horizon(mut self, start: NaiveDate, end: NaiveDate) -> CalendarBuilder {
        self.rules.horizon = (start, end);
        self
    }

    /// Validates the rules and materialises the calendar.
    ///
    /// Rejected: overlapping windows on one weekday or one override date;
    /// an override on a date that is also a holiday or has a partial
    /// closure; a horizon that is empty, longer than [`MAX_HORIZON_DAYS`] or
    /// outside the years 1 to 9999; a calendar with no open time inside its
    /// horizon; one with more than [`MAX_OPEN_SPANS`] open spans over it.
    ///
    /// # Errors
    ///
    /// When windows of one day overlap, an override and a dated closure name the same date, the
    /// horizon is empty, reversed or over 400 years, or the calendar has no open time in its
    /// horizon.
    pub fn build(self) -> Result<BusinessCalendar> {
        let mut rules = self.rules;
        validate_horizon(rules.horizon)?;
        for (day, windows) in rules.weekly.iter_mut().enumerate() {
            *windows = sorted_disjoint(std::mem::take(windows), &format!("weekly.{}", WEEKDAY_KEYS[day]))?;
        }
        for (date, windows) in rules.overrides.iter_mut() {
            *windows = sorted_disjoint(std::mem::take(windows), &format!("overrides.{date}"))?;
        }
        reject_contradictions(&rules)?;
        rules.closed_ranges.sort();
        rules.yearly.sort();
        rules.yearly.dedup();
        rules.floating.sort();
        rules.floating.dedup();
        rules.partial.sort();
        BusinessCalendar::from_rules(rules)
    }
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "dates within the years 1 to 9999: their difference in days is far from i64's range"
)]
fn validate_horizon((start, end): (NaiveDate, NaiveDate)) -> Result<()> {
    let invalid = |reason| Err(Error::from(Detail::InvalidHorizon { start, end, reason }));
    if end <= start {
        return invalid("the horizon must end after it starts");
    }
    if (end - start).num_days() > MAX_HORIZON_DAYS {
        return invalid("the horizon is longer than 400 years");
    }
    if start.year() < 1 || end.year() > 9999 {
        return invalid("the horizon must lie within the years 1 to 9999");
    }
    Ok(())
}

fn reject_contradictions(rules: &Rules) -> Result<()> {
    for date in rules.overrides.keys() {
        if rules.holidays.contains(date) {
            return Err(Error::from(Detail::ConflictingDates {
                date: *date,
                reason: "the date is both a holiday and has override hours",
            }));
        }
        if rules.partial.iter().any(|p| p.date() == *date) {
            return Err(Error::from(Detail::ConflictingDates {
                date: *date,
                reason: "the date has both override hours and a partial closure; put the reduced hours in the override",
            }));
        }
    }
    Ok(())
}

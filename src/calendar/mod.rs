//! Business hours over an IANA time zone: [`BusinessCalendar`].
//!
//! # Semantics
//!
//! Business time is the set of instants whose local wall-clock time, in the
//! calendar's zone, falls inside an open window of its local date. A window
//! belongs to the date it starts on; one whose end is not after its start
//! runs past midnight. Because the definition is about *instants*, clock
//! changes need no special rule: a window that spans a spring-forward gap is
//! shorter in real time, one that spans a fall-back fold is longer (the
//! repeated hour is open twice), and every duration is real elapsed time.
//!
//! A date's windows are its [override](CalendarBuilder::override_hours) if
//! it has one, else the weekly windows of its weekday. Full-day closures
//! (holidays, closed ranges, yearly and floating dates) close every window
//! that starts on the date, night shifts included; a partial closure closes
//! part of them. Overlapping windows of one day are rejected; windows of
//! adjacent days that overlap (a night shift into the next morning's
//! window) are united.
//!
//! # The horizon
//!
//! A calendar is materialised over a *horizon* of local dates
//! ([`DEFAULT_HORIZON`]: 1970 to 2099), which makes every query O(1)
//! whatever the span. Outside the horizon the calendar has no data:
//! [`BusinessCalendar::business_time`] and [`BusinessCalendar::is_open`]
//! treat it as closed there (so they stay total functions), while every
//! fallible query ([`BusinessCalendar::checked_business_time`],
//! [`BusinessCalendar::add_business_time`], [`BusinessCalendar::next_open`],
//! working days) returns an error of kind [`ErrorKind::OutsideHorizon`](crate::ErrorKind::OutsideHorizon) or
//! [`ErrorKind::HorizonExceeded`](crate::ErrorKind::HorizonExceeded) instead of guessing.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

mod builder;
mod columns;
mod day_plan;
#[cfg(feature = "ics")]
mod ics;
mod materialize;
mod period;
mod recurring;
mod rules;
#[cfg(feature = "serde")]
mod serde_form;
mod set;
mod table;
mod ticks;
mod time_basis;
mod working_days;
mod zone;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc, Weekday};
use chrono_tz::Tz;

pub use builder::{CalendarBuilder, DEFAULT_HORIZON, MAX_HORIZON_DAYS, MAX_OPEN_SPANS};
pub use columns::EpochUnit;
pub use period::{MAX_WINDOWS, Period};
pub use recurring::{
    Computus, EASTER_OFFSET_MAX, EASTER_OFFSET_MIN, EasterDate, MonthlyDate, Observance, RecurringDate, RecurringRule,
    RuleEffect,
};
pub use rules::{ClockTime, DateRange, FloatingDate, PartialClosure, WeekOfMonth, Window, YearlyDate};
pub use set::CalendarSet;
pub use time_basis::TimeBasis;
pub use working_days::Landing;
pub use zone::{Disambiguation, resolve_local};

use crate::error::{Detail, Error, Result};
use crate::interval::Interval;
use materialize::WorkingDays;
use table::{Pos, Table};

/// Monday to Friday, for [`CalendarBuilder::weekdays`].
pub const MONDAY_TO_FRIDAY: [Weekday; 5] = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri];

/// Every day of the week, Monday first, for [`CalendarBuilder::weekdays`].
pub const EVERY_DAY: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// Which instant [`BusinessCalendar::add_business_time_with`] returns when
/// several instants use up the budget exactly, which happens when it runs
/// out exactly at a closing time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Convention {
    /// The instant nearest `from`: going forward, the earliest instant at
    /// which the budget is used up (8 business hours from Mon 09:00 end Mon
    /// 17:00); going backward, the latest. ServiceNow, Jira Service
    /// Management and Zendesk report due times this way.
    #[default]
    EarliestInstant,
    /// Going forward, a budget used up exactly at a closing time gives the
    /// next opening (8 business hours from Mon 09:00 end Tue 09:00), as the
    /// `biz` and `Business::Hours` gems and pandas' `BusinessHour` do; going
    /// backward, a budget reached exactly at an opening gives the previous
    /// closing time.
    NextOpening,
}

/// Business hours in an IANA zone: weekly windows, closures and overrides,
/// materialised over a horizon for O(1) queries.
///
/// Cheap to clone (the tables are shared) and `Send + Sync`.
///
/// # Properties
///
/// For instants `a`, `b`, `c` and durations `d`, `e`:
/// - additivity: `business_time(a, b) + business_time(b, c) == business_time(a, c)`;
/// - antisymmetry: `business_time(a, b) == -business_time(b, a)`;
/// - bounds: `0 <= business_time(a, b) <= b - a` when `a <= b`, with
///   equality to `b - a` for a 24x7 calendar inside its horizon;
/// - inverse: `business_time(a, add_business_time(a, d)?) == d`;
/// - monotonicity: `add_business_time(a, d)` is non-decreasing in `a` and
///   in `d`;
/// - the result of `add_business_time(a, d)` is the *earliest* instant with
///   that business time when `d > 0` (the latest when `d < 0`).
///
/// Each is a property test in `tests/integration/calendar_props.rs`, and
/// `business_time` is checked there against a brute-force oracle that walks
/// minutes.
#[derive(Clone)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(into = "serde_form::CalendarForm")
)]
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use servicelevel::calendar::MONDAY_TO_FRIDAY;
/// use servicelevel::BusinessCalendar;
/// let office = BusinessCalendar::builder(chrono_tz::Europe::London)
///     .weekdays(&MONDAY_TO_FRIDAY, "09:00-17:30".parse()?)
///     .holiday(chrono::NaiveDate::from_ymd_opt(2025, 12, 25).unwrap())
///     .build()?;
/// let wed = Utc.with_ymd_and_hms(2025, 12, 24, 16, 0, 0).unwrap(); // 16:00 GMT
/// let fri = Utc.with_ymd_and_hms(2025, 12, 26, 10, 0, 0).unwrap();
/// assert_eq!(office.business_time(wed, fri), TimeDelta::hours(2) + TimeDelta::minutes(30)); // 1.5 h + 1 h
/// assert!(!office.is_open(Utc.with_ymd_and_hms(2025, 12, 25, 12, 0, 0).unwrap()));
/// # Ok::<(), servicelevel::Error>(())
/// ```
pub struct BusinessCalendar {
    inner: Arc<Inner>,
}

struct Inner {
    rules: Rules,
    table: Table,
    days: WorkingDays,
}

/// The validated rules, as configured (kept for serialisation and
/// inspection).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Rules {
    pub(crate) tz: Tz,
    /// Monday first; each day's windows sorted and disjoint.
    pub(crate) weekly: [Vec<Window>; 7],
    pub(crate) holidays: BTreeSet<NaiveDate>,
    pub(crate) closed_ranges: Vec<DateRange>,
    pub(crate) yearly: Vec<YearlyDate>,
    pub(crate) floating: Vec<FloatingDate>,
    /// In the order given (the serde form keeps it).
    pub(crate) recurring: Vec<RecurringRule>,
    /// iCalendar feeds, checked when added and expanded over the horizon
    /// when built (feature `ics`; always empty without it).
    pub(crate) ics: Vec<Arc<str>>,
    pub(crate) partial: Vec<PartialClosure>,
    pub(crate) overrides: BTreeMap<NaiveDate, Vec<Window>>,
    pub(crate) horizon: (NaiveDate, NaiveDate),
}

impl std::fmt::Debug for BusinessCalendar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BusinessCalendar")
            .field("rules", &self.inner.rules)
            .field("open_intervals", &self.inner.table.open_spans().len())
            .finish()
    }
}

impl PartialEq for BusinessCalendar {
    /// Two calendars are equal when their rules are.
    fn eq(&self, other: &BusinessCalendar) -> bool {
        self.inner.rules == other.inner.rules
    }
}

/// Parses an IANA zone name; the error names the input.
///
/// # Errors
///
/// When the name is not in the IANA time zone database chrono-tz ships
/// ([`ErrorKind::UnknownTimeZone`](crate::ErrorKind::UnknownTimeZone)).
pub fn time_zone(name: &str) -> Result<Tz> {
    name.parse::<Tz>()
        .map_err(|_| Error::from(Detail::UnknownTimeZone { name: name.into() }))
}

impl BusinessCalendar {
    /// Starts a calendar in `tz` with no windows.
    pub fn builder(tz: Tz) -> CalendarBuilder {
        CalendarBuilder::new(tz)
    }

    /// A calendar open around the clock, every day, over the default horizon.
    pub fn always_open(tz: Tz) -> BusinessCalendar {
        let all_day = Window::new(ClockTime::MIDNIGHT, ClockTime::END_OF_DAY).expect("00:00-24:00 is a window");
        BusinessCalendar::builder(tz)
            .weekdays(&EVERY_DAY, all_day)
            .build()
            .expect("a 24x7 calendar has open time")
    }

    fn from_rules(rules: Rules) -> Result<BusinessCalendar> {
        let (table, days) = materialize::materialize(&rules)?;
        Ok(BusinessCalendar {
            inner: Arc::new(Inner { rules, table, days }),
        })
    }

    /// The same calendar in another zone: the same weekly hours, holidays,
    /// closures, rules and horizon, read as local times of `tz` (a desk's
    /// office hours for each of its sites). Rebuilding reuses the zone's
    /// sampled offsets (a per-process memo), so a calendar per zone is cheap.
    ///
    /// Timed events of an iCalendar feed keep their own instants (UTC, or
    /// their `TZID`); only floating ones move with the zone.
    ///
    /// ```
    /// use servicelevel::calendar::MONDAY_TO_FRIDAY;
    /// use servicelevel::BusinessCalendar;
    /// let paris = BusinessCalendar::builder(chrono_tz::Europe::Paris)
    ///     .weekdays(&MONDAY_TO_FRIDAY, "09:00-17:00".parse()?)
    ///     .build()?;
    /// let tokyo = paris.with_time_zone(chrono_tz::Asia::Tokyo)?;
    /// let monday_9_tokyo = "2025-06-02T00:00:00Z".parse()?; // 09:00 JST
    /// assert!(tokyo.is_open(monday_9_tokyo));
    /// assert!(!paris.is_open(monday_9_tokyo)); // 02:00 in Paris
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`CalendarBuilder::build`]: the calendar could have no open time
    /// in the new zone's reading of the horizon (never for a calendar that
    /// has some, in practice), or too many spans.
    pub fn with_time_zone(&self, tz: Tz) -> Result<BusinessCalendar> {
        let mut rules = self.inner.rules.clone();
        rules.tz = tz;
        BusinessCalendar::from_rules(rules)
    }

    /// The calendar's zone.
    pub fn time_zone(&self) -> Tz {
        self.inner.rules.tz
    }

    /// The horizon's local dates: `start` up to (not including) `end`.
    pub fn horizon(&self) -> (NaiveDate, NaiveDate) {
        self.inner.rules.horizon
    }

    /// The horizon as instants: local midnight of its first date up to local
    /// midnight of its end date.
    pub fn horizon_interval(&self) -> Interval {
        Interval::new_unchecked(instant(self.inner.table.base), instant(self.inner.table.limit))
    }

    /// The weekly windows of `weekday`, sorted.
    pub fn weekly_windows(&self, weekday: Weekday) -> &[Window] {
        &self.inner.rules.weekly[weekday.num_days_from_monday() as usize]
    }

    /// Total business time in the horizon.
    pub fn total_business_time(&self) -> TimeDelta {
        TimeDelta::seconds(self.inner.table.total)
    }

    /// Business time in `[from, to)`; negative when `to < from`.
    ///
    /// The calendar counts as closed outside its horizon; use
    /// [`checked_business_time`](Self::checked_business_time) to have that
    /// reported as an error instead.
    ///
    /// ```
    /// # use servicelevel::calendar::{BusinessCalendar, Window};
    /// # use chrono::{TimeDelta, TimeZone, Utc, Weekday::*};
    /// let calendar = BusinessCalendar::builder(chrono_tz::UTC)
    ///     .weekdays(&[Mon, Tue, Wed, Thu, Fri], "08:00-17:00".parse::<Window>()?)
    ///     .build()?;
    /// // Fri 21:00 to Mon 09:30: 60h30m on the wall clock, 1h30m of business.
    /// let friday = Utc.with_ymd_and_hms(2014, 12, 12, 21, 0, 0).unwrap();
    /// let monday = Utc.with_ymd_and_hms(2014, 12, 15, 9, 30, 0).unwrap();
    /// assert_eq!(calendar.business_time(friday, monday), TimeDelta::minutes(90));
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    #[inline]
    pub fn business_time(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeDelta {
        delta_between(self.position(from), self.position(to))
    }

    /// Business time in `[from, to)`, or an error when either instant is
    /// outside the horizon.
    ///
    /// # Errors
    ///
    /// When `from` or `to` lies outside the calendar's horizon.
    pub fn checked_business_time(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<TimeDelta> {
        self.check_inside(from)?;
        self.check_inside(to)?;
        Ok(self.business_time(from, to))
    }

    /// True when the calendar is open at `at` (false outside the horizon).
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        let table = &self.inner.table;
        let t = at.timestamp();
        if t < table.base || t >= table.limit {
            return false;
        }
        table
            .open_spans()
            .get(table.locate(t))
            .is_some_and(|span| span.start <= t)
    }

    /// The first instant at or after `at` at which the calendar is open
    /// (`at` itself when it is open).
    ///
    /// # Errors
    ///
    /// When the calendar does not open again before the end of its horizon, or `at` lies outside
    /// it.
    pub fn next_open(&self, at: DateTime<Utc>) -> Result<DateTime<Utc>> {
        self.check_inside(at)?;
        if self.is_open(at) {
            return Ok(at);
        }
        let table = &self.inner.table;
        match table.open_spans().get(table.locate(at.timestamp())) {
            Some(span) => Ok(instant(span.start)),
            None => Err(self.exceeded(at, "the next opening".into())),
        }
    }

    /// The first instant at or after `at` at which the calendar is closed
    /// (`at` itself when it is closed). An error when the calendar stays open
    /// to the end of its horizon.
    ///
    /// # Errors
    ///
    /// When the calendar does not close again before the end of its horizon, or `at` lies outside
    /// it.
    pub fn next_close(&self, at: DateTime<Utc>) -> Result<DateTime<Utc>> {
        self.check_inside(at)?;
        if !self.is_open(at) {
            return Ok(at);
        }
        let table = &self.inner.table;
        let span = table.open_spans()[table.locate(at.timestamp())];
        if span.end >= table.limit {
            return Err(self.exceeded(at, "the next closing time".into()));
        }
        Ok(instant(span.end))
    }

    /// The open intervals inside `[from, to)`, clipped to it, in order.
    pub fn open_intervals(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> OpenIntervals<'_> {
        let table = &self.inner.table;
        let t = from.timestamp().clamp(table.base, table.limit);
        let next = if t >= table.limit {
            table.open_spans().len()
        } else {
            table.locate(t)
        };
        OpenIntervals {
            calendar: self,
            next,
            from,
            to,
        }
    }

    /// The instant at which `amount` of business time counted from `from`
    /// is used up, under [`Convention::EarliestInstant`]: the earliest
    /// instant `t >= from` with `business_time(from, t) == amount` (a budget
    /// used up exactly at 17:00 gives 17:00). A negative `amount` counts
    /// backwards and gives the latest such `t <= from`. Zero gives `from`.
    ///
    /// An error when `from` is outside the horizon or the horizon holds
    /// less business time than asked for; the answer costs the same
    /// whatever the amount.
    ///
    /// ```
    /// # use servicelevel::calendar::{BusinessCalendar, Window};
    /// # use chrono::{TimeDelta, TimeZone, Utc, Weekday::*};
    /// let calendar = BusinessCalendar::builder(chrono_tz::UTC)
    ///     .weekdays(&[Mon, Tue, Wed, Thu, Fri], "09:00-17:00".parse::<Window>()?)
    ///     .build()?;
    /// let friday = Utc.with_ymd_and_hms(2025, 1, 10, 16, 30, 0).unwrap();
    /// let due = calendar.add_business_time(friday, TimeDelta::hours(1))?;
    /// assert_eq!(due, Utc.with_ymd_and_hms(2025, 1, 13, 9, 30, 0).unwrap());
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When `from` lies outside the horizon, or the horizon holds less business time than asked for
    /// ([`ErrorKind::HorizonExceeded`](crate::ErrorKind::HorizonExceeded)).
    pub fn add_business_time(&self, from: DateTime<Utc>, amount: TimeDelta) -> Result<DateTime<Utc>> {
        self.add_business_time_with(from, amount, Convention::EarliestInstant)
    }

    /// [`add_business_time`](Self::add_business_time) under a chosen
    /// [`Convention`].
    ///
    /// # Errors
    ///
    /// As [`BusinessCalendar::add_business_time`].
    pub fn add_business_time_with(
        &self,
        from: DateTime<Utc>,
        amount: TimeDelta,
        convention: Convention,
    ) -> Result<DateTime<Utc>> {
        let from_secs = from.timestamp();
        self.check_inside_seconds(from, from_secs)?;
        let (amount_secs, amount_nanos) = split(amount);
        if amount_secs == 0 && amount_nanos == 0 {
            return Ok(from);
        }
        let from_pos = Pos {
            secs: from_secs,
            nanos: from.timestamp_subsec_nanos().min(NANOS_PER_SECOND - 1),
        };
        match self.add_at(from_pos, (amount_secs, amount_nanos), convention) {
            Some(at) => Ok(self.inner.table.instant(at)),
            None => Err(self.exceeded(from, format!("business time `{amount}`"))),
        }
    }

    /// The instant `amount` (whole seconds, nanoseconds `0..1e9`) of
    /// business time from `from`, an instant inside the horizon; `None` when
    /// the horizon does not hold it. Always inlined: called out of line,
    /// its lookups were too, and `add_business_time` cost 409 instructions
    /// instead of 365.
    #[inline(always)]
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "positions are seconds inside the horizon (below 2^39) and amounts TimeDelta seconds (below 2^53), so their sums fit an i64; two nanosecond parts below 10^9 fit a u32"
    )]
    fn add_at(&self, from: Pos, (amount_secs, amount_nanos): (i64, u32), convention: Convention) -> Option<Pos> {
        let table = &self.inner.table;
        let start = table.position(from.secs, from.nanos);
        let mut target = Pos {
            secs: start.secs + amount_secs,
            nanos: start.nanos + amount_nanos,
        };
        if target.nanos >= NANOS_PER_SECOND {
            target = Pos {
                secs: target.secs + 1,
                nanos: target.nanos - NANOS_PER_SECOND,
            };
        }
        let forward = target > start;
        let earliest = forward == (convention == Convention::EarliestInstant);
        let (zero, total) = (Pos::whole(0), Pos::whole(table.total));
        let reachable = if earliest {
            zero < target && target <= total
        } else {
            zero <= target && target < total
        };
        if !reachable {
            return None;
        }
        Some(if earliest {
            table.earliest_at(target)
        } else {
            table.latest_at(target)
        })
    }

    /// Business time in `[from, to)` for instants given as nanoseconds
    /// since the Unix epoch: the availability measure's hot path, which
    /// keeps instants as integers.
    #[inline]
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "positions are seconds inside the horizon (below 2^39) and amounts TimeDelta seconds (below 2^53), so their sums fit an i64; two nanosecond parts below 10^9 fit a u32"
    )]
    pub(crate) fn business_nanos(&self, from: i64, to: i64) -> i128 {
        let position = |t: i64| {
            self.inner
                .table
                .position(t.div_euclid(1_000_000_000), t.rem_euclid(1_000_000_000) as u32)
        };
        let (a, b) = (position(from), position(to));
        i128::from(b.secs - a.secs) * 1_000_000_000 + (i128::from(b.nanos) - i128::from(a.nanos))
    }

    #[inline(always)]
    fn position(&self, at: DateTime<Utc>) -> Pos {
        // A leap second's nanoseconds (>= 1e9) count as the end of its second.
        self.inner
            .table
            .position(at.timestamp(), at.timestamp_subsec_nanos().min(999_999_999))
    }

    fn check_inside(&self, at: DateTime<Utc>) -> Result<()> {
        self.check_inside_seconds(at, at.timestamp())
    }

    #[inline]
    fn check_inside_seconds(&self, at: DateTime<Utc>, t: i64) -> Result<()> {
        let table = &self.inner.table;
        if t < table.base || t >= table.limit {
            return Err(self.outside_horizon(at));
        }
        Ok(())
    }

    /// The error for an instant outside the horizon.
    fn outside_horizon(&self, at: DateTime<Utc>) -> Error {
        let table = &self.inner.table;
        Error::from(Detail::OutsideHorizon {
            instant: at,
            horizon_start: instant(table.base),
            horizon_end: instant(table.limit),
        })
    }

    fn exceeded(&self, from: DateTime<Utc>, request: String) -> Error {
        let table = &self.inner.table;
        Error::horizon_exceeded(from, request, (instant(table.base), instant(table.limit)))
    }
}

/// The open intervals of a calendar inside a range; made by
/// [`BusinessCalendar::open_intervals`].
#[derive(Clone, Debug)]
pub struct OpenIntervals<'a> {
    calendar: &'a BusinessCalendar,
    next: usize,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

impl Iterator for OpenIntervals<'_> {
    type Item = Interval;

    #[allow(
        clippy::arithmetic_side_effects,
        reason = "positions are seconds inside the horizon (below 2^39) and amounts TimeDelta seconds (below 2^53), so their sums fit an i64; two nanosecond parts below 10^9 fit a u32"
    )]
    fn next(&mut self) -> Option<Interval> {
        let span = *self.calendar.inner.table.open_spans().get(self.next)?;
        self.next += 1;
        let start = instant(span.start).max(self.from);
        let end = instant(span.end).min(self.to);
        if start >= self.to || start >= end {
            self.next = usize::MAX;
            return None;
        }
        Some(Interval::new_unchecked(start, end))
    }
}

fn instant(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

const NANOS_PER_SECOND: u32 = 1_000_000_000;

/// A duration as whole seconds (floored) and nanoseconds `0..1e9`.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "positions are seconds inside the horizon (below 2^39) and amounts TimeDelta seconds (below 2^53), so their sums fit an i64; two nanosecond parts below 10^9 fit a u32"
)]
fn split(amount: TimeDelta) -> (i64, u32) {
    let (secs, nanos) = (amount.num_seconds(), amount.subsec_nanos());
    if nanos < 0 {
        (secs - 1, (nanos + NANOS_PER_SECOND as i32) as u32)
    } else {
        (secs, nanos as u32)
    }
}

/// `to - from` as a `TimeDelta`. Business time within a 400-year horizon is
/// far inside `TimeDelta`'s range.
#[inline]
#[allow(
    clippy::arithmetic_side_effects,
    reason = "positions are seconds inside the horizon (below 2^39) and amounts TimeDelta seconds (below 2^53), so their sums fit an i64; two nanosecond parts below 10^9 fit a u32"
)]
fn delta_between(from: Pos, to: Pos) -> TimeDelta {
    let (mut secs, mut nanos) = (to.secs - from.secs, i64::from(to.nanos) - i64::from(from.nanos));
    if nanos < 0 {
        secs -= 1;
        nanos += i64::from(NANOS_PER_SECOND);
    }
    TimeDelta::new(secs, nanos as u32).unwrap_or(if secs < 0 { TimeDelta::MIN } else { TimeDelta::MAX })
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(BusinessCalendar, serde_form::CalendarForm);

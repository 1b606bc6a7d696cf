//! Outage records and maintenance windows.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, Utc};

use super::impact::Impact;
use crate::calendar::BusinessCalendar;
use crate::error::{Detail, Error, Result};
use crate::interval::Interval;

/// An unplanned outage of a service or component: `[start, end)` with an
/// impact level. An outage with no end is still open and runs until the
/// `as_of` instant it is measured at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(into = "OutageForm"))]
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use servicelevel::{Impact, Outage};
/// let down = Utc.with_ymd_and_hms(2025, 4, 10, 14, 0, 0).unwrap();
/// let outage = Outage::new(down, down + TimeDelta::minutes(90), Impact::Partial)?;
/// assert_eq!(outage.start(), down);
/// assert!(Outage::new(down, down, Impact::Major).is_err()); // no length
/// # Ok::<(), servicelevel::Error>(())
/// ```
pub struct Outage {
    // Kept as nanoseconds since the epoch: measuring a million outages then
    // needs no calendar-date arithmetic.
    start: i64,
    end: Option<i64>,
    impact: Impact,
}

impl Outage {
    /// A closed outage; an error when it ends before it starts or has no
    /// length (a zero-length outage is almost always an export artefact,
    /// so it is reported rather than silently counted as nothing), or lies
    /// outside the years 1677 to 2262 (nanoseconds in an `i64`).
    ///
    /// # Errors
    ///
    /// When the outage ends before it starts, has no length, or lies outside the years 1677 to
    /// 2262.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>, impact: Impact) -> Result<Outage> {
        let (start, end) = (
            crate::interval::without_leap_second(start),
            crate::interval::without_leap_second(end),
        );
        let reason = if end < start {
            Some("the end is before the start")
        } else if end == start {
            Some("the outage has no length")
        } else {
            None
        };
        let bad = |reason| {
            Error::from(Detail::InvalidOutage {
                index: None,
                input: format!("{start}..{end}"),
                reason,
            })
        };
        if let Some(reason) = reason {
            return Err(bad(reason));
        }
        match (start.timestamp_nanos_opt(), end.timestamp_nanos_opt()) {
            (Some(start), Some(end)) => Ok(Outage {
                start,
                end: Some(end),
                impact,
            }),
            _ => Err(bad(OUT_OF_RANGE)),
        }
    }

    /// An outage still open: it runs until the `as_of` of each measurement.
    /// An error outside the years 1677 to 2262.
    ///
    /// # Errors
    ///
    /// When the start lies outside the years 1677 to 2262.
    pub fn open(start: DateTime<Utc>, impact: Impact) -> Result<Outage> {
        let start = crate::interval::without_leap_second(start);
        let nanos = start.timestamp_nanos_opt().ok_or_else(|| {
            Error::from(Detail::InvalidOutage {
                index: None,
                input: format!("{start}.."),
                reason: OUT_OF_RANGE,
            })
        })?;
        Ok(Outage {
            start: nanos,
            end: None,
            impact,
        })
    }

    /// When the outage began.
    pub fn start(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_nanos(self.start)
    }

    /// When service was restored, or `None` while the outage is open.
    pub fn end(&self) -> Option<DateTime<Utc>> {
        self.end.map(DateTime::from_timestamp_nanos)
    }

    /// How badly the service was affected.
    pub fn impact(&self) -> Impact {
        self.impact
    }

    pub(crate) fn start_nanos(&self) -> i64 {
        self.start
    }

    pub(crate) fn end_nanos(&self) -> Option<i64> {
        self.end
    }
}

const OUT_OF_RANGE: &str = "the outage is outside the years 1677 to 2262";

#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[allow(dead_code)]
struct OutageForm {
    start: DateTime<Utc>,
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    end: Option<DateTime<Utc>>,
    impact: Impact,
}

impl TryFrom<OutageForm> for Outage {
    type Error = Error;

    fn try_from(form: OutageForm) -> Result<Outage> {
        match form.end {
            Some(end) => Outage::new(form.start, end, form.impact),
            None => Outage::open(form.start, form.impact),
        }
    }
}

impl From<Outage> for OutageForm {
    fn from(outage: Outage) -> OutageForm {
        OutageForm {
            start: outage.start(),
            end: outage.end(),
            impact: outage.impact,
        }
    }
}

/// How planned maintenance counts in availability.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum MaintenanceMode {
    /// Maintenance is taken out of the agreed service time:
    /// `(T - M - D) / (T - M)`, as contracts and ITIL define availability.
    #[default]
    Excluded,
    /// Maintenance counts as time the service was up: `(T - D) / T`.
    CountedAsUp,
    /// Maintenance counts as downtime: `(T - M - D) / T`.
    CountedAsDown,
}

/// Planned maintenance: one-off windows and a recurring schedule.
///
/// A recurring schedule is a [`BusinessCalendar`] whose *open* hours are the
/// maintenance windows (every Sunday 02:00-04:00 local time, say), so that
/// it gets the calendar's time zone, DST and holiday rules for free.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Maintenance {
    /// One-off windows; they may overlap each other and the schedule.
    #[cfg_attr(feature = "serde", serde(default))]
    pub windows: Vec<Interval>,
    /// A recurring schedule, as the open hours of a calendar.
    #[cfg_attr(feature = "serde", serde(default))]
    pub recurring: Option<BusinessCalendar>,
}

impl Maintenance {
    /// No maintenance.
    pub fn none() -> Maintenance {
        Maintenance::default()
    }

    /// The maintenance inside `[from, to)` as sorted, disjoint intervals.
    pub fn intervals(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Interval> {
        let mut all: Vec<Interval> = self
            .windows
            .iter()
            .filter_map(|w| w.intersection(&Interval::new_unchecked(from, to.max(from))))
            .collect();
        if let Some(schedule) = &self.recurring {
            all.extend(schedule.open_intervals(from, to));
        }
        crate::interval::union(&all)
    }
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(Outage, OutageForm);

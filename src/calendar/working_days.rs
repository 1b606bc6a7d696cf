//! Working days: local dates with some open time, counted and stepped over
//! in O(log n) through a prefix count.

use chrono::{DateTime, NaiveDate, Offset, TimeZone, Utc};

use super::zone::{Disambiguation, resolve_local};
use super::{BusinessCalendar, instant};
use crate::error::{Detail, Error, Result};

/// Where [`BusinessCalendar::add_working_days`] lands on the target day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Landing {
    /// The same local wall-clock time as the start, resolved through the
    /// given rule when that time is skipped or repeated on the target day.
    SameClockTime(Disambiguation),
    /// The moment the target day's last window closes (GLPI's "end of
    /// working day" option for SLAs counted in days).
    EndOfWorkingDay,
}

/// The same clock time, resolved as [`Disambiguation::Compatible`] (what
/// GLPI and most tools do; see the crate docs on daylight saving time).
impl Default for Landing {
    fn default() -> Landing {
        Landing::SameClockTime(Disambiguation::Compatible)
    }
}

impl BusinessCalendar {
    /// True when `date` has some open time (a date whose only window falls
    /// in a skipped stretch of local time has none).
    ///
    /// # Errors
    ///
    /// When `date` lies outside the calendar's horizon.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool> {
        Ok(self.inner.days.close[self.day_index(date)?].is_some())
    }

    /// The number of working days among the dates `from` up to (not
    /// including) `to`; negative when `to < from`.
    ///
    /// # Errors
    ///
    /// When a date lies outside the calendar's horizon.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "day indices inside the horizon (at most 146,097 days) and counts of working days below that"
    )]
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<i64> {
        if to < from {
            return self.working_days_between(to, from).map(|n| -n);
        }
        let first = self.day_index(from)?;
        let last = self.day_boundary(to)?;
        let before = &self.inner.days.before;
        Ok(i64::from(before[last]) - i64::from(before[first]))
    }

    /// The instant `days` working days after (or, when negative, before) the
    /// local date of `from`, landing as `landing` says. The start date itself
    /// is not counted: one working day after a Friday or a Saturday is the
    /// Monday. Zero days gives `from`.
    ///
    /// # Errors
    ///
    /// When `from` lies outside the horizon, the horizon has fewer working days than asked for, or
    /// (with [`Disambiguation::Reject`]) the landing clock time is skipped or repeated on the
    /// target day.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "day indices inside the horizon (at most 146,097 days) and counts of working days below that"
    )]
    pub fn add_working_days(&self, from: DateTime<Utc>, days: i64, landing: Landing) -> Result<DateTime<Utc>> {
        if days == 0 {
            return Ok(from);
        }
        let tz = self.time_zone();
        // Checked: `with_timezone` panics on instants at the edge of chrono's range.
        let offset = tz.offset_from_utc_datetime(&from.naive_utc()).fix();
        let local = from
            .naive_utc()
            .checked_add_offset(offset)
            .ok_or_else(|| self.outside(from))?;
        let start = self.day_index(local.date())?;
        let before = &self.inner.days.before;
        // The target is the working day with `count` working days before it.
        let count = if days > 0 {
            i64::from(before[start + 1]).checked_add(days - 1)
        } else {
            i64::from(before[start]).checked_add(days)
        };
        let target = count
            .and_then(|c| usize::try_from(c).ok())
            .filter(|&c| c < *before.last().expect("never empty") as usize)
            .map(|c| before.partition_point(|&b| b as usize <= c) - 1)
            .ok_or_else(|| self.exceeded(from, format!("`{days}` working days")))?;
        match landing {
            Landing::EndOfWorkingDay => Ok(instant(self.inner.days.close[target].expect("a working day closes"))),
            Landing::SameClockTime(rule) => {
                let date = self.inner.days.first + chrono::TimeDelta::days(target as i64);
                resolve_local(tz, date.and_time(local.time()), rule)
            }
        }
    }

    /// When the last window of `date` closes, or `None` on a day with no open
    /// time.
    ///
    /// # Errors
    ///
    /// When `date` lies outside the calendar's horizon.
    pub fn working_day_close(&self, date: NaiveDate) -> Result<Option<DateTime<Utc>>> {
        Ok(self.inner.days.close[self.day_index(date)?].map(instant))
    }

    #[allow(
        clippy::arithmetic_side_effects,
        reason = "day indices inside the horizon (at most 146,097 days) and counts of working days below that"
    )]
    fn day_index(&self, date: NaiveDate) -> Result<usize> {
        let days = &self.inner.days;
        let index = (date - days.first).num_days();
        if index < 0 || index as usize >= days.close.len() {
            return Err(self.date_outside(date));
        }
        Ok(index as usize)
    }

    /// Like `day_index`, but the end date of the horizon is allowed too.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "day indices inside the horizon (at most 146,097 days) and counts of working days below that"
    )]
    fn day_boundary(&self, date: NaiveDate) -> Result<usize> {
        let days = &self.inner.days;
        let index = (date - days.first).num_days();
        if index < 0 || index as usize > days.close.len() {
            return Err(self.date_outside(date));
        }
        Ok(index as usize)
    }

    fn outside(&self, at: DateTime<Utc>) -> Error {
        let horizon = self.horizon_interval();
        Error::from(Detail::OutsideHorizon {
            instant: at,
            horizon_start: horizon.start(),
            horizon_end: horizon.end(),
        })
    }

    fn date_outside(&self, date: NaiveDate) -> Error {
        let (horizon_start, horizon_end) = self.horizon();
        Error::from(Detail::DateOutsideHorizon {
            date,
            horizon_start,
            horizon_end,
        })
    }
}

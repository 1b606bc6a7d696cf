//! How elapsed time is counted: on a business calendar, or on the wall
//! clock. One type for the SLA clock and for the metrics.

use chrono::{DateTime, TimeDelta, Utc};

use super::{BusinessCalendar, Convention};
use crate::error::{Error, Result};

/// How elapsed time is counted. The SLA clock counts a policy's time on
/// one (business time for a business-time or working-days target, wall
/// clock for a wall-clock one), and the incident metrics take one.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use servicelevel::calendar::{TimeBasis, MONDAY_TO_FRIDAY};
/// use servicelevel::BusinessCalendar;
///
/// let office = BusinessCalendar::builder(chrono_tz::UTC).weekdays(&MONDAY_TO_FRIDAY, "09:00-17:00".parse()?).build()?;
/// let friday_16h = Utc.with_ymd_and_hms(2025, 3, 7, 16, 0, 0).unwrap();
/// let monday_10h = Utc.with_ymd_and_hms(2025, 3, 10, 10, 0, 0).unwrap();
/// assert_eq!(TimeBasis::BusinessTime(&office).time(friday_16h, monday_10h), TimeDelta::hours(2));
/// assert_eq!(TimeBasis::WallClock.time(friday_16h, monday_10h), TimeDelta::hours(66));
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum TimeBasis<'a> {
    /// Wall-clock time: every second counts.
    WallClock,
    /// Business time of a calendar (an instant outside its horizon counts
    /// as closed there).
    BusinessTime(&'a BusinessCalendar),
}

impl TimeBasis<'_> {
    /// The time counted from `from` to `to` (negative when `to` is earlier).
    #[inline]
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "the difference of two instants chrono holds fits a TimeDelta"
    )]
    pub fn time(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeDelta {
        match self {
            TimeBasis::BusinessTime(calendar) => calendar.business_time(from, to),
            TimeBasis::WallClock => to - from,
        }
    }

    /// The instant where `amount` counted from `from` is used up; a zero
    /// amount under [`Convention::NextOpening`] gives the first open instant
    /// at or after `from`, where time would start counting.
    ///
    /// # Errors
    ///
    /// When the answer lies past the calendar's horizon (or, on the wall
    /// clock, past the range of instants).
    pub fn add(&self, from: DateTime<Utc>, amount: TimeDelta, convention: Convention) -> Result<DateTime<Utc>> {
        match self {
            TimeBasis::WallClock => from.checked_add_signed(amount).ok_or_else(|| {
                Error::horizon_exceeded(
                    from,
                    format!("wall-clock time {}", crate::duration::format(amount)),
                    (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC),
                )
            }),
            TimeBasis::BusinessTime(calendar) if amount.is_zero() && convention == Convention::NextOpening => {
                if calendar.is_open(from) {
                    Ok(from)
                } else {
                    calendar.next_open(from)
                }
            }
            TimeBasis::BusinessTime(calendar) => calendar.add_business_time_with(from, amount, convention),
        }
    }
}

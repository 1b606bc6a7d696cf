//! Measuring time for a policy: on a business calendar, or on the wall
//! clock without one.

use chrono::{DateTime, TimeDelta, Utc};

use crate::calendar::{BusinessCalendar, Convention};
use crate::event::Problem;

#[derive(Clone, Copy, Debug)]
pub(crate) enum Meter<'a> {
    Business(&'a BusinessCalendar),
    Wall,
}

impl Meter<'_> {
    #[inline]
    pub fn time(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> TimeDelta {
        match self {
            Meter::Business(calendar) => calendar.business_time(from, to),
            Meter::Wall => to - from,
        }
    }

    /// The instant where `amount` counted from `from` is used up; a zero
    /// amount under [`Convention::NextOpening`] gives the first open instant
    /// at or after `from`, where time would start counting.
    pub fn add(
        &self,
        from: DateTime<Utc>,
        amount: TimeDelta,
        convention: Convention,
    ) -> Result<DateTime<Utc>, Problem> {
        let result = match self {
            Meter::Wall => {
                return from.checked_add_signed(amount).ok_or_else(|| Problem::Calendar {
                    error: crate::Error::horizon_exceeded(
                        from,
                        format!("wall-clock time {}", crate::duration::format(amount)),
                        (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC),
                    ),
                });
            }
            Meter::Business(calendar) if amount.is_zero() && convention == Convention::NextOpening => {
                if calendar.is_open(from) {
                    Ok(from)
                } else {
                    calendar.next_open(from)
                }
            }
            Meter::Business(calendar) => calendar.add_business_time_with(from, amount, convention),
        };
        result.map_err(|error| Problem::Calendar { error })
    }
}

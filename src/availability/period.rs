//! Rolling windows: the last so long, ending at `as_of`.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, TimeDelta, Utc};

use crate::error::{Error, Result};
use crate::interval::Interval;

/// The rolling window of length `length` that ends at `as_of`.
///
/// # Errors
///
/// When `length` is not positive or the window would start before the range of instants.
pub fn rolling(length: TimeDelta, as_of: DateTime<Utc>) -> Result<Interval> {
    if length <= TimeDelta::zero() {
        return Err(Error::measurement(
            "window",
            crate::duration::format(length),
            "a rolling window must be longer than zero",
        ));
    }
    let start = as_of.checked_sub_signed(length).ok_or_else(|| {
        Error::measurement(
            "window",
            crate::duration::format(length),
            "the window starts before the range of instants",
        )
    })?;
    Interval::new(start, as_of)
}

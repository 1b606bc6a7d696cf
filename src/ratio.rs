//! Reported ratios: the explicit "unknown", and [`Percent`] targets.
//!
//! Every percentage the crate reports is computed from integers (durations
//! in nanoseconds, event counts) by integer division, then rounded once,
//! **half away from zero**, to [`PERCENT_PLACES`] decimal places. No `f64`
//! is involved anywhere, so a figure can be reproduced by hand from the
//! durations it was computed from.
//!
//! Where a ratio has no denominator (no agreed service time in a window, no
//! failures for a mean time between them, no events in a slice) the result
//! is [`Figure::Unknown`] with the reason, never NaN, zero or infinity.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use rust_decimal::Decimal;

/// Decimal places of every reported percentage (99.950385).
pub const PERCENT_PLACES: u32 = 6;

/// Most decimal places a configured number may have once trailing zeros are
/// dropped: a percentage target (99.999999999), a warning threshold, a
/// percentile, a burn rate or a share of a budget. Nine places of a
/// percentage are far finer than any agreement is written in, and the bound
/// keeps every product of such a number with a duration exact in 128 bits.
pub const MAX_DECIMAL_PLACES: u32 = 9;

/// A reported value, or the explicit reason there is none.
///
/// Deliberately exhaustive, like `Option`: a figure is known or not, and
/// new reasons go in [`Unknown`], which is `#[non_exhaustive]`.
///
/// Serde form: a known figure is its value as it is (`"99.5"`,
/// `"PT4H"`), so a report's JSON reads without unwrapping; an unknown one
/// is `{"unknown": "no_events"}`. The form `{"known": value}` of earlier
/// reports is read too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Figure<T> {
    /// The value.
    Known(T),
    /// There is no value, for this reason.
    Unknown(Unknown),
}

#[cfg(feature = "serde")]
impl<T: serde::Serialize> serde::Serialize for Figure<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Figure::Known(value) => value.serialize(serializer),
            Figure::Unknown(why) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("unknown", why)?;
                map.end()
            }
        }
    }
}

#[cfg(feature = "serde")]
impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Figure<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Figure<T>, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Form<T> {
            Unknown { unknown: Unknown },
            Wrapped { known: T },
            Bare(T),
        }
        Ok(match Form::deserialize(deserializer)? {
            Form::Unknown { unknown } => Figure::Unknown(unknown),
            Form::Wrapped { known } | Form::Bare(known) => Figure::Known(known),
        })
    }
}

/// Why a [`Figure`] has no value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Unknown {
    /// The window holds no agreed service time (a weekend under office
    /// hours, or a window wholly inside excluded maintenance).
    NoAgreedTime,
    /// No failure happened, so there is no mean time between failures or
    /// to restore.
    NoFailures,
    /// No valid events (requests, incidents, slices) to take a ratio over.
    NoEvents,
    /// A part the figure is built from has no measurement for the window
    /// (a dependency without outage data for that month).
    NoMeasurement,
}

impl<T> Figure<T> {
    /// The value, if known.
    pub fn known(self) -> Option<T> {
        match self {
            Figure::Known(value) => Some(value),
            Figure::Unknown(_) => None,
        }
    }

    /// True when there is no value.
    pub fn is_unknown(&self) -> bool {
        matches!(self, Figure::Unknown(_))
    }

    /// Applies `f` to a known value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Figure<U> {
        match self {
            Figure::Known(value) => Figure::Known(f(value)),
            Figure::Unknown(why) => Figure::Unknown(why),
        }
    }
}

impl<T: std::fmt::Display> std::fmt::Display for Figure<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Figure::Known(value) => value.fmt(f),
            Figure::Unknown(why) => write!(f, "unknown ({why:?})"),
        }
    }
}

/// A percentage in `(0, 100]`: the target of an objective or an
/// availability commitment. Validated once, when made, so `99.9` is never
/// mistaken for the fraction `0.999` somewhere downstream: a `Percent` is
/// always "out of 100".
///
/// Text form (`FromStr`, `Display`, serde): the number, as in `99.9`; a
/// trailing `%` is accepted when reading. Serde reads and writes it as a
/// string, as `rust_decimal` does.
///
/// ```
/// use servicelevel::Percent;
/// let target: Percent = "99.9".parse()?;
/// assert_eq!(target.to_string(), "99.9");
/// assert_eq!("99.9%".parse::<Percent>()?, target);
/// assert!("0".parse::<Percent>().is_err());
/// assert!("100.5".parse::<Percent>().is_err());
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(Decimal);

impl Percent {
    /// 100%.
    pub const HUNDRED: Percent = Percent(Decimal::ONE_HUNDRED);

    /// `value` percent; an error unless `0 < value <= 100` with at most
    /// [`MAX_DECIMAL_PLACES`] decimals.
    ///
    /// # Errors
    ///
    /// When `value` is not in `(0, 100]` or has more than nine decimals
    /// ([`ErrorKind::InvalidObjective`](crate::ErrorKind::InvalidObjective)).
    pub fn new(value: Decimal) -> crate::Result<Percent> {
        if value <= Decimal::ZERO || value > Decimal::ONE_HUNDRED {
            return Err(crate::Error::objective(
                "",
                value,
                "a percentage target must be above 0 and at most 100",
            ));
        }
        bounded(value, "")?;
        Ok(Percent(value.normalize()))
    }

    /// The value, out of 100.
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl std::fmt::Display for Percent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for Percent {
    type Err = crate::Error;

    fn from_str(input: &str) -> crate::Result<Percent> {
        let number = input.trim().trim_end_matches('%').trim_end();
        let value: Decimal = number
            .parse()
            .map_err(|_| crate::Error::value(input, "a percentage such as `99.9`"))?;
        Percent::new(value).map_err(|e| match bounded(value, "") {
            Ok(_) => crate::Error::objective("", input, "a percentage target must be above 0 and at most 100"),
            Err(_) => e,
        })
    }
}

impl TryFrom<Decimal> for Percent {
    type Error = crate::Error;

    fn try_from(value: Decimal) -> crate::Result<Percent> {
        Percent::new(value)
    }
}

impl From<Percent> for Decimal {
    fn from(p: Percent) -> Decimal {
        p.0
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Percent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Percent {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Percent, D::Error> {
        // Accept a string (`"99.9"`) or a JSON number (`99.9`), as
        // rust_decimal does.
        let value = <Decimal as serde::Deserialize>::deserialize(deserializer)?;
        Percent::new(value).map_err(crate::rejected::reject)
    }
}

/// `value` with trailing zeros dropped, or an error naming `field` when it
/// has more than [`MAX_DECIMAL_PLACES`] decimals.
pub(crate) fn bounded(value: Decimal, field: &str) -> crate::Result<Decimal> {
    let value = value.normalize();
    if value.scale() > MAX_DECIMAL_PLACES {
        return Err(crate::Error::objective(
            field,
            value,
            "a configured number has at most nine decimal places",
        ));
    }
    Ok(value)
}

/// [`arith::percent_places`] at [`PERCENT_PLACES`], or unknown when
/// `denom` is 0.
pub(crate) fn percent(numer: i128, denom: i128, unknown: Unknown) -> Figure<Decimal> {
    if denom <= 0 {
        return Figure::Unknown(unknown);
    }
    Figure::Known(crate::arith::percent_places(numer, denom, PERCENT_PLACES))
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests compute expected values")]
mod tests {
    use super::*;

    #[test]
    fn no_denominator_is_unknown() {
        assert_eq!(
            percent(0, 0, Unknown::NoAgreedTime),
            Figure::Unknown(Unknown::NoAgreedTime)
        );
    }
}

//! The text form of durations in policies and scenario files: `8h`,
//! `1h30m`, `-90s`, `2h0m0.5s`.
//!
//! Only hours, minutes and seconds: a "day" of business time is whatever the
//! calendar says it is (8 hours? 9?), so a `d` unit would be a trap. Whole
//! working days are a separate target kind
//! ([`Measure::WorkingDays`](crate::policy::Measure::WorkingDays)).

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::TimeDelta;

use crate::error::{Detail, Error, Result};

/// Parses `[-]<n>h<n>m<n>s`; each part is optional but at least one is
/// present, in that order; seconds may carry up to nine decimals.
///
/// ```
/// use chrono::TimeDelta;
/// use servicelevel::duration;
/// assert_eq!(duration::parse("1h30m")?, TimeDelta::minutes(90));
/// assert_eq!(duration::parse("-10h")?, TimeDelta::hours(-10));
/// assert!(duration::parse("1d").is_err());
/// # Ok::<(), servicelevel::Error>(())
/// ```
///
/// The error names no field; a configuration reader adds it with
/// [`Error::in_field`].
///
/// # Errors
///
/// When the text is not `[-]<n>h<n>m<n>s` with the parts in that order
/// ([`ErrorKind::InvalidDuration`](crate::ErrorKind::InvalidDuration)).
pub fn parse(input: &str) -> Result<TimeDelta> {
    parse_parts(input).ok_or_else(|| {
        Error::from(Detail::InvalidDuration {
            field: String::new(),
            input: input.to_string(),
        })
    })
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "the total is built with checked additions; its negation cannot overflow (it is at most 10^30)"
)]
fn parse_parts(input: &str) -> Option<TimeDelta> {
    let (negative, mut rest) = match input.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, input),
    };
    if rest.is_empty() {
        return None;
    }
    let mut total: i128 = 0; // nanoseconds
    let mut last_rank = 0;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit() && c != '.')?;
        let (number, tail) = rest.split_at(digits);
        let unit = tail.chars().next()?;
        let (rank, nanos_per_unit) = match unit {
            'h' => (1, 3_600_000_000_000_i128),
            'm' => (2, 60_000_000_000),
            's' => (3, 1_000_000_000),
            _ => return None,
        };
        if rank <= last_rank || number.is_empty() {
            return None;
        }
        last_rank = rank;
        total = total.checked_add(amount(number, nanos_per_unit, unit == 's')?)?;
        rest = &tail[1..];
    }
    let total = if negative { -total } else { total };
    let secs = i64::try_from(total.div_euclid(1_000_000_000)).ok()?;
    TimeDelta::new(secs, total.rem_euclid(1_000_000_000) as u32)
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "at most 18 whole digits and 9 fraction digits, checked before they are parsed; 9 - len >= 0 is checked"
)]
fn amount(number: &str, nanos_per_unit: i128, fraction_allowed: bool) -> Option<i128> {
    let (whole, fraction) = match number.split_once('.') {
        Some((w, f)) if fraction_allowed && !w.is_empty() && !f.is_empty() && f.len() <= 9 => (w, f),
        Some(_) => return None,
        None => (number, ""),
    };
    if whole.len() > 18 || fraction.contains('.') {
        return None;
    }
    let whole: i128 = whole.parse().ok()?;
    let fraction_nanos: i128 = if fraction.is_empty() {
        0
    } else {
        fraction.parse::<i128>().ok()? * 10_i128.pow(9 - fraction.len() as u32)
    };
    whole.checked_mul(nanos_per_unit)?.checked_add(fraction_nanos)
}

/// Formats a duration in the form [`parse`] reads, with the largest units
/// first and zero parts left out: `8h`, `1h30m`, `-1m30s`, `0s`.
///
/// ```
/// use chrono::TimeDelta;
/// assert_eq!(servicelevel::duration::format(TimeDelta::minutes(90)), "1h30m");
/// assert_eq!(servicelevel::duration::format(TimeDelta::milliseconds(-1500)), "-1.5s");
/// ```
#[allow(
    clippy::arithmetic_side_effects,
    reason = "seconds of a TimeDelta times 10^9 fit an i128"
)]
pub fn format(duration: TimeDelta) -> String {
    let total = i128::from(duration.num_seconds()) * 1_000_000_000 + i128::from(duration.subsec_nanos());
    let (sign, total) = if total < 0 { ("-", -total) } else { ("", total) };
    let (secs, nanos) = (total / 1_000_000_000, total % 1_000_000_000);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let mut out = String::from(sign);
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || nanos > 0 || out.len() == sign.len() {
        out.push_str(&s.to_string());
        if nanos > 0 {
            let fraction = format!("{nanos:09}");
            out.push('.');
            out.push_str(fraction.trim_end_matches('0'));
        }
        out.push('s');
    }
    out
}

/// Formats a duration as an ISO 8601 duration in hours, minutes and
/// seconds, the form the crate's results take in JSON: `PT45H23M30.92S`,
/// `-PT1M30S`, `PT0S`. Exact to the nanosecond; no days (a day of business
/// time is not 24 hours), so pandas' `pd.to_timedelta`, Python's `isodate`
/// and Temporal's `Duration.from` read it as written.
///
/// ```
/// use chrono::TimeDelta;
/// use servicelevel::duration;
/// let d = TimeDelta::seconds(163_410) + TimeDelta::milliseconds(920);
/// assert_eq!(duration::format_iso8601(d), "PT45H23M30.92S");
/// assert_eq!(duration::parse_iso8601("PT45H23M30.92S")?, d);
/// assert_eq!(duration::format_iso8601(TimeDelta::zero()), "PT0S");
/// # Ok::<(), servicelevel::Error>(())
/// ```
pub fn format_iso8601(duration: TimeDelta) -> String {
    let text = format(duration).to_uppercase();
    match text.strip_prefix('-') {
        Some(rest) => format!("-PT{rest}"),
        None => format!("PT{text}"),
    }
}

/// Reads what [`format_iso8601`] writes: `[-]PT[nH][nM][n[.f]S]`.
///
/// # Errors
///
/// [`ErrorKind::InvalidDuration`](crate::ErrorKind::InvalidDuration) quoting
/// the text when it is not in that form (days, years and weeks included:
/// their length in business time is not fixed).
pub fn parse_iso8601(input: &str) -> Result<TimeDelta> {
    let invalid = || {
        Error::from(Detail::InvalidDuration {
            field: String::new(),
            input: input.to_string(),
        })
    };
    let (sign, rest) = match input.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", input),
    };
    let parts = rest.strip_prefix("PT").ok_or_else(invalid)?;
    if parts.is_empty() || parts.chars().any(|c| c.is_ascii_lowercase()) {
        return Err(invalid());
    }
    parse(&format!("{sign}{}", parts.to_lowercase())).map_err(|_| invalid())
}

/// A `TimeDelta` in the text form: `FromStr` reads what [`parse`] reads,
/// `Display` writes what [`format()`] writes, and serde uses the same string
/// (`"1h30m"`). The crate's API takes and returns `TimeDelta`; this wrapper
/// is for reading and writing durations as text (configuration files,
/// command lines, tidy tables).
///
/// ```
/// use chrono::TimeDelta;
/// use servicelevel::duration::Duration;
/// let d: Duration = "1h30m".parse()?;
/// assert_eq!(TimeDelta::from(d), TimeDelta::minutes(90));
/// assert_eq!(Duration::from(TimeDelta::seconds(-90)).to_string(), "-1m30s");
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct Duration(#[cfg_attr(feature = "serde", serde(with = "text"))] pub TimeDelta);

impl std::str::FromStr for Duration {
    type Err = Error;

    fn from_str(input: &str) -> Result<Duration> {
        parse(input).map(Duration)
    }
}

impl std::fmt::Display for Duration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format(self.0))
    }
}

impl From<TimeDelta> for Duration {
    fn from(d: TimeDelta) -> Duration {
        Duration(d)
    }
}

impl From<Duration> for TimeDelta {
    fn from(d: Duration) -> TimeDelta {
        d.0
    }
}

/// Serde helpers for a `TimeDelta` in the text form.
#[cfg(feature = "serde")]
pub(crate) mod text {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &TimeDelta, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::format(*value))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<TimeDelta, D::Error> {
        let text = String::deserialize(deserializer)?;
        super::parse(&text).map_err(crate::rejected::reject)
    }
}

/// Serde helpers for a `TimeDelta` in a result: written in ISO 8601
/// ([`format_iso8601`]); read in ISO 8601 or in the text form that reports
/// used before it.
#[cfg(feature = "serde")]
pub(crate) mod iso {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &TimeDelta, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::format_iso8601(*value))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<TimeDelta, D::Error> {
        let text = String::deserialize(deserializer)?;
        super::read_either(&text).map_err(crate::rejected::reject)
    }
}

/// Serde helpers for a list of `TimeDelta`s in a partial review: each as
/// `[seconds, nanoseconds]`, exact for every `TimeDelta`.
#[cfg(feature = "serde")]
pub(crate) mod exact_list {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(values: &[TimeDelta], serializer: S) -> Result<S::Ok, S::Error> {
        let pairs: Vec<(i64, i32)> = values.iter().map(|d| (d.num_seconds(), d.subsec_nanos())).collect();
        pairs.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<TimeDelta>, D::Error> {
        Vec::<(i64, i32)>::deserialize(deserializer)?
            .into_iter()
            .map(|(seconds, nanos)| {
                TimeDelta::try_seconds(seconds)
                    .and_then(|d| d.checked_add(&TimeDelta::nanoseconds(i64::from(nanos))))
                    .filter(|_| nanos.unsigned_abs() < 1_000_000_000)
                    .ok_or_else(|| serde::de::Error::custom(format!("duration `[{seconds}, {nanos}]` out of range")))
            })
            .collect()
    }
}

/// Serde helpers for a `Figure<TimeDelta>` in a result, as [`iso`].
#[cfg(feature = "serde")]
pub(crate) mod iso_figure {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::ratio::Figure;

    pub fn serialize<S: Serializer>(value: &Figure<TimeDelta>, serializer: S) -> Result<S::Ok, S::Error> {
        value.map(super::format_iso8601).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Figure<TimeDelta>, D::Error> {
        match Figure::<String>::deserialize(deserializer)? {
            Figure::Known(text) => super::read_either(&text)
                .map(Figure::Known)
                .map_err(crate::rejected::reject),
            Figure::Unknown(why) => Ok(Figure::Unknown(why)),
        }
    }
}

#[cfg(feature = "serde")]
fn read_either(text: &str) -> Result<TimeDelta> {
    if text.starts_with('P') || text.starts_with("-P") {
        parse_iso8601(text)
    } else {
        parse(text)
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests compute expected values")]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_round_trip() {
        for (text, seconds) in [
            ("8h", 28_800),
            ("1h30m", 5_400),
            ("-90s", -90),
            ("0s", 0),
            ("25h", 90_000),
        ] {
            let parsed = parse(text).unwrap();
            assert_eq!(parsed, TimeDelta::seconds(seconds), "{text}");
        }
        assert_eq!(format(parse("90s").unwrap()), "1m30s");
        assert_eq!(format(parse("2h0m0.25s").unwrap()), "2h0.25s");
    }

    #[test]
    fn iso8601_round_trips_and_refuses_days() {
        for d in [
            TimeDelta::zero(),
            TimeDelta::nanoseconds(1),
            TimeDelta::seconds(-90),
            TimeDelta::hours(100_000),
            TimeDelta::MAX,
            TimeDelta::MIN,
        ] {
            assert_eq!(parse_iso8601(&format_iso8601(d)).unwrap(), d, "{d}");
        }
        assert_eq!(format_iso8601(TimeDelta::seconds(-90)), "-PT1M30S");
        for bad in ["P1D", "PT", "PT1h", "1h", "PT1H1H", "P1DT1H", ""] {
            assert!(parse_iso8601(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rejects_what_it_cannot_read() {
        for bad in [
            "",
            "-",
            "8",
            "h",
            "1d",
            "30m1h",
            "1h1h",
            "1.5h",
            "1.s",
            "99999999999999999999h",
            "1h x",
        ] {
            let err = parse(bad).unwrap_err();
            assert!(err.to_string().contains(&format!("`{bad}`")), "{err}");
        }
    }
}

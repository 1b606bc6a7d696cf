//! Reading the instants an export writes: the text's format, and what its
//! clock time means (UTC, the written offset, local time in a zone, or
//! local time behind an offset that the exporting tool got wrong).

use std::fmt;
use std::str::FromStr;

use chrono::format::{Fixed, Item, Parsed, StrftimeItems};
use chrono::{DateTime, FixedOffset, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;

use crate::calendar::{Disambiguation, resolve_local};
use crate::error::{Detail, Error, Result};

/// How the text of an instant column is written.
///
/// Text form: `rfc3339`, `iso8601`, `unix_seconds`, `unix_millis`, or a
/// chrono `strftime` pattern such as `%d/%m/%Y %H:%M` (any text with a
/// `%`). Numbers in a pattern may be written without their leading zeros
/// (`1/3/2016 9:05` reads with `%d/%m/%Y %H:%M`).
///
/// ```
/// use servicelevel::ingest::InstantFormat;
/// let format: InstantFormat = "%d/%m/%Y %H:%M".parse()?;
/// assert_eq!(format.to_string(), "%d/%m/%Y %H:%M");
/// assert_eq!("rfc3339".parse::<InstantFormat>()?, InstantFormat::Rfc3339);
/// assert!("dd/mm/yyyy".parse::<InstantFormat>().is_err()); // not a pattern
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(into = "String"))]
#[non_exhaustive]
pub enum InstantFormat {
    /// RFC 3339 with its offset: `2012-05-11T14:06:57+02:00`, `...Z`.
    #[default]
    Rfc3339,
    /// ISO 8601 date and time, `T` or a space between them, seconds and
    /// fractions optional, the offset optional: `2016-02-29 01:16`,
    /// `2016-02-29T01:16:00.5Z`.
    Iso8601,
    /// Whole seconds since 1970-01-01T00:00:00Z.
    UnixSeconds,
    /// Milliseconds since 1970-01-01T00:00:00Z.
    UnixMillis,
    /// A chrono `strftime` pattern.
    Pattern(String),
}

impl FromStr for InstantFormat {
    type Err = Error;

    fn from_str(text: &str) -> Result<InstantFormat> {
        match text {
            "rfc3339" => Ok(InstantFormat::Rfc3339),
            "iso8601" => Ok(InstantFormat::Iso8601),
            "unix_seconds" => Ok(InstantFormat::UnixSeconds),
            "unix_millis" => Ok(InstantFormat::UnixMillis),
            pattern if pattern.contains('%') && StrftimeItems::new(pattern).parse().is_ok() => {
                Ok(InstantFormat::Pattern(pattern.to_string()))
            }
            _ => Err(Error::from(Detail::InvalidValue {
                field: String::new(),
                input: text.to_string(),
                expected:
                    "`rfc3339`, `iso8601`, `unix_seconds`, `unix_millis` or a strftime pattern such as `%d/%m/%Y %H:%M`"
                        .into(),
            })),
        }
    }
}

impl fmt::Display for InstantFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            InstantFormat::Rfc3339 => "rfc3339",
            InstantFormat::Iso8601 => "iso8601",
            InstantFormat::UnixSeconds => "unix_seconds",
            InstantFormat::UnixMillis => "unix_millis",
            InstantFormat::Pattern(p) => p,
        })
    }
}

impl TryFrom<String> for InstantFormat {
    type Error = Error;
    fn try_from(text: String) -> Result<InstantFormat> {
        text.parse()
    }
}

impl From<InstantFormat> for String {
    fn from(format: InstantFormat) -> String {
        format.to_string()
    }
}

/// What the clock time of an instant's text means.
///
/// A text that carries an offset is read by that offset under every
/// reading but [`Reading::WrongOffset`]; the readings differ on text
/// without one (and on what a written offset is worth).
///
/// ```
/// use servicelevel::calendar::Disambiguation;
/// use servicelevel::ingest::{InstantFormat, InstantReader, Reading};
/// let brussels = chrono_tz::Europe::Brussels;
/// let local = InstantReader::new(InstantFormat::Iso8601, Reading::local(brussels, Disambiguation::Compatible));
/// assert_eq!(local.read("2012-07-02 09:00")?.to_rfc3339(), "2012-07-02T07:00:00+00:00");
/// // An exporter that wrote every instant with +01:00, summer or not:
/// let wrong = InstantReader::new(InstantFormat::Rfc3339, Reading::wrong_offset(brussels, Disambiguation::Compatible));
/// assert_eq!(wrong.read("2012-07-02T09:00:00+01:00")?.to_rfc3339(), "2012-07-02T07:00:00+00:00");
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reading {
    /// Text without an offset is UTC.
    #[default]
    Utc,
    /// The text must carry its offset; text without one is an error.
    Offset,
    /// Text without an offset is local time in the zone, a time in a DST
    /// gap or fold settled by the rule ([`resolve_local`]).
    Local {
        /// The zone.
        zone: Tz,
        /// The gap and fold rule.
        disambiguation: Disambiguation,
    },
    /// The written offset is an artefact of the exporting tool (one fixed
    /// offset all year, or the server's): it is discarded, and the clock
    /// time is read as local time in the zone.
    WrongOffset {
        /// The zone.
        zone: Tz,
        /// The gap and fold rule.
        disambiguation: Disambiguation,
    },
}

impl Reading {
    /// [`Reading::Local`].
    pub fn local(zone: Tz, disambiguation: Disambiguation) -> Reading {
        Reading::Local { zone, disambiguation }
    }

    /// [`Reading::WrongOffset`].
    pub fn wrong_offset(zone: Tz, disambiguation: Disambiguation) -> Reading {
        Reading::WrongOffset { zone, disambiguation }
    }

    /// The name of the reading in the profile's text form.
    pub fn name(&self) -> &'static str {
        match self {
            Reading::Utc => "utc",
            Reading::Offset => "offset",
            Reading::Local { .. } => "local",
            Reading::WrongOffset { .. } => "wrong_offset",
        }
    }

    /// The zone of a local reading.
    pub fn zone(&self) -> Option<Tz> {
        match self {
            Reading::Local { zone, .. } | Reading::WrongOffset { zone, .. } => Some(*zone),
            Reading::Utc | Reading::Offset => None,
        }
    }

    fn settle(&self, clock: NaiveDateTime, offset: Option<FixedOffset>) -> Result<Option<DateTime<Utc>>> {
        let written = |offset: FixedOffset| clock.and_local_timezone(offset).single().map(|at| at.to_utc());
        match (*self, offset) {
            (Reading::WrongOffset { zone, disambiguation }, _) | (Reading::Local { zone, disambiguation }, None) => {
                resolve_local(zone, clock, disambiguation).map(Some)
            }
            (_, Some(offset)) => Ok(written(offset)),
            (Reading::Utc, None) => Ok(Some(clock.and_utc())),
            (Reading::Offset, None) => Ok(None),
        }
    }
}

/// Reads instants written in one [`InstantFormat`] under one [`Reading`];
/// the format is compiled once.
#[derive(Clone, Debug)]
pub struct InstantReader {
    format: InstantFormat,
    items: Vec<Item<'static>>,
    reading: Reading,
}

const ISO_PATTERNS: [&str; 2] = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"];

impl InstantReader {
    /// A reader for `format` under `reading`.
    pub fn new(format: InstantFormat, reading: Reading) -> InstantReader {
        let items = match &format {
            // Checked when the format was made.
            InstantFormat::Pattern(p) => StrftimeItems::new(p).parse_to_owned().unwrap_or_default(),
            _ => Vec::new(),
        };
        InstantReader { format, items, reading }
    }

    /// The format.
    pub fn format(&self) -> &InstantFormat {
        &self.format
    }

    /// The reading.
    pub fn reading(&self) -> Reading {
        self.reading
    }

    /// The instant `text` stands for.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) quoting
    /// the text when it is not in the format (or has no offset under
    /// [`Reading::Offset`]); the local-time errors of [`resolve_local`]
    /// under a local reading with [`Disambiguation::Reject`].
    pub fn read(&self, text: &str) -> Result<DateTime<Utc>> {
        let unreadable = || {
            Error::from(Detail::InvalidValue {
                field: String::new(),
                input: text.to_string(),
                expected: match self.reading {
                    Reading::Offset => format!("an instant in the format `{}` with its offset", self.format),
                    _ => format!("an instant in the format `{}`", self.format),
                },
            })
        };
        let (clock, offset) = self.clock_time(text.trim()).ok_or_else(unreadable)?;
        self.reading.settle(clock, offset)?.ok_or_else(unreadable)
    }

    /// The clock time and the written offset, if any.
    fn clock_time(&self, text: &str) -> Option<(NaiveDateTime, Option<FixedOffset>)> {
        match &self.format {
            InstantFormat::Rfc3339 => {
                let at = DateTime::parse_from_rfc3339(text).ok()?;
                Some((at.naive_local(), Some(*at.offset())))
            }
            InstantFormat::Iso8601 => iso8601(text),
            InstantFormat::UnixSeconds => Some((
                DateTime::from_timestamp(text.parse().ok()?, 0)?.naive_utc(),
                Some(utc_offset()),
            )),
            InstantFormat::UnixMillis => Some((
                DateTime::from_timestamp_millis(text.parse().ok()?)?.naive_utc(),
                Some(utc_offset()),
            )),
            InstantFormat::Pattern(_) => pattern(text, &self.items),
        }
    }
}

fn utc_offset() -> FixedOffset {
    chrono::Offset::fix(&Utc)
}

fn iso8601(text: &str) -> Option<(NaiveDateTime, Option<FixedOffset>)> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some((at.naive_local(), Some(*at.offset())));
    }
    let normal = text.replacen(' ', "T", 1);
    if let Some(clock) = ISO_PATTERNS
        .iter()
        .find_map(|p| NaiveDateTime::parse_from_str(&normal, p).ok())
    {
        return Some((clock, None));
    }
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some((date.and_time(NaiveTime::MIN), None))
}

fn pattern(text: &str, items: &[Item<'static>]) -> Option<(NaiveDateTime, Option<FixedOffset>)> {
    let mut parsed = Parsed::new();
    chrono::format::parse(&mut parsed, text, items.iter()).ok()?;
    let has_offset = items.iter().any(|i| {
        matches!(
            i,
            Item::Fixed(
                Fixed::TimezoneOffset
                    | Fixed::TimezoneOffsetColon
                    | Fixed::TimezoneOffsetDoubleColon
                    | Fixed::TimezoneOffsetTripleColon
                    | Fixed::TimezoneOffsetColonZ
                    | Fixed::TimezoneOffsetZ
                    | Fixed::RFC2822
                    | Fixed::RFC3339
            )
        )
    });
    let offset = match has_offset {
        true => Some(FixedOffset::east_opt(parsed.offset()?)?),
        false => None,
    };
    let date = parsed.to_naive_date().ok()?;
    // A pattern without a time of day (`%d.%m.%Y`) reads midnight.
    let time = match parsed.hour_div_12() {
        None => NaiveTime::MIN,
        Some(_) => parsed.to_naive_time().ok()?,
    };
    Some((date.and_time(time), offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(format: &str, reading: Reading, text: &str) -> Result<String> {
        Ok(InstantReader::new(format.parse()?, reading).read(text)?.to_rfc3339())
    }

    #[test]
    fn day_first_without_padding() {
        assert_eq!(
            read("%d/%m/%Y %H:%M", Reading::Utc, "1/3/2016 9:05").unwrap(),
            "2016-03-01T09:05:00+00:00"
        );
        assert!(read("%d/%m/%Y %H:%M", Reading::Utc, "31/2/2016 9:05").is_err());
        assert!(read("%d/%m/%Y %H:%M", Reading::Offset, "1/3/2016 9:05").is_err());
    }

    #[test]
    fn pattern_with_offset_and_date_only() {
        assert_eq!(
            read("%Y-%m-%d %H:%M:%S %z", Reading::Utc, "2024-06-01 10:00:00 +0200").unwrap(),
            "2024-06-01T08:00:00+00:00"
        );
        assert_eq!(
            read("%d.%m.%Y", Reading::Utc, "24.12.2024").unwrap(),
            "2024-12-24T00:00:00+00:00"
        );
        // 12-hour clock, as Jira writes it.
        assert_eq!(
            read("%d/%b/%y %I:%M %p", Reading::Utc, "05/Mar/24 2:07 PM").unwrap(),
            "2024-03-05T14:07:00+00:00"
        );
    }

    #[test]
    fn local_readings_settle_gaps_and_folds_by_rule() {
        let berlin = chrono_tz::Europe::Berlin;
        // 2025-03-30 02:30 does not exist in Berlin.
        let gap = "2025-03-30 02:30";
        assert_eq!(
            read("iso8601", Reading::local(berlin, Disambiguation::Compatible), gap).unwrap(),
            "2025-03-30T01:30:00+00:00"
        );
        let rejected = read("iso8601", Reading::local(berlin, Disambiguation::Reject), gap).unwrap_err();
        assert!(rejected.is_local_time(), "{rejected}");
        // A written offset is honoured by a local reading...
        assert_eq!(
            read(
                "iso8601",
                Reading::local(berlin, Disambiguation::Compatible),
                "2025-07-01T09:00:00Z"
            )
            .unwrap(),
            "2025-07-01T09:00:00+00:00"
        );
        // ...and discarded by a wrong-offset one.
        assert_eq!(
            read(
                "iso8601",
                Reading::wrong_offset(berlin, Disambiguation::Compatible),
                "2025-07-01T09:00:00Z"
            )
            .unwrap(),
            "2025-07-01T07:00:00+00:00"
        );
    }

    #[test]
    fn unix_and_bad_formats() {
        assert_eq!(
            read("unix_seconds", Reading::Utc, "1700000000").unwrap(),
            "2023-11-14T22:13:20+00:00"
        );
        assert_eq!(
            read("unix_millis", Reading::Utc, "1700000000500").unwrap(),
            "2023-11-14T22:13:20.500+00:00"
        );
        let bad = read("rfc3339", Reading::Utc, "yesterday").unwrap_err();
        assert_eq!(bad.input(), Some("yesterday"));
        assert!("%Q".parse::<InstantFormat>().is_err());
    }
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(InstantFormat, String);

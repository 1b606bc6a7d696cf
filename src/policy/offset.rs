//! How far from the due instant an escalation level lies, and how that
//! distance is counted.

use chrono::TimeDelta;

use super::MAX_TARGET;
use crate::calendar::{Disambiguation, Landing};
use crate::error::{Detail, Error, Result};

/// The most working days an offset may count (about 100 years of
/// five-day weeks, as a target's limit).
const MAX_WORKING_DAYS: i32 = 36_500;

/// An escalation level's distance from the due instant (negative: before
/// it), and the clock it is counted on.
///
/// GLPI counts a level of less than a day in business hours on the SLA's
/// calendar and a level of a day or more in working days at the same clock
/// time (`LevelAgreementLevel::shouldUseWorkInDayMode`:
/// `abs(execution_time) >= DAY_TIMESTAMP`; `phpunit/functional/SLMTest.php`: a level of 3 days
/// after a Thursday 12:00 due instant is crossed the next Tuesday 12:00,
/// and "the fact that monday start later SHOULD NOT be taken into account
/// as we work in days not in hours"). Here the clock is named rather than
/// guessed from the size, so a level of 24 business hours stays one.
///
/// Text form (also the serde form): `-1h` ([`InMeasure`](Offset::InMeasure)),
/// `2h wall-clock`, `3 working days`, `-2 working days (end of working day)`,
/// `1 working day (same clock time, reject)`.
///
/// ```
/// use servicelevel::policy::Offset;
/// use servicelevel::calendar::Landing;
///
/// let level: Offset = "-2 working days".parse()?;
/// assert_eq!(level, Offset::WorkingDays(-2, Landing::default()));
/// assert_eq!(level.to_string(), "-2 working days");
/// assert_eq!("90m".parse::<Offset>()?.to_string(), "1h30m");
/// assert!("3 days".parse::<Offset>().is_err());
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Offset {
    /// Counted as the target counts time: business time on the calendar
    /// for business-time and working-day targets, wall-clock time for
    /// wall-clock targets. GLPI's levels under a day.
    InMeasure(TimeDelta),
    /// Wall-clock time, whatever the target's measure.
    Wall(TimeDelta),
    /// Whole working days of the calendar from the due instant's local
    /// date, landing as [`BusinessCalendar::add_working_days`](crate::BusinessCalendar::add_working_days)
    /// does. GLPI's levels of a day or more.
    WorkingDays(i32, Landing),
}

impl Default for Offset {
    /// At the due instant.
    fn default() -> Offset {
        Offset::InMeasure(TimeDelta::zero())
    }
}

impl Offset {
    /// Why the offset cannot be used, if it cannot: more than 100 years, or
    /// more than 36,500 working days.
    pub(crate) fn problem(&self) -> Option<String> {
        match *self {
            Offset::InMeasure(d) | Offset::Wall(d) if d.abs() > MAX_TARGET => {
                Some(format!("`{self}` is more than 100 years"))
            }
            Offset::WorkingDays(n, _) if n.unsigned_abs() > MAX_WORKING_DAYS.unsigned_abs() => {
                Some(format!("`{self}` is more than {MAX_WORKING_DAYS} working days"))
            }
            _ => None,
        }
    }
}

impl From<TimeDelta> for Offset {
    /// In the target's measure ([`Offset::InMeasure`]).
    fn from(offset: TimeDelta) -> Offset {
        Offset::InMeasure(offset)
    }
}

impl std::fmt::Display for Offset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            Offset::InMeasure(d) => f.write_str(&crate::duration::format(d)),
            Offset::Wall(d) => write!(f, "{} wall-clock", crate::duration::format(d)),
            Offset::WorkingDays(n, landing) => {
                let unit = if n.unsigned_abs() == 1 {
                    "working day"
                } else {
                    "working days"
                };
                write!(f, "{n} {unit}")?;
                match landing {
                    Landing::SameClockTime(Disambiguation::Compatible) => Ok(()),
                    Landing::SameClockTime(rule) => write!(f, " (same clock time, {})", rule_name(rule)),
                    Landing::EndOfWorkingDay => f.write_str(" (end of working day)"),
                }
            }
        }
    }
}

impl std::str::FromStr for Offset {
    type Err = Error;

    /// Parses the text form (see [`Offset`]).
    ///
    /// # Errors
    ///
    /// When the text is none of the forms, quoting it.
    fn from_str(input: &str) -> Result<Offset> {
        parse(input).ok_or_else(|| {
            Error::from(Detail::InvalidDuration {
                field: String::new(),
                input: input.to_string(),
            })
        })
    }
}

fn parse(input: &str) -> Option<Offset> {
    if let Some(duration) = input.strip_suffix(" wall-clock") {
        return crate::duration::parse(duration).ok().map(Offset::Wall);
    }
    let (days, landing) = match input.split_once(" (") {
        Some((days, rest)) => (days, landing(rest.strip_suffix(')')?)?),
        None => (input, Landing::default()),
    };
    match days
        .strip_suffix(" working days")
        .or_else(|| days.strip_suffix(" working day"))
    {
        Some(n) => n.parse().ok().map(|n| Offset::WorkingDays(n, landing)),
        None if landing == Landing::default() && days == input => {
            crate::duration::parse(input).ok().map(Offset::InMeasure)
        }
        None => None,
    }
}

fn landing(text: &str) -> Option<Landing> {
    if text == "end of working day" {
        return Some(Landing::EndOfWorkingDay);
    }
    let rule = match text.strip_prefix("same clock time")? {
        "" => Disambiguation::Compatible,
        rest => [
            Disambiguation::Compatible,
            Disambiguation::Earlier,
            Disambiguation::Later,
            Disambiguation::Reject,
        ]
        .into_iter()
        .find(|rule| rest.strip_prefix(", ") == Some(rule_name(*rule)))?,
    };
    Some(Landing::SameClockTime(rule))
}

fn rule_name(rule: Disambiguation) -> &'static str {
    match rule {
        Disambiguation::Compatible => "compatible",
        Disambiguation::Earlier => "earlier",
        Disambiguation::Later => "later",
        Disambiguation::Reject => "reject",
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Offset {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Offset {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Offset, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(crate::rejected::reject)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_reads_back_as_written() {
        let forms = [
            Offset::InMeasure(TimeDelta::hours(-1)),
            Offset::Wall(TimeDelta::minutes(90)),
            Offset::WorkingDays(3, Landing::default()),
            Offset::WorkingDays(-1, Landing::EndOfWorkingDay),
            Offset::WorkingDays(1, Landing::SameClockTime(Disambiguation::Reject)),
            Offset::WorkingDays(0, Landing::SameClockTime(Disambiguation::Earlier)),
        ];
        for offset in forms {
            let text = offset.to_string();
            assert_eq!(text.parse::<Offset>().unwrap(), offset, "{text}");
        }
        assert_eq!(forms[3].to_string(), "-1 working day (end of working day)");
        assert_eq!(forms[1].to_string(), "1h30m wall-clock");
    }

    #[test]
    fn malformed_text_is_refused_with_the_input_quoted() {
        for bad in [
            "3 days",
            "2 working days (end of day)",
            "1h (same clock time)",
            "x working days",
            "1h wall",
            "2 working days (same clock time, later",
            "",
        ] {
            let error = bad.parse::<Offset>().unwrap_err();
            assert!(error.to_string().contains(&format!("`{bad}`")), "{bad}: {error}");
        }
    }

    #[test]
    fn offsets_past_the_limits_are_named() {
        assert!(Offset::WorkingDays(36_501, Landing::default()).problem().is_some());
        assert!(Offset::WorkingDays(-36_500, Landing::default()).problem().is_none());
        assert!(Offset::Wall(TimeDelta::days(36_600)).problem().is_some());
        assert!(Offset::WorkingDays(i32::MIN, Landing::default()).problem().is_some());
    }
}

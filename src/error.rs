//! The crate's one error type.
//!
//! Shaped like `csv::Error`: an opaque [`Error`] that boxes an
//! [`ErrorKind`], so that `Result<T, Error>` stays one pointer wide and new
//! kinds can be added without breaking callers. Messages are lowercase and
//! quote the offending input between backticks.
//!
//! A breach of an SLA is an *outcome*, never an error: errors are reserved
//! for input the crate cannot use (a bad configuration, an instant outside
//! the calendar's horizon, a request the calendar cannot satisfy).

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};

/// A type alias for `Result<T, servicelevel::Error>`.
pub type Result<T> = std::result::Result<T, Error>;

/// An error from building or querying one of the crate's values.
///
/// Use [`Error::kind`] to see what went wrong, or one of the predicates
/// ([`Error::is_config`], [`Error::is_horizon`], [`Error::is_local_time`]) to
/// branch on the broad category.
#[derive(Clone, PartialEq, Eq)]
pub struct Error(Box<ErrorKind>);

/// What went wrong.
///
/// Configuration errors carry `field`: the path of the offending value in the
/// serde form (`weekly.mon[1]`, `holidays[3]`), which is also how the
/// programmatic builder names it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The time zone name is not in the IANA database chrono-tz ships.
    #[error("unknown time zone `{name}`")]
    UnknownTimeZone {
        /// The name as given.
        name: String,
    },
    /// A clock time that is not `HH:MM` or `HH:MM:SS` in `00:00..=24:00`.
    #[error("invalid clock time `{input}` in `{field}`: expected `HH:MM` or `HH:MM:SS` from `00:00` to `24:00`")]
    InvalidClockTime {
        /// Where the value was found.
        field: String,
        /// The value as given.
        input: String,
    },
    /// A date that is not a valid `YYYY-MM-DD` (or `MM-DD` for yearly dates).
    #[error("invalid date `{input}` in `{field}`: expected {expected}")]
    InvalidDate {
        /// Where the value was found.
        field: String,
        /// The value as given.
        input: String,
        /// The expected form.
        expected: &'static str,
    },
    /// A weekday key that is not one of `mon`, `tue`, ..., `sun`.
    #[error("unknown weekday `{input}` in `{field}`: expected one of `mon`, `tue`, `wed`, `thu`, `fri`, `sat`, `sun`")]
    UnknownWeekday {
        /// Where the value was found.
        field: String,
        /// The value as given.
        input: String,
    },
    /// A floating date rule that cannot be read, such as `5th fri of feb`
    /// written as `fifth friday in february`.
    #[error(
        "invalid floating date `{input}` in `{field}`: expected `<1st|2nd|3rd|4th|5th|last> <weekday> of <month>`, as in `4th thu of nov`"
    )]
    InvalidFloatingDate {
        /// Where the value was found.
        field: String,
        /// The value as given.
        input: String,
    },
    /// Two windows of the same day (or of the same override) overlap.
    /// Windows are rejected rather than merged, because an overlap is almost
    /// always a typing mistake.
    #[error("overlapping windows in `{field}`: `{first}` and `{second}`")]
    OverlappingWindows {
        /// The day or date whose windows overlap.
        field: String,
        /// The earlier window, as `HH:MM-HH:MM`.
        first: String,
        /// The later window.
        second: String,
    },
    /// A window, closure or range that is empty or reversed where that
    /// cannot be meant.
    #[error("invalid range `{input}` in `{field}`: {reason}")]
    InvalidRange {
        /// Where the value was found.
        field: String,
        /// The value as given.
        input: String,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// The same date is given two contradictory meanings (an override and a
    /// dated closure).
    #[error("conflicting rules for `{date}`: {reason}")]
    ConflictingDates {
        /// The date both rules name.
        date: NaiveDate,
        /// What contradicts what.
        reason: &'static str,
    },
    /// The calendar has no open time at all inside its horizon.
    #[error("calendar has no open time between `{horizon_start}` and `{horizon_end}`")]
    EmptyCalendar {
        /// First local date of the horizon.
        horizon_start: NaiveDate,
        /// First local date after the horizon.
        horizon_end: NaiveDate,
    },
    /// The horizon is empty, reversed, or too long.
    #[error("invalid horizon `{start}..{end}`: {reason}")]
    InvalidHorizon {
        /// First local date requested.
        start: NaiveDate,
        /// First local date after the horizon requested.
        end: NaiveDate,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// An instant lies outside the calendar's horizon, where the calendar
    /// has no data.
    #[error("instant `{instant}` is outside the calendar horizon `{horizon_start}..{horizon_end}`")]
    OutsideHorizon {
        /// The instant asked about.
        instant: DateTime<Utc>,
        /// First instant of the horizon.
        horizon_start: DateTime<Utc>,
        /// First instant after the horizon.
        horizon_end: DateTime<Utc>,
    },
    /// A date lies outside the calendar's horizon.
    #[error("date `{date}` is outside the calendar horizon `{horizon_start}..{horizon_end}`")]
    DateOutsideHorizon {
        /// The date asked about.
        date: NaiveDate,
        /// First local date of the horizon.
        horizon_start: NaiveDate,
        /// First local date after the horizon.
        horizon_end: NaiveDate,
    },
    /// The calendar cannot supply the requested business time, working days
    /// or opening before the end (or start) of its horizon.
    #[error("calendar cannot supply {request} from `{from}` within its horizon `{horizon_start}..{horizon_end}`")]
    HorizonExceeded {
        /// The starting instant.
        from: DateTime<Utc>,
        /// What was asked for, such as `business time 87600h` or `next opening`.
        request: String,
        /// First instant of the horizon.
        horizon_start: DateTime<Utc>,
        /// First instant after the horizon.
        horizon_end: DateTime<Utc>,
    },
    /// A local wall-clock time that does not exist (it falls in a DST gap)
    /// and the disambiguation policy is
    /// [`Disambiguation::Reject`](crate::calendar::Disambiguation::Reject).
    #[error("local time `{local}` does not exist in `{time_zone}` (it falls in a clock change gap)")]
    NonexistentLocalTime {
        /// The local date and time.
        local: chrono::NaiveDateTime,
        /// The zone name.
        time_zone: String,
    },
    /// A local wall-clock time that occurs twice (a DST fold) and the
    /// disambiguation policy is
    /// [`Disambiguation::Reject`](crate::calendar::Disambiguation::Reject).
    #[error("local time `{local}` is ambiguous in `{time_zone}` (it occurs twice at a clock change)")]
    AmbiguousLocalTime {
        /// The local date and time.
        local: chrono::NaiveDateTime,
        /// The zone name.
        time_zone: String,
    },
    /// An event of a ticket's history that cannot be used, with where it
    /// is: the ticket and the event's position (0-based) in the input.
    #[error("ticket `{ticket}`{}: {problem}", position.map(|p| format!(" event {p}")).unwrap_or_default())]
    Event {
        /// The ticket the event belongs to (or was expected to).
        ticket: crate::event::TicketId,
        /// The event's position in the input given, when one event is at
        /// fault.
        position: Option<usize>,
        /// What is wrong with it.
        problem: crate::event::Problem,
    },
    /// A policy that cannot be built: a condition, target or option that
    /// cannot work.
    #[error("invalid policy `{policy}` in `{field}`: {reason}")]
    InvalidPolicy {
        /// The policy id.
        policy: String,
        /// Where in the policy (`stop`, `target.by`, `warnings[1]`).
        field: String,
        /// Why it is rejected, quoting the offending input.
        reason: String,
    },
    /// A duration that is not `[-]<n>h<n>m<n>s` (any parts, in that order).
    #[error("invalid duration `{input}` in `{field}`: expected hours, minutes and seconds as in `8h`, `1h30m`, `-90s`")]
    InvalidDuration {
        /// Where the value was found.
        field: String,
        /// The value as given.
        input: String,
    },
    /// An outage record that cannot be used: it ends before it starts, has
    /// no length, or lies outside the range instants can take.
    #[error("invalid outage{} `{input}`: {reason}", index.map(|i| format!(" {i}")).unwrap_or_default())]
    InvalidOutage {
        /// The outage's position (0-based) in the input, when known.
        index: Option<usize>,
        /// The outage as given.
        input: String,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// An objective, weight, alert rule or maintenance setting that cannot
    /// work, such as a target of 0% or a short window longer than the long
    /// one.
    #[error("invalid objective `{input}` in `{field}`: {reason}")]
    InvalidObjective {
        /// Where the value was found.
        field: String,
        /// The value as given.
        input: String,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// A service catalog, service or report setup that cannot work: a
    /// policy or service naming a calendar the catalog does not have, a
    /// dependency on an unknown service or a cycle of dependencies, two
    /// services with one id.
    #[error("invalid catalog entry `{input}` in `{field}`: {reason}")]
    InvalidCatalog {
        /// Where the value was found (`services[2].policies[0].calendar`).
        field: String,
        /// The value as given.
        input: String,
        /// Why it is rejected.
        reason: String,
    },
    /// A reporting window or SLI sample that cannot be measured: an empty
    /// or reversed window, a window starting after `as_of`, a sample with
    /// more good events than valid ones.
    #[error("invalid measurement input `{input}` in `{field}`: {reason}")]
    InvalidMeasurement {
        /// What was being measured (`window`, `slices[3]`).
        field: String,
        /// The value as given.
        input: String,
        /// Why it is rejected.
        reason: &'static str,
    },
}

impl Error {
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// Unwraps the kind, for matching by value.
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }

    /// True for errors in a configuration: a calendar, policy or schema
    /// that cannot be built.
    pub fn is_config(&self) -> bool {
        matches!(
            *self.0,
            ErrorKind::UnknownTimeZone { .. }
                | ErrorKind::InvalidClockTime { .. }
                | ErrorKind::InvalidDate { .. }
                | ErrorKind::UnknownWeekday { .. }
                | ErrorKind::InvalidFloatingDate { .. }
                | ErrorKind::OverlappingWindows { .. }
                | ErrorKind::InvalidRange { .. }
                | ErrorKind::ConflictingDates { .. }
                | ErrorKind::EmptyCalendar { .. }
                | ErrorKind::InvalidHorizon { .. }
                | ErrorKind::InvalidPolicy { .. }
                | ErrorKind::InvalidDuration { .. }
                | ErrorKind::InvalidObjective { .. }
                | ErrorKind::InvalidCatalog { .. }
        )
    }

    /// True for an event that cannot be used ([`ErrorKind::Event`]); its
    /// ticket and position are in [`Error::ticket`] and [`Error::position`].
    pub fn is_event(&self) -> bool {
        matches!(*self.0, ErrorKind::Event { .. })
    }

    /// True for an outage record or measurement input that cannot be used
    /// ([`ErrorKind::InvalidOutage`], [`ErrorKind::InvalidMeasurement`]).
    pub fn is_measurement(&self) -> bool {
        matches!(
            *self.0,
            ErrorKind::InvalidOutage { .. } | ErrorKind::InvalidMeasurement { .. }
        )
    }

    /// The ticket a data error is about.
    pub fn ticket(&self) -> Option<&crate::event::TicketId> {
        match &*self.0 {
            ErrorKind::Event { ticket, .. } => Some(ticket),
            _ => None,
        }
    }

    /// The position (0-based, in the input given) of the event or outage a
    /// data error is about.
    pub fn position(&self) -> Option<usize> {
        match &*self.0 {
            ErrorKind::Event { position, .. } => *position,
            ErrorKind::InvalidOutage { index, .. } => *index,
            _ => None,
        }
    }

    /// True when a query reaches past the calendar's horizon: an instant or
    /// date outside it, or an amount it cannot supply.
    pub fn is_horizon(&self) -> bool {
        matches!(
            *self.0,
            ErrorKind::OutsideHorizon { .. } | ErrorKind::DateOutsideHorizon { .. } | ErrorKind::HorizonExceeded { .. }
        )
    }

    /// True when a local wall-clock time was rejected because it falls in a
    /// DST gap or fold.
    pub fn is_local_time(&self) -> bool {
        matches!(
            *self.0,
            ErrorKind::NonexistentLocalTime { .. } | ErrorKind::AmbiguousLocalTime { .. }
        )
    }

    pub(crate) fn event(
        ticket: &crate::event::TicketId,
        position: Option<usize>,
        problem: crate::event::Problem,
    ) -> Error {
        Error::from(ErrorKind::Event {
            ticket: ticket.clone(),
            position,
            problem,
        })
    }

    pub(crate) fn policy(policy: &str, field: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::from(ErrorKind::InvalidPolicy {
            policy: policy.to_string(),
            field: field.into(),
            reason: reason.into(),
        })
    }

    pub(crate) fn objective(field: impl Into<String>, input: impl ToString, reason: &'static str) -> Error {
        Error::from(ErrorKind::InvalidObjective {
            field: field.into(),
            input: input.to_string(),
            reason,
        })
    }

    pub(crate) fn catalog(field: impl Into<String>, input: impl ToString, reason: impl Into<String>) -> Error {
        Error::from(ErrorKind::InvalidCatalog {
            field: field.into(),
            input: input.to_string(),
            reason: reason.into(),
        })
    }

    pub(crate) fn measurement(field: impl Into<String>, input: impl ToString, reason: &'static str) -> Error {
        Error::from(ErrorKind::InvalidMeasurement {
            field: field.into(),
            input: input.to_string(),
            reason,
        })
    }

    pub(crate) fn horizon_exceeded(
        from: DateTime<Utc>,
        request: String,
        horizon: (DateTime<Utc>, DateTime<Utc>),
    ) -> Error {
        Error::from(ErrorKind::HorizonExceeded {
            from,
            request,
            horizon_start: horizon.0,
            horizon_end: horizon.1,
        })
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Error {
        Error(Box::new(kind))
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_is_one_pointer_wide() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn message_quotes_the_input_in_lowercase() {
        let err = Error::from(ErrorKind::UnknownTimeZone {
            name: "Europe/Pariss".into(),
        });
        assert_eq!(err.to_string(), "unknown time zone `Europe/Pariss`");
        assert!(err.is_config());
        assert!(!err.is_horizon());
    }
}

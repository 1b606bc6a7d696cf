//! The crate's one error type.
//!
//! Shaped like `csv::Error` and jiff's error: an opaque [`Error`] (one
//! pointer wide) with a [`#[non_exhaustive]`](ErrorKind) kind, accessors
//! for what a program needs to branch or point at ([`Error::field`],
//! [`Error::input`], [`Error::ticket`], [`Error::position`]), predicates
//! that answer on the root cause, and a cause chain that `Display` prints
//! (`ticket `T1` event 2: the calendar cannot answer for this ticket:
//! instant `...` is outside the calendar horizon ...`). Messages are
//! lowercase and quote the offending input between backticks.
//!
//! A breach of an SLA is an *outcome*, never an error: errors are reserved
//! for input the crate cannot use (a bad configuration, an instant outside
//! the calendar's horizon, a request the calendar cannot satisfy).
//!
//! This module imports nothing above the foundations (`names`): the event
//! [`Problem`](crate::event::Problem) of an event error is kept as a value
//! the `event` module reads back ([`Error::problem`]).

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

/// A type alias for `Result<T, servicelevel::Error>`.
pub type Result<T> = std::result::Result<T, Error>;

/// An error from building or querying one of the crate's values.
///
/// [`Error::kind`] says what went wrong; the predicates
/// ([`Error::is_config`], [`Error::is_horizon`], [`Error::is_local_time`],
/// [`Error::is_event`], [`Error::is_measurement`]) answer on the *root
/// cause*, so an instant outside a calendar's horizon met while evaluating
/// a ticket is still [`is_horizon`](Error::is_horizon). `Display` prints the
/// whole chain, outermost first, joined by `: `;
/// [`source`](std::error::Error::source) walks it.
///
/// Two errors are equal when they have the same kind and print the same
/// text (so a report read back from JSON equals the one written).
///
/// ```
/// use servicelevel::{ClockTime, ErrorKind};
///
/// let err = "17:70".parse::<ClockTime>().unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidClockTime);
/// assert_eq!(err.input(), Some("17:70"));
/// assert!(err.is_config());
/// assert_eq!(
///     err.to_string(),
///     "invalid clock time `17:70`: expected `HH:MM` or `HH:MM:SS` from `00:00` to `24:00`",
/// );
/// // Read from a configuration file, the error names where the value was.
/// assert_eq!(err.in_field("weekly.mon[0]").field(), Some("weekly.mon[0]"));
/// ```
#[derive(Clone)]
pub struct Error(Box<Inner>);

#[derive(Clone, Debug)]
struct Inner {
    detail: Detail,
    source: Option<Error>,
}

/// What went wrong: the category of an [`Error`].
///
/// New kinds may be added in minor releases, so a `match` needs a `_` arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum ErrorKind {
    /// The time zone name is not in the IANA database chrono-tz ships.
    UnknownTimeZone,
    /// A clock time that is not `HH:MM` or `HH:MM:SS` in `00:00..=24:00`.
    InvalidClockTime,
    /// A date that is not a valid `YYYY-MM-DD` (or `MM-DD` for yearly dates).
    InvalidDate,
    /// A floating date rule that cannot be read, such as `5th fri of feb`
    /// written as `fifth friday in february`.
    InvalidFloatingDate,
    /// A recurring calendar rule that cannot be read or used: an Easter
    /// offset that leaves the year, an observance on a rule that is not a
    /// holiday, an unknown rule text.
    InvalidRule,
    /// An iCalendar (RFC 5545) feed that cannot be read, or that uses a
    /// construct the calendar cannot represent; the error names the line.
    InvalidIcs,
    /// Two windows of the same day (or of the same override) overlap.
    /// Windows are rejected rather than merged, because an overlap is almost
    /// always a typing mistake.
    OverlappingWindows,
    /// A window, closure or range that is empty or reversed where that
    /// cannot be meant.
    InvalidRange,
    /// The same date is given two contradictory meanings (an override and a
    /// dated closure).
    ConflictingDates,
    /// The calendar has no open time at all inside its horizon.
    EmptyCalendar,
    /// The horizon is empty, reversed, or too long.
    InvalidHorizon,
    /// An instant lies outside the calendar's horizon, where the calendar
    /// has no data.
    OutsideHorizon,
    /// A date lies outside the calendar's horizon.
    DateOutsideHorizon,
    /// The calendar cannot supply the requested business time, working days
    /// or opening before the end (or start) of its horizon.
    HorizonExceeded,
    /// A local wall-clock time that does not exist (it falls in a DST gap)
    /// and the disambiguation policy is
    /// [`Disambiguation::Reject`](crate::calendar::Disambiguation::Reject).
    NonexistentLocalTime,
    /// A local wall-clock time that occurs twice (a DST fold) and the
    /// disambiguation policy is
    /// [`Disambiguation::Reject`](crate::calendar::Disambiguation::Reject).
    AmbiguousLocalTime,
    /// An event of a ticket's history that cannot be used; the ticket and
    /// the event's position are [`Error::ticket`] and [`Error::position`].
    Event,
    /// A policy that cannot be built: a condition, target or option that
    /// cannot work.
    InvalidPolicy,
    /// A duration that is not `[-]<n>h<n>m<n>s` (any parts, in that order).
    InvalidDuration,
    /// An outage record that cannot be used: it ends before it starts, has
    /// no length, or lies outside the range instants can take.
    InvalidOutage,
    /// An objective, percentage, weight, alert rule or maintenance setting
    /// that cannot work, such as a target of 0%.
    InvalidObjective,
    /// A service catalog, service or report setup that cannot work: a
    /// policy or service naming a calendar the catalog does not have, a
    /// dependency on an unknown service or a cycle of dependencies, two
    /// services with one id.
    InvalidCatalog,
    /// A reporting window or SLI sample that cannot be measured: an empty
    /// or reversed window, a window starting after `as_of`, a sample with
    /// more good events than valid ones.
    InvalidMeasurement,
    /// A value of a field that is not in the form the field takes (a
    /// period name, an enum value) where no more specific kind applies.
    InvalidValue,
    /// An export profile names a column the export's header does not have;
    /// the message lists the header.
    UnknownColumn,
    /// A value of a column given to a column kernel (such as
    /// [`BusinessCalendar::business_time_column`](crate::BusinessCalendar::business_time_column))
    /// that cannot be used; [`Error::position`] is its row (0-based) and the
    /// cause says why.
    Column,
    /// Serialised input that does not have the form its type reads: a
    /// missing or unknown field, a value of the wrong type (see
    /// [`Error::from_deserialize`]; the message is the deserialiser's, with
    /// its line and column).
    InvalidForm,
}

/// A problem value kept inside an error, printed by its `Display` and read
/// back by type (the `event` layer's `Problem`).
#[derive(Clone)]
pub(crate) struct Payload {
    value: Arc<dyn Any + Send + Sync>,
    text: String,
}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Something that is wrong with an input and may have been caused by an
/// [`Error`] (an event problem that came from the calendar). Lets this
/// module keep a cause without importing the layers above it.
pub(crate) trait Cause: fmt::Display {
    /// The error that caused it, if any.
    fn cause(&self) -> Option<Error> {
        None
    }
}

impl Cause for &'static str {}

fn loc(field: &str) -> String {
    if field.is_empty() {
        String::new()
    } else {
        format!(" in `{field}`")
    }
}

/// The data behind an [`Error`], private so that it can grow.
///
/// `field` is the path of the offending value in the serde form
/// (`weekly.mon[1]`); empty when the value was parsed on its own
/// (`"17:70".parse::<ClockTime>()`) and set by [`Error::in_field`].
#[derive(Clone, Debug, thiserror::Error)]
pub(crate) enum Detail {
    /// An error read back from its serialised form: its kind and message,
    /// without the cause chain.
    #[error("{message}")]
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    Restored {
        /// The kind it had.
        kind: ErrorKind,
        /// What it said.
        message: String,
    },
    /// The time zone name is not in the IANA database chrono-tz ships.
    #[error("unknown time zone `{name}`")]
    UnknownTimeZone {
        /// The name as given.
        name: String,
    },
    /// A clock time that is not `HH:MM` or `HH:MM:SS` in `00:00..=24:00`.
    #[error(
        "invalid clock time `{input}`{}: expected `HH:MM` or `HH:MM:SS` from `00:00` to `24:00`",
        loc(field)
    )]
    InvalidClockTime {
        /// Where the value was found.
        field: String,
        /// The value as given.
        input: String,
    },
    /// A date that is not a valid `YYYY-MM-DD` (or `MM-DD` for yearly dates).
    #[error("invalid date `{input}`{}: expected {expected}", loc(field))]
    InvalidDate {
        /// Where the value was found.
        field: String,
        /// The value as given.
        input: String,
        /// The expected form.
        expected: &'static str,
    },
    /// A floating date rule that cannot be read, such as `5th fri of feb`
    /// written as `fifth friday in february`.
    #[error(
        "invalid floating date `{input}`{}: expected `<1st|2nd|3rd|4th|5th|last> <weekday> of <month>`, as in `4th thu of nov`",
        loc(field)
    )]
    InvalidFloatingDate {
        /// Where the value was found.
        field: String,
        /// The value as given.
        input: String,
    },
    /// A recurring calendar rule that cannot be read or used.
    #[error("invalid calendar rule `{input}`{}: {reason}", loc(field))]
    InvalidRule {
        /// Where the value was found.
        field: String,
        /// The rule as given.
        input: String,
        /// Why it is rejected.
        reason: String,
    },
    /// An iCalendar feed that cannot be read or represented.
    #[cfg_attr(not(any(feature = "ics", feature = "serde")), allow(dead_code))]
    #[error("invalid iCalendar feed at line {line} (`{input}`): {reason}")]
    InvalidIcs {
        /// The line (1-based, in the text as given, folded lines counted).
        line: usize,
        /// The offending content line, unfolded.
        input: String,
        /// Why it is rejected.
        reason: String,
    },
    /// Two recurring rules give one date different hours.
    #[error("conflicting rules for `{date}`: `{first}` and `{second}` both set its hours")]
    ConflictingRules {
        /// The date both rules name.
        date: NaiveDate,
        /// The first rule, as text.
        first: String,
        /// The second rule.
        second: String,
    },
    /// Two windows of the same day (or of the same override) overlap.
    /// Windows are rejected rather than merged, because an overlap is almost
    /// always a typing mistake.
    #[error("overlapping windows{}: `{first}` and `{second}`", loc(field))]
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
    #[error("invalid range `{input}`{}: {reason}", loc(field))]
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
        ticket: crate::names::TicketId,
        /// The event's position in the input given, when one event is at
        /// fault.
        position: Option<usize>,
        /// What is wrong with it.
        problem: Payload,
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
    #[error(
        "invalid duration `{input}`{}: expected hours, minutes and seconds as in `8h`, `1h30m`, `-90s`",
        loc(field)
    )]
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
    #[error("invalid objective `{input}`{}: {reason}", loc(field))]
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
    #[error("invalid catalog entry `{input}`{}: {reason}", loc(field))]
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
    #[error("invalid measurement input `{input}`{}: {reason}", loc(field))]
    InvalidMeasurement {
        /// What was being measured (`window`, `slices[3]`).
        field: String,
        /// The value as given.
        input: String,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// A value not in the form its field takes.
    #[error("invalid value `{input}`{}: expected {expected}", loc(field))]
    InvalidValue {
        /// Where the value was found.
        field: String,
        /// The value as given.
        input: String,
        /// What the field takes.
        expected: String,
    },
    /// A profile's column that the header does not have.
    #[error("no column `{input}`{} in the header: {}", loc(field), list(header))]
    UnknownColumn {
        /// The profile key that names it (`fields.status.column`).
        field: String,
        /// The column as named.
        input: String,
        /// The header's columns.
        header: Vec<String>,
    },
    /// A row of a column kernel's input that cannot be used; the cause
    /// says why.
    #[error("row {row} of column `{column}`")]
    Column {
        /// The column's name (`starts`, `ends`, `amounts`).
        column: &'static str,
        /// The row, 0-based.
        row: usize,
    },
    /// Serialised input without the form its type reads.
    #[error("{message}")]
    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    InvalidForm {
        /// The deserialiser's message.
        message: String,
    },
}

fn list(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

/// The variants that name the field their value came from, listed once for
/// reading and for [`Error::in_field`].
macro_rules! with_field {
    ($detail:expr, $field:ident => $value:expr) => {
        match $detail {
            Detail::InvalidClockTime { field: $field, .. }
            | Detail::InvalidDate { field: $field, .. }
            | Detail::InvalidFloatingDate { field: $field, .. }
            | Detail::InvalidRule { field: $field, .. }
            | Detail::OverlappingWindows { field: $field, .. }
            | Detail::InvalidRange { field: $field, .. }
            | Detail::InvalidPolicy { field: $field, .. }
            | Detail::InvalidDuration { field: $field, .. }
            | Detail::InvalidObjective { field: $field, .. }
            | Detail::InvalidCatalog { field: $field, .. }
            | Detail::InvalidMeasurement { field: $field, .. }
            | Detail::InvalidValue { field: $field, .. }
            | Detail::UnknownColumn { field: $field, .. } => Some($value),
            _ => None,
        }
    };
}

impl Detail {
    fn kind(&self) -> ErrorKind {
        match self {
            Detail::Restored { kind, .. } => *kind,
            Detail::UnknownTimeZone { .. } => ErrorKind::UnknownTimeZone,
            Detail::InvalidClockTime { .. } => ErrorKind::InvalidClockTime,
            Detail::InvalidDate { .. } => ErrorKind::InvalidDate,
            Detail::InvalidFloatingDate { .. } => ErrorKind::InvalidFloatingDate,
            Detail::InvalidRule { .. } => ErrorKind::InvalidRule,
            Detail::InvalidIcs { .. } => ErrorKind::InvalidIcs,
            Detail::ConflictingRules { .. } => ErrorKind::ConflictingDates,
            Detail::OverlappingWindows { .. } => ErrorKind::OverlappingWindows,
            Detail::InvalidRange { .. } => ErrorKind::InvalidRange,
            Detail::ConflictingDates { .. } => ErrorKind::ConflictingDates,
            Detail::EmptyCalendar { .. } => ErrorKind::EmptyCalendar,
            Detail::InvalidHorizon { .. } => ErrorKind::InvalidHorizon,
            Detail::OutsideHorizon { .. } => ErrorKind::OutsideHorizon,
            Detail::DateOutsideHorizon { .. } => ErrorKind::DateOutsideHorizon,
            Detail::HorizonExceeded { .. } => ErrorKind::HorizonExceeded,
            Detail::NonexistentLocalTime { .. } => ErrorKind::NonexistentLocalTime,
            Detail::AmbiguousLocalTime { .. } => ErrorKind::AmbiguousLocalTime,
            Detail::Event { .. } => ErrorKind::Event,
            Detail::InvalidPolicy { .. } => ErrorKind::InvalidPolicy,
            Detail::InvalidDuration { .. } => ErrorKind::InvalidDuration,
            Detail::InvalidOutage { .. } => ErrorKind::InvalidOutage,
            Detail::InvalidObjective { .. } => ErrorKind::InvalidObjective,
            Detail::InvalidCatalog { .. } => ErrorKind::InvalidCatalog,
            Detail::InvalidMeasurement { .. } => ErrorKind::InvalidMeasurement,
            Detail::InvalidValue { .. } => ErrorKind::InvalidValue,
            Detail::UnknownColumn { .. } => ErrorKind::UnknownColumn,
            Detail::Column { .. } => ErrorKind::Column,
            Detail::InvalidForm { .. } => ErrorKind::InvalidForm,
        }
    }

    fn field(&self) -> Option<&str> {
        with_field!(self, field => field.as_str())
    }

    fn field_mut(&mut self) -> Option<&mut String> {
        with_field!(self, field => field)
    }

    fn input(&self) -> Option<&str> {
        match self {
            Detail::UnknownTimeZone { name } => Some(name),
            Detail::InvalidClockTime { input, .. }
            | Detail::InvalidDate { input, .. }
            | Detail::InvalidFloatingDate { input, .. }
            | Detail::InvalidRule { input, .. }
            | Detail::InvalidIcs { input, .. }
            | Detail::InvalidRange { input, .. }
            | Detail::InvalidDuration { input, .. }
            | Detail::InvalidOutage { input, .. }
            | Detail::InvalidObjective { input, .. }
            | Detail::InvalidCatalog { input, .. }
            | Detail::InvalidMeasurement { input, .. }
            | Detail::InvalidValue { input, .. }
            | Detail::UnknownColumn { input, .. } => Some(input),
            _ => None,
        }
    }
}

impl Error {
    /// What went wrong (this error's own kind; see [`Error::root_cause`]
    /// for the innermost one).
    pub fn kind(&self) -> ErrorKind {
        self.0.detail.kind()
    }

    /// The innermost error of the chain: the one that started it.
    pub fn root_cause(&self) -> &Error {
        let mut error = self;
        while let Some(source) = &error.0.source {
            error = source;
        }
        error
    }

    /// The path of the offending value in the serde form (`weekly.mon[0]`,
    /// `target.amounts[1]`), when the value came from a configuration.
    pub fn field(&self) -> Option<&str> {
        self.0.detail.field().filter(|f| !f.is_empty())
    }

    /// The offending input as given (a zone name, a clock time, an outage).
    pub fn input(&self) -> Option<&str> {
        self.0.detail.input()
    }

    /// Names the field a value was read from: `"17:70".parse::<ClockTime>()`
    /// knows no field; read from `weekly.mon[0]`, its error does. A path
    /// already set is nested under `field` (`target` + `amounts[0]` gives
    /// `target.amounts[0]`). Errors without a field are returned as they are.
    pub fn in_field(mut self, field: impl fmt::Display) -> Error {
        if let Some(path) = self.0.detail.field_mut() {
            let outer = field.to_string();
            *path = if path.is_empty() {
                outer
            } else if path.starts_with('[') {
                format!("{outer}{path}")
            } else {
                format!("{outer}.{path}")
            };
        }
        self
    }

    /// This error with `source` as its cause.
    pub(crate) fn caused_by(mut self, source: Error) -> Error {
        self.0.source = Some(source);
        self
    }

    /// True for errors in a configuration: a calendar, policy, objective or
    /// catalog that cannot be built, or a value that cannot be parsed.
    pub fn is_config(&self) -> bool {
        matches!(
            self.root_cause().kind(),
            ErrorKind::UnknownTimeZone
                | ErrorKind::InvalidClockTime
                | ErrorKind::InvalidDate
                | ErrorKind::InvalidFloatingDate
                | ErrorKind::InvalidRule
                | ErrorKind::InvalidIcs
                | ErrorKind::OverlappingWindows
                | ErrorKind::InvalidRange
                | ErrorKind::ConflictingDates
                | ErrorKind::EmptyCalendar
                | ErrorKind::InvalidHorizon
                | ErrorKind::InvalidPolicy
                | ErrorKind::InvalidDuration
                | ErrorKind::InvalidObjective
                | ErrorKind::InvalidCatalog
                | ErrorKind::InvalidValue
                | ErrorKind::UnknownColumn
                | ErrorKind::InvalidForm
        )
    }

    /// True for an error about a ticket's events ([`ErrorKind::Event`]
    /// anywhere in the chain); its ticket and position are in
    /// [`Error::ticket`] and [`Error::position`]. The root cause may be
    /// the calendar's (then [`is_horizon`](Error::is_horizon) holds too).
    pub fn is_event(&self) -> bool {
        self.chain().any(|e| e.kind() == ErrorKind::Event)
    }

    /// True for an outage record or measurement input that cannot be used
    /// ([`ErrorKind::InvalidOutage`], [`ErrorKind::InvalidMeasurement`]).
    pub fn is_measurement(&self) -> bool {
        matches!(
            self.root_cause().kind(),
            ErrorKind::InvalidOutage | ErrorKind::InvalidMeasurement
        )
    }

    /// True when a query reaches past the calendar's horizon: an instant or
    /// date outside it, or an amount it cannot supply; also when that
    /// happened while evaluating a ticket.
    pub fn is_horizon(&self) -> bool {
        matches!(
            self.root_cause().kind(),
            ErrorKind::OutsideHorizon | ErrorKind::DateOutsideHorizon | ErrorKind::HorizonExceeded
        )
    }

    /// True when a local wall-clock time was rejected because it falls in a
    /// DST gap or fold.
    pub fn is_local_time(&self) -> bool {
        matches!(
            self.root_cause().kind(),
            ErrorKind::NonexistentLocalTime | ErrorKind::AmbiguousLocalTime
        )
    }

    /// The ticket a data error is about (the outermost one that names one).
    pub fn ticket(&self) -> Option<&crate::names::TicketId> {
        self.chain().find_map(|e| match &e.0.detail {
            Detail::Event { ticket, .. } => Some(ticket),
            _ => None,
        })
    }

    /// The position (0-based, in the input given) of the event, outage or
    /// column row a data error is about.
    pub fn position(&self) -> Option<usize> {
        self.chain().find_map(|e| match &e.0.detail {
            Detail::Event { position, .. } => *position,
            Detail::InvalidOutage { index, .. } => *index,
            Detail::Column { row, .. } => Some(*row),
            _ => None,
        })
    }

    /// The problem value of an event error, for the `event` layer to read
    /// back by type.
    pub(crate) fn payload<T: Any>(&self) -> Option<&T> {
        match &self.0.detail {
            Detail::Event { problem, .. } => problem.value.downcast_ref(),
            _ => None,
        }
    }

    fn chain(&self) -> impl Iterator<Item = &Error> {
        std::iter::successors(Some(self), |e| e.0.source.as_ref())
    }

    /// An event error; a problem that carries a deeper error (the
    /// calendar's) keeps it as the cause.
    pub(crate) fn event<P: Cause + Any + Send + Sync>(
        ticket: &crate::names::TicketId,
        position: Option<usize>,
        problem: P,
    ) -> Error {
        let cause = problem.cause();
        let error = Error::from(Detail::Event {
            ticket: ticket.clone(),
            position,
            problem: Payload {
                text: problem.to_string(),
                value: Arc::new(problem),
            },
        });
        match cause {
            Some(cause) => error.caused_by(cause),
            None => error,
        }
    }

    pub(crate) fn policy(policy: &str, field: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::from(Detail::InvalidPolicy {
            policy: policy.to_string(),
            field: field.into(),
            reason: reason.into(),
        })
    }

    pub(crate) fn objective(field: impl Into<String>, input: impl ToString, reason: &'static str) -> Error {
        Error::from(Detail::InvalidObjective {
            field: field.into(),
            input: input.to_string(),
            reason,
        })
    }

    pub(crate) fn catalog(field: impl Into<String>, input: impl ToString, reason: impl Into<String>) -> Error {
        Error::from(Detail::InvalidCatalog {
            field: field.into(),
            input: input.to_string(),
            reason: reason.into(),
        })
    }

    pub(crate) fn measurement(field: impl Into<String>, input: impl ToString, reason: &'static str) -> Error {
        Error::from(Detail::InvalidMeasurement {
            field: field.into(),
            input: input.to_string(),
            reason,
        })
    }

    pub(crate) fn value(input: impl ToString, expected: impl Into<String>) -> Error {
        Error::from(Detail::InvalidValue {
            field: String::new(),
            input: input.to_string(),
            expected: expected.into(),
        })
    }

    /// `cause`, met at `row` of `column` of a column kernel's input.
    pub(crate) fn in_column(column: &'static str, row: usize, cause: Error) -> Error {
        Error::from(Detail::Column { column, row }).caused_by(cause)
    }

    pub(crate) fn horizon_exceeded(
        from: DateTime<Utc>,
        request: String,
        horizon: (DateTime<Utc>, DateTime<Utc>),
    ) -> Error {
        Error::from(Detail::HorizonExceeded {
            from,
            request,
            horizon_start: horizon.0,
            horizon_end: horizon.1,
        })
    }
}

impl From<Detail> for Error {
    fn from(detail: Detail) -> Error {
        Error(Box::new(Inner { detail, source: None }))
    }
}

impl PartialEq for Error {
    fn eq(&self, other: &Error) -> bool {
        self.kind() == other.kind() && self.to_string() == other.to_string()
    }
}

impl Eq for Error {}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind())
            .field("message", &self.to_string())
            .finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.detail, f)?;
        if let Some(source) = &self.0.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source.as_ref().map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Serialised as `{"kind": "outside_horizon", "message": "..."}` (the
/// whole chain's text); read back as an error of that kind and message.
#[cfg(feature = "serde")]
mod serde_form {
    use serde::{Deserialize, Serialize};

    use super::{Detail, Error, ErrorKind};

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct ErrorForm {
        kind: ErrorKind,
        message: String,
    }

    impl Serialize for Error {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            ErrorForm {
                kind: self.kind(),
                message: self.to_string(),
            }
            .serialize(serializer)
        }
    }

    impl<'de> Deserialize<'de> for Error {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Error, D::Error> {
            let form = ErrorForm::deserialize(deserializer)?;
            Ok(Error::from(Detail::Restored {
                kind: form.kind,
                message: form.message,
            }))
        }
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests compute expected values")]
mod tests {
    use super::*;

    #[test]
    fn error_is_one_pointer_wide() {
        assert_eq!(std::mem::size_of::<Error>(), std::mem::size_of::<usize>());
    }

    #[test]
    fn message_quotes_the_input_in_lowercase() {
        let err = Error::from(Detail::UnknownTimeZone {
            name: "Europe/Pariss".into(),
        });
        assert_eq!(err.to_string(), "unknown time zone `Europe/Pariss`");
        assert_eq!(err.input(), Some("Europe/Pariss"));
        assert!(err.is_config());
        assert!(!err.is_horizon());
    }

    #[test]
    fn predicates_answer_on_the_root_cause_and_display_prints_the_chain() {
        let horizon = Error::horizon_exceeded(
            DateTime::UNIX_EPOCH,
            "next opening".into(),
            (DateTime::UNIX_EPOCH, DateTime::UNIX_EPOCH),
        );
        let ticket = crate::names::TicketId::new("T1");
        let err = Error::event(&ticket, Some(2), "the calendar cannot answer for this ticket").caused_by(horizon);
        assert_eq!(err.kind(), ErrorKind::Event);
        assert_eq!(err.root_cause().kind(), ErrorKind::HorizonExceeded);
        assert!(err.is_horizon());
        assert!(err.is_event());
        assert_eq!((err.ticket(), err.position()), (Some(&ticket), Some(2)));
        assert!(
            err.to_string().starts_with(
                "ticket `T1` event 2: the calendar cannot answer for this ticket: calendar cannot supply next opening"
            ),
            "{err}"
        );
        assert!(std::error::Error::source(&err).is_some());
    }

    #[test]
    fn a_field_path_nests() {
        let err = Error::value("weekly", "a period").in_field("periods").in_field("spec");
        assert_eq!(err.field(), Some("spec.periods"));
        assert_eq!(
            err.to_string(),
            "invalid value `weekly` in `spec.periods`: expected a period"
        );
    }
}

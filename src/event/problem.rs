//! What can be wrong with an event, shared by strict errors and lenient
//! diagnostics so that both say the same thing in the same words.

use std::fmt;

use chrono::{DateTime, Utc};

use super::{Field, TicketId, Value};

/// Why an event (or a ticket's history) cannot be used.
///
/// Carried by [`ErrorKind::Event`](crate::ErrorKind::Event) in strict mode
/// and by [`Diagnostic`](super::Diagnostic) in lenient mode.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "problem"))]
#[non_exhaustive]
pub enum Problem {
    /// No events at all.
    Empty,
    /// No creation event, or (strict mode) the first event is not one.
    MissingCreation,
    /// The event is earlier than the one before it (strict mode).
    OutOfOrder {
        /// The event's instant.
        at: DateTime<Utc>,
        /// The previous event's instant.
        previous: DateTime<Utc>,
    },
    /// The event is earlier than the ticket's creation.
    BeforeCreation {
        /// The event's instant.
        at: DateTime<Utc>,
        /// The creation's instant.
        created: DateTime<Utc>,
    },
    /// The event equals an earlier one in every part.
    Duplicate {
        /// The position of the earlier copy.
        first: usize,
    },
    /// A second creation event.
    SecondCreation {
        /// The position of the creation that is used.
        first: usize,
    },
    /// The event belongs to another ticket.
    OtherTicket {
        /// The ticket it names.
        found: TicketId,
    },
    /// One event sets the same field twice.
    RepeatedField {
        /// The field.
        field: Field,
    },
    /// A field the schema does not know.
    UnknownField {
        /// The field.
        field: Field,
    },
    /// A value outside the schema's set for its field (an unknown status).
    UnknownValue {
        /// The field.
        field: Field,
        /// The value.
        value: Value,
    },
    /// The event comes after the ticket reached a final value (closed).
    AfterClosure {
        /// The position of the event that closed the ticket.
        closed_by: usize,
    },
    /// The policy has no target for the ticket's value and no default.
    NoTarget {
        /// The field the target is chosen by.
        field: Field,
        /// The ticket's value (none when the field is not set).
        value: Option<Value>,
    },
    /// A calendar route finds no calendar for the ticket's value and has
    /// no default ([`CalendarRoute`](crate::policy::CalendarRoute)).
    NoCalendar {
        /// The field the calendar is chosen by.
        field: Field,
        /// The ticket's value (none when the field is not set).
        value: Option<Value>,
    },
    /// A field read as an instant does not hold RFC 3339 text.
    NotAnInstant {
        /// The field.
        field: Field,
        /// What it holds.
        value: Value,
    },
    /// An SLA clock was asked where it stands at an instant earlier than
    /// an event it has already taken.
    AsOfBeforeEvent {
        /// The instant asked about.
        as_of: DateTime<Utc>,
        /// The latest event's instant.
        last: DateTime<Utc>,
    },
    /// The calendar cannot answer for this ticket (an instant outside its
    /// horizon); the calendar's error is the cause of the ticket's.
    Calendar {
        /// The calendar's error.
        error: crate::Error,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Empty => write!(f, "no events"),
            Problem::MissingCreation => write!(f, "history does not begin with a creation event"),
            Problem::OutOfOrder { at, previous } => {
                write!(f, "out of order: `{at}` is before the previous event at `{previous}`")
            }
            Problem::BeforeCreation { at, created } => {
                write!(
                    f,
                    "before creation: `{at}` is before the ticket was created at `{created}`"
                )
            }
            Problem::Duplicate { first } => write!(f, "exact duplicate of event {first}"),
            Problem::SecondCreation { first } => write!(f, "second creation event (event {first} created the ticket)"),
            Problem::OtherTicket { found } => write!(f, "event belongs to ticket `{found}`"),
            Problem::RepeatedField { field } => write!(f, "field `{field}` is set twice in one event"),
            Problem::UnknownField { field } => write!(f, "unknown field `{field}`"),
            Problem::UnknownValue { field, value } => write!(f, "unknown value `{value}` for field `{field}`"),
            Problem::AfterClosure { closed_by } => write!(f, "event after the ticket was closed by event {closed_by}"),
            Problem::NoTarget {
                field,
                value: Some(value),
            } => {
                write!(f, "no target for `{field}` = `{value}` and no default target")
            }
            Problem::NoTarget { field, value: None } => {
                write!(
                    f,
                    "no target: field `{field}` is not set and there is no default target"
                )
            }
            Problem::NoCalendar {
                field,
                value: Some(value),
            } => {
                write!(f, "no calendar for `{field}` = `{value}` and no default calendar")
            }
            Problem::NoCalendar { field, value: None } => {
                write!(
                    f,
                    "no calendar: field `{field}` is not set and there is no default calendar"
                )
            }
            Problem::NotAnInstant { field, value } => {
                write!(f, "field `{field}` holds `{value}`, which is not an RFC 3339 instant")
            }
            Problem::AsOfBeforeEvent { as_of, last } => {
                write!(f, "as of `{as_of}` is before the latest event taken, at `{last}`")
            }
            Problem::Calendar { .. } => write!(f, "the calendar cannot answer for this ticket"),
        }
    }
}

impl crate::error::Cause for Problem {
    fn cause(&self) -> Option<crate::Error> {
        match self {
            Problem::Calendar { error } => Some(error.clone()),
            _ => None,
        }
    }
}

impl crate::Error {
    /// What is wrong with the event, for an error of kind
    /// [`ErrorKind::Event`](crate::ErrorKind::Event) (the outermost event
    /// error of the chain).
    pub fn problem(&self) -> Option<&Problem> {
        self.payload::<Problem>()
    }
}

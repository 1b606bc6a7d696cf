//! What happened to tickets: events, the ticket state they fold into, and
//! validated [`Timeline`]s.
//!
//! An [`Event`] has a ticket id, an instant and a body: the ticket's
//! creation with its initial field values, a change of some fields, or an
//! action (a reply, a note) that changes no field. The state of a ticket at
//! an instant is the fold of its events up to that instant
//! ([`TicketState`]). Fields and actions are open sets of names; a
//! [`Schema`] closes them when the source system's vocabulary is known.

mod names;
mod problem;
mod schema;
#[cfg(feature = "serde")]
mod serde_form;
mod timeline;

use chrono::{DateTime, Utc};

pub use names::{Action, Field, PolicyId, TicketId, Value};
pub use problem::Problem;
pub use schema::Schema;
pub use timeline::{Diagnostic, Lenient, Tickets, Timeline, tickets};

/// One thing that happened to a ticket.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use servicelevel::event::Event;
/// let opened = Utc.with_ymd_and_hms(2025, 3, 3, 9, 0, 0).unwrap();
/// let created = Event::created("INC1", opened, [("status", "new"), ("priority", "2")]);
/// let replied = Event::action("INC1", opened + chrono::TimeDelta::minutes(20), "agent_reply");
/// let solved = Event::set("INC1", opened + chrono::TimeDelta::hours(3), [("status", "resolved")]);
/// assert!(created.is_creation());
/// assert_eq!(replied.ticket().as_str(), "INC1");
/// assert!(solved.at() > replied.at());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(try_from = "serde_form::EventForm", into = "serde_form::EventForm")
)]
pub struct Event {
    ticket: TicketId,
    at: DateTime<Utc>,
    body: EventBody,
}

/// What an [`Event`] says happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventBody {
    /// The ticket was created with these field values.
    Created(Vec<(Field, Value)>),
    /// These fields changed; `None` clears a field.
    Changed(Vec<(Field, Option<Value>)>),
    /// Something happened that changes no field (`agent_reply`).
    Action(Action),
}

impl Event {
    /// An event with any body.
    pub fn new(ticket: impl Into<TicketId>, at: DateTime<Utc>, body: EventBody) -> Event {
        Event {
            ticket: ticket.into(),
            at,
            body,
        }
    }

    /// The creation of a ticket with its initial field values.
    pub fn created<F: Into<Field>, V: Into<Value>>(
        ticket: impl Into<TicketId>,
        at: DateTime<Utc>,
        fields: impl IntoIterator<Item = (F, V)>,
    ) -> Event {
        let fields = fields.into_iter().map(|(f, v)| (f.into(), v.into())).collect();
        Event::new(ticket, at, EventBody::Created(fields))
    }

    /// A change that sets fields to values.
    pub fn set<F: Into<Field>, V: Into<Value>>(
        ticket: impl Into<TicketId>,
        at: DateTime<Utc>,
        fields: impl IntoIterator<Item = (F, V)>,
    ) -> Event {
        let fields = fields.into_iter().map(|(f, v)| (f.into(), Some(v.into()))).collect();
        Event::new(ticket, at, EventBody::Changed(fields))
    }

    /// A change that clears a field.
    pub fn cleared(ticket: impl Into<TicketId>, at: DateTime<Utc>, field: impl Into<Field>) -> Event {
        Event::new(ticket, at, EventBody::Changed(vec![(field.into(), None)]))
    }

    /// An action that changes no field.
    pub fn action(ticket: impl Into<TicketId>, at: DateTime<Utc>, action: impl Into<Action>) -> Event {
        Event::new(ticket, at, EventBody::Action(action.into()))
    }

    /// The ticket it happened to.
    pub fn ticket(&self) -> &TicketId {
        &self.ticket
    }

    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }

    /// What happened.
    pub fn body(&self) -> &EventBody {
        &self.body
    }

    /// True for a ticket's creation.
    pub fn is_creation(&self) -> bool {
        matches!(self.body, EventBody::Created(_))
    }

    /// The fields this event sets or clears, in order.
    pub(crate) fn field_names(&self) -> impl Iterator<Item = &Field> {
        let (created, changed): (&[(Field, Value)], &[(Field, Option<Value>)]) = match &self.body {
            EventBody::Created(fields) => (fields, &[]),
            EventBody::Changed(fields) => (&[], fields),
            EventBody::Action(_) => (&[], &[]),
        };
        created.iter().map(|(f, _)| f).chain(changed.iter().map(|(f, _)| f))
    }

    /// The value this event gives `field`: `Some(Some(v))` when set,
    /// `Some(None)` when cleared, `None` when untouched.
    pub(crate) fn new_value(&self, field: &str) -> Option<Option<&Value>> {
        match &self.body {
            EventBody::Created(fields) => fields.iter().find(|(f, _)| f == field).map(|(_, v)| Some(v)),
            EventBody::Changed(fields) => fields.iter().find(|(f, _)| f == field).map(|(_, v)| v.as_ref()),
            EventBody::Action(_) => None,
        }
    }
}

/// The fields of a ticket at some instant: the fold of its events.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TicketState {
    fields: Vec<(Field, Value)>,
}

impl TicketState {
    /// A ticket with no fields set.
    pub fn new() -> TicketState {
        TicketState::default()
    }

    /// The value of a field, if set.
    pub fn get(&self, field: &str) -> Option<&Value> {
        self.fields.iter().find(|(f, _)| f == field).map(|(_, v)| v)
    }

    /// The fields that are set, in the order they were first set.
    pub fn fields(&self) -> impl Iterator<Item = (&Field, &Value)> {
        self.fields.iter().map(|(f, v)| (f, v))
    }

    /// Applies one event. A creation replaces every field.
    pub fn apply(&mut self, event: &Event) {
        match &event.body {
            EventBody::Created(fields) => {
                self.fields.clear();
                self.fields.extend(fields.iter().cloned());
            }
            EventBody::Changed(changes) => {
                for (field, value) in changes {
                    self.change(field, value.as_ref());
                }
            }
            EventBody::Action(_) => {}
        }
    }

    fn change(&mut self, field: &Field, value: Option<&Value>) {
        let slot = self.fields.iter().position(|(f, _)| f == field);
        match (slot, value) {
            (Some(i), Some(v)) => self.fields[i].1 = v.clone(),
            (Some(i), None) => {
                self.fields.remove(i);
            }
            (None, Some(v)) => self.fields.push((field.clone(), v.clone())),
            (None, None) => {}
        }
    }
}

//! What happened to tickets: events, the ticket state they fold into, and
//! validated [`Timeline`]s.
//!
//! An [`Event`] has a ticket id, an instant and a body: the ticket's
//! creation with its initial field values, a change of some fields, or an
//! action (a reply, a note) that changes no field. The state of a ticket at
//! an instant is the fold of its events up to that instant
//! ([`TicketState`]). Fields and actions are open sets of names; a
//! [`Schema`] closes them when the source system's vocabulary is known.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

mod borrowed;
mod problem;
mod schema;
#[cfg(feature = "serde")]
mod serde_form;
mod timeline;

use chrono::{DateTime, Utc};

pub use crate::names::{Action, Field, PolicyId, ServiceId, TicketId, Value};
use borrowed::BodyRef;
pub use borrowed::EventRef;
pub(crate) use borrowed::strict_as_given;
pub use problem::Problem;
pub use schema::Schema;
pub use timeline::{Built, Diagnostic, Mode, Tickets, Timeline, TimelineOptions, tickets};

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
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use servicelevel::Event;
/// let at = Utc.with_ymd_and_hms(2025, 6, 2, 9, 0, 0).unwrap();
/// let created = Event::created("INC1", at, [("status", "new"), ("priority", "1")]);
/// assert!(created.is_creation());
/// let reply = Event::action("INC1", at, "agent_reply");
/// assert_eq!(reply.ticket().as_str(), "INC1");
/// ```
pub struct Event {
    ticket: TicketId,
    at: DateTime<Utc>,
    body: EventBody,
}

/// What an [`Event`] says happened.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
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
        let at = crate::interval::without_leap_second(at);
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
        let created = match &self.body {
            EventBody::Created(fields) => fields.as_slice(),
            _ => &[],
        };
        let changed = match &self.body {
            EventBody::Changed(fields) => fields.as_slice(),
            _ => &[],
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
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
                // The old values are not kept: no buffer per event.
                for (field, value) in changes {
                    self.change(field, value.as_ref());
                }
            }
            EventBody::Action(_) => {}
        }
    }

    /// Applies one event and leaves in `old` the value each field the event
    /// names had before it, in the event's order (so that conditions can
    /// ask what a field changed from without a second copy of the state).
    pub(crate) fn apply_keeping(&mut self, event: &Event, old: &mut Vec<Option<Value>>) {
        old.clear();
        match &event.body {
            EventBody::Created(fields) => {
                self.fields.clear();
                old.resize(fields.len(), None);
                self.fields.extend(fields.iter().cloned());
            }
            EventBody::Changed(changes) => {
                for (field, value) in changes {
                    old.push(self.change(field, value.as_ref()));
                }
            }
            EventBody::Action(_) => {}
        }
    }

    fn change(&mut self, field: &Field, value: Option<&Value>) -> Option<Value> {
        let slot = self.fields.iter().position(|(f, _)| f == field);
        match (slot, value) {
            (Some(i), Some(v)) => Some(std::mem::replace(&mut self.fields[i].1, v.clone())),
            (Some(i), None) => Some(self.fields.remove(i).1),
            (None, Some(v)) => {
                self.fields.push((field.clone(), v.clone()));
                None
            }
            (None, None) => None,
        }
    }
}

/// Read access to a ticket's fields after an event, and to the values the
/// event's fields had before it (by their index in the event), for
/// conditions. Two implementations: an owned fold (the incremental clock,
/// which must outlive each event) and one that borrows from a timeline
/// (batch evaluation, which then clones no value).
pub(crate) trait Fields {
    fn get(&self, field: &str) -> Option<&Value>;
    /// [`get`](Fields::get) by a name the caller holds: compared by its
    /// key (and pointer) rather than by text, which is what conditions do
    /// on every event.
    fn get_field(&self, field: &Field) -> Option<&Value>;
    fn old(&self, index: usize) -> Option<&Value>;
}

/// A [`TicketState`] with the previous values of the latest event's fields.
#[derive(Clone, Debug, Default)]
pub(crate) struct OwnedFold {
    pub state: TicketState,
    pub old: Vec<Option<Value>>,
}

impl OwnedFold {
    pub fn apply(&mut self, event: &Event) {
        self.state.apply_keeping(event, &mut self.old);
    }
}

impl Fields for OwnedFold {
    #[inline]
    fn get(&self, field: &str) -> Option<&Value> {
        self.state.get(field)
    }

    #[inline]
    fn get_field(&self, field: &Field) -> Option<&Value> {
        self.state.fields.iter().find(|(f, _)| f == field).map(|(_, v)| v)
    }

    fn old(&self, index: usize) -> Option<&Value> {
        self.old.get(index).and_then(Option::as_ref)
    }
}

/// A fold that borrows field names and values from the events.
#[derive(Debug, Default)]
pub(crate) struct BorrowedFold<'t> {
    fields: Vec<(&'t Field, &'t Value)>,
    old: Vec<Option<&'t Value>>,
}

/// The buffers of a [`BorrowedFold`], kept between tickets without their
/// borrows.
#[derive(Debug, Default)]
pub(crate) struct FoldBuffers {
    fields: Vec<(&'static Field, &'static Value)>,
    old: Vec<Option<&'static Value>>,
}

/// Re-types an empty vector's allocation; in-place collection keeps it.
fn recycle<A, B>(mut v: Vec<A>) -> Vec<B> {
    v.clear();
    v.into_iter().map(|_| unreachable!("the vector is empty")).collect()
}

impl<'t> BorrowedFold<'t> {
    /// A fold that reuses the buffers.
    pub fn with_buffers(buffers: &mut FoldBuffers) -> BorrowedFold<'t> {
        BorrowedFold {
            fields: recycle(std::mem::take(&mut buffers.fields)),
            old: recycle(std::mem::take(&mut buffers.old)),
        }
    }

    /// Gives the buffers back.
    pub fn into_buffers(self, buffers: &mut FoldBuffers) {
        buffers.fields = recycle(self.fields);
        buffers.old = recycle(self.old);
    }

    pub fn apply(&mut self, event: EventRef<'t>) {
        self.old.clear();
        match event.body() {
            BodyRef::Created(fields) => self.create(fields.iter().map(|(f, v)| (f, v))),
            BodyRef::CreatedFrom(fields) => self.create(fields.iter().copied()),
            BodyRef::Changed(changes) => self.change(changes.iter().map(|(f, v)| (f, v.as_ref()))),
            BodyRef::ChangedFrom(changes) => self.change(changes.iter().copied()),
            BodyRef::Action(_) => {}
        }
    }

    #[inline]
    fn create(&mut self, fields: impl ExactSizeIterator<Item = (&'t Field, &'t Value)>) {
        self.fields.clear();
        self.old.resize(fields.len(), None);
        self.fields.extend(fields);
    }

    #[inline]
    fn change(&mut self, changes: impl Iterator<Item = (&'t Field, Option<&'t Value>)>) {
        for (field, value) in changes {
            let slot = self.fields.iter().position(|(f, _)| *f == field);
            let old = match (slot, value) {
                (Some(i), Some(v)) => Some(std::mem::replace(&mut self.fields[i].1, v)),
                (Some(i), None) => Some(self.fields.remove(i).1),
                (None, Some(v)) => {
                    self.fields.push((field, v));
                    None
                }
                (None, None) => None,
            };
            self.old.push(old);
        }
    }
}

impl Fields for BorrowedFold<'_> {
    #[inline]
    fn get(&self, field: &str) -> Option<&Value> {
        self.fields.iter().find(|(f, _)| *f == field).map(|(_, v)| *v)
    }

    #[inline]
    fn get_field(&self, field: &Field) -> Option<&Value> {
        self.fields.iter().find(|(f, _)| *f == field).map(|(_, v)| *v)
    }

    fn old(&self, index: usize) -> Option<&Value> {
        self.old.get(index).copied().flatten()
    }
}

//! [`EventRef`]: an event whose names and values are borrowed, the form
//! the evaluation pass reads (an [`Event`] of a timeline, or a row of
//! columns whose values live once in an interner).

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, Utc};

use super::{Action, Event, EventBody, Field, TicketId, Value};

/// One event of a ticket with its field names and values borrowed
/// (advanced: the way to evaluate rows of columns without an [`Event`],
/// and so without a reference count or an allocation per event; see
/// [`Evaluator::evaluate_refs`](crate::eval::Evaluator::evaluate_refs)).
///
/// It says what an [`Event`] says except the ticket, which the caller gives
/// once for all of a ticket's events.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use servicelevel::event::{EventRef, Field, TicketId, Value};
///
/// let (status, new, resolved) = (Field::new("status"), Value::new("new"), Value::new("resolved"));
/// let at = Utc.with_ymd_and_hms(2025, 6, 2, 9, 0, 0).unwrap();
/// let created = [(&status, &new)];
/// let change = [(&status, Some(&resolved))];
/// let events = [EventRef::created(at, &created), EventRef::changed(at + chrono::TimeDelta::hours(2), &change)];
/// assert!(events[0].is_creation());
/// let owned = events[1].to_event(&TicketId::new("INC1"));
/// assert_eq!(owned, servicelevel::Event::set("INC1", at + chrono::TimeDelta::hours(2), [("status", "resolved")]));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct EventRef<'a> {
    at: DateTime<Utc>,
    body: BodyRef<'a>,
}

/// The body in whichever form it is stored: an owned event's vectors, or
/// slices of borrowed pairs.
#[derive(Clone, Copy, Debug)]
pub(super) enum BodyRef<'a> {
    Created(&'a [(Field, Value)]),
    Changed(&'a [(Field, Option<Value>)]),
    CreatedFrom(&'a [(&'a Field, &'a Value)]),
    ChangedFrom(&'a [(&'a Field, Option<&'a Value>)]),
    Action(&'a Action),
}

/// Which of the three kinds of event, whatever the form.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Created,
    Changed,
    Action,
}

impl<'a> EventRef<'a> {
    /// The ticket's creation with these field values (as
    /// [`Event::created`]).
    pub fn created(at: DateTime<Utc>, fields: &'a [(&'a Field, &'a Value)]) -> EventRef<'a> {
        EventRef::with(at, BodyRef::CreatedFrom(fields))
    }

    /// A change of these fields; `None` clears a field (as
    /// [`EventBody::Changed`]).
    pub fn changed(at: DateTime<Utc>, changes: &'a [(&'a Field, Option<&'a Value>)]) -> EventRef<'a> {
        EventRef::with(at, BodyRef::ChangedFrom(changes))
    }

    /// An action that changes no field (as [`Event::action`]).
    pub fn action(at: DateTime<Utc>, action: &'a Action) -> EventRef<'a> {
        EventRef::with(at, BodyRef::Action(action))
    }

    fn with(at: DateTime<Utc>, body: BodyRef<'a>) -> EventRef<'a> {
        // As `Event::new`: a leap second reads as the second before it.
        EventRef {
            at: crate::interval::without_leap_second(at),
            body,
        }
    }

    /// When it happened.
    pub fn at(&self) -> DateTime<Utc> {
        self.at
    }

    /// True for a ticket's creation.
    pub fn is_creation(&self) -> bool {
        self.kind() == Kind::Created
    }

    /// The owned event of `ticket` this one borrows the parts of.
    pub fn to_event(&self, ticket: &TicketId) -> Event {
        let body = match self.body {
            BodyRef::Created(fields) => EventBody::Created(fields.to_vec()),
            BodyRef::Changed(changes) => EventBody::Changed(changes.to_vec()),
            BodyRef::CreatedFrom(fields) => {
                EventBody::Created(fields.iter().map(|&(f, v)| (f.clone(), v.clone())).collect())
            }
            BodyRef::ChangedFrom(changes) => {
                EventBody::Changed(changes.iter().map(|&(f, v)| (f.clone(), v.cloned())).collect())
            }
            BodyRef::Action(action) => EventBody::Action(action.clone()),
        };
        Event::new(ticket.clone(), self.at, body)
    }

    fn kind(&self) -> Kind {
        match self.body {
            BodyRef::Created(_) | BodyRef::CreatedFrom(_) => Kind::Created,
            BodyRef::Changed(_) | BodyRef::ChangedFrom(_) => Kind::Changed,
            BodyRef::Action(_) => Kind::Action,
        }
    }

    /// The action, for an action.
    pub(crate) fn action_done(&self) -> Option<&'a Action> {
        match self.body {
            BodyRef::Action(action) => Some(action),
            _ => None,
        }
    }

    /// How many fields the event names.
    fn len(&self) -> usize {
        match self.body {
            BodyRef::Created(fields) => fields.len(),
            BodyRef::Changed(changes) => changes.len(),
            BodyRef::CreatedFrom(fields) => fields.len(),
            BodyRef::ChangedFrom(changes) => changes.len(),
            BodyRef::Action(_) => 0,
        }
    }

    /// The `index`-th field the event names, with what it becomes.
    fn pair(&self, index: usize) -> Option<(&'a Field, Option<&'a Value>)> {
        match self.body {
            BodyRef::Created(fields) => fields.get(index).map(|(f, v)| (f, Some(v))),
            BodyRef::Changed(changes) => changes.get(index).map(|(f, v)| (f, v.as_ref())),
            BodyRef::CreatedFrom(fields) => fields.get(index).map(|&(f, v)| (f, Some(v))),
            BodyRef::ChangedFrom(changes) => changes.get(index).copied(),
            BodyRef::Action(_) => None,
        }
    }

    /// The index of `field` among the fields this event names.
    #[inline]
    pub(crate) fn field_index(&self, field: &str) -> Option<usize> {
        match self.body {
            BodyRef::Created(fields) => fields.iter().position(|(f, _)| f == field),
            BodyRef::Changed(changes) => changes.iter().position(|(f, _)| f == field),
            BodyRef::CreatedFrom(fields) => fields.iter().position(|(f, _)| *f == field),
            BodyRef::ChangedFrom(changes) => changes.iter().position(|(f, _)| *f == field),
            BodyRef::Action(_) => None,
        }
    }

    /// The value this event gives `field`: `Some(Some(v))` when set,
    /// `Some(None)` when cleared, `None` when untouched.
    #[inline]
    pub(crate) fn new_value(&self, field: &str) -> Option<Option<&'a Value>> {
        match self.body {
            BodyRef::Created(fields) => fields.iter().find(|(f, _)| f == field).map(|(_, v)| Some(v)),
            BodyRef::Changed(changes) => changes.iter().find(|(f, _)| f == field).map(|(_, v)| v.as_ref()),
            BodyRef::CreatedFrom(fields) => fields.iter().find(|(f, _)| *f == field).map(|&(_, v)| Some(v)),
            BodyRef::ChangedFrom(changes) => changes.iter().find(|(f, _)| *f == field).map(|&(_, v)| v),
            BodyRef::Action(_) => None,
        }
    }

    /// The body, for the fold.
    #[inline]
    pub(super) fn body(&self) -> BodyRef<'a> {
        self.body
    }

    /// Whether the two say the same (as `==` on the events of one ticket).
    fn same_as(&self, other: &EventRef<'_>) -> bool {
        self.at == other.at
            && self.kind() == other.kind()
            && self.action_done() == other.action_done()
            && self.len() == other.len()
            && (0..self.len()).all(|i| self.pair(i) == other.pair(i))
    }

    /// Whether the event names some field twice.
    fn repeats_a_field(&self) -> bool {
        let len = self.len();
        len > 1
            && (1..len).any(|i| {
                let field = self.pair(i).map(|(f, _)| f);
                (0..i).any(|j| self.pair(j).map(|(f, _)| f) == field)
            })
    }
}

impl<'a> From<&'a Event> for EventRef<'a> {
    #[inline]
    fn from(event: &'a Event) -> EventRef<'a> {
        let body = match event.body() {
            EventBody::Created(fields) => BodyRef::Created(fields),
            EventBody::Changed(changes) => BodyRef::Changed(changes),
            EventBody::Action(action) => BodyRef::Action(action),
        };
        // The instant is already normal.
        EventRef { at: event.at(), body }
    }
}

/// Whether the events make a strict timeline as they are (see
/// [`Mode::Strict`](super::Mode::Strict)): a creation first and no other,
/// instants never decreasing, no event twice at one instant, no field named
/// twice in one event. When they do not, the caller builds the owned
/// events, whose timeline reports the exact problem.
pub(crate) fn strict_as_given(events: &[EventRef<'_>]) -> bool {
    let Some((first, rest)) = events.split_first() else {
        return false;
    };
    if !first.is_creation() || first.repeats_a_field() {
        return false;
    }
    let mut same_instant_from = 0;
    for (offset, event) in rest.iter().enumerate() {
        // `offset + 1` is the event's index; `events` is in memory.
        #[allow(clippy::arithmetic_side_effects, reason = "an index of a slice in memory")]
        let (index, previous) = (offset + 1, &events[offset]);
        if event.is_creation() || event.at < previous.at || event.repeats_a_field() {
            return false;
        }
        if event.at != previous.at {
            same_instant_from = index;
        } else if events[same_instant_from..index].iter().any(|e| e.same_as(event)) {
            return false;
        }
    }
    true
}

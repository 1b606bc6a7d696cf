//! The serde form of events: `{"ticket", "at", and one of "created": {field:
//! value}, "set": {field: value or null}, "action": name}`.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{Action, Event, EventBody, Field, TicketId, Value};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EventForm {
    ticket: TicketId,
    at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created: Option<Pairs<Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    set: Option<Pairs<Option<Value>>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    action: Option<Action>,
}

impl TryFrom<EventForm> for Event {
    type Error = String;

    fn try_from(form: EventForm) -> Result<Event, String> {
        let body = match (form.created, form.set, form.action) {
            (Some(Pairs(fields)), None, None) => EventBody::Created(fields),
            (None, Some(Pairs(fields)), None) => EventBody::Changed(fields),
            (None, None, Some(action)) => EventBody::Action(action),
            _ => {
                return Err(format!(
                    "event of ticket `{}` at `{}` needs exactly one of `created`, `set` and `action`",
                    form.ticket, form.at
                ));
            }
        };
        Ok(Event::new(form.ticket, form.at, body))
    }
}

impl From<Event> for EventForm {
    fn from(event: Event) -> EventForm {
        let (created, set, action) = match event.body {
            EventBody::Created(fields) => (Some(Pairs(fields)), None, None),
            EventBody::Changed(fields) => (None, Some(Pairs(fields)), None),
            EventBody::Action(action) => (None, None, Some(action)),
        };
        EventForm {
            ticket: event.ticket,
            at: event.at,
            created,
            set,
            action,
        }
    }
}

/// Field/value pairs written as a JSON object, keeping their order.
struct Pairs<V>(Vec<(Field, V)>);

impl<V: Serialize> Serialize for Pairs<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (field, value) in &self.0 {
            map.serialize_entry(field, value)?;
        }
        map.end()
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Pairs<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Pairs<V>, D::Error> {
        struct PairsVisitor<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for PairsVisitor<V> {
            type Value = Pairs<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of field names to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs<V>, A::Error> {
                let mut pairs = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    pairs.push(entry);
                }
                Ok(Pairs(pairs))
            }
        }
        deserializer.deserialize_map(PairsVisitor(std::marker::PhantomData))
    }
}

//! Conditions: predicates over a ticket's fields and over the event at hand.

use crate::event::{Action, EventRef, Field, Fields, Schema, Value};

/// A predicate evaluated at each event of a ticket's history.
///
/// Field predicates look at the ticket's fields *after* the event;
/// event predicates look at the event itself and hold only at that event.
/// A creation counts as changing every field it sets (from unset), so
/// `changed_to(status, new)` holds at a creation with `status = new`.
/// Setting a field to the value it already has is not a change.
///
/// Serde form (externally tagged): `"always"`, `"never"`, `"created"`,
/// `{"equals": ["status", "closed"]}`, `{"in": ["status", ["pending", "on hold"]]}`,
/// `{"is_set": "assignee"}`, `{"not": c}`, `{"all": [c, ...]}`, `{"any": [c, ...]}`,
/// `{"changed": "priority"}`, `{"changed_to": ["status", "closed"]}`,
/// `{"changed_from": ["status", "new"]}`, `{"action": "agent_reply"}`.
///
/// ```
/// use servicelevel::Condition;
/// // "open and not waiting on the customer", as a start or pause condition:
/// let open = Condition::not(Condition::is_in("status", ["resolved", "closed"]));
/// let working = Condition::All(vec![open, Condition::not(Condition::equals("status", "pending"))]);
/// assert!(!working.uses_event());
/// // An event condition holds only at its event: the first agent reply.
/// assert!(Condition::action("agent_reply").uses_event());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Condition {
    /// Always holds.
    Always,
    /// Never holds.
    Never,
    /// The field equals the value.
    Equals(Field, Value),
    /// The field equals one of the values.
    In(Field, Vec<Value>),
    /// The field has a value.
    IsSet(Field),
    /// The condition does not hold.
    Not(Box<Condition>),
    /// Every condition holds (an empty list always holds).
    All(Vec<Condition>),
    /// Some condition holds (an empty list never holds).
    Any(Vec<Condition>),
    /// The event is the ticket's creation.
    Created,
    /// The event changes the field.
    Changed(Field),
    /// The event changes the field to the value.
    ChangedTo(Field, Value),
    /// The event changes the field from the value.
    ChangedFrom(Field, Value),
    /// The event is the action.
    Action(Action),
}

/// What a condition is evaluated against: the ticket after one event, the
/// event, and the values the event's fields had before it (in the event's
/// order).
pub(crate) struct Context<'a, F: Fields + ?Sized> {
    pub after: &'a F,
    pub event: EventRef<'a>,
}

impl<F: Fields + ?Sized> Context<'_, F> {
    /// `(old, new)` when the event changes the field.
    fn change(&self, field: &str) -> Option<(Option<&Value>, Option<&Value>)> {
        let i = self.event.field_index(field)?;
        let old = self.after.old(i);
        let new = self.after.get(field);
        (old != new).then_some((old, new))
    }
}

impl Condition {
    /// `field = value`.
    pub fn equals(field: impl Into<Field>, value: impl Into<Value>) -> Condition {
        Condition::Equals(field.into(), value.into())
    }

    /// `field in values`.
    pub fn is_in<V: Into<Value>>(field: impl Into<Field>, values: impl IntoIterator<Item = V>) -> Condition {
        Condition::In(field.into(), values.into_iter().map(Into::into).collect())
    }

    /// `field is set`.
    pub fn is_set(field: impl Into<Field>) -> Condition {
        Condition::IsSet(field.into())
    }

    /// `not condition`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(condition: Condition) -> Condition {
        Condition::Not(Box::new(condition))
    }

    /// The event changes `field` to `value`.
    pub fn changed_to(field: impl Into<Field>, value: impl Into<Value>) -> Condition {
        Condition::ChangedTo(field.into(), value.into())
    }

    /// The event changes `field` from `value`.
    pub fn changed_from(field: impl Into<Field>, value: impl Into<Value>) -> Condition {
        Condition::ChangedFrom(field.into(), value.into())
    }

    /// The event is the action.
    pub fn action(action: impl Into<Action>) -> Condition {
        Condition::Action(action.into())
    }

    pub(crate) fn holds<F: Fields + ?Sized>(&self, cx: &Context<'_, F>) -> bool {
        match self {
            Condition::Always => true,
            Condition::Never => false,
            Condition::Equals(f, v) => cx.after.get_field(f) == Some(v),
            Condition::In(f, vs) => cx.after.get_field(f).is_some_and(|v| vs.contains(v)),
            Condition::IsSet(f) => cx.after.get_field(f).is_some(),
            Condition::Not(c) => !c.holds(cx),
            Condition::All(cs) => cs.iter().all(|c| c.holds(cx)),
            Condition::Any(cs) => cs.iter().any(|c| c.holds(cx)),
            Condition::Created => cx.event.is_creation(),
            Condition::Changed(f) => cx.change(f.as_str()).is_some(),
            Condition::ChangedTo(f, v) => cx.change(f.as_str()).is_some_and(|(_, new)| new == Some(v)),
            Condition::ChangedFrom(f, v) => cx.change(f.as_str()).is_some_and(|(old, _)| old == Some(v)),
            Condition::Action(a) => cx.event.action_done() == Some(a),
        }
    }

    /// True when the condition looks at the event, so that it holds only at
    /// single events and cannot "keep holding".
    /// Whether a condition that does not look at the event holds on these
    /// fields (an event condition is false here; targets refuse them).
    pub(crate) fn holds_on<F: Fields + ?Sized>(&self, fields: &F) -> bool {
        match self {
            Condition::Always => true,
            Condition::Equals(f, v) => fields.get_field(f) == Some(v),
            Condition::In(f, vs) => fields.get_field(f).is_some_and(|v| vs.contains(v)),
            Condition::IsSet(f) => fields.get_field(f).is_some(),
            Condition::Not(c) => !c.holds_on(fields),
            Condition::All(cs) => cs.iter().all(|c| c.holds_on(fields)),
            Condition::Any(cs) => cs.iter().any(|c| c.holds_on(fields)),
            _ => false,
        }
    }

    /// Whether the condition looks at the event rather than the fields.
    pub fn uses_event(&self) -> bool {
        match self {
            Condition::Created
            | Condition::Changed(_)
            | Condition::ChangedTo(..)
            | Condition::ChangedFrom(..)
            | Condition::Action(_) => true,
            Condition::Not(c) => c.uses_event(),
            Condition::All(cs) | Condition::Any(cs) => cs.iter().any(Condition::uses_event),
            _ => false,
        }
    }

    /// True when the condition provably never holds: `never`, an empty
    /// `any`, an empty `in`, `not always`, or an `all` that needs one field
    /// to take two different values at once.
    pub fn never_holds(&self) -> bool {
        match self {
            Condition::Never => true,
            Condition::In(_, values) => values.is_empty(),
            Condition::Not(c) => c.always_holds(),
            Condition::Any(cs) => cs.iter().all(Condition::never_holds),
            Condition::All(cs) => cs.iter().any(Condition::never_holds) || contradictory(cs),
            Condition::ChangedTo(..) | Condition::ChangedFrom(..) | Condition::Changed(_) => false,
            _ => false,
        }
    }

    /// True when the condition provably always holds.
    pub fn always_holds(&self) -> bool {
        match self {
            Condition::Always => true,
            Condition::Not(c) => c.never_holds(),
            Condition::All(cs) => cs.iter().all(Condition::always_holds),
            Condition::Any(cs) => cs.iter().any(Condition::always_holds),
            _ => false,
        }
    }

    /// Every field and (field, value) the condition names, for schema checks.
    pub(crate) fn names<'a>(&'a self, out: &mut Vec<(&'a Field, Option<&'a Value>)>) {
        match self {
            Condition::Equals(f, v) | Condition::ChangedTo(f, v) | Condition::ChangedFrom(f, v) => {
                out.push((f, Some(v)))
            }
            Condition::In(f, vs) => {
                out.push((f, None));
                out.extend(vs.iter().map(|v| (f, Some(v))));
            }
            Condition::IsSet(f) | Condition::Changed(f) => out.push((f, None)),
            Condition::Not(c) => c.names(out),
            Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| c.names(out)),
            Condition::Always | Condition::Never | Condition::Created | Condition::Action(_) => {}
        }
    }

    /// The first field or value the schema does not know, as a message.
    pub(crate) fn unknown_to(&self, schema: &Schema) -> Option<String> {
        let mut names = Vec::new();
        self.names(&mut names);
        names.into_iter().find_map(|(field, value)| match value {
            _ if !schema.knows_field(field.as_str()) => Some(format!("unknown field `{field}`")),
            Some(value) if !schema.knows_value(field.as_str(), value.as_str()) => {
                Some(format!("unknown value `{value}` for field `{field}`"))
            }
            _ => None,
        })
    }
}

/// An `all` that requires one field to equal two different values (or a
/// value outside a required set).
fn contradictory(conditions: &[Condition]) -> bool {
    let allowed = |c: &Condition| -> Option<(Field, Vec<Value>)> {
        match c {
            Condition::Equals(f, v) => Some((f.clone(), vec![v.clone()])),
            Condition::In(f, vs) => Some((f.clone(), vs.clone())),
            _ => None,
        }
    };
    let sets: Vec<_> = conditions.iter().filter_map(allowed).collect();
    sets.iter().enumerate().any(|(i, (f, vs))| {
        sets[..i]
            .iter()
            .any(|(g, ws)| f == g && !vs.iter().any(|v| ws.contains(v)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_analysis_finds_conditions_that_cannot_hold() {
        let closed = Condition::equals("status", "closed");
        let open = Condition::equals("status", "open");
        assert!(Condition::All(vec![closed.clone(), open.clone()]).never_holds());
        assert!(!Condition::Any(vec![closed.clone(), open]).never_holds());
        assert!(Condition::Any(vec![]).never_holds());
        assert!(Condition::not(Condition::Always).never_holds());
        assert!(Condition::All(vec![]).always_holds());
        assert!(Condition::not(Condition::action("reply")).uses_event());
        assert!(!closed.uses_event());
    }
}

//! One fold over a ticket's events that every slice of a report reads:
//! where it was finished, reopened or reassigned, its breakdown values,
//! and the groups that held it.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, Utc};

use crate::event::{BorrowedFold, EventRef, Field, Fields, Timeline, Value};

use crate::policy::{Lifecycle, Role};

/// What one event did to the ticket's lifecycle.
#[derive(Clone, Copy, Debug)]
pub(super) struct Step {
    pub at: DateTime<Utc>,
    /// Finished (resolved or closed) after the event.
    pub finished: bool,
    /// The event moved it into a finishing status.
    pub resolution: bool,
    /// The event moved it out of one.
    pub reopen: bool,
    /// The event moved it from one group to another.
    pub reassignment: bool,
}

/// A ticket's lifecycle up to `as_of`, folded once.
#[derive(Clone, Debug)]
pub(super) struct Trace {
    /// One per event up to `as_of`.
    pub steps: Vec<Step>,
    /// The breakdown values from each step on (by step index), recorded
    /// when one of them changes; the first entry is the creation's.
    keys: Vec<(usize, Vec<Option<Value>>)>,
    /// The distinct values of the team OLA's field, in order of first
    /// sight.
    pub groups: Vec<Value>,
    /// When the ticket was acknowledged (see [`acknowledged`]), if it was
    /// by `as_of`.
    pub acknowledged: Option<DateTime<Utc>>,
    /// When the failure began, when the report names the field (`None`
    /// inside when the ticket's value is missing or unreadable).
    pub began: Option<Option<DateTime<Utc>>>,
}

/// Acknowledged: someone has the ticket (the lifecycle's assignee field
/// holds a value) or it has left its initial statuses (`new`), whichever
/// comes first. A lifecycle with neither knows no acknowledgement.
fn acknowledged(lifecycle: &Lifecycle, state: &impl Fields) -> bool {
    let assigned = lifecycle.assignee_field().is_some_and(|f| state.get_field(f).is_some());
    let initial = lifecycle.statuses(Role::Initial);
    let moved_on = !initial.is_empty()
        && state
            .get_field(lifecycle.status())
            .is_some_and(|s| !initial.contains(s));
    assigned || moved_on
}

impl Trace {
    pub fn of(
        timeline: &Timeline,
        lifecycle: &Lifecycle,
        breakdowns: &[Field],
        ola_field: Option<&Field>,
        as_of: DateTime<Utc>,
    ) -> Trace {
        // Borrowed from the events: no value is cloned per event.
        let mut state = BorrowedFold::default();
        let mut trace = Trace {
            steps: Vec::with_capacity(timeline.events().len()),
            keys: Vec::new(),
            groups: Vec::new(),
            acknowledged: None,
            began: None,
        };
        let mut finished = false;
        let mut group: Option<Value> = None;
        let mut current: Vec<Option<Value>> = Vec::new();
        for (i, event) in timeline.events().iter().take_while(|e| e.at() <= as_of).enumerate() {
            state.apply(EventRef::from(event));
            let now_finished = lifecycle.finishes(state.get_field(lifecycle.status()));
            let now_group = lifecycle.group().and_then(|f| state.get_field(f)).cloned();
            let reassignment = !event.is_creation() && group.is_some() && now_group.is_some() && now_group != group;
            trace.steps.push(Step {
                at: event.at(),
                finished: now_finished,
                resolution: now_finished && !finished,
                reopen: !now_finished && finished,
                reassignment,
            });
            finished = now_finished;
            group = now_group;
            if trace.acknowledged.is_none() && acknowledged(lifecycle, &state) {
                trace.acknowledged = Some(event.at());
            }
            // Compared in place: most events change no breakdown value.
            let changed = i == 0
                || breakdowns
                    .iter()
                    .zip(&current)
                    .any(|(f, v)| state.get_field(f) != v.as_ref());
            if changed {
                current = breakdowns.iter().map(|f| state.get_field(f).cloned()).collect();
                trace.keys.push((i, current.clone()));
            }
            if let Some(v) = ola_field.and_then(|f| state.get_field(f))
                && !trace.groups.contains(v)
            {
                trace.groups.push(v.clone());
            }
        }
        trace
    }

    /// The instant of the last event up to `as_of`.
    pub fn last_at(&self, created: DateTime<Utc>) -> DateTime<Utc> {
        self.steps.last().map_or(created, |s| s.at)
    }

    /// The last instant the ticket can add to a slice: its last event when
    /// that left it finished, `as_of` when it is still open.
    pub fn alive_until(&self, created: DateTime<Utc>, as_of: DateTime<Utc>) -> DateTime<Utc> {
        match self.steps.last() {
            Some(last) if last.finished => last.at,
            Some(_) => as_of,
            None => created.max(as_of),
        }
    }

    /// The breakdown values as of `at`.
    pub fn keys_at(&self, at: DateTime<Utc>) -> &[Option<Value>] {
        let steps = self.steps.partition_point(|s| s.at <= at);
        let entry = self.keys.partition_point(|(i, _)| *i < steps);
        self.keys
            .get(entry.saturating_sub(1))
            .map_or(&[][..], |(_, keys)| keys.as_slice())
    }
}

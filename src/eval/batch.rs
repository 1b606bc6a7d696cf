//! Many tickets against many policies, one ticket at a time.

use chrono::{DateTime, Utc};

use super::Evaluation;
use crate::calendar::BusinessCalendar;
use crate::error::{Error, Result};
use crate::event::{Diagnostic, Event, Schema, TicketId, Timeline};
use crate::policy::Policy;

/// How each ticket's events become a timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Mode {
    /// [`Timeline::strict`]: any problem makes the ticket an error.
    #[default]
    Strict,
    /// [`Timeline::lenient`]: unusable events are dropped and listed.
    Lenient,
}

/// What happened to one ticket in a batch.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TicketOutcome {
    /// The ticket (the first event's, when no timeline could be built).
    pub ticket: TicketId,
    /// Events left out of a lenient timeline.
    pub diagnostics: Vec<Diagnostic>,
    /// One result per policy, in the evaluator's order; or the error that
    /// kept the ticket from having a timeline at all.
    pub evaluations: Result<Vec<Result<Evaluation>>>,
}

/// Evaluates tickets against a list of policies, each on its calendar.
///
/// [`Evaluator::evaluate_all`] takes tickets as an iterator of event groups
/// (see [`tickets`](crate::event::tickets)) and yields one
/// [`TicketOutcome`] per group, so memory stays flat however many tickets
/// stream through. A bad ticket is an outcome with an error, never the end
/// of the batch.
#[derive(Clone, Debug, Default)]
pub struct Evaluator {
    policies: Vec<(Policy, BusinessCalendar)>,
    schema: Option<Schema>,
}

impl Evaluator {
    /// An evaluator without policies.
    pub fn new() -> Evaluator {
        Evaluator::default()
    }

    /// Adds a policy, measured on `calendar`.
    pub fn policy(mut self, policy: Policy, calendar: BusinessCalendar) -> Evaluator {
        self.policies.push((policy, calendar));
        self
    }

    /// Checks every ticket's events against a schema, and every policy
    /// against it now.
    pub fn schema(mut self, schema: Schema) -> Result<Evaluator> {
        for (policy, _) in &self.policies {
            policy.check_schema(&schema)?;
        }
        self.schema = Some(schema);
        Ok(self)
    }

    /// The policies, in order.
    pub fn policies(&self) -> impl Iterator<Item = &Policy> {
        self.policies.iter().map(|(p, _)| p)
    }

    /// Every policy on one timeline.
    pub fn evaluate(&self, timeline: &Timeline, as_of: DateTime<Utc>) -> Vec<Result<Evaluation>> {
        super::evaluate_policies(&self.policies, timeline, as_of, &mut super::Scratch::default())
    }

    /// Every policy on each of many timelines, reusing working buffers
    /// from one ticket to the next.
    pub fn evaluate_timelines<'a, I>(
        &'a self,
        timelines: I,
        as_of: DateTime<Utc>,
    ) -> impl Iterator<Item = Vec<Result<Evaluation>>> + 'a
    where
        I: IntoIterator<Item = &'a Timeline>,
        I::IntoIter: 'a,
    {
        let mut scratch = super::Scratch::default();
        timelines
            .into_iter()
            .map(move |timeline| super::evaluate_policies(&self.policies, timeline, as_of, &mut scratch))
    }

    /// One ticket's events, built into a timeline under `mode`, then every
    /// policy.
    pub fn evaluate_events(&self, events: Vec<Event>, mode: Mode, as_of: DateTime<Utc>) -> TicketOutcome {
        self.evaluate_events_with(events, mode, as_of, &mut super::Scratch::default())
    }

    fn evaluate_events_with(
        &self,
        events: Vec<Event>,
        mode: Mode,
        as_of: DateTime<Utc>,
        scratch: &mut super::Scratch,
    ) -> TicketOutcome {
        let ticket = events.first().map_or_else(|| TicketId::new(""), |e| e.ticket().clone());
        let built = match (mode, &self.schema) {
            (Mode::Strict, None) => Timeline::strict(events).map(|t| (t, Vec::new())),
            (Mode::Strict, Some(schema)) => Timeline::strict_with(events, schema).map(|t| (t, Vec::new())),
            (Mode::Lenient, None) => Timeline::lenient(events).map(|l| (l.timeline, l.diagnostics)),
            (Mode::Lenient, Some(schema)) => {
                Timeline::lenient_with(events, schema).map(|l| (l.timeline, l.diagnostics))
            }
        };
        match built {
            Ok((timeline, diagnostics)) => TicketOutcome {
                ticket: timeline.ticket().clone(),
                evaluations: Ok(super::evaluate_policies(&self.policies, &timeline, as_of, scratch)),
                diagnostics,
            },
            Err(error) => TicketOutcome {
                ticket: error.ticket().cloned().unwrap_or(ticket),
                diagnostics: Vec::new(),
                evaluations: Err(error),
            },
        }
    }

    /// Every ticket of a stream of event groups; lazily, one at a time.
    pub fn evaluate_all<'a, I>(
        &'a self,
        tickets: I,
        mode: Mode,
        as_of: DateTime<Utc>,
    ) -> impl Iterator<Item = TicketOutcome> + 'a
    where
        I: IntoIterator<Item = Vec<Event>>,
        I::IntoIter: 'a,
    {
        let mut scratch = super::Scratch::default();
        tickets
            .into_iter()
            .map(move |events| self.evaluate_events_with(events, mode, as_of, &mut scratch))
    }
}

impl TicketOutcome {
    /// The first error of this ticket, if any.
    pub fn first_error(&self) -> Option<&Error> {
        match &self.evaluations {
            Err(e) => Some(e),
            Ok(results) => results.iter().find_map(|r| r.as_ref().err()),
        }
    }
}

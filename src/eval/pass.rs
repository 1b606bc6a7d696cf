//! One pass over a timeline for many policies and many instants: the
//! ticket's fields are folded once, each policy's machine steps on the
//! shared state, and an evaluation as of each requested instant is read
//! off the machines when the pass reaches it.
//!
//! The machines are a left fold over the events and only measuring reads
//! `as_of`, so the evaluation read as of `t` during the pass is the one a
//! separate evaluation as of `t` would give (the events after `t` are not
//! yet taken): a report's periods cost one pass, not one per period.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, Utc};

use super::Evaluation;
use super::clock::{Env, Machine, SPARE_PHASES, measure, measure_into, meter_for};
use crate::calendar::BusinessCalendar;
use crate::error::{Error, Result};
use crate::event::{BorrowedFold, EventRef, FoldBuffers, TicketId, Timeline};
use crate::policy::{Context, Policy};

/// Buffers reused from one ticket to the next by batch evaluation, so that
/// a stream of tickets allocates only what its results own.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    machines: Vec<(Machine, Option<Error>)>,
    fold: FoldBuffers,
}

/// A clone starts with empty buffers: they hold nothing between tickets.
impl Clone for Scratch {
    fn clone(&self) -> Scratch {
        Scratch::default()
    }
}

/// Every policy on one timeline as of `as_of`, in one pass.
/// The pairs may be owned (an `Evaluator`) or borrowed (a report's shared
/// policies and catalog calendars).
pub(crate) fn evaluate_policies<P, C>(
    policies: &[(P, C)],
    timeline: &Timeline,
    as_of: DateTime<Utc>,
    scratch: &mut Scratch,
) -> Vec<Result<Evaluation>>
where
    P: std::borrow::Borrow<Policy>,
    C: std::borrow::Borrow<BusinessCalendar>,
{
    if !any_revised(policies) {
        return evaluate_each_version(policies, timeline, as_of, scratch);
    }
    let versions = versions_of(policies);
    merge_versions(policies, evaluate_each_version(&versions, timeline, as_of, scratch))
}

fn any_revised<P: std::borrow::Borrow<Policy>, C>(policies: &[(P, C)]) -> bool {
    policies.iter().any(|(p, _)| !p.borrow().revisions().is_empty())
}

/// Every version of every policy, in order, as a policy of its own.
fn versions_of<P, C>(policies: &[(P, C)]) -> Vec<(&Policy, &BusinessCalendar)>
where
    P: std::borrow::Borrow<Policy>,
    C: std::borrow::Borrow<BusinessCalendar>,
{
    policies
        .iter()
        .flat_map(|(policy, calendar)| {
            let calendar = calendar.borrow();
            policy.borrow().versions().map(move |version| (version, calendar))
        })
        .collect()
}

/// [`evaluate_policies`] with each policy's revisions ignored: the usual
/// path, one instant, kept apart from the many-instant pass so that it
/// pays nothing for it (measured: about 200 instructions per evaluation).
fn evaluate_each_version<P, C>(
    policies: &[(P, C)],
    timeline: &Timeline,
    as_of: DateTime<Utc>,
    scratch: &mut Scratch,
) -> Vec<Result<Evaluation>>
where
    P: std::borrow::Borrow<Policy>,
    C: std::borrow::Borrow<BusinessCalendar>,
{
    let events = timeline
        .events()
        .iter()
        .enumerate()
        .map(|(index, event)| (EventRef::from(event), timeline.position(index)));
    evaluate_borrowed(
        policies,
        timeline.ticket(),
        timeline.created_at(),
        events,
        as_of,
        scratch,
    )
}

/// [`evaluate_each_version`] over borrowed events of a strict timeline,
/// each with its input position: what a timeline's events and a batch of
/// [`EventRef`]s share.
pub(crate) fn evaluate_borrowed<'t, P, C>(
    policies: &[(P, C)],
    ticket: &TicketId,
    created_at: DateTime<Utc>,
    events: impl Iterator<Item = (EventRef<'t>, usize)>,
    as_of: DateTime<Utc>,
    scratch: &mut Scratch,
) -> Vec<Result<Evaluation>>
where
    P: std::borrow::Borrow<Policy>,
    C: std::borrow::Borrow<BusinessCalendar>,
{
    let mut results = Vec::with_capacity(policies.len());
    evaluate_borrowed_into(policies, ticket, created_at, events, as_of, scratch, &mut results);
    results
}

/// [`evaluate_borrowed`] into `results`, the previous ticket's: its
/// evaluations and their cycles' phase buffers are reused, so that a
/// stream of tickets through one cache allocates nothing once warm.
pub(crate) fn evaluate_borrowed_into<'t, P, C>(
    policies: &[(P, C)],
    ticket: &TicketId,
    created_at: DateTime<Utc>,
    events: impl Iterator<Item = (EventRef<'t>, usize)>,
    as_of: DateTime<Utc>,
    scratch: &mut Scratch,
    results: &mut Vec<Result<Evaluation>>,
) where
    P: std::borrow::Borrow<Policy>,
    C: std::borrow::Borrow<BusinessCalendar>,
{
    let machines = &mut scratch.machines;
    let mut fold = BorrowedFold::with_buffers(&mut scratch.fold);
    reset(machines, policies.len());
    give_back_phases(results, machines);
    results.truncate(policies.len());
    let as_of = crate::interval::without_leap_second(as_of);
    for (event, position) in events {
        if event.at() > as_of {
            break;
        }
        fold.apply(event);
        step_all(policies, machines, &fold, event, ticket, position, created_at);
    }
    fold.into_buffers(&mut scratch.fold);
    for (n, ((policy, calendar), (machine, error))) in policies.iter().zip(machines.iter_mut()).enumerate() {
        let (policy, calendar) = (policy.borrow(), calendar.borrow());
        let result = match (error.take(), results.get_mut(n)) {
            (Some(e), _) => Err(e),
            (None, Some(Ok(evaluation))) => {
                evaluation.ticket.clone_from(ticket);
                if evaluation.policy != *policy.id() {
                    evaluation.policy = policy.id().clone();
                }
                evaluation.as_of = as_of;
                let (done, active) = (machine.done.drain(..), machine.active.take());
                match measure_into(policy, calendar, ticket, done, active, as_of, &mut evaluation.cycles) {
                    Ok(()) => continue,
                    Err(e) => Err(e),
                }
            }
            (None, _) => measure(
                policy,
                calendar,
                ticket.clone(),
                machine.done.drain(..),
                machine.active.take(),
                as_of,
            ),
        };
        match results.get_mut(n) {
            Some(slot) => *slot = result,
            None => results.push(result),
        }
    }
}

/// The cycles of the previous ticket's evaluations are dropped, their
/// phase buffers emptied and kept by the machine of the same policy.
fn give_back_phases(results: &mut [Result<Evaluation>], machines: &mut [(Machine, Option<Error>)]) {
    for (result, (machine, _)) in results.iter_mut().zip(machines.iter_mut()) {
        let Ok(evaluation) = result else { continue };
        for mut cycle in evaluation.cycles.drain(..) {
            if machine.spare.len() < SPARE_PHASES {
                cycle.phases.clear();
                machine.spare.push(std::mem::take(&mut cycle.phases));
            }
        }
    }
}

/// One event through every policy's machine; a machine in error takes no
/// more events.
#[inline]
fn step_all<P, C>(
    policies: &[(P, C)],
    machines: &mut [(Machine, Option<Error>)],
    fold: &BorrowedFold<'_>,
    event: EventRef<'_>,
    ticket: &TicketId,
    position: usize,
    created_at: DateTime<Utc>,
) where
    P: std::borrow::Borrow<Policy>,
    C: std::borrow::Borrow<BusinessCalendar>,
{
    let cx = Context { after: fold, event };
    for ((policy, calendar), (machine, error)) in policies.iter().zip(machines.iter_mut()) {
        if error.is_some() {
            continue;
        }
        let (policy, calendar) = (policy.borrow(), calendar.borrow());
        let env = Env {
            policy,
            meter: meter_for(policy, calendar),
            calendar,
            created_at,
            position,
        };
        if let Err(problem) = machine.step(&env, &cx) {
            *error = Some(Error::event(ticket, Some(position), problem));
        }
    }
}

/// Every policy on one timeline as of each of `instants` (in increasing
/// order), in one pass: `emit` gets each instant's index and its
/// evaluations (one per policy, in order), in the order of the instants.
pub(crate) fn evaluate_policies_at<P, C>(
    policies: &[(P, C)],
    timeline: &Timeline,
    instants: &[DateTime<Utc>],
    scratch: &mut Scratch,
    mut emit: impl FnMut(usize, Vec<Result<Evaluation>>),
) where
    P: std::borrow::Borrow<Policy>,
    C: std::borrow::Borrow<BusinessCalendar>,
{
    if let [as_of] = instants {
        // One instant (a report without periods): the usual path.
        return emit(0, evaluate_policies(policies, timeline, *as_of, scratch));
    }
    if !any_revised(policies) {
        return evaluate_each_version_at(policies, timeline, instants, scratch, emit);
    }
    // Every version as a policy of its own, then each revised policy's
    // versions merged.
    let versions = versions_of(policies);
    evaluate_each_version_at(&versions, timeline, instants, scratch, |index, results| {
        emit(index, merge_versions(policies, results));
    });
}

/// One result per version, in order, so each policy takes its own.
fn merge_versions<P: std::borrow::Borrow<Policy>, C>(
    policies: &[(P, C)],
    results: Vec<Result<Evaluation>>,
) -> Vec<Result<Evaluation>> {
    let mut results = results.into_iter();
    policies
        .iter()
        .filter_map(|(policy, _)| {
            let policy = policy.borrow();
            // Taken in full before any error short-circuits, so the next
            // policy starts at its own first version.
            let mine: Vec<Result<Evaluation>> = results.by_ref().take(policy.versions().count()).collect();
            let mut mine = mine.into_iter();
            let first = mine.next()?;
            Some(first.and_then(|first| {
                let revised = mine.collect::<Result<Vec<_>>>()?;
                Ok(super::versions::merge(policy, first, revised))
            }))
        })
        .collect()
}

/// [`evaluate_policies_at`] with each policy's revisions ignored: every
/// policy as its own first version.
fn evaluate_each_version_at<P, C>(
    policies: &[(P, C)],
    timeline: &Timeline,
    instants: &[DateTime<Utc>],
    scratch: &mut Scratch,
    mut emit: impl FnMut(usize, Vec<Result<Evaluation>>),
) where
    P: std::borrow::Borrow<Policy>,
    C: std::borrow::Borrow<BusinessCalendar>,
{
    let Some(&last) = instants.last() else {
        return;
    };
    debug_assert!(instants.is_sorted(), "instants in increasing order");
    let machines = &mut scratch.machines;
    let mut fold = BorrowedFold::with_buffers(&mut scratch.fold);
    reset(machines, policies.len());
    let last = crate::interval::without_leap_second(last);
    let created_at = timeline.created_at();
    let normal = |next: usize| instants.get(next).map(|&at| crate::interval::without_leap_second(at));
    // The next instant to read, and its index.
    let (mut next, mut pending) = (0, normal(0));
    for (index, event) in timeline.events().iter().enumerate() {
        if event.at() > last {
            break;
        }
        // Read before the event every instant it comes after (never the
        // last instant: no event after it is taken).
        while let Some(at) = pending
            && at < event.at()
        {
            emit(next, snapshot(policies, machines, timeline, at, false));
            next = next.saturating_add(1);
            pending = normal(next);
        }
        let event = EventRef::from(event);
        fold.apply(event);
        step_all(
            policies,
            machines,
            &fold,
            event,
            timeline.ticket(),
            timeline.position(index),
            created_at,
        );
    }
    fold.into_buffers(&mut scratch.fold);
    // The instants after every event taken; the last one takes the
    // machines' cycles instead of copying them.
    while let Some(at) = pending {
        let take = next.saturating_add(1) == instants.len();
        emit(next, snapshot(policies, machines, timeline, at, take));
        next = next.saturating_add(1);
        pending = normal(next);
    }
}

fn reset(machines: &mut Vec<(Machine, Option<Error>)>, count: usize) {
    machines.resize_with(count, Default::default);
    for (machine, error) in machines.iter_mut() {
        machine.active = None;
        machine.done.clear();
        machine.started_any = false;
        machine.replay.paused = false;
        machine.replay.flips.clear();
        machine.start_seen = None;
        *error = None;
    }
}

/// Every machine's evaluation as of `at`; `take` moves the cycles out (the
/// pass reads nothing after it), otherwise they are copied.
fn snapshot<P, C>(
    policies: &[(P, C)],
    machines: &mut [(Machine, Option<Error>)],
    timeline: &Timeline,
    at: DateTime<Utc>,
    take: bool,
) -> Vec<Result<Evaluation>>
where
    P: std::borrow::Borrow<Policy>,
    C: std::borrow::Borrow<BusinessCalendar>,
{
    policies
        .iter()
        .zip(machines.iter_mut())
        .map(|((policy, calendar), (machine, error))| {
            let (policy, calendar, ticket) = (policy.borrow(), calendar.borrow(), timeline.ticket().clone());
            if let Some(error) = if take { error.take() } else { error.clone() } {
                return Err(error);
            }
            if take {
                measure(
                    policy,
                    calendar,
                    ticket,
                    machine.done.drain(..),
                    machine.active.take(),
                    at,
                )
            } else {
                // Drained from a copy, so that `measure` has one instance
                // (and stays inlined on the usual path).
                let mut done = machine.done.clone();
                measure(policy, calendar, ticket, done.drain(..), machine.active.clone(), at)
            }
        })
        .collect()
}

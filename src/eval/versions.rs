//! Evaluating a revised policy: each version over the whole history, and
//! each cycle kept from the version the policy's [`VersionRule`] names.

use chrono::{DateTime, Utc};

use super::{Cycle, Evaluation};
use crate::calendar::BusinessCalendar;
use crate::error::Result;
use crate::policy::{Policy, VersionRule};

/// The instant that picks a cycle's version under `rule`.
fn deciding_instant(rule: VersionRule, cycle: &Cycle) -> DateTime<Utc> {
    match rule {
        VersionRule::AtCycleEnd => cycle.end.unwrap_or(cycle.as_of),
        _ => cycle.start,
    }
}

/// The index (in [`Policy::versions`] order) of the version in force at `at`.
fn version_at(policy: &Policy, at: DateTime<Utc>) -> usize {
    policy.revisions().iter().take_while(|r| r.from() <= at).count()
}

/// The version that measures `cycle` (one of `policy`'s versions).
pub(crate) fn version_of<'p>(policy: &'p Policy, cycle: &Cycle) -> &'p Policy {
    let index = version_at(policy, deciding_instant(policy.version_rule(), cycle));
    policy.versions().nth(index).unwrap_or(policy)
}

/// The first instant after `after` at which a running cycle would change
/// version with no event: the next revision's, under
/// [`VersionRule::AtCycleEnd`].
pub(crate) fn next_revision(policy: &Policy, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    match policy.version_rule() {
        VersionRule::AtCycleEnd => policy.revisions().iter().map(|r| r.from()).find(|&from| from > after),
        _ => None,
    }
}

/// One evaluation of `policy` from its versions' (`own` for the policy
/// itself, then one per revision, in order): each version's cycles that
/// version governs, in the order the history began them.
pub(crate) fn merge(policy: &Policy, own: Evaluation, revised: impl IntoIterator<Item = Evaluation>) -> Evaluation {
    let rule = policy.version_rule();
    let governed = |index: usize, cycles: Vec<Cycle>| {
        cycles
            .into_iter()
            .filter(move |cycle| version_at(policy, deciding_instant(rule, cycle)) == index)
    };
    let mut cycles: Vec<Cycle> = governed(0, own.cycles).collect();
    for (index, evaluation) in (1..).zip(revised) {
        cycles.extend(governed(index, evaluation.cycles));
    }
    // Stable: cycles that began at one event keep their version's order.
    cycles.sort_by_key(|c| c.began.0);
    Evaluation {
        ticket: own.ticket,
        policy: policy.id().clone(),
        as_of: own.as_of,
        cycles,
    }
}

/// `evaluate_policies` with revised policies: every version as a policy
/// of its own in one pass, then each revised policy's versions merged.
pub(crate) fn evaluate_revised<P, C>(
    policies: &[(P, C)],
    timeline: &crate::event::Timeline,
    as_of: DateTime<Utc>,
    scratch: &mut super::Scratch,
) -> Vec<Result<Evaluation>>
where
    P: std::borrow::Borrow<Policy>,
    C: std::borrow::Borrow<BusinessCalendar>,
{
    let versions: Vec<(&Policy, &BusinessCalendar)> = policies
        .iter()
        .flat_map(|(policy, calendar)| {
            let calendar = calendar.borrow();
            policy.borrow().versions().map(move |version| (version, calendar))
        })
        .collect();
    let mut results = super::clock::evaluate_each_version(&versions, timeline, as_of, scratch).into_iter();
    // One result per version, in order, so each policy takes its own.
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

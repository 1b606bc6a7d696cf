//! Evaluating a revised policy: each version over the whole history, and
//! each cycle kept from the version the policy's [`VersionRule`] names.

use chrono::{DateTime, Utc};

use super::{Cycle, Evaluation};
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

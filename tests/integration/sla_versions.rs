//! Laws of effective-dated policy versions (`PolicyBuilder::revised`,
//! `VersionRule`): each cycle is exactly one version's cycle, a revision
//! that changes nothing changes nothing, and the live clock, one-ticket
//! evaluation and batch evaluation agree (as of one instant or, in one
//! pass, many).

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use servicelevel::eval::{Cycle, Evaluator, SlaClock, evaluate};
use servicelevel::event::{Event, Timeline};
use servicelevel::policy::{
    Condition, Cycles, Measure, Policy, RetroactivePause, RetroactiveStart, TargetChange, VersionRule,
};

use super::sla_props::{as_of_after, calendar, history, options, pending, policy};
use crate::support::config;

fn version_rule() -> impl Strategy<Value = VersionRule> {
    prop_oneof![Just(VersionRule::AtCycleStart), Just(VersionRule::AtCycleEnd)]
}

/// `base` revised at `from` to a wider pause.
fn revised(base: &Policy, from: DateTime<Utc>, rule: VersionRule) -> Policy {
    let wider = base
        .to_builder()
        .pause(Condition::Any(vec![pending(), Condition::equals("waiting", "yes")]))
        .build()
        .unwrap();
    base.to_builder()
        .revised(from, wider)
        .version_rule(rule)
        .build()
        .unwrap()
}

fn deciding(rule: VersionRule, cycle: &Cycle) -> DateTime<Utc> {
    match rule {
        VersionRule::AtCycleEnd => cycle.end.unwrap_or(cycle.as_of),
        _ => cycle.start,
    }
}

fn revision_instant(events: &[Event], minutes: i64) -> DateTime<Utc> {
    events[0].at() + TimeDelta::minutes(minutes)
}

proptest! {
    #![proptest_config(config())]

    /// A revision identical to the policy it revises changes no figure.
    #[test]
    fn a_revision_that_changes_nothing_changes_nothing(events in history(), (mode, cycles, measure) in options(), rule in version_rule(), at in 0i64..20_000, later in 0i64..5_000) {
        let plain = policy(mode, cycles, pending(), TimeDelta::zero(), measure);
        let same = plain.to_builder().revised(revision_instant(&events, at), plain.clone()).version_rule(rule).build().unwrap();
        let timeline = Timeline::new(events.clone()).unwrap();
        let as_of = as_of_after(&events, later);
        prop_assert_eq!(evaluate(&same, calendar(), &timeline, as_of).unwrap(), evaluate(&plain, calendar(), &timeline, as_of).unwrap());
    }

    /// Oracle: the cycles of a revised policy are exactly the cycles of each
    /// version evaluated alone whose deciding instant (start, or end and
    /// `as_of` while running) falls in that version's stretch of time.
    #[test]
    fn each_cycle_is_its_versions_own_cycle(events in history(), (mode, cycles, measure) in options(), rule in version_rule(), at in 0i64..20_000, later in 0i64..5_000) {
        let base = policy(mode, cycles, pending(), TimeDelta::zero(), measure);
        let from = revision_instant(&events, at);
        let policy = revised(&base, from, rule);
        let timeline = Timeline::new(events.clone()).unwrap();
        let as_of = as_of_after(&events, later);
        let before = evaluate(&base, calendar(), &timeline, as_of).unwrap();
        let after = evaluate(policy.revisions()[0].policy(), calendar(), &timeline, as_of).unwrap();
        let kept_before: Vec<Cycle> = before.cycles.into_iter().filter(|c| deciding(rule, c) < from).collect();
        let kept_after: Vec<Cycle> = after.cycles.into_iter().filter(|c| deciding(rule, c) >= from).collect();
        let merged = evaluate(&policy, calendar(), &timeline, as_of).unwrap().cycles;
        prop_assert_eq!(merged.len(), kept_before.len() + kept_after.len());
        // Each version's cycles, in that version's order (the merge
        // interleaves them as the history began them).
        let (mut i, mut j) = (0, 0);
        for cycle in &merged {
            if kept_before.get(i) == Some(cycle) {
                i += 1;
            } else {
                prop_assert_eq!(kept_after.get(j), Some(cycle));
                j += 1;
            }
        }
    }

    /// The live clock equals one-ticket evaluation on every prefix, and
    /// batch evaluation equals both, for revised policies.
    #[test]
    fn live_one_ticket_and_batch_agree_on_revised_policies(events in history(), (mode, cycles, measure) in options(), rule in version_rule(), at in 0i64..20_000) {
        let base = policy(mode, cycles, pending(), TimeDelta::zero(), measure);
        let policy = revised(&base, revision_instant(&events, at), rule);
        let evaluator = Evaluator::new().policy(base.clone(), calendar().clone()).policy(policy.clone(), calendar().clone());
        let mut clock = SlaClock::new(&policy, calendar());
        for k in 0..events.len() {
            clock.push(&events[k]).unwrap();
            let as_of = events[k].at() + TimeDelta::minutes(30);
            let prefix = Timeline::new(events[..=k].to_vec()).unwrap();
            let one = evaluate(&policy, calendar(), &prefix, as_of).unwrap();
            prop_assert_eq!(&clock.at(as_of).unwrap(), &one);
            let batch = evaluator.evaluate(&prefix, as_of);
            prop_assert_eq!(batch[0].as_ref().unwrap(), &evaluate(&base, calendar(), &prefix, as_of).unwrap());
            prop_assert_eq!(batch[1].as_ref().unwrap(), &one);
        }
    }

    /// Under `AtCycleEnd` a running cycle changes version when a revision
    /// comes into force, so a live clock's next change is no later.
    #[test]
    fn a_running_cycle_wakes_the_timer_when_a_revision_comes_into_force(events in history(), (mode, cycles, measure) in options(), at in 0i64..20_000, later in 0i64..3_000) {
        let base = policy(mode, cycles, pending(), TimeDelta::zero(), measure);
        let from = revision_instant(&events, at);
        let policy = revised(&base, from, VersionRule::AtCycleEnd);
        let mut clock = SlaClock::new(&policy, calendar());
        for event in &events {
            clock.push(event).unwrap();
        }
        let after = as_of_after(&events, later);
        let running = clock.at(after).unwrap().cycles.last().is_some_and(|c| c.end.is_none());
        if running && from > after {
            let next = clock.next_change(after).unwrap();
            prop_assert!(next.is_some_and(|n| n.at <= from), "{:?}", next);
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// Oracle for one pass over many instants (what a report's periods
    /// use): `Evaluator::evaluate_as_of_each` equals `evaluate` (the live
    /// clock's path) as of each instant, for plain, revised and replaying policies,
    /// including instants equal to an event's (the event counts) and
    /// before the creation.
    #[test]
    fn one_pass_over_many_instants_equals_one_evaluation_each(events in history(), (mode, cycles, measure) in options(), rule in version_rule(), at in 0i64..20_000, picks in prop::collection::vec((0usize..16, -90i64..90), 0..8)) {
        let base = policy(mode, cycles, pending(), TimeDelta::zero(), measure);
        let revised = revised(&base, revision_instant(&events, at), rule);
        let replaying = base.to_builder().retroactive(RetroactiveStart::FromCreation).retroactive_pause(RetroactivePause::Replay).build().unwrap();
        let policies = [base, revised, replaying];
        let evaluator = policies.iter().fold(Evaluator::new(), |e, p| e.policy(p.clone(), calendar().clone()));
        let timeline = Timeline::new(events.clone()).unwrap();
        let mut instants: Vec<DateTime<Utc>> = picks
            .iter()
            .map(|&(i, minutes)| events[i % events.len()].at() + TimeDelta::minutes(if i < 8 { 0 } else { minutes }))
            .collect();
        instants.sort();
        let each = evaluator.evaluate_as_of_each(&timeline, &instants).unwrap();
        prop_assert_eq!(each.len(), instants.len());
        for (results, &at) in each.iter().zip(&instants) {
            // Oracle: the one-ticket `evaluate`, which runs the live clock.
            let one_by_one: Vec<_> = policies.iter().map(|p| evaluate(p, calendar(), &timeline, at)).collect();
            prop_assert_eq!(results, &one_by_one);
        }
    }
}

#[test]
fn instants_out_of_order_are_a_typed_error() {
    let at = |h| Utc.with_ymd_and_hms(2025, 3, 3, h, 0, 0).unwrap();
    let timeline = Timeline::new(vec![Event::created("T", at(9), [("status", "new")])]).unwrap();
    let evaluator = Evaluator::new().policy(
        policy(
            TargetChange::KeepClock,
            Cycles::Once,
            pending(),
            TimeDelta::zero(),
            Measure::BusinessTime,
        ),
        calendar().clone(),
    );
    let error = evaluator.evaluate_as_of_each(&timeline, &[at(12), at(10)]).unwrap_err();
    assert_eq!(error.field(), Some("instants"));
    assert_eq!(
        error.input(),
        Some("2025-03-03 10:00:00 UTC after 2025-03-03 12:00:00 UTC")
    );
    assert_eq!(
        error.to_string(),
        "invalid value `2025-03-03 10:00:00 UTC after 2025-03-03 12:00:00 UTC` in `instants`: expected instants in increasing order"
    );
}

//! Laws of policies chosen by ordered conditions (`policy::first_match`)
//! and of `RetroactiveStart::FromStartEvent`, over random histories.

use chrono::TimeDelta;
use proptest::prelude::*;
use servicelevel::eval::{Evaluator, SlaClock, evaluate};
use servicelevel::event::Timeline;
use servicelevel::policy::{Condition, Policy, RetroactivePause, RetroactiveStart, first_match};

use super::sla_props::{as_of_after, calendar, history, options, pending, policy};
use crate::support::config;

/// `policy` under another id, applying where `when` holds.
fn alternative(base: &Policy, id: &str, when: Condition) -> Policy {
    let json = serde_json::to_string(base)
        .unwrap()
        .replace(r#""id":"p""#, &format!(r#""id":"{id}""#));
    let renamed: Policy = serde_json::from_str(&json).unwrap();
    renamed.to_builder().applies_to(when).build().unwrap()
}

fn alternatives(base: &Policy, pause: RetroactivePause) -> Vec<Policy> {
    let base = base.to_builder().retroactive_pause(pause).build().unwrap();
    first_match([
        alternative(&base, "waiting", Condition::equals("waiting", "yes")),
        alternative(&base, "urgent", Condition::is_in("priority", ["1", "2"])),
        alternative(&base, "rest", Condition::Always),
    ])
    .unwrap()
}

fn replay() -> impl Strategy<Value = RetroactivePause> {
    prop_oneof![Just(RetroactivePause::CountInFull), Just(RetroactivePause::Replay)]
}

proptest! {
    #![proptest_config(config())]

    /// A ticket has at most one of the alternatives open at any instant.
    #[test]
    fn at_most_one_alternative_is_open_at_a_time(events in history(), (mode, cycles, measure) in options(), pause in replay(), later in 0i64..3_000) {
        let base = policy(mode, cycles, pending(), TimeDelta::zero(), measure);
        let policies = alternatives(&base, pause);
        let timeline = Timeline::new(events.clone()).unwrap();
        let mut instants: Vec<_> = events.iter().map(|e| e.at()).collect();
        instants.push(as_of_after(&events, later));
        for as_of in instants {
            let open = policies
                .iter()
                .filter(|p| evaluate(p, calendar(), &timeline, as_of).unwrap().cycles.iter().any(|c| c.end.is_none()))
                .count();
            prop_assert!(open <= 1, "{} open at {}", open, as_of);
        }
    }

    /// The live clock equals one-ticket evaluation on every prefix, and a
    /// batch evaluator equals both, for every compiled alternative.
    #[test]
    fn live_one_ticket_and_batch_agree_on_alternatives(events in history(), (mode, cycles, measure) in options(), pause in replay()) {
        let base = policy(mode, cycles, pending(), TimeDelta::zero(), measure);
        let policies = alternatives(&base, pause);
        let evaluator = policies.iter().fold(Evaluator::new(), |e, p| e.policy(p.clone(), calendar().clone()));
        let mut clocks: Vec<SlaClock<'_>> = policies.iter().map(|p| SlaClock::new(p, calendar())).collect();
        for k in 0..events.len() {
            let as_of = events[k].at() + TimeDelta::minutes(30);
            let prefix = Timeline::new(events[..=k].to_vec()).unwrap();
            let batch = evaluator.evaluate(&prefix, as_of);
            for ((policy, clock), batch) in policies.iter().zip(&mut clocks).zip(batch) {
                clock.push(&events[k]).unwrap();
                let one = evaluate(policy, calendar(), &prefix, as_of).unwrap();
                prop_assert_eq!(&clock.at(as_of).unwrap(), &one);
                prop_assert_eq!(&batch.unwrap(), &one);
            }
        }
    }

    /// A policy that always applies starts at its start events whether or
    /// not it starts from them "retroactively".
    #[test]
    fn from_start_event_is_no_retroactive_start_when_the_policy_always_applies(events in history(), (mode, cycles, measure) in options(), later in 0i64..5_000) {
        let plain = policy(mode, cycles, pending(), TimeDelta::zero(), measure);
        let late = plain.to_builder().retroactive(RetroactiveStart::FromStartEvent).build().unwrap();
        let timeline = Timeline::new(events.clone()).unwrap();
        let as_of = as_of_after(&events, later);
        prop_assert_eq!(evaluate(&late, calendar(), &timeline, as_of).unwrap(), evaluate(&plain, calendar(), &timeline, as_of).unwrap());
    }
}

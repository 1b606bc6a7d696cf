//! The laws documented under "Properties" on `evaluate`, `Cycle` and
//! `Timeline`, as property tests over random ticket histories and policies.

use std::sync::OnceLock;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use servicelevel::BusinessCalendar;
use servicelevel::event::TimelineOptions;

use crate::support::config;
use servicelevel::calendar::{Convention, Landing, TimeBasis};
use servicelevel::eval::{Crossing, Evaluation, Evaluator, SegmentKind, SlaClock, State, evaluate, verdict_changes};
use servicelevel::event::{Event, Timeline};
use servicelevel::policy::{
    BreachRule, Cancel, Condition, Cycles, Measure, MissingDeadline, Offset, Policy, PolicyKind, RetroactivePause,
    RetroactiveStart, Target, TargetChange,
};

pub(super) fn calendar() -> &'static BusinessCalendar {
    static CALENDAR: OnceLock<BusinessCalendar> = OnceLock::new();
    CALENDAR.get_or_init(|| {
        serde_json::from_value(serde_json::json!({
            "time_zone": "America/New_York",
            "weekly": { "mon": [["09:00", "17:00"]], "tue": [["09:00", "12:00"], ["13:00", "17:00"]],
                        "wed": [["09:00", "17:00"]], "thu": [["09:00", "17:00"]], "fri": [["09:00", "17:00"]] },
            "holidays": ["2025-03-10"],
            "horizon": ["2024-01-01", "2027-01-01"]
        }))
        .unwrap()
    })
}

const STATUSES: [&str; 5] = ["new", "open", "pending", "resolved", "closed"];

/// One event body: (kind, value index).
fn body() -> impl Strategy<Value = (u8, usize)> {
    (0u8..5, 0usize..5)
}

/// A history: creation, then 0-12 events at distinct instants (gaps of
/// 1 minute to 3 days, crossing the March 2025 DST change).
pub(super) fn history() -> impl Strategy<Value = Vec<Event>> {
    (0i64..20_000, prop::collection::vec((1i64..4_320, body()), 0..12)).prop_map(|(offset, steps)| {
        let base = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap() + TimeDelta::minutes(offset);
        let mut events = vec![Event::created(
            "T",
            base,
            [("status", "new"), ("priority", "3"), ("waiting", "no")],
        )];
        let mut at = base;
        for (gap, (kind, value)) in steps {
            at += TimeDelta::minutes(gap);
            events.push(match kind {
                0 | 1 => Event::set("T", at, [("status", STATUSES[value])]),
                2 => Event::set("T", at, [("priority", ["1", "2", "3", "4", "3"][value])]),
                3 => Event::set("T", at, [("waiting", if value % 2 == 0 { "yes" } else { "no" })]),
                _ => Event::action(
                    "T",
                    at,
                    if value % 2 == 0 {
                        "agent_reply"
                    } else {
                        "customer_reply"
                    },
                ),
            });
        }
        events
    })
}

fn target(extra: TimeDelta, measure: Measure) -> Target {
    let h = |n| TimeDelta::hours(n) + extra;
    let tiers = [("1", h(2)), ("2", h(4)), ("3", h(8))];
    match measure {
        Measure::WallClock => Target::wall_by("priority", tiers, Some(h(16))),
        _ => Target::business_by("priority", tiers, Some(h(16))),
    }
}

pub(super) fn policy(
    mode: TargetChange,
    cycles: Cycles,
    pause: Condition,
    extra: TimeDelta,
    measure: Measure,
) -> Policy {
    policy_named("p", mode, cycles, pause, extra, measure)
}

/// [`policy`] under another id.
pub(super) fn policy_named(
    id: &str,
    mode: TargetChange,
    cycles: Cycles,
    pause: Condition,
    extra: TimeDelta,
    measure: Measure,
) -> Policy {
    let done = Condition::is_in("status", ["resolved", "closed"]);
    Policy::builder(
        id,
        "resolution",
        PolicyKind::Sla,
        Condition::not(done.clone()),
        done,
        target(extra, measure),
    )
    .pause(pause)
    .cycles(cycles)
    .on_target_change(mode)
    .cancel(Cancel::When(Condition::action("customer_reply")))
    .warnings([rust_decimal::Decimal::from(50)])
    .escalations([
        Offset::InMeasure(TimeDelta::hours(-1)),
        Offset::Wall(TimeDelta::hours(2)),
        Offset::WorkingDays(1, Landing::default()),
        Offset::WorkingDays(-2, Landing::EndOfWorkingDay),
    ])
    .build()
    .unwrap()
}

pub(super) fn options() -> impl Strategy<Value = (TargetChange, Cycles, Measure)> {
    (
        prop_oneof![
            Just(TargetChange::KeepClock),
            Just(TargetChange::KeepDeadlineOnceExceeded),
            Just(TargetChange::Restart),
            Just(TargetChange::RestartFromCreation)
        ],
        prop_oneof![Just(Cycles::Once), Just(Cycles::Repeat)],
        prop_oneof![Just(Measure::BusinessTime), Just(Measure::WallClock)],
    )
}

pub(super) fn breach_rule() -> impl Strategy<Value = BreachRule> {
    prop_oneof![
        Just(BreachRule::Exact),
        Just(BreachRule::TimeLeft),
        Just(BreachRule::RoundedPercentage)
    ]
}

pub(super) fn retroactive_start() -> impl Strategy<Value = RetroactiveStart> {
    prop_oneof![Just(RetroactiveStart::No), Just(RetroactiveStart::FromCreation)]
}

/// `policy` with a retroactive start whose stretch replays its pauses.
pub(super) fn replaying(policy: Policy, start: RetroactiveStart) -> Policy {
    policy
        .to_builder()
        .retroactive(start)
        .retroactive_pause(RetroactivePause::Replay)
        .build()
        .unwrap()
}

pub(super) fn pending() -> Condition {
    Condition::equals("status", "pending")
}

fn total_used(evaluation: &Evaluation) -> TimeDelta {
    evaluation.cycles.iter().map(|c| c.business_used).sum()
}

pub(super) fn as_of_after(events: &[Event], minutes: i64) -> DateTime<Utc> {
    events.last().unwrap().at() + TimeDelta::minutes(minutes)
}

proptest! {
    #![proptest_config(config())]

    /// Every escalation level lies its offset from the due instant, on the
    /// clock the offset names, whatever the target's measure and however
    /// the cycle ended (oracle: the calendar's own arithmetic).
    #[test]
    fn escalation_levels_lie_their_offset_from_the_due_instant(events in history(), (mode, cycles, measure) in options(), later in 0i64..5_000) {
        let policy = policy(mode, cycles, pending(), TimeDelta::zero(), measure);
        let timeline = Timeline::new(events.clone()).unwrap();
        let evaluation = evaluate(&policy, calendar(), &timeline, as_of_after(&events, later)).unwrap();
        let meter = match measure {
            Measure::WallClock => TimeBasis::WallClock,
            _ => TimeBasis::BusinessTime(calendar()),
        };
        for cycle in &evaluation.cycles {
            for level in &cycle.escalations {
                let expected = match level.offset {
                    Offset::InMeasure(d) => meter.add(cycle.due, d, Convention::EarliestInstant).unwrap(),
                    Offset::Wall(d) => cycle.due + d,
                    Offset::WorkingDays(n, landing) => calendar().add_working_days(cycle.due, n.into(), landing).unwrap(),
                    other => panic!("no oracle for {other:?}"),
                };
                match level.crossing {
                    Crossing::Reached(at) | Crossing::Expected(at) => prop_assert_eq!(at, expected),
                    Crossing::NotReached => prop_assert!(cycle.end.is_some_and(|end| end < expected)),
                    other => panic!("unexpected {other:?}"),
                }
            }
        }
    }

    #[test]
    fn business_time_used_never_exceeds_wall_time(events in history(), (mode, cycles, _) in options(), later in 0i64..5_000) {
        let policy = policy(mode, cycles, pending(), TimeDelta::zero(), Measure::BusinessTime);
        let timeline = Timeline::new(events.clone()).unwrap();
        let evaluation = evaluate(&policy, calendar(), &timeline, as_of_after(&events, later)).unwrap();
        for cycle in &evaluation.cycles {
            prop_assert!(cycle.business_used <= cycle.wall_used);
            prop_assert!(cycle.paused_business <= cycle.paused_wall);
            prop_assert_eq!(cycle.remaining, cycle.target - cycle.business_used);
        }
    }

    #[test]
    fn adding_a_pause_never_increases_time_used(events in history(), (mode, cycles, measure) in options(), later in 0i64..5_000) {
        let narrow = policy(mode, cycles, pending(), TimeDelta::zero(), measure);
        let wide = policy(mode, cycles, Condition::Any(vec![pending(), Condition::equals("waiting", "yes")]), TimeDelta::zero(), measure);
        let timeline = Timeline::new(events.clone()).unwrap();
        let as_of = as_of_after(&events, later);
        let narrow = evaluate(&narrow, calendar(), &timeline, as_of).unwrap();
        let wide = evaluate(&wide, calendar(), &timeline, as_of).unwrap();
        prop_assert_eq!(narrow.cycles.len(), wide.cycles.len());
        for (n, w) in narrow.cycles.iter().zip(&wide.cycles) {
            prop_assert!(w.business_used <= n.business_used);
        }
    }

    /// Replaying pauses over a retroactive start's stretch only turns
    /// running time into paused time: the same cycles, starting at the same
    /// instants, none using more (issue 15).
    #[test]
    fn retroactive_pause_never_increases_time_used(events in history(), (mode, cycles, measure) in options(), start in retroactive_start(), later in 0i64..5_000) {
        let base = policy(mode, cycles, pending(), TimeDelta::zero(), measure).to_builder().retroactive(start);
        let full = base.clone().retroactive_pause(RetroactivePause::CountInFull).build().unwrap();
        let replay = base.retroactive_pause(RetroactivePause::Replay).build().unwrap();
        let timeline = Timeline::new(events.clone()).unwrap();
        let as_of = as_of_after(&events, later);
        let full = evaluate(&full, calendar(), &timeline, as_of).unwrap();
        let replay = evaluate(&replay, calendar(), &timeline, as_of).unwrap();
        prop_assert_eq!(full.cycles.len(), replay.cycles.len());
        for (f, r) in full.cycles.iter().zip(&replay.cycles) {
            prop_assert_eq!(f.start, r.start);
            prop_assert!(r.business_used <= f.business_used);
            prop_assert_eq!(r.business_used + r.paused_business, f.business_used + f.paused_business);
        }
    }

    /// A deadline read from a field is where the cycle's time runs out,
    /// whatever else happens on the ticket: the same business time from
    /// the start as the deadline, on the live clock as in batch (issue 15).
    #[test]
    fn a_deadline_from_a_field_does_not_move(events in history(), (_, cycles, measure) in options(), deadline in 1i64..10_000) {
        let mut events = events;
        let created = events[0].at();
        let due_at = created + TimeDelta::minutes(deadline);
        events[0] = Event::created("T", created, [("status", "new"), ("priority", "3"), ("waiting", "no"), ("due_date", due_at.to_rfc3339().as_str())]);
        let target = match measure {
            Measure::WallClock => Target::wall_until("due_date", MissingDeadline::OneSecond),
            _ => Target::business_until("due_date", MissingDeadline::OneSecond),
        };
        let done = Condition::is_in("status", ["resolved", "closed"]);
        let policy = Policy::builder("d", "due", PolicyKind::Sla, Condition::not(done.clone()), done, target)
            .cycles(cycles)
            .build()
            .unwrap();
        let timeline = Timeline::new(events.clone()).unwrap();
        let as_of = as_of_after(&events, 60);
        let evaluation = evaluate(&policy, calendar(), &timeline, as_of).unwrap();
        let measured = |from, to| match measure {
            Measure::WallClock => to - from,
            _ => calendar().business_time(from, to),
        };
        for cycle in &evaluation.cycles {
            prop_assert_eq!(cycle.paused_wall, TimeDelta::zero());
            let expected = if due_at > cycle.start { measured(cycle.start, due_at).max(TimeDelta::seconds(1)) } else { TimeDelta::seconds(1) };
            prop_assert_eq!(cycle.target, expected);
            prop_assert_eq!(measured(cycle.start, cycle.due), expected);
        }
        let mut clock = SlaClock::new(&policy, calendar());
        for event in &events {
            clock.push(event).unwrap();
        }
        prop_assert_eq!(clock.at(as_of).unwrap(), evaluation);
    }

    /// `next_change` is the next instant at which the clock changes by
    /// itself: nothing changes before it, something just after it (the
    /// exact rule's breach instant is the last one not yet past the target).
    #[test]
    fn next_change_is_when_the_clock_next_changes(events in history(), (mode, cycles, measure) in options(), rule in breach_rule(), later in 0i64..3_000) {
        let policy = policy(mode, cycles, pending(), TimeDelta::zero(), measure).to_builder().breach_rule(rule).build().unwrap();
        let mut clock = SlaClock::new(&policy, calendar());
        for event in &events {
            clock.push(event).unwrap();
        }
        let after = as_of_after(&events, later);
        let signature = |at| {
            let evaluation = clock.at(at).unwrap();
            evaluation.cycles.last().map(|c| {
                let reached = |crossing| matches!(crossing, Crossing::Reached(_));
                (
                    c.warnings.iter().filter(|w| reached(w.crossing)).count(),
                    c.escalations.iter().filter(|e| reached(e.crossing)).count(),
                    c.breached_at.is_some(),
                )
            })
        };
        let before = signature(after);
        match clock.next_change(after).unwrap() {
            None => {
                // Nothing scheduled: no running cycle, or one already
                // breached with every warning and escalation behind it.
                let evaluation = clock.at(after).unwrap();
                let idle = evaluation.cycles.last().is_none_or(|c| {
                    c.state != State::Running
                        || (c.breached_at.is_some()
                            && c.warnings.iter().all(|w| !matches!(w.crossing, Crossing::Expected(_)))
                            && c.escalations.iter().all(|e| !matches!(e.crossing, Crossing::Expected(_))))
                });
                prop_assert!(idle);
            }
            Some(next) => {
                prop_assert!(next.at >= after);
                let nanosecond = TimeDelta::nanoseconds(1);
                if next.at > after {
                    prop_assert_eq!(signature(next.at - nanosecond), before);
                    prop_assert_eq!(signature(after + (next.at - after) / 2), before);
                }
                prop_assert_ne!(signature(next.at + nanosecond), before);
            }
        }
    }

    /// The batch evaluator reuses its machines from ticket to ticket; what
    /// one ticket's clock replayed must not leak into the next.
    #[test]
    fn batch_evaluation_of_many_tickets_equals_one_by_one(first in history(), second in history(), (mode, cycles, measure) in options(), start in retroactive_start()) {
        let policy = replaying(policy(mode, cycles, pending(), TimeDelta::zero(), measure), start);
        let rename = |events: &[Event], id: &str| -> Vec<Event> {
            let json = serde_json::to_string(events).unwrap().replace("\"ticket\":\"T\"", &format!("\"ticket\":\"{id}\""));
            serde_json::from_str(&json).unwrap()
        };
        let timelines = [Timeline::new(rename(&first, "A")).unwrap(), Timeline::new(rename(&second, "B")).unwrap()];
        let as_of = as_of_after(&first, 60).max(as_of_after(&second, 60));
        let evaluator = Evaluator::new().policy(policy.clone(), calendar().clone());
        let batch: Vec<_> = evaluator.evaluate_timelines(&timelines, as_of).collect();
        for (timeline, results) in timelines.iter().zip(batch) {
            prop_assert_eq!(results[0].as_ref().unwrap(), &evaluate(&policy, calendar(), timeline, as_of).unwrap());
        }
    }

    /// A verdict diff is empty against itself, symmetric, and parts where
    /// the explanations first differ in kind: they agree just before.
    #[test]
    fn verdict_changes_part_where_the_explanations_first_differ(events in history(), (mode, cycles, measure) in options(), rule in breach_rule(), later in 0i64..3_000) {
        let narrow = policy(mode, cycles, pending(), TimeDelta::zero(), measure);
        let wide = policy(mode, cycles, Condition::Any(vec![pending(), Condition::equals("waiting", "yes")]), TimeDelta::zero(), measure)
            .to_builder()
            .breach_rule(rule)
            .build()
            .unwrap();
        let timeline = Timeline::new(events.clone()).unwrap();
        let as_of = as_of_after(&events, later);
        let a = evaluate(&narrow, calendar(), &timeline, as_of).unwrap();
        let b = evaluate(&wide, calendar(), &timeline, as_of).unwrap();
        prop_assert!(verdict_changes(&a, calendar(), &a, calendar()).is_empty());
        let forward = verdict_changes(&a, calendar(), &b, calendar());
        let backward = verdict_changes(&b, calendar(), &a, calendar());
        prop_assert_eq!(forward.len(), backward.len());
        for (f, r) in forward.iter().zip(&backward) {
            prop_assert_ne!(f.before, f.after);
            prop_assert_eq!((f.cycle, f.before, f.after), (r.cycle, r.after, r.before));
            prop_assert_eq!(f.parted.map(|p| p.at), r.parted.map(|p| p.at));
            if let Some(parted) = f.parted {
                let kind = |cycle: &servicelevel::Cycle, t| {
                    cycle.segments(calendar()).into_iter().find(|s| s.from <= t && t < s.to).map(|s| s.kind)
                };
                let (x, y) = (&a.cycles[f.cycle], &b.cycles[f.cycle]);
                prop_assert_ne!(kind(x, parted.at), kind(y, parted.at));
                let just_before = parted.at - TimeDelta::nanoseconds(1);
                if just_before >= x.start.min(y.start) {
                    prop_assert_eq!(kind(x, just_before), kind(y, just_before));
                }
            }
        }
    }

    #[test]
    fn incremental_clock_equals_batch_under_retroactive_pause(events in history(), (mode, cycles, measure) in options(), start in retroactive_start()) {
        let policy = replaying(policy(mode, cycles, pending(), TimeDelta::zero(), measure), start);
        let mut clock = SlaClock::new(&policy, calendar());
        for k in 0..events.len() {
            clock.push(&events[k]).unwrap();
            let as_of = events[k].at() + TimeDelta::minutes(30);
            let prefix = Timeline::new(events[..=k].to_vec()).unwrap();
            prop_assert_eq!(clock.at(as_of).unwrap(), evaluate(&policy, calendar(), &prefix, as_of).unwrap());
        }
    }

    #[test]
    fn lenient_mode_is_independent_of_event_order(events in history(), (mode, cycles, measure) in options(), seed in any::<u64>()) {
        let policy = policy(mode, cycles, pending(), TimeDelta::zero(), measure);
        let mut shuffled = events.clone();
        // A seeded Fisher-Yates shuffle.
        let mut state = seed | 1;
        for i in (1..shuffled.len()).rev() {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17;
            shuffled.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let lenient = Timeline::build(shuffled, &TimelineOptions::lenient()).unwrap();
        prop_assert!(lenient.diagnostics.is_empty());
        let strict = Timeline::new(events.clone()).unwrap();
        let as_of = as_of_after(&events, 60);
        let a = evaluate(&policy, calendar(), &strict, as_of).unwrap();
        let b = evaluate(&policy, calendar(), &lenient.timeline, as_of).unwrap();
        // Positions refer to the input, which differs; the rest must not.
        prop_assert_eq!(strip_positions(a), strip_positions(b));
    }

    #[test]
    fn incremental_clock_equals_batch_on_every_prefix(events in history(), (mode, cycles, measure) in options()) {
        let policy = policy(mode, cycles, pending(), TimeDelta::zero(), measure);
        let mut clock = SlaClock::new(&policy, calendar());
        for k in 0..events.len() {
            clock.push(&events[k]).unwrap();
            let as_of = events[k].at() + TimeDelta::minutes(30);
            let prefix = Timeline::new(events[..=k].to_vec()).unwrap();
            let whole = Timeline::new(events.clone()).unwrap();
            let live = clock.at(as_of).unwrap();
            prop_assert_eq!(&live, &evaluate(&policy, calendar(), &prefix, as_of).unwrap());
            if events.get(k + 1).is_none_or(|next| next.at() > as_of) {
                prop_assert_eq!(&live, &evaluate(&policy, calendar(), &whole, as_of).unwrap());
            }
        }
    }

    #[test]
    fn evaluation_is_deterministic_and_monotone_in_as_of(events in history(), (mode, cycles, measure) in options(), a in 0i64..20_000, b in 0i64..20_000) {
        let policy = policy(mode, cycles, pending(), TimeDelta::zero(), measure);
        let timeline = Timeline::new(events.clone()).unwrap();
        let start = events[0].at();
        let (early, late) = (start + TimeDelta::minutes(a.min(b)), start + TimeDelta::minutes(a.max(b)));
        let first = evaluate(&policy, calendar(), &timeline, early).unwrap();
        prop_assert_eq!(&first, &evaluate(&policy, calendar(), &timeline, early).unwrap());
        let second = evaluate(&policy, calendar(), &timeline, late).unwrap();
        prop_assert!(total_used(&first) <= total_used(&second));
        prop_assert!(first.cycles.len() <= second.cycles.len());
        for (x, y) in first.cycles.iter().zip(&second.cycles) {
            prop_assert!(x.business_used <= y.business_used);
            prop_assert_eq!(x.start, y.start);
        }
    }

    /// iTop's rule, on every target change: a new target the open cycle
    /// has used up leaves its target and due instant as they were; one it
    /// has not takes effect as under `KeepClock` (oracle: the evaluation of
    /// the history up to just before the change).
    #[test]
    fn a_deadline_already_exceeded_at_a_target_change_does_not_move(events in history(), (_, cycles, measure) in options()) {
        let policy = policy(TargetChange::KeepDeadlineOnceExceeded, cycles, pending(), TimeDelta::zero(), measure);
        for (index, event) in events.iter().enumerate().skip(1) {
            let servicelevel::event::EventBody::Changed(changes) = event.body() else { continue };
            let Some(priority) = changes.iter().find(|(f, _)| f.as_str() == "priority").and_then(|(_, v)| v.clone()) else { continue };
            let before = evaluate(&policy, calendar(), &Timeline::new(events[..index].to_vec()).unwrap(), event.at()).unwrap();
            let after = evaluate(&policy, calendar(), &Timeline::new(events[..=index].to_vec()).unwrap(), event.at()).unwrap();
            let (Some(b), Some(a)) = (before.cycles.last(), after.cycles.last()) else { continue };
            if b.end.is_some() || a.end.is_some() || before.cycles.len() != after.cycles.len() {
                continue;
            }
            let new_target = match priority.as_str() { "1" => TimeDelta::hours(2), "2" => TimeDelta::hours(4), "3" => TimeDelta::hours(8), _ => TimeDelta::hours(16) };
            if b.business_used >= new_target {
                prop_assert_eq!((a.target, a.due), (b.target, b.due));
            } else {
                prop_assert_eq!(a.target, new_target);
            }
        }
    }

    /// Not under [`TargetChange::KeepDeadlineOnceExceeded`]: there a larger
    /// target can leave a lowered one unexceeded at its change, and so in
    /// force, where the smaller one kept the old, longer target (iTop's
    /// stopwatch is not monotonic in its goals).
    #[test]
    fn a_larger_target_never_turns_met_into_breached(events in history(), (mode, cycles, measure) in options(), extra in 1i64..600, rule in breach_rule()) {
        prop_assume!(mode != TargetChange::KeepDeadlineOnceExceeded);
        let small = policy(mode, cycles, pending(), TimeDelta::zero(), measure).to_builder().breach_rule(rule).build().unwrap();
        let large = policy(mode, cycles, pending(), TimeDelta::minutes(extra), measure).to_builder().breach_rule(rule).build().unwrap();
        let timeline = Timeline::new(events.clone()).unwrap();
        let as_of = as_of_after(&events, 600);
        let small = evaluate(&small, calendar(), &timeline, as_of).unwrap();
        let large = evaluate(&large, calendar(), &timeline, as_of).unwrap();
        prop_assert_eq!(small.cycles.len(), large.cycles.len());
        for (s, l) in small.cycles.iter().zip(&large.cycles) {
            prop_assert!(!(s.state == State::Met && l.state == State::Breached));
            prop_assert!(l.breached_at.is_none() || s.breached_at.is_some_and(|at| at <= l.breached_at.unwrap()));
        }
    }

    /// The breach rules are ordered: whatever is breached compared exactly
    /// is breached with time left, and whatever is breached with time left
    /// is breached under the rounded percentage; their breach instants come
    /// in the reverse order. The instant and the state agree under each.
    #[test]
    fn breach_rules_are_ordered_and_agree_with_their_instants(events in history(), (mode, cycles, measure) in options(), later in 0i64..5_000) {
        let timeline = Timeline::new(events.clone()).unwrap();
        let as_of = as_of_after(&events, later);
        let under = |rule| {
            let policy = policy(mode, cycles, pending(), TimeDelta::zero(), measure).to_builder().breach_rule(rule).build().unwrap();
            evaluate(&policy, calendar(), &timeline, as_of).unwrap()
        };
        let (exact, time_left, rounded) = (under(BreachRule::Exact), under(BreachRule::TimeLeft), under(BreachRule::RoundedPercentage));
        for ((e, t), r) in exact.cycles.iter().zip(&time_left.cycles).zip(&rounded.cycles) {
            prop_assert!(e.breached_at.is_none() || t.breached_at.is_some_and(|at| at <= e.breached_at.unwrap()));
            prop_assert!(t.breached_at.is_none() || r.breached_at.is_some_and(|at| at <= t.breached_at.unwrap()));
            for c in [e, t, r] {
                if matches!(c.state, State::Met | State::Breached) {
                    prop_assert_eq!(c.breached_at.is_some(), c.state == State::Breached);
                }
            }
            prop_assert_eq!(t.breached_at.is_some(), t.business_used >= t.target);
        }
    }

    #[test]
    fn segments_tile_each_cycle_and_counting_sums_to_time_used(events in history(), (mode, cycles, measure) in options(), later in 0i64..5_000) {
        let policy = policy(mode, cycles, pending(), TimeDelta::zero(), measure);
        let timeline = Timeline::new(events.clone()).unwrap();
        let as_of = as_of_after(&events, later);
        for cycle in evaluate(&policy, calendar(), &timeline, as_of).unwrap().cycles {
            let segments = cycle.segments(calendar());
            let counting: TimeDelta = segments.iter().filter(|s| s.kind == SegmentKind::Counting).map(|s| s.to - s.from).sum();
            prop_assert_eq!(counting, cycle.business_used);
            let mut cursor = cycle.start;
            for s in &segments {
                prop_assert_eq!(s.from, cursor);
                prop_assert!(s.to > s.from);
                cursor = s.to;
            }
            prop_assert_eq!(cursor, as_of.max(cycle.start));
        }
    }

    #[test]
    fn policies_round_trip_through_serde(condition in condition(), (mode, cycles, measure) in options(), extra in 0i64..600) {
        let policy = policy(mode, cycles, pending(), TimeDelta::seconds(extra), measure)
            .to_builder()
            .applies_to(condition)
            .build();
        if let Ok(policy) = policy {
            let json = serde_json::to_string(&policy).unwrap();
            let back: Policy = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back, policy);
        }
    }
}

fn condition() -> impl Strategy<Value = Condition> {
    let leaf = prop_oneof![
        Just(Condition::Always),
        Just(Condition::Created),
        (0usize..5).prop_map(|i| Condition::equals("status", STATUSES[i])),
        (0usize..5).prop_map(|i| Condition::is_in("status", STATUSES[..i].iter().copied())),
        Just(Condition::is_set("assignee")),
        (0usize..5).prop_map(|i| Condition::changed_to("status", STATUSES[i])),
        (0usize..5).prop_map(|i| Condition::changed_from("status", STATUSES[i])),
        Just(Condition::Changed("priority".into())),
        Just(Condition::action("agent_reply")),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(Condition::not),
            prop::collection::vec(inner.clone(), 0..4).prop_map(Condition::All),
            prop::collection::vec(inner, 0..4).prop_map(Condition::Any),
        ]
    })
}

/// An evaluation with event positions zeroed, to compare timelines built
/// from differently ordered input.
fn strip_positions(mut evaluation: Evaluation) -> Evaluation {
    for cycle in &mut evaluation.cycles {
        for phase in &mut cycle.phases {
            phase.cause.position = 0;
        }
        if let Some(cause) = &mut cycle.end_cause {
            cause.position = 0;
        }
    }
    evaluation
}

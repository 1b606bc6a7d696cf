//! `Evaluator::evaluate_refs` (borrowed events, the column path) gives the
//! outcome `evaluate_all` gives for the same events owned: same results,
//! same errors with the same positions, for valid histories and for ones
//! broken on purpose. The owned path is the oracle.

use chrono::TimeDelta;
use proptest::prelude::*;
use servicelevel::Evaluator;
use servicelevel::eval::EvaluatorCache;
use servicelevel::event::{Event, EventBody, EventRef, Field, TicketId, TimelineOptions, Value};

use crate::sla_props::{
    as_of_after, calendar, history, options, pending, policy, policy_named, replaying, retroactive_start,
};
use crate::support::config;

/// What is done to a valid history before it is evaluated both ways.
#[derive(Clone, Copy, Debug)]
enum Mutation {
    None,
    /// The event again, right after it: a duplicate (or a second creation).
    Duplicate,
    /// The event and the next swapped: out of order, or no creation first.
    Swap,
    /// A change naming one field twice, at the event's instant.
    RepeatField,
    /// An empty change, then an equal one, at the event's instant.
    EmptyChanges,
    /// A change clearing the status, at the event's instant.
    Clear,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::None),
        Just(Mutation::Duplicate),
        Just(Mutation::Swap),
        Just(Mutation::RepeatField),
        Just(Mutation::EmptyChanges),
        Just(Mutation::Clear),
    ]
}

fn mutate(mut events: Vec<Event>, mutation: Mutation, at: prop::sample::Index) -> Vec<Event> {
    let i = at.index(events.len());
    let when = events[i].at();
    let change = |fields: Vec<(Field, Option<Value>)>| Event::new("T", when, EventBody::Changed(fields));
    let status = || Field::new("status");
    match mutation {
        Mutation::None => {}
        Mutation::Duplicate => events.insert(i + 1, events[i].clone()),
        Mutation::Swap if i + 1 < events.len() => events.swap(i, i + 1),
        Mutation::Swap => {}
        Mutation::RepeatField => events.insert(
            i + 1,
            change(vec![
                (status(), Some(Value::new("open"))),
                (status(), Some(Value::new("pending"))),
            ]),
        ),
        Mutation::EmptyChanges => {
            events.insert(i + 1, change(Vec::new()));
            events.insert(i + 2, change(Vec::new()));
        }
        Mutation::Clear => events.insert(i + 1, change(vec![(status(), None)])),
    }
    events
}

/// The events as borrowed ones, through the public constructors (the
/// pairs a column reader would build).
type Pairs<'a> = (Vec<(&'a Field, &'a Value)>, Vec<(&'a Field, Option<&'a Value>)>);

fn pairs(event: &Event) -> Pairs<'_> {
    match event.body() {
        EventBody::Created(fields) => (fields.iter().map(|(f, v)| (f, v)).collect(), Vec::new()),
        EventBody::Changed(changes) => (Vec::new(), changes.iter().map(|(f, v)| (f, v.as_ref())).collect()),
        _ => (Vec::new(), Vec::new()),
    }
}

fn borrowed<'a>(event: &'a Event, pairs: &'a Pairs<'a>) -> EventRef<'a> {
    match event.body() {
        EventBody::Created(_) => EventRef::created(event.at(), &pairs.0),
        EventBody::Changed(_) => EventRef::changed(event.at(), &pairs.1),
        EventBody::Action(action) => EventRef::action(event.at(), action),
        _ => unreachable!("the three kinds of event"),
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn borrowed_events_evaluate_as_owned_ones(
        histories in prop::collection::vec((history(), mutation(), any::<prop::sample::Index>()), 1..4),
        (mode, cycles, measure) in options(),
        start in retroactive_start(),
        later in 0i64..3_000,
        lenient in any::<bool>(),
    ) {
        let replay = replaying(policy(mode, cycles, pending(), TimeDelta::zero(), measure), start.clone());
        let plain = policy(mode, cycles, pending(), TimeDelta::hours(1), measure);
        let mut evaluator = Evaluator::new().policy(plain, calendar().clone()).policy(replay, calendar().clone());
        // Another evaluator on the same cache, with one policy fewer and
        // another id: a lent outcome's reused evaluations must not keep the
        // first one's policies or count.
        let renamed = policy_named("q", mode, cycles, pending(), TimeDelta::zero(), measure);
        let mut other = Evaluator::new().policy(replaying(renamed, start), calendar().clone());
        if lenient {
            evaluator = evaluator.timelines(TimelineOptions::lenient());
            other = other.timelines(TimelineOptions::lenient());
        }
        let histories: Vec<Vec<Event>> = histories.into_iter().map(|(h, m, at)| mutate(h, m, at)).collect();
        let as_of = histories.iter().map(|h| as_of_after(h, later)).max().unwrap();
        let owned: Vec<_> = evaluator.evaluate_all(histories.clone(), as_of).collect();
        let owned_other: Vec<_> = other.evaluate_all(histories.clone(), as_of).collect();
        // One cache for every ticket: nothing of one may leak into the next.
        let mut cache = EvaluatorCache::default();
        let ticket = TicketId::new("T");
        for ((events, expected), expected_other) in histories.iter().zip(owned).zip(owned_other) {
            let pairs: Vec<Pairs<'_>> = events.iter().map(pairs).collect();
            let refs: Vec<EventRef<'_>> = events.iter().zip(&pairs).map(|(e, p)| borrowed(e, p)).collect();
            for (r, e) in refs.iter().zip(events) {
                prop_assert_eq!(&r.to_event(&ticket), e);
            }
            prop_assert_eq!(evaluator.evaluate_refs(&mut cache, &ticket, &refs, as_of), &expected);
            prop_assert_eq!(other.evaluate_refs(&mut cache, &ticket, &refs, as_of), &expected_other);
            prop_assert_eq!(evaluator.evaluate_refs(&mut cache, &ticket, &refs, as_of), &expected);
        }
    }
}

/// No events: the ticket's "no events" error, under the ticket's name.
#[test]
fn no_borrowed_events_is_the_empty_error() {
    let evaluator = Evaluator::new().policy(
        policy(
            servicelevel::policy::TargetChange::KeepClock,
            servicelevel::policy::Cycles::Once,
            pending(),
            TimeDelta::zero(),
            servicelevel::policy::Measure::WallClock,
        ),
        calendar().clone(),
    );
    let mut cache = EvaluatorCache::default();
    let outcome = evaluator.evaluate_refs(
        &mut cache,
        &TicketId::new("INC9"),
        &[],
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2025, 3, 1, 0, 0, 0).unwrap(),
    );
    assert_eq!(outcome.ticket.as_str(), "INC9");
    let error = outcome.evaluations.as_ref().unwrap_err();
    assert!(error.to_string().contains("no events"), "{error}");
}

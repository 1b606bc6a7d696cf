//! Bad ticket histories and bad policies: each gets a typed error or a
//! diagnostic that names the ticket and the event, never a panic.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use servicelevel::BusinessCalendar;
use servicelevel::eval::{Evaluator, SlaClock, evaluate};
use servicelevel::event::TimelineOptions;
use servicelevel::event::{Event, Problem, Schema, Timeline, tickets};
use servicelevel::policy::Lifecycle;
use servicelevel::policy::{Cancel, Condition, Policy, PolicyKind, RetroactiveStart, Target, presets};

fn at(hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 2, hour, 0, 0).unwrap()
}

fn problem(error: &servicelevel::Error) -> &Problem {
    error
        .problem()
        .unwrap_or_else(|| panic!("not an event error: {error:?}"))
}

fn hours(n: i64) -> Target {
    Target::business(TimeDelta::hours(n))
}

/// A policy's serde form around `target`, for the target's error messages.
fn policy_form(target: &str) -> String {
    format!(
        r#"{{"id": "p", "name": "n", "kind": "sla", "start": "created", "stop": {{"equals": ["status", "closed"]}},
           "target": {target}}}"#
    )
}

fn schema() -> Schema {
    Schema::new()
        .field("priority")
        .closed_field("status", ["new", "open", "pending", "solved", "closed"])
        .final_values("status", ["closed"])
        .unwrap()
}

#[test]
fn strict_timelines_name_the_first_bad_event() {
    let created = Event::created("T9", at(9), [("status", "new")]);
    let cases = [
        (
            vec![
                created.clone(),
                Event::set("T9", at(11), [("status", "open")]),
                Event::set("T9", at(10), [("status", "solved")]),
            ],
            2,
            "out of order",
        ),
        (
            vec![
                created.clone(),
                Event::set("T9", at(10), [("status", "open")]),
                Event::set("T9", at(10), [("status", "open")]),
            ],
            2,
            "exact duplicate of event 1",
        ),
        (
            vec![Event::set("T9", at(8), [("status", "open")]), created.clone()],
            0,
            "does not begin with a creation",
        ),
        (
            vec![created.clone(), Event::created("T9", at(10), [("status", "new")])],
            1,
            "second creation",
        ),
        (
            vec![created.clone(), Event::set("T8", at(10), [("status", "open")])],
            1,
            "belongs to ticket `T8`",
        ),
        (
            vec![
                created.clone(),
                Event::set("T9", at(10), [("status", "open"), ("status", "solved")]),
            ],
            1,
            "set twice",
        ),
    ];
    for (events, position, words) in cases {
        let error = Timeline::new(events).unwrap_err();
        assert!(error.is_event());
        assert_eq!(error.ticket().unwrap().as_str(), "T9");
        assert_eq!(error.position(), Some(position), "{error}");
        assert!(error.to_string().contains(words), "{error}");
        assert!(
            error
                .to_string()
                .starts_with(&format!("ticket `T9` event {position}: ")),
            "{error}"
        );
    }
    assert_eq!(*problem(&Timeline::new(vec![]).unwrap_err()), Problem::Empty);
}

#[test]
fn a_schema_rejects_unknown_fields_values_and_events_after_closure() {
    let created = Event::created("T1", at(9), [("status", "new")]);
    let unknown_field = vec![created.clone(), Event::set("T1", at(10), [("urgency", "high")])];
    let unknown_value = vec![created.clone(), Event::set("T1", at(10), [("status", "pendng")])];
    let after_closure = vec![
        created.clone(),
        Event::set("T1", at(10), [("status", "closed")]),
        Event::action("T1", at(11), "agent_reply"),
    ];
    let e = Timeline::build(unknown_field, &TimelineOptions::strict().schema(schema())).unwrap_err();
    assert_eq!(e.to_string(), "ticket `T1` event 1: unknown field `urgency`");
    let e = Timeline::build(unknown_value, &TimelineOptions::strict().schema(schema())).unwrap_err();
    assert_eq!(
        e.to_string(),
        "ticket `T1` event 1: unknown value `pendng` for field `status`"
    );
    let e = Timeline::build(after_closure.clone(), &TimelineOptions::strict().schema(schema())).unwrap_err();
    assert_eq!(*problem(&e), Problem::AfterClosure { closed_by: 1 });
    // Lenient mode keeps what it can and lists the rest.
    let lenient = Timeline::build(after_closure, &TimelineOptions::lenient().schema(schema())).unwrap();
    assert_eq!(lenient.timeline.events().len(), 2);
    assert_eq!(lenient.diagnostics.len(), 1);
    assert_eq!(lenient.diagnostics[0].position, 2);
}

#[test]
fn lenient_timelines_account_for_every_event() {
    let events = vec![
        Event::set("T1", at(12), [("status", "solved")]),  // 0: used, moved
        Event::set("T1", at(7), [("status", "open")]),     // 1: before creation
        Event::created("T1", at(9), [("status", "new")]),  // 2: creation
        Event::set("T1", at(10), [("status", "open")]),    // 3: used
        Event::set("T1", at(10), [("status", "open")]),    // 4: duplicate of 3
        Event::created("T1", at(11), [("status", "new")]), // 5: second creation
        Event::action("T2", at(11), "agent_reply"),        // 6: other ticket
        Event::set("T1", at(11), [("priority", "1"), ("priority", "2")]), // 7: field twice
    ];
    let total = events.len();
    let lenient = Timeline::build(events, &TimelineOptions::lenient()).unwrap();
    let used: Vec<usize> = (0..lenient.timeline.events().len())
        .map(|i| lenient.timeline.position(i))
        .collect();
    assert_eq!(used, vec![2, 3, 0]);
    let dropped: Vec<(usize, String)> = lenient
        .diagnostics
        .iter()
        .map(|d| (d.position, d.problem.to_string()))
        .collect();
    assert_eq!(dropped.len() + used.len(), total, "every event used or listed");
    assert!(dropped[0].1.starts_with("before creation"), "{dropped:?}");
    assert_eq!(dropped[1], (4, "exact duplicate of event 3".into()));
    assert_eq!(
        dropped[2],
        (5, "second creation event (event 2 created the ticket)".into())
    );
    assert_eq!(dropped[3], (6, "event belongs to ticket `T2`".into()));
    assert_eq!(dropped[4], (7, "field `priority` is set twice in one event".into()));
    assert!(lenient.reordered > 0);
    let no_creation = Timeline::build(
        vec![Event::action("T3", at(9), "agent_reply")],
        &TimelineOptions::lenient(),
    )
    .unwrap_err();
    assert_eq!(*problem(&no_creation), Problem::MissingCreation);
}

#[test]
fn policies_that_cannot_work_are_rejected_when_built() {
    let done = Condition::equals("status", "closed");
    let build = |start: Condition, stop: Condition, target: Target| {
        Policy::builder("p1", "test", PolicyKind::Sla, start, stop, target).build()
    };
    let cases = [
        (
            build(Condition::Never, done.clone(), hours(1)),
            "`start`: the start condition can never hold",
        ),
        (
            build(
                Condition::All(vec![done.clone(), Condition::equals("status", "open")]),
                done.clone(),
                hours(1),
            ),
            "`start`: the start condition can never hold",
        ),
        (
            build(Condition::Created, Condition::Any(vec![]), hours(1)),
            "`stop`: the stop condition can never hold",
        ),
        (
            build(Condition::Created, Condition::Always, hours(1)),
            "`stop`: the stop condition always holds",
        ),
        (
            build(Condition::Created, done.clone(), hours(0)),
            "target `0s` is not positive",
        ),
        (
            build(Condition::Created, done.clone(), hours(24 * 366 * 101)),
            "is more than 100 years",
        ),
    ];
    for (result, words) in cases {
        let error = result.unwrap_err();
        assert!(error.is_config());
        assert!(error.to_string().contains(words), "{error} lacks {words}");
        assert!(error.to_string().starts_with("invalid policy `p1`"), "{error}");
    }
    // Working days under a time measure cannot be written with the
    // constructors; in the serde form they are rejected with the path.
    let mixed = r#"{"measure": "business_time", "default": "2 working days"}"#;
    let error = serde_json::from_str::<Target>(mixed).unwrap_err().to_string();
    assert!(error.contains("is in working days but the measure is time"), "{error}");
    assert!(error.contains("`target.default`"), "{error}");
    let base = Policy::builder("p2", "t", PolicyKind::Sla, Condition::Created, done.clone(), hours(1));
    let e = base.clone().cancel(Cancel::WhenStartNoLongerHolds).build().unwrap_err();
    assert!(
        e.to_string()
            .contains("in `cancel`: the start condition looks at the event"),
        "{e}"
    );
    let e = base.clone().pause(Condition::action("note")).build().unwrap_err();
    assert!(e.to_string().contains("in `pause`"), "{e}");
    let e = base.clone().resume(Condition::Always).build().unwrap_err();
    assert!(
        e.to_string().contains("a resume condition without a pause condition"),
        "{e}"
    );
    let e = base.warnings([rust_decimal::Decimal::ZERO]).build().unwrap_err();
    assert!(
        e.to_string().contains("in `warnings[0]`: `0` is not a percentage"),
        "{e}"
    );
}

#[test]
fn invalid_policies_cannot_be_deserialised() {
    let zero =
        serde_json::from_str::<Policy>(&policy_form(r#"{"measure": "business_time", "default": "0h"}"#)).unwrap_err();
    assert!(zero.to_string().contains("target `0s` is not positive"), "{zero}");
    let bad = serde_json::from_str::<Policy>(&policy_form(r#"{"measure": "business_time", "default": "8 hours"}"#))
        .unwrap_err();
    assert!(bad.to_string().contains("invalid duration `8 hours`"), "{bad}");
    let unknown = policy_form(r#"{"measure": "business_time", "default": "8h"}"#).replace("\"kind\"", "\"knd\"");
    assert!(serde_json::from_str::<Policy>(&unknown).is_err());
    let by_without_field = serde_json::from_str::<Policy>(&policy_form(
        r#"{"measure": "business_time", "amounts": {"1": "4h"}, "default": "8h"}"#,
    ))
    .unwrap_err();
    assert!(
        by_without_field.to_string().contains("need a field to choose by"),
        "{by_without_field}"
    );
}

#[test]
fn escalation_levels_that_cannot_be_read_or_reached_are_refused() {
    let with_levels = |levels: &str| {
        policy_form(r#"{"measure": "business_time", "default": "8h"}"#)
            .replace(r#""target":"#, &format!(r#""escalations": {levels}, "target":"#))
    };
    let unread = serde_json::from_str::<Policy>(&with_levels(r#"["-1h", "3 days"]"#)).unwrap_err();
    assert!(unread.to_string().contains("`3 days`"), "{unread}");
    let too_far = serde_json::from_str::<Policy>(&with_levels(r#"["36501 working days"]"#)).unwrap_err();
    assert!(
        too_far.to_string().contains("escalations[0]") && too_far.to_string().contains("more than 36500 working days"),
        "{too_far}"
    );
    let fine = serde_json::from_str::<Policy>(&with_levels(
        r#"["-2 working days (end of working day)", "2h wall-clock"]"#,
    ))
    .unwrap();
    assert_eq!(fine.escalations().len(), 2);
}

#[test]
fn conflicting_policy_versions_are_refused_naming_the_key() {
    let base: Policy = serde_json::from_str(&policy_form(r#"{"measure": "business_time", "default": "8h"}"#)).unwrap();
    let shorter = base.to_builder().target(hours(4)).build().unwrap();
    let at = |day| chrono::Utc.with_ymd_and_hms(2025, 7, day, 0, 0, 0).unwrap();
    let message = |result: servicelevel::Result<Policy>| result.unwrap_err().to_string();
    let same_instant = base
        .to_builder()
        .revised(at(1), shorter.clone())
        .revised(at(1), shorter.clone())
        .build();
    let same_instant = message(same_instant);
    assert!(
        same_instant.contains("revisions[1].from") && same_instant.contains("versions conflict"),
        "{same_instant}"
    );
    let backwards = message(
        base.to_builder()
            .revised(at(2), shorter.clone())
            .revised(at(1), shorter.clone())
            .build(),
    );
    assert!(backwards.contains("revisions[1].from"), "{backwards}");
    let other = shorter.to_builder().build().unwrap();
    let renamed: Policy = serde_json::from_str(
        &serde_json::to_string(&other)
            .unwrap()
            .replace(r#""id":"p""#, r#""id":"q""#),
    )
    .unwrap();
    let other_id = message(base.to_builder().revised(at(1), renamed).build());
    assert!(
        other_id.contains("revisions[0].policy.id") && other_id.contains("`q`"),
        "{other_id}"
    );
    let nested = base.to_builder().revised(at(1), shorter.clone()).build().unwrap();
    let nested = message(base.to_builder().revised(at(2), nested).build());
    assert!(nested.contains("revisions[0].policy.revisions"), "{nested}");
    // A valid revised policy reads back from its serde form as it was.
    let revised = base.to_builder().revised(at(1), shorter).build().unwrap();
    let text = serde_json::to_string(&revised).unwrap();
    assert!(
        text.contains(r#""revisions":[{"from":"2025-07-01T00:00:00Z""#),
        "{text}"
    );
    assert_eq!(serde_json::from_str::<Policy>(&text).unwrap(), revised);
}

#[test]
fn ordered_alternatives_that_cannot_be_told_apart_are_refused() {
    let base: Policy = serde_json::from_str(&policy_form(r#"{"measure": "business_time", "default": "8h"}"#)).unwrap();
    let twice = servicelevel::policy::first_match([base.clone(), base.clone()])
        .unwrap_err()
        .to_string();
    assert!(twice.contains("two alternatives are named `p`"), "{twice}");
    let by_event = base
        .to_builder()
        .applies_to(Condition::action("agent_reply"))
        .build()
        .unwrap();
    let by_event = servicelevel::policy::first_match([by_event]).unwrap_err().to_string();
    assert!(
        by_event.contains("applies_to") && by_event.contains("not by the event"),
        "{by_event}"
    );
    // In a catalog's service, the same error stops the build.
    let service = servicelevel::Service::builder("desk", "Desk", "office")
        .first_match([base.clone(), base])
        .build();
    assert!(service.unwrap_err().to_string().contains("two alternatives"));
}

#[test]
fn a_policy_naming_an_unknown_status_fails_the_schema_check() {
    let policy = presets::glpi_time_to_resolve(&Lifecycle::glpi(), hours(4)).unwrap();
    let error = policy.check_schema(&schema()).unwrap_err();
    assert!(
        error.to_string().contains("unknown value `waiting` for field `status`"),
        "{error}"
    );
}

#[test]
fn a_ticket_the_policy_cannot_handle_is_an_error_naming_it() {
    let calendar = BusinessCalendar::always_open(chrono_tz::UTC);
    let by_priority = Target::business_by("priority", [("1", TimeDelta::hours(4))], None);
    let policy = presets::zendesk_first_reply_time(&Lifecycle::zendesk(), by_priority).unwrap();
    let events = vec![Event::created("T5", at(9), [("priority", "9")])];
    let error = evaluate(&policy, &calendar, &Timeline::new(events).unwrap(), at(12)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "ticket `T5` event 0: no target for `priority` = `9` and no default target"
    );

    let retro = presets::zendesk_first_reply_time(&Lifecycle::zendesk(), hours(4))
        .unwrap()
        .to_builder()
        .retroactive(RetroactiveStart::FromField("opened_at".into()))
        .build()
        .unwrap();
    let events = vec![Event::created("T6", at(9), [("opened_at", "yesterday")])];
    let error = evaluate(&retro, &calendar, &Timeline::new(events).unwrap(), at(12)).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("`yesterday`, which is not an RFC 3339 instant"),
        "{error}"
    );
}

#[test]
fn instants_at_the_edges_of_time_are_errors_not_panics() {
    let calendar = BusinessCalendar::always_open(chrono_tz::UTC);
    let wall = presets::zendesk_first_reply_time(&Lifecycle::zendesk(), Target::wall(TimeDelta::hours(1))).unwrap();
    let business = presets::zendesk_first_reply_time(&Lifecycle::zendesk(), hours(1)).unwrap();
    for instant in [
        DateTime::<Utc>::MAX_UTC,
        DateTime::<Utc>::MIN_UTC,
        Utc.with_ymd_and_hms(1960, 1, 1, 0, 0, 0).unwrap(),
    ] {
        let timeline = Timeline::new(vec![Event::created("T7", instant, [("status", "new")])]).unwrap();
        for policy in [&wall, &business] {
            // Either an answer or a typed error; reaching here means no panic.
            if let Err(error) = evaluate(policy, &calendar, &timeline, instant) {
                assert!(error.is_event(), "{error}");
                assert_eq!(error.ticket().unwrap().as_str(), "T7");
            }
        }
    }
}

#[test]
fn a_batch_reports_bad_tickets_and_carries_on() {
    let calendar = BusinessCalendar::always_open(chrono_tz::UTC);
    let evaluator = Evaluator::new().policy(
        presets::zendesk_first_reply_time(&Lifecycle::zendesk(), hours(2)).unwrap(),
        calendar,
    );
    let events = vec![
        Event::created("A", at(9), [("status", "new")]),
        Event::action("A", at(10), "agent_reply"),
        Event::action("B", at(9), "agent_reply"), // B has no creation
        Event::created("C", at(9), [("status", "new")]),
        Event::action("C", at(12), "agent_reply"),
    ];
    let outcomes: Vec<_> = evaluator.evaluate_all(tickets(events), at(13)).collect();
    assert_eq!(outcomes.len(), 3);
    let summary: Vec<(String, String)> = outcomes
        .iter()
        .map(|o| {
            let verdict = match &o.evaluations {
                Ok(results) => format!("{:?}", results[0].as_ref().unwrap().state()),
                Err(e) => e.to_string(),
            };
            (o.ticket.to_string(), verdict)
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("A".into(), "Met".into()),
            (
                "B".into(),
                "ticket `B` event 0: history does not begin with a creation event".into()
            ),
            ("C".into(), "Breached".into()),
        ]
    );
}

#[test]
fn the_live_clock_refuses_bad_events_and_stays_usable() {
    let calendar = BusinessCalendar::always_open(chrono_tz::UTC);
    let policy = presets::zendesk_first_reply_time(&Lifecycle::zendesk(), hours(2)).unwrap();
    let mut clock = SlaClock::new(&policy, &calendar);
    assert_eq!(
        *problem(&clock.push(&Event::action("T", at(9), "agent_reply")).unwrap_err()),
        Problem::MissingCreation
    );
    clock.push(&Event::created("T", at(9), [("status", "new")])).unwrap();
    clock.push(&Event::set("T", at(11), [("status", "open")])).unwrap();
    let late = clock.push(&Event::action("T", at(10), "agent_reply")).unwrap_err();
    assert_eq!(late.position(), Some(2));
    let early = clock.at(at(10)).unwrap_err();
    assert!(
        early.to_string().contains("is before the latest event taken"),
        "{early}"
    );
    clock.push(&Event::action("T", at(12), "agent_reply")).unwrap();
    let evaluation = clock.at(at(12)).unwrap();
    assert_eq!(evaluation.cycles[0].business_used, TimeDelta::hours(3));
}

/// Issue 15: a deadline read from a field. A value that is not an instant,
/// an empty field under `when_missing: no_target`, and the configurations
/// that cannot work are typed errors naming the ticket, event or key.
#[test]
fn deadlines_from_fields_fail_with_the_ticket_and_event() {
    use servicelevel::policy::MissingDeadline;
    let calendar = BusinessCalendar::always_open(chrono_tz::UTC);
    let deadline = |missing| {
        Policy::builder(
            "due",
            "Breach on Due Date",
            PolicyKind::Sla,
            Condition::Created,
            Condition::equals("status", "closed"),
            Target::business_until("due_date", missing),
        )
        .build()
        .unwrap()
    };
    let error = |missing, events: Vec<Event>| {
        evaluate(&deadline(missing), &calendar, &Timeline::new(events).unwrap(), at(12))
            .unwrap_err()
            .to_string()
    };
    let not_an_instant = vec![
        Event::created("T7", at(9), [("due_date", "2025-06-02T12:00:00Z")]),
        Event::set("T7", at(10), [("due_date", "tomorrow")]),
    ];
    assert_eq!(
        error(MissingDeadline::OneSecond, not_an_instant),
        "ticket `T7` event 1: field `due_date` holds `tomorrow`, which is not an RFC 3339 instant"
    );
    let empty = vec![Event::created("T8", at(9), [("status", "new")])];
    assert_eq!(
        error(MissingDeadline::NoTarget, empty),
        "ticket `T8` event 0: no target: field `due_date` is not set and there is no default target"
    );

    let paused = deadline(MissingDeadline::OneSecond)
        .to_builder()
        .pause(Condition::equals("status", "pending"))
        .build()
        .unwrap_err();
    assert!(paused.to_string().contains("does not move with pauses"), "{paused}");
    let with_amounts = serde_json::from_str::<Policy>(&policy_form(
        r#"{"measure": "business_time", "until": "due", "default": "8h"}"#,
    ))
    .unwrap_err();
    assert!(with_amounts.to_string().contains("takes no amounts"), "{with_amounts}");
    let stray = serde_json::from_str::<Policy>(&policy_form(
        r#"{"measure": "business_time", "default": "8h", "when_missing": "no_target"}"#,
    ))
    .unwrap_err();
    assert!(
        stray.to_string().contains("`when_missing` is for a deadline"),
        "{stray}"
    );
    let configured = serde_json::from_str::<Policy>(&policy_form(
        r#"{"measure": "business_time", "default": "until 2025-06-02T12:00:00Z"}"#,
    ))
    .unwrap_err();
    assert!(configured.to_string().contains("not configured"), "{configured}");
}

/// Issue 15: a target chosen by ordered conditions refuses conditions on the
/// event, mixing with per-value amounts, and misspelt fields (schema check);
/// a ticket no tier matches, without a default, is that ticket's problem.
#[test]
fn condition_tiers_that_cannot_work_are_refused() {
    use servicelevel::policy::{Amount, Measure};
    let on_event = serde_json::from_str::<Policy>(&policy_form(
        r#"{"measure": "business_time", "tiers": [{"when": {"action": "agent_reply"}, "amount": "2h"}]}"#,
    ))
    .unwrap_err();
    assert!(on_event.to_string().contains("target.tiers[0].when"), "{on_event}");
    let mixed = serde_json::from_str::<Policy>(&policy_form(
        r#"{"measure": "business_time", "by": "priority", "amounts": {"1": "4h"}, "tiers": [{"when": {"equals": ["tier", "gold"]}, "amount": "2h"}]}"#,
    ))
    .unwrap_err();
    assert!(mixed.to_string().contains("do not mix"), "{mixed}");
    let zero = serde_json::from_str::<Policy>(&policy_form(
        r#"{"measure": "business_time", "tiers": [{"when": {"equals": ["tier", "gold"]}, "amount": "0h"}]}"#,
    ))
    .unwrap_err();
    assert!(zero.to_string().contains("target.tiers[0].amount"), "{zero}");

    let gold = Target::when(
        Measure::BusinessTime,
        [(Condition::equals("tier", "gold"), Amount::Time(TimeDelta::hours(2)))],
        None,
    );
    let policy = Policy::builder(
        "p",
        "n",
        PolicyKind::Sla,
        Condition::Created,
        Condition::equals("status", "closed"),
        gold,
    )
    .build()
    .unwrap();
    let misspelt = Schema::new().field("tier_name").field("status");
    let error = policy.check_schema(&misspelt).unwrap_err();
    assert!(error.to_string().contains("unknown field `tier`"), "{error}");
    let calendar = BusinessCalendar::always_open(chrono_tz::UTC);
    let events = vec![Event::created("T9", at(9), [("tier", "silver")])];
    let error = evaluate(&policy, &calendar, &Timeline::new(events).unwrap(), at(12)).unwrap_err();
    assert!(
        error.to_string().starts_with("ticket `T9` event 0: no target"),
        "{error}"
    );
}

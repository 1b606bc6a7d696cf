//! Runs every SLA scenario file in `testdata/sla/`. The format is documented
//! in the crate docs ("Scenario files"); each file names its source.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::TimeDelta;
use serde_json::Value;
use servicelevel::BusinessCalendar;
use servicelevel::calendar::CalendarSet;
use servicelevel::eval::{Crossing, Cycle, SegmentKind, evaluate, evaluate_routed};
use servicelevel::event::{Event, Timeline};
use servicelevel::policy::Lifecycle;
use servicelevel::policy::{CalendarRoute, Policy, Target, presets};

use crate::support::{instant, show};

/// Builds a policy entry: a full policy, or `{"preset": name, ...}` whose
/// other keys replace the preset's. A revision's `policy` is an entry too.
pub fn policy(entry: &Value) -> Policy {
    let mut entry = entry.clone();
    if let Some(revisions) = entry.get_mut("revisions").and_then(Value::as_array_mut) {
        for revision in revisions {
            let revised = policy(&revision["policy"]);
            revision["policy"] = serde_json::to_value(&revised).expect("serialises");
        }
    }
    let entry = &entry;
    let Some(name) = entry.get("preset").and_then(Value::as_str) else {
        return serde_json::from_value(entry.clone()).unwrap_or_else(|e| panic!("policy {entry}: {e}"));
    };
    let placeholder = Target::business(TimeDelta::hours(1));
    let preset = match name.strip_prefix("assignment_group_ola:") {
        Some(group) => presets::assignment_group_ola(&Lifecycle::servicenow(), group, placeholder),
        None => presets::by_name(name, None, placeholder),
    }
    .expect("presets are valid");
    let mut form = serde_json::to_value(&preset).expect("serialises");
    for (key, value) in entry.as_object().expect("object") {
        if key != "preset" {
            form[key] = value.clone();
        }
    }
    serde_json::from_value(form.clone()).unwrap_or_else(|e| panic!("policy {form}: {e}"))
}

/// The events of a file, by ticket (default ticket `T1`).
pub fn timelines(events: &Value) -> BTreeMap<String, Timeline> {
    let mut by_ticket: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    for entry in events.as_array().expect("events") {
        let mut entry = entry.clone();
        if entry.get("ticket").is_none() {
            entry["ticket"] = "T1".into();
        }
        let event: Event = serde_json::from_value(entry.clone()).unwrap_or_else(|e| panic!("event {entry}: {e}"));
        by_ticket.entry(event.ticket().to_string()).or_default().push(event);
    }
    by_ticket
        .into_iter()
        .map(|(ticket, events)| (ticket, Timeline::new(events).expect("scenario timelines are valid")))
        .collect()
}

fn crossing(c: Crossing) -> String {
    match c {
        Crossing::Reached(at) => format!("reached {}", show(at)),
        Crossing::Expected(at) => format!("expected {}", show(at)),
        Crossing::NotReached => "not reached".into(),
        other => panic!("no scenario form for {other:?}"),
    }
}

fn state_name(cycle: &Cycle) -> String {
    serde_json::to_value(cycle.state).unwrap().as_str().unwrap().to_string()
}

/// The cycle's value for one `expect` key, as the file writes it.
fn answer(cycle: &Cycle, key: &str) -> String {
    let d = servicelevel::duration::format;
    let opt = |at: Option<chrono::DateTime<chrono::Utc>>| at.map_or("none".into(), show);
    match key {
        "state" => state_name(cycle),
        "start" => show(cycle.start),
        "end" => opt(cycle.end),
        "calendar" => cycle.calendar.clone().unwrap_or_else(|| "none".into()),
        "due" => show(cycle.due),
        "breached_at" => opt(cycle.breached_at),
        "target" => d(cycle.target),
        "business_used" => d(cycle.business_used),
        "wall_used" => d(cycle.wall_used),
        "paused_business" => d(cycle.paused_business),
        "paused_wall" => d(cycle.paused_wall),
        "remaining" => d(cycle.remaining),
        "elapsed_percent" => cycle.elapsed_percent().to_string(),
        "wall_elapsed_percent" => cycle.wall_elapsed_percent().to_string(),
        _ if key.starts_with("warning ") => {
            let w = cycle.warnings.iter().find(|w| format!("warning {}", w.percent) == key);
            crossing(w.unwrap_or_else(|| panic!("no {key}")).crossing)
        }
        _ if key.starts_with("escalation ") => {
            let e = cycle
                .escalations
                .iter()
                .find(|e| format!("escalation {}", e.offset) == key);
            crossing(e.unwrap_or_else(|| panic!("no {key}")).crossing)
        }
        other => panic!("unknown expect key `{other}`"),
    }
}

/// Laws every cycle obeys, checked on every scenario as a bonus.
fn check_explanation(cycle: &Cycle, calendar: &BusinessCalendar) {
    let segments = cycle.segments(calendar);
    let counting: TimeDelta = segments
        .iter()
        .filter(|s| s.kind == SegmentKind::Counting)
        .map(|s| s.to - s.from)
        .sum();
    assert_eq!(
        counting, cycle.business_used,
        "counting segments sum to business time used"
    );
    for pair in segments.windows(2) {
        assert_eq!(pair[0].to, pair[1].from, "segments tile the cycle");
    }
    if let Some(first) = segments.first() {
        assert_eq!(first.from, cycle.start);
    }
}

fn run_file(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let file: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let source = file["source"].as_str().unwrap_or("");
    assert!(source.len() > 20, "{} must name its source", path.display());
    let calendar: BusinessCalendar = serde_json::from_value(file["calendar"].clone()).expect("calendar");
    // Other calendars by name, for policies with a `calendar_by` route.
    let set: CalendarSet =
        serde_json::from_value(file.get("calendars").cloned().unwrap_or_default()).unwrap_or_default();
    let mut routes: BTreeMap<String, CalendarRoute> = BTreeMap::new();
    let policies: Vec<Policy> = file["policies"]
        .as_array()
        .expect("policies")
        .iter()
        .flat_map(|entry| match entry.get("first_match").and_then(Value::as_array) {
            // `{"first_match": [entry, ...]}`: ordered alternatives.
            Some(group) => servicelevel::policy::first_match(group.iter().map(policy)).expect("a valid group"),
            None => {
                let mut entry = entry.clone();
                let route = entry.as_object_mut().and_then(|o| o.remove("calendar_by"));
                let policy = policy(&entry);
                if let Some(route) = route {
                    routes.insert(policy.id().to_string(), serde_json::from_value(route).expect("a route"));
                }
                vec![policy]
            }
        })
        .collect();
    let timelines = timelines(&file["events"]);
    let mut checked = 0;
    for check in file["checks"].as_array().expect("checks") {
        let as_of = instant(check["as_of"].as_str().expect("as_of"));
        let id = check["policy"].as_str().expect("policy");
        let ticket = check["ticket"].as_str().unwrap_or("T1");
        let policy = policies.iter().find(|p| p.id().as_str() == id).expect("policy id");
        let evaluation = match routes.get(id) {
            Some(route) => evaluate_routed(policy, route, &set, &timelines[ticket], as_of).expect("evaluates"),
            None => evaluate(policy, &calendar, &timelines[ticket], as_of).expect("evaluates"),
        };
        if let Some(n) = check.get("cycles") {
            assert_eq!(
                evaluation.cycles.len() as u64,
                n.as_u64().unwrap(),
                "{}: {check}",
                path.display()
            );
        }
        let index = check["cycle"]
            .as_u64()
            .map_or(evaluation.cycles.len().saturating_sub(1), |i| i as usize);
        for cycle in &evaluation.cycles {
            let measured_on = cycle
                .calendar
                .as_deref()
                .map_or(&calendar, |name| set.get(name).expect("a set calendar"));
            check_explanation(cycle, measured_on);
        }
        let expect = check.get("expect").and_then(Value::as_object);
        let Some(cycle) = evaluation.cycles.get(index) else {
            // `"cycles": 0` (or a `cycle` past the last): nothing to expect.
            assert!(
                expect.is_none_or(serde_json::Map::is_empty),
                "{}: no cycle {index} to check in {check}",
                path.display()
            );
            checked += 1;
            continue;
        };
        for (key, expected) in expect.expect("expect") {
            let got = answer(cycle, key);
            assert_eq!(
                &got,
                expected.as_str().unwrap(),
                "{}: `{key}` in {check}",
                path.display()
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_sla_scenario_file_holds() {
    let mut files: Vec<_> = std::fs::read_dir("testdata/sla")
        .expect("testdata/sla")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "one file per acceptance scenario");
    let checked: usize = files.iter().map(|f| run_file(f)).sum();
    assert!(checked >= 60, "only {checked} values checked");
}

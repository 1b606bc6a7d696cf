//! A policy from arbitrary JSON and an arbitrary event sequence, through
//! strict and lenient timelines, the live clock, batch evaluation and a
//! report. Invariants: the live clock equals batch evaluation on every
//! prefix; segments tile each cycle and the counting ones sum to the
//! business time used, which never exceeds the wall time; every input event
//! is used or reported; batch and single evaluation agree; borrowed events
//! (`evaluate_refs`, a cache used twice) give the owned events' outcome.

use std::sync::OnceLock;

use crate::{Bytes, split};
use servicelevel::calendar::{MONDAY_TO_FRIDAY, Window};
use servicelevel::chrono::{DateTime, TimeDelta, TimeZone, Utc};
use servicelevel::eval::{EvaluatorCache, SegmentKind};
use servicelevel::event::{EventRef, TicketId, TimelineOptions};
use servicelevel::{
    BusinessCalendar, Catalog, Evaluator, Event, Lifecycle, Period, Policy, ReportSpec, Service, SlaClock, Timeline,
    evaluate,
};

const STATUSES: [&str; 12] = [
    "new",
    "in_progress",
    "on_hold",
    "resolved",
    "closed",
    "canceled",
    "waiting",
    "pending reminder",
    "open",
    "assigned",
    "waiting for customer",
    "done",
];

fn calendars() -> &'static [BusinessCalendar; 2] {
    static CALENDARS: OnceLock<[BusinessCalendar; 2]> = OnceLock::new();
    CALENDARS.get_or_init(|| {
        let office = BusinessCalendar::builder(servicelevel::chrono_tz::America::New_York)
            .weekdays(&MONDAY_TO_FRIDAY, "09:00-17:00".parse::<Window>().unwrap())
            .holiday(servicelevel::chrono::NaiveDate::from_ymd_opt(2025, 12, 25).unwrap())
            .build()
            .unwrap();
        [office, BusinessCalendar::always_open(servicelevel::chrono_tz::UTC)]
    })
}

fn events(bytes: &mut Bytes<'_>) -> Vec<Event> {
    let mut at: DateTime<Utc> = Utc.with_ymd_and_hms(2025, 3, 7, 14, 0, 0).unwrap();
    let mut out = vec![Event::created("T", at, [("status", "new"), ("priority", "3")])];
    while out.len() < 48 {
        let (Some(kind), Some(value), Some(gap)) = (bytes.u8(), bytes.u8(), bytes.u16()) else {
            break;
        };
        // Mostly forwards in time; a few events go back (lenient reorders).
        at = if kind & 0x80 == 0 {
            at + TimeDelta::minutes(i64::from(gap))
        } else {
            at - TimeDelta::minutes(i64::from(gap % 120))
        };
        let status = STATUSES[usize::from(value) % STATUSES.len()];
        let priority = ["1", "2", "3", "4", "5"][usize::from(value) % 5];
        out.push(match kind % 6 {
            0 | 1 => Event::set("T", at, [("status", status)]),
            2 => Event::set("T", at, [("priority", priority)]),
            3 => Event::cleared(
                "T",
                at,
                ["status", "priority", "assignment_group"][usize::from(value) % 3],
            ),
            4 => Event::set(
                "T",
                at,
                [("assignment_group", ["desk", "network"][usize::from(value) % 2])],
            ),
            _ => Event::created("T", at, [("status", status), ("status", "new")]),
        });
    }
    out
}

fn check_cycles(policy: &Policy, calendar: &BusinessCalendar, timeline: &Timeline, as_of: DateTime<Utc>) {
    let Ok(evaluation) = evaluate(policy, calendar, timeline, as_of) else {
        return;
    };
    for cycle in &evaluation.cycles {
        assert!(cycle.business_used <= cycle.wall_used, "{cycle:?}");
        assert!(cycle.business_used >= TimeDelta::zero() && cycle.paused_wall >= TimeDelta::zero());
        let segments = cycle.segments(calendar);
        let counting: TimeDelta = segments
            .iter()
            .filter(|s| s.kind == SegmentKind::Counting)
            .map(|s| s.to - s.from)
            .sum();
        if policy.target().measure() != servicelevel::policy::Measure::WallClock {
            assert_eq!(counting, cycle.business_used, "{cycle:?}");
        }
        let mut cursor = cycle.start;
        for s in &segments {
            assert_eq!(s.from, cursor, "{segments:?}");
            assert!(s.to > s.from, "{segments:?}");
            cursor = s.to;
        }
        assert_eq!(cursor, as_of.max(cycle.start), "{segments:?}");
        let _ = cycle.elapsed_percent();
        let _ = cycle.wall_elapsed_percent();
    }
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let Some((json, rest)) = split(data) else { return };
    let Some(policy) = crate::policy(json) else {
        return;
    };
    let mut bytes = Bytes(rest);
    let calendar = &calendars()[usize::from(bytes.u8().unwrap_or(0) % 2)];
    let events = events(&mut bytes);
    let later = TimeDelta::minutes(i64::from(bytes.u16().unwrap_or(600)));

    // Lenient: every event used or reported.
    if let Ok(built) = Timeline::build(events.clone(), &TimelineOptions::lenient()) {
        assert_eq!(built.timeline.events().len() + built.diagnostics.len(), events.len());
        let timeline = built.timeline;
        let as_of = timeline.events().last().map_or(timeline.created_at(), |e| e.at()) + later;
        check_cycles(&policy, calendar, &timeline, as_of);
        let batch = Evaluator::new()
            .policy(policy.clone(), calendar.clone())
            .evaluate(&timeline, as_of);
        let single = evaluate(&policy, calendar, &timeline, as_of);
        assert_eq!(batch.len(), 1);
        assert_eq!(batch[0].as_ref().ok(), single.as_ref().ok());
        report(&policy, calendar, &timeline, as_of);
    }

    // Borrowed: the column path's outcome is the owned one's, through one
    // cache used twice (its lent outcome reused).
    let ticket = events
        .first()
        .map_or_else(|| TicketId::new("T"), |e| e.ticket().clone());
    let refs: Vec<EventRef<'_>> = events.iter().map(EventRef::from).collect();
    let as_of = events.iter().map(Event::at).max().unwrap_or(DateTime::UNIX_EPOCH) + later;
    let evaluator = Evaluator::new().policy(policy.clone(), calendar.clone());
    let owned: Vec<Event> = refs.iter().map(|r| r.to_event(&ticket)).collect();
    if let Some(expected) = evaluator.evaluate_all([owned], as_of).next() {
        let mut cache = EvaluatorCache::default();
        assert_eq!(evaluator.evaluate_refs(&mut cache, &ticket, &refs, as_of), &expected);
        assert_eq!(evaluator.evaluate_refs(&mut cache, &ticket, &refs, as_of), &expected);
    }

    // Strict: the live clock equals batch evaluation on every prefix.
    let Ok(whole) = Timeline::new(events.clone()) else {
        return;
    };
    let mut clock = SlaClock::new(&policy, calendar);
    for k in 0..events.len() {
        if clock.push(&events[k]).is_err() {
            return;
        }
        let as_of = events[k].at() + TimeDelta::minutes(30);
        let prefix = Timeline::new(events[..=k].to_vec()).unwrap();
        let live = clock.at(as_of).ok();
        assert_eq!(live, evaluate(&policy, calendar, &prefix, as_of).ok());
        if events.get(k + 1).is_none_or(|next| next.at() > as_of) {
            assert_eq!(live, evaluate(&policy, calendar, &whole, as_of).ok());
        }
    }
}

/// The ticket in a monthly report of one service with the policy: every
/// ticket is counted or reported.
fn report(policy: &Policy, calendar: &BusinessCalendar, timeline: &Timeline, as_of: DateTime<Utc>) {
    let Ok(service) = Service::builder("desk", "Desk", "hours").policy(policy.clone()).build() else {
        return;
    };
    let Ok(catalog) = Catalog::builder()
        .calendar("hours", calendar.clone())
        .service(service)
        .build()
    else {
        return;
    };
    let Ok(spec) = ReportSpec::builder(catalog)
        .lifecycle(Lifecycle::servicenow())
        .periods(Period::Month, servicelevel::chrono_tz::UTC)
        .build()
    else {
        return;
    };
    let mut reporter = spec.reporter(as_of);
    if reporter.add("desk", timeline).is_err() {
        return;
    }
    let report = reporter.finish();
    let _ = report.rows();
}

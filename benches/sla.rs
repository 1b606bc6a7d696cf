//! SLA clock benchmarks (criterion).
//!
//! Calendar: Mon-Fri 09:00-17:00 America/New_York. Policies: ServiceNow
//! response (1-8 h by priority) and resolution (4-40 h by priority, paused
//! on hold, counted from creation). Tickets: synthetic, seeded, 8 events
//! each (creation, assignment, work started, an agent reply, on hold,
//! back in progress, resolved, closed), spread over 2023-2025 with gaps of
//! minutes to days.
//!
//! - `sla/evaluate_2_policies`: both policies on 10,000 prebuilt timelines
//!   through `Evaluator::evaluate_timelines` (one pass over each ticket's events);
//!   divide by 20,000 for one ticket-policy evaluation.
//! - `sla/evaluate_one_policy_twice`: the same with two `evaluate` calls.
//! - `sla/stream_ticket`: one ticket built from its events (strict), then
//!   evaluated against both policies, as a stream does it.
//! - `sla/par_evaluate_2_policies`, `sla/par_stream_ticket` (with
//!   `--features parallel`): the same two on every core.
//! - Run with `STREAM_TICKETS=1000000` to also stream that many tickets
//!   once and print the throughput and the peak memory before and after
//!   (Linux `VmHWM`): first as owned events through `Evaluator::evaluate_all`,
//!   then as a column reader feeds them, borrowed events from names and
//!   values interned once through `Evaluator::evaluate_refs` and one cache
//!   (the same tickets: the met and breached counts agree).

mod common;

use std::hint::black_box;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use common::{Rng, by_priority};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
#[cfg(feature = "parallel")]
use rayon::prelude::*;
use servicelevel::eval::{Evaluation, Evaluator, EvaluatorCache, evaluate};
use servicelevel::event::{Action, Event, EventRef, Field, TicketId, Timeline, Value};
use servicelevel::policy::Lifecycle;
use servicelevel::policy::{Policy, presets};
use std::fmt::Write as _;

const TICKETS: usize = 10_000;

fn policies() -> (Policy, Policy) {
    (
        presets::servicenow_response(&Lifecycle::servicenow(), by_priority([1, 2, 4, 8])).unwrap(),
        presets::servicenow_resolution(&Lifecycle::servicenow(), by_priority([4, 8, 24, 40])).unwrap(),
    )
}

/// A ticket's creation instant, priority and the instants of its seven
/// later events.
fn ticket_shape(rng: &mut Rng) -> (DateTime<Utc>, usize, [DateTime<Utc>; 7]) {
    let base = Utc.with_ymd_and_hms(2023, 1, 2, 0, 0, 0).unwrap();
    let created: DateTime<Utc> = base + TimeDelta::minutes(rng.next(3 * 365 * 24 * 60) as i64);
    let priority = rng.next(4) as usize;
    let mut at = created;
    let later = [120, 240, 600, 1_440, 2_880, 2_880, 4_320].map(|max| {
        at += TimeDelta::minutes(1 + rng.next(max) as i64);
        at
    });
    (created, priority, later)
}

const PRIORITIES: [&str; 4] = ["1", "2", "3", "4"];

fn ticket_events(rng: &mut Rng, n: usize) -> Vec<Event> {
    let id = format!("INC{n:07}");
    let (created, priority, later) = ticket_shape(rng);
    let mut gaps = later.into_iter();
    let mut next = || gaps.next().unwrap();
    let id = id.as_str();
    vec![
        Event::created(id, created, [("status", "new"), ("priority", PRIORITIES[priority])]),
        Event::set(id, next(), [("assignee", "agent")]),
        Event::set(id, next(), [("status", "in_progress")]),
        Event::action(id, next(), "agent_reply"),
        Event::set(id, next(), [("status", "on_hold")]),
        Event::set(id, next(), [("status", "in_progress")]),
        Event::set(id, next(), [("status", "resolved")]),
        Event::set(id, next(), [("status", "closed")]),
    ]
}

fn as_of() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
}

fn bench_evaluate(c: &mut Criterion) {
    let calendar = common::new_york_office();
    let (response, resolution) = policies();
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let timelines: Vec<Timeline> = (0..TICKETS)
        .map(|n| Timeline::new(ticket_events(&mut rng, n)).unwrap())
        .collect();
    let evaluator = Evaluator::new()
        .policy(response.clone(), calendar.clone())
        .policy(resolution.clone(), calendar.clone());
    let mut group = c.benchmark_group("sla");
    group.throughput(Throughput::Elements(2 * TICKETS as u64));
    group.bench_function("evaluate_2_policies", |b| {
        b.iter(|| {
            for results in evaluator.evaluate_timelines(&timelines, as_of()) {
                black_box(results);
            }
        })
    });
    group.bench_function("evaluate_one_policy_twice", |b| {
        b.iter(|| {
            for timeline in &timelines {
                black_box(evaluate(&response, &calendar, timeline, as_of()).unwrap());
                black_box(evaluate(&resolution, &calendar, timeline, as_of()).unwrap());
            }
        })
    });
    let events: Vec<Vec<Event>> = {
        let mut rng = Rng(0x5eed_1234_abcd_ef01);
        (0..TICKETS).map(|n| ticket_events(&mut rng, n)).collect()
    };
    group.throughput(Throughput::Elements(TICKETS as u64));
    group.bench_function("stream_ticket", |b| {
        b.iter_batched(
            || events.clone(),
            |events| {
                for outcome in evaluator.evaluate_all(events, as_of()) {
                    black_box(outcome);
                }
            },
            criterion::BatchSize::LargeInput,
        )
    });
    #[cfg(feature = "parallel")]
    bench_parallel(&mut group, &evaluator, &timelines, &events);
    group.finish();
    stream_once(&evaluator);
    stream_once_borrowed(&evaluator);
}

/// The same work on every core (`--features parallel`): compare with
/// `evaluate_2_policies` and `stream_ticket`.
#[cfg(feature = "parallel")]
fn bench_parallel(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    evaluator: &Evaluator,
    timelines: &[Timeline],
    events: &[Vec<Event>],
) {
    group.throughput(Throughput::Elements(2 * TICKETS as u64));
    group.bench_function("par_evaluate_2_policies", |b| {
        b.iter(|| {
            evaluator
                .par_evaluate_timelines(timelines, as_of())
                .for_each(|results| drop(black_box(results)))
        })
    });
    group.throughput(Throughput::Elements(TICKETS as u64));
    group.bench_function("par_stream_ticket", |b| {
        b.iter_batched(
            || events.to_vec(),
            |events| {
                evaluator
                    .par_evaluate_all(events, as_of())
                    .for_each(|outcome| drop(black_box(outcome)))
            },
            criterion::BatchSize::LargeInput,
        )
    });
}

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Streams `STREAM_TICKETS` generated tickets through the evaluator once.
fn stream_once(evaluator: &Evaluator) {
    let Some(count) = stream_tickets() else {
        return;
    };
    let before = peak_memory_kib();
    let mut rng = Rng(0xfeed_beef_0123_4567);
    let started = std::time::Instant::now();
    let tickets = (0..count).map(|n| ticket_events(&mut rng, n));
    let mut verdicts = Verdicts::default();
    for outcome in evaluator.evaluate_all(tickets, as_of()) {
        for evaluation in outcome.evaluations.unwrap() {
            verdicts.count(&evaluation.unwrap());
        }
    }
    verdicts.print("owned events", count, started, before);
}

/// `STREAM_TICKETS`, when set.
fn stream_tickets() -> Option<usize> {
    std::env::var("STREAM_TICKETS").ok()?.parse().ok()
}

/// The met and breached evaluations of a stream.
#[derive(Default)]
struct Verdicts {
    met: usize,
    breached: usize,
}

impl Verdicts {
    fn count(&mut self, evaluation: &Evaluation) {
        match evaluation.state() {
            servicelevel::eval::State::Met => self.met += 1,
            servicelevel::eval::State::Breached => self.breached += 1,
            _ => {}
        }
    }

    fn print(&self, way: &str, count: usize, started: std::time::Instant, before: Option<u64>) {
        let elapsed = started.elapsed();
        println!(
            "streamed ({way}) {count} tickets x 2 policies in {elapsed:?} ({:.0} ns per ticket-policy evaluation, generation included); met {}, breached {}; peak memory {:?} KiB before, {:?} KiB after",
            elapsed.as_nanos() as f64 / (2 * count) as f64,
            self.met,
            self.breached,
            before,
            peak_memory_kib()
        );
    }
}

criterion_group!(benches, bench_evaluate);
criterion_main!(benches);

/// The same stream as [`stream_once`], as a column reader would feed it:
/// names and values interned once, each ticket's events borrowed from
/// them (`EventRef`), one cache whose outcome is lent and reused.
fn stream_once_borrowed(evaluator: &Evaluator) {
    let Some(count) = stream_tickets() else {
        return;
    };
    let before = peak_memory_kib();
    let (status, priority, assignee) = (Field::new("status"), Field::new("priority"), Field::new("assignee"));
    let value = |text: &str| Value::new(text);
    let (new, agent, in_progress, on_hold) = (value("new"), value("agent"), value("in_progress"), value("on_hold"));
    let (resolved, closed) = (value("resolved"), value("closed"));
    let priorities = PRIORITIES.map(value);
    let reply = Action::new("agent_reply");
    let changes = [
        [(&assignee, Some(&agent))],
        [(&status, Some(&in_progress))],
        [(&status, Some(&on_hold))],
        [(&status, Some(&in_progress))],
        [(&status, Some(&resolved))],
        [(&status, Some(&closed))],
    ];
    let mut rng = Rng(0xfeed_beef_0123_4567);
    let mut cache = EvaluatorCache::default();
    let mut id = String::new();
    let mut verdicts = Verdicts::default();
    let started = std::time::Instant::now();
    for n in 0..count {
        let (created, p, later) = ticket_shape(&mut rng);
        let fields = [(&status, &new), (&priority, &priorities[p])];
        let events = [
            EventRef::created(created, &fields),
            EventRef::changed(later[0], &changes[0]),
            EventRef::changed(later[1], &changes[1]),
            EventRef::action(later[2], &reply),
            EventRef::changed(later[3], &changes[2]),
            EventRef::changed(later[4], &changes[3]),
            EventRef::changed(later[5], &changes[4]),
            EventRef::changed(later[6], &changes[5]),
        ];
        id.clear();
        write!(id, "INC{n:07}").unwrap();
        let outcome = evaluator.evaluate_refs(&mut cache, &TicketId::new(&id), &events, as_of());
        for evaluation in outcome.evaluations.as_ref().unwrap() {
            verdicts.count(evaluation.as_ref().unwrap());
        }
    }
    verdicts.print("borrowed events, lent outcomes", count, started, before);
}

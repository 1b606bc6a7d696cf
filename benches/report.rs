//! Service review benchmark (criterion): the `Reporter` over synthetic,
//! seeded tickets.
//!
//! Calendar: Mon-Fri 09:00-17:00 America/New_York. Service: the ServiceNow
//! response (1-8 h by priority) and resolution (4-40 h, paused on hold)
//! presets plus a 16 h team OLA per assignment group. Tickets: 10,000
//! spread over 2023-2025, 9 events each (creation in one of 20 groups,
//! assignment, work started, a reassignment to another group, on hold,
//! back in progress, resolved, closed), one in ten reopened and resolved
//! again. Report: per calendar month in New York (36 months) and in total,
//! as of 2026-01-01, broken down by priority.
//!
//! - `report/monthly_review`: `Reporter::add` for every ticket, then
//!   `finish`; divide by 10,000 for one ticket.
//! - `report/total_only`: the same without periods (one evaluation per
//!   ticket and policy), to show what the per-period re-evaluation costs.
//! - `report/par_monthly_review` (with `--features parallel`): the monthly
//!   review through `Reporter::par_add` and `par_finish` on every core (checked equal to the
//!   serial report first).
//!
//! With `REPORT_TICKETS=1000000` (and `--features parallel`) the bench then
//! generates that many tickets the same way and makes the monthly review of
//! them once serially and once on every core, checks the two reports equal,
//! and prints both times (best of `REPORT_RUNS`, default 3, each) and their
//! ratio: the whole-size check of the both-cores figure.

mod common;

use std::hint::black_box;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use common::{Rng, by_priority};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use servicelevel::calendar::Period;
use servicelevel::event::{Event, Timeline};
use servicelevel::policy::{Condition, Target, presets};
use servicelevel::policy::{Lifecycle, TeamOla};
use servicelevel::report::{Catalog, ReportSpec, Service};

const TICKETS: usize = 10_000;
const SERVICE: &str = "desk";

fn catalog() -> Catalog {
    let ola = TeamOla::with_conditions(
        "assignment_group",
        Target::business(TimeDelta::hours(16)),
        Condition::is_in("status", ["resolved", "closed", "canceled"]),
        Condition::equals("status", "on_hold"),
    )
    .unwrap();
    let service = Service::builder(SERVICE, "Service desk", "office")
        .policy(presets::servicenow_response(&Lifecycle::servicenow(), by_priority([1, 2, 4, 8])).unwrap())
        .policy(presets::servicenow_resolution(&Lifecycle::servicenow(), by_priority([4, 8, 24, 40])).unwrap())
        .team_ola(ola)
        .build()
        .unwrap();
    Catalog::builder()
        .calendar("office", common::new_york_office())
        .service(service)
        .build()
        .unwrap()
}

fn ticket(rng: &mut Rng, n: usize) -> Timeline {
    let id = format!("INC{n:07}");
    let id = id.as_str();
    let base = Utc.with_ymd_and_hms(2023, 1, 2, 0, 0, 0).unwrap();
    let mut at: DateTime<Utc> = base + TimeDelta::minutes(rng.next(3 * 365 * 24 * 60) as i64);
    let priority = ["1", "2", "3", "4"][rng.next(4) as usize];
    let group = format!("G{}", rng.next(20));
    let other = format!("G{}", rng.next(20));
    let mut events = vec![Event::created(
        id,
        at,
        [
            ("status", "new"),
            ("priority", priority),
            ("assignment_group", group.as_str()),
        ],
    )];
    let mut step = |rng: &mut Rng, max: u64| {
        at += TimeDelta::minutes(1 + rng.next(max) as i64);
        at
    };
    events.push(Event::set(id, step(rng, 120), [("assignee", "agent")]));
    events.push(Event::set(id, step(rng, 240), [("status", "in_progress")]));
    events.push(Event::set(id, step(rng, 600), [("assignment_group", other.as_str())]));
    events.push(Event::set(id, step(rng, 1_440), [("status", "on_hold")]));
    events.push(Event::set(id, step(rng, 2_880), [("status", "in_progress")]));
    events.push(Event::set(id, step(rng, 2_880), [("status", "resolved")]));
    if rng.next(10) == 0 {
        events.push(Event::set(id, step(rng, 1_440), [("status", "in_progress")]));
        events.push(Event::set(id, step(rng, 2_880), [("status", "resolved")]));
    }
    events.push(Event::set(id, step(rng, 4_320), [("status", "closed")]));
    Timeline::new(events).unwrap()
}

fn review(timelines: &[Timeline], catalog: &Catalog, periods: bool) -> servicelevel::report::Report {
    let lifecycle = Lifecycle::new("status", ["resolved"], ["closed", "canceled"])
        .unwrap()
        .assignment_group("assignment_group");
    let as_of = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let mut spec = ReportSpec::builder(catalog.clone())
        .lifecycle(lifecycle)
        .breakdown("priority");
    if periods {
        spec = spec.periods(Period::Month, chrono_tz::America::New_York);
    }
    let mut reporter = spec.build().unwrap().reporter(as_of);
    for timeline in timelines {
        reporter.add(SERVICE, timeline).unwrap();
    }
    reporter.finish()
}

/// The monthly review on every core (`--features parallel`).
#[cfg(feature = "parallel")]
fn par_review(tickets: &[(&str, Timeline)], catalog: &Catalog) -> servicelevel::report::Report {
    let lifecycle = Lifecycle::new("status", ["resolved"], ["closed", "canceled"])
        .unwrap()
        .assignment_group("assignment_group");
    let as_of = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let spec = ReportSpec::builder(catalog.clone())
        .lifecycle(lifecycle)
        .breakdown("priority")
        .periods(Period::Month, chrono_tz::America::New_York);
    let mut reporter = spec.build().unwrap().reporter(as_of);
    reporter.par_add(tickets).unwrap();
    reporter.par_finish()
}

fn bench_report(c: &mut Criterion) {
    let catalog = catalog();
    let mut rng = Rng(0x5eed_4321_dcba_fe10);
    let timelines: Vec<Timeline> = (0..TICKETS).map(|n| ticket(&mut rng, n)).collect();
    let mut group = c.benchmark_group("report");
    group.sample_size(20);
    group.throughput(Throughput::Elements(TICKETS as u64));
    group.bench_function("monthly_review", |b| {
        b.iter(|| black_box(review(&timelines, &catalog, true)))
    });
    group.bench_function("total_only", |b| {
        b.iter(|| black_box(review(&timelines, &catalog, false)))
    });
    #[cfg(feature = "parallel")]
    {
        let tickets: Vec<(&str, Timeline)> = timelines.iter().map(|t| (SERVICE, t.clone())).collect();
        assert_eq!(par_review(&tickets, &catalog), review(&timelines, &catalog, true));
        group.bench_function("par_monthly_review", |b| {
            b.iter(|| black_box(par_review(&tickets, &catalog)))
        });
    }
    group.finish();
    #[cfg(feature = "parallel")]
    review_once(&catalog);
}

/// The monthly review of `REPORT_TICKETS` generated tickets, serially and
/// on every core, best of `REPORT_RUNS` each.
#[cfg(feature = "parallel")]
fn review_once(catalog: &Catalog) {
    let Some(count) = std::env::var("REPORT_TICKETS")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    else {
        return;
    };
    let runs = std::env::var("REPORT_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(3);
    let mut rng = Rng(0x5eed_4321_dcba_fe10);
    let tickets: Vec<(&str, Timeline)> = (0..count).map(|n| (SERVICE, ticket(&mut rng, n))).collect();
    let timelines: Vec<Timeline> = tickets.iter().map(|(_, t)| t.clone()).collect();
    let best = |run: &dyn Fn() -> servicelevel::report::Report| {
        let mut best = std::time::Duration::MAX;
        let mut report = None;
        for _ in 0..runs {
            let started = std::time::Instant::now();
            let made = run();
            best = best.min(started.elapsed());
            report = Some(made);
        }
        (best, report.expect("at least one run"))
    };
    let (serial, serial_report) = best(&|| review(&timelines, catalog, true));
    let (parallel, parallel_report) = best(&|| par_review(&tickets, catalog));
    assert_eq!(parallel_report, serial_report, "the parallel report is the serial one");
    println!(
        "monthly review of {count} tickets: serial {serial:?}, every core ({} threads) {parallel:?}, {:.2}x (best of {runs} each)",
        rayon::current_num_threads(),
        serial.as_secs_f64() / parallel.as_secs_f64()
    );
}

criterion_group!(benches, bench_report);
criterion_main!(benches);

//! Availability benchmarks (criterion).
//!
//! Agreed service time: Mon-Fri 09:00-17:00 America/New_York, with a weekly
//! maintenance window (Sunday 02:00-04:00, outside hours) and the
//! status-page weights. Outages: 1,000,000 synthetic, seeded, from 2000 to
//! 2049, one to 20 minutes long, a fifth of them partial, so that many
//! overlap.
//!
//! - `availability/history_and_monthly_report_1m`: the whole job of the
//!   issue's performance criterion: sort and merge the million outages
//!   (`Agreement::history`), then measure them against the calendar for
//!   each of the 120 calendar months and in total, and list the outages
//!   that counted nowhere (`History::report`).
//! - `availability/history_1m`: `Agreement::history` alone.
//! - `availability/history_and_monthly_report_1m_in_order`: the whole job on
//!   the same outages given in start order, as exports usually are (the
//!   sort is then skipped).
//! - `availability/monthly_report_1m`: the report alone, on a prepared
//!   history.

mod common;

use std::hint::black_box;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc, Weekday};
use common::Rng;
use criterion::{Criterion, criterion_group, criterion_main};
use servicelevel::BusinessCalendar;
use servicelevel::availability::{Agreement, Impact, Maintenance, Outage};
use servicelevel::calendar::Period;
use servicelevel::calendar::{MONDAY_TO_FRIDAY, Window};

const OUTAGES: usize = 1_000_000;

fn agreement() -> Agreement {
    let horizon = (
        NaiveDate::from_ymd_opt(1999, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2052, 1, 1).unwrap(),
    );
    let tz = chrono_tz::America::New_York;
    let hours = BusinessCalendar::builder(tz)
        .weekdays(&MONDAY_TO_FRIDAY, "09:00-17:00".parse::<Window>().unwrap())
        .horizon(horizon.0, horizon.1)
        .build()
        .unwrap();
    let sundays = BusinessCalendar::builder(tz)
        .window(Weekday::Sun, "02:00-04:00".parse::<Window>().unwrap())
        .horizon(horizon.0, horizon.1)
        .build()
        .unwrap();
    Agreement::builder(hours)
        .maintenance(Maintenance {
            windows: Vec::new(),
            recurring: Some(sundays),
        })
        .build()
        .unwrap()
}

fn outages() -> Vec<Outage> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let first = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).unwrap();
    let span = (TimeDelta::days(365 * 50)).num_seconds() as u64;
    (0..OUTAGES)
        .map(|_| {
            let start = first + TimeDelta::seconds(rng.next(span) as i64);
            let end = start + TimeDelta::minutes(1 + rng.next(20) as i64);
            let impact = if rng.next(5) == 0 {
                Impact::Partial
            } else {
                Impact::Major
            };
            Outage::new(start, end, impact).unwrap()
        })
        .collect()
}

fn months() -> (Vec<servicelevel::Interval>, DateTime<Utc>) {
    let from = Utc.with_ymd_and_hms(2000, 1, 1, 12, 0, 0).unwrap();
    let to = Utc.with_ymd_and_hms(2049, 12, 31, 12, 0, 0).unwrap();
    let months = Period::Month.windows(chrono_tz::America::New_York, from, to).unwrap();
    (months, Utc.with_ymd_and_hms(2050, 1, 2, 0, 0, 0).unwrap())
}

fn bench(c: &mut Criterion) {
    let agreement = agreement();
    let outages = outages();
    let (months, as_of) = months();
    let mut group = c.benchmark_group("availability");
    group.sample_size(20);
    group.bench_function("history_and_monthly_report_1m", |b| {
        b.iter(|| {
            let history = agreement.history(black_box(&outages), as_of).unwrap();
            black_box(history.report(&months).unwrap())
        })
    });
    group.bench_function("history_1m", |b| {
        b.iter(|| black_box(agreement.history(black_box(&outages), as_of).unwrap()))
    });
    let mut in_order = outages.clone();
    in_order.sort_by_key(|o| o.start());
    group.bench_function("history_and_monthly_report_1m_in_order", |b| {
        b.iter(|| {
            let history = agreement.history(black_box(&in_order), as_of).unwrap();
            black_box(history.report(&months).unwrap())
        })
    });
    let history = agreement.history(&outages, as_of).unwrap();
    group.bench_function("monthly_report_1m", |b| {
        b.iter(|| black_box(history.report(black_box(&months)).unwrap()))
    });
    group.finish();
    let report = history.report(&months).unwrap();
    println!(
        "total availability {} over {} months, {} failures, {} outages unused",
        report.total.availability,
        report.windows.len(),
        report.total.failures,
        report.unused.len()
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);

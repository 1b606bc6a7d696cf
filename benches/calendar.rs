//! Calendar benchmarks (criterion).
//!
//! Calendar: Mon-Fri 09:00-17:00 America/New_York with the US federal
//! holidays (observed dates) of 2023-2025. Queries: 100,000 seeded random
//! pairs inside 2023-2025, spans from one minute to 30 days; then the same
//! number of queries with spans of exactly one hour and exactly 30 days, to
//! show the cost does not grow with the span. Times are per batch of
//! 100,000 queries: divide by 100,000 for the cost of one.

use std::hint::black_box;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use servicelevel::BusinessCalendar;
use servicelevel::calendar::{MONDAY_TO_FRIDAY, Window};

const QUERIES: usize = 100_000;

/// US federal holidays 2023-2025 as observed (OPM).
const US_FEDERAL_HOLIDAYS: [&str; 33] = [
    "2023-01-02",
    "2023-01-16",
    "2023-02-20",
    "2023-05-29",
    "2023-06-19",
    "2023-07-04",
    "2023-09-04",
    "2023-10-09",
    "2023-11-10",
    "2023-11-23",
    "2023-12-25",
    "2024-01-01",
    "2024-01-15",
    "2024-02-19",
    "2024-05-27",
    "2024-06-19",
    "2024-07-04",
    "2024-09-02",
    "2024-10-14",
    "2024-11-11",
    "2024-11-28",
    "2024-12-25",
    "2025-01-01",
    "2025-01-20",
    "2025-02-17",
    "2025-05-26",
    "2025-06-19",
    "2025-07-04",
    "2025-09-01",
    "2025-10-13",
    "2025-11-11",
    "2025-11-27",
    "2025-12-25",
];

fn calendar(horizon: Option<(NaiveDate, NaiveDate)>) -> BusinessCalendar {
    let mut builder = BusinessCalendar::builder(chrono_tz::America::New_York)
        .weekdays(&MONDAY_TO_FRIDAY, "09:00-17:00".parse::<Window>().unwrap());
    for day in US_FEDERAL_HOLIDAYS {
        builder = builder.holiday(day.parse().unwrap());
    }
    if let Some((start, end)) = horizon {
        builder = builder.horizon(start, end);
    }
    builder.build().unwrap()
}

/// SplitMix64: a seeded generator, so every run queries the same pairs.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> i64 {
        (self.next() % n) as i64
    }
}

/// `QUERIES` pairs starting in 2023-01-01..2025-12-01 with spans drawn from
/// `min_span..=max_span` seconds.
fn pairs(seed: u64, min_span: i64, max_span: i64) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let start = DateTime::parse_from_rfc3339("2023-01-01T00:00:00Z")
        .unwrap()
        .timestamp();
    let end = DateTime::parse_from_rfc3339("2025-12-01T00:00:00Z")
        .unwrap()
        .timestamp();
    let mut rng = SplitMix(seed);
    (0..QUERIES)
        .map(|_| {
            let from = start + rng.below((end - start) as u64);
            let span = min_span + rng.below((max_span - min_span + 1) as u64);
            (
                DateTime::from_timestamp(from, 0).unwrap(),
                DateTime::from_timestamp(from + span, 0).unwrap(),
            )
        })
        .collect()
}

fn bench_business_time(c: &mut Criterion) {
    let calendar = calendar(None);
    let mut group = c.benchmark_group("business_time");
    group.throughput(Throughput::Elements(QUERIES as u64));
    for (name, min, max) in [
        ("mixed_1min_to_30d", 60, 30 * 86_400),
        ("span_1h", 3_600, 3_600),
        ("span_30d", 30 * 86_400, 30 * 86_400),
    ] {
        let queries = pairs(42, min, max);
        group.bench_function(name, |b| {
            b.iter(|| {
                for &(from, to) in &queries {
                    black_box(calendar.business_time(black_box(from), black_box(to)));
                }
            })
        });
    }
    group.finish();
}

fn bench_add_business_time(c: &mut Criterion) {
    let calendar = calendar(None);
    let mut group = c.benchmark_group("add_business_time");
    group.throughput(Throughput::Elements(QUERIES as u64));
    for (name, min, max) in [
        ("mixed_1min_to_30d", 60, 30 * 86_400),
        ("span_1h", 3_600, 3_600),
        ("span_30d", 30 * 86_400, 30 * 86_400),
    ] {
        // The amount is the pair's span read as business time: up to 30 days
        // of business time, that is, months of calendar time.
        let queries: Vec<(DateTime<Utc>, TimeDelta)> =
            pairs(7, min, max).into_iter().map(|(a, b)| (a, b - a)).collect();
        group.bench_function(name, |b| {
            b.iter(|| {
                for &(from, amount) in &queries {
                    let _ = black_box(calendar.add_business_time(black_box(from), black_box(amount)));
                }
            })
        });
    }
    group.finish();
}

fn bench_build(c: &mut Criterion) {
    let mut group = c.benchmark_group("build");
    let ten_years = (
        NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
    );
    group.bench_function("horizon_10_years", |b| b.iter(|| calendar(Some(black_box(ten_years)))));
    group.bench_function("default_horizon_130_years", |b| b.iter(|| calendar(None)));
    // The UK office of testdata/calendar/uk_substitute_days.json: Easter
    // days, substitute days, and a short last working day every month.
    let uk_rules = |builder: servicelevel::calendar::CalendarBuilder| {
        use servicelevel::calendar::{Observance, RecurringRule};
        let mut builder = builder.weekdays(&MONDAY_TO_FRIDAY, "09:00-17:30".parse().unwrap());
        for day in ["01-01", "12-25", "12-26"] {
            let rule = RecurringRule::closed(day.parse().unwrap()).observed(Observance::UkSubstitute);
            builder = builder.recurring(rule.unwrap());
        }
        for day in [
            "easter-2",
            "easter+1",
            "1st mon of may",
            "last mon of may",
            "last mon of aug",
        ] {
            builder = builder.recurring(RecurringRule::closed(day.parse().unwrap()));
        }
        let short = vec!["09:00-13:00".parse().unwrap()];
        let last = RecurringRule::hours("last working day of month".parse().unwrap(), short).unwrap();
        builder.recurring(last)
    };
    group.bench_function("uk_rules_10_years", |b| {
        b.iter(|| {
            uk_rules(BusinessCalendar::builder(chrono_tz::Europe::London).horizon(ten_years.0, ten_years.1))
                .build()
                .unwrap()
        })
    });
    group.bench_function("uk_rules_default_horizon", |b| {
        b.iter(|| {
            uk_rules(BusinessCalendar::builder(chrono_tz::Europe::London))
                .build()
                .unwrap()
        })
    });
    let new_york = calendar(Some(ten_years));
    group.bench_function("with_time_zone_10_years", |b| {
        b.iter(|| new_york.with_time_zone(black_box(chrono_tz::Asia::Tokyo)).unwrap())
    });
    // The largest calendar the caps allow in practice: a 400-year horizon
    // (MAX_HORIZON_DAYS) with twelve one-hour windows every weekday, about
    // 1.25 million open spans (MAX_OPEN_SPANS is 2^21).
    let hourly: Vec<Window> = (0..12)
        .map(|k| format!("{:02}:00-{:02}:00", 2 * k, 2 * k + 1).parse().unwrap())
        .collect();
    let (first, end) = (
        NaiveDate::from_ymd_opt(1800, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2199, 12, 31).unwrap(),
    );
    group.sample_size(10);
    group.bench_function("largest_400_years_1_25m_spans", |b| {
        b.iter(|| {
            let mut builder = BusinessCalendar::builder(chrono_tz::Europe::Berlin).horizon(first, end);
            for window in &hourly {
                builder = builder.weekdays(&MONDAY_TO_FRIDAY, *window);
            }
            builder.build().unwrap()
        })
    });
    group.finish();
}

/// Open one minute a year (00:00-00:01 UTC on 1 January), asked for ten
/// years of business time: the answer (an error: the horizon holds 130
/// minutes) must come at once, not after a walk over the calendar.
/// The column kernels on the same pairs as nanoseconds since the epoch (the
/// unit pandas and Polars keep): in random order, sorted by start (the ends
/// then nearly sorted, not quite), and with both columns sorted.
fn bench_columns(c: &mut Criterion) {
    use servicelevel::calendar::{Convention, EpochUnit};
    let calendar = calendar(None);
    let mut group = c.benchmark_group("columns");
    group.throughput(Throughput::Elements(QUERIES as u64));
    let nanos = |t: DateTime<Utc>| t.timestamp_nanos_opt().unwrap();
    let mut queries = pairs(42, 60, 30 * 86_400);
    let random: (Vec<i64>, Vec<i64>) = queries.iter().map(|&(a, b)| (nanos(a), nanos(b))).unzip();
    queries.sort_unstable();
    let by_start: (Vec<i64>, Vec<i64>) = queries.iter().map(|&(a, b)| (nanos(a), nanos(b))).unzip();
    let mut both = by_start.clone();
    both.1.sort_unstable();
    for (name, (starts, ends)) in [
        ("business_time_random", &random),
        ("business_time_starts_sorted", &by_start),
        ("business_time_both_sorted", &both),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                calendar
                    .business_time_column(EpochUnit::Nanosecond, black_box(starts), black_box(ends))
                    .unwrap()
            })
        });
    }
    let (starts, amounts): (Vec<i64>, Vec<i64>) = pairs(7, 60, 30 * 86_400)
        .into_iter()
        .map(|(a, b)| (nanos(a), (b - a).num_nanoseconds().unwrap()))
        .unzip();
    group.bench_function("add_business_time_random", |b| {
        b.iter(|| {
            calendar
                .add_business_time_column(
                    EpochUnit::Nanosecond,
                    black_box(&starts),
                    black_box(&amounts),
                    Convention::EarliestInstant,
                )
                .unwrap()
        })
    });
    group.finish();
}

fn bench_sparse_calendar(c: &mut Criterion) {
    use servicelevel::calendar::{ClockTime, DateRange, EVERY_DAY, PartialClosure};
    let mut builder =
        BusinessCalendar::builder(chrono_tz::UTC).weekdays(&EVERY_DAY, "00:00-24:00".parse::<Window>().unwrap());
    for year in 1969..2100 {
        let new_year = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        let last = NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
        builder = builder
            .closed_range(DateRange::new(new_year.succ_opt().unwrap(), last).unwrap())
            .partial_closure(PartialClosure::from(new_year, ClockTime::hm(0, 1).unwrap()));
    }
    let calendar = builder.build().unwrap();
    let from = DateTime::parse_from_rfc3339("2000-06-01T00:00:00Z").unwrap().to_utc();
    c.bench_function("add_business_time/one_minute_a_year_ask_ten_years", |b| {
        b.iter(|| {
            calendar
                .add_business_time(black_box(from), black_box(TimeDelta::days(3652)))
                .is_err()
        })
    });
}

criterion_group!(
    benches,
    bench_business_time,
    bench_add_business_time,
    bench_columns,
    bench_build,
    bench_sparse_calendar
);
criterion_main!(benches);

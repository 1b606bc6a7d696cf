//! Export ingestion benchmark (criterion): the shipped ServiceNow UCI
//! profile over the shipped slice (`examples/data/servicenow_incidents_slice.csv`,
//! 8,938 rows, 1,304 incidents), rows already split into columns by the
//! csv crate, so the figure is the library's share: reading instants,
//! mapping values, grouping, sorting, diffing snapshots and building
//! timelines.
//!
//! - `ingest/servicenow_slice`: every row through `Ingest::row`, then
//!   `finish`; divide by 8,938 for one row.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use servicelevel::ExportProfile;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn bench(c: &mut Criterion) {
    let profile: ExportProfile =
        toml::from_str(&std::fs::read_to_string(format!("{ROOT}/examples/profiles/servicenow_uci.toml")).unwrap())
            .unwrap();
    let mut reader = csv::Reader::from_path(format!("{ROOT}/examples/data/servicenow_incidents_slice.csv")).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let mut group = c.benchmark_group("ingest");
    group.throughput(Throughput::Elements(rows.len() as u64));
    group.bench_function("servicenow_slice", |b| {
        b.iter(|| {
            let mut ingest = profile.ingest();
            ingest.source("slice", &header).unwrap();
            for row in &rows {
                ingest.row(row.iter());
            }
            black_box(ingest.finish())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

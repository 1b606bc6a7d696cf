//! The service review on real exports (criterion): the shipped profiles and
//! specs of `examples/profiles/` over the full exports in `../shared/data/`
//! when they are there, otherwise over the shipped slices of
//! `examples/data/` (so the bench runs on a fresh clone). Each run prints
//! which file it read.
//!
//! - `review/<export>/ingest`: every row through `Ingest::row` (rows already
//!   split by the csv crate, outside the timing), then `finish`: instants
//!   read, values mapped, rows grouped, sorted, diffed, built into timelines.
//! - `review/<export>/report`: a `Reporter` as of the export's latest row,
//!   every ticket added with its recorded verdict (one core), then `finish`.
//!
//! The exports: `servicenow` (UCI incident event log, 141,712 rows; the
//! slice 8,938) and `volvo` (BPI Challenge 2013 incidents, 65,533 rows; the
//! sample is the shipped one).

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use servicelevel::{ExportProfile, ReportSpec};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

struct Export {
    name: &'static str,
    profile: &'static str,
    spec: &'static str,
    shared: &'static str,
    shipped: &'static str,
}

const EXPORTS: [Export; 2] = [
    Export {
        name: "servicenow",
        profile: "examples/profiles/servicenow_uci.toml",
        spec: "examples/profiles/servicenow_uci.review.json",
        shared: "../shared/data/servicenow/incident_event_log.csv",
        shipped: "examples/data/servicenow_incidents_slice.csv",
    },
    Export {
        name: "volvo",
        profile: "examples/profiles/volvo_bpi2013.toml",
        spec: "examples/profiles/volvo_bpi2013.review.json",
        shared: "../shared/data/bpi2013/bpi_challenge_2013_incidents.csv",
        shipped: "examples/data/volvo_incidents_sample.csv",
    },
];

/// The full export when it is there, else the shipped slice.
fn data_file(export: &Export) -> PathBuf {
    let shared = Path::new(ROOT).join(export.shared);
    if shared.is_file() {
        shared
    } else {
        Path::new(ROOT).join(export.shipped)
    }
}

fn bench(c: &mut Criterion) {
    for export in &EXPORTS {
        let read = |path: &str| std::fs::read_to_string(Path::new(ROOT).join(path)).unwrap();
        let profile: ExportProfile = toml::from_str(&read(export.profile)).unwrap();
        let spec: ReportSpec = serde_json::from_str(&read(export.spec)).unwrap();
        let file = data_file(export);
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_path(&file).unwrap();
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        println!("review/{}: {} rows of {}", export.name, rows.len(), file.display());
        let ingest = || {
            let mut ingest = profile.ingest();
            ingest.source("export", &header).unwrap();
            for row in &rows {
                ingest.row(row.iter());
            }
            ingest.finish()
        };
        let ingested = ingest();
        let as_of = ingested.latest.unwrap();
        let service = spec.catalog().services()[0].id().to_string();
        let mut group = c.benchmark_group(format!("review/{}", export.name));
        group.sample_size(10);
        group.throughput(Throughput::Elements(rows.len() as u64));
        group.bench_function("ingest", |b| b.iter(|| black_box(ingest())));
        group.throughput(Throughput::Elements(ingested.timelines.len() as u64));
        group.bench_function("report", |b| {
            b.iter(|| {
                let mut reporter = spec.reporter(as_of);
                for timeline in &ingested.timelines {
                    let recorded = ingested.verdicts.get(timeline.ticket()).copied();
                    reporter.add_with_verdict(&service, timeline, recorded).unwrap();
                }
                black_box(reporter.finish())
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

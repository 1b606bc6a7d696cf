//! Times every input of a corpus through a target's body, outside libFuzzer
//! (no coverage instrumentation), and prints the distribution and the
//! slowest inputs: the check that no call takes over 10 ms.
//!
//! ```sh
//! cd fuzz && cargo run --profile timing --example replay -- sla corpus/sla
//! ```
//!
//! The first input runs once untimed, so that the one-off building of the
//! targets' shared state (their fixed calendars and policies) is not charged
//! to it; every input is then timed on its first run, its own calendars
//! built included. Each input makes several library calls, so its time
//! bounds every call's.

use std::time::{Duration, Instant};

use servicelevel_fuzz::targets;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: replay TARGET DIR_OR_FILE...";
    let target = args.next().ok_or(usage)?;
    let run: fn(&[u8]) = match target.as_str() {
        "availability" => targets::availability::run,
        "calendar" => targets::calendar::run,
        "ingest" => targets::ingest::run,
        "parsers" => targets::parsers::run,
        "sla" => targets::sla::run,
        other => return Err(format!("no target {other:?}; {usage}").into()),
    };
    let mut files = Vec::new();
    for path in args {
        let path = std::path::PathBuf::from(path);
        if path.is_dir() {
            for entry in std::fs::read_dir(&path)? {
                files.push(entry?.path());
            }
        } else {
            files.push(path);
        }
    }
    files.sort();
    if let Some(first) = files.first() {
        run(&std::fs::read(first)?);
    }
    let mut times = Vec::with_capacity(files.len());
    for file in &files {
        let data = std::fs::read(file)?;
        let start = Instant::now();
        run(&data);
        times.push((start.elapsed(), file));
    }
    times.sort();
    let at = |q: f64| {
        times
            .get(((times.len() as f64 - 1.0) * q) as usize)
            .map_or(Duration::ZERO, |t| t.0)
    };
    println!(
        "{target}: {} inputs; median {:?}, p99 {:?}, p99.9 {:?}, max {:?}; over 10 ms: {}",
        times.len(),
        at(0.5),
        at(0.99),
        at(0.999),
        at(1.0),
        times.iter().filter(|t| t.0 > Duration::from_millis(10)).count()
    );
    for (time, file) in times.iter().rev().take(5) {
        println!("  {time:?}  {}", file.display());
    }
    Ok(())
}

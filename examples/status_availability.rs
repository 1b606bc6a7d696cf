//! Monthly availability of GitHub from its status page's downtime windows.
//!
//! Reads `examples/data/github_downtime_windows.csv` (or the CSV given as
//! the first argument) in the mrshu/github-statuses format, and prints the
//! availability of each month under four readings of the impact levels,
//! with overlapping windows merged and maintenance excluded, then the rows
//! it could not use with the reason, and an accounting line that adds up.
//!
//! The mapping is this example's assumption, printed with the report:
//! `critical` is a major (full) outage, `major` a partial outage, `minor`
//! degraded performance, `maintenance` planned maintenance, and `none` is
//! not an outage. The agreed service time is 24x7 UTC.
//!
//! Then it reports the same outages as a service review does: a `Service`
//! with the availability commitment of GitHub's Enterprise Cloud SLA
//! (99.9% uptime per calendar quarter, downtime being any critical or
//! major incident, 10% service credit at or below 99.9%, 25% below 99.0%;
//! GitHub Enterprise Service Level Agreement, docs.github.com), through
//! `Reporter::add_outages`, with the verdict and credit per quarter.
//!
//! ```text
//! cargo run --features serde --example status_availability [-- [FILE] [--as-of RFC3339] [--calendar FILE.json] [--format json]]
//! ```
//!
//! `--format json` writes the `Report` (its metadata and catalog included);
//! `--calendar` measures the commitment over other agreed service hours
//! than 24x7 UTC (the monthly table stays 24x7).

// Only the command line and the calendar loading of the review examples'
// shared module are used here.
#[allow(dead_code)]
mod common;

use std::collections::BTreeMap;
use std::error::Error;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use servicelevel::availability::{Agreement, Impact, ImpactWeights, Maintenance, Outage, UnusedReason, Weight};
use servicelevel::calendar::Period;
use servicelevel::policy::Lifecycle;
use servicelevel::report::{Catalog, Commitment, Report, ReportSpec, Service, Verdict};
use servicelevel::{BusinessCalendar, Interval};

const DEFAULT: &str = "examples/data/github_downtime_windows.csv";

#[derive(serde::Deserialize)]
struct Row {
    incident_id: String,
    downtime_start: String,
    downtime_end: String,
    impact: String,
}

/// What one CSV row became.
enum Use {
    Outage(Outage),
    Maintenance(Interval),
}

fn interpret(row: &Row) -> Result<Use, String> {
    let instant = |text: &str| {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.to_utc())
            .map_err(|e| format!("bad timestamp `{text}`: {e}"))
    };
    let (start, end) = (instant(&row.downtime_start)?, instant(&row.downtime_end)?);
    let impact = match row.impact.as_str() {
        "critical" => Impact::Major,
        "major" => Impact::Partial,
        "minor" => Impact::Degraded,
        "maintenance" => {
            return Interval::new(start, end)
                .map(Use::Maintenance)
                .map_err(|e| e.to_string());
        }
        "none" => return Err("impact `none`: no downtime declared".into()),
        other => return Err(format!("unknown impact `{other}`")),
    };
    Outage::new(start, end, impact)
        .map(Use::Outage)
        .map_err(|e| e.to_string())
}

/// Critical and major incidents are downtime in full (the SLA counts a
/// minute with more than 5% errors as down); minor ones are not.
const SLA_WEIGHTS: ImpactWeights = ImpactWeights {
    major: Weight::FULL,
    partial: Weight::FULL,
    degraded: Weight::NONE,
};

/// GitHub as a service with its Enterprise Cloud SLA, its outages and
/// maintenance measured against it by the `Reporter`.
fn commitment_report(
    outages: &[Outage],
    maintenance: Maintenance,
    agreed: BusinessCalendar,
    as_of: DateTime<Utc>,
) -> servicelevel::Result<Report> {
    let commitment = Commitment::new("99.9".parse()?, Period::Quarter).weights(SLA_WEIGHTS);
    let service = Service::builder("github", "GitHub (status page history)", "agreed")
        .commitment(commitment)
        .build()?;
    let catalog = Catalog::builder().calendar("agreed", agreed).service(service).build()?;
    // Outages only: the lifecycle is required but no ticket is added.
    let _lifecycle = Lifecycle::new("status", ["resolved"], ["closed"])?;
    let mut reporter = ReportSpec::builder(catalog).build()?.reporter(as_of);
    reporter.add_outages("github", outages, maintenance)?;
    Ok(reporter.finish())
}

/// The SLA's service credit for a quarter's uptime: 25% below 99.0%,
/// 10% at or below 99.9% (the SLA leaves exactly 99.0% between its two
/// tiers; it gets the smaller credit here).
fn credit(uptime: Decimal) -> &'static str {
    if uptime < Decimal::from(99) {
        "25%"
    } else if uptime <= Decimal::new(999, 1) {
        "10%"
    } else {
        "-"
    }
}

fn print_quarters(report: &Report) {
    let Some(availability) = &report.services[0].availability else {
        return;
    };
    println!(
        "\nQUARTERLY COMMITMENT: {}% uptime per calendar quarter (GitHub Enterprise Cloud SLA), critical and major incidents as downtime",
        availability.target
    );
    println!(
        "{:<8} {:>9} {:>9} {:>8} {:>9}",
        "quarter", "uptime", "verdict", "credit", "downtime"
    );
    let mut missed = 0;
    for window in &availability.windows {
        let a = &window.availability;
        let uptime = a.availability_at(3).known();
        let exact = a.availability_at(6).known();
        let verdict = match window.verdict {
            Verdict::Met => "met",
            Verdict::Missed => "missed",
            _ => "unknown",
        };
        missed += usize::from(window.verdict == Verdict::Missed);
        let start = a.window.start();
        println!(
            "{:<8} {:>9} {:>9} {:>8} {:>9}",
            format!(
                "{}-Q{}",
                start.format("%Y"),
                (chrono::Datelike::month(&start) - 1) / 3 + 1
            ),
            uptime.map_or("-".to_string(), |u| u.to_string()),
            verdict,
            exact.map_or("-", credit),
            servicelevel::duration::format(a.downtime),
        );
    }
    println!(
        "missed in {missed} of {} quarters (the first quarter is covered only from the history's first outage)",
        availability.windows.len()
    );
}

fn main() -> Result<(), Box<dyn Error>> {
    let options = common::options(DEFAULT)?;
    let agreed = common::calendar(&options, || Ok(BusinessCalendar::always_open(chrono_tz::UTC)))?;
    let path = options.path.clone();
    let mut reader = csv::Reader::from_path(&path)?;
    let (mut outages, mut ids, mut maintenance) = (Vec::new(), Vec::new(), Vec::new());
    let mut rejected: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut rows = 0;
    for (line, record) in reader.deserialize::<Row>().enumerate() {
        rows += 1;
        let row = match record {
            Ok(row) => row,
            Err(e) => {
                rejected
                    .entry("unreadable row".into())
                    .or_default()
                    .push(format!("line {}: {e}", line + 2));
                continue;
            }
        };
        match interpret(&row) {
            Ok(Use::Outage(outage)) => {
                outages.push(outage);
                ids.push(row.incident_id);
            }
            Ok(Use::Maintenance(window)) => maintenance.push(window),
            Err(reason) => {
                let reason = reason.split(':').next_back().unwrap_or(&reason).trim().to_string();
                rejected.entry(reason).or_default().push(row.incident_id);
            }
        }
    }
    let Some(latest) = outages.iter().filter_map(|o| o.end()).max() else {
        return Err("no usable outage in the file".into());
    };
    let as_of = options.as_of.unwrap_or(latest);
    let first = outages.iter().map(|o| o.start()).min().unwrap_or(as_of);
    let months = Period::Month.windows(chrono_tz::UTC, first, as_of)?;
    let readings = [
        ("critical", ImpactWeights::MAJOR_ONLY),
        (
            "crit+major",
            ImpactWeights {
                major: Weight::FULL,
                partial: Weight::FULL,
                degraded: Weight::NONE,
            },
        ),
        ("any", ImpactWeights::ANY_NON_OPERATIONAL),
        ("status page", ImpactWeights::STATUS_PAGE),
    ];
    let maintenance = Maintenance {
        windows: maintenance,
        recurring: None,
    };
    let mut reports = Vec::new();
    for (_, weights) in &readings {
        let agreement = Agreement::builder(BusinessCalendar::always_open(chrono_tz::UTC))
            .weights(*weights)
            .maintenance(maintenance.clone())
            .build()?;
        reports.push(agreement.history(&outages, as_of)?.report(&months)?);
    }
    let review = commitment_report(&outages, maintenance.clone(), agreed, as_of)?;
    if options.json {
        serde_json::to_writer_pretty(std::io::stdout().lock(), &review)?;
        println!();
        return Ok(());
    }
    println!("GitHub availability per month, 24x7 UTC, maintenance excluded, overlaps merged ({path})");
    println!("impact levels: critical = major outage, major = partial outage, minor = degraded, maintenance = planned");
    println!("status page weights: major outage 1, partial 0.3, degraded 0\n");
    println!(
        "{:<8} {:>11} {:>11} {:>11} {:>11} {:>9}",
        "month", "critical", "crit+major", "any", "status page", "failures"
    );
    for (i, month) in months.iter().enumerate() {
        let cell = |r: usize| reports[r].windows[i].availability_at(3).to_string();
        println!(
            "{:<8} {:>11} {:>11} {:>11} {:>11} {:>9}",
            month.start().format("%Y-%m"),
            cell(0),
            cell(1),
            cell(2),
            cell(3),
            reports[2].windows[i].failures
        );
    }
    let total = |r: usize| reports[r].total.availability_at(4).to_string();
    println!(
        "{:<8} {:>11} {:>11} {:>11} {:>11} {:>9}",
        "total",
        total(0),
        total(1),
        total(2),
        total(3),
        reports[2].total.failures
    );
    let downtime = servicelevel::duration::format(reports[2].total.downtime);
    println!(
        "\nany impact: downtime {downtime} over {} months; MTRS {}, MTBF {}",
        months.len(),
        show(reports[2].total.mtrs),
        show(reports[2].total.mtbf)
    );
    print_quarters(&review);

    println!("\nrows not used:");
    for (reason, which) in &rejected {
        println!(
            "  {reason}: {} ({})",
            which.len(),
            which.iter().take(5).cloned().collect::<Vec<_>>().join(", ")
        );
    }
    let outside: Vec<&str> = reports[2]
        .unused
        .iter()
        .filter(|u| u.reason == UnusedReason::OutsideAgreedTime)
        .map(|u| ids[u.index].as_str())
        .collect();
    println!("  outages wholly inside maintenance: {}", outside.len());
    let rejected_count: usize = rejected.values().map(Vec::len).sum();
    println!(
        "\naccounting: {rows} rows read = {} outages + {} maintenance windows + {rejected_count} rejected",
        outages.len(),
        maintenance.windows.len()
    );
    assert_eq!(rows, outages.len() + maintenance.windows.len() + rejected_count);
    Ok(())
}

/// A mean to the second (rounded half up), for reading.
fn show(figure: servicelevel::ratio::Figure<chrono::TimeDelta>) -> String {
    figure.known().map_or("unknown".into(), |d| {
        let seconds = (d + chrono::TimeDelta::milliseconds(500)).num_seconds();
        servicelevel::duration::format(chrono::TimeDelta::seconds(seconds))
    })
}

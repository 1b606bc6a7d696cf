//! GitHub's availability per month under four readings of its status page's
//! impact levels, then per quarter against its Enterprise Cloud SLA with
//! the service credit (10% at or below 99.9%, 25% below 99.0%; "GitHub
//! Enterprise Service Level Agreement", docs.github.com).
//!
//! The rows are read with the shipped outage profile
//! (`examples/profiles/github_status.toml`) and the commitment comes from
//! the shipped spec (`github_status.review.json`): what this program adds to
//! `servicelevel-review --outage-profile` is the four readings and the
//! credit, which are this analysis's own.
//!
//! ```text
//! cargo run --features serde --example status_availability [-- [FILE] [--as-of RFC3339] [--format json]]
//! ```

mod common;

use std::error::Error;

use servicelevel::availability::{Agreement, ImpactWeights, Maintenance, OutageProfile, ServiceOutages};
use servicelevel::report::{Report, ReportSpec, Verdict};
use servicelevel::rust_decimal::Decimal;
use servicelevel::{BusinessCalendar, Period, duration};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");

fn main() -> Result<(), Box<dyn Error>> {
    let options = common::options(&format!("{DIR}/data/github_downtime_windows.csv"))?;
    let profile: OutageProfile =
        toml::from_str(&std::fs::read_to_string(format!("{DIR}/profiles/github_status.toml"))?)?;
    let spec: ReportSpec = serde_json::from_str(&std::fs::read_to_string(format!(
        "{DIR}/profiles/github_status.review.json"
    ))?)?;
    let mut reader = csv::Reader::from_path(&options.path)?;
    let mut ingest = profile.ingest();
    ingest.source(&options.path, &reader.headers()?.iter().collect::<Vec<_>>())?;
    for record in reader.records() {
        match record {
            Ok(record) => ingest.row(record.iter()),
            Err(e) => ingest.unreadable_row(e.to_string()),
        }
    }
    let ingested = ingest.finish();
    let github = ingested.services.get("").cloned().unwrap_or_default();
    let latest = github
        .outages
        .iter()
        .filter_map(|o| o.end())
        .max()
        .ok_or("no usable outage")?;
    let as_of = options.as_of.unwrap_or(latest);
    let maintenance = Maintenance {
        windows: github.maintenance.clone(),
        recurring: None,
    };
    let mut reporter = spec.reporter(as_of);
    reporter.add_outages("github", &github.outages, maintenance.clone())?;
    let report = reporter.finish().with_ledger(ingested.ledger.clone());
    if options.json {
        serde_json::to_writer_pretty(std::io::stdout().lock(), &report)?;
        println!();
        return Ok(());
    }
    print_months(&github, &maintenance, as_of)?;
    print_quarters(&report);
    println!("\naccounting: {}", ingested.ledger);
    Ok(())
}

/// Availability per month, 24x7 UTC, maintenance excluded, under four
/// readings: critical only, critical and major, any impact, and the
/// status-page weights (major 1, partial 0.3, degraded 0).
fn print_months(
    github: &ServiceOutages,
    maintenance: &Maintenance,
    as_of: servicelevel::chrono::DateTime<servicelevel::chrono::Utc>,
) -> servicelevel::Result<()> {
    let first = github.outages.iter().map(|o| o.start()).min().unwrap_or(as_of);
    let months = Period::Month.windows(servicelevel::chrono_tz::UTC, first, as_of)?;
    let readings = [
        ImpactWeights::MAJOR_ONLY,
        ImpactWeights::INCIDENT_IO,
        ImpactWeights::ANY_NON_OPERATIONAL,
        ImpactWeights::STATUS_PAGE,
    ];
    let mut reports = Vec::new();
    for weights in readings {
        let agreement = Agreement::builder(BusinessCalendar::always_open(servicelevel::chrono_tz::UTC))
            .weights(weights)
            .maintenance(maintenance.clone())
            .build()?;
        reports.push(agreement.history(&github.outages, as_of)?.report(&months)?);
    }
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
    println!(
        "\nany impact: downtime {} over {} months",
        duration::format(reports[2].total.downtime),
        months.len()
    );
    Ok(())
}

/// The SLA's credit: 25% below 99.0%, 10% at or below 99.9% (exactly 99.0%
/// gets the smaller credit: the SLA leaves it between its tiers).
fn credit(uptime: Decimal) -> &'static str {
    match uptime {
        u if u < Decimal::from(99) => "25%",
        u if u <= Decimal::new(999, 1) => "10%",
        _ => "-",
    }
}

fn print_quarters(report: &Report) {
    let service = &report.services[0];
    let Some(availability) = &service.availability else {
        return;
    };
    println!(
        "\nQUARTERLY COMMITMENT: {}% uptime per calendar quarter, critical and major incidents as downtime",
        availability.target
    );
    println!(
        "{:<8} {:>9} {:>9} {:>8} {:>9}",
        "quarter", "uptime", "verdict", "credit", "downtime"
    );
    for window in &availability.windows {
        let a = &window.availability;
        let verdict = if window.verdict == Verdict::Met {
            "met"
        } else {
            "missed"
        };
        let uptime = a.availability_at(3).known().map_or("-".into(), |u| u.to_string());
        let credit = a.availability_at(6).known().map_or("-", credit);
        println!(
            "{:<8} {:>9} {:>9} {:>8} {:>9}",
            report.commitment_label(service, a.window.start()),
            uptime,
            verdict,
            credit,
            duration::format(a.downtime)
        );
    }
    let missed = availability
        .windows
        .iter()
        .filter(|w| w.verdict == Verdict::Missed)
        .count();
    println!("missed in {missed} of {} quarters", availability.windows.len());
}

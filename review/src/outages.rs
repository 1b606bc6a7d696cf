//! The command on outage exports: availability against each service's
//! commitment, per commitment window, with the ledger.

use std::error::Error;
use std::path::PathBuf;

use servicelevel::availability::Maintenance;
use servicelevel::report::{ServiceReport, Verdict};
use servicelevel::{OutageProfile, Report, ReportSpec, duration};

use crate::read::read_csv;
use crate::{Args, Format, service_of, write_rows};

pub fn run(args: &Args, profile: &OutageProfile, spec: &ReportSpec, files: &[PathBuf]) -> Result<(), Box<dyn Error>> {
    if files.is_empty() {
        return Err("--outage-profile needs the outage exports to read".into());
    }
    let mut ingest = profile.ingest();
    read_csv(&mut ingest, files)?;
    let ingested = ingest.finish();
    let latest = ingested
        .services
        .values()
        .flat_map(|s| s.outages.iter().map(|o| o.end().unwrap_or(o.start())))
        .max();
    let as_of = args.as_of.or(latest).ok_or("no usable outage, and no --as-of")?;
    let mut reporter = spec.reporter(as_of);
    for (name, outages) in &ingested.services {
        // Without a service column the outages are the spec's service's.
        let service = match name.as_str() {
            "" => service_of(spec, args.service.as_deref())?,
            id => id.to_string(),
        };
        let maintenance = Maintenance {
            windows: outages.maintenance.clone(),
            recurring: None,
        };
        reporter
            .add_outages(&service, &outages.outages, maintenance)
            .map_err(|e| format!("service `{service}`: {e}"))?;
    }
    let report = reporter.finish().with_ledger(ingested.ledger);
    match args.format {
        Format::Json => {
            crate::write_out(&(serde_json::to_string_pretty(&report)? + "\n"))?;
        }
        Format::Csv => write_rows(&report)?,
        Format::Text => crate::write_out(&review(&report))?,
    }
    Ok(())
}

fn review(report: &Report) -> String {
    let mut text = String::new();
    let o = &mut text;
    out!(
        o,
        "AVAILABILITY REVIEW (as of {}, servicelevel {}, tzdb {})",
        report.metadata.as_of,
        report.metadata.crate_version,
        report.metadata.tzdb_version
    );
    for service in report.services.iter().filter(|s| s.availability.is_some()) {
        print_service(o, report, service);
    }
    if let Some(ledger) = &report.ledger {
        out!(o, "\nACCOUNTING: {ledger}");
        for r in ledger.rejected().iter().take(5) {
            out!(o, "  {} row {}: {}", ledger.sources()[r.source].name, r.row, r.reason);
        }
        if ledger.rejected().len() > 5 {
            out!(o, "  ... {} more in the JSON report", ledger.rejected().len() - 5);
        }
    }
    text
}

fn print_service(o: &mut String, report: &Report, service: &ServiceReport) {
    let Some(availability) = &service.availability else {
        return;
    };
    out!(o, "\n{}: {}% per window", service.name, availability.target);
    out!(
        o,
        "{:<10} {:>9} {:>9} {:>10} {:>9} {:>9} {:>9}",
        "window",
        "uptime",
        "verdict",
        "downtime",
        "failures",
        "MTRS",
        "MTBF"
    );
    let minutes = |f: servicelevel::ratio::Figure<servicelevel::chrono::TimeDelta>| {
        f.known().map_or("-".to_string(), |d| {
            duration::format(servicelevel::chrono::TimeDelta::minutes(d.num_minutes()))
        })
    };
    let mut missed = 0;
    for window in &availability.windows {
        let a = &window.availability;
        let verdict = match window.verdict {
            Verdict::Met => "met",
            Verdict::Missed => "missed",
            _ => "unknown",
        };
        missed += usize::from(window.verdict == Verdict::Missed);
        out!(
            o,
            "{:<10} {:>9} {:>9} {:>10} {:>9} {:>9} {:>9}",
            report.commitment_label(service, a.window.start()),
            a.availability_at(3).known().map_or("-".to_string(), |u| u.to_string()),
            verdict,
            duration::format(servicelevel::chrono::TimeDelta::minutes(a.downtime.num_minutes())),
            a.failures,
            minutes(a.mtrs),
            minutes(a.mtbf),
        );
    }
    let total = &availability.total;
    out!(
        o,
        "{:<10} {:>9} {:>9} {:>10} {:>9} {:>9} {:>9}",
        "total",
        total
            .availability_at(4)
            .known()
            .map_or("-".to_string(), |u| u.to_string()),
        format!("{missed} missed"),
        duration::format(servicelevel::chrono::TimeDelta::minutes(total.downtime.num_minutes())),
        total.failures,
        minutes(total.mtrs),
        minutes(total.mtbf),
    );
}

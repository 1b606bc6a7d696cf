//! `servicelevel-review`: a service review from CSV exports, without
//! writing Rust.
//!
//! An export profile (TOML or JSON, [`servicelevel::ExportProfile`]) says
//! how the rows become tickets; a review spec (JSON or TOML,
//! [`servicelevel::ReportSpec`]: the catalog of calendars, services,
//! policies and commitments, the lifecycle, the periods and breakdowns)
//! says what was promised. The command reads the CSV files, prints the
//! review (text), or writes the report (JSON) or its tidy rows (CSV).
//!
//! Without arguments it reviews the ServiceNow slice shipped in
//! `examples/data/` with the shipped profile and spec.

/// Appends a line to a `String`: the text review is built whole, then
/// written once, so that a closed pipe (`| head`) ends the command quietly
/// instead of a `println!` panic.
macro_rules! out {
    ($o:expr) => {
        $o.push('\n')
    };
    ($o:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($o, $($arg)*);
    }};
}

mod outages;
mod read;
mod text;

use std::error::Error;
use std::path::{Path, PathBuf};

use clap::{Parser, ValueEnum};
use servicelevel::chrono::{DateTime, Utc};
use servicelevel::ingest::Ingested;
use servicelevel::{ExportProfile, OutageProfile, Report, ReportSpec};

use crate::read::read_csv;

const SHIPPED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples");

#[derive(Parser)]
#[command(
    name = "servicelevel-review",
    version,
    about = "A service review from CSV exports: compliance by period and priority, team OLAs, MTTR, backlog, \
             reopens, the worst breaches explained, agreement with the tool's own verdicts, and where every row went."
)]
struct Args {
    /// The export profile (`.toml` or `.json`). Default: the shipped
    /// ServiceNow UCI profile.
    #[arg(long)]
    profile: Option<PathBuf>,
    /// The review spec (`.json` or `.toml`): catalog, lifecycle, periods,
    /// breakdowns. Default: the shipped ServiceNow UCI spec.
    #[arg(long)]
    spec: Option<PathBuf>,
    /// The catalog service the tickets belong to (default: the spec's
    /// only service).
    #[arg(long)]
    service: Option<String>,
    /// The instant the review is as of, RFC 3339 (default: the latest row).
    #[arg(long, value_parser = instant)]
    as_of: Option<DateTime<Utc>>,
    /// `text` (the review), `json` (the report with its ledger) or `csv`
    /// (the report's tidy rows).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The policy whose times the period and breakdown tables show
    /// (default: the service's last policy). The worst breaches and the
    /// recorded-verdict policy are the spec's (`worst_breaches`,
    /// `verdicts_against`).
    #[arg(long)]
    headline: Option<String>,
    /// Read the files as outage exports with this outage profile (`.toml`
    /// or `.json`) and report availability against the spec's
    /// commitments, instead of tickets.
    #[arg(long)]
    outage_profile: Option<PathBuf>,
    /// The CSV exports, read in order as one export. Default: the shipped
    /// ServiceNow slice.
    files: Vec<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
    Csv,
}

fn instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.to_utc())
        .map_err(|e| format!("`{text}` is not an RFC 3339 instant ({e})"))
}

fn main() {
    if let Err(error) = run(Args::parse()) {
        if closed_pipe(error.as_ref()) {
            return;
        }
        eprintln!("servicelevel-review: {error}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> Result<(), Box<dyn Error>> {
    let root = Path::new(SHIPPED)
        .canonicalize()
        .unwrap_or_else(|_| PathBuf::from(SHIPPED));
    let shipped = |name: &str| root.join(name);
    let profile_path = args
        .profile
        .clone()
        .unwrap_or_else(|| shipped("profiles/servicenow_uci.toml"));
    let spec_path = args
        .spec
        .clone()
        .unwrap_or_else(|| shipped("profiles/servicenow_uci.review.json"));
    let files = match args.files.is_empty() {
        true => vec![shipped("data/servicenow_incidents_slice.csv")],
        false => args.files.clone(),
    };
    if let Some(outage_profile) = &args.outage_profile {
        let spec_path = args
            .spec
            .clone()
            .ok_or("--outage-profile needs a --spec with a commitment")?;
        let profile: OutageProfile = load(outage_profile)?;
        let spec: ReportSpec = load(&spec_path)?;
        return outages::run(&args, &profile, &spec, &args.files);
    }
    let profile: ExportProfile = load(&profile_path)?;
    let spec: ReportSpec = load(&spec_path)?;
    let started = std::time::Instant::now();
    let ingested = ingest(&profile, &files)?;
    let service = service_of(&spec, args.service.as_deref())?;
    let as_of = args.as_of.or(ingested.latest).ok_or("no usable row, and no --as-of")?;
    let mut reporter = spec.reporter(as_of);
    // Every core (rayon; `RAYON_NUM_THREADS` sets how many): the same
    // report as adding the tickets one by one.
    let tickets: Vec<_> = ingested
        .timelines
        .iter()
        .map(|timeline| {
            (
                service.as_str(),
                timeline,
                ingested.verdicts.get(timeline.ticket()).copied(),
            )
        })
        .collect();
    reporter.par_add_with_verdicts(&tickets)?;
    let report = reporter.par_finish().with_ledger(ingested.ledger.clone());
    match args.format {
        Format::Json => write_out(&(serde_json::to_string_pretty(&report)? + "\n"))?,
        Format::Csv => write_rows(&report)?,
        Format::Text => {
            let headline = headline_of(&spec, &service, args.headline.as_deref())?;
            write_out(&text::review(&report, &service, &headline))?;
            eprintln!(
                "(read, mapped, evaluated and reported in {} ms)",
                started.elapsed().as_millis()
            );
        }
    }
    Ok(())
}

/// Whether the error is stdout's reader going away (`| head`).
fn closed_pipe(error: &(dyn Error + 'static)) -> bool {
    let kind = if let Some(e) = error.downcast_ref::<std::io::Error>() {
        Some(e.kind())
    } else if let Some(e) = error.downcast_ref::<serde_json::Error>() {
        e.io_error_kind()
    } else if let Some(e) = error.downcast_ref::<csv::Error>() {
        match e.kind() {
            csv::ErrorKind::Io(io) => Some(io.kind()),
            _ => None,
        }
    } else {
        None
    };
    kind == Some(std::io::ErrorKind::BrokenPipe)
}

pub(crate) fn write_out(text: &str) -> Result<(), Box<dyn Error>> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// A profile or spec, TOML by its extension, JSON otherwise.
pub(crate) fn load<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Box<dyn Error>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let value = match path.extension().and_then(|e| e.to_str()) {
        Some("toml") => toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?,
        _ => serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?,
    };
    Ok(value)
}

/// Every file's rows through the profile; a row the CSV reader cannot read
/// is rejected in the ledger, not an error.
fn ingest(profile: &ExportProfile, files: &[PathBuf]) -> Result<Ingested, Box<dyn Error>> {
    let mut ingest = profile.ingest();
    read_csv(&mut ingest, files)?;
    // The timelines are built on every core: the same as `finish`.
    Ok(ingest.par_finish())
}

pub(crate) fn service_of(spec: &ReportSpec, asked: Option<&str>) -> Result<String, Box<dyn Error>> {
    let services = spec.catalog().services();
    match asked {
        Some(id) if spec.catalog().service(id).is_some() => Ok(id.to_string()),
        Some(id) => Err(format!("the spec has no service `{id}`").into()),
        None if services.len() == 1 => Ok(services[0].id().to_string()),
        None => Err("the spec has several services: name one with --service".into()),
    }
}

fn headline_of(spec: &ReportSpec, service: &str, asked: Option<&str>) -> Result<String, Box<dyn Error>> {
    let entry = spec.catalog().service(service).ok_or("no such service")?;
    let ids: Vec<&str> = entry.obligations().iter().map(|o| o.policy.id().as_str()).collect();
    match asked {
        Some(id) if ids.contains(&id) => Ok(id.to_string()),
        Some(id) => Err(format!("service `{service}` has no policy `{id}`: it has {}", ids.join(", ")).into()),
        None => ids
            .last()
            .map(|id| id.to_string())
            .ok_or_else(|| format!("service `{service}` has no policy").into()),
    }
}

pub(crate) fn write_rows(report: &Report) -> Result<(), Box<dyn Error>> {
    let mut writer = csv::Writer::from_writer(std::io::stdout().lock());
    for row in report.rows() {
        writer.serialize(row)?;
    }
    writer.flush()?;
    Ok(())
}

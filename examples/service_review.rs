//! The monthly service review on a ServiceNow incident event log in the UCI
//! format (dataset 498, "Incident management process enriched event log").
//!
//! ```text
//! cargo run --release --features serde --example service_review [-- [FILE] [--as-of RFC3339] [--calendar FILE.json] [--format json]]
//! ```
//!
//! Without FILE it reads the slice shipped in `examples/data/`.
//!
//! How the export becomes ticket events (all CSV handling lives here, not in
//! the library):
//! - one row is one update of an incident; its instant is `sys_updated_at`
//!   (day-first `d/m/yyyy HH:MM`, no zone: read as UTC); `?` is missing;
//! - the incident is created at `opened_at` with its first row's values;
//!   each row then sets the fields that changed (status, priority,
//!   assignment group, assignee, category) and its `sys_mod_count`, so
//!   every row is an event;
//! - `Awaiting ...` states become `on_hold` (the clock pauses), `Active`
//!   becomes `in_progress`, so ServiceNow's own presets apply unchanged;
//! - rows in the undocumented state `-100`, rows that cannot be read, and
//!   updates before `opened_at`, and rows the export repeats (the lenient
//!   timeline drops exact duplicates) are rejected and counted by reason.
//!
//! The SLA targets behind the export's `made_sla` are not published; the
//! targets below are this example's assumption, printed with the report.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::error::Error;
use std::time::Instant;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use common::{Accounting, Assumptions, RESOLUTION, TEAM_OLA, Worst};
use servicelevel::BusinessCalendar;
use servicelevel::calendar::Period;
use servicelevel::eval::{State, evaluate};
use servicelevel::event::TimelineOptions;
use servicelevel::event::{Event, EventBody, Timeline, Value};
use servicelevel::policy::Lifecycle;
use servicelevel::policy::{Policy, Target, presets};
use servicelevel::report::{Catalog, ReportSpec};

const SHIPPED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/data/servicenow_incidents_slice.csv"
);
const SERVICE: &str = "it-service-desk";
const PRIORITIES: [&str; 4] = ["1 - Critical", "2 - High", "3 - Moderate", "4 - Low"];
/// Response targets per priority: the reviews' shared first-reaction
/// targets.
const RESPONSE: [TimeDelta; 4] = common::FIRST_REACTION;

fn main() -> Result<(), Box<dyn Error>> {
    let options = common::options(SHIPPED)?;
    let started = Instant::now();
    let export = read(&options.path)?;
    let calendar = common::calendar(&options, office_hours)?;
    let as_of = options.as_of.unwrap_or(export.latest);
    let (timelines, dropped) = timelines(export.incidents);
    // ServiceNow's statuses, as the export's states are mapped to them.
    let lifecycle = Lifecycle::servicenow();
    let spec = ReportSpec::builder(catalog(calendar.clone(), &lifecycle)?)
        .lifecycle(lifecycle)
        .periods(Period::Month, calendar.time_zone())
        .breakdown("priority")
        .build()?;
    let mut reporter = spec.reporter(as_of);
    for timeline in &timelines {
        reporter.add(SERVICE, timeline)?;
    }
    let report = reporter.finish();
    let mut review = Review::of(&timelines, &export.made_sla, &calendar, as_of)?;
    let elapsed = started.elapsed();
    let mut accounting = export.accounting;
    accounting.events -= dropped.values().sum::<u64>();
    accounting.tickets = timelines.len() as u64;
    for (reason, n) in dropped {
        *accounting.rejected.entry(reason).or_default() += n;
    }
    if options.json {
        serde_json::to_writer_pretty(std::io::stdout().lock(), &report)?;
        println!();
    } else {
        let service = &report.services[0];
        common::print_sections(service, &report, &ASSUMED);
        review.worst.print(&calendar);
        review.print_agreement();
        accounting.print(service, "incidents");
        eprintln!("(read, mapped, evaluated and reported in {} ms)", elapsed.as_millis());
    }
    Ok(())
}

const ASSUMED: Assumptions = Assumptions {
    calendar: "Mon-Fri 08:00-18:00 UTC",
    priorities: &PRIORITIES,
    response_name: "response",
    policies: ["servicenow-response", "servicenow-resolution"],
    response: &RESPONSE,
    resolution: &RESOLUTION,
    team_ola: TEAM_OLA,
};

/// Mon-Fri 08:00-18:00; the export carries no zone, so UTC.
fn office_hours() -> servicelevel::Result<BusinessCalendar> {
    common::office_hours(chrono_tz::UTC)
}

fn by_priority(targets: [TimeDelta; 4]) -> Target {
    common::by_level("priority", &PRIORITIES, &targets)
}

fn catalog(calendar: BusinessCalendar, lifecycle: &Lifecycle) -> servicelevel::Result<Catalog> {
    let policies = vec![
        presets::servicenow_response(lifecycle, by_priority(RESPONSE))?,
        presets::servicenow_resolution(lifecycle, by_priority(RESOLUTION))?,
    ];
    common::review_catalog(
        (SERVICE, "IT service desk (ServiceNow UCI log)"),
        calendar,
        policies,
        lifecycle,
    )
}

// ---------------------------------------------------------------- reading

/// The columns this example uses.
const COLUMNS: [&str; 11] = [
    "number",
    "incident_state",
    "made_sla",
    "opened_at",
    "sys_updated_at",
    "sys_mod_count",
    "category",
    "priority",
    "assignment_group",
    "assigned_to",
    "resolved_at",
];

struct Row {
    updated: DateTime<Utc>,
    mod_count: u32,
    fields: [Option<Value>; 5],
}

/// The fields each row may change, in order.
const FIELDS: [&str; 5] = ["status", "priority", "assignment_group", "assignee", "category"];

struct Incident {
    number: String,
    opened: DateTime<Utc>,
    rows: Vec<Row>,
}

struct Export {
    accounting: Accounting,
    incidents: Vec<Incident>,
    made_sla: HashMap<String, bool>,
    latest: DateTime<Utc>,
}

fn read(path: &str) -> Result<Export, Box<dyn Error>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_path(path)?;
    let headers = reader.byte_headers()?.clone();
    let col = common::columns(&headers, &COLUMNS, path)?;
    let mut export = Export {
        accounting: Accounting::default(),
        incidents: Vec::new(),
        made_sla: HashMap::new(),
        latest: DateTime::<Utc>::MIN_UTC,
    };
    let mut index: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut interner = common::Interner::default();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                export.accounting.rows += 1;
                export
                    .accounting
                    .reject(&format!("unreadable line ({})", short_error(&e)));
                continue;
            }
        }
        export.accounting.rows += 1;
        match parse_row(&record, &col, &mut interner) {
            Err(reason) => export.accounting.reject(reason),
            Ok((number, opened, made_sla, row)) => {
                export.accounting.events += 1;
                export.latest = export.latest.max(row.updated);
                let slot = *index.entry(number.as_bytes().to_vec()).or_insert_with(|| {
                    export.incidents.push(Incident {
                        number: number.clone(),
                        opened,
                        rows: Vec::new(),
                    });
                    export.incidents.len() - 1
                });
                if let Some(made) = made_sla {
                    export.made_sla.insert(number, made);
                }
                export.incidents[slot].rows.push(row);
            }
        }
    }
    Ok(export)
}

fn short_error(e: &csv::Error) -> &'static str {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "not UTF-8",
        csv::ErrorKind::UnequalLengths { .. } => "wrong number of fields",
        _ => "csv error",
    }
}

type Parsed = (String, DateTime<Utc>, Option<bool>, Row);

fn parse_row(record: &csv::ByteRecord, col: &[usize], interner: &mut common::Interner) -> Result<Parsed, &'static str> {
    if record.len() != 36 {
        return Err("wrong number of fields");
    }
    let field = |i: usize| record.get(col[i]).unwrap_or(b"?");
    let number = std::str::from_utf8(field(0)).map_err(|_| "not UTF-8")?;
    if number.is_empty() || number == "?" {
        return Err("no incident number");
    }
    let status: &[u8] = match field(1) {
        b"New" => b"new",
        b"Active" => b"in_progress",
        b"Resolved" => b"resolved",
        b"Closed" => b"closed",
        b"-100" => return Err("undocumented state -100"),
        s if s.starts_with(b"Awaiting ") => b"on_hold",
        _ => return Err("unknown incident_state"),
    };
    let opened = day_first(field(3)).ok_or("unreadable opened_at")?;
    let updated = day_first(field(4)).ok_or("unreadable sys_updated_at")?;
    let mod_count = std::str::from_utf8(field(5))
        .ok()
        .and_then(|s| s.parse().ok())
        .ok_or("unreadable sys_mod_count")?;
    let made_sla = match field(2) {
        b"true" => Some(true),
        b"false" => Some(false),
        _ => None,
    };
    let mut intern = |bytes: &[u8]| -> Result<Option<Value>, &'static str> {
        if bytes == b"?" || bytes.is_empty() {
            return Ok(None);
        }
        let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8")?;
        Ok(Some(interner.intern(text)))
    };
    let fields = [
        intern(status)?,
        intern(field(7))?,
        intern(field(8))?,
        intern(field(9))?,
        intern(field(6))?,
    ];
    Ok((
        number.to_string(),
        opened,
        made_sla,
        Row {
            updated,
            mod_count,
            fields,
        },
    ))
}

/// `d/m/yyyy HH:MM`, unpadded, as UTC.
fn day_first(bytes: &[u8]) -> Option<DateTime<Utc>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let (date, time) = text.split_once(' ')?;
    let mut d = date.splitn(3, '/').map(|p| p.parse::<u32>().ok());
    let (day, month, year) = (d.next()??, d.next()??, d.next()??);
    let (h, m) = time.split_once(':')?;
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    Some(date.and_hms_opt(h.parse().ok()?, m.parse().ok()?, 0)?.and_utc())
}

/// Rows become events; lenient timelines drop (and we count) what cannot
/// be used. Returns the timelines and the dropped events by reason.
fn timelines(incidents: Vec<Incident>) -> (Vec<Timeline>, BTreeMap<String, u64>) {
    let mut dropped = BTreeMap::new();
    let mut out = Vec::with_capacity(incidents.len());
    for mut incident in incidents {
        incident.rows.sort_by_key(|r| (r.updated, r.mod_count));
        // Dropped here rather than by the timeline, so that the next row's
        // changes are taken against what was kept.
        let before = incident.rows.iter().filter(|r| r.updated < incident.opened).count();
        if before > 0 {
            *dropped.entry("update before opened_at".to_string()).or_default() += before as u64;
            incident.rows.retain(|r| r.updated >= incident.opened);
        }
        if incident.rows.is_empty() {
            continue;
        }
        let events = events_of(&incident);
        match Timeline::build(events, &TimelineOptions::lenient()) {
            Ok(lenient) => {
                for d in &lenient.diagnostics {
                    let reason = match d.problem {
                        servicelevel::event::Problem::BeforeCreation { .. } => "update before opened_at",
                        servicelevel::event::Problem::Duplicate { .. } => {
                            "repeated row (same instant, sys_mod_count and values)"
                        }
                        _ => "unusable update",
                    };
                    *dropped.entry(reason.to_string()).or_default() += 1;
                }
                out.push(lenient.timeline);
            }
            Err(_) => {
                *dropped.entry("incident without usable events".to_string()).or_default() += incident.rows.len() as u64
            }
        }
    }
    (out, dropped)
}

fn events_of(incident: &Incident) -> Vec<Event> {
    let id = incident.number.as_str();
    let mut events = Vec::with_capacity(incident.rows.len() + 1);
    let first = &incident.rows[0];
    let initial: Vec<(&str, Value)> = FIELDS
        .iter()
        .zip(&first.fields)
        .filter_map(|(f, v)| v.clone().map(|v| (*f, v)))
        .collect();
    events.push(Event::created(id, incident.opened, initial));
    let mut current = first.fields.clone();
    for row in &incident.rows {
        // Every row states its `sys_mod_count`, so two rows are one event
        // only when the export repeats a row; a change that merely
        // restores an earlier value in the same minute stays an event.
        let mut changes: Vec<(servicelevel::event::Field, Option<Value>)> =
            vec![("sys_mod_count".into(), Some(Value::from(row.mod_count.to_string())))];
        changes.extend(
            FIELDS
                .iter()
                .zip(current.iter().zip(&row.fields))
                .filter(|(_, (old, new))| old != new)
                .map(|(f, (_, new))| ((*f).into(), new.clone())),
        );
        events.push(Event::new(id, row.updated, EventBody::Changed(changes)));
        current = row.fields.clone();
    }
    events
}

// ---------------------------------------------------------------- review

/// What the report does not hold: the worst breaches with their
/// explanation, and the agreement with the export's own verdicts.
struct Review {
    worst: Worst,
    agree: u64,
    compared: u64,
    we_breach_they_met: u64,
    we_met_they_breach: u64,
}

impl Review {
    fn of(
        timelines: &[Timeline],
        made_sla: &HashMap<String, bool>,
        calendar: &BusinessCalendar,
        as_of: DateTime<Utc>,
    ) -> servicelevel::Result<Review> {
        let policy: Policy = presets::servicenow_resolution(&Lifecycle::servicenow(), by_priority(RESOLUTION))?;
        let mut review = Review {
            worst: Worst::default(),
            agree: 0,
            compared: 0,
            we_breach_they_met: 0,
            we_met_they_breach: 0,
        };
        for timeline in timelines {
            let Ok(evaluation) = evaluate(&policy, calendar, timeline, as_of) else {
                continue;
            };
            let ended = evaluation
                .cycles
                .iter()
                .filter(|c| matches!(c.state, State::Met | State::Breached));
            let breached = ended.clone().any(|c| c.state == State::Breached);
            if let (Some(&made), true) = (made_sla.get(timeline.ticket().as_str()), ended.count() > 0) {
                review.compared += 1;
                match (breached, made) {
                    (true, true) => review.we_breach_they_met += 1,
                    (false, false) => review.we_met_they_breach += 1,
                    _ => review.agree += 1,
                }
            }
            review.worst.consider(timeline, &evaluation);
        }
        Ok(review)
    }

    fn print_agreement(&self) {
        let share = rust_decimal::Decimal::from(100 * self.agree) / rust_decimal::Decimal::from(self.compared.max(1));
        println!(
            "\nAGREEMENT WITH THE EXPORT'S made_sla: {} of {} incidents ({:.1}%); we breach where it says made: {}, we meet where it says missed: {}",
            self.agree,
            self.compared,
            share.round_dp(1),
            self.we_breach_they_met,
            self.we_met_they_breach
        );
    }
}

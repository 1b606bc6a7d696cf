//! The service review on the BPI Challenge 2013 incident log of Volvo IT
//! Belgium (VINST), in the CSV layout of `../shared/data/bpi2013/`.
//!
//! ```text
//! cargo run --release --features serde --example volvo_incidents [-- [FILE] [--as-of RFC3339] [--calendar FILE.json] [--format json]]
//! ```
//!
//! Without FILE it reads `examples/data/volvo_incidents_sample.csv`, a
//! hand-written file in the same layout (the real log's licence, the
//! 4TU.ResearchData general terms, does not clearly allow shipping a
//! slice); its figures are worked by hand in `examples/data/README.md`.
//!
//! How the log becomes ticket events (all CSV handling lives here):
//! - one row is one status update of a case; its instant is
//!   `time:timestamp` (ISO 8601 with offset);
//! - the case is created at its first row with that row's values; each
//!   later row sets the fields that changed (status, impact as
//!   `priority`, `org:group` as `assignment_group`, `org:resource` as
//!   `assignee`, product, country), or is an `update` action when none
//!   did;
//! - the status is the sub status (`lifecycle:transition`) in snake case:
//!   `awaiting_assignment`, `in_progress`, `assigned`, the five `wait*`
//!   values (the clock pauses), and the completions `resolved`, `in_call`
//!   (solved during the call), `closed` and `cancelled`;
//! - a case that goes from a completion back to Queued or Accepted is
//!   reopened: the resolution clock starts a new cycle;
//! - `Unmatched` rows (no lifecycle), rows that cannot be read, and rows
//!   the log repeats (same case, instant and values) are rejected and
//!   counted by reason.
//!
//! Volvo's own targets are not in the log; the targets below, and the
//! calendar (Mon-Fri 08:00-18:00 Europe/Brussels, no holidays), are this
//! example's assumption, printed with the report.

mod common;

use std::collections::{HashMap, HashSet};
use std::error::Error;
use std::time::Instant;

use chrono::{DateTime, TimeDelta, Utc};
use common::{Accounting, Assumptions, RESOLUTION, TEAM_OLA, Worst};
use servicelevel::BusinessCalendar;
use servicelevel::calendar::Period;
use servicelevel::eval::evaluate;
use servicelevel::event::TimelineOptions;
use servicelevel::event::{Event, EventBody, Field, Timeline, Value};
use servicelevel::policy::{Cancel, Condition, Cycles, Policy, PolicyKind, Target};
use servicelevel::policy::{Lifecycle, Role};
use servicelevel::report::{Catalog, ReportSpec};

const SHIPPED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/volvo_incidents_sample.csv");
const SERVICE: &str = "volvo-it-incidents";
const IMPACTS: [&str; 4] = ["Major", "High", "Medium", "Low"];
/// Time to accept (leave the queue) per impact: the reviews' shared
/// first-reaction targets.
const ACCEPT: [TimeDelta; 4] = common::FIRST_REACTION;
const ASSUMED: Assumptions = Assumptions {
    calendar: "Mon-Fri 08:00-18:00 Europe/Brussels",
    priorities: &IMPACTS,
    response_name: "accept",
    policies: ["volvo-accept", "volvo-resolution"],
    response: &ACCEPT,
    resolution: &RESOLUTION,
    team_ola: TEAM_OLA,
};

/// The case statuses (sub statuses in snake case) by role: the five
/// `wait*` sub statuses wait, `awaiting_assignment` is initial, `resolved`
/// and `in_call` resolve, `closed` closes, `cancelled` cancels.
fn lifecycle() -> servicelevel::Result<Lifecycle> {
    let waiting = [
        "wait",
        "wait_user",
        "wait_implementation",
        "wait_vendor",
        "wait_customer",
    ];
    Ok(Lifecycle::new("status", ["resolved", "in_call"], ["closed"])?
        .cancelled(["cancelled"])?
        .waiting(waiting)?
        .initial(["awaiting_assignment"])?
        .assignment_group("assignment_group"))
}

fn main() -> Result<(), Box<dyn Error>> {
    let options = common::options(SHIPPED)?;
    let started = Instant::now();
    let export = read(&options.path)?;
    let calendar = common::calendar(&options, office_hours)?;
    let as_of = options.as_of.unwrap_or(export.latest);
    let mut accounting = export.accounting;
    let timelines = timelines(export.cases, &mut accounting);
    let lifecycle = lifecycle()?;
    let spec = ReportSpec::builder(catalog(calendar.clone(), &lifecycle)?)
        .lifecycle(lifecycle)
        .periods(Period::Month, calendar.time_zone())
        .breakdown("priority")
        .build()?;
    let mut reporter = spec.reporter(as_of);
    let resolution = resolution(spec.lifecycle().expect("given above"))?;
    let mut worst = Worst::default();
    for timeline in &timelines {
        reporter.add(SERVICE, timeline)?;
        if let Ok(evaluation) = evaluate(&resolution, &calendar, timeline, as_of) {
            worst.consider(timeline, &evaluation);
        }
    }
    let report = reporter.finish();
    let elapsed = started.elapsed();
    if options.json {
        serde_json::to_writer_pretty(std::io::stdout().lock(), &report)?;
        println!();
    } else {
        let service = &report.services[0];
        common::print_sections(service, &report, &ASSUMED);
        worst.print(&calendar);
        accounting.print(service, "cases");
        eprintln!("(read, mapped, evaluated and reported in {} ms)", elapsed.as_millis());
    }
    Ok(())
}

/// Mon-Fri 08:00-18:00 in Brussels, where Volvo IT Belgium sits; the
/// log's offsets (+01:00 in winter, +02:00 in summer) match that zone.
fn office_hours() -> servicelevel::Result<BusinessCalendar> {
    common::office_hours(chrono_tz::Europe::Brussels)
}

fn by_impact(targets: [TimeDelta; 4]) -> Target {
    common::by_level("priority", &IMPACTS, &targets)
}

/// From creation until someone accepts the case (it leaves
/// `awaiting_assignment` for anything but cancellation); once per case;
/// cancelled with the case.
fn acceptance(lifecycle: &Lifecycle) -> servicelevel::Result<Policy> {
    Policy::builder(
        "volvo-accept",
        "Volvo time to accept",
        PolicyKind::Sla,
        Condition::not(lifecycle.finished()),
        Condition::not(lifecycle.status_in(&[Role::Initial, Role::Cancelled])),
        by_impact(ACCEPT),
    )
    .cancel(Cancel::When(lifecycle.status_in(&[Role::Cancelled])))
    .build()
}

/// While the case is not completed, paused while it waits, a new cycle
/// after each reopen; cancelled with the case.
fn resolution(lifecycle: &Lifecycle) -> servicelevel::Result<Policy> {
    Policy::builder(
        "volvo-resolution",
        "Volvo time to resolve",
        PolicyKind::Sla,
        Condition::not(lifecycle.finished()),
        lifecycle.status_in(&[Role::Resolved, Role::Closed]),
        by_impact(RESOLUTION),
    )
    .pause(lifecycle.waiting_condition())
    .cancel(Cancel::When(lifecycle.status_in(&[Role::Cancelled])))
    .cycles(Cycles::Repeat)
    .build()
}

fn catalog(calendar: BusinessCalendar, lifecycle: &Lifecycle) -> servicelevel::Result<Catalog> {
    common::review_catalog(
        (SERVICE, "Volvo IT incident management (BPI Challenge 2013)"),
        calendar,
        vec![acceptance(lifecycle)?, resolution(lifecycle)?],
        lifecycle,
    )
}

// ---------------------------------------------------------------- reading

const COLUMNS: [&str; 9] = [
    "case:concept:name",
    "concept:name",
    "lifecycle:transition",
    "time:timestamp",
    "impact",
    "org:group",
    "org:resource",
    "product",
    "organization country",
];

/// The fields each row may change, in order.
const FIELDS: [&str; 6] = [
    "status",
    "priority",
    "assignment_group",
    "assignee",
    "product",
    "country",
];

struct Row {
    at: DateTime<Utc>,
    fields: [Value; 6],
}

struct Export {
    accounting: Accounting,
    cases: Vec<(String, Vec<Row>)>,
    latest: DateTime<Utc>,
}

fn read(path: &str) -> Result<Export, Box<dyn Error>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_path(path)?;
    let headers = reader.byte_headers()?.clone();
    let width = headers.len();
    let col = common::columns(&headers, &COLUMNS, path)?;
    let mut export = Export {
        accounting: Accounting::default(),
        cases: Vec::new(),
        latest: DateTime::<Utc>::MIN_UTC,
    };
    let mut index: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut interner = common::Interner::default();
    let mut record = csv::ByteRecord::new();
    loop {
        export.accounting.rows += 1;
        match reader.read_byte_record(&mut record) {
            Ok(false) => {
                export.accounting.rows -= 1;
                break;
            }
            Ok(true) if record.len() != width => export.accounting.reject("wrong number of fields"),
            Ok(true) => match parse_row(&record, &col, &mut interner) {
                Err(reason) => export.accounting.reject(reason),
                Ok((case, row)) => {
                    export.accounting.events += 1;
                    export.latest = export.latest.max(row.at);
                    let slot = *index.entry(case.as_bytes().to_vec()).or_insert_with(|| {
                        export.cases.push((case, Vec::new()));
                        export.cases.len() - 1
                    });
                    export.cases[slot].1.push(row);
                }
            },
            Err(_) => export.accounting.reject("unreadable line"),
        }
    }
    Ok(export)
}

fn parse_row(
    record: &csv::ByteRecord,
    col: &[usize],
    interner: &mut common::Interner,
) -> Result<(String, Row), &'static str> {
    let text = |i: usize| std::str::from_utf8(&record[col[i]]).map_err(|_| "not UTF-8");
    let case = text(0)?;
    if case.is_empty() {
        return Err("no case id");
    }
    let status = status(text(1)?, text(2)?)?;
    let at = DateTime::parse_from_rfc3339(text(3)?)
        .map_err(|_| "unreadable time:timestamp")?
        .to_utc();
    let mut intern = |s: &str| interner.intern(s);
    let fields = [
        intern(&status),
        intern(text(4)?),
        intern(text(5)?),
        intern(text(6)?),
        intern(text(7)?),
        intern(text(8)?),
    ];
    Ok((case.to_string(), Row { at, fields }))
}

/// The sub status in snake case, checked against its status.
fn status(phase: &str, sub: &str) -> Result<String, &'static str> {
    match phase {
        "Queued" | "Accepted" | "Completed" => Ok(sub.to_lowercase().replace(" - ", "_").replace(' ', "_")),
        "Unmatched" => Err("status Unmatched (no lifecycle)"),
        _ => Err("unknown status"),
    }
}

/// Each case's rows, in time order (file order within an instant), become
/// its timeline; repeated rows are rejected.
fn timelines(cases: Vec<(String, Vec<Row>)>, accounting: &mut Accounting) -> Vec<Timeline> {
    let mut out = Vec::with_capacity(cases.len());
    for (case, mut rows) in cases {
        rows.sort_by_key(|r| r.at);
        let mut seen = HashSet::new();
        let before = rows.len();
        rows.retain(|r| seen.insert((r.at, r.fields.clone())));
        for _ in rows.len()..before {
            accounting.events -= 1;
            accounting.reject("repeated row (same instant and values)");
        }
        match Timeline::build(events_of(&case, &rows), &TimelineOptions::lenient()) {
            Ok(lenient) => {
                for d in &lenient.diagnostics {
                    accounting.events -= 1;
                    accounting.reject(&format!("unusable row ({})", d.problem));
                }
                out.push(lenient.timeline);
            }
            Err(e) => {
                accounting.events -= rows.len() as u64;
                for _ in &rows {
                    accounting.reject(&format!("case without usable rows ({e})"));
                }
            }
        }
    }
    accounting.tickets = out.len() as u64;
    out
}

fn events_of(case: &str, rows: &[Row]) -> Vec<Event> {
    let mut events = Vec::with_capacity(rows.len());
    let first = &rows[0];
    events.push(Event::created(
        case,
        first.at,
        FIELDS.iter().copied().zip(first.fields.clone()),
    ));
    let mut current = &first.fields;
    for row in &rows[1..] {
        let changes: Vec<(Field, Option<Value>)> = FIELDS
            .iter()
            .zip(current.iter().zip(&row.fields))
            .filter(|(_, (old, new))| old != new)
            .map(|(f, (_, new))| ((*f).into(), Some(new.clone())))
            .collect();
        let body = if changes.is_empty() {
            // An update that changes nothing the review tracks (a note, a
            // repeated status) is still an event: it is used, not lost.
            EventBody::Action("update".into())
        } else {
            EventBody::Changed(changes)
        };
        events.push(Event::new(case, row.at, body));
        current = &row.fields;
    }
    events
}

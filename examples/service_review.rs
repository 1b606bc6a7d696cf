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

use std::collections::{BTreeMap, HashMap};
use std::error::Error;
use std::time::Instant;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc, Weekday::*};
use servicelevel::BusinessCalendar;
use servicelevel::availability::Period;
use servicelevel::calendar::Window;
use servicelevel::eval::{Cycle, SegmentKind, State, evaluate};
use servicelevel::event::{Event, EventBody, Timeline, Value};
use servicelevel::metrics::Summary;
use servicelevel::policy::{Amount, Condition, Measure, Policy, Target, presets};
use servicelevel::report::{Catalog, Lifecycle, Report, Reporter, Service, TeamOla};

const SHIPPED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/examples/data/servicenow_incidents_slice.csv"
);
const SERVICE: &str = "it-service-desk";
const PRIORITIES: [&str; 4] = ["1 - Critical", "2 - High", "3 - Moderate", "4 - Low"];
/// Response and resolution targets per priority, in business hours
/// (Mon-Fri 08:00-18:00): the example's assumption.
const RESPONSE: [TimeDelta; 4] = [
    TimeDelta::minutes(30),
    TimeDelta::hours(1),
    TimeDelta::hours(4),
    TimeDelta::hours(8),
];
const RESOLUTION: [TimeDelta; 4] = [
    TimeDelta::hours(4),
    TimeDelta::hours(10),
    TimeDelta::hours(30),
    TimeDelta::hours(50),
];
const TEAM_OLA: TimeDelta = TimeDelta::hours(20);

struct Options {
    path: String,
    as_of: Option<DateTime<Utc>>,
    calendar: Option<String>,
    json: bool,
}

fn main() -> Result<(), Box<dyn Error>> {
    let options = options()?;
    let started = Instant::now();
    let export = read(&options.path)?;
    let calendar = match &options.calendar {
        Some(path) => serde_json::from_str(&std::fs::read_to_string(path)?)?,
        None => office_hours()?,
    };
    let as_of = options.as_of.unwrap_or(export.latest);
    let (timelines, dropped) = timelines(export.incidents);
    let catalog = catalog(calendar.clone())?;
    let lifecycle =
        Lifecycle::new("status", ["resolved"], ["closed", "canceled"])?.assignment_group("assignment_group");
    let mut reporter = Reporter::new(catalog, lifecycle, as_of)
        .periods(Period::Month, calendar.time_zone())
        .breakdown("priority");
    for timeline in &timelines {
        reporter.add(SERVICE, timeline)?;
    }
    let report = reporter.finish();
    let review = Review::of(&timelines, &export.made_sla, &calendar, as_of)?;
    let elapsed = started.elapsed();
    let accounting = Accounting {
        rows: export.rows,
        events: export.events - dropped.values().sum::<u64>(),
        incidents: timelines.len() as u64,
        rejected: export.rejected.into_iter().chain(dropped).collect(),
    };
    if options.json {
        serde_json::to_writer_pretty(std::io::stdout().lock(), &report)?;
        println!();
    } else {
        print_review(&report, &review, &calendar, &accounting);
        eprintln!("(read, mapped, evaluated and reported in {} ms)", elapsed.as_millis());
    }
    Ok(())
}

fn options() -> Result<Options, Box<dyn Error>> {
    let mut options = Options {
        path: SHIPPED.to_string(),
        as_of: None,
        calendar: None,
        json: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--as-of" => options.as_of = Some(DateTime::parse_from_rfc3339(&value("--as-of")?)?.to_utc()),
            "--calendar" => options.calendar = Some(value("--calendar")?),
            "--format" => match value("--format")?.as_str() {
                "json" => options.json = true,
                "text" => options.json = false,
                other => return Err(format!("unknown format `{other}`: expected `text` or `json`").into()),
            },
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`").into()),
            path => options.path = path.to_string(),
        }
    }
    Ok(options)
}

/// Mon-Fri 08:00-18:00; the export carries no zone, so UTC.
fn office_hours() -> servicelevel::Result<BusinessCalendar> {
    BusinessCalendar::builder(chrono_tz::UTC)
        .weekdays(&[Mon, Tue, Wed, Thu, Fri], Window::parse("08:00", "18:00", "hours")?)
        .build()
}

fn by_priority(targets: [TimeDelta; 4]) -> Target {
    Target::by(
        Measure::BusinessTime,
        "priority",
        PRIORITIES.iter().zip(targets).map(|(p, t)| (*p, Amount::Time(t))),
        None,
    )
}

fn catalog(calendar: BusinessCalendar) -> servicelevel::Result<Catalog> {
    let finished = Condition::is_in("status", ["resolved", "closed", "canceled"]);
    let ola = TeamOla::with_pause(
        "assignment_group",
        Target::fixed(Measure::BusinessTime, Amount::Time(TEAM_OLA)),
        finished,
        Condition::equals("status", "on_hold"),
    )?;
    let service = Service::builder(SERVICE, "IT service desk (ServiceNow UCI log)", "office")
        .policy(presets::servicenow_response(by_priority(RESPONSE))?)
        .policy(presets::servicenow_resolution(by_priority(RESOLUTION))?)
        .team_ola(ola)
        .build()?;
    Catalog::builder().calendar("office", calendar).service(service).build()
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
    rows: u64,
    events: u64,
    incidents: Vec<Incident>,
    made_sla: HashMap<String, bool>,
    rejected: BTreeMap<String, u64>,
    latest: DateTime<Utc>,
}

fn read(path: &str) -> Result<Export, Box<dyn Error>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_path(path)?;
    let headers = reader.byte_headers()?.clone();
    let at = |name: &str| {
        headers
            .iter()
            .position(|h| h == name.as_bytes())
            .ok_or_else(|| format!("{path}: no column `{name}`"))
    };
    let col: Vec<usize> = COLUMNS.iter().map(|c| at(c)).collect::<Result<_, _>>()?;
    let mut export = Export {
        rows: 0,
        events: 0,
        incidents: Vec::new(),
        made_sla: HashMap::new(),
        rejected: BTreeMap::new(),
        latest: DateTime::<Utc>::MIN_UTC,
    };
    let mut index: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut interner: HashMap<Vec<u8>, Value> = HashMap::new();
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                export.rows += 1;
                reject(&mut export, &format!("unreadable line ({})", short_error(&e)));
                continue;
            }
        }
        export.rows += 1;
        match parse_row(&record, &col, &mut interner) {
            Err(reason) => reject(&mut export, reason),
            Ok((number, opened, made_sla, row)) => {
                export.events += 1;
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

fn reject(export: &mut Export, reason: &str) {
    *export.rejected.entry(reason.to_string()).or_default() += 1;
}

type Parsed = (String, DateTime<Utc>, Option<bool>, Row);

fn parse_row(
    record: &csv::ByteRecord,
    col: &[usize],
    interner: &mut HashMap<Vec<u8>, Value>,
) -> Result<Parsed, &'static str> {
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
        if let Some(v) = interner.get(bytes) {
            return Ok(Some(v.clone()));
        }
        let v = Value::new(std::str::from_utf8(bytes).map_err(|_| "not UTF-8")?);
        interner.insert(bytes.to_vec(), v.clone());
        Ok(Some(v))
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
        match Timeline::lenient(events) {
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
    worst: Vec<(String, String, Cycle)>,
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
        let policy: Policy = presets::servicenow_resolution(by_priority(RESOLUTION))?;
        let mut review = Review {
            worst: Vec::new(),
            agree: 0,
            compared: 0,
            we_breach_they_met: 0,
            we_met_they_breach: 0,
        };
        let mut breaches = Vec::new();
        for timeline in timelines {
            let Ok(evaluation) = evaluate(&policy, calendar, timeline, as_of) else {
                continue;
            };
            let ended: Vec<&Cycle> = evaluation
                .cycles
                .iter()
                .filter(|c| matches!(c.state, State::Met | State::Breached))
                .collect();
            if let (Some(&made), false) = (made_sla.get(timeline.ticket().as_str()), ended.is_empty()) {
                let breached = ended.iter().any(|c| c.state == State::Breached);
                review.compared += 1;
                match (breached, made) {
                    (true, true) => review.we_breach_they_met += 1,
                    (false, false) => review.we_met_they_breach += 1,
                    _ => review.agree += 1,
                }
            }
            for cycle in evaluation.cycles {
                if cycle.state == State::Breached {
                    let priority = priority_at(timeline, cycle.start);
                    breaches.push((timeline.ticket().to_string(), priority, cycle));
                }
            }
        }
        breaches.sort_by_key(|(id, _, c)| (std::cmp::Reverse(c.business_used - c.target), id.clone()));
        breaches.truncate(10);
        review.worst = breaches;
        Ok(review)
    }
}

fn priority_at(timeline: &Timeline, at: DateTime<Utc>) -> String {
    let mut state = servicelevel::event::TicketState::new();
    for e in timeline.events().iter().take_while(|e| e.at() <= at) {
        state.apply(e);
    }
    state.get("priority").map_or("?".to_string(), |v| v.to_string())
}

struct Accounting {
    rows: u64,
    events: u64,
    incidents: u64,
    rejected: BTreeMap<String, u64>,
}

// ---------------------------------------------------------------- printing

/// A duration to the minute, as the crate writes durations (`26h5m`).
fn hours(d: TimeDelta) -> String {
    servicelevel::duration::format(TimeDelta::minutes(d.num_minutes()))
}

fn figure(f: servicelevel::ratio::Figure<rust_decimal::Decimal>) -> String {
    match f.known() {
        Some(p) => format!("{:.1}%", p.round_dp(1)),
        None => "-".to_string(),
    }
}

fn mean_median_p90(s: &Summary) -> String {
    let h = |f: servicelevel::ratio::Figure<TimeDelta>| f.known().map_or("-".to_string(), hours);
    format!("{:>7} {:>7} {:>7}", h(s.mean), h(s.median), h(s.p90))
}

fn print_review(report: &Report, review: &Review, calendar: &BusinessCalendar, accounting: &Accounting) {
    let service = &report.services[0];
    let meta = &report.metadata;
    println!(
        "SERVICE REVIEW: {} (as of {}, servicelevel {}, tzdb {})",
        service.name, meta.as_of, meta.crate_version, meta.tzdb_version
    );
    println!("Assumed targets, business hours Mon-Fri 08:00-18:00 UTC (the export does not publish its own):");
    for (i, p) in PRIORITIES.iter().enumerate() {
        println!(
            "  {p:<13} response {:>5}  resolution {:>5}",
            hours(RESPONSE[i]),
            hours(RESOLUTION[i])
        );
    }
    println!(
        "  team OLA: {} of business time per assignment-group stint, paused while awaiting",
        hours(TEAM_OLA)
    );
    let _ = calendar;

    println!("\nBY MONTH (cycles that ended in the month; backlog at its end)");
    println!(
        "{:<8} {:>7} {:>9} {:>10} {:>9} {:>7} {:>7} {:>7} {:>8} {:>7}",
        "month", "tickets", "response", "resolution", "breached", "MTTR", "median", "p90", "backlog", "reopen"
    );
    for section in &service.periods {
        let f = &section.overall;
        let (response, resolution) = (&f.policies[0], &f.policies[1]);
        println!(
            "{:<8} {:>7} {:>9} {:>10} {:>9} {} {:>8} {:>7}",
            section.window.start().format("%Y-%m"),
            f.tickets,
            figure(response.compliance.percent),
            figure(resolution.compliance.percent),
            resolution.compliance.breached,
            mean_median_p90(&resolution.wall_time),
            f.backlog.open,
            figure(f.reopen_rate),
        );
    }

    let total = &service.total;
    println!("\nBY PRIORITY (all cycles as of {})", total.as_of);
    println!(
        "{:<13} {:>7} {:>9} {:>10} {:>8} {:>8} {:>9} {:>9}",
        "priority", "tickets", "response", "resolution", "met", "breached", "running", "MTTR bus."
    );
    for (priority, f) in &total.breakdowns[0].groups {
        let (response, resolution) = (&f.policies[0], &f.policies[1]);
        println!(
            "{:<13} {:>7} {:>9} {:>10} {:>8} {:>8} {:>9} {:>9}",
            priority,
            f.tickets,
            figure(response.compliance.percent),
            figure(resolution.compliance.percent),
            resolution.compliance.met,
            resolution.compliance.breached,
            resolution.compliance.running + resolution.compliance.breached_running,
            resolution.business_time.mean.known().map_or("-".to_string(), hours),
        );
    }
    let f = &total.overall;
    println!(
        "all           {:>7} {:>9} {:>10} {:>8} {:>8} {:>9}",
        f.tickets,
        figure(f.policies[0].compliance.percent),
        figure(f.policies[1].compliance.percent),
        f.policies[1].compliance.met,
        f.policies[1].compliance.breached,
        f.policies[1].compliance.running + f.policies[1].compliance.breached_running,
    );
    println!(
        "resolution time, wall clock: mean {} median {} p90 {} p95 {} (n = {}, linear percentiles as numpy/pandas)",
        f.policies[1].wall_time.mean.known().map_or("-".into(), hours),
        f.policies[1].wall_time.median.known().map_or("-".into(), hours),
        f.policies[1].wall_time.p90.known().map_or("-".into(), hours),
        f.policies[1].wall_time.p95.known().map_or("-".into(), hours),
        f.policies[1].wall_time.count,
    );
    println!(
        "backlog at as_of: {} open {:?}; reopens {} of {} resolutions ({}); {} reassignments on {} tickets",
        f.backlog.open,
        f.backlog.buckets,
        f.reopens,
        f.resolutions,
        figure(f.reopen_rate),
        f.reassignments,
        f.reassigned_tickets
    );

    println!("\nTEAMS WITH THE WORST OLA COMPLIANCE (at least 20 stints)");
    println!(
        "{:<12} {:>7} {:>6} {:>9} {:>9} {:>9}",
        "group", "tickets", "OLA", "breached", "mean held", "p90 held"
    );
    let mut teams: Vec<_> = f.teams.iter().filter(|t| t.ola.met + t.ola.breached >= 20).collect();
    teams.sort_by_key(|t| (t.ola.percent.known(), t.group.clone()));
    for t in teams.iter().take(5) {
        println!(
            "{:<12} {:>7} {:>6} {:>9} {:>9} {:>9}",
            t.group.as_str(),
            t.tickets,
            figure(t.ola.percent),
            t.ola.breached,
            t.held.mean.known().map_or("-".into(), hours),
            t.held.p90.known().map_or("-".into(), hours),
        );
    }

    println!("\nTEN WORST RESOLUTION BREACHES (business time over target), explained");
    for (ticket, priority, cycle) in &review.worst {
        let mut by_kind: BTreeMap<&str, TimeDelta> = BTreeMap::new();
        let segments = cycle.segments(calendar);
        for s in &segments {
            let kind = match s.kind {
                SegmentKind::Counting => "counting",
                SegmentKind::OutsideHours => "outside hours",
                SegmentKind::Paused => "paused",
                _ => "stopped",
            };
            *by_kind.entry(kind).or_default() += s.to - s.from;
        }
        let parts: Vec<String> = by_kind.iter().map(|(k, d)| format!("{k} {}", hours(*d))).collect();
        println!(
            "  {ticket} {priority:<13} used {:>7} of {:>5} (+{}), {} segments: {}",
            hours(cycle.business_used),
            hours(cycle.target),
            hours(cycle.business_used - cycle.target),
            segments.len(),
            parts.join(", ")
        );
    }

    let pct = |n: u64| {
        let share = rust_decimal::Decimal::from(100 * n) / rust_decimal::Decimal::from(review.compared.max(1));
        format!("{:.1}%", share.round_dp(1))
    };
    println!(
        "\nAGREEMENT WITH THE EXPORT'S made_sla: {} of {} incidents ({}); we breach where it says made: {}, we meet where it says missed: {}",
        review.agree,
        review.compared,
        pct(review.agree),
        review.we_breach_they_met,
        review.we_met_they_breach
    );
    if !service.problems.is_empty() {
        println!(
            "{} ticket-policy pairs could not be evaluated, first: {}",
            service.problems.len(),
            service.problems[0].message
        );
    }
    let rejected: u64 = accounting.rejected.values().sum();
    let reasons: Vec<String> = accounting.rejected.iter().map(|(r, n)| format!("{n} {r}")).collect();
    println!(
        "\nACCOUNTING: {} rows read = {} used as events + {} rejected ({}); {} incidents",
        accounting.rows,
        accounting.events,
        rejected,
        if reasons.is_empty() {
            "none".to_string()
        } else {
            reasons.join(", ")
        },
        accounting.incidents
    );
}

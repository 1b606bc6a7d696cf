//! What the service review examples share: their command line, the
//! printed sections of a review, the worst breaches with their
//! explanation, and the accounting line. Each example keeps its own
//! mapping from an export to ticket events.

use std::collections::BTreeMap;
use std::error::Error;

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;
use servicelevel::BusinessCalendar;
use servicelevel::eval::{Cycle, Evaluation, SegmentKind, State};
use servicelevel::event::{TicketState, Timeline};
use servicelevel::metrics::Summary;
use servicelevel::ratio::Figure;
use servicelevel::report::{Figures, PolicyFigures, ServiceReport};

/// The options both review examples take.
pub struct Options {
    pub path: String,
    pub as_of: Option<DateTime<Utc>>,
    pub calendar: Option<String>,
    pub json: bool,
}

/// `[FILE] [--as-of RFC3339] [--calendar FILE.json] [--format text|json]`.
pub fn options(shipped: &str) -> Result<Options, Box<dyn Error>> {
    let mut options = Options {
        path: shipped.to_string(),
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

/// The calendar from `--calendar FILE.json`, or the example's own.
pub fn calendar(
    options: &Options,
    default: impl FnOnce() -> servicelevel::Result<BusinessCalendar>,
) -> Result<BusinessCalendar, Box<dyn Error>> {
    Ok(match &options.calendar {
        Some(path) => serde_json::from_str(&std::fs::read_to_string(path)?)?,
        None => default()?,
    })
}

/// Mon-Fri 08:00-18:00 in `zone`: the review examples' assumed hours.
pub fn office_hours(zone: chrono_tz::Tz) -> servicelevel::Result<BusinessCalendar> {
    use chrono::Weekday::*;
    BusinessCalendar::builder(zone)
        .weekdays(
            &[Mon, Tue, Wed, Thu, Fri],
            "08:00-18:00".parse::<servicelevel::calendar::Window>()?,
        )
        .build()
}

/// Business-time targets per value of `field` (a priority or impact).
pub fn by_level(field: &str, levels: &[&str], targets: &[TimeDelta]) -> servicelevel::policy::Target {
    let tiers = levels.iter().zip(targets).map(|(l, t)| (*l, *t));
    servicelevel::Target::business_by(field, tiers, None)
}

/// The position of each named column in the header, or which is missing.
pub fn columns(headers: &csv::ByteRecord, names: &[&str], path: &str) -> Result<Vec<usize>, String> {
    names
        .iter()
        .map(|name| {
            headers
                .iter()
                .position(|h| h == name.as_bytes())
                .ok_or_else(|| format!("{path}: no column `{name}`"))
        })
        .collect()
}

/// One shared `Value` per distinct text, so a million rows hold a few
/// thousand strings.
#[derive(Default)]
pub struct Interner(std::collections::HashMap<Vec<u8>, servicelevel::event::Value>);

impl Interner {
    pub fn intern(&mut self, text: &str) -> servicelevel::event::Value {
        if let Some(v) = self.0.get(text.as_bytes()) {
            return v.clone();
        }
        let v = servicelevel::event::Value::new(text);
        self.0.insert(text.as_bytes().to_vec(), v.clone());
        v
    }
}

/// First-reaction targets (ServiceNow response, Volvo time to accept) per
/// priority level, highest first, in business hours (Mon-Fri
/// 08:00-18:00): the examples' assumption, the same in both reviews so
/// that their figures compare.
pub const FIRST_REACTION: [TimeDelta; 4] = [
    TimeDelta::minutes(30),
    TimeDelta::hours(1),
    TimeDelta::hours(4),
    TimeDelta::hours(8),
];
/// Resolution targets per priority level, highest first, in business
/// hours: both reviews assume the same, so their figures compare.
pub const RESOLUTION: [TimeDelta; 4] = [
    TimeDelta::hours(4),
    TimeDelta::hours(10),
    TimeDelta::hours(30),
    TimeDelta::hours(50),
];
/// The team OLA both reviews assume: business time per stint.
pub const TEAM_OLA: TimeDelta = TimeDelta::hours(20);

/// A one-service catalog on the `office` calendar: the example's policies
/// plus the team OLA ([`TEAM_OLA`] of business time per stint with an
/// assignment group, stopped when the ticket finishes, paused while it
/// waits: the lifecycle's statuses).
pub fn review_catalog(
    service: (&str, &str),
    calendar: BusinessCalendar,
    policies: Vec<servicelevel::policy::Policy>,
    lifecycle: &servicelevel::policy::Lifecycle,
) -> servicelevel::Result<servicelevel::report::Catalog> {
    use servicelevel::policy::{Target, TeamOla};
    use servicelevel::report::{Catalog, Service};
    let ola = TeamOla::new(lifecycle, Target::business(TEAM_OLA))?;
    let mut builder = Service::builder(service.0, service.1, "office").team_ola(ola);
    for policy in policies {
        builder = builder.policy(policy);
    }
    Catalog::builder()
        .calendar("office", calendar)
        .service(builder.build()?)
        .build()
}

/// The targets an example assumes, printed with its review.
pub struct Assumptions<'a> {
    pub calendar: &'a str,
    pub priorities: &'a [&'a str],
    pub response_name: &'a str,
    /// The ids of the response and resolution policies.
    pub policies: [&'a str; 2],
    pub response: &'a [TimeDelta],
    pub resolution: &'a [TimeDelta],
    pub team_ola: TimeDelta,
}

impl Assumptions<'_> {
    /// The response and resolution policies' figures, by id.
    fn figures<'f>(&self, f: &'f Figures) -> (&'f PolicyFigures, &'f PolicyFigures) {
        let by_id = |id| f.policy(id).expect("the catalog has both policies");
        (by_id(self.policies[0]), by_id(self.policies[1]))
    }
}

/// A duration to the minute, as the crate writes durations (`26h5m`).
pub fn hours(d: TimeDelta) -> String {
    servicelevel::duration::format(TimeDelta::minutes(d.num_minutes()))
}

fn known_hours(f: Figure<TimeDelta>) -> String {
    f.known().map_or("-".to_string(), hours)
}

/// A percentage to one decimal, or `-` when there is nothing to divide.
pub fn figure(f: Figure<Decimal>) -> String {
    match f.known() {
        Some(p) => format!("{:.1}%", p.round_dp(1)),
        None => "-".to_string(),
    }
}

fn mean_median_p90(s: &Summary) -> String {
    format!(
        "{:>7} {:>7} {:>7}",
        known_hours(s.mean),
        known_hours(s.median),
        known_hours(s.p90)
    )
}

/// The heading, the assumed targets, and the review's tables: by month,
/// by priority, and the worst teams.
pub fn print_sections(service: &ServiceReport, report: &servicelevel::report::Report, assumed: &Assumptions) {
    let meta = &report.metadata;
    println!(
        "SERVICE REVIEW: {} (as of {}, servicelevel {}, tzdb {})",
        service.name, meta.as_of, meta.crate_version, meta.tzdb_version
    );
    println!(
        "Assumed targets, business hours {} (the export does not publish its own):",
        assumed.calendar
    );
    for (i, p) in assumed.priorities.iter().enumerate() {
        println!(
            "  {p:<13} {} {:>5}  resolution {:>5}",
            assumed.response_name,
            hours(assumed.response[i]),
            hours(assumed.resolution[i])
        );
    }
    println!(
        "  team OLA: {} of business time per assignment-group stint, paused while waiting",
        hours(assumed.team_ola)
    );
    print_months(service, assumed, meta.zone.unwrap_or(chrono_tz::UTC));
    print_priorities(service, assumed);
    print_teams(&service.total.overall);
}

fn print_months(service: &ServiceReport, assumed: &Assumptions, zone: chrono_tz::Tz) {
    println!("\nBY MONTH in {zone} (cycles that ended in the month; backlog at its end)");
    println!(
        "{:<8} {:>7} {:>9} {:>10} {:>9} {:>7} {:>7} {:>7} {:>8} {:>7}",
        "month",
        "tickets",
        assumed.response_name,
        "resolution",
        "breached",
        "MTTR",
        "median",
        "p90",
        "backlog",
        "reopen"
    );
    for section in &service.periods {
        let f = &section.overall;
        let (response, resolution) = assumed.figures(f);
        println!(
            "{:<8} {:>7} {:>9} {:>10} {:>9} {} {:>8} {:>7}",
            section.label,
            f.tickets,
            figure(response.compliance.percent),
            figure(resolution.compliance.percent),
            resolution.compliance.breached,
            mean_median_p90(&resolution.wall_time),
            f.backlog.open,
            figure(f.reopen_rate),
        );
    }
}

fn print_priorities(service: &ServiceReport, assumed: &Assumptions) {
    let total = &service.total;
    println!("\nBY PRIORITY (all cycles as of {})", total.as_of);
    println!(
        "{:<13} {:>7} {:>9} {:>10} {:>8} {:>8} {:>9} {:>9}",
        "priority", "tickets", assumed.response_name, "resolution", "met", "breached", "running", "MTTR bus."
    );
    let row = |name: &str, f: &Figures| {
        let (response, resolution) = assumed.figures(f);
        println!(
            "{:<13} {:>7} {:>9} {:>10} {:>8} {:>8} {:>9} {:>9}",
            name,
            f.tickets,
            figure(response.compliance.percent),
            figure(resolution.compliance.percent),
            resolution.compliance.met,
            resolution.compliance.breached,
            resolution.compliance.running + resolution.compliance.breached_running,
            known_hours(resolution.mean_counted_time()),
        );
    };
    if let Some(breakdown) = total.breakdown("priority") {
        for group in &breakdown.groups {
            row(group.value.as_ref().map_or("(none)", |v| v.as_str()), &group.figures);
        }
    }
    let f = &total.overall;
    row("all", f);
    let wall = &assumed.figures(f).1.wall_time;
    println!(
        "resolution time, wall clock: mean {} median {} p90 {} p95 {} (n = {}, linear percentiles as numpy/pandas)",
        known_hours(wall.mean),
        known_hours(wall.median),
        known_hours(wall.p90),
        known_hours(wall.p95),
        wall.count,
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
}

fn print_teams(f: &Figures) {
    // Twenty ended stints make a percentage worth ranking; a small file
    // ranks every team that has one.
    let stints = |t: &&servicelevel::report::TeamFigures| t.ola.met + t.ola.breached;
    let least = if f.teams.iter().any(|t| stints(&t) >= 20) {
        20
    } else {
        1
    };
    println!("\nTEAMS WITH THE WORST OLA COMPLIANCE (at least {least} ended stints)");
    println!(
        "{:<12} {:>7} {:>6} {:>9} {:>9} {:>9}",
        "group", "tickets", "OLA", "breached", "mean held", "p90 held"
    );
    let mut teams: Vec<_> = f.teams.iter().filter(|t| stints(t) >= least).collect();
    teams.sort_by_key(|t| (t.ola.percent.known(), t.group.clone()));
    for t in teams.iter().take(5) {
        println!(
            "{:<12} {:>7} {:>6} {:>9} {:>9} {:>9}",
            t.group.as_str(),
            t.tickets,
            figure(t.ola.percent),
            t.ola.breached,
            known_hours(t.held.mean),
            known_hours(t.held.p90),
        );
    }
}

/// The breaches furthest over target, kept while evaluations stream by.
#[derive(Default)]
pub struct Worst {
    breaches: Vec<(String, String, Cycle)>,
}

impl Worst {
    /// Takes the evaluation's breached cycles, each with the priority it
    /// started under.
    pub fn consider(&mut self, timeline: &Timeline, evaluation: &Evaluation) {
        for cycle in &evaluation.cycles {
            if cycle.state == State::Breached {
                let priority = value_at(timeline, "priority", cycle.start);
                self.breaches
                    .push((timeline.ticket().to_string(), priority, cycle.clone()));
            }
        }
        if self.breaches.len() > 1000 {
            self.keep(10);
        }
    }

    fn keep(&mut self, n: usize) {
        self.breaches
            .sort_by_key(|(id, _, c)| (std::cmp::Reverse(c.business_used - c.target), id.clone()));
        self.breaches.truncate(n);
    }

    /// The ten worst, each with its segments summed by kind.
    pub fn print(&mut self, calendar: &BusinessCalendar) {
        self.keep(10);
        println!("\nTEN WORST RESOLUTION BREACHES (business time over target), explained");
        for (ticket, priority, cycle) in &self.breaches {
            let mut by_kind: BTreeMap<&str, TimeDelta> = BTreeMap::new();
            // Up to the cycle's end: the stretch from there to as_of is
            // not part of why it breached.
            let segments: Vec<_> = cycle
                .segments(calendar)
                .into_iter()
                .filter(|s| s.kind != SegmentKind::Stopped)
                .collect();
            for s in &segments {
                let kind = match s.kind {
                    SegmentKind::Counting => "counting",
                    SegmentKind::OutsideHours => "outside hours",
                    _ => "paused",
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
    }
}

/// A field's value at an instant, `?` when unset.
fn value_at(timeline: &Timeline, field: &str, at: DateTime<Utc>) -> String {
    let mut state = TicketState::new();
    for e in timeline.events().iter().take_while(|e| e.at() <= at) {
        state.apply(e);
    }
    state.get(field).map_or("?".to_string(), |v| v.to_string())
}

/// Where every input row went.
#[derive(Default)]
pub struct Accounting {
    pub rows: u64,
    pub events: u64,
    pub tickets: u64,
    pub rejected: BTreeMap<String, u64>,
}

impl Accounting {
    /// Counts one rejected row under its reason.
    pub fn reject(&mut self, reason: &str) {
        *self.rejected.entry(reason.to_string()).or_default() += 1;
    }

    /// The problems the report lists, then the accounting line.
    pub fn print(&self, service: &ServiceReport, tickets: &str) {
        if !service.problems.is_empty() {
            println!(
                "{} ticket-policy pairs could not be evaluated, first: {}",
                service.problems.len(),
                service.problems[0].error
            );
        }
        let rejected: u64 = self.rejected.values().sum();
        let reasons: Vec<String> = self.rejected.iter().map(|(r, n)| format!("{n} {r}")).collect();
        println!(
            "\nACCOUNTING: {} rows read = {} used as events + {} rejected ({}); {} {tickets}",
            self.rows,
            self.events,
            rejected,
            if reasons.is_empty() {
                "none".to_string()
            } else {
                reasons.join(", ")
            },
            self.tickets
        );
    }
}

//! The review as text: by period, by breakdown value, the worst teams, the
//! worst breaches explained, the agreement and the ledger.

use servicelevel::chrono::TimeDelta;
use servicelevel::eval::SegmentKind;
use servicelevel::metrics::Summary;
use servicelevel::ratio::Figure;
use servicelevel::report::{Figures, PolicyFigures, ServiceReport, TeamFigures};
use servicelevel::rust_decimal::Decimal;
use servicelevel::{Report, duration};

/// The review of `service` as text.
pub fn review(report: &Report, service: &str, headline: &str) -> String {
    let mut text = String::new();
    let o = &mut text;
    let Some(s) = report.services.iter().find(|s| s.service.as_str() == service) else {
        return text;
    };
    let meta = &report.metadata;
    out!(
        o,
        "SERVICE REVIEW: {} (as of {}, servicelevel {}, tzdb {})",
        s.name,
        meta.as_of,
        meta.crate_version,
        meta.tzdb_version
    );
    if let Some(entry) = meta.catalog.service(service) {
        let calendar = meta.catalog.calendar_of(entry);
        out!(o, "Calendar: {} ({})", entry.calendar(), calendar.time_zone());
        for obligation in entry.obligations() {
            let policy = &obligation.policy;
            out!(o, "  {:<24} {}", policy.id().as_str(), policy.target());
        }
        if let Some(ola) = entry.team_ola() {
            out!(o, "  team OLA per assignment-group stint: {}", ola.target());
        }
    }
    print_periods(o, s, headline, meta.zone.unwrap_or(servicelevel::chrono_tz::UTC));
    print_breakdowns(o, s, headline);
    print_teams(o, &s.total.overall);
    print_worst(o, s);
    print_agreement(o, s);
    print_ledger(o, report, s);
    text
}

/// A duration to the minute (`26h5m`).
fn hours(d: TimeDelta) -> String {
    duration::format(TimeDelta::minutes(d.num_minutes()))
}

fn known_hours(f: Figure<TimeDelta>) -> String {
    f.known().map_or("-".to_string(), hours)
}

fn percent(f: Figure<Decimal>) -> String {
    f.known().map_or("-".to_string(), |p| format!("{:.1}%", p.round_dp(1)))
}

fn mean_median_p90(s: &Summary) -> String {
    format!(
        "{:>8} {:>8} {:>8}",
        known_hours(s.mean),
        known_hours(s.median),
        known_hours(s.p90)
    )
}

fn policy_headers(f: &Figures) -> String {
    f.policies
        .iter()
        .map(|p| format!(" {:>w$}", p.policy.as_str(), w = width(p)))
        .collect()
}

fn width(p: &PolicyFigures) -> usize {
    p.policy.as_str().len().max(6)
}

fn compliance_cells(f: &Figures) -> String {
    f.policies
        .iter()
        .map(|p| format!(" {:>w$}", percent(p.compliance.percent), w = width(p)))
        .collect()
}

fn print_periods(o: &mut String, s: &ServiceReport, headline: &str, zone: servicelevel::chrono_tz::Tz) {
    let Some(first) = s.periods.first() else {
        return;
    };
    out!(
        o,
        "\nBY PERIOD in {zone} (cycles that ended in the period; backlog at its end; times of {headline})"
    );
    out!(
        o,
        "{:<8} {:>7}{} {:>8} {:>8} {:>8} {:>8} {:>7} {:>7}",
        "period",
        "tickets",
        policy_headers(&first.overall),
        "breached",
        "MTTR",
        "median",
        "p90",
        "backlog",
        "reopen"
    );
    for section in &s.periods {
        let f = &section.overall;
        let Some(h) = f.policy(headline) else { continue };
        out!(
            o,
            "{:<8} {:>7}{} {:>8} {} {:>7} {:>7}",
            section.label,
            f.tickets,
            compliance_cells(f),
            h.compliance.breached,
            mean_median_p90(&h.wall_time),
            f.backlog.open,
            percent(f.reopen_rate),
        );
    }
}

fn print_breakdowns(o: &mut String, s: &ServiceReport, headline: &str) {
    let total = &s.total;
    let row = |o: &mut String, name: &str, f: &Figures| {
        let Some(h) = f.policy(headline) else { return };
        out!(
            o,
            "{:<16} {:>7}{} {:>8} {:>8} {:>8} {:>9}",
            name,
            f.tickets,
            compliance_cells(f),
            h.compliance.met,
            h.compliance.breached,
            h.compliance.running + h.compliance.breached_running,
            known_hours(h.mean_counted_time()),
        );
    };
    for breakdown in &total.breakdowns {
        out!(
            o,
            "\nBY {} (all cycles as of {})",
            breakdown.field.as_str().to_uppercase(),
            total.as_of
        );
        out!(
            o,
            "{:<16} {:>7}{} {:>8} {:>8} {:>8} {:>9}",
            breakdown.field.as_str(),
            "tickets",
            policy_headers(&total.overall),
            "met",
            "breached",
            "running",
            "MTTR bus."
        );
        for group in &breakdown.groups {
            row(o, group.value.as_ref().map_or("(none)", |v| v.as_str()), &group.figures);
        }
        row(o, "all", &total.overall);
    }
    let f = &total.overall;
    if let Some(h) = f.policy(headline) {
        let wall = &h.wall_time;
        out!(
            o,
            "{headline}, wall clock: mean {} median {} p90 {} p95 {} (n = {}, linear percentiles as numpy/pandas)",
            known_hours(wall.mean),
            known_hours(wall.median),
            known_hours(wall.p90),
            known_hours(wall.p95),
            wall.count,
        );
    }
    out!(
        o,
        "backlog at as_of: {} open {:?}; reopens {} of {} resolutions ({}); {} reassignments on {} tickets",
        f.backlog.open,
        f.backlog.buckets,
        f.reopens,
        f.resolutions,
        percent(f.reopen_rate),
        f.reassignments,
        f.reassigned_tickets
    );
    let ack = &f.time_to_acknowledge;
    out!(
        o,
        "time to acknowledge (assigned, or out of the initial status): mean {} median {} p90 {} (n = {})",
        known_hours(ack.mean),
        known_hours(ack.median),
        known_hours(ack.p90),
        ack.count,
    );
}

fn print_teams(o: &mut String, f: &Figures) {
    if f.teams.is_empty() {
        return;
    }
    // Twenty ended stints make a percentage worth ranking; a small file
    // ranks every team that has one.
    let stints = |t: &TeamFigures| t.ola.met + t.ola.breached;
    let least = if f.teams.iter().any(|t| stints(t) >= 20) { 20 } else { 1 };
    out!(
        o,
        "\nTEAMS WITH THE WORST OLA COMPLIANCE (at least {least} ended stints)"
    );
    out!(
        o,
        "{:<16} {:>7} {:>6} {:>9} {:>9} {:>9}",
        "group",
        "tickets",
        "OLA",
        "breached",
        "mean held",
        "p90 held"
    );
    let mut teams: Vec<_> = f.teams.iter().filter(|t| stints(t) >= least).collect();
    teams.sort_by_key(|t| (t.ola.percent.known(), t.group.clone()));
    for t in teams.iter().take(5) {
        out!(
            o,
            "{:<16} {:>7} {:>6} {:>9} {:>9} {:>9}",
            t.group.as_str(),
            t.tickets,
            percent(t.ola.percent),
            t.ola.breached,
            known_hours(t.held.mean),
            known_hours(t.held.p90),
        );
    }
}

fn print_worst(o: &mut String, s: &ServiceReport) {
    let mut policies: Vec<&str> = s.worst.iter().map(|b| b.policy.as_str()).collect();
    policies.dedup();
    for policy in policies {
        let breaches: Vec<_> = s.worst.iter().filter(|b| b.policy.as_str() == policy).collect();
        out!(
            o,
            "\nTHE {} WORST {policy} BREACHES (time over target), explained",
            breaches.len()
        );
        for b in breaches {
            let parts: Vec<String> = b
                .by_kind
                .iter()
                .map(|k| format!("{} {}", kind_name(k.kind), hours(k.total)))
                .collect();
            let segments: usize = b.by_kind.iter().map(|k| k.segments).sum();
            out!(
                o,
                "  {} {:<13} used {:>8} of {:>5} (+{}), {} segments: {}",
                b.ticket,
                b.tier.as_ref().map_or("-", |t| t.as_str()),
                hours(b.used),
                hours(b.target),
                hours(b.over),
                segments,
                parts.join(", ")
            );
        }
    }
}

fn kind_name(kind: SegmentKind) -> &'static str {
    match kind {
        SegmentKind::Counting => "counting",
        SegmentKind::OutsideHours => "outside hours",
        SegmentKind::Paused => "paused",
        _ => "stopped",
    }
}

fn print_agreement(o: &mut String, s: &ServiceReport) {
    let Some(a) = &s.agreement else { return };
    let reasons: Vec<String> = a.by_reason().iter().map(|(r, n)| format!("{n} {r}")).collect();
    out!(
        o,
        "\nAGREEMENT WITH THE RECORDED VERDICTS ({}): {} of {} tickets ({}); we breach where it says met: {}, \
         we meet where it says breached: {}; likeliest reasons: {}",
        a.policy,
        a.agreed,
        a.compared,
        percent(a.percent()),
        a.we_breach_tool_met,
        a.we_meet_tool_breached,
        if reasons.is_empty() {
            "none".to_string()
        } else {
            reasons.join(", ")
        }
    );
}

fn print_ledger(o: &mut String, report: &Report, s: &ServiceReport) {
    if !s.problems.is_empty() {
        out!(
            o,
            "{} ticket-policy pairs could not be evaluated, first: {}",
            s.problems.len(),
            s.problems[0].error
        );
    }
    if let Some(ledger) = &report.ledger {
        out!(o, "\nACCOUNTING: {ledger}");
        for r in ledger.rejected().iter().take(5) {
            let source = &ledger.sources()[r.source].name;
            let ticket = r.ticket.as_ref().map_or(String::new(), |t| format!(" ({t})"));
            out!(o, "  {source} row {}{ticket}: {}", r.row, r.reason);
        }
        if ledger.rejected().len() > 5 {
            out!(o, "  ... {} more in the JSON report", ledger.rejected().len() - 5);
        }
    }
}

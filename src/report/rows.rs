//! A report as tidy rows: one figure per row, with plain numbers and
//! labels, for a spreadsheet, pandas, Polars, DuckDB or a BI tool.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::figures::{Figures, PolicyFigures, Section, TeamFigures};
use super::{Report, ServiceReport};
use crate::availability::WindowAvailability;
use crate::metrics::{Compliance, Summary};
use crate::ratio::Figure;

/// One figure of a [`Report`]: which service, period, breakdown group,
/// team and policy it is about, the measure, its unit and its value.
///
/// Written with the `csv` crate (or any serde writer) the rows make a long
/// table that loads without a custom parser: `value` is a plain decimal
/// number (exact: seconds to the nanosecond, percentages to the report's
/// six places) or empty when the figure is unknown (an empty sample, a
/// percentage without a denominator). Text columns are empty where a
/// dimension does not apply.
///
/// | column | holds |
/// |---|---|
/// | `service` | the service id |
/// | `period` | the period label (`2016-03`), or `total` |
/// | `start`, `end` | the period's window, RFC 3339 UTC |
/// | `breakdown`, `group` | the breakdown field and its value (`group` empty for tickets without the field); both empty for all tickets |
/// | `team` | the assignment group, for team figures |
/// | `policy` | the policy id, for a policy's figures |
/// | `measure` | what is measured (`tickets`, `met`, `compliance`, `business_time_mean`, ...) |
/// | `unit` | `count`, `percent` or `seconds` |
/// | `value` | the number, or empty when unknown |
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Row {
    /// The service id.
    pub service: String,
    /// The period label, or `total`.
    pub period: String,
    /// The window's start.
    pub start: DateTime<Utc>,
    /// The window's end.
    pub end: DateTime<Utc>,
    /// The breakdown field, or empty.
    pub breakdown: String,
    /// The breakdown value, or empty.
    pub group: String,
    /// The assignment group of a team figure, or empty.
    pub team: String,
    /// The policy id of a policy figure, or empty.
    pub policy: String,
    /// The measure.
    pub measure: &'static str,
    /// Its unit.
    pub unit: Unit,
    /// The value, when known.
    pub value: Option<Decimal>,
}

/// The unit of a [`Row`]'s value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Unit {
    /// A count.
    Count,
    /// A percentage (`99.5` is 99.5 %).
    Percent,
    /// Seconds, with up to nine decimals.
    Seconds,
}

impl Report {
    /// The report's figures as tidy rows: per service, its total then its
    /// periods; per section, all tickets then each breakdown group; per
    /// slice, the ticket figures, each policy's, then each team's; then the
    /// availability windows of a commitment. See [`Row`].
    ///
    /// ```
    /// # use servicelevel::report::{Catalog, ReportSpec, Service};
    /// # use servicelevel::{BusinessCalendar, Lifecycle};
    /// # let catalog = Catalog::builder()
    /// #     .calendar("24x7", BusinessCalendar::always_open(chrono_tz::UTC))
    /// #     .service(Service::builder("mail", "Mail", "24x7").build()?)
    /// #     .build()?;
    /// # let spec = ReportSpec::builder(catalog).lifecycle(Lifecycle::new("status", ["resolved"], ["closed"])?).build()?;
    /// # let as_of = "2025-06-02T12:00:00Z".parse().unwrap();
    /// let report = spec.reporter(as_of).finish();
    /// let tickets = report.rows().into_iter().find(|r| r.measure == "tickets").unwrap();
    /// assert_eq!((tickets.period.as_str(), tickets.value), ("total", Some(0.into())));
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    pub fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        for service in &self.services {
            for section in std::iter::once(&service.total).chain(&service.periods) {
                section_rows(service, section, &mut rows);
            }
            if let Some(availability) = &service.availability {
                for window in &availability.windows {
                    let label = self.commitment_label(service, window.availability.window.start());
                    let mut at = Place::new(service, &label, &window.availability);
                    availability_rows(&mut at, &window.availability, &mut rows);
                }
            }
        }
        rows
    }
}

impl Report {
    /// The label of `service`'s commitment window starting at `start`
    /// (`2024-Q3`), in the zone of the commitment's calendar (the start in
    /// RFC 3339 for a service without a commitment).
    pub fn commitment_label(&self, service: &ServiceReport, start: DateTime<Utc>) -> String {
        let catalog = &self.metadata.catalog;
        let Some(entry) = catalog.service(service.service.as_str()) else {
            return start.to_rfc3339();
        };
        let Some(commitment) = entry.commitment() else {
            return start.to_rfc3339();
        };
        let calendar = commitment
            .calendar()
            .and_then(|name| catalog.calendars().get(name))
            .unwrap_or_else(|| catalog.calendar_of(entry));
        commitment.period().label_of(calendar.time_zone(), start)
    }
}

/// Where a figure sits: everything of a [`Row`] but the measure.
struct Place {
    service: String,
    period: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    breakdown: String,
    group: String,
    team: String,
    policy: String,
}

impl Place {
    fn new(service: &ServiceReport, period: &str, window: &WindowAvailability) -> Place {
        Place {
            service: service.service.to_string(),
            period: period.to_string(),
            start: window.window.start(),
            end: window.window.end(),
            breakdown: String::new(),
            group: String::new(),
            team: String::new(),
            policy: String::new(),
        }
    }

    fn row(&self, measure: &'static str, unit: Unit, value: Option<Decimal>) -> Row {
        Row {
            service: self.service.clone(),
            period: self.period.clone(),
            start: self.start,
            end: self.end,
            breakdown: self.breakdown.clone(),
            group: self.group.clone(),
            team: self.team.clone(),
            policy: self.policy.clone(),
            measure,
            unit,
            value,
        }
    }
}

fn count(n: u64) -> Option<Decimal> {
    Some(Decimal::from(n))
}

fn percent(f: Figure<Decimal>) -> Option<Decimal> {
    f.known()
}

/// Exact seconds: nanoseconds with the point moved nine places.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "seconds of a TimeDelta times 10^9 fit an i128"
)]
fn seconds(d: TimeDelta) -> Option<Decimal> {
    let nanos = i128::from(d.num_seconds()) * 1_000_000_000 + i128::from(d.subsec_nanos());
    Decimal::try_from_i128_with_scale(nanos, 9).ok().map(|s| s.normalize())
}

fn section_rows(service: &ServiceReport, section: &Section, rows: &mut Vec<Row>) {
    let mut at = Place {
        service: service.service.to_string(),
        period: section.label.clone(),
        start: section.window.start(),
        end: section.window.end(),
        breakdown: String::new(),
        group: String::new(),
        team: String::new(),
        policy: String::new(),
    };
    figures_rows(&mut at, &section.overall, rows);
    for breakdown in &section.breakdowns {
        at.breakdown = breakdown.field.to_string();
        for group in &breakdown.groups {
            at.group = group.value.as_ref().map(|v| v.to_string()).unwrap_or_default();
            figures_rows(&mut at, &group.figures, rows);
        }
    }
}

fn figures_rows(at: &mut Place, f: &Figures, rows: &mut Vec<Row>) {
    let counts = [
        ("tickets", f.tickets),
        ("backlog", f.backlog.open),
        ("resolutions", f.resolutions),
        ("reopens", f.reopens),
        ("reassignments", f.reassignments),
        ("reassigned_tickets", f.reassigned_tickets),
    ];
    rows.extend(counts.iter().map(|(m, n)| at.row(m, Unit::Count, count(*n))));
    rows.push(at.row("reopen_rate", Unit::Percent, percent(f.reopen_rate)));
    summary_rows(at, &f.backlog.age, BACKLOG_AGE, rows);
    summary_rows(at, &f.time_to_acknowledge, TIME_TO_ACKNOWLEDGE, rows);
    summary_rows(at, &f.time_to_detect, TIME_TO_DETECT, rows);
    rows.push(at.row("detection_unknown", Unit::Count, count(f.detection_unknown)));
    for p in &f.policies {
        at.policy = p.policy.to_string();
        policy_rows(at, p, rows);
    }
    at.policy.clear();
    for t in &f.teams {
        at.team = t.group.to_string();
        team_rows(at, t, rows);
    }
    at.team.clear();
}

fn policy_rows(at: &Place, p: &PolicyFigures, rows: &mut Vec<Row>) {
    compliance_rows(at, &p.compliance, COMPLIANCE, rows);
    summary_rows(at, &p.business_time, BUSINESS_TIME, rows);
    summary_rows(at, &p.wall_time, WALL_TIME, rows);
}

fn team_rows(at: &Place, t: &TeamFigures, rows: &mut Vec<Row>) {
    rows.push(at.row("tickets", Unit::Count, count(t.tickets)));
    compliance_rows(at, &t.ola, OLA, rows);
    summary_rows(at, &t.held, HELD, rows);
}

/// Measure names of a compliance, in [`compliance_rows`]'s order.
type ComplianceNames = [&'static str; 7];
const COMPLIANCE: ComplianceNames = [
    "met",
    "breached",
    "running",
    "breached_running",
    "cancelled",
    "not_started",
    "compliance",
];
const OLA: ComplianceNames = [
    "ola_met",
    "ola_breached",
    "ola_running",
    "ola_breached_running",
    "ola_cancelled",
    "ola_not_started",
    "ola_compliance",
];

fn compliance_rows(at: &Place, c: &Compliance, names: ComplianceNames, rows: &mut Vec<Row>) {
    let counts = [
        c.met,
        c.breached,
        c.running,
        c.breached_running,
        c.cancelled,
        c.not_started,
    ];
    rows.extend(names.iter().zip(counts).map(|(m, n)| at.row(m, Unit::Count, count(n))));
    rows.push(at.row(names[6], Unit::Percent, percent(c.percent)));
}

/// Measure names of a summary: count, then total, mean, median, p90,
/// p95, min, max in seconds.
type SummaryNames = [&'static str; 8];
const BUSINESS_TIME: SummaryNames = [
    "business_time_count",
    "business_time_total",
    "business_time_mean",
    "business_time_median",
    "business_time_p90",
    "business_time_p95",
    "business_time_min",
    "business_time_max",
];
const WALL_TIME: SummaryNames = [
    "wall_time_count",
    "wall_time_total",
    "wall_time_mean",
    "wall_time_median",
    "wall_time_p90",
    "wall_time_p95",
    "wall_time_min",
    "wall_time_max",
];
const HELD: SummaryNames = [
    "held_count",
    "held_total",
    "held_mean",
    "held_median",
    "held_p90",
    "held_p95",
    "held_min",
    "held_max",
];
const TIME_TO_ACKNOWLEDGE: SummaryNames = [
    "time_to_acknowledge_count",
    "time_to_acknowledge_total",
    "time_to_acknowledge_mean",
    "time_to_acknowledge_median",
    "time_to_acknowledge_p90",
    "time_to_acknowledge_p95",
    "time_to_acknowledge_min",
    "time_to_acknowledge_max",
];

const TIME_TO_DETECT: SummaryNames = [
    "time_to_detect_count",
    "time_to_detect_total",
    "time_to_detect_mean",
    "time_to_detect_median",
    "time_to_detect_p90",
    "time_to_detect_p95",
    "time_to_detect_min",
    "time_to_detect_max",
];

const BACKLOG_AGE: SummaryNames = [
    "backlog_age_count",
    "backlog_age_total",
    "backlog_age_mean",
    "backlog_age_median",
    "backlog_age_p90",
    "backlog_age_p95",
    "backlog_age_min",
    "backlog_age_max",
];

fn summary_rows(at: &Place, s: &Summary, names: SummaryNames, rows: &mut Vec<Row>) {
    rows.push(at.row(names[0], Unit::Count, count(s.count)));
    rows.push(at.row(names[1], Unit::Seconds, seconds(s.total)));
    let figures = [s.mean, s.median, s.p90, s.p95, s.min, s.max];
    rows.extend(
        names[2..]
            .iter()
            .zip(figures)
            .map(|(m, f)| at.row(m, Unit::Seconds, f.known().and_then(seconds))),
    );
}

fn availability_rows(at: &mut Place, w: &WindowAvailability, rows: &mut Vec<Row>) {
    let times = [
        ("agreed_service_time", w.agreed_service_time),
        ("maintenance", w.maintenance),
        ("counted_service_time", w.counted_service_time),
        ("unplanned_downtime", w.unplanned_downtime),
        ("downtime", w.downtime),
    ];
    rows.extend(times.iter().map(|(m, d)| at.row(m, Unit::Seconds, seconds(*d))));
    rows.push(at.row("failures", Unit::Count, count(w.failures)));
    rows.push(at.row("availability", Unit::Percent, percent(w.availability)));
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests compute expected values")]
mod tests {
    use super::*;

    #[test]
    fn seconds_are_exact_to_the_nanosecond() {
        let d = TimeDelta::seconds(163_410) + TimeDelta::milliseconds(920);
        assert_eq!(seconds(d).unwrap().to_string(), "163410.92");
        assert_eq!(seconds(TimeDelta::nanoseconds(-1)).unwrap().to_string(), "-0.000000001");
        // TimeDelta::MAX is i64::MAX milliseconds.
        assert_eq!(seconds(TimeDelta::MAX).unwrap().to_string(), "9223372036854775.807");
    }
}

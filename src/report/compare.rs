//! Two reviews of the same tickets under two specs (a policy edit, another
//! calendar, another breach rule), and which verdicts flip between them.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, Utc};

use super::reporter::{Evaluated, Reporter};
use super::{Catalog, Report, ReportSpec};
use crate::calendar::BusinessCalendar;
use crate::error::Result;
use crate::eval::{Cycle, Evaluation, Verdict, VerdictChange};
use crate::event::{PolicyId, ServiceId, Timeline};

/// Builds two [`Report`]s of the same tickets, one per spec, and lists the
/// cycles whose verdict differs between them: what a policy edit, a new
/// calendar or another breach rule would change, ticket by ticket, with
/// where each explanation parts from the other
/// ([`eval::verdict_changes`](crate::eval::verdict_changes)).
///
/// Policies are matched by id within each service; a policy only one spec
/// has makes every cycle of it a change (its other side
/// [`State::NotStarted`](crate::eval::State::NotStarted)). Cycles are
/// compared as of `as_of`. A ticket one side cannot evaluate under a policy
/// is that report's [`problem`](super::ServiceReport::problems), and no
/// change is listed for the pair.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use servicelevel::eval::State;
/// use servicelevel::report::Comparison;
/// use servicelevel::{presets, BusinessCalendar, Catalog, Event, Lifecycle, ReportSpec, Service, Target, Timeline};
///
/// let spec = |hours| -> Result<ReportSpec, servicelevel::Error> {
///     let lifecycle = Lifecycle::servicenow();
///     let resolution = presets::servicenow_resolution(&lifecycle, Target::wall(TimeDelta::hours(hours)))?;
///     let service = Service::builder("mail", "Mail", "24x7").policy(resolution).build()?;
///     let catalog = Catalog::builder().calendar("24x7", BusinessCalendar::always_open(chrono_tz::UTC)).service(service).build()?;
///     ReportSpec::builder(catalog).lifecycle(lifecycle).build()
/// };
/// let at = |h| Utc.with_ymd_and_hms(2025, 6, 2, h, 0, 0).unwrap();
/// let mut comparison = Comparison::new(spec(8)?, spec(4)?, at(23));
/// for (id, hours) in [("INC1", 2), ("INC2", 6)] {
///     let ticket = Timeline::new(vec![
///         Event::created(id, at(9), [("status", "new")]),
///         Event::set(id, at(9 + hours), [("status", "resolved")]),
///     ])?;
///     comparison.add("mail", &ticket)?;
/// }
/// let diff = comparison.finish();
/// // Cutting the target from 8 h to 4 h breaches the 6-hour ticket only.
/// assert_eq!(diff.changes.len(), 1);
/// let change = &diff.changes[0];
/// assert_eq!((change.service.as_str(), change.change.ticket.as_str()), ("mail", "INC2"));
/// assert_eq!((change.change.before.state, change.change.after.state), (State::Met, State::Breached));
/// assert_eq!(diff.flips()[0].tickets, 1);
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Comparison {
    before: Reporter,
    after: Reporter,
    changes: Vec<ReportChange>,
}

/// What a [`Comparison`] found: the two reports and the verdicts that
/// differ.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ReportDiff {
    /// The report under the first spec.
    pub before: Report,
    /// The report under the second spec.
    pub after: Report,
    /// Every cycle whose verdict differs, in the order the tickets were
    /// added, then by the first spec's policies.
    pub changes: Vec<ReportChange>,
}

/// One cycle of one ticket of a service whose verdict differs between the
/// two reports.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ReportChange {
    /// The service.
    pub service: ServiceId,
    /// The ticket, policy, cycle, both verdicts and where they part.
    pub change: VerdictChange,
}

/// How many tickets' cycles went from one verdict to another, for one
/// policy of one service ([`ReportDiff::flips`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Flip {
    /// The service.
    pub service: ServiceId,
    /// The policy.
    pub policy: PolicyId,
    /// The verdict in the first report.
    pub before: Verdict,
    /// The verdict in the second.
    pub after: Verdict,
    /// How many cycles went this way.
    pub tickets: u64,
}

impl Comparison {
    /// A comparison of two specs' reports as of one instant.
    pub fn new(before: ReportSpec, after: ReportSpec, as_of: DateTime<Utc>) -> Comparison {
        Comparison {
            before: before.reporter(as_of),
            after: after.reporter(as_of),
            changes: Vec::new(),
        }
    }

    /// Adds one ticket of a service to both reports, and its changed
    /// verdicts to the list.
    ///
    /// # Errors
    ///
    /// When either spec's catalog has no such service, or either spec has
    /// no lifecycle; then neither report counts the ticket.
    pub fn add(&mut self, service: &str, timeline: &Timeline) -> Result<()> {
        self.before.accepts(service)?;
        self.after.accepts(service)?;
        let (mut before, mut after) = (Vec::new(), Vec::new());
        self.before.add_evaluated(service, timeline, None, Some(&mut before))?;
        self.after.add_evaluated(service, timeline, None, Some(&mut after))?;
        let id = ServiceId::from(service);
        let changes = paired(&before, &after).into_iter().flat_map(|pair| {
            let (b, a) = match pair {
                Pair::Both(b, a) => (b, a),
                Pair::Before(b) => (b.clone(), unstarted(&b)),
                Pair::After(a) => (unstarted(&a), a),
            };
            crate::eval::verdict_changes_by(
                &b.0,
                &calendar_of(self.before.catalog(), &b.1),
                &a.0,
                &calendar_of(self.after.catalog(), &a.1),
            )
        });
        self.changes.extend(changes.map(|change| ReportChange {
            service: id.clone(),
            change,
        }));
        Ok(())
    }

    /// The two reports and the changes.
    pub fn finish(self) -> ReportDiff {
        ReportDiff {
            before: self.before.finish(),
            after: self.after.finish(),
            changes: self.changes,
        }
    }
}

impl ReportDiff {
    /// The changes counted by service, policy and the pair of verdicts, in
    /// the order each pair first occurs.
    #[allow(clippy::arithmetic_side_effects, reason = "a count of changes held in memory")]
    pub fn flips(&self) -> Vec<Flip> {
        let mut flips: Vec<Flip> = Vec::new();
        for ReportChange { service, change } in &self.changes {
            let same = |f: &&mut Flip| {
                f.service == *service
                    && f.policy == change.policy
                    && f.before == change.before
                    && f.after == change.after
            };
            match flips.iter_mut().find(same) {
                Some(flip) => flip.tickets += 1,
                None => flips.push(Flip {
                    service: service.clone(),
                    policy: change.policy.clone(),
                    before: change.before,
                    after: change.after,
                    tickets: 1,
                }),
            }
        }
        flips
    }
}

/// An evaluation with the name of its policy's calendar.
type Side = (Evaluation, std::sync::Arc<str>);

/// A policy evaluated on both sides, or on one only.
enum Pair {
    Both(Side, Side),
    Before(Side),
    After(Side),
}

/// The two sides' evaluated policies paired by id: the first side's in
/// order, then those only the second has. A pair one side could not
/// evaluate is that side's problem, and no pair.
fn paired(before: &[Evaluated], after: &[Evaluated]) -> Vec<Pair> {
    let ok = |e: &Evaluated| e.result.as_ref().ok().map(|r| (r.clone(), e.calendar.clone()));
    let mut pairs = Vec::new();
    for b in before {
        let Some(b_side) = ok(b) else { continue };
        match after.iter().find(|a| a.policy == b.policy) {
            None => pairs.push(Pair::Before(b_side)),
            Some(a) => {
                if let Some(a_side) = ok(a) {
                    pairs.push(Pair::Both(b_side, a_side));
                }
            }
        }
    }
    for a in after {
        if !before.iter().any(|b| b.policy == a.policy)
            && let Some(a_side) = ok(a)
        {
            pairs.push(Pair::After(a_side));
        }
    }
    pairs
}

/// An evaluation of the same ticket and policy with no cycle.
fn unstarted(side: &Side) -> Side {
    let (evaluation, calendar) = side;
    let empty = Evaluation {
        ticket: evaluation.ticket.clone(),
        policy: evaluation.policy.clone(),
        as_of: evaluation.as_of,
        cycles: Vec::new(),
    };
    (empty, calendar.clone())
}

/// A cycle's calendar: the one a route named, or the policy's.
fn calendar_of<'c>(catalog: &'c Catalog, policy_calendar: &str) -> impl Fn(&Cycle) -> &'c BusinessCalendar + 'c {
    let calendars = catalog.calendars();
    let fallback = &calendars[policy_calendar];
    move |cycle: &Cycle| {
        cycle
            .calendar
            .as_deref()
            .and_then(|name| calendars.get(name))
            .unwrap_or(fallback)
    }
}

//! The engine: tickets in, one [`Report`] out.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::figures::{PolicyNames, SectionTally, Settings, Tally};
use super::{Metadata, Report, ServiceReport, TicketProblem, availability};
use crate::availability::{Maintenance, Outage};
use crate::calendar::Period;
use crate::calendar::{BusinessCalendar, CalendarSet};
use crate::error::{Error, Result};
use crate::eval::{Cycle, Evaluation, Scratch, evaluate_policies_at};
use crate::event::{Field, Timeline, Value};
use crate::interval::Interval;
use crate::metrics::{AgeBuckets, PercentileMethod};
use crate::policy::{CalendarRoute, Policy};

use super::explain::{Agreement, Worst};
use super::span::{KnownPeriods, REPORT_TOO_LONG, Span, TICKET_TOO_LONG, ticket_windows};
use super::trace::Trace;
use super::{Catalog, ReportSpec};
use crate::event::PolicyId;
use crate::ingest::RecordedVerdict;
use crate::policy::Lifecycle;

/// Builds a [`Report`] from tickets (and outages) of a catalog's services.
///
/// Tickets stream in one [`Timeline`] at a time ([`Reporter::add`]);
/// memory grows with the durations kept for percentiles (a few words per
/// ticket), not with the events. Every ticket is evaluated against its
/// service's policies, and against the team OLA for each group that held
/// it, as of `as_of` and, with periods in its [`ReportSpec`], as of the end of
/// each calendar period it was open in: a period's figures are what a
/// report run at that period's end would have shown.
///
/// Which cycles a slice counts: those that *ended* inside it (met,
/// breached, cancelled; a cycle ending exactly on a period's end belongs to
/// the next period, as periods are half-open), and those still open at its
/// end (running, or breached and running). Which tickets: created before
/// its end and not finished before its start.
///
/// A ticket that cannot be evaluated under one policy (no target for its
/// priority, say) is listed in [`ServiceReport::problems`] with the error
/// and still counts under the other policies; nothing is dropped silently.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use servicelevel::{presets, BusinessCalendar, Catalog, Event, Lifecycle, ReportSpec, Service, Target, Timeline};
///
/// let lifecycle = Lifecycle::servicenow();
/// let resolution = presets::servicenow_resolution(&lifecycle, Target::wall(TimeDelta::hours(8)))?;
/// let service = Service::builder("mail", "Mail", "24x7").policy(resolution).build()?;
/// let catalog = Catalog::builder().calendar("24x7", BusinessCalendar::always_open(chrono_tz::UTC)).service(service).build()?;
/// let spec = ReportSpec::builder(catalog).lifecycle(lifecycle).build()?;
/// let at = |h| Utc.with_ymd_and_hms(2025, 6, 2, h, 0, 0).unwrap();
/// let mut reporter = spec.reporter(at(23));
/// reporter.add("mail", &Timeline::new(vec![Event::created("INC1", at(9), [("status", "new")])])?)?;
/// assert!(reporter.add("calendar", &Timeline::new(vec![Event::created("INC2", at(9), [("status", "new")])])?).is_err()); // no such service
/// let report = reporter.finish();
/// let open = &report.services[0].total.overall;
/// assert_eq!((open.tickets, open.backlog.open), (1, 1));
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Reporter {
    catalog: Catalog,
    lifecycle: Option<Lifecycle>,
    as_of: DateTime<Utc>,
    periods: Option<(Period, Tz)>,
    /// The report's periods met so far (none without periods).
    known_periods: Option<KnownPeriods>,
    breakdowns: Vec<Field>,
    buckets: AgeBuckets,
    method: PercentileMethod,
    services: Vec<ServiceTally>,
    /// Each service's own policies with their calendar names, shared by
    /// every ticket rather than cloned per ticket.
    base_slots: Vec<Vec<SlotPolicy>>,
    /// Each service's calendar name, shared by its team OLA slots.
    service_calendars: Vec<Arc<str>>,
    /// A ticket's slots, the buffer reused from one ticket to the next.
    slot_buffer: Vec<SlotPolicy>,
    team_policies: HashMap<(usize, Value), Arc<Policy>>,
    /// One ticket's contribution to a slice, reused from one to the next.
    ticket_tally: Tally,
    /// The evaluation buffers, reused from one ticket to the next.
    scratch: Scratch,
    /// The catalog's calendars as a set, for routed policies.
    calendar_set: CalendarSet,
    worst: usize,
    verdicts_against: Option<PolicyId>,
    availability_from: Option<DateTime<Utc>>,
    failure_began: Option<Field>,
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(super) struct ServiceTally {
    tickets: u64,
    first_created: Option<DateTime<Utc>>,
    total: Option<SectionTally>,
    periods: BTreeMap<DateTime<Utc>, SectionTally>,
    problems: Vec<TicketProblem>,
    availability: Option<availability::ServiceAvailability>,
    /// Every outage and maintenance window added so far: each
    /// `add_outages` adds to them and measures them all again.
    outages: Vec<Outage>,
    maintenance: Option<Maintenance>,
    /// Per service policy, its worst breaches.
    worst: Vec<Worst>,
    agreement: Option<Agreement>,
    /// The periods between the first and the last with a ticket.
    span: Option<Span>,
}

/// Where a policy's cycles are summed: a service policy by index, or the
/// team OLA for a group.
#[derive(Clone, Debug)]
enum Slot {
    Service(usize),
    Team(Value),
}

/// The maintenance of two `add_outages` calls together: their one-off
/// windows, and the one recurring schedule (two different ones are an
/// error: which would apply is not for the reporter to guess).
/// How a merge adds another reporter's total and periods to a service's.
pub(super) type MergeSections = fn(&mut ServiceTally, Option<SectionTally>, BTreeMap<DateTime<Utc>, SectionTally>);

/// Adds the other's total and periods, one after another.
pub(super) fn merge_sections(
    mine: &mut ServiceTally,
    total: Option<SectionTally>,
    periods: BTreeMap<DateTime<Utc>, SectionTally>,
) {
    merge_sections_total(&mut mine.total, total);
    for (start, section) in periods {
        match mine.periods.get_mut(&start) {
            Some(existing) => existing.merge(&section),
            None => {
                mine.periods.insert(start, section);
            }
        }
    }
}

/// [`merge_sections`] on every core: the total beside the periods, and
/// the periods both have side by side (a total holds as many durations as
/// all its periods together).
#[cfg(feature = "parallel")]
pub(super) fn par_merge_sections(
    mine: &mut ServiceTally,
    total: Option<SectionTally>,
    periods: BTreeMap<DateTime<Utc>, SectionTally>,
) {
    use rayon::prelude::*;
    let (mine_total, mine_periods) = (&mut mine.total, &mut mine.periods);
    let (pairs, new) = super::figures::pair_by_key(mine_periods, periods);
    rayon::join(
        || match (mine_total.as_mut(), total) {
            (Some(mine), Some(theirs)) => mine.merge(&theirs),
            (None, theirs) => *mine_total = theirs,
            (Some(_), None) => {}
        },
        || pairs.into_par_iter().for_each(|(section, other)| section.merge(&other)),
    );
    mine_periods.extend(new);
}

fn merge_sections_total(mine: &mut Option<SectionTally>, total: Option<SectionTally>) {
    *mine = match (mine.take(), total) {
        (Some(mut a), Some(b)) => {
            a.merge(&b);
            Some(a)
        }
        (a, b) => a.or(b),
    };
}

fn merge_maintenance(before: Option<Maintenance>, added: Maintenance, service: &str) -> Result<Maintenance> {
    let Some(mut merged) = before else {
        return Ok(added);
    };
    merged.windows.extend(added.windows);
    merged.recurring = match (merged.recurring, added.recurring) {
        (Some(a), Some(b)) if a != b => {
            return Err(Error::catalog(
                "maintenance.recurring",
                service,
                "a second, different recurring maintenance schedule for the service",
            ));
        }
        (a, b) => a.or(b),
    };
    Ok(merged)
}

/// A policy to evaluate on a ticket, where its cycles go, and the name of
/// its calendar in the catalog.
type SlotPolicy = (Slot, Arc<Policy>, Arc<str>, Option<Arc<CalendarRoute>>);

/// One service policy's evaluation of a ticket as of the report's `as_of`,
/// with the name of its calendar in the catalog.
pub(super) struct Evaluated {
    pub policy: PolicyId,
    pub calendar: Arc<str>,
    pub result: Result<Evaluation>,
}

/// A slice's sums for `finish`: the reporter's own, or an empty period's.
pub(super) type SliceTally<'t> = std::borrow::Cow<'t, SectionTally>;

/// One snapshot to evaluate: the slice `[from, until)` looked at `at`.
#[derive(Clone, Copy)]
struct Snapshot {
    from: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
}

impl Snapshot {
    fn holds(&self, instant: DateTime<Utc>) -> bool {
        self.from.is_none_or(|f| instant >= f) && self.until.is_none_or(|u| instant < u)
    }
}

impl Reporter {
    /// A reporter for a spec, as of an instant (what
    /// [`ReportSpec::reporter`] does).
    pub fn new(spec: ReportSpec, as_of: DateTime<Utc>) -> Reporter {
        let as_of = crate::interval::without_leap_second(as_of);
        let ReportSpec {
            catalog,
            lifecycle,
            periods,
            breakdowns,
            buckets,
            method,
            worst,
            verdicts_against,
            availability_from,
            failure_began,
        } = spec;
        let catalog_calendars = catalog.calendars().clone();
        let service_calendars = catalog.services().iter().map(|s| Arc::from(s.calendar())).collect();
        let base_slots = catalog
            .services()
            .iter()
            .map(|service| {
                service
                    .obligations()
                    .iter()
                    .enumerate()
                    .map(|(i, o)| {
                        let calendar = o.calendar.as_deref().unwrap_or(service.calendar());
                        let route = o.calendar_by.clone().map(Arc::new);
                        (Slot::Service(i), Arc::new(o.policy.clone()), Arc::from(calendar), route)
                    })
                    .collect()
            })
            .collect();
        let services = catalog
            .services()
            .iter()
            .map(|service| ServiceTally {
                tickets: 0,
                first_created: None,
                total: None,
                periods: BTreeMap::new(),
                problems: Vec::new(),
                availability: None,
                outages: Vec::new(),
                maintenance: None,
                worst: vec![Worst::default(); service.obligations().len()],
                agreement: None,
                span: None,
            })
            .collect();
        Reporter {
            catalog,
            lifecycle,
            as_of,
            periods,
            known_periods: periods.map(|(period, zone)| KnownPeriods::new(period, zone)),
            breakdowns,
            buckets,
            method,
            services,
            base_slots,
            service_calendars,
            slot_buffer: Vec::new(),
            team_policies: HashMap::new(),
            ticket_tally: Tally::default(),
            scratch: Scratch::default(),
            calendar_set: CalendarSet::from(catalog_calendars),
            worst,
            verdicts_against,
            availability_from,
            failure_began,
        }
    }

    /// The catalog.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Adds one ticket of a service.
    ///
    /// # Errors
    ///
    /// When the catalog has no such service, or the spec has no lifecycle
    /// (tickets need one). Problems with the ticket itself (a policy that
    /// cannot evaluate it, a creation after `as_of`) are not errors: they
    /// are listed in the service's [`ServiceReport::problems`].
    pub fn add(&mut self, service: &str, timeline: &Timeline) -> Result<()> {
        self.add_with_verdict(service, timeline, None)
    }

    /// [`Reporter::add`], with the verdict the exporting tool recorded for
    /// the ticket (from [`Ingested::verdicts`](crate::ingest::Ingested::verdicts)),
    /// compared with the spec's
    /// [`verdicts_against`](super::ReportSpecBuilder::verdicts_against)
    /// policy in [`ServiceReport::agreement`](super::ServiceReport::agreement).
    ///
    /// # Errors
    ///
    /// As [`Reporter::add`].
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "counters of tickets and events (u64); durations between instants the calendar holds"
    )]
    pub fn add_with_verdict(
        &mut self,
        service: &str,
        timeline: &Timeline,
        recorded: Option<RecordedVerdict>,
    ) -> Result<()> {
        self.add_evaluated(service, timeline, recorded, None)
    }

    /// The service's index, when the reporter can take its tickets: the
    /// catalog has the service and the spec a lifecycle.
    pub(super) fn accepts(&self, service: &str) -> Result<usize> {
        let index = self.service_index(service)?;
        self.lifecycle_for(service)?;
        Ok(index)
    }

    fn lifecycle_for(&self, service: &str) -> Result<&Lifecycle> {
        self.lifecycle.as_ref().ok_or_else(|| {
            Error::catalog(
                "lifecycle",
                service,
                "tickets need a lifecycle: give the report spec one",
            )
        })
    }

    /// [`Reporter::add_with_verdict`], putting the service policies'
    /// evaluations as of `as_of` in `kept`, if given (none for a ticket
    /// created after it); a plain `add` pays nothing for them.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "counters of tickets and events (u64); durations between instants the calendar holds"
    )]
    pub(super) fn add_evaluated(
        &mut self,
        service: &str,
        timeline: &Timeline,
        recorded: Option<RecordedVerdict>,
        kept: Option<&mut Vec<Evaluated>>,
    ) -> Result<()> {
        let index = self.accepts(service)?;
        self.services[index].tickets += 1;
        let lifecycle = self.lifecycle_for(service)?;
        let created = timeline.created_at();
        if created > self.as_of {
            let error = Error::event(timeline.ticket(), None, "created after `as_of`: not counted");
            self.problem(index, timeline, error);
            return Ok(());
        }
        let ola_field = self.catalog.services()[index].team_ola().map(|o| o.field().clone());
        let mut trace = Trace::of(timeline, lifecycle, &self.breakdowns, ola_field.as_ref(), self.as_of);
        trace.began = self
            .failure_began
            .as_ref()
            .map(|f| failure_began(timeline, f, self.as_of));
        let windows = match self.periods {
            Some((period, zone)) => match self.placed(index, period, zone, created, &trace) {
                Ok(windows) => windows,
                Err(error) => {
                    let error = Error::event(timeline.ticket(), None, "cannot be placed in the report's periods")
                        .caused_by(error);
                    self.problem(index, timeline, error);
                    return Ok(());
                }
            },
            None => Vec::new(),
        };
        let tally = &mut self.services[index];
        tally.first_created = Some(tally.first_created.map_or(created, |c| c.min(created)));
        let slots = self.slots(index, timeline, &trace.groups);
        let mut scratch = std::mem::take(&mut self.scratch);
        // The periods' ends before the ticket's last event are read off the
        // one pass that evaluates as of `as_of`.
        let last_at = trace.last_at(created);
        let ends: Vec<DateTime<Utc>> = windows.iter().map(|w| w.end().min(self.as_of)).collect();
        let early = ends.partition_point(|at| *at < last_at);
        let mut instants = ends[..early].to_vec();
        instants.push(self.as_of);
        let mut evaluations = self.evaluate_at(&slots, timeline, &instants, &mut scratch);
        let total = evaluations.pop().unwrap_or_default();
        self.explain(index, timeline, &slots, &total, recorded);
        self.add_snapshot(index, timeline, &slots, None, &total, &trace)?;
        if !windows.is_empty() {
            // A period ending after the last event sees the same events as
            // `as_of`; when every cycle had ended by then, its evaluation
            // is the same too, and is not computed again; otherwise the
            // later ends take a second pass of their own.
            let settled = total
                .iter()
                .all(|r| r.as_ref().is_ok_and(|e| e.cycles.iter().all(|c| c.end.is_some())));
            let late = if settled {
                Vec::new()
            } else {
                self.evaluate_at(&slots, timeline, &ends[early..], &mut scratch)
            };
            for (number, window) in windows.iter().enumerate() {
                let evaluated = match number.checked_sub(early) {
                    None => evaluations.get(number),
                    Some(later) => late.get(later),
                };
                let evaluated = evaluated.map_or(total.as_slice(), Vec::as_slice);
                #[cfg(test)]
                let reevaluated;
                #[cfg(test)]
                let evaluated = if oracle::reevaluates() {
                    let at = window.end().min(self.as_of);
                    reevaluated = self.evaluate_at(&slots, timeline, &[at], &mut scratch);
                    reevaluated.first().map_or(evaluated, Vec::as_slice)
                } else {
                    evaluated
                };
                self.add_snapshot(index, timeline, &slots, Some(*window), evaluated, &trace)?;
            }
        }
        self.scratch = scratch;
        if let Some(kept) = kept {
            let service_slots = slots
                .iter()
                .zip(total)
                .filter(|((slot, ..), _)| matches!(slot, Slot::Service(_)));
            kept.extend(service_slots.map(|((_, policy, calendar, _), result)| Evaluated {
                policy: policy.id().clone(),
                calendar: calendar.clone(),
                result,
            }));
        }
        self.slot_buffer = slots;
        Ok(())
    }

    /// The periods the ticket is counted in (from its creation while it is
    /// alive, up to `as_of`), with the service's span extended to them;
    /// an error (the ticket's problem) past [`MAX_WINDOWS`] periods.
    ///
    /// [`MAX_WINDOWS`]: crate::calendar::MAX_WINDOWS
    fn placed(
        &mut self,
        index: usize,
        period: Period,
        zone: Tz,
        created: DateTime<Utc>,
        trace: &Trace,
    ) -> Result<Vec<Interval>> {
        let until = trace.alive_until(created, self.as_of).min(self.as_of);
        let too_long = |reason| Error::measurement("periods", format!("{created}..{until}"), reason);
        let known = self
            .known_periods
            .get_or_insert_with(|| KnownPeriods::new(period, zone));
        let windows = ticket_windows(known, created, until)?.ok_or_else(|| too_long(TICKET_TOO_LONG))?;
        if !windows.is_empty() {
            let tally = &mut self.services[index];
            let span = Span::extended(tally.span, period, zone, &windows)?;
            tally.span = Some(span.ok_or_else(|| too_long(REPORT_TOO_LONG))?);
        }
        Ok(windows)
    }

    /// The worst breaches and the agreement, from the evaluations as of
    /// `as_of`.
    fn explain(
        &mut self,
        index: usize,
        timeline: &Timeline,
        slots: &[SlotPolicy],
        total: &[Result<Evaluation>],
        recorded: Option<RecordedVerdict>,
    ) {
        let calendars = self.catalog.calendars();
        let tally = &mut self.services[index];
        for ((slot, policy, calendar, _), evaluation) in slots.iter().zip(total) {
            let (Slot::Service(i), Ok(evaluation)) = (slot, evaluation) else {
                continue;
            };
            if self.worst > 0 {
                // A routed cycle is explained on the calendar that measured it.
                let calendar_of = |cycle: &Cycle| {
                    let name = cycle.calendar.as_deref().unwrap_or(calendar);
                    calendars.get(name).unwrap_or(&calendars[&**calendar])
                };
                tally.worst[*i].consider(self.worst, timeline, policy, calendar_of, evaluation);
            }
            if let (Some(recorded), Some(id)) = (recorded, &self.verdicts_against)
                && policy.id() == id
            {
                tally.agreement.get_or_insert_with(|| Agreement::new(id.clone())).add(
                    timeline.ticket(),
                    evaluation,
                    recorded,
                );
            }
        }
    }

    /// Every slot's policy on the ticket as of each of `instants` (in
    /// increasing order), in one pass for the fixed-calendar slots.
    fn evaluate_at(
        &self,
        slots: &[SlotPolicy],
        timeline: &Timeline,
        instants: &[DateTime<Utc>],
        scratch: &mut Scratch,
    ) -> Vec<Vec<Result<Evaluation>>> {
        let calendars = self.catalog.calendars();
        let pairs: Vec<(&Policy, &BusinessCalendar)> = slots
            .iter()
            .filter(|(_, _, _, route)| route.is_none())
            .map(|(_, policy, calendar, _)| (&**policy, &calendars[&**calendar]))
            .collect();
        let mut all = Vec::with_capacity(instants.len());
        evaluate_policies_at(&pairs, timeline, instants, scratch, |_, results| all.push(results));
        for (results, &at) in all.iter_mut().zip(instants) {
            for (index, (_, policy, _, route)) in slots.iter().enumerate() {
                if let Some(route) = route {
                    let result =
                        crate::eval::evaluate_routed_with(policy, route, &self.calendar_set, timeline, at, scratch);
                    results.insert(index.min(results.len()), result);
                }
            }
        }
        all
    }

    /// Adds a service's outages (with its planned maintenance), measured
    /// against its availability commitment per the commitment's period.
    ///
    /// Calls add up: a second batch joins the first (its maintenance
    /// windows too), and everything is measured again. No outage at all is
    /// a measurement too: 100 % over the windows from the spec's
    /// [`availability_from`](super::ReportSpecBuilder::availability_from),
    /// or over the period of `as_of`.
    ///
    /// # Errors
    ///
    /// When the catalog has no such service, the service has no
    /// commitment, an outage or window cannot be measured, or a second,
    /// different recurring maintenance schedule is given.
    pub fn add_outages(&mut self, service: &str, outages: &[Outage], maintenance: Maintenance) -> Result<()> {
        let index = self.service_index(service)?;
        let tally = &self.services[index];
        let merged = merge_maintenance(tally.maintenance.clone(), maintenance, service)?;
        let mut all = tally.outages.clone();
        all.extend_from_slice(outages);
        self.measure_outages(index, all, merged)
    }

    /// Measures all of a service's outages and maintenance against its
    /// commitment, and keeps them for the next batch.
    fn measure_outages(&mut self, index: usize, outages: Vec<Outage>, maintenance: Maintenance) -> Result<()> {
        let measured = availability::measure(
            &self.catalog,
            index,
            &outages,
            maintenance.clone(),
            self.as_of,
            self.availability_from,
        )?;
        let tally = &mut self.services[index];
        tally.availability = Some(measured);
        tally.outages = outages;
        tally.maintenance = Some(maintenance);
        Ok(())
    }

    /// Adds everything another reporter of the same spec and `as_of` was
    /// given (its tickets, outages and problems), as if its tickets had
    /// been added to this one after this one's own: the report is then the
    /// one a single reporter fed both streams in that order would make.
    /// This is how partial reports combine: per partition of a Spark job,
    /// per thread, per day's export.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use servicelevel::{presets, BusinessCalendar, Catalog, Event, Lifecycle, ReportSpec, Service, Target, Timeline};
    ///
    /// let lifecycle = Lifecycle::servicenow();
    /// let resolution = presets::servicenow_resolution(&lifecycle, Target::wall(TimeDelta::hours(4)))?;
    /// let service = Service::builder("mail", "Mail", "24x7").policy(resolution).build()?;
    /// let catalog = Catalog::builder().calendar("24x7", BusinessCalendar::always_open(chrono_tz::UTC)).service(service).build()?;
    /// let spec = ReportSpec::builder(catalog).lifecycle(lifecycle).build()?;
    /// let at = |h| Utc.with_ymd_and_hms(2025, 6, 2, h, 0, 0).unwrap();
    /// let ticket = |id: &str, hours: u32| Timeline::new(vec![
    ///     Event::created(id, at(8), [("status", "new")]),
    ///     Event::set(id, at(8 + hours), [("status", "resolved")]),
    /// ]);
    /// let (mut one, mut other, mut whole) = (spec.reporter(at(23)), spec.reporter(at(23)), spec.reporter(at(23)));
    /// one.add("mail", &ticket("INC1", 2)?)?;
    /// other.add("mail", &ticket("INC2", 6)?)?;
    /// for (id, hours) in [("INC1", 2), ("INC2", 6)] {
    ///     whole.add("mail", &ticket(id, hours)?)?;
    /// }
    /// one.merge(other)?;
    /// assert_eq!(one.finish(), whole.finish());
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When the two were made from different specs or as of different
    /// instants, or their outages together cannot be measured (two
    /// different recurring maintenance schedules).
    #[allow(clippy::arithmetic_side_effects, reason = "ticket counters (u64)")]
    pub fn merge(&mut self, other: Reporter) -> Result<()> {
        if !self.same_spec(&other) {
            return Err(Error::catalog(
                "merge",
                "reporter",
                "the reporters were made from different specs or as of different instants",
            ));
        }
        self.merge_services(other.services, merge_sections)
    }

    /// [`merge`](Reporter::merge) of a [`sibling`](Reporter::sibling),
    /// which has the same spec by construction (comparing the catalogs'
    /// calendars is most of a merge's cost).
    #[cfg_attr(not(feature = "parallel"), allow(dead_code))]
    pub(super) fn merge_sibling(&mut self, sibling: Reporter, sections: MergeSections) -> Result<()> {
        self.merge_services(sibling.services, sections)
    }

    /// Adds another reporter's tallies, service by service (same spec).
    #[allow(clippy::arithmetic_side_effects, reason = "ticket counters (u64)")]
    fn merge_services(&mut self, services: Vec<ServiceTally>, sections: MergeSections) -> Result<()> {
        for (index, theirs) in services.into_iter().enumerate() {
            let service = self.catalog.services()[index].id().to_string();
            let mine = &mut self.services[index];
            mine.tickets += theirs.tickets;
            mine.first_created = match (mine.first_created, theirs.first_created) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            sections(mine, theirs.total, theirs.periods);
            // The total runs from the earliest creation of either.
            if let (Some(total), Some(first)) = (&mut mine.total, mine.first_created) {
                total.window = Interval::new(first, self.as_of)?;
            }
            mine.problems.extend(theirs.problems);
            for (worst, other_worst) in mine.worst.iter_mut().zip(theirs.worst) {
                worst.merge(other_worst, self.worst);
            }
            mine.agreement = match (mine.agreement.take(), theirs.agreement) {
                (Some(mut a), Some(b)) => {
                    a.merge(b);
                    Some(a)
                }
                (a, b) => a.or(b),
            };
            if let Some((period, zone)) = self.periods
                && (mine.span.is_some() || theirs.span.is_some())
            {
                let span = Span::merged(mine.span, theirs.span, period, zone)?;
                let too_long = || Error::measurement("periods", service.clone(), REPORT_TOO_LONG);
                mine.span = Some(span.ok_or_else(too_long)?);
            }
            if let Some(maintenance) = theirs.maintenance {
                let merged = merge_maintenance(mine.maintenance.clone(), maintenance, &service)?;
                let mut all = std::mem::take(&mut mine.outages);
                all.extend(theirs.outages);
                self.measure_outages(index, all, merged)?;
            }
        }
        Ok(())
    }

    /// Whether two reporters were made from the same spec, as of the same
    /// instant.
    /// An empty reporter of the same spec and `as_of`, which
    /// [`merge`](Reporter::merge) accepts.
    #[cfg_attr(not(feature = "parallel"), allow(dead_code))]
    pub(super) fn sibling(&self) -> Reporter {
        let spec = ReportSpec {
            catalog: self.catalog.clone(),
            lifecycle: self.lifecycle.clone(),
            periods: self.periods,
            breakdowns: self.breakdowns.clone(),
            buckets: self.buckets.clone(),
            method: self.method,
            worst: self.worst,
            verdicts_against: self.verdicts_against.clone(),
            availability_from: self.availability_from,
            failure_began: self.failure_began.clone(),
        };
        Reporter::new(spec, self.as_of)
    }

    fn same_spec(&self, other: &Reporter) -> bool {
        self.catalog == other.catalog
            && self.lifecycle == other.lifecycle
            && self.as_of == other.as_of
            && self.periods == other.periods
            && self.breakdowns == other.breakdowns
            && self.buckets == other.buckets
            && self.method == other.method
            && self.worst == other.worst
            && self.verdicts_against == other.verdicts_against
            && self.availability_from == other.availability_from
            && self.failure_began == other.failure_began
    }

    /// The report.
    pub fn finish(self) -> Report {
        self.finish_with(|slices, breakdowns, names, settings| {
            slices
                .into_iter()
                .map(|(label, tally)| tally.section(label, breakdowns, names, settings))
                .collect()
        })
    }

    /// The report, its sections (each service's total and periods) made
    /// by `sections` from their labels and tallies, in order: serially by
    /// [`finish`](Self::finish), on every core by `par_finish`.
    pub(super) fn finish_with(
        self,
        sections: impl Fn(Vec<(String, SliceTally<'_>)>, &[Field], &PolicyNames, &Settings<'_>) -> Vec<super::Section>,
    ) -> Report {
        let settings = Settings {
            method: self.method,
            buckets: &self.buckets,
        };
        let composite = availability::composites(&self.catalog, self.services.iter().map(|s| s.availability.as_ref()));
        let services = self
            .catalog
            .services()
            .iter()
            .zip(&self.services)
            .zip(composite)
            .map(|((service, tally), composite)| {
                let names = policy_names(service);
                let empty = || {
                    let start = tally.first_created.unwrap_or(self.as_of);
                    let window = Interval::new(start.min(self.as_of), self.as_of).expect("start <= as_of");
                    SectionTally::new(window, self.as_of, self.breakdowns.len())
                };
                let total = match &tally.total {
                    Some(total) => std::borrow::Cow::Borrowed(total),
                    None => std::borrow::Cow::Owned(empty()),
                };
                let mut slices = vec![("total".to_string(), total)];
                slices.extend(self.period_slices(tally));
                let mut made = sections(slices, &self.breakdowns, &names, &settings).into_iter();
                let total = made.next().expect("the total is the first slice");
                ServiceReport {
                    service: service.id().clone(),
                    name: service.name().to_string(),
                    tickets: tally.tickets,
                    total,
                    periods: made.collect(),
                    availability: tally.availability.clone().map(|mut a| {
                        a.set_composite(composite);
                        a
                    }),
                    // By ticket (stable): the same lists however the tickets
                    // were split between merged reporters.
                    problems: sorted_by_ticket(tally.problems.clone(), |p| &p.ticket),
                    worst: tally.worst.iter().flat_map(|w| w.breaches.iter().cloned()).collect(),
                    agreement: tally.agreement.clone().map(|mut a| {
                        a.disagreements = sorted_by_ticket(std::mem::take(&mut a.disagreements), |d| &d.ticket);
                        a
                    }),
                }
            })
            .collect();
        Report {
            metadata: Metadata {
                crate_version: env!("CARGO_PKG_VERSION").to_string(),
                tzdb_version: chrono_tz::IANA_TZDB_VERSION.to_string(),
                as_of: self.as_of,
                period: self.periods.map(|(p, _)| p),
                zone: self.periods.map(|(_, z)| z),
                breakdowns: self.breakdowns.clone(),
                percentile_method: self.method,
                age_buckets: self.buckets.clone(),
                lifecycle: self.lifecycle.clone(),
                catalog: self.catalog.clone(),
            },
            services,
            ledger: None,
        }
    }

    /// Every period from the first with a ticket to the last, gaps
    /// included (an empty month is a figure too), with its label.
    fn period_slices<'t>(&self, tally: &'t ServiceTally) -> Vec<(String, SliceTally<'t>)> {
        let (Some((period, zone)), Some(first)) = (self.periods, tally.periods.values().next()) else {
            return Vec::new();
        };
        let last = tally.periods.values().next_back().map_or(first.window, |s| s.window);
        let mut out = Vec::new();
        let mut window = first.window;
        loop {
            let label = period.label_of(zone, window.start());
            match tally.periods.get(&window.start()) {
                Some(section) => out.push((label, std::borrow::Cow::Borrowed(section))),
                None => {
                    let at = window.end().min(self.as_of);
                    out.push((
                        label,
                        std::borrow::Cow::Owned(SectionTally::new(window, at, self.breakdowns.len())),
                    ));
                }
            }
            if window.start() >= last.start() {
                break;
            }
            match period.containing(zone, window.end()) {
                Ok(next) => window = next,
                Err(_) => break,
            }
        }
        out
    }

    fn service_index(&self, service: &str) -> Result<usize> {
        self.catalog
            .services()
            .iter()
            .position(|s| s.id().as_str() == service)
            .ok_or_else(|| Error::catalog("service", service, "no service of the catalog has this id"))
    }

    fn problem(&mut self, index: usize, timeline: &Timeline, error: Error) {
        self.services[index].problems.push(TicketProblem {
            ticket: timeline.ticket().clone(),
            policy: None,
            position: None,
            error,
        });
    }

    /// The service's policies, then the team OLA of each group that held
    /// the ticket by `as_of` (built once per group and kept).
    fn slots(&mut self, index: usize, timeline: &Timeline, groups: &[Value]) -> Vec<SlotPolicy> {
        let mut slots = std::mem::take(&mut self.slot_buffer);
        slots.clear();
        slots.extend_from_slice(&self.base_slots[index]);
        let service = &self.catalog.services()[index];
        let Some(ola) = service.team_ola() else {
            return slots;
        };
        let calendar = &self.service_calendars[index];
        for group in groups.iter().cloned() {
            let key = (index, group.clone());
            let policy = match self.team_policies.get(&key) {
                Some(p) => p.clone(),
                None => match ola.policy_for(&group) {
                    Ok(p) => {
                        let p = Arc::new(p);
                        self.team_policies.insert(key, p.clone());
                        p
                    }
                    Err(e) => {
                        self.services[index].problems.push(TicketProblem {
                            ticket: timeline.ticket().clone(),
                            policy: None,
                            position: None,
                            error: e,
                        });
                        continue;
                    }
                },
            };
            slots.push((Slot::Team(group), policy, calendar.clone(), None));
        }
        slots
    }

    fn add_snapshot(
        &mut self,
        index: usize,
        timeline: &Timeline,
        slots: &[SlotPolicy],
        window: Option<Interval>,
        evaluations: &[Result<Evaluation>],
        trace: &Trace,
    ) -> Result<()> {
        let snapshot = Snapshot {
            from: window.map(|w| w.start()),
            until: window.map(|w| w.end()),
            at: window.map_or(self.as_of, |w| w.end().min(self.as_of)),
        };
        let n = self.catalog.services()[index].obligations().len();
        let mut ticket = std::mem::take(&mut self.ticket_tally);
        ticket.reset(n);
        ticket.tickets = 1;
        let mut problems = Vec::new();
        for ((slot, policy, _, _), evaluation) in slots.iter().zip(evaluations) {
            match evaluation {
                Ok(evaluation) => count_cycles(&mut ticket, slot, &evaluation.cycles, snapshot, timeline),
                // Reported once, from the whole-report snapshot: an error
                // at a period's end is also an error at `as_of`.
                Err(e) if window.is_none() => problems.push(TicketProblem {
                    ticket: timeline.ticket().clone(),
                    policy: Some(policy.id().clone()),
                    position: e.position(),
                    error: e.clone(),
                }),
                Err(_) => {}
            }
        }
        walk_lifecycle(&mut ticket, timeline, trace, snapshot);
        let keys = trace.keys_at(snapshot.at);
        let service = &mut self.services[index];
        service.problems.extend(problems);
        let breakdowns = self.breakdowns.len();
        let section = match window {
            None => {
                // The total runs from the earliest creation seen so far.
                let whole = Interval::new(service.first_created.unwrap_or(snapshot.at), snapshot.at)?;
                let total = service
                    .total
                    .get_or_insert_with(|| SectionTally::new(whole, snapshot.at, breakdowns));
                total.window = whole;
                total
            }
            Some(w) => service
                .periods
                .entry(w.start())
                .or_insert_with(|| SectionTally::new(w, snapshot.at, breakdowns)),
        };
        section.add(&ticket, keys);
        self.ticket_tally = ticket;
        Ok(())
    }
}

/// When the failure behind a ticket began: its `field`'s value as of
/// `as_of`, read as RFC 3339 or ISO 8601 (UTC without an offset); `None`
/// inside when the field is empty or unreadable.
fn failure_began(timeline: &Timeline, field: &Field, as_of: DateTime<Utc>) -> Option<DateTime<Utc>> {
    use crate::ingest::{InstantFormat, InstantReader, Reading};
    let mut state = crate::event::TicketState::new();
    for event in timeline.events().iter().take_while(|e| e.at() <= as_of) {
        state.apply(event);
    }
    let text = state.get(field.as_str())?.as_str();
    InstantReader::new(InstantFormat::Rfc3339, Reading::Offset)
        .read(text)
        .or_else(|_| InstantReader::new(InstantFormat::Iso8601, Reading::Utc).read(text))
        .ok()
}

/// Resolutions, reopens and reassignments inside the slice, and whether the
/// ticket is open at its end (and its age).
#[allow(
    clippy::arithmetic_side_effects,
    reason = "counters of tickets and events (u64); durations between instants the calendar holds"
)]
fn walk_lifecycle(ticket: &mut Tally, timeline: &Timeline, trace: &Trace, snapshot: Snapshot) {
    let mut finished = false;
    let mut reassigned = false;
    // A resolution inside the slice not yet followed by a reopen.
    let mut pending_resolution = false;
    for step in trace.steps.iter().take_while(|s| s.at <= snapshot.at) {
        if step.reopen && pending_resolution {
            ticket.reopened_resolutions += 1;
            pending_resolution = false;
        }
        if snapshot.holds(step.at) {
            ticket.resolutions += u64::from(step.resolution);
            ticket.reopens += u64::from(step.reopen);
            pending_resolution |= step.resolution;
            if step.reassignment {
                ticket.reassignments += 1;
                reassigned = true;
            }
        }
        finished = step.finished;
    }
    ticket.reassigned_tickets = u64::from(reassigned);
    if let Some(at) = trace
        .acknowledged
        .filter(|at| *at <= snapshot.at && snapshot.holds(*at))
    {
        ticket.acknowledge.push(at - timeline.created_at());
    }
    let created = timeline.created_at();
    match trace.began {
        Some(Some(began)) if began <= created && snapshot.holds(created) => ticket.detect.push(created - began),
        Some(_) if snapshot.holds(created) => ticket.detection_unknown += 1,
        _ => {}
    }
    if !finished {
        ticket.ages.push(snapshot.at - timeline.created_at());
    }
}

/// Adds one evaluation's cycles that belong to the slice.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "counters of tickets and events (u64); durations between instants the calendar holds"
)]
fn count_cycles(ticket: &mut Tally, slot: &Slot, cycles: &[Cycle], snapshot: Snapshot, timeline: &Timeline) {
    let created_inside = snapshot.holds(timeline.created_at());
    match slot {
        Slot::Service(i) => {
            let tally = &mut ticket.policies[*i];
            if cycles.is_empty() && created_inside {
                tally.compliance.not_started += 1;
            }
            for cycle in cycles {
                match cycle.end {
                    Some(end) if !snapshot.holds(end) => {}
                    Some(end) => {
                        tally.compliance.record_at(cycle, snapshot.at);
                        if matches!(cycle.state, crate::eval::State::Met | crate::eval::State::Breached) {
                            tally.business.push(cycle.business_used);
                            tally.wall.push(end - cycle.start);
                        }
                    }
                    None => tally.compliance.record_at(cycle, snapshot.at),
                }
            }
        }
        Slot::Team(group) => {
            let mut held = chrono::TimeDelta::zero();
            let mut any = false;
            let team = ticket.teams.entry(group.clone()).or_default();
            for cycle in cycles {
                if cycle.end.is_some_and(|end| !snapshot.holds(end)) {
                    continue;
                }
                team.ola.record_at(cycle, snapshot.at);
                held += cycle.business_used + cycle.paused_business;
                any = true;
            }
            if any {
                team.tickets = 1;
                team.held.push(held);
            } else {
                ticket.teams.remove(group);
            }
        }
    }
}

fn policy_names(service: &super::Service) -> Vec<(crate::event::PolicyId, String, crate::policy::PolicyKind)> {
    service
        .obligations()
        .iter()
        .map(|o| (o.policy.id().clone(), o.policy.name().to_string(), o.policy.kind()))
        .collect()
}

fn sorted_by_ticket<T>(mut items: Vec<T>, ticket: impl Fn(&T) -> &crate::event::TicketId) -> Vec<T> {
    items.sort_by(|a, b| ticket(a).cmp(ticket(b)));
    items
}

#[cfg(test)]
mod oracle;
#[cfg(feature = "serde")]
mod part;
#[cfg(feature = "serde")]
pub use part::ReviewPart;

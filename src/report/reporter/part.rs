//! A reporter's tallies as a value that travels (feature `serde`): what a
//! worker (a Spark partition, another process) sends to the one that
//! merges.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{Reporter, ServiceTally};
use crate::error::{Error, Result};

/// A reporter's tallies without its spec, to send from a worker to the
/// reporter that merges: made by [`Reporter::into_part`], serialised (its
/// serde form is JSON-safe and exact: durations as `[seconds,
/// nanoseconds]`), and merged with [`Reporter::merge_part`] into a reporter
/// made from the same spec as of the same instant. Merging is exact, as
/// [`Reporter::merge`] is: the report equals the one of a single reporter
/// that saw every ticket, whatever the split.
///
/// A part carries no spec (the merging side has it); its shape (services,
/// their policies, breakdowns, periods, `as_of`) is checked at the merge,
/// so a part made from another spec is refused rather than mis-added.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use servicelevel::report::ReviewPart;
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
/// // On a worker: its tickets, then the part as JSON.
/// let mut worker = spec.reporter(at(23));
/// worker.add("mail", &ticket("INC2", 6)?)?;
/// let sent = serde_json::to_string(&worker.into_part()).unwrap();
/// // On the driver: its own tickets, and every worker's part.
/// let mut driver = spec.reporter(at(23));
/// driver.add("mail", &ticket("INC1", 2)?)?;
/// driver.merge_part(serde_json::from_str::<ReviewPart>(&sent).unwrap())?;
/// let mut whole = spec.reporter(at(23));
/// whole.add("mail", &ticket("INC1", 2)?)?;
/// whole.add("mail", &ticket("INC2", 6)?)?;
/// assert_eq!(driver.finish(), whole.finish());
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ReviewPart {
    as_of: DateTime<Utc>,
    services: Vec<PartService>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct PartService {
    id: String,
    policies: usize,
    tally: ServiceTally,
}

impl ReviewPart {
    /// The instant the part's reporter reports as of.
    pub fn as_of(&self) -> DateTime<Utc> {
        self.as_of
    }

    /// How many tickets it holds, over all services.
    pub fn tickets(&self) -> u64 {
        self.services
            .iter()
            .map(|s| s.tally.tickets)
            .fold(0, u64::saturating_add)
    }
}

impl Reporter {
    /// This reporter's tallies, to send to the reporter that merges (see
    /// [`ReviewPart`]).
    pub fn into_part(self) -> ReviewPart {
        let services = self
            .catalog
            .services()
            .iter()
            .zip(self.services)
            .map(|(service, tally)| PartService {
                id: service.id().to_string(),
                policies: service.obligations().len(),
                tally,
            })
            .collect();
        ReviewPart {
            as_of: self.as_of,
            services,
        }
    }

    /// Adds a part made by [`Reporter::into_part`] on a reporter of the
    /// same spec, as of the same instant.
    ///
    /// # Errors
    ///
    /// When the part's shape is not this reporter's (another `as_of`, other
    /// services or policies, other breakdowns or periods), or their outages
    /// together cannot be measured (as [`Reporter::merge`]).
    pub fn merge_part(&mut self, part: ReviewPart) -> Result<()> {
        let mismatch = |what: &str| {
            Error::catalog(
                "merge_part",
                what,
                "the part was made from another spec or as of another instant",
            )
        };
        if part.as_of != self.as_of {
            return Err(mismatch("as_of"));
        }
        let services = self.catalog.services();
        if part.services.len() != services.len() {
            return Err(mismatch("services"));
        }
        for (mine, theirs) in services.iter().zip(&part.services) {
            if mine.id().as_str() != theirs.id || mine.obligations().len() != theirs.policies {
                return Err(mismatch(&theirs.id));
            }
            let sections = theirs.tally.total.iter().chain(theirs.tally.periods.values());
            let shaped = sections
                .into_iter()
                .all(|s| s.breakdowns.len() == self.breakdowns.len() && s.overall.policies.len() <= theirs.policies);
            let periods_fit =
                self.periods.is_some() || (theirs.tally.periods.is_empty() && theirs.tally.span.is_none());
            if !shaped || !periods_fit || theirs.tally.worst.len() != self.services_worst_len(&theirs.id) {
                return Err(mismatch(&theirs.id));
            }
        }
        self.merge_services(
            part.services.into_iter().map(|s| s.tally).collect(),
            super::merge_sections,
        )
    }

    fn services_worst_len(&self, id: &str) -> usize {
        self.catalog
            .services()
            .iter()
            .position(|s| s.id().as_str() == id)
            .map_or(0, |i| self.services[i].worst.len())
    }
}

//! The service review: services, and a serialisable [`Report`] of their
//! tickets' compliance, durations, backlog, reopens, reassignments, team
//! OLAs and availability, per calendar period and broken down by any field.
//!
//! - [`Catalog`] holds [`Service`]s and the named calendars they use,
//!   checked as a whole (a policy naming an unknown calendar is an error).
//! - [`Lifecycle`](crate::policy::Lifecycle) says which statuses finish a ticket and which field is
//!   the assignment group.
//! - [`Reporter`] takes tickets one [`Timeline`](crate::event::Timeline) at
//!   a time, and outages per service, and [`Reporter::finish`]es into a
//!   [`Report`].
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use servicelevel::BusinessCalendar;
//! use servicelevel::event::{Event, Timeline};
//! use servicelevel::policy::{presets, Amount, Measure, Target};
//! use servicelevel::report::{Catalog, ReportSpec, Reporter, Service};
//! use servicelevel::policy::{Lifecycle};
//!
//! let calendar = BusinessCalendar::always_open(chrono_tz::UTC);
//! let resolution = presets::servicenow_resolution(&servicelevel::Lifecycle::servicenow(), Target::business(TimeDelta::hours(8)))?;
//! let service = Service::builder("email", "E-mail", "24x7").policy(resolution).build()?;
//! let catalog = Catalog::builder().calendar("24x7", calendar).service(service).build()?;
//! let lifecycle = Lifecycle::new("status", ["resolved"], ["closed"])?;
//!
//! let at = |h| Utc.with_ymd_and_hms(2025, 3, 3, h, 0, 0).unwrap();
//! let as_of = at(23);
//! let spec = ReportSpec::builder(catalog).lifecycle(lifecycle).build()?;
//! let mut reporter = spec.reporter(as_of);
//! for (id, hours) in [("INC1", 2), ("INC2", 10)] {
//!     let timeline = Timeline::new(vec![
//!         Event::created(id, at(9), [("status", "new")]),
//!         Event::set(id, at(9 + hours), [("status", "resolved")]),
//!     ])?;
//!     reporter.add("email", &timeline)?;
//! }
//! let report = reporter.finish();
//! let resolution = &report.services[0].total.overall.policies[0];
//! assert_eq!((resolution.compliance.met, resolution.compliance.breached), (1, 1));
//! assert_eq!(resolution.compliance.percent.to_string(), "50");
//! assert_eq!(resolution.wall_time.mean.known(), Some(TimeDelta::hours(6)));
//! # Ok::<(), servicelevel::Error>(())
//! ```

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

mod availability;
mod catalog;
mod compare;
mod durations;
mod explain;
mod figures;
#[cfg(feature = "parallel")]
mod parallel;
mod reporter;
mod rows;
mod service;
mod span;
mod spec;
mod trace;

use chrono::{DateTime, Utc};

pub use availability::{CommitmentWindow, ServiceAvailability, Verdict};
pub use catalog::{Catalog, CatalogBuilder};
pub use compare::{Comparison, Flip, ReportChange, ReportDiff};
pub use explain::{Agreement, Breach, Disagreement, DisagreementReason, KindTotal, MAX_PAUSES, Pause};
pub use figures::{Breakdown, Figures, Group, PolicyFigures, Section, TeamFigures};
pub use reporter::Reporter;
#[cfg(feature = "serde")]
pub use reporter::ReviewPart;
pub use rows::{Row, Unit};
pub use service::{Commitment, Composition, Dependencies, Obligation, Service, ServiceBuilder};
pub use spec::{ReportSpec, ReportSpecBuilder};

use crate::calendar::Period;
use crate::event::{Field, PolicyId, ServiceId, TicketId};
use crate::metrics::{AgeBuckets, PercentileMethod};

/// A service review: per service, its tickets' figures in total and per
/// period, its availability against its commitment, and the tickets it
/// could not fully evaluate; with everything needed to reproduce it.
///
/// Read by name: [`ServiceReport::periods`] carry their
/// [`label`](Section::label), [`Section::breakdown`] and
/// [`Breakdown::group`] find a breakdown's values, [`Figures::policy`] and
/// [`Figures::team`] a policy's and a group's figures (the crate docs'
/// opening example reads one whole).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Report {
    /// How the report was made.
    pub metadata: Metadata,
    /// One entry per catalog service, in catalog order.
    pub services: Vec<ServiceReport>,
    /// Where every row of the export went, when the tickets were read
    /// with an [`ExportProfile`](crate::ExportProfile) (see
    /// [`Report::with_ledger`]).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub ledger: Option<crate::ingest::Ledger>,
}

impl Report {
    /// The report with the ledger of the ingestion its tickets came from,
    /// so that the report accounts for every input row.
    pub fn with_ledger(mut self, ledger: crate::ingest::Ledger) -> Report {
        self.ledger = Some(ledger);
        self
    }
}

/// What a report was computed with: enough to run it again and get the
/// same figures.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Metadata {
    /// This crate's version.
    pub crate_version: String,
    /// The IANA time zone database version chrono-tz was built with.
    pub tzdb_version: String,
    /// The instant the report is as of.
    pub as_of: DateTime<Utc>,
    /// The reporting period, if the report has periods.
    pub period: Option<Period>,
    /// The IANA zone periods are taken in.
    pub zone: Option<chrono_tz::Tz>,
    /// The breakdown fields.
    pub breakdowns: Vec<Field>,
    /// How percentiles were read.
    pub percentile_method: PercentileMethod,
    /// The backlog age buckets.
    pub age_buckets: AgeBuckets,
    /// The lifecycle vocabulary.
    pub lifecycle: Option<crate::policy::Lifecycle>,
    /// The services, their policies and the calendars used.
    pub catalog: crate::report::Catalog,
}

/// One service's part of a [`Report`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ServiceReport {
    /// The service.
    pub service: ServiceId,
    /// Its name.
    pub name: String,
    /// Tickets added for it (including any created after `as_of`).
    pub tickets: u64,
    /// All its tickets, as of `as_of`.
    pub total: Section,
    /// One section per period, from the first ticket's to `as_of`'s.
    pub periods: Vec<Section>,
    /// Availability against the commitment, when outages were added.
    pub availability: Option<ServiceAvailability>,
    /// Tickets (or ticket-policy pairs) that could not be counted, and why.
    pub problems: Vec<TicketProblem>,
    /// The worst breaches of each policy as of `as_of`, worst first, when
    /// the spec asks for them ([`ReportSpecBuilder::worst_breaches`]).
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    pub worst: Vec<Breach>,
    /// The agreement with the tool's recorded verdicts, when the spec names
    /// a policy and tickets came with verdicts.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub agreement: Option<Agreement>,
}

/// A ticket the report could not count, in full or under one policy.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct TicketProblem {
    /// The ticket.
    pub ticket: TicketId,
    /// The policy, when only that policy could not be evaluated.
    pub policy: Option<PolicyId>,
    /// The event's position in the ticket's input, when one is at fault.
    pub position: Option<usize>,
    /// What went wrong, with its cause chain (serialised as its kind and
    /// message).
    pub error: crate::Error,
}

//! Availability from outage records, reliability figures (MTBF, MTRS,
//! MTBSI), service level objectives and error budgets, and composite
//! availability.
//!
//! # The model
//!
//! - An [`Outage`] is a half-open interval with an [`Impact`]; its weight
//!   comes from the agreement's [`ImpactWeights`]. An open outage runs until
//!   `as_of`.
//! - An [`Agreement`] holds the agreed service time (a
//!   [`BusinessCalendar`](crate::BusinessCalendar): 24x7 or business hours),
//!   planned [`Maintenance`] and its [`MaintenanceMode`].
//! - [`Agreement::history`] sorts and merges the outages once into a
//!   [`History`]; [`History::measure`] and [`History::report`] then give a
//!   [`WindowAvailability`] per window, with windows from [`Period`](crate::calendar::Period) (months
//!   that are as long as they are) or [`rolling`]; [`History::explain`] says
//!   which outages made a window's downtime and how much each counted.
//!
//! Availability over a window is `100 * (C - D) / C`, where `T` is the agreed
//! service time in the window, `M` the planned maintenance in it, `D` the
//! weighted downtime of unplanned outages within `T` and outside `M`, and
//! `C = T - M` when maintenance is excluded (the default; ITIL's
//! `(T - M - D) / (T - M)`), `C = T` when it counts as up; when maintenance
//! counts as down, `M` is added to `D` and `C = T`. Overlapping outages are
//! merged (a union, never a sum), and where outages of different impact
//! overlap the highest weight counts.
//!
//! A group of services is measured either from its members' percentages
//! ([`Composite`]: series, parallel, k-of-n, weighted, assuming members fail
//! independently) or from their outage histories aligned in time
//! ([`aligned_outages`]: the group's own outages, under [`Needed`]).

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

mod agreement;
mod aligned;
mod composite;
mod history;
mod impact;
mod ingest;
mod outage;
mod period;
pub mod slo;
mod sort;

pub use agreement::{Agreement, AgreementBuilder};
pub use aligned::{Needed, aligned_outages};
pub use composite::{Composite, WeightedPart};
pub use history::{
    AvailabilityReport, DowntimeExplanation, History, OutageShare, UnusedOutage, UnusedReason, WindowAvailability,
};
pub use impact::{Impact, ImpactWeights, Weight};
pub use ingest::{IngestedOutages, OutageIngest, OutageKind, OutageProfile, OutageProfileBuilder, ServiceOutages};
pub use outage::{Maintenance, MaintenanceMode, Outage};
pub use period::rolling;

//! Figures over many outcomes: SLA compliance, the backlog and its ageing,
//! summary statistics of durations with a named percentile method, and
//! incident response times (MTTD, MTTA, and MTTR as repair, recovery,
//! resolve and respond).
//!
//! Availability-based means (MTBF, MTRS, MTBSI) come with each
//! [`WindowAvailability`](crate::availability::WindowAvailability).

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

mod backlog;
mod compliance;
mod incident;
mod stats;

pub use backlog::{AgeBuckets, Backlog, MAX_AGE_EDGES};
pub use compliance::Compliance;
pub use incident::{Exclusions, Incident, Span, summarize};
pub use stats::{PercentileMethod, Summary, percentile};

//! Figures over many outcomes: SLA compliance, the backlog and its ageing,
//! summary statistics of durations with a named percentile method, and
//! incident response times (MTTD, MTTA, and MTTR as repair, recovery,
//! resolve and respond).
//!
//! Availability-based means (MTBF, MTRS, MTBSI) come with each
//! [`WindowAvailability`](crate::availability::WindowAvailability).

mod backlog;
mod compliance;
mod incident;
mod stats;

pub use backlog::{AgeBuckets, Backlog, MAX_AGE_EDGES};
pub use compliance::Compliance;
pub use incident::{Exclusions, Incident, Span, summarize};
pub use stats::{PercentileMethod, Summary, percentile};

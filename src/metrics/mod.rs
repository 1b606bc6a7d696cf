//! Figures over many outcomes: summary statistics of durations with a
//! named percentile method, and incident response times (MTTD, MTTA, and
//! MTTR as repair, recovery, resolve and respond).
//!
//! Availability-based means (MTBF, MTRS, MTBSI) come with each
//! [`WindowAvailability`](crate::availability::WindowAvailability).

mod incident;
mod stats;

pub use incident::{Exclusions, Incident, Span, TimeBasis, summarize};
pub use stats::{PercentileMethod, Summary, percentile};

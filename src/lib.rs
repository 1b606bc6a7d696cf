#![doc = include_str!("../docs/crate.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Checked arithmetic is policy: every operator on numbers left in the
// crate sits in a function whose `allow` states its bound (DESIGN.md,
// "Input at the edges").
#![deny(clippy::arithmetic_side_effects)]

mod arith;
pub mod availability;
pub mod calendar;
pub mod duration;
pub mod error;
pub mod eval;
pub mod event;
pub mod ingest;
pub mod interval;
pub mod metrics;
pub mod names;
pub mod policy;
pub mod ratio;
#[cfg(feature = "serde")]
mod rejected;
pub mod report;
#[cfg(feature = "serde")]
mod unique_keys;

// The front door: the types a user touches, so that one `use
// servicelevel::{...}` line serves a whole review. The modules hold the
// rest (parts of results, advanced knobs).
pub use availability::{Agreement, Impact, Outage, OutageProfile};
pub use calendar::{BusinessCalendar, ClockTime, FloatingDate, Period, Window, YearlyDate};
pub use error::{Error, ErrorKind, Result};
pub use eval::{Cycle, Evaluator, SlaClock, State, evaluate};
pub use event::{Event, Timeline};
pub use ingest::{ExportProfile, Ledger};
pub use interval::Interval;
pub use policy::{Condition, Lifecycle, Policy, Target, presets};
pub use ratio::Percent;
pub use report::{Catalog, Commitment, Report, ReportSpec, Reporter, Service};

/// Design notes: why the crate is built the way it is (`DESIGN.md`).
#[doc = include_str!("../docs/export.md")]
pub mod bring_your_own_export {}

#[doc = include_str!("../DESIGN.md")]
pub mod design {}

/// What changed, release by release, with the migration table
/// (`CHANGELOG.md`).
#[doc = include_str!("../CHANGELOG.md")]
pub mod changelog {}

// The README's Rust examples are doctests too.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

// The crates whose types appear in this crate's API, at the versions it
// was built with, so a dependent needs one line in its Cargo.toml.
pub use chrono;
pub use chrono_tz;
/// Feature `parallel`: the parallel iterators that
/// [`Evaluator::par_evaluate_timelines`] and [`Evaluator::par_evaluate_all`]
/// return are rayon's.
#[cfg(feature = "parallel")]
pub use rayon;
pub use rust_decimal;

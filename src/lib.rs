#![doc = include_str!("../docs/crate.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod availability;
pub mod calendar;
pub mod duration;
pub mod error;
pub mod eval;
pub mod event;
pub mod interval;
pub mod metrics;
pub mod policy;
pub mod ratio;
pub mod report;

pub use calendar::BusinessCalendar;
pub use error::{Error, ErrorKind, Result};
pub use interval::Interval;

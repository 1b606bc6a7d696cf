#![doc = include_str!("../docs/crate.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod calendar;
pub mod duration;
pub mod error;
pub mod eval;
pub mod event;
pub mod interval;
pub mod policy;

pub use calendar::BusinessCalendar;
pub use error::{Error, ErrorKind, Result};
pub use interval::Interval;

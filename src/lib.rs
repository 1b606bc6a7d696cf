//! Exact service-level arithmetic: business hours, SLA clocks, availability.
//!
//! (Crate documentation is assembled in `docs/crate.md`.)
#![doc = include_str!("../docs/crate.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod calendar;
pub mod error;
pub mod interval;

pub use calendar::BusinessCalendar;
pub use error::{Error, ErrorKind, Result};
pub use interval::Interval;

//! The trait contract of the public types, as the `time` crate's
//! `tests/integration/meta.rs` does it: value types are
//! `Send + Sync + Debug + Clone`, and with the `serde` feature they serialise
//! and deserialise. Adding a public type means adding it here.

use servicelevel::calendar::{
    BusinessCalendar, CalendarBuilder, ClockTime, Convention, DateRange, Disambiguation, FloatingDate, Landing,
    OpenIntervals, PartialClosure, WeekOfMonth, Window, YearlyDate,
};
use servicelevel::{Error, ErrorKind, Interval};

fn is_value<T: Send + Sync + std::fmt::Debug + Clone>() {}
fn is_data<T: Send + Sync + std::fmt::Debug + Clone + serde::Serialize + serde::de::DeserializeOwned>() {}
fn is_error<T: std::error::Error + Send + Sync + Clone + PartialEq + 'static>() {}

#[test]
fn public_types_honour_the_contract() {
    is_data::<BusinessCalendar>();
    is_data::<ClockTime>();
    is_data::<Window>();
    is_data::<YearlyDate>();
    is_data::<FloatingDate>();
    is_data::<DateRange>();
    is_data::<PartialClosure>();
    is_data::<WeekOfMonth>();
    is_data::<Disambiguation>();
    is_data::<Convention>();
    is_data::<Landing>();
    is_data::<Interval>();
    // A builder and an iterator are values but not data.
    is_value::<CalendarBuilder>();
    is_value::<OpenIntervals<'static>>();
    is_error::<Error>();
    is_error::<ErrorKind>();
}

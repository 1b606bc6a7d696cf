//! Every text parser, on arbitrary text. Invariant: whatever parses writes
//! back to text that parses to the same value.

use servicelevel::calendar::{ClockTime, FloatingDate, Period, Window, YearlyDate};
use servicelevel::policy::Amount;
use servicelevel::{Percent, duration};

fn round_trip<T>(text: &str)
where
    T: std::str::FromStr + std::fmt::Display + PartialEq + std::fmt::Debug,
{
    if let Ok(value) = text.parse::<T>() {
        let written = value.to_string();
        match written.parse::<T>() {
            Ok(again) => assert_eq!(again, value, "{text:?} -> {written:?}"),
            Err(_) => panic!("{text:?} parsed as {value:?}, but its text {written:?} does not"),
        }
    }
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    round_trip::<ClockTime>(text);
    round_trip::<Window>(text);
    round_trip::<YearlyDate>(text);
    round_trip::<FloatingDate>(text);
    round_trip::<Period>(text);
    round_trip::<Percent>(text);
    round_trip::<Amount>(text);
    round_trip::<servicelevel::ingest::InstantFormat>(text);
    if let Ok(d) = duration::parse(text) {
        assert_eq!(duration::parse(&duration::format(d)).ok(), Some(d), "{text:?}");
    }
    if let Ok(d) = duration::parse_iso8601(text) {
        assert_eq!(
            duration::parse_iso8601(&duration::format_iso8601(d)).ok(),
            Some(d),
            "{text:?}"
        );
    }
    // The serde forms of the configuration types, from the same text.
    let _ = serde_json::from_str::<servicelevel::Policy>(text);
    let _ = serde_json::from_str::<servicelevel::availability::Agreement>(text);
    let _ = serde_json::from_str::<servicelevel::availability::slo::AlertPolicy>(text);
    let _ = serde_json::from_str::<servicelevel::ReportSpec>(text);
    let _ = serde_json::from_str::<servicelevel::ExportProfile>(text);
    let _ = serde_json::from_str::<servicelevel::OutageProfile>(text);
}

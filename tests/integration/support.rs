//! Helpers shared by the integration tests: parsing the compact duration and
//! instant notation of scenario files.

use chrono::{DateTime, TimeDelta, Utc};

/// Parses `1h30m`, `-2h`, `90s`, `0h` into a `TimeDelta`.
pub fn duration(text: &str) -> TimeDelta {
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text),
    };
    let mut total = TimeDelta::zero();
    let mut number = String::new();
    for c in body.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let n: i64 = number.parse().unwrap_or_else(|_| panic!("bad duration `{text}`"));
        number.clear();
        total += match c {
            'd' => TimeDelta::days(n),
            'h' => TimeDelta::hours(n),
            'm' => TimeDelta::minutes(n),
            's' => TimeDelta::seconds(n),
            _ => panic!("bad duration unit in `{text}`"),
        };
    }
    assert!(number.is_empty(), "duration `{text}` lacks a unit");
    total * sign
}

/// Parses an RFC 3339 instant.
pub fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("bad instant `{text}`: {e}"))
        .to_utc()
}

/// `YYYY-MM-DDTHH:MM:SSZ` for an instant.
pub fn show(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// Proptest settings: 256 cases, or `PROPTEST_CASES` from the environment
/// (CI and deep local runs raise it).
pub fn config() -> proptest::prelude::ProptestConfig {
    proptest::prelude::ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(256),
        ..proptest::prelude::ProptestConfig::default()
    }
}

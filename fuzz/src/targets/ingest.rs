//! An export profile from arbitrary JSON (its serde form) and arbitrary
//! CSV-like text (lines of comma-separated cells, the first the header).
//! Invariant: every row read is used or rejected (the ledger balances), and
//! every timeline's events are in order.

use crate::split;
use servicelevel::{ExportProfile, OutageProfile};

/// Runs one input.
pub fn run(data: &[u8]) {
    let Some((json, rest)) = split(data) else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let mut lines = text.lines().take(256);
    let Some(header) = lines.next() else { return };
    let header: Vec<&str> = header.split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    // The two ingestions have the same calls but no common trait, so a
    // macro feeds both.
    macro_rules! feed {
        ($profile:expr) => {{
            let mut ingest = $profile.ingest();
            if ingest.source("fuzz.csv", &header).is_ok() {
                for row in &rows {
                    ingest.row(row.iter().copied());
                }
            }
            let ingested = ingest.finish();
            assert!(ingested.ledger.balances(), "{}", ingested.ledger);
            ingested
        }};
    }
    if let Ok(profile) = serde_json::from_str::<ExportProfile>(json) {
        for timeline in &feed!(profile).timelines {
            assert!(timeline.events().windows(2).all(|w| w[0].at() <= w[1].at()));
        }
    }
    if let Ok(profile) = serde_json::from_str::<OutageProfile>(json) {
        feed!(profile);
    }
}

//! Helpers shared by the fuzz targets: reading instants, durations and
//! decimals out of raw bytes, and splitting an input into a text part and a
//! byte part. The targets' bodies are in [`targets`], so that the replay
//! example (`examples/replay.rs`) times them outside libFuzzer.

pub mod targets;

use servicelevel::chrono::{DateTime, TimeDelta, Utc};
use servicelevel::rust_decimal::Decimal;

/// Splits at the first NUL byte: the text before it (when UTF-8) and the
/// bytes after.
pub fn split(data: &[u8]) -> Option<(&str, &[u8])> {
    let at = data.iter().position(|&b| b == 0)?;
    Some((std::str::from_utf8(&data[..at]).ok()?, &data[at + 1..]))
}

/// The crate's reading of a leap-second instant (`23:59:60.5` is
/// `23:59:59.999999999`): chrono's own arithmetic counts the leap second,
/// so invariants on wall time compare the instants as the crate reads them.
pub fn leap_free(at: DateTime<Utc>) -> DateTime<Utc> {
    use servicelevel::chrono::Timelike;
    if at.nanosecond() < 1_000_000_000 {
        at
    } else {
        at.with_nanosecond(999_999_999).unwrap_or(at)
    }
}

/// Reads fixed-size values from the front of a byte slice.
pub struct Bytes<'a>(pub &'a [u8]);

impl Bytes<'_> {
    /// The next byte, or `None` at the end.
    pub fn u8(&mut self) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(first)
    }

    /// The next two bytes, little-endian.
    pub fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes([self.u8()?, self.u8()?]))
    }

    /// The next eight bytes, little-endian.
    pub fn i64(&mut self) -> Option<i64> {
        let mut b = [0u8; 8];
        for slot in &mut b {
            *slot = self.u8()?;
        }
        Some(i64::from_le_bytes(b))
    }

    /// An instant anywhere chrono can hold, near 2025 when the low bit is
    /// clear (so that most instants fall inside calendars' horizons). A
    /// leap-second instant is read as the crate reads it: the last
    /// nanosecond of the second before (see [`leap_free`]).
    pub fn instant(&mut self) -> Option<DateTime<Utc>> {
        self.raw_instant().map(leap_free)
    }

    /// An instant as drawn, leap seconds included.
    pub fn raw_instant(&mut self) -> Option<DateTime<Utc>> {
        let raw = self.i64()?;
        let nanos = u32::from(self.u16()?) * 30_518; // up to 1.999... s
        let seconds = if raw & 1 == 0 {
            1_735_689_600 + (raw >> 1) % (5 * 366 * 86_400)
        } else {
            raw >> 1
        };
        DateTime::from_timestamp(seconds, nanos).or_else(|| DateTime::from_timestamp(seconds % 1_000_000_000_000, 0))
    }

    /// A duration of up to about 90 days either way, or any `TimeDelta`
    /// when the low bit is set.
    pub fn duration(&mut self) -> Option<TimeDelta> {
        let raw = self.i64()?;
        Some(if raw & 1 == 0 {
            TimeDelta::seconds((raw >> 1) % (90 * 86_400))
        } else {
            TimeDelta::new(raw >> 1, u32::from(self.u16()?) * 15_259).unwrap_or(TimeDelta::MAX)
        })
    }

    /// A decimal of any mantissa and scale (0 to 28).
    pub fn decimal(&mut self) -> Option<Decimal> {
        let mantissa = i128::from(self.i64()?) * i128::from(self.u16()?);
        let scale = u32::from(self.u8()? % 29);
        Decimal::try_from_i128_with_scale(mantissa, scale).ok()
    }
}

/// A policy from JSON: its serde form, or `{"preset": name, ...}` whose
/// other keys replace the preset's (the form of the SLA scenario files,
/// so that they seed the corpus).
pub fn policy(json: &str) -> Option<servicelevel::Policy> {
    use servicelevel::policy::Target;
    use servicelevel::{Lifecycle, presets};
    let entry: serde_json::Value = serde_json::from_str(json).ok()?;
    let Some(name) = entry.get("preset").and_then(serde_json::Value::as_str) else {
        return serde_json::from_value(entry).ok();
    };
    let t = Target::business(TimeDelta::hours(1));
    let preset = match name {
        "servicenow_response" => presets::servicenow_response(&Lifecycle::servicenow(), t),
        "servicenow_resolution" => presets::servicenow_resolution(&Lifecycle::servicenow(), t),
        "jira_time_to_first_response" => presets::jira_time_to_first_response(&Lifecycle::jira(), t),
        "jira_time_to_resolution" => presets::jira_time_to_resolution(&Lifecycle::jira(), t),
        "zendesk_first_reply_time" => presets::zendesk_first_reply_time(&Lifecycle::zendesk(), t),
        "zendesk_next_reply_time" => presets::zendesk_next_reply_time(&Lifecycle::zendesk(), t),
        "zendesk_periodic_update" => presets::zendesk_periodic_update(&Lifecycle::zendesk(), t),
        "zendesk_requester_wait_time" => presets::zendesk_requester_wait_time(&Lifecycle::zendesk(), t),
        "zendesk_agent_work_time" => presets::zendesk_agent_work_time(&Lifecycle::zendesk(), t),
        "zammad_first_response" => presets::zammad_first_response(&Lifecycle::zammad(), t),
        "zammad_update" => presets::zammad_update(&Lifecycle::zammad(), t),
        "zammad_solution" => presets::zammad_solution(&Lifecycle::zammad(), t),
        "glpi_time_to_own" => presets::glpi_time_to_own(&Lifecycle::glpi(), t),
        "glpi_time_to_resolve" => presets::glpi_time_to_resolve(&Lifecycle::glpi(), t),
        _ => presets::assignment_group_ola(&Lifecycle::servicenow(), "desk", t),
    }
    .ok()?;
    let mut form = serde_json::to_value(&preset).ok()?;
    for (key, value) in entry.as_object()? {
        if key != "preset" {
            form[key] = value.clone();
        }
    }
    serde_json::from_value(form).ok()
}

/// Runs `f`, and with `FUZZ_TIMING` set prints each new slowest call to
/// stderr: replaying a corpus with `-runs=0` then shows the slowest input
/// (libFuzzer's own slow-unit report counts whole seconds).
pub fn timed(f: impl FnOnce()) {
    use std::sync::atomic::{AtomicU64, Ordering};
    static SLOWEST_NANOS: AtomicU64 = AtomicU64::new(0);
    if std::env::var_os("FUZZ_TIMING").is_none() {
        return f();
    }
    let start = std::time::Instant::now();
    f();
    let nanos = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
    if nanos > SLOWEST_NANOS.fetch_max(nanos, Ordering::Relaxed) {
        eprintln!("fuzz-timing: slowest call so far {:.3} ms", nanos as f64 / 1e6);
    }
}

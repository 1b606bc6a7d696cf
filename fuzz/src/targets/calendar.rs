//! A calendar from arbitrary JSON (the serde form), then every query with
//! arbitrary instants and amounts. Invariants: business time is never
//! negative forwards nor more than the wall time; adding the business time
//! between two instants lands no later than the second; periods contain
//! the instant they were asked for.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::{Bytes, split};
use servicelevel::BusinessCalendar;
use servicelevel::calendar::Period;
use servicelevel::chrono::TimeDelta;

thread_local! {
    /// Calendars by their JSON: most mutations change the query bytes, not
    /// the calendar, and building one costs more than all its queries.
    static BUILT: RefCell<HashMap<String, Option<BusinessCalendar>>> = RefCell::new(HashMap::new());
}

fn cached(json: &str) -> Option<BusinessCalendar> {
    BUILT.with_borrow_mut(|built| {
        if built.len() > 4096 {
            built.clear();
        }
        built.entry(json.to_string()).or_insert_with(|| build(json)).clone()
    })
}

fn build(json: &str) -> Option<BusinessCalendar> {
    let mut form = serde_json::from_str::<serde_json::Value>(json).ok()?;
    // Without a horizon of its own, seven years around the instants the
    // target draws (building the default 130 years costs more than every
    // query together).
    if let Some(object) = form.as_object_mut() {
        object
            .entry("horizon")
            .or_insert_with(|| serde_json::json!(["2024-01-01", "2031-01-01"]));
    }
    serde_json::from_value::<BusinessCalendar>(form).ok()
}

/// Runs one input.
pub fn run(data: &[u8]) {
    let Some((json, rest)) = split(data) else { return };
    let Some(calendar) = cached(json) else { return };
    let mut bytes = Bytes(rest);
    for _ in 0..16 {
        // Raw instants (leap seconds included) go to the calendar; the
        // invariants compare them as the crate reads them.
        let (Some(raw_a), Some(raw_b), Some(amount)) = (bytes.raw_instant(), bytes.raw_instant(), bytes.duration())
        else {
            return;
        };
        let (a, b) = (crate::leap_free(raw_a), crate::leap_free(raw_b));
        let (raw_from, raw_to) = if a <= b { (raw_a, raw_b) } else { (raw_b, raw_a) };
        let (from, to) = (a.min(b), a.max(b));
        let business = calendar.business_time(raw_from, raw_to);
        assert!(business >= TimeDelta::zero(), "negative business time {from}..{to}");
        assert!(
            business <= to - from,
            "business time {business} over wall time {from}..{to}"
        );
        assert_eq!(calendar.business_time(to, from), -business);
        let checked = calendar.checked_business_time(from, to);
        if let Ok(checked) = checked {
            assert_eq!(checked, business);
            if let Ok(landed) = calendar.add_business_time(from, business) {
                assert!(landed <= to, "{from} + {business} landed at {landed}, after {to}");
                assert_eq!(calendar.business_time(from, landed), business);
            }
        }
        if let Ok(due) = calendar.add_business_time(from, amount) {
            if amount >= TimeDelta::zero() && calendar.checked_business_time(from, due).is_ok() {
                assert_eq!(calendar.business_time(from, due), amount, "{from} + {amount} = {due}");
            }
        }
        let _ = calendar.is_open(a);
        if let Ok(open) = calendar.next_open(a) {
            assert!(open >= a);
        }
        if let Ok(close) = calendar.next_close(a) {
            assert!(close >= a);
        }
        let spans: TimeDelta = calendar
            .open_intervals(from, to)
            .take(64)
            .map(|i| i.end() - i.start())
            .sum();
        assert!(spans <= business || calendar.open_intervals(from, to).nth(64).is_some());
        for period in [Period::Day, Period::Week, Period::Month, Period::Quarter, Period::Year] {
            if let Ok(window) = period.containing(calendar.time_zone(), a) {
                assert!(window.start() <= a && a < window.end(), "{period:?} of {a}: {window:?}");
            }
            let _ = period.label_of(calendar.time_zone(), a);
        }
    }
}

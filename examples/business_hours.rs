//! Business time and due dates on a calendar loaded from JSON.
//!
//! ```text
//! cargo run --example business_hours --features serde                    # examples/data/us_office.json
//! cargo run --example business_hours --features serde -- my_calendar.json
//! ```
//!
//! Prints, for a few ticket-like instants around weekends, a holiday, a half
//! day and a clock change: the business time to a fixed instant, and when
//! 4-hour and 2-working-day targets fall due.

use std::error::Error;

use chrono::{DateTime, TimeDelta, Utc};
use servicelevel::BusinessCalendar;
use servicelevel::calendar::{Convention, Landing};

const DEFAULT_CALENDAR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/us_office.json");

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| DEFAULT_CALENDAR.to_string());
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read `{path}`: {e}"))?;
    let calendar: BusinessCalendar = serde_json::from_str(&text).map_err(|e| format!("`{path}`: {e}"))?;
    let tz = calendar.time_zone();
    println!("calendar: {path} ({})", tz.name());

    let until: DateTime<Utc> = "2025-12-31T22:00:00Z".parse()?;
    let opened = [
        "2025-03-07T21:30:00Z", // Friday 16:30 EST, two days before the clock change
        "2025-07-03T19:00:00Z", // Thursday 15:00 EDT, before Independence Day
        "2025-09-02T17:00:00Z", // Tuesday 13:00 EDT: the budget runs out at closing time
        "2025-11-26T20:00:00Z", // Wednesday 15:00 EST, before Thanksgiving
        "2025-12-24T16:00:00Z", // Christmas Eve 11:00 EST, half day
    ];
    println!(
        "{:<22} {:>16} {:<24} {:<24} {:<24}",
        "opened (local)", "to 2025-12-31", "due +4h business", "due +4h (next opening)", "due +2 working days"
    );
    for text in opened {
        let at: DateTime<Utc> = text.parse()?;
        let local = at.with_timezone(&tz).format("%a %Y-%m-%d %H:%M");
        let business = calendar.business_time(at, until);
        let due = calendar.add_business_time(at, TimeDelta::hours(4))?;
        let due_next = calendar.add_business_time_with(at, TimeDelta::hours(4), Convention::NextOpening)?;
        let due_days = calendar.add_working_days(at, 2, Landing::EndOfWorkingDay)?;
        let show = |t: DateTime<Utc>| t.with_timezone(&tz).format("%a %Y-%m-%d %H:%M %Z").to_string();
        println!(
            "{:<22} {:>16} {:<24} {:<24} {:<24}",
            local.to_string(),
            hours(business),
            show(due),
            show(due_next),
            show(due_days)
        );
    }
    let year = ("2025-01-01".parse()?, "2026-01-01".parse()?);
    println!(
        "working days in 2025: {}",
        calendar.working_days_between(year.0, year.1)?
    );
    Ok(())
}

/// `1234h05m` for a duration.
fn hours(d: TimeDelta) -> String {
    format!("{}h{:02}m", d.num_hours(), d.num_minutes() % 60)
}

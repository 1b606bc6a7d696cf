//! Examples are tested programs: each runs on its shipped data and its key
//! figures are checked. `cargo test` builds the examples next to the test
//! binaries, so the tests run those builds.

use std::path::PathBuf;
use std::process::Command;

fn example(name: &str) -> PathBuf {
    let deps = std::env::current_exe().expect("test binary path");
    let path = deps
        .parent()
        .and_then(|d| d.parent())
        .expect("target dir")
        .join("examples")
        .join(name);
    assert!(
        path.exists(),
        "example `{name}` is not built at {path:?}; run the tests with `cargo test --all-features`"
    );
    path
}

fn run(name: &str, args: &[&str]) -> (String, String, bool) {
    let output = Command::new(example(name)).args(args).output().expect("example runs");
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.success(),
    )
}

#[test]
fn business_hours_example_prints_due_dates() {
    let (stdout, stderr, ok) = run("business_hours", &[]);
    assert!(ok, "{stderr}");
    // Figures checked by hand against the calendar in examples/data/us_office.json:
    // Fri 16:30 + 4h = 30 min Friday, then Monday 09:00-12:30 (now EDT).
    assert!(
        stdout.contains("Fri 2025-03-07 16:30           1636h30m Mon 2025-03-10 12:30 EDT"),
        "{stdout}"
    );
    // Thanksgiving (4th Thursday of November) is closed.
    assert!(
        stdout.contains("Wed 2025-11-26 15:00            182h00m Fri 2025-11-28 11:00 EST"),
        "{stdout}"
    );
    // A budget used up at 17:00: earliest instant 17:00, next opening 09:00.
    assert!(
        stdout.contains("Tue 2025-09-02 17:00 EDT Wed 2025-09-03 09:00 EDT"),
        "{stdout}"
    );
    // Christmas Eve closes at 13:00: 2h, then Friday 26th 09:00-11:00.
    assert!(
        stdout.contains("Wed 2025-12-24 11:00             34h00m Fri 2025-12-26 11:00 EST"),
        "{stdout}"
    );
    // 261 weekdays in 2025 less 11 federal holidays, all on weekdays.
    assert!(stdout.contains("working days in 2025: 250"), "{stdout}");
}

#[test]
fn business_hours_example_reports_a_bad_calendar() {
    let dir = std::env::temp_dir().join(format!("servicelevel-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.json");
    std::fs::write(
        &path,
        r#"{ "time_zone": "Europe/Pariss", "weekly": {}, "holidays": [] }"#,
    )
    .unwrap();
    let (_, stderr, ok) = run("business_hours", &[path.to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("unknown time zone `Europe/Pariss`"), "{stderr}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn status_availability_example_reports_github_months() {
    let (stdout, stderr, ok) = run("status_availability", &[]);
    assert!(ok, "{stderr}");
    // The total for "any impact" was recomputed independently with a short
    // Python script (sorted-interval union of the critical, major and minor
    // windows, minus their overlap with the union of maintenance windows,
    // over 2022-03-01 to the last outage end): 95.6706% and 1,643.7167 h.
    assert!(
        stdout.contains("total        99.7835     99.0425     95.6706     99.5612       670"),
        "{stdout}"
    );
    assert!(
        stdout.contains("any impact: downtime 1643h43m over 54 months"),
        "{stdout}"
    );
    // The shipped file: 819 rows; 31 with impact `none` and 9 zero-length
    // outages are rejected with their reason; every row is accounted for.
    assert!(stdout.contains("no downtime declared: 31"), "{stdout}");
    assert!(stdout.contains("the outage has no length: 9"), "{stdout}");
    assert!(
        stdout.contains("accounting: 819 rows read = 761 outages + 18 maintenance windows + 40 rejected"),
        "{stdout}"
    );
}

#[test]
fn status_availability_example_checks_the_quarterly_commitment() {
    let (stdout, stderr, ok) = run("status_availability", &[]);
    assert!(ok, "{stderr}");
    // GitHub Enterprise Cloud SLA (docs.github.com, "GitHub Enterprise
    // Service Level Agreement"): 99.9% uptime per calendar quarter; 10%
    // credit at or below 99.9%, 25% below 99.0%. Q3 2024 recomputed by
    // scripts/check_github_quarter.py (plain Python): 25.9333 h of
    // critical or major downtime, uptime 98.825%.
    assert!(
        stdout.contains("2024-Q3     98.825    missed      25%    25h56m"),
        "{stdout}"
    );
    assert!(stdout.contains("missed in 18 of 19 quarters"), "{stdout}");
}

#[test]
fn status_availability_example_writes_the_report_as_json() {
    let (stdout, stderr, ok) = run("status_availability", &["--format", "json"]);
    assert!(ok, "{stderr}");
    let report: servicelevel::report::Report = serde_json::from_str(&stdout).expect("a Report");
    let availability = report.services[0].availability.as_ref().expect("measured");
    assert_eq!(availability.target.to_string(), "99.9");
    // 2022-Q1 to 2026-Q3.
    assert_eq!(availability.windows.len(), 19);
}

#[test]
fn service_review_example_reviews_the_servicenow_slice() {
    let (stdout, stderr, ok) = run("service_review", &[]);
    assert!(ok, "{stderr}");
    // Counts recomputed independently by scripts/check_service_review.py
    // (plain Python csv, no servicelevel code) on the shipped slice:
    // 8,938 rows, 1,304 incidents, 5 updates before `opened_at`; 1,323
    // resolutions, 19 reopens, 1,254 reassignments on 575 tickets.
    assert!(
        stdout.contains(
            "ACCOUNTING: 8938 rows read = 8933 used as events + 5 rejected (5 update before opened_at); 1304 incidents"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("reopens 19 of 1323 resolutions (1.4%); 1254 reassignments on 575 tickets"),
        "{stdout}"
    );
    // The assumed targets are printed with the report.
    assert!(
        stdout.contains("1 - Critical  response   30m  resolution    4h"),
        "{stdout}"
    );
    assert!(stdout.contains("AGREEMENT WITH THE EXPORT'S made_sla"), "{stdout}");
    assert!(stdout.contains("TEN WORST RESOLUTION BREACHES"), "{stdout}");
}

#[test]
fn service_review_example_writes_the_report_as_json() {
    let (stdout, stderr, ok) = run(
        "service_review",
        &["--format", "json", "--as-of", "2016-03-31T00:00:00Z"],
    );
    assert!(ok, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("the output is JSON");
    let meta = &report["metadata"];
    assert_eq!(meta["crate_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(meta["tzdb_version"], chrono_tz::IANA_TZDB_VERSION);
    assert_eq!(meta["as_of"], "2016-03-31T00:00:00Z");
    assert_eq!(meta["period"], "month");
    // The JSON report deserialises back into the library's type.
    let parsed: servicelevel::report::Report = serde_json::from_str(&stdout).expect("a Report");
    assert_eq!(parsed.services[0].periods.len(), 2, "February and March 2016");
}

#[test]
fn service_review_example_accounts_for_broken_rows() {
    let shipped = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/servicenow_incidents_slice.csv"
    ))
    .unwrap();
    let mut lines = shipped.lines();
    let header = lines.next().unwrap();
    // The first incident's rows (INC0000045: 4 rows), then broken ones.
    let good: Vec<&str> = lines.take_while(|l| l.starts_with("INC0000045,")).collect();
    assert_eq!(good.len(), 4);
    let broken = [
        // Too few fields.
        "INC0000099,New,true".to_string(),
        // Month 13 in a day-first date.
        good[0].replace("29/2/2016 01:23,Phone", "29/13/2016 01:23,Phone"),
        // The undocumented state.
        good[1].replace(",Resolved,", ",-100,"),
        // A state no documentation lists.
        good[1].replace(",Resolved,", ",Pending,"),
        // An exact repeat of a row.
        good[2].to_string(),
    ];
    let body: Vec<String> = good.iter().map(|s| s.to_string()).chain(broken).collect();
    let dir = std::env::temp_dir().join(format!("servicelevel-review-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken.csv");
    std::fs::write(&path, format!("{header}\n{}\n", body.join("\n"))).unwrap();
    let (stdout, stderr, ok) = run("service_review", &[path.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    // 9 rows: 4 good; 5 rejected, each with its reason; the sums add up.
    assert!(
        stdout.contains(
            "ACCOUNTING: 9 rows read = 4 used as events + 5 rejected (1 repeated row (same instant, sys_mod_count and values), \
             1 undocumented state -100, 1 unknown incident_state, 1 unreadable sys_updated_at, 1 wrong number of fields); 1 incidents"
        ),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn volvo_example_reviews_the_hand_worked_sample() {
    let (stdout, stderr, ok) = run("volvo_incidents", &[]);
    assert!(ok, "{stderr}");
    // Every figure below is worked by hand, case by case, in
    // examples/data/README.md (the sample is written for this project).
    // March in Brussels: one case across the DST change, 64h wall clock.
    assert!(
        stdout.contains("2012-03        1    100.0%     100.0%         0     64h     64h     64h        0    0.0%"),
        "{stdout}"
    );
    // April: accept 3 of 4 (one cancelled), resolution 4 of 5, wall-clock
    // times 5h, 26h, 46h30m, 56h, 92h; 1 reopen in 6 resolutions.
    assert!(
        stdout.contains("2012-04        5     75.0%      80.0%         1   45h6m  46h30m  77h36m        0   16.7%"),
        "{stdout}"
    );
    assert!(
        stdout.contains("all                 8     85.7%      85.7%        6        1         1     9h48m"),
        "{stdout}"
    );
    assert!(
        stdout.contains("mean 41h23m median 46h30m p90 75h12m p95 83h36m (n = 7,"),
        "{stdout}"
    );
    assert!(
        stdout.contains("reopens 1 of 8 resolutions (12.5%); 1 reassignments on 1 tickets"),
        "{stdout}"
    );
    // OLA per team: the reopened case's second stint (28h) breaches 20h;
    // V5 3rd's held time includes the paused business hours.
    assert!(
        stdout.contains("N6 2nd             1  50.0%         1       33h       33h"),
        "{stdout}"
    );
    assert!(
        stdout.contains("V5 3rd             2 100.0%         0     10h7m"),
        "{stdout}"
    );
    // The worst breach, explained: counted time and the weekend plus nights.
    assert!(
        stdout.contains(
            "1-500000004 Major         used     16h of    4h (+12h), 5 segments: counting 16h, outside hours 76h"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "ACCOUNTING: 29 rows read = 25 used as events + 4 rejected (1 repeated row (same instant and values), \
             1 status Unmatched (no lifecycle), 1 unreadable time:timestamp, 1 wrong number of fields); 8 cases"
        ),
        "{stdout}"
    );
}

#[test]
fn volvo_example_writes_the_report_as_json() {
    let (stdout, stderr, ok) = run("volvo_incidents", &["--format", "json"]);
    assert!(ok, "{stderr}");
    let report: servicelevel::report::Report = serde_json::from_str(&stdout).expect("a Report");
    assert_eq!(report.metadata.zone, Some(chrono_tz::Europe::Brussels));
    let service = &report.services[0];
    assert_eq!(service.total.overall.tickets, 8);
    // March, April and May 2012 in Brussels.
    assert_eq!(service.periods.len(), 3);
}

/// On the real log when this machine has it (`../shared/data/bpi2013/`);
/// a fresh clone without it skips this test and says so.
#[test]
fn volvo_example_reviews_the_real_log_when_present() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/bpi2013/bpi_challenge_2013_incidents.csv"
    );
    if !std::path::Path::new(path).exists() {
        eprintln!("skipped: {path} is not on this machine");
        return;
    }
    let (stdout, stderr, ok) = run("volvo_incidents", &[path]);
    assert!(ok, "{stderr}");
    // Recounted independently by scripts/check_volvo.py (plain Python csv):
    // 65,533 rows, 7,554 cases, 5 Unmatched rows; 8,126 resolutions,
    // 580 reopens, 9,454 reassignments on 3,820 cases. The log's README
    // (../shared/data/README.md) gives the same row, case and Unmatched
    // counts and 8 cases that never complete (the backlog).
    assert!(
        stdout.contains(
            "ACCOUNTING: 65533 rows read = 65528 used as events + 5 rejected (5 status Unmatched (no lifecycle)); 7554 cases"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("backlog at as_of: 8 open"), "{stdout}");
    assert!(
        stdout.contains("reopens 580 of 8126 resolutions (7.1%); 9454 reassignments on 3820 tickets"),
        "{stdout}"
    );
}

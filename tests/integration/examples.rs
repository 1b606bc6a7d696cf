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
    // outages are rejected with their reason; the other 779 are 761
    // outages and 18 maintenance windows; every row is accounted for.
    assert!(
        stdout.contains(
            "accounting: 819 rows read = 779 used + 40 rejected (31 impact none: no downtime declared, \
             9 unusable outage (the outage has no length))"
        ),
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

//! The review command on the shipped profiles, specs and data: the key
//! figures of each review, checked against independent counts and hand
//! work, and what it does with bad input.

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn shipped(path: &str) -> String {
    Path::new(ROOT).join(path).to_str().unwrap().to_string()
}

fn review(args: &[&str]) -> (String, String, bool) {
    let output = Command::new(env!("CARGO_BIN_EXE_servicelevel-review"))
        .args(args)
        .output()
        .expect("the command runs");
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.success(),
    )
}

fn volvo(extra: &[&str]) -> (String, String, bool) {
    let profile = shipped("examples/profiles/volvo_bpi2013.toml");
    let spec = shipped("examples/profiles/volvo_bpi2013.review.json");
    let mut args = vec!["--profile", &profile, "--spec", &spec];
    args.extend_from_slice(extra);
    review(&args)
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("servicelevel-review-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn without_arguments_it_reviews_the_servicenow_slice() {
    let (stdout, stderr, ok) = review(&[]);
    assert!(ok, "{stderr}");
    // Counts recomputed independently by scripts/check_service_review.py
    // (plain Python csv, no servicelevel code) on the shipped slice:
    // 8,938 rows, 1,304 incidents, 5 updates before `opened_at`; 1,323
    // resolutions, 19 reopens, 1,254 reassignments on 575 tickets.
    assert!(
        stdout.contains("ACCOUNTING: 8938 rows read = 8933 used + 5 rejected (5 update before creation); 1304 tickets"),
        "{stdout}"
    );
    assert!(
        stdout.contains("reopens 19 of 1323 resolutions (1.4%); 1254 reassignments on 575 tickets"),
        "{stdout}"
    );
    // The spec's targets are printed with the review.
    assert!(
        stdout.contains("servicenow-resolution    business time by `priority`: 1 - Critical = 4h, 2 - High = 10h"),
        "{stdout}"
    );
    assert!(
        stdout.contains("AGREEMENT WITH THE RECORDED VERDICTS (servicenow-resolution): 983 of 1268 tickets (77.5%)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("THE 10 WORST servicenow-resolution BREACHES"),
        "{stdout}"
    );
}

#[test]
fn the_json_report_reads_back_with_its_ledger() {
    let (stdout, stderr, ok) = review(&["--format", "json", "--as-of", "2016-03-31T00:00:00Z"]);
    assert!(ok, "{stderr}");
    let report: servicelevel::Report = serde_json::from_str(&stdout).expect("a Report");
    assert_eq!(report.metadata.as_of.to_rfc3339(), "2016-03-31T00:00:00+00:00");
    assert_eq!(report.services[0].periods.len(), 2, "February and March 2016");
    let ledger = report.ledger.expect("the ledger is part of the report");
    assert_eq!((ledger.rows(), ledger.used(), ledger.rejected().len()), (8938, 8933, 5));
}

#[test]
fn the_csv_rows_load_back_and_sum_to_the_review() {
    let (stdout, stderr, ok) = review(&["--format", "csv"]);
    assert!(ok, "{stderr}");
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(
        header.iter().collect::<Vec<_>>(),
        [
            "service",
            "period",
            "start",
            "end",
            "breakdown",
            "group",
            "team",
            "policy",
            "measure",
            "unit",
            "value"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let value = |r: &csv::StringRecord| r[10].parse::<f64>().unwrap_or(f64::NAN);
    let sum = |pred: &dyn Fn(&csv::StringRecord) -> bool| -> f64 { rows.iter().filter(|r| pred(r)).map(value).sum() };
    // The total's tickets (1,304, as the text review says) are the sum of
    // the priority groups' tickets.
    let total_tickets = sum(&|r| &r[1] == "total" && r[4].is_empty() && r[6].is_empty() && &r[8] == "tickets");
    assert_eq!(total_tickets, 1304.0);
    let by_priority = sum(&|r| &r[1] == "total" && &r[4] == "priority" && r[6].is_empty() && &r[8] == "tickets");
    assert_eq!(by_priority, 1304.0);
    // Breached resolutions: 400 in total (the text review's "all" line),
    // the sum of the per-priority figures.
    let breached = |r: &csv::StringRecord, breakdown: &str| {
        &r[1] == "total" && &r[4] == breakdown && &r[7] == "servicenow-resolution" && &r[8] == "breached"
    };
    assert_eq!(sum(&|r| breached(r, "")), 400.0);
    assert_eq!(sum(&|r| breached(r, "priority")), 400.0);
    // Seconds are plain numbers: the resolution MTTR in business time of
    // all tickets is 49h43m to the minute.
    let mttr = rows
        .iter()
        .find(|r| {
            &r[1] == "total" && r[4].is_empty() && &r[7] == "servicenow-resolution" && &r[8] == "business_time_mean"
        })
        .map(value)
        .unwrap();
    assert_eq!((mttr / 60.0).floor(), (49.0 * 60.0 + 43.0));
}

#[test]
fn it_reviews_the_hand_worked_volvo_sample() {
    let sample = shipped("examples/data/volvo_incidents_sample.csv");
    let (stdout, stderr, ok) = volvo(&[&sample]);
    assert!(ok, "{stderr}");
    // Every figure below is worked by hand, case by case, in
    // examples/data/README.md (the sample is written for this project).
    // March in Brussels: one case across the DST change, 64h wall clock.
    assert!(
        stdout.contains(
            "2012-03        1       100.0%           100.0%        0      64h      64h      64h       0    0.0%"
        ),
        "{stdout}"
    );
    // April: accept 3 of 4 (one cancelled), resolution 4 of 5, wall-clock
    // times 5h, 26h, 46h30m, 56h, 92h; 1 reopen in 6 resolutions.
    assert!(
        stdout.contains(
            "2012-04        5        75.0%            80.0%        1    45h6m   46h30m   77h36m       0   16.7%"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("all                    8        85.7%            85.7%        6        1        1     9h48m"),
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
        stdout.contains("N6 2nd                 1  50.0%         1       33h       33h"),
        "{stdout}"
    );
    assert!(
        stdout.contains("V5 3rd                 2 100.0%         0     10h7m"),
        "{stdout}"
    );
    // The worst breach, explained: counted time and the weekend plus nights.
    assert!(
        stdout.contains(
            "1-500000004 Major         used      16h of    4h (+12h), 5 segments: counting 16h, outside hours 76h"
        ),
        "{stdout}"
    );
    // Every row accounted for, each rejection with its row number.
    assert!(
        stdout.contains(
            "ACCOUNTING: 29 rows read = 25 used + 4 rejected (1 repeated row, 1 status Unmatched (no lifecycle), \
             1 unreadable time:timestamp, 1 wrong number of columns); 8 tickets"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("volvo_incidents_sample.csv row 7 (1-500000001): repeats row 6 in every column"),
        "{stdout}"
    );
    assert!(
        stdout.contains("row 28 (1-500000005): column `time:timestamp`: invalid value `2012-13-45T99:00:00+02:00`"),
        "{stdout}"
    );
}

#[test]
fn it_accounts_for_broken_servicenow_rows() {
    let slice = std::fs::read_to_string(shipped("examples/data/servicenow_incidents_slice.csv")).unwrap();
    let mut lines = slice.lines();
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
    let dir = scratch("broken");
    let path = dir.join("broken.csv");
    std::fs::write(&path, format!("{header}\n{}\n", body.join("\n"))).unwrap();
    let (stdout, stderr, ok) = review(&[path.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    // 9 rows: 4 good; 5 rejected, each with its reason; the sums add up.
    assert!(
        stdout.contains(
            "ACCOUNTING: 9 rows read = 4 used + 5 rejected (1 repeated row, 1 undocumented state -100, \
             1 unknown incident_state `Pending`, 1 unreadable sys_updated_at, 1 wrong number of columns); 1 tickets"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("broken.csv row 5: 3 columns where the header has 36"),
        "{stdout}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Rows are parsed on a second thread in batches of 1,024: a row the CSV
/// reader cannot read (invalid UTF-8) in the second batch is rejected at
/// its own position, and every other row is used as without it (the
/// shipped slice's accounting: 8,938 rows, 5 updates before creation).
#[test]
fn an_unreadable_row_past_the_first_batch_is_rejected_in_place() {
    let slice = std::fs::read(shipped("examples/data/servicenow_incidents_slice.csv")).unwrap();
    let mut lines: Vec<Vec<u8>> = slice.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    // Row 2,000's copy with a byte that is not UTF-8 in its contact type.
    let mut bad = lines[2000].clone();
    let phone = bad.windows(5).position(|w| w == b"Phone").unwrap();
    bad.insert(phone + 2, 0xff);
    lines.insert(2001, bad);
    let dir = scratch("unreadable");
    let path = dir.join("unreadable.csv");
    std::fs::write(&path, lines.join(&b'\n')).unwrap();
    let (stdout, stderr, ok) = review(&["--format", "json", path.to_str().unwrap()]);
    assert!(ok, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let ledger = &report["ledger"];
    assert_eq!(
        (ledger["sources"][0]["rows"].as_u64(), ledger["used"].as_u64()),
        (Some(8_939), Some(8_933))
    );
    let rejected = ledger["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 6);
    let unreadable = &rejected[5];
    assert_eq!(
        (unreadable["row"].as_u64(), unreadable["reason"]["type"].as_str()),
        (Some(2_001), Some("unreadable"))
    );
    assert!(
        unreadable["reason"]["message"]
            .as_str()
            .unwrap()
            .contains("invalid utf-8"),
        "{unreadable}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_profiles_and_columns_are_named() {
    let dir = scratch("profiles");
    let profile = dir.join("typo.toml");
    std::fs::write(
        &profile,
        "ticket = \"number\"\n[instant]\ncolumn = \"sys_updated_at\"\nformat = \"dd/mm/yyyy\"\n",
    )
    .unwrap();
    let (_, stderr, ok) = review(&["--profile", profile.to_str().unwrap()]);
    assert!(!ok);
    assert!(stderr.contains("invalid value `dd/mm/yyyy`"), "{stderr}");
    // The TOML reader points at the key's line.
    assert!(stderr.contains("line 4"), "{stderr}");
    let missing = dir.join("missing.toml");
    std::fs::write(
        &missing,
        "ticket = \"ticket_id\"\n[instant]\ncolumn = \"sys_updated_at\"\n",
    )
    .unwrap();
    let (_, stderr, ok) = review(&["--profile", missing.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        stderr.contains("no column `ticket_id` in `ticket` in the header: `number`, `incident_state`, `active`"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// On the real exports when this machine has them (`../shared/data/`); a
/// fresh clone without them skips these and says so.
#[test]
fn it_reviews_the_real_exports_when_present() {
    let servicenow = shipped("../shared/data/servicenow/incident_event_log.csv");
    let volvo_log = shipped("../shared/data/bpi2013/bpi_challenge_2013_incidents.csv");
    if !Path::new(&servicenow).exists() || !Path::new(&volvo_log).exists() {
        eprintln!("skipped: the shared exports are not on this machine");
        return;
    }
    let (stdout, stderr, ok) = review(&[&servicenow]);
    assert!(ok, "{stderr}");
    // scripts/check_service_review.py on the full export: 141,712 rows, 10
    // rejected (5 in state -100, 5 before opened_at), 24,918 incidents.
    assert!(
        stdout.contains(
            "ACCOUNTING: 141712 rows read = 141702 used + 10 rejected (5 undocumented state -100, 5 update before creation); 24918 tickets"
        ),
        "{stdout}"
    );
    // The figures the replaced `service_review` example printed on this
    // export (README of 2026-11): March 2016, and by priority.
    for line in [
        "2016-03     9201               89.2%                 76.9%     1589  103h36m    46h5m  307h32m    1481    1.6%",
        "1 - Critical         270               85.9%                 26.8%       72      197        0    60h12m",
        "3 - Moderate       23466               91.0%                 78.9%    17410     4661        0     34h2m",
    ] {
        assert!(stdout.contains(line), "{line}\n{stdout}");
    }
    assert!(
        stdout.contains("AGREEMENT WITH THE RECORDED VERDICTS (servicenow-resolution): 18753 of 23102 tickets (81.2%)"),
        "{stdout}"
    );
    let (stdout, stderr, ok) = volvo(&[&volvo_log]);
    assert!(ok, "{stderr}");
    // Recounted independently by scripts/check_volvo.py (plain Python csv):
    // 65,533 rows, 7,554 cases, 5 Unmatched rows; 8,126 resolutions,
    // 580 reopens, 9,454 reassignments on 3,820 cases; 8 cases that never
    // complete (the backlog), as ../shared/data/README.md says.
    assert!(
        stdout.contains(
            "ACCOUNTING: 65533 rows read = 65528 used + 5 rejected (5 status Unmatched (no lifecycle)); 7554 tickets"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("backlog at as_of: 8 open"), "{stdout}");
    // The figures the replaced `volvo_incidents` example printed (README of
    // 2026-11), by impact.
    for line in [
        "High                 261        95.0%            74.4%      206       71        2     32h7m",
        "Medium              4045        99.2%            86.4%     3693      582        3    35h58m",
        "all                 7554        99.4%            87.8%     7133      988        8    27h12m",
    ] {
        assert!(stdout.contains(line), "{line}\n{stdout}");
    }
    assert!(
        stdout.contains("reopens 580 of 8126 resolutions (7.1%); 9454 reassignments on 3820 tickets"),
        "{stdout}"
    );
}

#[test]
fn it_reviews_the_github_outages_against_the_quarterly_commitment() {
    let profile = shipped("examples/profiles/github_status.toml");
    let spec = shipped("examples/profiles/github_status.review.json");
    let data = shipped("examples/data/github_downtime_windows.csv");
    let (stdout, stderr, ok) = review(&["--outage-profile", &profile, "--spec", &spec, &data]);
    assert!(ok, "{stderr}");
    // GitHub Enterprise Cloud SLA (docs.github.com, "GitHub Enterprise
    // Service Level Agreement"): 99.9% uptime per calendar quarter. Q3 2024
    // recomputed by scripts/check_github_quarter.py (plain Python): 25.9333 h
    // of critical or major downtime, uptime 98.825%.
    assert!(stdout.contains("2024-Q3       98.825    missed     25h56m"), "{stdout}");
    assert!(stdout.contains("18 missed"), "{stdout}");
    // 819 rows: 31 with impact `none` and 9 zero-length outages rejected.
    assert!(
        stdout.contains(
            "ACCOUNTING: 819 rows read = 779 used + 40 rejected (31 impact none: no downtime declared, \
             9 unusable outage (the outage has no length))"
        ),
        "{stdout}"
    );
}

//! The report layer: compliance, durations, backlog, reopens, team OLAs,
//! periods as of their end, availability commitments and the catalog's
//! checks. Figures are worked by hand or taken from the cited source.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use rust_decimal::Decimal;
use servicelevel::BusinessCalendar;
use servicelevel::availability::{Impact, Maintenance, Outage};
use servicelevel::calendar::Period;
use servicelevel::event::{Event, Timeline};
use servicelevel::policy::{Condition, Target, presets};
use servicelevel::policy::{Lifecycle, TeamOla};
use servicelevel::ratio::Figure;
use servicelevel::report::{Catalog, Commitment, Composition, Report, ReportSpec, Service, Verdict};

fn at(month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, month, day, hour, 0, 0).unwrap()
}

fn hours(h: i64) -> Target {
    Target::business(TimeDelta::hours(h))
}

fn lifecycle() -> Lifecycle {
    Lifecycle::new("status", ["resolved"], ["closed"])
        .unwrap()
        .assignment_group("assignment_group")
}

fn catalog(service: Service) -> Catalog {
    Catalog::builder()
        .calendar("24x7", BusinessCalendar::always_open(chrono_tz::UTC))
        .service(service)
        .build()
        .unwrap()
}

fn resolved_after(id: &str, opened: DateTime<Utc>, after: TimeDelta) -> Timeline {
    Timeline::new(vec![
        Event::created(id, opened, [("status", "new"), ("priority", "3")]),
        Event::set(id, opened + after, [("status", "resolved")]),
    ])
    .unwrap()
}

fn run(service: Service, timelines: &[Timeline], as_of: DateTime<Utc>) -> Report {
    let mut reporter = ReportSpec::builder(catalog(service))
        .lifecycle(lifecycle())
        .periods(Period::Month, chrono_tz::UTC)
        .breakdown("priority")
        .build()
        .unwrap()
        .reporter(as_of);
    for t in timelines {
        reporter.add("desk", t).unwrap();
    }
    reporter.finish()
}

#[test]
fn compliance_and_percentiles_match_numpy() {
    // numpy.percentile's documented example: the median of
    // [10, 7, 4, 3, 2, 1] is 3.5 (linear method, numpy's default).
    // As resolution times in hours against a 5 h target: 4 met, 2 breached.
    let service = Service::builder("desk", "Desk", "24x7")
        .policy(presets::servicenow_resolution(&Lifecycle::servicenow(), hours(5)).unwrap())
        .build()
        .unwrap();
    let timelines: Vec<Timeline> = [10, 7, 4, 3, 2, 1]
        .iter()
        .enumerate()
        .map(|(i, h)| resolved_after(&format!("INC{i}"), at(3, 3, 8), TimeDelta::hours(*h)))
        .collect();
    let report = run(service, &timelines, at(3, 31, 0));
    let resolution = &report.services[0].total.overall.policies[0];
    assert_eq!((resolution.compliance.met, resolution.compliance.breached), (4, 2));
    assert_eq!(
        resolution.compliance.percent,
        Figure::Known(Decimal::new(66_666_667, 6))
    );
    assert_eq!(resolution.wall_time.median.known(), Some(TimeDelta::minutes(210)));
    // h = 5 * 0.9 = 4.5: 7 + 0.5 * (10 - 7) = 8.5 h.
    assert_eq!(resolution.wall_time.p90.known(), Some(TimeDelta::minutes(510)));
    assert_eq!(resolution.wall_time.mean.known(), Some(TimeDelta::minutes(270)));
    assert_eq!(report.metadata.tzdb_version, chrono_tz::IANA_TZDB_VERSION);
}

#[test]
fn a_period_is_reported_as_of_its_end() {
    // Opened 31 January 20:00, resolved 1 February 10:00 (14 h, target 8 h).
    // January's review (run at its end) shows it open, in the backlog aged
    // 4 h, and already breached while running; February's counts the
    // breach as ended. The total counts it once.
    let service = Service::builder("desk", "Desk", "24x7")
        .policy(presets::servicenow_resolution(&Lifecycle::servicenow(), hours(8)).unwrap())
        .build()
        .unwrap();
    let report = run(
        service,
        &[resolved_after("INC1", at(1, 31, 20), TimeDelta::hours(14))],
        at(2, 28, 0),
    );
    let periods = &report.services[0].periods;
    assert_eq!(periods.len(), 2);
    let january = &periods[0].overall;
    assert_eq!(periods[0].as_of, at(2, 1, 0));
    assert_eq!(january.backlog.open, 1);
    assert_eq!(january.backlog.age.max.known(), Some(TimeDelta::hours(4)));
    assert_eq!(january.policies[0].compliance.running, 1);
    assert_eq!(january.policies[0].compliance.breached, 0);
    let february = &periods[1].overall;
    assert_eq!(february.policies[0].compliance.breached, 1);
    assert_eq!(february.backlog.open, 0);
    assert_eq!(february.resolutions, 1);
    let total = &report.services[0].total.overall;
    assert_eq!(total.policies[0].compliance.breached, 1);
    assert_eq!(total.tickets, 1);
}

#[test]
fn team_olas_reopens_and_reassignments() {
    // Network holds the ticket 2 h, then Desktop 5 h until resolved; a 4 h
    // team OLA: Network met, Desktop breached. Reopened an hour later and
    // resolved again by Desktop after 1 h more (a second Desktop stint).
    let id = "INC7";
    let t0 = at(3, 3, 8);
    let timeline = Timeline::new(vec![
        Event::created(id, t0, [("status", "new"), ("assignment_group", "Network")]),
        Event::set(id, t0 + TimeDelta::hours(2), [("assignment_group", "Desktop")]),
        Event::set(id, t0 + TimeDelta::hours(7), [("status", "resolved")]),
        Event::set(id, t0 + TimeDelta::hours(8), [("status", "in_progress")]),
        Event::set(id, t0 + TimeDelta::hours(9), [("status", "resolved")]),
    ])
    .unwrap();
    let lifecycle = Lifecycle::new("status", ["resolved"], ["closed"])
        .unwrap()
        .assignment_group("assignment_group");
    let service = Service::builder("desk", "Desk", "24x7")
        .team_ola(TeamOla::new(&lifecycle, hours(4)).unwrap())
        .build()
        .unwrap();
    let report = run(service, &[timeline], at(3, 31, 0));
    let total = &report.services[0].total.overall;
    assert_eq!((total.resolutions, total.reopens), (2, 1));
    assert_eq!(total.reopen_rate, Figure::Known(Decimal::from(50)));
    assert_eq!((total.reassignments, total.reassigned_tickets), (1, 1));
    let teams: Vec<_> = total
        .teams
        .iter()
        .map(|t| (t.group.as_str(), t.ola.met, t.ola.breached))
        .collect();
    assert_eq!(teams, [("Desktop", 1, 1), ("Network", 1, 0)]);
    let desktop = &total.teams[0];
    // Held per ticket: both Desktop stints, 5 h + 1 h.
    assert_eq!(desktop.held.total, TimeDelta::hours(6));
    assert_eq!(desktop.tickets, 1);
}

#[test]
fn a_ticket_without_a_target_is_listed_not_dropped() {
    let target = Target::business_by("priority", [("1", TimeDelta::hours(4))], None);
    let service = Service::builder("desk", "Desk", "24x7")
        .policy(presets::servicenow_resolution(&Lifecycle::servicenow(), target).unwrap())
        .build()
        .unwrap();
    let report = run(
        service,
        &[resolved_after("INC9", at(3, 3, 8), TimeDelta::hours(1))],
        at(3, 31, 0),
    );
    let problems = &report.services[0].problems;
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].ticket.as_str(), "INC9");
    assert_eq!(
        problems[0].policy.as_ref().map(|p| p.as_str()),
        Some("servicenow-resolution")
    );
    // The ticket still counts as a ticket, and in the backlog figures.
    assert_eq!(report.services[0].total.overall.tickets, 1);
}

#[test]
fn availability_against_the_commitment_and_through_dependencies() {
    // The availability issue's acceptance 8: a 30-day month (April 2025),
    // outages of 1,200 s and 2,400 s: 99.861111%, below a 99.9% target.
    // The app's own 2,592 s outage is 99.9% (met); in series with the
    // database: 0.999 * 0.99861111... = 99.761250%.
    let month = Commitment::new("99.9".parse().unwrap(), Period::Month);
    let db = Service::builder("db", "Database", "24x7")
        .commitment(month.clone())
        .build()
        .unwrap();
    let app = Service::builder("app", "App", "24x7")
        .commitment(month)
        .depends_on(Composition::Series, ["db"])
        .build()
        .unwrap();
    let catalog = Catalog::builder()
        .calendar("24x7", BusinessCalendar::always_open(chrono_tz::UTC))
        .service(db)
        .service(app)
        .build()
        .unwrap();
    let as_of = at(5, 1, 0);
    let mut reporter = ReportSpec::builder(catalog).build().unwrap().reporter(as_of);
    let outage =
        |start: DateTime<Utc>, secs: i64| Outage::new(start, start + TimeDelta::seconds(secs), Impact::Major).unwrap();
    reporter
        .add_outages(
            "db",
            &[outage(at(4, 3, 10), 1200), outage(at(4, 20, 10), 2400)],
            Maintenance::none(),
        )
        .unwrap();
    reporter
        .add_outages("app", &[outage(at(4, 9, 10), 2592)], Maintenance::none())
        .unwrap();
    let report = reporter.finish();
    let db = report.services[0].availability.as_ref().unwrap();
    let april = &db.windows[0];
    assert_eq!(
        april.availability.availability,
        Figure::Known(Decimal::new(99_861_111, 6))
    );
    assert_eq!(april.verdict, Verdict::Missed);
    assert_eq!(april.composite, None);
    let app = &report.services[1].availability.as_ref().unwrap().windows[0];
    assert_eq!(app.verdict, Verdict::Met);
    assert_eq!(app.composite, Some(Figure::Known(Decimal::new(9_976_125, 5))));
}

#[test]
fn the_catalog_rejects_what_cannot_work() {
    let calendar = BusinessCalendar::always_open(chrono_tz::UTC);
    let policy = presets::servicenow_response(&Lifecycle::servicenow(), hours(1)).unwrap();
    // A policy naming a calendar the catalog does not have.
    let on_missing = Service::builder("desk", "Desk", "24x7")
        .policy_on(policy.clone(), "office")
        .build()
        .unwrap();
    let err = Catalog::builder()
        .calendar("24x7", calendar.clone())
        .service(on_missing)
        .build()
        .unwrap_err();
    assert!(err.is_config());
    assert_eq!(
        err.to_string(),
        "invalid catalog entry `office` in `services[0].policies[0].calendar`: no calendar of the catalog has this name (it has: 24x7)"
    );
    // Dependencies in a cycle.
    let a = Service::builder("a", "A", "24x7")
        .depends_on(Composition::Series, ["b"])
        .build()
        .unwrap();
    let b = Service::builder("b", "B", "24x7")
        .depends_on(Composition::Parallel, ["a"])
        .build()
        .unwrap();
    let err = Catalog::builder()
        .calendar("24x7", calendar.clone())
        .service(a)
        .service(b)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("dependencies form a cycle"), "{err}");
    // Two policies with one id; a zero availability target.
    let twice = Service::builder("desk", "Desk", "24x7")
        .policy(policy.clone())
        .policy(policy)
        .build();
    assert!(twice.unwrap_err().to_string().contains("two policies with one id"));
    assert!("0".parse::<servicelevel::Percent>().is_err());
    // Deserialising goes through the same checks.
    let json = r#"{"calendars": {}, "services": [{"id": "desk", "name": "Desk", "calendar": "office"}]}"#;
    let err = serde_json::from_str::<Catalog>(json).unwrap_err();
    assert!(
        err.to_string().contains("no calendar of the catalog has this name"),
        "{err}"
    );
    // And a round trip gives the same catalog.
    let good = catalog(Service::builder("desk", "Desk", "24x7").build().unwrap());
    let back: Catalog = serde_json::from_str(&serde_json::to_string(&good).unwrap()).unwrap();
    assert_eq!(back, good);
}

#[test]
fn response_restore_and_resolution_each_get_their_durations() {
    // Worked by hand on Mon-Fri 09:00-17:00 UTC (3 March 2025 is a Monday):
    // INC1 opened Mon 10:00, replied 11:00, restored 15:00, resolved Tue 11:00;
    // INC2 opened Mon 16:00, replied Tue 09:30, restored Tue 10:00, resolved
    // Wed 16:00; INC3 opened Tue 09:00, replied 09:15, still open on Friday.
    let office = BusinessCalendar::builder(chrono_tz::UTC)
        .weekdays(
            &servicelevel::calendar::MONDAY_TO_FRIDAY,
            "09:00-17:00".parse::<servicelevel::calendar::Window>().unwrap(),
        )
        .build()
        .unwrap();
    let open = Condition::not(Condition::is_in("status", ["resolved", "closed"]));
    let restore = servicelevel::policy::Policy::builder(
        "restore",
        "Time to restore service",
        servicelevel::policy::PolicyKind::Sla,
        open,
        Condition::is_set("restored_at"),
        hours(4),
    )
    .build()
    .unwrap();
    let service = Service::builder("desk", "Desk", "office")
        .policy(presets::jira_time_to_first_response(&Lifecycle::jira(), hours(1)).unwrap())
        .policy(restore)
        .policy(presets::servicenow_resolution(&Lifecycle::servicenow(), hours(16)).unwrap())
        .build()
        .unwrap();
    let catalog = Catalog::builder()
        .calendar("office", office)
        .service(service)
        .build()
        .unwrap();
    let minute = |d: u32, h: u32, m: u32| Utc.with_ymd_and_hms(2025, 3, d, h, m, 0).unwrap();
    let ticket = |id: &str, steps: &[(DateTime<Utc>, &str)]| {
        let mut events = vec![Event::created(id, steps[0].0, [("status", "new")])];
        for (t, what) in &steps[1..] {
            events.push(match *what {
                "reply" => Event::action(id, *t, presets::AGENT_REPLY),
                "restored" => Event::set(id, *t, [("restored_at", "yes")]),
                status => Event::set(id, *t, [("status", status)]),
            });
        }
        Timeline::new(events).unwrap()
    };
    let timelines = [
        ticket(
            "INC1",
            &[
                (minute(3, 10, 0), "new"),
                (minute(3, 11, 0), "reply"),
                (minute(3, 15, 0), "restored"),
                (minute(4, 11, 0), "resolved"),
            ],
        ),
        ticket(
            "INC2",
            &[
                (minute(3, 16, 0), "new"),
                (minute(4, 9, 30), "reply"),
                (minute(4, 10, 0), "restored"),
                (minute(5, 16, 0), "resolved"),
            ],
        ),
        ticket("INC3", &[(minute(4, 9, 0), "new"), (minute(4, 9, 15), "reply")]),
    ];
    let spec = ReportSpec::builder(catalog).lifecycle(lifecycle()).build().unwrap();
    let mut reporter = spec.reporter(minute(7, 12, 0));
    for t in &timelines {
        reporter.add("desk", t).unwrap();
    }
    let report = reporter.finish();
    let [response, restore, resolution] = &report.services[0].total.overall.policies[..] else {
        panic!("three policies");
    };
    let min = |m: i64| Some(TimeDelta::minutes(m));
    // Response: 1h, 1h30m (Mon 16-17, Tue 09-09:30), 15m of business time.
    assert_eq!(response.business_time.count, 3);
    assert_eq!(response.business_time.median.known(), min(60));
    assert_eq!(response.business_time.mean.known(), min(55));
    assert_eq!(response.wall_time.max.known(), min(17 * 60 + 30));
    // Restore: 5h and 2h (Mon 16-17, Tue 09-10) of business time, 5h and 18h
    // of wall time; INC3 is still running and breached (4h target).
    assert_eq!(restore.business_time.count, 2);
    assert_eq!(restore.business_time.mean.known(), min(210));
    assert_eq!(restore.wall_time.mean.known(), min(690));
    assert_eq!(restore.compliance.breached_running, 1);
    // Resolution: 9h (Mon 10-17, Tue 09-11) and 16h (Mon 1h, Tue 8h, Wed
    // 7h) of business time; 25h and 48h of wall time. INC2 uses its 16 h
    // exactly: met compared exactly, breached under ServiceNow's rounded
    // percentage (100.00 %), the preset's rule.
    assert_eq!(resolution.business_time.min.known(), min(9 * 60));
    assert_eq!(resolution.business_time.max.known(), min(16 * 60));
    assert_eq!(resolution.wall_time.mean.known(), min(36 * 60 + 30));
    assert_eq!(
        (
            resolution.compliance.met,
            resolution.compliance.breached,
            resolution.compliance.running
        ),
        (1, 1, 0)
    );
}

/// The reopen rate is a rate: the share of a slice's resolutions reopened
/// by the slice's end (issue 14: a month had shown 233 %). Worked by hand:
/// three tickets resolved in February are all reopened in March, and one of
/// them is resolved again in March. The old `reopens / resolutions` gave
/// March 3 / 1 = 300 %.
#[test]
fn the_reopen_rate_never_exceeds_100_percent() {
    let service = Service::builder("desk", "Desk", "24x7").build().unwrap();
    let ticket = |id: &str, again: bool| {
        let mut events = vec![
            Event::created(id, at(2, 3, 9), [("status", "new")]),
            Event::set(id, at(2, 10, 9), [("status", "resolved")]),
            Event::set(id, at(3, 4, 9), [("status", "in_progress")]),
        ];
        if again {
            events.push(Event::set(id, at(3, 20, 9), [("status", "resolved")]));
        }
        Timeline::new(events).unwrap()
    };
    let report = run(
        service,
        &[ticket("A", true), ticket("B", false), ticket("C", false)],
        at(4, 1, 0),
    );
    let service = &report.services[0];
    let month = |label: &str| &service.periods.iter().find(|p| p.label == label).unwrap().overall;
    // February, as a review on 1 March saw it: 3 resolutions, none reopened yet.
    let february = month("2025-02");
    assert_eq!((february.resolutions, february.reopens), (3, 0));
    assert_eq!(february.reopen_rate, Figure::Known(Decimal::ZERO));
    // March: 3 reopens, 1 resolution (A's second), not reopened by 1 April.
    let march = month("2025-03");
    assert_eq!((march.resolutions, march.reopens), (1, 3));
    assert_eq!(march.reopen_rate, Figure::Known(Decimal::ZERO));
    // Over the whole report: 4 resolutions, 3 of them reopened: 75 %.
    let total = &service.total.overall;
    assert_eq!((total.resolutions, total.reopens), (4, 3));
    assert_eq!(total.reopen_rate, Figure::Known(Decimal::from(75)));
}

#[test]
fn a_routed_policy_measures_each_ticket_on_the_calendar_its_fields_name() {
    use chrono::Weekday::{Fri, Mon, Thu, Tue, Wed};
    use servicelevel::policy::CalendarRoute;
    // Opened Monday 3 March 2025 16:00 UTC, resolved at 19:00, 2 h target.
    // Routed to the 24x7 calendar (site DC) it used 3 h: breached; on the
    // office calendar (09:00-17:00, the default) it used 1 h: met.
    let office = BusinessCalendar::builder(chrono_tz::UTC)
        .weekdays(&[Mon, Tue, Wed, Thu, Fri], "09:00-17:00".parse().unwrap())
        .build()
        .unwrap();
    let route = CalendarRoute::by_field("site")
        .name("DC", "24x7")
        .default_calendar("office");
    let service = Service::builder("desk", "Desk", "24x7")
        .policy_routed(
            presets::servicenow_resolution(&Lifecycle::servicenow(), hours(2)).unwrap(),
            route,
        )
        .build()
        .unwrap();
    let catalog = Catalog::builder()
        .calendar("24x7", BusinessCalendar::always_open(chrono_tz::UTC))
        .calendar("office", office)
        .service(service)
        .build()
        .unwrap();
    let ticket = |id: &str, site: &str| {
        Timeline::new(vec![
            Event::created(id, at(3, 3, 16), [("status", "new"), ("site", site)]),
            Event::set(id, at(3, 3, 19), [("status", "resolved")]),
        ])
        .unwrap()
    };
    let mut reporter = ReportSpec::builder(catalog)
        .lifecycle(lifecycle())
        .build()
        .unwrap()
        .reporter(at(3, 31, 0));
    reporter.add("desk", &ticket("INC1", "DC")).unwrap();
    reporter.add("desk", &ticket("INC2", "HQ")).unwrap();
    let report = reporter.finish();
    let resolution = &report.services[0].total.overall.policies[0];
    assert_eq!((resolution.compliance.met, resolution.compliance.breached), (1, 1));
    // A route naming a calendar the catalog lacks stops the catalog's build.
    let typo = Service::builder("desk", "Desk", "24x7")
        .policy_routed(
            presets::servicenow_resolution(&Lifecycle::servicenow(), hours(2)).unwrap(),
            CalendarRoute::by_field("site").default_calendar("offce"),
        )
        .build()
        .unwrap();
    let error = Catalog::builder()
        .calendar("24x7", BusinessCalendar::always_open(chrono_tz::UTC))
        .service(typo)
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("calendar.default"), "{error}");
}

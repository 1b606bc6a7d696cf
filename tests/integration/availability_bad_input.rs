//! Bad availability and SLO input: a typed error or an explicit result,
//! never a panic or NaN.

use chrono::{TimeDelta, TimeZone, Utc};
use rust_decimal::Decimal;
use servicelevel::availability::slo::{BudgetingMethod, BurnRate, EmptySlices, Objective, SliceCounts};
use servicelevel::availability::{Agreement, Impact, Outage, UnusedOutage, UnusedReason};
use servicelevel::calendar::{MONDAY_TO_FRIDAY, Window};
use servicelevel::ratio::{Figure, Unknown};
use servicelevel::{BusinessCalendar, ErrorKind, Interval, Percent};

fn at(day: u32, hour: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, day, hour, 0, 0).unwrap()
}

fn office_hours() -> Agreement {
    let calendar = BusinessCalendar::builder(chrono_tz::UTC)
        .weekdays(&MONDAY_TO_FRIDAY, "09:00-17:00".parse::<Window>().unwrap())
        .build()
        .unwrap();
    Agreement::builder(calendar).build().unwrap()
}

#[test]
fn reversed_and_zero_length_outages_are_errors() {
    let e = Outage::new(at(3, 10), at(3, 9), Impact::Major).unwrap_err();
    assert!(e.is_measurement());
    assert_eq!(
        e.to_string(),
        "invalid outage `2025-03-03 10:00:00 UTC..2025-03-03 09:00:00 UTC`: the end is before the start"
    );
    let e = Outage::new(at(3, 10), at(3, 10), Impact::Major).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidOutage);
    assert!(e.to_string().ends_with("the outage has no length"), "{e}");
    let json = r#"{"start": "2025-03-03T10:00:00Z", "end": "2025-03-03T09:00:00Z", "impact": "major"}"#;
    assert!(serde_json::from_str::<Outage>(json).is_err());
}

#[test]
fn outages_outside_windows_hours_or_as_of_are_listed_with_reasons() {
    let outages = [
        Outage::new(at(3, 10), at(3, 11), Impact::Major).unwrap(), // counted
        Outage::new(at(1, 10), at(1, 11), Impact::Major).unwrap(), // Saturday
        Outage::new(at(3, 20), at(3, 22), Impact::Major).unwrap(), // after hours
        Outage::new(at(3, 12), at(3, 13), Impact::Degraded).unwrap(), // weighs 0
        Outage::new(at(20, 10), at(20, 11), Impact::Major).unwrap(), // outside the window
        Outage::new(at(25, 10), at(25, 11), Impact::Major).unwrap(), // after as_of
    ];
    let history = office_hours().history(&outages, at(24, 0)).unwrap();
    let week = Interval::new(at(1, 0), at(8, 0)).unwrap();
    let report = history.report(&[week]).unwrap();
    let reasons: Vec<UnusedOutage> = report.unused.clone();
    let want = [
        (1, UnusedReason::OutsideAgreedTime),
        (2, UnusedReason::OutsideAgreedTime),
        (3, UnusedReason::NoWeight),
        (4, UnusedReason::OutsideWindows),
        (5, UnusedReason::AfterAsOf),
    ];
    assert_eq!(
        reasons,
        want.map(|(index, reason)| UnusedOutage { index, reason }).to_vec()
    );
    // 40 h of office hours, 1 h down: every outage is used or listed.
    assert_eq!(report.windows[0].availability, Figure::Known("97.5".parse().unwrap()));
    assert_eq!(
        report.windows[0].failures + report.unused.len() as u64,
        outages.len() as u64
    );
}

#[test]
fn empty_weekend_and_future_windows() {
    let history = office_hours().history(&[], at(24, 0)).unwrap();
    let empty = Interval::new(at(3, 0), at(3, 0)).unwrap();
    assert!(history.measure(empty).unwrap_err().is_measurement());
    // A weekend holds no agreed time: unknown, not NaN or 100%.
    let weekend = history.measure(Interval::new(at(1, 0), at(3, 0)).unwrap()).unwrap();
    assert_eq!(weekend.availability, Figure::Unknown(Unknown::NoAgreedTime));
    // A quiet week: 100%, and no failures to take a mean over.
    let week = history.measure(Interval::new(at(3, 0), at(8, 0)).unwrap()).unwrap();
    assert_eq!(week.availability, Figure::Known(Decimal::ONE_HUNDRED));
    assert_eq!(week.mtbf, Figure::Unknown(Unknown::NoFailures));
    // A window after as_of measures nothing.
    let future = history.measure(Interval::new(at(25, 0), at(26, 0)).unwrap()).unwrap();
    assert_eq!(future.agreed_service_time, TimeDelta::zero());
    assert!(future.availability.is_unknown());
    // Overlapping windows in a report are an error, and so are none.
    let a = Interval::new(at(3, 0), at(5, 0)).unwrap();
    let b = Interval::new(at(4, 0), at(6, 0)).unwrap();
    assert!(history.report(&[a, b]).unwrap_err().is_measurement());
    assert!(history.report(&[]).is_err());
    // A window beyond the calendar's horizon.
    let far = Utc.with_ymd_and_hms(2150, 1, 1, 0, 0, 0).unwrap();
    let beyond = Interval::new(at(3, 0), far).unwrap();
    assert!(history.measure(beyond).unwrap_err().is_horizon());
}

#[test]
fn objectives_of_zero_or_over_100_are_errors_and_100_burns_unbounded() {
    for bad in ["0", "-1", "100.5"] {
        let e = bad.parse::<Percent>().unwrap_err();
        assert!(e.is_config(), "{bad}");
        assert!(e.to_string().contains(&format!("`{bad}`")), "{e}");
    }
    let perfect = Objective::new(Percent::HUNDRED);
    assert_eq!(perfect.time_budget(TimeDelta::days(30)).unwrap(), TimeDelta::zero());
    assert_eq!(perfect.burn_rate(1, 1000).unwrap(), Figure::Known(BurnRate::Unbounded));
    assert_eq!(
        perfect.burn_rate(0, 1000).unwrap(),
        Figure::Known(BurnRate::Rate(Decimal::ZERO))
    );
    assert_eq!(perfect.burn_rate(0, 0).unwrap(), Figure::Unknown(Unknown::NoEvents));
}

#[test]
fn slices_without_events_and_impossible_counts() {
    let objective = Objective::new("99".parse().unwrap());
    let empty = [SliceCounts { good: 0, valid: 0 }; 3];
    for method in [
        BudgetingMethod::Occurrences,
        BudgetingMethod::RatioTimeslices,
        BudgetingMethod::Timeslices {
            slice_target: "99".parse().unwrap(),
        },
    ] {
        let outcome = objective.evaluate(method, &empty, EmptySlices::Skip).unwrap();
        assert_eq!(outcome.attainment, Figure::Unknown(Unknown::NoEvents), "{method:?}");
        assert_eq!(outcome.empty_slices, 3);
    }
    let good = objective
        .evaluate(BudgetingMethod::RatioTimeslices, &empty, EmptySlices::Good)
        .unwrap();
    assert_eq!(good.attainment, Figure::Known(Decimal::ONE_HUNDRED));
    let bad = objective
        .evaluate(
            BudgetingMethod::Timeslices {
                slice_target: "99".parse().unwrap(),
            },
            &empty,
            EmptySlices::Bad,
        )
        .unwrap();
    assert_eq!(bad.attainment, Figure::Known(Decimal::ZERO));
    let impossible = [SliceCounts { good: 5, valid: 4 }];
    let e = objective
        .evaluate(BudgetingMethod::Occurrences, &impossible, EmptySlices::Skip)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid measurement input `good 5 of valid 4` in `slices[0]`: a slice has more good events than valid ones"
    );
    assert!(
        objective
            .timeslice_budget(TimeDelta::hours(1), TimeDelta::zero())
            .is_err()
    );
}

#[test]
fn a_fast_burn_pages_and_a_slow_window_does_not() {
    use servicelevel::availability::slo::{AlertPolicy, EventSeries};
    // Worked by hand: a 99.9% SLO, 1,000 requests every 5 minutes for 3
    // days, 2% of them failing in the last hour only. Over 1 h (and the
    // 5 min short window) the error ratio is 2%, a burn rate of 20 > 14.4:
    // the workbook's first page fires. Over 6 h it is 2% * 12 / 72, a burn
    // rate of 3.33 < 6, and over 3 days 0.28 < 1: neither fires.
    let as_of = Utc.with_ymd_and_hms(2025, 3, 10, 0, 0, 0).unwrap();
    let samples: Vec<_> = (1..=864)
        .map(|k| {
            let at = as_of - TimeDelta::minutes(5 * k);
            let bad = if k <= 12 { 20 } else { 0 };
            (
                at,
                SliceCounts {
                    good: 1000 - bad,
                    valid: 1000,
                },
            )
        })
        .collect();
    let series = EventSeries::new(&samples).unwrap();
    let objective = Objective::new("99.9".parse().unwrap());
    let states = AlertPolicy::google_sre_workbook()
        .evaluate(objective, &series, as_of)
        .unwrap();
    let firing: Vec<(&str, bool)> = states.iter().map(|s| (s.rule.as_str(), s.firing)).collect();
    assert_eq!(
        firing,
        vec![("page-2%-1h", true), ("page-5%-6h", false), ("ticket-10%-3d", false)]
    );
    assert_eq!(states[0].long_burn, Figure::Known(BurnRate::Rate(Decimal::from(20))));
    assert_eq!(
        states[1].long_burn,
        Figure::Known(BurnRate::Rate("3.333333".parse().unwrap()))
    );
    // Exhaustion: with 60% of the budget left at burn rate 20 over 30 days,
    // 0.6 * 720 h / 20 = 21 h 36 min.
    assert_eq!(
        Objective::time_to_exhaustion(
            "60".parse().unwrap(),
            BurnRate::Rate(Decimal::from(20)),
            TimeDelta::days(30)
        )
        .unwrap(),
        servicelevel::availability::slo::Exhaustion::After(TimeDelta::minutes(21 * 60 + 36))
    );
}

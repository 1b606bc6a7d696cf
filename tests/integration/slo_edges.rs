//! SLO and ratio arithmetic at the edges (issue 14): the verdict and the
//! reported figure are one value, counts are never truncated, partial slices
//! count, and numbers at the ends of their ranges give the right answer or a
//! typed error. Every expected value is worked by hand in its comment.

use chrono::TimeDelta;
use rust_decimal::Decimal;
use servicelevel::availability::slo::{
    AlertPolicy, AlertRule, BudgetingMethod, BurnRate, EmptySlices, Exhaustion, NeverFires, Objective, Severity,
    SliceCounts,
};
use servicelevel::metrics::{PercentileMethod, percentile};
use servicelevel::ratio::Figure;
use servicelevel::{ErrorKind, Percent};

fn objective(target: &str) -> Objective {
    Objective::new(target.parse().unwrap())
}

fn slices(counts: &[(u64, u64)]) -> Vec<SliceCounts> {
    counts
        .iter()
        .map(|&(good, valid)| SliceCounts { good, valid })
        .collect()
}

fn decimal(text: &str) -> Decimal {
    text.parse().unwrap()
}

#[test]
fn a_ratio_timeslice_mean_equal_to_the_objective_is_met() {
    // Slices 1/3, 1/3, 1/3 and 3/3: the mean is (1 + 1) / 4 = 50% exactly.
    // Summed as 28-digit decimals it was 49.99...%, reported "50" and "not
    // met" with 100% of the budget consumed.
    let outcome = objective("50")
        .evaluate(
            BudgetingMethod::RatioTimeslices,
            &slices(&[(1, 3), (1, 3), (1, 3), (3, 3)]),
            EmptySlices::Skip,
        )
        .unwrap();
    assert_eq!(outcome.attainment, Figure::Known(decimal("50")));
    assert_eq!(outcome.budget_consumed, Figure::Known(BurnRate::Rate(decimal("100"))));
    assert_eq!(outcome.budget_remaining, Figure::Known(BurnRate::Rate(Decimal::ZERO)));
    assert_eq!(outcome.met, Figure::Known(true));
}

#[test]
fn ratio_timeslices_with_many_valid_counts_keep_the_verdict_on_the_reported_value() {
    // 40 slices with valid counts 1000..1039 (their common denominator
    // needs 276 bits), each with exactly one bad event: each ratio is
    // 1 - 1/v, and the mean is 1 - (1/40) * sum(1/v) = 99.9019001244...%
    // (Python: `1 - sum(Fraction(1, v) for v in range(1000, 1040)) / 40`),
    // 99.9019 to six places.
    let counts: Vec<(u64, u64)> = (1000..1040).map(|v| (v - 1, v)).collect();
    let outcome = objective("99.9")
        .evaluate(BudgetingMethod::RatioTimeslices, &slices(&counts), EmptySlices::Skip)
        .unwrap();
    assert_eq!(outcome.attainment, Figure::Known(decimal("99.9019")));
    assert_eq!(outcome.met, Figure::Known(true));
    // Against 99.901900125 (just above the exact mean) it is not met, against
    // 99.901900124 (just below) it is, though all three print as 99.9019.
    let judge = |target: &str| {
        objective(target)
            .evaluate(BudgetingMethod::RatioTimeslices, &slices(&counts), EmptySlices::Skip)
            .unwrap()
            .met
    };
    assert_eq!(judge("99.901900125"), Figure::Known(false));
    assert_eq!(judge("99.901900124"), Figure::Known(true));
}

#[test]
fn pooled_counts_past_64_bits_are_not_truncated() {
    // Two slices of u64::MAX valid events, one all good and one all bad:
    // 50% pooled. The total was cut to 64 bits (attainment over 1000%).
    let max = u64::MAX;
    let outcome = objective("99")
        .evaluate(
            BudgetingMethod::Occurrences,
            &slices(&[(max, max), (0, max)]),
            EmptySlices::Skip,
        )
        .unwrap();
    assert_eq!(outcome.attainment, Figure::Known(decimal("50")));
    // 50% bad against a 1% budget: 5000% consumed, -4900% left.
    assert_eq!(outcome.budget_consumed, Figure::Known(BurnRate::Rate(decimal("5000"))));
    assert_eq!(
        outcome.budget_remaining,
        Figure::Known(BurnRate::Rate(decimal("-4900")))
    );
    assert_eq!(outcome.met, Figure::Known(false));
}

#[test]
fn a_partial_last_slice_counts_as_a_slice() {
    // One hour in 7-minute slices: eight whole slices and a 4-minute one,
    // nine in all (every slice of the window counts, as Kibana's SLOs do).
    // At 80%, floor(9 * 20 / 100) = 1 slice may be bad: 7 minutes.
    let budget = objective("80")
        .timeslice_budget(TimeDelta::hours(1), TimeDelta::minutes(7))
        .unwrap();
    assert_eq!(budget.slices, 9);
    assert_eq!(budget.bad_slices_allowed, 1);
    assert_eq!(budget.time, TimeDelta::minutes(7));
    // A daily slice of a 23-hour DST day is one slice, not an error.
    let day = objective("99")
        .timeslice_budget(TimeDelta::hours(23), TimeDelta::days(1))
        .unwrap();
    assert_eq!(day.slices, 1);
    assert_eq!(day.bad_slices_allowed, 0);
}

#[test]
fn negative_windows_and_impossible_counts_are_errors() {
    let slo = objective("99.9");
    let e = slo.time_budget(TimeDelta::hours(-1)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidObjective);
    assert_eq!(
        e.to_string(),
        "invalid objective `-1h` in `window`: a window cannot be negative"
    );
    let e =
        Objective::time_to_exhaustion(decimal("50"), BurnRate::Rate(decimal("2")), TimeDelta::days(-30)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidObjective);
    // More bad events than valid ones.
    let e = slo.burn_rate(5, 4).unwrap_err();
    assert!(e.is_measurement());
    assert_eq!(
        e.to_string(),
        "invalid measurement input `5 bad of 4 valid` in `bad`: more bad than valid events or time"
    );
}

#[test]
fn decimals_with_many_places_are_refused_or_normalised() {
    // 28 places: refused, with the value quoted.
    let e = "99.9000000000000000000000001".parse::<Percent>().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidObjective);
    assert!(e.to_string().contains("at most nine decimal places"), "{e}");
    // Trailing zeros are not places: 2.000...0 (24 zeros) is 2, and 2% of a
    // 30-day budget in 1 hour is a burn rate of 0.02 * 720 = 14.4 (it was
    // 0.000009 in release builds).
    let share = decimal("2.000000000000000000000000");
    let rate = Objective::burn_rate_threshold(share, TimeDelta::hours(1), TimeDelta::days(30)).unwrap();
    assert_eq!(rate, decimal("14.4"));
    let e = Objective::burn_rate_threshold(decimal("2.0000000000001"), TimeDelta::hours(1), TimeDelta::days(30))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidObjective);
    // A burn-rate threshold near Decimal's largest value never fires on a
    // 99.9% objective (whose burn rate is at most 1000); the check compares
    // the products exactly instead of overflowing.
    let huge = AlertRule::new(
        "huge",
        Severity::Page,
        TimeDelta::hours(1),
        TimeDelta::minutes(5),
        Decimal::MAX,
    )
    .unwrap();
    let policy = AlertPolicy::new(TimeDelta::days(30), vec![huge]).unwrap();
    let checks = policy.check(objective("99.9"));
    assert_eq!(
        checks[0].never_fires,
        Some(NeverFires::BurnAboveMaximum {
            maximum: decimal("1000")
        })
    );
    // Exhaustion at the largest rate: 60% of 30 days / 7.9e28 rounds to 0 ns.
    let after =
        Objective::time_to_exhaustion(decimal("60"), BurnRate::Rate(Decimal::MAX), TimeDelta::days(30)).unwrap();
    assert_eq!(after, Exhaustion::After(TimeDelta::zero()));
}

#[test]
fn a_median_of_durations_a_year_apart_is_exact() {
    // The median of {0, 365 days} is 182.5 days (numpy.percentile(..., 50),
    // linear). With a 28-place percentile the i128 product overflowed and
    // gave -5.68 s; such a percentile is now refused.
    let values = [TimeDelta::zero(), TimeDelta::days(365)];
    let median = percentile(&values, decimal("50"), PercentileMethod::Linear).unwrap();
    assert_eq!(median, Figure::Known(TimeDelta::hours(182 * 24 + 12)));
    // p = 99.999999999 (nine places) of a 200-year gap: 0.99999999999 * 200
    // years, to the nanosecond.
    let wide = [TimeDelta::zero(), TimeDelta::days(73_000)];
    let p = percentile(&wide, decimal("99.999999999"), PercentileMethod::Linear).unwrap();
    // 73,000 days is 6.3072e18 ns; a 10^-11 share of it is 63,072,000 ns.
    let expected = TimeDelta::days(73_000) - TimeDelta::nanoseconds(63_072_000);
    assert_eq!(p, Figure::Known(expected));
    let e = percentile(
        &values,
        decimal("50.0000000000000000000000001"),
        PercentileMethod::Linear,
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidObjective);
}

#[test]
fn the_incident_io_preset_reads_incident_io_s_own_example() {
    use servicelevel::BusinessCalendar;
    use servicelevel::availability::{Agreement, Impact, ImpactWeights, Outage};
    use servicelevel::interval::Interval;
    // incident.io, "Status Pages: How we calculate uptime": operational
    // 09:00-09:10, degraded 09:10-09:40, full outage 09:40-10:00 is 66% up
    // (40 of 60 minutes). Counting degraded time as down, as
    // ANY_NON_OPERATIONAL does, gives 10 of 60 minutes: 16.666667%.
    let at = |h: u32, m: u32| crate::support::instant(&format!("2025-03-03T{h:02}:{m:02}:00Z"));
    let outages = [
        Outage::new(at(9, 10), at(9, 40), Impact::Degraded).unwrap(),
        Outage::new(at(9, 40), at(10, 0), Impact::Major).unwrap(),
    ];
    let hour = Interval::new(at(9, 0), at(10, 0)).unwrap();
    let uptime = |weights: ImpactWeights| {
        let agreement = Agreement::builder(BusinessCalendar::always_open(chrono_tz::UTC))
            .weights(weights)
            .build()
            .unwrap();
        let history = agreement.history(&outages, at(12, 0)).unwrap();
        history.measure(hour).unwrap().availability
    };
    assert_eq!(uptime(ImpactWeights::INCIDENT_IO), Figure::Known(decimal("66.666667")));
    assert_eq!(
        uptime(ImpactWeights::ANY_NON_OPERATIONAL),
        Figure::Known(decimal("16.666667"))
    );
}

#[test]
fn a_maintenance_schedule_that_ends_before_the_window_is_an_error() {
    use chrono::{NaiveDate, Weekday};
    use servicelevel::BusinessCalendar;
    use servicelevel::availability::{Agreement, Maintenance};
    use servicelevel::calendar::Window;
    use servicelevel::interval::Interval;
    // Sunday 02:00-04:00 maintenance, with a schedule whose horizon ends
    // on 2025-02-01: measuring March would have counted no maintenance
    // at all (eight hours of it missing) without a word.
    let date = |m, d| NaiveDate::from_ymd_opt(2025, m, d).unwrap();
    let schedule = BusinessCalendar::builder(chrono_tz::UTC)
        .window(Weekday::Sun, "02:00-04:00".parse::<Window>().unwrap())
        .horizon(date(1, 1), date(2, 1))
        .build()
        .unwrap();
    let agreement = Agreement::builder(BusinessCalendar::always_open(chrono_tz::UTC))
        .maintenance(Maintenance {
            windows: Vec::new(),
            recurring: Some(schedule),
        })
        .build()
        .unwrap();
    let history = agreement
        .history(&[], crate::support::instant("2025-04-01T00:00:00Z"))
        .unwrap();
    let march = Interval::new(
        crate::support::instant("2025-03-01T00:00:00Z"),
        crate::support::instant("2025-04-01T00:00:00Z"),
    )
    .unwrap();
    let e = history.measure(march).unwrap_err();
    assert!(e.is_horizon(), "{e}");
    assert_eq!(e.field(), Some("maintenance.recurring"));
    // January, inside the schedule, has its four Sundays: 8 h.
    let january = Interval::new(
        crate::support::instant("2025-01-01T00:00:00Z"),
        crate::support::instant("2025-02-01T00:00:00Z"),
    )
    .unwrap();
    assert_eq!(history.measure(january).unwrap().maintenance, TimeDelta::hours(8));
}

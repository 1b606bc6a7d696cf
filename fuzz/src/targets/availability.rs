//! Outages, weights and maintenance from arbitrary bytes, measured over
//! windows, with the SLO functions on arbitrary decimals. Invariants:
//! availability within [0, 100] and equal to `availability_at(6)`; downtime
//! never more than the counted service time; SLO attainment within
//! [0, 100]; no panic on any decimal.

use std::sync::OnceLock;

use crate::Bytes;
use servicelevel::availability::slo::{AlertPolicy, BudgetingMethod, BurnRate, EmptySlices, Objective, SliceCounts};
use servicelevel::availability::{Agreement, Impact, ImpactWeights, Maintenance, MaintenanceMode, Weight};
use servicelevel::chrono::TimeDelta;
use servicelevel::ratio::Figure;
use servicelevel::rust_decimal::Decimal;
use servicelevel::{BusinessCalendar, Interval, Outage, Percent, Period};

/// Runs one input.
pub fn run(data: &[u8]) {
    let mut bytes = Bytes(data);
    let Some(mode) = bytes.u8() else { return };
    let weight = |b: &mut Bytes<'_>| Weight::new(Decimal::new(i64::from(b.u16().unwrap_or(0) % 10_001), 4)).unwrap();
    let weights = ImpactWeights {
        major: weight(&mut bytes),
        partial: weight(&mut bytes),
        degraded: weight(&mut bytes),
    };
    let mut outages = Vec::new();
    let mut windows = Vec::new();
    for _ in 0..24 {
        let (Some(kind), Some(start), Some(length)) = (bytes.u8(), bytes.instant(), bytes.duration()) else {
            break;
        };
        let impact = match kind % 5 {
            0 => Impact::Major,
            1 => Impact::Partial,
            2 => Impact::Degraded,
            3 => Impact::Weighted(weight(&mut bytes)),
            _ => {
                if let Some(end) = start.checked_add_signed(length) {
                    windows.extend(Interval::new(start.min(end), start.max(end)).ok());
                }
                continue;
            }
        };
        let outage = match start.checked_add_signed(length) {
            Some(end) if kind & 0x80 == 0 => Outage::new(start, end, impact),
            _ => Outage::open(start, impact),
        };
        outages.extend(outage.ok());
    }
    let maintenance = Maintenance {
        windows,
        recurring: None,
    };
    static CALENDAR: OnceLock<BusinessCalendar> = OnceLock::new();
    let calendar = CALENDAR
        .get_or_init(|| BusinessCalendar::always_open(servicelevel::chrono_tz::UTC))
        .clone();
    let mode = [
        MaintenanceMode::Excluded,
        MaintenanceMode::CountedAsUp,
        MaintenanceMode::CountedAsDown,
    ][usize::from(mode % 3)];
    let Ok(agreement) = Agreement::builder(calendar)
        .weights(weights)
        .maintenance(maintenance)
        .maintenance_mode(mode)
        .build()
    else {
        return;
    };
    let Some(as_of) = bytes.instant() else { return };
    if let Ok(history) = agreement.history(&outages, as_of) {
        let from = outages.iter().map(|o| o.start()).min().unwrap_or(as_of);
        // At most two years of months (the report is linear in them).
        let to = (as_of.max(from) + TimeDelta::days(1)).min(from + TimeDelta::days(730));
        if let Ok(months) = Period::Month.windows(servicelevel::chrono_tz::UTC, from, to) {
            if let Ok(report) = history.report(&months) {
                for w in report.windows.iter().chain([&report.total]) {
                    assert!(
                        w.downtime <= w.counted_service_time || w.counted_service_time <= TimeDelta::zero(),
                        "{w:?}"
                    );
                    if let Figure::Known(a) = w.availability {
                        assert!((Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&a), "{w:?}");
                    }
                    assert_eq!(w.availability, w.availability_at(6), "{w:?}");
                    let _ = w.availability_at(u32::from(bytes.u8().unwrap_or(18)));
                }
            }
        }
    }
    slo(&mut bytes);
}

/// The SLO functions, on decimals of any size and scale.
fn slo(bytes: &mut Bytes<'_>) {
    let (Some(target), Some(share), Some(rate), Some(window), Some(short)) = (
        bytes.decimal(),
        bytes.decimal(),
        bytes.decimal(),
        bytes.duration(),
        bytes.duration(),
    ) else {
        return;
    };
    let _ = Objective::burn_rate_threshold(share, short, window);
    let _ = Objective::time_to_exhaustion(share, BurnRate::Rate(rate), window);
    let Ok(percent) = Percent::new(target) else { return };
    let objective = Objective::new(percent);
    if let Ok(budget) = objective.time_budget(window) {
        assert!(budget <= window, "{budget} of {window}");
    }
    let _ = objective.event_budget(bytes.i64().unwrap_or(0).unsigned_abs());
    let _ = objective.timeslice_budget(window, short);
    let _ = objective.burn_rate(
        u128::from(bytes.u16().unwrap_or(0)),
        u128::from(bytes.u16().unwrap_or(0)),
    );
    let mut slices = Vec::new();
    while let (Some(good), Some(bad)) = (bytes.i64(), bytes.u8()) {
        let good = good.unsigned_abs() >> (bad % 64);
        slices.push(SliceCounts {
            good,
            valid: good.saturating_add(u64::from(bad)),
        });
        if slices.len() == 64 {
            break;
        }
    }
    for method in [
        BudgetingMethod::Occurrences,
        BudgetingMethod::Timeslices { slice_target: percent },
        BudgetingMethod::RatioTimeslices,
    ] {
        for empty in [EmptySlices::Skip, EmptySlices::Good, EmptySlices::Bad] {
            if let Ok(outcome) = objective.evaluate(method, &slices, empty) {
                if let Figure::Known(a) = outcome.attainment {
                    assert!((Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&a), "{outcome:?}");
                }
            }
        }
    }
    if let Ok(policy) = AlertPolicy::pyrra(window) {
        let _ = policy.check(objective);
    }
    let _ = AlertPolicy::google_sre_workbook().check(objective);
}

//! The laws under `# Properties` on `availability::History`, as property
//! tests, on office hours and on 24x7 with random outages and maintenance.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;
use servicelevel::availability::{Agreement, Impact, Maintenance, MaintenanceMode, Outage, WindowAvailability};
use servicelevel::calendar::{EVERY_DAY, MONDAY_TO_FRIDAY, Window};
use servicelevel::{BusinessCalendar, Interval};

use crate::support::config;

fn origin() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()
}

fn window() -> Interval {
    Interval::new(origin(), origin() + TimeDelta::days(59)).unwrap()
}

fn agreement(office_hours: bool, maintenance: Vec<Interval>, mode: MaintenanceMode) -> Agreement {
    let (days, hours): (&[_], _) = if office_hours {
        (&MONDAY_TO_FRIDAY, "09:00-17:00".parse::<Window>().unwrap())
    } else {
        (&EVERY_DAY, "00:00-24:00".parse::<Window>().unwrap())
    };
    let calendar = BusinessCalendar::builder(chrono_tz::Europe::Berlin)
        .weekdays(days, hours)
        .build()
        .unwrap();
    Agreement::builder(calendar)
        .maintenance(Maintenance {
            windows: maintenance,
            recurring: None,
        })
        .maintenance_mode(mode)
        .build()
        .unwrap()
}

fn span() -> impl Strategy<Value = (i64, i64)> {
    // Start minute within 60 days (some past the window), 1 min to 10 h.
    (0..60 * 24 * 60_i64, 1..600_i64)
}

fn interval((start, minutes): (i64, i64)) -> Interval {
    let start = origin() + TimeDelta::minutes(start);
    Interval::new(start, start + TimeDelta::minutes(minutes)).unwrap()
}

fn outages() -> impl Strategy<Value = Vec<Outage>> {
    prop::collection::vec((span(), 0..3_u8), 0..25).prop_map(|xs| {
        xs.into_iter()
            .map(|(s, impact)| {
                let i = interval(s);
                let impact = [Impact::Major, Impact::Partial, Impact::Degraded][impact as usize];
                Outage::new(i.start(), i.end(), impact).unwrap()
            })
            .collect()
    })
}

fn maintenance() -> impl Strategy<Value = Vec<Interval>> {
    prop::collection::vec(span(), 0..6).prop_map(|xs| xs.into_iter().map(interval).collect())
}

fn mode() -> impl Strategy<Value = MaintenanceMode> {
    prop_oneof![
        Just(MaintenanceMode::Excluded),
        Just(MaintenanceMode::CountedAsUp),
        Just(MaintenanceMode::CountedAsDown)
    ]
}

fn measure(agreement: &Agreement, outages: &[Outage], window: Interval) -> WindowAvailability {
    let as_of = origin() + TimeDelta::days(70);
    agreement.history(outages, as_of).unwrap().measure(window).unwrap()
}

proptest! {
    #![proptest_config(config())]

    /// `History::explain`: the outages' shares of the downtime add up to the
    /// window's unplanned downtime (each share is rounded to the
    /// nanosecond, so to within one nanosecond per outage), and each
    /// outage's agreed time is split into counted, covered and
    /// maintenance without loss.
    #[test]
    fn the_shares_of_downtime_add_up_to_the_window_s(office in any::<bool>(), xs in outages(), ms in maintenance()) {
        let agreement = agreement(office, ms, MaintenanceMode::Excluded);
        let history = agreement.history(&xs, origin() + TimeDelta::days(70)).unwrap();
        let explained = history.explain(window()).unwrap();
        let measured = history.measure(window()).unwrap();
        let sum: TimeDelta = explained.outages.iter().map(|s| s.downtime).sum();
        let slack = TimeDelta::nanoseconds(explained.outages.len() as i64);
        prop_assert!((sum - measured.unplanned_downtime).abs() <= slack, "{sum} vs {}", measured.unplanned_downtime);
        for share in &explained.outages {
            let start = share.start.max(window().start());
            let end = share.end.min(window().end());
            let agreed = agreement.calendar().business_time(start, end.max(start));
            prop_assert_eq!(share.counted + share.covered + share.in_maintenance, agreed);
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn availability_is_a_percentage_and_mtbsi_is_mtbf_plus_mtrs(
        office in any::<bool>(), outages in outages(), maintenance in maintenance(), mode in mode()
    ) {
        let w = measure(&agreement(office, maintenance, mode), &outages, window());
        if let Some(a) = w.availability.known() {
            prop_assert!(a >= Decimal::ZERO && a <= Decimal::ONE_HUNDRED, "{a}");
        }
        if let (Some(f), Some(r), Some(s)) = (w.mtbf.known(), w.mtrs.known(), w.mtbsi.known()) {
            prop_assert_eq!(s, f + r);
        } else {
            prop_assert_eq!(w.failures, 0);
        }
        prop_assert!(w.downtime <= w.counted_service_time);
    }

    #[test]
    fn copies_and_order_change_nothing(
        office in any::<bool>(), outages in outages(), maintenance in maintenance(), mode in mode(), copy in any::<prop::sample::Index>()
    ) {
        let agreement = agreement(office, maintenance, mode);
        let base = measure(&agreement, &outages, window());
        let mut reversed = outages.clone();
        reversed.reverse();
        prop_assert_eq!(&measure(&agreement, &reversed, window()), &base);
        if !outages.is_empty() {
            let mut doubled = outages.clone();
            doubled.push(outages[copy.index(outages.len())]);
            prop_assert_eq!(&measure(&agreement, &doubled, window()), &base);
        }
    }

    /// Maintenance never adds downtime, and never lowers availability when
    /// it counts as up. (Under the default mode, excluding maintenance over
    /// *uptime* does lower availability: `(T - M - D) / (T - M)` falls as
    /// `M` grows, e.g. 100 h, 10 h down, 50 h of maintenance: 90% -> 80%.
    /// What holds there is the law for maintenance declared over an outage,
    /// the next test.)
    #[test]
    fn maintenance_never_adds_downtime(
        office in any::<bool>(), outages in outages(), maintenance in maintenance(), extra in span(), mode in mode()
    ) {
        let before = measure(&agreement(office, maintenance.clone(), mode), &outages, window());
        let mut more = maintenance;
        more.push(interval(extra));
        let after = measure(&agreement(office, more, mode), &outages, window());
        prop_assert!(after.unplanned_downtime <= before.unplanned_downtime);
        if let (MaintenanceMode::CountedAsUp, Some(a), Some(b)) =
            (mode, before.availability.known(), after.availability.known())
        {
            prop_assert!(b >= a, "{a} -> {b}");
        }
    }

    /// Under the default mode, declaring (part of) a major outage as planned
    /// maintenance never lowers availability.
    #[test]
    fn maintenance_over_an_outage_never_lowers_availability(
        office in any::<bool>(), outages in outages(), maintenance in maintenance(), pick in any::<prop::sample::Index>()
    ) {
        let majors: Vec<&Outage> = outages.iter().filter(|o| o.impact() == Impact::Major).collect();
        prop_assume!(!majors.is_empty());
        let chosen = majors[pick.index(majors.len())];
        let before = measure(&agreement(office, maintenance.clone(), MaintenanceMode::Excluded), &outages, window());
        let mut more = maintenance;
        more.push(Interval::new(chosen.start(), chosen.end().unwrap()).unwrap());
        let after = measure(&agreement(office, more, MaintenanceMode::Excluded), &outages, window());
        if let (Some(a), Some(b)) = (before.availability.known(), after.availability.known()) {
            prop_assert!(b >= a, "{a} -> {b}");
        }
    }

    #[test]
    fn downtime_adds_up_over_any_partition(
        office in any::<bool>(), outages in outages(), maintenance in maintenance(), mode in mode(),
        cuts in prop::collection::btree_set(1..59 * 24 * 60_i64, 0..5)
    ) {
        let agreement = agreement(office, maintenance, mode);
        let whole = measure(&agreement, &outages, window());
        let mut bounds = vec![origin()];
        bounds.extend(cuts.iter().map(|m| origin() + TimeDelta::minutes(*m)));
        bounds.push(window().end());
        let parts: Vec<Interval> = bounds.windows(2).map(|p| Interval::new(p[0], p[1]).unwrap()).collect();
        let sum = |f: fn(&WindowAvailability) -> TimeDelta| -> TimeDelta {
            parts.iter().map(|p| f(&measure(&agreement, &outages, *p))).sum()
        };
        prop_assert_eq!(sum(|w| w.downtime), whole.downtime);
        prop_assert_eq!(sum(|w| w.agreed_service_time), whole.agreed_service_time);
        prop_assert_eq!(sum(|w| w.maintenance), whole.maintenance);
        // A report over the partition totals to the whole window.
        let as_of = origin() + TimeDelta::days(70);
        let report = agreement.history(&outages, as_of).unwrap().report(&parts).unwrap();
        prop_assert_eq!(&report.total, &whole);
    }
}

/// The same law on 40,000 outages, where the history sorts by buckets
/// instead of by comparison (from 16,384 usable outages on).
#[test]
fn order_changes_nothing_on_a_large_history() {
    let mut x: u64 = 0x5eed;
    let mut next = move |below: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % below) as i64
    };
    let outages: Vec<Outage> = (0..40_000)
        .map(|_| {
            let i = interval((next(60 * 24 * 60), 1 + next(600)));
            let impact = [Impact::Major, Impact::Partial, Impact::Degraded][next(3) as usize];
            Outage::new(i.start(), i.end(), impact).unwrap()
        })
        .collect();
    for office in [false, true] {
        let agreement = agreement(office, Vec::new(), MaintenanceMode::Excluded);
        let shuffled = measure(&agreement, &outages, window());
        let mut sorted = outages.clone();
        sorted.sort_by_key(|o| o.start());
        assert_eq!(measure(&agreement, &sorted, window()), shuffled);
        let mut reversed = sorted.clone();
        reversed.reverse();
        assert_eq!(measure(&agreement, &reversed, window()), shuffled);
        // Unused outages are listed by input position: the same set.
        let unused = |outages: &[Outage]| {
            agreement
                .history(outages, window().end())
                .unwrap()
                .report(&[window()])
                .unwrap()
                .unused
                .len()
        };
        assert_eq!(unused(&sorted), unused(&outages));
    }
}

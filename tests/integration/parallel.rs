//! The `parallel` feature: batch evaluation and reporting on every core
//! give what the serial path gives, in the same order, for any tickets.
//! The serial path is the oracle.

use chrono::{TimeDelta, TimeZone, Utc};
use proptest::prelude::*;
use rayon::prelude::*;
use servicelevel::Evaluator;
use servicelevel::ingest::RecordedVerdict;

use crate::report_merge::{spec, spec_builder, tickets};
use crate::sla_props::history;
use crate::support::config;

fn evaluator() -> Evaluator {
    let reporter = spec().reporter(Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap());
    reporter
        .catalog()
        .services()
        .iter()
        .flat_map(|s| s.obligations())
        .fold(Evaluator::new(), |evaluator, obligation| {
            evaluator.policy(obligation.policy.clone(), crate::sla_props::calendar().clone())
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parallel_evaluation_is_the_serial_one(histories in prop::collection::vec(history(), 0..40), later in 0i64..5_000) {
        let timelines = tickets(histories);
        let as_of = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap() + TimeDelta::days(later);
        let evaluator = evaluator();
        let serial: Vec<_> = evaluator.evaluate_timelines(&timelines, as_of).collect();
        prop_assert_eq!(evaluator.par_evaluate_timelines(&timelines, as_of).collect::<Vec<_>>(), serial);
        let events: Vec<_> = timelines.iter().map(|t| t.events().to_vec()).collect();
        let serial: Vec<_> = evaluator.evaluate_all(events.clone(), as_of).collect();
        prop_assert_eq!(evaluator.par_evaluate_all(events, as_of).collect::<Vec<_>>(), serial);
    }

    #[test]
    fn parallel_reporting_is_the_serial_report(histories in prop::collection::vec(history(), 0..40), later in 0i64..5_000) {
        let timelines = tickets(histories);
        let as_of = timelines.iter().map(|t| t.events().last().unwrap().at()).max().unwrap_or(Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap()) + TimeDelta::minutes(later);
        let spec = spec();
        let mut serial = spec.reporter(as_of);
        for timeline in &timelines {
            serial.add("desk", timeline).unwrap();
        }
        let shared: Vec<_> = timelines.into_iter().map(|t| ("desk", t)).collect();
        let mut parallel = spec.reporter(as_of);
        parallel.par_add(&shared).unwrap();
        let both = parallel.clone();
        prop_assert_eq!(parallel.finish(), serial.clone().finish());
        // Finishing on every core makes the same report.
        prop_assert_eq!(both.par_finish(), serial.finish());
    }

    /// With the exporting tool's recorded verdicts compared against a
    /// policy: the agreement and the rest of the report as the serial
    /// `add_with_verdict` makes them, from borrowed timelines.
    #[test]
    fn parallel_reporting_with_verdicts_is_the_serial_report(histories in prop::collection::vec(history(), 0..40), verdicts in prop::collection::vec(0u8..3, 40), later in 0i64..5_000) {
        let timelines = tickets(histories);
        let as_of = timelines.iter().map(|t| t.events().last().unwrap().at()).max().unwrap_or(Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap()) + TimeDelta::minutes(later);
        let spec = spec_builder().verdicts_against("servicenow-resolution").build().unwrap();
        let recorded = |n: usize| [None, Some(RecordedVerdict::Met), Some(RecordedVerdict::Breached)][usize::from(verdicts[n])];
        let mut serial = spec.reporter(as_of);
        for (n, timeline) in timelines.iter().enumerate() {
            serial.add_with_verdict("desk", timeline, recorded(n)).unwrap();
        }
        let shared: Vec<_> = timelines.iter().enumerate().map(|(n, t)| ("desk", t, recorded(n))).collect();
        let mut parallel = spec.reporter(as_of);
        parallel.par_add_with_verdicts(&shared).unwrap();
        let (parallel, serial) = (parallel.finish(), serial.finish());
        prop_assert_eq!(parallel.services[0].agreement.as_ref().map(|a| a.compared), serial.services[0].agreement.as_ref().map(|a| a.compared));
        prop_assert_eq!(parallel, serial);
    }
}

#[test]
fn an_unknown_service_adds_nothing() {
    let spec = spec();
    let as_of = Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap();
    let mut reporter = spec.reporter(as_of);
    let timeline =
        servicelevel::Timeline::new(vec![servicelevel::Event::created("T1", as_of, [("status", "new")])]).unwrap();
    let err = reporter
        .par_add(&[("desk", timeline.clone()), ("nowhere", timeline)])
        .unwrap_err();
    assert!(err.to_string().contains("nowhere"), "{err}");
    assert_eq!(reporter.finish(), spec.reporter(as_of).finish());
}

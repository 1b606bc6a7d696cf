//! `Reporter::merge`: partial reports combine exactly. The law: a reporter
//! fed some tickets, merged with one fed the rest, finishes into the report
//! a single reporter fed them all (in that order) makes, periods,
//! breakdowns, percentiles, worst breaches and problems included.

use chrono::{TimeDelta, Utc};
use proptest::prelude::*;
use servicelevel::calendar::Period;
use servicelevel::event::{Event, Timeline};
use servicelevel::policy::{Lifecycle, Target, presets};
use servicelevel::report::{Catalog, ReportSpec, ReportSpecBuilder, ReviewPart, Service};

use crate::sla_props::{calendar, history};
use crate::support::config;

pub(super) fn spec() -> ReportSpec {
    spec_builder().build().unwrap()
}

/// The builder of [`spec`], for a test that adds to it.
pub(super) fn spec_builder() -> ReportSpecBuilder {
    let lifecycle = Lifecycle::new("status", ["resolved"], ["closed"])
        .unwrap()
        .initial(["new"])
        .unwrap()
        .waiting(["pending"])
        .unwrap();
    let h = TimeDelta::hours;
    let tiers = Target::business_by("priority", [("1", h(2)), ("2", h(4)), ("3", h(8))], Some(h(16)));
    let resolution = presets::servicenow_resolution(&lifecycle, tiers.clone()).unwrap();
    let response = presets::zammad_first_response(&lifecycle, Target::business(h(1))).unwrap();
    let service = Service::builder("desk", "Desk", "office")
        .policy(resolution)
        .policy(response)
        .build()
        .unwrap();
    let catalog = Catalog::builder()
        .calendar("office", calendar().clone())
        .service(service)
        .build()
        .unwrap();
    ReportSpec::builder(catalog)
        .lifecycle(lifecycle)
        .periods(Period::Week, chrono_tz::America::New_York)
        .breakdown("priority")
        .worst_breaches(3)
}

pub(super) fn tickets(histories: Vec<Vec<Event>>) -> Vec<Timeline> {
    histories
        .into_iter()
        .enumerate()
        .map(|(i, events)| {
            let id = format!("T{i}");
            let renamed = events
                .into_iter()
                .map(|e| Event::new(id.as_str(), e.at(), e.body().clone()))
                .collect();
            Timeline::new(renamed).unwrap()
        })
        .collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn merged_partial_reports_are_the_whole_report(histories in prop::collection::vec(history(), 0..6), split in 0usize..7, later in 0i64..5_000) {
        let timelines = tickets(histories);
        let as_of = timelines.iter().map(|t| t.events().last().unwrap().at()).max().unwrap_or(chrono::TimeZone::with_ymd_and_hms(&Utc, 2025, 3, 1, 0, 0, 0).unwrap()) + TimeDelta::minutes(later);
        let split = split.min(timelines.len());
        let spec = spec();
        let mut whole = spec.reporter(as_of);
        let (mut first, mut second) = (spec.reporter(as_of), spec.reporter(as_of));
        for (i, timeline) in timelines.iter().enumerate() {
            whole.add("desk", timeline).unwrap();
            let part = if i < split { &mut first } else { &mut second };
            part.add("desk", timeline).unwrap();
        }
        first.merge(second).unwrap();
        prop_assert_eq!(first.finish(), whole.finish());
    }

    #[test]
    fn parts_sent_as_json_merge_into_the_whole_report(histories in prop::collection::vec(history(), 0..6), split in 0usize..7) {
        let timelines = tickets(histories);
        let as_of = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 1, 1, 0, 0, 0).unwrap();
        let split = split.min(timelines.len());
        let spec = spec();
        let mut whole = spec.reporter(as_of);
        let (mut driver, mut worker) = (spec.reporter(as_of), spec.reporter(as_of));
        for (i, timeline) in timelines.iter().enumerate() {
            whole.add("desk", timeline).unwrap();
            let part = if i < split { &mut driver } else { &mut worker };
            part.add("desk", timeline).unwrap();
        }
        let sent = serde_json::to_string(&worker.into_part()).unwrap();
        let part: ReviewPart = serde_json::from_str(&sent).unwrap();
        prop_assert_eq!(part.tickets(), (timelines.len() - split) as u64);
        driver.merge_part(part).unwrap();
        prop_assert_eq!(driver.finish(), whole.finish());
    }
}

#[test]
fn a_part_of_another_spec_or_instant_is_refused() {
    let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2025, 3, 3, 12, 0, 0).unwrap();
    let part = spec().reporter(at + TimeDelta::seconds(1)).into_part();
    let error = spec().reporter(at).merge_part(part).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("the part was made from another spec or as of another instant"),
        "{error}"
    );
    // A spec without the breakdown: the groups would not line up.
    let lifecycle = Lifecycle::new("status", ["resolved"], ["closed"]).unwrap();
    let response = presets::zammad_first_response(&lifecycle, Target::business(TimeDelta::hours(1))).unwrap();
    let service = Service::builder("desk", "Desk", "office")
        .policy(response)
        .build()
        .unwrap();
    let catalog = Catalog::builder()
        .calendar("office", calendar().clone())
        .service(service)
        .build()
        .unwrap();
    let other = ReportSpec::builder(catalog).lifecycle(lifecycle).build().unwrap();
    let error = spec()
        .reporter(at)
        .merge_part(other.reporter(at).into_part())
        .unwrap_err();
    assert!(error.to_string().contains("another spec"), "{error}");
}

#[test]
fn reporters_of_different_specs_or_instants_do_not_merge() {
    let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2025, 3, 3, 12, 0, 0).unwrap();
    let mut one = spec().reporter(at);
    let error = one.merge(spec().reporter(at + TimeDelta::seconds(1))).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("different specs or as of different instants"),
        "{error}"
    );
}

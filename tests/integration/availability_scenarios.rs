//! Runs every availability and SLO scenario file in `testdata/availability/`.
//! The format is documented in the crate docs ("Availability scenario
//! files"); each file names its source.

use std::path::Path;

use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;
use servicelevel::Interval;
use servicelevel::availability::slo::{AlertPolicy, BudgetingMethod, EmptySlices, NeverFires, Objective, SliceCounts};
use servicelevel::availability::{Agreement, AgreementBuilder, Composite, Outage, WindowAvailability, rolling};
use servicelevel::calendar::Period;
use servicelevel::calendar::time_zone;
use servicelevel::duration::{format, parse};
use servicelevel::ratio::Figure;

use crate::support::instant;

fn text<'a>(check: &'a Value, key: &str) -> &'a str {
    check[key].as_str().unwrap_or_else(|| panic!("`{key}` in {check}"))
}

fn decimal(check: &Value, key: &str) -> Decimal {
    text(check, key)
        .parse()
        .unwrap_or_else(|e| panic!("`{key}` in {check}: {e}"))
}

fn duration(check: &Value, key: &str) -> chrono::TimeDelta {
    parse(text(check, key)).unwrap_or_else(|e| panic!("`{key}`: {e}"))
}

/// `got` compared at the expected value's own number of decimals, rounded
/// once, half away from zero.
fn same_decimal(got: Decimal, expected: &str) -> String {
    let places = expected.split_once('.').map_or(0, |(_, f)| f.len() as u32);
    got.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
        .to_string()
}

/// The window a check names: `window`, `period` + `time_zone` + `containing`,
/// or `rolling` (ending at the file's `as_of`).
fn window(check: &Value, as_of: Option<chrono::DateTime<chrono::Utc>>) -> Interval {
    if let Some(w) = check.get("window").filter(|w| w.is_object()) {
        return serde_json::from_value(w.clone()).expect("window");
    }
    if check.get("rolling").is_some() {
        return rolling(duration(check, "rolling"), as_of.expect("as_of")).unwrap();
    }
    let period: Period = serde_json::from_value(check["period"].clone()).expect("period");
    let tz = time_zone(text(check, "time_zone")).unwrap();
    period.containing(tz, instant(text(check, "containing"))).unwrap()
}

fn figure_duration(f: Figure<chrono::TimeDelta>) -> String {
    f.known().map_or("unknown".into(), format)
}

fn availability_answer(w: &WindowAvailability, key: &str, expected: &str) -> String {
    match key {
        "availability" => {
            let places = expected.split_once('.').map_or(0, |(_, f)| f.len() as u32);
            w.availability_at(places)
                .known()
                .map_or("unknown".into(), |a| a.to_string())
        }
        "downtime" => format(w.downtime),
        "unplanned_downtime" => format(w.unplanned_downtime),
        "agreed_service_time" => format(w.agreed_service_time),
        "counted_service_time" => format(w.counted_service_time),
        "maintenance" => format(w.maintenance),
        "failures" => w.failures.to_string(),
        "mtbf" => figure_duration(w.mtbf),
        "mtrs" => figure_duration(w.mtrs),
        "mtbsi" => figure_duration(w.mtbsi),
        _ if key.starts_with("budget ") => {
            let objective = Objective::new(key["budget ".len()..].parse().unwrap());
            format(objective.time_budget(w.counted_service_time).unwrap())
        }
        other => panic!("unknown availability key `{other}`"),
    }
}

fn check_availability(file: &Value, check: &Value) -> Vec<(String, String, String)> {
    let mut builder: AgreementBuilder = serde_json::from_value(file["agreement"].clone()).expect("agreement");
    if let Some(mode) = check.get("maintenance_mode") {
        builder.maintenance_mode = serde_json::from_value(mode.clone()).unwrap();
    }
    let agreement: Agreement = builder.build().expect("valid agreement");
    let outages: Vec<Outage> = serde_json::from_value(file["outages"].clone()).expect("outages");
    let as_of = instant(text(file, "as_of"));
    let history = agreement.history(&outages, as_of).unwrap();
    let measured = history.measure(window(check, Some(as_of))).unwrap();
    expectations(check, |key, expected| availability_answer(&measured, key, expected))
}

fn expectations(check: &Value, mut answer: impl FnMut(&str, &str) -> String) -> Vec<(String, String, String)> {
    check["expect"]
        .as_object()
        .expect("expect")
        .iter()
        .map(|(key, expected)| {
            let expected = expected.as_str().expect("expected values are strings");
            (key.clone(), answer(key, expected), expected.to_string())
        })
        .collect()
}

fn check_slo(check: &Value) -> Vec<(String, String, String)> {
    let objective = || Objective::new(text(check, "objective").parse().unwrap());
    match text(check, "kind") {
        "time_budget" => {
            let w = match check.get("window") {
                Some(Value::String(_)) => duration(check, "window"),
                _ => window(check, None).duration(),
            };
            expectations(check, |key, _| match key {
                "window" => format(w),
                "budget" => format(objective().time_budget(w).unwrap()),
                other => panic!("unknown key `{other}`"),
            })
        }
        "event_budget" => {
            let valid = check["valid"].as_u64().unwrap();
            expectations(check, |_, _| objective().event_budget(valid).to_string())
        }
        "timeslice_budget" => {
            let b = objective()
                .timeslice_budget(duration(check, "window"), duration(check, "slice"))
                .unwrap();
            expectations(check, |key, _| match key {
                "slices" => b.slices.to_string(),
                "bad_slices_allowed" => b.bad_slices_allowed.to_string(),
                "time" => format(b.time),
                other => panic!("unknown key `{other}`"),
            })
        }
        "burn_rate_threshold" => {
            let rate = Objective::burn_rate_threshold(
                decimal(check, "budget_percent"),
                duration(check, "alert_window"),
                duration(check, "slo_window"),
            )
            .unwrap();
            expectations(check, |_, expected| same_decimal(rate, expected))
        }
        "slices" => {
            let counts = |key: &str| -> Vec<u64> { serde_json::from_value(check[key].clone()).unwrap() };
            let slices: Vec<SliceCounts> = counts("good")
                .into_iter()
                .zip(counts("valid"))
                .map(|(good, valid)| SliceCounts { good, valid })
                .collect();
            let method = match text(check, "method") {
                "occurrences" => BudgetingMethod::Occurrences,
                "timeslices" => BudgetingMethod::Timeslices {
                    slice_target: text(check, "slice_target").parse().unwrap(),
                },
                "ratio_timeslices" => BudgetingMethod::RatioTimeslices,
                other => panic!("unknown method `{other}`"),
            };
            let outcome = objective().evaluate(method, &slices, EmptySlices::Skip).unwrap();
            expectations(check, |key, expected| match key {
                "attainment" => same_decimal(outcome.attainment.known().unwrap(), expected),
                "budget_consumed" => match outcome.budget_consumed.known().unwrap() {
                    servicelevel::availability::slo::BurnRate::Rate(r) => same_decimal(r, expected),
                    other => format!("{other:?}"),
                },
                "met" => outcome.met.known().unwrap().to_string(),
                other => panic!("unknown key `{other}`"),
            })
        }
        "alert_preset" | "alert_check" => {
            let policy = match text(check, "preset") {
                "sloth" => AlertPolicy::sloth(),
                "google_sre_workbook" => AlertPolicy::google_sre_workbook(),
                p if p.starts_with("pyrra:") => AlertPolicy::pyrra(parse(&p["pyrra:".len()..]).unwrap()).unwrap(),
                other => panic!("unknown preset `{other}`"),
            };
            let checks = (text(check, "kind") == "alert_check").then(|| policy.check(objective()));
            expectations(check, |key, _| {
                let index = policy.rules().iter().position(|r| r.name() == key).expect("rule");
                if let Some(checks) = &checks {
                    return match checks[index].never_fires {
                        None => "fires".into(),
                        Some(NeverFires::BurnAboveMaximum { maximum }) => format!("burn above maximum {maximum}"),
                        Some(other) => format!("{other:?}"),
                    };
                }
                let rule = &policy.rules()[index];
                format!("{} {} {}", format(rule.long()), format(rule.short()), rule.burn_rate())
            })
        }
        "composite" => {
            let composite: Composite = serde_json::from_value(check["composite"].clone()).unwrap();
            expectations(check, |_, _| composite.availability().unwrap().to_string())
        }
        other => panic!("unknown check kind `{other}`"),
    }
}

fn run_file(path: &Path) -> usize {
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        text(&file, "source").len() > 20,
        "{} must name its source",
        path.display()
    );
    let mut checked = 0;
    for check in file["checks"].as_array().expect("checks") {
        let results = match text(check, "kind") {
            "availability" => check_availability(&file, check),
            _ => check_slo(check),
        };
        for (key, got, expected) in results {
            assert_eq!(got, expected, "{}: `{key}` in {check}", path.display());
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_availability_scenario_file_holds() {
    let mut files: Vec<_> = std::fs::read_dir("testdata/availability")
        .expect("testdata/availability")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 9, "one file per group of acceptance numbers");
    let checked: usize = files.iter().map(|f| run_file(f)).sum();
    assert!(checked >= 50, "only {checked} values checked");
}

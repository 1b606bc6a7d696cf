//! The trait contract of the public types, as the `time` crate's
//! `tests/integration/meta.rs` does it: value types are
//! `Send + Sync + Debug + Clone`, and with the `serde` feature they serialise
//! and deserialise. Adding a public type means adding it here.

use servicelevel::availability::slo::{
    AlertPolicy, AlertRule, AlertState, BudgetingMethod, BurnRate, EmptySlices, EventSeries, Exhaustion, NeverFires,
    Objective, RuleCheck, Severity, SliceCounts, SloOutcome, Tally, TimesliceBudget,
};
use servicelevel::availability::{
    Agreement, AgreementBuilder, AvailabilityReport, Composite, History, Impact, ImpactWeights, Maintenance,
    MaintenanceMode, Outage, UnusedOutage, UnusedReason, Weight, WindowAvailability,
};
use servicelevel::calendar::Period;
use servicelevel::calendar::{
    BusinessCalendar, CalendarBuilder, ClockTime, Computus, Convention, DateRange, Disambiguation, EasterDate,
    EpochUnit, FloatingDate, Landing, Observance, OpenIntervals, PartialClosure, RecurringDate, RecurringRule,
    RuleEffect, TimeBasis, WeekOfMonth, Window, YearlyDate,
};
use servicelevel::eval::{
    Cause, Crossing, Cycle, Escalation, Evaluation, Evaluator, EvaluatorCache, Phase, PhaseKind, Reason, Segment,
    SegmentKind, SlaClock, State, TicketOutcome, Warning,
};
use servicelevel::event::{
    Action, Built, Diagnostic, Event, EventBody, EventRef, Field, Mode, PolicyId, Problem, Schema, ServiceId, TicketId,
    TicketState, Tickets, Timeline, TimelineOptions, Value,
};
use servicelevel::metrics::{AgeBuckets, Backlog, Compliance, Exclusions, Incident, PercentileMethod, Span, Summary};
use servicelevel::policy::{
    Amount, BreachRule, Cancel, Condition, Cycles, Measure, Policy, PolicyBuilder, PolicyKind, RetroactiveStart,
    Target, TargetChange,
};
use servicelevel::policy::{Lifecycle, TeamOla};
use servicelevel::ratio::{Figure, Unknown};
use servicelevel::report::{
    Breakdown, Catalog, CatalogBuilder, Commitment, CommitmentWindow, Comparison, Composition, Dependencies, Figures,
    Flip, Group, Metadata, Obligation, PolicyFigures, Report, ReportChange, ReportDiff, ReportSpec, ReportSpecBuilder,
    Reporter, Section, Service, ServiceAvailability, ServiceBuilder, ServiceReport, TeamFigures, TicketProblem,
    Verdict,
};
use servicelevel::{Error, ErrorKind, Interval, Percent};

fn is_value<T: Send + Sync + std::fmt::Debug + Clone>() {}
fn is_data<T: Send + Sync + std::fmt::Debug + Clone + serde::Serialize + serde::de::DeserializeOwned>() {}
/// A kind or knob: a small copyable value to match on.
fn is_knob<T: Copy + Eq + std::hash::Hash + std::fmt::Debug + Send + Sync + 'static>() {}

fn is_error<T: std::error::Error + Send + Sync + Clone + PartialEq + 'static>() {}

#[test]
fn public_types_honour_the_contract() {
    is_data::<BusinessCalendar>();
    is_data::<ClockTime>();
    is_data::<Window>();
    is_data::<YearlyDate>();
    is_data::<FloatingDate>();
    is_data::<EasterDate>();
    is_data::<RecurringDate>();
    is_data::<RecurringRule>();
    is_data::<Observance>();
    is_data::<Computus>();
    is_value::<RuleEffect>();
    is_knob::<Observance>();
    is_knob::<Computus>();
    is_data::<DateRange>();
    is_data::<PartialClosure>();
    is_data::<WeekOfMonth>();
    is_data::<Disambiguation>();
    is_data::<Convention>();
    is_knob::<EpochUnit>();
    is_data::<Landing>();
    is_data::<Interval>();
    // Events and timelines.
    is_data::<Event>();
    is_data::<EventBody>();
    is_data::<TicketId>();
    is_data::<Field>();
    is_data::<Value>();
    is_data::<Action>();
    is_data::<PolicyId>();
    is_data::<TicketState>();
    is_data::<Timeline>();
    is_data::<Built>();
    is_value::<TimelineOptions>();
    is_data::<Diagnostic>();
    is_data::<Problem>();
    is_data::<Schema>();
    // Policies.
    is_data::<Policy>();
    is_data::<PolicyKind>();
    is_data::<Condition>();
    is_data::<Cancel>();
    is_data::<Cycles>();
    is_data::<RetroactiveStart>();
    is_data::<TargetChange>();
    is_data::<BreachRule>();
    is_data::<Target>();
    is_data::<Amount>();
    is_data::<Measure>();
    // Evaluation results.
    is_data::<Evaluation>();
    is_data::<Cycle>();
    is_data::<State>();
    is_data::<Reason>();
    is_data::<Cause>();
    is_data::<Phase>();
    is_data::<PhaseKind>();
    is_data::<Crossing>();
    is_data::<Warning>();
    is_data::<Escalation>();
    is_data::<Segment>();
    is_data::<SegmentKind>();
    is_data::<Mode>();
    // Availability, SLOs and metrics.
    is_data::<Agreement>();
    is_data::<AgreementBuilder>();
    is_data::<AvailabilityReport>();
    is_data::<WindowAvailability>();
    is_data::<Composite>();
    is_data::<Impact>();
    is_data::<ImpactWeights>();
    is_data::<Weight>();
    is_data::<Maintenance>();
    is_data::<MaintenanceMode>();
    is_data::<Outage>();
    is_data::<Period>();
    is_data::<UnusedOutage>();
    is_data::<UnusedReason>();
    is_data::<Figure<rust_decimal::Decimal>>();
    is_data::<Unknown>();
    is_data::<Objective>();
    is_data::<BurnRate>();
    is_data::<Exhaustion>();
    is_data::<BudgetingMethod>();
    is_data::<EmptySlices>();
    is_data::<SliceCounts>();
    is_data::<SloOutcome>();
    is_data::<TimesliceBudget>();
    is_data::<Tally>();
    is_data::<AlertRule>();
    is_data::<AlertPolicy>();
    is_data::<AlertState>();
    is_data::<RuleCheck>();
    is_data::<NeverFires>();
    is_data::<Severity>();
    is_data::<Incident>();
    is_data::<Span>();
    is_data::<Summary>();
    is_data::<PercentileMethod>();
    is_data::<Exclusions>();
    is_data::<Compliance>();
    is_data::<AgeBuckets>();
    is_data::<Backlog>();
    is_data::<ServiceId>();
    is_data::<Catalog>();
    is_data::<CatalogBuilder>();
    is_data::<Service>();
    is_data::<ServiceBuilder>();
    is_data::<Obligation>();
    is_data::<TeamOla>();
    is_data::<Commitment>();
    is_data::<Composition>();
    is_data::<Dependencies>();
    is_data::<Lifecycle>();
    is_data::<Report>();
    is_data::<Metadata>();
    is_data::<ServiceReport>();
    is_data::<Section>();
    is_data::<Breakdown>();
    is_data::<Group>();
    is_data::<ReportSpec>();
    is_value::<ReportSpecBuilder>();
    is_data::<Percent>();
    is_data::<Figures>();
    is_data::<PolicyFigures>();
    is_data::<TeamFigures>();
    is_data::<TicketProblem>();
    is_data::<ServiceAvailability>();
    is_data::<CommitmentWindow>();
    is_data::<Verdict>();
    is_data::<ReportDiff>();
    is_data::<ReportChange>();
    is_data::<Flip>();
    // The reporter is an engine with running sums, not data.
    is_value::<Reporter>();
    is_value::<Comparison>();
    // A history and an event series are prepared indexes, rebuilt from
    // their inputs rather than serialised; a time basis borrows a calendar.
    is_value::<History>();
    is_value::<EventSeries>();
    is_value::<TimeBasis<'static>>();
    // Engines, builders and iterators are values but not data; a batch
    // outcome holds `Error`s, which are not data either.
    is_value::<Evaluator>();
    is_value::<SlaClock<'static>>();
    is_value::<TicketOutcome>();
    // A borrowed event is a value too; the evaluator's cache is its
    // mutable part, a value that holds nothing between calls.
    is_value::<EventRef<'static>>();
    is_value::<EvaluatorCache>();
    is_value::<PolicyBuilder>();
    is_value::<Tickets<std::vec::IntoIter<Event>>>();
    is_value::<CalendarBuilder>();
    is_value::<OpenIntervals<'static>>();
    is_error::<Error>();
    is_data::<Error>();
    is_knob::<ErrorKind>();
    is_data::<ErrorKind>();
}

/// A knob: an enum a user picks a behaviour with, whose default is
/// documented and reachable.
fn has_default<T: Default + PartialEq + std::fmt::Debug>(documented: T) {
    assert_eq!(T::default(), documented);
}

#[test]
fn every_knob_has_its_documented_default() {
    has_default(PolicyKind::Sla);
    has_default(Cancel::Never);
    has_default(Cycles::Once);
    has_default(RetroactiveStart::No);
    has_default(TargetChange::KeepClock);
    has_default(BreachRule::Exact);
    has_default(Measure::BusinessTime);
    has_default(Mode::Strict);
    has_default(Composition::Series);
    has_default(BudgetingMethod::Occurrences);
    has_default(MaintenanceMode::Excluded);
    has_default(EmptySlices::default());
    has_default(Disambiguation::Compatible);
    has_default(Convention::EarliestInstant);
    has_default(EpochUnit::Nanosecond);
    has_default(Landing::SameClockTime(Disambiguation::Compatible));
    has_default(Observance::None);
    has_default(Computus::Western);
    has_default(RuleEffect::Closed);
    has_default(Period::Month);
    has_default(PercentileMethod::default());
    has_default(TimelineOptions::strict());
}

/// `FromStr` and `Display` agree: what is written reads back as itself.
fn round_trips<T>(texts: &[&str])
where
    T: std::str::FromStr<Err = Error> + std::fmt::Display + PartialEq + std::fmt::Debug,
{
    for text in texts {
        let value: T = text.parse().unwrap_or_else(|e| panic!("`{text}`: {e}"));
        assert_eq!(value.to_string(), *text);
        assert_eq!(value.to_string().parse::<T>().unwrap(), value);
    }
}

#[test]
fn text_forms_round_trip() {
    round_trips::<ClockTime>(&["00:00", "09:30", "17:45:30", "24:00"]);
    round_trips::<Window>(&["09:00-17:00", "22:00-06:00", "08:00-08:00", "00:00-24:00"]);
    round_trips::<YearlyDate>(&["12-25", "02-29"]);
    round_trips::<FloatingDate>(&["4th thu of nov", "last mon of may", "1st mon of sep"]);
    round_trips::<EasterDate>(&["easter", "easter+1", "easter-2", "orthodox easter+50"]);
    round_trips::<RecurringDate>(&[
        "12-25",
        "4th thu of nov",
        "easter+39",
        "orthodox easter-48",
        "1st sun of month",
        "last fri of month",
        "first working day of month",
        "last working day of month",
    ]);
    round_trips::<Observance>(&["none", "us_federal", "uk_substitute"]);
    round_trips::<Period>(&["day", "week", "month", "quarter", "year"]);
    round_trips::<EpochUnit>(&["s", "ms", "us", "ns"]);
    round_trips::<Percent>(&["99.9", "100", "0.5", "99.95"]);
    round_trips::<Amount>(&["8h", "1h30m", "1 working day", "3 working days"]);
    round_trips::<servicelevel::duration::Duration>(&["8h", "1h30m", "-1m30s", "0s", "1.5s"]);
}

#[test]
fn text_errors_name_the_input_and_the_field_it_came_from() {
    let error = "25:00".parse::<ClockTime>().unwrap_err();
    assert_eq!(
        (error.kind(), error.input(), error.field()),
        (ErrorKind::InvalidClockTime, Some("25:00"), None)
    );
    let json = r#"{"time_zone": "UTC", "weekly": {"tue": [["09:00", "17:00"], ["25:00", "26:00"]]}}"#;
    let error = serde_json::from_str::<BusinessCalendar>(json).unwrap_err().to_string();
    assert!(
        error.starts_with("invalid clock time `25:00` in `weekly.tue[1]`"),
        "{error}"
    );
    let error = "fortnight".parse::<Period>().unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid value `fortnight`: expected one of `day`, `week`, `month`, `quarter`, `year`"
    );
}

/// Every preset is reachable by name on its vendor's lifecycle, under the
/// name of its function (what the scenario files and the Python package use).
#[test]
fn every_preset_is_named_and_builds() {
    use servicelevel::presets;
    let names: Vec<&str> = presets::names().collect();
    assert_eq!(names.len(), 19);
    for name in names {
        let policy = presets::by_name(name, None, Target::business(chrono::TimeDelta::hours(8))).unwrap();
        assert!(!policy.id().as_str().is_empty(), "{name}");
    }
}

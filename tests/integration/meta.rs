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
    BusinessCalendar, CalendarBuilder, ClockTime, Convention, DateRange, Disambiguation, FloatingDate, Landing,
    OpenIntervals, PartialClosure, WeekOfMonth, Window, YearlyDate,
};
use servicelevel::eval::{
    Cause, Crossing, Cycle, Escalation, Evaluation, Evaluator, Mode, Phase, PhaseKind, Reason, Segment, SegmentKind,
    SlaClock, State, TicketOutcome, Warning,
};
use servicelevel::event::{
    Action, Diagnostic, Event, EventBody, Field, Lenient, PolicyId, Problem, Schema, ServiceId, TicketId, TicketState,
    Tickets, Timeline, Value,
};
use servicelevel::metrics::{
    AgeBuckets, Backlog, Compliance, Exclusions, Incident, PercentileMethod, Span, Summary, TimeBasis,
};
use servicelevel::policy::{
    Amount, BreachRule, Cancel, Condition, Cycles, Measure, Policy, PolicyBuilder, PolicyKind, RetroactiveStart,
    Target, TargetChange,
};
use servicelevel::policy::{Lifecycle, TeamOla};
use servicelevel::ratio::{Figure, Unknown};
use servicelevel::report::{
    Breakdown, Catalog, CatalogBuilder, Commitment, CommitmentWindow, Composition, Dependencies, Figures, Metadata,
    Obligation, PolicyFigures, Report, Reporter, Section, Service, ServiceAvailability, ServiceBuilder, ServiceReport,
    TeamFigures, TicketProblem, Verdict,
};
use servicelevel::{Error, ErrorKind, Interval};

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
    is_data::<DateRange>();
    is_data::<PartialClosure>();
    is_data::<WeekOfMonth>();
    is_data::<Disambiguation>();
    is_data::<Convention>();
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
    is_data::<Lenient>();
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
    is_data::<Figures>();
    is_data::<PolicyFigures>();
    is_data::<TeamFigures>();
    is_data::<TicketProblem>();
    is_data::<ServiceAvailability>();
    is_data::<CommitmentWindow>();
    is_data::<Verdict>();
    // The reporter is an engine with running sums, not data.
    is_value::<Reporter>();
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
    is_value::<PolicyBuilder>();
    is_value::<Tickets<std::vec::IntoIter<Event>>>();
    is_value::<CalendarBuilder>();
    is_value::<OpenIntervals<'static>>();
    is_error::<Error>();
    is_knob::<ErrorKind>();
}

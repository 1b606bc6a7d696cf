//! What is promised: SLA, OLA and underpinning-contract policies.
//!
//! A [`Policy`] says when its clock starts, stops, pauses, resumes, is
//! cancelled and is reset ([`Condition`]s, in ServiceNow's sense), what the
//! target is ([`Target`]), and what to do in the corner cases every tool
//! answers differently ([`TargetChange`], [`Cycles`], [`Cancel`],
//! [`RetroactiveStart`], [`BreachRule`]). [`presets`] reproduces the
//! policies of ServiceNow, Jira Service Management, Zendesk, Zammad and GLPI.
//!
//! A policy is validated when built (and when deserialised): a condition
//! that can never hold where the clock needs it, a target of zero or of
//! absurd size, a resume condition without a pause condition, are errors
//! that say what is wrong.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

mod condition;
mod lifecycle;
mod offset;
pub mod presets;
mod route;
mod selection;
#[cfg(feature = "serde")]
mod serde_form;
mod target;
mod team_ola;
mod versions;

use rust_decimal::Decimal;

use crate::calendar::Convention;
use crate::error::{Error, Result};
use crate::event::{Field, PolicyId, Schema};

pub use condition::Condition;
pub(crate) use condition::Context;
pub use lifecycle::{Lifecycle, Role};
pub use offset::Offset;
pub use route::{CalendarRoute, RouteTiming};
pub use selection::first_match;
pub use target::{Amount, MAX_TARGET, Measure, MissingDeadline, Target};
pub use team_ola::TeamOla;
pub use versions::{Revision, VersionRule};

/// What kind of promise a policy is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PolicyKind {
    /// A service level agreement with a customer.
    #[default]
    Sla,
    /// An operational level agreement between internal teams.
    Ola,
    /// An underpinning contract with a supplier.
    UnderpinningContract,
}

/// When a running cycle is cancelled (ServiceNow's "When to cancel").
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Cancel {
    /// Never: the cycle runs until it stops.
    #[default]
    Never,
    /// When the start condition no longer holds (ServiceNow's default).
    WhenStartNoLongerHolds,
    /// When this condition holds.
    When(Condition),
}

/// Whether the start condition may start more than one cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Cycles {
    /// One cycle per ticket: once it stops or is cancelled the start
    /// condition is not looked at again (first response). A reset or a
    /// target change still starts a new cycle.
    #[default]
    Once,
    /// A new cycle whenever the start condition holds and no cycle runs
    /// (Jira's multi-cycle SLAs, a reopened ticket, each customer message).
    Repeat,
}

/// Where a cycle's clock starts counting.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RetroactiveStart {
    /// At the event where the start condition holds.
    #[default]
    No,
    /// At the ticket's creation (ServiceNow's retroactive start on
    /// `Created`). Whether the pauses between creation and the start event
    /// count is [`RetroactivePause`]'s choice.
    FromCreation,
    /// At the instant held by this field (RFC 3339 text), as ServiceNow's
    /// retroactive start on another date field.
    FromField(Field),
    /// At the event where the start condition first held since the last
    /// cycle ended (or since creation), even if the policy did not apply
    /// then: a policy that comes to apply later (its `applies_to` turns
    /// true, or it is selected by [`first_match`]) measures as if it had
    /// applied from its start event, as Zendesk does when a ticket comes
    /// to match an SLA policy. A start event followed by the stop
    /// condition before the policy applied starts nothing.
    FromStartEvent,
}

/// Whether the stretch a retroactive start reaches back over (from the
/// creation or a field's instant up to the start event, and the same on a
/// [`TargetChange::RestartFromCreation`]) keeps the pauses the policy's
/// pause condition would have made in it.
///
/// ServiceNow's "Retroactive pause" on an SLA definition: "the new task SLA
/// record gets any pause time that would have been accumulated during the
/// period between the retroactive start time and now. This pause time
/// increases the breach time with the appropriate amount" (ServiceNow docs,
/// "Use SLA retroactive pause"). It is a check box that is off until
/// selected, hence the default here and in the ServiceNow presets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RetroactivePause {
    /// The whole stretch counts as running (ServiceNow with retroactive
    /// pause off; GLPI and Zammad, which do not replay either).
    #[default]
    CountInFull,
    /// The pause condition (and the resume condition, if the policy has
    /// one) is replayed over the ticket's events in the stretch, as if the
    /// cycle had run since its start: those stretches are paused phases
    /// ([`Reason::RetroactivePause`](crate::eval::Reason::RetroactivePause)).
    Replay,
}

/// What a change of target mid-cycle does (a priority raised from P3 to
/// P1). A change of the target field that leaves the amount unchanged is no
/// target change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum TargetChange {
    /// The cycle keeps its clock and is measured against the new target
    /// from then on (Zammad, GLPI, OTRS, Request Tracker, Jira).
    #[default]
    KeepClock,
    /// As [`KeepClock`](TargetChange::KeepClock), except that a new target
    /// the cycle has already used up at the change leaves the cycle's
    /// target (so its due and breach instants) where they were: iTop's
    /// stopwatch recomputes each deadline from the time spent on every
    /// change, and one "already reached" is "not changed"
    /// (`ormStopWatch::ComputeDeadlines`). A raised priority on a request
    /// past its new goal keeps the deadline it had, rather than moving the
    /// breach back into the past. Unlike iTop, the kept target survives a
    /// later pause (iTop's `Stop` clears an unpassed deadline and its next
    /// start leaves an exceeded one unset, so such a request never shows
    /// as passed; here it breaches at the kept deadline).
    ///
    /// A law (a proptest): at every target change the open cycle's target
    /// and due instant are unchanged when the new target is used up, and
    /// the new target otherwise. This mode is not monotonic in the targets:
    /// a larger lowered target can stay unexceeded, and so take effect,
    /// where a smaller one kept the old, longer target.
    KeepDeadlineOnceExceeded,
    /// The cycle is cancelled at the change and a new one starts there.
    Restart,
    /// The cycle is cancelled at the change and a new one starts that
    /// counts from the ticket's creation (ServiceNow: the new priority's SLA
    /// attaches with retroactive start).
    RestartFromCreation,
}

/// When a cycle counts as breached, and so its breach instant.
///
/// ServiceNow has two rules, chosen by the system property
/// `com.snc.sla.calculation.use_time_left` ("Use field business_time_left to
/// calculate breach time instead of business_percentage"), which is false
/// out of the box (ServiceNow KB0783578; docs, "Use exact times in SLA
/// calculations"): the rounded percentage by default, time left when the
/// property is set. The ServiceNow presets take the out-of-the-box rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum BreachRule {
    /// Time used > target, compared exactly: used time equal to the target
    /// is met, and the breach instant is the first instant past the target
    /// (a target used up at Friday's close is breached at Monday's
    /// opening). Zammad, GLPI, Jira and Zendesk compare this way.
    #[default]
    Exact,
    /// ServiceNow's default: the elapsed percentage rounded half up to two
    /// decimals reaches 100.00, so 99.995% (and exactly 100%) is a breach.
    RoundedPercentage,
    /// ServiceNow with `com.snc.sla.calculation.use_time_left`: breached
    /// when the time left is zero or less, so a target used up exactly is
    /// breached, at the instant it is used up.
    TimeLeft,
}

/// A validated SLA, OLA or underpinning-contract policy.
///
/// Build one with [`Policy::builder`] or a [`presets`] function, or
/// deserialise one (feature `serde`); either way it is checked.
///
/// The conditions are evaluated at each event of a ticket, in ServiceNow's
/// documented order: stop; reset (with start); cancel; a target change;
/// pause; resume. While no cycle runs, a cycle starts at an event where
/// `applies_to` and `start` hold (once, or every time, per [`Cycles`]);
/// a new cycle is then checked at once for stop and pause. No cycle starts
/// at the event that stopped the previous one.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(into = "serde_form::PolicyForm"))]
///
/// ```
/// use chrono::TimeDelta;
/// use servicelevel::policy::{Cycles, PolicyKind};
/// use servicelevel::{Condition, Policy, Target};
///
/// // Time to resolve: from creation until resolved, paused while pending,
/// // again after every reopen.
/// let policy = Policy::builder(
///     "resolve",
///     "Time to resolve",
///     PolicyKind::Sla,
///     Condition::not(Condition::is_in("status", ["resolved", "closed"])),
///     Condition::is_in("status", ["resolved", "closed"]),
///     Target::business_by("priority", [("1", TimeDelta::hours(4)), ("2", TimeDelta::hours(8))], Some(TimeDelta::hours(24))),
/// )
/// .pause(Condition::equals("status", "pending"))
/// .cycles(Cycles::Repeat)
/// .build()?;
/// assert_eq!(policy.id().as_str(), "resolve");
/// // A stop condition that can never hold is refused when the policy is built.
/// let never = Policy::builder("x", "x", PolicyKind::Sla, Condition::Created, Condition::Never, Target::wall(TimeDelta::hours(1))).build();
/// assert!(never.unwrap_err().to_string().contains("can never hold"));
/// # Ok::<(), servicelevel::Error>(())
/// ```
pub struct Policy {
    pub(crate) id: PolicyId,
    pub(crate) name: String,
    pub(crate) kind: PolicyKind,
    pub(crate) applies_to: Condition,
    pub(crate) start: Condition,
    pub(crate) stop: Condition,
    pub(crate) pause: Condition,
    pub(crate) resume: Option<Condition>,
    pub(crate) cancel: Cancel,
    pub(crate) reset: Condition,
    pub(crate) cycles: Cycles,
    pub(crate) target: Target,
    pub(crate) retroactive: RetroactiveStart,
    pub(crate) retroactive_pause: RetroactivePause,
    pub(crate) target_change: TargetChange,
    pub(crate) warnings: Vec<Decimal>,
    pub(crate) escalations: Vec<Offset>,
    pub(crate) breach: BreachRule,
    pub(crate) due: Convention,
    pub(crate) revisions: Vec<Revision>,
    pub(crate) version_rule: VersionRule,
}

/// Builds a [`Policy`]; made by [`Policy::builder`].
///
/// Defaults: applies to every ticket, never pauses, resumes when the pause
/// condition no longer holds, never cancels, never resets, one cycle,
/// no retroactive start, [`RetroactivePause::CountInFull`],
/// [`TargetChange::KeepClock`], no warnings or
/// escalations, [`BreachRule::Exact`], due instants under
/// [`Convention::EarliestInstant`], no revisions
/// ([`VersionRule::AtCycleStart`] when some are added).
#[derive(Clone, Debug)]
pub struct PolicyBuilder {
    policy: Policy,
}

impl Policy {
    /// Starts a policy with its identity, its start and stop conditions and
    /// its target; the rest has the defaults listed on [`PolicyBuilder`].
    pub fn builder(
        id: impl Into<PolicyId>,
        name: impl Into<String>,
        kind: PolicyKind,
        start: Condition,
        stop: Condition,
        target: Target,
    ) -> PolicyBuilder {
        PolicyBuilder {
            policy: Policy {
                id: id.into(),
                name: name.into(),
                kind,
                applies_to: Condition::Always,
                start,
                stop,
                pause: Condition::Never,
                resume: None,
                cancel: Cancel::Never,
                reset: Condition::Never,
                cycles: Cycles::Once,
                target,
                retroactive: RetroactiveStart::No,
                retroactive_pause: RetroactivePause::CountInFull,
                target_change: TargetChange::KeepClock,
                warnings: Vec::new(),
                escalations: Vec::new(),
                breach: BreachRule::Exact,
                due: Convention::EarliestInstant,
                revisions: Vec::new(),
                version_rule: VersionRule::AtCycleStart,
            },
        }
    }

    /// The id.
    pub fn id(&self) -> &PolicyId {
        &self.id
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The kind.
    pub fn kind(&self) -> PolicyKind {
        self.kind
    }

    /// The target.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Whether a retroactive start keeps the pauses of the stretch it
    /// reaches back over.
    pub fn retroactive_pause(&self) -> RetroactivePause {
        self.retroactive_pause
    }

    /// The warning thresholds, as percentages of the target.
    pub fn warnings(&self) -> &[Decimal] {
        &self.warnings
    }

    /// The escalation levels, as offsets from the due instant.
    pub fn escalations(&self) -> &[Offset] {
        &self.escalations
    }

    /// A copy of this policy's settings, to change some and build again.
    pub fn to_builder(&self) -> PolicyBuilder {
        PolicyBuilder { policy: self.clone() }
    }

    /// Checks that every field and value the conditions and target name is
    /// in the schema (a misspelt status makes a condition that never holds).
    ///
    /// # Errors
    ///
    /// When a condition names a field the schema does not know, or a value outside a closed field's
    /// values.
    pub fn check_schema(&self, schema: &Schema) -> Result<()> {
        for (name, condition) in self.conditions() {
            if let Some(reason) = condition.unknown_to(schema) {
                return Err(Error::policy(self.id.as_str(), name, reason));
            }
        }
        if let Some(field) = self.target.field()
            && !schema.knows_field(field.as_str())
        {
            return Err(Error::policy(
                self.id.as_str(),
                "target.by",
                format!("unknown field `{field}`"),
            ));
        }
        self.revisions.iter().try_for_each(|r| r.policy.check_schema(schema))
    }

    fn conditions(&self) -> Vec<(&'static str, &Condition)> {
        let mut all = vec![
            ("applies_to", &self.applies_to),
            ("start", &self.start),
            ("stop", &self.stop),
            ("pause", &self.pause),
            ("reset", &self.reset),
        ];
        if let Some(resume) = &self.resume {
            all.push(("resume", resume));
        }
        if let Cancel::When(cancel) = &self.cancel {
            all.push(("cancel", cancel));
        }
        all.extend(self.target.tiers().iter().map(|(when, _)| ("target.tiers", when)));
        all
    }

    fn validate(self) -> Result<Policy> {
        let fail = |field: &str, reason: String| Err(Error::policy(self.id.as_str(), field, reason));
        if self.id.as_str().trim().is_empty() {
            return fail("id", "the id is empty".into());
        }
        if self.start.never_holds() || self.applies_to.never_holds() {
            return fail(
                "start",
                "the start condition can never hold, so no cycle would ever start".into(),
            );
        }
        if self.stop.never_holds() {
            return fail(
                "stop",
                "the stop condition can never hold, so no cycle would ever stop".into(),
            );
        }
        if self.stop.always_holds() {
            return fail(
                "stop",
                "the stop condition always holds, so every cycle would stop as it starts".into(),
            );
        }
        if self.cancel == Cancel::WhenStartNoLongerHolds && self.start.uses_event() {
            return fail(
                "cancel",
                "the start condition looks at the event, so it stops holding at the next event and would cancel every cycle; cancel `when` a condition instead".into(),
            );
        }
        if self.resume.is_none() && self.pause.uses_event() {
            return fail(
                "pause",
                "the pause condition looks at the event, so without a resume condition the clock would resume at the next event".into(),
            );
        }
        if self.resume.is_some() && self.pause.never_holds() {
            return fail("resume", "a resume condition without a pause condition".into());
        }
        if self.pause.always_holds() {
            return fail(
                "pause",
                "the pause condition always holds, so the clock would never run".into(),
            );
        }
        if let Some((field, reason)) = self.target.problem() {
            return fail(&field, reason);
        }
        if self.target.deadline_field().is_some() && !self.pause.never_holds() {
            return fail(
                "pause",
                "a deadline read from a field does not move with pauses, so the policy cannot pause (as ServiceNow: pause conditions are not compatible with relative durations)".into(),
            );
        }
        for (i, w) in self.warnings.iter().enumerate() {
            if *w <= Decimal::ZERO || *w > Decimal::from(1000) {
                return fail(
                    &format!("warnings[{i}]"),
                    format!("`{w}` is not a percentage in (0, 1000]"),
                );
            }
            if w.normalize().scale() > crate::ratio::MAX_DECIMAL_PLACES {
                return fail(
                    &format!("warnings[{i}]"),
                    format!("`{w}` has more than nine decimal places"),
                );
            }
        }
        for (i, e) in self.escalations.iter().enumerate() {
            if let Some(reason) = e.problem() {
                return fail(&format!("escalations[{i}]"), reason);
            }
        }
        self.check_revisions()?;
        Ok(self)
    }
}

impl PolicyBuilder {
    /// Which tickets the policy applies to; checked with the start condition.
    pub fn applies_to(mut self, condition: Condition) -> PolicyBuilder {
        self.policy.applies_to = condition;
        self
    }

    /// When the clock pauses.
    pub fn pause(mut self, condition: Condition) -> PolicyBuilder {
        self.policy.pause = condition;
        self
    }

    /// When a paused clock resumes (default: when the pause condition no
    /// longer holds).
    pub fn resume(mut self, condition: Condition) -> PolicyBuilder {
        self.policy.resume = Some(condition);
        self
    }

    /// When a cycle is cancelled.
    pub fn cancel(mut self, cancel: Cancel) -> PolicyBuilder {
        self.policy.cancel = cancel;
        self
    }

    /// When a cycle completes and a new one starts (if the start condition
    /// holds).
    pub fn reset(mut self, condition: Condition) -> PolicyBuilder {
        self.policy.reset = condition;
        self
    }

    /// Whether more than one cycle may start.
    pub fn cycles(mut self, cycles: Cycles) -> PolicyBuilder {
        self.policy.cycles = cycles;
        self
    }

    /// Replaces the target.
    pub fn target(mut self, target: Target) -> PolicyBuilder {
        self.policy.target = target;
        self
    }

    /// Where the clock starts counting.
    pub fn retroactive(mut self, start: RetroactiveStart) -> PolicyBuilder {
        self.policy.retroactive = start;
        self
    }

    /// Whether a retroactive start keeps the pauses of the stretch it
    /// reaches back over.
    pub fn retroactive_pause(mut self, mode: RetroactivePause) -> PolicyBuilder {
        self.policy.retroactive_pause = mode;
        self
    }

    /// What a target change mid-cycle does.
    pub fn on_target_change(mut self, mode: TargetChange) -> PolicyBuilder {
        self.policy.target_change = mode;
        self
    }

    /// Warning thresholds, as percentages of the target (`50`, `75`).
    pub fn warnings(mut self, percentages: impl IntoIterator<Item = Decimal>) -> PolicyBuilder {
        // Trailing zeros dropped, so the scale the arithmetic sees is the
        // one the nine-place check sees (`5.000...0` of 28 digits is 5).
        self.policy.warnings = percentages.into_iter().map(|w| w.normalize()).collect();
        self
    }

    /// Escalation levels, as signed offsets from the due instant (GLPI's
    /// `-1h`, `+10h`, `+3 days`); a bare duration counts in the target's
    /// measure ([`Offset::InMeasure`]).
    pub fn escalations<O: Into<Offset>>(mut self, offsets: impl IntoIterator<Item = O>) -> PolicyBuilder {
        self.policy.escalations = offsets.into_iter().map(Into::into).collect();
        self
    }

    /// When a cycle counts as breached.
    pub fn breach_rule(mut self, rule: BreachRule) -> PolicyBuilder {
        self.policy.breach = rule;
        self
    }

    /// Which convention gives the due instant.
    pub fn due_convention(mut self, convention: Convention) -> PolicyBuilder {
        self.policy.due = convention;
        self
    }

    /// Checks the policy and returns it.
    ///
    /// # Errors
    ///
    /// When the id is empty, a start or stop condition can never hold (or stop always holds), the
    /// pause condition always holds or looks at the event without a resume condition, the target is
    /// invalid (not positive, over 100 years, a value with two amounts), or a warning or escalation
    /// is out of range; the error names the field (`target.amounts[1]`).
    pub fn build(self) -> Result<Policy> {
        self.policy.validate()
    }
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(Policy, serde_form::PolicyForm);

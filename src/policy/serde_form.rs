//! The serde form of policies. Every field but `id`, `name`, `kind`,
//! `start`, `stop` and `target` has the builder's default; the result is
//! validated exactly as [`PolicyBuilder::build`](super::PolicyBuilder::build)
//! does.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{
    Amount, BreachRule, Cancel, Condition, Cycles, Measure, MissingDeadline, Offset, Policy, PolicyKind,
    RetroactivePause, RetroactiveStart, Target, TargetChange, VersionRule,
};
use crate::calendar::Convention;
use crate::event::{Field, PolicyId, Value};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PolicyForm {
    id: PolicyId,
    name: String,
    kind: PolicyKind,
    #[serde(default = "always")]
    applies_to: Condition,
    start: Condition,
    stop: Condition,
    #[serde(default = "never")]
    pause: Condition,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resume: Option<Condition>,
    #[serde(default = "never_cancel")]
    cancel: Cancel,
    #[serde(default = "never")]
    reset: Condition,
    #[serde(default = "once")]
    cycles: Cycles,
    target: Target,
    #[serde(default = "no_retroactive")]
    retroactive: RetroactiveStart,
    #[serde(default)]
    retroactive_pause: RetroactivePause,
    #[serde(default = "keep_clock")]
    on_target_change: TargetChange,
    #[serde(default)]
    warnings: Vec<Decimal>,
    #[serde(default)]
    escalations: Vec<Offset>,
    #[serde(default = "exact")]
    breach_rule: BreachRule,
    #[serde(default = "earliest")]
    due_convention: Convention,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    revisions: Vec<RevisionForm>,
    #[serde(default, skip_serializing_if = "is_default")]
    version_rule: VersionRule,
}

/// `{"from": "2025-07-01T00:00:00Z", "policy": {...}}`: a later version,
/// a whole policy in force from an instant.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RevisionForm {
    from: DateTime<Utc>,
    policy: Policy,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

fn always() -> Condition {
    Condition::Always
}
fn never() -> Condition {
    Condition::Never
}
fn never_cancel() -> Cancel {
    Cancel::Never
}
fn once() -> Cycles {
    Cycles::Once
}
fn no_retroactive() -> RetroactiveStart {
    RetroactiveStart::No
}
fn keep_clock() -> TargetChange {
    TargetChange::KeepClock
}
fn exact() -> BreachRule {
    BreachRule::Exact
}
fn earliest() -> Convention {
    Convention::EarliestInstant
}

/// `{"measure": "business_time", "by": "priority", "amounts": {"1": "4h"},
/// "default": "8h"}`.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TargetForm {
    measure: Measure,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    by: Option<Field>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "crate::unique_keys::deserialize"
    )]
    amounts: BTreeMap<Value, Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    default: Option<Amount>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tiers: Vec<TierForm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    until: Option<Field>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    when_missing: Option<MissingDeadline>,
}

/// `{"when": <condition>, "amount": "2h"}`: one tier of a target chosen
/// by ordered conditions.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TierForm {
    when: Condition,
    amount: Amount,
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Amount, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse::<Amount>().map_err(crate::rejected::reject)
    }
}

impl TryFrom<PolicyForm> for Policy {
    type Error = crate::Error;

    fn try_from(form: PolicyForm) -> crate::Result<Policy> {
        let target = form.target;
        let mut builder = Policy::builder(form.id, form.name, form.kind, form.start, form.stop, target)
            .applies_to(form.applies_to)
            .pause(form.pause)
            .cancel(form.cancel)
            .reset(form.reset)
            .cycles(form.cycles)
            .retroactive(form.retroactive)
            .retroactive_pause(form.retroactive_pause)
            .on_target_change(form.on_target_change)
            .warnings(form.warnings)
            .escalations(form.escalations)
            .breach_rule(form.breach_rule)
            .due_convention(form.due_convention)
            .version_rule(form.version_rule);
        if let Some(resume) = form.resume {
            builder = builder.resume(resume);
        }
        for revision in form.revisions {
            builder = builder.revised(revision.from, revision.policy);
        }
        builder.build()
    }
}

impl From<Policy> for PolicyForm {
    fn from(p: Policy) -> PolicyForm {
        PolicyForm {
            id: p.id,
            name: p.name,
            kind: p.kind,
            applies_to: p.applies_to,
            start: p.start,
            stop: p.stop,
            pause: p.pause,
            resume: p.resume,
            cancel: p.cancel,
            reset: p.reset,
            cycles: p.cycles,
            target: p.target,
            retroactive: p.retroactive,
            retroactive_pause: p.retroactive_pause,
            on_target_change: p.target_change,
            warnings: p.warnings,
            escalations: p.escalations,
            breach_rule: p.breach,
            due_convention: p.due,
            revisions: p
                .revisions
                .into_iter()
                .map(|r| RevisionForm {
                    from: r.from,
                    policy: r.policy,
                })
                .collect(),
            version_rule: p.version_rule,
        }
    }
}

impl TryFrom<TargetForm> for Target {
    type Error = crate::Error;

    fn try_from(form: TargetForm) -> crate::Result<Target> {
        if form.until.is_none() && form.when_missing.is_some() {
            return Err(crate::Error::policy(
                "target",
                "target.when_missing",
                "`when_missing` is for a deadline read from a field (`until`)",
            ));
        }
        let until = form.until.map(|field| (field, form.when_missing.unwrap_or_default()));
        let target = Target::from_parts(
            form.measure,
            form.by,
            form.amounts.into_iter().collect(),
            form.default,
            until,
            form.tiers.into_iter().map(|t| (t.when, t.amount)).collect(),
        );
        match target.problem() {
            Some((field, reason)) => Err(crate::Error::policy("target", field, reason)),
            None => Ok(target),
        }
    }
}

impl From<Target> for TargetForm {
    fn from(target: Target) -> TargetForm {
        let deadline = target.deadline_field();
        TargetForm {
            measure: target.measure(),
            by: if deadline.is_some() {
                None
            } else {
                target.field().cloned()
            },
            amounts: target.amounts().iter().cloned().collect(),
            default: target.default_amount(),
            tiers: target
                .tiers()
                .iter()
                .map(|(when, amount)| TierForm {
                    when: when.clone(),
                    amount: *amount,
                })
                .collect(),
            until: deadline.map(|(field, _)| field.clone()),
            when_missing: deadline.map(|(_, missing)| missing),
        }
    }
}

//! Effective-dated versions of a policy: an edit applies from an instant,
//! and each cycle is measured under one version.

use chrono::{DateTime, Utc};

use super::{Policy, PolicyBuilder};
use crate::error::{Error, Result};

/// A later version of a policy, in force from an instant on (until the
/// next revision's). Made by [`PolicyBuilder::revised`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    pub(crate) from: DateTime<Utc>,
    pub(crate) policy: Policy,
}

impl Revision {
    /// The instant from which this version is in force.
    pub fn from(&self) -> DateTime<Utc> {
        self.from
    }

    /// The policy as revised (same id and kind; no revisions of its own).
    pub fn policy(&self) -> &Policy {
        &self.policy
    }
}

/// Which version of a revised policy measures a cycle.
///
/// Either way each version is evaluated over the ticket's whole history as
/// if it had always been in force, and a cycle is kept from the version in
/// force at the instant this rule names; so a cycle is always exactly one
/// version's cycle, explained by that version's conditions. Versions that
/// change when cycles start or stop can therefore leave a gap or an
/// overlap at the change; a policy whose cycles mean something else is
/// best given a new id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum VersionRule {
    /// The version in force when the cycle started. ServiceNow: a task SLA
    /// keeps the definition it was attached under; "changing the SLA
    /// definition or SLA schedule for any task SLA that is still active" is
    /// a reason to repair it (docs, "Repair Service Level Agreement").
    #[default]
    AtCycleStart,
    /// The version in force when the cycle ended, or at `as_of` while it
    /// runs. Jira Service Management: a cycle completed before an edit
    /// keeps its goal ("if the SLA was then changed to a 2h target after
    /// that ticket was closed, it'd still be shown as met", Atlassian KB
    /// "Resolve wrong or missing SLAs"), and ongoing cycles are recalculated
    /// under the current configuration.
    AtCycleEnd,
}

impl Policy {
    /// The later versions, in order of the instant each comes into force
    /// (empty for a policy never revised).
    pub fn revisions(&self) -> &[Revision] {
        &self.revisions
    }

    /// Which version measures a cycle.
    pub fn version_rule(&self) -> VersionRule {
        self.version_rule
    }

    /// Every version: this policy (in force before the first revision),
    /// then each revision's.
    pub(crate) fn versions(&self) -> impl Iterator<Item = &Policy> {
        std::iter::once(self).chain(self.revisions.iter().map(|r| &r.policy))
    }

    /// Checks the revisions: same id and kind, none revised in turn, each
    /// in force strictly after the one before.
    pub(super) fn check_revisions(&self) -> Result<()> {
        let fail = |i: usize, key: &str, reason: String| {
            Err(Error::policy(self.id.as_str(), format!("revisions[{i}].{key}"), reason))
        };
        let mut previous: Option<DateTime<Utc>> = None;
        for (i, revision) in self.revisions.iter().enumerate() {
            let policy = &revision.policy;
            if policy.id != self.id {
                return fail(
                    i,
                    "policy.id",
                    format!("a version of `{}` has the id `{}`", self.id, policy.id),
                );
            }
            if policy.kind != self.kind {
                return fail(i, "policy.kind", "a version cannot change the policy's kind".into());
            }
            if !policy.revisions.is_empty() {
                return fail(i, "policy.revisions", "a version has no revisions of its own".into());
            }
            if let Some(before) = previous
                && revision.from <= before
            {
                return fail(
                    i,
                    "from",
                    format!(
                        "versions conflict: `{}` is not after the previous version's `{}`",
                        revision.from.to_rfc3339(),
                        before.to_rfc3339()
                    ),
                );
            }
            previous = Some(revision.from);
        }
        Ok(())
    }
}

impl PolicyBuilder {
    /// Adds a version in force from `from` on (until a later revision's),
    /// for cycles the [`VersionRule`] gives it. Revisions must come in
    /// order of their instants and keep the id and kind; the policy being
    /// built is the version in force before the first.
    pub fn revised(mut self, from: DateTime<Utc>, policy: Policy) -> PolicyBuilder {
        self.policy.revisions.push(Revision {
            from: crate::interval::without_leap_second(from),
            policy,
        });
        self
    }

    /// Which version measures a cycle ([`VersionRule::AtCycleStart`] by
    /// default).
    pub fn version_rule(mut self, rule: VersionRule) -> PolicyBuilder {
        self.policy.version_rule = rule;
        self
    }
}

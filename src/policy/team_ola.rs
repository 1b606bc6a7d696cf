//! One OLA for every assignment group at once.

use crate::error::{Error, Result};
use crate::event::{Field, Value};

use super::{Condition, Cycles, Lifecycle, Policy, PolicyKind, Target};

/// An OLA for every assignment group at once: while a ticket sits with a
/// group (the `field` holds its name) and is not `finished`, a cycle runs
/// for that group; it stops when the ticket leaves the group or finishes,
/// pauses while `pause` holds, and a new one starts on each return (one
/// cycle per stint). For each group it is exactly
/// [`presets::assignment_group_ola`](crate::policy::presets::assignment_group_ola)
/// with these conditions, so every stint has the SLA clock's explanation.
/// The target may depend on the group (`Target::business_by(field, ...)`) or on any
/// other field, such as the priority.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(into = "TeamOlaForm"))]
pub struct TeamOla {
    field: Field,
    target: Target,
    finished: Condition,
    pause: Condition,
}

#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[derive(Clone)]
struct TeamOlaForm {
    field: Field,
    target: Target,
    finished: Condition,
    #[cfg_attr(feature = "serde", serde(default = "never"))]
    pause: Condition,
}

#[cfg(feature = "serde")]
fn never() -> Condition {
    Condition::Never
}

impl TryFrom<TeamOlaForm> for TeamOla {
    type Error = Error;

    fn try_from(form: TeamOlaForm) -> Result<TeamOla> {
        let ola = TeamOla {
            field: form.field,
            target: form.target,
            finished: form.finished,
            pause: form.pause,
        };
        // One policy built now proves every group's will build.
        ola.policy_for(&Value::new("any group"))?;
        Ok(ola)
    }
}

impl From<TeamOla> for TeamOlaForm {
    fn from(ola: TeamOla) -> TeamOlaForm {
        TeamOlaForm {
            field: ola.field,
            target: ola.target,
            finished: ola.finished,
            pause: ola.pause,
        }
    }
}

impl TeamOla {
    /// The OLA of every group in the lifecycle's assignment-group field: a
    /// stint ends when the ticket leaves the group or reaches a finishing
    /// status of the lifecycle, and the clock is paused while the ticket
    /// is in one of its waiting statuses. An error when the lifecycle
    /// names no assignment-group field.
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use servicelevel::policy::{Lifecycle, TeamOla};
    /// use servicelevel::Target;
    ///
    /// let lifecycle = Lifecycle::new("status", ["resolved"], ["closed"])?
    ///     .waiting(["on_hold"])?
    ///     .assignment_group("assignment_group");
    /// let ola = TeamOla::new(&lifecycle, Target::business(TimeDelta::hours(4)))?;
    /// assert_eq!(ola.field().as_str(), "assignment_group");
    /// assert_eq!(ola.policy_for(&"Network".into())?.id().as_str(), "ola-Network");
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// When the lifecycle names no assignment-group field, or the target is invalid.
    pub fn new(lifecycle: &Lifecycle, target: Target) -> Result<TeamOla> {
        let field = lifecycle.group().cloned().ok_or_else(|| {
            Error::catalog(
                "lifecycle.assignment_group",
                lifecycle.status(),
                "a team OLA needs the lifecycle's assignment-group field",
            )
        })?;
        TeamOla::with_conditions(field, target, lifecycle.finished(), lifecycle.waiting_condition())
    }

    /// An OLA on the group named by `field` with conditions of its own
    /// (advanced: [`TeamOla::new`] takes them from the lifecycle, so they
    /// agree with the report's): a stint ends when `finished` holds, and
    /// the clock is paused while `pause` holds.
    ///
    /// # Errors
    ///
    /// When the conditions or the target cannot make a policy (see
    /// [`PolicyBuilder::build`](super::PolicyBuilder::build)).
    pub fn with_conditions(
        field: impl Into<Field>,
        target: Target,
        finished: Condition,
        pause: Condition,
    ) -> Result<TeamOla> {
        TeamOla::try_from(TeamOlaForm {
            field: field.into(),
            target,
            finished,
            pause,
        })
    }

    /// The field naming the group.
    pub fn field(&self) -> &Field {
        &self.field
    }

    /// The target of each stint.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The policy for one group: id `ola-<group>`.
    ///
    /// # Errors
    ///
    /// As [`TeamOla::with_conditions`]; the OLA was checked when made, so only for a group name
    /// that makes an empty id.
    pub fn policy_for(&self, group: &Value) -> Result<Policy> {
        let with_group = Condition::Equals(self.field.clone(), group.clone());
        Policy::builder(
            format!("ola-{group}"),
            format!("OLA for {group}"),
            PolicyKind::Ola,
            Condition::All(vec![with_group.clone(), Condition::not(self.finished.clone())]),
            Condition::Any(vec![Condition::not(with_group), self.finished.clone()]),
            self.target.clone(),
        )
        .pause(self.pause.clone())
        .cycles(Cycles::Repeat)
        .build()
    }
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(TeamOla, TeamOlaForm);

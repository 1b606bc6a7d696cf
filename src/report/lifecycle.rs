//! How a source system's tickets live: which status values mean resolved
//! or closed, and which field names the assignment group.

use crate::error::{Error, Result};
use crate::event::{Field, Value};
use crate::policy::Condition;

/// The lifecycle vocabulary a report needs beyond the policies: the
/// status field, the values that finish a ticket (resolved, closed), and
/// the field holding the assignment group.
///
/// A ticket is *open* while its status is none of the finishing values
/// (backlog); moving from a finishing value back to any other is a
/// *reopen*; moving into one from any other is a *resolution*; a change of
/// the group field from one group to another (not its first setting) is a
/// *reassignment*.
///
/// ```
/// use servicelevel::report::Lifecycle;
/// let lifecycle = Lifecycle::new("status", ["resolved"], ["closed"])?.assignment_group("group");
/// assert!(Lifecycle::new("status", ["closed"], ["closed"]).is_err());
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "LifecycleForm", into = "LifecycleForm"))]
pub struct Lifecycle {
    status: Field,
    resolved: Vec<Value>,
    closed: Vec<Value>,
    group: Option<Field>,
}

#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[derive(Clone)]
struct LifecycleForm {
    status: Field,
    resolved: Vec<Value>,
    #[cfg_attr(feature = "serde", serde(default))]
    closed: Vec<Value>,
    #[cfg_attr(feature = "serde", serde(default))]
    assignment_group: Option<Field>,
}

impl TryFrom<LifecycleForm> for Lifecycle {
    type Error = Error;

    fn try_from(form: LifecycleForm) -> Result<Lifecycle> {
        if form.resolved.is_empty() && form.closed.is_empty() {
            return Err(Error::catalog(
                "lifecycle.resolved",
                "[]",
                "name at least one status that finishes a ticket",
            ));
        }
        if let Some(both) = form.resolved.iter().find(|v| form.closed.contains(v)) {
            return Err(Error::catalog(
                "lifecycle.closed",
                both,
                "a status cannot be both resolved and closed",
            ));
        }
        Ok(Lifecycle {
            status: form.status,
            resolved: form.resolved,
            closed: form.closed,
            group: form.assignment_group,
        })
    }
}

impl From<Lifecycle> for LifecycleForm {
    fn from(l: Lifecycle) -> LifecycleForm {
        LifecycleForm {
            status: l.status,
            resolved: l.resolved,
            closed: l.closed,
            assignment_group: l.group,
        }
    }
}

impl Lifecycle {
    /// A lifecycle on the `status` field with its resolved and closed
    /// values. An error when none is given or one is in both lists.
    pub fn new<R: Into<Value>, C: Into<Value>>(
        status: impl Into<Field>,
        resolved: impl IntoIterator<Item = R>,
        closed: impl IntoIterator<Item = C>,
    ) -> Result<Lifecycle> {
        Lifecycle::try_from(LifecycleForm {
            status: status.into(),
            resolved: resolved.into_iter().map(Into::into).collect(),
            closed: closed.into_iter().map(Into::into).collect(),
            assignment_group: None,
        })
    }

    /// Names the field that holds the assignment group.
    pub fn assignment_group(mut self, field: impl Into<Field>) -> Lifecycle {
        self.group = Some(field.into());
        self
    }

    /// The status field.
    pub fn status(&self) -> &Field {
        &self.status
    }

    /// The assignment group field, if any.
    pub fn group(&self) -> Option<&Field> {
        self.group.as_ref()
    }

    /// True for a status that finishes a ticket.
    pub fn finishes(&self, status: Option<&Value>) -> bool {
        status.is_some_and(|s| self.resolved.contains(s) || self.closed.contains(s))
    }

    /// The condition "the ticket is resolved or closed", for policies.
    pub fn finished(&self) -> Condition {
        Condition::In(
            self.status.clone(),
            self.resolved.iter().chain(&self.closed).cloned().collect(),
        )
    }
}

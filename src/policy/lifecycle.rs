//! How a source system's tickets live: which status values mean resolved
//! or closed, and which field names the assignment group.

use super::Condition;
use crate::error::{Error, Result};
use crate::event::{Field, Value};

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
/// Statuses in which the ticket waits on someone else (on hold, pending
/// the customer) are its *waiting* statuses: team OLAs built from the
/// lifecycle ([`TeamOla::new`](super::TeamOla::new)) pause in them.
///
/// ```
/// use servicelevel::policy::Lifecycle;
/// let lifecycle = Lifecycle::new("status", ["resolved"], ["closed"])?
///     .waiting(["on_hold"])?
///     .assignment_group("group");
/// assert!(Lifecycle::new("status", ["resolved"], ["closed"])?.waiting(["closed"]).is_err());
/// assert!(lifecycle.finishes(Some(&"closed".into())));
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
    waiting: Vec<Value>,
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
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    waiting: Vec<Value>,
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
        if let Some(both) = form
            .waiting
            .iter()
            .find(|v| form.resolved.contains(v) || form.closed.contains(v))
        {
            return Err(Error::catalog(
                "lifecycle.waiting",
                both,
                "a waiting status cannot also finish a ticket",
            ));
        }
        Ok(Lifecycle {
            status: form.status,
            resolved: form.resolved,
            closed: form.closed,
            waiting: form.waiting,
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
            waiting: l.waiting,
            assignment_group: l.group,
        }
    }
}

impl Lifecycle {
    /// A lifecycle on the `status` field with its resolved and closed
    /// values. An error when none is given or one is in both lists.
    ///
    /// # Errors
    ///
    /// When no finishing status is given, or a status is both resolved and closed.
    pub fn new<R: Into<Value>, C: Into<Value>>(
        status: impl Into<Field>,
        resolved: impl IntoIterator<Item = R>,
        closed: impl IntoIterator<Item = C>,
    ) -> Result<Lifecycle> {
        Lifecycle::try_from(LifecycleForm {
            status: status.into(),
            resolved: resolved.into_iter().map(Into::into).collect(),
            closed: closed.into_iter().map(Into::into).collect(),
            waiting: Vec::new(),
            assignment_group: None,
        })
    }

    /// Names the statuses in which the ticket waits on someone else (on
    /// hold, pending the customer). An error when one of them also
    /// finishes a ticket.
    ///
    /// # Errors
    ///
    /// When a waiting status also finishes a ticket.
    pub fn waiting<W: Into<Value>>(self, statuses: impl IntoIterator<Item = W>) -> Result<Lifecycle> {
        let mut form = LifecycleForm::from(self);
        form.waiting = statuses.into_iter().map(Into::into).collect();
        Lifecycle::try_from(form)
    }

    /// The waiting statuses.
    pub fn waiting_statuses(&self) -> &[Value] {
        &self.waiting
    }

    /// The condition "the ticket is in a waiting status" ([`Condition::Never`]
    /// when there is none), for pauses.
    pub fn waiting_condition(&self) -> Condition {
        if self.waiting.is_empty() {
            Condition::Never
        } else {
            Condition::In(self.status.clone(), self.waiting.clone())
        }
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

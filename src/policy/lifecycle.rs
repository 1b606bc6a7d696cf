//! How a source system's tickets live: which status values mean what, and
//! which fields name the assignment group and the assignee. Written once,
//! and read by the presets, the team OLAs and the report.

use crate::error::{Error, Result};
use crate::event::{Field, Value};

use super::Condition;

/// The vocabulary of a ticket's life: the status field and the role of
/// each status value, and the fields holding the assignment group and the
/// assignee.
///
/// The roles:
///
/// - *initial* statuses: nobody has taken the ticket yet (`new`); a
///   response clock stops when the ticket leaves them;
/// - *waiting* statuses: the ticket waits on the customer (`pending`);
/// - *on hold* statuses: the ticket waits on someone else, a supplier or a
///   change (`on_hold`, Zendesk's `on-hold`);
/// - *resolved* and *closed* statuses finish a ticket, and so do
///   *cancelled* ones (a cancelled ticket is neither met nor breached).
///
/// A ticket is *open* while its status finishes nothing (backlog); moving
/// from a finishing status back to any other is a *reopen*; moving into one
/// from any other is a *resolution*; a change of the group field from one
/// group to another (not its first setting) is a *reassignment*.
///
/// The presets ([`presets`](super::presets)) and team OLAs
/// ([`TeamOla::new`](super::TeamOla::new)) take their conditions from the
/// lifecycle, so "which statuses finish a ticket" is written in one place
/// and the report's backlog, the SLA clocks and the OLAs agree. Each tool's
/// own status vocabulary is a constructor: [`Lifecycle::servicenow`],
/// [`Lifecycle::jira`], [`Lifecycle::zendesk`], [`Lifecycle::zammad`],
/// [`Lifecycle::glpi`], [`Lifecycle::request_tracker`], [`Lifecycle::znuny`],
/// [`Lifecycle::freshservice`], [`Lifecycle::itop`]; their fields are the crate's common names
/// (`status`, `assignment_group`, `assignee`).
///
/// ```
/// use servicelevel::policy::{Lifecycle, Role};
/// let lifecycle = Lifecycle::new("status", ["resolved"], ["closed"])?
///     .initial(["new"])?
///     .on_hold(["on_hold"])?
///     .cancelled(["canceled"])?
///     .assignment_group("group")
///     .assignee("assignee");
/// assert!(lifecycle.finishes(Some(&"canceled".into())));
/// assert_eq!(lifecycle, Lifecycle::servicenow().assignment_group("group"));
/// // The vendor vocabularies are the presets' defaults.
/// assert_eq!(Lifecycle::zendesk().statuses(Role::OnHold), ["on-hold".into()] as [servicelevel::names::Value; 1]);
/// // A status has one role.
/// assert!(Lifecycle::new("status", ["resolved"], ["closed"])?.waiting(["closed"]).is_err());
/// assert!(Lifecycle::new("status", ["closed"], ["closed"]).is_err());
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(into = "LifecycleForm"))]
pub struct Lifecycle {
    status: Field,
    initial: Vec<Value>,
    waiting: Vec<Value>,
    on_hold: Vec<Value>,
    resolved: Vec<Value>,
    closed: Vec<Value>,
    cancelled: Vec<Value>,
    group: Option<Field>,
    assignee: Option<Field>,
}

/// The serde form: `{"status": "status", "resolved": ["resolved"],
/// "closed": ["closed"], "initial": ["new"], "waiting": [], "on_hold":
/// ["on_hold"], "cancelled": ["canceled"], "assignment_group":
/// "assignment_group", "assignee": "assignee"}`; all but `status` and
/// `resolved` optional.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[derive(Clone)]
struct LifecycleForm {
    status: Field,
    resolved: Vec<Value>,
    #[cfg_attr(feature = "serde", serde(default))]
    closed: Vec<Value>,
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    initial: Vec<Value>,
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    waiting: Vec<Value>,
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    on_hold: Vec<Value>,
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    cancelled: Vec<Value>,
    #[cfg_attr(feature = "serde", serde(default))]
    assignment_group: Option<Field>,
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    assignee: Option<Field>,
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
        let roles: [(&str, &[Value]); 6] = [
            ("resolved", &form.resolved),
            ("closed", &form.closed),
            ("cancelled", &form.cancelled),
            ("initial", &form.initial),
            ("waiting", &form.waiting),
            ("on_hold", &form.on_hold),
        ];
        for (i, (role, values)) in roles.iter().enumerate() {
            for value in values.iter() {
                if let Some((other, _)) = roles[..i].iter().find(|(_, earlier)| earlier.contains(value)) {
                    return Err(Error::catalog(
                        format!("lifecycle.{role}"),
                        value,
                        format!("the status is already `{other}`: a status has one role"),
                    ));
                }
            }
        }
        Ok(Lifecycle {
            status: form.status,
            initial: form.initial,
            waiting: form.waiting,
            on_hold: form.on_hold,
            resolved: form.resolved,
            closed: form.closed,
            cancelled: form.cancelled,
            group: form.assignment_group,
            assignee: form.assignee,
        })
    }
}

impl From<Lifecycle> for LifecycleForm {
    fn from(l: Lifecycle) -> LifecycleForm {
        LifecycleForm {
            status: l.status,
            resolved: l.resolved,
            closed: l.closed,
            initial: l.initial,
            waiting: l.waiting,
            on_hold: l.on_hold,
            cancelled: l.cancelled,
            assignment_group: l.group,
            assignee: l.assignee,
        }
    }
}

fn values<V: Into<Value>>(statuses: impl IntoIterator<Item = V>) -> Vec<Value> {
    statuses.into_iter().map(Into::into).collect()
}

/// A vendor vocabulary, known to be valid.
fn vendor(status: &str, roles: [&[&str]; 6], group: Option<&str>, assignee: Option<&str>) -> Lifecycle {
    let [initial, waiting, on_hold, resolved, closed, cancelled] = roles.map(|r| values(r.iter().copied()));
    Lifecycle {
        status: Field::new(status),
        initial,
        waiting,
        on_hold,
        resolved,
        closed,
        cancelled,
        group: group.map(Field::new),
        assignee: assignee.map(Field::new),
    }
}

impl Lifecycle {
    /// A lifecycle on the `status` field with its resolved and closed
    /// values, and no other roles yet.
    ///
    /// # Errors
    ///
    /// When no finishing status is given, or a status is both resolved and
    /// closed.
    pub fn new<R: Into<Value>, C: Into<Value>>(
        status: impl Into<Field>,
        resolved: impl IntoIterator<Item = R>,
        closed: impl IntoIterator<Item = C>,
    ) -> Result<Lifecycle> {
        Lifecycle::try_from(LifecycleForm {
            status: status.into(),
            resolved: values(resolved),
            closed: values(closed),
            initial: Vec::new(),
            waiting: Vec::new(),
            on_hold: Vec::new(),
            cancelled: Vec::new(),
            assignment_group: None,
            assignee: None,
        })
    }

    /// ServiceNow incidents: `new` is initial; `on_hold` is on hold;
    /// `resolved`, `closed` finish, `canceled` cancels; the group is
    /// `assignment_group`, the assignee `assignee`. Source: ServiceNow docs,
    /// "Incident states" (the `incident_state` choices).
    pub fn servicenow() -> Lifecycle {
        let roles: [&[&str]; 6] = [&["new"], &[], &["on_hold"], &["resolved"], &["closed"], &["canceled"]];
        vendor("status", roles, Some("assignment_group"), Some("assignee"))
    }

    /// Jira Service Management: `waiting for customer` waits; `resolved`,
    /// `done` and `closed` finish. Source: Atlassian, "Create service level
    /// agreements (SLAs)" (the default SLA conditions).
    pub fn jira() -> Lifecycle {
        let roles: [&[&str]; 6] = [
            &[],
            &["waiting for customer"],
            &[],
            &["resolved", "done"],
            &["closed"],
            &[],
        ];
        vendor("status", roles, Some("assignment_group"), Some("assignee"))
    }

    /// Zendesk: `new` is initial; `pending` waits on the requester,
    /// `on-hold` on a third party; `solved` resolves, `closed` closes.
    /// Source: Zendesk, "About ticket statuses".
    pub fn zendesk() -> Lifecycle {
        let roles: [&[&str]; 6] = [&["new"], &["pending"], &["on-hold"], &["solved"], &["closed"], &[]];
        vendor("status", roles, Some("assignment_group"), Some("assignee"))
    }

    /// Zammad: `new` is initial; `pending reminder` and `pending close`
    /// wait; `closed` closes. Source: Zammad admin docs, "Ticket states".
    pub fn zammad() -> Lifecycle {
        let roles: [&[&str]; 6] = [
            &["new"],
            &["pending reminder", "pending close"],
            &[],
            &[],
            &["closed"],
            &[],
        ];
        vendor("status", roles, Some("assignment_group"), Some("assignee"))
    }

    /// GLPI: `new` is initial; `waiting` waits; `solved` resolves, `closed`
    /// closes; the technician is `assignee`. Source: GLPI `CommonITILObject`
    /// statuses.
    pub fn glpi() -> Lifecycle {
        let roles: [&[&str]; 6] = [&["new"], &["waiting"], &[], &["solved"], &["closed"], &[]];
        vendor("status", roles, Some("assignment_group"), Some("assignee"))
    }

    /// Request Tracker's default lifecycle: `new` is initial; `stalled` is
    /// on hold; `resolved` resolves; `rejected` and `deleted` cancel; the
    /// owner is `owner`, the team is the `queue`. Source: RT's
    /// `etc/RT_Config.pm` (`%Lifecycles`, `default`: active `new`, `open`,
    /// `stalled`; inactive `resolved`, `rejected`, `deleted`).
    pub fn request_tracker() -> Lifecycle {
        let roles: [&[&str]; 6] = [
            &["new"],
            &[],
            &["stalled"],
            &["resolved"],
            &[],
            &["rejected", "deleted"],
        ];
        vendor("status", roles, Some("queue"), Some("owner"))
    }

    /// Freshservice: `open` is where a ticket starts; `pending` is the status
    /// with its SLA timer off out of the box; `resolved` resolves, `closed`
    /// closes; the team is `group`, the agent `agent`. Source: Freshservice
    /// ticket statuses (Admin > Field manager > Status, "SLA timer").
    pub fn freshservice() -> Lifecycle {
        let roles: [&[&str]; 6] = [&["open"], &["pending"], &[], &["resolved"], &["closed"], &[]];
        vendor("status", roles, Some("group"), Some("agent"))
    }

    /// Znuny and OTRS: `new` is initial; `pending reminder`, `pending auto
    /// close+` and `pending auto close-` wait (the default
    /// `EscalationSuspendStates`); `closed successful` and `closed
    /// unsuccessful` close; `merged` and `removed` cancel; the owner is
    /// `owner`, the team is the `queue`. Source: Znuny's default ticket
    /// states and its `EscalationSuspendStates` setting.
    pub fn znuny() -> Lifecycle {
        let roles: [&[&str]; 6] = [
            &["new"],
            &["pending reminder", "pending auto close+", "pending auto close-"],
            &[],
            &[],
            &["closed successful", "closed unsuccessful"],
            &["merged", "removed"],
        ];
        vendor("status", roles, Some("queue"), Some("owner"))
    }

    /// iTop user requests: `new`, `escalated_tto` and `approved` are
    /// initial (not yet assigned); `pending` waits on the caller;
    /// `waiting_for_approval` and `rejected` wait on an approver (on hold);
    /// `resolved` resolves, `closed` closes; the team is `team`, the agent
    /// `agent`. `escalated_ttr` is an ordinary open status. Source: iTop's
    /// `itop-request-mgmt-itil` data model (the `UserRequest` lifecycle and
    /// the states of its `tto` and `ttr` stopwatches).
    pub fn itop() -> Lifecycle {
        let roles: [&[&str]; 6] = [
            &["new", "escalated_tto", "approved"],
            &["pending"],
            &["waiting_for_approval", "rejected"],
            &["resolved"],
            &["closed"],
            &[],
        ];
        vendor("status", roles, Some("team"), Some("agent"))
    }

    /// Names the statuses in which nobody has taken the ticket yet.
    ///
    /// # Errors
    ///
    /// When one of them already has another role.
    pub fn initial<V: Into<Value>>(self, statuses: impl IntoIterator<Item = V>) -> Result<Lifecycle> {
        self.with_role(Role::Initial, values(statuses))
    }

    /// Names the statuses in which the ticket waits on the customer.
    ///
    /// # Errors
    ///
    /// When one of them already has another role.
    pub fn waiting<V: Into<Value>>(self, statuses: impl IntoIterator<Item = V>) -> Result<Lifecycle> {
        self.with_role(Role::Waiting, values(statuses))
    }

    /// Names the statuses in which the ticket waits on someone else (a
    /// supplier, a change, a third party).
    ///
    /// # Errors
    ///
    /// When one of them already has another role.
    pub fn on_hold<V: Into<Value>>(self, statuses: impl IntoIterator<Item = V>) -> Result<Lifecycle> {
        self.with_role(Role::OnHold, values(statuses))
    }

    /// Names the statuses that cancel a ticket (they finish it too).
    ///
    /// # Errors
    ///
    /// When one of them already has another role.
    pub fn cancelled<V: Into<Value>>(self, statuses: impl IntoIterator<Item = V>) -> Result<Lifecycle> {
        self.with_role(Role::Cancelled, values(statuses))
    }

    /// This lifecycle with `statuses` in `role`, checked as a whole.
    fn with_role(self, role: Role, statuses: Vec<Value>) -> Result<Lifecycle> {
        let mut form = LifecycleForm::from(self);
        let slot = match role {
            Role::Initial => &mut form.initial,
            Role::Waiting => &mut form.waiting,
            Role::OnHold => &mut form.on_hold,
            Role::Resolved => &mut form.resolved,
            Role::Closed => &mut form.closed,
            Role::Cancelled => &mut form.cancelled,
        };
        *slot = statuses;
        Lifecycle::try_from(form)
    }

    /// Names the field that holds the assignment group.
    pub fn assignment_group(mut self, field: impl Into<Field>) -> Lifecycle {
        self.group = Some(field.into());
        self
    }

    /// Names the field that holds the assignee (the person who took the
    /// ticket).
    pub fn assignee(mut self, field: impl Into<Field>) -> Lifecycle {
        self.assignee = Some(field.into());
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

    /// The assignee field, if any.
    pub fn assignee_field(&self) -> Option<&Field> {
        self.assignee.as_ref()
    }

    /// The statuses of one role: `initial`, `waiting`, `on_hold`,
    /// `resolved`, `closed`, `cancelled`.
    pub fn statuses(&self, role: Role) -> &[Value] {
        match role {
            Role::Initial => &self.initial,
            Role::Waiting => &self.waiting,
            Role::OnHold => &self.on_hold,
            Role::Resolved => &self.resolved,
            Role::Closed => &self.closed,
            Role::Cancelled => &self.cancelled,
        }
    }

    /// True for a status that finishes a ticket (resolved, closed or
    /// cancelled).
    pub fn finishes(&self, status: Option<&Value>) -> bool {
        status.is_some_and(|s| self.resolved.contains(s) || self.closed.contains(s) || self.cancelled.contains(s))
    }

    /// The condition "the ticket is resolved, closed or cancelled".
    pub fn finished(&self) -> Condition {
        self.status_in(&[Role::Resolved, Role::Closed, Role::Cancelled])
    }

    /// The condition "the ticket waits, on the customer or on hold"
    /// ([`Condition::Never`] when there is no such status), for pauses.
    pub fn waiting_condition(&self) -> Condition {
        match self.status_in(&[Role::Waiting, Role::OnHold]) {
            Condition::In(_, values) if values.is_empty() => Condition::Never,
            condition => condition,
        }
    }

    /// The condition "the status has one of these roles" (in the order
    /// given); it never holds when the roles name no status.
    pub fn status_in(&self, roles: &[Role]) -> Condition {
        let statuses = roles.iter().flat_map(|r| self.statuses(*r)).cloned().collect();
        Condition::In(self.status.clone(), statuses)
    }
}

/// The role of a status in a [`Lifecycle`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Role {
    /// Nobody has taken the ticket yet.
    Initial,
    /// The ticket waits on the customer.
    Waiting,
    /// The ticket waits on someone else.
    OnHold,
    /// Resolved: finishes the ticket.
    Resolved,
    /// Closed: finishes the ticket.
    Closed,
    /// Cancelled: finishes the ticket, neither met nor breached.
    Cancelled,
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(Lifecycle, LifecycleForm);

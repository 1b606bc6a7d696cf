//! Policies that reproduce what other tools do, each with the vocabulary
//! (field names, status values, action names) it expects in events.
//!
//! Every preset takes its [`Target`] and returns a checked [`Policy`];
//! change anything else with [`Policy::to_builder`]. Common vocabulary:
//! fields `status`, `priority`, `assignee`, `assignment_group`; actions
//! [`AGENT_REPLY`] (a public reply by an agent), [`CUSTOMER_REPLY`] and
//! [`INTERNAL_NOTE`].

use crate::error::Result;

use super::{Cancel, Condition, Cycles, Policy, PolicyKind, RetroactiveStart, Target, TargetChange};

/// A public reply by an agent.
pub const AGENT_REPLY: &str = "agent_reply";
/// A public reply by the customer (requester).
pub const CUSTOMER_REPLY: &str = "customer_reply";
/// A note only agents see.
pub const INTERNAL_NOTE: &str = "internal_note";

fn status_in(values: &[&str]) -> Condition {
    Condition::is_in("status", values.iter().copied())
}

/// ServiceNow incident response: starts at creation, stops when the
/// incident is assigned or leaves `new`; cancelled when the incident is
/// `canceled`. ServiceNow states: `new`, `in_progress`, `on_hold`,
/// `resolved`, `closed`, `canceled`. A priority change restarts from
/// creation (the new priority's SLA attaches with retroactive start).
/// Source: ServiceNow docs, "SLA definitions" and the OOTB incident SLAs.
///
/// # Errors
///
/// When the target is invalid (not positive, over 100 years, a value with two amounts), as
/// [`PolicyBuilder::build`](super::PolicyBuilder::build) reports it.
pub fn servicenow_response(target: Target) -> Result<Policy> {
    let open = Condition::not(status_in(&["resolved", "closed", "canceled"]));
    Policy::builder(
        "servicenow-response",
        "ServiceNow incident response",
        PolicyKind::Sla,
        open,
        Condition::Any(vec![Condition::is_set("assignee"), Condition::not(status_in(&["new"]))]),
        target,
    )
    .cancel(Cancel::When(Condition::equals("status", "canceled")))
    .on_target_change(TargetChange::RestartFromCreation)
    .build()
}

/// ServiceNow incident resolution: runs while the incident is neither
/// resolved, closed nor canceled, counted from creation; paused `on_hold`;
/// stops at `resolved` or `closed`; cancelled at `canceled`; a priority
/// change restarts it from creation. A reopened incident starts a new
/// cycle.
///
/// # Errors
///
/// When the target is invalid (not positive, over 100 years, a value with two amounts), as
/// [`PolicyBuilder::build`](super::PolicyBuilder::build) reports it.
pub fn servicenow_resolution(target: Target) -> Result<Policy> {
    let open = Condition::not(status_in(&["resolved", "closed", "canceled"]));
    Policy::builder(
        "servicenow-resolution",
        "ServiceNow incident resolution",
        PolicyKind::Sla,
        open,
        status_in(&["resolved", "closed"]),
        target,
    )
    .pause(Condition::equals("status", "on_hold"))
    .cancel(Cancel::When(Condition::equals("status", "canceled")))
    .cycles(Cycles::Repeat)
    .retroactive(RetroactiveStart::FromCreation)
    .on_target_change(TargetChange::RestartFromCreation)
    .build()
}

/// Jira Service Management "Time to first response": starts at creation,
/// stops at the first comment for customers ([`AGENT_REPLY`]). Source:
/// Atlassian, "Create service level agreements (SLAs)".
///
/// # Errors
///
/// When the target is invalid (not positive, over 100 years, a value with two amounts), as
/// [`PolicyBuilder::build`](super::PolicyBuilder::build) reports it.
pub fn jira_time_to_first_response(target: Target) -> Result<Policy> {
    Policy::builder(
        "jira-time-to-first-response",
        "Time to first response",
        PolicyKind::Sla,
        Condition::Created,
        Condition::action(AGENT_REPLY),
        target,
    )
    .build()
}

/// Jira Service Management "Time to resolution", multi-cycle: starts at
/// creation and again each time the issue is reopened, stops when it
/// enters `resolved`, `done` or `closed`, pauses in `waiting for customer`.
///
/// # Errors
///
/// When the target is invalid (not positive, over 100 years, a value with two amounts), as
/// [`PolicyBuilder::build`](super::PolicyBuilder::build) reports it.
pub fn jira_time_to_resolution(target: Target) -> Result<Policy> {
    let done = ["resolved", "done", "closed"];
    Policy::builder(
        "jira-time-to-resolution",
        "Time to resolution",
        PolicyKind::Sla,
        Condition::not(status_in(&done)),
        status_in(&done),
        target,
    )
    .pause(Condition::equals("status", "waiting for customer"))
    .cycles(Cycles::Repeat)
    .build()
}

/// Zendesk first reply time: from creation to the first public agent reply.
/// Zendesk statuses: `new`, `open`, `pending`, `on-hold`, `solved`,
/// `closed`. Source: Zendesk, "Defining SLA policies".
///
/// # Errors
///
/// When the target is invalid (not positive, over 100 years, a value with two amounts), as
/// [`PolicyBuilder::build`](super::PolicyBuilder::build) reports it.
pub fn zendesk_first_reply_time(target: Target) -> Result<Policy> {
    Policy::builder(
        "zendesk-first-reply-time",
        "First reply time",
        PolicyKind::Sla,
        Condition::Created,
        Condition::action(AGENT_REPLY),
        target,
    )
    .build()
}

/// Zendesk next reply time: from each customer reply that is not yet
/// answered to the next public agent reply.
///
/// # Errors
///
/// When the target is invalid (not positive, over 100 years, a value with two amounts), as
/// [`PolicyBuilder::build`](super::PolicyBuilder::build) reports it.
pub fn zendesk_next_reply_time(target: Target) -> Result<Policy> {
    Policy::builder(
        "zendesk-next-reply-time",
        "Next reply time",
        PolicyKind::Sla,
        Condition::action(CUSTOMER_REPLY),
        Condition::Any(vec![Condition::action(AGENT_REPLY), status_in(&["solved", "closed"])]),
        target,
    )
    .cycles(Cycles::Repeat)
    .build()
}

/// Zendesk periodic update: from each public agent reply to the next one
/// (a reset at each reply), until the ticket is solved.
///
/// # Errors
///
/// When the target is invalid (not positive, over 100 years, a value with two amounts), as
/// [`PolicyBuilder::build`](super::PolicyBuilder::build) reports it.
pub fn zendesk_periodic_update(target: Target) -> Result<Policy> {
    Policy::builder(
        "zendesk-periodic-update",
        "Periodic update",
        PolicyKind::Sla,
        Condition::action(AGENT_REPLY),
        status_in(&["solved", "closed"]),
        target,
    )
    .reset(Condition::action(AGENT_REPLY))
    .cycles(Cycles::Repeat)
    .build()
}

/// Zendesk requester wait time: the time in `new`, `open` and `on-hold`;
/// paused in `pending` and `solved` (a reopened ticket continues the same
/// clock), stopped at `closed`.
///
/// # Errors
///
/// When the target is invalid (not positive, over 100 years, a value with two amounts), as
/// [`PolicyBuilder::build`](super::PolicyBuilder::build) reports it.
pub fn zendesk_requester_wait_time(target: Target) -> Result<Policy> {
    Policy::builder(
        "zendesk-requester-wait-time",
        "Requester wait time",
        PolicyKind::Sla,
        Condition::Created,
        Condition::equals("status", "closed"),
        target,
    )
    .pause(status_in(&["pending", "solved"]))
    .build()
}

/// Zendesk agent work time: the time in `new` and `open`; paused in
/// `pending`, `on-hold` and `solved`, stopped at `closed`.
///
/// # Errors
///
/// When the target is invalid (not positive, over 100 years, a value with two amounts), as
/// [`PolicyBuilder::build`](super::PolicyBuilder::build) reports it.
pub fn zendesk_agent_work_time(target: Target) -> Result<Policy> {
    Policy::builder(
        "zendesk-agent-work-time",
        "Agent work time",
        PolicyKind::Sla,
        Condition::Created,
        Condition::equals("status", "closed"),
        target,
    )
    .pause(status_in(&["pending", "on-hold", "solved"]))
    .build()
}

/// The Zammad states that suspend escalation (`ignore_escalation`).
const ZAMMAD_SUSPENDED: [&str; 3] = ["pending reminder", "pending close", "closed"];

/// Zammad first response time: from creation to the first agent reply;
/// suspended in the pending states and `closed`. Zammad states: `new`,
/// `open`, `pending reminder`, `pending close`, `closed`. Source: Zammad
/// admin docs, "SLAs", and its escalation tests.
///
/// # Errors
///
/// When the target is invalid (not positive, over 100 years, a value with two amounts), as
/// [`PolicyBuilder::build`](super::PolicyBuilder::build) reports it.
pub fn zammad_first_response(target: Target) -> Result<Policy> {
    Policy::builder(
        "zammad-first-response",
        "First response time",
        PolicyKind::Sla,
        Condition::Created,
        Condition::action(AGENT_REPLY),
        target,
    )
    .pause(status_in(&ZAMMAD_SUSPENDED))
    .build()
}

/// Zammad update time: from the creation and each customer contact to the
/// next agent reply; suspended as first response is.
///
/// # Errors
///
/// When the target is invalid (not positive, over 100 years, a value with two amounts), as
/// [`PolicyBuilder::build`](super::PolicyBuilder::build) reports it.
pub fn zammad_update(target: Target) -> Result<Policy> {
    Policy::builder(
        "zammad-update",
        "Update time",
        PolicyKind::Sla,
        Condition::Any(vec![Condition::Created, Condition::action(CUSTOMER_REPLY)]),
        Condition::action(AGENT_REPLY),
        target,
    )
    .pause(status_in(&ZAMMAD_SUSPENDED[..2]))
    .cycles(Cycles::Repeat)
    .build()
}

/// Zammad solution time: from creation to `closed`; suspended in the
/// pending states.
///
/// # Errors
///
/// When the target is invalid (not positive, over 100 years, a value with two amounts), as
/// [`PolicyBuilder::build`](super::PolicyBuilder::build) reports it.
pub fn zammad_solution(target: Target) -> Result<Policy> {
    Policy::builder(
        "zammad-solution",
        "Solution time",
        PolicyKind::Sla,
        Condition::Created,
        Condition::equals("status", "closed"),
        target,
    )
    .pause(status_in(&ZAMMAD_SUSPENDED[..2]))
    .build()
}

/// GLPI time to own: from creation until a technician is assigned
/// (`assignee` set). The `waiting` status does not pause it. Source: GLPI
/// `Ticket::computeTakeIntoAccountDelayStat` and `SLA` classes.
///
/// # Errors
///
/// When the target is invalid (not positive, over 100 years, a value with two amounts), as
/// [`PolicyBuilder::build`](super::PolicyBuilder::build) reports it.
pub fn glpi_time_to_own(target: Target) -> Result<Policy> {
    Policy::builder(
        "glpi-time-to-own",
        "Time to own",
        PolicyKind::Sla,
        Condition::Created,
        Condition::is_set("assignee"),
        target,
    )
    .build()
}

/// GLPI time to resolve: from creation to `solved` or `closed`; paused in
/// `waiting` (which pauses time to resolve only). GLPI statuses: `new`,
/// `assigned`, `planned`, `waiting`, `solved`, `closed`.
///
/// # Errors
///
/// When the target is invalid (not positive, over 100 years, a value with two amounts), as
/// [`PolicyBuilder::build`](super::PolicyBuilder::build) reports it.
pub fn glpi_time_to_resolve(target: Target) -> Result<Policy> {
    Policy::builder(
        "glpi-time-to-resolve",
        "Time to resolve",
        PolicyKind::Sla,
        Condition::Created,
        status_in(&["solved", "closed"]),
        target,
    )
    .pause(Condition::equals("status", "waiting"))
    .build()
}

/// An OLA that runs while a ticket sits with one assignment group: a cycle
/// for each stint with the group, stopped when the ticket leaves it or is
/// resolved or closed, paused `on_hold`.
///
/// # Errors
///
/// When the target is invalid (not positive, over 100 years, a value with two amounts), as
/// [`PolicyBuilder::build`](super::PolicyBuilder::build) reports it.
pub fn assignment_group_ola(group: &str, target: Target) -> Result<Policy> {
    let with_group = Condition::equals("assignment_group", group);
    let finished = status_in(&["resolved", "closed", "canceled"]);
    Policy::builder(
        format!("ola-{group}"),
        format!("OLA for {group}"),
        PolicyKind::Ola,
        Condition::All(vec![with_group.clone(), Condition::not(finished.clone())]),
        Condition::Any(vec![Condition::not(with_group), finished]),
        target,
    )
    .pause(Condition::equals("status", "on_hold"))
    .cycles(Cycles::Repeat)
    .build()
}

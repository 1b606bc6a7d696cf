//! Policies that reproduce what other tools do.
//!
//! Every preset takes the [`Lifecycle`] whose statuses it reads (which
//! statuses finish a ticket, wait, are initial or cancel: the tool's own
//! vocabulary is [`Lifecycle::servicenow`], [`Lifecycle::jira`], ...) and
//! its [`Target`], and returns a checked [`Policy`]; change anything else
//! with [`Policy::to_builder`]. Presets that stop on actions use the action
//! names [`AGENT_REPLY`] (a public reply by an agent), [`CUSTOMER_REPLY`]
//! and [`INTERNAL_NOTE`]. Where the tool's rule is phrased in its own
//! statuses, the preset's documentation says which role stands for them.
//!
//! ```
//! use chrono::TimeDelta;
//! use servicelevel::policy::{presets, Lifecycle};
//! use servicelevel::Target;
//!
//! let resolution = presets::servicenow_resolution(&Lifecycle::servicenow(), Target::business(TimeDelta::hours(8)))?;
//! assert_eq!(resolution.id().as_str(), "servicenow-resolution");
//! // A response clock needs a way to see the ticket taken.
//! let bare = Lifecycle::new("status", ["resolved"], ["closed"])?;
//! assert!(presets::servicenow_response(&bare, Target::business(TimeDelta::hours(1))).is_err());
//! # Ok::<(), servicelevel::Error>(())
//! ```
//!
//! # Errors
//!
//! Every preset fails as [`PolicyBuilder::build`](super::PolicyBuilder::build)
//! does: an invalid target (not positive, over 100 years, a value with two
//! amounts), or a lifecycle that leaves a condition unable to work (a
//! response preset whose lifecycle names no initial status and no assignee
//! field, so it would stop at once).

use crate::error::{Error, Result};

use super::{
    BreachRule, Cancel, Condition, Cycles, Lifecycle, Policy, PolicyBuilder, PolicyKind, RetroactiveStart, Role,
    Target, TargetChange, TeamOla,
};

/// A public reply by an agent.
pub const AGENT_REPLY: &str = "agent_reply";
/// A public reply by the customer (requester).
pub const CUSTOMER_REPLY: &str = "customer_reply";
/// A note only agents see.
pub const INTERNAL_NOTE: &str = "internal_note";

use Role::{Cancelled, Closed, Initial, OnHold, Resolved, Waiting};

/// Cancelled when the ticket reaches a cancelled status, if the lifecycle
/// has one.
fn cancel_on(lifecycle: &Lifecycle) -> Cancel {
    if lifecycle.statuses(Cancelled).is_empty() {
        Cancel::Never
    } else {
        Cancel::When(lifecycle.status_in(&[Cancelled]))
    }
}

/// The ticket has been taken: an assignee is set, or it left its initial
/// statuses.
fn taken(lifecycle: &Lifecycle, policy: &str) -> Result<Condition> {
    let mut any = Vec::new();
    if let Some(assignee) = lifecycle.assignee_field() {
        any.push(Condition::is_set(assignee.clone()));
    }
    if !lifecycle.statuses(Initial).is_empty() {
        any.push(Condition::not(lifecycle.status_in(&[Initial])));
    }
    if any.is_empty() {
        return Err(Error::policy(
            policy,
            "stop",
            "the lifecycle names no initial status and no assignee field, so the ticket could never be seen taken",
        ));
    }
    Ok(Condition::Any(any))
}

/// ServiceNow incident response: starts at creation, stops when the
/// incident is taken (the lifecycle's assignee set, or its status leaves
/// the initial statuses); cancelled at a cancelled status. A priority
/// change restarts from creation (the new priority's SLA attaches with
/// retroactive start), without retroactive pause; breached when the
/// elapsed percentage rounds to 100.00 ([`BreachRule::RoundedPercentage`],
/// ServiceNow's out-of-the-box rule). Source: ServiceNow docs, "SLA
/// definitions", "Use SLA retroactive pause", "Use exact times in SLA
/// calculations", and the OOTB incident SLAs.
pub fn servicenow_response(lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
    let id = "servicenow-response";
    Policy::builder(
        id,
        "ServiceNow incident response",
        PolicyKind::Sla,
        Condition::not(lifecycle.finished()),
        taken(lifecycle, id)?,
        target,
    )
    .cancel(cancel_on(lifecycle))
    .on_target_change(TargetChange::RestartFromCreation)
    .breach_rule(BreachRule::RoundedPercentage)
    .build()
}

/// ServiceNow incident resolution: runs while the incident is not finished,
/// counted from creation; paused while it waits or is on hold; stops when
/// resolved or closed; cancelled at a cancelled status; a priority change
/// restarts it from creation, without retroactive pause. A reopened
/// incident starts a new cycle. Breached when the elapsed percentage rounds
/// to 100.00 ([`BreachRule::RoundedPercentage`], ServiceNow's out-of-the-box
/// rule; set [`BreachRule::TimeLeft`] for an instance with
/// `com.snc.sla.calculation.use_time_left`).
pub fn servicenow_resolution(lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
    Policy::builder(
        "servicenow-resolution",
        "ServiceNow incident resolution",
        PolicyKind::Sla,
        Condition::not(lifecycle.finished()),
        lifecycle.status_in(&[Resolved, Closed]),
        target,
    )
    .pause(lifecycle.waiting_condition())
    .cancel(cancel_on(lifecycle))
    .cycles(Cycles::Repeat)
    .retroactive(RetroactiveStart::FromCreation)
    .on_target_change(TargetChange::RestartFromCreation)
    .breach_rule(BreachRule::RoundedPercentage)
    .build()
}

/// Jira Service Management "Time to first response": starts at creation,
/// stops at the first comment for customers ([`AGENT_REPLY`]); the
/// lifecycle is not read. Source: Atlassian, "Create service level
/// agreements (SLAs)".
pub fn jira_time_to_first_response(_lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
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
/// creation and again each time the issue is reopened, stops when it is
/// resolved or closed (Jira's `resolved`, `done`, `closed`), pauses while it
/// waits (`waiting for customer`).
pub fn jira_time_to_resolution(lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
    let done = lifecycle.status_in(&[Resolved, Closed]);
    Policy::builder(
        "jira-time-to-resolution",
        "Time to resolution",
        PolicyKind::Sla,
        Condition::not(done.clone()),
        done,
        target,
    )
    .pause(lifecycle.waiting_condition())
    .cycles(Cycles::Repeat)
    .build()
}

/// Zendesk first reply time: from creation to the first public agent
/// reply; the lifecycle is not read. Source: Zendesk, "Defining SLA
/// policies".
pub fn zendesk_first_reply_time(_lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
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
/// answered to the next public agent reply, or until the ticket is
/// resolved or closed (`solved`, `closed`).
pub fn zendesk_next_reply_time(lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
    Policy::builder(
        "zendesk-next-reply-time",
        "Next reply time",
        PolicyKind::Sla,
        Condition::action(CUSTOMER_REPLY),
        Condition::Any(vec![
            Condition::action(AGENT_REPLY),
            lifecycle.status_in(&[Resolved, Closed]),
        ]),
        target,
    )
    .cycles(Cycles::Repeat)
    .build()
}

/// Zendesk periodic update: from each public agent reply to the next one
/// (a reset at each reply), until the ticket is resolved or closed.
pub fn zendesk_periodic_update(lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
    Policy::builder(
        "zendesk-periodic-update",
        "Periodic update",
        PolicyKind::Sla,
        Condition::action(AGENT_REPLY),
        lifecycle.status_in(&[Resolved, Closed]),
        target,
    )
    .reset(Condition::action(AGENT_REPLY))
    .cycles(Cycles::Repeat)
    .build()
}

/// Zendesk requester wait time: the time the requester waits (`new`,
/// `open`, `on-hold`); paused while the ticket waits on the requester
/// (`pending`) or is resolved (`solved`: a reopened ticket continues the
/// same clock), stopped when closed.
pub fn zendesk_requester_wait_time(lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
    Policy::builder(
        "zendesk-requester-wait-time",
        "Requester wait time",
        PolicyKind::Sla,
        Condition::Created,
        lifecycle.status_in(&[Closed]),
        target,
    )
    .pause(lifecycle.status_in(&[Waiting, Resolved]))
    .build()
}

/// Zendesk agent work time: the time in `new` and `open`; paused while the
/// ticket waits (`pending`), is on hold (`on-hold`) or resolved (`solved`),
/// stopped when closed.
pub fn zendesk_agent_work_time(lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
    Policy::builder(
        "zendesk-agent-work-time",
        "Agent work time",
        PolicyKind::Sla,
        Condition::Created,
        lifecycle.status_in(&[Closed]),
        target,
    )
    .pause(lifecycle.status_in(&[Waiting, OnHold, Resolved]))
    .build()
}

/// Zammad first response time: from creation to the first agent reply;
/// suspended while the ticket waits or is on hold (`pending reminder`,
/// `pending close`) and when closed (Zammad's `ignore_escalation` states).
/// Source: Zammad admin docs, "SLAs", and its escalation tests.
pub fn zammad_first_response(lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
    Policy::builder(
        "zammad-first-response",
        "First response time",
        PolicyKind::Sla,
        Condition::Created,
        Condition::action(AGENT_REPLY),
        target,
    )
    .pause(lifecycle.status_in(&[Waiting, OnHold, Closed]))
    .build()
}

/// Zammad update time: from the creation and each customer contact to the
/// next agent reply; suspended while the ticket waits or is on hold.
pub fn zammad_update(lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
    Policy::builder(
        "zammad-update",
        "Update time",
        PolicyKind::Sla,
        Condition::Any(vec![Condition::Created, Condition::action(CUSTOMER_REPLY)]),
        Condition::action(AGENT_REPLY),
        target,
    )
    .pause(lifecycle.status_in(&[Waiting, OnHold]))
    .cycles(Cycles::Repeat)
    .build()
}

/// Zammad solution time: from creation to closed; suspended while the
/// ticket waits or is on hold.
pub fn zammad_solution(lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
    Policy::builder(
        "zammad-solution",
        "Solution time",
        PolicyKind::Sla,
        Condition::Created,
        lifecycle.status_in(&[Closed]),
        target,
    )
    .pause(lifecycle.status_in(&[Waiting, OnHold]))
    .build()
}

/// GLPI time to own: from creation until a technician is assigned (the
/// lifecycle's assignee field set). Waiting does not pause it. Source: GLPI
/// `Ticket::computeTakeIntoAccountDelayStat` and `SLA` classes.
pub fn glpi_time_to_own(lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
    let id = "glpi-time-to-own";
    let Some(assignee) = lifecycle.assignee_field() else {
        return Err(Error::policy(id, "stop", "the lifecycle names no assignee field"));
    };
    Policy::builder(
        id,
        "Time to own",
        PolicyKind::Sla,
        Condition::Created,
        Condition::is_set(assignee.clone()),
        target,
    )
    .build()
}

/// GLPI time to resolve: from creation until resolved or closed (`solved`,
/// `closed`); paused while the ticket waits (`waiting`, which pauses time to
/// resolve only).
pub fn glpi_time_to_resolve(lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
    until_resolved("glpi-time-to-resolve", "Time to resolve", lifecycle, target)
        .pause(lifecycle.waiting_condition())
        .build()
}

/// Request Tracker's `Resolve` deadline (RT's SLA, `%ServiceAgreements`
/// levels): from creation until resolved; a rejected or deleted ticket is
/// cancelled. RT's levels each carry their own business hours
/// (`BusinessHours` per level, a `Timezone` per queue): measure this policy
/// through a [`CalendarRoute`](super::CalendarRoute) by the `sla` (or
/// `queue`) field, which recomputes the deadline under the new level's
/// hours from the start, as `SetSLA` does (RT's `t/sla/business_hours.t`).
///
/// # Errors
///
/// When the lifecycle names no resolved or closed status (the stop
/// condition could never hold).
pub fn request_tracker_resolve(lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
    until_resolved("rt-resolve", "Resolve", lifecycle, target)
        .cancel(Cancel::When(lifecycle.status_in(&[Cancelled])))
        .build()
}

/// Freshservice's resolution due: from creation until resolved or closed,
/// the SLA timer off while the ticket waits (the lifecycle's waiting
/// statuses: `pending` out of the box). Freshservice counts business or
/// calendar hours per policy: the calendar the policy is measured on says
/// which. Its documented example ("if a ticket is due in six hours on a
/// friday evening and if the SLA is in business hours, then you are good
/// to resolve it on Monday") is a scenario file.
///
/// # Errors
///
/// When the lifecycle names no resolved or closed status (the stop
/// condition could never hold).
pub fn freshservice_resolution(lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
    until_resolved("freshservice-resolution", "Resolution due", lifecycle, target)
        .pause(lifecycle.waiting_condition())
        .build()
}

/// Znuny (and OTRS) solution time: from creation until closed, suspended
/// while the ticket is in an escalation suspend state (the lifecycle's
/// waiting statuses: Znuny's `EscalationSuspendStates`, the pending
/// states); merged or removed tickets are cancelled. Tested on the
/// escalation-suspend unit test Znuny GmbH wrote (as shipped by OTOBO):
/// a 24-hour solution time from Tuesday 16:50:08 is due Thursday 18:50:08,
/// and 7 min 9 s pending moves it to 18:57:17.
///
/// # Errors
///
/// When the lifecycle names no closed status (the stop condition could
/// never hold).
pub fn znuny_solution(lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
    until_resolved("znuny-solution", "Solution time", lifecycle, target)
        .pause(lifecycle.waiting_condition())
        .cancel(Cancel::When(lifecycle.status_in(&[Cancelled])))
        .build()
}

/// iTop time to own (the `tto` stopwatch of a user request): counts from
/// creation while the request is not yet assigned (the lifecycle's initial
/// statuses: `new`, `escalated_tto`, `approved`), stands still while it
/// waits for approval or was rejected (on hold), and stops when it leaves
/// those statuses (assigned, or resolved straight away). A warning at 75 %
/// (iTop's yellow highlight); past 100 % iTop escalates the request.
///
/// A priority change recomputes the deadline from the time spent, and one
/// already exceeded stays where it was
/// ([`TargetChange::KeepDeadlineOnceExceeded`]). Source: iTop's
/// `itop-request-mgmt-itil` data model (`tto` stopwatch: states,
/// thresholds 75 and 100) and `core/ormstopwatch.class.inc.php`.
///
/// # Errors
///
/// When the lifecycle names no initial status (the clock would stop at
/// once).
pub fn itop_time_to_own(lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
    let id = "itop-tto";
    if lifecycle.statuses(Initial).is_empty() {
        return Err(Error::policy(
            id,
            "stop",
            "the lifecycle names no initial status, so the request would be owned at once",
        ));
    }
    Policy::builder(
        id,
        "Time to own",
        PolicyKind::Sla,
        Condition::Created,
        Condition::not(lifecycle.status_in(&[Initial, OnHold])),
        target,
    )
    .pause(lifecycle.status_in(&[OnHold]))
    .on_target_change(TargetChange::KeepDeadlineOnceExceeded)
    .warnings([rust_decimal::Decimal::from(75)])
    .build()
}

/// iTop time to resolve (the `ttr` stopwatch): counts from creation while
/// the request is open, stands still while it waits (pending, waiting for
/// approval, rejected) and while it is resolved, and stops when it is
/// closed. iTop's stopwatch goes on from where it stood when a resolved
/// request is reopened, so a reopen continues the same cycle rather than
/// starting a new one, and a resolved request's cycle is paused, its
/// verdict final only at closure. A warning at 75 %; a priority change
/// keeps a deadline already exceeded
/// ([`TargetChange::KeepDeadlineOnceExceeded`]). Source: iTop's
/// `itop-request-mgmt-itil` data model (`ttr` stopwatch) and
/// `core/ormstopwatch.class.inc.php` (`Start`: "start or continue").
///
/// # Errors
///
/// When the lifecycle names no closed status (the stop condition could
/// never hold).
pub fn itop_time_to_resolve(lifecycle: &Lifecycle, target: Target) -> Result<Policy> {
    let id = "itop-ttr";
    if lifecycle.statuses(Closed).is_empty() {
        return Err(Error::policy(id, "stop", "the lifecycle names no closed status"));
    }
    Policy::builder(
        id,
        "Time to resolve",
        PolicyKind::Sla,
        Condition::Created,
        lifecycle.status_in(&[Closed]),
        target,
    )
    .pause(lifecycle.status_in(&[Waiting, OnHold, Resolved]))
    .on_target_change(TargetChange::KeepDeadlineOnceExceeded)
    .warnings([rust_decimal::Decimal::from(75)])
    .build()
}

/// A preset and the vendor lifecycle it reads by default.
type Named = (
    &'static str,
    fn(&Lifecycle, Target) -> Result<Policy>,
    fn() -> Lifecycle,
);

/// Every preset by its function's name, with its vendor's lifecycle.
const NAMED: &[Named] = &[
    ("servicenow_response", servicenow_response, Lifecycle::servicenow),
    ("servicenow_resolution", servicenow_resolution, Lifecycle::servicenow),
    (
        "jira_time_to_first_response",
        jira_time_to_first_response,
        Lifecycle::jira,
    ),
    ("jira_time_to_resolution", jira_time_to_resolution, Lifecycle::jira),
    ("zendesk_first_reply_time", zendesk_first_reply_time, Lifecycle::zendesk),
    ("zendesk_next_reply_time", zendesk_next_reply_time, Lifecycle::zendesk),
    ("zendesk_periodic_update", zendesk_periodic_update, Lifecycle::zendesk),
    (
        "zendesk_requester_wait_time",
        zendesk_requester_wait_time,
        Lifecycle::zendesk,
    ),
    ("zendesk_agent_work_time", zendesk_agent_work_time, Lifecycle::zendesk),
    ("zammad_first_response", zammad_first_response, Lifecycle::zammad),
    ("zammad_update", zammad_update, Lifecycle::zammad),
    ("zammad_solution", zammad_solution, Lifecycle::zammad),
    ("glpi_time_to_own", glpi_time_to_own, Lifecycle::glpi),
    ("glpi_time_to_resolve", glpi_time_to_resolve, Lifecycle::glpi),
    (
        "request_tracker_resolve",
        request_tracker_resolve,
        Lifecycle::request_tracker,
    ),
    (
        "freshservice_resolution",
        freshservice_resolution,
        Lifecycle::freshservice,
    ),
    ("znuny_solution", znuny_solution, Lifecycle::znuny),
    ("itop_time_to_own", itop_time_to_own, Lifecycle::itop),
    ("itop_time_to_resolve", itop_time_to_resolve, Lifecycle::itop),
];

/// The names [`by_name`] knows: the preset functions' names.
pub fn names() -> impl Iterator<Item = &'static str> {
    NAMED.iter().map(|(name, ..)| *name)
}

/// The preset of a name (a function's name in this module, such as
/// `"servicenow_resolution"`), on the given lifecycle or, without one, on
/// its vendor's ([`Lifecycle::servicenow`] for the ServiceNow presets, ...):
/// what configuration files and other languages name a preset by.
///
/// ```
/// use chrono::TimeDelta;
/// use servicelevel::{presets, Target};
/// let policy = presets::by_name("zammad_solution", None, Target::business(TimeDelta::hours(8)))?;
/// assert_eq!(policy.id().as_str(), "zammad-solution");
/// assert!(presets::by_name("zammad_soltion", None, Target::business(TimeDelta::hours(8))).is_err());
/// # Ok::<(), servicelevel::Error>(())
/// ```
///
/// # Errors
///
/// When no preset has the name (the message lists those that do), or as the
/// preset itself fails.
pub fn by_name(name: &str, lifecycle: Option<&Lifecycle>, target: Target) -> Result<Policy> {
    let Some((_, build, vendor)) = NAMED.iter().find(|(n, ..)| *n == name) else {
        let known: Vec<&str> = names().collect();
        return Err(Error::policy(
            name,
            "preset",
            format!("no preset has this name; the presets are {}", known.join(", ")),
        ));
    };
    match lifecycle {
        Some(lifecycle) => build(lifecycle, target),
        None => build(&vendor(), target),
    }
}

/// From creation until resolved or closed: the resolution measure most
/// tools share, to which each preset adds its pause and cancel rules.
fn until_resolved(id: &str, name: &str, lifecycle: &Lifecycle, target: Target) -> PolicyBuilder {
    Policy::builder(
        id,
        name,
        PolicyKind::Sla,
        Condition::Created,
        lifecycle.status_in(&[Resolved, Closed]),
        target,
    )
}

/// An OLA that runs while a ticket sits with one assignment group: a cycle
/// for each stint with the group, stopped when the ticket leaves it or
/// finishes, paused while it waits: the policy [`TeamOla::new`] makes for
/// that group.
pub fn assignment_group_ola(lifecycle: &Lifecycle, group: &str, target: Target) -> Result<Policy> {
    TeamOla::new(lifecycle, target)?.policy_for(&group.into())
}

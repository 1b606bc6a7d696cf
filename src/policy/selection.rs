//! Policies chosen by ordered conditions: a ticket is measured by the
//! first, in order, whose `applies_to` holds on its fields.

use super::{Cancel, Condition, Policy, RetroactiveStart};
use crate::error::{Error, Result};

/// Compiles ordered alternatives into policies of which a ticket has at
/// most one at a time: the first, in order, whose `applies_to` holds on
/// the ticket's fields after each event, as Zendesk matches SLA policies
/// ("position of the SLA policy that determines the order they will be
/// matched", Zendesk API, "SLA Policies") and Jira Service Management its
/// goals.
///
/// Each alternative keeps its id and is reported on its own. Compiled,
/// alternative `i` applies where its own condition holds and no earlier
/// one's does; a running cycle is cancelled ([`Reason::Cancel`](crate::eval::Reason::Cancel))
/// at the event where its alternative stops being the one selected (the
/// ticket no longer matches it, or now matches an earlier one), as a
/// removed policy stops measuring; an alternative selected later measures
/// from its start event, as if it had applied from then
/// ([`RetroactiveStart::FromStartEvent`], unless the alternative names
/// another retroactive start), as Zendesk measures a newly applied
/// policy's first reply time from the ticket's creation.
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use servicelevel::policy::{first_match, PolicyKind};
/// use servicelevel::{evaluate, BusinessCalendar, Condition, Event, Policy, State, Target, Timeline};
///
/// let first_reply = |id: &str, minutes, when| {
///     let replied = Condition::action("agent_reply");
///     let target = Target::wall(TimeDelta::minutes(minutes));
///     Policy::builder(id, "First reply", PolicyKind::Sla, Condition::Created, replied, target).applies_to(when).build()
/// };
/// let vip = first_reply("vip", 30, Condition::equals("tier", "vip"))?;
/// let standard = first_reply("standard", 120, Condition::Always)?;
/// let [vip, standard]: [Policy; 2] = first_match([vip, standard])?.try_into().unwrap();
/// let at = |m| Utc.with_ymd_and_hms(2025, 5, 5, 9, 0, 0).unwrap() + TimeDelta::minutes(m);
/// // Created as a standard ticket, made VIP 10 minutes later.
/// let ticket = Timeline::new(vec![
///     Event::created("T1", at(0), [("status", "new"), ("tier", "standard")]),
///     Event::set("T1", at(10), [("tier", "vip")]),
/// ])?;
/// let calendar = BusinessCalendar::always_open(chrono_tz::UTC);
/// // The VIP target counts from creation: 20 of its 30 minutes are used.
/// let now = evaluate(&vip, &calendar, &ticket, at(20))?;
/// assert_eq!((now.cycles[0].start, now.cycles[0].wall_used), (at(0), TimeDelta::minutes(20)));
/// // The standard policy stopped applying at the change: cancelled.
/// assert_eq!(evaluate(&standard, &calendar, &ticket, at(20))?.cycles[0].state, State::Cancelled);
/// # Ok::<(), servicelevel::Error>(())
/// ```
///
/// # Errors
///
/// When two alternatives share an id, or an alternative's `applies_to`
/// looks at the event (selection reads the ticket's fields), naming the
/// alternative.
pub fn first_match(alternatives: impl IntoIterator<Item = Policy>) -> Result<Vec<Policy>> {
    let alternatives: Vec<Policy> = alternatives.into_iter().collect();
    let mut earlier: Vec<Condition> = Vec::new();
    let mut compiled = Vec::with_capacity(alternatives.len());
    for policy in alternatives {
        if policy.applies_to.uses_event() {
            return Err(Error::policy(
                policy.id.as_str(),
                "applies_to",
                "an alternative chosen by first match must be selected by the ticket's fields, not by the event",
            ));
        }
        if compiled.iter().any(|p: &Policy| p.id == policy.id) {
            return Err(Error::policy(
                policy.id.as_str(),
                "id",
                format!("two alternatives are named `{}`", policy.id),
            ));
        }
        let own = policy.applies_to.clone();
        compiled.push(selected(policy, &earlier)?);
        earlier.push(own);
    }
    Ok(compiled)
}

/// One alternative, applying only where no earlier one does.
fn selected(policy: Policy, earlier: &[Condition]) -> Result<Policy> {
    let applies = match earlier {
        [] => policy.applies_to.clone(),
        _ => Condition::All(vec![
            policy.applies_to.clone(),
            Condition::not(Condition::Any(earlier.to_vec())),
        ]),
    };
    let deselected = Condition::not(applies.clone());
    let cancel = match &policy.cancel {
        Cancel::Never => Cancel::When(deselected),
        Cancel::When(own) => Cancel::When(Condition::Any(vec![own.clone(), deselected])),
        // Already cancels when the (compiled) applies_to stops holding.
        other => other.clone(),
    };
    let retroactive = match &policy.retroactive {
        RetroactiveStart::No => RetroactiveStart::FromStartEvent,
        other => other.clone(),
    };
    policy
        .to_builder()
        .applies_to(applies)
        .cancel(cancel)
        .retroactive(retroactive)
        .build()
}

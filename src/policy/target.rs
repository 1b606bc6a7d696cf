//! What is promised: a duration (or a number of working days) chosen by a
//! field, and how time is measured against it.

use chrono::{DateTime, TimeDelta, Utc};

use super::Condition;
use crate::calendar::Landing;
use crate::event::{EventRef, Field, Fields, Problem, Value};

/// How a target's time is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Measure {
    /// Business time on the calendar the policy is evaluated with.
    #[default]
    BusinessTime,
    /// Wall-clock time: every second counts, whatever the calendar.
    WallClock,
    /// Whole working days of the calendar, GLPI style: the due instant is
    /// `add_working_days(start, n, landing)` and the target is the business
    /// time from the start to it, fixed when the cycle starts.
    WorkingDays(Landing),
}

/// An amount of target: a duration, or a number of working days (for
/// [`Measure::WorkingDays`]), or a deadline read from a ticket's field
/// ([`Target::business_until`]).
///
/// Text form: `8h`, `1h30m` (see [`duration`](crate::duration)),
/// `3 working days`, or `until 2025-03-05T12:00:00Z` (`until nothing` for
/// an empty field); a configured amount is one of the first two.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Amount {
    /// A duration of business or wall-clock time.
    Time(TimeDelta),
    /// A number of working days.
    WorkingDays(u32),
    /// The instant a ticket's deadline field held when the cycle started
    /// (or last changed), `None` when it was empty.
    Until(Option<DateTime<Utc>>),
}

/// What a target read from a deadline field does when the field is empty
/// or does not lie after the cycle's start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum MissingDeadline {
    /// ServiceNow's "Breach on Due Date": "If no information is available
    /// in the Due Date field, or the date and time provided is in the past,
    /// the breach time of the task SLA is calculated to be one second ahead
    /// of the task SLA start time" (docs, "SLA duration types"): a target of
    /// one second.
    #[default]
    OneSecond,
    /// The ticket's typed problem ([`Problem::NoTarget`]).
    NoTarget,
}

/// A deadline read from a field: which field, and the rule for an empty or
/// past one.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Until {
    field: Field,
    missing: MissingDeadline,
}

/// The largest target accepted: 100 years of time, or 36,500 working days.
/// Larger ones are typing mistakes, and would overflow no arithmetic but
/// reach past any calendar's horizon.
pub const MAX_TARGET: TimeDelta = TimeDelta::days(36_500);

/// Reads `8h`, `1h30m` or `3 working days` (`1 working day`), the form
/// `Display` writes.
impl std::str::FromStr for Amount {
    type Err = crate::Error;

    fn from_str(input: &str) -> crate::Result<Amount> {
        if let Some(instant) = input.strip_prefix("until ") {
            if instant == "nothing" {
                return Ok(Amount::Until(None));
            }
            return DateTime::parse_from_rfc3339(instant)
                .map(|at| Amount::Until(Some(crate::interval::without_leap_second(at.to_utc()))))
                .map_err(|_| {
                    crate::Error::from(crate::error::Detail::InvalidDuration {
                        field: String::new(),
                        input: input.to_string(),
                    })
                });
        }
        let days = input
            .strip_suffix(" working days")
            .or_else(|| input.strip_suffix(" working day"));
        match days {
            Some(n) => n.parse().map(Amount::WorkingDays).map_err(|_| {
                crate::Error::from(crate::error::Detail::InvalidDuration {
                    field: String::new(),
                    input: input.to_string(),
                })
            }),
            None => crate::duration::parse(input).map(Amount::Time),
        }
    }
}

impl Amount {
    fn check(&self, measure: Measure) -> Result<(), String> {
        match (self, measure) {
            (Amount::Time(t), Measure::BusinessTime | Measure::WallClock) => {
                if *t <= TimeDelta::zero() {
                    Err(format!("target `{self}` is not positive"))
                } else if *t > MAX_TARGET {
                    Err(format!("target `{self}` is more than 100 years"))
                } else {
                    Ok(())
                }
            }
            (Amount::WorkingDays(n), Measure::WorkingDays(_)) => match n {
                0 => Err("target `0 working days` is not positive".into()),
                n if *n > 36_500 => Err(format!("target `{self}` is more than 36500 working days")),
                _ => Ok(()),
            },
            (Amount::Time(_), Measure::WorkingDays(_)) => {
                Err(format!("target `{self}` is a duration but the measure is working days"))
            }
            (Amount::WorkingDays(_), _) => Err(format!("target `{self}` is in working days but the measure is time")),
            (Amount::Until(_), _) => Err(format!(
                "target `{self}` is a deadline, which is read from a ticket's field (`until`), not configured"
            )),
        }
    }
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Amount::Time(t) => f.write_str(&crate::duration::format(*t)),
            Amount::WorkingDays(1) => f.write_str("1 working day"),
            Amount::WorkingDays(n) => write!(f, "{n} working days"),
            Amount::Until(Some(at)) => write!(f, "until {}", at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
            Amount::Until(None) => f.write_str("until nothing"),
        }
    }
}

/// A target: one amount, or an amount per value of a field (usually
/// priority) with an optional default. The constructor names the measure
/// (`business`, `wall`, `working_days`), so a measure cannot be paired with
/// an amount of the other kind; amounts are checked (positive, at most 100
/// years) when the policy is built.
///
/// `Display` writes the target as a reader would say it: `8h business
/// time`, `3 working days (same clock time)`, `business time by
/// `priority`: 1 = 4h, 2 = 8h`.
///
/// Serde form: `{"measure": "business_time", "by": "priority", "amounts":
/// {"1": "4h", "2": "8h"}, "default": "24h"}`; checked when read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(into = "super::serde_form::TargetForm"))]
///
/// ```
/// use chrono::TimeDelta;
/// use servicelevel::calendar::Landing;
/// use servicelevel::Target;
/// assert_eq!(Target::wall(TimeDelta::hours(24)).to_string(), "24h wall-clock time");
/// assert_eq!(Target::working_days(3, Landing::EndOfWorkingDay).to_string(), "3 working days (end of working day)");
/// ```
pub struct Target {
    measure: Measure,
    by: Option<Field>,
    amounts: Vec<(Value, Amount)>,
    default: Option<Amount>,
    until: Option<Until>,
    tiers: Vec<(Condition, Amount)>,
}

impl Target {
    /// The same business time for every ticket, on the policy's calendar:
    /// "8 business hours".
    pub fn business(amount: TimeDelta) -> Target {
        Target::same(Measure::BusinessTime, Amount::Time(amount))
    }

    /// The same wall-clock time for every ticket: "24 hours, every second
    /// counts".
    pub fn wall(amount: TimeDelta) -> Target {
        Target::same(Measure::WallClock, Amount::Time(amount))
    }

    /// The same number of working days for every ticket (GLPI), landing at
    /// the same clock time or at the end of the last working day.
    pub fn working_days(days: u32, landing: Landing) -> Target {
        Target::same(Measure::WorkingDays(landing), Amount::WorkingDays(days))
    }

    /// Business time per value of `field` (usually priority): tiers such
    /// as `[("1", 4h), ("2", 8h)]`, and `default` for other values. Without a
    /// default, a ticket with another value (or none) is an error for that
    /// ticket ([`Problem::NoTarget`]), never a silent drop.
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use servicelevel::Target;
    /// let h = TimeDelta::hours;
    /// let resolution = Target::business_by("priority", [("1", h(4)), ("2", h(8))], Some(h(40)));
    /// assert_eq!(resolution.to_string(), "business time by `priority`: 1 = 4h, 2 = 8h, otherwise 40h");
    /// assert_eq!(Target::business(h(8)).to_string(), "8h business time");
    /// ```
    pub fn business_by<V: Into<Value>>(
        field: impl Into<Field>,
        tiers: impl IntoIterator<Item = (V, TimeDelta)>,
        default: Option<TimeDelta>,
    ) -> Target {
        let tiers = tiers.into_iter().map(|(v, t)| (v, Amount::Time(t)));
        Target::per_value(Measure::BusinessTime, field, tiers, default.map(Amount::Time))
    }

    /// Wall-clock time per value of `field`, and `default` for other values.
    pub fn wall_by<V: Into<Value>>(
        field: impl Into<Field>,
        tiers: impl IntoIterator<Item = (V, TimeDelta)>,
        default: Option<TimeDelta>,
    ) -> Target {
        let tiers = tiers.into_iter().map(|(v, t)| (v, Amount::Time(t)));
        Target::per_value(Measure::WallClock, field, tiers, default.map(Amount::Time))
    }

    /// Working days per value of `field`, and `default` for other values.
    pub fn working_days_by<V: Into<Value>>(
        field: impl Into<Field>,
        tiers: impl IntoIterator<Item = (V, u32)>,
        default: Option<u32>,
        landing: Landing,
    ) -> Target {
        let tiers = tiers.into_iter().map(|(v, n)| (v, Amount::WorkingDays(n)));
        Target::per_value(
            Measure::WorkingDays(landing),
            field,
            tiers,
            default.map(Amount::WorkingDays),
        )
    }

    /// A deadline read from `field` (an RFC 3339 instant), measured in
    /// business time: ServiceNow's relative duration "Breach on Due Date".
    /// The target is the business time from the cycle's start to the
    /// deadline, at least one second, fixed when the cycle starts and
    /// recomputed from the start when the field changes (a target change);
    /// an empty or past deadline follows `missing`. A deadline outside
    /// business hours is breached at the next opening, as ServiceNow
    /// documents ("the breach time is set to the next available scheduled
    /// time"). A deadline does not move with pauses: a policy with such a
    /// target never pauses ("Pause conditions are not compatible with
    /// relative durations"). A field holding something that is not an
    /// instant is the ticket's problem
    /// ([`Problem::NotAnInstant`]).
    ///
    /// ```
    /// use servicelevel::Target;
    /// use servicelevel::policy::MissingDeadline;
    /// let due = Target::business_until("due_date", MissingDeadline::OneSecond);
    /// assert_eq!(due.to_string(), "business time until the instant in `due_date`");
    /// ```
    pub fn business_until(field: impl Into<Field>, missing: MissingDeadline) -> Target {
        Target::until(Measure::BusinessTime, field.into(), missing)
    }

    /// A deadline read from `field`, measured in wall-clock time; see
    /// [`Target::business_until`].
    pub fn wall_until(field: impl Into<Field>, missing: MissingDeadline) -> Target {
        Target::until(Measure::WallClock, field.into(), missing)
    }

    fn until(measure: Measure, field: Field, missing: MissingDeadline) -> Target {
        Target {
            measure,
            by: None,
            amounts: Vec::new(),
            default: None,
            until: Some(Until { field, missing }),
            tiers: Vec::new(),
        }
    }

    fn same(measure: Measure, amount: Amount) -> Target {
        Target {
            measure,
            by: None,
            amounts: Vec::new(),
            default: Some(amount),
            until: None,
            tiers: Vec::new(),
        }
    }

    fn per_value<V: Into<Value>>(
        measure: Measure,
        field: impl Into<Field>,
        amounts: impl IntoIterator<Item = (V, Amount)>,
        default: Option<Amount>,
    ) -> Target {
        Target {
            measure,
            by: Some(field.into()),
            amounts: amounts.into_iter().map(|(v, a)| (v.into(), a)).collect(),
            default,
            until: None,
            tiers: Vec::new(),
        }
    }

    #[cfg_attr(not(feature = "serde"), allow(dead_code))]
    pub(crate) fn from_parts(
        measure: Measure,
        by: Option<Field>,
        amounts: Vec<(Value, Amount)>,
        default: Option<Amount>,
        until: Option<(Field, MissingDeadline)>,
        tiers: Vec<(Condition, Amount)>,
    ) -> Target {
        Target {
            measure,
            by,
            amounts,
            default,
            until: until.map(|(field, missing)| Until { field, missing }),
            tiers,
        }
    }

    /// Amounts chosen by ordered conditions on the ticket's fields, the
    /// first that holds winning, and `default` when none does: tiers on
    /// more than one field, such as priority x customer tier, as Jira
    /// Service Management's goals ("the first goal whose JQL matches").
    /// Conditions look at fields only (not at the event), and a change of
    /// any field they name is a target change. Without a default, a ticket
    /// no condition matches is that ticket's problem ([`Problem::NoTarget`]).
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use servicelevel::policy::{Amount, Measure};
    /// use servicelevel::{Condition, Target};
    /// let h = |n| Amount::Time(TimeDelta::hours(n));
    /// let gold_p1 = Condition::All(vec![Condition::equals("priority", "1"), Condition::equals("tier", "gold")]);
    /// let target = Target::when(Measure::BusinessTime, [(gold_p1, h(2)), (Condition::equals("priority", "1"), h(4))], Some(h(8)));
    /// assert_eq!(target.to_string(), "business time by 2 ordered conditions (the first that holds), otherwise 8h");
    /// ```
    pub fn when(
        measure: Measure,
        tiers: impl IntoIterator<Item = (Condition, Amount)>,
        default: Option<Amount>,
    ) -> Target {
        Target {
            measure,
            by: None,
            amounts: Vec::new(),
            default,
            until: None,
            tiers: tiers.into_iter().collect(),
        }
    }

    /// The ordered condition tiers ([`Target::when`]).
    pub fn tiers(&self) -> &[(Condition, Amount)] {
        &self.tiers
    }

    /// Whether `event` may change the amount: it sets the field the amount
    /// is chosen by or read from, or a field a tier's condition names.
    pub(crate) fn changed_by(&self, event: EventRef<'_>) -> bool {
        if let Some(field) = self.field() {
            return event.new_value(field.as_str()).is_some();
        }
        let mut names = Vec::new();
        for (condition, _) in &self.tiers {
            condition.names(&mut names);
        }
        names.iter().any(|(field, _)| event.new_value(field.as_str()).is_some())
    }

    /// The deadline field and its rule, for a target read from a field.
    pub fn deadline_field(&self) -> Option<(&Field, MissingDeadline)> {
        self.until.as_ref().map(|u| (&u.field, u.missing))
    }

    /// How time is measured.
    pub fn measure(&self) -> Measure {
        self.measure
    }

    /// The field the amount is chosen by (or read from, for a deadline): a
    /// change of it is a target change.
    pub fn field(&self) -> Option<&Field> {
        self.by.as_ref().or(self.until.as_ref().map(|u| &u.field))
    }

    /// The amounts per value.
    pub fn amounts(&self) -> &[(Value, Amount)] {
        &self.amounts
    }

    /// The amount for values without their own.
    pub fn default_amount(&self) -> Option<Amount> {
        self.default
    }

    /// The amount for a ticket in this state.
    pub(crate) fn amount_for<F: Fields + ?Sized>(&self, state: &F) -> Result<Amount, Problem> {
        if let Some(until) = &self.until {
            return match state.get_field(&until.field) {
                None if until.missing == MissingDeadline::NoTarget => Err(Problem::NoTarget {
                    field: until.field.clone(),
                    value: None,
                }),
                None => Ok(Amount::Until(None)),
                Some(value) => DateTime::parse_from_rfc3339(value.as_str())
                    .map(|at| Amount::Until(Some(crate::interval::without_leap_second(at.to_utc()))))
                    .map_err(|_| Problem::NotAnInstant {
                        field: until.field.clone(),
                        value: value.clone(),
                    }),
            };
        }
        if !self.tiers.is_empty() {
            let chosen = self.tiers.iter().find(|(c, _)| c.holds_on(state)).map(|(_, a)| *a);
            return chosen.or(self.default).ok_or_else(|| Problem::NoTarget {
                field: Field::new(""),
                value: None,
            });
        }
        let Some(field) = &self.by else {
            return self.default.ok_or_else(|| Problem::NoTarget {
                field: Field::new(""),
                value: None,
            });
        };
        let value = state.get_field(field);
        value
            .and_then(|v| self.amounts.iter().find(|(w, _)| w == v).map(|(_, a)| *a))
            .or(self.default)
            .ok_or_else(|| Problem::NoTarget {
                field: field.clone(),
                value: value.cloned(),
            })
    }

    /// The first problem with the target, as (field path, reason).
    pub(crate) fn problem(&self) -> Option<(String, String)> {
        if self.until.is_some() {
            return match self.measure {
                _ if self.by.is_some()
                    || !self.amounts.is_empty()
                    || self.default.is_some()
                    || !self.tiers.is_empty() =>
                {
                    Some((
                        "target.until".into(),
                        "a deadline read from a field takes no amounts".into(),
                    ))
                }
                Measure::WorkingDays(_) => Some((
                    "target.until".into(),
                    "a deadline is measured in business or wall-clock time, not working days".into(),
                )),
                _ => None,
            };
        }
        if !self.tiers.is_empty() {
            if self.by.is_some() || !self.amounts.is_empty() {
                return Some((
                    "target.tiers".into(),
                    "tiers by condition and amounts by one field do not mix".into(),
                ));
            }
            for (i, (condition, amount)) in self.tiers.iter().enumerate() {
                if condition.uses_event() {
                    return Some((
                        format!("target.tiers[{i}].when"),
                        "a tier's condition looks at the event, but a target is chosen by the ticket's fields".into(),
                    ));
                }
                if let Err(reason) = amount.check(self.measure) {
                    return Some((format!("target.tiers[{i}].amount"), reason));
                }
            }
        }
        if self.by.is_none() && self.default.is_none() && self.tiers.is_empty() {
            return Some(("target".into(), "no amount at all".into()));
        }
        if self.by.is_none() && !self.amounts.is_empty() {
            return Some(("target.by".into(), "amounts per value need a field to choose by".into()));
        }
        for (i, (value, amount)) in self.amounts.iter().enumerate() {
            if let Err(reason) = amount.check(self.measure) {
                return Some((format!("target.amounts[{i}]"), reason));
            }
            if self.amounts[..i].iter().any(|(v, _)| v == value) {
                return Some((
                    format!("target.amounts[{i}]"),
                    format!("value `{value}` has two amounts"),
                ));
            }
        }
        if let Some(Err(reason)) = self.default.map(|a| a.check(self.measure)) {
            return Some(("target.default".into(), reason));
        }
        None
    }
}

impl std::fmt::Display for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Measure::BusinessTime => f.write_str("business time"),
            Measure::WallClock => f.write_str("wall-clock time"),
            Measure::WorkingDays(Landing::SameClockTime(_)) => f.write_str("working days (same clock time)"),
            Measure::WorkingDays(_) => f.write_str("working days (end of working day)"),
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(until) = &self.until {
            return write!(f, "{} until the instant in `{}`", self.measure, until.field);
        }
        if !self.tiers.is_empty() {
            let n = self.tiers.len();
            let plural = if n == 1 { "" } else { "s" };
            write!(
                f,
                "{} by {n} ordered condition{plural} (the first that holds)",
                self.measure
            )?;
            return match self.default {
                Some(amount) => write!(f, ", otherwise {amount}"),
                None => Ok(()),
            };
        }
        let Some(field) = &self.by else {
            return match (self.default, self.measure) {
                (Some(amount @ Amount::WorkingDays(_)), Measure::WorkingDays(landing)) => {
                    let landing = Measure::WorkingDays(landing).to_string();
                    write!(f, "{amount}{}", landing.trim_start_matches("working days"))
                }
                (Some(amount), measure) => write!(f, "{amount} {measure}"),
                (None, measure) => write!(f, "no amount of {measure}"),
            };
        };
        write!(f, "{} by `{field}`: ", self.measure)?;
        for (i, (value, amount)) in self.amounts.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{value} = {amount}")?;
        }
        if let Some(default) = self.default {
            write!(f, ", otherwise {default}")?;
        }
        Ok(())
    }
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(Target, super::serde_form::TargetForm);

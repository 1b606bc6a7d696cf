//! Which calendar of a set measures a ticket, read from its fields.

use std::collections::BTreeMap;

use crate::calendar::CalendarSet;
use crate::error::{Error, Result};
use crate::event::{Field, Problem, TicketState, Value};

/// A ticket's calendar, chosen by a field: a desk serving several zones or
/// customers, or SLA levels with their own hours.
///
/// The field's value is mapped to a calendar name (or, without a mapping
/// for it, is the name itself: a zone field holding `Europe/Paris` names
/// the calendar `Europe/Paris`); an unset field or a value naming no
/// calendar takes the default, and without one is the ticket's typed
/// problem ([`Problem::NoCalendar`]) at the event that set it. Request
/// Tracker's SLA levels each carry their own business hours, and a
/// ServiceNow SLA takes its schedule's zone from one of several sources
/// (the caller, the caller's location, the CI's location, the task's
/// location, the definition): each is a field here.
///
/// Serde form: `{"by": "location", "names": {"FR": "paris"}, "default":
/// "london", "timing": "recompute"}` (`names`, `default` and `timing`
/// optional).
///
/// ```
/// use servicelevel::policy::{CalendarRoute, RouteTiming};
/// let route = CalendarRoute::by_field("location").name("FR", "paris").default_calendar("london");
/// assert_eq!(route.timing(), RouteTiming::Recompute);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct CalendarRoute {
    by: Field,
    #[cfg_attr(
        feature = "serde",
        serde(
            default,
            skip_serializing_if = "BTreeMap::is_empty",
            deserialize_with = "crate::unique_keys::deserialize"
        )
    )]
    names: BTreeMap<Value, String>,
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    default: Option<String>,
    #[cfg_attr(feature = "serde", serde(default))]
    timing: RouteTiming,
}

/// When a route's field is read for a cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RouteTiming {
    /// The calendar the field names at the cycle's end (or now, while it
    /// runs) measures the whole cycle from its start: a switch of level
    /// recomputes the cycle under the new hours, as Request Tracker does
    /// when a ticket's SLA level changes (its deadlines are recomputed from
    /// the level's hours).
    #[default]
    Recompute,
    /// The calendar the field names when the cycle starts measures it to
    /// its end, as a ServiceNow task SLA keeps the schedule it attached
    /// with.
    AtCycleStart,
}

impl CalendarRoute {
    /// A route by this field, its values being calendar names.
    pub fn by_field(field: impl Into<Field>) -> CalendarRoute {
        CalendarRoute {
            by: field.into(),
            names: BTreeMap::new(),
            default: None,
            timing: RouteTiming::Recompute,
        }
    }

    /// Maps a value of the field to a calendar name.
    pub fn name(mut self, value: impl Into<Value>, calendar: impl Into<String>) -> CalendarRoute {
        self.names.insert(value.into(), calendar.into());
        self
    }

    /// The calendar for an unset field or a value naming no calendar.
    pub fn default_calendar(mut self, calendar: impl Into<String>) -> CalendarRoute {
        self.default = Some(calendar.into());
        self
    }

    /// When the field is read for a cycle.
    pub fn with_timing(mut self, timing: RouteTiming) -> CalendarRoute {
        self.timing = timing;
        self
    }

    /// The field read.
    pub fn field(&self) -> &Field {
        &self.by
    }

    /// When the field is read for a cycle.
    pub fn timing(&self) -> RouteTiming {
        self.timing
    }

    /// Checks that every calendar the route names is in the set.
    ///
    /// # Errors
    ///
    /// When a mapped name or the default names no calendar of the set,
    /// naming the key (`calendar.names[FR]`, `calendar.default`).
    pub fn check(&self, set: &CalendarSet, policy: &str) -> Result<()> {
        let unknown = |key: String, name: &str| {
            Error::policy(
                policy,
                key,
                format!("`{name}` names no calendar of the set (it has: {})", listed(set)),
            )
        };
        for (value, name) in &self.names {
            if set.get(name).is_none() {
                return Err(unknown(format!("calendar.names[{value}]"), name));
            }
        }
        match &self.default {
            Some(name) if set.get(name).is_none() => Err(unknown("calendar.default".into(), name)),
            _ => Ok(()),
        }
    }

    /// The calendar name for a ticket in this state.
    pub(crate) fn choose<'a>(
        &'a self,
        state: &'a TicketState,
        set: &CalendarSet,
    ) -> std::result::Result<&'a str, Problem> {
        let value = state.get(self.by.as_str());
        let named = value.map(|v| self.names.get(v).map_or(v.as_str(), String::as_str));
        match named {
            Some(name) if set.get(name).is_some() => Ok(name),
            _ => self.default.as_deref().ok_or_else(|| Problem::NoCalendar {
                field: self.by.clone(),
                value: value.cloned(),
            }),
        }
    }
}

fn listed(set: &CalendarSet) -> String {
    let names: Vec<String> = set.names().map(|n| format!("`{n}`")).collect();
    if names.is_empty() {
        "none".into()
    } else {
        names.join(", ")
    }
}

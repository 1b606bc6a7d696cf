//! A named collection of calendars (per country, per customer, per SLA
//! level), which calendar routes and the catalog refer to by name.

use std::collections::BTreeMap;

use super::BusinessCalendar;

/// Calendars by name. Serde form: a map from names to calendars.
///
/// ```
/// use servicelevel::calendar::CalendarSet;
/// use servicelevel::BusinessCalendar;
///
/// let set = CalendarSet::new()
///     .with("24x7", BusinessCalendar::always_open(chrono_tz::UTC))
///     .with("paris", BusinessCalendar::always_open(chrono_tz::Europe::Paris));
/// assert_eq!(set.names().collect::<Vec<_>>(), ["24x7", "paris"]);
/// assert!(set.get("london").is_none());
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
pub struct CalendarSet {
    calendars: BTreeMap<String, BusinessCalendar>,
}

impl CalendarSet {
    /// An empty set.
    pub fn new() -> CalendarSet {
        CalendarSet::default()
    }

    /// The set with `calendar` under `name` (replacing one of that name).
    pub fn with(mut self, name: impl Into<String>, calendar: BusinessCalendar) -> CalendarSet {
        self.calendars.insert(name.into(), calendar);
        self
    }

    /// The calendar of that name.
    pub fn get(&self, name: &str) -> Option<&BusinessCalendar> {
        self.calendars.get(name)
    }

    /// The names, in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.calendars.keys().map(String::as_str)
    }
}

impl From<BTreeMap<String, BusinessCalendar>> for CalendarSet {
    fn from(calendars: BTreeMap<String, BusinessCalendar>) -> CalendarSet {
        CalendarSet { calendars }
    }
}

//! The serde form of a calendar (feature `serde`). Everything is read into
//! plain strings first and validated by [`TryFrom`], so an invalid calendar
//! cannot be deserialised and every error names the field and the value.
//!
//! ```json
//! { "time_zone": "America/New_York",
//!   "weekly": { "mon": [["09:00", "17:00"]],
//!               "tue": [["09:00", "12:00"], ["13:00", "17:00"]],
//!               "sat": [] },
//!   "holidays": ["2024-12-25", "2025-01-01"],
//!   "closed_ranges": [["2024-12-27", "2024-12-31"]],
//!   "yearly_holidays": ["12-25"],
//!   "floating_holidays": ["4th thu of nov", "last mon of may"],
//!   "recurring": ["easter-2", "easter+1",
//!                 { "on": "07-04", "observed": "us_federal" },
//!                 { "on": "1st sun of month", "closed": ["02:00", "06:00"] },
//!                 { "on": "last working day of month", "hours": [["09:00", "13:00"]] }],
//!   "partial_closures": [{ "date": "2024-12-24", "from": "13:00" }],
//!   "overrides": { "2024-12-28": [["09:00", "13:00"]] },
//!   "horizon": ["2000-01-01", "2040-01-01"] }
//! ```

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::builder::DEFAULT_HORIZON;
use super::rules::{ClockTime, DateRange, FloatingDate, PartialClosure, WEEKDAY_KEYS, Window, YearlyDate};
use super::{BusinessCalendar, EasterDate, Observance, RecurringDate, RecurringRule, RuleEffect, time_zone};
use crate::error::{Detail, Error, Result};

type WindowForm = (String, String);

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct WeeklyForm {
    #[serde(default)]
    mon: Vec<WindowForm>,
    #[serde(default)]
    tue: Vec<WindowForm>,
    #[serde(default)]
    wed: Vec<WindowForm>,
    #[serde(default)]
    thu: Vec<WindowForm>,
    #[serde(default)]
    fri: Vec<WindowForm>,
    #[serde(default)]
    sat: Vec<WindowForm>,
    #[serde(default)]
    sun: Vec<WindowForm>,
}

impl WeeklyForm {
    fn days(&self) -> [&Vec<WindowForm>; 7] {
        [
            &self.mon, &self.tue, &self.wed, &self.thu, &self.fri, &self.sat, &self.sun,
        ]
    }

    fn days_mut(&mut self) -> [&mut Vec<WindowForm>; 7] {
        [
            &mut self.mon,
            &mut self.tue,
            &mut self.wed,
            &mut self.thu,
            &mut self.fri,
            &mut self.sat,
            &mut self.sun,
        ]
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PartialClosureForm {
    date: String,
    from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    until: Option<String>,
}

/// The serialised shape of a [`BusinessCalendar`].
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CalendarForm {
    time_zone: String,
    #[serde(default)]
    weekly: WeeklyForm,
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    closed_ranges: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    yearly_holidays: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    floating_holidays: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    recurring: Vec<RecurringForm>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    ics: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    partial_closures: Vec<PartialClosureForm>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "crate::unique_keys::deserialize"
    )]
    overrides: BTreeMap<String, Vec<WindowForm>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    horizon: Option<(String, String)>,
}

pub(crate) fn parse_date(input: &str, field: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(input, "%Y-%m-%d")
        .ok()
        // `YYYY-MM-DD` with a four-digit year: chrono also reads `-999-01-01`
        // and `+2025-1-01`, which do not write back the same.
        .filter(|_| {
            input.len() == 10
                && input
                    .bytes()
                    .enumerate()
                    .all(|(i, b)| matches!(i, 4 | 7) || b.is_ascii_digit())
        })
        .ok_or_else(|| {
            Error::from(Detail::InvalidDate {
                field: field.into(),
                input: input.into(),
                expected: "`YYYY-MM-DD`",
            })
        })
}

fn parse_windows(windows: &[WindowForm], field: &str) -> Result<Vec<Window>> {
    windows
        .iter()
        .enumerate()
        .map(|(i, (start, end))| Window::from_pair(start, end).map_err(|e| e.in_field(format_args!("{field}[{i}]"))))
        .collect()
}

fn window_form(window: &Window) -> WindowForm {
    (window.start().to_string(), window.end().to_string())
}

impl TryFrom<CalendarForm> for BusinessCalendar {
    type Error = Error;

    fn try_from(form: CalendarForm) -> Result<BusinessCalendar> {
        let mut builder = BusinessCalendar::builder(time_zone(&form.time_zone)?);
        for (day, windows) in form.weekly.days().into_iter().enumerate() {
            let weekday = chrono::Weekday::try_from(day as u8).expect("0..7 is a weekday");
            for window in parse_windows(windows, &format!("weekly.{}", WEEKDAY_KEYS[day]))? {
                builder = builder.window(weekday, window);
            }
        }
        for (i, date) in form.holidays.iter().enumerate() {
            builder = builder.holiday(parse_date(date, &format!("holidays[{i}]"))?);
        }
        for (i, (first, last)) in form.closed_ranges.iter().enumerate() {
            let field = format!("closed_ranges[{i}]");
            let range = DateRange::new(parse_date(first, &field)?, parse_date(last, &field)?)
                .map_err(|_| invalid_range(&field, &format!("{first}..{last}"), "the last date is before the first"))?;
            builder = builder.closed_range(range);
        }
        for (i, date) in form.yearly_holidays.iter().enumerate() {
            builder = builder.yearly_holiday(in_field(date.parse(), format_args!("yearly_holidays[{i}]"))?);
        }
        for (i, date) in form.floating_holidays.iter().enumerate() {
            builder = builder.floating_holiday(in_field(date.parse(), format_args!("floating_holidays[{i}]"))?);
        }
        for (i, rule) in form.recurring.iter().enumerate() {
            builder = builder.recurring(recurring_rule(rule).map_err(|e| e.in_field(format_args!("recurring[{i}]")))?);
        }
        builder = with_feeds(builder, &form.ics)?;
        for (i, closure) in form.partial_closures.iter().enumerate() {
            builder = builder.partial_closure(partial_closure(closure, &format!("partial_closures[{i}]"))?);
        }
        for (date, windows) in &form.overrides {
            let field = format!("overrides.{date}");
            builder = builder.override_hours(parse_date(date, &field)?, parse_windows(windows, &field)?);
        }
        if let Some((start, end)) = &form.horizon {
            builder = builder.horizon(parse_date(start, "horizon[0]")?, parse_date(end, "horizon[1]")?);
        }
        builder.build()
    }
}

#[cfg(feature = "ics")]
fn with_feeds(mut builder: super::CalendarBuilder, feeds: &[String]) -> Result<super::CalendarBuilder> {
    for feed in feeds {
        builder = builder.ics(feed)?;
    }
    Ok(builder)
}

#[cfg(not(feature = "ics"))]
fn with_feeds(builder: super::CalendarBuilder, feeds: &[String]) -> Result<super::CalendarBuilder> {
    match feeds.first() {
        None => Ok(builder),
        Some(feed) => Err(Error::from(Detail::InvalidIcs {
            line: 1,
            input: feed.lines().next().unwrap_or_default().to_string(),
            reason: "this build of servicelevel reads iCalendar feeds only with its `ics` feature".into(),
        })),
    }
}

/// Names the field a parsed value came from in its error.
fn in_field<T>(parsed: Result<T>, field: std::fmt::Arguments<'_>) -> Result<T> {
    parsed.map_err(|e| e.in_field(field))
}

fn invalid_range(field: &str, input: &str, reason: &'static str) -> Error {
    Error::from(Detail::InvalidRange {
        field: field.into(),
        input: input.into(),
        reason,
    })
}

fn partial_closure(form: &PartialClosureForm, field: &str) -> Result<PartialClosure> {
    let date = parse_date(&form.date, &format!("{field}.date"))?;
    let from: ClockTime = in_field(form.from.parse(), format_args!("{field}.from"))?;
    match &form.until {
        None => Ok(PartialClosure::from(date, from)),
        Some(until) => {
            let until_time: ClockTime = in_field(until.parse(), format_args!("{field}.until"))?;
            PartialClosure::between(date, from, until_time).map_err(|_| {
                invalid_range(
                    field,
                    &format!("{}-{until}", form.from),
                    "the closure must end after it starts",
                )
            })
        }
    }
}

impl From<BusinessCalendar> for CalendarForm {
    fn from(calendar: BusinessCalendar) -> CalendarForm {
        let rules = &calendar.inner.rules;
        let mut weekly = WeeklyForm::default();
        for (day, windows) in weekly.days_mut().into_iter().enumerate() {
            *windows = rules.weekly[day].iter().map(window_form).collect();
        }
        let partial_closures = rules
            .partial
            .iter()
            .map(|p| PartialClosureForm {
                date: p.date().to_string(),
                from: p.from_time().to_string(),
                until: p.until().map(|u| u.to_string()),
            })
            .collect();
        CalendarForm {
            time_zone: rules.tz.name().to_string(),
            weekly,
            holidays: rules.holidays.iter().map(NaiveDate::to_string).collect(),
            closed_ranges: rules
                .closed_ranges
                .iter()
                .map(|r| (r.first().to_string(), r.last().to_string()))
                .collect(),
            yearly_holidays: rules.yearly.iter().map(YearlyDate::to_string).collect(),
            floating_holidays: rules.floating.iter().map(FloatingDate::to_string).collect(),
            recurring: rules.recurring.iter().map(RecurringForm::of).collect(),
            ics: rules.ics.iter().map(|feed| feed.to_string()).collect(),
            partial_closures,
            overrides: rules
                .overrides
                .iter()
                .map(|(date, windows)| (date.to_string(), windows.iter().map(window_form).collect()))
                .collect(),
            horizon: (rules.horizon != DEFAULT_HORIZON)
                .then(|| (rules.horizon.0.to_string(), rules.horizon.1.to_string())),
        }
    }
}

/// One recurring rule: its date text alone (closed all day), or an object.
#[derive(Clone, Debug)]
pub(crate) enum RecurringForm {
    Text(String),
    Rule(RecurringRuleForm),
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RecurringRuleForm {
    on: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    observed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    closed: Option<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    closed_from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hours: Option<Vec<WindowForm>>,
}

impl RecurringForm {
    fn of(rule: &RecurringRule) -> RecurringForm {
        let on = rule.date().to_string();
        let mut form = RecurringRuleForm {
            on,
            observed: (rule.observance() != Observance::None).then(|| rule.observance().to_string()),
            closed: None,
            closed_from: None,
            hours: None,
        };
        match rule.effect() {
            RuleEffect::PartlyClosed {
                from,
                until: Some(until),
            } => {
                form.closed = Some((from.to_string(), until.to_string()));
            }
            RuleEffect::PartlyClosed { from, until: None } => form.closed_from = Some(from.to_string()),
            RuleEffect::Hours(windows) => form.hours = Some(windows.iter().map(window_form).collect()),
            _ if form.observed.is_none() => return RecurringForm::Text(form.on),
            _ => {}
        }
        RecurringForm::Rule(form)
    }
}

fn recurring_rule(form: &RecurringForm) -> Result<RecurringRule> {
    let form = match form {
        RecurringForm::Text(text) => return in_field(text.parse(), format_args!("")).map(RecurringRule::closed),
        RecurringForm::Rule(form) => form,
    };
    let date: RecurringDate = in_field(form.on.parse(), format_args!("on"))?;
    let rule = match (&form.closed, &form.closed_from, &form.hours) {
        (None, None, None) => RecurringRule::closed(date),
        (Some((from, until)), None, None) => RecurringRule::closed_between(
            date,
            in_field(from.parse(), format_args!("closed[0]"))?,
            in_field(until.parse(), format_args!("closed[1]"))?,
        )
        .map_err(|e| e.in_field("closed"))?,
        (None, Some(from), None) => {
            RecurringRule::closed_from(date, in_field(from.parse(), format_args!("closed_from"))?)
        }
        (None, None, Some(windows)) => RecurringRule::hours(date, parse_windows(windows, "hours")?)?,
        _ => {
            return Err(Error::from(Detail::InvalidRule {
                field: String::new(),
                input: form.on.clone(),
                reason: "a rule has at most one of `closed`, `closed_from` and `hours`".into(),
            }));
        }
    };
    match &form.observed {
        None => Ok(rule),
        Some(observed) => rule.observed(in_field(observed.parse(), format_args!("observed"))?),
    }
}

impl Serialize for RecurringForm {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            RecurringForm::Text(text) => serializer.serialize_str(text),
            RecurringForm::Rule(rule) => rule.serialize(serializer),
        }
    }
}

impl<'de> Deserialize<'de> for RecurringForm {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RecurringForm;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a rule's date text (`easter+1`) or an object with `on`")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> std::result::Result<RecurringForm, E> {
                Ok(RecurringForm::Text(text.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> std::result::Result<RecurringForm, A::Error> {
                RecurringRuleForm::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(RecurringForm::Rule)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

impl Serialize for RecurringRule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        RecurringForm::of(self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RecurringRule {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        recurring_rule(&RecurringForm::deserialize(deserializer)?).map_err(crate::rejected::reject)
    }
}

// The value types serialise in the same string forms as the calendar.

macro_rules! string_form {
    ($type:ty) => {
        impl Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse::<$type>().map_err(crate::rejected::reject)
            }
        }
    };
}

string_form!(ClockTime);
string_form!(YearlyDate);
string_form!(FloatingDate);
string_form!(EasterDate);
string_form!(RecurringDate);

impl Serialize for Window {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        window_form(self).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Window {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let (start, end) = WindowForm::deserialize(deserializer)?;
        Window::from_pair(&start, &end).map_err(crate::rejected::reject)
    }
}

impl Serialize for DateRange {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        (self.first().to_string(), self.last().to_string()).serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for DateRange {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let (first, last) = <(String, String)>::deserialize(deserializer)?;
        let parsed = parse_date(&first, "closed range")
            .and_then(|f| Ok((f, parse_date(&last, "closed range")?)))
            .and_then(|(f, l)| DateRange::new(f, l));
        parsed.map_err(crate::rejected::reject)
    }
}

impl Serialize for PartialClosure {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        PartialClosureForm {
            date: self.date().to_string(),
            from: self.from_time().to_string(),
            until: self.until().map(|u| u.to_string()),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for PartialClosure {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        let form = PartialClosureForm::deserialize(deserializer)?;
        partial_closure(&form, "partial closure").map_err(crate::rejected::reject)
    }
}

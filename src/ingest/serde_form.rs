//! The serde form of an [`ExportProfile`], read through the builder's
//! checks. Keys are snake case; every table refuses unknown keys, so a
//! misspelt key is named rather than ignored.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::instant::{InstantFormat, Reading};
use super::profile::{
    Activity, ActivityTable, Duplicates, ExportProfile, FieldColumn, InstantColumn, RejectRule, UnknownActivity,
    Unmapped, VerdictColumn, WaitEnd,
};
use crate::calendar::{Disambiguation, time_zone};
use crate::error::{Error, Result};
use crate::names::{Action, Field, Value};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProfileForm {
    ticket: String,
    instant: InstantForm,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created: Option<InstantForm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    order: Option<String>,
    #[serde(default = "no_text")]
    missing: Vec<String>,
    #[serde(default)]
    duplicates: Duplicates,
    #[serde(default, deserialize_with = "crate::unique_keys::deserialize")]
    fields: BTreeMap<String, FieldForm>,
    #[serde(default, deserialize_with = "crate::unique_keys::deserialize")]
    reject: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    activity: Option<ActivityForm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    verdict: Option<VerdictForm>,
}

fn no_text() -> Vec<String> {
    vec![String::new()]
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InstantForm {
    column: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    format: Option<InstantFormat>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reading: Option<ReadingName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    zone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    disambiguation: Option<Disambiguation>,
}

#[derive(Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum ReadingName {
    Utc,
    Offset,
    Local,
    WrongOffset,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldForm {
    column: String,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "crate::unique_keys::deserialize"
    )]
    values: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unmapped: Option<UnmappedForm>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum UnmappedForm {
    Reject,
    Keep,
    Default(String),
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActivityForm {
    column: String,
    #[serde(default = "status")]
    status_field: String,
    #[serde(default)]
    unknown: UnknownActivity,
    #[serde(deserialize_with = "crate::unique_keys::deserialize")]
    values: BTreeMap<String, EffectForm>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "crate::unique_keys::deserialize"
    )]
    maps: BTreeMap<String, BTreeMap<String, String>>,
}

fn status() -> String {
    "status".into()
}

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct EffectForm {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wait: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    until: Option<WaitEnd>,
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "crate::unique_keys::deserialize"
    )]
    set: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    action: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct VerdictForm {
    column: String,
    met: Vec<String>,
    breached: Vec<String>,
}

impl InstantForm {
    /// The column, with what it does not say taken from `base` (the
    /// instant column, for the creation column).
    pub(crate) fn column(self, key: &str, base: Option<&InstantColumn>) -> Result<InstantColumn> {
        let format = self
            .format
            .or_else(|| base.map(|b| b.format.clone()))
            .unwrap_or_default();
        let inherited = base.map(|b| b.reading);
        let name = match (self.reading, inherited) {
            (Some(name), _) => name,
            (None, Some(reading)) if self.zone.is_none() => {
                return Ok(InstantColumn::new(self.column, format, reading));
            }
            (None, Some(reading)) => reading_name(reading),
            (None, None) => ReadingName::Utc,
        };
        let rule = self
            .disambiguation
            .or_else(|| inherited.and_then(disambiguation_of))
            .unwrap_or_default();
        let zone = match (&self.zone, inherited.and_then(|r| r.zone())) {
            (Some(name), _) => Some(time_zone(name).map_err(|e| e.in_field(format!("{key}.zone")))?),
            (None, zone) => zone,
        };
        let reading = match (name, zone) {
            (ReadingName::Utc, None) => Reading::Utc,
            (ReadingName::Offset, None) => Reading::Offset,
            (ReadingName::Local, Some(zone)) => Reading::local(zone, rule),
            (ReadingName::WrongOffset, Some(zone)) => Reading::wrong_offset(zone, rule),
            (ReadingName::Utc | ReadingName::Offset, Some(zone)) => {
                return Err(
                    Error::value(zone.name(), "no zone: `utc` and `offset` readings take none")
                        .in_field(format!("{key}.zone")),
                );
            }
            (_, None) => {
                return Err(
                    Error::value("(none)", "the IANA zone of the local time, such as `Europe/Brussels`")
                        .in_field(format!("{key}.zone")),
                );
            }
        };
        Ok(InstantColumn::new(self.column, format, reading))
    }

    pub(crate) fn of(column: &InstantColumn) -> InstantForm {
        InstantForm {
            column: column.column.clone(),
            format: Some(column.format.clone()),
            reading: Some(reading_name(column.reading)),
            zone: column.reading.zone().map(|z| z.name().to_string()),
            disambiguation: disambiguation_of(column.reading),
        }
    }
}

fn reading_name(reading: Reading) -> ReadingName {
    match reading {
        Reading::Utc => ReadingName::Utc,
        Reading::Offset => ReadingName::Offset,
        Reading::Local { .. } => ReadingName::Local,
        Reading::WrongOffset { .. } => ReadingName::WrongOffset,
    }
}

fn disambiguation_of(reading: Reading) -> Option<Disambiguation> {
    match reading {
        Reading::Local { disambiguation, .. } | Reading::WrongOffset { disambiguation, .. } => Some(disambiguation),
        Reading::Utc | Reading::Offset => None,
    }
}

impl TryFrom<ProfileForm> for ExportProfile {
    type Error = Error;

    fn try_from(form: ProfileForm) -> Result<ExportProfile> {
        let instant = form.instant.column("instant", None)?;
        let mut builder = ExportProfile::builder(form.ticket, instant.clone())
            .missing(form.missing)
            .duplicates(form.duplicates);
        if let Some(created) = form.created {
            builder = builder.created(created.column("created", Some(&instant))?);
        }
        if let Some(order) = form.order {
            builder = builder.order(order);
        }
        for (field, f) in form.fields {
            let mut column = FieldColumn::new(field.as_str(), f.column);
            if !f.values.is_empty() {
                column = column.map(f.values);
            }
            column = column.unmapped(match f.unmapped {
                None | Some(UnmappedForm::Reject) => Unmapped::Reject,
                Some(UnmappedForm::Keep) => Unmapped::Keep,
                Some(UnmappedForm::Default(v)) => Unmapped::Default(Value::from(v)),
            });
            builder = builder.field(column);
        }
        for (column, values) in form.reject {
            for (value, reason) in values {
                builder = builder.reject(column.as_str(), value, reason);
            }
        }
        if let Some(a) = form.activity {
            let mut table = ActivityTable::new(a.column)
                .status_field(a.status_field.as_str())
                .unknown(a.unknown);
            for (text, e) in a.values {
                table = table.activity(text.as_str(), effect(&text, e)?);
            }
            for (field, map) in a.maps {
                table = table.map(field.as_str(), map);
            }
            builder = builder.activities(table);
        }
        if let Some(v) = form.verdict {
            builder = builder.verdict(VerdictColumn::new(v.column, v.met, v.breached));
        }
        builder.build()
    }
}

fn effect(text: &str, e: EffectForm) -> Result<Activity> {
    let mut activity = Activity::new();
    if let Some(s) = e.status {
        activity = activity.status(s.as_str());
    }
    match (e.wait, e.until) {
        (Some(w), until) => activity = activity.wait(w.as_str(), until.unwrap_or_default()),
        (None, Some(_)) => {
            return Err(
                Error::value("until", "`until` only with a `wait`").in_field(format!("activity.values.{text}.until"))
            );
        }
        (None, None) => {}
    }
    for (field, column) in e.set {
        activity = activity.set(field.as_str(), column);
    }
    if let Some(a) = e.action {
        activity = activity.action(a.as_str());
    }
    Ok(activity)
}

impl From<ExportProfile> for ProfileForm {
    fn from(p: ExportProfile) -> ProfileForm {
        let mut reject: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for RejectRule { column, value, reason } in p.rejects {
            reject.entry(column).or_default().insert(value, reason);
        }
        ProfileForm {
            ticket: p.ticket,
            instant: InstantForm::of(&p.instant),
            created: p.created.as_ref().map(InstantForm::of),
            order: p.order,
            missing: p.missing,
            duplicates: p.duplicates,
            fields: p.fields.into_iter().map(field_form).collect(),
            reject,
            activity: p.activities.map(activity_form),
            verdict: p.verdict.map(|v| VerdictForm {
                column: v.column,
                met: v.met,
                breached: v.breached,
            }),
        }
    }
}

fn field_form(f: FieldColumn) -> (String, FieldForm) {
    let text = |v: Value| v.as_str().to_string();
    let form = FieldForm {
        column: f.column,
        values: f
            .values
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k, text(v)))
            .collect(),
        unmapped: Some(match f.unmapped {
            Unmapped::Keep => UnmappedForm::Keep,
            Unmapped::Default(v) => UnmappedForm::Default(text(v)),
            _ => UnmappedForm::Reject,
        }),
    };
    (f.field.as_str().to_string(), form)
}

fn activity_form(t: ActivityTable) -> ActivityForm {
    let text = |v: &Value| v.as_str().to_string();
    let values = t
        .activities
        .into_iter()
        .map(|(k, a)| {
            let form = EffectForm {
                status: a.status.as_ref().map(text),
                wait: a.wait.as_ref().map(|(s, _)| text(s)),
                until: a.wait.as_ref().map(|(_, end)| *end),
                set: a
                    .set
                    .into_iter()
                    .map(|(f, c): (Field, String)| (f.as_str().to_string(), c))
                    .collect(),
                action: a.action.as_ref().map(|x: &Action| x.as_str().to_string()),
            };
            (k, form)
        })
        .collect();
    let maps = t
        .maps
        .into_iter()
        .map(|(field, map)| {
            let map = map.into_iter().map(|(k, v)| (k, text(&v))).collect();
            (field.as_str().to_string(), map)
        })
        .collect();
    ActivityForm {
        column: t.column,
        status_field: t.status_field.as_str().to_string(),
        unknown: t.unknown,
        values,
        maps,
    }
}

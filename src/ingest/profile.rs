//! What an export profile says: which columns hold the ticket, the instant
//! and the fields, how their text is read, and what each row is.

use std::collections::HashMap;

use super::instant::{InstantFormat, InstantReader, Reading};
use crate::error::{Error, Result};
use crate::names::{Action, Field, Value};

/// How one export becomes ticket timelines, written once per export
/// layout (a file in the serde form, usually TOML) instead of a program.
///
/// A profile names the ticket column, the instant column (its
/// [`InstantFormat`] and [`Reading`]), an optional creation column, the
/// columns that hold fields (each with an optional map from the tool's
/// values to the lifecycle's), the missing-value markers, rows to reject
/// by value, an optional tie-break column for rows at one instant, an
/// optional recorded-verdict column, and what a row is:
///
/// - **snapshot rows** (the default): each row restates the ticket's
///   fields, as ServiceNow's audit exports do. The first row's values are
///   the ticket's creation; each row becomes the change of the fields that
///   differ from the row before, or an `update` action when none does.
/// - **activity rows** ([`ExportProfile::activities`]): one activity per
///   row, as in process-mining logs; an [`ActivityTable`] says what each
///   activity does.
///
/// Rows may come in any order: they are grouped per ticket and stable
/// sorted by instant (then the tie-break column, then file order). See
/// [`Ingest`](super::Ingest) for what happens to each row.
///
/// ```
/// use servicelevel::ingest::{ExportProfile, FieldColumn, InstantColumn, InstantFormat, Reading};
/// let profile = ExportProfile::builder("id", InstantColumn::new("at", InstantFormat::Iso8601, Reading::Utc))
///     .field(FieldColumn::new("status", "state").map([("Open", "open"), ("Done", "resolved")]))
///     .field(FieldColumn::new("priority", "prio"))
///     .build()?;
/// assert_eq!(profile.fields().len(), 2);
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(into = "super::serde_form::ProfileForm"))]
pub struct ExportProfile {
    pub(super) ticket: String,
    pub(super) instant: InstantColumn,
    pub(super) created: Option<InstantColumn>,
    pub(super) order: Option<String>,
    pub(super) missing: Vec<String>,
    pub(super) duplicates: Duplicates,
    pub(super) fields: Vec<FieldColumn>,
    pub(super) rejects: Vec<RejectRule>,
    pub(super) activities: Option<ActivityTable>,
    pub(super) verdict: Option<VerdictColumn>,
}

/// Builds an [`ExportProfile`]; see there.
#[derive(Clone, Debug)]
pub struct ExportProfileBuilder {
    profile: ExportProfile,
}

/// An instant column: its name, format and reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstantColumn {
    pub(super) column: String,
    pub(super) format: InstantFormat,
    pub(super) reading: Reading,
}

impl InstantColumn {
    /// The column `column`, written in `format`, read under `reading`.
    pub fn new(column: impl Into<String>, format: InstantFormat, reading: Reading) -> InstantColumn {
        InstantColumn {
            column: column.into(),
            format,
            reading,
        }
    }

    /// The column's name.
    pub fn column(&self) -> &str {
        &self.column
    }

    /// A reader for the column's text.
    pub fn reader(&self) -> InstantReader {
        InstantReader::new(self.format.clone(), self.reading)
    }
}

/// What to do with rows that repeat an earlier row of the same ticket in
/// every column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Duplicates {
    /// Reject them, naming the row they repeat (exports repeat rows when
    /// a page boundary or a retry writes one twice).
    #[default]
    Drop,
    /// Use them as rows of their own.
    Keep,
}

/// A column that holds a ticket field, and how its text becomes values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldColumn {
    pub(super) field: Field,
    pub(super) column: String,
    pub(super) values: Option<HashMap<String, Value>>,
    pub(super) unmapped: Unmapped,
}

/// What a field column does with a text its value map does not have.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unmapped {
    /// Reject the row (an unknown status must be seen, not guessed).
    #[default]
    Reject,
    /// Keep the text as the value.
    Keep,
    /// Use this value.
    Default(Value),
}

impl FieldColumn {
    /// Field `field` from column `column`, its text kept as the value.
    pub fn new(field: impl Into<Field>, column: impl Into<String>) -> FieldColumn {
        FieldColumn {
            field: field.into(),
            column: column.into(),
            values: None,
            unmapped: Unmapped::default(),
        }
    }

    /// Maps the tool's texts to values; a text not in the map is handled
    /// by the [`Unmapped`] rule (rejected unless told otherwise).
    pub fn map<T: Into<String>, V: Into<Value>>(mut self, pairs: impl IntoIterator<Item = (T, V)>) -> FieldColumn {
        let map = self.values.get_or_insert_with(HashMap::new);
        map.extend(pairs.into_iter().map(|(t, v)| (t.into(), v.into())));
        self
    }

    /// What to do with a text the map does not have.
    pub fn unmapped(mut self, rule: Unmapped) -> FieldColumn {
        self.unmapped = rule;
        self
    }

    /// The field.
    pub fn field(&self) -> &Field {
        &self.field
    }

    /// The column.
    pub fn column(&self) -> &str {
        &self.column
    }
}

/// Rows whose `column` holds `value` are rejected with `reason` (such as
/// ServiceNow's undocumented state `-100`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RejectRule {
    pub(super) column: String,
    pub(super) value: String,
    pub(super) reason: String,
}

/// What each activity of an activity log does, found by the text of the
/// activity column.
///
/// Every activity row becomes an action named by the activity (or by its
/// [`Activity::action`]), after the changes of the field columns and of
/// the activity's own effects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActivityTable {
    pub(super) column: String,
    pub(super) status_field: Field,
    pub(super) activities: HashMap<String, Activity>,
    pub(super) unknown: UnknownActivity,
    /// Per field set by activities, the tool's texts to values; a text not
    /// in a field's map rejects the row.
    pub(super) maps: HashMap<Field, HashMap<String, Value>>,
}

/// What an activity log's rows with an activity the table does not have
/// become.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum UnknownActivity {
    /// Rejected rows.
    #[default]
    Reject,
    /// An action named by the activity.
    Action,
}

/// What one activity does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Activity {
    pub(super) status: Option<Value>,
    pub(super) wait: Option<(Value, WaitEnd)>,
    pub(super) set: Vec<(Field, String)>,
    pub(super) action: Option<Action>,
}

/// When a wait that an activity begins ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum WaitEnd {
    /// At the next activity that sets a status.
    #[default]
    NextStatus,
    /// At the next activity of any kind; the status goes back to the one
    /// before the wait unless that activity sets one.
    NextActivity,
}

impl Activity {
    /// An activity that does nothing but be an action.
    pub fn new() -> Activity {
        Activity::default()
    }

    /// Sets the status.
    pub fn status(mut self, status: impl Into<Value>) -> Activity {
        self.status = Some(status.into());
        self
    }

    /// Sets the status to a waiting one until `end`: a pending or wait
    /// activity that no activity closes.
    pub fn wait(mut self, status: impl Into<Value>, end: WaitEnd) -> Activity {
        self.wait = Some((status.into(), end));
        self
    }

    /// Sets `field` from the row's `column`.
    pub fn set(mut self, field: impl Into<Field>, column: impl Into<String>) -> Activity {
        self.set.push((field.into(), column.into()));
        self
    }

    /// Names the action (the activity's own text by default).
    pub fn action(mut self, action: impl Into<Action>) -> Activity {
        self.action = Some(action.into());
        self
    }
}

impl ActivityTable {
    /// Activities from `column`; statuses are set in the `status` field.
    pub fn new(column: impl Into<String>) -> ActivityTable {
        ActivityTable {
            column: column.into(),
            status_field: Field::new("status"),
            activities: HashMap::new(),
            unknown: UnknownActivity::default(),
            maps: HashMap::new(),
        }
    }

    /// Maps the texts that activities' `set` effects read for `field`
    /// (a changelog's `To` column holds the tool's statuses); a text not
    /// in the map rejects the row.
    pub fn map<T: Into<String>, V: Into<Value>>(
        mut self,
        field: impl Into<Field>,
        pairs: impl IntoIterator<Item = (T, V)>,
    ) -> ActivityTable {
        let map = self.maps.entry(field.into()).or_default();
        map.extend(pairs.into_iter().map(|(t, v)| (t.into(), v.into())));
        self
    }

    /// What activity `text` does.
    pub fn activity(mut self, text: impl Into<String>, activity: Activity) -> ActivityTable {
        self.activities.insert(text.into(), activity);
        self
    }

    /// The field activities set statuses in.
    pub fn status_field(mut self, field: impl Into<Field>) -> ActivityTable {
        self.status_field = field.into();
        self
    }

    /// What rows with an activity not in the table become.
    pub fn unknown(mut self, rule: UnknownActivity) -> ActivityTable {
        self.unknown = rule;
        self
    }
}

/// The tool's own verdict on a ticket (ServiceNow's `made_sla`): the
/// column and the texts that mean met and breached. The verdict of a
/// ticket is that of its last row with one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerdictColumn {
    pub(super) column: String,
    pub(super) met: Vec<String>,
    pub(super) breached: Vec<String>,
}

impl VerdictColumn {
    /// Column `column`, whose texts `met` and `breached` say so.
    pub fn new<T: Into<String>>(
        column: impl Into<String>,
        met: impl IntoIterator<Item = T>,
        breached: impl IntoIterator<Item = T>,
    ) -> VerdictColumn {
        VerdictColumn {
            column: column.into(),
            met: met.into_iter().map(Into::into).collect(),
            breached: breached.into_iter().map(Into::into).collect(),
        }
    }
}

impl ExportProfile {
    /// A snapshot profile with tickets in `ticket` and instants in
    /// `instant`; the empty text is the only missing marker, and exact
    /// duplicate rows are dropped, until told otherwise.
    pub fn builder(ticket: impl Into<String>, instant: InstantColumn) -> ExportProfileBuilder {
        ExportProfileBuilder {
            profile: ExportProfile {
                ticket: ticket.into(),
                instant,
                created: None,
                order: None,
                missing: vec![String::new()],
                duplicates: Duplicates::default(),
                fields: Vec::new(),
                rejects: Vec::new(),
                activities: None,
                verdict: None,
            },
        }
    }

    /// The ticket column.
    pub fn ticket_column(&self) -> &str {
        &self.ticket
    }

    /// The instant column.
    pub fn instant(&self) -> &InstantColumn {
        &self.instant
    }

    /// The field columns, in the order given.
    pub fn fields(&self) -> &[FieldColumn] {
        &self.fields
    }

    /// The activity table of an activity log.
    pub fn activities(&self) -> Option<&ActivityTable> {
        self.activities.as_ref()
    }

    /// Starts reading an export with this profile.
    pub fn ingest(&self) -> super::Ingest<'_> {
        super::Ingest::new(self)
    }

    fn check(&self) -> Result<()> {
        let mut seen = std::collections::HashSet::new();
        let mut claim = |field: &Field, key: String| {
            if seen.insert(field.clone()) {
                Ok(())
            } else {
                Err(Error::value(field, "a field set by one column or activity effect only").in_field(key))
            }
        };
        for f in &self.fields {
            claim(&f.field, format!("fields.{}", f.field))?;
        }
        if let Some(table) = &self.activities {
            claim(&table.status_field, "activity.status_field".into())?;
            let mut set_fields = std::collections::HashSet::new();
            for (text, activity) in &table.activities {
                if activity.status.is_some() && activity.wait.is_some() {
                    return Err(
                        Error::value(text, "an activity that sets a status or begins a wait, not both")
                            .in_field(format!("activity.values.{text}")),
                    );
                }
                let sets_status = activity.status.is_some() || activity.wait.is_some();
                for (field, _) in &activity.set {
                    let status_twice = sets_status && field == &table.status_field;
                    if status_twice || self.fields.iter().any(|f| &f.field == field) {
                        return Err(Error::value(field, "a field no column or status effect already sets")
                            .in_field(format!("activity.values.{text}.set")));
                    }
                    set_fields.insert(field.clone());
                }
            }
            for field in table.maps.keys() {
                if !set_fields.contains(field) {
                    return Err(Error::value(field, "a field that an activity's `set` reads")
                        .in_field(format!("activity.maps.{field}")));
                }
            }
        }
        Ok(())
    }
}

impl ExportProfileBuilder {
    /// The column of the ticket's creation instant (ServiceNow's
    /// `opened_at`); without one, a ticket is created at its first row.
    pub fn created(mut self, column: InstantColumn) -> ExportProfileBuilder {
        self.profile.created = Some(column);
        self
    }

    /// An integer column that orders rows at one instant
    /// (`sys_mod_count`).
    pub fn order(mut self, column: impl Into<String>) -> ExportProfileBuilder {
        self.profile.order = Some(column.into());
        self
    }

    /// The texts that mean "no value" (`?`, `NULL`); replaces the default
    /// (the empty text).
    pub fn missing<T: Into<String>>(mut self, markers: impl IntoIterator<Item = T>) -> ExportProfileBuilder {
        self.profile.missing = markers.into_iter().map(Into::into).collect();
        self
    }

    /// What to do with exact duplicate rows.
    pub fn duplicates(mut self, rule: Duplicates) -> ExportProfileBuilder {
        self.profile.duplicates = rule;
        self
    }

    /// A field column.
    pub fn field(mut self, column: FieldColumn) -> ExportProfileBuilder {
        self.profile.fields.push(column);
        self
    }

    /// Rejects rows whose `column` holds `value`, for `reason`.
    pub fn reject(
        mut self,
        column: impl Into<String>,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> ExportProfileBuilder {
        self.profile.rejects.push(RejectRule {
            column: column.into(),
            value: value.into(),
            reason: reason.into(),
        });
        self
    }

    /// Makes the rows activities, read with `table`.
    pub fn activities(mut self, table: ActivityTable) -> ExportProfileBuilder {
        self.profile.activities = Some(table);
        self
    }

    /// The tool's recorded verdict.
    pub fn verdict(mut self, column: VerdictColumn) -> ExportProfileBuilder {
        self.profile.verdict = Some(column);
        self
    }

    /// The profile.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`](crate::ErrorKind::InvalidValue) naming
    /// the key when two columns or activity effects set one field, or an
    /// activity both sets a status and begins a wait.
    pub fn build(self) -> Result<ExportProfile> {
        self.profile.check()?;
        Ok(self.profile)
    }
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(ExportProfile, super::serde_form::ProfileForm);

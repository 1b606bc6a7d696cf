//! The vocabulary of a source system: which fields exist, which values a
//! closed field may take, and which values close a ticket for good.

use super::{Event, Field, Problem, Value};
use crate::error::{Detail, Error, Result};

/// A source system's vocabulary.
///
/// Without a schema any field and value is accepted. With one, timelines
/// reject (strict) or drop with a diagnostic (lenient) events that name an
/// unknown field, give a closed field an unknown value (a misspelt status),
/// or come after the ticket reached a final value; and
/// [`Policy::check_schema`](crate::policy::Policy::check_schema) rejects
/// policies whose conditions name what the system never produces.
///
/// ```
/// use servicelevel::event::Schema;
/// let schema = Schema::new()
///     .field("priority")
///     .closed_field("status", ["new", "open", "pending", "solved", "closed"])
///     .final_values("status", ["closed"])?;
/// assert!(schema.knows_value("status", "pending"));
/// assert!(!schema.knows_value("status", "pendng"));
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(into = "SchemaForm"))]
pub struct Schema {
    fields: Vec<(Field, Option<Vec<Value>>)>,
    final_values: Option<(Field, Vec<Value>)>,
}

/// The serde form: `{"fields": {"status": ["new", ...], "priority": null},
/// "final_values": {"status": ["closed"]}}`.
#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaForm {
    #[serde(deserialize_with = "crate::unique_keys::deserialize")]
    fields: std::collections::BTreeMap<Field, Option<Vec<Value>>>,
    #[serde(
        default,
        skip_serializing_if = "std::collections::BTreeMap::is_empty",
        deserialize_with = "crate::unique_keys::deserialize"
    )]
    final_values: std::collections::BTreeMap<Field, Vec<Value>>,
}

#[cfg(feature = "serde")]
impl TryFrom<SchemaForm> for Schema {
    type Error = Error;

    fn try_from(form: SchemaForm) -> Result<Schema> {
        let fields = form.fields.into_iter().collect();
        let schema = Schema {
            fields,
            final_values: None,
        };
        match form.final_values.into_iter().collect::<Vec<_>>().as_slice() {
            [] => Ok(schema),
            [(field, values)] => schema.final_values(field.clone(), values.iter().cloned()),
            _ => Err(schema_error("only one field may have final values".into())),
        }
    }
}

#[cfg(feature = "serde")]
impl From<Schema> for SchemaForm {
    fn from(schema: Schema) -> SchemaForm {
        SchemaForm {
            fields: schema.fields.into_iter().collect(),
            final_values: schema.final_values.into_iter().collect(),
        }
    }
}

impl Schema {
    /// A schema that knows no field yet.
    pub fn new() -> Schema {
        Schema::default()
    }

    /// Adds a field that may hold any value.
    pub fn field(mut self, name: impl Into<Field>) -> Schema {
        self.fields.push((name.into(), None));
        self
    }

    /// Adds a field that may hold only the given values.
    pub fn closed_field<V: Into<Value>>(
        mut self,
        name: impl Into<Field>,
        values: impl IntoIterator<Item = V>,
    ) -> Schema {
        self.fields
            .push((name.into(), Some(values.into_iter().map(Into::into).collect())));
        self
    }

    /// Declares the values of a closed field after which a ticket takes no
    /// more events (`closed` in most tools). An error when the field is not
    /// a closed field of this schema or a value is not one of its values.
    ///
    /// # Errors
    ///
    /// When the field is not a closed field, or a final value is not one of its values.
    pub fn final_values<V: Into<Value>>(
        mut self,
        field: impl Into<Field>,
        values: impl IntoIterator<Item = V>,
    ) -> Result<Schema> {
        let field = field.into();
        let values: Vec<Value> = values.into_iter().map(Into::into).collect();
        let Some(known) = self.values_of(field.as_str()) else {
            return Err(schema_error(format!(
                "final values need a closed field, and `{field}` is not one"
            )));
        };
        if let Some(unknown) = values.iter().find(|v| !known.contains(v)) {
            return Err(schema_error(format!(
                "final value `{unknown}` is not a value of `{field}`"
            )));
        }
        self.final_values = Some((field, values));
        Ok(self)
    }

    /// True when the schema declares the field.
    pub fn knows_field(&self, field: &str) -> bool {
        self.fields.iter().any(|(f, _)| f == field)
    }

    /// True when the field is declared and may hold the value.
    pub fn knows_value(&self, field: &str, value: &str) -> bool {
        match self.fields.iter().find(|(f, _)| f == field) {
            Some((_, None)) => true,
            Some((_, Some(values))) => values.iter().any(|v| v == value),
            None => false,
        }
    }

    /// The values of a closed field.
    pub fn values_of(&self, field: &str) -> Option<&[Value]> {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .and_then(|(_, values)| values.as_deref())
    }

    /// The first problem with an event's fields and values, if any.
    pub(crate) fn check(&self, event: &Event) -> Option<Problem> {
        for field in event.field_names() {
            if !self.knows_field(field.as_str()) {
                return Some(Problem::UnknownField { field: field.clone() });
            }
            if let Some(Some(value)) = event.new_value(field.as_str())
                && !self.knows_value(field.as_str(), value.as_str())
            {
                return Some(Problem::UnknownValue {
                    field: field.clone(),
                    value: value.clone(),
                });
            }
        }
        None
    }

    /// True when the event gives the ticket a final value.
    pub(crate) fn closes(&self, event: &Event) -> bool {
        let Some((field, values)) = &self.final_values else {
            return false;
        };
        matches!(event.new_value(field.as_str()), Some(Some(v)) if values.contains(v))
    }
}

fn schema_error(reason: String) -> Error {
    Error::from(Detail::InvalidPolicy {
        policy: "schema".into(),
        field: "final_values".into(),
        reason,
    })
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(Schema, SchemaForm);

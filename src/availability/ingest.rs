//! Outage exports (status-page histories, monitoring downtime logs) to
//! outages and maintenance windows by a declarative profile, with a
//! [`Ledger`] of every row.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use super::{Impact, Outage, Weight};
use crate::error::{Error, Result};
use crate::ingest::{InstantColumn, InstantReader, Ledger, RowProblem};
use crate::interval::Interval;

/// How one outage export becomes outages: one row per outage, with its
/// start and end instants, an optional impact column whose texts map to
/// an [`OutageKind`], an optional service column (one service when
/// absent), an optional id column, and rows to reject by value.
///
/// Serde form (TOML):
///
/// ```toml
/// id = "incident_id"
/// scope = "affected_share"          # optional: 0.25 or 25% of users down
/// [start]
/// column = "downtime_start"
/// format = "rfc3339"
/// reading = "offset"
/// [end]
/// column = "downtime_end"           # format and reading from `start`
/// [impact]
/// column = "impact"
/// values = { critical = "major", major = "partial", minor = "degraded", maintenance = "maintenance" }
/// [reject.impact]
/// none = "no downtime declared"
/// ```
///
/// A row without an end is an outage still going on. A text the impact
/// map does not have rejects the row.
///
/// ```
/// use servicelevel::availability::{OutageKind, OutageProfile};
/// use servicelevel::ingest::{InstantColumn, InstantFormat, Reading};
/// let at = |c: &str| InstantColumn::new(c, InstantFormat::Rfc3339, Reading::Offset);
/// let profile = OutageProfile::builder(at("from"), at("to"))
///     .impact("level", [("down", OutageKind::Major), ("slow", OutageKind::Degraded)])
///     .build();
/// let mut ingest = profile.ingest();
/// ingest.source("outages.csv", &["from", "to", "level"])?;
/// ingest.row(["2025-06-02T09:00:00Z", "2025-06-02T09:30:00Z", "down"]);
/// ingest.row(["2025-06-02T10:00:00Z", "2025-06-02T09:00:00Z", "down"]); // ends before it starts
/// ingest.row(["2025-06-02T11:00:00Z", "2025-06-02T11:10:00Z", "gone"]);
/// let ingested = ingest.finish();
/// assert_eq!(ingested.services[""].outages.len(), 1);
/// assert_eq!(
///     ingested.ledger.to_string(),
///     "3 rows read = 1 used + 2 rejected (1 unknown level `gone`, 1 unusable outage (the end is before the start))"
/// );
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(into = "OutageProfileForm"))]
pub struct OutageProfile {
    id: Option<String>,
    service: Option<String>,
    start: InstantColumn,
    end: InstantColumn,
    impact: Option<(String, HashMap<String, OutageKind>)>,
    scope: Option<String>,
    missing: Vec<String>,
    rejects: Vec<(String, String, String)>,
}

/// What an impact text of an outage export means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum OutageKind {
    /// [`Impact::Major`]: the service is down.
    Major,
    /// [`Impact::Partial`].
    Partial,
    /// [`Impact::Degraded`].
    Degraded,
    /// Planned maintenance: a maintenance window, not an outage.
    Maintenance,
}

/// Builds an [`OutageProfile`]; see there.
#[derive(Clone, Debug)]
pub struct OutageProfileBuilder {
    profile: OutageProfile,
}

impl OutageProfile {
    /// Outages from `start` to `end`, every row a major outage of one
    /// service until told otherwise; the empty text is missing.
    pub fn builder(start: InstantColumn, end: InstantColumn) -> OutageProfileBuilder {
        OutageProfileBuilder {
            profile: OutageProfile {
                id: None,
                service: None,
                start,
                end,
                impact: None,
                scope: None,
                missing: vec![String::new()],
                rejects: Vec::new(),
            },
        }
    }

    /// Starts reading an export with this profile.
    pub fn ingest(&self) -> OutageIngest<'_> {
        OutageIngest {
            profile: self,
            bound: None,
            ledger: Ledger::default(),
            services: BTreeMap::new(),
        }
    }
}

impl OutageProfileBuilder {
    /// The column naming each outage (reported with it).
    pub fn id(mut self, column: impl Into<String>) -> OutageProfileBuilder {
        self.profile.id = Some(column.into());
        self
    }

    /// The column naming the service (or status-page component) down.
    pub fn service(mut self, column: impl Into<String>) -> OutageProfileBuilder {
        self.profile.service = Some(column.into());
        self
    }

    /// The impact column and what its texts mean.
    pub fn impact<T: Into<String>>(
        mut self,
        column: impl Into<String>,
        values: impl IntoIterator<Item = (T, OutageKind)>,
    ) -> OutageProfileBuilder {
        let map = values.into_iter().map(|(t, k)| (t.into(), k)).collect();
        self.profile.impact = Some((column.into(), map));
        self
    }

    /// The column holding each outage's scope: the share of users, regions
    /// or capacity it took down, as a fraction (`0.25`) or a percentage
    /// (`25%`). The outage then counts at that weight
    /// ([`Impact::Weighted`]), whatever its impact level says; a
    /// maintenance row stays maintenance, and a missing scope leaves the
    /// impact level's weight.
    pub fn scope(mut self, column: impl Into<String>) -> OutageProfileBuilder {
        self.profile.scope = Some(column.into());
        self
    }

    /// The texts that mean "no value".
    pub fn missing<T: Into<String>>(mut self, markers: impl IntoIterator<Item = T>) -> OutageProfileBuilder {
        self.profile.missing = markers.into_iter().map(Into::into).collect();
        self
    }

    /// Rejects rows whose `column` holds `value`, for `reason`.
    pub fn reject(
        mut self,
        column: impl Into<String>,
        value: impl Into<String>,
        reason: impl Into<String>,
    ) -> OutageProfileBuilder {
        self.profile.rejects.push((column.into(), value.into(), reason.into()));
        self
    }

    /// The profile.
    pub fn build(self) -> OutageProfile {
        self.profile
    }
}

/// A scope text as a weight: a fraction in `[0, 1]` or a percentage with
/// `%` (at most four decimal places as a fraction).
fn scope(text: &str) -> Result<Weight> {
    let expected = "a share such as `0.25` or `25%`, between 0 and 1 (0% and 100%)";
    let trimmed = text.trim();
    let (number, percent) = match trimmed.strip_suffix('%') {
        Some(number) => (number.trim_end(), true),
        None => (trimmed, false),
    };
    let value: Decimal = number.parse().map_err(|_| Error::value(text, expected))?;
    let value = if percent {
        value
            .checked_div(Decimal::ONE_HUNDRED)
            .ok_or_else(|| Error::value(text, expected))?
    } else {
        value
    };
    Weight::new(value).map_err(|_| Error::value(text, expected))
}

/// The outages and maintenance windows of one service.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceOutages {
    /// Its outages, in row order.
    pub outages: Vec<Outage>,
    /// Each outage's id, when the profile names the column.
    pub ids: Vec<Option<String>>,
    /// Its planned maintenance windows.
    pub maintenance: Vec<Interval>,
}

/// What an outage ingestion gives.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct IngestedOutages {
    /// Per service (the service column's text; `""` without one).
    pub services: BTreeMap<String, ServiceOutages>,
    /// Where every row went.
    pub ledger: Ledger,
}

/// Reads one outage export with an [`OutageProfile`]: sources (a header,
/// then rows), then [`OutageIngest::finish`].
#[derive(Debug)]
pub struct OutageIngest<'p> {
    profile: &'p OutageProfile,
    bound: Option<Bound>,
    ledger: Ledger,
    services: BTreeMap<String, ServiceOutages>,
}

#[derive(Debug)]
struct Bound {
    source: usize,
    width: usize,
    id: Option<usize>,
    service: Option<usize>,
    start: (usize, InstantReader),
    end: (usize, InstantReader),
    impact: Option<usize>,
    scope: Option<usize>,
    rejects: Vec<usize>,
}

impl OutageIngest<'_> {
    /// Starts a source with its header.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownColumn`](crate::ErrorKind::UnknownColumn) naming
    /// the profile key and the column, and listing the header.
    pub fn source<S: AsRef<str>>(&mut self, name: &str, header: &[S]) -> Result<()> {
        let header: Vec<&str> = header.iter().map(AsRef::as_ref).collect();
        let find = |column: &str, key: &str| crate::ingest::column_in(&header, column, key);
        let p = self.profile;
        let bound = Bound {
            source: 0,
            width: header.len(),
            start: (find(p.start.column(), "start.column")?, p.start.reader()),
            end: (find(p.end.column(), "end.column")?, p.end.reader()),
            id: p.id.as_deref().map(|c| find(c, "id")).transpose()?,
            service: p.service.as_deref().map(|c| find(c, "service")).transpose()?,
            impact: p.impact.as_ref().map(|(c, _)| find(c, "impact.column")).transpose()?,
            scope: p.scope.as_deref().map(|c| find(c, "scope")).transpose()?,
            rejects: p
                .rejects
                .iter()
                .map(|(c, _, _)| find(c, &format!("reject.{c}")))
                .collect::<Result<_>>()?,
        };
        let source = self.ledger.start(name);
        self.bound = Some(Bound { source, ..bound });
        Ok(())
    }

    /// A row the caller could not read: counted and rejected.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "a source was started just before when there was none, so there is at least one"
    )]
    pub fn unreadable_row(&mut self, message: impl Into<String>) {
        if self.bound.is_none() {
            self.ledger.start("(rows before any header)");
        }
        let source = self
            .bound
            .as_ref()
            .map_or(self.ledger.sources().len() - 1, |b| b.source);
        let row = self.ledger.read();
        let reason = RowProblem::Unreadable {
            message: message.into(),
        };
        self.ledger.reject(source, row, None, reason);
    }

    /// One row of the current source, as its columns' texts.
    pub fn row<'r>(&mut self, row: impl IntoIterator<Item = &'r str>) {
        let Some(bound) = self.bound.take() else {
            self.unreadable_row("no header was given before this row");
            return;
        };
        let number = self.ledger.read();
        let texts: Vec<&str> = row.into_iter().collect();
        match self.read_row(&bound, &texts) {
            Ok(()) => self.ledger.use_rows(1),
            Err(reason) => self.ledger.reject(bound.source, number, None, reason),
        }
        self.bound = Some(bound);
    }

    fn read_row(&mut self, bound: &Bound, texts: &[&str]) -> std::result::Result<(), RowProblem> {
        if texts.len() != bound.width {
            return Err(RowProblem::Width {
                expected: bound.width,
                found: texts.len(),
            });
        }
        let p = self.profile;
        let missing = |text: &str| p.missing.iter().any(|m| m == text);
        for ((column, value, reason), &at) in p.rejects.iter().zip(&bound.rejects) {
            if texts[at] == value {
                return Err(RowProblem::Rejected {
                    column: column.clone(),
                    value: value.clone(),
                    reason: reason.clone(),
                });
            }
        }
        let instant = |(at, reader): &(usize, InstantReader), column: &InstantColumn| {
            reader.read(texts[*at]).map_err(|error| RowProblem::Value {
                column: column.column().to_string(),
                error,
            })
        };
        let start = instant(&bound.start, &p.start)?;
        let end = match missing(texts[bound.end.0]) {
            true => None,
            false => Some(instant(&bound.end, &p.end)?),
        };
        let kind = match (&p.impact, bound.impact) {
            (Some((column, map)), Some(at)) => *map.get(texts[at]).ok_or_else(|| RowProblem::UnknownValue {
                column: column.clone(),
                value: texts[at].to_string(),
            })?,
            _ => OutageKind::Major,
        };
        let invalid = |error: Error| RowProblem::Outage { error };
        let service = bound.service.map_or("", |at| texts[at]).to_string();
        let id = bound.id.map(|at| texts[at].to_string());
        let entry = self.services.entry(service).or_default();
        let impact = match kind {
            OutageKind::Maintenance => {
                let end = end.ok_or_else(|| {
                    invalid(Error::value(
                        "(none)",
                        "an end: a maintenance window without one never ends",
                    ))
                })?;
                entry.maintenance.push(Interval::new(start, end).map_err(invalid)?);
                return Ok(());
            }
            OutageKind::Major => Impact::Major,
            OutageKind::Partial => Impact::Partial,
            OutageKind::Degraded => Impact::Degraded,
        };
        let impact = match (&p.scope, bound.scope) {
            (Some(column), Some(at)) if !missing(texts[at]) => {
                let weight = scope(texts[at]).map_err(|error| RowProblem::Value {
                    column: column.clone(),
                    error,
                })?;
                Impact::Weighted(weight)
            }
            _ => impact,
        };
        let outage = match end {
            Some(end) => Outage::new(start, end, impact),
            None => Outage::open(start, impact),
        }
        .map_err(invalid)?;
        entry.outages.push(outage);
        entry.ids.push(id);
        Ok(())
    }

    /// The outages per service, and the ledger.
    pub fn finish(self) -> IngestedOutages {
        let mut ledger = self.ledger;
        ledger.sort();
        IngestedOutages {
            services: self.services,
            ledger,
        }
    }
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct OutageProfileForm {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    service: Option<String>,
    start: crate::ingest::serde_form::InstantForm,
    end: crate::ingest::serde_form::InstantForm,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    impact: Option<ImpactForm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(default = "no_text")]
    missing: Vec<String>,
    #[serde(default, deserialize_with = "crate::unique_keys::deserialize")]
    reject: BTreeMap<String, BTreeMap<String, String>>,
}

#[cfg(feature = "serde")]
fn no_text() -> Vec<String> {
    vec![String::new()]
}

#[cfg(feature = "serde")]
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ImpactForm {
    column: String,
    #[serde(deserialize_with = "crate::unique_keys::deserialize")]
    values: BTreeMap<String, OutageKind>,
}

#[cfg(feature = "serde")]
impl TryFrom<OutageProfileForm> for OutageProfile {
    type Error = Error;

    fn try_from(form: OutageProfileForm) -> Result<OutageProfile> {
        let start = form.start.column("start", None)?;
        let end = form.end.column("end", Some(&start))?;
        let mut builder = OutageProfile::builder(start, end).missing(form.missing);
        if let Some(id) = form.id {
            builder = builder.id(id);
        }
        if let Some(service) = form.service {
            builder = builder.service(service);
        }
        if let Some(impact) = form.impact {
            builder = builder.impact(impact.column, impact.values);
        }
        if let Some(scope) = form.scope {
            builder = builder.scope(scope);
        }
        for (column, values) in form.reject {
            for (value, reason) in values {
                builder = builder.reject(column.as_str(), value, reason);
            }
        }
        Ok(builder.build())
    }
}

#[cfg(feature = "serde")]
impl From<OutageProfile> for OutageProfileForm {
    fn from(p: OutageProfile) -> OutageProfileForm {
        let mut reject: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for (column, value, reason) in p.rejects {
            reject.entry(column).or_default().insert(value, reason);
        }
        OutageProfileForm {
            id: p.id,
            service: p.service,
            start: crate::ingest::serde_form::InstantForm::of(&p.start),
            end: crate::ingest::serde_form::InstantForm::of(&p.end),
            impact: p.impact.map(|(column, values)| ImpactForm {
                column,
                values: values.into_iter().collect(),
            }),
            scope: p.scope,
            missing: p.missing,
            reject,
        }
    }
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(OutageProfile, OutageProfileForm);

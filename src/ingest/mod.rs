//! From export rows to ticket timelines, driven by an [`ExportProfile`]
//! instead of a program: the event layer's ingestion.
//!
//! The library reads no file: a caller (the `review` command, a notebook
//! binding, a test) hands it each source's header and rows as text, and
//! gets the timelines, a [`Ledger`] of where every row went, and the
//! tool's recorded verdicts.
//!
//! ```
//! use servicelevel::ingest::{ExportProfile, FieldColumn, InstantColumn, InstantFormat, Reading};
//! let profile = ExportProfile::builder("id", InstantColumn::new("at", InstantFormat::Iso8601, Reading::Utc))
//!     .field(FieldColumn::new("status", "state").map([("Open", "open"), ("Done", "resolved")]))
//!     .build()?;
//! let mut ingest = profile.ingest();
//! ingest.source("export.csv", &["id", "at", "state"])?;
//! // Rows in any order; the second is repeated; the last has an unknown state.
//! for row in [
//!     ["T1", "2025-06-02 11:00", "Done"],
//!     ["T1", "2025-06-02 09:00", "Open"],
//!     ["T1", "2025-06-02 11:00", "Done"],
//!     ["T2", "2025-06-02 10:00", "Paused"],
//! ] {
//!     ingest.row(row);
//! }
//! let ingested = ingest.finish();
//! assert_eq!(ingested.timelines.len(), 1);
//! assert_eq!(ingested.timelines[0].events().len(), 2); // created open, then resolved
//! assert_eq!(
//!     ingested.ledger.to_string(),
//!     "4 rows read = 2 used + 2 rejected (1 repeated row, 1 unknown state `Paused`); 1 tickets"
//! );
//! assert_eq!(ingested.ledger.rejected()[1].row, 4);
//! # Ok::<(), servicelevel::Error>(())
//! ```
//!
//! # What happens to a row
//!
//! In order: a row with another width than the header, without a ticket
//! id, matching a reject rule, with an unreadable instant, order value or
//! verdict, an unmapped value or an unknown activity is rejected. The
//! rest are grouped by ticket and stable sorted by (instant, order
//! column). Exact duplicates (every column the same as an earlier row of
//! the ticket) are rejected unless the profile keeps them; rows before
//! the ticket's creation are rejected; the others become events. An event
//! the timeline cannot use is reported on its row.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

mod assemble;
mod instant;
mod ledger;
#[cfg(feature = "parallel")]
mod parallel;
mod profile;
mod row_hash;
#[cfg(feature = "serde")]
pub(crate) mod serde_form;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use crate::error::{Detail, Error, Result};
use crate::event::Timeline;
use crate::names::{Action, Field, TicketId, Value};
use assemble::{RawRow, RowActivity, TicketRows};

pub use instant::{InstantFormat, InstantReader, Reading};
pub use ledger::{Ledger, Rejection, RowProblem, Source};
pub use profile::{
    Activity, ActivityTable, Duplicates, ExportProfile, ExportProfileBuilder, FieldColumn, InstantColumn, RejectRule,
    UnknownActivity, Unmapped, VerdictColumn, WaitEnd,
};

/// A ticket's verdict as the exporting tool recorded it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum RecordedVerdict {
    /// The tool says the SLA was met.
    Met,
    /// The tool says it was breached.
    Breached,
}

/// What an ingestion gives.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Ingested {
    /// One timeline per ticket with a usable row, in the order tickets
    /// first appear.
    pub timelines: Vec<Timeline>,
    /// Where every row went.
    pub ledger: Ledger,
    /// The tool's recorded verdict per ticket, when the profile names the
    /// column.
    pub verdicts: BTreeMap<TicketId, RecordedVerdict>,
    /// The latest instant of a used row (a review's default `as_of`).
    pub latest: Option<DateTime<Utc>>,
}

/// Reads one export with an [`ExportProfile`]: sources (a header, then
/// rows), then [`Ingest::finish`]. Made by [`ExportProfile::ingest`]; see
/// the [module docs](self) for an example and what happens to each row.
#[derive(Debug)]
pub struct Ingest<'p> {
    profile: &'p ExportProfile,
    bound: Option<Bound>,
    ledger: Ledger,
    tickets: Vec<TicketRows>,
    index: HashMap<Box<str>, usize>,
    interner: HashMap<Box<str>, Value>,
    activities: Vec<(&'p str, &'p Activity)>,
    activity_index: HashMap<&'p str, usize>,
    tracked: Vec<Field>,
    orphans: Option<usize>,
}

/// A profile's columns as positions in one source's header.
#[derive(Debug)]
struct Bound {
    source: usize,
    width: usize,
    ticket: usize,
    instant: (usize, InstantReader),
    created: Option<(usize, InstantReader)>,
    order: Option<usize>,
    fields: Vec<usize>,
    rejects: Vec<usize>,
    activity: Option<usize>,
    /// Per activity, the columns of its `set` effects.
    sets: Vec<Vec<usize>>,
    verdict: Option<usize>,
    /// The last instant texts read and their instants (exports repeat a
    /// ticket's creation on every row).
    cache: [Option<(String, DateTime<Utc>)>; 2],
}

impl<'p> Ingest<'p> {
    fn new(profile: &'p ExportProfile) -> Ingest<'p> {
        let mut activities: Vec<(&str, &Activity)> = profile
            .activities
            .iter()
            .flat_map(|t| t.activities.iter().map(|(k, v)| (k.as_str(), v)))
            .collect();
        activities.sort_by_key(|(k, _)| *k);
        let activity_index = activities.iter().enumerate().map(|(i, (k, _))| (*k, i)).collect();
        let mut tracked: Vec<Field> = profile.fields.iter().map(|f| f.field.clone()).collect();
        if let Some(table) = &profile.activities {
            tracked.push(table.status_field.clone());
            for (_, activity) in &activities {
                for (field, _) in &activity.set {
                    if !tracked.contains(field) {
                        tracked.push(field.clone());
                    }
                }
            }
        }
        Ingest {
            profile,
            bound: None,
            ledger: Ledger::default(),
            tickets: Vec::new(),
            index: HashMap::new(),
            interner: HashMap::new(),
            activities,
            activity_index,
            tracked,
            orphans: None,
        }
    }

    /// Starts a source (a file) with its header; the rows that follow are
    /// numbered from 1 in it.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::UnknownColumn`](crate::ErrorKind::UnknownColumn) naming
    /// the profile key and the column, and listing the header, when a
    /// column the profile names is not in it.
    pub fn source<S: AsRef<str>>(&mut self, name: &str, header: &[S]) -> Result<()> {
        let header: Vec<&str> = header.iter().map(AsRef::as_ref).collect();
        let find = |column: &str, key: &str| column_in(&header, column, key);
        let p = self.profile;
        // The columns every row needs first, then the fields'.
        let ticket = find(&p.ticket, "ticket")?;
        let instant = (find(&p.instant.column, "instant.column")?, p.instant.reader());
        let created = match &p.created {
            Some(c) => Some((find(&c.column, "created.column")?, c.reader())),
            None => None,
        };
        let fields = p
            .fields
            .iter()
            .map(|f| find(&f.column, &format!("fields.{}.column", f.field)))
            .collect::<Result<_>>()?;
        let rejects = p
            .rejects
            .iter()
            .map(|r| find(&r.column, &format!("reject.{}", r.column)))
            .collect::<Result<_>>()?;
        let sets = self
            .activities
            .iter()
            .map(|(text, a)| {
                a.set
                    .iter()
                    .map(|(field, column)| find(column, &format!("activity.values.{text}.set.{field}")))
                    .collect::<Result<Vec<_>>>()
            })
            .collect::<Result<_>>()?;
        let bound = Bound {
            source: 0,
            width: header.len(),
            ticket,
            instant,
            created,
            order: p.order.as_deref().map(|c| find(c, "order")).transpose()?,
            fields,
            rejects,
            activity: p
                .activities
                .as_ref()
                .map(|t| find(&t.column, "activity.column"))
                .transpose()?,
            sets,
            verdict: p
                .verdict
                .as_ref()
                .map(|v| find(&v.column, "verdict.column"))
                .transpose()?,
            cache: [None, None],
        };
        let source = self.ledger.start(name);
        self.bound = Some(Bound { source, ..bound });
        Ok(())
    }

    /// A row of the current source that the caller could not read (a CSV
    /// error): counted and rejected with `message`.
    pub fn unreadable_row(&mut self, message: impl Into<String>) {
        let source = self.current_source();
        let row = self.ledger.read();
        let reason = RowProblem::Unreadable {
            message: message.into(),
        };
        self.ledger.reject(source, row, None, reason);
    }

    fn current_source(&mut self) -> usize {
        match &self.bound {
            Some(bound) => bound.source,
            // Only before the first header: rows without one are counted
            // in a source of their own, and rejected.
            None => *self
                .orphans
                .get_or_insert_with(|| self.ledger.start("(rows before any header)")),
        }
    }

    /// One row of the current source, as its columns' texts.
    pub fn row<'r>(&mut self, row: impl IntoIterator<Item = &'r str>) {
        let Some(mut bound) = self.bound.take() else {
            self.unreadable_row("no header was given before this row");
            return;
        };
        let number = self.ledger.read();
        let texts: Vec<&str> = row.into_iter().collect();
        match self.read_row(&mut bound, number, &texts) {
            Ok((slot, raw)) => self.tickets[slot].rows.push(raw),
            Err((ticket, reason)) => self.ledger.reject(bound.source, number, ticket, reason),
        }
        self.bound = Some(bound);
    }

    fn read_row(
        &mut self,
        bound: &mut Bound,
        number: u64,
        texts: &[&str],
    ) -> std::result::Result<(usize, RawRow), (Option<TicketId>, RowProblem)> {
        if texts.len() != bound.width {
            return Err((
                None,
                RowProblem::Width {
                    expected: bound.width,
                    found: texts.len(),
                },
            ));
        }
        let p = self.profile;
        let missing = |text: &str| p.missing.iter().any(|m| m == text);
        let ticket_text = texts[bound.ticket];
        if missing(ticket_text) {
            return Err((None, RowProblem::NoTicket));
        }
        let slot = self.ticket_slot(ticket_text);
        let ticket = self.tickets[slot].id.clone();
        let fail = |reason| Err((Some(ticket.clone()), reason));
        for (rule, &column) in p.rejects.iter().zip(&bound.rejects) {
            if texts[column] == rule.value {
                return fail(RowProblem::Rejected {
                    column: rule.column.clone(),
                    value: rule.value.clone(),
                    reason: rule.reason.clone(),
                });
            }
        }
        let instant_column = &p.instant.column;
        let at = match read_instant(&bound.instant, &mut bound.cache[0], texts, instant_column) {
            Ok(at) => at,
            Err(reason) => return fail(reason),
        };
        let created = match (&bound.created, &p.created) {
            (Some(reader), Some(column)) if !missing(texts[reader.0]) => {
                match read_instant(reader, &mut bound.cache[1], texts, &column.column) {
                    Ok(at) => Some(at),
                    Err(reason) => return fail(reason),
                }
            }
            _ => None,
        };
        let order = match bound.order {
            None => 0,
            Some(column) => match texts[column].trim().parse::<i64>() {
                Ok(n) => n,
                Err(_) => {
                    let name = p.order.clone().unwrap_or_default();
                    return fail(RowProblem::Value {
                        column: name,
                        error: Error::value(texts[column], "an integer"),
                    });
                }
            },
        };
        let mut values = Vec::with_capacity(self.tracked.len());
        for (f, &column) in p.fields.iter().zip(&bound.fields) {
            let text = texts[column];
            if missing(text) {
                values.push(None);
                continue;
            }
            let value = match &f.values {
                None => self.intern(text),
                Some(map) => match (map.get(text), &f.unmapped) {
                    (Some(v), _) => v.clone(),
                    (None, Unmapped::Keep) => self.intern(text),
                    (None, Unmapped::Default(v)) => v.clone(),
                    (None, _) => {
                        return fail(RowProblem::UnknownValue {
                            column: f.column.clone(),
                            value: text.to_string(),
                        });
                    }
                },
            };
            values.push(Some(value));
        }
        let activity = match bound.activity {
            None => None,
            Some(column) => match self.read_activity(bound, texts, column) {
                Ok(a) => Some(a),
                Err(reason) => return fail(reason),
            },
        };
        let verdict = match (&p.verdict, bound.verdict) {
            (Some(v), Some(column)) => {
                let text = texts[column];
                if v.met.iter().any(|m| m == text) {
                    Some(RecordedVerdict::Met)
                } else if v.breached.iter().any(|m| m == text) {
                    Some(RecordedVerdict::Breached)
                } else if missing(text) {
                    None
                } else {
                    return fail(RowProblem::UnknownValue {
                        column: v.column.clone(),
                        value: text.to_string(),
                    });
                }
            }
            _ => None,
        };
        Ok((
            slot,
            RawRow {
                source: bound.source,
                row: number,
                at,
                created,
                order,
                values: values.into_boxed_slice(),
                activity,
                verdict,
                hash: row_hash::hash_row(texts),
            },
        ))
    }

    fn read_activity(
        &mut self,
        bound: &Bound,
        texts: &[&str],
        column: usize,
    ) -> std::result::Result<RowActivity, RowProblem> {
        let text = texts[column];
        let unknown = self.profile.activities.as_ref().map(|t| t.unknown).unwrap_or_default();
        match self.activity_index.get(text) {
            Some(&index) => {
                let activity = self.activities[index].1;
                let no_maps = HashMap::new();
                let maps = self.profile.activities.as_ref().map_or(&no_maps, |t| &t.maps);
                let mut set = Vec::with_capacity(activity.set.len());
                for ((field, column), &c) in activity.set.iter().zip(&bound.sets[index]) {
                    let t = texts[c];
                    if self.profile.missing.iter().any(|m| m == t) {
                        set.push(None);
                        continue;
                    }
                    let value = match maps.get(field) {
                        None => self.intern(t),
                        Some(map) => map.get(t).cloned().ok_or_else(|| RowProblem::UnknownValue {
                            column: column.clone(),
                            value: t.to_string(),
                        })?,
                    };
                    set.push(Some(value));
                }
                let action = activity.action.clone().unwrap_or_else(|| Action::new(text));
                Ok(RowActivity {
                    effect: Some(index),
                    set,
                    action,
                })
            }
            None if unknown == UnknownActivity::Action => Ok(RowActivity {
                effect: None,
                set: Vec::new(),
                action: Action::new(text),
            }),
            None => Err(RowProblem::UnknownActivity {
                value: text.to_string(),
            }),
        }
    }

    #[allow(clippy::arithmetic_side_effects, reason = "positions of tickets in memory")]
    fn ticket_slot(&mut self, text: &str) -> usize {
        if let Some(&slot) = self.index.get(text) {
            return slot;
        }
        self.tickets.push(TicketRows {
            id: TicketId::new(text),
            rows: Vec::new(),
        });
        self.index.insert(text.into(), self.tickets.len() - 1);
        self.tickets.len() - 1
    }

    fn intern(&mut self, text: &str) -> Value {
        if let Some(v) = self.interner.get(text) {
            return v.clone();
        }
        let v = Value::new(text);
        self.interner.insert(text.into(), v.clone());
        v
    }

    /// The timelines, the ledger and the recorded verdicts.
    pub fn finish(self) -> Ingested {
        let mut ledger = self.ledger;
        let mut out = Ingested {
            timelines: Vec::with_capacity(self.tickets.len()),
            ledger: Ledger::default(),
            verdicts: BTreeMap::new(),
            latest: None,
        };
        let context = assemble::Context {
            profile: self.profile,
            activities: &self.activities,
            tracked: &self.tracked,
        };
        let mut scratch = assemble::Scratch::default();
        for ticket in self.tickets {
            if let Some(assembled) = context.assemble(ticket, &mut ledger, &mut scratch) {
                out.gather(assembled);
            }
        }
        ledger.sort();
        out.ledger = ledger;
        out
    }
}

impl Ingested {
    /// Adds one assembled ticket: its timeline, recorded verdict and latest
    /// instant.
    fn gather(&mut self, assembled: assemble::Assembled) {
        self.latest = self.latest.max(Some(assembled.latest));
        if let Some(verdict) = assembled.verdict {
            self.verdicts.insert(assembled.timeline.ticket().clone(), verdict);
        }
        self.timelines.push(assembled.timeline);
    }
}

/// The position of `column` in `header`, or an error naming the profile
/// `key` that names it and listing the header.
pub(crate) fn column_in(header: &[&str], column: &str, key: &str) -> Result<usize> {
    header.iter().position(|h| *h == column).ok_or_else(|| {
        Error::from(Detail::UnknownColumn {
            field: key.to_string(),
            input: column.to_string(),
            header: header.iter().map(|h| h.to_string()).collect(),
        })
    })
}

fn read_instant(
    (column, reader): &(usize, InstantReader),
    cache: &mut Option<(String, DateTime<Utc>)>,
    texts: &[&str],
    name: &str,
) -> std::result::Result<DateTime<Utc>, RowProblem> {
    let text = texts[*column];
    if let Some((last, at)) = cache.as_ref()
        && last == text
    {
        return Ok(*at);
    }
    match reader.read(text) {
        Ok(at) => {
            *cache = Some((text.to_string(), at));
            Ok(at)
        }
        Err(error) => Err(RowProblem::Value {
            column: name.to_string(),
            error,
        }),
    }
}

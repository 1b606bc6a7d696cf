//! Where every row of an export went: used, or rejected with its number
//! and reason.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};

use crate::error::Error;
use crate::event::Problem;
use crate::names::TicketId;

/// The account of an ingestion: rows read = rows used + rows rejected,
/// with each rejection's source, row number, ticket and reason. Nothing is
/// left out silently.
///
/// Row numbers count the data rows of each source from 1 (the header is
/// not a row), so row `n` is on line `n + 1` of a CSV file without line
/// breaks inside fields.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Ledger {
    sources: Vec<Source>,
    used: u64,
    tickets: u64,
    rejected: Vec<Rejection>,
}

/// One source read into a [`Ledger`] (a file) and its row count.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Source {
    /// Its name as given.
    pub name: String,
    /// The rows read from it.
    pub rows: u64,
}

/// A rejected row.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Rejection {
    /// The source's position in [`Ledger::sources`].
    pub source: usize,
    /// The row's number in its source, from 1.
    pub row: u64,
    /// The ticket, when the row names one.
    pub ticket: Option<TicketId>,
    /// Why.
    pub reason: RowProblem,
}

/// Why a row was not used.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case", tag = "type"))]
#[non_exhaustive]
pub enum RowProblem {
    /// The row could not be read at all (the CSV reader's complaint).
    Unreadable {
        /// What the reader said.
        message: String,
    },
    /// The row has another number of columns than the header.
    Width {
        /// The header's.
        expected: usize,
        /// The row's.
        found: usize,
    },
    /// The ticket column is empty or missing.
    NoTicket,
    /// A column's text is not what it should be (an instant, an integer).
    Value {
        /// The column.
        column: String,
        /// Why, quoting the text.
        error: Error,
    },
    /// A text that the column's value map does not have.
    UnknownValue {
        /// The column.
        column: String,
        /// The text.
        value: String,
    },
    /// An activity the activity table does not have.
    UnknownActivity {
        /// The text.
        value: String,
    },
    /// A reject rule of the profile matched.
    Rejected {
        /// The column.
        column: String,
        /// Its text.
        value: String,
        /// The profile's reason.
        reason: String,
    },
    /// The row repeats an earlier row of its ticket in every column.
    Duplicate {
        /// The earlier row's source.
        source: usize,
        /// The earlier row's number.
        row: u64,
    },
    /// The row is earlier than the ticket's creation.
    BeforeCreation {
        /// The row's instant.
        at: DateTime<Utc>,
        /// The creation's.
        created: DateTime<Utc>,
    },
    /// The row's outage cannot be used (it ends before it starts, or has
    /// no length).
    Outage {
        /// Why.
        error: Error,
    },
    /// The row's event cannot be used in the ticket's timeline.
    Event {
        /// Why.
        problem: Problem,
    },
}

impl RowProblem {
    /// A short label that groups like rejections for a summary
    /// (`unknown value in incident_state`, not the value itself, except
    /// for reject rules, whose reason is the label).
    pub fn label(&self) -> String {
        match self {
            RowProblem::Unreadable { .. } => "unreadable row".into(),
            RowProblem::Width { .. } => "wrong number of columns".into(),
            RowProblem::NoTicket => "no ticket id".into(),
            RowProblem::Value { column, .. } => format!("unreadable {column}"),
            RowProblem::UnknownValue { column, value } => format!("unknown {column} `{value}`"),
            RowProblem::UnknownActivity { value } => format!("unknown activity `{value}`"),
            RowProblem::Rejected { reason, .. } => reason.clone(),
            RowProblem::Duplicate { .. } => "repeated row".into(),
            RowProblem::BeforeCreation { .. } => "update before creation".into(),
            RowProblem::Outage { error } => {
                let text = error.to_string();
                format!("unusable outage ({})", text.rsplit(": ").next().unwrap_or(&text))
            }
            RowProblem::Event { problem } => format!("unusable event ({})", problem_label(problem)),
        }
    }
}

fn problem_label(problem: &Problem) -> String {
    match problem {
        Problem::Duplicate { .. } => "repeats an earlier event".into(),
        Problem::SecondCreation { .. } => "second creation".into(),
        Problem::AfterClosure { .. } => "after closure".into(),
        other => {
            let text = other.to_string();
            text.split(':').next().unwrap_or(&text).to_string()
        }
    }
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowProblem::Unreadable { message } => write!(f, "unreadable row: {message}"),
            RowProblem::Width { expected, found } => {
                write!(f, "{found} columns where the header has {expected}")
            }
            RowProblem::NoTicket => f.write_str("no ticket id"),
            RowProblem::Value { column, error } => write!(f, "column `{column}`: {error}"),
            RowProblem::UnknownValue { column, value } => {
                write!(f, "value `{value}` of column `{column}` is not in the profile's map")
            }
            RowProblem::UnknownActivity { value } => write!(f, "activity `{value}` is not in the profile's table"),
            RowProblem::Rejected { column, value, reason } => write!(f, "{reason} (`{column}` is `{value}`)"),
            RowProblem::Duplicate { row, .. } => write!(f, "repeats row {row} in every column"),
            RowProblem::BeforeCreation { at, created } => {
                write!(f, "at {at}, before the ticket's creation at {created}")
            }
            RowProblem::Outage { error } => write!(f, "{error}"),
            RowProblem::Event { problem } => write!(f, "{problem}"),
        }
    }
}

impl Ledger {
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "row and ticket counters, one per row read (u64)"
    )]
    pub(crate) fn start(&mut self, name: &str) -> usize {
        self.sources.push(Source {
            name: name.to_string(),
            rows: 0,
        });
        self.sources.len() - 1
    }

    /// Counts a row read from the current source; its number.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "row and ticket counters, one per row read (u64)"
    )]
    pub(crate) fn read(&mut self) -> u64 {
        if self.sources.is_empty() {
            // Callers start a source first; a row before one still counts.
            self.start("(rows before any header)");
        }
        let last = self.sources.len() - 1;
        self.sources[last].rows += 1;
        self.sources[last].rows
    }

    pub(crate) fn reject(&mut self, source: usize, row: u64, ticket: Option<TicketId>, reason: RowProblem) {
        self.rejected.push(Rejection {
            source,
            row,
            ticket,
            reason,
        });
    }

    #[allow(
        clippy::arithmetic_side_effects,
        reason = "row and ticket counters, one per row read (u64)"
    )]
    pub(crate) fn use_rows(&mut self, rows: u64) {
        self.used += rows;
    }

    #[allow(
        clippy::arithmetic_side_effects,
        reason = "row and ticket counters, one per row read (u64)"
    )]
    pub(super) fn count_ticket(&mut self) {
        self.tickets += 1;
    }

    pub(crate) fn sort(&mut self) {
        self.rejected.sort_by_key(|r| (r.source, r.row));
    }

    /// Adds the ledger of another share of the rows (a Spark partition, a
    /// second file read by another process): its sources come after these
    /// (its rejections point at them), its counts add. The shares must hold
    /// different tickets, or a ticket is counted once per share.
    ///
    /// ```
    /// use servicelevel::ingest::{ExportProfile, FieldColumn, InstantColumn, InstantFormat, Reading};
    /// let at = InstantColumn::new("updated", InstantFormat::Iso8601, Reading::Utc);
    /// let profile = ExportProfile::builder("number", at).field(FieldColumn::new("status", "state")).build()?;
    /// let read = |rows: &[&str]| {
    ///     let mut ingest = profile.ingest();
    ///     ingest.source("part", &["number", "updated", "state"]).unwrap();
    ///     for row in rows {
    ///         ingest.row(row.split(','));
    ///     }
    ///     ingest.finish().ledger
    /// };
    /// let mut ledger = read(&["INC1,2025-01-06T09:00:00Z,new", ",2025-01-06T10:00:00Z,new"]);
    /// ledger.merge(read(&["INC2,2025-01-06T11:00:00Z,new"]));
    /// assert_eq!((ledger.rows(), ledger.used(), ledger.tickets()), (3, 2, 2));
    /// assert_eq!(ledger.rejected()[0].row, 2);
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "row and ticket counters and source indices of rows in memory"
    )]
    pub fn merge(&mut self, other: Ledger) {
        let offset = self.sources.len();
        self.sources.extend(other.sources);
        self.used += other.used;
        self.tickets += other.tickets;
        self.rejected.extend(other.rejected.into_iter().map(|r| Rejection {
            source: r.source + offset,
            ..r
        }));
        self.sort();
    }

    /// Adds what a share of this ledger's own tickets recorded (a ledger
    /// without sources, whose rejections point at these sources): its
    /// counts and rejections. Sorted later, with the rest.
    #[cfg_attr(not(feature = "parallel"), allow(dead_code))]
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "row and ticket counters of rows in memory"
    )]
    pub(crate) fn absorb(&mut self, share: Ledger) {
        self.used += share.used;
        self.tickets += share.tickets;
        self.rejected.extend(share.rejected);
    }

    /// The sources, in the order read.
    pub fn sources(&self) -> &[Source] {
        &self.sources
    }

    /// Rows read, from every source.
    pub fn rows(&self) -> u64 {
        self.sources.iter().map(|s| s.rows).sum()
    }

    /// Rows used as events.
    pub fn used(&self) -> u64 {
        self.used
    }

    /// Tickets with a timeline.
    pub fn tickets(&self) -> u64 {
        self.tickets
    }

    /// The rejected rows, by source and row number.
    pub fn rejected(&self) -> &[Rejection] {
        &self.rejected
    }

    /// Whether rows read = rows used + rows rejected (always, for a ledger
    /// an ingestion made; a test's safeguard).
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "row and ticket counters, one per row read (u64)"
    )]
    pub fn balances(&self) -> bool {
        self.rows() == self.used + self.rejected.len() as u64
    }

    /// The rejections counted by [`RowProblem::label`].
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "row and ticket counters, one per row read (u64)"
    )]
    pub fn by_reason(&self) -> BTreeMap<String, u64> {
        let mut counts = BTreeMap::new();
        for r in &self.rejected {
            *counts.entry(r.reason.label()).or_default() += 1;
        }
        counts
    }
}

/// `141712 rows read = 141702 used + 10 rejected (5 undocumented state
/// -100, 5 update before creation); 24918 tickets` (the tickets left out
/// when there are none, as for outages).
impl fmt::Display for Ledger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let reasons: Vec<String> = self.by_reason().iter().map(|(r, n)| format!("{n} {r}")).collect();
        write!(
            f,
            "{} rows read = {} used + {} rejected ({})",
            self.rows(),
            self.used,
            self.rejected.len(),
            if reasons.is_empty() {
                "none".to_string()
            } else {
                reasons.join(", ")
            },
        )?;
        // An outage export has rows but no tickets.
        match self.tickets {
            0 => Ok(()),
            n => write!(f, "; {n} tickets"),
        }
    }
}

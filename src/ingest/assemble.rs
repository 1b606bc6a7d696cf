//! One ticket's rows become its timeline: sorted, duplicates and rows
//! before creation rejected, snapshots diffed and activities applied.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::profile::{Activity, Duplicates, ExportProfile, WaitEnd};
use super::{Ledger, RecordedVerdict, RowProblem};
use crate::event::{Event, EventBody, Problem, Timeline, TimelineOptions};
use crate::names::{Action, Field, TicketId, Value};

/// The rows of one ticket, as read.
#[derive(Debug)]
pub(super) struct TicketRows {
    pub(super) id: TicketId,
    pub(super) rows: Vec<RawRow>,
}

/// One row, read and mapped.
#[derive(Debug)]
pub(super) struct RawRow {
    pub(super) source: usize,
    pub(super) row: u64,
    pub(super) at: DateTime<Utc>,
    pub(super) created: Option<DateTime<Utc>>,
    pub(super) order: i64,
    /// One per profile field column.
    pub(super) values: Box<[Option<Value>]>,
    pub(super) activity: Option<RowActivity>,
    pub(super) verdict: Option<RecordedVerdict>,
    /// Of every column's text.
    pub(super) hash: u64,
}

/// An activity row's activity.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct RowActivity {
    /// Its position in the profile's table (`None`: an unknown activity
    /// kept as an action).
    pub(super) effect: Option<usize>,
    /// The values of its `set` effects' columns.
    pub(super) set: Vec<Option<Value>>,
    pub(super) action: Action,
}

impl RawRow {
    /// Whether two rows with one hash read the same in every column the
    /// profile uses (so a hash collision cannot reject a row).
    fn same_content(&self, other: &RawRow) -> bool {
        self.at == other.at
            && self.created == other.created
            && self.order == other.order
            && self.values == other.values
            && self.activity == other.activity
            && self.verdict == other.verdict
    }
}

pub(super) struct Context<'a, 'p> {
    pub(super) profile: &'p ExportProfile,
    pub(super) activities: &'a [(&'p str, &'p Activity)],
    pub(super) tracked: &'a [Field],
}

/// Buffers reused from one ticket to the next.
#[derive(Default)]
pub(super) struct Scratch {
    seen: HashMap<u64, usize>,
}

pub(super) struct Assembled {
    pub(super) timeline: Timeline,
    pub(super) verdict: Option<RecordedVerdict>,
    pub(super) latest: DateTime<Utc>,
}

const UPDATE: &str = "update";

impl Context<'_, '_> {
    /// The ticket's timeline, with every row it does not use rejected in
    /// `ledger`; `None` when no row is usable.
    pub(super) fn assemble(&self, ticket: TicketRows, ledger: &mut Ledger, scratch: &mut Scratch) -> Option<Assembled> {
        let TicketRows { id, mut rows } = ticket;
        rows.sort_by_key(|r| (r.at, r.order));
        let mut keep = vec![true; rows.len()];
        if self.profile.duplicates == Duplicates::Drop {
            scratch.seen.clear();
            for i in 0..rows.len() {
                let first = *scratch.seen.entry(rows[i].hash).or_insert(i);
                if first != i && rows[first].same_content(&rows[i]) {
                    keep[i] = false;
                    let (source, row) = (rows[first].source, rows[first].row);
                    ledger.reject(
                        rows[i].source,
                        rows[i].row,
                        Some(id.clone()),
                        RowProblem::Duplicate { source, row },
                    );
                }
            }
        }
        let kept_rows = || rows.iter().zip(&keep).filter(|(_, k)| **k).map(|(r, _)| r);
        let first_at = kept_rows().next()?.at;
        let created = kept_rows().find_map(|r| r.created).unwrap_or(first_at);
        let mut kept = Vec::with_capacity(rows.len());
        for (row, _) in rows.iter().zip(&keep).filter(|(_, k)| **k) {
            if row.at < created {
                let reason = RowProblem::BeforeCreation { at: row.at, created };
                ledger.reject(row.source, row.row, Some(id.clone()), reason);
            } else {
                kept.push(row);
            }
        }
        if kept.is_empty() {
            return None;
        }
        let (events, event_rows) = self.events(&id, created, &kept);
        let used = self.timeline(&id, events, &event_rows, &kept, ledger)?;
        ledger.use_rows(used.1.iter().filter(|u| **u).count() as u64);
        ledger.count_ticket();
        let verdict = kept
            .iter()
            .zip(&used.1)
            .rev()
            .find_map(|(r, u)| if *u { r.verdict } else { None });
        Some(Assembled {
            timeline: used.0,
            verdict,
            latest: kept.iter().map(|r| r.at).max().unwrap_or(created),
        })
    }

    /// The events of the kept rows, and the kept row of each event.
    #[allow(clippy::arithmetic_side_effects, reason = "positions of rows and events in memory")]
    fn events(&self, id: &TicketId, created: DateTime<Utc>, kept: &[&RawRow]) -> (Vec<Event>, Vec<usize>) {
        let mut events = Vec::with_capacity(kept.len() + 1);
        let mut event_rows = Vec::with_capacity(kept.len() + 1);
        let mut wait = None;
        let mut current = self.next_state(&vec![None; self.tracked.len()], kept[0], &mut wait);
        let initial: Vec<(Field, Value)> = self
            .tracked
            .iter()
            .zip(&current)
            .filter_map(|(f, v)| v.clone().map(|v| (f.clone(), v)))
            .collect();
        events.push(Event::new(id.clone(), created, EventBody::Created(initial)));
        event_rows.push(0);
        // Without a creation column the first row is the creation itself;
        // with one, the first row is also an event at its own instant.
        let first_is_creation = self.profile.created.is_none();
        if first_is_creation && let Some(activity) = &kept[0].activity {
            events.push(Event::new(
                id.clone(),
                kept[0].at,
                EventBody::Action(activity.action.clone()),
            ));
            event_rows.push(0);
        }
        let skip = usize::from(first_is_creation);
        // Rows at one instant that change nothing make one `update`.
        let mut last_update = None;
        for (index, row) in kept.iter().enumerate().skip(skip) {
            let next = if index == 0 {
                current.clone()
            } else {
                self.next_state(&current, row, &mut wait)
            };
            let changes: Vec<(Field, Option<Value>)> = self
                .tracked
                .iter()
                .zip(current.iter().zip(&next))
                .filter(|(_, (old, new))| old != new)
                .map(|(f, (_, new))| (f.clone(), new.clone()))
                .collect();
            let changed = !changes.is_empty();
            if changed {
                events.push(Event::new(id.clone(), row.at, EventBody::Changed(changes)));
                event_rows.push(index);
            }
            let action = match &row.activity {
                Some(activity) => Some(activity.action.clone()),
                None if !changed && last_update != Some(row.at) => {
                    last_update = Some(row.at);
                    Some(Action::new(UPDATE))
                }
                None => None,
            };
            if let Some(action) = action {
                events.push(Event::new(id.clone(), row.at, EventBody::Action(action)));
                event_rows.push(index);
            }
            current = next;
        }
        (events, event_rows)
    }

    /// The tracked fields after `row`: its field columns, then its
    /// activity's effects. `wait` holds the status to go back to when a
    /// wait ends at the next activity.
    fn next_state(
        &self,
        current: &[Option<Value>],
        row: &RawRow,
        wait: &mut Option<Option<Value>>,
    ) -> Vec<Option<Value>> {
        let mut next = current.to_vec();
        next[..row.values.len()].clone_from_slice(&row.values);
        let Some(activity) = &row.activity else {
            return next;
        };
        let status = self.profile.fields.len();
        let effect = activity.effect.map(|i| self.activities[i].1);
        let sets_status = effect.is_some_and(|e| e.status.is_some() || e.wait.is_some());
        if let Some(prior) = wait.take()
            && !sets_status
        {
            next[status] = prior;
        }
        let Some(effect) = effect else {
            return next;
        };
        if let Some(s) = &effect.status {
            next[status] = Some(s.clone());
        }
        if let Some((s, end)) = &effect.wait {
            if *end == WaitEnd::NextActivity {
                *wait = Some(next[status].clone());
            }
            next[status] = Some(s.clone());
        }
        for ((field, _), value) in effect.set.iter().zip(&activity.set) {
            if let Some(slot) = self.tracked.iter().position(|f| f == field) {
                next[slot] = value.clone();
            }
        }
        next
    }

    /// The lenient timeline of `events`; rows whose every event it leaves
    /// out are rejected. The timeline and, per kept row, whether it is
    /// used.
    #[allow(clippy::arithmetic_side_effects, reason = "positions of rows and events in memory")]
    fn timeline(
        &self,
        id: &TicketId,
        events: Vec<Event>,
        event_rows: &[usize],
        kept: &[&RawRow],
        ledger: &mut Ledger,
    ) -> Option<(Timeline, Vec<bool>)> {
        let mut events_left = vec![0usize; kept.len()];
        for &r in event_rows {
            events_left[r] += 1;
        }
        let reject_all = |ledger: &mut Ledger, problem: Problem| {
            for row in kept {
                let reason = RowProblem::Event {
                    problem: problem.clone(),
                };
                ledger.reject(row.source, row.row, Some(id.clone()), reason);
            }
        };
        // Distinct rows make distinct events, even when two read alike; the
        // lenient build is only the fallback of a history that is not right.
        let events = match Timeline::of_distinct_rows(events) {
            Ok(timeline) => return Some((timeline, vec![true; kept.len()])),
            Err(events) => events,
        };
        let built = match Timeline::build(events, &TimelineOptions::lenient()) {
            Ok(built) => built,
            Err(error) => {
                reject_all(ledger, error.problem().cloned().unwrap_or(Problem::MissingCreation));
                return None;
            }
        };
        let mut used = vec![true; kept.len()];
        for d in &built.diagnostics {
            let r = event_rows[d.position];
            events_left[r] -= 1;
            if events_left[r] == 0 {
                used[r] = false;
                let reason = RowProblem::Event {
                    problem: d.problem.clone(),
                };
                ledger.reject(kept[r].source, kept[r].row, Some(id.clone()), reason);
            }
        }
        Some((built.timeline, used))
    }
}

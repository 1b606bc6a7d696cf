//! A ticket's history, checked: strictly (any problem is an error) or
//! leniently (sorted, with every unusable event listed).

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use super::{Event, Field, Problem, Schema, TicketId};
use crate::error::{Error, Result};

/// The events of one ticket, beginning with its creation, in the order they
/// happened.
///
/// Build one with [`Timeline::new`] (strict) when the source guarantees
/// order and uniqueness (an error names the first event that breaks it), or
/// with [`Timeline::build`] and [`TimelineOptions::lenient`] for real
/// exports: it sorts by instant and leaves out what cannot be used, listing
/// each event left out in [`Built::diagnostics`].
///
/// # Properties
///
/// - Every input event is either in the timeline or in the diagnostics,
///   exactly once.
/// - Lenient mode gives the same timeline for any permutation of events
///   with distinct instants.
///
/// With the `serde` feature a timeline is written as its list of events and
/// read back through [`Timeline::new`].
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use servicelevel::{Event, Timeline};
/// let at = |h| Utc.with_ymd_and_hms(2025, 6, 2, h, 0, 0).unwrap();
/// let timeline = Timeline::new(vec![
///     Event::created("INC1", at(9), [("status", "new"), ("priority", "2")]),
///     Event::action("INC1", at(10), "agent_reply"),
///     Event::set("INC1", at(15), [("status", "resolved")]),
/// ])?;
/// assert_eq!((timeline.ticket().as_str(), timeline.created_at()), ("INC1", at(9)));
/// // Out of order is an error naming the ticket and the event's position.
/// let err = Timeline::new(vec![Event::created("INC2", at(9), [("status", "new")]), Event::set("INC2", at(8), [("status", "open")])]).unwrap_err();
/// assert_eq!((err.ticket().map(|t| t.as_str()), err.position()), (Some("INC2"), Some(1)));
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(into = "Vec<Event>"))]
pub struct Timeline {
    ticket: TicketId,
    events: Vec<Event>,
    // Position of each event in the input; `None` when they are the same.
    positions: Option<Vec<usize>>,
}

/// A built [`Timeline`] and what was left out of it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Built {
    /// The timeline of what could be used.
    pub timeline: Timeline,
    /// One entry per input event that is not in the timeline.
    pub diagnostics: Vec<Diagnostic>,
    /// How many used events were moved to restore the order of instants.
    pub reordered: usize,
}

/// An input event left out of a lenient timeline, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Diagnostic {
    /// The ticket the timeline is for.
    pub ticket: TicketId,
    /// The event's position in the input.
    pub position: usize,
    /// Why it was left out.
    pub problem: Problem,
}

/// How events become a [`Timeline`]: strictly or leniently, and checked
/// against a [`Schema`] or not. The default is strict without a schema.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use servicelevel::event::{Event, Schema, Timeline, TimelineOptions};
///
/// let at = |h| Utc.with_ymd_and_hms(2025, 6, 2, h, 0, 0).unwrap();
/// let events = vec![
///     Event::set("T1", at(10), [("status", "resolved")]),
///     Event::created("T1", at(9), [("status", "new")]),
///     Event::set("T1", at(11), [("status", "bogus")]),
/// ];
/// let schema = Schema::new().closed_field("status", ["new", "resolved", "closed"]);
/// let built = Timeline::build(events.clone(), &TimelineOptions::lenient().schema(schema))?;
/// assert_eq!(built.timeline.events().len(), 2); // sorted; `bogus` left out...
/// assert_eq!(built.diagnostics[0].position, 2); // ...and reported, with its position
/// assert!(Timeline::new(events).is_err()); // strict: out of order
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TimelineOptions {
    mode: Mode,
    schema: Option<Schema>,
}

/// How a [`Timeline`] treats events that cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Mode {
    /// Events must already be right: one ticket, a creation first, instants
    /// never decreasing, no exact duplicates, no field set twice in one
    /// event. The first offending event is the error.
    #[default]
    Strict,
    /// Events in any order: sorted by instant (the creation first among
    /// events at one instant, the rest in input order), and each unusable
    /// event left out and listed as a [`Diagnostic`]. An error only when no
    /// event is a creation.
    Lenient,
}

impl TimelineOptions {
    /// Strict, without a schema (the default).
    pub fn strict() -> TimelineOptions {
        TimelineOptions::default()
    }

    /// Lenient, without a schema.
    pub fn lenient() -> TimelineOptions {
        TimelineOptions {
            mode: Mode::Lenient,
            schema: None,
        }
    }

    /// Also checks every event against `schema` (unknown fields and
    /// values, events after a final value).
    pub fn schema(mut self, schema: Schema) -> TimelineOptions {
        self.schema = Some(schema);
        self
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The schema, if any.
    pub fn schema_ref(&self) -> Option<&Schema> {
        self.schema.as_ref()
    }
}

impl Timeline {
    /// A timeline from events that must already be right (strict, no
    /// schema): `Timeline::build(events, &TimelineOptions::strict())`.
    ///
    /// # Errors
    ///
    /// The first event that is out of order, before the creation, a second
    /// creation, an exact duplicate, for another ticket or sets a field
    /// twice, as an error of kind [`ErrorKind::Event`](crate::ErrorKind::Event)
    /// with the ticket and the event's position; or no events at all.
    pub fn new(events: Vec<Event>) -> Result<Timeline> {
        Timeline::strict_checked(events, None, Repeats::Refused)
    }

    /// A strict timeline whose events may repeat one another: events made
    /// from distinct input rows (an export's ingestion, which drops
    /// repeated rows itself), where a change that restores a value within
    /// one instant is as real as the first.
    /// Gives the events back when they are not a right history.
    pub(crate) fn of_distinct_rows(events: Vec<Event>) -> std::result::Result<Timeline, Vec<Event>> {
        match Timeline::check_strict(&events, None, Repeats::Allowed) {
            Ok(()) => Ok(Timeline {
                ticket: events[0].ticket().clone(),
                events,
                positions: None,
            }),
            Err(_) => Err(events),
        }
    }

    /// A timeline from events under `options`, with what was left out.
    ///
    /// Strictly, every event is used or the first unusable one is the
    /// error. Leniently, events are sorted by instant (among events at the
    /// same instant the creation comes first and the rest keep their input
    /// order), and an event is left out, with a [`Diagnostic`], when it
    /// belongs to another ticket, comes before the creation, is a second
    /// creation, exactly duplicates an earlier event, sets a field twice,
    /// or (with a schema) names an unknown field or value or follows a
    /// final value. The ticket is the one the first creation names.
    ///
    /// # Errors
    ///
    /// Strictly, as [`Timeline::new`], plus schema violations. Leniently,
    /// only when no creation event can be used (there is none, or each one
    /// sets a field twice or breaks the schema): the error names the first
    /// creation and why it was left out.
    pub fn build(events: Vec<Event>, options: &TimelineOptions) -> Result<Built> {
        let schema = options.schema.as_ref();
        match options.mode {
            Mode::Strict => Timeline::strict_checked(events, schema, Repeats::Refused).map(|timeline| Built {
                timeline,
                diagnostics: Vec::new(),
                reordered: 0,
            }),
            Mode::Lenient => Timeline::lenient_checked(events, schema),
        }
    }

    /// The ticket.
    pub fn ticket(&self) -> &TicketId {
        &self.ticket
    }

    /// The events, creation first.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The instant the ticket was created.
    pub fn created_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.events[0].at()
    }

    /// The position in the input of the `index`-th event of the timeline.
    pub fn position(&self, index: usize) -> usize {
        match &self.positions {
            Some(positions) => positions[index],
            None => index,
        }
    }

    fn strict_checked(events: Vec<Event>, schema: Option<&Schema>, repeats: Repeats) -> Result<Timeline> {
        Timeline::check_strict(&events, schema, repeats)?;
        Ok(Timeline {
            ticket: events[0].ticket().clone(),
            events,
            positions: None,
        })
    }

    fn check_strict(events: &[Event], schema: Option<&Schema>, repeats: Repeats) -> Result<()> {
        let Some(first) = events.first() else {
            return Err(Error::event(&TicketId::new(""), None, Problem::Empty));
        };
        let ticket = first.ticket().clone();
        let mut closed_by = None;
        for (i, event) in events.iter().enumerate() {
            let problem = problem_in_order(&events[..i], event, &ticket, repeats)
                .or_else(|| schema.and_then(|s| s.check(event)))
                .or_else(|| closed_by.map(|closed_by| Problem::AfterClosure { closed_by }));
            if let Some(problem) = problem {
                return Err(Error::event(&ticket, Some(i), problem));
            }
            if schema.is_some_and(|s| s.closes(event)) {
                closed_by = Some(i);
            }
        }
        Ok(())
    }

    fn lenient_checked(events: Vec<Event>, schema: Option<&Schema>) -> Result<Built> {
        let Some(creation) = events.iter().position(Event::is_creation) else {
            let ticket = events.first().map_or_else(|| TicketId::new(""), |e| e.ticket().clone());
            let problem = if events.is_empty() {
                Problem::Empty
            } else {
                Problem::MissingCreation
            };
            return Err(Error::event(&ticket, None, problem));
        };
        let ticket = events[creation].ticket().clone();
        let mut order: Vec<usize> = (0..events.len()).collect();
        order.sort_by_key(|&i| (events[i].at(), !events[i].is_creation()));
        let reordered = order.iter().enumerate().filter(|(rank, i)| rank != *i).count();

        let mut kept: Vec<usize> = Vec::with_capacity(events.len());
        let mut diagnostics = Vec::new();
        let mut created: Option<usize> = None;
        let mut closed_by = None;
        let mut dropped_creation: Option<(usize, Problem)> = None;
        for &i in &order {
            let event = &events[i];
            let problem = lenient_problem(&events, &kept, i, &ticket, created, closed_by)
                .or_else(|| schema.and_then(|s| s.check(event)));
            match problem {
                Some(problem) if event.is_creation() && created.is_none() && dropped_creation.is_none() => {
                    dropped_creation = Some((i, problem.clone()));
                    diagnostics.push(Diagnostic {
                        ticket: ticket.clone(),
                        position: i,
                        problem,
                    });
                }
                Some(problem) => diagnostics.push(Diagnostic {
                    ticket: ticket.clone(),
                    position: i,
                    problem,
                }),
                None => {
                    if event.is_creation() {
                        created = Some(i);
                    }
                    if schema.is_some_and(|s| s.closes(event)) {
                        closed_by = Some(i);
                    }
                    kept.push(i);
                }
            }
        }
        if created.is_none() {
            // Every creation was unusable (a field set twice, a value the
            // schema does not know): a timeline without its creation would
            // have no start, so the ticket is an error naming why.
            let (position, problem) = dropped_creation.unwrap_or((creation, Problem::MissingCreation));
            return Err(Error::event(&ticket, Some(position), problem));
        }
        diagnostics.sort_by_key(|d| d.position);
        let identity = kept.iter().enumerate().all(|(rank, &i)| rank == i) && kept.len() == events.len();
        let mut slots: Vec<Option<Event>> = events.into_iter().map(Some).collect();
        let used = kept
            .iter()
            .map(|&i| slots[i].take().expect("each event kept once"))
            .collect();
        Ok(Built {
            timeline: Timeline {
                ticket,
                events: used,
                positions: if identity { None } else { Some(kept) },
            },
            diagnostics,
            reordered,
        })
    }
}

impl TryFrom<Vec<Event>> for Timeline {
    type Error = Error;

    fn try_from(events: Vec<Event>) -> Result<Timeline> {
        Timeline::new(events)
    }
}

impl From<Timeline> for Vec<Event> {
    fn from(timeline: Timeline) -> Vec<Event> {
        timeline.events
    }
}

/// Checks of one event against the events before it, for strict mode.
/// Whether a strict timeline refuses an event equal to an earlier one at
/// its instant.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Repeats {
    Refused,
    Allowed,
}

#[allow(clippy::arithmetic_side_effects, reason = "positions of events in memory")]
fn problem_in_order(before: &[Event], event: &Event, ticket: &TicketId, repeats: Repeats) -> Option<Problem> {
    if event.ticket() != ticket {
        return Some(Problem::OtherTicket {
            found: event.ticket().clone(),
        });
    }
    let Some(previous) = before.last() else {
        if !event.is_creation() {
            return Some(Problem::MissingCreation);
        }
        // The creation's own fields are checked like any event's.
        return repeated_field(event);
    };
    if event.is_creation() {
        return Some(Problem::SecondCreation { first: 0 });
    }
    if event.at() < previous.at() {
        return Some(Problem::OutOfOrder {
            at: event.at(),
            previous: previous.at(),
        });
    }
    if repeats == Repeats::Allowed {
        // No scan of the events at this instant: an export's ticket may
        // have thousands of rows in one minute.
        return repeated_field(event);
    }
    let same_instant = before.iter().rposition(|e| e.at() != event.at()).map_or(0, |p| p + 1);
    if let Some(first) = before[same_instant..].iter().position(|e| e == event) {
        return Some(Problem::Duplicate {
            first: same_instant + first,
        });
    }
    repeated_field(event)
}

/// Checks of one event in sorted order, for lenient mode.
fn lenient_problem(
    events: &[Event],
    kept: &[usize],
    i: usize,
    ticket: &TicketId,
    created: Option<usize>,
    closed_by: Option<usize>,
) -> Option<Problem> {
    let event = &events[i];
    if event.ticket() != ticket {
        return Some(Problem::OtherTicket {
            found: event.ticket().clone(),
        });
    }
    match created {
        Some(first) if event.is_creation() => return Some(Problem::SecondCreation { first }),
        None if !event.is_creation() => {
            let created = events
                .iter()
                .filter(|e| e.is_creation() && e.ticket() == ticket)
                .map(Event::at)
                .min()?;
            return Some(Problem::BeforeCreation {
                at: event.at(),
                created,
            });
        }
        _ => {}
    }
    let same_instant = kept.iter().rev().take_while(|&&k| events[k].at() == event.at());
    if let Some(&first) = same_instant.into_iter().find(|&&k| events[k] == *event) {
        return Some(Problem::Duplicate { first });
    }
    if let Some(closed_by) = closed_by {
        return Some(Problem::AfterClosure { closed_by });
    }
    repeated_field(event)
}

fn repeated_field(event: &Event) -> Option<Problem> {
    let fields = match event.body() {
        super::EventBody::Created(fields) => repeated(fields),
        super::EventBody::Changed(fields) => repeated(fields),
        _ => None,
    };
    fields.map(|field| Problem::RepeatedField { field: field.clone() })
}

/// The first field named a second time. No allocation: events set a
/// handful of fields, and most set one (a third of the strict check's time
/// went to walking one field through chained iterators).
fn repeated<V>(fields: &[(Field, V)]) -> Option<&Field> {
    if fields.len() < 2 {
        return None;
    }
    fields
        .iter()
        .enumerate()
        .find(|(seen, (field, _))| fields[..*seen].iter().any(|(earlier, _)| earlier == field))
        .map(|(_, (field, _))| field)
}

/// Groups a stream of events sorted by ticket (as exports usually are) into
/// one `Vec<Event>` per ticket, without holding more than one ticket's
/// events at a time. A ticket whose events are not adjacent comes out more
/// than once; its timelines then report the missing creation.
pub fn tickets<I: IntoIterator<Item = Event>>(events: I) -> Tickets<I::IntoIter> {
    Tickets {
        events: events.into_iter(),
        pending: None,
    }
}

/// The iterator made by [`tickets`].
#[derive(Clone, Debug)]
pub struct Tickets<I> {
    events: I,
    pending: Option<Event>,
}

impl<I: Iterator<Item = Event>> Iterator for Tickets<I> {
    type Item = Vec<Event>;

    fn next(&mut self) -> Option<Vec<Event>> {
        let first = self.pending.take().or_else(|| self.events.next())?;
        let mut group = vec![first];
        for event in self.events.by_ref() {
            if event.ticket() != group[0].ticket() {
                self.pending = Some(event);
                break;
            }
            group.push(event);
        }
        Some(group)
    }
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(Timeline, Vec<Event>);

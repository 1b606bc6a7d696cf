//! What a report holds for one slice of tickets, and how it is summed up.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;

use super::durations::Durations;
use crate::event::{Field, PolicyId, Value};
use crate::interval::Interval;
use crate::metrics::{AgeBuckets, Backlog, Compliance, PercentileMethod, Summary};
use crate::policy::PolicyKind;
use crate::ratio::{self, Figure, Unknown};

/// The figures of one slice of a service's tickets (a period, a group of a
/// breakdown, or everything), as of the slice's end.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Figures {
    /// Tickets in the slice: created before its end and not finished
    /// before its start.
    pub tickets: u64,
    /// One entry per policy of the service, in the service's order.
    pub policies: Vec<PolicyFigures>,
    /// Tickets open at the slice's end, by age.
    pub backlog: Backlog,
    /// Moves into a resolved or closed status within the slice.
    pub resolutions: u64,
    /// Moves from a resolved or closed status back to an open one.
    pub reopens: u64,
    /// The share of the slice's resolutions that were reopened by the
    /// slice's end: `100 * reopened / resolutions`, six places (half away
    /// from zero), so never above 100; unknown without resolutions. A
    /// resolution in one month reopened in the next counts in the next
    /// month's report of the first only when run after the reopen: a
    /// period shows what a review at its end would have shown. Over the
    /// whole report it equals `100 * reopens / resolutions`.
    pub reopen_rate: Figure<Decimal>,
    /// Changes of assignment group from one group to another.
    pub reassignments: u64,
    /// Tickets with at least one reassignment in the slice.
    pub reassigned_tickets: u64,
    /// One entry per assignment group that held a ticket, by name.
    pub teams: Vec<TeamFigures>,
    /// Wall time from creation to acknowledgement of the tickets
    /// acknowledged in the slice: the first instant someone has the ticket
    /// (the lifecycle's assignee field holds a value) or it has left its
    /// initial statuses, whichever comes first (zero when it was created
    /// so). Its mean is the MTTA ([`Figures::mtta`]), as Atlassian's
    /// incident metrics define it (time from alert to acknowledgement),
    /// with the ticket's creation as the alert.
    #[cfg_attr(feature = "serde", serde(default = "no_times"))]
    pub time_to_acknowledge: Summary,
    /// Wall time from the failure (the spec's
    /// [`failure_began`](super::ReportSpecBuilder::failure_began) field) to
    /// the ticket's creation, of the tickets created in the slice: its mean
    /// is the MTTD ([`Figures::mttd`]). Empty without that field.
    #[cfg_attr(feature = "serde", serde(default = "no_times"))]
    pub time_to_detect: Summary,
    /// Tickets created in the slice whose failure instant is missing,
    /// unreadable, or after their creation (left out of `time_to_detect`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub detection_unknown: u64,
}

/// No durations: what reports written before `time_to_acknowledge` read as.
#[cfg(feature = "serde")]
fn no_times() -> Summary {
    Summary::of(&[], PercentileMethod::Linear)
}

impl Figures {
    /// Mean time to acknowledge: the mean of [`Figures::time_to_acknowledge`];
    /// unknown without acknowledged tickets (or with a lifecycle that names
    /// neither an assignee field nor initial statuses).
    pub fn mtta(&self) -> Figure<TimeDelta> {
        self.time_to_acknowledge.mean
    }

    /// Mean time to detect: the mean of [`Figures::time_to_detect`].
    pub fn mttd(&self) -> Figure<TimeDelta> {
        self.time_to_detect.mean
    }
}

/// Compliance and durations of one policy over a slice.
///
/// First-response, restore and resolution times are each a policy of the
/// service (a restore policy stops when the ticket records the service as
/// restored, a resolution policy when it is resolved), so each gets these
/// figures in its own entry of [`Figures::policies`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct PolicyFigures {
    /// The policy's id.
    pub policy: PolicyId,
    /// Its name.
    pub name: String,
    /// SLA, OLA or underpinning contract.
    pub kind: PolicyKind,
    /// Verdicts of cycles that ended in the slice, and of those open at its
    /// end.
    pub compliance: Compliance,
    /// Time counted by the SLA clock (business time for a business-time
    /// target) of the met and breached cycles that ended in the slice.
    pub business_time: Summary,
    /// Wall-clock time from start to end of the same cycles, pauses and
    /// closed hours included (what "time to resolve" means in a pandas
    /// script: `resolved_at - opened_at`).
    pub wall_time: Summary,
}

/// What one assignment group did over a slice: how long it held tickets,
/// and its OLA compliance.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct TeamFigures {
    /// The group.
    pub group: Value,
    /// Tickets it held in the slice.
    pub tickets: u64,
    /// Time each ticket was held, per ticket (the sum of its stints in the
    /// slice): the OLA clock's counted plus paused time, so business time
    /// for a business-time target.
    pub held: Summary,
    /// OLA verdicts, one per stint.
    pub ola: Compliance,
}

/// The figures of one slice, and the same figures per value of each
/// breakdown field.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Section {
    /// The period's label (`2016-03`, `2024-Q3`, `2025-W10`), or `total`
    /// for a report's total.
    pub label: String,
    /// The slice: a calendar period, or (for a report's total) from the
    /// first ticket's creation.
    pub window: Interval,
    /// The instant the tickets were evaluated at: the period's end, or
    /// `as_of` for a period still running.
    pub as_of: DateTime<Utc>,
    /// All the service's tickets in the slice.
    pub overall: Figures,
    /// Per breakdown field, in the order asked for.
    pub breakdowns: Vec<Breakdown>,
}

/// The figures per value of one field (priority, category, ...), taken at
/// the slice's end.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Breakdown {
    /// The field.
    pub field: Field,
    /// Each value with its figures: tickets without the field first, then
    /// by value.
    pub groups: Vec<Group>,
}

/// The tickets of a breakdown with one value of its field.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Group {
    /// The value; none for tickets without the field at the slice's end.
    pub value: Option<Value>,
    /// Their figures.
    pub figures: Figures,
}

impl Breakdown {
    /// The figures of the tickets whose field held `value` (`None`: the
    /// tickets without the field).
    pub fn group(&self, value: Option<&str>) -> Option<&Figures> {
        self.groups
            .iter()
            .find(|g| g.value.as_ref().map(Value::as_str) == value)
            .map(|g| &g.figures)
    }
}

impl Section {
    /// The breakdown by `field`, if the report asked for it.
    pub fn breakdown(&self, field: &str) -> Option<&Breakdown> {
        self.breakdowns.iter().find(|b| b.field.as_str() == field)
    }
}

impl Figures {
    /// The figures of the policy with this id.
    pub fn policy(&self, id: &str) -> Option<&PolicyFigures> {
        self.policies.iter().find(|p| p.policy.as_str() == id)
    }

    /// The figures of one assignment group.
    pub fn team(&self, group: &str) -> Option<&TeamFigures> {
        self.teams.iter().find(|t| t.group.as_str() == group)
    }
}

impl PolicyFigures {
    /// The mean wall-clock time from a cycle's start to its end, over the
    /// met and breached cycles that ended in the slice: the *mean time to
    /// respond* of a response policy, to *restore* of a restore policy, to
    /// *resolve* (MTTR) of a resolution policy. (A report's policies are
    /// the service's own, so the figure takes the name of the policy's
    /// purpose; rustdoc finds it as MTTR, MTRS and "mean time to".)
    #[doc(alias = "MTTR")]
    #[doc(alias = "MTRS")]
    #[doc(alias = "mean_time_to_resolve")]
    #[doc(alias = "mean_time_to_respond")]
    #[doc(alias = "mean_time_to_restore")]
    pub fn mean_time(&self) -> Figure<TimeDelta> {
        self.wall_time.mean
    }

    /// The same mean in the time the SLA clock counted (business time for
    /// a business-time target, pauses left out).
    pub fn mean_counted_time(&self) -> Figure<TimeDelta> {
        self.business_time.mean
    }
}

/// A running sum of one slice's tickets.
#[derive(Clone, Debug, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(super) struct Tally {
    pub tickets: u64,
    pub policies: Vec<PolicyTally>,
    pub ages: Durations,
    pub resolutions: u64,
    pub reopens: u64,
    /// Resolutions in the slice that were reopened by its end.
    pub reopened_resolutions: u64,
    pub reassignments: u64,
    pub reassigned_tickets: u64,
    pub teams: BTreeMap<Value, TeamTally>,
    /// Times from creation to acknowledgement, of tickets acknowledged in
    /// the slice.
    pub acknowledge: Durations,
    /// Times from the failure to the creation, of tickets created in the
    /// slice, and how many had no usable failure instant.
    pub detect: Durations,
    pub detection_unknown: u64,
}

#[derive(Clone, Debug, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(super) struct PolicyTally {
    pub compliance: Compliance,
    pub business: Durations,
    pub wall: Durations,
}

#[derive(Clone, Debug, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(super) struct TeamTally {
    pub tickets: u64,
    pub held: Durations,
    pub ola: Compliance,
}

/// The names of a service's policies, for the output.
pub(super) type PolicyNames = [(PolicyId, String, PolicyKind)];

/// How figures are summarised.
pub(super) struct Settings<'a> {
    pub method: PercentileMethod,
    pub buckets: &'a AgeBuckets,
}

impl Tally {
    /// Empties the tally for the next ticket, keeping its buffers.
    pub fn reset(&mut self, policies: usize) {
        self.tickets = 0;
        self.policies.resize_with(policies, PolicyTally::default);
        for p in &mut self.policies {
            p.compliance = Compliance::default();
            p.business.clear();
            p.wall.clear();
        }
        self.ages.clear();
        self.resolutions = 0;
        self.reopens = 0;
        self.reopened_resolutions = 0;
        self.reassignments = 0;
        self.reassigned_tickets = 0;
        self.teams.clear();
        self.acknowledge.clear();
        self.detect.clear();
        self.detection_unknown = 0;
    }

    #[allow(
        clippy::arithmetic_side_effects,
        reason = "counters of tickets and events (u64), one per ticket or event"
    )]
    pub fn merge(&mut self, other: &Tally) {
        self.tickets += other.tickets;
        if self.policies.len() < other.policies.len() {
            self.policies.resize(other.policies.len(), PolicyTally::default());
        }
        for (mine, theirs) in self.policies.iter_mut().zip(&other.policies) {
            mine.compliance.merge(&theirs.compliance);
            mine.business.extend(&theirs.business);
            mine.wall.extend(&theirs.wall);
        }
        self.ages.extend(&other.ages);
        self.resolutions += other.resolutions;
        self.reopens += other.reopens;
        self.reopened_resolutions += other.reopened_resolutions;
        self.reassignments += other.reassignments;
        self.reassigned_tickets += other.reassigned_tickets;
        self.acknowledge.extend(&other.acknowledge);
        self.detect.extend(&other.detect);
        self.detection_unknown += other.detection_unknown;
        for (group, theirs) in &other.teams {
            // One lookup for a group seen before (the usual case).
            let mine = match self.teams.get_mut(group) {
                Some(mine) => mine,
                None => self.teams.entry(group.clone()).or_default(),
            };
            mine.tickets += theirs.tickets;
            mine.held.extend(&theirs.held);
            mine.ola.merge(&theirs.ola);
        }
    }

    pub fn figures(&self, names: &PolicyNames, settings: &Settings<'_>) -> Figures {
        let policies = names
            .iter()
            .enumerate()
            .map(|(i, (id, name, kind))| {
                let none = PolicyTally::default();
                let tally = self.policies.get(i).unwrap_or(&none);
                PolicyFigures {
                    policy: id.clone(),
                    name: name.clone(),
                    kind: *kind,
                    compliance: tally.compliance.settled(),
                    business_time: tally.business.summary(settings.method),
                    wall_time: tally.wall.summary(settings.method),
                }
            })
            .collect();
        Figures {
            tickets: self.tickets,
            policies,
            backlog: Backlog::of(&self.ages.to_vec(), settings.buckets, settings.method),
            resolutions: self.resolutions,
            reopens: self.reopens,
            reopen_rate: ratio::percent(
                i128::from(self.reopened_resolutions),
                i128::from(self.resolutions),
                Unknown::NoEvents,
            ),
            reassignments: self.reassignments,
            reassigned_tickets: self.reassigned_tickets,
            teams: self
                .teams
                .iter()
                .map(|(group, t)| TeamFigures {
                    group: group.clone(),
                    tickets: t.tickets,
                    held: t.held.summary(settings.method),
                    ola: t.ola.settled(),
                })
                .collect(),
            time_to_acknowledge: self.acknowledge.summary(settings.method),
            time_to_detect: self.detect.summary(settings.method),
            detection_unknown: self.detection_unknown,
        }
    }
}

/// A section being summed: the whole slice and each breakdown's groups.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(super) struct SectionTally {
    pub window: Interval,
    pub as_of: DateTime<Utc>,
    pub overall: Tally,
    #[cfg_attr(feature = "serde", serde(with = "keyed_by_option"))]
    pub breakdowns: Vec<BTreeMap<Option<Value>, Tally>>,
}

/// A breakdown's groups as a list of `[group, tally]` pairs: JSON map keys
/// are strings, and a group may be `null` (tickets without the field).
#[cfg(feature = "serde")]
mod keyed_by_option {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::Tally;
    use crate::event::Value;

    type Groups = BTreeMap<Option<Value>, Tally>;

    pub fn serialize<S: Serializer>(breakdowns: &[Groups], serializer: S) -> Result<S::Ok, S::Error> {
        let lists: Vec<Vec<(&Option<Value>, &Tally)>> =
            breakdowns.iter().map(|groups| groups.iter().collect()).collect();
        lists.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Groups>, D::Error> {
        let lists = Vec::<Vec<(Option<Value>, Tally)>>::deserialize(deserializer)?;
        Ok(lists.into_iter().map(|groups| groups.into_iter().collect()).collect())
    }
}

/// Values paired by key, and the entries only the other map has.
#[cfg(feature = "parallel")]
pub(super) type Paired<'m, V, Q, W> = (Vec<(&'m mut V, W)>, Vec<(Q, W)>);

/// The values of `mine` paired with those of `theirs` (in key order) under
/// the same key, and the rest of `theirs` apart: one walk of both maps.
#[cfg(feature = "parallel")]
pub(super) fn pair_by_key<K: Ord, V, Q: std::borrow::Borrow<K>, W>(
    mine: &mut BTreeMap<K, V>,
    theirs: impl IntoIterator<Item = (Q, W)>,
) -> Paired<'_, V, Q, W> {
    let mut theirs = theirs.into_iter().peekable();
    let (mut pairs, mut rest) = (Vec::new(), Vec::new());
    for (key, value) in mine.iter_mut() {
        while let Some((other, _)) = theirs.peek()
            && other.borrow() < key
        {
            rest.extend(theirs.next());
        }
        if theirs.peek().is_some_and(|(other, _)| other.borrow() == key) {
            pairs.extend(theirs.next().map(|(_, other)| (value, other)));
        }
    }
    rest.extend(theirs);
    (pairs, rest)
}

impl SectionTally {
    pub fn new(window: Interval, as_of: DateTime<Utc>, breakdowns: usize) -> SectionTally {
        SectionTally {
            window,
            as_of,
            overall: Tally::default(),
            breakdowns: vec![BTreeMap::new(); breakdowns],
        }
    }

    /// Adds another section's sums (the same window, as of the same instant).
    pub fn merge(&mut self, other: &SectionTally) {
        self.overall.merge(&other.overall);
        for (mine, theirs) in self.breakdowns.iter_mut().zip(&other.breakdowns) {
            for (key, tally) in theirs {
                match mine.get_mut(key) {
                    Some(existing) => existing.merge(tally),
                    None => {
                        mine.insert(key.clone(), tally.clone());
                    }
                }
            }
        }
    }

    /// Adds one ticket's contribution under its breakdown keys.
    pub fn add(&mut self, ticket: &Tally, keys: &[Option<Value>]) {
        self.overall.merge(ticket);
        for (groups, key) in self.breakdowns.iter_mut().zip(keys) {
            // Most keys exist already: look up before cloning one.
            match groups.get_mut(key) {
                Some(tally) => tally.merge(ticket),
                None => {
                    groups.insert(key.clone(), Tally::default());
                    groups.get_mut(key).expect("inserted above").merge(ticket);
                }
            }
        }
    }

    pub fn section(&self, label: String, fields: &[Field], names: &PolicyNames, settings: &Settings<'_>) -> Section {
        let groups = self
            .breakdowns
            .iter()
            .map(|groups| groups.values().map(|tally| tally.figures(names, settings)).collect())
            .collect();
        self.assemble(label, fields, self.overall.figures(names, settings), groups)
    }

    /// [`section`](Self::section) with the overall figures and every
    /// group's summed up on every core: a report's total holds as many
    /// durations as all its periods together, so one section per core
    /// would leave the other cores waiting on it.
    #[cfg(feature = "parallel")]
    pub fn par_section(
        &self,
        label: String,
        fields: &[Field],
        names: &PolicyNames,
        settings: &Settings<'_>,
    ) -> Section {
        use rayon::prelude::*;
        let (overall, groups) = rayon::join(
            || self.overall.figures(names, settings),
            || {
                self.breakdowns
                    .par_iter()
                    .map(|groups| {
                        groups
                            .par_iter()
                            .map(|(_, tally)| tally.figures(names, settings))
                            .collect()
                    })
                    .collect()
            },
        );
        self.assemble(label, fields, overall, groups)
    }

    /// The section from its figures: `groups[b][g]` for the `g`th group
    /// (in key order) of breakdown `b`.
    fn assemble(&self, label: String, fields: &[Field], overall: Figures, groups: Vec<Vec<Figures>>) -> Section {
        Section {
            label,
            window: self.window,
            as_of: self.as_of,
            overall,
            breakdowns: fields
                .iter()
                .zip(&self.breakdowns)
                .zip(groups)
                .map(|((field, keys), figures)| Breakdown {
                    field: field.clone(),
                    groups: keys
                        .keys()
                        .zip(figures)
                        .map(|(key, figures)| Group {
                            value: key.clone(),
                            figures,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

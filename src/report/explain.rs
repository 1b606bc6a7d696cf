//! What a review explains beyond its figures: the worst breaches of each
//! policy, segment by segment, and the agreement with the verdicts the
//! exporting tool recorded.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, TimeDelta, Utc};

use crate::calendar::BusinessCalendar;
use crate::eval::{Cause, Cycle, Evaluation, SegmentKind, State};
use crate::event::{PolicyId, TicketId, TicketState, Timeline, Value};
use crate::ingest::RecordedVerdict;
use crate::policy::Policy;

/// How many pause stretches a [`Breach`] lists (the rest are counted).
pub const MAX_PAUSES: usize = 10;

/// One of the worst breaches of a policy, with where its time went.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Breach {
    /// The ticket.
    pub ticket: TicketId,
    /// The policy.
    pub policy: PolicyId,
    /// The cycle's position among the ticket's cycles of the policy, from 0.
    pub cycle: usize,
    /// The value of the target's tier field (the priority) when the cycle
    /// started; none for a single target or an unset field.
    pub tier: Option<Value>,
    /// When the cycle started.
    pub start: DateTime<Utc>,
    /// When it breached.
    pub breached_at: Option<DateTime<Utc>>,
    /// When it ended (none while running).
    pub end: Option<DateTime<Utc>>,
    /// The target, in the policy's measure.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub target: TimeDelta,
    /// The time counted.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub used: TimeDelta,
    /// `used - target`: how far past the target it went.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub over: TimeDelta,
    /// Wall-clock time per kind of segment (counting, outside hours,
    /// paused) up to the cycle's end, with the number of segments.
    pub by_kind: Vec<KindTotal>,
    /// The first [`MAX_PAUSES`] pause stretches, each with the condition
    /// and event that began it.
    pub pauses: Vec<Pause>,
    /// Pause stretches beyond those listed.
    pub more_pauses: usize,
}

/// The wall-clock time of one kind of segment in a [`Breach`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct KindTotal {
    /// The kind.
    pub kind: SegmentKind,
    /// The time.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub total: TimeDelta,
    /// The number of segments.
    pub segments: usize,
}

/// A stretch in which a breached cycle's clock was paused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Pause {
    /// First instant.
    pub from: DateTime<Utc>,
    /// First instant after.
    pub to: DateTime<Utc>,
    /// The condition and the event (its position in the input) that began it.
    pub cause: Cause,
}

/// How this crate's verdicts on one policy compare with the ones the tool
/// recorded (ServiceNow's `made_sla`), over the tickets with both: the
/// crate's verdict is "breached" when any ended cycle of the ticket
/// breached, "met" when at least one ended and none breached.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Agreement {
    /// The policy compared.
    pub policy: PolicyId,
    /// Tickets with a recorded verdict and an ended cycle.
    pub compared: u64,
    /// Where both say the same.
    pub agreed: u64,
    /// We breach where the tool says met.
    pub we_breach_tool_met: u64,
    /// We meet where the tool says breached.
    pub we_meet_tool_breached: u64,
    /// Tickets with a recorded verdict but no ended cycle (not compared).
    pub not_ended: u64,
    /// Each disagreement, with the likeliest reason.
    pub disagreements: Vec<Disagreement>,
}

/// One ticket where the verdicts differ.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Disagreement {
    /// The ticket.
    pub ticket: TicketId,
    /// What the tool recorded (ours is the other one).
    pub recorded: RecordedVerdict,
    /// The likeliest reason our figure differs.
    pub reason: DisagreementReason,
}

/// Why this crate's verdict likely differs from the tool's, told from the
/// cycles alone (the tool's own clock is not in the export):
///
/// - where we breach and the tool says met: [`Cycle`](Self::Cycle) when the
///   first cycle met and a later one (after a reopen or restart) breached,
///   since many tools measure a ticket once; otherwise
///   [`Target`](Self::Target) (the tool's target was longer, or its clock
///   counted less);
/// - where we meet and the tool says breached: [`Pause`](Self::Pause) when
///   the time we paused would have breached the target had it counted;
///   else [`Calendar`](Self::Calendar) when the wall-clock time exceeds the
///   target (the tool counted outside business hours); otherwise
///   [`Target`](Self::Target) (a shorter target).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum DisagreementReason {
    /// Another cycle than the tool's: a later cycle breached, the first met.
    Cycle,
    /// The tool did not pause where the policy pauses.
    Pause,
    /// The tool counted time outside the calendar's hours.
    Calendar,
    /// Another target (or a clock we cannot tell apart from one).
    Target,
}

impl std::fmt::Display for DisagreementReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DisagreementReason::Cycle => "cycle",
            DisagreementReason::Pause => "pause",
            DisagreementReason::Calendar => "calendar",
            DisagreementReason::Target => "target",
        })
    }
}

impl Agreement {
    pub(super) fn new(policy: PolicyId) -> Agreement {
        Agreement {
            policy,
            compared: 0,
            agreed: 0,
            we_breach_tool_met: 0,
            we_meet_tool_breached: 0,
            not_ended: 0,
            disagreements: Vec::new(),
        }
    }

    /// The share of compared tickets where the verdicts agree, in percent
    /// to six places; unknown when none was compared.
    pub fn percent(&self) -> crate::ratio::Figure<rust_decimal::Decimal> {
        crate::ratio::percent(
            i128::from(self.agreed),
            i128::from(self.compared),
            crate::ratio::Unknown::NoEvents,
        )
    }

    /// The disagreements counted by reason, in the reasons' order.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "counters and ranks of tickets and segments in memory; durations within one cycle"
    )]
    pub fn by_reason(&self) -> Vec<(DisagreementReason, u64)> {
        let mut counts = std::collections::BTreeMap::new();
        for d in &self.disagreements {
            *counts.entry(d.reason).or_insert(0) += 1;
        }
        counts.into_iter().collect()
    }

    /// Adds another agreement's counts and disagreements (after its own).
    #[allow(clippy::arithmetic_side_effects, reason = "ticket counters (u64)")]
    pub(super) fn merge(&mut self, other: Agreement) {
        self.compared += other.compared;
        self.agreed += other.agreed;
        self.we_breach_tool_met += other.we_breach_tool_met;
        self.we_meet_tool_breached += other.we_meet_tool_breached;
        self.not_ended += other.not_ended;
        self.disagreements.extend(other.disagreements);
    }

    /// Compares one ticket's evaluation with its recorded verdict.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "counters and ranks of tickets and segments in memory; durations within one cycle"
    )]
    pub(super) fn add(&mut self, ticket: &TicketId, evaluation: &Evaluation, recorded: RecordedVerdict) {
        let ended: Vec<&Cycle> = evaluation
            .cycles
            .iter()
            .filter(|c| matches!(c.state, State::Met | State::Breached))
            .collect();
        if ended.is_empty() {
            self.not_ended += 1;
            return;
        }
        self.compared += 1;
        let breached = ended.iter().any(|c| c.state == State::Breached);
        let reason = match (breached, recorded) {
            (true, RecordedVerdict::Breached) | (false, RecordedVerdict::Met) => {
                self.agreed += 1;
                return;
            }
            (true, _) => {
                self.we_breach_tool_met += 1;
                if ended[0].state == State::Met {
                    DisagreementReason::Cycle
                } else {
                    DisagreementReason::Target
                }
            }
            (false, _) => {
                self.we_meet_tool_breached += 1;
                if ended.iter().any(|c| c.business_used + c.paused_business > c.target) {
                    DisagreementReason::Pause
                } else if ended.iter().any(|c| c.wall_used > c.target) {
                    DisagreementReason::Calendar
                } else {
                    DisagreementReason::Target
                }
            }
        };
        self.disagreements.push(Disagreement {
            ticket: ticket.clone(),
            recorded,
            reason,
        });
    }
}

/// The worst breaches of one policy, kept while tickets stream by.
#[derive(Clone, Debug, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(super) struct Worst {
    pub(super) breaches: Vec<Breach>,
}

impl Worst {
    /// The worst `keep` of both lists (ranked as `consider` ranks them).
    pub(super) fn merge(&mut self, other: Worst, keep: usize) {
        self.breaches.extend(other.breaches);
        self.breaches
            .sort_by(|a, b| b.over.cmp(&a.over).then_with(|| a.ticket.cmp(&b.ticket)));
        self.breaches.truncate(keep);
    }

    /// Takes the evaluation's breached cycles that are among the `keep`
    /// worst so far.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "counters and ranks of tickets and segments in memory; durations within one cycle"
    )]
    pub(super) fn consider<'c>(
        &mut self,
        keep: usize,
        timeline: &Timeline,
        policy: &Policy,
        calendar_of: impl Fn(&Cycle) -> &'c BusinessCalendar,
        evaluation: &Evaluation,
    ) {
        for (index, cycle) in evaluation.cycles.iter().enumerate() {
            if cycle.state != State::Breached {
                continue;
            }
            let over = cycle.business_used - cycle.target;
            let full = self.breaches.len() >= keep;
            // Worse: further over, or as far over with a smaller ticket id.
            let beats = |w: &Breach| over > w.over || (over == w.over && timeline.ticket() < &w.ticket);
            if full && !self.breaches.last().is_some_and(beats) {
                continue;
            }
            self.breaches
                .push(explain(timeline, policy, calendar_of(cycle), index, cycle));
            self.breaches
                .sort_by(|a, b| b.over.cmp(&a.over).then_with(|| a.ticket.cmp(&b.ticket)));
            self.breaches.truncate(keep);
        }
    }
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "counters and ranks of tickets and segments in memory; durations within one cycle"
)]
fn explain(timeline: &Timeline, policy: &Policy, calendar: &BusinessCalendar, index: usize, cycle: &Cycle) -> Breach {
    // Up to the cycle's end: the stretch from there to as_of is not part
    // of why it breached.
    let segments: Vec<_> = cycle
        .segments(calendar)
        .into_iter()
        .filter(|s| s.kind != SegmentKind::Stopped)
        .collect();
    let mut by_kind: Vec<KindTotal> = Vec::new();
    for s in &segments {
        match by_kind.iter_mut().find(|k| k.kind == s.kind) {
            Some(k) => {
                k.total += s.to - s.from;
                k.segments += 1;
            }
            None => by_kind.push(KindTotal {
                kind: s.kind,
                total: s.to - s.from,
                segments: 1,
            }),
        }
    }
    by_kind.sort_by_key(|k| match k.kind {
        SegmentKind::Counting => 0,
        SegmentKind::OutsideHours => 1,
        SegmentKind::Paused => 2,
        _ => 3,
    });
    let pauses: Vec<Pause> = segments
        .iter()
        .filter(|s| s.kind == SegmentKind::Paused)
        .map(|s| Pause {
            from: s.from,
            to: s.to,
            cause: s.cause,
        })
        .collect();
    let tier = policy.target().field().and_then(|field| {
        let mut state = TicketState::new();
        for e in timeline.events().iter().take_while(|e| e.at() <= cycle.start) {
            state.apply(e);
        }
        state.get(field.as_str()).cloned()
    });
    Breach {
        ticket: timeline.ticket().clone(),
        policy: policy.id().clone(),
        cycle: index,
        tier,
        start: cycle.start,
        breached_at: cycle.breached_at,
        end: cycle.end,
        target: cycle.target,
        used: cycle.business_used,
        over: cycle.business_used - cycle.target,
        by_kind,
        more_pauses: pauses.len().saturating_sub(MAX_PAUSES),
        pauses: pauses.into_iter().take(MAX_PAUSES).collect(),
    }
}

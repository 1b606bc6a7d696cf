//! What the review adds to the report: the worst breaches of the headline
//! policy with their explanation, and the agreement with the verdicts the
//! exporting tool recorded.

use std::collections::BTreeMap;
use std::error::Error;

use servicelevel::chrono::{DateTime, TimeDelta, Utc};
use servicelevel::eval::{SegmentKind, State};
use servicelevel::event::TicketState;
use servicelevel::ingest::{Ingested, RecordedVerdict};
use servicelevel::{BusinessCalendar, Cycle, Policy, ReportSpec, Timeline, evaluate};

/// A breached cycle and where its time went.
pub struct Breach {
    pub ticket: String,
    /// The value of the target's tier field when the cycle started.
    pub tier: String,
    pub cycle: Cycle,
    /// Counting, outside hours and paused time up to the cycle's end.
    pub by_kind: BTreeMap<&'static str, TimeDelta>,
    pub segments: usize,
}

#[derive(Default)]
pub struct Agreement {
    pub compared: u64,
    pub agree: u64,
    pub we_breach_they_met: u64,
    pub we_met_they_breach: u64,
}

pub struct Explained {
    pub policy: String,
    pub worst: Vec<Breach>,
    pub agreement: Option<Agreement>,
}

impl Explained {
    pub fn of(
        spec: &ReportSpec,
        service: &str,
        headline: Option<&str>,
        ingested: &Ingested,
        as_of: DateTime<Utc>,
        n: usize,
    ) -> Result<Explained, Box<dyn Error>> {
        let catalog = spec.catalog();
        let (policy, calendar) = catalog
            .policies()
            .filter(|(s, _, _)| s.id().as_str() == service)
            .filter(|(_, p, _)| headline.is_none_or(|h| p.id().as_str() == h))
            .last()
            .map(|(_, p, c)| (p, &catalog.calendars()[c]))
            .ok_or_else(|| format!("service `{service}` has no policy {}", headline.unwrap_or("")))?;
        let mut worst = Vec::new();
        let mut agreement = Agreement::default();
        for timeline in &ingested.timelines {
            let Ok(evaluation) = evaluate(policy, calendar, timeline, as_of) else {
                continue;
            };
            let ended = evaluation
                .cycles
                .iter()
                .filter(|c| matches!(c.state, State::Met | State::Breached));
            let breached = ended.clone().any(|c| c.state == State::Breached);
            if let (Some(recorded), true) = (ingested.verdicts.get(timeline.ticket()), ended.count() > 0) {
                agreement.compared += 1;
                match (breached, recorded) {
                    (true, RecordedVerdict::Met) => agreement.we_breach_they_met += 1,
                    (false, RecordedVerdict::Breached) => agreement.we_met_they_breach += 1,
                    _ => agreement.agree += 1,
                }
            }
            for cycle in evaluation.cycles.into_iter().filter(|c| c.state == State::Breached) {
                worst.push(breach(policy, calendar, timeline, cycle));
            }
            if worst.len() > 10 * n.max(100) {
                keep_worst(&mut worst, n);
            }
        }
        keep_worst(&mut worst, n);
        Ok(Explained {
            policy: policy.id().to_string(),
            worst,
            agreement: (!ingested.verdicts.is_empty()).then_some(agreement),
        })
    }
}

fn keep_worst(breaches: &mut Vec<Breach>, n: usize) {
    breaches.sort_by(|a, b| {
        let over = |x: &Breach| x.cycle.business_used - x.cycle.target;
        over(b).cmp(&over(a)).then_with(|| a.ticket.cmp(&b.ticket))
    });
    breaches.truncate(n);
}

fn breach(policy: &Policy, calendar: &BusinessCalendar, timeline: &Timeline, cycle: Cycle) -> Breach {
    // Up to the cycle's end: the stretch from there to as_of is not part
    // of why it breached.
    let segments: Vec<_> = cycle
        .segments(calendar)
        .into_iter()
        .filter(|s| s.kind != SegmentKind::Stopped)
        .collect();
    let mut by_kind = BTreeMap::new();
    for s in &segments {
        let kind = match s.kind {
            SegmentKind::Counting => "counting",
            SegmentKind::OutsideHours => "outside hours",
            _ => "paused",
        };
        *by_kind.entry(kind).or_default() += s.to - s.from;
    }
    let tier = policy
        .target()
        .field()
        .map_or("-".to_string(), |field| value_at(timeline, field.as_str(), cycle.start));
    Breach {
        ticket: timeline.ticket().to_string(),
        tier,
        by_kind,
        segments: segments.len(),
        cycle,
    }
}

/// A field's value at an instant, `?` when unset.
fn value_at(timeline: &Timeline, field: &str, at: DateTime<Utc>) -> String {
    let mut state = TicketState::new();
    for e in timeline.events().iter().take_while(|e| e.at() <= at) {
        state.apply(e);
    }
    state.get(field).map_or("?".to_string(), |v| v.to_string())
}

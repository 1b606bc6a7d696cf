//! Incident response times: MTTD, MTTA and the four MTTRs.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, TimeDelta, Utc};

use super::stats::{PercentileMethod, Summary};
use crate::calendar::TimeBasis;

/// The instants of one incident's life that response metrics need; any but
/// the start may be missing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Incident {
    /// The failure began.
    pub began: DateTime<Utc>,
    /// An alert fired or someone noticed.
    #[cfg_attr(feature = "serde", serde(default))]
    pub detected: Option<DateTime<Utc>>,
    /// Someone acknowledged it and began work.
    #[cfg_attr(feature = "serde", serde(default))]
    pub acknowledged: Option<DateTime<Utc>>,
    /// Service was restored (fully operational again).
    #[cfg_attr(feature = "serde", serde(default))]
    pub recovered: Option<DateTime<Utc>>,
    /// The incident was resolved (closed, with the cause dealt with).
    #[cfg_attr(feature = "serde", serde(default))]
    pub resolved: Option<DateTime<Utc>>,
}

/// Which span of an incident's life a mean measures. The names follow
/// Atlassian's incident-management definitions of the MTTR family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Span {
    /// MTTD: from the failure to its detection.
    Detect,
    /// MTTA: from detection (the alert) to acknowledgement.
    Acknowledge,
    /// MTTR (repair): from acknowledgement (work begins) until service is
    /// restored: the repair and its testing.
    Repair,
    /// MTTR (recovery), ITIL's MTRS: from the failure until service is
    /// restored.
    Recovery,
    /// MTTR (resolve): from the failure until it is resolved, including the
    /// work to keep it from recurring.
    Resolve,
    /// MTTR (respond): from the alert until service is restored.
    Respond,
}

/// What was left out of a span's statistics, by reason.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Exclusions {
    /// Positions of incidents lacking an instant the span needs.
    pub missing: Vec<usize>,
    /// Positions of incidents whose span ends before it starts.
    pub reversed: Vec<usize>,
}

impl Incident {
    /// The span's bounds, when both instants are known.
    pub fn bounds(&self, span: Span) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        match span {
            Span::Detect => Some((self.began, self.detected?)),
            Span::Acknowledge => Some((self.detected?, self.acknowledged?)),
            Span::Repair => Some((self.acknowledged?, self.recovered?)),
            Span::Recovery => Some((self.began, self.recovered?)),
            Span::Resolve => Some((self.began, self.resolved?)),
            Span::Respond => Some((self.detected?, self.recovered?)),
        }
    }

    /// The span's length, when both instants are known.
    pub fn time(&self, span: Span, basis: TimeBasis<'_>) -> Option<TimeDelta> {
        let (from, to) = self.bounds(span)?;
        Some(basis.time(from, to))
    }
}

/// Statistics of `span` over `incidents`, with every incident either
/// counted or listed in the exclusions.
pub fn summarize(
    incidents: &[Incident],
    span: Span,
    basis: TimeBasis<'_>,
    method: PercentileMethod,
) -> (Summary, Exclusions) {
    let mut values = Vec::with_capacity(incidents.len());
    let mut excluded = Exclusions::default();
    for (i, incident) in incidents.iter().enumerate() {
        match incident.time(span, basis) {
            None => excluded.missing.push(i),
            Some(t) if t < TimeDelta::zero() => excluded.reversed.push(i),
            Some(t) => values.push(t),
        }
    }
    (Summary::of(&values, method), excluded)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests compute expected values")]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 3, h, m, 0).unwrap()
    }

    #[test]
    fn spans_need_their_instants_and_reversed_ones_are_listed() {
        let incidents = [
            Incident {
                began: at(9, 0),
                detected: Some(at(9, 10)),
                acknowledged: Some(at(9, 15)),
                recovered: Some(at(10, 0)),
                resolved: None,
            },
            Incident {
                began: at(11, 0),
                detected: Some(at(11, 20)),
                acknowledged: None,
                recovered: Some(at(11, 50)),
                resolved: None,
            },
            Incident {
                began: at(12, 0),
                detected: Some(at(11, 0)),
                acknowledged: None,
                recovered: None,
                resolved: None,
            },
        ];
        let (detect, excluded) = summarize(&incidents, Span::Detect, TimeBasis::WallClock, PercentileMethod::Linear);
        assert_eq!(detect.mean.known(), Some(TimeDelta::minutes(15)));
        assert_eq!(excluded.reversed, vec![2]);
        let (recovery, excluded) = summarize(
            &incidents,
            Span::Recovery,
            TimeBasis::WallClock,
            PercentileMethod::Linear,
        );
        assert_eq!(recovery.mean.known(), Some(TimeDelta::minutes(55)));
        assert_eq!(excluded.missing, vec![2]);
        let (respond, _) = summarize(
            &incidents,
            Span::Respond,
            TimeBasis::WallClock,
            PercentileMethod::Linear,
        );
        assert_eq!(respond.mean.known(), Some(TimeDelta::minutes(40)));
        let (ack, excluded) = summarize(
            &incidents,
            Span::Acknowledge,
            TimeBasis::WallClock,
            PercentileMethod::Linear,
        );
        assert_eq!((ack.count, excluded.missing), (1, vec![1, 2]));
    }
}

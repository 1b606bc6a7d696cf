//! The backlog at an instant: open tickets, and how old they are.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::TimeDelta;

use super::stats::{PercentileMethod, Summary};
use crate::error::{Error, Result};

/// The edges of ageing buckets, in wall-clock age: `[0, e1)`, `[e1, e2)`,
/// ..., `[en, ∞)`. Validated: edges positive and strictly increasing, at
/// most 32 of them.
///
/// ```
/// use chrono::TimeDelta;
/// use servicelevel::metrics::AgeBuckets;
/// let buckets = AgeBuckets::new([TimeDelta::days(1), TimeDelta::days(7)])?;
/// assert_eq!(buckets.labels(), ["< 1d", "1d - 7d", ">= 7d"]);
/// assert!(AgeBuckets::new([TimeDelta::days(7), TimeDelta::days(1)]).is_err());
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(into = "Vec<String>"))]
pub struct AgeBuckets {
    edges: Vec<TimeDelta>,
}

/// Most edges an [`AgeBuckets`] takes.
pub const MAX_AGE_EDGES: usize = 32;

impl AgeBuckets {
    /// Buckets with these edges.
    ///
    /// # Errors
    ///
    /// When the edges are not positive and strictly increasing, or there are more than
    /// [`MAX_AGE_EDGES`].
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "bucket counts, one per ticket, and an index above zero where it is decreased"
    )]
    pub fn new(edges: impl IntoIterator<Item = TimeDelta>) -> Result<AgeBuckets> {
        let edges: Vec<TimeDelta> = edges.into_iter().collect();
        if edges.len() > MAX_AGE_EDGES {
            return Err(Error::objective("age_buckets", edges.len(), "at most 32 edges"));
        }
        for (i, edge) in edges.iter().enumerate() {
            if *edge <= TimeDelta::zero() {
                return Err(Error::objective(
                    format!("age_buckets[{i}]"),
                    crate::duration::format(*edge),
                    "an edge must be positive",
                ));
            }
            if i > 0 && edges[i - 1] >= *edge {
                return Err(Error::objective(
                    format!("age_buckets[{i}]"),
                    crate::duration::format(*edge),
                    "edges must increase",
                ));
            }
        }
        Ok(AgeBuckets { edges })
    }

    /// The usual service-review buckets: under 1 day, 1-3 days, 3-7 days,
    /// 7-30 days, 30 days and more.
    pub fn service_review() -> AgeBuckets {
        AgeBuckets {
            edges: [1, 3, 7, 30].map(TimeDelta::days).to_vec(),
        }
    }

    /// The edges.
    pub fn edges(&self) -> &[TimeDelta] {
        &self.edges
    }

    /// One label per bucket (`< 1d`, `1d - 3d`, `>= 30d`).
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "bucket counts, one per ticket, and an index above zero where it is decreased"
    )]
    pub fn labels(&self) -> Vec<String> {
        let text = |d: TimeDelta| short(d);
        let mut labels = Vec::with_capacity(self.edges.len() + 1);
        for (i, edge) in self.edges.iter().enumerate() {
            labels.push(match i {
                0 => format!("< {}", text(*edge)),
                _ => format!("{} - {}", text(self.edges[i - 1]), text(*edge)),
            });
        }
        labels.push(match self.edges.last() {
            Some(last) => format!(">= {}", text(*last)),
            None => "all".to_string(),
        });
        labels
    }

    /// The bucket an age falls in.
    pub fn bucket(&self, age: TimeDelta) -> usize {
        self.edges.partition_point(|edge| *edge <= age)
    }
}

/// `1d`, `12h`, `1d6h`: the edge in days and hours when it is whole hours,
/// in the crate's duration text otherwise.
fn short(d: TimeDelta) -> String {
    let hours = d.num_hours();
    if TimeDelta::hours(hours) != d {
        return crate::duration::format(d);
    }
    match (hours / 24, hours % 24) {
        (0, h) => format!("{h}h"),
        (days, 0) => format!("{days}d"),
        (days, h) => format!("{days}d{h}h"),
    }
}

#[cfg(feature = "serde")]
impl TryFrom<Vec<String>> for AgeBuckets {
    type Error = Error;

    fn try_from(edges: Vec<String>) -> Result<AgeBuckets> {
        let parsed = edges
            .iter()
            .enumerate()
            .map(|(i, e)| crate::duration::parse(e).map_err(|err| err.in_field(format_args!("age_buckets[{i}]"))))
            .collect::<Result<Vec<_>>>()?;
        AgeBuckets::new(parsed)
    }
}

#[cfg(feature = "serde")]
impl From<AgeBuckets> for Vec<String> {
    fn from(buckets: AgeBuckets) -> Vec<String> {
        buckets.edges.into_iter().map(crate::duration::format).collect()
    }
}

/// Open tickets at an instant, counted per ageing bucket, with a summary
/// of their ages (wall-clock time since creation).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Backlog {
    /// Open tickets.
    pub open: u64,
    /// One entry per bucket, in order: its label and how many tickets.
    pub buckets: Vec<(String, u64)>,
    /// Their ages.
    pub age: Summary,
}

impl Backlog {
    /// The backlog of tickets of these ages.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "bucket counts, one per ticket, and an index above zero where it is decreased"
    )]
    pub fn of(ages: &[TimeDelta], buckets: &AgeBuckets, method: PercentileMethod) -> Backlog {
        let mut counts = vec![0_u64; buckets.edges.len() + 1];
        for age in ages {
            counts[buckets.bucket(*age)] += 1;
        }
        Backlog {
            open: ages.len() as u64,
            buckets: buckets.labels().into_iter().zip(counts).collect(),
            age: Summary::of(ages, method),
        }
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests compute expected values")]
mod tests {
    use super::*;

    #[test]
    fn an_age_on_an_edge_goes_to_the_later_bucket() {
        let b = AgeBuckets::service_review();
        assert_eq!(b.bucket(TimeDelta::hours(23)), 0);
        assert_eq!(b.bucket(TimeDelta::days(1)), 1);
        assert_eq!(b.bucket(TimeDelta::days(400)), 4);
    }

    #[test]
    fn backlog_counts_every_age_once() {
        let ages = [TimeDelta::hours(2), TimeDelta::days(2), TimeDelta::days(40)];
        let backlog = Backlog::of(&ages, &AgeBuckets::service_review(), PercentileMethod::Linear);
        let counts: Vec<u64> = backlog.buckets.iter().map(|(_, n)| *n).collect();
        assert_eq!(counts, [1, 1, 0, 0, 1]);
        assert_eq!(backlog.open, 3);
    }
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(AgeBuckets, Vec<String>);

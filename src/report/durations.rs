//! The durations a tally keeps for its percentiles: `i64` nanoseconds.
//!
//! Half the bytes of `TimeDelta`s to grow, merge and copy, and read by
//! [`Summary::of_nanos`] without converting. A duration beyond `i64`
//! nanoseconds (about 292 years) is kept apart as a `TimeDelta`; a list is
//! a multiset, so where a duration is kept does not change a figure.

use chrono::TimeDelta;

use crate::metrics::{PercentileMethod, Summary};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Durations {
    nanos: Vec<i64>,
    long: Vec<TimeDelta>,
}

impl Durations {
    pub fn push(&mut self, duration: TimeDelta) {
        match duration.num_nanoseconds() {
            Some(nanos) => self.nanos.push(nanos),
            None => self.long.push(duration),
        }
    }

    /// Empties the list, keeping its buffer.
    pub fn clear(&mut self) {
        self.nanos.clear();
        self.long.clear();
    }

    pub fn extend(&mut self, other: &Durations) {
        self.nanos.extend_from_slice(&other.nanos);
        self.long.extend_from_slice(&other.long);
    }

    pub fn summary(&self, method: PercentileMethod) -> Summary {
        Summary::of_nanos(&self.nanos, &self.long, method)
    }

    /// Every duration, as `TimeDelta`s: the nanoseconds first, then the
    /// long ones.
    pub fn to_vec(&self) -> Vec<TimeDelta> {
        let nanos = self.nanos.iter().map(|n| TimeDelta::nanoseconds(*n));
        nanos.chain(self.long.iter().copied()).collect()
    }
}

impl FromIterator<TimeDelta> for Durations {
    fn from_iter<I: IntoIterator<Item = TimeDelta>>(durations: I) -> Durations {
        let mut all = Durations::default();
        for duration in durations {
            all.push(duration);
        }
        all
    }
}

/// In a partial review, as the list of `TimeDelta`s it holds
/// ([`exact_list`](crate::duration::exact_list)'s form).
#[cfg(feature = "serde")]
impl serde::Serialize for Durations {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        crate::duration::exact_list::serialize(&self.to_vec(), serializer)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Durations {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Durations, D::Error> {
        Ok(crate::duration::exact_list::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duration_past_i64_nanoseconds_is_kept_and_counted() {
        let long = TimeDelta::days(365 * 300);
        let all: Durations = [TimeDelta::seconds(3), long, TimeDelta::seconds(-1)]
            .into_iter()
            .collect();
        assert_eq!(all.to_vec(), vec![TimeDelta::seconds(3), TimeDelta::seconds(-1), long]);
        let summary = all.summary(PercentileMethod::Linear);
        assert_eq!(summary.count, 3);
        assert_eq!(summary.max.known(), Some(long));
        assert_eq!(summary.median.known(), Some(TimeDelta::seconds(3)));
        assert_eq!(summary, Summary::of(&all.to_vec(), PercentileMethod::Linear));
    }
}

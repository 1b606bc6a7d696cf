//! Summary statistics of durations: count, mean, median, percentiles.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::TimeDelta;
use rust_decimal::Decimal;

use crate::arith;
use crate::error::{Error, Result};
use crate::ratio::{Figure, Unknown};

/// How a percentile is read off a sorted sample.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PercentileMethod {
    /// Linear interpolation between closest ranks: with `n` values sorted,
    /// `h = (n - 1) * p / 100` and the result is
    /// `x[floor h] + (h - floor h) * (x[floor h + 1] - x[floor h])`, to the
    /// nanosecond (half away from zero). numpy's and pandas' default, Excel's `PERCENTILE.INC`; the
    /// median is the mean of the two middle values for an even `n`. Chosen
    /// as the default so that figures match an analyst's pandas script.
    #[default]
    Linear,
    /// The smallest value with at least `p`% of the sample at or below it:
    /// `x[ceil(p / 100 * n) - 1]` (at least the first). Always one of the
    /// observed values.
    NearestRank,
}

/// Count, mean, median, p90, p95, minimum, maximum and total of a sample of
/// durations. Every figure but the count and total is unknown for an empty
/// sample.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Summary {
    /// How many values.
    pub count: u64,
    /// Their sum.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso"))]
    pub total: TimeDelta,
    /// The arithmetic mean, to the nanosecond, half away from zero.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso_figure"))]
    pub mean: Figure<TimeDelta>,
    /// The 50th percentile.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso_figure"))]
    pub median: Figure<TimeDelta>,
    /// The 90th percentile.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso_figure"))]
    pub p90: Figure<TimeDelta>,
    /// The 95th percentile.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso_figure"))]
    pub p95: Figure<TimeDelta>,
    /// The smallest value.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso_figure"))]
    pub min: Figure<TimeDelta>,
    /// The largest value.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::iso_figure"))]
    pub max: Figure<TimeDelta>,
    /// The percentile method used.
    pub method: PercentileMethod,
}

impl Summary {
    /// Summarises `values` (in any order).
    ///
    /// The percentiles are read by selection, not by sorting: each rank a
    /// figure needs is selected, highest first, among the values below the
    /// previous one (a few linear passes). Durations within about 292 years
    /// are compared as `i64` nanoseconds; a sample with a longer one is
    /// compared as `TimeDelta`s. Either way the figures are those of the
    /// sorted sample.
    pub fn of(values: &[TimeDelta], method: PercentileMethod) -> Summary {
        let mut nanos = Vec::with_capacity(values.len());
        for value in values {
            match value.num_nanoseconds() {
                Some(n) => nanos.push(n),
                None => return summarize(&mut values.to_vec(), arith::nanos, method),
            }
        }
        summarize(&mut nanos, i128::from, method)
    }

    /// [`of`](Self::of) the durations `nanos` (in nanoseconds) and `long`
    /// together, for a caller that keeps durations as nanoseconds and the
    /// rare longer one apart.
    pub(crate) fn of_nanos(nanos: &[i64], long: &[TimeDelta], method: PercentileMethod) -> Summary {
        if long.is_empty() {
            return summarize(&mut nanos.to_vec(), i128::from, method);
        }
        let mut all: Vec<TimeDelta> = nanos.iter().map(|n| TimeDelta::nanoseconds(*n)).collect();
        all.extend_from_slice(long);
        summarize(&mut all, arith::nanos, method)
    }
}

/// The summary of `values`, whose order it changes; `nanos` reads a value
/// as nanoseconds (order-preserving).
#[allow(
    clippy::arithmetic_side_effects,
    reason = "the sum of n durations of at most 2^63 s each (below 2^93 ns times n < 2^63) fits an i128"
)]
fn summarize<T: Ord + Copy>(values: &mut [T], nanos: impl Fn(T) -> i128, method: PercentileMethod) -> Summary {
    let none = Figure::Unknown(Unknown::NoEvents);
    let Some(&first) = values.first() else {
        return Summary {
            count: 0,
            total: TimeDelta::zero(),
            mean: none,
            median: none,
            p90: none,
            p95: none,
            min: none,
            max: none,
            method,
        };
    };
    let (mut total, mut min, mut max) = (0_i128, first, first);
    for &value in values.iter() {
        total += nanos(value);
        min = min.min(value);
        max = max.max(value);
    }
    let n = values.len();
    let [p95, p90, p50] = [95, 90, 50].map(|p| Position::of(n, Decimal::from(p), method));
    let ranks = ranked(values, [p95.high, p95.low, p90.high, p90.low, p50.high, p50.low]);
    let at = |rank: usize| nanos_at(&ranks, rank, &nanos);
    let known = |value: T| Figure::Known(arith::from_nanos(nanos(value)));
    Summary {
        count: n as u64,
        total: arith::from_nanos(total),
        mean: Figure::Known(arith::from_nanos(arith::div_round(total, n as i128))),
        median: Figure::Known(p50.value(at)),
        p90: Figure::Known(p90.value(at)),
        p95: Figure::Known(p95.value(at)),
        min: known(min),
        max: known(max),
        method,
    }
}

/// The values at `ranks` (each below `values.len()`, in non-increasing
/// order but for a rank repeated from before) of `values` as if it were
/// sorted, each with its rank. Selecting a rank leaves every smaller value
/// before it, so the next (lower) rank is selected among those alone.
fn ranked<T: Ord + Copy, const N: usize>(values: &mut [T], ranks: [usize; N]) -> [(usize, T); N] {
    let mut bound = values.len();
    let mut found = [(usize::MAX, values[0]); N];
    for (slot, rank) in ranks.into_iter().enumerate() {
        let known = found[..slot].iter().find(|(r, _)| *r == rank).map(|(_, v)| *v);
        let value = match known {
            Some(value) => value,
            None if rank < bound => {
                let (_, value, _) = values[..bound].select_nth_unstable(rank);
                bound = rank;
                *value
            }
            // Every rank a percentile needs is one of the two kinds above.
            None => values[rank],
        };
        found[slot] = (rank, value);
    }
    found
}

/// The nanoseconds of the value [`ranked`] found at `rank` (0 for a rank it
/// was not asked for, which no caller reads).
fn nanos_at<T: Copy>(ranks: &[(usize, T)], rank: usize, nanos: impl Fn(T) -> i128) -> i128 {
    ranks.iter().find(|(r, _)| *r == rank).map_or(0, |(_, v)| nanos(*v))
}

/// Where the `p`th percentile of `n > 0` sorted values is read: the value
/// at rank `low`, moved towards the one at rank `high` by `step / den` of
/// the gap between them.
#[derive(Clone, Copy)]
struct Position {
    low: usize,
    high: usize,
    step: i128,
    den: i128,
}

impl Position {
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "n counts values in memory (below 2^63), p has at most nine decimals (pm <= 10^11): n * pm fits; low < n"
    )]
    fn of(n: usize, p: Decimal, method: PercentileMethod) -> Position {
        let (pm, ps) = arith::fraction(p);
        let count = n as i128;
        match method {
            PercentileMethod::Linear => {
                let (hn, hd) = ((count - 1) * pm, 100 * ps);
                let low = (hn / hd) as usize;
                Position {
                    low,
                    high: (low + 1).min(n - 1),
                    step: hn % hd,
                    den: hd,
                }
            }
            PercentileMethod::NearestRank => {
                // ceil(p * n / 100), at least 1.
                let (num, den) = (pm * count, 100 * ps);
                let rank = ((num + den - 1) / den).clamp(1, count) as usize - 1;
                Position {
                    low: rank,
                    high: rank,
                    step: 0,
                    den: 1,
                }
            }
        }
    }

    /// The percentile, from the nanoseconds at each rank.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "two durations' nanoseconds (below 2^94) and their gap fit an i128; the step is at most the gap"
    )]
    fn value(self, at: impl Fn(usize) -> i128) -> TimeDelta {
        let low = at(self.low);
        // The gap between two durations times a share of 10^11 can pass
        // 128 bits; the ratio is formed in 256.
        let step = arith::mul_div_round(at(self.high) - low, self.step, self.den).unwrap_or(0);
        arith::from_nanos(low + step)
    }
}

/// The `p`th percentile (`0 <= p <= 100`) of `values`, in any order.
///
/// # Errors
///
/// When `p` is not in `[0, 100]`.
pub fn percentile(values: &[TimeDelta], p: Decimal, method: PercentileMethod) -> Result<Figure<TimeDelta>> {
    if p < Decimal::ZERO || p > Decimal::ONE_HUNDRED {
        return Err(Error::objective(
            "percentile",
            p,
            "a percentile must be between 0 and 100",
        ));
    }
    let p = crate::ratio::bounded(p, "percentile")?;
    if values.is_empty() {
        return Ok(Figure::Unknown(Unknown::NoEvents));
    }
    let position = Position::of(values.len(), p, method);
    let mut values = values.to_vec();
    let ranks = ranked(&mut values, [position.high, position.low]);
    Ok(Figure::Known(
        position.value(|rank| nanos_at(&ranks, rank, arith::nanos)),
    ))
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests compute expected values")]
mod tests {
    use super::*;

    fn secs(xs: &[i64]) -> Vec<TimeDelta> {
        xs.iter().map(|s| TimeDelta::seconds(*s)).collect()
    }

    #[test]
    fn linear_matches_numpy() {
        // numpy.percentile([15, 20, 35, 40, 50], [40, 90]) == [29.0, 46.0]
        let xs = secs(&[15, 20, 35, 40, 50]);
        let p = |q: i64| percentile(&xs, Decimal::from(q), PercentileMethod::Linear).unwrap();
        assert_eq!(p(40), Figure::Known(TimeDelta::seconds(29)));
        assert_eq!(p(90), Figure::Known(TimeDelta::seconds(46)));
        let s = Summary::of(&secs(&[4, 1, 3, 2]), PercentileMethod::Linear);
        assert_eq!(s.median, Figure::Known(TimeDelta::milliseconds(2500)));
        assert_eq!(s.mean, Figure::Known(TimeDelta::milliseconds(2500)));
    }

    #[test]
    fn nearest_rank_matches_wikipedia() {
        // Wikipedia, "Percentile", nearest-rank method: for 15, 20, 35, 40,
        // 50 the 30th percentile is 20, the 40th 20, the 50th 35, the 100th 50.
        let xs = secs(&[15, 20, 35, 40, 50]);
        for (q, want) in [(30, 20), (40, 20), (50, 35), (100, 50), (5, 15)] {
            let got = percentile(&xs, Decimal::from(q), PercentileMethod::NearestRank).unwrap();
            assert_eq!(got, Figure::Known(TimeDelta::seconds(want)), "p{q}");
        }
    }

    #[test]
    fn empty_sample_is_unknown_not_zero() {
        let s = Summary::of(&[], PercentileMethod::Linear);
        assert_eq!(s.count, 0);
        assert!(s.mean.is_unknown() && s.p95.is_unknown() && s.max.is_unknown());
    }

    /// The figures of the sorted sample, read as the definitions
    /// say: the oracle of the selection.
    fn sorted_oracle(values: &[TimeDelta], p: i64, method: PercentileMethod) -> TimeDelta {
        let mut sorted = values.to_vec();
        sorted.sort_unstable();
        let n = sorted.len() as i128;
        match method {
            PercentileMethod::Linear => {
                let (hn, hd) = ((n - 1) * i128::from(p), 100);
                let lo = (hn / hd) as usize;
                let low = arith::nanos(sorted[lo]);
                let high = sorted.get(lo + 1).map_or(low, |d| arith::nanos(*d));
                let step = arith::mul_div_round(high - low, hn % hd, hd).unwrap();
                arith::from_nanos(low + step)
            }
            _ => {
                let rank = ((i128::from(p) * n + 99) / 100).max(1) as usize;
                sorted[rank.min(sorted.len()) - 1]
            }
        }
    }

    fn durations() -> impl proptest::strategy::Strategy<Value = Vec<TimeDelta>> {
        use proptest::prelude::*;
        // Mostly short durations with ties; sometimes one beyond i64
        // nanoseconds, which takes the `TimeDelta` path.
        let short = (-5_i64..200, 0_u32..3).prop_map(|(s, n)| TimeDelta::new(s, n * 400_000_000).unwrap());
        let long = (prop_oneof![Just(-1_i64), Just(1)], 10_000_000_000_i64..20_000_000_000)
            .prop_map(|(sign, s)| TimeDelta::seconds(sign * s));
        let value = prop_oneof![30 => short, 1 => long];
        proptest::collection::vec(value, 0..300)
    }

    proptest::proptest! {
        /// Selection gives the sorted sample's figures, for both methods,
        /// on samples with ties, negatives and durations past i64
        /// nanoseconds.
        #[test]
        fn summary_equals_sorted_sample(values in durations(), p in 0_i64..=100) {
            for method in [PercentileMethod::Linear, PercentileMethod::NearestRank] {
                let s = Summary::of(&values, method);
                proptest::prop_assert_eq!(s.count, values.len() as u64);
                if values.is_empty() {
                    proptest::prop_assert!(s.median.is_unknown() && s.min.is_unknown());
                    continue;
                }
                let oracle = |q| Figure::Known(sorted_oracle(&values, q, method));
                proptest::prop_assert_eq!(s.median, oracle(50));
                proptest::prop_assert_eq!(s.p90, oracle(90));
                proptest::prop_assert_eq!(s.p95, oracle(95));
                proptest::prop_assert_eq!(s.min, Figure::Known(*values.iter().min().unwrap()));
                proptest::prop_assert_eq!(s.max, Figure::Known(*values.iter().max().unwrap()));
                let got = percentile(&values, Decimal::from(p), method).unwrap();
                proptest::prop_assert_eq!(got, oracle(p));
            }
        }
    }
}

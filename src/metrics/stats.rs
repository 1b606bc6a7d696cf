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
    pub fn of(values: &[TimeDelta], method: PercentileMethod) -> Summary {
        let mut sorted = values.to_vec();
        sorted.sort_unstable();
        let total: i128 = sorted.iter().map(|d| arith::nanos(*d)).sum();
        let pct = |p: i64| percentile_sorted(&sorted, Decimal::from(p), method);
        let none = Figure::Unknown(Unknown::NoEvents);
        Summary {
            count: sorted.len() as u64,
            total: arith::from_nanos(total),
            mean: if sorted.is_empty() {
                none
            } else {
                Figure::Known(arith::from_nanos(arith::div_round(total, sorted.len() as i128)))
            },
            median: pct(50),
            p90: pct(90),
            p95: pct(95),
            min: sorted.first().map_or(none, |d| Figure::Known(*d)),
            max: sorted.last().map_or(none, |d| Figure::Known(*d)),
            method,
        }
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
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    Ok(percentile_sorted(&sorted, p, method))
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "n counts values in memory (below 2^63), p has at most nine decimals (pm <= 10^11): n * pm fits; lo < n; the gap is formed in 256 bits"
)]
fn percentile_sorted(sorted: &[TimeDelta], p: Decimal, method: PercentileMethod) -> Figure<TimeDelta> {
    let n = sorted.len() as i128;
    if n == 0 {
        return Figure::Unknown(Unknown::NoEvents);
    }
    let (pm, ps) = arith::fraction(p);
    let value = match method {
        PercentileMethod::Linear => {
            let (hn, hd) = ((n - 1) * pm, 100 * ps);
            let (lo, rem) = ((hn / hd) as usize, hn % hd);
            let low = arith::nanos(sorted[lo]);
            let high = sorted.get(lo + 1).map_or(low, |d| arith::nanos(*d));
            // The gap between two durations times a share of 10^11 can pass
            // 128 bits; the ratio is formed in 256.
            let step = arith::mul_div_round(high - low, rem, hd).unwrap_or(0);
            arith::from_nanos(low + step)
        }
        PercentileMethod::NearestRank => {
            // ceil(p * n / 100), at least 1.
            let (num, den) = (pm * n, 100 * ps);
            let rank = ((num + den - 1) / den).max(1) as usize;
            sorted[rank.min(sorted.len()) - 1]
        }
    };
    Figure::Known(value)
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
}

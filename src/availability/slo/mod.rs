//! Service level objectives: error budgets, burn rates, the OpenSLO
//! budgeting methods, and multiwindow multi-burn-rate alerts.
//!
//! An [`Objective`] is a target percentage of good service (99.9). Its
//! *error budget* over a window is the share `100 - target` of it: of the
//! time (time-based SLOs, [`Objective::time_budget`]) or of the valid events
//! (request-based, [`Objective::event_budget`]). The *burn rate* is the
//! observed error ratio divided by the budget's share: at 1 the budget runs
//! out exactly at the end of the window.
//!
//! A 100% objective has no budget: any error burns it at an
//! [`BurnRate::Unbounded`] rate, never infinity or NaN. A 0% objective
//! promises nothing and is rejected.

mod alert;
mod series;

pub use alert::{AlertPolicy, AlertRule, AlertState, NeverFires, RuleCheck, Severity};
pub use series::{ErrorSource, EventSeries, Tally};

use chrono::TimeDelta;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::arith;
use crate::error::{Error, Result};
use crate::ratio::{Figure, PERCENT_PLACES, Percent, Unknown};

/// A target percentage of good service, in `(0, 100]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(try_from = "Decimal", into = "Decimal")
)]
pub struct Objective {
    target: Percent,
}

/// How fast an error budget burns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum BurnRate {
    /// The observed error ratio over the budget's share: 1 spends the budget
    /// exactly over the window. Six places, half away from zero.
    Rate(Decimal),
    /// Errors against a 100% objective, which has no budget to divide by.
    Unbounded,
}

impl BurnRate {
    /// True when this burn rate is strictly above `threshold` (how alert
    /// rules compare, as the SRE workbook's `>`).
    pub fn exceeds(&self, threshold: Decimal) -> bool {
        match self {
            BurnRate::Rate(rate) => *rate > threshold,
            BurnRate::Unbounded => true,
        }
    }
}

/// When the rest of a budget runs out at a given burn rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Exhaustion {
    /// Nothing is left.
    Exhausted,
    /// Nothing is burning.
    Never,
    /// After this long at the current rate.
    After(#[cfg_attr(feature = "serde", serde(with = "crate::duration::text"))] TimeDelta),
}

/// How an SLO over slices of time is judged (OpenSLO `budgetingMethod`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum BudgetingMethod {
    /// Good events over valid events, all slices pooled.
    #[default]
    Occurrences,
    /// The share of slices that are good, a slice being good when its own
    /// ratio is at least `slice_target` percent.
    Timeslices {
        /// OpenSLO `timeSliceTarget`, in percent.
        slice_target: Percent,
    },
    /// The mean of the slices' own ratios.
    RatioTimeslices,
}

/// What a slice with no valid events counts as under the slice methods.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum EmptySlices {
    /// Left out of the count, and reported in [`SloOutcome::empty_slices`]
    /// (no data is not evidence either way).
    #[default]
    Skip,
    /// Counted as a good slice (ratio 1), as when quiet means healthy.
    Good,
    /// Counted as a bad slice (ratio 0), as when no data means the probe is
    /// down.
    Bad,
}

/// Good and valid event counts in one slice of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SliceCounts {
    /// Events that met the indicator's threshold.
    pub good: u64,
    /// Events that count at all.
    pub valid: u64,
}

/// An SLO judged over slices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SloOutcome {
    /// The share of good (events, slices, or mean ratio), in percent.
    pub attainment: Figure<Decimal>,
    /// Budget consumed, in percent of the budget (over 100: overspent).
    pub budget_consumed: Figure<BurnRate>,
    /// Budget left, in percent of the budget (negative: overspent).
    pub budget_remaining: Figure<BurnRate>,
    /// Whether attainment is at least the objective.
    pub met: Figure<bool>,
    /// Slices with no valid events (and what they counted as is the
    /// [`EmptySlices`] rule used).
    pub empty_slices: u64,
}

/// The budget of a time-sliced SLO.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct TimesliceBudget {
    /// Slices in the window.
    pub slices: u64,
    /// Slices that may be bad: `slices * (100 - target) / 100`, rounded down
    /// (a slice is bad or not, so a fraction of one cannot be spent).
    pub bad_slices_allowed: u64,
    /// Those slices as time.
    #[cfg_attr(feature = "serde", serde(with = "crate::duration::text"))]
    pub time: TimeDelta,
}

impl Objective {
    /// An objective of `target` percent (a [`Percent`] is in `(0, 100]`,
    /// so `"99.9".parse()?` is 99.9%, never 0.999%).
    pub fn new(target: Percent) -> Objective {
        Objective { target }
    }

    /// The target, in percent.
    pub fn target(&self) -> Decimal {
        self.target.value()
    }

    /// The budget's share as an exact fraction `numer / denom`: `(100 -
    /// target) / 100`.
    fn budget_share(&self) -> (i128, i128) {
        let (t, scale) = arith::fraction(self.target.value());
        (100 * scale - t, 100 * scale)
    }

    /// The error budget over `window` of (agreed service) time: `window *
    /// (100 - target) / 100`, to the nanosecond, half away from zero. 99.9%
    /// over 30 days gives 43 min 12 s; over February 2025, 40 min 19.2 s.
    pub fn time_budget(&self, window: TimeDelta) -> TimeDelta {
        let (numer, denom) = self.budget_share();
        arith::from_nanos(arith::div_round(arith::nanos(window) * numer, denom))
    }

    /// The error budget over `valid` events: how many may be bad, exactly
    /// (118 events at 95% allow 5.9).
    pub fn event_budget(&self, valid: u64) -> Decimal {
        let (numer, denom) = self.budget_share();
        (Decimal::from(valid) * Decimal::from_i128_with_scale(numer, 0) / Decimal::from_i128_with_scale(denom, 0))
            .normalize()
    }

    /// The budget of a time-sliced SLO: `window` cut into slices of
    /// `slice`. An error unless `slice` is positive and divides `window`.
    ///
    /// # Errors
    ///
    /// When `slice` is not positive or does not divide `window`.
    pub fn timeslice_budget(&self, window: TimeDelta, slice: TimeDelta) -> Result<TimesliceBudget> {
        let (w, s) = (arith::nanos(window), arith::nanos(slice));
        if s <= 0 || w <= 0 || w % s != 0 {
            return Err(Error::objective(
                "slice",
                crate::duration::format(slice),
                "a slice must be positive and divide the window exactly",
            ));
        }
        let slices = w / s;
        let (numer, denom) = self.budget_share();
        let allowed = slices * numer / denom;
        Ok(TimesliceBudget {
            slices: u64::try_from(slices).unwrap_or(u64::MAX),
            bad_slices_allowed: u64::try_from(allowed).unwrap_or(u64::MAX),
            time: arith::from_nanos(allowed * s),
        })
    }

    /// The burn rate of an error ratio `bad / valid` (events, or downtime
    /// over service time in any one unit): unknown when `valid` is 0.
    pub fn burn_rate(&self, bad: u128, valid: u128) -> Figure<BurnRate> {
        if valid == 0 {
            return Figure::Unknown(Unknown::NoEvents);
        }
        let (numer, denom) = self.budget_share();
        if numer == 0 {
            return Figure::Known(if bad == 0 {
                BurnRate::Rate(Decimal::ZERO)
            } else {
                BurnRate::Unbounded
            });
        }
        Figure::Known(BurnRate::Rate(exact_ratio(bad, valid, denom, numer)))
    }

    /// The burn rate that spends `budget_percent` of the budget in
    /// `alert_window` of an SLO over `slo_window`: `budget_percent / 100 *
    /// slo_window / alert_window` (2% in 1 h of 30 days gives 14.4).
    ///
    /// # Errors
    ///
    /// When a share or window is not positive, or the alert window is longer than the SLO window.
    pub fn burn_rate_threshold(
        budget_percent: Decimal,
        alert_window: TimeDelta,
        slo_window: TimeDelta,
    ) -> Result<Decimal> {
        if budget_percent <= Decimal::ZERO || budget_percent > Decimal::ONE_HUNDRED {
            return Err(Error::objective(
                "budget_percent",
                budget_percent,
                "a share of the budget must be above 0% and at most 100%",
            ));
        }
        let (a, w) = (arith::nanos(alert_window), arith::nanos(slo_window));
        if a <= 0 || w <= 0 || a > w {
            return Err(Error::objective(
                "alert_window",
                crate::duration::format(alert_window),
                "an alert window must be positive and no longer than the SLO window",
            ));
        }
        let (p, scale) = arith::fraction(budget_percent);
        Ok(exact(p * w, 100 * scale * a))
    }

    /// Judges `slices` under `method`.
    ///
    /// # Errors
    ///
    /// When a slice has more good events than valid ones.
    pub fn evaluate(&self, method: BudgetingMethod, slices: &[SliceCounts], empty: EmptySlices) -> Result<SloOutcome> {
        for (i, s) in slices.iter().enumerate() {
            if s.good > s.valid {
                return Err(Error::measurement(
                    format!("slices[{i}]"),
                    format!("good {} of valid {}", s.good, s.valid),
                    "a slice has more good events than valid ones",
                ));
            }
        }
        let empty_slices = slices.iter().filter(|s| s.valid == 0).count() as u64;
        // The attainment as an exact or 28-digit fraction of 1, and its
        // denominator's size (events or slices) for "no data".
        let (good, total) = match method {
            BudgetingMethod::Occurrences => {
                let good: u128 = slices.iter().map(|s| u128::from(s.good)).sum();
                let valid: u128 = slices.iter().map(|s| u128::from(s.valid)).sum();
                (Decimal::from_i128_with_scale(good as i128, 0), valid)
            }
            BudgetingMethod::Timeslices { slice_target } => {
                let slice_target = Objective::new(slice_target);
                let mut good = 0u128;
                let mut total = 0u128;
                for s in slices {
                    match slice_verdict(s, empty) {
                        Some(ratio_good) => {
                            total += 1;
                            // good / valid >= target / 100, in integers.
                            let (t, scale) = arith::fraction(slice_target.target());
                            let is_good = ratio_good.is_none_or(|(g, v)| g * 100 * scale >= t * v);
                            good += u128::from(is_good);
                        }
                        None => continue,
                    }
                }
                (Decimal::from_i128_with_scale(good as i128, 0), total)
            }
            BudgetingMethod::RatioTimeslices => {
                let mut sum = Decimal::ZERO;
                let mut total = 0u128;
                for s in slices {
                    if let Some(ratio_good) = slice_verdict(s, empty) {
                        total += 1;
                        sum += ratio_good.map_or(Decimal::ONE, |(g, v)| Decimal::from(g) / Decimal::from(v));
                    }
                }
                (sum, total)
            }
        };
        Ok(self.outcome(good, total, empty_slices))
    }

    fn outcome(&self, good: Decimal, total: u128, empty_slices: u64) -> SloOutcome {
        if total == 0 {
            let why = Unknown::NoEvents;
            return SloOutcome {
                attainment: Figure::Unknown(why),
                budget_consumed: Figure::Unknown(why),
                budget_remaining: Figure::Unknown(why),
                met: Figure::Unknown(why),
                empty_slices,
            };
        }
        let total = Decimal::from(total as u64);
        let attainment = good / total;
        let bad_ratio = Decimal::ONE - attainment;
        let (numer, denom) = self.budget_share();
        let (consumed, remaining) = if numer == 0 {
            let rate = if bad_ratio.is_zero() {
                BurnRate::Rate(Decimal::ZERO)
            } else {
                BurnRate::Unbounded
            };
            (rate, rate)
        } else {
            let consumed = bad_ratio * Decimal::from_i128_with_scale(denom, 0)
                / Decimal::from_i128_with_scale(numer, 0)
                * Decimal::ONE_HUNDRED;
            (
                BurnRate::Rate(round(consumed)),
                BurnRate::Rate(round(Decimal::ONE_HUNDRED - consumed)),
            )
        };
        let attainment_percent = attainment * Decimal::ONE_HUNDRED;
        SloOutcome {
            attainment: Figure::Known(round(attainment_percent)),
            budget_consumed: Figure::Known(consumed),
            budget_remaining: Figure::Known(remaining),
            met: Figure::Known(attainment_percent >= self.target.value()),
            empty_slices,
        }
    }

    /// When the budget left runs out: `remaining_percent` of the budget of
    /// an SLO over `slo_window`, burning at `rate`.
    pub fn time_to_exhaustion(remaining_percent: Decimal, rate: BurnRate, slo_window: TimeDelta) -> Exhaustion {
        if remaining_percent <= Decimal::ZERO {
            return Exhaustion::Exhausted;
        }
        let rate = match rate {
            BurnRate::Unbounded => return Exhaustion::After(TimeDelta::zero()),
            BurnRate::Rate(rate) if rate <= Decimal::ZERO => return Exhaustion::Never,
            BurnRate::Rate(rate) => rate,
        };
        // remaining / 100 * window / rate, in nanoseconds.
        let (r, r_scale) = arith::fraction(remaining_percent);
        let (b, b_scale) = arith::fraction(rate);
        let numer = r * b_scale;
        let denom = 100 * r_scale * b;
        let nanos = arith::nanos(slo_window);
        match numer.checked_mul(nanos) {
            Some(product) => Exhaustion::After(arith::from_nanos(arith::div_round(product, denom))),
            None => Exhaustion::After(TimeDelta::MAX),
        }
    }
}

/// For a slice that counts: `None` inside when it counts as wholly good (an
/// empty slice under [`EmptySlices::Good`]), else its `(good, valid)`.
/// Returns `None` for a slice that is skipped.
#[allow(clippy::option_option)]
fn slice_verdict(s: &SliceCounts, empty: EmptySlices) -> Option<Option<(i128, i128)>> {
    if s.valid > 0 {
        return Some(Some((i128::from(s.good), i128::from(s.valid))));
    }
    match empty {
        EmptySlices::Skip => None,
        EmptySlices::Good => Some(None),
        EmptySlices::Bad => Some(Some((0, 1))),
    }
}

/// `(a * c) / (b * d)` to six places, half away from zero, from integers.
fn exact_ratio(a: u128, b: u128, c: i128, d: i128) -> Decimal {
    let numer = i128::try_from(a).unwrap_or(i128::MAX).saturating_mul(c);
    let denom = i128::try_from(b).unwrap_or(i128::MAX).saturating_mul(d);
    exact(numer, denom)
}

/// `numer / denom` to six places, rounded once, half away from zero.
fn exact(numer: i128, denom: i128) -> Decimal {
    let scaled = arith::div_round(numer.saturating_mul(10_i128.pow(PERCENT_PLACES)), denom);
    Decimal::from_i128_with_scale(scaled, PERCENT_PLACES).normalize()
}

fn round(value: Decimal) -> Decimal {
    value
        .round_dp_with_strategy(PERCENT_PLACES, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

impl TryFrom<Decimal> for Objective {
    type Error = Error;

    fn try_from(target: Decimal) -> Result<Objective> {
        Percent::new(target)
            .map(Objective::new)
            .map_err(|e| e.in_field("target"))
    }
}

impl From<Objective> for Decimal {
    fn from(objective: Objective) -> Decimal {
        objective.target.value()
    }
}

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

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

mod alert;
mod series;

pub use alert::{AlertPolicy, AlertRule, AlertState, NeverFires, RuleCheck, Severity};
pub use series::{ErrorSource, EventSeries, Tally};

use chrono::TimeDelta;
use rust_decimal::Decimal;

use crate::arith;
use crate::error::{Error, Result};
use crate::ratio::{Figure, PERCENT_PLACES, Percent, Unknown};

/// A target percentage of good service, in `(0, 100]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(into = "Decimal"))]
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
    /// target) / 100`; `denom` is at most `10^11` (a target has at most
    /// nine decimals).
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "a target has at most nine decimals, so 100 * scale <= 10^11"
    )]
    fn budget_share(&self) -> (u128, u128) {
        let (t, scale) = arith::fraction(self.target.value());
        let whole = 100 * scale;
        (whole.unsigned_abs() - t.unsigned_abs(), whole.unsigned_abs())
    }

    /// The error budget over `window` of (agreed service) time: `window *
    /// (100 - target) / 100`, to the nanosecond, half away from zero. 99.9%
    /// over 30 days gives 43 min 12 s; over February 2025, 40 min 19.2 s.
    ///
    /// # Errors
    ///
    /// When `window` is negative.
    pub fn time_budget(&self, window: TimeDelta) -> Result<TimeDelta> {
        let window_nanos = nonnegative("window", window)?;
        let (numer, denom) = self.budget_share();
        // The budget is at most the window, so the quotient always fits.
        let budget = arith::ratio_round(window_nanos, numer, denom, 1).unwrap_or(window_nanos);
        Ok(arith::from_nanos(i128::try_from(budget).unwrap_or(i128::MAX)))
    }

    /// The error budget over `valid` events: how many may be bad, exactly
    /// (118 events at 95% allow 5.9).
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "valid < 2^64 and numer <= 10^11: the product fits 128 bits"
    )]
    pub fn event_budget(&self, valid: u64) -> Decimal {
        let (numer, denom) = self.budget_share();
        // denom is 10^(scale + 2), so the budget is valid * numer at that
        // scale: exact, as long as it fits 96 bits (it drops decimals past).
        let places = denom.ilog10();
        let product = u128::from(valid) * numer;
        arith::decimal(i128::try_from(product).unwrap_or(i128::MAX), places)
    }

    /// The budget of a time-sliced SLO: `window` cut into slices of
    /// `slice`, starting at the window's start.
    ///
    /// Every slice that starts in the window counts, the last one even
    /// when the window ends inside it (a daily slice of a 23-hour DST day
    /// or a 7-minute slice of an hour), as Kibana's calendar-aligned SLOs
    /// count each slice of the window; [`TimesliceBudget::time`] is the
    /// allowed slices at their full length.
    ///
    /// # Errors
    ///
    /// When `slice` or `window` is not positive.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "w / s + 1 fits: both are positive i128 nanoseconds of a TimeDelta"
    )]
    pub fn timeslice_budget(&self, window: TimeDelta, slice: TimeDelta) -> Result<TimesliceBudget> {
        let (w, s) = (arith::nanos(window), arith::nanos(slice));
        if s <= 0 || w <= 0 {
            return Err(Error::objective(
                "slice",
                crate::duration::format(slice),
                "a slice and its window must be positive",
            ));
        }
        let slices = w.div_euclid(s) + i128::from(w.rem_euclid(s) != 0);
        let (numer, denom) = self.budget_share();
        // slices * numer can pass 128 bits (a window near `TimeDelta::MAX`
        // in nanosecond slices): the product is formed in 256.
        let allowed = arith::mul_div_u128(slices.unsigned_abs(), numer, denom).map_or(u128::MAX, |(q, _)| q);
        let allowed = i128::try_from(allowed).unwrap_or(i128::MAX);
        Ok(TimesliceBudget {
            slices: u64::try_from(slices).unwrap_or(u64::MAX),
            bad_slices_allowed: u64::try_from(allowed).unwrap_or(u64::MAX),
            time: arith::from_nanos(allowed.saturating_mul(s)),
        })
    }

    /// The burn rate of an error ratio `bad / valid` (events, or downtime
    /// over service time in any one unit): unknown when `valid` is 0.
    ///
    /// # Errors
    ///
    /// When `bad` is more than `valid`.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "denom * 10^6 <= 10^17 by the bound on decimals"
    )]
    pub fn burn_rate(&self, bad: u128, valid: u128) -> Result<Figure<BurnRate>> {
        if bad > valid {
            return Err(Error::measurement(
                "bad",
                format!("{bad} bad of {valid} valid"),
                "more bad than valid events or time",
            ));
        }
        if valid == 0 {
            return Ok(Figure::Unknown(Unknown::NoEvents));
        }
        let (numer, denom) = self.budget_share();
        if numer == 0 {
            return Ok(Figure::Known(if bad == 0 {
                BurnRate::Rate(Decimal::ZERO)
            } else {
                BurnRate::Unbounded
            }));
        }
        // (bad / valid) / (numer / denom), to six places: at most 10^11.
        let rate = arith::ratio_round(bad, denom * SIX_PLACES, valid, numer).unwrap_or(u128::MAX);
        Ok(Figure::Known(BurnRate::Rate(six_places(rate))))
    }

    /// The burn rate that spends `budget_percent` of the budget in
    /// `alert_window` of an SLO over `slo_window`: `budget_percent / 100 *
    /// slo_window / alert_window` (2% in 1 h of 30 days gives 14.4), to six
    /// places, half away from zero.
    ///
    /// # Errors
    ///
    /// When a share or window is not positive, the share has more than nine
    /// decimals, or the alert window is longer than the SLO window.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "w < 10^28 ns, times 10^6; 100 * scale <= 10^11"
    )]
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
        let (p, scale) = fraction_of("budget_percent", budget_percent)?;
        // p / (100 * scale) * w / a: the products fit 256 bits by far.
        let rate = arith::ratio_round(p, w.unsigned_abs() * SIX_PLACES, 100 * scale, a.unsigned_abs());
        Ok(six_places(rate.unwrap_or(u128::MAX)))
    }

    /// Judges `slices` under `method`.
    ///
    /// The verdict is decided on the same value the attainment is rounded
    /// from: exactly `good / valid` (occurrences) or `good slices / slices`
    /// (timeslices), and for ratio timeslices the mean of the slices' exact
    /// ratios, kept as one fraction while its denominator fits 128 bits
    /// (always when the slices share a few valid counts), else with each
    /// slice's ratio to 18 decimal places (half away from zero). The
    /// attainment and the budget consumed are then rounded once to six
    /// places; the budget remaining is 100 minus the budget consumed.
    ///
    /// # Errors
    ///
    /// When a slice has more good events than valid ones, or the counts add
    /// up past 128 bits.
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
        let attainment = match method {
            BudgetingMethod::Occurrences => pooled(slices)?,
            BudgetingMethod::Timeslices { slice_target } => good_slices(slices, slice_target, empty),
            BudgetingMethod::RatioTimeslices => mean_ratio(slices, empty)?,
        };
        Ok(self.outcome(attainment, empty_slices))
    }

    /// The outcome of an attainment `good / total` (a fraction of 1).
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "good <= total by construction; denom * 10^8 and 100 * scale are bounded by the nine decimals"
    )]
    fn outcome(&self, (good, total): (u128, u128), empty_slices: u64) -> SloOutcome {
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
        let (numer, denom) = self.budget_share();
        let bad = total - good;
        let (consumed, remaining) = if numer == 0 {
            let rate = if bad == 0 {
                BurnRate::Rate(Decimal::ZERO)
            } else {
                BurnRate::Unbounded
            };
            (rate, rate)
        } else {
            // bad / total / (numer / denom) * 100, to six places.
            let consumed = arith::ratio_round(bad, denom * 100 * SIX_PLACES, total, numer).unwrap_or(u128::MAX);
            let consumed = six_places(consumed);
            (
                BurnRate::Rate(consumed),
                BurnRate::Rate(Decimal::ONE_HUNDRED.checked_sub(consumed).unwrap_or(Decimal::MIN)),
            )
        };
        let attainment = arith::ratio_round(good, 100 * SIX_PLACES, total, 1).unwrap_or(0);
        // good / total >= target / 100, that is good * 100 * scale >= t * total.
        let (t, scale) = arith::fraction(self.target.value());
        let met = arith::product_at_least(good, 100 * scale.unsigned_abs(), t.unsigned_abs(), total);
        SloOutcome {
            attainment: Figure::Known(six_places(attainment)),
            budget_consumed: Figure::Known(consumed),
            budget_remaining: Figure::Known(remaining),
            met: Figure::Known(met),
            empty_slices,
        }
    }

    /// When the budget left runs out: `remaining_percent` of the budget of
    /// an SLO over `slo_window`, burning at `rate`; to the nanosecond, half
    /// away from zero, saturating at `TimeDelta::MAX`.
    ///
    /// # Errors
    ///
    /// When the window is negative, or the share or rate has more than
    /// nine decimals.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "r < 2^96 and b_scale <= 10^9: r * b_scale < 2^128; 100 * r_scale <= 10^11"
    )]
    pub fn time_to_exhaustion(remaining_percent: Decimal, rate: BurnRate, slo_window: TimeDelta) -> Result<Exhaustion> {
        let window = nonnegative("slo_window", slo_window)?;
        if remaining_percent <= Decimal::ZERO {
            return Ok(Exhaustion::Exhausted);
        }
        let rate = match rate {
            BurnRate::Unbounded => return Ok(Exhaustion::After(TimeDelta::zero())),
            BurnRate::Rate(rate) if rate <= Decimal::ZERO => return Ok(Exhaustion::Never),
            BurnRate::Rate(rate) => rate,
        };
        // remaining / 100 * window / rate, in nanoseconds.
        let (r, r_scale) = fraction_of("remaining_percent", remaining_percent)?;
        let (b, b_scale) = fraction_of("rate", rate)?;
        // r * b_scale and 100 * r_scale * b stay below 10^40 by the bound on
        // decimals; the ratio takes products of any size.
        let after = arith::ratio_round(r * b_scale, window, 100 * r_scale, b)
            .and_then(|n| i128::try_from(n).ok())
            .map_or(TimeDelta::MAX, arith::from_nanos);
        Ok(Exhaustion::After(after))
    }
}

/// `10^PERCENT_PLACES`, the scale of six-place results.
const SIX_PLACES: u128 = 1_000_000;

/// A six-place figure from its scaled integer.
fn six_places(scaled: u128) -> Decimal {
    arith::decimal(i128::try_from(scaled).unwrap_or(i128::MAX), PERCENT_PLACES)
}

/// A duration's nanoseconds, or an error naming `field` when it is negative.
fn nonnegative(field: &str, d: TimeDelta) -> Result<u128> {
    u128::try_from(arith::nanos(d))
        .map_err(|_| Error::objective(field, crate::duration::format(d), "a window cannot be negative"))
}

/// A positive decimal as `mantissa / 10^scale`, at most nine decimals.
fn fraction_of(field: &str, d: Decimal) -> Result<(u128, u128)> {
    crate::ratio::bounded(d, field)?;
    let (m, scale) = arith::fraction(d.normalize());
    Ok((m.unsigned_abs(), scale.unsigned_abs()))
}

/// Occurrences: every slice's events pooled.
fn pooled(slices: &[SliceCounts]) -> Result<(u128, u128)> {
    let sum = |count: fn(&SliceCounts) -> u64| {
        slices
            .iter()
            .try_fold(0u128, |acc, s| acc.checked_add(u128::from(count(s))))
            .ok_or_else(|| Error::measurement("slices", slices.len(), "the event counts add up past 128 bits"))
    };
    Ok((sum(|s| s.good)?, sum(|s| s.valid)?))
}

/// Timeslices: the share of counted slices whose own ratio reaches the
/// slice target (compared exactly).
#[allow(
    clippy::arithmetic_side_effects,
    reason = "at most one count per slice; 100 * scale <= 10^11"
)]
fn good_slices(slices: &[SliceCounts], slice_target: Percent, empty: EmptySlices) -> (u128, u128) {
    let (t, scale) = arith::fraction(slice_target.value());
    let (t, whole) = (t.unsigned_abs(), 100 * scale.unsigned_abs());
    let mut good = 0u128;
    let mut total = 0u128;
    for s in slices {
        if let Some(ratio) = slice_verdict(s, empty) {
            total += 1;
            // good / valid >= target / 100, in integers.
            good += u128::from(ratio.is_none_or(|(g, v)| arith::product_at_least(g, whole, t, v)));
        }
    }
    (good, total)
}

/// Ratio timeslices: the mean of the counted slices' ratios, as a fraction.
fn mean_ratio(slices: &[SliceCounts], empty: EmptySlices) -> Result<(u128, u128)> {
    let counted: Vec<(u128, u128)> = slices
        .iter()
        .filter_map(|s| slice_verdict(s, empty))
        .map(|ratio| ratio.unwrap_or((1, 1)))
        .collect();
    let n = counted.len() as u128;
    if n == 0 {
        return Ok((0, 0));
    }
    if let Some((sum, denom)) = exact_sum(&counted)
        && let Some(total) = denom.checked_mul(n)
    {
        return Ok((sum, total));
    }
    // Each ratio to 18 places: the sum is at most n * 10^18.
    const SCALE: u128 = 1_000_000_000_000_000_000;
    let sum = counted
        .iter()
        .map(|&(g, v)| arith::ratio_round(g, SCALE, v, 1).unwrap_or(SCALE))
        .try_fold(0u128, u128::checked_add);
    match (sum, n.checked_mul(SCALE)) {
        (Some(sum), Some(total)) => Ok((sum, total)),
        _ => Err(Error::measurement("slices", slices.len(), "too many slices to average")),
    }
}

/// `sum(g / v)` as one reduced fraction, or `None` when its denominator
/// leaves 128 bits.
#[allow(clippy::arithmetic_side_effects, reason = "divisions by gcds, which are at least 1")]
fn exact_sum(ratios: &[(u128, u128)]) -> Option<(u128, u128)> {
    let (mut numer, mut denom) = (0u128, 1u128);
    for &(g, v) in ratios {
        let common = gcd(denom, v);
        let (scale_self, scale_other) = (v / common, denom / common);
        denom = denom.checked_mul(scale_self)?;
        numer = numer
            .checked_mul(scale_self)?
            .checked_add(g.checked_mul(scale_other)?)?;
        let reduce = gcd(numer, denom);
        (numer, denom) = (numer / reduce, denom / reduce);
    }
    Some((numer, denom))
}

#[allow(clippy::arithmetic_side_effects, reason = "b is not zero in the remainder")]
fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

/// For a slice that counts: `None` inside when it counts as wholly good (an
/// empty slice under [`EmptySlices::Good`]), else its `(good, valid)`.
/// Returns `None` for a slice that is skipped.
#[allow(clippy::option_option)]
fn slice_verdict(s: &SliceCounts, empty: EmptySlices) -> Option<Option<(u128, u128)>> {
    if s.valid > 0 {
        return Some(Some((u128::from(s.good), u128::from(s.valid))));
    }
    match empty {
        EmptySlices::Skip => None,
        EmptySlices::Good => Some(None),
        EmptySlices::Bad => Some(Some((0, 1))),
    }
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

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(Objective, Decimal);

//! Composite availability from the members' percentages: series, parallel,
//! k-of-n and weighted groups, nested to any depth.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::ratio::PERCENT_PLACES;

/// A service built from components, nested as deep as needed. Leaves are
/// availability percentages.
///
/// - [`Series`](Composite::Series): every component is needed,
///   `A1 * A2 * ...`.
/// - [`Parallel`](Composite::Parallel): any one is enough (redundancy),
///   `1 - (1 - A1) * (1 - A2) * ...`.
/// - [`AtLeast`](Composite::AtLeast): at least `k` of the `n` components
///   must be up (a quorum, three of five replicas): the probability that
///   `k` or more are up, summed over the ways it can happen.
/// - [`Weighted`](Composite::Weighted): the weighted mean of the
///   components' availabilities, as OpenSLO's composite SLOs weigh their
///   objectives (`compositeWeight`) and Sorry and Statuspage average a
///   group's components.
///
/// Series, parallel and k-of-n assume components fail independently, as
/// the usual ITIL and SRE formulas do; where the members' outage histories
/// are known, [`aligned_outages`](super::aligned_outages) gives the group's
/// own outages instead, with no independence assumption.
///
/// Evaluation walks the tree without recursion, so a composite of any depth
/// (a million levels built in Rust) is measured, and dropped, without
/// overflowing the stack. Serde form: `{"series": [..]}`, `{"parallel":
/// [..]}`, `{"at_least": {"k": 2, "of": [..]}}`, `{"weighted": [{"weight":
/// "2", "part": ..}]}`, `{"service": "99.9"}` (JSON nesting is limited to
/// 128 levels by serde_json).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Composite {
    /// One component, with its availability in percent.
    Service(Decimal),
    /// Every component is needed.
    Series(Vec<Composite>),
    /// Any one component is enough.
    Parallel(Vec<Composite>),
    /// At least `k` of the components must be up.
    AtLeast {
        /// How many must be up, from 1 to the number of components.
        k: usize,
        /// The components.
        of: Vec<Composite>,
    },
    /// The weighted mean of the components.
    Weighted(Vec<WeightedPart>),
}

/// A component of a [`Composite::Weighted`] group with its weight.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct WeightedPart {
    /// A positive weight (at most nine decimal places).
    pub weight: Decimal,
    /// The component.
    pub part: Composite,
}

impl Composite {
    /// The availability in percent, to six places (half away from zero).
    /// Products and sums are computed in `Decimal` to 28 significant
    /// digits, then rounded once.
    ///
    /// # Errors
    ///
    /// When a service's percentage is outside `[0, 100]`, a group is empty,
    /// `k` is not between 1 and the number of components, or a weight is
    /// not positive (the error names the path to it, `series[1].service`).
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "a fraction in [0, 1] times 100 cannot overflow"
    )]
    pub fn availability(&self) -> Result<Decimal> {
        let fraction = self.fraction()?;
        Ok(round(fraction * Decimal::ONE_HUNDRED))
    }

    /// The components of a group (none for a service).
    fn children(&self) -> Box<dyn Iterator<Item = &Composite> + '_> {
        match self {
            Composite::Service(_) => Box::new(std::iter::empty()),
            Composite::Series(parts) | Composite::Parallel(parts) | Composite::AtLeast { of: parts, .. } => {
                Box::new(parts.iter())
            }
            Composite::Weighted(parts) => Box::new(parts.iter().map(|p| &p.part)),
        }
    }

    /// The availability as a fraction of 1, by an explicit post-order walk:
    /// each node's value is computed once its children's are on `values`.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "one visit count per child, below the number of children"
    )]
    fn fraction(&self) -> Result<Decimal> {
        let mut values: Vec<Decimal> = Vec::new();
        let mut stack = vec![Frame::new(self, 0)];
        while let Some(frame) = stack.last_mut() {
            if let Some(child) = frame.children.next() {
                frame.index += 1;
                let frame = Frame::new(child, values.len());
                stack.push(frame);
                continue;
            }
            let Some(frame) = stack.pop() else { break };
            let parts = values.split_off(frame.first_value);
            match combine(frame.node, &parts) {
                Ok(value) => values.push(value),
                Err(error) if stack.is_empty() => return Err(error),
                Err(error) => return Err(error.in_field(path(&stack))),
            }
        }
        values
            .pop()
            .ok_or_else(|| Error::objective("", "[]", "a group needs at least one component"))
    }
}

/// A node of the walk: its children not yet visited, how many were, and
/// where their values start on the value stack.
struct Frame<'a> {
    node: &'a Composite,
    children: Box<dyn Iterator<Item = &'a Composite> + 'a>,
    index: usize,
    first_value: usize,
}

impl<'a> Frame<'a> {
    fn new(node: &'a Composite, first_value: usize) -> Frame<'a> {
        Frame {
            node,
            children: node.children(),
            index: 0,
            first_value,
        }
    }
}

/// The path of the node just left, from its ancestors' frames
/// (`series[1].parallel[0]`).
fn path(ancestors: &[Frame<'_>]) -> String {
    ancestors
        .iter()
        .map(|f| format!("{}[{}]", name(f.node), f.index.saturating_sub(1)))
        .collect::<Vec<_>>()
        .join(".")
}

fn name(node: &Composite) -> &'static str {
    match node {
        Composite::Service(_) => "service",
        Composite::Series(_) => "series",
        Composite::Parallel(_) => "parallel",
        Composite::AtLeast { .. } => "at_least",
        Composite::Weighted(_) => "weighted",
    }
}

/// A node's value from its children's.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "percentages are checked to lie in [0, 100], so every value is in [0, 1]"
)]
fn combine(node: &Composite, parts: &[Decimal]) -> Result<Decimal> {
    let overflow = || Error::objective(name(node), "", "the product overflows");
    if !matches!(node, Composite::Service(_)) && parts.is_empty() {
        return Err(Error::objective(
            name(node),
            "[]",
            "a group needs at least one component",
        ));
    }
    match node {
        Composite::Service(percent) => {
            if *percent < Decimal::ZERO || *percent > Decimal::ONE_HUNDRED {
                return Err(Error::objective(
                    "service",
                    percent,
                    "an availability must be between 0 and 100",
                ));
            }
            Ok(*percent / Decimal::ONE_HUNDRED)
        }
        Composite::Series(_) => parts
            .iter()
            .try_fold(Decimal::ONE, |acc, a| acc.checked_mul(*a))
            .ok_or_else(overflow),
        Composite::Parallel(_) => {
            let down = parts
                .iter()
                .try_fold(Decimal::ONE, |acc, a| acc.checked_mul(Decimal::ONE - *a));
            down.map(|d| Decimal::ONE - d).ok_or_else(overflow)
        }
        Composite::AtLeast { k, .. } => at_least(*k, parts),
        Composite::Weighted(weighted) => weighted_mean(weighted, parts),
    }
}

/// P(at least `k` of the parts are up), independent parts: `up[j]` is the
/// probability that exactly `j` of the parts so far are up.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "probabilities in [0, 1]: their products and partial sums stay in [0, 1]; j >= 1 where j - 1 is used"
)]
fn at_least(k: usize, parts: &[Decimal]) -> Result<Decimal> {
    if k == 0 || k > parts.len() {
        return Err(Error::objective(
            "at_least.k",
            k,
            "k must be between 1 and the number of components",
        ));
    }
    let mut up = vec![Decimal::ZERO; parts.len() + 1];
    up[0] = Decimal::ONE;
    for (seen, a) in parts.iter().enumerate() {
        for j in (0..=seen + 1).rev() {
            let stays_down = up[j] * (Decimal::ONE - *a);
            let comes_up = if j == 0 { Decimal::ZERO } else { up[j - 1] * *a };
            up[j] = stays_down + comes_up;
        }
    }
    Ok(up[k..].iter().copied().sum())
}

/// `sum(w * a) / sum(w)`.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "the total of positive weights is not zero; the sums are checked"
)]
fn weighted_mean(weighted: &[WeightedPart], parts: &[Decimal]) -> Result<Decimal> {
    let mut total = Decimal::ZERO;
    let mut sum = Decimal::ZERO;
    for (i, (w, a)) in weighted.iter().map(|p| p.weight).zip(parts).enumerate() {
        if w <= Decimal::ZERO {
            return Err(Error::objective(
                format!("weighted[{i}].weight"),
                w,
                "a weight must be positive",
            ));
        }
        crate::ratio::bounded(w, &format!("weighted[{i}].weight"))?;
        let overflow = || Error::objective(format!("weighted[{i}].weight"), w, "the weights add up past 28 digits");
        total = total.checked_add(w).ok_or_else(overflow)?;
        sum = sum
            .checked_add(w.checked_mul(*a).ok_or_else(overflow)?)
            .ok_or_else(overflow)?;
    }
    Ok(sum / total)
}

fn round(percent: Decimal) -> Decimal {
    percent
        .round_dp_with_strategy(PERCENT_PLACES, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

impl Drop for Composite {
    /// Drops the components iteratively: the default drop would recurse
    /// once per level and overflow the stack on a very deep composite.
    fn drop(&mut self) {
        let mut pending: Vec<Composite> = take_children(self);
        while let Some(mut node) = pending.pop() {
            pending.extend(take_children(&mut node));
        }
    }
}

fn take_children(node: &mut Composite) -> Vec<Composite> {
    match node {
        Composite::Service(_) => Vec::new(),
        Composite::Series(parts) | Composite::Parallel(parts) | Composite::AtLeast { of: parts, .. } => {
            std::mem::take(parts)
        }
        Composite::Weighted(parts) => std::mem::take(parts)
            .into_iter()
            .map(|mut p| std::mem::replace(&mut p.part, Composite::Service(Decimal::ZERO)))
            .collect(),
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests compute expected values")]
mod tests {
    use super::*;

    fn service(percent: &str) -> Composite {
        Composite::Service(percent.parse().unwrap())
    }

    #[test]
    fn series_and_parallel() {
        // Issue 4 acceptance 11.
        let series = Composite::Series(vec![service("99.999"), service("99.999")]);
        assert_eq!(series.availability().unwrap().to_string(), "99.998");
        let parallel = Composite::Parallel(vec![service("99"), service("99")]);
        assert_eq!(parallel.availability().unwrap().to_string(), "99.99");
    }

    #[test]
    fn bad_leaves_are_errors() {
        let err = Composite::Series(vec![service("99"), service("101")])
            .availability()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid objective `101` in `series[1].service`: an availability must be between 0 and 100"
        );
        assert!(Composite::Parallel(vec![]).availability().is_err());
    }

    #[test]
    fn a_million_levels_deep_is_measured_and_dropped() {
        let mut deep = service("99");
        for _ in 0..1_000_000 {
            deep = Composite::Series(vec![deep]);
        }
        assert_eq!(deep.availability().unwrap().to_string(), "99");
        drop(deep);
    }
}

//! A group's own outages from its members' outage histories, aligned in
//! time: the group is down where its rule says so, instant by instant, so
//! no independence between members is assumed (unlike [`Composite`]).
//!
//! [`Composite`]: super::Composite

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;

use super::{Impact, ImpactWeights, Outage, Weight};
use crate::error::{Error, Result};

/// How many members a group needs up to be up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Needed {
    /// Every member (series): the group is down while any member is down,
    /// as incident.io's status pages count a group ("a group is only
    /// considered up if all components in it are in an up status").
    #[default]
    All,
    /// Any one member (parallel, redundant): down only while all are down.
    Any,
    /// At least this many members (a quorum): down while more than `n - k`
    /// are down.
    AtLeast(usize),
}

/// The group's outages from each member's: one [`Impact::Weighted`] outage
/// per stretch in which the group is down at one weight. Each member's
/// weight at an instant is the highest weight (under `weights`) of its
/// outages covering it, as in [`History`](super::History); the group's is
/// the `(n - k + 1)`-th highest of the members' weights: the highest for
/// [`Needed::All`], the lowest for [`Needed::Any`]. Open outages run to
/// `as_of` (and those starting after it are left out). Measure the result
/// with [`Agreement::history`](super::Agreement::history) like any
/// service's outages.
///
/// # Errors
///
/// When there are no members, or `k` is not between 1 and their number.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "i counts edges, below their number; k <= n is checked first"
)]
pub fn aligned_outages(
    members: &[&[Outage]],
    needed: Needed,
    weights: ImpactWeights,
    as_of: DateTime<Utc>,
) -> Result<Vec<Outage>> {
    let n = members.len();
    let k = match needed {
        Needed::All => n,
        Needed::Any => 1,
        Needed::AtLeast(k) => k,
    };
    if n == 0 || k == 0 || k > n {
        return Err(Error::objective(
            "needed",
            format!("{k} of {n}"),
            "a group needs members, and between 1 and all of them up",
        ));
    }
    let as_of = crate::interval::without_leap_second(as_of);
    let mut edges = edges(members, weights, as_of);
    edges.sort_unstable_by_key(|e| e.0);
    let mut active: Vec<BTreeMap<u16, u32>> = vec![BTreeMap::new(); n];
    let mut out = Vec::new();
    let mut current: Option<(DateTime<Utc>, u16)> = None;
    let mut i = 0;
    while i < edges.len() {
        let at = edges[i].0;
        while i < edges.len() && edges[i].0 == at {
            let (_, member, units, opens) = edges[i];
            apply(&mut active[member], units, opens);
            i += 1;
        }
        let weight = group_weight(&active, n - k);
        if current.map(|(_, w)| w) != Some(weight).filter(|w| *w > 0) {
            if let Some((start, w)) = current.take() {
                out.push(Outage::new(start, at, weighted(w))?);
            }
            if weight > 0 {
                current = Some((at, weight));
            }
        }
    }
    Ok(out)
}

/// Each member outage's start and end, with its weight in 1/10,000.
fn edges(
    members: &[&[Outage]],
    weights: ImpactWeights,
    as_of: DateTime<Utc>,
) -> Vec<(DateTime<Utc>, usize, u16, bool)> {
    let mut edges = Vec::new();
    for (member, outages) in members.iter().enumerate() {
        for outage in outages.iter() {
            let units = u16::try_from(weights.weight(outage.impact()).units()).unwrap_or(u16::MAX);
            let end = outage.end().unwrap_or(as_of).min(as_of);
            if units == 0 || end <= outage.start() {
                continue;
            }
            edges.push((outage.start(), member, units, true));
            edges.push((end, member, units, false));
        }
    }
    edges
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "a count is at least 1 while its outage is open (every close follows its open)"
)]
fn apply(active: &mut BTreeMap<u16, u32>, units: u16, opens: bool) {
    if opens {
        *active.entry(units).or_default() += 1;
    } else if let Some(count) = active.get_mut(&units) {
        *count -= 1;
        if *count == 0 {
            active.remove(&units);
        }
    }
}

/// The `(allowed + 1)`-th highest member weight (0 when fewer members are
/// down): the group is down only when more than `allowed` members are.
fn group_weight(active: &[BTreeMap<u16, u32>], allowed: usize) -> u16 {
    let mut down: Vec<u16> = active.iter().filter_map(|a| a.keys().next_back().copied()).collect();
    if down.len() <= allowed {
        return 0;
    }
    down.sort_unstable_by(|a, b| b.cmp(a));
    down[allowed]
}

fn weighted(units: u16) -> Impact {
    let weight = Weight::new(Decimal::new(i64::from(units), 4)).unwrap_or(Weight::FULL);
    Impact::Weighted(weight)
}

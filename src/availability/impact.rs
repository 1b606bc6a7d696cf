//! How much an outage counts: impact levels and their weights.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use rust_decimal::Decimal;

use crate::error::{Error, Result};

/// The share of an outage's time that counts as downtime, from 0 to 1 with
/// at most four decimal places (so that weighted downtime stays an exact
/// integer count of 1/10,000 nanoseconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(into = "Decimal"))]
pub struct Weight(u16);

/// Weights are stored in units of 1/10,000.
pub(crate) const WEIGHT_SCALE: i128 = 10_000;

impl Weight {
    /// Counts in full.
    pub const FULL: Weight = Weight(10_000);
    /// Does not count.
    pub const NONE: Weight = Weight(0);

    /// A weight from a decimal in `[0, 1]` with at most four decimals.
    ///
    /// # Errors
    ///
    /// When the weight is not in `[0, 1]` or has more than four decimals.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "the weight is checked to lie in [0, 1] before it is scaled by 10,000"
    )]
    pub fn new(weight: Decimal) -> Result<Weight> {
        // The range first: multiplying a 26-digit weight would overflow.
        if weight < Decimal::ZERO || weight > Decimal::ONE {
            return Err(Error::objective("weight", weight, "a weight must be between 0 and 1"));
        }
        let scaled = weight * Decimal::from(WEIGHT_SCALE as i64);
        if scaled.fract() != Decimal::ZERO {
            return Err(Error::objective(
                "weight",
                weight,
                "a weight has at most four decimal places",
            ));
        }
        let units = u16::try_from(scaled.normalize().mantissa()).unwrap_or(u16::MAX);
        Ok(Weight(units))
    }

    /// The weight as a decimal.
    pub fn value(self) -> Decimal {
        Decimal::new(i64::from(self.0), 4).normalize()
    }

    /// In units of 1/10,000.
    pub(crate) fn units(self) -> i128 {
        i128::from(self.0)
    }
}

impl TryFrom<Decimal> for Weight {
    type Error = Error;

    fn try_from(weight: Decimal) -> Result<Weight> {
        Weight::new(weight)
    }
}

impl From<Weight> for Decimal {
    fn from(weight: Weight) -> Decimal {
        weight.value()
    }
}

/// How badly an outage affects the service, in status-page terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Impact {
    /// A major (full) outage: the service is down.
    Major,
    /// A partial outage: part of the service or of its users is affected.
    Partial,
    /// Degraded performance: the service works, slowly or with errors.
    Degraded,
    /// An explicit weight, whatever the configured levels say.
    Weighted(Weight),
}

/// The weight of each impact level: configuration, with named presets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct ImpactWeights {
    /// Weight of [`Impact::Major`].
    pub major: Weight,
    /// Weight of [`Impact::Partial`].
    pub partial: Weight,
    /// Weight of [`Impact::Degraded`].
    pub degraded: Weight,
}

impl ImpactWeights {
    /// Status-page style: a major outage counts in full, a partial outage
    /// 0.3, degraded performance not at all. Source: Atlassian Statuspage,
    /// "Uptime Showcase", How it works (help.statuspage.io: major outage
    /// minutes count in full, partial outage minutes at 30%); Instatus
    /// documents the same weights ("Uptime colors": "a partial outage
    /// weight in this calculation is 30% the weight of a major outage ...
    /// degraded performance does not affect the uptime").
    pub const STATUS_PAGE: ImpactWeights = ImpactWeights {
        major: Weight::FULL,
        partial: Weight(3_000),
        degraded: Weight::NONE,
    };

    /// incident.io status pages: full and partial outages are "down" in
    /// full; degraded performance and maintenance are "up". Source:
    /// incident.io, "Status Pages: How we calculate uptime"
    /// (docs.incident.io/status-pages/uptime-calculation), whose example
    /// (operational 09:00-09:10, degraded 09:10-09:40, full outage
    /// 09:40-10:00) gives 66% for the hour: `testdata/availability/10_incident_io.json`.
    pub const INCIDENT_IO: ImpactWeights = ImpactWeights {
        major: Weight::FULL,
        partial: Weight::FULL,
        degraded: Weight::NONE,
    };

    /// Every non-operational state counts in full, degraded performance
    /// included: the strictest reading, which no status-page vendor
    /// documents (incident.io counts degraded performance as up; use
    /// [`ImpactWeights::INCIDENT_IO`] for it).
    pub const ANY_NON_OPERATIONAL: ImpactWeights = ImpactWeights {
        major: Weight::FULL,
        partial: Weight::FULL,
        degraded: Weight::FULL,
    };

    /// Only a major outage counts: what most contracts call downtime (as
    /// in the SLAs of the large clouds, which count only time when the
    /// service is unavailable, not slow).
    pub const MAJOR_ONLY: ImpactWeights = ImpactWeights {
        major: Weight::FULL,
        partial: Weight::NONE,
        degraded: Weight::NONE,
    };

    /// The weight of `impact`.
    pub fn weight(&self, impact: Impact) -> Weight {
        match impact {
            Impact::Major => self.major,
            Impact::Partial => self.partial,
            Impact::Degraded => self.degraded,
            Impact::Weighted(weight) => weight,
        }
    }
}

impl Default for ImpactWeights {
    /// [`ImpactWeights::STATUS_PAGE`].
    fn default() -> ImpactWeights {
        ImpactWeights::STATUS_PAGE
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests compute expected values")]
mod tests {
    use super::*;

    #[test]
    fn weights_are_checked() {
        assert_eq!(
            Weight::new(Decimal::new(3, 1)).unwrap(),
            ImpactWeights::STATUS_PAGE.partial
        );
        assert_eq!(Weight::new(Decimal::ONE).unwrap(), Weight::FULL);
        assert_eq!(
            Weight::new(Decimal::new(12345, 4)).unwrap_err().to_string(),
            "invalid objective `1.2345` in `weight`: a weight must be between 0 and 1"
        );
        assert!(Weight::new(Decimal::new(12345, 5)).unwrap_err().is_config());
        assert_eq!(Weight::new(Decimal::new(30, 2)).unwrap().value().to_string(), "0.3");
    }
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(Weight, Decimal);

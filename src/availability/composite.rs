//! Composite availability of services in series and in parallel.

use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::ratio::PERCENT_PLACES;

/// A service built from components: all needed (series) or any one enough
/// (parallel, redundant), nested as deep as needed. Leaves are availability
/// percentages.
///
/// Series multiplies availabilities, `A1 * A2`; parallel multiplies
/// unavailabilities, `1 - (1 - A1) * (1 - A2)`. Both assume components fail
/// independently, as the usual ITIL and SRE formulas do.
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
}

impl Composite {
    /// The availability in percent, to six places (half away from zero).
    /// Products are computed in `Decimal` to 28 significant digits. An
    /// error for a percentage outside `[0, 100]` or an empty group.
    ///
    /// # Errors
    ///
    /// When a service's percentage is outside `[0, 100]` or a group is empty (the error names the
    /// path to it).
    pub fn availability(&self) -> Result<Decimal> {
        let fraction = self.fraction("")?;
        Ok(round(fraction * Decimal::ONE_HUNDRED))
    }

    fn fraction(&self, path: &str) -> Result<Decimal> {
        match self {
            Composite::Service(percent) => {
                if *percent < Decimal::ZERO || *percent > Decimal::ONE_HUNDRED {
                    return Err(Error::objective(
                        format!("{path}service"),
                        percent,
                        "an availability must be between 0 and 100",
                    ));
                }
                Ok(*percent / Decimal::ONE_HUNDRED)
            }
            Composite::Series(parts) => product(parts, path, "series", Ok),
            Composite::Parallel(parts) => {
                product(parts, path, "parallel", |a| Ok(Decimal::ONE - a)).map(|down| Decimal::ONE - down)
            }
        }
    }
}

fn product(parts: &[Composite], path: &str, name: &str, map: impl Fn(Decimal) -> Result<Decimal>) -> Result<Decimal> {
    if parts.is_empty() {
        return Err(Error::objective(
            format!("{path}{name}"),
            "[]",
            "a group needs at least one component",
        ));
    }
    let mut out = Decimal::ONE;
    for (i, part) in parts.iter().enumerate() {
        let value = map(part.fraction(&format!("{path}{name}[{i}]."))?)?;
        out = out
            .checked_mul(value)
            .ok_or_else(|| Error::objective(format!("{path}{name}"), value, "the product overflows"))?;
    }
    Ok(out)
}

fn round(percent: Decimal) -> Decimal {
    percent
        .round_dp_with_strategy(PERCENT_PLACES, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

#[cfg(test)]
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
}

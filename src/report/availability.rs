//! A service's availability against its commitment, and composite
//! availability through its dependencies.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use rust_decimal::Decimal;

use super::Catalog;
use super::service::Composition;
use crate::availability::{Agreement, Composite, Maintenance, Outage, UnusedOutage, WindowAvailability};
use crate::error::{Error, Result};
use crate::ratio::{Figure, Unknown};
use chrono::{DateTime, Utc};

/// Whether a window met the availability commitment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Verdict {
    /// Availability at or above the target (compared at six places).
    Met,
    /// Below the target.
    Missed,
    /// No agreed service time in the window, so no availability.
    Unknown,
}

/// One reporting window of a commitment.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct CommitmentWindow {
    /// The service's own availability in the window.
    pub availability: WindowAvailability,
    /// Against the target.
    pub verdict: Verdict,
    /// The service's availability in series with its dependencies' (each
    /// composite in turn), when it has dependencies; unknown when one of
    /// them has no measurement for the same window.
    pub composite: Option<Figure<Decimal>>,
}

/// A service's availability against its commitment.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ServiceAvailability {
    /// The commitment's target, in percent.
    pub target: Decimal,
    /// Each window of the commitment's period, from the first outage's (or
    /// `as_of`'s) to `as_of`'s.
    pub windows: Vec<CommitmentWindow>,
    /// All windows together.
    pub total: WindowAvailability,
    /// Outages that counted nowhere, with the reason.
    pub unused: Vec<UnusedOutage>,
}

impl ServiceAvailability {
    pub(super) fn set_composite(&mut self, composite: Option<Vec<Figure<Decimal>>>) {
        if let Some(figures) = composite {
            for (window, figure) in self.windows.iter_mut().zip(figures) {
                window.composite = Some(figure);
            }
        }
    }
}

pub(super) fn measure(
    catalog: &Catalog,
    index: usize,
    outages: &[Outage],
    maintenance: Maintenance,
    as_of: DateTime<Utc>,
    observed_from: Option<DateTime<Utc>>,
) -> Result<ServiceAvailability> {
    let service = &catalog.services()[index];
    let Some(commitment) = service.commitment() else {
        return Err(Error::catalog(
            format!("services[{index}].commitment"),
            service.id(),
            "the service has no availability commitment",
        ));
    };
    let calendar = catalog.policy_calendar(service, commitment.calendar());
    let agreement = Agreement::builder(calendar.clone())
        .weights(commitment.impact_weights())
        .maintenance(maintenance)
        .maintenance_mode(commitment.mode())
        .build()?;
    // From the observation start, or else the first outage: a service
    // without outages is measured too (in the period of `as_of` at least).
    let first = outages
        .iter()
        .map(|o| o.start())
        .chain(observed_from)
        .min()
        .unwrap_or(as_of)
        .min(as_of);
    let windows = match first < as_of {
        true => commitment.period().windows(calendar.time_zone(), first, as_of)?,
        false => vec![commitment.period().containing(calendar.time_zone(), as_of)?],
    };
    let report = agreement.history(outages, as_of)?.report(&windows)?;
    let target = commitment.target();
    Ok(ServiceAvailability {
        target,
        windows: report
            .windows
            .into_iter()
            .map(|availability| CommitmentWindow {
                verdict: match availability.availability {
                    Figure::Known(a) if a >= target => Verdict::Met,
                    Figure::Known(_) => Verdict::Missed,
                    Figure::Unknown(_) => Verdict::Unknown,
                },
                availability,
                composite: None,
            })
            .collect(),
        total: report.total,
        unused: report.unused,
    })
}

/// Per service (in catalog order), the composite availability per window
/// when it has dependencies and its own measurement.
pub(super) fn composites<'a>(
    catalog: &Catalog,
    measured: impl Iterator<Item = Option<&'a ServiceAvailability>>,
) -> Vec<Option<Vec<Figure<Decimal>>>> {
    let measured: Vec<Option<&ServiceAvailability>> = measured.collect();
    (0..measured.len())
        .map(|i| {
            let own = measured[i]?;
            catalog.services()[i].dependencies()?;
            Some(
                own.windows
                    .iter()
                    .map(|w| composite_at(catalog, &measured, i, w.availability.window))
                    .map(|c| {
                        c.and_then(|c| c.availability().ok())
                            .map_or(Figure::Unknown(Unknown::NoMeasurement), Figure::Known)
                    })
                    .collect(),
            )
        })
        .collect()
}

/// The composite of service `i` for one window; the catalog is acyclic, so
/// the recursion ends.
fn composite_at(
    catalog: &Catalog,
    measured: &[Option<&ServiceAvailability>],
    i: usize,
    window: crate::interval::Interval,
) -> Option<Composite> {
    let own = measured[i]?
        .windows
        .iter()
        .find(|w| w.availability.window == window)?
        .availability
        .availability
        .known()?;
    let service = &catalog.services()[i];
    let Some(deps) = service.dependencies() else {
        return Some(Composite::Service(own));
    };
    let parts = deps
        .services
        .iter()
        .map(|id| {
            let j = catalog.services().iter().position(|s| s.id() == id)?;
            composite_at(catalog, measured, j, window)
        })
        .collect::<Option<Vec<_>>>()?;
    let group = match deps.composition {
        Composition::Series => Composite::Series(parts),
        Composition::Parallel => Composite::Parallel(parts),
    };
    Some(Composite::Series(vec![Composite::Service(own), group]))
}

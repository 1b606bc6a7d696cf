//! What a contract says about measuring availability: the agreed service
//! time, planned maintenance and how it counts, and impact weights.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, Utc};

use super::history::History;
use super::impact::ImpactWeights;
use super::outage::{Maintenance, MaintenanceMode, Outage};
use crate::calendar::BusinessCalendar;
use crate::error::{Error, Result};

/// The rules availability is measured by. Built with [`Agreement::builder`],
/// validated when built and when deserialised.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize), serde(into = "AgreementBuilder"))]
///
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use servicelevel::{Agreement, BusinessCalendar, Impact, Outage, Period};
/// // 24x7 in April 2025 (30 days, 43,200 minutes), one hour fully down:
/// let agreement = Agreement::builder(BusinessCalendar::always_open(chrono_tz::UTC)).build()?;
/// let down = Utc.with_ymd_and_hms(2025, 4, 10, 14, 0, 0).unwrap();
/// let history = agreement.history(&[Outage::new(down, down + TimeDelta::hours(1), Impact::Major)?], down + TimeDelta::days(30))?;
/// let april = history.measure(Period::Month.containing(chrono_tz::UTC, down)?)?;
/// assert_eq!(april.availability_at(6).to_string(), "99.861111"); // (43,200 - 60) / 43,200
/// # Ok::<(), servicelevel::Error>(())
/// ```
pub struct Agreement {
    pub(crate) calendar: BusinessCalendar,
    pub(crate) weights: ImpactWeights,
    pub(crate) maintenance: Maintenance,
    pub(crate) mode: MaintenanceMode,
}

/// Builds an [`Agreement`]; every setting but the calendar has a default.
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct AgreementBuilder {
    /// The agreed service time: 24x7 ([`BusinessCalendar::always_open`]) or
    /// business hours. Downtime outside it does not count.
    pub calendar: BusinessCalendar,
    /// Weights of impact levels; [`ImpactWeights::STATUS_PAGE`] by default.
    #[cfg_attr(feature = "serde", serde(default))]
    pub weights: ImpactWeights,
    /// Planned maintenance; none by default.
    #[cfg_attr(feature = "serde", serde(default))]
    pub maintenance: Maintenance,
    /// How maintenance counts; [`MaintenanceMode::Excluded`] by default.
    #[cfg_attr(feature = "serde", serde(default))]
    pub maintenance_mode: MaintenanceMode,
}

impl Agreement {
    /// Starts an agreement over the agreed service time `calendar`.
    pub fn builder(calendar: BusinessCalendar) -> AgreementBuilder {
        AgreementBuilder {
            calendar,
            weights: ImpactWeights::default(),
            maintenance: Maintenance::none(),
            maintenance_mode: MaintenanceMode::default(),
        }
    }

    /// The agreed service time.
    pub fn calendar(&self) -> &BusinessCalendar {
        &self.calendar
    }

    /// The impact weights.
    pub fn weights(&self) -> ImpactWeights {
        self.weights
    }

    /// The planned maintenance.
    pub fn maintenance(&self) -> &Maintenance {
        &self.maintenance
    }

    /// How maintenance counts.
    pub fn maintenance_mode(&self) -> MaintenanceMode {
        self.mode
    }

    /// Prepares `outages` for measurement as of `as_of`: sorts them and
    /// merges overlaps once, so that any number of windows can then be
    /// measured cheaply. See [`History`].
    ///
    /// # Errors
    ///
    /// When `as_of` lies outside the years 1677 to 2262, or there are more than `u32::MAX` outages.
    /// Outages that count nowhere (no weight, after `as_of`) are not errors: the history lists them.
    pub fn history(&self, outages: &[Outage], as_of: DateTime<Utc>) -> Result<History> {
        History::new(self.clone(), outages, crate::interval::without_leap_second(as_of))
    }

    /// Back to a builder, to change a setting.
    pub fn to_builder(&self) -> AgreementBuilder {
        AgreementBuilder {
            calendar: self.calendar.clone(),
            weights: self.weights,
            maintenance: self.maintenance.clone(),
            maintenance_mode: self.mode,
        }
    }
}

impl AgreementBuilder {
    /// Sets the impact weights.
    pub fn weights(mut self, weights: ImpactWeights) -> AgreementBuilder {
        self.weights = weights;
        self
    }

    /// Sets the planned maintenance.
    pub fn maintenance(mut self, maintenance: Maintenance) -> AgreementBuilder {
        self.maintenance = maintenance;
        self
    }

    /// Sets how maintenance counts.
    pub fn maintenance_mode(mut self, mode: MaintenanceMode) -> AgreementBuilder {
        self.maintenance_mode = mode;
        self
    }

    /// Checks the settings: an error when no impact level has any weight
    /// (no outage could ever count) or a recurring maintenance schedule is
    /// in another zone than the agreed service time (almost always a
    /// mistake: the windows would move against each other at DST changes).
    ///
    /// # Errors
    ///
    /// When no impact level has any weight (no outage could count), or the recurring maintenance
    /// schedule is in another zone than the agreed service time.
    pub fn build(self) -> Result<Agreement> {
        let w = self.weights;
        if [w.major, w.partial, w.degraded].iter().all(|w| w.units() == 0) {
            return Err(Error::objective(
                "weights",
                "0, 0, 0",
                "no impact level has any weight, so no outage could count",
            ));
        }
        if let Some(schedule) = &self.maintenance.recurring
            && schedule.time_zone() != self.calendar.time_zone()
        {
            return Err(Error::objective(
                "maintenance.recurring.time_zone",
                schedule.time_zone().name(),
                "the maintenance schedule must be in the agreed service time's zone",
            ));
        }
        Ok(Agreement {
            calendar: self.calendar,
            weights: self.weights,
            maintenance: self.maintenance,
            mode: self.maintenance_mode,
        })
    }
}

impl TryFrom<AgreementBuilder> for Agreement {
    type Error = Error;

    fn try_from(builder: AgreementBuilder) -> Result<Agreement> {
        builder.build()
    }
}

impl From<Agreement> for AgreementBuilder {
    fn from(agreement: Agreement) -> AgreementBuilder {
        agreement.to_builder()
    }
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(Agreement, AgreementBuilder);

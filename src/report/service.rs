//! A service: what is promised to whom, on which hours, and what it
//! depends on.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use rust_decimal::Decimal;

use crate::availability::{ImpactWeights, MaintenanceMode};
use crate::calendar::Period;
use crate::error::{Error, Result};
use crate::event::ServiceId;
use crate::policy::{CalendarRoute, Policy, TeamOla};
use crate::ratio::Percent;

/// A policy that applies to a service's tickets, measured on a calendar of
/// the catalog (the service's own when `calendar` is `None`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Obligation {
    /// The SLA, OLA or underpinning contract.
    pub policy: Policy,
    /// The name of its calendar in the catalog; `None` for the service's.
    #[cfg_attr(feature = "serde", serde(default))]
    pub calendar: Option<String>,
    /// A route choosing each ticket's calendar among the catalog's by its
    /// fields ([`CalendarRoute`]); when set, it decides instead of
    /// `calendar`.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub calendar_by: Option<CalendarRoute>,
}

/// An availability commitment: a target percentage per reporting window,
/// measured over a catalog calendar's hours (the agreed service time).
///
/// ```
/// use servicelevel::{Commitment, Period};
/// let sla = Commitment::new("99.9".parse()?, Period::Quarter);
/// assert_eq!((sla.target().to_string(), sla.period()), ("99.9".to_string(), Period::Quarter));
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(into = "CommitmentForm"))]
pub struct Commitment {
    target: Decimal,
    period: Period,
    calendar: Option<String>,
    weights: ImpactWeights,
    maintenance_mode: MaintenanceMode,
}

#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[derive(Clone)]
struct CommitmentForm {
    target: Decimal,
    period: Period,
    #[cfg_attr(feature = "serde", serde(default))]
    calendar: Option<String>,
    #[cfg_attr(feature = "serde", serde(default = "status_page"))]
    weights: ImpactWeights,
    #[cfg_attr(feature = "serde", serde(default))]
    maintenance_mode: MaintenanceMode,
}

#[cfg(feature = "serde")]
fn status_page() -> ImpactWeights {
    ImpactWeights::STATUS_PAGE
}

impl TryFrom<CommitmentForm> for Commitment {
    type Error = Error;

    fn try_from(form: CommitmentForm) -> Result<Commitment> {
        if form.target <= Decimal::ZERO || form.target > Decimal::ONE_HUNDRED {
            return Err(Error::catalog(
                "commitment.target",
                form.target,
                "an availability target must be above 0 and at most 100",
            ));
        }
        Ok(Commitment {
            target: form.target,
            period: form.period,
            calendar: form.calendar,
            weights: form.weights,
            maintenance_mode: form.maintenance_mode,
        })
    }
}

impl From<Commitment> for CommitmentForm {
    fn from(c: Commitment) -> CommitmentForm {
        CommitmentForm {
            target: c.target,
            period: c.period,
            calendar: c.calendar,
            weights: c.weights,
            maintenance_mode: c.maintenance_mode,
        }
    }
}

impl Commitment {
    /// `target` percent per `period`, on the service's calendar, with
    /// status-page weights and maintenance excluded (the ITIL default).
    pub fn new(target: Percent, period: Period) -> Commitment {
        Commitment {
            target: target.value(),
            period,
            calendar: None,
            weights: ImpactWeights::STATUS_PAGE,
            maintenance_mode: MaintenanceMode::default(),
        }
    }

    /// Measured on this catalog calendar instead of the service's.
    pub fn on_calendar(mut self, name: impl Into<String>) -> Commitment {
        self.calendar = Some(name.into());
        self
    }

    /// With these impact weights.
    pub fn weights(mut self, weights: ImpactWeights) -> Commitment {
        self.weights = weights;
        self
    }

    /// With this maintenance mode.
    pub fn maintenance_mode(mut self, mode: MaintenanceMode) -> Commitment {
        self.maintenance_mode = mode;
        self
    }

    /// The target, out of 100.
    pub fn target(&self) -> Decimal {
        self.target
    }

    /// The reporting window.
    pub fn period(&self) -> Period {
        self.period
    }

    /// The catalog calendar of the agreed service time, if not the service's.
    pub fn calendar(&self) -> Option<&str> {
        self.calendar.as_deref()
    }

    /// The impact weights.
    pub fn impact_weights(&self) -> ImpactWeights {
        self.weights
    }

    /// How maintenance counts.
    pub fn mode(&self) -> MaintenanceMode {
        self.maintenance_mode
    }
}

/// How a service's dependencies combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Composition {
    /// Every dependency is needed.
    #[default]
    Series,
    /// Any one dependency is enough (redundancy).
    Parallel,
}

/// The services a service needs, and how they combine. The service's own
/// availability is always in series with its dependencies'.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
pub struct Dependencies {
    /// Series or parallel.
    pub composition: Composition,
    /// The services, by id; each must be in the catalog.
    pub services: Vec<ServiceId>,
}

/// A service of a catalog: an id and a name, the calendar of its agreed
/// service hours, the policies on its tickets, an OLA per assignment group,
/// its availability commitment and its dependencies.
///
/// Built with [`Service::builder`]; the checks that need the rest of the
/// catalog (calendar names, dependency ids) happen in
/// [`Catalog::build`](super::Catalog).
///
/// ```
/// use chrono::TimeDelta;
/// use servicelevel::{presets, Lifecycle, Service, Target};
/// let lifecycle = Lifecycle::servicenow();
/// let desk = Service::builder("desk", "Service desk", "office")
///     .policy(presets::servicenow_response(&lifecycle, Target::business(TimeDelta::hours(1)))?)
///     .policy(presets::servicenow_resolution(&lifecycle, Target::business(TimeDelta::hours(8)))?)
///     .build()?;
/// assert_eq!(desk.obligations().len(), 2);
/// // Two policies with one id are refused.
/// let twice = presets::servicenow_response(&lifecycle, Target::business(TimeDelta::hours(1)))?;
/// assert!(Service::builder("desk", "Desk", "office").policy(twice.clone()).policy(twice).build().is_err());
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(into = "ServiceBuilder"))]
pub struct Service {
    pub(super) id: ServiceId,
    pub(super) name: String,
    pub(super) calendar: String,
    pub(super) obligations: Vec<Obligation>,
    pub(super) team_ola: Option<TeamOla>,
    pub(super) commitment: Option<Commitment>,
    pub(super) dependencies: Option<Dependencies>,
}

/// The parts of a [`Service`], checked by [`ServiceBuilder::build`]. Also
/// the serde form.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct ServiceBuilder {
    /// The id.
    pub id: ServiceId,
    /// The display name.
    pub name: String,
    /// The catalog calendar of its agreed service hours.
    pub calendar: String,
    /// Policies on its tickets.
    #[cfg_attr(feature = "serde", serde(default))]
    pub policies: Vec<Obligation>,
    /// Groups of ordered alternatives: a ticket is measured by the first
    /// policy of each group whose `applies_to` holds
    /// ([`first_match`](crate::policy::first_match)); compiled into
    /// `policies` when built, so a built service's serde form lists them
    /// there, compiled.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    pub first_match: Vec<Vec<Obligation>>,
    /// An OLA for every assignment group.
    #[cfg_attr(feature = "serde", serde(default))]
    pub team_ola: Option<TeamOla>,
    /// Its availability commitment.
    #[cfg_attr(feature = "serde", serde(default))]
    pub commitment: Option<Commitment>,
    /// What it depends on.
    #[cfg_attr(feature = "serde", serde(default))]
    pub dependencies: Option<Dependencies>,
}

impl Service {
    /// A service with an id, a name and the catalog calendar of its hours.
    pub fn builder(id: impl Into<ServiceId>, name: impl Into<String>, calendar: impl Into<String>) -> ServiceBuilder {
        ServiceBuilder {
            id: id.into(),
            name: name.into(),
            calendar: calendar.into(),
            policies: Vec::new(),
            first_match: Vec::new(),
            team_ola: None,
            commitment: None,
            dependencies: None,
        }
    }

    /// The id.
    pub fn id(&self) -> &ServiceId {
        &self.id
    }

    /// The display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The catalog calendar of its agreed service hours.
    pub fn calendar(&self) -> &str {
        &self.calendar
    }

    /// The policies on its tickets, in order.
    pub fn obligations(&self) -> &[Obligation] {
        &self.obligations
    }

    /// The OLA per assignment group, if any.
    pub fn team_ola(&self) -> Option<&TeamOla> {
        self.team_ola.as_ref()
    }

    /// The availability commitment, if any.
    pub fn commitment(&self) -> Option<&Commitment> {
        self.commitment.as_ref()
    }

    /// The dependencies, if any.
    pub fn dependencies(&self) -> Option<&Dependencies> {
        self.dependencies.as_ref()
    }
}

impl ServiceBuilder {
    /// Adds a policy measured on the service's calendar.
    pub fn policy(mut self, policy: Policy) -> ServiceBuilder {
        self.policies.push(Obligation {
            policy,
            calendar: None,
            calendar_by: None,
        });
        self
    }

    /// Adds a policy measured on another catalog calendar.
    pub fn policy_on(mut self, policy: Policy, calendar: impl Into<String>) -> ServiceBuilder {
        self.policies.push(Obligation {
            policy,
            calendar: Some(calendar.into()),
            calendar_by: None,
        });
        self
    }

    /// Adds a policy measured on the catalog calendar `route` names for
    /// each ticket (checked against the catalog's calendars when the
    /// catalog is built).
    pub fn policy_routed(mut self, policy: Policy, route: CalendarRoute) -> ServiceBuilder {
        self.policies.push(Obligation {
            policy,
            calendar: None,
            calendar_by: Some(route),
        });
        self
    }

    /// Adds a group of ordered alternatives, each measured on the service's
    /// calendar: a ticket is measured by the first whose `applies_to`
    /// holds ([`first_match`](crate::policy::first_match), as Zendesk
    /// orders SLA policies).
    pub fn first_match(mut self, alternatives: impl IntoIterator<Item = Policy>) -> ServiceBuilder {
        let group = alternatives
            .into_iter()
            .map(|policy| Obligation {
                policy,
                calendar: None,
                calendar_by: None,
            })
            .collect();
        self.first_match.push(group);
        self
    }

    /// Sets the OLA per assignment group.
    pub fn team_ola(mut self, ola: TeamOla) -> ServiceBuilder {
        self.team_ola = Some(ola);
        self
    }

    /// Sets the availability commitment.
    pub fn commitment(mut self, commitment: Commitment) -> ServiceBuilder {
        self.commitment = Some(commitment);
        self
    }

    /// Sets the dependencies.
    pub fn depends_on<S: Into<ServiceId>>(
        mut self,
        composition: Composition,
        services: impl IntoIterator<Item = S>,
    ) -> ServiceBuilder {
        self.dependencies = Some(Dependencies {
            composition,
            services: services.into_iter().map(Into::into).collect(),
        });
        self
    }

    /// Checks what can be checked without the catalog: a non-empty id,
    /// distinct policy ids (none of the `ola-` form when a team OLA is set),
    /// a non-empty dependency list.
    ///
    /// # Errors
    ///
    /// When the service's id is empty, two of its policies share an id, a policy id starts with `ola-`
    /// while the service has a team OLA, an ordered group cannot be compiled (see
    /// [`first_match`](crate::policy::first_match)), or its dependencies list no service.
    pub fn build(mut self) -> Result<Service> {
        for group in std::mem::take(&mut self.first_match) {
            let calendars: Vec<(Option<String>, Option<CalendarRoute>)> = group
                .iter()
                .map(|o| (o.calendar.clone(), o.calendar_by.clone()))
                .collect();
            let compiled = crate::policy::first_match(group.into_iter().map(|o| o.policy))?;
            self.policies.extend(
                compiled
                    .into_iter()
                    .zip(calendars)
                    .map(|(policy, (calendar, calendar_by))| Obligation {
                        policy,
                        calendar,
                        calendar_by,
                    }),
            );
        }
        if self.id.as_str().trim().is_empty() {
            return Err(Error::catalog("id", &self.id, "a service needs an id"));
        }
        for (i, o) in self.policies.iter().enumerate() {
            let id = o.policy.id();
            if self.policies[..i].iter().any(|p| p.policy.id() == id) {
                return Err(Error::catalog(format!("policies[{i}]"), id, "two policies with one id"));
            }
            if self.team_ola.is_some() && id.as_str().starts_with("ola-") {
                return Err(Error::catalog(
                    format!("policies[{i}]"),
                    id,
                    "`ola-` ids belong to the team OLA's policies",
                ));
            }
        }
        if let Some(deps) = &self.dependencies
            && deps.services.is_empty()
        {
            return Err(Error::catalog(
                "dependencies.services",
                "[]",
                "list at least one service",
            ));
        }
        Ok(Service {
            id: self.id,
            name: self.name,
            calendar: self.calendar,
            obligations: self.policies,
            team_ola: self.team_ola,
            commitment: self.commitment,
            dependencies: self.dependencies,
        })
    }
}

impl TryFrom<ServiceBuilder> for Service {
    type Error = Error;

    fn try_from(builder: ServiceBuilder) -> Result<Service> {
        builder.build()
    }
}

impl From<Service> for ServiceBuilder {
    fn from(s: Service) -> ServiceBuilder {
        ServiceBuilder {
            id: s.id,
            name: s.name,
            calendar: s.calendar,
            policies: s.obligations,
            first_match: Vec::new(),
            team_ola: s.team_ola,
            commitment: s.commitment,
            dependencies: s.dependencies,
        }
    }
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(Commitment, CommitmentForm);

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(Service, ServiceBuilder);

//! A catalog of services and the calendars they are measured on.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use std::collections::BTreeMap;

use crate::calendar::{BusinessCalendar, CalendarSet};
use crate::error::{Error, Result};
use crate::event::ServiceId;
use crate::policy::Policy;

use super::service::Service;

/// Services and the named calendars they refer to, checked as a whole:
/// every calendar a service, policy or commitment names exists, service ids
/// are distinct, dependencies name services of the catalog and never form
/// a cycle. An invalid catalog cannot be built or deserialised.
///
/// Serde form: `{"calendars": {"office": <calendar>}, "services": [<service>]}`.
///
/// ```
/// use servicelevel::BusinessCalendar;
/// use servicelevel::report::{Catalog, Service};
/// let office = BusinessCalendar::always_open(chrono_tz::UTC);
/// let email = Service::builder("email", "E-mail", "office").build()?;
/// let catalog = Catalog::builder().calendar("office", office.clone()).service(email.clone()).build()?;
/// assert_eq!(catalog.services().len(), 1);
/// // A service naming a calendar the catalog lacks is an error.
/// let err = Catalog::builder().calendar("24x7", office).service(email).build().unwrap_err();
/// assert!(err.is_config());
/// assert!(err.to_string().contains("`office`"));
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(into = "CatalogBuilder"))]
pub struct Catalog {
    calendars: BTreeMap<String, BusinessCalendar>,
    services: Vec<Service>,
}

/// The parts of a [`Catalog`], checked by [`CatalogBuilder::build`]; also
/// the serde form.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[non_exhaustive]
pub struct CatalogBuilder {
    /// Calendars by name.
    #[cfg_attr(feature = "serde", serde(deserialize_with = "crate::unique_keys::deserialize"))]
    pub calendars: BTreeMap<String, BusinessCalendar>,
    /// The services.
    pub services: Vec<Service>,
}

impl Catalog {
    /// An empty catalog to fill.
    pub fn builder() -> CatalogBuilder {
        CatalogBuilder::default()
    }

    /// The calendars, by name.
    pub fn calendars(&self) -> &BTreeMap<String, BusinessCalendar> {
        &self.calendars
    }

    /// The services, in order.
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// A service by id.
    pub fn service(&self, id: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.id.as_str() == id)
    }

    /// A service's calendar (it exists: the catalog was checked).
    pub fn calendar_of(&self, service: &Service) -> &BusinessCalendar {
        &self.calendars[&service.calendar]
    }

    /// The calendar a policy of a service is measured on.
    pub(crate) fn policy_calendar<'a>(&'a self, service: &'a Service, named: Option<&str>) -> &'a BusinessCalendar {
        &self.calendars[named.unwrap_or(&service.calendar)]
    }

    /// Every policy of every service with the name of its calendar.
    pub fn policies(&self) -> impl Iterator<Item = (&Service, &Policy, &str)> {
        self.services.iter().flat_map(|s| {
            s.obligations
                .iter()
                .map(move |o| (s, &o.policy, o.calendar.as_deref().unwrap_or(&s.calendar)))
        })
    }
}

impl CatalogBuilder {
    /// Adds a named calendar.
    pub fn calendar(mut self, name: impl Into<String>, calendar: BusinessCalendar) -> CatalogBuilder {
        self.calendars.insert(name.into(), calendar);
        self
    }

    /// Adds a service.
    pub fn service(mut self, service: Service) -> CatalogBuilder {
        self.services.push(service);
        self
    }

    /// Checks the catalog as a whole.
    ///
    /// # Errors
    ///
    /// When a policy or service names a calendar the catalog does not have, two services share an
    /// id, or a dependency is unknown or circular.
    pub fn build(self) -> Result<Catalog> {
        for (i, service) in self.services.iter().enumerate() {
            self.check_service(i, service)?;
        }
        self.check_acyclic()?;
        Ok(Catalog {
            calendars: self.calendars,
            services: self.services,
        })
    }

    fn check_service(&self, i: usize, service: &Service) -> Result<()> {
        let at = |rest: &str| format!("services[{i}].{rest}");
        if self.services[..i].iter().any(|s| s.id == service.id) {
            return Err(Error::catalog(at("id"), &service.id, "two services with one id"));
        }
        self.check_calendar(&at("calendar"), &service.calendar)?;
        for (j, o) in service.obligations.iter().enumerate() {
            if let Some(name) = &o.calendar {
                self.check_calendar(&at(&format!("policies[{j}].calendar")), name)?;
            }
            if let Some(route) = &o.calendar_by {
                route.check(&CalendarSet::from(self.calendars.clone()), o.policy.id().as_str())?;
            }
        }
        if let Some(name) = service.commitment.as_ref().and_then(|c| c.calendar()) {
            self.check_calendar(&at("commitment.calendar"), name)?;
        }
        for (j, dep) in service.dependencies.iter().flat_map(|d| &d.services).enumerate() {
            if !self.services.iter().any(|s| &s.id == dep) {
                return Err(Error::catalog(
                    at(&format!("dependencies.services[{j}]")),
                    dep,
                    "no service of the catalog has this id",
                ));
            }
        }
        Ok(())
    }

    fn check_calendar(&self, field: &str, name: &str) -> Result<()> {
        if self.calendars.contains_key(name) {
            return Ok(());
        }
        let known: Vec<&str> = self.calendars.keys().map(String::as_str).collect();
        Err(Error::catalog(
            field,
            name,
            format!(
                "no calendar of the catalog has this name (it has: {})",
                known.join(", ")
            ),
        ))
    }

    /// Depth-first search with colours; bounded by the number of services.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "a child index below the number of dependencies"
    )]
    fn check_acyclic(&self) -> Result<()> {
        let index = |id: &ServiceId| self.services.iter().position(|s| &s.id == id);
        let mut colour = vec![0_u8; self.services.len()];
        for root in 0..self.services.len() {
            if colour[root] == 2 {
                continue;
            }
            let mut stack = vec![(root, 0_usize)];
            while let Some((node, next)) = stack.pop() {
                colour[node] = 1;
                let deps = self.services[node]
                    .dependencies
                    .as_ref()
                    .map_or(&[][..], |d| &d.services[..]);
                match deps.get(next) {
                    None => colour[node] = 2,
                    Some(dep) => {
                        stack.push((node, next + 1));
                        let Some(child) = index(dep) else { continue };
                        match colour[child] {
                            1 => {
                                return Err(Error::catalog(
                                    format!("services[{node}].dependencies"),
                                    dep,
                                    "dependencies form a cycle",
                                ));
                            }
                            0 => stack.push((child, 0)),
                            _ => {}
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

impl TryFrom<CatalogBuilder> for Catalog {
    type Error = Error;

    fn try_from(builder: CatalogBuilder) -> Result<Catalog> {
        builder.build()
    }
}

impl From<Catalog> for CatalogBuilder {
    fn from(c: Catalog) -> CatalogBuilder {
        CatalogBuilder {
            calendars: c.calendars,
            services: c.services,
        }
    }
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(Catalog, CatalogBuilder);

//! What a report is: the catalog, the lifecycle, the periods and
//! breakdowns. Immutable and serialisable, apart from the
//! [`Reporter`](super::Reporter) that sums tickets into it (as
//! regex-automata keeps a `Config` apart from a `Cache`).

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{Catalog, Reporter};
use crate::calendar::Period;
use crate::error::{Error, Result};
use crate::event::{Field, PolicyId};
use crate::metrics::{AgeBuckets, PercentileMethod};
use crate::policy::Lifecycle;

/// A validated description of a service review: which services (the
/// [`Catalog`]), how tickets live (an optional [`Lifecycle`]: an
/// outage-only report needs none), the calendar periods to report in, the
/// fields to break figures down by, the backlog age buckets and the
/// percentile method.
///
/// Built once with [`ReportSpec::builder`] (or read with serde, through the
/// same checks), then [`ReportSpec::reporter`] makes a [`Reporter`] for an
/// `as_of`. The spec cannot change once a reporter sums tickets, so no
/// slice can be lost by configuring it late.
///
/// Checks: a breakdown field is named once; a service's team OLA reads the
/// lifecycle's assignment-group field (so the report's reassignments and
/// the OLA's stints are about the same groups).
///
/// Serde form: `{"catalog": {...}, "lifecycle": {...}, "periods":
/// {"period": "month", "zone": "Europe/Berlin"}, "breakdowns":
/// ["priority"], "age_buckets": ["1h", "1d"], "percentile_method":
/// "linear", "worst_breaches": 10, "verdicts_against": "resolution"}`;
/// everything but the catalog is optional.
///
/// ```
/// use servicelevel::report::{Catalog, ReportSpec, Service};
/// use servicelevel::policy::Lifecycle;
/// use servicelevel::{BusinessCalendar, Period};
///
/// let catalog = Catalog::builder()
///     .calendar("24x7", BusinessCalendar::always_open(chrono_tz::UTC))
///     .service(Service::builder("mail", "Mail", "24x7").build()?)
///     .build()?;
/// let spec = ReportSpec::builder(catalog)
///     .lifecycle(Lifecycle::new("status", ["resolved"], ["closed"])?)
///     .periods(Period::Month, chrono_tz::Europe::Berlin)
///     .breakdown("priority")
///     .build()?;
/// assert_eq!(spec.periods(), Some((Period::Month, chrono_tz::Europe::Berlin)));
/// # Ok::<(), servicelevel::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(into = "SpecForm"))]
pub struct ReportSpec {
    pub(super) catalog: Catalog,
    pub(super) lifecycle: Option<Lifecycle>,
    pub(super) periods: Option<(Period, Tz)>,
    pub(super) breakdowns: Vec<Field>,
    pub(super) buckets: AgeBuckets,
    pub(super) method: PercentileMethod,
    pub(super) worst: usize,
    pub(super) verdicts_against: Option<PolicyId>,
    pub(super) availability_from: Option<DateTime<Utc>>,
    pub(super) failure_began: Option<Field>,
}

/// Builds a [`ReportSpec`]; see there.
#[derive(Clone, Debug)]
pub struct ReportSpecBuilder {
    spec: ReportSpec,
}

impl ReportSpec {
    /// A spec for the catalog's services, in total only, without a
    /// lifecycle, with the service-review age buckets and the linear
    /// percentile method until told otherwise.
    pub fn builder(catalog: Catalog) -> ReportSpecBuilder {
        ReportSpecBuilder {
            spec: ReportSpec {
                catalog,
                lifecycle: None,
                periods: None,
                worst: 0,
                verdicts_against: None,
                availability_from: None,
                failure_began: None,
                breakdowns: Vec::new(),
                buckets: AgeBuckets::service_review(),
                method: PercentileMethod::default(),
            },
        }
    }

    /// A reporter that sums tickets and outages into this report as of an
    /// instant.
    pub fn reporter(&self, as_of: DateTime<Utc>) -> Reporter {
        Reporter::new(self.clone(), as_of)
    }

    /// The services.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// How tickets live, if tickets are reported.
    pub fn lifecycle(&self) -> Option<&Lifecycle> {
        self.lifecycle.as_ref()
    }

    /// The reporting period and its zone, if the report has periods.
    pub fn periods(&self) -> Option<(Period, Tz)> {
        self.periods
    }

    /// The breakdown fields, in order.
    pub fn breakdowns(&self) -> &[Field] {
        &self.breakdowns
    }

    /// The backlog age buckets.
    pub fn age_buckets(&self) -> &AgeBuckets {
        &self.buckets
    }

    /// How percentiles are read.
    pub fn percentile_method(&self) -> PercentileMethod {
        self.method
    }

    /// How many of the worst breaches of each policy the report explains.
    pub fn worst_breaches(&self) -> usize {
        self.worst
    }

    /// The policy recorded verdicts are compared with.
    pub fn verdicts_against(&self) -> Option<&PolicyId> {
        self.verdicts_against.as_ref()
    }

    fn check(self) -> Result<ReportSpec> {
        if let Some(id) = &self.verdicts_against
            && !self.catalog.policies().any(|(_, p, _)| p.id() == id)
        {
            return Err(Error::catalog(
                "verdicts_against",
                id,
                "no service of the catalog has this policy",
            ));
        }
        for (i, field) in self.breakdowns.iter().enumerate() {
            if self.breakdowns[..i].contains(field) {
                return Err(Error::catalog(
                    format!("breakdowns[{i}]"),
                    field,
                    "the field is already a breakdown",
                ));
            }
        }
        let group = self.lifecycle.as_ref().and_then(Lifecycle::group);
        for (i, service) in self.catalog.services().iter().enumerate() {
            let Some(ola) = service.team_ola() else { continue };
            if let Some(group) = group
                && group != ola.field()
            {
                return Err(Error::catalog(
                    format!("catalog.services[{i}].team_ola.field"),
                    ola.field(),
                    format!("the lifecycle's assignment-group field is `{group}`"),
                ));
            }
        }
        Ok(self)
    }
}

impl ReportSpecBuilder {
    /// Says how tickets live: which statuses finish one, which field is
    /// the assignment group. Needed to add tickets; not for outages.
    pub fn lifecycle(mut self, lifecycle: Lifecycle) -> ReportSpecBuilder {
        self.spec.lifecycle = Some(lifecycle);
        self
    }

    /// Also reports per calendar period (week, month, ...) in `zone`.
    pub fn periods(mut self, period: Period, zone: Tz) -> ReportSpecBuilder {
        self.spec.periods = Some((period, zone));
        self
    }

    /// Also breaks every slice down by the value of `field` at the slice's
    /// end (priority, category, assignment group, customer).
    pub fn breakdown(mut self, field: impl Into<Field>) -> ReportSpecBuilder {
        self.spec.breakdowns.push(field.into());
        self
    }

    /// Uses these backlog age buckets.
    pub fn age_buckets(mut self, buckets: AgeBuckets) -> ReportSpecBuilder {
        self.spec.buckets = buckets;
        self
    }

    /// Uses this percentile method.
    pub fn percentile_method(mut self, method: PercentileMethod) -> ReportSpecBuilder {
        self.spec.method = method;
        self
    }

    /// Explains the `n` worst breaches of each policy in each service's
    /// total ([`ServiceReport::worst`](super::ServiceReport::worst): the
    /// tier each ran under, where its time went, the events that paused
    /// it). None by default.
    pub fn worst_breaches(mut self, n: usize) -> ReportSpecBuilder {
        self.spec.worst = n;
        self
    }

    /// Compares the verdicts recorded by the exporting tool (given with
    /// [`Reporter::add_with_verdict`](super::Reporter::add_with_verdict))
    /// with this policy's ([`ServiceReport::agreement`](super::ServiceReport::agreement)).
    pub fn verdicts_against(mut self, policy: impl Into<PolicyId>) -> ReportSpecBuilder {
        self.spec.verdicts_against = Some(policy.into());
        self
    }

    /// Measures availability from `start` (the start of the observation:
    /// when monitoring or the status page began), so that windows before
    /// the first outage are reported too, at 100 % when nothing failed;
    /// by default the windows start at the first outage's.
    pub fn availability_from(mut self, start: DateTime<Utc>) -> ReportSpecBuilder {
        self.spec.availability_from = Some(start);
        self
    }

    /// The ticket field that holds when the failure began (an RFC 3339 or
    /// ISO 8601 instant, UTC when it has no offset), for the mean time to
    /// detect: from the failure to the ticket's creation (the desk's
    /// detection), [`Figures::mttd`](super::Figures::mttd). Serde:
    /// `failure_began`.
    pub fn failure_began(mut self, field: impl Into<Field>) -> ReportSpecBuilder {
        self.spec.failure_began = Some(field.into());
        self
    }

    /// The spec; an error when a breakdown is named twice or a team OLA
    /// reads another group field than the lifecycle's.
    ///
    /// # Errors
    ///
    /// When a breakdown field is named twice, a team OLA reads another group field than the
    /// lifecycle's, or the verdict policy is in no service.
    pub fn build(self) -> Result<ReportSpec> {
        self.spec.check()
    }
}

#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[derive(Clone)]
struct SpecForm {
    catalog: Catalog,
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    lifecycle: Option<Lifecycle>,
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    periods: Option<PeriodsForm>,
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Vec::is_empty"))]
    breakdowns: Vec<Field>,
    #[cfg_attr(feature = "serde", serde(default = "AgeBuckets::service_review"))]
    age_buckets: AgeBuckets,
    #[cfg_attr(feature = "serde", serde(default))]
    percentile_method: PercentileMethod,
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "is_zero"))]
    worst_breaches: usize,
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    verdicts_against: Option<PolicyId>,
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    availability_from: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    failure_began: Option<Field>,
}

#[cfg(feature = "serde")]
fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(deny_unknown_fields))]
#[derive(Clone, Copy)]
struct PeriodsForm {
    period: Period,
    zone: Tz,
}

impl TryFrom<SpecForm> for ReportSpec {
    type Error = Error;

    fn try_from(form: SpecForm) -> Result<ReportSpec> {
        ReportSpec {
            catalog: form.catalog,
            lifecycle: form.lifecycle,
            periods: form.periods.map(|p| (p.period, p.zone)),
            breakdowns: form.breakdowns,
            buckets: form.age_buckets,
            method: form.percentile_method,
            worst: form.worst_breaches,
            verdicts_against: form.verdicts_against,
            availability_from: form.availability_from,
            failure_began: form.failure_began,
        }
        .check()
    }
}

impl From<ReportSpec> for SpecForm {
    fn from(spec: ReportSpec) -> SpecForm {
        SpecForm {
            catalog: spec.catalog,
            lifecycle: spec.lifecycle,
            periods: spec.periods.map(|(period, zone)| PeriodsForm { period, zone }),
            breakdowns: spec.breakdowns,
            age_buckets: spec.buckets,
            percentile_method: spec.method,
            worst_breaches: spec.worst,
            verdicts_against: spec.verdicts_against,
            availability_from: spec.availability_from,
            failure_began: spec.failure_began,
        }
    }
}

#[cfg(feature = "serde")]
crate::rejected::deserialize_through!(ReportSpec, SpecForm);

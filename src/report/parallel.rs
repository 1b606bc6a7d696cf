//! Reporting on every core (feature `parallel`).

use std::borrow::Borrow;

use rayon::prelude::*;

use super::Reporter;
use crate::error::Result;
use crate::event::Timeline;
use crate::ingest::RecordedVerdict;

impl Reporter {
    /// Adds many tickets on every core (rayon's global pool), each with the
    /// service it belongs to: the same report as adding them one by one in
    /// this order with [`add`](Reporter::add).
    ///
    /// The tickets are cut into one share per worker; each share is added
    /// to an empty reporter of the same spec, and the shares are
    /// [merged](Reporter::merge) into this one in order (each merge adds
    /// the total beside the periods, and the periods side by side, on
    /// every core). Merging is exact
    /// (counts, duration lists, worst breaches by a total order, problems
    /// by ticket), so the report does not depend on the split.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use servicelevel::{BusinessCalendar, Catalog, Event, Lifecycle, ReportSpec, Service, Target, Timeline, presets};
    ///
    /// let lifecycle = Lifecycle::servicenow();
    /// let policy = presets::servicenow_resolution(&lifecycle, Target::wall(TimeDelta::hours(4)))?;
    /// let catalog = Catalog::builder()
    ///     .calendar("always", BusinessCalendar::always_open(chrono_tz::UTC))
    ///     .service(Service::builder("mail", "Mail", "always").policy(policy).build()?)
    ///     .build()?;
    /// let spec = ReportSpec::builder(catalog).lifecycle(lifecycle).build()?;
    /// let opened = Utc.with_ymd_and_hms(2025, 5, 5, 9, 0, 0).unwrap();
    /// let tickets = (0..100)
    ///     .map(|n| {
    ///         let id = format!("INC{n}");
    ///         let timeline = Timeline::new(vec![
    ///             Event::created(id.as_str(), opened, [("status", "new")]),
    ///             Event::set(id.as_str(), opened + TimeDelta::minutes(3 * n), [("status", "resolved")]),
    ///         ])?;
    ///         Ok(("mail", timeline))
    ///     })
    ///     .collect::<servicelevel::Result<Vec<_>>>()?;
    /// let as_of = opened + TimeDelta::days(1);
    /// let mut parallel = spec.reporter(as_of);
    /// parallel.par_add(&tickets)?;
    /// let mut serial = spec.reporter(as_of);
    /// for (service, timeline) in &tickets {
    ///     serial.add(service, timeline)?;
    /// }
    /// assert_eq!(parallel.finish(), serial.finish());
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`add`](Reporter::add), for the first ticket (in the order given)
    /// whose service the catalog does not have, or when the spec has no
    /// lifecycle; then nothing is added.
    pub fn par_add<S, T>(&mut self, tickets: &[(S, T)]) -> Result<()>
    where
        S: AsRef<str> + Sync,
        T: Borrow<Timeline> + Sync,
    {
        self.par_add_each(tickets, |(service, timeline)| {
            (service.as_ref(), timeline.borrow(), None)
        })
    }

    /// [`par_add`](Reporter::par_add) with the verdict the exporting tool
    /// recorded for each ticket, as [`add_with_verdict`](Reporter::add_with_verdict)
    /// takes it: the same report as adding them one by one in this order.
    /// The timelines may be owned or borrowed (`&Timeline`), so a caller
    /// that keeps its timelines elsewhere (an [`Ingested`](crate::ingest::Ingested))
    /// passes references.
    ///
    /// # Errors
    ///
    /// As [`par_add`](Reporter::par_add).
    pub fn par_add_with_verdicts<S, T>(&mut self, tickets: &[(S, T, Option<RecordedVerdict>)]) -> Result<()>
    where
        S: AsRef<str> + Sync,
        T: Borrow<Timeline> + Sync,
    {
        self.par_add_each(tickets, |(service, timeline, recorded)| {
            (service.as_ref(), timeline.borrow(), *recorded)
        })
    }

    /// [`finish`](Reporter::finish) on every core: each service's total
    /// and periods, and within each its overall figures and every group's,
    /// are summed up (their percentiles selected) in parallel, in order, so
    /// the report is the one `finish` makes.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use servicelevel::{BusinessCalendar, Catalog, Event, Lifecycle, Period, ReportSpec, Service, Target, Timeline, presets};
    ///
    /// let lifecycle = Lifecycle::servicenow();
    /// let policy = presets::servicenow_resolution(&lifecycle, Target::wall(TimeDelta::hours(4)))?;
    /// let catalog = Catalog::builder()
    ///     .calendar("always", BusinessCalendar::always_open(chrono_tz::UTC))
    ///     .service(Service::builder("mail", "Mail", "always").policy(policy).build()?)
    ///     .build()?;
    /// let spec = ReportSpec::builder(catalog).lifecycle(lifecycle).periods(Period::Month, chrono_tz::UTC).build()?;
    /// let opened = Utc.with_ymd_and_hms(2025, 1, 6, 9, 0, 0).unwrap();
    /// let (mut serial, mut parallel) = (spec.reporter(opened + TimeDelta::days(120)), spec.reporter(opened + TimeDelta::days(120)));
    /// for n in 0..100 {
    ///     let id = format!("INC{n}");
    ///     let at = opened + TimeDelta::days(n);
    ///     let timeline = Timeline::new(vec![
    ///         Event::created(id.as_str(), at, [("status", "new")]),
    ///         Event::set(id.as_str(), at + TimeDelta::minutes(5 * n), [("status", "resolved")]),
    ///     ])?;
    ///     serial.add("mail", &timeline)?;
    ///     parallel.add("mail", &timeline)?;
    /// }
    /// let report = parallel.par_finish();
    /// assert_eq!(report.services[0].periods.len(), 4);
    /// assert_eq!(report, serial.finish());
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    pub fn par_finish(self) -> super::Report {
        self.finish_with(|slices, breakdowns, names, settings| {
            slices
                .into_par_iter()
                .map(|(label, tally)| tally.par_section(label, breakdowns, names, settings))
                .collect()
        })
    }

    fn par_add_each<I: Sync>(
        &mut self,
        tickets: &[I],
        parts: impl Fn(&I) -> (&str, &Timeline, Option<RecordedVerdict>) + Sync,
    ) -> Result<()> {
        for ticket in tickets {
            self.accepts(parts(ticket).0)?;
        }
        // One share per worker: each share costs a merge of every period's
        // tallies, and tickets cost about the same.
        let shares = rayon::current_num_threads().max(1);
        let size = tickets.len().div_ceil(shares).max(1);
        let reporters = tickets
            .par_chunks(size)
            .map(|share| {
                let mut reporter = self.sibling();
                for ticket in share {
                    let (service, timeline, recorded) = parts(ticket);
                    reporter.add_with_verdict(service, timeline, recorded)?;
                }
                Ok(reporter)
            })
            .collect::<Vec<Result<Reporter>>>();
        for reporter in reporters {
            self.merge_sibling(reporter?, super::reporter::par_merge_sections)?;
        }
        Ok(())
    }
}

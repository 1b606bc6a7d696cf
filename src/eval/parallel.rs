//! Batch evaluation on every core (feature `parallel`).

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use super::{Evaluation, Evaluator, Scratch, TicketOutcome};
use crate::error::Result;
use crate::event::{Event, Timeline};

impl Evaluator {
    /// [`evaluate_timelines`](Evaluator::evaluate_timelines) on every core
    /// (rayon's global pool): a parallel iterator of the same results, in
    /// the order of the timelines when collected. Each worker keeps its own
    /// evaluation buffers. Reduce the results where they are made
    /// (`map`, `for_each`, `fold`) rather than collecting them all when
    /// only figures are wanted: keeping every cycle of a million tickets
    /// costs more memory traffic than evaluating them.
    ///
    /// ```
    /// use chrono::{TimeDelta, TimeZone, Utc};
    /// use servicelevel::rayon::prelude::*;
    /// use servicelevel::{BusinessCalendar, Evaluator, Event, Lifecycle, Target, Timeline, presets};
    ///
    /// let lifecycle = Lifecycle::servicenow();
    /// let policy = presets::servicenow_resolution(&lifecycle, Target::wall(TimeDelta::hours(4)))?;
    /// let evaluator = Evaluator::new().policy(policy, BusinessCalendar::always_open(chrono_tz::UTC));
    /// let opened = Utc.with_ymd_and_hms(2025, 5, 5, 9, 0, 0).unwrap();
    /// let timelines = (0..100)
    ///     .map(|n| {
    ///         let id = format!("INC{n}");
    ///         Timeline::new(vec![
    ///             Event::created(id.as_str(), opened, [("status", "new")]),
    ///             Event::set(id.as_str(), opened + TimeDelta::minutes(3 * n), [("status", "resolved")]),
    ///         ])
    ///     })
    ///     .collect::<servicelevel::Result<Vec<_>>>()?;
    /// let as_of = opened + TimeDelta::days(1);
    /// let parallel: Vec<_> = evaluator.par_evaluate_timelines(&timelines, as_of).collect();
    /// let serial: Vec<_> = evaluator.evaluate_timelines(&timelines, as_of).collect();
    /// assert_eq!(parallel, serial);
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    pub fn par_evaluate_timelines<'a>(
        &'a self,
        timelines: &'a [Timeline],
        as_of: DateTime<Utc>,
    ) -> impl IndexedParallelIterator<Item = Vec<Result<Evaluation>>> + 'a {
        timelines
            .par_iter()
            .map_init(Scratch::default, move |scratch, timeline| {
                self.run(timeline, as_of, scratch)
            })
    }

    /// [`evaluate_all`](Evaluator::evaluate_all) on every core: each ticket's
    /// events become its timeline (with the evaluator's
    /// [`timelines`](Evaluator::timelines) options) and its outcome, in the
    /// order of the tickets when collected.
    pub fn par_evaluate_all(
        &self,
        tickets: Vec<Vec<Event>>,
        as_of: DateTime<Utc>,
    ) -> impl IndexedParallelIterator<Item = TicketOutcome> + '_ {
        tickets
            .into_par_iter()
            .map_init(Scratch::default, move |scratch, events| {
                self.evaluate_events(events, as_of, scratch)
            })
    }
}

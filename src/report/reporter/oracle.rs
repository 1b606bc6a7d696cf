//! The oracle for the reporter's one pass per ticket: the old path, which
//! evaluates each ticket again as of every period's end (no shortcut for
//! settled tickets either), switched on per thread; the property below
//! says both paths give the same report, byte for byte.

use std::cell::Cell;

thread_local! {
    static REEVALUATE: Cell<bool> = const { Cell::new(false) };
}

/// Whether this thread's reporters take the old path.
pub(super) fn reevaluates() -> bool {
    REEVALUATE.with(Cell::get)
}

#[allow(clippy::arithmetic_side_effects, reason = "tests compute instants")]
mod tests {
    use chrono::{DateTime, TimeDelta, TimeZone, Utc};
    use chrono_tz::Tz;
    use proptest::prelude::*;

    use super::REEVALUATE;
    use crate::calendar::{BusinessCalendar, Period};
    use crate::event::{Event, Timeline};
    use crate::policy::{CalendarRoute, Condition, Lifecycle, Policy, PolicyKind, Target, TeamOla, presets};
    use crate::report::{Catalog, Report, ReportSpec, Service};

    const STATUSES: [&str; 6] = ["new", "in_progress", "on_hold", "resolved", "closed", "canceled"];

    fn office() -> BusinessCalendar {
        use chrono::Weekday::{Fri, Mon, Thu, Tue, Wed};
        BusinessCalendar::builder(chrono_tz::America::New_York)
            .weekdays(&[Mon, Tue, Wed, Thu, Fri], "09:00-17:00".parse().unwrap())
            .build()
            .unwrap()
    }

    /// Response and resolution (revised on 2025-04-01 to a wider target),
    /// a routed resolution by site, and a team OLA per group.
    fn catalog() -> Catalog {
        let lifecycle = Lifecycle::servicenow();
        let tiers = |hours: [i64; 3]| {
            let tier = |n: usize| TimeDelta::hours(hours[n]);
            Target::business_by("priority", [("1", tier(0)), ("2", tier(1))], Some(tier(2)))
        };
        let response = presets::servicenow_response(&lifecycle, tiers([1, 4, 8])).unwrap();
        let wider = presets::servicenow_resolution(&lifecycle, tiers([8, 16, 40])).unwrap();
        let from = Utc.with_ymd_and_hms(2025, 4, 1, 0, 0, 0).unwrap();
        let resolution = presets::servicenow_resolution(&lifecycle, tiers([4, 8, 24]))
            .unwrap()
            .to_builder()
            .revised(from, wider)
            .build()
            .unwrap();
        let done = Condition::is_in("status", ["resolved", "closed", "canceled"]);
        let business = Target::business(TimeDelta::hours(12));
        let routed = Policy::builder(
            "routed",
            "Routed resolution",
            PolicyKind::Sla,
            Condition::not(done.clone()),
            done,
            business,
        )
        .build()
        .unwrap();
        let route = CalendarRoute::by_field("site")
            .name("DC", "24x7")
            .default_calendar("office");
        let ola = TeamOla::new(&lifecycle, Target::business(TimeDelta::hours(16))).unwrap();
        let service = Service::builder("desk", "Desk", "office")
            .policy(response)
            .policy(resolution)
            .policy_routed(routed, route)
            .team_ola(ola)
            .build()
            .unwrap();
        Catalog::builder()
            .calendar("office", office())
            .calendar("24x7", BusinessCalendar::always_open(chrono_tz::UTC))
            .service(service)
            .build()
            .unwrap()
    }

    /// A ticket: creation in 2025, then up to 10 changes of status,
    /// priority, group or site, 1 minute to 4 days apart.
    fn ticket() -> impl Strategy<Value = Vec<(i64, u8, usize)>> {
        prop::collection::vec((1i64..5_760, 0u8..4, 0usize..6), 0..10)
    }

    fn timeline(n: usize, start: i64, steps: &[(i64, u8, usize)]) -> Timeline {
        let id = format!("INC{n}");
        let mut at = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap() + TimeDelta::minutes(start);
        let mut events = vec![Event::created(
            id.as_str(),
            at,
            [
                ("status", "new"),
                ("priority", "2"),
                ("assignment_group", "G0"),
                ("site", "HQ"),
            ],
        )];
        for &(gap, kind, value) in steps {
            at += TimeDelta::minutes(gap);
            let (field, text) = match kind {
                0 | 1 => ("status", STATUSES[value].to_string()),
                2 => ("priority", ["1", "2", "3"][value % 3].to_string()),
                _ if value % 2 == 0 => ("assignment_group", format!("G{value}")),
                _ => ("site", ["DC", "HQ"][value % 4 / 2].to_string()),
            };
            events.push(Event::set(id.as_str(), at, [(field, text.as_str())]));
        }
        Timeline::new(events).unwrap()
    }

    fn report(period: Period, zone: Tz, timelines: &[Timeline], as_of: DateTime<Utc>, reevaluate: bool) -> Report {
        REEVALUATE.with(|flag| flag.set(reevaluate));
        let lifecycle = Lifecycle::servicenow();
        let spec = ReportSpec::builder(catalog())
            .lifecycle(lifecycle)
            .breakdown("priority")
            .periods(period, zone)
            .build()
            .unwrap();
        let mut reporter = spec.reporter(as_of);
        for timeline in timelines {
            reporter.add("desk", timeline).unwrap();
        }
        REEVALUATE.with(|flag| flag.set(false));
        reporter.finish()
    }

    fn period() -> impl Strategy<Value = Period> {
        prop_oneof![Just(Period::Day), Just(Period::Week), Just(Period::Month)]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// One pass per ticket gives the report that evaluating each ticket
        /// again as of every period's end gives, including tickets still
        /// open at `as_of` and events after it.
        #[test]
        fn one_pass_equals_reevaluation_at_every_period_end(
            tickets in prop::collection::vec((0i64..400_000, ticket()), 1..12),
            period in period(),
            as_of in 100_000i64..500_000,
            tokyo in any::<bool>(),
        ) {
            let timelines: Vec<Timeline> =
                tickets.iter().enumerate().map(|(n, (start, steps))| timeline(n, *start, steps)).collect();
            let as_of = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap() + TimeDelta::minutes(as_of);
            let zone = if tokyo { chrono_tz::Asia::Tokyo } else { chrono_tz::America::New_York };
            let one_pass = report(period, zone, &timelines, as_of, false);
            let oracle = report(period, zone, &timelines, as_of, true);
            prop_assert_eq!(one_pass, oracle);
        }
    }
}

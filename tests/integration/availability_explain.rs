//! Downtime explained per window (issue 14): which outages made it and how
//! much each counted, worked by hand.

use chrono::{DateTime, TimeDelta, Utc};
use servicelevel::BusinessCalendar;
use servicelevel::availability::{Agreement, Impact, ImpactWeights, Maintenance, Outage};
use servicelevel::interval::Interval;
use servicelevel::ratio::Figure;

fn at(h: u32, m: u32) -> DateTime<Utc> {
    crate::support::instant(&format!("2025-03-03T{h:02}:{m:02}:00Z"))
}

#[test]
fn each_outage_s_share_of_a_window_s_downtime() {
    // 24x7, status-page weights, the hour 09:00-10:00:
    // #0 partial outage 09:00-09:40 (weight 0.3), #1 major 09:20-09:30,
    // #2 degraded 09:50-10:10 (weight 0: never a share), maintenance
    // 09:35-09:45. #0 spans 40 minutes of agreed time: 5 in maintenance,
    // 10 covered by the heavier #1, 25 counted at 0.3 = 7 min 30 s. #1
    // counts its 10 minutes in full. Downtime 17 min 30 s over 60 - 10
    // minutes of counted service time: 65%.
    let outages = [
        Outage::new(at(9, 0), at(9, 40), Impact::Partial).unwrap(),
        Outage::new(at(9, 20), at(9, 30), Impact::Major).unwrap(),
        Outage::new(at(9, 50), at(10, 10), Impact::Degraded).unwrap(),
    ];
    let maintenance = Maintenance {
        windows: vec![Interval::new(at(9, 35), at(9, 45)).unwrap()],
        recurring: None,
    };
    let agreement = Agreement::builder(BusinessCalendar::always_open(chrono_tz::UTC))
        .weights(ImpactWeights::STATUS_PAGE)
        .maintenance(maintenance)
        .build()
        .unwrap();
    let history = agreement.history(&outages, at(12, 0)).unwrap();
    let hour = Interval::new(at(9, 0), at(10, 0)).unwrap();
    let explained = history.explain(hour).unwrap();
    let shares: Vec<_> = explained
        .outages
        .iter()
        .map(|s| {
            (
                s.index,
                s.weight.to_string(),
                s.counted,
                s.downtime,
                s.covered,
                s.in_maintenance,
            )
        })
        .collect();
    let m = TimeDelta::minutes;
    assert_eq!(
        shares,
        vec![
            (0, "0.3".to_string(), m(25), TimeDelta::seconds(450), m(10), m(5)),
            (1, "1".to_string(), m(10), m(10), m(0), m(0)),
        ]
    );
    let measured = history.measure(hour).unwrap();
    assert_eq!(measured.unplanned_downtime, TimeDelta::seconds(17 * 60 + 30));
    let sum: TimeDelta = explained.outages.iter().map(|s| s.downtime).sum();
    assert_eq!(sum, measured.unplanned_downtime);
    assert_eq!(measured.availability, Figure::Known("65".parse().unwrap()));
    // Measured up to `as_of` when it falls inside the window.
    let early = agreement.history(&outages, at(9, 25)).unwrap().explain(hour).unwrap();
    assert_eq!(early.measured_until, at(9, 25));
    assert_eq!(early.outages[0].counted, m(20));
    assert_eq!(early.outages[1].counted, m(5));
}

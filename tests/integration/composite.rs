//! Composite availability (issue 14): k-of-n and weighted groups of
//! percentages, and groups measured from their members' outage histories
//! aligned in time. Every expected value is worked by hand in its comment.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use servicelevel::BusinessCalendar;
use servicelevel::availability::{
    Agreement, Composite, Impact, ImpactWeights, Needed, Outage, WeightedPart, aligned_outages,
};
use servicelevel::interval::Interval;
use servicelevel::ratio::Figure;

fn at(h: u32, m: u32) -> DateTime<Utc> {
    crate::support::instant(&format!("2025-03-03T{h:02}:{m:02}:00Z"))
}

fn service(percent: &str) -> Composite {
    Composite::Service(percent.parse().unwrap())
}

fn decimal(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// The availability of the hour 09:00-10:00 of a group's aligned outages.
fn hour(outages: &[Outage]) -> Figure<Decimal> {
    let agreement = Agreement::builder(BusinessCalendar::always_open(chrono_tz::UTC))
        .weights(ImpactWeights::INCIDENT_IO)
        .build()
        .unwrap();
    let history = agreement.history(outages, at(12, 0)).unwrap();
    history
        .measure(Interval::new(at(9, 0), at(10, 0)).unwrap())
        .unwrap()
        .availability
}

#[test]
fn a_group_is_up_only_when_all_its_members_are_up() {
    // incident.io, "Status Pages: How we calculate uptime": "a group is
    // only considered up if all components in it are in an up status".
    // A is in full outage 09:00-09:20, B in partial outage 09:10-09:30
    // (both down under incident.io's weights): the group is down
    // 09:00-09:30, 30 of 60 minutes: 50%. With redundancy (any member
    // enough) it is down only while both are, 09:10-09:20: 50/60 =
    // 83.333333%.
    let a = [Outage::new(at(9, 0), at(9, 20), Impact::Major).unwrap()];
    let b = [Outage::new(at(9, 10), at(9, 30), Impact::Partial).unwrap()];
    let members: [&[Outage]; 2] = [&a, &b];
    let all = aligned_outages(&members, Needed::All, ImpactWeights::INCIDENT_IO, at(12, 0)).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!((all[0].start(), all[0].end()), (at(9, 0), Some(at(9, 30))));
    assert_eq!(hour(&all), Figure::Known(decimal("50")));
    let any = aligned_outages(&members, Needed::Any, ImpactWeights::INCIDENT_IO, at(12, 0)).unwrap();
    assert_eq!(hour(&any), Figure::Known(decimal("83.333333")));
    // Under status-page weights B's partial outage counts 0.3: the group is
    // fully down 09:00-09:20 and at 0.3 09:20-09:30, 23 minutes: 61.666667%.
    let weighted = aligned_outages(&members, Needed::All, ImpactWeights::STATUS_PAGE, at(12, 0)).unwrap();
    assert_eq!(weighted.len(), 2);
    assert_eq!(hour(&weighted), Figure::Known(decimal("61.666667")));
}

#[test]
fn a_quorum_is_down_while_more_than_n_minus_k_members_are() {
    // Two of three needed: A down 09:00-09:30, B 09:15-09:45, C
    // 09:40-10:00. Two or more are down 09:15-09:30 (A, B) and
    // 09:40-09:45 (B, C): 20 minutes, 66.666667%.
    let a = [Outage::new(at(9, 0), at(9, 30), Impact::Major).unwrap()];
    let b = [Outage::new(at(9, 15), at(9, 45), Impact::Major).unwrap()];
    let c = [Outage::open(at(9, 40), Impact::Major).unwrap()];
    let members: [&[Outage]; 3] = [&a, &b, &c];
    let group = aligned_outages(&members, Needed::AtLeast(2), ImpactWeights::INCIDENT_IO, at(10, 0)).unwrap();
    let spans: Vec<_> = group.iter().map(|o| (o.start(), o.end())).collect();
    assert_eq!(spans, vec![(at(9, 15), Some(at(9, 30))), (at(9, 40), Some(at(9, 45)))]);
    assert_eq!(hour(&group), Figure::Known(decimal("66.666667")));
    for bad in [Needed::AtLeast(0), Needed::AtLeast(4)] {
        assert!(aligned_outages(&members, bad, ImpactWeights::INCIDENT_IO, at(10, 0)).is_err());
    }
    assert!(aligned_outages(&[], Needed::All, ImpactWeights::INCIDENT_IO, at(10, 0)).is_err());
}

#[test]
fn k_of_n_and_weighted_groups_of_percentages() {
    // Two of three at 99% each, independent (the binomial k-out-of-n
    // reliability formula): 3 * 0.99^2 * 0.01 + 0.99^3 = 0.029403 +
    // 0.970299 = 99.9702%. One of two is the parallel formula, two of two
    // the series one.
    let quorum = Composite::AtLeast {
        k: 2,
        of: vec![service("99"), service("99"), service("99")],
    };
    assert_eq!(quorum.availability().unwrap(), decimal("99.9702"));
    let one_of_two = Composite::AtLeast {
        k: 1,
        of: vec![service("99"), service("99")],
    };
    assert_eq!(
        one_of_two.availability().unwrap(),
        Composite::Parallel(vec![service("99"), service("99")])
            .availability()
            .unwrap()
    );
    // Weighted 2 : 1 (OpenSLO compositeWeight): (2 * 99.9 + 99) / 3 = 99.6.
    let weighted = Composite::Weighted(vec![
        WeightedPart {
            weight: decimal("2"),
            part: service("99.9"),
        },
        WeightedPart {
            weight: decimal("1"),
            part: service("99"),
        },
    ]);
    assert_eq!(weighted.availability().unwrap(), decimal("99.6"));
    let zero = Composite::Weighted(vec![WeightedPart {
        weight: Decimal::ZERO,
        part: service("99"),
    }]);
    assert_eq!(
        zero.availability().unwrap_err().to_string(),
        "invalid objective `0` in `weighted[0].weight`: a weight must be positive"
    );
    let too_many = Composite::Series(vec![Composite::AtLeast {
        k: 3,
        of: vec![service("99")],
    }]);
    assert_eq!(
        too_many.availability().unwrap_err().to_string(),
        "invalid objective `3` in `series[0].at_least.k`: k must be between 1 and the number of components"
    );
}

#[test]
fn composites_read_their_serde_form() {
    let json = r#"{"series": [{"service": "99.9"}, {"at_least": {"k": 2, "of": [{"service": "99"}, {"service": "99"}, {"service": "99"}]}}, {"weighted": [{"weight": "1", "part": {"service": "100"}}]}]}"#;
    let composite: Composite = serde_json::from_str(json).unwrap();
    // 0.999 * 0.999702 * 1 = 0.998702298: 99.870230%.
    assert_eq!(composite.availability().unwrap(), decimal("99.87023"));
    let back: Composite = serde_json::from_str(&serde_json::to_string(&composite).unwrap()).unwrap();
    assert_eq!(back, composite);
}

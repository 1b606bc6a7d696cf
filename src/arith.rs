//! The crate's exact arithmetic, in one place: durations as `i128`
//! nanoseconds, fractions of decimals, and percentages rounded once.
//!
//! One rounding rule: **half away from zero**, once, at the end (for
//! percentages, at [`PERCENT_PLACES`](crate::ratio::PERCENT_PLACES)
//! decimals). Thresholds that must be reached (a warning at 75% of a
//! target) round **up** to the nanosecond instead, so they fire at the
//! first instant at least that share is used. One saturation rule: a
//! duration computed past `TimeDelta`'s range saturates at `TimeDelta::MIN`
//! or `MAX` by its sign. Products of two durations fit an `i128` for any
//! instants the calendar can hold (years 1 to 9999), so nothing here can
//! overflow on validated input.

use chrono::TimeDelta;
use rust_decimal::Decimal;

/// `numer / denom` rounded half away from zero; `denom` must be positive.
pub(crate) fn div_round(numer: i128, denom: i128) -> i128 {
    debug_assert!(denom > 0);
    let (q, r) = (numer / denom, numer % denom);
    if 2 * r.abs() >= denom { q + numer.signum() } else { q }
}

/// `100 * numer / denom` as a percentage with `places` decimals, rounded
/// once, half away from zero. `denom` must be positive; the product must
/// fit in an `i128` (it does for any two durations the calendar can hold).
pub(crate) fn percent_places(numer: i128, denom: i128, places: u32) -> Decimal {
    let scaled = div_round(numer * 100 * 10_i128.pow(places), denom);
    Decimal::from_i128_with_scale(scaled, places).normalize()
}

/// Nanoseconds of a duration, as an `i128` (never overflows).
pub(crate) fn nanos(d: TimeDelta) -> i128 {
    i128::from(d.num_seconds()) * 1_000_000_000 + i128::from(d.subsec_nanos())
}

/// A duration from nanoseconds, saturating at `TimeDelta`'s range.
pub(crate) fn from_nanos(n: i128) -> TimeDelta {
    let (secs, sub) = (n.div_euclid(1_000_000_000), n.rem_euclid(1_000_000_000));
    i64::try_from(secs)
        .ok()
        .and_then(|s| TimeDelta::new(s, sub as u32))
        .unwrap_or(if n < 0 { TimeDelta::MIN } else { TimeDelta::MAX })
}

/// A decimal as an exact fraction `mantissa / 10^scale`.
pub(crate) fn fraction(d: Decimal) -> (i128, i128) {
    (d.mantissa(), 10_i128.pow(d.scale()))
}

/// `t * num / den`, rounded up to the nanosecond.
pub(crate) fn ceil_fraction(t: TimeDelta, num: i128, den: i128) -> TimeDelta {
    let n = nanos(t) * num;
    from_nanos(n.div_euclid(den) + i128::from(n.rem_euclid(den) != 0))
}

/// A warning threshold: `percent` of the target, rounded up to the
/// nanosecond (the first instant at which at least that share is used).
pub(crate) fn percent_of(target: TimeDelta, percent: Decimal) -> TimeDelta {
    let scale = percent.scale();
    let mantissa = percent.mantissa();
    ceil_fraction(target, mantissa, 100 * 10_i128.pow(scale))
}

/// `part / whole * 100`, rounded half away from zero to six decimals.
pub(crate) fn duration_percent(part: TimeDelta, whole: TimeDelta) -> Decimal {
    // Whole seconds (the usual case) fit i64 arithmetic, which is several
    // times faster than i128 division.
    let whole_seconds = part.subsec_nanos() == 0 && whole.subsec_nanos() == 0;
    if let (true, Some(scaled)) = (whole_seconds, part.num_seconds().checked_mul(100_000_000)) {
        return from_scaled(i128::from(rounded_div_i64(scaled, whole.num_seconds())));
    }
    let (p, w) = (nanos(part), nanos(whole));
    if w == 0 {
        return Decimal::ZERO;
    }
    let scaled = p * 100_000_000;
    let (q, r) = (scaled / w, scaled % w);
    from_scaled(if 2 * r.abs() >= w.abs() {
        q + scaled.signum() * w.signum()
    } else {
        q
    })
}

fn rounded_div_i64(n: i64, d: i64) -> i64 {
    if d == 0 {
        return 0;
    }
    let (q, r) = (n / d, n % d);
    if 2 * (r as i128).abs() >= (d as i128).abs() {
        q + n.signum() * d.signum()
    } else {
        q
    }
}

/// A percentage with six decimals, trailing zeros dropped (18.75, not
/// 18.750000).
fn from_scaled(value: i128) -> Decimal {
    let mut scale = 6;
    if let Ok(mut small) = i64::try_from(value) {
        // i128 remainders go through a library call; i64 ones do not.
        while scale > 0 && small % 10 == 0 {
            small /= 10;
            scale -= 1;
        }
        return Decimal::new(small, scale);
    }
    let mut value = value;
    while scale > 0 && value % 10 == 0 {
        value /= 10;
        scale -= 1;
    }
    // Beyond `Decimal`'s 96 bits (a percentage above about 10^22, from a
    // cycle of millennia against a nanosecond target) decimals are dropped,
    // rounded half away from zero, rather than panicking; past that the
    // percentage saturates.
    loop {
        if let Ok(decimal) = Decimal::try_from_i128_with_scale(value, scale) {
            return decimal;
        }
        if scale == 0 {
            return if value < 0 { Decimal::MIN } else { Decimal::MAX };
        }
        value = div_round(value, 10);
        scale -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_away_from_zero_once() {
        assert_eq!(div_round(5, 2), 3);
        assert_eq!(div_round(-5, 2), -3);
        assert_eq!(div_round(4, 3), 1);
        // 40290 / 40310 = 0.99950384519..., issue 4 acceptance 7.
        assert_eq!(percent_places(40_290, 40_310, 6).to_string(), "99.950385");
        assert_eq!(percent_places(1, 3, 6).to_string(), "33.333333");
        assert_eq!(percent_places(2, 3, 6).to_string(), "66.666667");
        assert_eq!(percent_places(3, 4, 6).to_string(), "75");
    }

    #[test]
    fn nanos_round_trip_and_saturate_by_sign() {
        let d = TimeDelta::new(-3, 250).unwrap();
        assert_eq!(from_nanos(nanos(d)), d);
        assert_eq!(from_nanos(i128::MAX), TimeDelta::MAX);
        assert_eq!(from_nanos(i128::MIN), TimeDelta::MIN);
    }

    #[test]
    fn duration_percentages_are_rounded_half_away_from_zero_at_six_places() {
        let percent = duration_percent;
        assert_eq!(
            percent(TimeDelta::minutes(90), TimeDelta::hours(8)).to_string(),
            "18.75"
        );
        assert_eq!(
            percent(TimeDelta::seconds(1), TimeDelta::seconds(3)).to_string(),
            "33.333333"
        );
        assert_eq!(
            percent(TimeDelta::seconds(2), TimeDelta::seconds(3)).to_string(),
            "66.666667"
        );
        assert_eq!(
            percent(TimeDelta::seconds(1), TimeDelta::seconds(16_000_000)).to_string(),
            "0.000006"
        );
        // The fast path (whole seconds) and the nanosecond path agree.
        let (p, w) = (TimeDelta::milliseconds(1500), TimeDelta::seconds(7));
        assert_eq!(percent(p, w), percent_places(nanos(p), nanos(w), 6));
    }

    #[test]
    fn percentages_past_decimal_range_lose_decimals_not_the_program() {
        // 200,000 years is 6.3072e21 ns: 6.3072e23 % of one nanosecond.
        let millennia = TimeDelta::days(365 * 200_000);
        let percent = duration_percent(millennia, TimeDelta::nanoseconds(1));
        assert_eq!(
            percent,
            Decimal::from_i128_with_scale(630_720_000_000_000_000_000_000, 0)
        );
        // TimeDelta::MAX (i64::MAX ms) against 1 ns: 100 * 9_223_372_036_854_775_807e6 %.
        let most = duration_percent(TimeDelta::MAX, TimeDelta::nanoseconds(1));
        assert_eq!(
            most,
            Decimal::from_i128_with_scale(922_337_203_685_477_580_700_000_000, 0)
        );
    }

    #[test]
    fn thresholds_round_up_to_the_nanosecond() {
        assert_eq!(percent_of(TimeDelta::hours(4), Decimal::from(50)), TimeDelta::hours(2));
        assert_eq!(
            percent_of(TimeDelta::nanoseconds(3), Decimal::new(333, 1)),
            TimeDelta::nanoseconds(1)
        );
    }
}

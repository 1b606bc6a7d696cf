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

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::TimeDelta;
use rust_decimal::Decimal;

/// `numer / denom` rounded half away from zero; `denom` must be positive.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "callers pass a positive denom below 2^126 (durations in nanoseconds, counts, scales of bounded decimals), so neither the division nor 2 * |r| can overflow"
)]
pub(crate) fn div_round(numer: i128, denom: i128) -> i128 {
    debug_assert!(denom > 0);
    let (q, r) = (numer / denom, numer % denom);
    if 2 * r.abs() >= denom { q + numer.signum() } else { q }
}

/// `a * b / c` rounded half away from zero, exact for any operands: the
/// product is formed in 256 bits, so only a quotient past `i128` (or a
/// zero `c`) gives `None`.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "r < c, so c - r cannot overflow; the sign is applied with checked operations"
)]
pub(crate) fn mul_div_round(a: i128, b: i128, c: i128) -> Option<i128> {
    if c == 0 {
        return None;
    }
    let negative = (a < 0) ^ (b < 0) ^ (c < 0);
    let (q, r) = mul_div_u128(a.unsigned_abs(), b.unsigned_abs(), c.unsigned_abs())?;
    let c = c.unsigned_abs();
    // Half away from zero: up when the remainder is at least half of `c`.
    let up = r >= c - r;
    let magnitude = q.checked_add(u128::from(up))?;
    if negative {
        0_i128.checked_sub_unsigned(magnitude)
    } else {
        i128::try_from(magnitude).ok()
    }
}

/// `a * b / c` (`c > 0`) as quotient and remainder, by a 256-bit product and
/// a shift-and-subtract division; `None` when the quotient passes `u128`.
pub(crate) fn mul_div_u128(a: u128, b: u128, c: u128) -> Option<(u128, u128)> {
    let (hi, lo) = wide_mul(a, b);
    if hi >= c {
        return None;
    }
    if hi == 0 {
        // The product fits 128 bits (the common case: a percentile's gap
        // times its share): one native division.
        #[allow(clippy::arithmetic_side_effects, reason = "c > 0")]
        return Some((lo / c, lo % c));
    }
    let (mut quotient, mut remainder) = (0u128, hi);
    for bit in (0..128).rev() {
        let carry = remainder >> 127;
        remainder = (remainder << 1) | ((lo >> bit) & 1);
        // With the carry the true remainder is 2^128 or more, above `c`.
        if carry == 1 || remainder >= c {
            remainder = remainder.wrapping_sub(c);
            quotient |= 1 << bit;
        }
    }
    Some((quotient, remainder))
}

/// The 256-bit product of two `u128`s as (high, low) halves.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "each partial product of 64-bit halves fits 128 bits, as do the sums of three 64-bit parts; the high half is below 2^128 because the product is below 2^256"
)]
fn wide_mul(a: u128, b: u128) -> (u128, u128) {
    const HALF: u32 = 64;
    const MASK: u128 = u64::MAX as u128;
    let (a1, a0) = (a >> HALF, a & MASK);
    let (b1, b0) = (b >> HALF, b & MASK);
    // Each partial product of 64-bit halves fits a u128.
    let (p00, p01, p10, p11) = (a0 * b0, a0 * b1, a1 * b0, a1 * b1);
    let middle = (p00 >> HALF) + (p01 & MASK) + (p10 & MASK);
    let lo = (p00 & MASK) | (middle << HALF);
    let hi = p11 + (p01 >> HALF) + (p10 >> HALF) + (middle >> HALF);
    (hi, lo)
}

/// `(a * c) / (b * d)` rounded half away from zero, for unsigned operands
/// of any size (`b * d` need not fit 128 bits); `None` for a zero divisor
/// or a quotient past `u128`.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "b and d are not zero; m < d, so d - m and m + 1 cannot overflow; r < b"
)]
pub(crate) fn ratio_round(a: u128, c: u128, b: u128, d: u128) -> Option<u128> {
    if b == 0 || d == 0 {
        return None;
    }
    // a * c = q * b + r, so the value is (q + r / b) / d = k + (m + r / b) / d.
    let (q, r) = mul_div_u128(a, c, b)?;
    let (k, m) = (q / d, q % d);
    // Up when m + r / b >= d / 2, that is when 2m + 2r/b >= d; as 0 <= 2r/b < 2
    // only d = 2m + 1 needs the remainder (then up when 2r >= b).
    let up = m >= d - m || (d - m == m + 1 && r >= b - r);
    k.checked_add(u128::from(up))
}

/// Whether `a * b >= c * d`, exactly.
pub(crate) fn product_at_least(a: u128, b: u128, c: u128, d: u128) -> bool {
    wide_mul(a, b) >= wide_mul(c, d)
}

/// A decimal `value * 10^-scale`; past `Decimal`'s 96 bits decimals are
/// dropped, rounded half away from zero, and past that it saturates.
#[allow(clippy::arithmetic_side_effects, reason = "scale is positive where it is decreased")]
pub(crate) fn decimal(mut value: i128, mut scale: u32) -> Decimal {
    loop {
        if let Ok(decimal) = Decimal::try_from_i128_with_scale(value, scale) {
            return decimal.normalize();
        }
        if scale == 0 {
            return if value < 0 { Decimal::MIN } else { Decimal::MAX };
        }
        value = div_round(value, 10);
        scale -= 1;
    }
}

/// `100 * numer / denom` as a percentage with `places` decimals, rounded
/// once, half away from zero, for any operands; `None` for a zero
/// denominator or a value past `Decimal`'s range.
pub(crate) fn checked_percent(numer: i128, denom: i128, places: u32) -> Option<Decimal> {
    let scale = 10_i128.checked_pow(places)?.checked_mul(100)?;
    let scaled = mul_div_round(numer, scale, denom)?;
    Decimal::try_from_i128_with_scale(scaled, places)
        .ok()
        .map(|d| d.normalize())
}

/// `100 * numer / denom` as a percentage with `places` decimals, rounded
/// once, half away from zero. `denom` must be positive; the product must
/// fit in an `i128` (it does for any two durations the calendar can hold).
#[allow(
    clippy::arithmetic_side_effects,
    reason = "callers pass durations in nanoseconds (below 10^28) and places = 6: the product is below 10^36"
)]
pub(crate) fn percent_places(numer: i128, denom: i128, places: u32) -> Decimal {
    let scaled = div_round(numer * 100 * 10_i128.pow(places), denom);
    Decimal::from_i128_with_scale(scaled, places).normalize()
}

/// Nanoseconds of a duration, as an `i128` (never overflows).
#[allow(
    clippy::arithmetic_side_effects,
    reason = "seconds of a TimeDelta (below 2^63) times 10^9 plus the nanoseconds fit an i128"
)]
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
#[allow(
    clippy::arithmetic_side_effects,
    reason = "t is a target (at most 100 years, below 2^62 ns) and num a share with at most nine decimals (below 10^13): the product fits; den is positive"
)]
pub(crate) fn ceil_fraction(t: TimeDelta, num: i128, den: i128) -> TimeDelta {
    let n = nanos(t) * num;
    from_nanos(n.div_euclid(den) + i128::from(n.rem_euclid(den) != 0))
}

/// A warning threshold: `percent` of the target, rounded up to the
/// nanosecond (the first instant at which at least that share is used).
#[allow(
    clippy::arithmetic_side_effects,
    reason = "a warning threshold is at most 1000 with at most nine decimals: 100 * 10^scale <= 10^11"
)]
pub(crate) fn percent_of(target: TimeDelta, percent: Decimal) -> TimeDelta {
    let percent = percent.normalize();
    let scale = percent.scale();
    let mantissa = percent.mantissa();
    ceil_fraction(target, mantissa, 100 * 10_i128.pow(scale))
}

/// `part / whole * 100`, rounded half away from zero to six decimals.
pub(crate) fn duration_percent(part: TimeDelta, whole: TimeDelta) -> Decimal {
    from_scaled(duration_percent_millionths(part, whole))
}

/// [`duration_percent`] in millionths of a percent (its value at six
/// decimals, as an integer): what a fixed-scale column stores.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "nanoseconds below 2^93 times 10^8 fit an i128; the whole is positive where it divides"
)]
pub(crate) fn duration_percent_millionths(part: TimeDelta, whole: TimeDelta) -> i128 {
    // Whole seconds (the usual case) fit i64 arithmetic, which is several
    // times faster than i128 division.
    let whole_seconds = part.subsec_nanos() == 0 && whole.subsec_nanos() == 0;
    if let (true, Some(scaled)) = (whole_seconds, part.num_seconds().checked_mul(100_000_000)) {
        return i128::from(rounded_div_i64(scaled, whole.num_seconds()));
    }
    let (p, w) = (nanos(part), nanos(whole));
    if w == 0 {
        return 0;
    }
    let scaled = p * 100_000_000;
    let (q, r) = (scaled / w, scaled % w);
    if 2 * r.abs() >= w.abs() {
        q + scaled.signum() * w.signum()
    } else {
        q
    }
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "d is not zero; |r| < |d| fits an i128 doubled"
)]
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
#[allow(clippy::arithmetic_side_effects, reason = "scale is positive where it is decreased")]
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
    // cycle of millennia against a nanosecond target) decimals are dropped
    // rather than panicking.
    decimal(value, scale)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests compute expected values")]
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
        // The same worked value as millionths of a percent.
        assert_eq!(
            duration_percent_millionths(TimeDelta::seconds(40_290), TimeDelta::seconds(40_310)),
            99_950_385
        );
    }

    #[test]
    fn mul_div_is_exact_past_i128_products() {
        assert_eq!(mul_div_round(7, 3, 2), Some(11)); // 10.5 -> 11
        assert_eq!(mul_div_round(-7, 3, 2), Some(-11));
        assert_eq!(mul_div_round(7, -3, -2), Some(11));
        assert_eq!(mul_div_round(5, 1, 3), Some(2));
        assert_eq!(mul_div_round(1, 1, 0), None);
        // (2^126) * 10^20 / 10^20: the product needs 193 bits.
        let big = 1_i128 << 126;
        assert_eq!(mul_div_round(big, 10_i128.pow(20), 10_i128.pow(20)), Some(big));
        assert_eq!(mul_div_round(i128::MAX, i128::MAX, i128::MAX), Some(i128::MAX));
        assert_eq!(mul_div_round(i128::MIN + 1, i128::MAX, i128::MAX), Some(i128::MIN + 1));
        assert_eq!(mul_div_round(i128::MAX, 2, 1), None);
        // A quotient past i128 but within u128.
        assert_eq!(mul_div_round(i128::MAX, 3, 2), None);
    }

    proptest::proptest! {
        /// The millionths are the decimal's value at six decimals, whole
        /// seconds or not (the two paths of the division).
        #[test]
        fn percent_millionths_are_the_decimal_at_six_places(
            part in -10_i64.pow(12)..10_i64.pow(12),
            whole in -10_i64.pow(9)..10_i64.pow(9),
            nanos in proptest::prop_oneof![proptest::strategy::Just(0_u32), 0_u32..1_000_000_000],
        ) {
            let part = TimeDelta::seconds(part) + TimeDelta::nanoseconds(i64::from(nanos));
            let whole = TimeDelta::seconds(whole);
            let mut decimal = duration_percent(part, whole);
            decimal.rescale(6);
            proptest::prop_assert_eq!(duration_percent_millionths(part, whole), decimal.mantissa());
        }
    }

    proptest::proptest! {
        /// Where the product fits an `i128`, the 256-bit path agrees with
        /// plain division; where it does not, `a * b / b == a`.
        #[test]
        fn mul_div_agrees_with_i128_arithmetic(a in proptest::num::i128::ANY, b in proptest::num::i64::ANY, c in 1_i64..) {
            let (b, c) = (i128::from(b), i128::from(c));
            if let Some(product) = a.checked_mul(b) {
                proptest::prop_assert_eq!(mul_div_round(a, b, c), Some(div_round(product, c)));
            }
            if b != 0 {
                proptest::prop_assert_eq!(mul_div_round(a, b, b), Some(a));
            }
        }
    }

    proptest::proptest! {
        /// The four-operand ratio agrees with plain division where the
        /// products fit, and the comparison with the products.
        #[test]
        fn ratio_agrees_with_u128_arithmetic(a in proptest::num::u64::ANY, c in proptest::num::u64::ANY, b in 1_u64.., d in 1_u64..) {
            let (a, c, b, d) = (u128::from(a), u128::from(c), u128::from(b), u128::from(d));
            // u64 products fit a u128.
            let (n, m) = (a * c, b * d);
            let expected = n / m + u128::from(n % m >= m - n % m);
            proptest::prop_assert_eq!(ratio_round(a, c, b, d), Some(expected));
            proptest::prop_assert_eq!(product_at_least(a, c, b, d), a * c >= b * d);
        }
    }

    #[test]
    fn ratios_past_128_bit_products_round_once() {
        // (10^30 * 10^30) / (3 * 10^30 * 10^28) = 33.33... -> 33
        let e = |n: u32| 10_u128.pow(n);
        assert_eq!(ratio_round(e(30), e(30), 3 * e(30), e(28)), Some(33));
        // 2.5 exactly rounds away from zero.
        assert_eq!(ratio_round(5 * e(30), e(30), 2 * e(30), e(30)), Some(3));
        assert_eq!(ratio_round(1, 1, 0, 1), None);
        assert!(product_at_least(e(38), e(38), e(37), e(38)));
        assert!(!product_at_least(e(37), e(38), e(38), e(38)));
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

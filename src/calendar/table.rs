//! The materialised calendar: every open interval of the horizon in UTC
//! seconds, with the business time before each, and two bucket indexes that
//! make both directions of lookup O(1):
//!
//! - by instant: `by_day[k]` is the first interval that ends after the
//!   start of UTC day `k` of the horizon, so an instant is located by one
//!   division and a scan over the (few) intervals that end within its day;
//! - by business time: `by_business[k]` is the first interval whose
//!   cumulative end reaches `k * bucket` business seconds, so the instant at
//!   which a budget runs out is located the same way.
//!
//! Both scans are bounded by the largest bucket's contents, measured when
//! the table is built. When that is small (one or two intervals for office
//! hours) the scan is that many branch-free steps, the same for every query,
//! so random queries cause no branch mispredictions; otherwise it is a
//! binary search within the bucket. A sentinel span after the last one keeps
//! every step in bounds.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

/// One open interval, `[start, end)` in UTC seconds, and the business
/// seconds in all intervals before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: i64,
    pub(crate) end: i64,
    pub(crate) before: i64,
}

impl Span {
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "seconds and business totals inside the horizon (below 2^39); indices stay inside the span tables they index"
    )]
    fn cumulative_end(&self) -> i64 {
        self.before + (self.end - self.start)
    }
}

pub(crate) const DAY: i64 = 86_400;
/// Up to this many candidates per bucket, scan; beyond, binary search.
const FIXED_SCAN_LIMIT: usize = 4;

/// A business-time position or an instant: whole seconds and the
/// nanoseconds past them (`0..1e9`). Ordered lexicographically, which is
/// numeric order. Kept as a pair because i128 division is slow on the hot path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Pos {
    pub(crate) secs: i64,
    pub(crate) nanos: u32,
}

impl Pos {
    pub(crate) const fn whole(secs: i64) -> Pos {
        Pos { secs, nanos: 0 }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Table {
    /// First second of the horizon.
    pub(crate) base: i64,
    /// First second after the horizon.
    pub(crate) limit: i64,
    /// The open intervals, then one sentinel (`start = end = i64::MAX`).
    spans: Vec<Span>,
    pub(crate) total: i64,
    /// UTC midnight at or before `base`: day bucket `k` is UTC day
    /// `[day_origin + k * DAY, day_origin + (k + 1) * DAY)`.
    day_origin: i64,
    /// The UTC date of each day bucket, so that an instant is turned into a
    /// `DateTime` without chrono's day-number-to-date conversion.
    utc_dates: Vec<NaiveDate>,
    by_day: Vec<u32>,
    day_scan: usize,
    bucket: i64,
    by_business: Vec<u32>,
    business_scan: usize,
}

impl Table {
    /// Builds the table from sorted, disjoint, non-adjacent, non-empty
    /// intervals inside `[base, limit)`.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "seconds and business totals inside the horizon (below 2^39); indices stay inside the span tables they index"
    )]
    pub(crate) fn new(base: i64, limit: i64, intervals: &[(i64, i64)]) -> Table {
        let mut spans = Vec::with_capacity(intervals.len() + 1);
        let mut total = 0;
        for &(start, end) in intervals {
            spans.push(Span {
                start,
                end,
                before: total,
            });
            total += end - start;
        }
        let day_origin = base.div_euclid(DAY) * DAY;
        let days = ((limit - day_origin) / DAY + 2) as usize;
        let by_day = bucket_index(days, &spans, |k| day_origin + k as i64 * DAY, |s| s.end);
        let first_date = DateTime::from_timestamp(day_origin, 0).map_or(NaiveDate::MIN, |d| d.date_naive());
        let utc_dates = first_date.iter_days().take(days).collect();
        let bucket = (total / spans.len().max(1) as i64).max(1);
        let buckets = (total / bucket + 2) as usize;
        let by_business = bucket_index(buckets, &spans, |k| k as i64 * bucket, Span::cumulative_end);
        spans.push(Span {
            start: i64::MAX,
            end: i64::MAX,
            before: total,
        });
        let (day_scan, business_scan) = (widest(&by_day), widest(&by_business));
        Table {
            base,
            limit,
            spans,
            total,
            day_origin,
            utc_dates,
            by_day,
            day_scan,
            bucket,
            by_business,
            business_scan,
        }
    }

    /// The instant `at`, which must lie in `[base, limit]`.
    #[inline]
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "seconds and business totals inside the horizon (below 2^39); indices stay inside the span tables they index"
    )]
    pub(crate) fn instant(&self, at: Pos) -> DateTime<Utc> {
        let since_origin = at.secs - self.day_origin;
        let date = self.utc_dates[(since_origin / DAY) as usize];
        let time = NaiveTime::from_num_seconds_from_midnight_opt((since_origin % DAY) as u32, at.nanos)
            .unwrap_or(NaiveTime::MIN);
        date.and_time(time).and_utc()
    }

    /// The open intervals, in order.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "seconds and business totals inside the horizon (below 2^39); indices stay inside the span tables they index"
    )]
    pub(crate) fn open_spans(&self) -> &[Span] {
        &self.spans[..self.spans.len() - 1]
    }

    /// The span at `index`; the sentinel (`start = end = i64::MAX`, all
    /// the business time before it) at `open_spans().len()`.
    #[inline]
    pub(crate) fn span(&self, index: usize) -> Span {
        self.spans[index]
    }

    /// Index of the first span that ends after `t`; `spans.len()` if none.
    /// `t` must be in `[base, limit)`.
    #[inline]
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "seconds and business totals inside the horizon (below 2^39); indices stay inside the span tables they index"
    )]
    pub(crate) fn locate(&self, t: i64) -> usize {
        self.locate_in_day(((t - self.day_origin) / DAY) as usize, t)
    }

    /// [`locate`](Self::locate) for a `t` in day bucket `k`.
    #[inline(always)]
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "seconds and business totals inside the horizon (below 2^39); indices stay inside the span tables they index"
    )]
    pub(crate) fn locate_in_day(&self, k: usize, t: i64) -> usize {
        let (low, high) = (self.by_day[k] as usize, self.by_day[k + 1] as usize);
        search(&self.spans, low, high, self.day_scan, |s| s.end <= t)
    }

    /// UTC midnight at or before the horizon's start: day bucket `k` starts
    /// `k` days after it.
    pub(crate) fn day_origin(&self) -> i64 {
        self.day_origin
    }

    /// Business time in `[base, t)`, for `t` clamped to the horizon.
    #[inline(always)]
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "seconds and business totals inside the horizon (below 2^39); indices stay inside the span tables they index"
    )]
    pub(crate) fn position(&self, seconds: i64, nanos: u32) -> Pos {
        if seconds < self.base {
            return Pos::whole(0);
        }
        if seconds >= self.limit {
            return Pos::whole(self.total);
        }
        // Branch-free: outside the span (or on the sentinel) only `before` counts.
        let span = &self.spans[self.locate(seconds)];
        // Written as arithmetic, not `if`, so that no branch depends on it.
        let into = seconds.saturating_sub(span.start);
        let inside_mask = u32::from(into >= 0).wrapping_neg();
        Pos {
            secs: span.before + into.max(0),
            nanos: nanos & inside_mask,
        }
    }

    /// Index of the first span whose cumulative end is at least `target`
    /// (`strict`: greater than `target`).
    #[inline]
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "seconds and business totals inside the horizon (below 2^39); indices stay inside the span tables they index"
    )]
    fn find_business(&self, target: Pos, strict: bool) -> usize {
        let k = (target.secs / self.bucket) as usize;
        let low = self.by_business[k] as usize;
        let high = self.by_business[(k + 1).min(self.by_business.len() - 1)] as usize;
        if strict {
            search(&self.spans, low, high, self.business_scan, |s| {
                s.cumulative_end() <= target.secs
            })
        } else {
            search(&self.spans, low, high, self.business_scan, |s| {
                Pos::whole(s.cumulative_end()) < target
            })
        }
    }

    /// The earliest instant at which the business position is `target`, for
    /// `0 < target <= total`.
    #[inline]
    pub(crate) fn earliest_at(&self, target: Pos) -> Pos {
        self.instant_in(self.find_business(target, false), target)
    }

    /// The latest instant at which the business position is `target`, for
    /// `0 <= target < total`.
    #[inline]
    pub(crate) fn latest_at(&self, target: Pos) -> Pos {
        self.instant_in(self.find_business(target, true), target)
    }

    #[allow(
        clippy::arithmetic_side_effects,
        reason = "seconds and business totals inside the horizon (below 2^39); indices stay inside the span tables they index"
    )]
    fn instant_in(&self, index: usize, target: Pos) -> Pos {
        let span = self.spans[index];
        Pos {
            secs: span.start + (target.secs - span.before),
            nanos: target.nanos,
        }
    }
}

/// `index[k]` = the first span `s` with `key(s) >= bound(k)`, for
/// `k in 0..count`; keys must be increasing.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "seconds and business totals inside the horizon (below 2^39); indices stay inside the span tables they index"
)]
fn bucket_index(count: usize, spans: &[Span], bound: impl Fn(usize) -> i64, key: impl Fn(&Span) -> i64) -> Vec<u32> {
    let mut index = Vec::with_capacity(count);
    let mut i = 0;
    for k in 0..count {
        let b = bound(k);
        while i < spans.len() && key(&spans[i]) < b {
            i += 1;
        }
        index.push(i as u32);
    }
    index
}

/// The most candidates any bucket of `index` holds.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "seconds and business totals inside the horizon (below 2^39); indices stay inside the span tables they index"
)]
fn widest(index: &[u32]) -> usize {
    index.windows(2).map(|w| (w[1] - w[0]) as usize).max().unwrap_or(0)
}

/// The first index in `low..=high` where `before` turns false; `before`
/// must be true then false along the spans, and false at `high` (which may
/// be the sentinel). `steps` is the widest bucket of the index used.
#[inline]
#[allow(
    clippy::arithmetic_side_effects,
    reason = "seconds and business totals inside the horizon (below 2^39); indices stay inside the span tables they index"
)]
fn search(spans: &[Span], low: usize, high: usize, steps: usize, before: impl Fn(&Span) -> bool) -> usize {
    if steps <= FIXED_SCAN_LIMIT {
        let mut i = low;
        for _ in 0..steps {
            i += usize::from(before(&spans[i]));
        }
        i
    } else {
        low + spans[low..high].partition_point(before)
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests compute expected values")]
mod tests {
    use super::*;

    fn table() -> Table {
        // Open [10, 20) and [30, 40) in a horizon [0, 3 days).
        Table::new(0, 3 * DAY, &[(10, 20), (30, 40), (DAY + 5, DAY + 10)])
    }

    #[test]
    fn positions_count_business_seconds() {
        let t = table();
        assert_eq!(t.position(0, 0), Pos::whole(0));
        assert_eq!(t.position(15, 5), Pos { secs: 5, nanos: 5 });
        assert_eq!(t.position(25, 7), Pos::whole(10));
        assert_eq!(t.position(40, 0), Pos::whole(20));
        assert_eq!(t.position(DAY + 7, 0), Pos::whole(22));
        assert_eq!(t.position(5 * DAY, 0), Pos::whole(25));
    }

    #[test]
    fn earliest_and_latest_differ_at_a_close() {
        let t = table();
        assert_eq!(t.earliest_at(Pos::whole(10)), Pos::whole(20));
        assert_eq!(t.latest_at(Pos::whole(10)), Pos::whole(30));
        assert_eq!(t.earliest_at(Pos { secs: 12, nanos: 3 }), Pos { secs: 32, nanos: 3 });
        assert_eq!(t.latest_at(Pos::whole(0)), Pos::whole(10));
    }
}

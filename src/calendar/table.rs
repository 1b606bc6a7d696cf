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
//! Both scans are bounded by the bucket's contents; when a bucket holds
//! more than a few intervals the scan becomes a binary search.

/// One open interval, `[start, end)` in UTC seconds, and the business
/// seconds in all intervals before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) start: i64,
    pub(crate) end: i64,
    pub(crate) before: i64,
}

impl Span {
    fn cumulative_end(&self) -> i64 {
        self.before + (self.end - self.start)
    }
}

const DAY: i64 = 86_400;
const LINEAR_SCAN_LIMIT: usize = 8;

/// A business-time position: whole seconds and the nanoseconds past them.
pub(crate) type Position = i128;
pub(crate) const NANOS: i128 = 1_000_000_000;

#[derive(Clone, Debug)]
pub(crate) struct Table {
    /// First second of the horizon.
    pub(crate) base: i64,
    /// First second after the horizon.
    pub(crate) limit: i64,
    pub(crate) spans: Vec<Span>,
    pub(crate) total: i64,
    by_day: Vec<u32>,
    bucket: i64,
    by_business: Vec<u32>,
}

impl Table {
    /// Builds the table from sorted, disjoint, non-adjacent, non-empty
    /// intervals inside `[base, limit)`.
    pub(crate) fn new(base: i64, limit: i64, intervals: &[(i64, i64)]) -> Table {
        let mut spans = Vec::with_capacity(intervals.len());
        let mut total = 0;
        for &(start, end) in intervals {
            spans.push(Span { start, end, before: total });
            total += end - start;
        }
        let days = ((limit - base) / DAY + 2) as usize;
        let by_day = bucket_index(days, &spans, |k| base + k as i64 * DAY, |s| s.end);
        let bucket = (total / spans.len().max(1) as i64).max(1);
        let buckets = (total / bucket + 2) as usize;
        let by_business = bucket_index(buckets, &spans, |k| k as i64 * bucket, Span::cumulative_end);
        Table { base, limit, spans, total, by_day, bucket, by_business }
    }

    /// Index of the first span that ends after `t`; `spans.len()` if none.
    /// `t` must be in `[base, limit)`.
    #[inline]
    pub(crate) fn locate(&self, t: i64) -> usize {
        let k = ((t - self.base) / DAY) as usize;
        let (low, high) = (self.by_day[k] as usize, self.by_day[k + 1] as usize);
        search(&self.spans, low, high, |s| s.end <= t)
    }

    /// Business seconds (with nanoseconds) in `[base, t)`, for `t` clamped to
    /// the horizon.
    #[inline]
    pub(crate) fn position(&self, seconds: i64, nanos: u32) -> Position {
        if seconds < self.base {
            return 0;
        }
        if seconds >= self.limit {
            return i128::from(self.total) * NANOS;
        }
        let i = self.locate(seconds);
        match self.spans.get(i) {
            Some(span) if span.start <= seconds => {
                i128::from(span.before + (seconds - span.start)) * NANOS + i128::from(nanos)
            }
            Some(span) => i128::from(span.before) * NANOS,
            None => i128::from(self.total) * NANOS,
        }
    }

    /// Index of the first span whose cumulative end is at least `target`
    /// (`strict`: greater than `target`).
    #[inline]
    fn find_business(&self, target: Position, strict: bool) -> usize {
        let whole = (target / NANOS) as i64;
        let k = (whole / self.bucket) as usize;
        let low = self.by_business[k.saturating_sub(1)] as usize;
        let high = self.by_business[(k + 1).min(self.by_business.len() - 1)] as usize;
        search(&self.spans, low, high, |s| {
            let end = i128::from(s.cumulative_end()) * NANOS;
            if strict { end <= target } else { end < target }
        })
    }

    /// The earliest instant (UTC nanoseconds) at which the business position
    /// is `target`, for `0 < target <= total`.
    pub(crate) fn earliest_at(&self, target: Position) -> i128 {
        let span = self.spans[self.find_business(target, false)];
        i128::from(span.start) * NANOS + (target - i128::from(span.before) * NANOS)
    }

    /// The latest instant at which the business position is `target`, for
    /// `0 <= target < total`.
    pub(crate) fn latest_at(&self, target: Position) -> i128 {
        let span = self.spans[self.find_business(target, true)];
        i128::from(span.start) * NANOS + (target - i128::from(span.before) * NANOS)
    }
}

/// `index[k]` = the first span `s` with `key(s) >= bound(k)`, for
/// `k in 0..count`; keys must be increasing.
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

/// The first index in `low..=high` (capped at `spans.len()`) where `before`
/// turns false; `before` must be true then false along the spans.
#[inline]
fn search(spans: &[Span], low: usize, high: usize, before: impl Fn(&Span) -> bool) -> usize {
    let high = high.min(spans.len());
    if high - low <= LINEAR_SCAN_LIMIT {
        let mut i = low;
        while i < high && before(&spans[i]) {
            i += 1;
        }
        i
    } else {
        low + spans[low..high].partition_point(before)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        // Open [10, 20) and [30, 40) in a horizon [0, 3 days).
        Table::new(0, 3 * DAY, &[(10, 20), (30, 40), (DAY + 5, DAY + 10)])
    }

    #[test]
    fn positions_count_business_seconds() {
        let t = table();
        assert_eq!(t.position(0, 0), 0);
        assert_eq!(t.position(15, 5), 5 * NANOS + 5);
        assert_eq!(t.position(25, 7), 10 * NANOS);
        assert_eq!(t.position(40, 0), 20 * NANOS);
        assert_eq!(t.position(DAY + 7, 0), 22 * NANOS);
        assert_eq!(t.position(5 * DAY, 0), 25 * NANOS);
    }

    #[test]
    fn earliest_and_latest_differ_at_a_close() {
        let t = table();
        assert_eq!(t.earliest_at(10 * NANOS), 20 * NANOS);
        assert_eq!(t.latest_at(10 * NANOS), 30 * NANOS);
        assert_eq!(t.earliest_at(12 * NANOS), 32 * NANOS);
        assert_eq!(t.latest_at(0), 10 * NANOS);
    }
}

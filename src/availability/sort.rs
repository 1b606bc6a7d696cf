//! Putting a million outages in start order fast: the sort is most of
//! what building a [`History`](super::History) from unordered input costs.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use super::history::Record;

/// What the first pass learns about the usable outages' starts.
#[derive(Clone, Copy, Debug)]
pub(super) struct StartRange {
    pub count: usize,
    pub min: i64,
    pub max: i64,
    pub in_order: bool,
}

impl Default for StartRange {
    fn default() -> StartRange {
        StartRange {
            count: 0,
            min: i64::MAX,
            max: i64::MIN,
            in_order: true,
        }
    }
}

impl StartRange {
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "counts and offsets of records in memory; start differences are taken with wrapping_sub into a u64, where they always fit"
    )]
    pub fn take(&mut self, start: i64) {
        self.in_order &= self.count == 0 || start >= self.max;
        self.count += 1;
        self.min = self.min.min(start);
        self.max = self.max.max(start);
    }
}

/// Below this many records a comparison sort is as fast.
const BUCKETED_FROM: usize = 1 << 14;
/// Coarse buckets: few enough that writing into all of them at once
/// streams through the cache, many enough that each fits in it.
const BUCKET_BITS: u32 = 10;

/// The records, built straight into start order (ties in any order).
///
/// `records` yields them in input order and is called twice. Large inputs
/// are distributed by the top bits of `start - min` into 1,024 buckets as
/// they are built (each bucket written front to back, so the writes stream
/// instead of landing at random in a large buffer), then each bucket,
/// small enough for the cache, is sorted by comparison. Clustered starts
/// only make some buckets large; the worst case stays `n log n`.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "counts and offsets of records in memory; start differences are taken with wrapping_sub into a u64, where they always fit"
)]
pub(super) fn sorted_by_start<I: Iterator<Item = Record>>(records: impl Fn() -> I, range: &StartRange) -> Vec<Record> {
    if range.count < BUCKETED_FROM {
        let mut all: Vec<Record> = records().collect();
        all.sort_unstable_by_key(|r| r.start);
        return all;
    }
    // `max - min` fits in a u64 whatever the signs.
    let span = range.max.wrapping_sub(range.min) as u64;
    let shift = (u64::BITS - span.leading_zeros()).saturating_sub(BUCKET_BITS);
    let bucket = |start: i64| (start.wrapping_sub(range.min) as u64 >> shift) as usize;
    let buckets = bucket(range.max) + 1;
    let mut next = vec![0usize; buckets];
    for r in records() {
        next[bucket(r.start)] += 1;
    }
    let mut bounds = Vec::with_capacity(buckets + 1);
    let mut sum = 0;
    bounds.push(0);
    for slot in &mut next {
        let size = *slot;
        *slot = sum;
        sum += size;
        bounds.push(sum);
    }
    let filler = Record {
        start: 0,
        end: 0,
        units: 0,
        index: 0,
    };
    let mut sorted = vec![filler; sum];
    for r in records() {
        let slot = &mut next[bucket(r.start)];
        sorted[*slot] = r;
        *slot += 1;
    }
    let mut scratch = BucketScratch::default();
    for pair in bounds.windows(2) {
        scratch.sort(&mut sorted[pair[0]..pair[1]]);
    }
    sorted
}

/// Buffers for sorting one coarse bucket, reused across buckets.
#[derive(Default)]
struct BucketScratch {
    ends: Vec<u32>,
    moved: Vec<Record>,
}

impl BucketScratch {
    /// Sorts a slice that fits in the cache: a counting pass on the bits
    /// below the coarse bucket's, about one sub-bucket per record, then an
    /// insertion sort inside each (a comparison sort where one is large).
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "counts and offsets of records in memory; start differences are taken with wrapping_sub into a u64, where they always fit"
    )]
    fn sort(&mut self, records: &mut [Record]) {
        let m = records.len();
        if m <= 16 {
            insertion_sort(records);
            return;
        }
        let min = records.iter().map(|r| r.start).min().unwrap_or(0);
        let max = records.iter().map(|r| r.start).max().unwrap_or(0);
        let span = max.wrapping_sub(min) as u64;
        let bits = m.next_power_of_two().trailing_zeros();
        let shift = (u64::BITS - span.leading_zeros()).saturating_sub(bits);
        let bucket = |start: i64| (start.wrapping_sub(min) as u64 >> shift) as usize;
        let buckets = bucket(max) + 1;
        self.ends.clear();
        self.ends.resize(buckets + 1, 0);
        for r in records.iter() {
            self.ends[bucket(r.start) + 1] += 1;
        }
        for b in 1..=buckets {
            self.ends[b] += self.ends[b - 1];
        }
        self.moved.clear();
        self.moved.extend_from_slice(records);
        for r in &self.moved {
            let slot = &mut self.ends[bucket(r.start)];
            records[*slot as usize] = *r;
            *slot += 1;
        }
        // After the scatter ends[b] is where bucket b ends.
        let mut from = 0;
        for &end in &self.ends[..buckets] {
            let end = end as usize;
            match end - from {
                0 | 1 => {}
                2..=16 => insertion_sort(&mut records[from..end]),
                _ => records[from..end].sort_unstable_by_key(|r| r.start),
            }
            from = end;
        }
    }
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "counts and offsets of records in memory; start differences are taken with wrapping_sub into a u64, where they always fit"
)]
fn insertion_sort(records: &mut [Record]) {
    for i in 1..records.len() {
        let mut j = i;
        while j > 0 && records[j - 1].start > records[j].start {
            records.swap(j - 1, j);
            j -= 1;
        }
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests compute expected values")]
mod tests {
    use super::*;

    /// A xorshift generator, so the cases are the same on every run.
    fn rng(seed: u64) -> impl FnMut() -> u64 {
        let mut x = seed;
        move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        }
    }

    fn check(starts: Vec<i64>) {
        let records: Vec<Record> = starts
            .iter()
            .enumerate()
            .map(|(i, &start)| Record {
                start,
                end: start,
                units: 1,
                index: i as u32,
            })
            .collect();
        let mut range = StartRange::default();
        for r in &records {
            range.take(r.start);
        }
        let sorted = sorted_by_start(|| records.iter().copied(), &range);
        assert!(sorted.is_sorted_by_key(|r| r.start));
        // A permutation: every record once.
        let mut seen = vec![false; records.len()];
        for r in &sorted {
            assert!(!std::mem::replace(&mut seen[r.index as usize], true));
            assert_eq!(records[r.index as usize], *r);
        }
        assert_eq!(sorted.len(), records.len());
    }

    #[test]
    fn spread_starts_are_sorted() {
        let mut next = rng(0x9E37_79B9_7F4A_7C15);
        check(
            (0..100_000)
                .map(|_| (next() % 1_600_000_000_000_000_000) as i64)
                .collect(),
        );
    }

    #[test]
    fn clustered_and_extreme_starts_are_sorted() {
        // Most starts on a handful of instants (one huge bucket each), plus
        // the extremes of the range, so the span needs all 64 bits.
        let mut next = rng(42);
        let mut starts: Vec<i64> = (0..60_000).map(|_| [0, 1, 7, 1_000][(next() % 4) as usize]).collect();
        starts.extend((0..30_000).map(|_| next() as i64));
        starts.extend([i64::MIN, i64::MAX, i64::MIN + 1, -1]);
        check(starts);
    }

    #[test]
    fn small_inputs_take_the_comparison_sort() {
        check(vec![5, 3, 3, -2, 9]);
        check(Vec::new());
    }
}

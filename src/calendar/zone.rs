//! The calendar's view of its IANA zone: the UTC offset as a step function
//! of the instant, and the mapping from local wall-clock ranges to UTC
//! intervals, both exact to the second.
//!
//! chrono-tz does not expose its transition table, so the offset steps are
//! found by sampling the offset every [`SAMPLE_STEP`] seconds and bisecting
//! between samples that differ. An offset change that is undone within one
//! sampling step would be missed: in the tz data chrono-tz ships (0.10.4,
//! 597 zones, 1800-2100), the shortest stretch between a change and its
//! undoing is 167 hours (America/Noronha in October 2000, and the predicted
//! Ramadan suspensions of Asia/Gaza), seven times the step. The unit test
//! `sampled_steps_match_chrono_tz_hourly` checks zones with the shortest
//! stretches and the unusual offsets against chrono-tz every hour, and the
//! property tests check business time against a minute-by-minute oracle.
//!
//! Sampling costs about 45 ns per sample, so the steps of each zone are
//! sampled once per block of [`BLOCK_SECONDS`] and kept for the life of the
//! process ([`OffsetSteps::of`]): building many calendars in one zone, or
//! one calendar many times, samples each block once. The cache holds at
//! most one entry per zone and block (a few hundred bytes each) and is a
//! memo only: a calendar is the same whether its blocks came from it or not.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use chrono::{DateTime, LocalResult, NaiveDateTime, Offset, TimeZone};
use chrono_tz::Tz;

use crate::error::{Detail, Error, Result};

/// Seconds between two offset samples: a day (see the module docs for why
/// that is safe).
pub(crate) const SAMPLE_STEP: i64 = 86_400;

/// Seconds in one cached block of a zone's offset steps (2^29 s, about 17
/// years): a calendar's horizon of a few years samples one or two blocks.
pub(crate) const BLOCK_SECONDS: i64 = 1 << 29;

/// Larger than any UTC offset chrono can represent (under 24 h).
pub(crate) const MAX_OFFSET: i64 = 86_400;

/// How a local wall-clock time that a clock change skips or repeats is
/// turned into an instant, like jiff's `tz::Disambiguation`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum Disambiguation {
    /// In a fold, the earlier instant; in a gap, the time is moved forward by
    /// the length of the gap (02:30 in a 02:00-03:00 gap gives 03:30). This
    /// is RFC 5545's and Temporal's rule.
    #[default]
    Compatible,
    /// The earlier of the two instants in a fold; in a gap, the instant read
    /// with the offset after the change (02:30 gives 01:30).
    Earlier,
    /// The later of the two instants in a fold; in a gap, the instant read
    /// with the offset before the change (02:30 gives 03:30).
    Later,
    /// An error for any time in a gap or a fold.
    Reject,
}

/// UTC offsets as a step function: span `k` covers `[starts[k], starts[k+1])`
/// with offset `offsets[k]` seconds (local = utc + offset).
#[derive(Clone, Debug)]
pub(crate) struct OffsetSteps {
    starts: Vec<i64>,
    offsets: Vec<i64>,
}

pub(crate) fn offset_at(tz: Tz, utc_seconds: i64) -> i64 {
    match DateTime::from_timestamp(utc_seconds, 0) {
        Some(at) => i64::from(tz.offset_from_utc_datetime(&at.naive_utc()).fix().local_minus_utc()),
        None => 0,
    }
}

/// The sampled steps of one block: the offset at its start and the changes
/// in `(start, end]`.
#[derive(Debug)]
struct Block {
    first_offset: i64,
    changes: Vec<(i64, i64)>,
}

type BlockCache = Mutex<HashMap<(Tz, i64), Arc<Block>>>;

fn block_cache() -> &'static BlockCache {
    static CACHE: OnceLock<BlockCache> = OnceLock::new();
    CACHE.get_or_init(BlockCache::default)
}

#[allow(
    clippy::arithmetic_side_effects,
    reason = "block numbers of seconds within the years 1 to 9999 (below 2^39), widened by two days and a UTC offset: below 2^11"
)]
fn block(tz: Tz, number: i64) -> Arc<Block> {
    let cache = block_cache();
    if let Some(found) = cache.lock().unwrap_or_else(PoisonError::into_inner).get(&(tz, number)) {
        return Arc::clone(found);
    }
    // Sampled outside the lock: two threads may sample the same block, and
    // both get the same steps.
    let start = number * BLOCK_SECONDS;
    let sampled = OffsetSteps::sample(tz, start, start + BLOCK_SECONDS);
    let block = Arc::new(Block {
        first_offset: sampled.offsets[0],
        changes: sampled.starts[1..]
            .iter()
            .copied()
            .zip(sampled.offsets[1..].iter().copied())
            .collect(),
    });
    let mut blocks = cache.lock().unwrap_or_else(PoisonError::into_inner);
    Arc::clone(blocks.entry((tz, number)).or_insert(block))
}

impl OffsetSteps {
    /// The offset steps of `tz` over at least `[from, to)` (UTC seconds),
    /// from the process-wide cache of sampled blocks; exact over the whole
    /// blocks that cover the range. The first span reaches back to
    /// `i64::MIN` and the last forward to `i64::MAX`.
    pub(crate) fn of(tz: Tz, from: i64, to: i64) -> OffsetSteps {
        let (first, last) = (from.div_euclid(BLOCK_SECONDS), to.div_euclid(BLOCK_SECONDS));
        let mut steps = OffsetSteps {
            starts: vec![i64::MIN],
            offsets: vec![block(tz, first).first_offset],
        };
        for number in first..=last {
            let block = block(tz, number);
            if number > first {
                steps.push(number.saturating_mul(BLOCK_SECONDS), block.first_offset);
            }
            for &(start, offset) in &block.changes {
                steps.push(start, offset);
            }
        }
        steps
    }

    /// Appends a span starting at `start`, unless it continues the last
    /// one's offset (a change at a block's end is also the next block's
    /// starting offset).
    fn push(&mut self, start: i64, offset: i64) {
        if self.offsets.last() != Some(&offset) {
            self.starts.push(start);
            self.offsets.push(offset);
        }
    }

    /// The offset steps of `tz` over `[from, to)` (UTC seconds); the first
    /// span reaches back to `i64::MIN` and the last forward to `i64::MAX`.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "seconds within the years 1 to 9999 (below 2^39), widened by at most two days and a UTC offset below a day"
    )]
    fn sample(tz: Tz, from: i64, to: i64) -> OffsetSteps {
        let mut starts = vec![i64::MIN];
        let mut offsets = vec![offset_at(tz, from)];
        let mut previous = from;
        while previous < to {
            let next = (previous + SAMPLE_STEP).min(to);
            let offset = offset_at(tz, next);
            if offset != *offsets.last().expect("never empty") {
                let change = first_change(tz, previous, next, *offsets.last().expect("never empty"));
                starts.push(change);
                offsets.push(offset_at(tz, change));
                if offset_at(tz, change) != offset {
                    // Two changes in one step: resample the rest of it.
                    previous = change;
                    continue;
                }
            }
            previous = next;
        }
        OffsetSteps { starts, offsets }
    }

    /// Number of spans.
    pub(crate) fn len(&self) -> usize {
        self.starts.len()
    }

    #[allow(
        clippy::arithmetic_side_effects,
        reason = "seconds within the years 1 to 9999 (below 2^39), widened by at most two days and a UTC offset below a day"
    )]
    fn span(&self, k: usize) -> (i64, i64, i64) {
        let end = self.starts.get(k + 1).copied().unwrap_or(i64::MAX);
        (self.starts[k], end, self.offsets[k])
    }

    /// The first instant whose local time is at or after `local`.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "seconds within the years 1 to 9999 (below 2^39), widened by at most two days and a UTC offset below a day"
    )]
    pub(crate) fn first_instant_at_or_after(&self, local: i64) -> i64 {
        for k in 0..self.len() {
            let (start, end, offset) = self.span(k);
            let candidate = start.max(local - offset);
            if candidate < end {
                return candidate;
            }
        }
        i64::MAX
    }

    /// Appends to `out` the UTC intervals of the instants whose local time
    /// is in `[local_start, local_end)`, in increasing order. `cursor` is a
    /// span index that only moves forward across calls with increasing
    /// `local_start`.
    #[allow(
        clippy::arithmetic_side_effects,
        reason = "seconds within the years 1 to 9999 (below 2^39), widened by at most two days and a UTC offset below a day"
    )]
    pub(crate) fn local_range_to_utc(
        &self,
        cursor: &mut usize,
        local_start: i64,
        local_end: i64,
        out: &mut Vec<(i64, i64)>,
    ) {
        while *cursor + 1 < self.len() && self.starts[*cursor + 1] <= local_start - MAX_OFFSET {
            *cursor += 1;
        }
        let mut k = *cursor;
        while k < self.len() {
            let (start, end, offset) = self.span(k);
            if start >= local_end + MAX_OFFSET {
                break;
            }
            let piece_start = start.max(local_start - offset);
            let piece_end = end.min(local_end - offset);
            if piece_start < piece_end {
                out.push((piece_start, piece_end));
            }
            k += 1;
        }
    }
}

/// The first instant in `(low, high]` whose offset differs from `before`,
/// given that `high`'s does.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "seconds within the years 1 to 9999 (below 2^39), widened by at most two days and a UTC offset below a day"
)]
fn first_change(tz: Tz, mut low: i64, mut high: i64, before: i64) -> i64 {
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if offset_at(tz, mid) == before {
            low = mid;
        } else {
            high = mid;
        }
    }
    high
}

/// The instant for local wall-clock time `local` in `tz`, with a time in a
/// DST gap or fold settled by `rule`: how naive local timestamps of an
/// export become instants.
///
/// ```
/// use chrono::NaiveDate;
/// use servicelevel::calendar::{Disambiguation, resolve_local};
/// let berlin = chrono_tz::Europe::Berlin;
/// // 2025-10-26 02:30 happens twice in Berlin (the clocks go back at 03:00).
/// let local = NaiveDate::from_ymd_opt(2025, 10, 26).unwrap().and_hms_opt(2, 30, 0).unwrap();
/// let earlier = resolve_local(berlin, local, Disambiguation::Earlier)?;
/// let later = resolve_local(berlin, local, Disambiguation::Later)?;
/// assert_eq!(earlier.to_rfc3339(), "2025-10-26T00:30:00+00:00");
/// assert_eq!(later.to_rfc3339(), "2025-10-26T01:30:00+00:00");
/// assert!(resolve_local(berlin, local, Disambiguation::Reject).is_err());
/// # Ok::<(), servicelevel::Error>(())
/// ```
///
/// # Errors
///
/// [`ErrorKind::NonexistentLocalTime`](crate::ErrorKind::NonexistentLocalTime)
/// or [`ErrorKind::AmbiguousLocalTime`](crate::ErrorKind::AmbiguousLocalTime)
/// under [`Disambiguation::Reject`], and the former for a time past the
/// range instants can take.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "seconds within the years 1 to 9999 (below 2^39), widened by at most two days and a UTC offset below a day"
)]
pub fn resolve_local(tz: Tz, local: NaiveDateTime, rule: Disambiguation) -> Result<DateTime<chrono::Utc>> {
    let reject_gap = || {
        Error::from(Detail::NonexistentLocalTime {
            local,
            time_zone: tz.name().into(),
        })
    };
    match tz.from_local_datetime(&local) {
        LocalResult::Single(at) => Ok(at.to_utc()),
        LocalResult::Ambiguous(early, late) => match rule {
            Disambiguation::Compatible | Disambiguation::Earlier => Ok(early.to_utc()),
            Disambiguation::Later => Ok(late.to_utc()),
            Disambiguation::Reject => Err(Error::from(Detail::AmbiguousLocalTime {
                local,
                time_zone: tz.name().into(),
            })),
        },
        LocalResult::None => {
            let local_seconds = local.and_utc().timestamp();
            // Around the gap: the offset before it is the one a day earlier,
            // the offset after it the one a day later.
            let before = offset_at(tz, local_seconds - MAX_OFFSET);
            let after = offset_at(tz, local_seconds + MAX_OFFSET);
            let seconds = match rule {
                Disambiguation::Compatible | Disambiguation::Later => local_seconds - before,
                Disambiguation::Earlier => local_seconds - after,
                Disambiguation::Reject => return Err(reject_gap()),
            };
            let at =
                DateTime::from_timestamp(seconds, local.and_utc().timestamp_subsec_nanos()).ok_or_else(reject_gap)?;
            Ok(at)
        }
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, reason = "tests compute expected values")]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
            .and_utc()
            .timestamp()
    }

    #[test]
    fn finds_berlin_transitions_to_the_second() {
        let steps = OffsetSteps::sample(chrono_tz::Europe::Berlin, utc(2025, 1, 1, 0, 0), utc(2026, 1, 1, 0, 0));
        assert_eq!(steps.starts[1..], [utc(2025, 3, 30, 1, 0), utc(2025, 10, 26, 1, 0)]);
        assert_eq!(steps.offsets, [3600, 7200, 3600]);
        // The cached form covers whole blocks: the same changes in 2025.
        let cached = OffsetSteps::of(chrono_tz::Europe::Berlin, utc(2025, 1, 1, 0, 0), utc(2026, 1, 1, 0, 0));
        let in_2025: Vec<_> = (0..cached.len())
            .map(|k| cached.span(k))
            .filter(|&(start, _, _)| (utc(2025, 1, 1, 0, 0)..utc(2026, 1, 1, 0, 0)).contains(&start))
            .map(|(start, _, offset)| (start, offset))
            .collect();
        assert_eq!(
            in_2025,
            [(utc(2025, 3, 30, 1, 0), 7200), (utc(2025, 10, 26, 1, 0), 3600)]
        );
    }

    #[test]
    fn sampled_steps_match_chrono_tz_hourly() {
        use chrono_tz::{Africa, America, Antarctica, Asia, Australia, Europe, Pacific};
        // Zones with unusual offsets, and those with the shortest stretches
        // between a change and its undoing in the tz data (167 hours:
        // Noronha and Recife in 2000, Gaza and Hebron's predicted Ramadan
        // suspensions, Casablanca's).
        let zones = [
            America::Noronha,
            America::Recife,
            Asia::Gaza,
            Asia::Hebron,
            Africa::Casablanca,
            Europe::Moscow,
            America::New_York,
            Europe::London,
            Europe::Dublin,
            Australia::Lord_Howe,
            Pacific::Chatham,
            Asia::Kolkata,
            America::St_Johns,
            Antarctica::Troll,
            Pacific::Apia,
            America::Sao_Paulo,
        ];
        let (from, to) = (utc(1970, 1, 1, 0, 0), utc(2100, 1, 1, 0, 0));
        for tz in zones {
            assert_matches_chrono_tz(tz, &OffsetSteps::of(tz, from, to), from, to, 3600);
        }
    }

    /// Checks `steps` against chrono-tz at every `every` seconds of `[from, to)`.
    fn assert_matches_chrono_tz(tz: Tz, steps: &OffsetSteps, from: i64, to: i64, every: i64) {
        let mut k = 0;
        let mut t = from;
        while t < to {
            while k + 1 < steps.len() && steps.starts[k + 1] <= t {
                k += 1;
            }
            assert_eq!(steps.offsets[k], offset_at(tz, t), "{} at {t}", tz.name());
            t += every;
        }
    }

    /// The premise of the day-long sampling step, on every zone chrono-tz
    /// has: sampling every six hours finds no change the daily samples miss.
    #[test]
    fn daily_sampling_misses_no_change_in_any_zone() {
        let (from, to) = (utc(1970, 1, 1, 0, 0), utc(2100, 1, 1, 0, 0));
        for &tz in chrono_tz::TZ_VARIANTS.iter() {
            assert_matches_chrono_tz(tz, &OffsetSteps::sample(tz, from, to), from, to, 6 * 3600);
        }
    }

    #[test]
    fn a_fold_window_maps_to_both_passes() {
        // 01:30-03:00 local on 2025-10-26 Berlin: 02:00-03:00 happens twice,
        // 01:30-02:00 once.
        let steps = OffsetSteps::sample(
            chrono_tz::Europe::Berlin,
            utc(2025, 10, 1, 0, 0),
            utc(2025, 11, 1, 0, 0),
        );
        let mut out = Vec::new();
        let mut cursor = 0;
        steps.local_range_to_utc(&mut cursor, utc(2025, 10, 26, 1, 30), utc(2025, 10, 26, 3, 0), &mut out);
        assert_eq!(
            out,
            vec![
                (utc(2025, 10, 25, 23, 30), utc(2025, 10, 26, 1, 0)),
                (utc(2025, 10, 26, 1, 0), utc(2025, 10, 26, 2, 0))
            ]
        );
    }

    #[test]
    fn gap_times_resolve_by_rule() {
        let tz = chrono_tz::Europe::Berlin;
        let local = NaiveDate::from_ymd_opt(2025, 3, 30)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        let at = |rule| resolve_local(tz, local, rule).map(|t| t.timestamp());
        assert_eq!(at(Disambiguation::Compatible), Ok(utc(2025, 3, 30, 1, 30)));
        assert_eq!(at(Disambiguation::Earlier), Ok(utc(2025, 3, 30, 0, 30)));
        assert!(
            resolve_local(tz, local, Disambiguation::Reject)
                .unwrap_err()
                .is_local_time()
        );
    }
}

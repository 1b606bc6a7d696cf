//! The hash of a row's texts that finds repeated rows: every column, eight
//! bytes at a time.
//!
//! Each row is hashed in full (a ServiceNow export has 36 columns), and
//! std's SipHash was a sixth of a whole review's instructions doing it
//! (DESIGN.md, "A third round"). This is the folded multiply at the core of
//! foldhash and wyhash: each word is mixed into the state by a 64 x 64 ->
//! 128-bit product whose two halves are xored. It is not keyed, and need
//! not be: the hash only picks the earlier row to compare with, the rows
//! are then compared in every column the profile uses
//! ([`RawRow`](super::assemble::RawRow)), and the map it goes into hashes
//! it again with std's keyed hasher. A crafted collision can at most make
//! a row that reads the same as an earlier one in every column the profile
//! uses (instant and order included) count as its repeat, as an exact
//! repeat would; `DefaultHasher::new()`, which this replaced, has a fixed
//! key and gave no more protection.

/// Odd 64-bit constants (the fractional digits of pi, as in foldhash).
const MULTIPLE: u64 = 0x243f_6a88_85a3_08d3;
const SEEDS: [u64; 2] = [0x1319_8a2e_0370_7344, 0xa409_3822_299f_31d0];

#[inline(always)]
fn folded_multiply(a: u64, b: u64) -> u64 {
    let full = u128::from(a).wrapping_mul(u128::from(b));
    // The two halves of the 128-bit product.
    (full as u64) ^ ((full >> 64) as u64)
}

/// The hash of a row's texts, in order. Words go to two lanes in turn, so
/// that two multiplications are in flight at once (one lane is a chain of
/// dependent multiplications: the first version, one lane fed through
/// `std::hash::Hash`, ran slower than SipHash with fewer instructions).
/// Each text ends with a word holding its last bytes and its length, so
/// `["ab", "c"]` and `["a", "bc"]` differ.
#[allow(clippy::arithmetic_side_effects, reason = "a byte's shift within a word: i < 7")]
pub(super) fn hash_row(texts: &[&str]) -> u64 {
    let mut lanes = SEEDS;
    let mut turn = 0;
    let mut mix = |word: u64| {
        lanes[turn] = folded_multiply(lanes[turn] ^ word, MULTIPLE);
        turn ^= 1;
    };
    mix(texts.len() as u64);
    for text in texts {
        let bytes = text.as_bytes();
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            mix(u64::from_le_bytes(word));
        }
        // At most seven bytes: the top byte is free for the length.
        let tail = chunks
            .remainder()
            .iter()
            .enumerate()
            .fold(0u64, |word, (i, &b)| word | u64::from(b) << (8 * i));
        mix(tail ^ (bytes.len() as u64).rotate_right(8));
    }
    folded_multiply(lanes[0] ^ lanes[1].rotate_left(32), MULTIPLE)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn hash(texts: &[&str]) -> u64 {
        hash_row(texts)
    }

    #[test]
    fn rows_that_differ_anywhere_hash_apart() {
        let row = ["INC0000045", "New", "true", "0", "2/29/2016 1:16", "Caller 2403", ""];
        let base = hash(&row);
        assert_eq!(base, hash(&row), "deterministic");
        // One byte changed in any column, a column moved, texts re-split.
        let mut seen = HashSet::from([base]);
        for column in 0..row.len() {
            let mut text = row[column].to_string();
            text.push('x');
            let mut changed = row;
            changed[column] = &text;
            assert!(seen.insert(hash(&changed)), "column {column}");
        }
        assert!(seen.insert(hash(&[
            "INC000004",
            "5New",
            "true",
            "0",
            "2/29/2016 1:16",
            "Caller 2403",
            ""
        ])));
        assert!(seen.insert(hash(&row[..6])));
        assert!(seen.insert(hash(&["", ""])));
        assert!(seen.insert(hash(&[""])));
        assert!(seen.insert(hash(&[])));
    }

    #[test]
    fn a_million_distinct_rows_do_not_collide() {
        let mut seen = HashSet::new();
        for n in 0..1_000_000u32 {
            let id = format!("INC{n:07}");
            assert!(seen.insert(hash(&[&id, "Active", "2/29/2016 1:16"])), "{id}");
        }
    }
}

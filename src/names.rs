//! Cheap-to-clone names: ticket ids, field names, field values, action,
//! policy and service ids (a foundation: imports nothing of the crate). Each is a shared string, so cloning one into many events or results
//! costs a reference count, not an allocation.

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use std::fmt;
use std::sync::Arc;

/// Byte equality without a call to `memcmp`: names are short, and most
/// comparisons fail on the length.
#[inline]
fn short_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// Whether two texts of one length (at least eight bytes) whose first
/// seven bytes are equal are equal: one word compare up to 15 bytes (the
/// last eight overlap the first seven), a byte loop past that; never a
/// call to `memcmp`, which costs more than these names take to compare.
#[inline]
#[allow(
    clippy::arithmetic_side_effects,
    reason = "callers pass texts of one length, at least eight bytes"
)]
fn tail_eq(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n <= 15 && b.len() == n {
        let last = |x: &[u8]| {
            let mut word = [0u8; 8];
            word.copy_from_slice(&x[n - 8..]);
            u64::from_ne_bytes(word)
        };
        return last(a) == last(b);
    }
    short_eq(&a[7..], &b[7..])
}

/// Byte order of two texts from their [`key_of`] keys where those decide
/// it. The key's bytes, read most significant first, are the text's first
/// seven bytes padded with zeros: where they differ they order the texts
/// (a shorter text is a prefix of the other up to there, and so before
/// it); where they agree and both texts are shorter than eight bytes, the
/// shorter is a prefix of the longer; otherwise the texts are compared.
#[inline]
fn prefix_then_text(a_key: u64, a: &str, b_key: u64, b: &str) -> std::cmp::Ordering {
    let bytes = |key: u64| (key & 0x00ff_ffff_ffff_ffff).swap_bytes();
    match bytes(a_key).cmp(&bytes(b_key)) {
        std::cmp::Ordering::Equal if a.len() < 8 && b.len() < 8 => a.len().cmp(&b.len()),
        std::cmp::Ordering::Equal => a.cmp(b),
        unequal => unequal,
    }
}

/// The first seven bytes of a text and its length (saturated at 255), in
/// one word: texts with different keys differ, and texts of up to seven
/// bytes are equal exactly when their keys are.
#[inline]
#[allow(clippy::arithmetic_side_effects, reason = "shifts of a byte within a word")]
fn key_of(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let mut key = (bytes.len().min(255) as u64) << 56;
    for (i, &b) in bytes.iter().take(7).enumerate() {
        key |= u64::from(b) << (8 * i);
    }
    key
}

macro_rules! shared_name {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name {
            text: Arc<str>,
            /// [`key_of`] the text: most comparisons are settled by it.
            key: u64,
        }

        impl $name {
            /// Makes one from text.
            pub fn new(text: &str) -> $name {
                $name::from_arc(Arc::from(text))
            }

            fn from_arc(text: Arc<str>) -> $name {
                $name { key: key_of(&text), text }
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.text
            }
        }

        impl PartialEq for $name {
            #[inline]
            fn eq(&self, other: &$name) -> bool {
                // The key settles texts of up to seven bytes and most
                // others; names usually come from one place (a policy or a
                // parser's interner), so the pointer check settles the rest.
                self.key == other.key
                    && (self.text.len() < 8
                        || Arc::ptr_eq(&self.text, &other.text)
                        || tail_eq(self.text.as_bytes(), other.text.as_bytes()))
            }
        }

        impl Eq for $name {}

        impl PartialOrd for $name {
            fn partial_cmp(&self, other: &$name) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $name {
            /// The texts' byte order, settled by the keys where their
            /// first seven bytes differ (no call to `memcmp`, which a
            /// map of team or group names otherwise pays at every step).
            #[inline]
            fn cmp(&self, other: &$name) -> std::cmp::Ordering {
                prefix_then_text(self.key, &self.text, other.key, &other.text)
            }
        }

        impl std::hash::Hash for $name {
            // Hashes the text, as equality compares it.
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.text.hash(state)
            }
        }

        impl PartialEq<str> for $name {
            #[inline]
            fn eq(&self, other: &str) -> bool {
                short_eq(self.text.as_bytes(), other.as_bytes())
            }
        }

        #[cfg(feature = "serde")]
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.text)
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
                Ok($name::new(&text))
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> $name {
                $name::new(text)
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> $name {
                $name::from_arc(Arc::from(text))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.text)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&*self.text, f)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.text
            }
        }
    };
}

shared_name!(
    /// A ticket's id, as the source system writes it (`INC0000045`).
    TicketId
);
shared_name!(
    /// The name of a ticket field: `status`, `priority`, `assignment_group`,
    /// or any other; the set is open.
    Field
);
shared_name!(
    /// A field's value, as text (`resolved`, `1 - Critical`). Instants kept
    /// in fields (a retroactive start) are RFC 3339 text.
    Value
);
shared_name!(
    /// The name of something that happened to a ticket without changing a
    /// field: `agent_reply`, `customer_reply`, `internal_note`; the set is
    /// open.
    Action
);
shared_name!(
    /// A policy's id (`servicenow-resolution`, `ola-network`).
    PolicyId
);
shared_name!(
    /// A service's id in a catalog (`email`, `payroll`).
    ServiceId
);

#[cfg(test)]
mod tests {
    use super::{Field, Value, short_eq};

    #[test]
    fn names_are_equal_exactly_when_their_texts_are() {
        // Keys share the first seven bytes and the length, so the pairs
        // that matter differ after byte 7, or only in length, or are long.
        let long = "x".repeat(300);
        let texts = [
            "",
            "a",
            "new",
            "on_hold",
            "on_hol",
            "resolved",
            "resolvee",
            "in_progress",
            "in_progresx",
            "abcdefg",
            "abcdefgh",
            "abcdefgi",
            &long,
            &long[1..],
            &long[..299],
        ];
        for a in texts {
            for b in texts {
                assert_eq!(Value::new(a) == Value::new(b), a == b, "{a:?} and {b:?}");
                assert_eq!(Value::new(a).cmp(&Value::new(b)), a.cmp(b));
            }
        }
    }

    proptest::proptest! {
        /// Names order as their texts do, on texts that share long
        /// prefixes, hold NUL bytes and straddle the key's seven bytes.
        #[test]
        fn names_order_as_their_texts(
            a in proptest::collection::vec(proptest::sample::select(vec![0u8, b'a', b'b', 0xff]), 0..12),
            b in proptest::collection::vec(proptest::sample::select(vec![0u8, b'a', b'b', 0xff]), 0..12),
        ) {
            let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
            let (a, b) = (text(&a), text(&b));
            proptest::prop_assert_eq!(Value::new(&a).cmp(&Value::new(&b)), a.cmp(&b));
            proptest::prop_assert_eq!(Value::new(&a) == Value::new(&b), a == b);
        }
    }

    #[test]
    fn every_byte_of_every_length_counts() {
        // Every length across the key's seven bytes and the one-word tail,
        // each byte flipped in turn, from distinct allocations.
        let text = "abcdefghijklmnopqrstuvwxyz0123456789";
        for n in 0..text.len() {
            let a = Field::new(&text[..n]);
            assert_eq!(a, Field::new(&text[..n]), "length {n}");
            for i in 0..n {
                let mut b = text.as_bytes()[..n].to_vec();
                b[i] ^= 1;
                let b = Field::new(std::str::from_utf8(&b).unwrap());
                assert_ne!(a, b, "length {n}, byte {i}");
            }
            assert_ne!(a, Field::new(&text[..n + 1]));
        }
    }

    #[test]
    fn short_eq_is_byte_equality_at_every_length() {
        let text = b"abcdefghijklmnopqrstuvwxyz0123456789";
        for n in 0..text.len() {
            let a = &text[..n];
            assert!(short_eq(a, a));
            for i in 0..n {
                let mut b = a.to_vec();
                b[i] ^= 1;
                assert!(!short_eq(a, &b), "length {n}, byte {i}");
            }
            assert!(!short_eq(a, &text[..n + 1]));
        }
    }
}

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

macro_rules! shared_name {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Eq, PartialOrd, Ord)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[cfg_attr(feature = "serde", serde(transparent))]
        pub struct $name(Arc<str>);

        impl $name {
            /// Makes one from text.
            pub fn new(text: &str) -> $name {
                $name(Arc::from(text))
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq for $name {
            #[inline]
            fn eq(&self, other: &$name) -> bool {
                // Names usually come from one place (a policy or a parser's
                // interner), so the pointer check settles most comparisons.
                Arc::ptr_eq(&self.0, &other.0) || short_eq(self.0.as_bytes(), other.0.as_bytes())
            }
        }

        impl std::hash::Hash for $name {
            // Hashes the text, as equality compares it.
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                self.0.hash(state)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                short_eq(self.0.as_bytes(), other.as_bytes())
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> $name {
                $name::new(text)
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> $name {
                $name(Arc::from(text))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&*self.0, f)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
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

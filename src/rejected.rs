//! The crate's own errors raised while deserialising, kept so that
//! [`Error::from_deserialize`] can return them typed.
//!
//! A deserialiser carries a rejected value's error as text (serde's
//! `Error::custom`), so its kind, field and input would be lost at the
//! first serde form. Every rejection inside this crate goes through
//! [`reject`], which, while a [`Error::from_deserialize`] call is running
//! on this thread, also keeps the error itself.

use std::cell::{Cell, RefCell};
use std::fmt;

use crate::error::{Detail, Error};

thread_local! {
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static REJECTED: RefCell<Option<Error>> = const { RefCell::new(None) };
}

/// The serde error for a value this crate rejects, keeping the error for
/// a running [`Error::from_deserialize`].
pub(crate) fn reject<E: serde::de::Error>(error: Error) -> E {
    if CAPTURING.with(Cell::get) {
        // The last rejection is the one that surfaces: serde stops at it,
        // and an untagged enum's earlier attempts were followed by others.
        REJECTED.with(|kept| *kept.borrow_mut() = Some(error.clone()));
    }
    E::custom(error)
}

/// Deserialises a type with a validating `TryFrom` (`#[serde(try_from)]`
/// does the same, but through `Error::custom` alone).
macro_rules! deserialize_through {
    ($type:ty, $form:ty) => {
        impl<'de> serde::Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
                let form = <$form as serde::Deserialize>::deserialize(deserializer)?;
                <$type>::try_from(form).map_err(crate::rejected::reject)
            }
        }
    };
}
pub(crate) use deserialize_through;

/// Restores the capture state of an outer call, even on unwind.
struct Capture {
    was_capturing: bool,
    outer: Option<Error>,
}

impl Capture {
    fn start() -> Capture {
        Capture {
            was_capturing: CAPTURING.with(|c| c.replace(true)),
            outer: REJECTED.with(|kept| kept.borrow_mut().take()),
        }
    }

    fn finish(self) -> Option<Error> {
        REJECTED.with(|kept| kept.borrow_mut().take())
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        CAPTURING.with(|c| c.set(self.was_capturing));
        REJECTED.with(|kept| *kept.borrow_mut() = self.outer.take());
    }
}

impl Error {
    /// Runs a deserialisation and returns this crate's own error when it
    /// fails: the kind, field path and offending input of the value that
    /// was rejected (an unknown zone, an overlapping window, a malformed
    /// duration), however deep in the form it was.
    ///
    /// A deserialiser carries such an error as text only, so
    /// `serde_json::from_str::<BusinessCalendar>` alone gives its message
    /// but not its [`kind`](Error::kind). The deserialiser's own error (with
    /// its line and column) stays inside the closure, which may keep it.
    ///
    /// # Errors
    ///
    /// The crate's error for a value it rejected; otherwise, for input that
    /// does not have the form the type reads (a missing or unknown field, a
    /// wrong type), an error of kind
    /// [`InvalidForm`](crate::ErrorKind::InvalidForm) with the
    /// deserialiser's message.
    ///
    /// # Example
    ///
    /// ```
    /// use servicelevel::{BusinessCalendar, ErrorKind};
    ///
    /// let text = r#"{"time_zone": "Europe/Pariss", "weekly": {"mon": [["09:00", "17:00"]]}}"#;
    /// let err = servicelevel::Error::from_deserialize(|| serde_json::from_str::<BusinessCalendar>(text))
    ///     .unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::UnknownTimeZone);
    /// assert_eq!(err.input(), Some("Europe/Pariss"));
    ///
    /// let text = r#"{"time_zone": "Europe/Paris", "weekly": {"mon": [["09:00", "17:60"]]}}"#;
    /// let err = servicelevel::Error::from_deserialize(|| serde_json::from_str::<BusinessCalendar>(text))
    ///     .unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidClockTime);
    /// assert_eq!((err.field(), err.input()), (Some("weekly.mon[0]"), Some("17:60")));
    ///
    /// let err = servicelevel::Error::from_deserialize(|| serde_json::from_str::<BusinessCalendar>("{}"))
    ///     .unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidForm);
    /// assert!(err.to_string().contains("missing field `time_zone`"), "{err}");
    /// ```
    pub fn from_deserialize<T, E: fmt::Display>(deserialize: impl FnOnce() -> Result<T, E>) -> Result<T, Error> {
        let capture = Capture::start();
        let result = deserialize();
        let rejected = capture.finish();
        result.map_err(|error| {
            let message = error.to_string();
            match rejected {
                // Only the error the deserialiser reports, not one an
                // untagged enum's failed attempt left behind.
                Some(rejected) if message.contains(&rejected.to_string()) => rejected,
                _ => Error::from(Detail::InvalidForm { message }),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn nothing_is_kept_outside_a_capture() {
        let _: serde_json::Error = reject(Error::value("x", "y"));
        assert!(REJECTED.with(|kept| kept.borrow().is_none()));
    }

    #[test]
    fn a_nested_capture_leaves_the_outer_one_as_it_was() {
        let outer = Error::from_deserialize(|| {
            let inner = Error::from_deserialize(|| Err::<(), _>(reject::<serde_json::Error>(Error::value("a", "b"))));
            assert_eq!(inner.unwrap_err().input(), Some("a"));
            Err::<(), serde_json::Error>(reject(Error::value("c", "d")))
        });
        assert_eq!(outer.unwrap_err().input(), Some("c"));
        assert!(!CAPTURING.with(Cell::get));
    }

    #[test]
    fn an_error_the_deserialiser_does_not_report_is_not_returned() {
        let err = Error::from_deserialize(|| {
            let _: serde_json::Error = reject(Error::value("stale", "anything"));
            Err::<(), _>("data did not match any variant")
        })
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidForm);
    }
}

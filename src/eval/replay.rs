//! Retroactive pause: what the pause condition would have done had a cycle
//! run since the creation, so that a retroactive start keeps those pauses
//! ([`RetroactivePause::Replay`](crate::policy::RetroactivePause::Replay)).

// Every operation on input numbers here is checked, or bounded by a
// validation its function names (the lint makes each one say so).
#![deny(clippy::arithmetic_side_effects)]

use chrono::{DateTime, Utc};

use super::cycle::{Cause, Phase, PhaseKind, Reason};
use crate::event::Fields;
use crate::policy::{Context, Policy};

/// Where the pause condition would have held had a cycle run since the
/// creation, kept under `RetroactivePause::Replay` only: a retroactive
/// start reads its stretch's pauses from it.
#[derive(Clone, Debug, Default)]
pub(super) struct PauseReplay {
    pub(super) paused: bool,
    /// Each change of the would-be state: the instant, paused or not after
    /// it, and the position of the event that made it.
    pub(super) flips: Vec<(DateTime<Utc>, bool, usize)>,
}

impl PauseReplay {
    /// Takes one event: pauses where the pause condition holds, resumes as
    /// a running cycle would.
    pub(super) fn take<F: Fields + ?Sized>(&mut self, policy: &Policy, cx: &Context<'_, F>, position: usize) {
        let flips = if self.paused {
            match &policy.resume {
                Some(resume) => resume.holds(cx),
                None => !policy.pause.holds(cx),
            }
        } else {
            policy.pause.holds(cx)
        };
        if flips {
            self.paused = !self.paused;
            self.flips.push((cx.event.at(), self.paused, position));
        }
    }

    /// The phases of `[from, to)`: paused where the replayed state was,
    /// running elsewhere (under `running`, the retroactive start's cause).
    /// They are appended to `phases` (an empty buffer).
    pub(super) fn phases_into(&self, phases: &mut Vec<Phase>, from: DateTime<Utc>, to: DateTime<Utc>, running: Cause) {
        let (mut kind, mut cause) = (PhaseKind::Running, running);
        let mut since = from;
        for &(at, paused, position) in &self.flips {
            if at >= to {
                break;
            }
            let (next_kind, next_cause) = if paused {
                (
                    PhaseKind::Paused,
                    Cause {
                        reason: Reason::RetroactivePause,
                        position,
                    },
                )
            } else {
                (PhaseKind::Running, running)
            };
            if at > since {
                phases.push(Phase {
                    from: since,
                    to: at,
                    kind,
                    cause,
                });
                since = at;
            }
            (kind, cause) = (next_kind, next_cause);
        }
        if to > since {
            phases.push(Phase {
                from: since,
                to,
                kind,
                cause,
            });
        }
    }
}

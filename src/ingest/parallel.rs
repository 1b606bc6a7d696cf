//! Building the timelines on every core (feature `parallel`).

use rayon::prelude::*;

use super::assemble::{self, Assembled};
use super::{Ingest, Ingested, Ledger};
use std::collections::BTreeMap;

impl Ingest<'_> {
    /// [`finish`](Ingest::finish) on every core (rayon's global pool):
    /// the tickets are cut into one share per worker, each share's rows
    /// grouped, sorted, diffed and built into timelines with a ledger of
    /// its own, and the shares joined in order. The same [`Ingested`] as
    /// `finish` (timelines in the same order; the ledger's rejections are
    /// sorted by source and row either way).
    ///
    /// ```
    /// use servicelevel::ingest::{ExportProfile, FieldColumn, InstantColumn, InstantFormat, Reading};
    /// let at = InstantColumn::new("updated", InstantFormat::Iso8601, Reading::Utc);
    /// let profile = ExportProfile::builder("number", at).field(FieldColumn::new("status", "state")).build()?;
    /// let read = || {
    ///     let mut ingest = profile.ingest();
    ///     ingest.source("export.csv", &["number", "updated", "state"]).unwrap();
    ///     for n in 0..100 {
    ///         ingest.row([format!("INC{n}").as_str(), "2025-01-06T09:00:00Z", "new"]);
    ///         ingest.row([format!("INC{n}").as_str(), "2025-01-06T09:00:00Z", "new"]);
    ///     }
    ///     ingest
    /// };
    /// let (parallel, serial) = (read().par_finish(), read().finish());
    /// assert_eq!(parallel, serial);
    /// assert_eq!((parallel.timelines.len(), parallel.ledger.rejected().len()), (100, 100));
    /// # Ok::<(), servicelevel::Error>(())
    /// ```
    pub fn par_finish(self) -> Ingested {
        let mut ledger = self.ledger;
        let context = assemble::Context {
            profile: self.profile,
            activities: &self.activities,
            tracked: &self.tracked,
        };
        let shares = rayon::current_num_threads().max(1);
        let size = self.tickets.len().div_ceil(shares).max(1);
        let mut tickets = self.tickets;
        let mut chunks = Vec::with_capacity(shares);
        while tickets.len() > size {
            let rest = tickets.split_off(size);
            chunks.push(tickets);
            tickets = rest;
        }
        chunks.push(tickets);
        let built: Vec<(Vec<Assembled>, Ledger)> = chunks
            .into_par_iter()
            .map(|share| {
                let (mut part, mut scratch) = (Ledger::default(), assemble::Scratch::default());
                let assembled = share
                    .into_iter()
                    .filter_map(|ticket| context.assemble(ticket, &mut part, &mut scratch))
                    .collect();
                (assembled, part)
            })
            .collect();
        let mut out = Ingested {
            timelines: Vec::with_capacity(built.iter().map(|(a, _)| a.len()).sum()),
            ledger: Ledger::default(),
            verdicts: BTreeMap::new(),
            latest: None,
        };
        for (assembled, part) in built {
            ledger.absorb(part);
            for assembled in assembled {
                out.gather(assembled);
            }
        }
        ledger.sort();
        out.ledger = ledger;
        out
    }
}

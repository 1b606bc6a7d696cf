//! Reading CSV files into an ingestion: the rows are parsed on a second
//! thread and mapped on this one, in order, in batches whose records are
//! reused (parsing the full ServiceNow export takes about as long as
//! mapping half of it, so the two overlap).

use std::error::Error;
use std::path::PathBuf;
use std::sync::mpsc;

/// Rows per batch handed from the parsing thread to the mapping one.
const BATCH: usize = 1_024;
/// Batches in flight: one being parsed, one being mapped, one waiting.
const IN_FLIGHT: usize = 3;

/// Where CSV rows go: a ticket or an outage ingestion.
pub(crate) trait Rows {
    fn source(&mut self, name: &str, header: &[String]) -> servicelevel::Result<()>;
    fn row<'r>(&mut self, row: impl IntoIterator<Item = &'r str>);
    fn unreadable_row(&mut self, message: String);
}

impl Rows for servicelevel::ingest::Ingest<'_> {
    fn source(&mut self, name: &str, header: &[String]) -> servicelevel::Result<()> {
        servicelevel::ingest::Ingest::source(self, name, header)
    }
    fn row<'r>(&mut self, row: impl IntoIterator<Item = &'r str>) {
        servicelevel::ingest::Ingest::row(self, row)
    }
    fn unreadable_row(&mut self, message: String) {
        servicelevel::ingest::Ingest::unreadable_row(self, message)
    }
}

impl Rows for servicelevel::availability::OutageIngest<'_> {
    fn source(&mut self, name: &str, header: &[String]) -> servicelevel::Result<()> {
        servicelevel::availability::OutageIngest::source(self, name, header)
    }
    fn row<'r>(&mut self, row: impl IntoIterator<Item = &'r str>) {
        servicelevel::availability::OutageIngest::row(self, row)
    }
    fn unreadable_row(&mut self, message: String) {
        servicelevel::availability::OutageIngest::unreadable_row(self, message)
    }
}

/// Parsed rows: `records[i]` is row `i` unless `unreadable[i]` holds the
/// reader's message for it.
#[derive(Default)]
struct Batch {
    records: Vec<csv::StringRecord>,
    unreadable: Vec<Option<String>>,
    len: usize,
}

/// Every file's rows into `ingest`, in order; a row the CSV reader cannot
/// read is rejected in the ledger, not an error.
pub(crate) fn read_csv(ingest: &mut impl Rows, files: &[PathBuf]) -> Result<(), Box<dyn Error>> {
    let cwd = std::env::current_dir().unwrap_or_default();
    for path in files {
        // Named as the user would type it: relative to where they are.
        let name = path.strip_prefix(&cwd).unwrap_or(path).display().to_string();
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_path(path)
            .map_err(|e| format!("{name}: {e}"))?;
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| format!("{name}: {e}"))?
            .iter()
            .map(str::to_string)
            .collect();
        ingest.source(&name, &header).map_err(|e| format!("{name}: {e}"))?;
        read_rows(ingest, reader).map_err(|e| format!("{name}: {e}"))?;
    }
    Ok(())
}

fn read_rows(ingest: &mut impl Rows, reader: csv::Reader<std::fs::File>) -> Result<(), String> {
    let (full_tx, full_rx) = mpsc::sync_channel::<Batch>(IN_FLIGHT);
    let (empty_tx, empty_rx) = mpsc::channel::<Batch>();
    for _ in 0..IN_FLIGHT {
        empty_tx.send(Batch::default()).map_err(|e| e.to_string())?;
    }
    std::thread::scope(|scope| {
        let parser = scope.spawn(move || parse(reader, &empty_rx, &full_tx));
        for batch in full_rx {
            for (record, unreadable) in batch.records.iter().zip(&batch.unreadable).take(batch.len) {
                match unreadable {
                    None => ingest.row(record.iter()),
                    Some(message) => ingest.unreadable_row(message.clone()),
                }
            }
            // The parser may have finished: then the batch is not needed.
            let _ = empty_tx.send(batch);
        }
        parser
            .join()
            .map_err(|_| "the CSV parsing thread panicked".to_string())?
    })
}

/// Fills the batches `empty` returns and sends them to `full`, until the
/// end of the file or an I/O error (which ends the read).
fn parse(
    mut reader: csv::Reader<std::fs::File>,
    empty: &mpsc::Receiver<Batch>,
    full: &mpsc::SyncSender<Batch>,
) -> Result<(), String> {
    while let Ok(mut batch) = empty.recv() {
        batch.len = 0;
        let mut done = false;
        while batch.len < BATCH {
            if batch.records.len() == batch.len {
                batch.records.push(csv::StringRecord::new());
                batch.unreadable.push(None);
            }
            let slot = batch.len;
            match reader.read_record(&mut batch.records[slot]) {
                Ok(false) => {
                    done = true;
                    break;
                }
                Ok(true) => batch.unreadable[slot] = None,
                Err(e) if e.is_io_error() => return Err(e.to_string()),
                Err(e) => batch.unreadable[slot] = Some(e.to_string()),
            }
            batch.len += 1;
        }
        if batch.len > 0 && full.send(batch).is_err() {
            break;
        }
        if done {
            break;
        }
    }
    Ok(())
}

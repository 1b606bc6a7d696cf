//! One module per fuzz target, each with `run(data)`: the target's whole
//! body, called by `fuzz_targets/<name>.rs` and by the replay example.

pub mod availability;
pub mod calendar;
pub mod ingest;
pub mod parsers;
pub mod sla;

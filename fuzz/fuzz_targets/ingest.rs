//! The `ingest` target: see `src/targets/ingest.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| servicelevel_fuzz::timed(|| servicelevel_fuzz::targets::ingest::run(data)));

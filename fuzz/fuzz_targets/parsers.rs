//! The `parsers` target: see `src/targets/parsers.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| servicelevel_fuzz::timed(|| servicelevel_fuzz::targets::parsers::run(data)));

//! The `sla` target: see `src/targets/sla.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| servicelevel_fuzz::timed(|| servicelevel_fuzz::targets::sla::run(data)));

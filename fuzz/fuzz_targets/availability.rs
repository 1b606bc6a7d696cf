//! The `availability` target: see `src/targets/availability.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(
    |data: &[u8]| servicelevel_fuzz::timed(|| servicelevel_fuzz::targets::availability::run(data))
);

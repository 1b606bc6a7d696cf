//! The `calendar` target: see `src/targets/calendar.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| servicelevel_fuzz::timed(|| servicelevel_fuzz::targets::calendar::run(data)));

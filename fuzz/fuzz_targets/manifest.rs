//! The output folder's manifest reader: `write::manifest::parse`.
//! The checks live in `annals::fuzzing` so `cargo test` runs them too.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // annals reads a manifest as UTF-8, replacing what is not.
    annals::fuzzing::check_manifest(&String::from_utf8_lossy(data));
});

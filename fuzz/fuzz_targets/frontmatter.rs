//! Front matter splitting: `annals::parse::frontmatter::split`.
//! The checks live in `annals::fuzzing` so `cargo test` runs them too.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Every caller hands these functions text; other bytes never reach them.
    if let Ok(text) = std::str::from_utf8(data) {
        annals::fuzzing::check_frontmatter(text);
    }
});

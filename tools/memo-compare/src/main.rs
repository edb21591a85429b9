//! Measures three ways to memoize annals' derived values for its preview
//! server — comemo, salsa, and a plain fingerprint-keyed table — on a
//! synthetic site of 10,000 events. `README.md` has the results.
//!
//! ```text
//! cargo run --release [-- RUNS]
//! ```

mod alloc;
mod derive;
mod events;
#[cfg(test)]
mod fit;
mod harness;
mod plain;
mod with_comemo;
mod with_salsa;

use std::process::ExitCode;

use harness::{measure, NoMemo};

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

fn main() -> ExitCode {
    let runs = match std::env::args().nth(1).map(|arg| arg.parse::<usize>()) {
        None => 11,
        Some(Ok(runs)) if runs > 0 => runs,
        Some(_) => {
            eprintln!("usage: memo-compare [RUNS]   (RUNS: how many times to time each measurement, default 11)");
            return ExitCode::FAILURE;
        }
    };
    let site = events::generate();
    let value_bytes = harness::value_bytes(&site);
    let reports = [
        measure::<NoMemo>(&site, runs),
        measure::<plain::Plain>(&site, runs),
        measure::<with_comemo::Comemo<false>>(&site, runs),
        measure::<with_comemo::Comemo<true>>(&site, runs),
        measure::<with_salsa::Salsa>(&site, runs),
    ];
    harness::print(&reports, value_bytes, runs);
    ExitCode::SUCCESS
}

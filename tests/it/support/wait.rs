//! Waiting on conditions, never on fixed sleeps: [`eventually`] polls
//! until a check passes, for as long as [`PATIENCE`] allows.

use std::thread;
use std::time::{Duration, Instant};

/// How long a test waits for something that should happen (a page to
/// change, a server to start, an answer): long, so that a machine with every
/// core busy makes the suite slower but never makes it fail. Waits end as
/// soon as what they wait for happens.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// How long a poll waits between two looks.
pub const POLL_EVERY: Duration = Duration::from_millis(25);

/// Calls `check` every 25 ms until it returns `Ok`, and panics after
/// `within` with `what` it waited for and what `check` last said.
#[track_caller]
pub fn eventually<T>(within: Duration, what: &str, mut check: impl FnMut() -> Result<T, String>) -> T {
    let deadline = Instant::now() + within;
    loop {
        match check() {
            Ok(value) => return value,
            Err(last) if Instant::now() >= deadline => {
                panic!("waited {within:?} for {what}; last saw: {last}")
            }
            Err(_) => thread::sleep(POLL_EVERY),
        }
    }
}

/// Which output of the server a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Status lines (`Serving the site at …`, `Built …`).
    Stdout,
    /// Diagnostics and warnings.
    Stderr,
}

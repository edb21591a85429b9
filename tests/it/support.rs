//! A small builder for the tests: copy a site into a temp dir, run the real
//! `annals` binary on it, and look at what it printed and wrote.
//!
//! Sites come from `tests/fixtures/<case>/` or from the repository's own
//! example. Trees of files are captured as [`Tree`]s (path → bytes, folders
//! and symlinks included) so a test can prove a folder did not change at all.
//! [`output`] reads what a build wrote: pages, `events.json` and links.
//!
//! For `annals serve`, [`ServeGuard`] runs the real server on a site and
//! kills it when dropped; [`http_get`] and [`EventStream`] talk to it over
//! raw sockets, so a test can send exactly the bytes an attacker would.
//! [`StaticServer`] serves a built folder as a plain web host does, for the
//! tests that read the site in a browser.

pub mod chromium;
pub mod output;
mod server;
mod sites;
mod static_server;
mod wait;

pub use server::*;
pub use sites::*;
pub use static_server::*;
pub use wait::*;

/// The repository root, where the example site lives.
pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// The benchmarks' generator of large sites, shared with the tests.
#[allow(dead_code)]
#[path = "../../benches/support/corpus.rs"]
pub mod corpus;

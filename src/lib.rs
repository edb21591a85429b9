//! annals turns a folder of event files into a static explainer timeline.
//!
//! The data flows one way, and only the two ends touch the disk:
//!
//! ```text
//! load (I/O in)   site.yaml, content/**, static/**, themes/<name>/**  → SiteFiles
//!                 (links out of the site refused, sizes checked first)
//!   ↓
//! parse (pure)    front matter, YAML, dates, Markdown files            → Event, Page, Intro
//!   ↓
//! model (pure)    sort, cross-check slugs/media/tracks, group tags     → Site
//!   ↓
//! render (pure)   Tera + pulldown-cmark, feeds, JSON                   → render::Output, down a channel
//!   ↓
//! write (I/O out) changed files only, atomic renames, manifest last    → public/
//! ```
//!
//! The render sends each finished file down a bounded channel as a
//! [`render::Output`], and asks nothing of whoever takes it: the preview
//! keeps them in memory, `annals build` writes them as they come through
//! [`write::Staging`], which replaces nothing until the whole site has
//! rendered and rolls a failed build back (`docs/architecture.md` has the
//! details). `build` runs all five steps;
//! `check` stops before writing. Problems are
//! collected as [`diagnostic::Diagnostic`]s pointing at file, line and
//! column, and the library never prints: the binary (`src/main.rs` and its
//! `cli` module) does.
//!
//! The front door is [`Site`]: find, load, check and build a site in a few
//! calls (the preview server is [`serve::run`]).

pub mod config;
pub mod date;
pub mod describe;
pub mod diagnostic;
pub mod error;
pub mod fields;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod hashing;
pub mod import;
pub mod lang;
pub mod load;
pub mod memo;
pub mod model;
pub mod parse;
pub mod pipeline;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod site;
pub mod slug;
pub mod terminal;
pub mod write;
pub mod xml;
pub mod yaml;

pub use pipeline::BuildOptions;
pub use site::{BuildReport, Site};

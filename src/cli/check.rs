//! `annals check`: builds the site without writing it and prints every
//! problem found — as frames for people or as JSON lines for editors and
//! CI — then fails on errors (and on warnings with `--deny-warnings`).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use annals::diagnostic::Severity;
use annals::error::Error;
use annals::pipeline::{self, BuildOptions};

use super::counted;
use super::printer::Printer;

/// The flags of `annals check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site folder (default: the nearest folder above the current one with a site.yaml).
    #[arg(long)]
    root: Option<PathBuf>,
    /// Include drafts.
    #[arg(long)]
    drafts: bool,
    /// How to print problems: `text` for people, `json` (one object per line) for editors and CI.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Fail (exit 1) on warnings too, not only on errors.
    #[arg(long)]
    deny_warnings: bool,
    /// Follow symbolic links that lead out of the site (only for a site you trust).
    #[arg(long)]
    follow_links: bool,
}

/// How `check` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path:line:col: level: message` with a source frame.
    Text,
    /// One JSON object per line.
    Json,
}

/// Checks the site, prints what it found and fails if it should.
pub fn run(args: &CheckArgs, printer: &Printer) -> Result<(), Error> {
    let root = super::site_root(args.root.as_deref())?;
    let options = BuildOptions {
        drafts: args.drafts,
        base_url: None,
        follow_links: args.follow_links,
    };
    let (diagnostics, events) = match pipeline::build(&root, &options) {
        Ok(built) => (built.warnings, Some(built.event_count)),
        Err(Error::Invalid { diagnostics }) => (diagnostics, None),
        Err(other) => return Err(other),
    };
    let count = |severity| diagnostics.iter().filter(|d| d.severity == severity).count();
    let (errors, warnings, infos) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
    match args.format {
        Format::Json => {
            for diagnostic in &diagnostics {
                printer.json(&serde_json::to_string(diagnostic).unwrap_or_default());
            }
        }
        Format::Text => {
            printer.in_full().diagnostics(&diagnostics);
            let counts = format!(
                "{}, {}, {}",
                counted(errors, "error", "errors"),
                counted(warnings, "warning", "warnings"),
                counted(infos, "note", "notes")
            );
            printer.status(&match events {
                Some(events) => format!("Checked {}: {counts}", counted(events, "event", "events")),
                None => counts,
            });
        }
    }
    if errors > 0 {
        Err(Error::Usage(format!(
            "the site has {}",
            counted(errors, "error", "errors")
        )))
    } else if args.deny_warnings && warnings > 0 {
        Err(Error::Usage(format!(
            "the site has {} (--deny-warnings)",
            counted(warnings, "warning", "warnings")
        )))
    } else {
        Ok(())
    }
}

//! `annals import`: turns a TimelineJS, TimelineSetter or markwhen file into
//! event files and prints what it wrote, kept, skipped and could not carry
//! over, and what to add to site.yaml.

use std::path::{Path, PathBuf};

use clap::Args;

use annals::error::Error;
use annals::import::{self, ImportOptions};

use super::printer::{Printer, NOTE, WARNING};

/// The flags of `annals import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import (its format is recognised from its content).
    file: PathBuf,
    /// Where to write the event files (default: content/events/ of the site).
    #[arg(long)]
    into: Option<PathBuf>,
    /// Overwrite event files that already exist, and allow --into outside content/.
    #[arg(long)]
    force: bool,
    /// The site folder (default: the nearest folder above the current one with a site.yaml).
    #[arg(long)]
    root: Option<PathBuf>,
}

/// Imports the file and prints its report.
pub fn run(args: &ImportArgs, printer: &Printer) -> Result<(), Error> {
    let root = super::site_root(args.root.as_deref())?;
    let mut options = ImportOptions::new(&root);
    if let Some(into) = &args.into {
        // Absolute, so import can tell which of its folders are inside
        // the site (and must not be symbolic links).
        options.into = std::env::current_dir().unwrap_or_default().join(into);
    }
    options.force = args.force;
    let report = import::import_file(&args.file, &root, &options)?;
    let shown = |path: &Path| path.strip_prefix(&root).unwrap_or(path).display().to_string();
    for path in report.written.iter().chain(&report.intro) {
        printer.status(&format!("wrote {}", shown(path)));
    }
    for path in &report.copied {
        printer.status(&format!("copied {}", shown(path)));
    }
    for path in &report.skipped_existing {
        printer.labelled(
            WARNING,
            "warning:",
            &format!("kept {} (it exists; pass --force to overwrite)", shown(path)),
        );
    }
    for row in &report.skipped {
        printer.labelled(WARNING, "skipped:", row);
    }
    for note in &report.not_mapped {
        printer.labelled(NOTE, "note:", note);
    }
    let snippets = [&report.title_yaml, &report.eras_yaml, &report.tracks_yaml];
    for snippet in snippets.into_iter().flatten() {
        printer.status("Add to site.yaml:");
        for line in snippet.lines() {
            printer.status(line);
        }
    }
    printer.status(&format!(
        "Imported {} ({} kept, {} skipped, {})",
        super::counted(report.written.len(), "event", "events"),
        super::number(report.skipped_existing.len()),
        super::number(report.skipped.len()),
        super::counted(report.not_mapped.len(), "note", "notes")
    ));
    Ok(())
}

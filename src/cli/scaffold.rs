//! The commands that write starting points for a person to edit:
//! `annals new` (a site), `annals add` (an event file) and
//! `annals theme eject` (a copy of the built-in theme).

use std::path::PathBuf;

use clap::{Args, Subcommand};

use annals::error::Error;
use annals::scaffold;

use super::printer::{self, Printer};

/// The flags of `annals new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The folder to create the site in.
    dir: PathBuf,
}

/// The flags of `annals add`.
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The event's title.
    title: String,
    /// When it happened: 2025, 2025-11, 2025-11-11, c. 1500, 500 BCE…
    #[arg(long)]
    date: String,
    /// The track (lane) it belongs to.
    #[arg(long)]
    track: Option<String>,
    /// A tag; repeat for several.
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// The site folder (default: the nearest folder above the current one with a site.yaml).
    #[arg(long)]
    root: Option<PathBuf>,
}

/// What `annals theme` does.
#[derive(Debug, Subcommand)]
pub enum ThemeAction {
    /// Copy the built-in theme to themes/NAME/ to edit it; then set `theme: NAME` in site.yaml.
    Eject {
        /// The new theme's name (a folder under themes/, which must not exist).
        #[arg(default_value = "custom")]
        name: String,
        /// The site folder (default: the nearest folder above the current one with a site.yaml).
        #[arg(long)]
        root: Option<PathBuf>,
    },
}

/// Creates a site that builds at once and says how to build it.
pub fn new(args: &NewArgs, printer: &Printer) -> Result<(), Error> {
    scaffold::new_site(&args.dir)?;
    printer.status(&format!(
        "Created a new site in {0}/. Build it with: annals build --root {0}",
        args.dir.display()
    ));
    Ok(())
}

/// Writes an event file and prints its path (even with `--quiet`: it is
/// the command's answer, for scripts and editors to open).
pub fn add(args: &AddArgs, printer: &Printer) -> Result<(), Error> {
    let root = super::site_root(args.root.as_deref())?;
    let path = scaffold::add_event(&root, &args.title, &args.date, args.track.as_deref(), &args.tags)?;
    let shown = path.strip_prefix(&root).unwrap_or(&path);
    printer.out(&printer::paint(printer::PLAIN, &shown.display().to_string()));
    Ok(())
}

/// Copies the built-in theme into the site and says how to use it.
pub fn theme(action: &ThemeAction, printer: &Printer) -> Result<(), Error> {
    let ThemeAction::Eject { name, root } = action;
    let root = super::site_root(root.as_deref())?;
    let folder = scaffold::eject_theme(&root, name)?;
    let shown = folder.strip_prefix(&root).unwrap_or(&folder);
    printer.status(&format!(
        "Wrote the built-in theme to {}/. Set `theme: {name}` in site.yaml to build with it.",
        shown.display()
    ));
    Ok(())
}

//! The command line: parses arguments, runs the pipeline, prints reports.
//!
//! This is the edge where annals meets the terminal: it reads the clock and
//! the environment, prints diagnostics with source frames and colour, and
//! turns the outcome into an exit code. The library itself never prints.
//!
//! This file holds the arguments every command shares and the dispatch;
//! each command's own flags and work live in the file named for it.
//! Everything they print goes through one [`Printer`], which escapes the
//! characters a terminal would act on in every name and message (see
//! [`annals::terminal`]); printing any other way is denied below.
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod build;
mod check;
mod import;
mod printer;
mod scaffold;
mod schema;
mod serve;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use annals::error::Error;
use annals::load;

use printer::Printer;

/// annals builds explainer timelines: a folder of event files in, a static
/// website out.
#[derive(Debug, Parser)]
#[command(name = "annals", version, about, propagate_version = true)]
pub struct Cli {
    /// Print only errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more detail (every warning in full).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// When to colour the output (NO_COLOR is respected with `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// When printing to a terminal and NO_COLOR is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl From<ColorChoice> for anstream::ColorChoice {
    fn from(choice: ColorChoice) -> Self {
        match choice {
            ColorChoice::Auto => anstream::ColorChoice::Auto,
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
        }
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into its output folder (public/ by default).
    Build(build::BuildArgs),
    /// Preview the site at http://127.0.0.1:1111/, rebuilding and reloading the page on every save.
    Serve(serve::ServeArgs),
    /// Create a new site in DIR (which must be empty or missing) that builds at once.
    New(scaffold::NewArgs),
    /// Add an event file to content/events/, named after its date and title.
    Add(scaffold::AddArgs),
    /// Import events from a TimelineJS JSON file, a TimelineJS spreadsheet CSV, a TimelineSetter CSV or a markwhen file.
    Import(import::ImportArgs),
    /// Work with themes.
    Theme {
        /// What to do.
        #[command(subcommand)]
        action: scaffold::ThemeAction,
    },
    /// Print JSON Schemas of site.yaml and of event front matter, for editors.
    Schema(schema::SchemaArgs),
    /// Check the site for errors and warnings without writing anything.
    Check(check::CheckArgs),
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let printer = Printer::new(cli.color.into(), cli.quiet, cli.verbose);
    match run(&cli.command, &printer) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            printer.error(&error);
            ExitCode::FAILURE
        }
    }
}

fn run(command: &Command, printer: &Printer) -> Result<(), Error> {
    match command {
        Command::Build(args) => build::run(args, printer),
        Command::Serve(args) => serve::run(args, printer),
        Command::New(args) => scaffold::new(args, printer),
        Command::Add(args) => scaffold::add(args, printer),
        Command::Import(args) => import::run(args, printer),
        Command::Theme { action } => scaffold::theme(action, printer),
        Command::Schema(args) => schema::run(args, printer),
        Command::Check(args) => check::run(args, printer),
    }
}

/// A count in English, as every message of the command line is: "1 event",
/// "10,000 events" (the plural by CLDR's English rules, the digits grouped).
fn counted(count: usize, one: &str, other: &str) -> String {
    let plural = annals::lang::Lang::En.plural(u64::try_from(count).unwrap_or(u64::MAX));
    format!("{} {}", number(count), if plural == "one" { one } else { other })
}

/// A number as the command line writes it: "10,000".
fn number(count: usize) -> String {
    annals::lang::Lang::En.number(i64::try_from(count).unwrap_or(i64::MAX))
}

/// The site folder: the one given with `--root`, or else the nearest
/// folder above the current one with a site.yaml.
fn site_root(given: Option<&Path>) -> Result<PathBuf, Error> {
    match given {
        Some(root) => load::find_root(root),
        None => load::find_root(&std::env::current_dir().map_err(|source| Error::Read {
            path: PathBuf::from("."),
            source,
        })?),
    }
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn counts_agree_with_their_number_and_group_their_digits() {
        assert_eq!(counted(0, "event", "events"), "0 events");
        assert_eq!(counted(1, "event", "events"), "1 event");
        assert_eq!(counted(2, "page", "pages"), "2 pages");
        assert_eq!(counted(10_000, "event", "events"), "10,000 events");
    }
}

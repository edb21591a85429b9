//! `annals build`: loads the site, renders it and writes it into its output
//! folder, then prints the warnings and one line of what was written.

use std::path::PathBuf;
use std::time::Instant;

use clap::Args;

use annals::error::Error;
use annals::pipeline::BuildOptions;
use annals::Site;

use super::printer::Printer;
use super::{counted, number};

/// The flags of `annals build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site folder (default: the nearest folder above the current one with a site.yaml).
    #[arg(long)]
    root: Option<PathBuf>,
    /// Where to write the site (default: `output_dir` from site.yaml, `public`).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The address the site will be published at, for canonical links and feeds.
    #[arg(long, value_parser = parse_base_url)]
    base_url: Option<String>,
    /// Include events and pages marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Write into a non-empty folder annals did not create (its files are kept).
    #[arg(long)]
    force: bool,
    /// Follow symbolic links that lead out of the site (only for a site you trust).
    #[arg(long)]
    follow_links: bool,
}

/// Builds the site and prints its warnings and a summary line.
pub fn run(args: &BuildArgs, printer: &Printer) -> Result<(), Error> {
    let started = Instant::now();
    let root = super::site_root(args.root.as_deref())?;
    let options = BuildOptions {
        drafts: args.drafts,
        base_url: args.base_url.clone(),
        follow_links: args.follow_links,
    };
    let built = Site::load(&root, options)?.build(args.output.as_deref(), args.force)?;
    printer.diagnostics(&built.warnings);
    let report = built.written;
    if printer.verbose {
        for kept in &report.kept {
            printer.status(&format!("kept {}: {}", kept.path, kept.reason));
        }
    }
    let output = built.output;
    let shown = output
        .strip_prefix(std::env::current_dir().unwrap_or_default())
        .unwrap_or(&output);
    printer.status(&format!(
        "Built {}, {} in {} ms → {}/ ({} written, {} unchanged, {} removed)",
        counted(built.event_count, "event", "events"),
        counted(report.pages, "page", "pages"),
        started.elapsed().as_millis(),
        shown.display(),
        number(report.written),
        number(report.unchanged),
        number(report.removed),
    ));
    Ok(())
}

/// `--base-url` must be an absolute http(s) address, as in site.yaml.
fn parse_base_url(text: &str) -> Result<String, String> {
    if text.starts_with("https://") || text.starts_with("http://") {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{text}` is not an absolute http(s) URL, e.g. https://example.org/timeline/"
        ))
    }
}

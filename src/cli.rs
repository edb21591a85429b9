//! The command line: parses arguments, runs the pipeline, prints reports.
//!
//! This is the edge where annals meets the terminal: it reads the clock and
//! the environment, prints diagnostics with source frames and colour, and
//! turns the outcome into an exit code. The library itself never prints.
//!
//! Everything it prints goes through one [`Printer`], which escapes the
//! characters a terminal would act on in every name and message (see
//! [`terminal`]); printing any other way is denied below.
#![deny(clippy::print_stdout, clippy::print_stderr)]

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

use annals::diagnostic::{self, Diagnostic, Severity};
use annals::error::Error;
use annals::import;
use annals::load;
use annals::pipeline::{self, BuildOptions};
use annals::scaffold;
use annals::schema;
use annals::serve::{self, Notice, ServeOptions};
use annals::terminal;
use annals::Site;

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

/// How `check` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path:line:col: level: message` with a source frame.
    Text,
    /// One JSON object per line.
    Json,
}

/// Which JSON Schema `annals schema` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// Event front matter and YAML event files.
    Event,
    /// site.yaml.
    Site,
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

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into its output folder (public/ by default).
    Build {
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
    },
    /// Preview the site at http://127.0.0.1:1111/, rebuilding and reloading the page on every save.
    Serve {
        /// The site folder (default: the nearest folder above the current one with a site.yaml).
        #[arg(long)]
        root: Option<PathBuf>,
        /// The port (default: 1111, or the next free one if it is busy).
        #[arg(short, long)]
        port: Option<u16>,
        /// The address to listen on; anything but 127.0.0.1 lets other machines see your drafts.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
        /// Include events and pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Check files for changes by polling (for network drives or when watches run out).
        #[arg(long)]
        poll: bool,
        /// Follow symbolic links that lead out of the site (only for a site you trust).
        #[arg(long)]
        follow_links: bool,
    },
    /// Create a new site in DIR (which must be empty or missing) that builds at once.
    New {
        /// The folder to create the site in.
        dir: PathBuf,
    },
    /// Add an event file to content/events/, named after its date and title.
    Add {
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
    },
    /// Import events from a TimelineJS JSON file, a TimelineJS spreadsheet CSV, a TimelineSetter CSV or a markwhen file.
    Import {
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
    },
    /// Work with themes.
    Theme {
        /// What to do.
        #[command(subcommand)]
        action: ThemeAction,
    },
    /// Print JSON Schemas of site.yaml and of event front matter, for editors.
    Schema {
        /// Which schema to print.
        #[arg(value_enum, default_value_t = SchemaKind::Event)]
        which: SchemaKind,
    },
    /// Check the site for errors and warnings without writing anything.
    Check {
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
    },
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let colour = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
        }
    };
    let printer = Printer {
        colour,
        quiet: cli.quiet,
        verbose: cli.verbose,
    };
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
        Command::Build {
            root,
            output,
            base_url,
            drafts,
            force,
            follow_links,
        } => {
            let started = Instant::now();
            let root = site_root(root.as_deref())?;
            let options = BuildOptions {
                drafts: *drafts,
                base_url: base_url.clone(),
                follow_links: *follow_links,
            };
            let built = Site::load(&root, options)?.build(output.as_deref(), *force)?;
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
                "Built {} events, {} pages in {} ms → {}/ ({} written, {} unchanged, {} removed)",
                built.event_count,
                report.pages,
                started.elapsed().as_millis(),
                shown.display(),
                report.written,
                report.unchanged,
                report.removed,
            ));
            Ok(())
        }
        Command::Serve {
            root,
            port,
            bind,
            open,
            drafts,
            poll,
            follow_links,
        } => {
            let root = site_root(root.as_deref())?;
            let options = ServeOptions {
                root,
                bind: *bind,
                port: *port,
                build: BuildOptions {
                    drafts: *drafts,
                    base_url: None,
                    follow_links: *follow_links,
                },
                poll: *poll,
            };
            let open = *open;
            let report = |notice: Notice| printer.notice(notice, open);
            serve::run(options, &report)
        }
        Command::New { dir } => {
            scaffold::new_site(dir)?;
            printer.status(&format!(
                "Created a new site in {0}/. Build it with: annals build --root {0}",
                dir.display()
            ));
            Ok(())
        }
        Command::Add {
            title,
            date,
            track,
            tags,
            root,
        } => {
            let root = site_root(root.as_deref())?;
            let path = scaffold::add_event(&root, title, date, track.as_deref(), tags)?;
            let shown = path.strip_prefix(&root).unwrap_or(&path);
            printer.out(&printer.paint(PLAIN, &shown.display().to_string()));
            Ok(())
        }
        Command::Import {
            file,
            into,
            force,
            root,
        } => {
            let root = site_root(root.as_deref())?;
            let mut options = import::ImportOptions::new(&root);
            if let Some(into) = into {
                // Absolute, so import can tell which of its folders are inside
                // the site (and must not be symbolic links).
                options.into = std::env::current_dir().unwrap_or_default().join(into);
            }
            options.force = *force;
            let report = import::import_file(file, &root, &options)?;
            let shown = |path: &Path| path.strip_prefix(&root).unwrap_or(path).display().to_string();
            for path in report.written.iter().chain(&report.intro) {
                printer.status(&format!("wrote {}", shown(path)));
            }
            for path in &report.copied {
                printer.status(&format!("copied {}", shown(path)));
            }
            for path in &report.skipped_existing {
                printer.labelled(
                    YELLOW,
                    "warning:",
                    &format!("kept {} (it exists; pass --force to overwrite)", shown(path)),
                );
            }
            for row in &report.skipped {
                printer.labelled(YELLOW, "skipped:", row);
            }
            for note in &report.not_mapped {
                printer.labelled(CYAN, "note:", note);
            }
            let snippets = [&report.title_yaml, &report.eras_yaml, &report.tracks_yaml];
            for snippet in snippets.into_iter().flatten() {
                printer.status("Add to site.yaml:");
                for line in snippet.lines() {
                    printer.status(line);
                }
            }
            printer.status(&format!(
                "Imported {} events ({} kept, {} skipped, {} notes)",
                report.written.len(),
                report.skipped_existing.len(),
                report.skipped.len(),
                report.not_mapped.len()
            ));
            Ok(())
        }
        Command::Theme {
            action: ThemeAction::Eject { name, root },
        } => {
            let root = site_root(root.as_deref())?;
            let folder = scaffold::eject_theme(&root, name)?;
            let shown = folder.strip_prefix(&root).unwrap_or(&folder);
            printer.status(&format!(
                "Wrote the built-in theme to {}/. Set `theme: {name}` in site.yaml to build with it.",
                shown.display()
            ));
            Ok(())
        }
        Command::Schema { which } => {
            let schema = match which {
                SchemaKind::Event => schema::event_schema(),
                SchemaKind::Site => schema::site_schema(),
            };
            printer.json(&serde_json::to_string_pretty(&schema).unwrap_or_default());
            Ok(())
        }
        Command::Check {
            root,
            drafts,
            format,
            deny_warnings,
            follow_links,
        } => {
            let root = site_root(root.as_deref())?;
            let options = BuildOptions {
                drafts: *drafts,
                base_url: None,
                follow_links: *follow_links,
            };
            let (diagnostics, events) = match pipeline::build(&root, &options) {
                Ok(built) => (built.warnings, Some(built.event_count)),
                Err(Error::Invalid { diagnostics }) => (diagnostics, None),
                Err(other) => return Err(other),
            };
            let count = |severity| diagnostics.iter().filter(|d| d.severity == severity).count();
            let (errors, warnings, infos) = (count(Severity::Error), count(Severity::Warning), count(Severity::Info));
            match format {
                Format::Json => {
                    for diagnostic in &diagnostics {
                        printer.json(&serde_json::to_string(diagnostic).unwrap_or_default());
                    }
                }
                Format::Text => {
                    let all = Printer {
                        verbose: true,
                        ..*printer
                    };
                    all.diagnostics(&diagnostics);
                    let counts = format!(
                        "{}, {}, {}",
                        counted(errors, "error"),
                        counted(warnings, "warning"),
                        counted(infos, "note")
                    );
                    printer.status(&match events {
                        Some(events) => format!("Checked {events} events: {counts}"),
                        None => counts,
                    });
                }
            }
            if errors > 0 {
                Err(Error::Usage(format!("the site has {}", counted(errors, "error"))))
            } else if *deny_warnings && warnings > 0 {
                Err(Error::Usage(format!(
                    "the site has {} (--deny-warnings)",
                    counted(warnings, "warning")
                )))
            } else {
                Ok(())
            }
        }
    }
}

/// "1 error", "3 errors".
fn counted(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
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

/// Opens `url` in the user's browser, if the system has a way to; false
/// when it has none.
fn open_browser(url: &str) -> bool {
    let command = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd").args(["/C", "start", "", url]).spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    command.is_ok()
}

fn site_root(given: Option<&Path>) -> Result<PathBuf, Error> {
    match given {
        Some(root) => load::find_root(root),
        None => load::find_root(&std::env::current_dir().map_err(|source| Error::Read {
            path: PathBuf::from("."),
            source,
        })?),
    }
}

/// Prints to the terminal in the user's chosen style.
///
/// Names and messages come from the site's files, so every text printed
/// goes through [`Printer::paint`], which escapes what a terminal would act
/// on (see [`terminal`]); only [`Printer::out`] and [`Printer::err`] write,
/// and the module denies `println!` and `eprintln!` elsewhere.
#[derive(Clone, Copy)]
struct Printer {
    colour: bool,
    quiet: bool,
    verbose: bool,
}

/// No colour: text a printer escapes but does not colour.
const PLAIN: &str = "";
/// The colour of `error:`.
const RED: &str = "1;31";
/// The colour of `warning:`.
const YELLOW: &str = "1;33";
/// The colour of notes and hints.
const CYAN: &str = "1;36";

impl Printer {
    /// `text` as the terminal shows it: escaped, then in the colour `code`
    /// (an SGR code such as `1;31`, or [`PLAIN`]) when colour is on. Every
    /// text printed passes through here.
    fn paint(&self, code: &str, text: &str) -> String {
        let text = terminal::escape(text);
        if self.colour && !code.is_empty() {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.into_owned()
        }
    }

    /// Writes a line [`Printer::paint`] made to stdout.
    #[allow(clippy::print_stdout)]
    fn out(&self, painted: &str) {
        println!("{painted}");
    }

    /// Writes JSON to stdout as it is, for the tools that read it: serde_json
    /// already writes every control character in a string as `\u00XX`.
    #[allow(clippy::print_stdout)]
    fn json(&self, json: &str) {
        println!("{json}");
    }

    /// Writes a line (or a frame) [`Printer::paint`] made to stderr.
    #[allow(clippy::print_stderr)]
    fn err(&self, painted: &str) {
        eprintln!("{}", painted.trim_end_matches('\n'));
    }

    /// A line of progress on stdout, unless `--quiet`.
    fn status(&self, line: &str) {
        if !self.quiet {
            self.out(&self.paint(PLAIN, line));
        }
    }

    /// `label text` on stderr, the label in colour (`warning:`, `error:`…).
    fn labelled(&self, code: &str, label: &str, text: &str) {
        self.err(&format!("{} {}", self.paint(code, label), self.paint(PLAIN, text)));
    }

    fn diagnostics(&self, diagnostics: &[Diagnostic]) {
        let warnings = diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
        for diagnostic in diagnostics {
            if (self.quiet && !diagnostic.is_error()) || (diagnostic.severity == Severity::Info && !self.verbose) {
                continue;
            }
            if !self.verbose && !diagnostic.is_error() && warnings > 10 {
                continue;
            }
            self.err(&self.frame(diagnostic));
        }
        if !self.verbose && !self.quiet && warnings > 10 {
            self.labelled(
                YELLOW,
                "warning:",
                &format!("{warnings} warnings (run with -v to see them)"),
            );
        }
    }

    fn frame(&self, diagnostic: &Diagnostic) -> String {
        diagnostic::frame(diagnostic, &|style, text| {
            let code = match style {
                "error" => RED,
                "warning" => YELLOW,
                "location" => "1",
                "gutter" => "34",
                "hint" | "info" => CYAN,
                _ => PLAIN,
            };
            self.paint(code, text)
        })
    }

    /// Prints what the preview reports.
    fn notice(&self, notice: Notice, open: bool) {
        match notice {
            Notice::Listening { url, busy_port } => {
                if let Some(busy) = busy_port {
                    self.status(&format!("Port {busy} is busy; using another."));
                }
                self.status(&format!("Serving the site at {url} (Ctrl-C to stop)"));
                let _ = std::io::stdout().flush();
                if open && !open_browser(&url) {
                    self.err(&self.paint(PLAIN, &format!("cannot open a browser; open {url} yourself")));
                }
            }
            Notice::Exposed(ip) => self.labelled(
                YELLOW,
                "warning:",
                &format!("listening on {ip}: other machines on your network can see this preview"),
            ),
            Notice::Lan(urls) if urls.is_empty() => {
                self.status("No network address found for this machine; a phone cannot reach the preview.")
            }
            Notice::Lan(urls) => {
                for url in urls {
                    self.status(&format!("On a phone on the same network, open {url}"));
                }
            }
            Notice::Built {
                events,
                pages,
                rendered,
                took,
                warnings,
            } => {
                self.diagnostics(&warnings);
                self.status(&format!(
                    "Built {events} events, {pages} pages in {} ms ({rendered} rendered, the rest unchanged)",
                    took.as_millis()
                ));
                let _ = std::io::stdout().flush();
            }
            Notice::Failed {
                serving_last_good,
                diagnostics,
                error,
            } => {
                self.diagnostics(&diagnostics);
                if let Some(error) = error {
                    self.labelled(RED, "error:", &error);
                }
                let what = if serving_last_good {
                    "still serving the last good version"
                } else {
                    "the preview shows the errors until they are fixed"
                };
                self.labelled(RED, "error:", &format!("the site has errors; {what}"));
            }
            Notice::Watch(message) => self.labelled(YELLOW, "warning:", &message),
        }
    }

    /// Prints a failure: its diagnostics, then the whole cause chain.
    fn error(&self, error: &Error) {
        if let Error::Invalid { diagnostics } = error {
            self.diagnostics(diagnostics);
        }
        self.labelled(RED, "error:", &annals::error::chain(error));
    }
}

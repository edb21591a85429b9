//! The one way the command line prints: progress lines on stdout,
//! diagnostics, warnings and errors on stderr, JSON for tools on stdout.
//!
//! Names and messages come from the site's files, so every text passes
//! through [`paint`], which escapes what a terminal would act on (see
//! [`annals::terminal`]) before adding annals' own colour. Colour is
//! written as `anstyle` styles into `anstream` streams, which pass it on or
//! strip it as `--color`, `NO_COLOR` and the terminal decide.

use std::io::Write;

use anstream::{AutoStream, ColorChoice};
use anstyle::{AnsiColor, Style};

use annals::diagnostic::{self, Diagnostic, Severity};
use annals::error::Error;
use annals::terminal;

/// No colour: text a printer escapes but does not colour.
pub const PLAIN: Style = Style::new();
/// The colour of `error:`.
pub const ERROR: Style = AnsiColor::Red.on_default().bold();
/// The colour of `warning:` and `skipped:`.
pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
/// The colour of notes and hints.
pub const NOTE: Style = AnsiColor::Cyan.on_default().bold();
/// The colour of a diagnostic's `path:line:col`.
const LOCATION: Style = Style::new().bold();
/// The colour of a frame's gutter and line number.
const GUTTER: Style = AnsiColor::Blue.on_default();

/// `text` as the terminal shows it: escaped, then in `style`. Every text
/// printed passes through here; the stream strips the style when colour is
/// off, never the escapes.
pub fn paint(style: Style, text: &str) -> String {
    format!("{style}{}{style:#}", terminal::escape(text))
}

/// Prints to the terminal in the user's chosen style: only
/// [`Printer::out`], [`Printer::json`] and [`Printer::err`] write.
#[derive(Clone, Copy)]
pub struct Printer {
    /// Whether stdout gets colour (never `Auto`: decided once).
    stdout: ColorChoice,
    /// Whether stderr gets colour (never `Auto`: decided once).
    stderr: ColorChoice,
    /// `--quiet`: only errors.
    pub quiet: bool,
    /// `--verbose`: every warning and note in full.
    pub verbose: bool,
}

impl Printer {
    /// A printer for `--color`. With `auto`, anstream decides for each
    /// stream: colour on a terminal unless NO_COLOR is set (and the other
    /// conventions docs/cli.md lists: TERM, CLICOLOR, CLICOLOR_FORCE).
    pub fn new(color: ColorChoice, quiet: bool, verbose: bool) -> Self {
        let decide = |auto: ColorChoice| if color == ColorChoice::Auto { auto } else { color };
        Printer {
            stdout: decide(AutoStream::choice(&std::io::stdout())),
            stderr: decide(AutoStream::choice(&std::io::stderr())),
            quiet,
            verbose,
        }
    }

    /// This printer, printing every warning and note (`check` shows all).
    pub fn in_full(self) -> Self {
        Printer { verbose: true, ..self }
    }

    /// Writes a line [`paint`] made to stdout.
    pub fn out(&self, painted: &str) {
        let stdout = AutoStream::new(std::io::stdout(), self.stdout).lock();
        write_line(stdout, "stdout", painted);
    }

    /// Writes JSON to stdout as it is, for the tools that read it: serde_json
    /// already writes every control character in a string as `\u00XX`.
    pub fn json(&self, json: &str) {
        write_line(std::io::stdout().lock(), "stdout", json);
    }

    /// Writes a line (or a frame) [`paint`] made to stderr.
    pub fn err(&self, painted: &str) {
        let stderr = AutoStream::new(std::io::stderr(), self.stderr).lock();
        write_line(stderr, "stderr", painted.trim_end_matches('\n'));
    }

    /// Sends what stdout holds to the terminal now (for a server that runs on).
    pub fn flush(&self) {
        let _ = std::io::stdout().flush();
    }

    /// A line of progress on stdout, unless `--quiet`.
    pub fn status(&self, line: &str) {
        if !self.quiet {
            self.out(&paint(PLAIN, line));
        }
    }

    /// `label text` on stderr, the label in colour (`warning:`, `error:`…).
    pub fn labelled(&self, style: Style, label: &str, text: &str) {
        self.err(&format!("{} {}", paint(style, label), paint(PLAIN, text)));
    }

    /// Diagnostics as frames on stderr: errors always; warnings unless
    /// `--quiet`, and summed up in one line when there are more than ten
    /// and not `--verbose`; notes only with `--verbose`.
    pub fn diagnostics(&self, diagnostics: &[Diagnostic]) {
        let warnings = diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
        for diagnostic in diagnostics {
            if (self.quiet && !diagnostic.is_error()) || (diagnostic.severity == Severity::Info && !self.verbose) {
                continue;
            }
            if !self.verbose && !diagnostic.is_error() && warnings > 10 {
                continue;
            }
            self.err(&frame(diagnostic));
        }
        if !self.verbose && !self.quiet && warnings > 10 {
            self.labelled(
                WARNING,
                "warning:",
                &format!(
                    "{} (run with -v to see them)",
                    super::counted(warnings, "warning", "warnings")
                ),
            );
        }
    }

    /// Prints a failure: its diagnostics, then the whole cause chain.
    pub fn error(&self, error: &Error) {
        if let Error::Invalid { diagnostics } = error {
            self.diagnostics(diagnostics);
        }
        self.labelled(ERROR, "error:", &annals::error::chain(error));
    }
}

/// Writes `line` and a line break to `stream`, failing as `println!` does:
/// a command whose output was lost (a full disk) must not exit as if it
/// had succeeded.
fn write_line(mut stream: impl Write, name: &str, line: &str) {
    if let Err(error) = writeln!(stream, "{line}") {
        panic!("failed printing to {name}: {error}");
    }
}

/// A diagnostic's frame (see [`diagnostic::frame`]) in annals' colours.
fn frame(diagnostic: &Diagnostic) -> String {
    diagnostic::frame(diagnostic, &|style, text| {
        let style = match style {
            "error" => ERROR,
            "warning" => WARNING,
            "location" => LOCATION,
            "gutter" => GUTTER,
            "hint" | "info" => NOTE,
            _ => PLAIN,
        };
        paint(style, text)
    })
}

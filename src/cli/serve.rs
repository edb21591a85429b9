//! `annals serve`: runs the library's preview server and prints what it
//! reports — the address, each rebuild, the errors of a failed one — and
//! opens the browser when asked.

use std::path::PathBuf;

use clap::Args;

use annals::error::Error;
use annals::pipeline::BuildOptions;
use annals::serve::{self, Notice, ServeOptions};

use super::printer::{self, Printer, ERROR, WARNING};

/// The flags of `annals serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
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
}

/// Serves the site until Ctrl-C, printing every notice of the server.
pub fn run(args: &ServeArgs, printer: &Printer) -> Result<(), Error> {
    let options = ServeOptions {
        root: super::site_root(args.root.as_deref())?,
        bind: args.bind,
        port: args.port,
        build: BuildOptions {
            drafts: args.drafts,
            base_url: None,
            follow_links: args.follow_links,
        },
        poll: args.poll,
    };
    let open = args.open;
    serve::run(options, &|notice| report(printer, notice, open))
}

/// Prints what the preview reports.
fn report(printer: &Printer, notice: Notice, open: bool) {
    match notice {
        Notice::Listening { url, busy_port } => {
            if let Some(busy) = busy_port {
                printer.status(&format!("Port {busy} is busy; using another."));
            }
            printer.status(&format!("Serving the site at {url} (Ctrl-C to stop)"));
            printer.flush();
            if open && !open_browser(&url) {
                printer.err(&printer::paint(
                    printer::PLAIN,
                    &format!("cannot open a browser; open {url} yourself"),
                ));
            }
        }
        Notice::Exposed(ip) => printer.labelled(
            WARNING,
            "warning:",
            &format!("listening on {ip}: other machines on your network can see this preview"),
        ),
        Notice::Lan(urls) if urls.is_empty() => {
            printer.status("No network address found for this machine; a phone cannot reach the preview.")
        }
        Notice::Lan(urls) => {
            for url in urls {
                printer.status(&format!("On a phone on the same network, open {url}"));
            }
        }
        Notice::Built {
            events,
            pages,
            rendered,
            took,
            warnings,
        } => {
            printer.diagnostics(&warnings);
            printer.status(&format!(
                "Built {}, {} in {} ms ({} rendered, the rest unchanged)",
                super::counted(events, "event", "events"),
                super::counted(pages, "page", "pages"),
                took.as_millis(),
                super::number(rendered),
            ));
            printer.flush();
        }
        Notice::Failed {
            serving_last_good,
            diagnostics,
            error,
        } => {
            printer.diagnostics(&diagnostics);
            if let Some(error) = error {
                printer.labelled(ERROR, "error:", &error);
            }
            let what = if serving_last_good {
                "still serving the last good version"
            } else {
                "the preview shows the errors until they are fixed"
            };
            printer.labelled(ERROR, "error:", &format!("the site has errors; {what}"));
        }
        Notice::Watch(message) => printer.labelled(WARNING, "warning:", &message),
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

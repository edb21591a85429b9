//! `annals serve`: the live preview.
//!
//! The site is built in memory with the same pipeline as `build` and served
//! from memory by a small synchronous HTTP server; `public/` is never
//! touched. A watcher thread turns file changes into incremental rebuilds
//! ([`Session`]) and pushes a reload to every open page over server-sent
//! events. A failed rebuild keeps the last good site up with an error
//! overlay; a first build that fails still starts the server, which shows
//! an error page until the site builds.
//!
//! The HTTP side: [`server`] accepts connections and enforces deadlines,
//! [`wire`] reads request heads within fixed limits, [`http`] maps targets
//! and `Host` names, [`lan`] knows this machine's addresses for a LAN bind,
//! and [`reload`] queues events per page so a stalled page holds up nobody.

pub mod classify;
pub mod debounce;
pub mod http;
pub mod lan;
pub mod reload;
pub mod server;
pub mod session;
pub mod watch;
pub mod wire;

use std::io::ErrorKind;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, RwLock};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crate::diagnostic::{plain_report, Diagnostic};
use crate::error::{Error, Result};
use crate::pipeline::{BuildOptions, Built};
use crate::render::Outputs;
use crate::serve::session::Session;
use classify::{classify, Change};
use debounce::Debouncer;
use http::{content_type, resolve, Resolved};
use lan::HostNames;
use reload::{Hub, EVENTS_PATH};
use server::{Answer, Handler};
use watch::{Seen, SiteWatcher, WATCHED_FOLDERS};
use wire::{RequestHead, Response};

/// The port tried first when none is given.
pub const DEFAULT_PORT: u16 = 1111;
/// How long the file system must be quiet before a rebuild. An editor's
/// save is a burst of events a millisecond or two apart (truncate and
/// write, or write a temporary file and rename it); 15 ms gathers the
/// whole burst into one rebuild and adds little to the wait for the page.
pub const QUIET: Duration = Duration::from_millis(15);
/// How long to wait after a change that ends a save (the file closed or
/// moved into place): only for the rest of a burst already under way, such
/// as `git checkout` writing its next file.
pub const QUIET_AFTER_SAVE: Duration = Duration::from_millis(3);
/// The longest a burst of changes delays a rebuild.
pub const LONGEST_WAIT: Duration = Duration::from_millis(400);

/// How to run the preview.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The address to listen on (127.0.0.1 unless the user asks otherwise).
    pub bind: IpAddr,
    /// The port; `None` tries [`DEFAULT_PORT`] and the next ones.
    pub port: Option<u16>,
    /// Build options (drafts, base URL).
    pub build: BuildOptions,
    /// Check files by polling instead of native watches.
    pub poll: bool,
}

/// What the preview tells its user; the binary prints these.
#[derive(Debug, Clone)]
pub enum Notice {
    /// The server is listening.
    Listening {
        /// The address to open.
        url: String,
        /// The default port that was busy, when another was taken.
        busy_port: Option<u16>,
    },
    /// The server listens on an address other machines can reach.
    Exposed(IpAddr),
    /// The addresses a phone (or another machine) on the same network opens;
    /// empty when none could be found.
    Lan(Vec<String>),
    /// A build succeeded.
    Built {
        /// Published events.
        events: usize,
        /// HTML pages.
        pages: usize,
        /// Pages rendered (the rest were reused).
        rendered: usize,
        /// How long it took.
        took: Duration,
        /// Warnings.
        warnings: Vec<Diagnostic>,
    },
    /// A build failed; the last good site (if any) stays up.
    Failed {
        /// Whether an earlier build succeeded and is still being served.
        serving_last_good: bool,
        /// What is wrong, per file.
        diagnostics: Vec<Diagnostic>,
        /// The error, when it is not about a file's content.
        error: Option<String>,
    },
    /// Something about watching files.
    Watch(String),
}

/// The site as served right now.
struct Live {
    outputs: Arc<Outputs>,
    build_id: String,
    /// The last failure, as text for the overlay.
    error: Option<String>,
    built_once: bool,
}

struct Shared {
    live: RwLock<Live>,
    hub: Hub,
    hosts: HostNames,
    port: u16,
}

/// Binds the server, builds the site and serves it until the process ends.
pub fn run(options: ServeOptions, report: &(dyn Fn(Notice) + Sync)) -> Result<()> {
    let (listener, busy_port) = bind(options.bind, options.port)?;
    let address = listener.local_addr().map_err(|source| Error::Read {
        path: PathBuf::from("socket"),
        source,
    })?;
    let url_host = if address.ip().is_unspecified() {
        "127.0.0.1".to_string()
    } else {
        lan::host_name(address.ip())
    };
    if !address.ip().is_loopback() {
        report(Notice::Exposed(address.ip()));
    }
    let shared = Arc::new(Shared {
        live: RwLock::new(Live {
            outputs: Arc::new(Outputs::default()),
            build_id: new_build_id(0),
            error: None,
            built_once: false,
        }),
        hub: Hub::default(),
        hosts: HostNames::new(address.ip()),
        port: address.port(),
    });

    // Watch before the first build, so a save made while it runs is not missed.
    let (sender, paths) = mpsc::channel::<Seen>();
    let (watcher, notice) = SiteWatcher::start(&options.root, sender, options.poll).map_err(|error| Error::Read {
        path: options.root.clone(),
        source: std::io::Error::other(error.to_string()),
    })?;
    if let Some(notice) = notice {
        report(Notice::Watch(notice));
    }
    let mut session = Session::new(&options.root, options.build.clone());
    let started = Instant::now();
    let first = session.build_all();
    publish(&shared, first, started, &session, 1, report);
    report(Notice::Listening {
        url: format!("http://{url_host}:{}/", address.port()),
        busy_port,
    });
    if !address.ip().is_loopback() {
        let own = lan::addresses();
        report(Notice::Lan(lan::urls_for_phone(address.ip(), &own, address.port())));
    }

    server::spawn(listener, Arc::clone(&shared)).map_err(|source| Error::Read {
        path: PathBuf::from(address.to_string()),
        source,
    })?;
    let heartbeat = Arc::clone(&shared);
    thread::spawn(move || loop {
        thread::sleep(Duration::from_secs(10));
        heartbeat.hub.broadcast(": keep-alive\n\n");
    });
    watch_and_rebuild(&options, session, &shared, report, watcher, paths)
}

/// Listens on the given port, or on the first free one from the default.
fn bind(ip: IpAddr, port: Option<u16>) -> Result<(TcpListener, Option<u16>)> {
    let attempt = |port: u16| TcpListener::bind(SocketAddr::new(ip, port));
    let refused = |port: u16, source: std::io::Error| Error::Write {
        path: PathBuf::from(format!("{ip}:{port}")),
        source,
    };
    match port {
        Some(port) => attempt(port)
            .map(|listener| (listener, None))
            .map_err(|source| refused(port, source)),
        None => {
            for candidate in DEFAULT_PORT..DEFAULT_PORT + 50 {
                match attempt(candidate) {
                    Ok(listener) => {
                        let busy = (candidate != DEFAULT_PORT).then_some(DEFAULT_PORT);
                        return Ok((listener, busy));
                    }
                    Err(error) if error.kind() == ErrorKind::AddrInUse => continue,
                    Err(source) => return Err(refused(candidate, source)),
                }
            }
            Err(refused(
                DEFAULT_PORT,
                std::io::Error::other("ports 1111 to 1160 are all busy; pass --port"),
            ))
        }
    }
}

/// Ids differ across rebuilds and across server restarts, so an open page
/// always notices that what it shows is stale.
fn new_build_id(counter: u64) -> String {
    let started = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("{started:x}-{counter}")
}

/// Makes a build's outcome live and tells the open pages and the user.
fn publish(
    shared: &Shared,
    outcome: Result<Built>,
    started: Instant,
    session: &Session,
    counter: u64,
    report: &(dyn Fn(Notice) + Sync),
) {
    match outcome {
        Ok(built) => {
            let id = new_build_id(counter);
            let stats = session.render_stats();
            let pages = built.outputs.page_count();
            let previous = {
                let mut live = shared.live.write().unwrap_or_else(|p| p.into_inner());
                let previous = std::mem::replace(&mut live.outputs, Arc::new(built.outputs));
                live.build_id = id.clone();
                live.error = None;
                live.built_once = true;
                previous
            };
            // Freeing the last site's files can take a while on a big site:
            // not while holding the lock, and after the reload is sent.
            shared.hub.broadcast(&reload::event("build", &id));
            let took = started.elapsed();
            drop(previous);
            report(Notice::Built {
                events: built.event_count,
                pages,
                rendered: stats.rendered,
                took,
                warnings: built.warnings,
            });
        }
        Err(error) => {
            let (diagnostics, detail) = match error {
                Error::Invalid { diagnostics } => (diagnostics, None),
                other => (Vec::new(), Some(crate::error::chain(&other))),
            };
            let mut text = plain_report(&diagnostics);
            if let Some(detail) = &detail {
                text.push_str(detail);
            }
            let serving_last_good = {
                let mut live = shared.live.write().unwrap_or_else(|p| p.into_inner());
                live.error = Some(text.clone());
                live.built_once
            };
            let json = serde_json::to_string(&text).unwrap_or_default();
            shared.hub.broadcast(&reload::event("failed", &json));
            report(Notice::Failed {
                serving_last_good,
                diagnostics,
                error: detail,
            });
        }
    }
}

/// The watcher loop: gather changes, wait for quiet, rebuild, publish.
fn watch_and_rebuild(
    options: &ServeOptions,
    mut session: Session,
    shared: &Shared,
    report: &(dyn Fn(Notice) + Sync),
    mut watcher: SiteWatcher,
    paths: mpsc::Receiver<Seen>,
) -> Result<()> {
    let root = options.root.canonicalize().unwrap_or_else(|_| options.root.clone());
    let mut debouncer = Debouncer::new(QUIET, QUIET_AFTER_SAVE, LONGEST_WAIT);
    let mut counter = 1;
    loop {
        let wait = debouncer.wait(Instant::now()).unwrap_or(Duration::from_secs(3600));
        match paths.recv_timeout(wait) {
            Ok(Seen { path, finished }) => {
                let output = session
                    .config()
                    .map_or("public".to_string(), |config| config.output_dir.clone());
                let path = canonical_under(&root, &options.root, &path);
                if let Some(change) = classify(&root, &output, &path) {
                    if let Change::Content(folder) | Change::Static(folder) | Change::Theme(folder) = &change {
                        if WATCHED_FOLDERS.contains(&folder.as_str()) {
                            if let Err(error) = watcher.rewatch(folder) {
                                report(Notice::Watch(format!("cannot watch `{folder}/` again: {error}")));
                            }
                        }
                    }
                    debouncer.push(change, finished, Instant::now());
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
        if let Some(changes) = debouncer.take(Instant::now()) {
            let started = Instant::now();
            counter += 1;
            let outcome = session.rebuild(&changes);
            publish(shared, outcome, started, &session, counter, report);
        }
    }
}

/// The watcher may report paths through the root as given or as resolved;
/// express them under the resolved root.
fn canonical_under(root: &Path, given_root: &Path, path: &Path) -> PathBuf {
    match path.strip_prefix(given_root) {
        Ok(relative) if !path.starts_with(root) => root.join(relative),
        _ => path.to_path_buf(),
    }
}

impl Handler for Shared {
    fn answer(&self, request: &RequestHead) -> Answer {
        if !self.hosts.allows(request.header("Host"), self.port) {
            Answer::Respond(text_response(403, "Forbidden: unexpected Host header\n"))
        } else if request.method == "GET" && request.target == EVENTS_PATH {
            Answer::Stream
        } else {
            Answer::Respond(self.respond(request))
        }
    }

    fn stream(&self, connection: std::net::TcpStream) -> std::result::Result<(), std::net::TcpStream> {
        let mut greeting = String::from(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\n",
        );
        {
            let live = self.live.read().unwrap_or_else(|p| p.into_inner());
            greeting.push_str(&reload::event("build", &live.build_id));
            if let Some(error) = &live.error {
                greeting.push_str(&reload::event(
                    "failed",
                    &serde_json::to_string(error).unwrap_or_default(),
                ));
            }
        }
        // Small, so that a page that stops reading holds little memory
        // before its queue overflows and it is dropped.
        let _ = socket2::SockRef::from(&connection).set_send_buffer_size(reload::SEND_BUFFER);
        // Kept to give the connection back when the hub is full.
        let kept = connection.try_clone();
        if self.hub.join(connection, &greeting) {
            return Ok(());
        }
        kept.map_or(Ok(()), Err)
    }
}

impl Shared {
    /// Answers one request for a page from memory (its `Host` is checked).
    fn respond(&self, request: &RequestHead) -> Response {
        if !matches!(request.method.as_str(), "GET" | "HEAD") {
            return text_response(405, "Method not allowed\n").with_header("Allow", "GET, HEAD");
        }
        if request.target == EVENTS_PATH {
            // `HEAD`: the stream's head without the stream.
            return page_response(200, Vec::new(), "text/event-stream");
        }
        let (outputs, build_id, built_once) = {
            let live = self.live.read().unwrap_or_else(|p| p.into_inner());
            (Arc::clone(&live.outputs), live.build_id.clone(), live.built_once)
        };
        match resolve(&request.target, |path| outputs.files.contains_key(path)) {
            Resolved::BadRequest => text_response(400, "Bad request\n"),
            _ if !built_once => {
                let error = self.live.read().unwrap_or_else(|p| p.into_inner()).error.clone();
                let page = reload::error_page(error.as_deref().unwrap_or("The site is being built…"), &build_id);
                page_response(500, page, "text/html; charset=utf-8")
            }
            Resolved::File(path) => {
                let bytes = &outputs.files[&path];
                let kind = content_type(&path);
                let body = if kind.starts_with("text/html") {
                    reload::inject(bytes, &build_id)
                } else {
                    bytes.to_vec()
                };
                page_response(200, body, kind)
            }
            Resolved::Redirect(location) => text_response(301, "Moved\n").with_header("Location", location),
            Resolved::NotFound => match outputs.files.get("404.html") {
                Some(page) => page_response(404, reload::inject(page, &build_id), "text/html; charset=utf-8"),
                None => text_response(404, "Not found\n"),
            },
        }
    }
}

fn page_response(status: u16, body: Vec<u8>, kind: &str) -> Response {
    Response::new(status, kind, body)
        .with_header("Cache-Control", "no-store")
        .with_header("X-Content-Type-Options", "nosniff")
}

fn text_response(status: u16, text: &str) -> Response {
    page_response(status, text.as_bytes().to_vec(), "text/plain; charset=utf-8")
}

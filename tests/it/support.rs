//! A small builder for the tests: copy a site into a temp dir, run the real
//! `annals` binary on it, and look at what it printed and wrote.
//!
//! Sites come from `tests/fixtures/<case>/` or from the repository's own
//! example. Trees of files are captured as [`Tree`]s (path → bytes, folders
//! and symlinks included) so a test can prove a folder did not change at all.
//! [`output`] reads what a build wrote: pages, `events.json` and links.
//!
//! For `annals serve`, [`ServeGuard`] runs the real server on a site and
//! kills it when dropped; [`http_get`] and [`EventStream`] talk to it over
//! raw sockets, so a test can send exactly the bytes an attacker would.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

use tempfile::TempDir;

pub mod output;

/// The repository root, where the example site lives.
pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// The benchmarks' generator of large sites, shared with the tests.
#[allow(dead_code)]
#[path = "../../benches/support/corpus.rs"]
pub mod corpus;

/// A site copied into its own temp dir: `<dir>/site/` holds the site, and
/// `<dir>/out/` is where [`Site::build`] writes.
pub struct Site {
    temp: TempDir,
    /// The site root (holds `site.yaml`).
    pub root: PathBuf,
}

impl Site {
    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> Site {
        let site = Site::empty();
        copy_dir(&fixture_dir(name), &site.root);
        site
    }

    /// A copy of the repository's example site (`site.yaml`, `content/`,
    /// `static/` and `themes/`).
    pub fn example() -> Site {
        let site = Site::empty();
        let repo = Path::new(REPO);
        fs::copy(repo.join("site.yaml"), site.root.join("site.yaml")).expect("copy site.yaml");
        for folder in ["content", "static", "themes"] {
            if repo.join(folder).is_dir() {
                copy_dir(&repo.join(folder), &site.root.join(folder));
            }
        }
        site
    }

    /// A site with no files yet, for a test that writes its own.
    pub fn empty() -> Site {
        let temp = tempfile::tempdir().expect("create a temp dir");
        // Canonical, so paths compare equal to the ones annals prints.
        let base = temp.path().canonicalize().expect("canonical temp dir");
        let root = base.join("site");
        fs::create_dir_all(&root).expect("create the site folder");
        Site { temp, root }
    }

    /// The temp dir holding the site (and, by default, the output).
    pub fn base(&self) -> PathBuf {
        self.temp.path().canonicalize().expect("canonical temp dir")
    }

    /// The default output folder of [`Site::build`], beside the site.
    pub fn out(&self) -> PathBuf {
        self.base().join("out")
    }

    /// A path inside the site.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// Copies `tests/fixtures/<name>/` over the site, replacing files of the same path.
    pub fn overlay(&self, name: &str) {
        copy_dir(&fixture_dir(name), &self.root);
    }

    /// Writes a file of the site, creating its folder.
    pub fn write(&self, relative: &str, text: &str) {
        write_file(&self.path(relative), text);
    }

    /// Reads a text file of the site.
    #[track_caller]
    pub fn read(&self, relative: &str) -> String {
        read(&self.path(relative))
    }

    /// Replaces the first `from` in a file of the site with `to`, asserting
    /// `from` is there.
    #[track_caller]
    pub fn replace(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "`{from}` is not in {relative}:\n{text}");
        self.write(relative, &text.replacen(from, to, 1));
    }

    /// Removes a file of the site.
    #[track_caller]
    pub fn remove(&self, relative: &str) {
        fs::remove_file(self.path(relative)).unwrap_or_else(|error| panic!("cannot remove {relative}: {error}"));
    }

    /// `annals build --root <site> -o <out>`, run from the temp dir.
    pub fn build(&self) -> Run {
        self.build_into(&self.out(), &[])
    }

    /// `annals build --root <site> -o <output> <extra…>`, run from the temp dir.
    pub fn build_into(&self, output: &Path, extra: &[&str]) -> Run {
        let mut args = vec![
            "build".as_ref(),
            "--root".as_ref(),
            self.root.as_os_str(),
            "-o".as_ref(),
            output.as_os_str(),
        ];
        args.extend(extra.iter().map(std::ffi::OsStr::new));
        annals(&self.base(), &args)
    }
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// The exit code (`None` if killed by a signal).
    pub code: Option<i32>,
    /// Everything printed to stdout.
    pub stdout: String,
    /// Everything printed to stderr.
    pub stderr: String,
}

impl Run {
    /// Asserts the run exited 0.
    #[track_caller]
    pub fn success(self) -> Run {
        assert_eq!(self.code, Some(0), "annals failed:\n{self}");
        self
    }

    /// Asserts the run exited 1.
    #[track_caller]
    pub fn failure(self) -> Run {
        assert_eq!(
            self.code,
            Some(1),
            "annals should have failed with exit code 1:\n{self}"
        );
        self
    }

    /// The counts of the summary line `annals build` prints:
    /// `Built N events, P pages in T ms → out/ (W written, U unchanged, R removed)`.
    #[track_caller]
    pub fn summary(&self) -> BuildSummary {
        let line = self
            .stdout
            .lines()
            .find(|line| line.starts_with("Built "))
            .unwrap_or_else(|| panic!("no summary line:\n{self}"));
        let words: Vec<&str> = line.split(' ').collect();
        assert_eq!(
            (words.get(2), words.get(4)),
            (Some(&"events,"), Some(&"pages")),
            "{line}"
        );
        let number = |text: Option<&&str>| -> usize {
            text.and_then(|word| word.trim_start_matches('(').trim_end_matches(',').parse().ok())
                .unwrap_or_else(|| panic!("a count missing in `{line}`"))
        };
        let writes: Vec<&str> = line
            .split_once(" (")
            .unwrap_or_else(|| panic!("no `(… written, … unchanged, … removed)` in `{line}`"))
            .1
            .split(' ')
            .collect();
        let count_of = |what: &str| {
            let at = writes
                .iter()
                .position(|word| word.trim_end_matches([',', ')']) == what)
                .unwrap_or_else(|| panic!("no `{what}` count in `{line}`"));
            number(at.checked_sub(1).and_then(|before| writes.get(before)))
        };
        BuildSummary {
            events: number(words.get(1)),
            pages: number(words.get(3)),
            written: count_of("written"),
            unchanged: count_of("unchanged"),
            removed: count_of("removed"),
        }
    }

    /// The stderr line of an error at `location` (`path:line` or
    /// `path:line:column`), asserting there is one.
    #[track_caller]
    pub fn error_at(&self, location: &str) -> &str {
        self.stderr
            .lines()
            .find(|line| line.strip_prefix(location).is_some_and(starts_an_error))
            .unwrap_or_else(|| panic!("no error at `{location}` in stderr:\n{}", self.stderr))
    }
}

/// The counts of a build's summary line ([`Run::summary`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildSummary {
    pub events: usize,
    pub pages: usize,
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit code: {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs the real binary in `cwd` with `args`, without colour.
pub fn annals<S: AsRef<std::ffi::OsStr>>(cwd: &Path, args: &[S]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run annals");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// One entry of a [`Tree`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A folder.
    Dir,
    /// A regular file and its bytes.
    File(Vec<u8>),
    /// A symbolic link and where it points.
    Link(PathBuf),
}

/// Everything under a folder, by `/`-separated relative path.
pub type Tree = BTreeMap<String, Entry>;

/// Captures every folder, file and symlink under `dir` (hidden ones too;
/// symlinks are recorded, not followed). A missing `dir` is an empty tree.
pub fn tree(dir: &Path) -> Tree {
    let mut found = Tree::new();
    if !dir.exists() {
        return found;
    }
    for entry in walkdir::WalkDir::new(dir).min_depth(1).follow_links(false) {
        let entry = entry.expect("walk the tree");
        let relative = relative_name(dir, entry.path());
        let kind = entry.file_type();
        let value = if kind.is_symlink() {
            Entry::Link(fs::read_link(entry.path()).expect("read a symlink"))
        } else if kind.is_dir() {
            Entry::Dir
        } else {
            Entry::File(fs::read(entry.path()).expect("read a file"))
        };
        found.insert(relative, value);
    }
    found
}

/// The files (not folders) of a tree, by relative path.
pub fn files(tree: &Tree) -> BTreeMap<&str, &[u8]> {
    tree.iter()
        .filter_map(|(path, entry)| match entry {
            Entry::File(bytes) => Some((path.as_str(), bytes.as_slice())),
            _ => None,
        })
        .collect()
}

/// Asserts two trees are identical, listing what differs.
#[track_caller]
pub fn assert_same_tree(before: &Tree, after: &Tree, what: &str) {
    let mut differences = Vec::new();
    for (path, entry) in before {
        match after.get(path) {
            None => differences.push(format!("removed: {path}")),
            Some(other) if other != entry => differences.push(format!("changed: {path}")),
            Some(_) => {}
        }
    }
    for path in after.keys().filter(|path| !before.contains_key(*path)) {
        differences.push(format!("added:   {path}"));
    }
    assert!(differences.is_empty(), "{what} changed:\n{}", differences.join("\n"));
}

/// Paths under `dir` of leftover temporary files (`*.tmp`).
pub fn temporary_files(dir: &Path) -> Vec<String> {
    tree(dir).into_keys().filter(|path| path.ends_with(".tmp")).collect()
}

/// Reads a text file, naming it if that fails.
#[track_caller]
pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// Parses an HTML file.
#[track_caller]
pub fn html(path: &Path) -> scraper::Html {
    scraper::Html::parse_document(&read(path))
}

/// A CSS selector; panics on a typo in the test.
pub fn selector(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).unwrap_or_else(|error| panic!("bad selector `{css}`: {error:?}"))
}

/// Writes a file, creating its folder.
pub fn write_file(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("a file has a parent")).expect("create the folder");
    fs::write(path, text).expect("write the file");
}

/// `: error: …`, or `:<column>: error: …` when the location had no column.
fn starts_an_error(rest: &str) -> bool {
    let rest = match rest.strip_prefix(':') {
        Some(after) if after.starts_with(|c: char| c.is_ascii_digit()) => {
            after.trim_start_matches(|c: char| c.is_ascii_digit())
        }
        _ => rest,
    };
    rest.starts_with(": error:")
}

fn fixture_dir(name: &str) -> PathBuf {
    let dir = Path::new(REPO).join("tests/fixtures").join(name);
    assert!(dir.is_dir(), "no fixture {}", dir.display());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).follow_links(false) {
        let entry = entry.expect("walk the fixture");
        let target = to.join(entry.path().strip_prefix(from).expect("inside the fixture"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("create a folder");
        } else {
            fs::copy(entry.path(), &target).unwrap_or_else(|error| panic!("copy {}: {error}", entry.path().display()));
        }
    }
}

fn relative_name(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .expect("inside the tree")
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// An event of the example site that the live-preview tests edit: its file,
/// its page and its title.
pub const EXAMPLE_EVENT_FILE: &str = "content/events/2013-12-09-fair-founded.md";
/// The address of [`EXAMPLE_EVENT_FILE`]'s page.
pub const EXAMPLE_EVENT_PAGE: &str = "/events/fair-founded/";
/// The title of [`EXAMPLE_EVENT_FILE`].
pub const EXAMPLE_EVENT_TITLE: &str = "LeCun to lead Facebook AI Research";

/// How long a test waits for something that should happen (a page to
/// change, a server to start, an answer): long, so that a machine with every
/// core busy makes the suite slower but never makes it fail. Waits end as
/// soon as what they wait for happens.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// How long a poll waits between two looks.
const POLL_EVERY: Duration = Duration::from_millis(25);

/// Calls `check` every 25 ms until it returns `Ok`, and panics after
/// `within` with `what` it waited for and what `check` last said.
#[track_caller]
pub fn eventually<T>(within: Duration, what: &str, mut check: impl FnMut() -> Result<T, String>) -> T {
    let deadline = Instant::now() + within;
    loop {
        match check() {
            Ok(value) => return value,
            Err(last) if Instant::now() >= deadline => {
                panic!("waited {within:?} for {what}; last saw: {last}")
            }
            Err(_) => thread::sleep(POLL_EVERY),
        }
    }
}

/// Which output of the server a line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    /// Status lines (`Serving the site at …`, `Built …`).
    Stdout,
    /// Diagnostics and warnings.
    Stderr,
}

/// A running `annals serve --root <site> --port 0`, killed when dropped.
pub struct ServeGuard {
    child: Child,
    /// The port it listens on, on 127.0.0.1.
    pub port: u16,
    incoming: Receiver<(Stream, String)>,
    /// Every line printed so far, in order.
    lines: Vec<(Stream, String)>,
}

impl ServeGuard {
    /// Starts the server on `site` and waits (up to [`PATIENCE`]) until it
    /// says where it listens, which it does after the first build.
    #[track_caller]
    pub fn start(site: &Site) -> ServeGuard {
        ServeGuard::start_with(site, &[])
    }

    /// [`ServeGuard::start`] with extra arguments (e.g. `--poll`).
    #[track_caller]
    pub fn start_with(site: &Site, extra: &[&str]) -> ServeGuard {
        use std::os::unix::process::CommandExt;
        let mut command = Command::new(env!("CARGO_BIN_EXE_annals"));
        command
            .args(["serve", "--root"])
            .arg(&site.root)
            .args(["--port", "0"])
            .args(extra)
            .current_dir(site.base())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // As in a terminal, Ctrl-C (SIGINT) stops the server. A test run
        // started in the background of a script inherits SIGINT ignored,
        // and an ignored signal stays ignored across exec: undo that.
        // SAFETY: `signal` is async-signal-safe, the only call made between
        // fork and exec here.
        unsafe {
            command.pre_exec(|| {
                libc::signal(libc::SIGINT, libc::SIG_DFL);
                Ok(())
            });
        }
        let mut child = command.spawn().expect("start annals serve");
        let (sender, incoming) = mpsc::channel();
        forward_lines(
            child.stdout.take().expect("piped stdout"),
            Stream::Stdout,
            sender.clone(),
        );
        forward_lines(child.stderr.take().expect("piped stderr"), Stream::Stderr, sender);
        let mut server = ServeGuard {
            child,
            port: 0,
            incoming,
            lines: Vec::new(),
        };
        let line = server.wait_for_line(Stream::Stdout, 1, PATIENCE, |line| {
            line.starts_with("Serving the site at ")
        });
        server.port = line
            .strip_prefix("Serving the site at http://127.0.0.1:")
            .and_then(|rest| rest.split_once('/'))
            .and_then(|(port, _)| port.parse().ok())
            .unwrap_or_else(|| panic!("no 127.0.0.1 port in `{line}`"));
        server
    }

    /// `GET <target>` with this server's own `Host`.
    #[track_caller]
    pub fn get(&self, target: &str) -> HttpResponse {
        http_get(self.port, target, &self.host())
    }

    /// `127.0.0.1:<port>`, the `Host` a browser sends.
    pub fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The full address of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.host())
    }

    /// The lines of `stream` printed so far.
    pub fn lines(&mut self, stream: Stream) -> Vec<String> {
        self.drain();
        self.lines
            .iter()
            .filter(|(from, _)| *from == stream)
            .map(|(_, line)| line.clone())
            .collect()
    }

    /// Waits until `stream` has shown `nth` (1-based) lines that satisfy
    /// `matches`, and returns that line; panics with everything the server
    /// printed if it does not come `within` the time.
    #[track_caller]
    pub fn wait_for_line(
        &mut self,
        stream: Stream,
        nth: usize,
        within: Duration,
        matches: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Instant::now() + within;
        loop {
            let found = self.lines(stream).into_iter().filter(|line| matches(line)).nth(nth - 1);
            if let Some(line) = found {
                return line;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            let outcome = if left.is_zero() {
                Err(RecvTimeoutError::Timeout)
            } else {
                self.incoming.recv_timeout(left)
            };
            match outcome {
                Ok(line) => self.lines.push(line),
                Err(RecvTimeoutError::Timeout) if !left.is_zero() => {}
                Err(why) => {
                    let status = self.child.try_wait().ok().flatten();
                    panic!(
                        "waited {within:?} for line {nth} of {stream:?} to match ({why}); \
                         the server (exit status {status:?}) printed:\n{}",
                        self.transcript()
                    );
                }
            }
        }
    }

    /// Sends SIGINT, as Ctrl-C in a terminal does, and waits (up to
    /// [`PATIENCE`]) for the server to stop; returns how it ended.
    #[cfg(unix)]
    #[track_caller]
    pub fn interrupt(&mut self) -> std::process::ExitStatus {
        let sent = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(sent.success(), "kill -INT failed: {sent}");
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("poll the server") {
                return status;
            }
            if Instant::now() > deadline {
                panic!(
                    "the server did not stop within {PATIENCE:?} of SIGINT:\n{}",
                    self.transcript()
                );
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    /// Everything the server printed so far, for failure messages.
    pub fn transcript(&mut self) -> String {
        self.drain();
        self.lines
            .iter()
            .map(|(stream, line)| format!("{stream:?}: {line}\n"))
            .collect()
    }

    fn drain(&mut self) {
        while let Ok(line) = self.incoming.try_recv() {
            self.lines.push(line);
        }
    }
}

impl Drop for ServeGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sends every line of `output` to `sender` from a thread of its own.
fn forward_lines(output: impl Read + Send + 'static, stream: Stream, sender: Sender<(Stream, String)>) {
    thread::spawn(move || {
        for line in BufReader::new(output).lines() {
            let Ok(line) = line else { break };
            if sender.send((stream, line)).is_err() {
                break;
            }
        }
    });
}

/// One HTTP response, read until the server closed the connection.
#[derive(Debug)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The headers, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body (lossily decoded as UTF-8).
    pub body: String,
}

impl HttpResponse {
    /// The value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Sends `GET <raw_target> HTTP/1.1` with `Host: <host>` and
/// `Connection: close` to 127.0.0.1:`port`, exactly as written (no
/// normalisation), and reads the answer until the server closes.
#[track_caller]
pub fn http_get(port: u16, raw_target: &str, host: &str) -> HttpResponse {
    let shown: String = raw_target.chars().take(60).collect();
    let mut stream =
        TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|error| panic!("connect for {shown}: {error}"));
    stream.set_read_timeout(Some(PATIENCE)).expect("set a read timeout");
    let request = format!("GET {raw_target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .unwrap_or_else(|error| panic!("send GET {shown}: {error}"));
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .unwrap_or_else(|error| panic!("read the answer to GET {shown}: {error}"));
    parse_response(&raw)
        .unwrap_or_else(|| panic!("GET {shown}: not an HTTP response: {:?}", String::from_utf8_lossy(&raw)))
}

fn parse_response(raw: &[u8]) -> Option<HttpResponse> {
    let end = raw.windows(4).position(|window| window == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..end]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_string(), value.trim().to_string()))
        .collect();
    let mut response = HttpResponse {
        status,
        headers,
        body: String::new(),
    };
    let body = &raw[end + 4..];
    let body = if response
        .header("Transfer-Encoding")
        .is_some_and(|value| value.eq_ignore_ascii_case("chunked"))
    {
        unchunk(body)?
    } else {
        body.to_vec()
    };
    response.body = String::from_utf8_lossy(&body).into_owned();
    Some(response)
}

/// Decodes a chunked body.
fn unchunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|window| window == b"\r\n")?;
        let size = std::str::from_utf8(&body[..line_end]).ok()?.split(';').next()?.trim();
        let size = usize::from_str_radix(size, 16).ok()?;
        if size == 0 {
            return Some(out);
        }
        let chunk = body.get(line_end + 2..line_end + 2 + size)?;
        out.extend_from_slice(chunk);
        body = body.get(line_end + 4 + size..)?;
    }
}

/// One server-sent event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The `event:` field (`message` when absent).
    pub name: String,
    /// The `data:` fields, joined by newlines.
    pub data: String,
}

/// An open `GET /__annals/events` connection, read as raw bytes.
pub struct EventStream {
    socket: TcpStream,
    /// Bytes received after the response head and not yet parsed.
    pending: Vec<u8>,
    /// Whether the server closed the connection.
    closed: bool,
}

impl EventStream {
    /// Opens the event stream and checks the response head.
    #[track_caller]
    pub fn open(server: &ServeGuard) -> EventStream {
        let mut socket = TcpStream::connect(("127.0.0.1", server.port)).expect("connect to the event stream");
        let request = format!(
            "GET /__annals/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            server.host()
        );
        socket.write_all(request.as_bytes()).expect("ask for the event stream");
        let mut stream = EventStream {
            socket,
            pending: Vec::new(),
            closed: false,
        };
        let deadline = Instant::now() + PATIENCE;
        let end = loop {
            if let Some(end) = stream.pending.windows(4).position(|window| window == b"\r\n\r\n") {
                break end;
            }
            assert!(
                stream.receive(deadline),
                "no response head from the event stream: {:?}",
                String::from_utf8_lossy(&stream.pending)
            );
        };
        let head = String::from_utf8_lossy(&stream.pending[..end]).into_owned();
        stream.pending.drain(..end + 4);
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(
            head.to_ascii_lowercase().contains("content-type: text/event-stream"),
            "{head}"
        );
        stream
    }

    /// The next event (comments and `retry:` blocks are skipped), or
    /// `None` if none arrives `within` the time.
    pub fn next_event(&mut self, within: Duration) -> Option<SseEvent> {
        let deadline = Instant::now() + within;
        loop {
            while let Some(end) = self.pending.windows(2).position(|window| window == b"\n\n") {
                let block = String::from_utf8_lossy(&self.pending[..end]).into_owned();
                self.pending.drain(..end + 2);
                if let Some(event) = parse_event(&block) {
                    return Some(event);
                }
            }
            if !self.receive(deadline) {
                return None;
            }
        }
    }

    /// Skips events until one named `name` whose data satisfies `matches`
    /// arrives; panics (listing what came instead) after `within`.
    #[track_caller]
    pub fn wait_for(&mut self, name: &str, within: Duration, matches: impl Fn(&str) -> bool) -> SseEvent {
        let deadline = Instant::now() + within;
        let mut skipped = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.next_event(left) {
                Some(event) if event.name == name && matches(&event.data) => return event,
                Some(other) => skipped.push(other),
                None => panic!(
                    "no matching `{name}` event within {within:?} (stream closed: {}); received instead: {skipped:?}",
                    self.closed
                ),
            }
        }
    }

    /// The raw connection, to write into it.
    pub fn socket(&mut self) -> &mut TcpStream {
        &mut self.socket
    }

    /// Reads what is available before `deadline`; false on timeout or close.
    fn receive(&mut self, deadline: Instant) -> bool {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return false;
        }
        self.socket.set_read_timeout(Some(left)).expect("set a read timeout");
        let mut buffer = [0; 8192];
        match self.socket.read(&mut buffer) {
            Ok(0) => {
                self.closed = true;
                false
            }
            Ok(read) => {
                self.pending.extend_from_slice(&buffer[..read]);
                true
            }
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => false,
            Err(error) => panic!("read the event stream: {error}"),
        }
    }
}

/// One block of an event stream; `None` for comments and `retry:` alone.
fn parse_event(block: &str) -> Option<SseEvent> {
    let mut name = None;
    let mut data: Option<Vec<&str>> = None;
    for line in block.lines() {
        if let Some(value) = line.strip_prefix("event:") {
            name = Some(value.trim_start().to_string());
        } else if let Some(value) = line.strip_prefix("data:") {
            data.get_or_insert_with(Vec::new)
                .push(value.strip_prefix(' ').unwrap_or(value));
        }
    }
    if name.is_none() && data.is_none() {
        return None;
    }
    Some(SseEvent {
        name: name.unwrap_or_else(|| "message".to_string()),
        data: data.unwrap_or_default().join("\n"),
    })
}

/// A plain static file server over a folder, on 127.0.0.1 and a free port,
/// stopped when dropped: what a reader's web host does with a built site.
pub struct StaticServer {
    server: std::sync::Arc<tiny_http::Server>,
    thread: Option<thread::JoinHandle<()>>,
    /// The port it listens on.
    pub port: u16,
}

impl StaticServer {
    /// Serves the files under `root`; a folder answers with its `index.html`.
    pub fn start(root: &Path) -> StaticServer {
        let server = std::sync::Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("listen on a free port"));
        let port = server.server_addr().to_ip().expect("an IP listener").port();
        let root = root.to_path_buf();
        let serving = std::sync::Arc::clone(&server);
        let thread = thread::spawn(move || {
            for request in serving.incoming_requests() {
                let response = static_response(&root, request.url());
                let _ = request.respond(response);
            }
        });
        StaticServer {
            server,
            thread: Some(thread),
            port,
        }
    }

    /// The full address of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The file for `target` under `root`, or a 404; never outside `root`.
fn static_response(root: &Path, target: &str) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let mut file = root.to_path_buf();
    for part in path.split('/').filter(|part| !part.is_empty()) {
        if part == ".." || part.contains('%') {
            return tiny_http::Response::from_string("bad path").with_status_code(400);
        }
        file.push(part);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let content_type = match file.extension().and_then(|ext| ext.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("xml") => "application/xml",
        _ => "application/octet-stream",
    };
    let header = |name: &str, value: &str| {
        tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
    };
    match fs::read(&file) {
        Ok(bytes) => tiny_http::Response::from_data(bytes)
            .with_header(header("Content-Type", content_type))
            .with_header(header("Cache-Control", "no-store")),
        Err(_) => tiny_http::Response::from_string("not found").with_status_code(404),
    }
}

/// Headless Chromium driven through chromedriver with fantoccini, shared by
/// the browser tests (`browser`, `theme`).
///
/// Without Chromium and chromedriver the tests say loudly that they were
/// skipped, unless `ANNALS_REQUIRE_BROWSER=1` (as in CI) makes that a failure.
pub mod chromium {
    use std::future::Future;
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::CommandExt;
    use std::path::{Path, PathBuf};
    use std::process::{Child, Command, Stdio};
    use std::sync::mpsc;
    use std::thread;
    use std::time::{Duration, Instant};

    use fantoccini::{Client, ClientBuilder};
    use hyper_util::client::legacy::connect::HttpConnector;
    use serde_json::json;
    use tempfile::TempDir;

    /// What a browser step returns: a failure is a message.
    pub type Step<T = ()> = Result<T, String>;

    /// The programs the browser tests need.
    pub struct Tools {
        chromium: PathBuf,
        chromedriver: PathBuf,
    }

    impl Tools {
        /// Finds Chromium and chromedriver, or explains why the tests cannot run:
        /// a panic when `ANNALS_REQUIRE_BROWSER=1`, a banner on stderr otherwise.
        pub fn find() -> Option<Tools> {
            match (program("chromium"), program("chromedriver")) {
                (Some(chromium), Some(chromedriver)) => Some(Tools { chromium, chromedriver }),
                _ if std::env::var("ANNALS_REQUIRE_BROWSER").as_deref() == Ok("1") => panic!(
                    "ANNALS_REQUIRE_BROWSER=1 but chromium or chromedriver is missing \
                     (apt-get install chromium chromium-driver)"
                ),
                _ => {
                    eprintln!(
                        "\n\
                         ************************************************************************\n\
                         SKIPPED: browser tests need chromium and chromedriver (apt-get install chromium chromium-driver)\n\
                         ************************************************************************\n"
                    );
                    None
                }
            }
        }
    }

    /// `/usr/bin/<name>`, or `<name>` found on `PATH`.
    fn program(name: &str) -> Option<PathBuf> {
        let usual = Path::new("/usr/bin").join(name);
        if usual.is_file() {
            return Some(usual);
        }
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|folder| folder.join(name))
            .find(|candidate| candidate.is_file())
    }

    /// A chromedriver in its own process group; the whole group (Chromium
    /// included) is killed when this is dropped, even if a test panics.
    struct Chromedriver {
        child: Child,
        port: u16,
    }

    impl Chromedriver {
        fn start(path: &Path) -> Chromedriver {
            let mut child = Command::new(path)
                .arg("--port=0")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .unwrap_or_else(|error| panic!("start {}: {error}", path.display()));
            let stdout = child.stdout.take().expect("piped stdout");
            let mut driver = Chromedriver { child, port: 0 };
            let (sender, ports) = mpsc::channel();
            thread::spawn(move || {
                // Keep reading to the end, so chromedriver never blocks on a full pipe.
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    let port = line
                        .strip_prefix("ChromeDriver was started successfully on port ")
                        .and_then(|rest| rest.trim_end_matches('.').parse::<u16>().ok());
                    if let Some(port) = port {
                        let _ = sender.send(port);
                    }
                }
            });
            driver.port = ports
                .recv_timeout(super::PATIENCE)
                .expect("chromedriver says which port it listens on");
            driver
        }
    }

    impl Drop for Chromedriver {
        fn drop(&mut self) {
            let group = format!("-{}", self.child.id());
            let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }

    /// How the browser is opened.
    #[derive(Debug, Clone, Copy)]
    pub struct Options {
        /// Window width in CSS pixels.
        pub width: u32,
        /// Window height in CSS pixels.
        pub height: u32,
        /// Whether pages see `prefers-color-scheme: dark`.
        pub dark: bool,
        /// Whether pages may run JavaScript.
        pub javascript: bool,
    }

    impl Default for Options {
        fn default() -> Options {
            Options {
                width: 1280,
                height: 900,
                dark: false,
                javascript: true,
            }
        }
    }

    /// Opens a headless Chromium with a fresh profile, runs `steps` in it,
    /// closes the browser whatever happened, and then fails if a step did.
    pub fn with_browser<F, Fut>(tools: &Tools, steps: F)
    where
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = Step>,
    {
        with_browser_options(tools, Options::default(), steps);
    }

    /// [`with_browser`] with a window size, colour scheme and JavaScript setting.
    pub fn with_browser_options<F, Fut>(tools: &Tools, options: Options, steps: F)
    where
        F: FnOnce(Client) -> Fut,
        Fut: Future<Output = Step>,
    {
        let driver = Chromedriver::start(&tools.chromedriver);
        let profile = TempDir::new().expect("a temp dir for the browser profile");
        // Blink's PreferredColorScheme: 0 is dark, 1 is light. Set either way,
        // so the machine's own setting never leaks into a test.
        let mut blink = format!("preferredColorScheme={}", if options.dark { 0 } else { 1 });
        if !options.javascript {
            blink.push_str(",scriptEnabled=false");
        }
        let chrome_options = json!({
            "binary": tools.chromium,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                // WebDriver scrolls an element into view and clicks at once;
                // smooth scrolling would still be moving it under the pointer.
                "--force-prefers-reduced-motion",
                format!("--user-data-dir={}", profile.path().display()),
                format!("--window-size={},{}", options.width, options.height),
                format!("--blink-settings={blink}"),
            ],
            "prefs": { "webkit.webprefs.javascript_enabled": options.javascript },
        });
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".to_string(), chrome_options);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let outcome = runtime.block_on(async {
            let client = ClientBuilder::new(HttpConnector::new())
                .capabilities(capabilities)
                .connect(&format!("http://127.0.0.1:{}", driver.port))
                .await
                .unwrap_or_else(|error| panic!("start a Chromium session: {error}"));
            // `steps` owns a handle; this one closes the session afterwards.
            let outcome = steps(client.clone()).await;
            let closed = client.close().await;
            outcome.and(closed.map_err(|error| format!("close the browser: {error}")))
        });
        drop(driver);
        if let Err(message) = outcome {
            panic!("{message}");
        }
    }

    /// Polls `check` every 50 ms until it returns `Ok`; after `within`, fails
    /// with `what` it waited for and what it last saw.
    pub async fn eventually<T>(within: Duration, what: &str, mut check: impl AsyncFnMut() -> Step<T>) -> Step<T> {
        let deadline = Instant::now() + within;
        loop {
            match check().await {
                Ok(value) => return Ok(value),
                Err(last) if Instant::now() >= deadline => {
                    return Err(format!("waited {within:?} for {what}; last saw: {last}"));
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }
}

//! `annals serve` under test: [`ServeGuard`] runs the real server on a
//! site and kills it when dropped; [`http_get`] and [`EventStream`] talk to
//! it over raw sockets, so a test can send exactly the bytes an attacker
//! would; [`get_at_once`] opens connections together as a browser does.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread;
use std::time::{Duration, Instant};

use super::sites::*;
use super::wait::*;

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
            thread::sleep(POLL_EVERY);
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

/// Opens `connections` connections to 127.0.0.1:`port` at once, each from
/// a thread of its own as a browser fetches a page's stylesheet and
/// scripts, sends `GET <target>` on each as a browser does (keep-alive),
/// and returns the status line of each answer, or why none came within
/// [`PATIENCE`]. Every connection stays open until all the answers are
/// read, as a browser keeps them.
pub fn get_at_once(port: u16, target: &str, connections: usize) -> Vec<Result<String, String>> {
    let request = format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: keep-alive\r\n\r\n");
    let fetches: Vec<_> = (0..connections)
        .map(|n| {
            let request = request.clone();
            thread::spawn(move || {
                let mut socket =
                    TcpStream::connect(("127.0.0.1", port)).map_err(|error| format!("connection {n}: {error}"))?;
                socket
                    .write_all(request.as_bytes())
                    .map_err(|error| format!("connection {n}: send: {error}"))?;
                socket.set_read_timeout(Some(PATIENCE)).expect("set a read timeout");
                let mut head = Vec::new();
                let mut buffer = [0; 4096];
                while !head.windows(2).any(|pair| pair == b"\r\n") {
                    match socket.read(&mut buffer) {
                        Ok(0) => return Err(format!("connection {n}: closed without an answer")),
                        Ok(read) => head.extend_from_slice(&buffer[..read]),
                        Err(error) => return Err(format!("connection {n}: no answer within {PATIENCE:?}: {error}")),
                    }
                }
                let status = String::from_utf8_lossy(&head)
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .to_string();
                Ok((status, socket))
            })
        })
        .collect();
    let answers: Vec<Result<(String, TcpStream), String>> = fetches
        .into_iter()
        .map(|fetch| fetch.join().expect("a fetch thread ran"))
        .collect();
    // Closed only now, all together.
    answers
        .into_iter()
        .map(|answer| answer.map(|(status, _socket)| status))
        .collect()
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

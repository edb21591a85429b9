//! [`StaticServer`]: a plain static file server over a built folder, what a
//! reader's web host does with the site, for the tests that read it in a
//! browser. One thread per connection, HTTP/1.1 keep-alive, `GET` and `HEAD`.
//!
//! Written here rather than taken from tiny_http, which these tests used
//! before: tiny_http 0.12 hands each connection to a pool of four threads
//! for as long as it stays open, and its count of idle threads still holds
//! one already woken for the previous connection. When a browser opens a
//! page's six connections at once (a stylesheet and five scripts), the
//! fifth and sixth can be queued with no thread left to read them, until
//! one of the first four closes — and Chromium keeps them open, so the page
//! never finished loading and chromedriver gave up after 300 s.

use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;

use super::wait::PATIENCE;

/// The longest request head read; a browser's is well under 8 KiB.
const MAX_HEAD: u64 = 64 * 1024;

/// A static file server over a folder, on 127.0.0.1 and a free port,
/// stopped when dropped.
pub struct StaticServer {
    /// The port it listens on.
    pub port: u16,
    stopped: Arc<AtomicBool>,
    accepting: Option<thread::JoinHandle<()>>,
}

impl StaticServer {
    /// Serves the files under `root`; a folder answers with its `index.html`.
    pub fn start(root: &Path) -> StaticServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("listen on a free port");
        let port = listener.local_addr().expect("a bound address").port();
        let stopped = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stopped);
        let root = root.to_path_buf();
        let accepting = thread::spawn(move || {
            for connection in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(connection) = connection else { continue };
                let (root, stopping) = (root.clone(), Arc::clone(&stopping));
                thread::spawn(move || serve_connection(&root, connection, &stopping));
            }
        });
        StaticServer {
            port,
            stopped,
            accepting: Some(accepting),
        }
    }

    /// The full address of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stopped.store(true, Ordering::SeqCst);
        // Wakes the accepting thread, which then sees `stopped`.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(accepting) = self.accepting.take() {
            let _ = accepting.join();
        }
    }
}

/// One request head: what the server needs of it.
struct Request {
    method: String,
    target: String,
    keep_alive: bool,
}

/// Answers the requests of one connection until the client closes it, asks
/// to, stays idle for [`PATIENCE`], or the server stops.
fn serve_connection(root: &Path, connection: TcpStream, stopped: &AtomicBool) {
    if connection.set_read_timeout(Some(PATIENCE)).is_err() {
        return;
    }
    let Ok(mut writer) = connection.try_clone() else { return };
    let mut reader = BufReader::new(connection);
    while !stopped.load(Ordering::SeqCst) {
        let Ok(Some(request)) = read_request(&mut reader) else {
            return;
        };
        let (status, content_type, body) = match request.method.as_str() {
            "GET" | "HEAD" => static_response(root, &request.target),
            _ => (405, "text/plain; charset=utf-8", b"method not allowed".to_vec()),
        };
        let head = format!(
            "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
             Cache-Control: no-store\r\nConnection: {}\r\n\r\n",
            reason(status),
            body.len(),
            if request.keep_alive { "keep-alive" } else { "close" },
        );
        let mut answer = head.into_bytes();
        if request.method != "HEAD" {
            answer.extend_from_slice(&body);
        }
        if writer.write_all(&answer).is_err() || !request.keep_alive {
            return;
        }
    }
}

/// Reads one request head; `None` when the client closed the connection
/// between requests.
fn read_request(reader: &mut impl BufRead) -> io::Result<Option<Request>> {
    let mut head = String::new();
    let mut limited = reader.take(MAX_HEAD);
    loop {
        let before = head.len();
        if limited.read_line(&mut head)? == 0 {
            return if head.trim().is_empty() {
                Ok(None)
            } else {
                Err(io::ErrorKind::UnexpectedEof.into())
            };
        }
        let line = &head[before..];
        // Blank lines before a request are allowed; the one after the headers ends it.
        if line.trim().is_empty() && !head.trim().is_empty() {
            break;
        }
    }
    let mut lines = head.trim_start().lines();
    let mut words = lines.next().unwrap_or_default().split_whitespace();
    let (Some(method), Some(target), Some(version)) = (words.next(), words.next(), words.next()) else {
        return Err(io::ErrorKind::InvalidData.into());
    };
    let mut connection = String::new();
    let mut has_body = false;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_ascii_lowercase());
        match name.as_str() {
            "connection" => connection = value,
            "content-length" => has_body |= value != "0",
            "transfer-encoding" => has_body = true,
            _ => {}
        }
    }
    // A body is never read, so what follows it cannot start the next request.
    let keep_alive = !has_body
        && match version {
            "HTTP/1.1" => !connection.contains("close"),
            _ => connection.contains("keep-alive"),
        };
    Ok(Some(Request {
        method: method.to_string(),
        target: target.to_string(),
        keep_alive,
    }))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "",
    }
}

/// The status, type and bytes for `target` under `root`; never outside `root`.
fn static_response(root: &Path, target: &str) -> (u16, &'static str, Vec<u8>) {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let mut file = PathBuf::from(root);
    for part in path.split('/').filter(|part| !part.is_empty()) {
        if part == ".." || part.contains('%') {
            return (400, "text/plain; charset=utf-8", b"bad path".to_vec());
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
    match fs::read(&file) {
        Ok(bytes) => (200, content_type, bytes),
        Err(_) => (404, "text/plain; charset=utf-8", b"not found".to_vec()),
    }
}

/// A built site served as files over 127.0.0.1, for the browser tests;
/// the site is kept so that its temp dir lives as long as the server.
pub struct Served {
    _site: super::Site,
    /// The built output.
    pub out: PathBuf,
    server: StaticServer,
}

impl Served {
    /// Builds `site` and serves its output.
    pub fn start(site: super::Site) -> Served {
        site.build().success();
        let out = site.out();
        let server = StaticServer::start(&out);
        Served {
            _site: site,
            out,
            server,
        }
    }

    /// The address of `path` (from the site root, with a leading `/`).
    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// The events of `events.json`, in timeline order.
    pub fn events(&self) -> Vec<serde_json::Value> {
        let text = fs::read_to_string(self.out.join("events.json")).expect("read events.json");
        let data: serde_json::Value = serde_json::from_str(&text).expect("events.json is JSON");
        data["events"].as_array().expect("an `events` array").clone()
    }
}

#[cfg(test)]
mod tests {
    use super::super::{get_at_once, http_get};
    use super::*;

    /// Fresh servers, since the race described at the top of the file is in
    /// a new server's first connections; with tiny_http this test failed in
    /// each of three runs of ten rounds.
    const ROUNDS: usize = 10;

    #[test]
    fn a_browsers_connections_opened_together_are_each_answered_while_all_stay_open() {
        let folder = tempfile::tempdir().expect("a temp dir");
        fs::write(folder.path().join("index.html"), "<!doctype html><title>A page</title>").expect("write a page");
        for _ in 0..ROUNDS {
            let server = StaticServer::start(folder.path());
            // As a browser does: the page first, then what it links, all at once.
            assert_eq!(http_get(server.port, "/", "127.0.0.1").status, 200);
            let answers = get_at_once(server.port, "/index.html", 8);
            let failed: Vec<_> = answers
                .iter()
                .filter(|answer| !matches!(answer, Ok(status) if status == "HTTP/1.1 200 OK"))
                .collect();
            assert!(failed.is_empty(), "{failed:?}");
        }
    }

    #[test]
    fn folders_answer_with_their_index_and_nothing_outside_the_root_is_served() {
        let folder = tempfile::tempdir().expect("a temp dir");
        fs::create_dir(folder.path().join("events")).expect("a folder");
        fs::write(folder.path().join("events/index.html"), "events").expect("write a page");
        let server = StaticServer::start(folder.path());
        let get = |target: &str| http_get(server.port, target, "127.0.0.1");
        let page = get("/events/?tag=awards");
        assert_eq!((page.status, page.body.as_str()), (200, "events"));
        assert_eq!(page.header("Content-Type"), Some("text/html; charset=utf-8"));
        assert_eq!(get("/missing.js").status, 404);
        assert_eq!(get("/../etc/passwd").status, 400);
        assert_eq!(get("/%2e%2e/etc/passwd").status, 400);
    }
}

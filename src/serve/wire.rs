//! The slice of HTTP/1.1 the preview speaks: reading a request head within
//! fixed limits, and writing a response.
//!
//! The preview only answers `GET` and `HEAD` from memory, so a request is
//! its head alone. [`read_head`] never holds more than [`MAX_REQUEST_LINE`]
//! bytes of request line and [`MAX_HEADER_BYTES`] bytes of headers (at most
//! [`MAX_HEADERS`] of them), however much a client sends: a never-ending
//! line is cut off at the limit and answered with [`HeadError::status`]
//! (414 or 431, 400 for a malformed head). The server closes the
//! connection after any such error, since what follows cannot be trusted
//! to start a request. Timeouts are the caller's business (see `server`).
//!
//! Why by hand: `tiny_http`, which served the preview before, bounds
//! neither the request line nor the headers and never hands over its
//! socket, so no limit could be added from outside; a full HTTP stack would
//! bring an async runtime for what is one bounded head and one answer.

use std::io::{self, BufRead, Read, Write};

/// The longest request line read (method, target and version).
pub const MAX_REQUEST_LINE: usize = 8 * 1024;
/// The most header fields in one request.
pub const MAX_HEADERS: usize = 64;
/// The most bytes of header fields in one request, line ends included.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// The HTTP version of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// HTTP/1.0: the connection closes after the answer.
    Http10,
    /// HTTP/1.1: the connection stays open unless asked otherwise.
    Http11,
}

/// A request line and its header fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHead {
    /// `GET`, `HEAD`, … as sent.
    pub method: String,
    /// The request target as sent (`/events/x/?q=1`).
    pub target: String,
    /// The HTTP version.
    pub version: Version,
    /// Header fields in order, names as sent.
    pub headers: Vec<(String, String)>,
}

impl RequestHead {
    /// The value of the only field named `name` (any case); `None` when it
    /// is absent or sent more than once.
    pub fn header<'a>(&'a self, name: &'a str) -> Option<&'a str> {
        let mut values = self.values(name);
        let first = values.next()?;
        values.next().is_none().then_some(first)
    }

    /// Every value of the fields named `name` (any case).
    pub fn values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(field, _)| field.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Whether the client wants the connection kept open after the answer.
    pub fn keep_alive(&self) -> bool {
        let asks = |token: &str| {
            self.values("Connection")
                .flat_map(|value| value.split(','))
                .any(|item| item.trim().eq_ignore_ascii_case(token))
        };
        match self.version {
            Version::Http11 => !asks("close"),
            Version::Http10 => asks("keep-alive"),
        }
    }

    /// Whether the request says a body follows (which the preview never reads).
    pub fn has_body(&self) -> bool {
        self.values("Transfer-Encoding").next().is_some()
            || self
                .values("Content-Length")
                .any(|value| value.trim().parse::<u64>() != Ok(0))
    }
}

/// Why a request head was refused.
#[derive(Debug, thiserror::Error)]
pub enum HeadError {
    /// The request line is longer than [`MAX_REQUEST_LINE`].
    #[error("request line longer than {MAX_REQUEST_LINE} bytes")]
    LineTooLong,
    /// More than [`MAX_HEADERS`] fields, or more than [`MAX_HEADER_BYTES`].
    #[error("more than {MAX_HEADERS} header fields or {MAX_HEADER_BYTES} bytes of them")]
    HeadersTooLarge,
    /// Not an HTTP/1.x request head.
    #[error("malformed request head: {0}")]
    Malformed(&'static str),
    /// An HTTP version other than 1.0 and 1.1.
    #[error("unsupported HTTP version")]
    Version,
    /// The connection ended in the middle of the head.
    #[error("the connection ended in the middle of a request")]
    Truncated,
    /// Reading failed (a timeout among others).
    #[error("cannot read the request: {0}")]
    Io(#[from] io::Error),
}

impl HeadError {
    /// The status to answer with, if the client is still there to read it.
    pub fn status(&self) -> Option<u16> {
        match self {
            HeadError::LineTooLong => Some(414),
            HeadError::HeadersTooLarge => Some(431),
            HeadError::Malformed(_) => Some(400),
            HeadError::Version => Some(505),
            HeadError::Io(error) if is_timeout(error) => Some(408),
            HeadError::Truncated | HeadError::Io(_) => None,
        }
    }
}

/// Whether an I/O error is a read or write timeout.
pub fn is_timeout(error: &io::Error) -> bool {
    matches!(error.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut)
}

/// Reads one request head; `Ok(None)` when the connection closes (or a
/// read times out) before its first byte, as an idle keep-alive does.
pub fn read_head(reader: &mut impl BufRead) -> Result<Option<RequestHead>, HeadError> {
    let mut line = Vec::new();
    match read_line(reader, MAX_REQUEST_LINE, &mut line) {
        Ok(()) => {}
        Err(HeadError::Truncated) if line.is_empty() => return Ok(None),
        Err(HeadError::Io(error)) if line.is_empty() && is_timeout(&error) => return Ok(None),
        Err(error) => return Err(error),
    }
    let (method, target, version) = parse_request_line(&line)?;
    let mut headers = Vec::new();
    let mut budget = MAX_HEADER_BYTES;
    loop {
        line.clear();
        match read_line(reader, budget, &mut line) {
            Ok(()) => {}
            Err(HeadError::LineTooLong) => return Err(HeadError::HeadersTooLarge),
            Err(error) => return Err(error),
        }
        budget = budget.saturating_sub(line.len() + 2);
        if line.is_empty() {
            break;
        }
        if headers.len() == MAX_HEADERS {
            return Err(HeadError::HeadersTooLarge);
        }
        headers.push(parse_header(&line)?);
    }
    Ok(Some(RequestHead {
        method,
        target,
        version,
        headers,
    }))
}

/// Reads up to `\n` into `line` (without the line end), reading at most
/// `limit` bytes plus the line end: [`HeadError::LineTooLong`] beyond that.
fn read_line(reader: &mut impl BufRead, limit: usize, line: &mut Vec<u8>) -> Result<(), HeadError> {
    // `+ 2` leaves room for the `\r\n` of a line exactly `limit` long.
    let mut bounded = Read::take(&mut *reader, limit as u64 + 2);
    bounded.read_until(b'\n', line)?;
    if line.last() != Some(&b'\n') {
        return Err(if line.len() > limit {
            HeadError::LineTooLong
        } else {
            HeadError::Truncated
        });
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    if line.len() > limit {
        return Err(HeadError::LineTooLong);
    }
    Ok(())
}

fn parse_request_line(line: &[u8]) -> Result<(String, String, Version), HeadError> {
    let text = std::str::from_utf8(line).map_err(|_| HeadError::Malformed("request line is not UTF-8"))?;
    let mut parts = text.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HeadError::Malformed("request line is not `METHOD TARGET VERSION`"));
    };
    if method.is_empty() || !method.bytes().all(is_token_byte) {
        return Err(HeadError::Malformed("bad method"));
    }
    if target.is_empty() || target.chars().any(char::is_control) {
        return Err(HeadError::Malformed("bad request target"));
    }
    let version = match version {
        "HTTP/1.1" => Version::Http11,
        "HTTP/1.0" => Version::Http10,
        other if other.starts_with("HTTP/") => return Err(HeadError::Version),
        _ => return Err(HeadError::Malformed("bad HTTP version")),
    };
    Ok((method.to_string(), target.to_string(), version))
}

fn parse_header(line: &[u8]) -> Result<(String, String), HeadError> {
    let text = std::str::from_utf8(line).map_err(|_| HeadError::Malformed("header field is not UTF-8"))?;
    let Some((name, value)) = text.split_once(':') else {
        return Err(HeadError::Malformed("header field without a colon"));
    };
    // Also refuses obsolete line folding, whose lines start with a space.
    if name.is_empty() || !name.bytes().all(is_token_byte) {
        return Err(HeadError::Malformed("bad header field name"));
    }
    let value = value.trim_matches([' ', '\t']);
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(HeadError::Malformed("control character in a header value"));
    }
    Ok((name.to_string(), value.to_string()))
}

/// A `tchar` of RFC 9110.
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// A complete answer, written at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Header fields other than `Content-Length` and `Connection`.
    pub headers: Vec<(&'static str, String)>,
    /// The body (not sent to `HEAD`).
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a body of type `content_type`.
    pub fn new(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body,
        }
    }

    /// Adds a header field.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }

    /// Writes the response; without its body when `head_only`, and with
    /// `Connection: close` unless `keep_alive`.
    pub fn write_to(&self, out: &mut impl Write, head_only: bool, keep_alive: bool) -> io::Result<()> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        head.push_str(if keep_alive {
            "Connection: keep-alive\r\n\r\n"
        } else {
            "Connection: close\r\n\r\n"
        });
        let mut bytes = head.into_bytes();
        if !head_only {
            bytes.extend_from_slice(&self.body);
        }
        out.write_all(&bytes)?;
        out.flush()
    }
}

/// The reason phrase of the statuses the preview sends.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Cursor};

    fn read(bytes: &[u8]) -> Result<Option<RequestHead>, HeadError> {
        read_head(&mut BufReader::new(Cursor::new(bytes.to_vec())))
    }

    #[test]
    fn a_request_head_is_read_with_its_fields() {
        let head = read(b"GET /events/x/?q=1 HTTP/1.1\r\nHost: localhost:1111\r\nAccept:  text/html \r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(head.method, "GET");
        assert_eq!(head.target, "/events/x/?q=1");
        assert_eq!(head.version, Version::Http11);
        assert_eq!(head.header("host"), Some("localhost:1111"));
        assert_eq!(head.header("Accept"), Some("text/html"));
        assert!(head.keep_alive());
        assert!(!head.has_body());
        // Bare `\n` line ends are read too.
        let head = read(b"HEAD / HTTP/1.0\nConnection: keep-alive\n\n").unwrap().unwrap();
        assert_eq!(head.version, Version::Http10);
        assert!(head.keep_alive());
    }

    #[test]
    fn a_repeated_field_has_no_single_value() {
        let head = read(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").unwrap().unwrap();
        assert_eq!(head.header("Host"), None);
        assert_eq!(head.values("host").count(), 2);
    }

    #[test]
    fn a_closed_connection_before_a_request_is_not_an_error() {
        assert!(read(b"").unwrap().is_none());
        assert!(matches!(read(b"GET / HT"), Err(HeadError::Truncated)));
        assert!(matches!(
            read(b"GET / HTTP/1.1\r\nHost: x\r\n"),
            Err(HeadError::Truncated)
        ));
    }

    #[test]
    fn the_request_line_is_cut_off_at_its_limit() {
        let at_limit = format!("GET /{} HTTP/1.1", "a".repeat(MAX_REQUEST_LINE - 14));
        assert_eq!(at_limit.len(), MAX_REQUEST_LINE);
        assert!(read(format!("{at_limit}\r\n\r\n").as_bytes()).unwrap().is_some());
        let over = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_REQUEST_LINE - 13));
        assert!(matches!(read(over.as_bytes()), Err(HeadError::LineTooLong)));
        assert_eq!(HeadError::LineTooLong.status(), Some(414));
    }

    #[test]
    fn a_never_ending_line_is_read_no_further_than_the_limit() {
        struct Endless(usize);
        impl Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                buf.fill(b'a');
                self.0 += buf.len();
                Ok(buf.len())
            }
        }
        let mut reader = BufReader::with_capacity(1024, Endless(0));
        assert!(matches!(read_head(&mut reader), Err(HeadError::LineTooLong)));
        assert!(
            reader.get_ref().0 <= MAX_REQUEST_LINE + 1024 + 2,
            "{}",
            reader.get_ref().0
        );

        let mut reader =
            BufReader::with_capacity(1024, Cursor::new(b"GET / HTTP/1.1\r\nX: ".to_vec()).chain(Endless(0)));
        assert!(matches!(read_head(&mut reader), Err(HeadError::HeadersTooLarge)));
        assert!(reader.get_ref().get_ref().1 .0 <= MAX_HEADER_BYTES + 1024 + 2);
    }

    #[test]
    fn header_fields_are_limited_in_number_and_bytes() {
        let fields = |count: usize, size: usize| {
            let mut head = String::from("GET / HTTP/1.1\r\n");
            for n in 0..count {
                head.push_str(&format!("X-{n:03}: {}\r\n", "v".repeat(size)));
            }
            head.push_str("\r\n");
            read(head.as_bytes())
        };
        assert_eq!(fields(MAX_HEADERS, 10).unwrap().unwrap().headers.len(), MAX_HEADERS);
        assert!(matches!(fields(MAX_HEADERS + 1, 10), Err(HeadError::HeadersTooLarge)));
        // 32 fields of 1 KiB fit; 33 do not.
        assert!(fields(32, 1000).unwrap().is_some());
        assert!(matches!(fields(33, 1000), Err(HeadError::HeadersTooLarge)));
        assert!(matches!(fields(1, MAX_HEADER_BYTES), Err(HeadError::HeadersTooLarge)));
        assert_eq!(HeadError::HeadersTooLarge.status(), Some(431));
    }

    #[test]
    fn malformed_heads_are_bad_requests() {
        for bad in [
            &b"GET /\r\n\r\n"[..],
            b"GET  / HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1 extra\r\n\r\n",
            b"G@T / HTTP/1.1\r\n\r\n",
            b"GET / FTP/1.1\r\n\r\n",
            b"GET /\x01 HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nno colon\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost : x\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",
            b"GET / HTTP/1.1\r\nX: a\x00b\r\n\r\n",
            b"GET / HTTP/1.1\r\nX: \xff\r\n\r\n",
        ] {
            let outcome = read(bad);
            assert!(
                matches!(outcome, Err(HeadError::Malformed(_))),
                "{:?} → {outcome:?}",
                String::from_utf8_lossy(bad)
            );
        }
        assert!(matches!(read(b"GET / HTTP/2.0\r\n\r\n"), Err(HeadError::Version)));
    }

    #[test]
    fn bodies_and_closing_are_noticed() {
        let head = |text: &str| read(text.as_bytes()).unwrap().unwrap();
        assert!(head("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\n").has_body());
        assert!(head("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").has_body());
        assert!(!head("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").has_body());
        assert!(!head("GET / HTTP/1.1\r\nConnection: keep-alive, close\r\n\r\n").keep_alive());
        assert!(!head("GET / HTTP/1.0\r\n\r\n").keep_alive());
    }

    #[test]
    fn a_response_carries_its_length_and_no_body_for_head() {
        let response = Response::new(404, "text/plain", b"gone".to_vec()).with_header("X-A", "b");
        let mut out = Vec::new();
        response.write_to(&mut out, false, true).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nX-A: b\r\nContent-Length: 4\r\nConnection: keep-alive\r\n\r\ngone"
        );
        let mut out = Vec::new();
        response.write_to(&mut out, true, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.ends_with("Content-Length: 4\r\nConnection: close\r\n\r\n"),
            "{text}"
        );
    }
}

//! The preview's connections: accepting them, reading their requests with
//! deadlines, and handing event streams over to the reload hub.
//!
//! Each connection gets a thread, so one client never waits for another,
//! and at most [`MAX_CONNECTIONS`] are served at once: beyond that, new
//! connections wait in the system's queue until one ends. A request head
//! must arrive within [`REQUEST_TIMEOUT`] of the server starting to wait for
//! it (so idle and trickling connections do end), and within the limits of
//! [`super::wire`]; an answer that cannot be written within
//! [`WRITE_TIMEOUT`] ends the connection. A connection refused mid-request
//! is closed gracefully: the answer is sent, then what the client still
//! sends is read and discarded for a moment (at most [`LINGER_BYTES`]) so
//! the answer is not lost to a reset.

use std::io::{self, BufReader, Read};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::wire::{read_head, RequestHead, Response};

/// The most connections served at once (open event streams not counted);
/// more wait to be accepted.
pub const MAX_CONNECTIONS: usize = 128;
/// How long a client has to send a whole request head, counted from when
/// the server starts waiting for it (an idle keep-alive connection closes).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// How long one write to a client may block.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// The most bytes read and discarded when closing on a refused request.
pub const LINGER_BYTES: usize = 256 * 1024;
/// How long a refused connection is drained before it is closed.
const LINGER: Duration = Duration::from_secs(1);

/// What the server does with a request.
pub enum Answer {
    /// Send this response.
    Respond(Response),
    /// Hand the connection over as an event stream.
    Stream,
}

/// The application behind the connections.
pub trait Handler: Send + Sync + 'static {
    /// The answer to one request.
    fn answer(&self, request: &RequestHead) -> Answer;
    /// Takes over a connection whose request was answered with
    /// [`Answer::Stream`]; gives it back when it cannot (too many streams).
    fn stream(&self, connection: TcpStream) -> Result<(), TcpStream>;
}

/// Accepts connections on `listener` from a thread of its own, forever.
pub fn spawn(listener: TcpListener, handler: Arc<impl Handler>) -> io::Result<()> {
    thread::Builder::new()
        .name("annals-accept".to_string())
        .spawn(move || accept(&listener, &handler))
        .map(drop)
}

fn accept<H: Handler>(listener: &TcpListener, handler: &Arc<H>) {
    let open = Arc::new(Slots::default());
    loop {
        let slot = Slots::take(&open);
        let stream = match listener.accept() {
            Ok((stream, _)) => stream,
            // Out of file descriptors, or a connection reset while queued:
            // wait a moment rather than spin.
            Err(_) => {
                thread::sleep(Duration::from_millis(20));
                continue;
            }
        };
        let handler = Arc::clone(handler);
        // If the thread cannot start, the closure and its slot are dropped
        // and the connection closes.
        let _ = thread::Builder::new()
            .name("annals-connection".to_string())
            .spawn(move || {
                let _slot = slot;
                serve_connection(stream, &*handler);
            });
    }
}

/// How many connections are being served.
#[derive(Default)]
struct Slots {
    open: Mutex<usize>,
    freed: Condvar,
}

/// One of the [`MAX_CONNECTIONS`] places, given back when dropped.
struct Slot(Arc<Slots>);

impl Slots {
    /// Waits until fewer than [`MAX_CONNECTIONS`] are served, and takes a place.
    fn take(slots: &Arc<Slots>) -> Slot {
        let mut open = slots.open.lock().unwrap_or_else(|p| p.into_inner());
        while *open >= MAX_CONNECTIONS {
            open = slots.freed.wait(open).unwrap_or_else(|p| p.into_inner());
        }
        *open += 1;
        Slot(Arc::clone(slots))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        *self.0.open.lock().unwrap_or_else(|p| p.into_inner()) -= 1;
        self.0.freed.notify_one();
    }
}

/// The answer to an event stream when too many are open.
fn busy() -> Vec<u8> {
    let mut bytes = Vec::new();
    let _ = Response::new(
        503,
        "text/plain; charset=utf-8",
        b"Too many open event streams\n".to_vec(),
    )
    .with_header("Retry-After", "1")
    .write_to(&mut bytes, false, false);
    bytes
}

/// Reads from a socket, failing with `TimedOut` once `until` has passed.
struct Deadline {
    stream: TcpStream,
    until: Instant,
}

impl Read for Deadline {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let left = self.until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        self.stream.read(buffer)
    }
}

/// Serves the requests of one connection until it closes or misbehaves.
fn serve_connection(mut writer: TcpStream, handler: &impl Handler) {
    let _ = writer.set_nodelay(true);
    let Ok(read_half) = writer.try_clone() else {
        return;
    };
    if writer.set_write_timeout(Some(WRITE_TIMEOUT)).is_err() {
        return;
    }
    let mut reader = BufReader::with_capacity(
        4096,
        Deadline {
            stream: read_half,
            until: Instant::now(),
        },
    );
    loop {
        reader.get_mut().until = Instant::now() + REQUEST_TIMEOUT;
        let request = match read_head(&mut reader) {
            Ok(Some(request)) => request,
            Ok(None) => return,
            Err(error) => {
                if let Some(status) = error.status() {
                    let text = format!("{}\n", error);
                    let response = Response::new(status, "text/plain; charset=utf-8", text.into_bytes());
                    if response.write_to(&mut writer, false, false).is_ok() {
                        linger_close(&writer, &mut reader);
                    }
                }
                return;
            }
        };
        // A body is never read, so nothing after it could be trusted to
        // start the next request.
        let keep_alive = request.keep_alive() && !request.has_body();
        match handler.answer(&request) {
            Answer::Respond(response) => {
                let head_only = request.method == "HEAD";
                if response.write_to(&mut writer, head_only, keep_alive).is_err() {
                    return;
                }
                if !keep_alive {
                    linger_close(&writer, &mut reader);
                    return;
                }
            }
            Answer::Stream => {
                if let Err(mut connection) = handler.stream(writer) {
                    use std::io::Write;
                    let _ = connection.write_all(&busy());
                }
                return;
            }
        }
    }
}

/// Ends a connection after its last answer: no more writing, then read and
/// discard what the client still sends, for a moment, so that closing with
/// unread data does not reset the connection before the answer is read.
fn linger_close(writer: &TcpStream, reader: &mut BufReader<Deadline>) {
    let _ = writer.shutdown(Shutdown::Write);
    let source = reader.get_mut();
    source.until = Instant::now() + LINGER;
    let mut discarded = 0;
    let mut sink = [0; 4096];
    while discarded < LINGER_BYTES {
        match source.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(read) => discarded += read,
        }
    }
}

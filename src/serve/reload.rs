//! Live reload: the script `serve` adds to pages, and the server-sent
//! events that drive it.
//!
//! Every page is served with the id of the build it came from. The script
//! opens `/__annals/events`; the server first sends the current build id
//! (and the current error, if the last rebuild failed), then every change.
//! The page reloads when the id it hears differs from its own — so a
//! rebuild that lands while the page is loading is never missed — shows an
//! overlay while the site has errors, and reconnects if the server restarts.
//! Nothing here is ever added to `annals build` output.

use std::collections::VecDeque;
use std::io::Write;
use std::net::{Shutdown, TcpStream};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;

/// The path of the event stream.
pub const EVENTS_PATH: &str = "/__annals/events";

const SCRIPT: &str = r#"<script id="annals-live-reload">
(() => {
  const built = "__BUILD__";
  let overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "annals-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.94);color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2rem;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "annals: the last change could not be built; the page shows the last good version.\n\n" + text;
  }
  let delay = 250;
  function connect() {
    const source = new EventSource("/__annals/events");
    source.addEventListener("build", (event) => {
      delay = 250;
      if (event.data !== built) { source.close(); location.reload(); }
    });
    source.addEventListener("failed", (event) => show(JSON.parse(event.data)));
    source.onerror = () => { source.close(); setTimeout(connect, delay); delay = Math.min(delay * 2, 4000); };
  }
  connect();
})();
</script>
"#;

/// The reload script for a page of build `build_id`.
pub fn script(build_id: &str) -> String {
    SCRIPT.replace("__BUILD__", &build_id.replace(['"', '\\', '<'], ""))
}

/// Inserts the reload script before the last `</body>` (or at the end).
pub fn inject(html: &[u8], build_id: &str) -> Vec<u8> {
    let script = script(build_id);
    let at = find_last_ignore_case(html, b"</body>").unwrap_or(html.len());
    let mut page = Vec::with_capacity(html.len() + script.len());
    page.extend_from_slice(&html[..at]);
    page.extend_from_slice(script.as_bytes());
    page.extend_from_slice(&html[at..]);
    page
}

fn find_last_ignore_case(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&at| haystack[at..at + needle.len()].eq_ignore_ascii_case(needle))
}

/// The page shown for every address while the site has never built.
pub fn error_page(report: &str, build_id: &str) -> Vec<u8> {
    let escaped = report.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let html = format!(
        "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>annals: the site has errors</title>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"></head>\n<body style=\"font:15px/1.5 system-ui,sans-serif;margin:2rem\">\n<h1>The site could not be built</h1>\n<p>Fix the problems below and save; this page reloads by itself.</p>\n<pre id=\"annals-errors\" style=\"white-space:pre-wrap;background:#f4f4f4;padding:1rem\">{escaped}</pre>\n</body>\n</html>\n"
    );
    inject(html.as_bytes(), build_id)
}

/// One server-sent event.
pub fn event(name: &str, data: &str) -> String {
    let mut message = format!("event: {name}\n");
    for line in data.lines() {
        message.push_str("data: ");
        message.push_str(line);
        message.push('\n');
    }
    if data.is_empty() {
        message.push_str("data: \n");
    }
    message.push('\n');
    message
}

/// The most bytes of events that may wait for one client; a client that
/// falls further behind is dropped (its page reconnects if it still lives).
/// One event is always taken, however long (a report of many errors).
pub const MAX_QUEUED_BYTES: usize = 256 * 1024;
/// The socket send buffer of an event stream: what the system holds for a
/// client on top of its queue (Linux doubles it for bookkeeping).
pub const SEND_BUFFER: usize = 64 * 1024;
/// The most event streams open at once; more are refused with 503.
pub const MAX_CLIENTS: usize = 64;

/// An event-stream connection, written by a thread of its own.
pub trait Client: Write + Send + 'static {
    /// Something that ends the connection from another thread, so that a
    /// write stuck on a client that stopped reading returns at once.
    fn cutter(&self) -> Box<dyn Fn() + Send + Sync>;
}

impl Client for TcpStream {
    fn cutter(&self) -> Box<dyn Fn() + Send + Sync> {
        let handle = self.try_clone().ok();
        Box::new(move || {
            if let Some(stream) = &handle {
                let _ = stream.shutdown(Shutdown::Both);
            }
        })
    }
}

/// The open event streams, to which every change is broadcast.
///
/// Broadcasting never writes to a socket: it puts the message in each
/// client's queue, and each client's own thread writes it out. A client that
/// stops reading blocks only its own thread; once more than
/// [`MAX_QUEUED_BYTES`] wait for it, it is cut off and forgotten, so neither
/// the other pages nor the next rebuild ever wait for it.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<Arc<Queue>>>,
}

impl Hub {
    /// Adds a client and queues `greeting` for it; false (and the client
    /// closed) when [`MAX_CLIENTS`] streams are already open.
    pub fn join(&self, client: impl Client, greeting: &str) -> bool {
        let mut clients = self.lock();
        clients.retain(|queue| !queue.is_closed());
        if clients.len() >= MAX_CLIENTS {
            return false;
        }
        let queue = Arc::new(Queue {
            state: Mutex::new(Pending::default()),
            ready: Condvar::new(),
            cut: client.cutter(),
        });
        queue.push(Arc::from(greeting));
        let writer = Arc::clone(&queue);
        let spawned = thread::Builder::new()
            .name("annals-events".to_string())
            .spawn(move || writer.write_into(client));
        if spawned.is_err() {
            return false;
        }
        clients.push(queue);
        true
    }

    /// Queues `message` for every client, dropping those that are gone or
    /// too far behind. Never blocks on a client.
    pub fn broadcast(&self, message: &str) {
        let message: Arc<str> = Arc::from(message);
        self.lock().retain(|queue| queue.push(Arc::clone(&message)));
    }

    /// How many clients are connected.
    pub fn len(&self) -> usize {
        self.lock().iter().filter(|queue| !queue.is_closed()).count()
    }

    /// Whether no client is connected.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Arc<Queue>>> {
        // A client write that panicked cannot leave the list inconsistent.
        self.clients.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The events waiting for one client.
struct Queue {
    state: Mutex<Pending>,
    ready: Condvar,
    cut: Box<dyn Fn() + Send + Sync>,
}

#[derive(Default)]
struct Pending {
    /// Waiting to be written; the first may be being written.
    messages: VecDeque<Arc<str>>,
    bytes: usize,
    closed: bool,
}

impl Queue {
    /// Queues a message; false when the client is gone or now too far behind.
    fn push(&self, message: Arc<str>) -> bool {
        let mut pending = self.lock();
        if pending.closed {
            return false;
        }
        if pending.bytes > 0 && pending.bytes + message.len() > MAX_QUEUED_BYTES {
            pending.closed = true;
            pending.messages.clear();
            drop(pending);
            self.ready.notify_one();
            (self.cut)();
            return false;
        }
        pending.bytes += message.len();
        pending.messages.push_back(message);
        self.ready.notify_one();
        true
    }

    fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// The client's thread: writes what is queued until the client is gone.
    fn write_into(&self, mut client: impl Write) {
        loop {
            let message = {
                let mut pending = self.lock();
                while pending.messages.is_empty() && !pending.closed {
                    pending = self.ready.wait(pending).unwrap_or_else(|p| p.into_inner());
                }
                if pending.closed {
                    return;
                }
                let Some(message) = pending.messages.front() else {
                    continue;
                };
                Arc::clone(message)
            };
            let sent = client.write_all(message.as_bytes()).and_then(|()| client.flush());
            let mut pending = self.lock();
            if sent.is_err() {
                pending.closed = true;
                drop(pending);
                (self.cut)();
                return;
            }
            // Counted until written, so a stuck write counts against the budget.
            if !pending.closed {
                pending.messages.pop_front();
                pending.bytes -= message.len();
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Pending> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_closing_body_tag() {
        let page = inject(b"<html><body><p>x</p></BODY></html>", "b7");
        let page = String::from_utf8(page).unwrap();
        assert!(page.ends_with("</script>\n</BODY></html>"), "{page}");
        assert!(page.contains("const built = \"b7\";"));
        let bare = String::from_utf8(inject(b"<p>no body</p>", "b1")).unwrap();
        assert!(bare.starts_with("<p>no body</p><script"));
    }

    #[test]
    fn events_put_every_line_in_a_data_field() {
        assert_eq!(event("failed", "a\nb"), "event: failed\ndata: a\ndata: b\n\n");
        assert_eq!(event("fixed", ""), "event: fixed\ndata: \n\n");
    }

    #[test]
    fn the_error_page_escapes_the_report_and_reloads() {
        let page = String::from_utf8(error_page("x.md:1:1: <bad>", "b0")).unwrap();
        assert!(page.contains("&lt;bad&gt;"));
        assert!(page.contains("annals-live-reload"));
    }

    /// A client whose writes land in a shared buffer.
    #[derive(Clone, Default)]
    struct Reading(Arc<Mutex<Vec<u8>>>);
    impl Write for Reading {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    impl Client for Reading {
        fn cutter(&self) -> Box<dyn Fn() + Send + Sync> {
            Box::new(|| {})
        }
    }

    /// Waits (up to a minute) until `check` holds.
    fn eventually(what: &str, check: impl Fn() -> bool) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !check() {
            assert!(std::time::Instant::now() < deadline, "waited a minute for {what}");
            thread::sleep(std::time::Duration::from_millis(1));
        }
    }

    #[test]
    fn clients_that_fail_are_dropped() {
        struct Broken;
        impl Write for Broken {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("gone"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        impl Client for Broken {
            fn cutter(&self) -> Box<dyn Fn() + Send + Sync> {
                Box::new(|| {})
            }
        }
        let hub = Hub::default();
        let reading = Reading::default();
        assert!(hub.join(reading.clone(), "hello"));
        assert!(hub.join(Broken, "hello"));
        eventually("the broken client to be dropped", || hub.len() == 1);
        hub.broadcast("x");
        assert_eq!(hub.len(), 1);
        eventually("the reading client to get both", || {
            reading.0.lock().unwrap().as_slice() == b"hellox"
        });
    }

    #[test]
    fn a_client_that_stops_reading_is_cut_off_without_holding_up_the_others() {
        /// Blocks every write until it is cut off, as a socket whose reader
        /// stopped reading does once its buffers are full.
        struct Stuck(Arc<(Mutex<bool>, Condvar)>);
        impl Write for Stuck {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                let (cut, changed) = &*self.0;
                let mut cut = cut.lock().unwrap();
                while !*cut {
                    cut = changed.wait(cut).unwrap();
                }
                Err(std::io::Error::other("cut off"))
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        impl Client for Stuck {
            fn cutter(&self) -> Box<dyn Fn() + Send + Sync> {
                let state = Arc::clone(&self.0);
                Box::new(move || {
                    *state.0.lock().unwrap() = true;
                    state.1.notify_all();
                })
            }
        }
        let hub = Hub::default();
        let stuck = Arc::new((Mutex::new(false), Condvar::new()));
        let reading = Reading::default();
        assert!(hub.join(Stuck(Arc::clone(&stuck)), "hello\n"));
        assert!(hub.join(reading.clone(), "hello\n"));
        let message = format!("{}\n", "x".repeat(1023));
        let rounds = 2 * MAX_QUEUED_BYTES / message.len();
        for round in 1..=rounds {
            hub.broadcast(&message);
            // The reading client keeps up, as a browser does.
            eventually("the reading client to get the message", || {
                reading.0.lock().unwrap().len() == 6 + round * message.len()
            });
        }
        assert_eq!(hub.len(), 1, "the stuck client is dropped");
        assert!(*stuck.0.lock().unwrap(), "and its connection cut");
    }

    #[test]
    fn one_event_longer_than_the_budget_still_reaches_a_client() {
        let hub = Hub::default();
        let reading = Reading::default();
        assert!(hub.join(reading.clone(), ""));
        eventually("the greeting to be written", || hub.lock()[0].lock().bytes == 0);
        let long = "x".repeat(2 * MAX_QUEUED_BYTES);
        hub.broadcast(&long);
        assert_eq!(hub.len(), 1);
        eventually("the long event to arrive", || {
            reading.0.lock().unwrap().len() == long.len()
        });
    }

    #[test]
    fn no_more_than_the_most_clients_are_let_in() {
        let hub = Hub::default();
        for _ in 0..MAX_CLIENTS {
            assert!(hub.join(Reading::default(), ""));
        }
        assert!(!hub.join(Reading::default(), ""));
        assert_eq!(hub.len(), MAX_CLIENTS);
    }
}

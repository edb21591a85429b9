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

use std::io::Write;
use std::sync::Mutex;

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

/// The open event streams, to which every change is broadcast.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<Box<dyn Write + Send>>>,
}

impl Hub {
    /// Adds a client after sending it `greeting`; drops it if that fails.
    pub fn join(&self, mut client: Box<dyn Write + Send>, greeting: &str) {
        if client
            .write_all(greeting.as_bytes())
            .and_then(|()| client.flush())
            .is_ok()
        {
            self.lock().push(client);
        }
    }

    /// Sends `message` to every client, dropping those that are gone.
    pub fn broadcast(&self, message: &str) {
        self.lock().retain_mut(|client| {
            client
                .write_all(message.as_bytes())
                .and_then(|()| client.flush())
                .is_ok()
        });
    }

    /// How many clients are connected.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no client is connected.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Box<dyn Write + Send>>> {
        // A client write that panicked cannot leave the list inconsistent.
        self.clients.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
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
        let hub = Hub::default();
        hub.join(Box::new(Vec::new()), "hello");
        hub.join(Box::new(Broken), "hello");
        assert_eq!(hub.len(), 1);
        hub.broadcast("x");
        assert_eq!(hub.len(), 1);
    }
}

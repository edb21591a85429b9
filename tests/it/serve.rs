//! `annals serve` over real HTTP: the real binary serves a temp copy of a
//! site on 127.0.0.1, and the tests edit the site's files and watch what the
//! server answers and what its event stream announces. Requests are written
//! by hand on raw sockets, so paths reach the server exactly as sent.

use std::fs;
use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use crate::support::{
    eventually, files, get_at_once, http_get, tree, EventStream, ServeGuard, Site, Stream, EXAMPLE_EVENT_FILE,
    EXAMPLE_EVENT_PAGE, EXAMPLE_EVENT_TITLE, PATIENCE,
};

/// How long a saved change may take to show: generous, for a loaded
/// machine (`benches/preview.rs` measures how fast it really is).
const CHANGE_SHOWS_WITHIN: Duration = PATIENCE;
/// How long the tests wait for an event on the stream.
const EVENT_WITHIN: Duration = PATIENCE;
/// Where the example event's date is in its file (line 3, after `date: `).
const EXAMPLE_DATE_AT: &str = "content/events/2013-12-09-fair-founded.md:3:7";

/// The example site, served.
fn serve_example() -> (Site, ServeGuard) {
    let site = Site::example();
    let server = ServeGuard::start(&site);
    (site, server)
}

/// Polls `target` until it answers 200 with a body containing `text`.
#[track_caller]
fn wait_until_served(server: &ServeGuard, target: &str, text: &str) {
    eventually(CHANGE_SHOWS_WITHIN, &format!("{target} to show `{text}`"), || {
        let response = server.get(target);
        if response.status == 200 && response.body.contains(text) {
            Ok(())
        } else {
            Err(format!("status {}", response.status))
        }
    });
}

/// Polls `target` until it answers `status`.
#[track_caller]
fn wait_for_status(server: &ServeGuard, target: &str, status: u16) {
    eventually(CHANGE_SHOWS_WITHIN, &format!("{target} to answer {status}"), || {
        let response = server.get(target);
        if response.status == status {
            Ok(())
        } else {
            Err(format!("status {}", response.status))
        }
    });
}

/// The build id a served page's reload script carries.
#[track_caller]
fn build_id_of(page: &str) -> String {
    let (_, rest) = page
        .split_once("const built = \"")
        .unwrap_or_else(|| panic!("no build id in the page:\n{page}"));
    rest.split('"').next().expect("a closing quote").to_string()
}

/// A new event file for the example site.
fn new_event(title: &str) -> String {
    format!("---\ntitle: {title}\ndate: 2024-03-01\ntrack: research\n---\nSomething new happens.\n")
}

#[test]
fn pages_are_served_with_their_content_types_and_the_reload_script() {
    let (_site, server) = serve_example();

    let index = server.get("/");
    assert_eq!(index.status, 200, "{index:?}");
    assert_eq!(index.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert_eq!(index.header("Cache-Control"), Some("no-store"));
    assert!(index.body.contains("annals-live-reload"), "{}", index.body);

    let event = server.get(EXAMPLE_EVENT_PAGE);
    assert_eq!(event.status, 200, "{event:?}");
    assert!(event.body.contains(EXAMPLE_EVENT_TITLE));
    assert!(event.body.contains("annals-live-reload"));

    // The stylesheet's name carries its fingerprint; take it from the page.
    let href = index
        .body
        .split("href=\"")
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.starts_with("assets/annals.") && href.ends_with(".css"))
        .expect("the page links its stylesheet");
    let css = server.get(&format!("/{href}"));
    assert_eq!(css.status, 200);
    let css_type = css.header("Content-Type").unwrap_or_default();
    assert!(css_type.starts_with("text/css"), "{css_type}");
    assert!(!css.body.contains("annals-live-reload"), "only HTML gets the script");

    let feed = server.get("/feed.xml");
    assert_eq!(feed.status, 200);
    assert_eq!(feed.header("Content-Type"), Some("application/atom+xml"));
    assert!(!feed.body.contains("annals-live-reload"), "only HTML gets the script");
}

#[test]
fn an_edited_title_is_served_without_a_restart() {
    let (site, server) = serve_example();
    site.replace(EXAMPLE_EVENT_FILE, EXAMPLE_EVENT_TITLE, "A title edited while serving");
    wait_until_served(&server, EXAMPLE_EVENT_PAGE, "A title edited while serving");
    assert!(!server.get(EXAMPLE_EVENT_PAGE).body.contains(EXAMPLE_EVENT_TITLE));
}

#[test]
fn an_edit_saved_as_soon_as_the_server_says_it_is_serving_is_not_lost() {
    // Once `Serving the site at` is printed, a user may save at any moment;
    // each round saves at once, so a watcher that starts late is caught.
    for round in 0..3 {
        let (site, server) = serve_example();
        let title = format!("A title saved at once, round {round}");
        site.replace(EXAMPLE_EVENT_FILE, EXAMPLE_EVENT_TITLE, &title);
        wait_until_served(&server, EXAMPLE_EVENT_PAGE, &title);
    }
}

#[test]
fn a_new_event_gets_a_page_and_loses_it_when_deleted() {
    let (site, server) = serve_example();
    let file = "content/events/2024-03-01-added-while-serving.md";
    let page = "/events/added-while-serving/";
    assert_eq!(server.get(page).status, 404);

    site.write(file, &new_event("An event added while serving"));
    wait_until_served(&server, page, "An event added while serving");
    wait_until_served(&server, "/", "An event added while serving");

    site.remove(file);
    wait_for_status(&server, page, 404);
}

#[test]
fn a_save_that_renames_a_temporary_file_over_the_event_is_seen() {
    let (site, server) = serve_example();
    // Editors such as vim and VS Code write a sibling file, then rename it
    // over the original: the original path never sees a plain write.
    let edited = site
        .read(EXAMPLE_EVENT_FILE)
        .replacen(EXAMPLE_EVENT_TITLE, "A title saved by renaming", 1);
    let temporary = site.path(&format!("{EXAMPLE_EVENT_FILE}.tmp"));
    fs::write(&temporary, edited).expect("write the temporary file");
    fs::rename(&temporary, site.path(EXAMPLE_EVENT_FILE)).expect("rename it over the event");
    wait_until_served(&server, EXAMPLE_EVENT_PAGE, "A title saved by renaming");
}

#[test]
fn the_event_stream_sends_the_current_build_id_then_a_new_one_after_an_edit() {
    let (site, server) = serve_example();
    let served_id = build_id_of(&server.get("/").body);
    let mut stream = EventStream::open(&server);
    let first = stream.next_event(EVENT_WITHIN).expect("a greeting on the event stream");
    assert_eq!(first.name, "build", "{first:?}");
    assert_eq!(
        first.data, served_id,
        "the greeting names the build the pages come from"
    );

    site.replace(
        EXAMPLE_EVENT_FILE,
        EXAMPLE_EVENT_TITLE,
        "A title that triggers a rebuild",
    );
    let next = stream.wait_for("build", EVENT_WITHIN, |_| true);
    assert_ne!(next.data, served_id, "a rebuild gets a new id");
    wait_until_served(&server, EXAMPLE_EVENT_PAGE, &format!("const built = \"{}\"", next.data));
}

#[test]
fn a_broken_edit_keeps_the_last_good_site_and_reports_the_error_until_fixed() {
    let (site, mut server) = serve_example();
    let mut stream = EventStream::open(&server);
    let greeting = stream.wait_for("build", EVENT_WITHIN, |_| true);

    // One save changes the title and breaks the date: the new title must
    // not be served until the date is fixed.
    let broken = site
        .read(EXAMPLE_EVENT_FILE)
        .replacen(EXAMPLE_EVENT_TITLE, "A title saved with a bad date", 1)
        .replacen("date: 2013-12-09", "date: 2024-02-30", 1);
    site.write(EXAMPLE_EVENT_FILE, &broken);
    stream.wait_for("failed", EVENT_WITHIN, |data| data.contains(EXAMPLE_DATE_AT));
    server.wait_for_line(Stream::Stderr, 1, EVENT_WITHIN, |line| {
        line.starts_with(EXAMPLE_DATE_AT)
    });

    let page = server.get(EXAMPLE_EVENT_PAGE);
    assert_eq!(page.status, 200, "the last good site stays up");
    assert!(
        page.body.contains(EXAMPLE_EVENT_TITLE),
        "it shows the last good content"
    );
    assert!(!page.body.contains("A title saved with a bad date"));
    assert_eq!(server.get("/").status, 200);

    site.replace(EXAMPLE_EVENT_FILE, "date: 2024-02-30", "date: 2013-12-09");
    let fixed = stream.wait_for("build", EVENT_WITHIN, |_| true);
    assert_ne!(fixed.data, greeting.data, "the fix is a new build");
    wait_until_served(&server, EXAMPLE_EVENT_PAGE, "A title saved with a bad date");
}

#[test]
fn a_first_build_that_fails_serves_an_error_page_until_the_site_is_fixed() {
    let site = Site::fixture("base");
    site.overlay("impossible_date");
    site.remove("content/events/2001-01-02-first.md");
    site.remove("content/events/2002-second.md");
    let mut server = ServeGuard::start(&site);
    server.wait_for_line(Stream::Stderr, 1, EVENT_WITHIN, |line| {
        line.starts_with("content/events/2024-leap.md:3:7")
    });

    let index = server.get("/");
    assert_eq!(index.status, 500, "{index:?}");
    assert!(index.body.contains("content/events/2024-leap.md:3:7"), "{}", index.body);
    assert!(
        index.body.contains("annals-live-reload"),
        "the error page reloads itself"
    );

    site.replace("content/events/2024-leap.md", "2024-02-30", "2024-02-29");
    wait_until_served(&server, "/", "A day that never was");
    assert!(
        !server.get("/").body.contains("annals-errors"),
        "the error page is gone"
    );
}

#[test]
fn traversal_attempts_are_refused_and_the_server_keeps_answering() {
    let (_site, server) = serve_example();
    let long = format!("/{}", "a".repeat(10_000));
    for target in [
        "/../etc/passwd",
        "/%2e%2e/etc/passwd",
        "/..%2fetc/passwd",
        "/%252e%252e/etc/passwd",
        "/..\\etc\\passwd",
        "/%5c..%5cetc",
        "/C:/Windows/win.ini",
        "//etc/passwd",
        "/%00",
        "/index.html%00",
        long.as_str(),
    ] {
        let shown: String = target.chars().take(40).collect();
        let response = server.get(target);
        // 414: the 10,000-byte target makes the request line too long to read.
        assert!(
            [400, 404, 414].contains(&response.status),
            "{shown} answered {}",
            response.status
        );
        assert!(!response.body.contains("root:"), "{shown} leaked /etc/passwd");
        assert_eq!(server.get("/").status, 200, "the server still answers after {shown}");
    }
}

#[test]
fn only_host_names_of_this_machine_are_answered() {
    let (_site, server) = serve_example();
    let port = server.port;
    assert_eq!(http_get(port, "/", "evil.example").status, 403);
    assert_eq!(http_get(port, "/", &format!("evil.example:{port}")).status, 403);
    assert_eq!(http_get(port, "/", &format!("localhost:{port}")).status, 200);
}

#[test]
fn build_output_has_no_live_reload_script() {
    let site = Site::example();
    site.build().success();
    let output = tree(&site.out());
    let pages: Vec<_> = files(&output)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .collect();
    assert!(pages.len() > 10, "the example has pages: {}", pages.len());
    for (path, bytes) in pages {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("annals-live-reload") && !text.contains("__annals"),
            "{path} carries the live-reload script"
        );
    }
}

#[test]
fn garbage_on_the_event_stream_leaves_the_server_answering() {
    let (site, server) = serve_example();
    let mut stream = EventStream::open(&server);
    stream.wait_for("build", EVENT_WITHIN, |_| true);
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let garbage: Vec<u8> = (0..64 * 1024)
        .map(|_| {
            // xorshift: varied bytes, the same every run.
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect();
    // The server may close the stream halfway; that is its right.
    let _ = stream.socket().write_all(&garbage);
    let _ = stream
        .socket()
        .write_all(b"\r\n\r\nGET /../etc/passwd HTTP/1.1\r\n\r\n");

    assert_eq!(server.get("/").status, 200);
    site.replace(EXAMPLE_EVENT_FILE, EXAMPLE_EVENT_TITLE, "A title after the garbage");
    wait_until_served(&server, EXAMPLE_EVENT_PAGE, "A title after the garbage");
}

#[test]
fn many_dropped_and_half_sent_connections_leave_the_server_answering() {
    let (_site, server) = serve_example();
    let partial_head = format!("GET / HTTP/1.1\r\nHost: {}\r\n", server.host());
    for round in 0..300 {
        let mut socket = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
        let sent: &[u8] = match round % 3 {
            0 => b"",
            1 => b"GET / HT",
            _ => partial_head.as_bytes(),
        };
        let _ = socket.write_all(sent);
    }
    let index = server.get("/");
    assert_eq!(index.status, 200, "{index:?}");
}

#[test]
fn a_pages_connections_opened_together_are_each_answered_while_all_stay_open() {
    let (_site, server) = serve_example();
    // More than a browser's six for one host, beside the page's open event stream.
    let _stream = EventStream::open(&server);
    for _ in 0..10 {
        let answers = get_at_once(server.port, "/index.html", 8);
        let failed: Vec<_> = answers
            .iter()
            .filter(|answer| !matches!(answer, Ok(status) if status == "HTTP/1.1 200 OK"))
            .collect();
        assert!(failed.is_empty(), "{failed:?}");
    }
}

#[test]
fn serve_never_writes_the_output_folder() {
    let (site, mut server) = serve_example();
    site.replace(EXAMPLE_EVENT_FILE, EXAMPLE_EVENT_TITLE, "A title that is only served");
    wait_until_served(&server, EXAMPLE_EVENT_PAGE, "A title that is only served");
    site.write(
        "content/events/2024-03-01-added-while-serving.md",
        &new_event("Served, not written"),
    );
    wait_until_served(&server, "/events/added-while-serving/", "Served, not written");
    // A build is served a moment before the server reports it.
    server.wait_for_line(Stream::Stdout, 3, PATIENCE, |line| line.starts_with("Built "));
    drop(server);
    assert!(!site.path("public").exists(), "serve wrote public/");
    assert!(!site.out().exists(), "serve wrote beside the site");
}

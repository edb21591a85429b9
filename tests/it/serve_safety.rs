//! `annals serve` against clients that misbehave, over real TCP on
//! 127.0.0.1: a phone's `Host` on a LAN bind (and a rebinding attacker's),
//! a page that stops reading its event stream while the site keeps
//! changing, and request heads that are too long, never end or trickle in. Every wait
//! is on a condition with a generous deadline, so a busy machine only makes
//! the tests slower.

use std::fs;
use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::os::fd::AsRawFd;
use std::thread;
use std::time::{Duration, Instant};

use annals::serve::lan;
use annals::serve::wire::{MAX_HEADERS, MAX_HEADER_BYTES, MAX_REQUEST_LINE};

use crate::support::{eventually, http_get, EventStream, ServeGuard, Site, Stream, PATIENCE};

/// How long anything the tests wait for may take on a loaded machine.
const WITHIN: Duration = PATIENCE;
const EVENT: &str = "content/events/2001-01-02-first.md";
const PAGE: &str = "/events/first/";

#[test]
fn a_lan_bind_answers_this_machines_own_addresses_and_no_other_host_name() {
    let site = Site::fixture("base");
    let mut server = ServeGuard::start_with(&site, &["--bind", "0.0.0.0"]);
    let port = server.port;
    // Every request goes to 127.0.0.1; only the Host header names the LAN.
    let own = lan::addresses();
    if own.is_empty() {
        eprintln!(
            "\n!!! serve_safety: this machine has no non-loopback address, so the \
             phone-preview Host check is NOT exercised here; checking only the refusals !!!\n"
        );
    }
    for ip in &own {
        let name = lan::host_name(*ip);
        let response = http_get(port, "/", &format!("{name}:{port}"));
        assert_eq!(response.status, 200, "Host {name}:{port} → {response:?}");
        let wrong_port = http_get(port, "/", &format!("{name}:{}", port.wrapping_add(1)));
        assert_eq!(wrong_port.status, 403, "Host {name} with another port");
    }
    if let Some(v4) = own.iter().find(|ip| ip.is_ipv4()) {
        let shown = format!("open http://{v4}:{port}/");
        server.wait_for_line(Stream::Stdout, 1, WITHIN, |line| line.contains(&shown));
    }
    assert_eq!(http_get(port, "/", &format!("localhost:{port}")).status, 200);
    for refused in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("0.0.0.0:{port}"),
        format!("192.0.2.1.evil.example:{port}"),
    ] {
        assert_eq!(http_get(port, "/", &refused).status, 403, "Host {refused}");
    }

    // On the default loopback bind the LAN addresses are refused.
    let local = ServeGuard::start(&site);
    for ip in &own {
        let name = lan::host_name(*ip);
        let host = format!("{name}:{}", local.port);
        assert_eq!(
            http_get(local.port, "/", &host).status,
            403,
            "loopback bind, Host {host}"
        );
    }
}

/// Makes a socket's receive buffer as small as the system allows, so a
/// client that does not read fills it at once.
fn shrink_receive_buffer(socket: &TcpStream) {
    let size: libc::c_int = 4096;
    // SAFETY: the descriptor is an open socket owned by `socket`, and the
    // option value points at a live `c_int` whose size is passed with it.
    let result = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVBUF,
            (&size as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    assert_eq!(result, 0, "setsockopt(SO_RCVBUF): {}", std::io::Error::last_os_error());
}

/// An event file whose date does not exist, with a long line that the
/// error report quotes, so every failed build sends a long event.
fn broken_event(n: usize, round: usize) -> String {
    format!(
        "---\ntitle: Broken {n}\ndate: 2024-02-30 # round {round} {}\n---\nText.\n",
        "x".repeat(120)
    )
}

#[test]
fn a_page_that_stops_reading_holds_up_neither_the_other_pages_nor_rebuilds() {
    const BROKEN: usize = 200;
    const ROUNDS: usize = 16;
    let site = Site::fixture("base");
    let server = ServeGuard::start(&site);
    let mut reading = EventStream::open(&server);
    let greeting = reading.wait_for("build", WITHIN, |_| true);

    let mut stalled = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    shrink_receive_buffer(&stalled);
    let request = format!("GET /__annals/events HTTP/1.1\r\nHost: {}\r\n\r\n", server.host());
    stalled.write_all(request.as_bytes()).expect("ask for the event stream");
    // Its stream is open once the greeting arrives; `peek` leaves it unread.
    stalled.set_read_timeout(Some(WITHIN)).unwrap();
    assert!(stalled.peek(&mut [0; 1]).expect("the greeting") > 0);

    // Each failed build sends a report quoting all the broken files
    // (some 60 KB), far more in all than the stalled page can hold.
    let staging = site.base().join("broken");
    fs::create_dir(&staging).unwrap();
    for n in 0..BROKEN {
        fs::write(staging.join(format!("2024-broken-{n}.md")), broken_event(n, 0)).unwrap();
    }
    fs::rename(&staging, site.path("content/events/broken")).unwrap();
    reading.wait_for("failed", WITHIN, |data| data.contains("2024-broken-0.md"));
    let mut sent = 0;
    for round in 1..=ROUNDS {
        site.write("content/events/broken/2024-broken-0.md", &broken_event(0, round));
        let marker = format!("round {round} x");
        let failed = reading.wait_for("failed", WITHIN, |data| data.contains(&marker));
        sent += failed.data.len();
    }
    assert!(sent > 512 * 1024, "the rounds sent only {sent} bytes");

    // The site is fixed and edited again: every rebuild reaches the
    // reading page and is served.
    fs::rename(site.path("content/events/broken"), site.base().join("broken")).unwrap();
    let mut last = reading.wait_for("build", WITHIN, |id| id != greeting.data).data;
    for round in 1..=5 {
        let title = format!("Edited while a page stalls, {round}");
        let text = site.read(EVENT);
        let old_title = text
            .lines()
            .find(|line| line.starts_with("title: "))
            .expect("a title line")
            .to_string();
        site.replace(EVENT, &old_title, &format!("title: {title}"));
        last = reading.wait_for("build", WITHIN, |id| id != last).data;
        eventually(WITHIN, &format!("{PAGE} to show `{title}`"), || {
            let response = server.get(PAGE);
            if response.status == 200 && response.body.contains(&title) {
                Ok(())
            } else {
                Err(format!("status {}", response.status))
            }
        });
    }

    // The stalled page was cut off: it reads what was queued for it, then
    // the end of the stream, and never the last builds.
    let mut received = Vec::new();
    let deadline = Instant::now() + WITHIN;
    let ended = loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break false;
        }
        stalled.set_read_timeout(Some(left)).unwrap();
        let mut buffer = [0; 65536];
        match stalled.read(&mut buffer) {
            Ok(0) => break true,
            Ok(read) => received.extend_from_slice(&buffer[..read]),
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => break false,
            Err(_) => break true,
        }
    };
    assert!(
        ended,
        "the server never closed the stalled stream ({} bytes read)",
        received.len()
    );
    let received = String::from_utf8_lossy(&received);
    assert!(!received.contains(&last), "the stalled page got every event");
    assert!(received.len() < sent, "the stalled page got {} bytes", received.len());
}

/// Sends `request` on a fresh connection and reads the answer until the
/// server closes; returns its status line.
fn status_line_of(port: u16, request: &[u8]) -> String {
    let mut socket = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    socket.set_read_timeout(Some(WITHIN)).unwrap();
    // The server may stop reading before all is sent; its answer counts.
    let _ = socket.write_all(request);
    let mut answer = Vec::new();
    let _ = socket.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    answer.lines().next().unwrap_or_default().to_string()
}

#[test]
fn request_heads_beyond_the_limits_are_refused_and_the_server_keeps_answering() {
    let site = Site::fixture("base");
    let server = ServeGuard::start(&site);
    let host = server.host();

    let long_target = format!("/{}", "a".repeat(MAX_REQUEST_LINE));
    let long_line = format!("GET {long_target} HTTP/1.1\r\nHost: {host}\r\n\r\n");
    assert!(status_line_of(server.port, long_line.as_bytes()).starts_with("HTTP/1.1 414 "));

    let mut many = format!("GET / HTTP/1.1\r\nHost: {host}\r\n");
    for n in 0..MAX_HEADERS {
        many.push_str(&format!("X-Field-{n}: {n}\r\n"));
    }
    many.push_str("\r\n");
    assert!(status_line_of(server.port, many.as_bytes()).starts_with("HTTP/1.1 431 "));

    let big = format!(
        "GET / HTTP/1.1\r\nHost: {host}\r\nX-Big: {}\r\n\r\n",
        "b".repeat(MAX_HEADER_BYTES)
    );
    assert!(status_line_of(server.port, big.as_bytes()).starts_with("HTTP/1.1 431 "));

    let malformed = format!("GET / HTTP/1.1\r\nHost: {host}\r\n folded\r\n\r\n");
    assert!(status_line_of(server.port, malformed.as_bytes()).starts_with("HTTP/1.1 400 "));

    // Just under the limits is fine.
    let mut fits = format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for n in 0..MAX_HEADERS - 2 {
        fits.push_str(&format!("X-Field-{n}: {n}\r\n"));
    }
    fits.push_str("\r\n");
    assert!(status_line_of(server.port, fits.as_bytes()).starts_with("HTTP/1.1 200 "));
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn a_header_line_that_never_ends_is_cut_off_while_other_clients_are_served() {
    /// The most the endless client sends; the server must stop it far sooner.
    const CAP: usize = 64 * 1024 * 1024;
    let site = Site::fixture("base");
    let server = ServeGuard::start(&site);
    let mut socket = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    let mut writer = socket.try_clone().expect("clone the socket");
    let head = format!("GET / HTTP/1.1\r\nHost: {}\r\nX-Endless: ", server.host());
    let sending = thread::spawn(move || {
        let chunk = [b'a'; 16 * 1024];
        let mut sent = writer.write(head.as_bytes()).unwrap_or(0);
        while sent < CAP {
            match writer.write(&chunk) {
                Ok(written) => sent += written,
                Err(_) => return (sent, true),
            }
        }
        (sent, false)
    });

    // While it sends, other clients are answered.
    for _ in 0..3 {
        assert_eq!(server.get("/").status, 200);
    }

    socket.set_read_timeout(Some(WITHIN)).unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0; 4096];
    while let Ok(read) = socket.read(&mut buffer) {
        if read == 0 {
            break;
        }
        answer.extend_from_slice(&buffer[..read]);
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 431 "), "{answer}");

    let (sent, cut_off) = sending.join().expect("the sending thread");
    assert!(cut_off, "the server read all {sent} bytes of one header line");
    assert!(sent < CAP / 4, "the server took {sent} bytes before cutting off");
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn a_request_head_that_trickles_in_is_cut_off_at_its_deadline() {
    let site = Site::fixture("base");
    let server = ServeGuard::start(&site);
    // Before connecting: the server's clock for this request starts later.
    let started = Instant::now();
    let mut socket = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    let head = format!("GET / HTTP/1.1\r\nHost: {}\r\nX-Slow: ", server.host());
    socket.write_all(head.as_bytes()).expect("send the start of a head");
    socket.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    let mut answer = Vec::new();
    let mut buffer = [0; 4096];
    // One byte every half second, until the server answers or closes.
    while started.elapsed() < WITHIN {
        let _ = socket.write_all(b"a");
        match socket.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => answer.extend_from_slice(&buffer[..read]),
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                // Meanwhile, everyone else is served.
                assert_eq!(server.get("/").status, 200);
            }
            Err(_) => break,
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.starts_with("HTTP/1.1 408 "),
        "after {:?}: {answer}",
        started.elapsed()
    );
    assert!(
        started.elapsed() >= annals::serve::server::REQUEST_TIMEOUT,
        "cut off after {:?}",
        started.elapsed()
    );
}

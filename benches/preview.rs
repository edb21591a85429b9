//! Live-preview latency: from writing an event file to the reload message
//! on the event stream, on the example site and on a generated site.
//!
//! `cargo bench --bench preview` prints a table; nothing is asserted. Each
//! run starts the real `annals serve` on a free port over a temporary copy
//! of the site, opens `/__annals/events`, and times 20 edits of one kind:
//! a sentence added to an event's body (its page and the data files
//! change), or its title changed (every list page that shows it changes
//! too). The server's own report of each rebuild ("Built … in N ms") gives
//! the rebuild time. "first" is the first edit after the server started:
//! its memo tables hold only the start's build.

#[path = "support/corpus.rs"]
mod corpus;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};
use std::{fs, thread};

const EDITS: usize = 20;

struct Server {
    child: Child,
    port: u16,
    lines: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["serve", "--port", "0", "--root"])
        .arg(root)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start annals serve");
    let (sender, lines) = mpsc::channel();
    let mut child = child;
    let stdout = child.stdout.take();
    thread::spawn(move || {
        let Some(stdout) = stdout else { return };
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    // From here on the guard owns the process, so it is killed and reaped
    // even if the server never says where it listens.
    let mut server = Server { child, port: 0, lines };
    let deadline = Instant::now() + Duration::from_secs(120);
    while server.port == 0 {
        let line = server
            .lines
            .recv_timeout(deadline - Instant::now())
            .expect("server starts");
        if let Some(rest) = line.split("127.0.0.1:").nth(1) {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            server.port = digits.parse().expect("port");
        }
    }
    server
}

/// Reads the event stream until a `build` event whose id differs from `old`.
fn next_build(stream: &mut TcpStream, buffer: &mut String, old: &str) -> String {
    let mut chunk = [0u8; 4096];
    loop {
        while let Some(end) = buffer.find("\n\n") {
            let message: String = buffer.drain(..end + 2).collect();
            if let Some(data) = message.strip_prefix("event: build\ndata: ") {
                let id = data.trim().to_string();
                if id != old {
                    return id;
                }
            }
        }
        let read = stream.read(&mut chunk).expect("read event stream");
        assert!(read > 0, "event stream closed");
        buffer.push_str(&String::from_utf8_lossy(&chunk[..read]));
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values[values.len() / 2]
}

/// What an edit does to an event file.
#[derive(Clone, Copy)]
enum Edit {
    Body,
    Title,
}

impl Edit {
    fn apply(self, original: &str, number: usize) -> String {
        match self {
            Edit::Body => original.replacen("\n---\n", &format!("\n---\nEdit number {number}.\n\n"), 1),
            Edit::Title => {
                // The first `title:` is the event's (sources come after it).
                let at = original.find("\ntitle: ").expect("a title line") + "\ntitle: ".len();
                let quote = usize::from(original[at..].starts_with('"'));
                let mut text = original.to_string();
                text.insert_str(at + quote, &format!("Edit {number} – "));
                text
            }
        }
    }

    fn name(self) -> &'static str {
        match self {
            Edit::Body => "body",
            Edit::Title => "title",
        }
    }
}

fn measure(name: &str, root: &Path, file: &Path, edit: Edit) {
    let server = start(root);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    write!(
        stream,
        "GET /__annals/events HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\r\n",
        server.port
    )
    .unwrap();
    let mut buffer = String::new();
    let mut id = next_build(&mut stream, &mut buffer, "");
    while server.lines.try_recv().is_ok() {}
    let original = fs::read_to_string(file).expect("read event");
    let mut latencies = Vec::new();
    let mut rebuilds = Vec::new();
    for number in 0..EDITS {
        let text = edit.apply(&original, number);
        let written = Instant::now();
        fs::write(file, text).expect("write event");
        id = next_build(&mut stream, &mut buffer, &id);
        latencies.push(written.elapsed().as_secs_f64() * 1000.0);
        let report = server
            .lines
            .recv_timeout(Duration::from_secs(10))
            .expect("rebuild report");
        if let Some(ms) = report.split(" in ").nth(1).and_then(|rest| rest.split(' ').next()) {
            rebuilds.push(ms.parse::<f64>().unwrap_or(f64::NAN));
        }
        thread::sleep(Duration::from_millis(60));
        while server.lines.try_recv().is_ok() {}
    }
    fs::write(file, original).expect("restore event");
    let _ = next_build(&mut stream, &mut buffer, &id);
    println!(
        "{:<34} {:>10.1} {:>10.1} {:>10.1} {:>10.1}",
        format!("{name}, {}", edit.name()),
        latencies[0],
        median(latencies.clone()),
        latencies.iter().cloned().fold(0.0, f64::max),
        median(rebuilds)
    );
}

fn main() {
    let quick = std::env::args().any(|arg| arg == "--quick") || std::env::var_os("ANNALS_BENCH_QUICK").is_some();
    println!(
        "{:<34} {:>10} {:>10} {:>10} {:>10}",
        "site, edit", "first", "save→reload", "worst", "rebuild"
    );
    println!(
        "{:<34} {:>10} {:>10} {:>10} {:>10}",
        "", "ms", "median ms", "ms", "median ms"
    );

    let example = tempfile::tempdir().expect("temp dir");
    let source = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_tree(&source.join("content"), &example.path().join("content"));
    copy_tree(&source.join("static"), &example.path().join("static"));
    fs::copy(source.join("site.yaml"), example.path().join("site.yaml")).expect("copy site.yaml");
    for edit in [Edit::Body, Edit::Title] {
        measure(
            "example (21 events)",
            example.path(),
            &example.path().join("content/events/2013-12-09-fair-founded.md"),
            edit,
        );
    }

    let sizes: &[usize] = if quick { &[1000] } else { &[1000, 10_000] };
    for &size in sizes {
        let generated = tempfile::tempdir().expect("temp dir");
        corpus::generate(generated.path(), size, 42);
        let file = generated
            .path()
            .join(format!("content/events/event-{:06}.md", size / 2));
        for edit in [Edit::Body, Edit::Title] {
            measure(&format!("generated ({size} events)"), generated.path(), &file, edit);
        }
    }
}

fn copy_tree(from: &Path, to: &Path) {
    if !from.exists() {
        return;
    }
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read folder").map_while(Result::ok) {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy file");
        }
    }
}

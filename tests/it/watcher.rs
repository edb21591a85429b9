//! The watcher under the ways editors and tools really change files:
//! vim's and JetBrains' rename-over saves, a checkout of thousands of files
//! at once, swap files, the output folder, a deleted and recreated folder,
//! and the polling fallback. Each ends in the final state, with few rebuilds.

use std::fs;
use std::thread;
use std::time::Duration;

use crate::support::{eventually, EventStream, ServeGuard, Site, PATIENCE};

const EVENT: &str = "content/events/2001-01-02-first.md";
const PAGE: &str = "/events/first/";
/// The file [`Rebuilds::since_last`] edits to mark a point in time.
const SENTINEL: &str = "content/events/2002-second.md";
const SENTINEL_PAGE: &str = "/events/second/";

/// Waits until `target` answers 200 with `text` in it; returns the body.
fn wait_for(server: &ServeGuard, target: &str, text: &str) -> String {
    eventually(PATIENCE, &format!("{target} to show `{text}`"), || {
        let response = server.get(target);
        if response.status == 200 && response.body.contains(text) {
            Ok(response.body)
        } else {
            Err(format!("status {}", response.status))
        }
    })
}

/// Counts rebuilds (successful or failed) on the server's event stream.
///
/// A count needs an end: [`Rebuilds::since_last`] saves a sentinel edit to
/// another file and counts the announcements that come before the
/// sentinel's own build. That waits for exactly what it needs, however
/// slow the machine, where a fixed pause would guess.
struct Rebuilds {
    stream: EventStream,
    sentinels: usize,
}

impl Rebuilds {
    /// Opens the event stream and reads its greeting.
    fn watch(server: &ServeGuard) -> Rebuilds {
        let mut stream = EventStream::open(server);
        stream.wait_for("build", PATIENCE, |_| true);
        Rebuilds { stream, sentinels: 0 }
    }

    /// Rebuilds announced since the last call (or the greeting).
    fn since_last(&mut self, site: &Site, server: &ServeGuard) -> usize {
        self.sentinels += 1;
        let title = format!("Sentinel {}", self.sentinels);
        let text = site.read(SENTINEL);
        let old_title = text.lines().find(|line| line.starts_with("title: ")).expect("a title");
        site.write(SENTINEL, &text.replacen(old_title, &format!("title: {title}"), 1));
        let page = wait_for(server, SENTINEL_PAGE, &title);
        let (_, rest) = page.split_once("const built = \"").expect("a build id in the page");
        let sentinel_build = rest.split('"').next().expect("a closing quote");
        let mut before = 0;
        loop {
            let event = self
                .stream
                .next_event(PATIENCE)
                .unwrap_or_else(|| panic!("no announcement of build {sentinel_build}"));
            match event.name.as_str() {
                "build" if event.data == sentinel_build => return before,
                "build" | "failed" => before += 1,
                _ => {}
            }
        }
    }
}

#[test]
fn vim_and_jetbrains_saves_are_seen_with_at_most_two_rebuilds_each() {
    let site = Site::fixture("base");
    let server = ServeGuard::start(&site);
    let mut rebuilds = Rebuilds::watch(&server);
    let original = site.read(EVENT);

    // vim: a swap file, the original moved to a backup, the new text written, cleanup.
    site.write("content/events/.2001-01-02-first.md.swp", "swap");
    fs::rename(site.path(EVENT), site.path("content/events/2001-01-02-first.md~")).unwrap();
    site.write(
        EVENT,
        &original.replace("title: The first event", "title: Saved by vim"),
    );
    fs::remove_file(site.path("content/events/2001-01-02-first.md~")).unwrap();
    fs::remove_file(site.path("content/events/.2001-01-02-first.md.swp")).unwrap();
    wait_for(&server, PAGE, "Saved by vim");
    let vim = rebuilds.since_last(&site, &server);
    assert!((1..=2).contains(&vim), "vim's save made {vim} rebuilds");

    // JetBrains: write a temporary file beside it, then rename it over.
    let temporary = "content/events/2001-01-02-first.md___jb_tmp___";
    site.write(
        temporary,
        &original.replace("title: The first event", "title: Saved by JetBrains"),
    );
    fs::rename(site.path(temporary), site.path(EVENT)).unwrap();
    wait_for(&server, PAGE, "Saved by JetBrains");
    let jetbrains = rebuilds.since_last(&site, &server);
    assert!(
        (1..=2).contains(&jetbrains),
        "JetBrains' save made {jetbrains} rebuilds"
    );
}

#[test]
fn swap_files_and_the_output_folder_trigger_nothing() {
    let site = Site::fixture("base");
    let server = ServeGuard::start(&site);
    let mut rebuilds = Rebuilds::watch(&server);
    site.write("content/events/.notes.md.swp", "swap");
    site.write("content/events/notes.md~", "backup");
    fs::create_dir_all(site.path("public/events")).unwrap();
    site.write("public/index.html", "output");
    // Were these changes (wrongly) seen, a pause longer than the longest
    // debounce wait makes their rebuild come on its own, before the
    // sentinel's, instead of merging into it. A slow machine can only make
    // the pause look shorter to the watcher, never fail the test wrongly.
    thread::sleep(annals::serve::LONGEST_WAIT + Duration::from_millis(100));
    assert_eq!(rebuilds.since_last(&site, &server), 0);
}

#[test]
fn two_thousand_files_at_once_make_at_most_two_rebuilds_ending_in_the_final_state() {
    let site = Site::fixture("base");
    let server = ServeGuard::start(&site);
    let mut rebuilds = Rebuilds::watch(&server);
    // Written elsewhere, then moved in at once, as a checkout does.
    let staging = site.base().join("staging");
    fs::create_dir_all(&staging).unwrap();
    for n in 0..2000 {
        fs::write(
            staging.join(format!("1900-{n:04}.md")),
            format!("---\ntitle: Checked out {n}\ndate: 1900\n---\nText.\n"),
        )
        .unwrap();
    }
    fs::rename(&staging, site.path("content/events/checkout")).unwrap();
    wait_for(&server, "/events/1999/", "Checked out 1999");
    let made = rebuilds.since_last(&site, &server);
    assert!((1..=2).contains(&made), "a 2,000-file change made {made} rebuilds");
}

#[test]
fn a_deleted_and_recreated_events_folder_is_watched_again() {
    let site = Site::fixture("base");
    let server = ServeGuard::start(&site);
    let events = site.path("content/events");
    let saved = site.base().join("saved-events");
    fs::rename(&events, &saved).unwrap();
    eventually(PATIENCE, "the event page to go", || {
        let status = server.get(PAGE).status;
        if status == 404 {
            Ok(())
        } else {
            Err(format!("status {status}"))
        }
    });
    fs::rename(&saved, &events).unwrap();
    wait_for(&server, PAGE, "The first event");
    // The recreated folder is watched: an edit inside it is seen.
    site.replace(EVENT, "title: The first event", "title: After the folder came back");
    wait_for(&server, PAGE, "After the folder came back");
}

#[test]
fn the_polling_fallback_sees_changes_too() {
    let site = Site::fixture("base");
    let server = ServeGuard::start_with(&site, &["--poll"]);
    // Straight after the start, in the same second as the copy of the site
    // was written, and then again within that second: polling compares
    // contents, not only modification times (which it reads in seconds).
    site.replace(EVENT, "title: The first event", "title: Seen by polling");
    wait_for(&server, PAGE, "Seen by polling");
    site.replace(EVENT, "title: Seen by polling", "title: Seen again");
    wait_for(&server, PAGE, "Seen again");
}

//! Rebuilds into a folder a previous build wrote. annals skips work there:
//! with nothing changed it renders nothing, and after an edit it renders
//! only the pages whose inputs changed, keeping the others on disk. These
//! tests hold it to the rule that makes that safe — the folder always ends
//! up byte-identical to a fresh build — including when someone touched the
//! output by hand in between.

use std::fs;
use std::path::Path;

use crate::support::{assert_same_tree, tree, Site, Tree};

const TITLE: &str = "title: LeCun to lead Facebook AI Research";
const MANIFEST: &str = ".annals-manifest";

/// A fresh build of `site` into a new folder, to compare against.
fn fresh_tree(site: &Site, name: &str) -> Tree {
    let fresh = site.base().join(name);
    site.build_into(&fresh, &[]).success();
    let built = without_manifest(tree(&fresh));
    fs::remove_dir_all(&fresh).unwrap();
    built
}

/// The manifest records when files were written, so it differs between
/// folders; everything else must not.
fn without_manifest(mut tree: Tree) -> Tree {
    tree.remove(MANIFEST);
    tree
}

fn output(site: &Site) -> Tree {
    without_manifest(tree(&site.out()))
}

#[test]
fn after_an_edit_only_what_shows_the_event_is_written_and_the_rest_matches_a_fresh_build() {
    let site = Site::example();
    site.build().success();
    site.replace(
        "content/events/2013-12-09-fair-founded.md",
        TITLE,
        "title: LeCun to lead FAIR",
    );
    let run = site.build().success();
    let count = run.summary().written;
    assert!(
        count > 0 && count < 60,
        "a title shows on some pages, not all 98: {run}"
    );
    assert_same_tree(&fresh_tree(&site, "fresh"), &output(&site), "the rebuilt output");
}

#[test]
fn an_output_file_changed_or_removed_by_hand_is_restored_though_no_input_changed() {
    let site = Site::example();
    site.build().success();
    let out = site.out();
    let page = out.join("events/fair-founded/index.html");
    let original = fs::read(&page).unwrap();
    // Same length, different bytes: only the time stamp tells.
    let mut edited = original.clone();
    let at = edited.iter().position(|&b| b == b'<').unwrap();
    edited[at + 1] = b'X';
    fs::write(&page, &edited).unwrap();
    fs::remove_file(out.join("feed.xml")).unwrap();
    let run = site.build().success();
    assert!(!run.stdout.contains("(0 written"), "{run}");
    assert_eq!(fs::read(&page).unwrap(), original, "the hand-edited page is rebuilt");
    assert!(out.join("feed.xml").is_file(), "the removed feed is back");
    assert_same_tree(&fresh_tree(&site, "fresh"), &output(&site), "the output");
}

#[test]
fn after_a_body_edit_the_search_index_is_rewritten_where_it_changed_and_a_search_file_edited_by_hand_is_restored() {
    let site = Site::example();
    site.build().success();
    let out = site.out();
    let results = |out: &Path| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(out.join("search/d"))
            .expect("search/d is there")
            .map(|entry| {
                let path = entry.expect("list search/d").path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                (name, fs::read(&path).unwrap())
            })
            .collect();
        files.sort();
        files
    };
    let before = results(&out);
    // A word no other event has, in one event's body.
    let file = "content/events/2013-12-09-fair-founded.md";
    let text = site.read(file);
    site.write(file, &format!("{text}\nA zanzibarian aside.\n"));
    // And a result file of another event spoiled by hand.
    let spoiled = out.join("search/d/0.json");
    fs::write(&spoiled, b"{}").unwrap();
    site.build().success();
    let after = results(&out);
    let changed: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(old, new)| old != new)
        .map(|(old, _)| old.0.as_str())
        .collect();
    assert_eq!(changed.len(), 1, "one event's result file changes: {changed:?}");
    assert!(
        String::from_utf8_lossy(&after.iter().find(|(name, _)| name == changed[0]).unwrap().1).contains("zanzibarian")
    );
    assert_ne!(fs::read(&spoiled).unwrap(), b"{}", "the spoiled file is restored");
    assert_same_tree(&fresh_tree(&site, "fresh"), &output(&site), "the rebuilt output");
}

#[test]
fn an_edited_page_is_restored_even_when_only_its_event_changed_since() {
    let site = Site::example();
    site.build().success();
    let out = site.out();
    let index = out.join("index.html");
    fs::write(&index, "vandalised").unwrap();
    site.replace("content/events/2013-12-09-fair-founded.md", TITLE, "title: FAIR begins");
    site.build().success();
    assert_same_tree(&fresh_tree(&site, "fresh"), &output(&site), "the output");
}

#[test]
fn a_manifest_line_without_size_and_fingerprint_deletes_nothing_and_says_so() {
    let site = Site::example();
    site.build().success();
    let out = site.out();
    let manifest = out.join(MANIFEST);
    // The first manifests listed paths only; anyone can write such a line.
    let paths_only: String = fs::read_to_string(&manifest)
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with("# build "))
        .map(|line| format!("{}\n", line.split('\t').next().unwrap()))
        .collect();
    fs::write(&manifest, paths_only + "events/gone/index.html\n").unwrap();
    write_nested(&out, "events/gone/index.html", "old page");
    let run = site.build_into(&out, &["-v"]).success();
    assert!(run.stdout.contains(", 0 removed)"), "{run}");
    assert!(
        run.stdout
            .contains("kept events/gone/index.html: the manifest does not record its size and fingerprint"),
        "{run}"
    );
    assert_eq!(
        fs::read_to_string(out.join("events/gone/index.html")).unwrap(),
        "old page"
    );
    // The next build's manifest records every file it wrote in full again.
    let listed = fs::read_to_string(&manifest).unwrap();
    assert!(
        listed
            .lines()
            .filter(|line| !line.starts_with('#'))
            .all(|line| line.split('\t').count() == 4),
        "{listed}"
    );
}

fn write_nested(root: &Path, relative: &str, text: &str) {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// A site of `events` events a month apart from 1990, all tagged `ai`,
/// one file each, `e000.md` the oldest.
fn tagged_site(events: usize) -> Site {
    let site = Site::empty();
    site.write("site.yaml", "title: Tagged\n");
    for at in 0..events {
        let (year, month) = (1990 + at / 12, 1 + at % 12);
        site.write(
            &format!("content/events/e{at:03}.md"),
            &format!("---\ntitle: Event {at}\ndate: {year}-{month:02}\ntags: [ai]\n---\nBody {at}.\n"),
        );
    }
    site
}

#[test]
fn the_pages_of_a_long_list_are_rebuilt_on_disk_as_a_fresh_build_makes_them_and_a_page_no_longer_needed_goes() {
    // 250 events: the tag's three pages of 84, 83 and 83 events.
    let site = tagged_site(250);
    site.build().success();
    let out = site.out();
    for page in ["tags/ai/index.html", "tags/ai/2/index.html", "tags/ai/3/index.html"] {
        assert!(out.join(page).is_file(), "{page}");
    }
    // The first event moves to the end: every page shows other events.
    site.replace("content/events/e000.md", "date: 1990-01", "date: 2030-01");
    site.build().success();
    assert_same_tree(&fresh_tree(&site, "fresh"), &output(&site), "after a move");
    // Down to 100 events: one page, and the others are removed.
    for at in 100..250 {
        site.remove(&format!("content/events/e{at:03}.md"));
    }
    let run = site.build().success();
    assert!(!out.join("tags/ai/2/index.html").exists(), "{run}");
    assert!(!out.join("tags/ai/2").exists(), "the emptied folder goes too: {run}");
    assert_same_tree(&fresh_tree(&site, "fresh"), &output(&site), "after removing events");
}

//! What annals prints and writes as text must not harm the person running
//! it on a cloned site: control characters in names and quoted lines reach
//! the terminal escaped (`\u{1b}`), characters XML forbids never reach
//! `feed.xml`, and `annals import` never writes through a symbolic link.

use std::fs;

use crate::support::{annals, assert_same_tree, read, tree, Site};

/// ESC, then a sequence that would retitle the terminal window, ended by BEL.
const RETITLE: &str = "\x1b]0;pwned\x07";

/// Asserts `text` holds no byte a terminal would act on: C0 controls but
/// tab and newline, and DEL.
#[track_caller]
fn assert_no_raw_controls(text: &str, what: &str) {
    let raw: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\t'))
        .collect();
    assert!(raw.is_empty(), "{what} holds raw control characters {raw:?}:\n{text}");
}

/// A site whose event file is named with ESC and BEL and has a front
/// matter line holding ESC (which YAML refuses, so it is quoted in an error).
fn site_with_hostile_name_and_line(line: &str) -> Site {
    let site = Site::fixture("base");
    site.write(
        "content/events/2001-\x1b[2J\x07-evil.md",
        &format!("---\ntitle: {line}\ndate: 2001-01-05\n---\nBody.\n"),
    );
    site
}

#[test]
fn control_characters_in_a_file_name_and_a_quoted_line_are_printed_escaped() {
    let site = site_with_hostile_name_and_line(&format!("Bad {RETITLE} one"));
    let run = site.build().failure();
    assert_no_raw_controls(&run.stderr, "stderr");
    assert_no_raw_controls(&run.stdout, "stdout");
    let location = "content/events/2001-\\u{1b}[2J\\u{7}-evil.md:2";
    run.error_at(location);
    assert!(
        run.stderr.contains("title: Bad \\u{1b}]0;pwned\\u{7} one"),
        "the line is quoted escaped: {run}"
    );
}

#[test]
fn annals_own_colours_still_reach_the_terminal_and_nothing_else_does() {
    let site = site_with_hostile_name_and_line(&format!("Bad {RETITLE} one"));
    let root = site.root.display().to_string();
    let run = annals(&site.base(), &["--color", "always", "build", "--root", &root]).failure();
    let red = anstyle::AnsiColor::Red.on_default().bold();
    assert!(
        run.stderr.contains(&format!("{red}error{red:#}")),
        "the severity is red: {run}"
    );
    // Every ESC left starts a colour code annals wrote: `ESC [ digits/; m`.
    for (at, _) in run.stderr.match_indices('\x1b') {
        let code = &run.stderr[at + 1..];
        let end = code
            .find('m')
            .unwrap_or_else(|| panic!("an ESC without `m` at {at}: {run}"));
        assert!(
            code.starts_with('[') && code[1..end].chars().all(|c| c.is_ascii_digit() || c == ';'),
            "an ESC at {at} that is not a colour code: {:?}",
            &run.stderr[at..(at + 12).min(run.stderr.len())]
        );
    }
    assert!(run.stderr.contains("\\u{1b}]0;pwned\\u{7}"), "{run}");
    assert!(!run.stderr.contains('\x07'), "{run}");
}

#[test]
fn a_quoted_line_of_escapes_is_cut_to_160_characters_as_shown() {
    let site = site_with_hostile_name_and_line(&"\x1b".repeat(5000));
    let run = site.build().failure();
    assert_no_raw_controls(&run.stderr, "stderr");
    let quoted = run
        .stderr
        .lines()
        .find(|line| line.starts_with("2 | "))
        .unwrap_or_else(|| panic!("no quoted line 2: {run}"));
    let shown = quoted.trim_start_matches("2 | ");
    assert!(shown.starts_with("title: \\u{1b}\\u{1b}"), "{quoted}");
    assert!(shown.ends_with('…'), "the line is cut: {quoted}");
    assert!(
        shown.chars().count() <= 161,
        "{} characters: {quoted}",
        shown.chars().count()
    );
}

#[test]
fn an_error_chain_naming_a_hostile_path_is_printed_escaped() {
    let site = Site::fixture("base");
    let root = site.root.display().to_string();
    let missing = format!("{}/gone{RETITLE}.json", site.base().display());
    let run = annals(&site.base(), &["import", &missing, "--root", &root]).failure();
    assert_no_raw_controls(&run.stderr, "stderr");
    assert!(run.stderr.contains("error: cannot read `"), "{run}");
    assert!(run.stderr.contains("gone\\u{1b}]0;pwned\\u{7}.json`"), "{run}");
}

#[test]
fn characters_xml_forbids_are_left_out_of_the_feed_with_a_warning() {
    let site = Site::fixture("base");
    // YAML refuses these characters raw, but its escapes write them; the
    // Markdown body holds them raw.
    site.write(
        "content/events/2001-01-05-odd.md",
        "---\ntitle: \"Odd \\uFFFE\\x01\\f title\"\ndate: 2001-01-05\n---\nBody \u{fffe} with \u{1} and \u{c} inside.\n",
    );
    let run = site.build().success();
    let feed = read(&site.out().join("feed.xml"));
    let document = roxmltree::Document::parse(&feed).unwrap_or_else(|error| panic!("feed.xml is not XML: {error}"));
    let titles: Vec<&str> = document
        .descendants()
        .filter(|node| node.has_tag_name("title") && node.parent().is_some_and(|p| p.has_tag_name("entry")))
        .filter_map(|node| node.text())
        .collect();
    assert!(
        titles.contains(&"Odd  title"),
        "the title is kept without them: {titles:?}"
    );
    assert!(feed.contains("Body  with  and inside."), "{feed}");
    let warning = run
        .stderr
        .lines()
        .find(|line| line.starts_with("content/events/2001-01-05-odd.md:2:1: warning: "))
        .unwrap_or_else(|| panic!("no warning about the file: {run}"));
    assert!(
        warning.ends_with(
            "`title` and `body` hold characters XML does not allow (U+FFFE, U+0001, U+000C); \
             feed.xml and the other XML files leave them out"
        ),
        "{warning}"
    );
}

/// A TimelineJS file of one event, which imports to `content/events/2001-01-05-linked.md`.
const ONE_EVENT: &str =
    r#"{"events": [{"start_date": {"year": "2001", "month": "1", "day": "5"}, "text": {"headline": "Linked"}}]}"#;

/// `annals import <file> --root <site> <extra…>`, run from the temp dir.
fn import(site: &Site, file: &std::path::Path, extra: &[&str]) -> crate::support::Run {
    let root = site.root.display().to_string();
    let file = file.display().to_string();
    let mut args = vec!["import", file.as_str(), "--root", root.as_str()];
    args.extend(extra);
    annals(&site.base(), &args)
}

#[cfg(unix)]
#[test]
fn import_force_refuses_a_symlink_at_the_target_and_leaves_its_victim_alone() {
    let site = Site::fixture("base");
    let source = site.base().join("timeline.json");
    fs::write(&source, ONE_EVENT).unwrap();
    let victim = site.base().join("victim.txt");
    let secret = b"export PATH=/usr/bin\n\x00\xff not an event\n";
    fs::write(&victim, secret).unwrap();
    let link = site.path("content/events/2001-01-05-linked.md");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let before = tree(&site.root);
    for extra in [&["--force"][..], &[]] {
        let run = import(&site, &source, extra).failure();
        assert!(
            run.stderr.contains(&format!(
                "error: cannot write `{}`: it is a symbolic link, and import never writes through one \
                 (--force overwrites regular files only)",
                link.display()
            )),
            "{run}"
        );
        assert_eq!(
            fs::read(&victim).unwrap(),
            secret,
            "the victim is unchanged byte for byte"
        );
        assert_same_tree(&before, &tree(&site.root), "the site");
    }
}

#[cfg(unix)]
#[test]
fn import_refuses_a_linked_events_folder() {
    let site = Site::fixture("base");
    let source = site.base().join("timeline.json");
    fs::write(&source, ONE_EVENT).unwrap();
    let elsewhere = site.base().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::remove_dir_all(site.path("content/events")).unwrap();
    std::os::unix::fs::symlink(&elsewhere, site.path("content/events")).unwrap();
    let run = import(&site, &source, &["--force"]).failure();
    assert!(
        run.stderr.contains(&format!(
            "error: cannot write `{}`: it is a symbolic link, and import never writes into a linked folder",
            site.path("content/events").display()
        )),
        "{run}"
    );
    assert!(tree(&elsewhere).is_empty(), "nothing was written through the link");
}

#[test]
fn import_force_replaces_a_regular_file_whole() {
    let site = Site::fixture("base");
    let source = site.base().join("timeline.json");
    fs::write(&source, ONE_EVENT).unwrap();
    site.write("content/events/2001-01-05-linked.md", "old text");
    import(&site, &source, &[]).success();
    assert_eq!(
        site.read("content/events/2001-01-05-linked.md"),
        "old text",
        "kept without --force"
    );
    import(&site, &source, &["--force"]).success();
    assert!(site
        .read("content/events/2001-01-05-linked.md")
        .contains("title: \"Linked\""));
    let names: Vec<String> = tree(&site.path("content/events")).into_keys().collect();
    assert!(names.iter().all(|name| !name.ends_with(".tmp")), "{names:?}");
}

#[test]
fn an_import_file_over_the_limit_is_refused_by_its_size_before_it_is_read() {
    let site = Site::fixture("base");
    let source = site.base().join("huge.json");
    // Sparse: a terabyte on paper, nothing on disk. Reading it would take
    // the limit's worth of zeros and report that much, not the whole size.
    let size: u64 = 1 << 40;
    fs::File::create(&source).unwrap().set_len(size).unwrap();
    let before = tree(&site.root);
    let run = import(&site, &source, &[]).failure();
    assert!(
        run.stderr.contains(&format!(
            "error: cannot read `{}`: it is {size} bytes, and annals imports files of at most 64 MiB ({} bytes)",
            source.display(),
            annals::import::MAX_IMPORT_BYTES
        )),
        "{run}"
    );
    assert_same_tree(&before, &tree(&site.root), "the site");
}

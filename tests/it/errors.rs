//! Bad input: each case in `tests/fixtures/<case>/` is copied over the good
//! `base` site after it was built, so every test also proves a failed build
//! exits 1, points at the bad file's line, and leaves the output alone. The
//! last tests write a small two-language site of their own, to see that a
//! problem in a translated event names the file that holds the fault.

use crate::support::{assert_same_tree, temporary_files, tree, Run, Site};

/// Builds `base` into the output, copies fixture `case` over the site,
/// rebuilds, and checks the failure left the output byte-identical.
#[track_caller]
fn break_site_with(case: &str) -> Run {
    let site = Site::fixture("base");
    site.build().success();
    let before = tree(&site.out());
    assert!(before.contains_key("index.html"), "the good build wrote the site");
    site.overlay(case);
    let run = site.build().failure();
    assert_same_tree(&before, &tree(&site.out()), "the output of a failed build");
    assert_eq!(
        temporary_files(&site.out()),
        Vec::<String>::new(),
        "leftover temporary files"
    );
    assert!(run.stderr.contains("nothing was written"), "{run}");
    run
}

#[test]
fn invalid_yaml_in_front_matter_is_reported_at_its_line_and_column() {
    let run = break_site_with("invalid_yaml");
    run.error_at("content/events/2003-broken.md:2:8");
}

#[test]
fn an_unclosed_yaml_list_is_reported_with_one_consistent_line_number() {
    let run = break_site_with("unclosed_list");
    let line = run
        .stderr
        .lines()
        .find(|line| line.starts_with("content/events/2003-unclosed-list.md:") && line.contains(": error: "))
        .unwrap_or_else(|| panic!("no error for the file:\n{run}"));
    let (location, message) = line.split_once(": error: ").expect("location and message");
    let file_line = location.split(':').nth(1).expect("a line number");
    // The list opens on line 4 and the front matter ends on line 5.
    assert!(["4", "5"].contains(&file_line), "{line}");
    // serde_yaml's own message counts lines inside the front matter, the
    // location counts them in the file: a reader must not see two answers.
    for claimed in message.split("line ").skip(1) {
        let number: String = claimed.chars().take_while(char::is_ascii_digit).collect();
        assert_eq!(
            number, file_line,
            "the message names another line than the location: {line}"
        );
    }
}

#[test]
fn an_unknown_key_is_reported_with_a_did_you_mean_hint() {
    let run = break_site_with("unknown_key");
    let line = run.error_at("content/events/2003-typo.md:2:1");
    assert!(line.contains("`titel`"), "{line}");
    assert!(run.stderr.contains("did you mean `title`?"), "{run}");
}

#[test]
fn a_missing_title_is_reported() {
    let run = break_site_with("missing_title");
    let line = run.error_at("content/events/2003-untitled.md:2");
    assert!(line.contains("title"), "{line}");
}

#[test]
fn an_impossible_date_is_reported_at_the_value() {
    let run = break_site_with("impossible_date");
    let line = run.error_at("content/events/2024-leap.md:3:7");
    assert!(line.contains("30"), "says which day does not exist: {line}");
}

#[test]
fn a_duplicate_slug_names_both_files() {
    let run = break_site_with("duplicate_slug");
    let line = run.error_at("content/events/2004-copy.md:4:1");
    assert!(line.contains("`first`"), "{line}");
    assert!(
        line.contains("content/events/2001-01-02-first.md"),
        "names the other file: {line}"
    );
    // Found after the build let the texts go: the file is read again to
    // quote the line.
    assert!(run.stderr.contains("4 | slug: first"), "{run}");
}

#[test]
fn an_image_without_alt_text_is_reported() {
    let run = break_site_with("image_without_alt");
    let line = run.error_at("content/events/2005-photo.md:4");
    assert!(line.contains("alt"), "{line}");
}

#[test]
fn a_custom_theme_without_an_event_template_is_reported() {
    let run = break_site_with("missing_template");
    assert!(
        run.stderr
            .lines()
            .any(|line| line.starts_with("themes/custom/templates/event.html") && line.contains("error:")),
        "{run}"
    );
    assert!(
        run.stderr.contains("1 error in the site"),
        "only event.html is missing: {run}"
    );
}

#[test]
fn a_template_syntax_error_names_the_template_and_line() {
    let run = break_site_with("template_syntax_error");
    run.error_at("themes/default/templates/page.html:2");
}

#[test]
fn a_link_to_an_unknown_event_is_reported_at_its_line() {
    let run = break_site_with("unknown_event_link");
    let line = run.error_at("content/events/2006-links.md:7:19");
    assert!(line.contains("@/events/nope"), "{line}");
}

#[test]
fn every_bad_file_is_reported_in_one_run() {
    let run = break_site_with("two_bad_files");
    run.error_at("content/events/2007-typo.md:4:1");
    run.error_at("content/events/2008-bad-date.md:3:7");
    assert!(run.stderr.contains("2 errors in the site"), "{run}");
}

#[test]
fn check_reports_the_same_errors_and_writes_nothing() {
    let site = Site::fixture("base");
    site.overlay("two_bad_files");
    let before = tree(&site.base());
    let run = crate::support::annals(&site.root, &["check"]).failure();
    run.error_at("content/events/2007-typo.md:4:1");
    run.error_at("content/events/2008-bad-date.md:3:7");
    assert_same_tree(&before, &tree(&site.base()), "the temp dir after `check`");
}

/// Two events in `en` and `zh`; the second takes the first's slug on its
/// line 4, and its translation gives it a body with a link to no event.
fn translated_twin() -> Site {
    let site = Site::empty();
    site.write("site.yaml", "title: T\nlanguages: [en, zh]\n");
    site.write(
        "content/events/2001-first.md",
        "---\ntitle: First\ndate: 2001\nsources: [{title: S}]\n---\nText.\n",
    );
    site.write(
        "content/events/2002-twin.md",
        "---\ntitle: Twin\ndate: 2002\nslug: first\nsources: [{title: S}]\n---\nText.\n",
    );
    site.write(
        "content/events/2002-twin.zh.md",
        "---\ntitle: 孪生\n---\n\n正文。\n\n见 [这里](@/events/nowhere)。\n",
    );
    site
}

#[test]
fn a_translated_events_slug_is_reported_in_the_file_that_writes_it() {
    let site = translated_twin();
    let run = crate::support::annals(&site.root, &["check"]).failure();
    run.error_at("content/events/2002-twin.md:4:1");
    assert!(!run.stderr.contains("2002-twin.zh.md:4"), "{run}");
    // Its own slug now, the twin's translated body is checked: the broken
    // link is in the translation, on its line.
    site.replace("content/events/2002-twin.md", "slug: first", "slug: twin");
    let run = crate::support::annals(&site.root, &["check"]).failure();
    run.error_at("content/events/2002-twin.zh.md:7:5");
}

#[test]
fn a_broken_link_in_a_translated_summary_names_the_translation() {
    let site = translated_twin();
    site.replace("content/events/2002-twin.md", "slug: first", "slug: twin");
    site.write(
        "content/events/2002-twin.zh.md",
        "---\ntitle: 孪生\nsummary: \"见 [这里](@/events/nowhere)。\"\n---\n",
    );
    let run = crate::support::annals(&site.root, &["check"]).failure();
    let line = run
        .stderr
        .lines()
        .find(|line| line.contains("`@/events/nowhere` names no event"))
        .unwrap_or_else(|| panic!("no broken link reported:\n{run}"));
    assert!(line.starts_with("content/events/2002-twin.zh.md: error"), "{run}");
}

//! One `annals check` names every broken file: a file that fails to parse
//! does not hide the problems of the others (a duplicate slug, a link to
//! nothing), and causes no follow-on problem of its own (a translation of
//! it, a link to it). Text and JSON list the same problems, each with its
//! place and code.

use std::collections::BTreeSet;

use crate::support::{annals, Run, Site};

/// `(file:line:column, code, message, hint)` of each of the ten broken
/// files of `tests/fixtures/ten_broken_files`.
const EXPECTED: [(&str, &str, &str, Option<&str>); 10] = [
    (
        "content/events/2010-colon.md:2:12",
        "yaml-colon-in-value",
        "the value of `title` holds a colon and a space, which YAML reads as the start of another key",
        Some("put the value in quotes: title: \"Meta: the end\""),
    ),
    (
        "content/events/2011-tab.md:3:1",
        "yaml-tab",
        "a tab: YAML allows only spaces for indentation and between a key and its value",
        Some("use spaces instead: `date: 2011`"),
    ),
    (
        "content/events/2012-no-space.md:3:6",
        "yaml-no-space-after-colon",
        "`date:1969` needs a space after the colon",
        Some("write it as: date: 1969"),
    ),
    (
        "content/events/2013-unclosed.md:2:8",
        "yaml-unclosed-quote",
        "the quote that opens the value of `title` is never closed",
        Some("close it at the end of the value: title: \"Unclosed quote\""),
    ),
    (
        "content/events/2014-tags.md:4:7",
        "not-a-list",
        "`tags` is a list, but here it is the text `research`",
        Some("write a list in square brackets: tags: [research]"),
    ),
    (
        "content/events/2015-typo.md:2:1",
        "unknown-key",
        "unknown key `titel`",
        Some("did you mean `title`?"),
    ),
    (
        "content/events/2016-untitled.md:2:1",
        "missing-field",
        "the required key `title` is missing",
        Some("add a line `title: …`"),
    ),
    (
        "content/events/2017-copy.md:4:1",
        "duplicate-slug",
        "the slug `first` is also used by content/events/2001-01-02-first.md:2",
        Some("give one of the two events a different `slug:`"),
    ),
    (
        "content/events/2018-links.md:6:15",
        "broken-link",
        "the link `@/events/nope` names no event",
        Some("link to another event as `[text](@/events/<its slug>)`"),
    ),
    (
        "content/events/2019-leap.md:3:7",
        "invalid-date",
        "date: 2019-02 has 28 days, so day 29 does not exist",
        None,
    ),
];

fn ten_broken_files() -> Site {
    let site = Site::fixture("base");
    site.overlay("ten_broken_files");
    site
}

/// Each problem of a text report: its header line and the `  = …` lines
/// under it.
fn text_problems(run: &Run) -> Vec<(String, Vec<String>)> {
    let mut problems: Vec<(String, Vec<String>)> = Vec::new();
    for line in run.stderr.lines() {
        if line.starts_with("content/") || line.starts_with("site.yaml") || line.starts_with("themes/") {
            problems.push((line.to_string(), Vec::new()));
        } else if let (Some(note), Some(last)) = (line.strip_prefix("  = "), problems.last_mut()) {
            last.1.push(note.to_string());
        }
    }
    problems
}

#[test]
fn one_check_names_all_ten_broken_files_with_place_code_message_and_hint() {
    let site = ten_broken_files();
    let run = annals(&site.root, &["check"]).failure();
    let problems = text_problems(&run);
    assert_eq!(problems.len(), EXPECTED.len(), "{run}");
    for (location, code, message, hint) in EXPECTED {
        let (header, notes) = problems
            .iter()
            .find(|(header, _)| header.starts_with(&format!("{location}: error: ")))
            .unwrap_or_else(|| panic!("no error at {location}:\n{run}"));
        assert_eq!(header, &format!("{location}: error: {message}"), "{run}");
        let mut expected_notes: Vec<String> = hint.map(|hint| format!("hint: {hint}")).into_iter().collect();
        expected_notes.push(format!("code: {code}"));
        assert_eq!(notes, &expected_notes, "{run}");
    }
    let files: BTreeSet<&str> = EXPECTED.iter().map(|(at, ..)| at.split(':').next().unwrap()).collect();
    assert_eq!(files.len(), 10, "ten different files");
    assert!(run.stderr.contains("the site has 10 errors"), "{run}");
}

#[test]
fn json_lists_the_same_problems_as_the_text_one_object_each() {
    let site = ten_broken_files();
    let text = annals(&site.root, &["check"]).failure();
    let json = annals(&site.root, &["check", "--format", "json"]).failure();
    let objects: Vec<serde_json::Value> = json
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is a JSON object"))
        .collect();
    assert_eq!(objects.len(), text_problems(&text).len(), "{json}\n{text}");
    let from_json: BTreeSet<(String, String, String, Option<String>)> = objects
        .iter()
        .map(|object| {
            for key in ["file", "line", "column", "severity", "code", "message", "hint"] {
                assert!(object.get(key).is_some(), "no `{key}` in {object}");
            }
            assert_eq!(object["severity"], "error", "{object}");
            (
                format!(
                    "{}:{}:{}",
                    object["file"].as_str().unwrap(),
                    object["line"],
                    object["column"]
                ),
                object["code"].as_str().unwrap().to_string(),
                object["message"].as_str().unwrap().to_string(),
                object["hint"].as_str().map(str::to_string),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String, String, Option<String>)> = EXPECTED
        .iter()
        .map(|(at, code, message, hint)| {
            (
                at.to_string(),
                code.to_string(),
                message.to_string(),
                hint.map(str::to_string),
            )
        })
        .collect();
    assert_eq!(from_json, expected);
}

#[test]
fn a_file_that_fails_to_parse_causes_no_follow_on_problem() {
    let site = ten_broken_files();
    let run = annals(&site.root, &["check"]).failure();
    // `2010-colon.zh.md` translates the broken `2010-colon.md`, and
    // `2018-links.md` links to it: neither is a problem of its own.
    assert!(!run.stderr.contains("warning:"), "{run}");
    assert!(!run.stderr.contains("translation is ignored"), "{run}");
    assert!(!run.stderr.contains("`@/events/colon` names no event"), "{run}");
    assert_eq!(run.stderr.matches("names no event").count(), 1, "{run}");
    // Fixed, the broken event is there again, with its translation and the
    // link to it, and the other problems stay as they were.
    site.write(
        "content/events/2010-colon.md",
        "---\ntitle: \"Meta: the end\"\ndate: 2010\nsources: [{title: S}]\n---\nQuoted now.\n",
    );
    let run = annals(&site.root, &["check"]).failure();
    assert!(!run.stderr.contains("2010-colon"), "{run}");
    assert!(run.stderr.contains("the site has 9 errors"), "{run}");
}

#[test]
fn build_reports_the_same_ten_and_writes_nothing() {
    let site = ten_broken_files();
    let run = site.build().failure();
    for (location, ..) in EXPECTED {
        run.error_at(location);
    }
    assert!(
        run.stderr.contains("10 errors in the site; nothing was written"),
        "{run}"
    );
    assert!(!site.out().exists(), "{run}");
}

#[test]
fn an_unreadable_event_or_a_broken_page_causes_no_follow_on_problem() {
    let site = Site::fixture("base");
    site.write(
        "site.yaml",
        "title: T\nlanguages: [en, zh]\nbase_url: \"https://example.test/\"\n",
    );
    std::fs::write(site.path("content/events/2005-binary.md"), b"\xff\xfe not text").unwrap();
    site.write("content/_index.md", "The intro links to [it](@/events/binary).\n");
    site.write("content/pages/about.md", "---\ntitle: About: us\n---\nText.\n");
    site.write("content/pages/about.zh.md", "---\ntitle: 关于\n---\n关于。\n");
    let run = annals(&site.root, &["check", "--format", "json"]).failure();
    let codes: Vec<String> = run
        .stdout
        .lines()
        .map(|line| {
            let object: serde_json::Value = serde_json::from_str(line).unwrap();
            format!(
                "{} {}",
                object["file"].as_str().unwrap(),
                object["code"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        codes,
        [
            "content/events/2005-binary.md not-utf8",
            "content/pages/about.md yaml-colon-in-value"
        ],
        "{run}"
    );
}

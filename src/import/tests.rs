//! Imports of the fixtures in `tests/fixtures/import/` into temporary
//! sites, checked as written files (snapshots), as parsed events and as a
//! built site; and an annals export imported back.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use tempfile::TempDir;

use super::*;
use crate::date::EndDate;
use crate::parse::event::{parse_event_file, Event};
use crate::parse::markdown::{render, MarkdownContext};
use crate::pipeline::{build, BuildOptions};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

fn fixture(name: &str) -> PathBuf {
    Path::new(REPO).join("tests/fixtures/import").join(name)
}

/// An empty site: just `site.yaml` with a title.
fn empty_site() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("site.yaml"), "title: T\n").expect("write site.yaml");
    dir
}

fn import(source: &Path, root: &Path) -> ImportReport {
    import_file(source, root, &ImportOptions::new(root)).unwrap_or_else(|error| panic!("{error}: {error:?}"))
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Every written file and the report, as one text for a snapshot.
fn describe(root: &Path, report: &ImportReport) -> String {
    let mut text = String::new();
    let mut paths: Vec<&PathBuf> = report.written.iter().chain(&report.intro).collect();
    paths.sort();
    for path in paths {
        text.push_str(&format!("==> {}\n", relative(root, path)));
        text.push_str(&fs::read_to_string(path).expect("read written file"));
        text.push('\n');
    }
    text.push_str("==> not mapped\n");
    for note in &report.not_mapped {
        text.push_str(note);
        text.push('\n');
    }
    text.push_str("==> skipped\n");
    for row in &report.skipped {
        text.push_str(row);
        text.push('\n');
    }
    for (name, snippet) in [
        ("title", &report.title_yaml),
        ("eras", &report.eras_yaml),
        ("tracks", &report.tracks_yaml),
    ] {
        if let Some(snippet) = snippet {
            text.push_str(&format!("==> {name} snippet\n{snippet}"));
        }
    }
    text
}

/// Every event file written, parsed as annals parses it.
fn parse_written(root: &Path, report: &ImportReport) -> Vec<Event> {
    report
        .written
        .iter()
        .flat_map(|path| {
            let text = fs::read_to_string(path).expect("read written file");
            parse_event_file(&relative(root, path), &text).unwrap_or_else(|problems| panic!("{problems:?}\n{text}"))
        })
        .collect()
}

/// Pastes the report's snippets into `site.yaml`, builds the site, and
/// returns `events.json` as (slug → (datetime, end datetime)).
fn build_with_snippets(root: &Path, report: &ImportReport) -> HashMap<String, (String, Option<String>)> {
    let mut config = String::from("title: T\n");
    config.push_str(report.eras_yaml.as_deref().unwrap_or_default());
    config.push_str(report.tracks_yaml.as_deref().unwrap_or_default());
    fs::write(root.join("site.yaml"), config).expect("write site.yaml");
    let built = build(root, &BuildOptions::default()).unwrap_or_else(|error| match error {
        Error::Invalid { diagnostics } => panic!("{diagnostics:#?}"),
        other => panic!("{other}"),
    });
    let events: serde_json::Value =
        serde_json::from_slice(&built.outputs.files["events.json"]).expect("events.json is JSON");
    events["events"]
        .as_array()
        .expect("events list")
        .iter()
        .map(|event| {
            (
                event["slug"].as_str().unwrap_or_default().to_string(),
                (
                    event["date"]["datetime"].as_str().unwrap_or_default().to_string(),
                    event["end"]["datetime"].as_str().map(String::from),
                ),
            )
        })
        .collect()
}

fn dates(events: &[Event]) -> Vec<(String, String, Option<String>)> {
    let mut found: Vec<_> = events
        .iter()
        .map(|event| {
            let end = match event.end {
                Some(EndDate::On(end)) => Some(end.machine()),
                _ => None,
            };
            (event.slug.to_string(), event.date.machine(), end)
        })
        .collect();
    found.sort();
    found
}

#[test]
fn timelinejs_json_imports_and_builds() {
    let site = empty_site();
    let root = site.path();
    let report = import(&fixture("timeline.json"), root);
    insta::assert_snapshot!("timelinejs_json", describe(root, &report));
    let events = parse_written(root, &report);
    assert_eq!(
        dates(&events),
        [
            ("battle-of-marathon".into(), "-0489-09".into(), None),
            ("caesar-crosses-the-rubicon".into(), "-0048-01".into(), None),
            ("gallic-wars".into(), "-0057".into(), Some("-0049".into())),
            ("the-ides-of-march".into(), "-0043-03-15".into(), None),
            ("the-rome-olympics-open".into(), "1960-08-25T16:30".into(), None),
            ("untitled".into(), "1960-09-11".into(), None),
        ]
    );
    let built = build_with_snippets(root, &report);
    assert_eq!(built.len(), 6);
    assert_eq!(built["the-ides-of-march"], ("-0043-03-15".into(), None));
    assert_eq!(built["gallic-wars"], ("-0057".into(), Some("-0049".into())));
}

#[test]
fn timelinejs_csv_imports_and_builds() {
    let site = empty_site();
    let root = site.path();
    let report = import(&fixture("timelinejs.csv"), root);
    insta::assert_snapshot!("timelinejs_csv", describe(root, &report));
    let events = parse_written(root, &report);
    assert_eq!(
        dates(&events),
        [
            ("caesar-crosses-the-rubicon".into(), "-0048-01".into(), None),
            ("gallic-wars".into(), "-0057".into(), Some("-0049".into())),
            ("the-republic-founded".into(), "-0499".into(), None),
            (
                "the-rome-olympics".into(),
                "1960-08-25T14:30".into(),
                Some("1960-09-11".into())
            ),
        ]
    );
    assert!(report.intro.is_some());
    let built = build_with_snippets(root, &report);
    assert_eq!(built["the-republic-founded"], ("-0499".into(), None));
}

#[test]
fn timelinesetter_csv_imports_and_builds() {
    let site = empty_site();
    let root = site.path();
    let report = import(&fixture("timelinesetter.csv"), root);
    insta::assert_snapshot!("timelinesetter_csv", describe(root, &report));
    let events = parse_written(root, &report);
    assert_eq!(
        dates(&events).into_iter().map(|(_, date, _)| date).collect::<Vec<_>>(),
        ["2013-12-09", "2013", "2013-12", "2013-12-09", "2013-12-09"]
    );
    let founded = events
        .iter()
        .find(|event| event.slug.as_str() == "lecun-to-lead-facebook-ai-research")
        .expect("the first row");
    assert_eq!(
        founded.sources[0].url.as_deref(),
        Some("https://newswise.com/articles/lecun")
    );
    assert_eq!(founded.track.as_ref().map(|t| t.as_str()), Some("career"));
    let built = build_with_snippets(root, &report);
    assert_eq!(built.len(), 5);
}

#[test]
fn slugs_stay_distinct_and_short() {
    let title = "A headline long enough that its slug reaches the eighty character limit of annals slugs";
    let event = format!(r#"{{"start_date": {{"year": 2000}}, "text": {{"headline": "{title}"}}}}"#);
    let json = format!(r#"{{"events": [{event}, {event}, {event}]}}"#);
    let imported = parse(Format::TimelineJsJson, "t.json", &json).expect("parses");
    let slugs: Vec<&str> = imported.events.iter().map(|event| event.slug.as_str()).collect();
    assert_eq!(slugs.iter().collect::<HashSet<_>>().len(), 3, "{slugs:?}");
    assert!(slugs[1].ends_with("-2") && slugs[2].ends_with("-3"), "{slugs:?}");
    assert!(slugs.iter().all(|slug| slug.len() <= crate::slug::MAX_LEN));
}

#[test]
fn date_labels_and_string_parts_are_read() {
    let json = r#"{"events": [
        {"start_date": {"year": "-500", "display_date": "c. 500 BC"}, "end_date": {"year": "-480", "display_date": "480 BC"},
         "text": {"headline": "Both labels"}},
        {"start_date": {"year": 2013, "month": "12", "day": 9.0}, "display_date": "Announced in December",
         "text": {"headline": "Event label wins"}},
        {"start_date": {"year": 2013, "hour": 4}, "end_date": {"year": 2014, "display_date": "later"},
         "text": {"headline": "A time without a day"}}
    ]}"#;
    let imported = parse(Format::TimelineJsJson, "t.json", json).expect("parses");
    let shown: Vec<(String, Option<&str>)> = imported
        .events
        .iter()
        .map(|event| (event.date.machine(), event.display_date.as_deref()))
        .collect();
    assert_eq!(
        shown,
        [
            ("-0499".to_string(), Some("c. 500 BC – 480 BC")),
            ("2013-12-09".to_string(), Some("Announced in December")),
            ("2013".to_string(), None),
        ]
    );
    assert_eq!(
        imported.notes,
        [
            "event 3 (A time without a day): start_date: a day or time without a month; only the year was kept",
            "event 3 (A time without a day): `end_date.display_date` not imported",
        ]
    );
}

#[test]
fn existing_files_are_kept_unless_forced() {
    let site = empty_site();
    let root = site.path();
    let source = fixture("timelinesetter.csv");
    let first = import(&source, root);
    assert_eq!(first.written.len(), 5);
    let edited = &first.written[0];
    fs::write(edited, "edited by hand").expect("edit");

    let second = import(&source, root);
    assert!(second.written.is_empty());
    assert_eq!(second.skipped_existing.len(), 5);
    assert_eq!(fs::read_to_string(edited).expect("read"), "edited by hand");

    let json_site = empty_site();
    let intro = json_site.path().join("content/_index.md");
    fs::create_dir_all(intro.parent().expect("parent")).expect("mkdir");
    fs::write(&intro, "mine").expect("write intro");
    let report = import(&fixture("timeline.json"), json_site.path());
    assert_eq!(report.intro, None);
    assert_eq!(report.skipped_existing, std::slice::from_ref(&intro));
    assert_eq!(fs::read_to_string(&intro).expect("read"), "mine");

    let forced = ImportOptions {
        force: true,
        ..ImportOptions::new(root)
    };
    let third = import_file(&source, root, &forced).expect("forced import");
    assert_eq!(third.written.len(), 5);
    assert!(third.skipped_existing.is_empty());
    assert_ne!(fs::read_to_string(edited).expect("read"), "edited by hand");
}

#[test]
fn formats_are_told_by_content() {
    let read = |name: &str| fs::read_to_string(fixture(name)).expect("fixture");
    assert_eq!(detect(&read("timeline.json")), Some(Format::TimelineJsJson));
    assert_eq!(detect(&read("timelinejs.csv")), Some(Format::TimelineJsCsv));
    assert_eq!(detect(&read("timelinesetter.csv")), Some(Format::TimelineSetterCsv));
    assert_eq!(
        detect(" year\theadline\ttext\n2013\tX\t\n"),
        Some(Format::TimelineJsCsv)
    );
    assert_eq!(
        detect("\u{feff}Date,Description\n2013,x\n"),
        Some(Format::TimelineSetterCsv)
    );
    assert_eq!(detect("{\"events\": {}}"), None);
    assert_eq!(detect("name,age\nx,1\n"), None);
    assert_eq!(detect("just some words"), None);
}

#[test]
fn unknown_content_is_a_clear_error_naming_the_file() {
    let site = empty_site();
    let root = site.path();
    let cases = [
        (
            "people.csv",
            "name,age\nAda,36\n",
            "names neither `Year` and `Headline`",
        ),
        ("broken.json", "{\"events\": [\n  {,]\n}", "not valid JSON"),
        ("other.json", "{\"slides\": []}", "no `events` list"),
        (
            "notes.txt",
            "just some words",
            "neither JSON, nor CSV with a header row, nor markwhen",
        ),
    ];
    for (name, text, expected) in cases {
        let path = root.join(name);
        fs::write(&path, text).expect("write source");
        let error = import_file(&path, root, &ImportOptions::new(root)).expect_err(name);
        let Error::Invalid { diagnostics } = error else {
            panic!("{name}: {error}");
        };
        assert_eq!(diagnostics[0].path, path.display().to_string());
        assert!(
            diagnostics[0].message.contains(expected),
            "{name}: {}",
            diagnostics[0].message
        );
        assert!(diagnostics[0].hint.is_some());
    }
    let missing = import_file(&root.join("nope.json"), root, &ImportOptions::new(root));
    assert!(matches!(missing, Err(Error::Read { .. })));
}

#[test]
fn event_links_come_back_as_event_links() {
    let slugs = HashSet::from(["fair", "x"]);
    assert_eq!(
        link_events(
            "[a](events/fair/index.html) [b](events/fair/index.html#sources) [c](events/other/index.html) [d](events/x/index.htmlx)",
            &slugs
        ),
        "[a](@/events/fair) [b](@/events/fair#sources) [c](events/other/index.html) [d](events/x/index.htmlx)"
    );
}

/// Copies the example site (with one more event that uses what the example
/// does not: media, lists, quotes, code, headings) into a temp folder.
fn example_copy() -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::copy(Path::new(REPO).join("site.yaml"), dir.path().join("site.yaml")).expect("copy site.yaml");
    let content = Path::new(REPO).join("content");
    for entry in walkdir::WalkDir::new(&content) {
        let entry = entry.expect("walk content");
        let target = dir
            .path()
            .join("content")
            .join(entry.path().strip_prefix(&content).expect("inside"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
        } else {
            fs::copy(entry.path(), &target).expect("copy");
        }
    }
    fs::write(
        dir.path().join("content/events/2024-03-rich.md"),
        r#"---
title: "A rich event: *stars*, quotes & more"
date: 2024-03
end: 2024-05-02
display_date: "Spring 2024"
track: research
tags: [Deep Learning, demo]
media:
  src: https://example.org/photos/lab.jpg?size=large
  alt: The lab, seen from the "street"
  caption: "Taken by *Jane* — see [her site](https://example.org/jane)."
  credit: Jane Doe & Co.
  link: https://example.org/photos/lab
sources:
  - https://example.org/
---
# What happened

A paragraph with **bold**, *em*, `code`, a [link](https://example.org/a_b?x=1&y=2 "Title"),
an [event link](@/events/fair-founded#sources) and a hard  
break. Prices rose 5*3 = 15 per cent; 2024. Not a list.

- one
- two
  1. nested
  2. ordered

> A quotation
> over two lines.

## Code

```rust
fn main() { println!("<hi> & bye"); }
```

1984\. A year, not a list. #hashtag, a_b and _c_.
"#,
    )
    .expect("write rich event");
    dir
}

#[test]
fn an_annals_export_imports_back_to_the_same_events() {
    let original_site = example_copy();
    let original_root = original_site.path();
    let built = build(original_root, &BuildOptions::default()).unwrap_or_else(|error| match error {
        Error::Invalid { diagnostics } => panic!("{diagnostics:#?}"),
        other => panic!("{other}"),
    });
    let original_events_json: serde_json::Value =
        serde_json::from_slice(&built.outputs.files["events.json"]).expect("events.json");

    let site = empty_site();
    let root = site.path();
    let export = root.join("timeline.json");
    fs::write(&export, built.outputs.files["timeline.json"].as_slice()).expect("write export");
    let report = import(&export, root);

    let mut originals: HashMap<String, Event> = HashMap::new();
    for entry in walkdir::WalkDir::new(original_root.join("content/events")) {
        let entry = entry.expect("walk");
        let name = entry.file_name().to_string_lossy();
        // `x.zh.md` translates `x.md`; it is not an event of its own.
        if entry.file_type().is_file() && name.matches('.').count() == 1 {
            let path = relative(original_root, entry.path());
            let text = fs::read_to_string(entry.path()).expect("read");
            for event in parse_event_file(&path, &text).expect("the example parses") {
                originals.insert(event.slug.to_string(), event);
            }
        }
    }
    let imported = parse_written(root, &report);
    assert_eq!(imported.len(), originals.len());
    let slugs: crate::hashing::HashSet<String> = originals.keys().cloned().collect();
    let context = MarkdownContext {
        unsafe_html: false,
        event_slugs: &slugs,
    };
    let html = |markdown: &str| render(markdown, &context).html;
    for event in &imported {
        let original = &originals[event.slug.as_str()];
        let what = event.slug.as_str();
        assert_eq!(event.title, original.title, "{what}");
        assert_eq!(event.date.machine(), original.date.machine(), "{what}");
        let end = |end: &Option<EndDate>| match end {
            Some(EndDate::On(date)) => Some(date.machine()),
            // TimelineJS has no open end; annals exports none.
            _ => None,
        };
        assert_eq!(end(&event.end), end(&original.end), "{what}");
        assert_eq!(event.display_date, original.display_date, "{what}");
        assert_eq!(event.track, original.track, "{what}");
        assert_eq!(event.tags, original.tags, "{what}");
        assert_eq!(html(&event.body), html(&original.body), "{what}:\n{}", event.body);
        assert_eq!(event.media.len(), original.media.len().min(1), "{what}");
        for (media, before) in event.media.iter().zip(&original.media) {
            assert_eq!(media.src, before.src, "{what}");
            assert_eq!(media.alt, before.alt, "{what}");
            assert_eq!(media.credit, before.credit, "{what}");
            assert_eq!(media.link, before.link, "{what}");
            assert_eq!(
                media.caption.as_deref().map(html),
                before.caption.as_deref().map(html),
                "{what}"
            );
        }
    }
    // The intro, eras and track names come back too (an open era ends
    // where the timeline does: TimelineJS eras need an end).
    let intro_text = |root: &Path| fs::read_to_string(root.join("content/_index.md")).expect("intro");
    let original_intro =
        crate::parse::page::parse_intro("content/_index.md", &intro_text(original_root)).expect("intro");
    let intro = crate::parse::page::parse_intro("content/_index.md", &intro_text(root)).expect("imported intro");
    assert_eq!(report.intro, Some(root.join("content/_index.md")));
    assert_eq!(intro.title, original_intro.title);
    assert_eq!(html(&intro.body), html(&original_intro.body));
    let config =
        |text: &str| crate::config::Config::parse(text).unwrap_or_else(|problems| panic!("{problems:?}\n{text}"));
    let original_config = config(&fs::read_to_string(original_root.join("site.yaml")).expect("site.yaml"));
    let snippets = format!(
        "title: T\n{}{}",
        report.eras_yaml.as_deref().unwrap_or_default(),
        report.tracks_yaml.as_deref().unwrap_or_default()
    );
    let imported_config = config(&snippets);
    let eras = |config: &crate::config::Config| -> Vec<(String, String)> {
        config
            .eras
            .iter()
            .map(|era| (era.title.clone(), era.start.machine()))
            .collect()
    };
    assert_eq!(eras(&imported_config), eras(&original_config));
    for track in &imported_config.tracks {
        let original = original_config
            .tracks
            .iter()
            .find(|known| known.id == track.id)
            .expect("a known track");
        assert_eq!(track.title, original.title);
    }

    let rich = imported
        .iter()
        .find(|event| event.slug.as_str() == "rich")
        .expect("the rich event");
    insta::assert_snapshot!("round_trip_rich_body", rich.body);
    assert!(rich.body.contains("(@/events/fair-founded#sources)"), "{}", rich.body);

    // With the original settings, the imported site builds to the same
    // bodies and exports the same timeline.json.
    fs::copy(original_root.join("site.yaml"), root.join("site.yaml")).expect("copy site.yaml");
    fs::remove_file(&export).expect("remove export");
    let rebuilt = build(root, &BuildOptions::default()).unwrap_or_else(|error| match error {
        Error::Invalid { diagnostics } => panic!("{diagnostics:#?}"),
        other => panic!("{other}"),
    });
    let rebuilt_events_json: serde_json::Value =
        serde_json::from_slice(&rebuilt.outputs.files["events.json"]).expect("events.json");
    let bodies = |json: &serde_json::Value| -> Vec<(String, String, String)> {
        json["events"]
            .as_array()
            .expect("events")
            .iter()
            .map(|event| {
                (
                    event["slug"].as_str().unwrap_or_default().to_string(),
                    event["date"]["datetime"].as_str().unwrap_or_default().to_string(),
                    event["body_html"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect()
    };
    assert_eq!(bodies(&rebuilt_events_json), bodies(&original_events_json));
    assert_eq!(
        String::from_utf8_lossy(&rebuilt.outputs.files["timeline.json"]),
        String::from_utf8_lossy(&built.outputs.files["timeline.json"])
    );
}

#[test]
fn timelinejs_years_count_as_timelinejs_prints_them() {
    let json = r#"{"events": [
        {"start_date": {"year": -399}, "text": {"headline": "Trial of Socrates"}},
        {"start_date": {"year": "-1"}, "text": {"headline": "One BCE"}},
        {"start_date": {"year": 1}, "text": {"headline": "One CE"}},
        {"start_date": {"year": 0}, "text": {"headline": "Nowhen"}}
    ]}"#;
    let imported = parse(Format::TimelineJsJson, "t.json", json).expect("parses");
    let years: Vec<String> = imported
        .events
        .iter()
        .map(|event| event.date.format(crate::lang::Lang::En))
        .collect();
    assert_eq!(years, ["399 BCE", "1 BCE", "1"]);
    assert_eq!(
        imported.skipped,
        ["event 4 (Nowhen): year 0 does not exist: TimelineJS writes 1 BCE as -1 and 1 CE as 1"]
    );
}

#[test]
fn an_exported_circa_label_comes_back_as_a_circa_date() {
    let json = r#"{"events": [
        {"start_date": {"year": 1469}, "display_date": "c. 1469", "text": {"headline": "Circa"}},
        {"start_date": {"year": 1984}, "end_date": {"year": 1990}, "display_date": "1984? – 1990", "text": {"headline": "Doubtful start"}},
        {"start_date": {"year": -500}, "display_date": "约公元前500年", "text": {"headline": "Chinese label"}},
        {"start_date": {"year": 1469}, "display_date": "About 1469", "text": {"headline": "Own label"}},
        {"start_date": {"year": 1469}, "display_date": "c. 1470", "text": {"headline": "Another year"}}
    ]}"#;
    let imported = parse(Format::TimelineJsJson, "t.json", json).expect("parses");
    let shown: Vec<(String, Option<&str>)> = imported
        .events
        .iter()
        .map(|event| {
            let range = event.end;
            (
                crate::date::format_range(&event.date, range.as_ref(), crate::lang::Lang::En),
                event.display_date.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            ("c. 1469".to_string(), None),
            ("1984? – 1990".to_string(), None),
            ("c. 500 BCE".to_string(), None),
            ("1469".to_string(), Some("About 1469")),
            ("1469".to_string(), Some("c. 1470")),
        ]
    );
}

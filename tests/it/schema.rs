//! `annals schema`: the JSON Schemas it prints, checked with a JSON Schema
//! validator against every event file of the example and `site.yaml`, and
//! against files annals refuses. Each case is also given to annals' own
//! parser, so the test shows the schema and annals agree.

use std::path::Path;

use serde_json::Value;

use crate::support::{annals, read, REPO};

/// A compiled schema, as an editor's validator would use it.
struct Validator {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Validator {
    /// The schema `annals schema <which>` prints.
    fn printed(which: &str) -> Validator {
        let run = annals(Path::new(REPO), &["schema", which]).success();
        let schema: Value = serde_json::from_str(&run.stdout).expect("the schema is JSON");
        let url = format!("urn:annals:{which}");
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        compiler.add_resource(&url, schema).expect("a schema");
        let index = compiler
            .compile(&url, &mut schemas)
            .unwrap_or_else(|error| panic!("the {which} schema compiles: {error:#}"));
        Validator { schemas, index }
    }

    /// The validator's complaint about a YAML text, if any.
    fn check(&self, yaml: &str) -> Result<(), String> {
        let value: Value = serde_yaml::from_str(yaml).map_err(|error| format!("not YAML: {error}"))?;
        self.schemas
            .validate(&value, self.index)
            .map_err(|error| format!("{error:#}"))
    }
}

/// Every event file of the example (not translations, which hold only
/// the words of an event), and the YAML of each: a Markdown file's front
/// matter, or the whole YAML file.
fn example_event_files() -> Vec<(String, String)> {
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(Path::new(REPO).join("content/events")) {
        let entry = entry.expect("walk content/events");
        let path = entry
            .path()
            .strip_prefix(REPO)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if !entry.file_type().is_file()
            || !annals::load::is_event_file(&path)
            || annals::parse::translation::translation_of(&path).is_some()
        {
            continue;
        }
        let text = read(entry.path());
        let yaml = if path.ends_with(".md") {
            annals::parse::frontmatter::split(&text)
                .expect("front matter")
                .yaml
                .to_string()
        } else {
            text
        };
        found.push((path, yaml));
    }
    found.sort();
    found
}

#[test]
fn every_event_file_of_the_example_is_valid_against_the_event_schema() {
    let validator = Validator::printed("event");
    let files = example_event_files();
    assert!(
        files.iter().filter(|(path, _)| path.ends_with(".md")).count() > 10,
        "{files:?}"
    );
    assert!(
        files
            .iter()
            .any(|(_, yaml)| yaml.lines().any(|line| line.starts_with("events:"))),
        "a batch file among them"
    );
    for (path, yaml) in &files {
        validator.check(yaml).unwrap_or_else(|error| panic!("{path}: {error}"));
    }
}

#[test]
fn the_example_site_yaml_is_valid_against_the_site_schema() {
    let validator = Validator::printed("site");
    let text = read(&Path::new(REPO).join("site.yaml"));
    validator
        .check(&text)
        .unwrap_or_else(|error| panic!("site.yaml: {error}"));
}

#[test]
fn the_event_schema_is_one_object_that_editors_can_complete() {
    let run = annals(Path::new(REPO), &["schema", "event"]).success();
    let schema: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(schema["type"], "object");
    assert!(schema.get("anyOf").is_none() && schema.get("oneOf").is_none());
    for key in ["title", "date", "tags", "media", "sources", "events"] {
        assert!(schema["properties"][key]["description"].is_string(), "{key}");
    }
}

/// Event texts that annals reads, in each of its forms.
const EVENTS_ANNALS_READS: &[&str] = &[
    "title: One\ndate: 2013-12-09\n",
    "title: Span\ndate: c. 1500\nend: now\nimportance: 5\nmedia:\n  src: media/a.jpg\n  alt: A\n",
    "title: Sources\ndate: 500 BCE\nsources:\n  - https://example.org/\n  - title: A book\n    date: 1998-11\n",
    "title: Lists\ndate: 2000\nmedia:\n  - src: https://youtu.be/x\ntags: [a, b]\nextra:\n  any: [thing]\n",
    "events:\n  - title: A\n    date: 1985-09\n  - title: B\n    date: 1986\n    slug: b-thing\n",
];

/// Event texts annals refuses, and why.
const EVENTS_ANNALS_REFUSES: &[(&str, &str)] = &[
    ("title: X\n", "no date"),
    ("date: 2000\n", "no title"),
    ("title: X\ndate: 2000\ntrakc: a\n", "an unknown key"),
    ("title: X\ndate: 2000\nimportance: 9\n", "importance out of range"),
    ("title: X\ndate: yesterday\n", "not a date"),
    ("title: X\ndate: 2000\nslug: Not A Slug\n", "a slug with spaces"),
    (
        "title: X\ndate: 2000\nsources:\n  - publisher: P\n",
        "a source with neither title nor url",
    ),
    ("title: \"  \"\ndate: 2000\n", "an empty title"),
    (
        "events:\n  - title: A\n    date: 2000\ntitle: B\n",
        "a batch with another key",
    ),
    ("events:\n  - title: A\n", "a batch event without a date"),
];

#[test]
fn the_event_schema_and_annals_agree_on_what_an_event_is() {
    let validator = Validator::printed("event");
    for text in EVENTS_ANNALS_READS {
        let path = "content/events/x.yaml";
        annals::parse::event::parse_event_file(path, text)
            .unwrap_or_else(|error| panic!("annals reads {text}: {error:?}"));
        validator
            .check(text)
            .unwrap_or_else(|error| panic!("the schema takes\n{text}: {error}"));
    }
    for (text, why) in EVENTS_ANNALS_REFUSES {
        assert!(
            annals::parse::event::parse_event_file("content/events/x.yaml", text).is_err(),
            "annals refuses {why}"
        );
        assert!(validator.check(text).is_err(), "the schema refuses {why}:\n{text}");
    }
}

#[test]
fn the_site_schema_and_annals_agree_on_what_a_site_yaml_is() {
    let validator = Validator::printed("site");
    let reads = [
        "title: T\n",
        "title: T\nlanguages: [zh, en]\ntranslations:\n  en:\n    title: T\n",
        "title: T\ntracks:\n  - id: a\n    color: teal\neras:\n  - title: E\n    start: 1990\n    end: ..\n",
        "title: T\nstylesheets: [brand.css, css/print.css]\norder: descending\n",
    ];
    for text in reads {
        annals::config::Config::parse(text).unwrap_or_else(|error| panic!("annals reads {text}: {error:?}"));
        validator
            .check(text)
            .unwrap_or_else(|error| panic!("the schema takes\n{text}: {error}"));
    }
    let refuses = [
        ("description: no title\n", "no title"),
        ("title: T\nlanguage: klingon\n", "an unknown language"),
        (
            "title: T\ntracks:\n  - id: a\n    colour: \"red;}\"\n",
            "a colour that is not one",
        ),
        (
            "title: T\ntracks:\n  - id: a\n    colour: red\n    color: blue\n",
            "colour written twice",
        ),
        ("title: T\nstylesheets: [../x.css]\n", "a stylesheet outside static/"),
        ("title: T\nstylesheets: [brand.scss]\n", "a stylesheet that is not CSS"),
        ("title: T\norder: sideways\n", "an unknown order"),
        ("title: T\nbase_url: example.org\n", "a base URL without http(s)"),
        ("title: T\nthem: x\n", "an unknown key"),
    ];
    for (text, why) in refuses {
        assert!(annals::config::Config::parse(text).is_err(), "annals refuses {why}");
        assert!(validator.check(text).is_err(), "the schema refuses {why}:\n{text}");
    }
}

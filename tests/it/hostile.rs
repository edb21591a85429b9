//! Hostile input and faults: content that tries to inject markup or
//! scripts, files that try to leave the site, pathological sizes, broken
//! templates and interrupted writes. Nothing panics, nothing is lost,
//! nothing leaks.

use std::fs;
use std::path::Path;

use proptest::prelude::*;

use crate::support::{annals, assert_same_tree, read, temporary_files, tree, Site};

const SCRIPT: &str = "<script>alert(1)</script>";

#[test]
fn an_injected_title_is_escaped_everywhere_it_appears() {
    let site = Site::fixture("hostile");
    site.build().success();
    let out = site.out();
    for file in [
        "index.html",
        "events/attack/index.html",
        "tags/index.html",
        "events.json",
        "timeline.json",
        "feed.xml",
        "sitemap.xml",
        "embed/index.html",
    ] {
        let text = read(&out.join(file));
        assert!(!text.contains(SCRIPT), "{file} contains a live script tag");
        assert!(!text.contains("<img src=x"), "{file} contains an injected image");
        assert!(
            !text.contains("\"><script"),
            "{file} lets a quote break out of an attribute"
        );
        assert!(
            !text.contains(" onload=\"alert"),
            "{file} lets an attribute be injected"
        );
    }
    let page = read(&out.join("events/attack/index.html"));
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the title is shown as text"
    );
    assert!(
        page.contains("&lt;script&gt;alert(9)&lt;/script&gt;"),
        "raw HTML in the body is shown as text"
    );
    let json = read(&out.join("events.json"));
    assert!(
        json.contains("\\u003cscript\\u003ealert(1)\\u003c/script\\u003e"),
        "JSON escapes markup characters"
    );
    let feed = read(&out.join("feed.xml"));
    assert!(feed.contains("&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
    roxmltree::Document::parse(&feed).expect("the feed stays well-formed XML");
}

#[test]
fn script_and_data_addresses_are_neutralised_in_links_media_and_sources() {
    let site = Site::fixture("hostile");
    site.build().success();
    let page = read(&site.out().join("events/attack/index.html"));
    let lower = page.to_ascii_lowercase();
    for scheme in ["javascript:", "data:text", "vbscript:", "&#106;avascript"] {
        assert!(!lower.contains(&format!("href=\"{scheme}")), "{scheme} in an href");
        assert!(!lower.contains(&format!("src=\"{scheme}")), "{scheme} in a src");
    }
    for n in 4..=13 {
        assert!(!page.contains(&format!("href=\"javascript:alert({n})")), "alert({n})");
    }
    assert!(page.contains("https://example.org/fine"), "safe sources stay");
}

#[test]
fn trusted_authors_may_pass_raw_html_through() {
    let site = Site::fixture("hostile");
    site.replace("site.yaml", "base_url:", "markdown:\n  unsafe_html: true\nbase_url:");
    site.build().success();
    let page = read(&site.out().join("events/attack/index.html"));
    assert!(
        page.contains("<script>alert(9)</script>"),
        "unsafe_html passes body HTML through"
    );
    assert!(!page.contains(SCRIPT), "titles are still escaped");
}

#[test]
fn output_folders_that_are_the_file_system_root_or_home_are_refused() {
    let site = Site::fixture("base");
    let before = tree(&site.base());
    let run = annals(
        &site.base(),
        &["build", "--root", site.root.to_str().unwrap(), "-o", "/"],
    )
    .failure();
    assert!(run.stderr.contains("refusing to write to `/`"), "{run}");
    let home = site.base().join("home");
    fs::create_dir_all(&home).unwrap();
    let before_home = tree(&site.base());
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_annals"))
        .args([
            "build",
            "--root",
            site.root.to_str().unwrap(),
            "-o",
            home.to_str().unwrap(),
        ])
        .env("HOME", &home)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("home folder"));
    assert_same_tree(&before_home, &tree(&site.base()), "the site and home");
    assert!(before.len() < before_home.len());
}

/// The text of a file of the built-in theme.
fn built_in(path: &str) -> String {
    let (_, bytes) = annals::load::DEFAULT_THEME_FILES
        .iter()
        .find(|(known, _)| *known == path)
        .unwrap_or_else(|| panic!("the built-in theme has {path}"));
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[test]
fn a_template_error_on_one_page_of_fifty_changes_nothing() {
    let site = Site::fixture("base");
    for n in 0..48 {
        site.write(
            &format!("content/events/19{n:02}-e{n}.md"),
            &format!("---\ntitle: Event {n}\ndate: 19{n:02}\n---\nText.\n"),
        );
    }
    site.build().success();
    let before = tree(&site.out());
    let event = built_in("templates/event.html");
    let broken = event.replacen(
        "{% block content %}",
        "{% block content %}{% if event.slug == \"e17\" %}{{ event.no_such_field.deeper }}{% endif %}",
        1,
    );
    assert_ne!(broken, event, "the template has a content block");
    site.write("themes/default/templates/event.html", &broken);
    let run = site.build().failure();
    assert!(run.stderr.contains("themes/default/templates/event.html:"), "{run}");
    assert!(run.stderr.contains("events/e17/index.html"), "names the page: {run}");
    assert_same_tree(&before, &tree(&site.out()), "the output");
    assert!(temporary_files(&site.out()).is_empty());
}

#[test]
fn a_broken_list_entry_is_reported_once_and_changes_nothing() {
    let site = Site::fixture("base");
    for n in 0..12 {
        site.write(
            &format!("content/events/19{n:02}-e{n}.md"),
            &format!("---\ntitle: Event {n}\ndate: 19{n:02}\n---\nText.\n"),
        );
    }
    site.build().success();
    let before = tree(&site.out());
    let entry = built_in("templates/partials/event_item.html");
    let broken = entry.replacen("{{ event.title }}", "{{ event.titel }}", 1);
    assert_ne!(broken, entry, "the entry shows the title");
    site.write("themes/default/templates/partials/event_item.html", &broken);
    let run = site.build().failure();
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|line| line.contains("error: Field"))
        .collect();
    assert_eq!(errors.len(), 1, "reported once: {run}");
    assert!(
        errors[0].starts_with("themes/default/templates/partials/event_item.html:"),
        "{run}"
    );
    assert!(
        errors[0].contains("`titel`") && errors[0].contains("list entry of `events/"),
        "{run}"
    );
    // The fixture's two events and the twelve added.
    assert!(
        run.stderr.contains("the same error occurs on 13 more list entries"),
        "{run}"
    );
    assert_same_tree(&before, &tree(&site.out()), "the output");
    assert!(temporary_files(&site.out()).is_empty());
}

#[test]
fn a_write_that_fails_leaves_a_clear_error_and_the_next_build_recovers() {
    let site = Site::fixture("base");
    site.build().success();
    let out = site.out();
    // A file stands where annals needs a folder for a new event's page.
    site.write(
        "content/events/2003-blocked.md",
        "---\ntitle: Blocked\ndate: 2003\n---\nText.\n",
    );
    fs::write(out.join("events/blocked"), "a file in the way").unwrap();
    let before = tree(&out);
    let run = site.build().failure();
    assert!(
        run.stderr.contains("cannot write") && run.stderr.contains("events/blocked"),
        "{run}"
    );
    assert_same_tree(&before, &tree(&out), "the output after a failed write");
    assert!(temporary_files(&out).is_empty());
    fs::remove_file(out.join("events/blocked")).unwrap();
    site.build().success();
    assert!(out.join("events/blocked/index.html").is_file());
}

#[test]
fn bad_yaml_of_every_kind_is_reported_in_one_run() {
    let site = Site::fixture("base");
    let cases = [
        (
            "2010-tabs.md",
            "---\ntitle: Tabs\n\tdate: 2010\n---\n",
            "2010-tabs.md:3",
        ),
        (
            "2011-dup.md",
            "---\ntitle: A\ntitle: B\ndate: 2011\n---\n",
            "2011-dup.md:3:1",
        ),
        (
            "2012-number.md",
            "---\ntitle: [1, 2]\ndate: 2012\n---\n",
            "2012-number.md:2:8",
        ),
        (
            "2013-unclosed.md",
            "---\ntitle: A\ndate: 2013\n",
            "2013-unclosed.md:1:1",
        ),
        (
            "2014-year-zero.md",
            "---\ntitle: A\ndate: 0 BCE\n---\n",
            "2014-year-zero.md:3:7",
        ),
        (
            "2015-big-year.md",
            "---\ntitle: A\ndate: 10000\n---\n",
            "2015-big-year.md:3:7",
        ),
        (
            "2016-hour.md",
            "---\ntitle: A\ndate: 2013-12-09T25:00\n---\n",
            "2016-hour.md:3:7",
        ),
        (
            "2017-minus-zero.md",
            "---\ntitle: A\ndate: \"-0000\"\n---\n",
            "2017-minus-zero.md:3:7",
        ),
    ];
    for (name, text, _) in cases {
        site.write(&format!("content/events/{name}"), text);
    }
    site.write("content/events/2018-bytes.md", "");
    fs::write(
        site.path("content/events/2018-bytes.md"),
        b"---\ntitle: \xff\xfe\ndate: 2018\n---\n",
    )
    .unwrap();
    let run = site.build().failure();
    for (_, _, location) in cases {
        run.error_at(&format!("content/events/{location}"));
    }
    assert!(
        run.stderr
            .contains("content/events/2018-bytes.md:2:8: error: the file is not valid UTF-8 (bad byte at offset 11)"),
        "{run}"
    );
}

#[test]
fn yaml_words_that_look_like_booleans_are_just_text() {
    let site = Site::fixture("base");
    site.write("content/events/2010-no.md", "---\ntitle: no\ndate: 2010\n---\n");
    site.build().success();
    assert!(read(&site.out().join("events/no/index.html")).contains(">no</h1>"));
}

#[test]
fn pathological_sizes_finish_or_are_refused_clearly() {
    let site = Site::fixture("base");
    let bomb = "---\nextra:\n a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ntitle: bomb\ndate: 2001\n---\n";
    site.write("content/events/2001-bomb.md", bomb);
    let huge_front_matter = format!("---\ntitle: \"{}\"\ndate: 2002\n---\n", "x".repeat(10 * 1024 * 1024));
    site.write("content/events/2002-front.md", &huge_front_matter);
    let huge_body = format!("---\ntitle: Big\ndate: 2003\n---\n{}", "word ".repeat(10 * 1024 * 1024));
    site.write("content/events/2003-body.md", &huge_body);
    let run = site.build().failure();
    assert!(
        run.stderr
            .contains("2001-bomb.md:2:1: error: repetition limit exceeded"),
        "{run}"
    );
    assert!(run.stderr.contains("2002-front.md:2:1: error: this YAML is"), "{run}");
    assert!(run.stderr.len() < 10_000, "huge lines are not quoted whole");
    assert!(
        run.stderr.contains("2003-body.md: error: the file is 50.0 MiB"),
        "{run}"
    );

    let site = Site::fixture("base");
    site.write(
        "content/events/2004-brackets.md",
        &format!("---\ntitle: Brackets\ndate: 2004\n---\n{}", "[ (](".repeat(50_000)),
    );
    site.write(
        "content/events/2005-quotes.md",
        &format!("---\ntitle: Quotes\ndate: 2005\n---\n{}deep\n", "> ".repeat(10_000)),
    );
    site.build().success();
}

#[test]
fn broken_templates_are_errors_that_name_the_template_not_crashes() {
    for (name, text, expected) in [
        ("page.html", "{% extends \"page.html\" %}", "page.html"),
        (
            "partials/loop.html",
            "{% include \"partials/loop.html\" %}",
            "Circular include",
        ),
        ("page.html", "{% include \"partials/missing.html\" %}", "missing.html"),
        (
            "page.html",
            "<p>{{ nothing_here }}</p>",
            "themes/default/templates/page.html:1",
        ),
    ] {
        let site = Site::fixture("base");
        site.write(&format!("themes/default/templates/{name}"), text);
        let run = site.build().failure();
        assert!(run.stderr.contains(expected), "{text}: {run}");
        assert!(
            !run.stderr.contains("panicked") && !run.stderr.contains("overflow"),
            "{run}"
        );
    }
}

#[test]
fn builds_are_byte_identical_whatever_the_number_of_threads() {
    let site = Site::example();
    let one = site.base().join("one-thread");
    let many = site.base().join("many-threads");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_annals"))
        .args([
            "build",
            "--root",
            site.root.to_str().unwrap(),
            "-o",
            one.to_str().unwrap(),
        ])
        .env("RAYON_NUM_THREADS", "1")
        .output()
        .unwrap();
    assert!(run.status.success());
    site.build_into(&many, &[]).success();
    assert_same_tree(&tree(&one), &tree(&many), "one thread and many");
}

fn in_memory_build(title: &str, file_name: &str, slug: Option<&str>) -> Vec<String> {
    use annals::load::{SiteFiles, TextFile};
    let config = annals::config::Config::parse("title: T\n").unwrap();
    let mut front = format!("---\ntitle: {}\ndate: 2001\n", serde_json::to_string(title).unwrap());
    if let Some(slug) = slug {
        front.push_str(&format!("slug: {}\n", serde_json::to_string(slug).unwrap()));
    }
    front.push_str("---\nBody.\n");
    let files = SiteFiles {
        texts: vec![TextFile::new(format!("content/events/{file_name}.md"), front)],
        theme: annals::load::DEFAULT_THEME_FILES
            .iter()
            .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
            .collect(),
        ..SiteFiles::default()
    };
    let options = annals::pipeline::BuildOptions::default();
    match annals::pipeline::build_from_files(config, &files, &options, &mut Default::default()) {
        Ok(built) => built.outputs.files.keys().cloned().collect(),
        Err(_) => Vec::new(),
    }
}

fn stays_inside(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && !path.contains(':')
        && Path::new(path)
            .components()
            .all(|part| matches!(part, std::path::Component::Normal(_)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn every_output_path_stays_inside_the_output_folder(
        title in prop_oneof![
            Just("../x".to_string()), Just("/abs".to_string()), Just("C:\\x".to_string()), Just("CON".to_string()),
            Just(String::new()), Just("x".repeat(1000)), Just("שלום עולם".to_string()), Just("🙂🚀".to_string()),
            ".{0,40}",
        ],
        file_name in prop_oneof![
            Just("..".to_string()), Just("CON".to_string()), Just("2013-12-09-".to_string()), "[a-zA-Z0-9 ._-]{1,30}",
        ],
        slug in proptest::option::of(prop_oneof![Just("../etc".to_string()), Just("a/b".to_string()), "[a-z0-9-]{1,20}"]),
    ) {
        for path in in_memory_build(&title, &file_name, slug.as_deref()) {
            prop_assert!(stays_inside(&path), "{path:?}");
        }
    }
}

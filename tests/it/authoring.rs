//! Starting and checking a site: `new`, `add`, `check`, a bilingual build.

use std::fs;

use crate::support::{annals, html, read, selector, Site};

#[test]
fn a_new_site_builds_at_once_and_new_refuses_a_folder_with_files() {
    let site = Site::fixture("base");
    let base = site.base();
    annals(&base, &["new", "fresh"]).success();
    let run = annals(&base, &["build", "--root", "fresh"]).success();
    assert!(run.stdout.contains("Built 3 events"), "{run}");
    assert!(base.join("fresh/public/index.html").is_file());
    assert_eq!(read(&base.join("fresh/.gitignore")), "/public\n");
    let run = annals(&base, &["new", "fresh"]).failure();
    assert!(run.stderr.contains("not empty"), "{run}");
}

#[test]
fn add_writes_an_event_that_builds_and_refuses_to_overwrite_it() {
    let site = Site::fixture("base");
    let run = annals(
        &site.root,
        &[
            "add",
            "LeCun leaves Meta",
            "--date",
            "2025-11-19",
            "--track",
            "career",
            "--tag",
            "meta",
        ],
    )
    .success();
    assert_eq!(run.stdout.trim(), "content/events/2025-11-19-lecun-leaves-meta.md");
    let text = site.read("content/events/2025-11-19-lecun-leaves-meta.md");
    assert!(
        text.contains("title: \"LeCun leaves Meta\"\ndate: \"2025-11-19\"\ntrack: career\ntags: [\"meta\"]"),
        "{text}"
    );
    site.build().success();
    assert!(site.out().join("events/lecun-leaves-meta/index.html").is_file());
    let again = annals(&site.root, &["add", "LeCun leaves Meta", "--date", "2025-11-19"]).failure();
    assert!(again.stderr.contains("already exists"), "{again}");
    assert_eq!(site.read("content/events/2025-11-19-lecun-leaves-meta.md"), text);
    let bad = annals(&site.root, &["add", "X", "--date", "2025-02-30"]).failure();
    assert!(bad.stderr.contains("day 30 does not exist"), "{bad}");
}

#[test]
fn check_reports_every_warning_with_its_place_and_writes_nothing() {
    let site = Site::fixture("check_warnings");
    let run = annals(&site.root, &["check"]).success();
    for expected in [
        "content/events/1995-photo.md:7:3: warning: the image `media/photo.png` has no credit",
        "content/events/1996-typo.md:4:1: warning: the track `reserch` is not in site.yaml",
        "content/events/1996-typo.md:5:1: warning: the tag `lonely` is used by this event only",
        "content/events/1996-typo.md:2:1: warning: the event `typo` cites no sources",
        "content/events/2005-late.md:3:1: info: the event `late` falls outside every era",
        "content/media/orphan.pdf: warning: no event or page refers to this file",
    ] {
        assert!(run.stderr.contains(expected), "missing `{expected}` in:\n{run}");
    }
    assert!(!site.path("public").exists(), "check writes nothing");
    annals(&site.root, &["check", "--deny-warnings"]).failure();
}

#[test]
fn build_quotes_the_line_of_each_warning_though_it_let_the_texts_go() {
    let site = Site::fixture("check_warnings");
    let run = site.build_into(&site.out(), &["-v"]).success();
    for expected in [
        "content/events/1996-typo.md:4:1: warning: the track `reserch` is not in site.yaml",
        "4 | track: reserch",
        "content/events/1996-typo.md:2:1: warning: the event `typo` cites no sources",
        "2 | title: A mistyped track",
        "content/media/orphan.pdf: warning: no event or page refers to this file",
    ] {
        assert!(run.stderr.contains(expected), "missing `{expected}` in:\n{run}");
    }
}

#[test]
fn check_speaks_json_lines_for_editors_and_fails_on_errors() {
    let site = Site::fixture("check_warnings");
    let run = annals(&site.root, &["check", "--format", "json"]).success();
    let diagnostics: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is a JSON object"))
        .collect();
    assert!(diagnostics.len() >= 6, "{run}");
    let photo = diagnostics
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("no credit"))
        .unwrap();
    assert_eq!(photo["path"], "content/events/1995-photo.md");
    assert_eq!(photo["line"], 7);
    assert_eq!(photo["severity"], "warning");
    site.write("content/events/1997-bad.md", "---\ntitle: Bad\ndate: 1997-02-30\n---\n");
    let run = annals(&site.root, &["check", "--format", "json"]).failure();
    assert!(
        run.stdout
            .lines()
            .any(|line| line.contains("\"severity\":\"error\"") && line.contains("1997-bad.md")),
        "{run}"
    );
}

#[test]
fn the_example_is_published_in_english_and_chinese() {
    let site = Site::example();
    site.build().success();
    let out = site.out();
    let english = html(&out.join("events/fair-founded/index.html"));
    let chinese = html(&out.join("zh/events/fair-founded/index.html"));
    let lang = |page: &scraper::Html| {
        page.select(&selector("html"))
            .next()
            .unwrap()
            .value()
            .attr("lang")
            .unwrap()
            .to_string()
    };
    assert_eq!(lang(&english), "en");
    assert_eq!(lang(&chinese), "zh-Hans");
    let title = |page: &scraper::Html| page.select(&selector("h1")).next().unwrap().text().collect::<String>();
    assert_eq!(title(&english).trim(), "LeCun to lead Facebook AI Research");
    assert!(title(&chinese).contains("杨立昆"), "{}", title(&chinese));
    let dates: Vec<String> = html(&out.join("zh/index.html"))
        .select(&selector("time[datetime='2013-12-09']"))
        .map(|time| time.text().collect())
        .collect();
    assert!(dates.iter().any(|text| text.contains("2013年12月9日")), "{dates:?}");
    // Every page links to its translation, both ways: readers through
    // relative links, search engines through absolute `hreflang` links.
    let base = "https://example.org/annals/lecun/";
    for (page, other, absolute) in [
        (
            "events/fair-founded/index.html",
            "../../zh/events/fair-founded/index.html",
            "zh/events/fair-founded/",
        ),
        (
            "zh/events/fair-founded/index.html",
            "../../../events/fair-founded/index.html",
            "events/fair-founded/",
        ),
        ("index.html", "zh/index.html", "zh/"),
        ("zh/tags/index.html", "../../tags/index.html", "tags/"),
    ] {
        let document = html(&out.join(page));
        let links: Vec<&str> = document
            .select(&selector("a[hreflang]"))
            .filter_map(|link| link.value().attr("href"))
            .collect();
        assert!(links.contains(&other), "{page}: {links:?}");
        assert!(
            out.join(page).parent().unwrap().join(other).is_file(),
            "{page} → {other}"
        );
        let alternates: Vec<&str> = document
            .select(&selector("link[rel=alternate][hreflang]"))
            .filter_map(|link| link.value().attr("href"))
            .collect();
        let expected = format!("{base}{absolute}");
        assert!(alternates.contains(&expected.as_str()), "{page}: {alternates:?}");
    }
    let feed = fs::read_to_string(out.join("zh/feed.xml")).unwrap();
    assert!(feed.contains("xml:lang=\"zh-Hans\""));
    assert!(!out.join("zh/robots.txt").exists());
}

#[test]
fn a_missing_translation_falls_back_to_the_default_language_with_a_note() {
    let site = Site::example();
    site.remove("content/events/1989-zip-code-cnn.zh.md");
    site.build().success();
    let events: serde_json::Value = serde_json::from_str(&read(&site.out().join("zh/events.json"))).unwrap();
    let zip = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["slug"] == "zip-code-cnn")
        .unwrap();
    assert_eq!(zip["untranslated"], true);
    assert!(
        zip["title"].as_str().unwrap().is_ascii(),
        "shown in English: {}",
        zip["title"]
    );
    let page = read(&site.out().join("zh/events/zip-code-cnn/index.html"));
    assert!(
        page.contains("class=\"untranslated"),
        "the page says it is not translated"
    );
}

#[test]
fn a_translation_of_nothing_is_reported_not_silently_dropped() {
    let site = Site::fixture("base");
    site.replace("site.yaml", "title:", "languages: [en, zh]\ntitle:");
    site.write("content/events/nothing.zh.md", "---\ntitle: 孤儿\n---\n文\n");
    let run = site.build().success();
    assert!(
        run.stderr.contains("content/events/nothing.zh.md: warning: this translation is ignored: `content/events/nothing.md` does not exist"),
        "{run}"
    );
    assert!(site.out().join("zh/index.html").is_file());
}

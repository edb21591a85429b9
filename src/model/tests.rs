//! Tests of assembling a site: the order of its events, its tags,
//! eras and tracks, and the problems only the whole site shows.

use std::collections::BTreeMap;

use super::*;
use crate::parse::event::parse_event_file;
use crate::parse::page::parse_page;

fn site(files: &[(&str, &str)], config: &str) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    site_kept(files, config, &mut Orders::one_shot())
}

fn site_kept(
    files: &[(&str, &str)],
    config: &str,
    orders: &mut Orders,
) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
    let config = Config::parse(config).unwrap();
    let mut events = Vec::new();
    let mut pages = Vec::new();
    for (path, text) in files {
        if path.starts_with("content/pages/") {
            pages.push(parse_page(path, text).unwrap());
        } else {
            events.extend(parse_event_file(path, text).unwrap().into_iter().map(Arc::new));
        }
    }
    let assets: HashSet<String> = ["content/media/a.jpg".to_string()].into_iter().collect();
    let texts: HashMap<&str, &str> = files.iter().copied().collect();
    Site::assemble(
        config,
        Intro::default(),
        events,
        pages,
        &Inputs {
            content_assets: &assets,
            texts: &texts,
            drafts: false,
        },
        orders,
    )
}

/// What a site's order and tags come to, to compare two assemblies.
fn shape(site: &Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>>) -> String {
    match site {
        Ok((site, _)) => {
            let events: Vec<&str> = site.events.iter().map(|event| event.title.as_str()).collect();
            let tags: Vec<(&str, &str, &[usize])> = site
                .tags
                .iter()
                .map(|tag| (tag.name.as_str(), tag.slug.as_str(), tag.events.as_slice()))
                .collect();
            format!("{events:?} {tags:?}")
        }
        Err(problems) => format!("{:?}", problems.iter().map(|p| &p.message).collect::<Vec<_>>()),
    }
}

#[test]
fn a_kept_order_gives_what_a_fresh_assembly_gives_after_every_kind_of_edit() {
    let event = |title: &str, date: &str, slug: &str, tags: &str| {
        format!(
            "---\ntitle: {title}\ndate: {date}\nslug: {slug}\ntags: [{tags}]\nsources: [{{title: S}}]\n---\nBody.\n"
        )
    };
    let a = event("A", "2001", "a", "x, Y");
    let c = event("C", "2003", "c", "y");
    let versions = [
        event("B", "2002", "b", "x"),
        // The usual edit: the title (or the body) only.
        event("B again", "2002", "b", "x"),
        // A date that moves it first.
        event("B again", "2000", "b", "x"),
        // Its tags: a new one, and one that changes how `y` is first written.
        event("B again", "2000", "b", "x, y, new"),
        // A slug another event has, and its own again.
        event("B again", "2000", "a", "x, y, new"),
        event("B again", "2000", "b", "x, y, new"),
    ];
    let mut orders = Orders::keeping();
    for text in &versions {
        let files = [
            ("content/events/a.md", a.as_str()),
            ("content/events/b.md", text.as_str()),
            ("content/events/c.md", c.as_str()),
        ];
        let kept = site_kept(&files, "title: T\n", &mut orders);
        orders.end_build();
        assert_eq!(
            shape(&kept),
            shape(&site(&files, "title: T\n")),
            "after writing:\n{text}"
        );
    }
}

#[test]
fn events_are_ordered_by_date_then_end_then_weight_then_path() {
    let (site, _) = site(
        &[
            ("content/events/c.md", "---\ntitle: C\ndate: 2013-12\n---\n"),
            ("content/events/b.md", "---\ntitle: B\ndate: 2013\nweight: 2\n---\n"),
            ("content/events/a.md", "---\ntitle: A\ndate: 2013\nweight: 2\n---\n"),
            ("content/events/z.md", "---\ntitle: Z\ndate: 2013\nweight: 1\n---\n"),
            ("content/events/s.md", "---\ntitle: S\ndate: 2013\nend: 2020\n---\n"),
            ("content/events/e.md", "---\ntitle: E\ndate: 500 BCE\n---\n"),
        ],
        "title: T\n",
    )
    .unwrap();
    let titles: Vec<&str> = site.events.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["E", "Z", "A", "B", "S", "C"]);
}

#[test]
fn duplicate_slugs_name_both_files() {
    let errors = site(
        &[
            ("content/events/2001-x.md", "---\ntitle: A\ndate: 2001\n---\n"),
            ("content/events/y.md", "---\ntitle: B\ndate: 2002\nslug: x\n---\n"),
        ],
        "title: T\n",
    )
    .unwrap_err();
    assert_eq!(errors[0].path, "content/events/y.md");
    assert_eq!(errors[0].line, 4);
    assert!(
        errors[0].message.contains("content/events/2001-x.md"),
        "{}",
        errors[0].message
    );
}

#[test]
fn missing_media_files_are_errors() {
    let errors = site(
        &[(
            "content/events/x.md",
            "---\ntitle: A\ndate: 2001\nmedia:\n  src: media/missing.jpg\n  alt: x\n---\n",
        )],
        "title: T\n",
    )
    .unwrap_err();
    assert!(errors[0].message.contains("content/media/missing.jpg"));
    assert_eq!(errors[0].line, 5);
}

#[test]
fn tags_are_grouped_by_slug_in_timeline_order_named_as_first_written() {
    let pool = ["AI", "ai", "A.I.", "Deep Learning", "deep-learning", "x"];
    let files: Vec<(String, String)> = (0..300)
        .map(|at: usize| {
            let tags: Vec<&str> = (0..1 + at % 3).map(|k| pool[(at * 7 + k * 5) % pool.len()]).collect();
            (
                format!("content/events/e{at}.md"),
                format!(
                    "---\ntitle: E{at}\ndate: {}\ntags: {tags:?}\n---\n",
                    1900 + (at * 37) % 120
                ),
            )
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = files
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    let (site, _) = site(&borrowed, "title: T\n").unwrap();
    // The plain way: every event in timeline order, every tag in order.
    let mut expected: BTreeMap<Slug, Tag> = BTreeMap::new();
    for (index, event) in site.events.iter().enumerate() {
        for name in &event.tags {
            let slug = Slug::from_text(name);
            expected
                .entry(slug.clone())
                .or_insert_with(|| Tag {
                    name: name.clone(),
                    slug,
                    events: Vec::new(),
                })
                .events
                .push(index);
        }
    }
    let expected: Vec<Tag> = expected.into_values().collect();
    assert_eq!(site.tags, expected);
}

#[test]
fn undeclared_tracks_are_created_and_tags_grouped() {
    let (site, warnings) = site(
        &[
            (
                "content/events/a.md",
                "---\ntitle: A\ndate: 2001\ntrack: lab\ntags: [Deep Learning]\n---\n",
            ),
            (
                "content/events/b.md",
                "---\ntitle: B\ndate: 2002\ntags: [deep-learning, x]\n---\n",
            ),
        ],
        "title: T\n",
    )
    .unwrap();
    assert_eq!(site.tracks[0].id.as_str(), "lab");
    assert_eq!(site.tags[0].name, "Deep Learning");
    assert_eq!(site.tags[0].events, [0, 1]);
    assert_eq!(warnings.len(), 2, "two events without sources");
}

#[test]
fn drafts_are_left_out_and_pages_cannot_take_reserved_names() {
    let (site, _) = site(
        &[("content/events/a.md", "---\ntitle: A\ndate: 2001\ndraft: true\n---\n")],
        "title: T\n",
    )
    .unwrap();
    assert!(site.events.is_empty());
    for folder in ["events", "timeline"] {
        let errors = site_err_page(folder);
        assert!(errors[0].message.contains("clashes"), "{folder}: {errors:?}");
    }
}

fn site_err_page(slug: &str) -> Vec<Diagnostic> {
    site(
        &[(&format!("content/pages/{slug}.md"), "---\ntitle: A page\n---\n")],
        "title: T\n",
    )
    .unwrap_err()
}

#[test]
fn each_era_holds_the_events_it_includes_found_by_binary_search() {
    let dates = [
        "500 BCE",
        "1 BCE",
        "1983",
        "1984",
        "c. 1984",
        "1984?",
        "c. 1984?",
        "1984-01",
        "1984-06-15",
        "1984-06-15T10:00",
        "1985",
        "2013-11-30",
        "2013-12",
        "c. 2013-12",
        "2013-12-09",
        "2025-11",
        "2025-11-19",
        "2025-11-19T23:59",
        "2025-12",
        "2026",
    ];
    let texts: Vec<(String, String)> = dates
        .iter()
        .enumerate()
        .map(|(at, date)| {
            (
                format!("content/events/e{at:02}.md"),
                format!("---\ntitle: E{at}\ndate: {date}\n---\nBody.\n"),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = texts
        .iter()
        .map(|(path, text)| (path.as_str(), text.as_str()))
        .collect();
    let eras = [
        ("c. 1984", "2013-12"),
        ("1984-06-15", "2025-11"),
        ("1984", ".."),
        ("2025-11-19", "2025-11-19"),
        ("500 BCE", "1"),
        ("c. 1984", "c. 1984?"),
        ("2026", "2030"),
        ("1700", "1800"),
    ];
    let mut config = String::from("title: T\neras:\n");
    for (at, (start, end)) in eras.iter().enumerate() {
        config.push_str(&format!("  - title: Era {at}\n    start: {start}\n    end: {end}\n"));
    }
    let (site, _) = site(&files, &config).unwrap();
    for (era, found) in site.config.eras.iter().zip(site.era_events()) {
        let every: Vec<usize> = (0..site.events.len())
            .filter(|&at| in_era(&site.events[at].date, era))
            .collect();
        assert_eq!(found, every, "{}", era.title);
    }
}

#[test]
fn eras_include_dates_inside_their_last_period() {
    let config = Config::parse("title: T\neras:\n  - title: FAIR\n    start: 2013-12\n    end: 2025-11\n").unwrap();
    let era = &config.eras[0];
    assert!(in_era(&Date::parse("2025-11-19").unwrap(), era));
    assert!(in_era(&Date::parse("2013-12-09").unwrap(), era));
    assert!(!in_era(&Date::parse("2025-12").unwrap(), era));
    assert!(!in_era(&Date::parse("2013-11-30").unwrap(), era));
}

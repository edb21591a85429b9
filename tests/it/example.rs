//! The repository's example site, built into a temp dir: what readers,
//! feed readers and crawlers get, and that builds are deterministic.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use annals::write::MANIFEST;

use crate::support::output::{self, date_key, events_json, html_pages, parse_pages, resolve, slug, PageLinks, Target};
use crate::support::{self, assert_same_tree, html, read, selector, tree, Run, Site};

const ATOM: &str = "http://www.w3.org/2005/Atom";
const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// Builds the example into `<temp>/out`.
fn build_example() -> (Site, PathBuf, Run) {
    let site = Site::example();
    let run = site.build().success();
    let out = site.out();
    (site, out, run)
}

/// `base_url` of the example, read from its `site.yaml`.
fn base_url(site: &Site) -> String {
    let config: serde_yaml::Value = serde_yaml::from_str(&read(&site.path("site.yaml"))).expect("site.yaml parses");
    config["base_url"]
        .as_str()
        .expect("the example has a base_url")
        .to_string()
}

/// The event items of the index in page order: (id, first `time[datetime]`).
fn index_events(out: &Path) -> Vec<(String, Option<String>)> {
    let page = html(&out.join("index.html"));
    let time = selector("article time[datetime]");
    page.select(&selector("ol.timeline li[id]"))
        .map(|item| {
            let id = item.value().attr("id").unwrap_or_default().to_string();
            let datetime = item
                .select(&time)
                .next()
                .and_then(|t| t.value().attr("datetime"))
                .map(str::to_string);
            (id, datetime)
        })
        .collect()
}

/// Every link problem in the output: missing files and missing `id`s.
fn broken_links(out: &Path, base_url: &str) -> Vec<String> {
    let pages = parse_pages(out, &html_pages(out), PageLinks::of);
    output::broken_links(out, base_url, &pages)
}

#[test]
fn index_lists_every_event_in_chronological_order() {
    let (_site, out, _) = build_example();
    let mut expected = events_json(&out);
    assert!(expected.len() > 10, "the example has its events");
    // A stable sort: events on the same date keep annals' tie-break order.
    expected.sort_by_key(date_key);
    let expected: Vec<&str> = expected.iter().map(slug).collect();
    let listed: Vec<String> = index_events(&out).into_iter().map(|(id, _)| id).collect();
    assert_eq!(listed, expected, "index.html lists events in date order");
}

#[test]
fn index_gives_each_event_its_machine_readable_date() {
    let (_site, out, _) = build_example();
    let listed: BTreeMap<String, Option<String>> = index_events(&out).into_iter().collect();
    for (event_slug, datetime) in [
        ("fair-founded", "2013-12-09"),
        ("zip-code-cnn", "1989"),
        ("lenet-5", "1998-11"),
    ] {
        assert_eq!(
            listed.get(event_slug).cloned().flatten().as_deref(),
            Some(datetime),
            "<time datetime> of `{event_slug}`"
        );
    }
    for event in events_json(&out) {
        assert_eq!(
            listed.get(slug(&event)).cloned().flatten().as_deref(),
            event["date"]["datetime"].as_str(),
            "index.html and events.json agree on the date of `{}`",
            slug(&event)
        );
    }
}

#[test]
fn index_marks_a_circa_date_as_approximate() {
    let (_site, out, _) = build_example();
    let page = html(&out.join("index.html"));
    let circa_note = |id: &str| {
        let item = page
            .select(&selector(&format!("li#{id} article")))
            .next()
            .unwrap_or_else(|| panic!("index.html has no article for `{id}`"));
        let marked = item.value().classes().any(|class| class.contains("circa"));
        let note: String = item
            .select(&selector(".event-date [class*=circa]"))
            .flat_map(|note| note.text())
            .collect();
        (marked, note.trim().to_string())
    };
    let (marked, note) = circa_note("cheque-reading");
    assert!(marked, "the circa event's article is marked as circa");
    assert!(!note.is_empty(), "the circa event's date carries a visible note");
    assert_eq!(
        circa_note("fair-founded"),
        (false, String::new()),
        "an exact date is not marked as circa"
    );
}

#[test]
fn event_page_lists_numbered_sources_and_its_display_date() {
    let (_site, out, _) = build_example();
    let page = html(&out.join("events/turing-award/index.html"));
    let sources: Vec<_> = page.select(&selector("ol li")).collect();
    let acm = sources
        .iter()
        .find(|item| {
            item.select(&selector("a[href]"))
                .any(|a| a.value().attr("href") == Some("https://awards.acm.org/about/2018-turing"))
        })
        .expect("an <ol> item links to the ACM announcement");
    assert!(
        acm.text().collect::<String>().contains("ACM"),
        "the source names its publisher"
    );
    let date = page
        .select(&selector("time[datetime='2019-03-27']"))
        .next()
        .expect("the page has the event's <time datetime>");
    assert_eq!(date.text().collect::<String>(), "2018 award, announced 27 March 2019");
}

#[test]
fn event_pages_link_to_their_chronological_neighbours() {
    let (_site, out, _) = build_example();
    let order: Vec<String> = index_events(&out).into_iter().map(|(id, _)| id).collect();
    for (index, event_slug) in order.iter().enumerate() {
        let path = format!("events/{event_slug}/index.html");
        let page = html(&out.join(&path));
        for (rel, neighbour) in [
            ("prev", index.checked_sub(1).map(|i| &order[i])),
            ("next", order.get(index + 1)),
        ] {
            let href = page
                .select(&selector(&format!("a[rel={rel}]")))
                .next()
                .and_then(|a| a.value().attr("href"));
            match (neighbour, href) {
                (None, None) => {}
                (Some(neighbour), Some(href)) => {
                    let expected = format!("events/{neighbour}/index.html");
                    assert_eq!(
                        resolve(&path, href, "https://unused.invalid/"),
                        Target::Local(expected.clone(), None),
                        "{path}: rel={rel}"
                    );
                    assert!(out.join(&expected).is_file(), "{path}: rel={rel} target exists");
                }
                (neighbour, href) => panic!("{path}: rel={rel} should go to {neighbour:?}, links to {href:?}"),
            }
        }
    }
}

#[test]
fn every_relative_link_asset_and_fragment_in_every_page_resolves() {
    let (site, out, _) = build_example();
    let pages = html_pages(&out);
    assert!(pages.len() > 20, "the example has many pages: {pages:?}");
    let problems = broken_links(&out, &base_url(&site));
    assert!(problems.is_empty(), "broken links:\n{}", problems.join("\n"));
}

#[test]
fn every_event_page_links_to_its_place_on_the_timeline() {
    let (_site, out, _) = build_example();
    let timeline_ids = &PageLinks::of(&html(&out.join("index.html"))).ids;
    let links = selector("a[href]");
    for event in events_json(&out) {
        let path = format!("events/{}/index.html", slug(&event));
        let own_place = Target::Local("index.html".into(), Some(slug(&event).to_string()));
        let found = html(&out.join(&path))
            .select(&links)
            .filter_map(|a| a.value().attr("href"))
            .any(|href| resolve(&path, href, "https://unused.invalid/") == own_place);
        assert!(found, "{path} links to index.html#{}", slug(&event));
        assert!(
            timeline_ids.contains(slug(&event)),
            "index.html has id `{}`",
            slug(&event)
        );
    }
}

#[test]
fn feed_is_an_atom_feed_with_an_entry_per_recent_event() {
    let (site, out, _) = build_example();
    let text = read(&out.join("feed.xml"));
    let doc = roxmltree::Document::parse(&text).expect("feed.xml is well-formed XML");
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    let text_of = |node: roxmltree::Node<'_, '_>, name: &str| {
        child(node, name)
            .and_then(|n| n.text())
            .unwrap_or_else(|| panic!("<{}> has no <{name}> text", node.tag_name().name()))
            .to_string()
    };
    assert!(!text_of(feed, "title").is_empty());
    assert!(!text_of(feed, "id").is_empty());
    assert!(is_rfc3339(&text_of(feed, "updated")), "feed <updated>");

    let base = base_url(&site);
    let entries: Vec<_> = feed
        .children()
        .filter(|n| n.is_element() && n.tag_name().name() == "entry")
        .collect();
    assert_eq!(entries.len(), events_json(&out).len().min(50), "one entry per event");
    let mut ids = HashSet::new();
    for entry in entries {
        let title = text_of(entry, "title");
        assert!(!title.is_empty());
        assert!(ids.insert(text_of(entry, "id")), "entry ids are unique");
        assert!(is_rfc3339(&text_of(entry, "updated")), "<updated> of `{title}`");
        let href = child(entry, "link")
            .and_then(|link| link.attribute("href"))
            .unwrap_or_else(|| panic!("entry `{title}` has a <link href>"));
        let page = href
            .strip_prefix(&base)
            .unwrap_or_else(|| panic!("entry link {href} is under the base URL {base}"));
        assert!(out.join(page).is_file(), "entry link {href} is a page of the site");
    }
}

/// The first Atom child element of `node` named `name`.
fn child<'a, 'input>(node: roxmltree::Node<'a, 'input>, name: &str) -> Option<roxmltree::Node<'a, 'input>> {
    node.children()
        .find(|n| n.is_element() && n.tag_name().name() == name && n.tag_name().namespace() == Some(ATOM))
}

/// `2013-12-09T00:00:00Z` or with an offset (`+01:00`).
fn is_rfc3339(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| range.clone().all(|i| bytes.get(i).is_some_and(u8::is_ascii_digit));
    let zone = &text[text.len().min(19)..];
    text.len() >= 20
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && bytes[7] == b'-'
        && digits(8..10)
        && bytes[10] == b'T'
        && digits(11..13)
        && bytes[13] == b':'
        && digits(14..16)
        && bytes[16] == b':'
        && digits(17..19)
        && (zone == "Z" || (zone.len() == 6 && (zone.starts_with('+') || zone.starts_with('-'))))
}

#[test]
fn sitemap_lists_the_canonical_url_of_every_page() {
    let (site, out, _) = build_example();
    let index = html(&out.join("index.html"));
    let canonical = index
        .select(&selector("link[rel=canonical]"))
        .next()
        .and_then(|link| link.value().attr("href"))
        .expect("index.html has a canonical link")
        .to_string();
    let text = read(&out.join("sitemap.xml"));
    let doc = roxmltree::Document::parse(&text).expect("sitemap.xml is well-formed XML");
    assert_eq!(doc.root_element().tag_name().name(), "urlset");
    assert_eq!(doc.root_element().tag_name().namespace(), Some(SITEMAP));
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .filter_map(|n| n.text())
        .collect();
    assert!(
        locs.contains(&canonical.as_str()),
        "sitemap.xml lists {canonical}: {locs:?}"
    );
    let base = base_url(&site);
    for loc in &locs {
        let page = loc
            .strip_prefix(&base)
            .unwrap_or_else(|| panic!("{loc} is under {base}"));
        let file = if page.is_empty() || page.ends_with('/') {
            format!("{page}index.html")
        } else {
            page.to_string()
        };
        assert!(out.join(&file).is_file(), "sitemap entry {loc} is a page of the site");
    }
    for event in events_json(&out) {
        let url = format!("{base}events/{}/", slug(&event));
        assert!(locs.contains(&url.as_str()), "sitemap.xml lists {url}");
    }
}

#[test]
fn robots_txt_points_crawlers_to_the_sitemap() {
    let (site, out, _) = build_example();
    let robots = read(&out.join("robots.txt"));
    assert!(robots.contains("User-agent:"), "{robots}");
    assert!(
        robots.contains(&format!("Sitemap: {}sitemap.xml", base_url(&site))),
        "{robots}"
    );
}

#[test]
fn events_json_has_every_event_with_title_date_and_sources() {
    let (_site, out, _) = build_example();
    let events = events_json(&out);
    let pages: HashSet<String> = html_pages(&out)
        .into_iter()
        .filter_map(|page| {
            page.strip_prefix("events/")
                .and_then(|rest| rest.strip_suffix("/index.html"))
                .map(str::to_string)
        })
        .collect();
    let slugs: HashSet<String> = events.iter().map(|event| slug(event).to_string()).collect();
    assert_eq!(slugs.len(), events.len(), "slugs are unique");
    assert_eq!(slugs, pages, "events.json has one entry per event page");
    for event in &events {
        let name = slug(event);
        assert!(
            event["title"].as_str().is_some_and(|t| !t.is_empty()),
            "`{name}` has a title"
        );
        assert!(
            event["date"]["label"].as_str().is_some_and(|t| !t.is_empty()),
            "`{name}` has a date"
        );
        let sources = event["sources"]
            .as_array()
            .unwrap_or_else(|| panic!("`{name}` has sources"));
        assert!(!sources.is_empty(), "`{name}` cites a source");
        for source in sources {
            assert!(
                source["title"].as_str().is_some_and(|t| !t.is_empty()),
                "a source of `{name}` has a title"
            );
        }
    }
    let fair = events.iter().find(|e| slug(e) == "fair-founded").expect("fair-founded");
    assert_eq!(fair["date"]["datetime"], "2013-12-09");
    assert_eq!(fair["title"], "LeCun to lead Facebook AI Research");
}

#[test]
fn two_builds_into_different_folders_are_byte_identical() {
    let site = Site::example();
    let second = site.base().join("second");
    site.build().success();
    site.build_into(&second, &[]).success();
    let first = tree(&site.out());
    assert!(first.contains_key("index.html"));
    assert_same_tree(&first, &tree(&second), "the second build's output");
}

#[test]
fn a_rebuild_into_the_same_folder_writes_nothing_and_keeps_mtimes() {
    let (site, out, first) = build_example();
    assert!(
        !first.stdout.contains("(0 written"),
        "the first build writes: {}",
        first.stdout
    );
    let mut stamps = file_stamps(&out);
    let before = tree(&out);
    let again = site.build().success();
    assert!(again.stdout.contains("(0 written,"), "{again}");
    assert!(again.stdout.contains(", 0 removed)"), "{again}");
    assert_same_tree(&before, &tree(&out), "the output");
    // The manifest has its own test below.
    let mut after = file_stamps(&out);
    stamps.remove(MANIFEST);
    after.remove(MANIFEST);
    assert_eq!(after, stamps, "no page or asset was replaced");
}

#[test]
fn a_rebuild_does_not_rewrite_an_unchanged_manifest() {
    let (site, out, _) = build_example();
    let before = file_stamps(&out)[MANIFEST];
    site.build().success();
    assert_eq!(
        file_stamps(&out)[MANIFEST],
        before,
        "{MANIFEST} was replaced although its bytes did not change (an rsync deploy uploads it every time)"
    );
}

/// Each file's modification time and (on Unix) inode: an atomic rewrite
/// changes the inode even when it lands within the same clock tick.
fn file_stamps(out: &Path) -> BTreeMap<String, (std::time::SystemTime, u64)> {
    support::files(&tree(out))
        .into_keys()
        .map(|path| {
            let meta = std::fs::metadata(out.join(path)).expect("stat an output file");
            #[cfg(unix)]
            let inode = std::os::unix::fs::MetadataExt::ino(&meta);
            #[cfg(not(unix))]
            let inode = 0;
            (path.to_string(), (meta.modified().expect("mtime"), inode))
        })
        .collect()
}

#[test]
fn build_prints_a_summary_line_with_event_and_page_counts() {
    let (_site, out, run) = build_example();
    let summary = run.summary();
    let line = run.stdout.lines().find(|line| line.starts_with("Built ")).unwrap();
    let words: Vec<&str> = line.split(' ').collect();
    assert_eq!((words[2], words[4], words[5]), ("events,", "pages", "in"), "{line}");
    assert_eq!(summary.events, events_json(&out).len(), "{line}");
    assert_eq!(summary.pages, html_pages(&out).len(), "{line}");
    let rest = line
        .split_once(" ms → ")
        .unwrap_or_else(|| panic!("`… in N ms → …` in {line}"))
        .1;
    assert!(words[6].parse::<u64>().is_ok(), "the time is a number of ms: {line}");
    assert!(rest.starts_with("out/"), "names the output folder: {line}");
}

/// The page with the version stamp replaced, so a version bump alone does
/// not change a snapshot.
fn snapshot_text(out: &Path, page: &str) -> String {
    read(&out.join(page)).replace(concat!("annals ", env!("CARGO_PKG_VERSION")), "annals [version]")
}

#[test]
fn index_page_matches_its_snapshot() {
    let (_site, out, _) = build_example();
    insta::assert_snapshot!("example_index_html", snapshot_text(&out, "index.html"));
}

#[test]
fn event_page_matches_its_snapshot() {
    let (_site, out, _) = build_example();
    insta::assert_snapshot!(
        "example_event_fair_founded_html",
        snapshot_text(&out, "events/fair-founded/index.html")
    );
}

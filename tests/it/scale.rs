//! Correctness at size, not speed: the benchmarks' generated site (2,000
//! events, seed 42) built by the real binary is complete (a page per event,
//! tag and track, and the page count it reports), its split timeline walks
//! through every event once in date order, and so does an era of every
//! year, which is split into parts too; every link of every page resolves,
//! and each event page leads to its chronological neighbours.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::support::output::{
    broken_links, date_key, date_key_of, events_json, html_pages, parse_pages, resolve, slug, DateKey, PageLinks,
    Target,
};
use crate::support::{assert_same_tree, corpus, selector, tree, Run, Site};

const EVENTS: usize = 2000;
const SEED: u64 = 42;
/// Above this many events annals splits the timeline into parts, each of
/// at least [`PART_MIN`] events (`src/render/timeline.rs`, private there).
const SPLIT_AT: usize = 1000;
/// See [`SPLIT_AT`].
const PART_MIN: usize = 100;
const _: () = assert!(EVENTS > SPLIT_AT, "this test is about a split timeline");
/// The generated `site.yaml` says `https://example.org/`, which is also where
/// every event's sources point; moved to another host, the sources stay
/// off-site and the canonical links are still checked as links into the site.
const BASE_URL: &str = "https://timeline.test/";

/// What the test takes from each page, in the one time it parses it.
struct Facts {
    links: PageLinks,
    /// The events the page lists (`li.event-entry`): slug and date.
    entries: Vec<(String, DateKey)>,
    /// On the index of a split timeline: the link to each part and its count.
    parts: Vec<(String, usize)>,
    /// On a part of the timeline: the link to the next part.
    next_part: Option<String>,
}

impl Facts {
    fn of(page: &scraper::Html) -> Facts {
        let entries = page
            .select(&selector("li.event-entry"))
            .map(|entry| {
                let attr = entry.value();
                let id = attr.attr("id").expect("an event entry has an id").to_string();
                let year = attr
                    .attr("data-year")
                    .and_then(|year| year.parse().ok())
                    .unwrap_or_else(|| panic!("`{id}` has a numeric data-year"));
                let datetime = entry
                    .select(&selector(".event-date time[datetime]"))
                    .next()
                    .and_then(|time| time.value().attr("datetime"));
                let key = date_key_of(year, datetime);
                (id, key)
            })
            .collect();
        let parts = page
            .select(&selector(".part-list li[data-part-count]"))
            .map(|item| {
                let count = item.value().attr("data-part-count").and_then(|n| n.parse().ok());
                let href = item
                    .select(&selector("a[href]"))
                    .next()
                    .and_then(|a| a.value().attr("href"));
                match (href, count) {
                    (Some(href), Some(count)) => (href.to_string(), count),
                    _ => panic!("a part of the index has a link and a count: {}", item.html()),
                }
            })
            .collect();
        let next_part = page
            .select(&selector(".part-pager .pager-next a[href]"))
            .next()
            .and_then(|a| a.value().attr("href"))
            .map(str::to_string);
        Facts {
            links: PageLinks::of(page),
            entries,
            parts,
            next_part,
        }
    }
}

/// The generated events, from the content folder: each slug (its file
/// name), its track and its tags.
struct Content {
    tracks: BTreeMap<String, BTreeSet<String>>,
    tags: BTreeMap<String, BTreeSet<String>>,
    slugs: BTreeSet<String>,
}

impl Content {
    fn read(root: &Path) -> Content {
        let mut content = Content {
            tracks: BTreeMap::new(),
            tags: BTreeMap::new(),
            slugs: BTreeSet::new(),
        };
        for entry in fs::read_dir(root.join("content/events")).expect("read content/events") {
            let path = entry.expect("list content/events").path();
            let slug = path.file_stem().expect("a file name").to_string_lossy().into_owned();
            let text = fs::read_to_string(&path).expect("read a generated event");
            let front = text.split("---\n").nth(1).expect("front matter between `---` lines");
            let front: serde_yaml::Value = serde_yaml::from_str(front).expect("front matter is YAML");
            let track = front["track"].as_str().expect("every generated event has a track");
            content
                .tracks
                .entry(track.to_string())
                .or_default()
                .insert(slug.clone());
            for tag in front["tags"].as_sequence().expect("every generated event has tags") {
                let tag = tag.as_str().expect("a tag is text");
                content.tags.entry(tag.to_string()).or_default().insert(slug.clone());
            }
            content.slugs.insert(slug);
        }
        content
    }
}

#[test]
fn a_generated_2000_event_site_is_complete_in_date_order_and_every_link_resolves() {
    let site = Site::empty();
    corpus::generate(&site.root, EVENTS, SEED);
    site.replace(
        "site.yaml",
        "base_url: https://example.org/",
        &format!("base_url: {BASE_URL}"),
    );
    // An era of more than SPLIT_AT events is split as the timeline is.
    site.replace(
        "site.yaml",
        "eras:\n",
        "eras:\n  - title: Every year\n    start: 10000 BCE\n    end: ..\n",
    );
    let content = Content::read(&site.root);
    assert_eq!(content.slugs.len(), EVENTS, "the generator wrote {EVENTS} events");

    let run = site.build().success();
    let out = site.out();
    let pages = html_pages(&out);
    let facts = parse_pages(&out, &pages, Facts::of);

    let order = complete(&content, &run, &pages, &facts);
    in_date_order(&out, &content, &order, "the timeline");
    let every_year = parts_in_order(&facts, "eras/every-year/index.html");
    in_date_order(&out, &content, &every_year, "the era of every year");
    let links: BTreeMap<String, PageLinks> = facts.into_iter().map(|(page, facts)| (page, facts.links)).collect();
    let problems = broken_links(&out, BASE_URL, &links);
    assert!(
        problems.is_empty(),
        "{} broken links, the first ones:\n{}",
        problems.len(),
        problems[..problems.len().min(40)].join("\n")
    );
    neighbours(&links, &order);

    // The same content builds the same bytes, the manifest included, and a
    // second build into the same folder has nothing to write.
    let second = site.base().join("second");
    site.build_into(&second, &[]).success();
    assert_same_tree(&tree(&out), &tree(&second), "a second build into another folder");
    let again = site.build().success();
    assert!(again.stdout.contains("(0 written,"), "{again}");
}

/// An event where a split list (the timeline, an era) shows it.
struct Shown {
    slug: String,
    /// The part of the list it is on.
    part: String,
    /// Its date, as the part gives it.
    date: DateKey,
}

/// The events in the order a split list shows them.
type Order = Vec<Shown>;

/// A page per event, tag and track, as many pages as the summary says;
/// returns the events in the order the split timeline shows them.
fn complete(content: &Content, run: &Run, pages: &[String], facts: &BTreeMap<String, Facts>) -> Order {
    let summary = run.summary();
    let (events, counted) = (summary.events, summary.pages);
    assert_eq!(events, EVENTS, "events in the summary line");
    assert_eq!(
        counted,
        pages.len(),
        "the summary's page count is the number of .html files written"
    );

    let event_pages: BTreeSet<String> = pages
        .iter()
        .filter_map(|page| page.strip_prefix("events/"))
        .map(|rest| {
            rest.strip_suffix("/index.html")
                .filter(|slug| !slug.contains('/'))
                .unwrap_or_else(|| panic!("events/{rest} is not an event page"))
                .to_string()
        })
        .collect();
    assert_eq!(
        event_pages, content.slugs,
        "exactly one events/<slug>/index.html per event"
    );

    for (folder, kind, groups) in [("tags", "tag", &content.tags), ("tracks", "track", &content.tracks)] {
        for (name, members) in groups {
            let page = format!("{folder}/{name}/index.html");
            let listed = &facts.get(&page).unwrap_or_else(|| panic!("no {page}")).entries;
            let listed_slugs: BTreeSet<String> = listed.iter().map(|(slug, _)| slug.clone()).collect();
            assert_eq!(listed.len(), members.len(), "{page} lists each of its events once");
            assert_eq!(&listed_slugs, members, "{page} lists the events with that {kind}");
            assert!(
                listed.is_sorted_by(|a, b| a.1 <= b.1),
                "{page} lists its events in date order"
            );
        }
    }
    parts_in_order(facts, "index.html")
}

/// Walks the parts of a split list (the timeline, an era) from the first
/// one its first page lists, following each part's "next" link, and returns
/// the events in that order.
fn parts_in_order(facts: &BTreeMap<String, Facts>, first_page: &str) -> Order {
    let index = facts.get(first_page).unwrap_or_else(|| panic!("no {first_page}"));
    assert!(
        index.entries.is_empty(),
        "{first_page} lists the parts of a split list, not events"
    );
    let listed: Vec<(String, usize)> = index
        .parts
        .iter()
        .map(|(href, count)| (local_page(first_page, href), *count))
        .collect();
    assert!(listed.len() > 1, "{first_page} lists the parts");
    assert_eq!(
        listed.iter().map(|(_, count)| count).sum::<usize>(),
        EVENTS,
        "the counts of the parts {first_page} lists"
    );

    let mut order = Order::new();
    let mut walked = Vec::new();
    let mut at = Some(listed[0].0.clone());
    while let Some(part) = at {
        assert!(
            walked.len() < listed.len(),
            "the parts' next links go round: {walked:?}"
        );
        let page = facts.get(&part).unwrap_or_else(|| panic!("no part {part}"));
        order.extend(page.entries.iter().map(|(slug, date)| Shown {
            slug: slug.clone(),
            part: part.clone(),
            date: date.clone(),
        }));
        at = page.next_part.as_deref().map(|href| local_page(&part, href));
        walked.push((part, page.entries.len()));
    }
    assert_eq!(
        walked, listed,
        "following the next links visits the parts the index lists, in order"
    );
    for (part, count) in &walked {
        assert!(*count >= PART_MIN, "{part} has {count} events, fewer than {PART_MIN}");
    }
    order
}

/// The list (`what`: the timeline, an era) shows every event once, oldest
/// first, with the date `events.json` gives it, and parts share no decade;
/// `events.json` lists the events oldest first, in the same order.
fn in_date_order(out: &Path, content: &Content, order: &Order, what: &str) {
    let json = events_json(out);
    assert_eq!(json.len(), EVENTS, "events.json has every event");
    let listed: Vec<(&str, DateKey)> = json.iter().map(|event| (slug(event), date_key(event))).collect();
    if let Some(pair) = listed.windows(2).find(|pair| pair[0].1 > pair[1].1) {
        let ((before, its), (after, older)) = (&pair[0], &pair[1]);
        panic!("events.json lists `{before}` {its:?} before the older `{after}` {older:?}");
    }
    if let Some(pair) = order.windows(2).find(|pair| pair[0].date > pair[1].date) {
        let (before, after) = (&pair[0], &pair[1]);
        panic!(
            "{what} shows `{}` {:?} ({}) before the older `{}` {:?} ({})",
            before.slug, before.date, before.part, after.slug, after.date, after.part
        );
    }

    let mut times: BTreeMap<&str, usize> = BTreeMap::new();
    for shown in order {
        *times.entry(&shown.slug).or_default() += 1;
    }
    let twice: Vec<_> = times.iter().filter(|(_, n)| **n > 1).collect();
    let missing: Vec<_> = content
        .slugs
        .iter()
        .filter(|slug| !times.contains_key(slug.as_str()))
        .collect();
    assert!(twice.is_empty(), "{what} shows events more than once: {twice:?}");
    assert!(
        missing.is_empty(),
        "{what} leaves out {} events: {missing:?}",
        missing.len()
    );
    assert_eq!(order.len(), EVENTS, "{what} shows {EVENTS} events");

    for (at, (shown, (slug, date))) in order.iter().zip(&listed).enumerate() {
        assert_eq!(
            (shown.slug.as_str(), &shown.date),
            (*slug, date),
            "event {at} of {what} ({}) and of events.json",
            shown.part
        );
    }
    let mut decades: BTreeMap<i64, &str> = BTreeMap::new();
    for shown in order {
        let decade = shown.date.0.div_euclid(10) * 10;
        let first_on = decades.entry(decade).or_insert(&shown.part);
        assert_eq!(
            *first_on,
            shown.part,
            "the events of {decade}–{} are split between two parts",
            decade + 9
        );
    }
}

/// Each event page links to the events before and after it on the
/// timeline (none before the first, none after the last) and to its own
/// place on its part of the timeline.
fn neighbours(links: &BTreeMap<String, PageLinks>, order: &Order) {
    let page_of = |slug: &str| format!("events/{slug}/index.html");
    for (at, Shown { slug, part, .. }) in order.iter().enumerate() {
        let path = page_of(slug);
        let page = &links[&path];
        for (rel, neighbour) in [
            ("prev", at.checked_sub(1).map(|i| &order[i].slug)),
            ("next", order.get(at + 1).map(|shown| &shown.slug)),
        ] {
            let target = page.rel(rel).map(|href| local_page(&path, href));
            assert_eq!(target, neighbour.map(|n| page_of(n)), "{path}: rel={rel}");
        }
        let own_place = Target::Local(part.clone(), Some(slug.clone()));
        assert!(
            page.links
                .iter()
                .any(|link| resolve(&path, &link.url, BASE_URL) == own_place),
            "{path} links to {part}#{slug}"
        );
    }
}

/// The output file a relative link on `page` points to (no fragment).
#[track_caller]
fn local_page(page: &str, href: &str) -> String {
    match resolve(page, href, BASE_URL) {
        Target::Local(path, None) => path,
        other => panic!("{page}: `{href}` should be a link to another page, is {other:?}"),
    }
}

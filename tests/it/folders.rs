//! Every folder above a page has a page of its own, in every language, so
//! a reader who trims an address (`/events/fair-founded/` to `/events/`)
//! finds one: `events/` lists every event, `timeline/` the timeline's
//! headings, `tracks/` and `eras/` every track and era with its count.

use crate::support::output::{events_json, folders_without_index, html_pages, slug};
use crate::support::{html, read, selector, Site};

/// The text of `<main>` of a page, for a snapshot.
fn main_of(page: &str) -> String {
    let start = page.find("<main").expect("a <main>");
    let end = page.find("</main>").expect("a </main>") + "</main>".len();
    page[start..end].to_string()
}

#[test]
fn every_folder_above_a_page_of_the_example_has_a_page_in_every_language() {
    let site = Site::example();
    site.build().success();
    let pages = html_pages(&site.out());
    for folder in [
        "events",
        "timeline",
        "tracks",
        "eras",
        "tags",
        "zh/events",
        "zh/timeline",
        "zh/eras",
    ] {
        assert!(pages.contains(&format!("{folder}/index.html")), "{folder}/index.html");
    }
    assert_eq!(folders_without_index(&pages), Vec::<String>::new());
}

#[test]
fn the_events_page_lists_every_event_once_in_timeline_order_with_a_link_to_its_page() {
    let site = Site::example();
    site.build().success();
    let out = site.out();
    let page = html(&out.join("events/index.html"));
    let linked: Vec<String> = page
        .select(&selector(".event-index a[href]"))
        .map(|a| a.value().attr("href").expect("an href").to_string())
        .collect();
    let expected: Vec<String> = events_json(&out)
        .iter()
        .map(|event| format!("../events/{}/index.html", slug(event)))
        .collect();
    assert_eq!(linked, expected);
    let count = page.select(&selector(".list-count")).next().expect("a count");
    assert_eq!(count.text().collect::<String>(), format!("{} events", expected.len()));
}

#[test]
fn the_tracks_and_eras_pages_list_each_with_its_count() {
    let site = Site::example();
    site.build().success();
    let out = site.out();
    for (page, item, expected) in [
        ("tracks/index.html", ".track-link", "Career"),
        ("eras/index.html", ".era-link", "Bell Labs"),
        ("zh/eras/index.html", ".era-link", "贝尔实验室"),
    ] {
        let page_html = html(&out.join(page));
        let items: Vec<String> = page_html
            .select(&selector(item))
            .map(|link| link.text().collect::<String>())
            .collect();
        assert!(
            items
                .iter()
                .any(|text| text.contains(expected) && text.chars().any(|c| c.is_ascii_digit())),
            "{page} lists {expected} with its count: {items:?}"
        );
    }
}

#[test]
fn the_folder_pages_match_their_snapshots() {
    let site = Site::example();
    site.build().success();
    let out = site.out();
    insta::assert_snapshot!("events_index_main", main_of(&read(&out.join("events/index.html"))));
    insta::assert_snapshot!("timeline_index_main", main_of(&read(&out.join("timeline/index.html"))));
    insta::assert_snapshot!(
        "zh_tracks_index_main",
        main_of(&read(&out.join("zh/tracks/index.html")))
    );
}

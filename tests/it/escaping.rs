//! The hostile title `"><script>alert(1)</script>` in every format annals
//! writes, snapshotted as written: the `<title>` element, attributes,
//! headings, JSON-LD, `events.json`, `timeline.json`, the Atom feed and the
//! sitemap. A snapshot shows how the title is escaped in each context; each
//! test also proves the property itself — no markup breaks out, and the
//! format's own parser reads back exactly the title the author wrote.
//!
//! The site is `tests/fixtures/hostile`: the event `attack` carries the
//! title (and script links in its body, media and sources); a second event,
//! listed in a YAML file, carries it too and takes its slug from it.

use std::path::{Path, PathBuf};

use crate::support::{html, read, selector, Site};

/// The title of both hostile events and, after `Hostile `, of the site.
const TITLE: &str = "\"><script>alert(1)</script>";
/// Where the fixture says the site lives.
const BASE_URL: &str = "https://example.org/h/";

/// The hostile fixture, built; the site is returned to keep its temp dir.
fn build_hostile() -> (Site, PathBuf) {
    let site = Site::fixture("hostile");
    site.build().success();
    let out = site.out();
    (site, out)
}

/// The lines of `text` that contain any of `needles`, in order.
#[track_caller]
fn lines_with(text: &str, needles: &[&str]) -> String {
    let found: Vec<&str> = text
        .lines()
        .filter(|line| needles.iter().any(|needle| line.contains(needle)))
        .collect();
    assert!(!found.is_empty(), "no line with any of {needles:?} in:\n{text}");
    found.join("\n")
}

/// The item of the top-level `"events"` array whose `key` is `value`,
/// exactly as written (compact JSON, escapes included), one field a line.
#[track_caller]
fn json_event(text: &str, key: &str, value: &str) -> String {
    let start = text.find("\"events\":[").expect("an events array") + "\"events\":[".len();
    let bytes = text.as_bytes();
    let (mut depth, mut in_string, mut escaped, mut item_start) = (0usize, false, false, start);
    for (i, &byte) in bytes.iter().enumerate().skip(start) {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                if depth == 0 {
                    item_start = i;
                }
                depth += 1;
            }
            b'}' | b']' if depth == 0 => break,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    let item = &text[item_start..=i];
                    let parsed: serde_json::Value = serde_json::from_str(item).expect("each item is JSON");
                    if parsed[key] == value {
                        // One top-level field a line, so a snapshot diff points at the field.
                        return item.replace(",\"", ",\n\"");
                    }
                }
            }
            _ => {}
        }
    }
    panic!("no event with {key} = {value} in:\n{text}");
}

/// The blocks of `text` from a line containing `start` to the next line
/// containing `end`, kept when they contain `wanted`.
#[track_caller]
fn blocks(text: &str, start: &str, end: &str, wanted: &str) -> String {
    let mut found = Vec::new();
    let mut current: Option<Vec<&str>> = None;
    for line in text.lines() {
        if line.contains(start) {
            current = Some(Vec::new());
        }
        if let Some(block) = current.as_mut() {
            block.push(line);
            if line.contains(end) {
                let block = current.take().unwrap_or_default().join("\n");
                if block.contains(wanted) {
                    found.push(block);
                }
            }
        }
    }
    assert!(!found.is_empty(), "no {start}…{end} with {wanted} in:\n{text}");
    found.join("\n")
}

/// Asserts an HTML fragment holds no markup the title could have opened.
#[track_caller]
fn assert_no_markup_escapes(fragment: &str) {
    assert!(!fragment.contains("<script>alert"), "a live script tag:\n{fragment}");
    assert!(
        !fragment.contains("\"><script"),
        "a quote closes an attribute:\n{fragment}"
    );
    assert!(!fragment.contains("<img src=x"), "an injected image:\n{fragment}");
}

/// Asserts a JSON text can hold no markup at all: `<`, `>` and `&` are
/// written as `\u003c`, `\u003e`, `\u0026`, so it is safe inside `<script>`.
#[track_caller]
fn assert_markup_free_json(json: &str) {
    for raw in ['<', '>', '&'] {
        assert!(!json.contains(raw), "a raw `{raw}` in JSON:\n{json}");
    }
}

#[test]
fn the_title_element_escapes_the_title() {
    let (_site, out) = build_hostile();
    let page = out.join("events/attack/index.html");
    let fragment = lines_with(&read(&page), &["<title>"]);
    assert_no_markup_escapes(&fragment);
    let shown: String = html(&page).select(&selector("title")).flat_map(|t| t.text()).collect();
    assert_eq!(shown, format!("{TITLE} · Hostile {TITLE}"));
    insta::assert_snapshot!("escaping_title_element", fragment);
}

#[test]
fn attributes_escape_the_title() {
    let (_site, out) = build_hostile();
    let page = out.join("events/attack/index.html");
    let index = out.join("index.html");
    // The overview mark's start tag only: where the mark sits is layout.
    let mark = lines_with(&read(&index), &["class=\"overview-mark\" href=\"#attack\""]);
    let mark_tag = mark.split_inclusive('>').next().unwrap_or_default();
    let fragment = [
        lines_with(&read(&page), &["og:title", "og:site_name", "rel=\"alternate\""]),
        mark_tag.to_string(),
    ]
    .join("\n");
    assert_no_markup_escapes(&fragment);
    let document = html(&page);
    let attribute = |css: &str, name: &str| {
        let element = document
            .select(&selector(css))
            .next()
            .unwrap_or_else(|| panic!("no {css}"));
        element.value().attr(name).unwrap_or_default().to_string()
    };
    assert_eq!(attribute("meta[property=\"og:title\"]", "content"), TITLE);
    assert_eq!(
        attribute("meta[property=\"og:site_name\"]", "content"),
        format!("Hostile {TITLE}")
    );
    assert_eq!(
        attribute("link[rel=\"alternate\"]", "title"),
        format!("Hostile {TITLE}")
    );
    let label = html(&index)
        .select(&selector("a.overview-mark[href=\"#attack\"]"))
        .next()
        .and_then(|a| a.value().attr("aria-label").map(str::to_string))
        .expect("the overview mark has a label");
    assert_eq!(label, format!("{TITLE}, 2 January 2020"));
    insta::assert_snapshot!("escaping_attributes", fragment);
}

#[test]
fn headings_escape_the_title() {
    let (_site, out) = build_hostile();
    let page = out.join("events/attack/index.html");
    let index = out.join("index.html");
    let fragment = [
        lines_with(&read(&page), &["<h1"]),
        lines_with(&read(&index), &["<h1", "id=\"attack-title\""]),
    ]
    .join("\n");
    assert_no_markup_escapes(&fragment);
    let text = |path: &Path, css: &str| -> String {
        html(path)
            .select(&selector(css))
            .next()
            .unwrap_or_else(|| panic!("no {css}"))
            .text()
            .collect()
    };
    assert_eq!(text(&page, "h1#event-title"), TITLE);
    assert_eq!(text(&index, "h1"), format!("Hostile {TITLE}"));
    assert_eq!(text(&index, "#attack-title"), TITLE);
    // The only scripts are the theme's own file and JSON-LD, which is data.
    for path in [&page, &index] {
        for script in html(path).select(&selector("script")) {
            let script = script.value();
            let data = script.attr("type") == Some("application/ld+json");
            assert!(
                data || script.attr("src").is_some(),
                "an inline script in {}",
                path.display()
            );
        }
    }
    insta::assert_snapshot!("escaping_headings", fragment);
}

#[test]
fn json_ld_escapes_the_title() {
    let (_site, out) = build_hostile();
    let page = out.join("events/attack/index.html");
    let fragment = lines_with(&read(&page), &["application/ld+json"]);
    let json: String = html(&page)
        .select(&selector("script[type=\"application/ld+json\"]"))
        .flat_map(|script| script.text())
        .collect();
    assert!(fragment.contains(&json), "the script holds the whole JSON-LD");
    assert_markup_free_json(&json);
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON-LD is valid JSON");
    assert_eq!(value["name"], TITLE);
    insta::assert_snapshot!("escaping_json_ld", fragment);
}

#[test]
fn events_json_escapes_the_title() {
    let (_site, out) = build_hostile();
    let text = read(&out.join("events.json"));
    assert_markup_free_json(&text);
    let value: serde_json::Value = serde_json::from_str(&text).expect("events.json is valid JSON");
    let event = value["events"]
        .as_array()
        .expect("an events array")
        .iter()
        .find(|event| event["slug"] == "attack")
        .expect("the attack event");
    assert_eq!(event["title"], TITLE);
    assert_eq!(event["media"][0]["src"], "#", "a script address is neutralised");
    let fragment = json_event(&text, "slug", "attack");
    insta::assert_snapshot!("escaping_events_json", fragment);
}

#[test]
fn timeline_json_escapes_the_title() {
    let (_site, out) = build_hostile();
    let text = read(&out.join("timeline.json"));
    assert_markup_free_json(&text);
    let value: serde_json::Value = serde_json::from_str(&text).expect("timeline.json is valid JSON");
    let slide = value["events"]
        .as_array()
        .expect("an events array")
        .iter()
        .find(|slide| slide["unique_id"] == "attack")
        .expect("the attack slide");
    assert_eq!(slide["text"]["headline"], TITLE);
    assert_eq!(value["title"]["text"]["headline"], format!("Hostile {TITLE}"));
    let fragment = json_event(&text, "unique_id", "attack");
    insta::assert_snapshot!("escaping_timeline_json", fragment);
}

#[test]
fn the_atom_feed_escapes_the_title() {
    let (_site, out) = build_hostile();
    let feed = read(&out.join("feed.xml"));
    let fragment = blocks(&feed, "<entry>", "</entry>", "events/attack/");
    assert_no_markup_escapes(&fragment);
    let document = roxmltree::Document::parse(&feed).expect("the feed is well-formed XML");
    let entry = document
        .descendants()
        .filter(|node| node.has_tag_name("entry"))
        .find(|entry| {
            entry.children().any(|child| {
                child.has_tag_name("id") && child.text() == Some(&format!("{BASE_URL}events/attack/index.html"))
            })
        })
        .expect("the attack entry");
    let title = entry.children().find(|child| child.has_tag_name("title"));
    assert_eq!(title.and_then(|title| title.text()), Some(TITLE));
    insta::assert_snapshot!("escaping_atom_entry", fragment);
}

#[test]
fn the_sitemap_holds_only_safe_addresses_for_the_title() {
    let (_site, out) = build_hostile();
    let sitemap = read(&out.join("sitemap.xml"));
    // The sitemap holds addresses, not titles: the title reaches it only
    // through the slug of the listed event, which is made from it.
    let fragment = lines_with(&sitemap, &["/events/attack/", "/events/script-alert-1-script/"]);
    assert_no_markup_escapes(&fragment);
    let document = roxmltree::Document::parse(&sitemap).expect("the sitemap is well-formed XML");
    let addresses: Vec<&str> = document
        .descendants()
        .filter(|node| node.has_tag_name("loc"))
        .filter_map(|node| node.text())
        .collect();
    assert!(addresses.contains(&"https://example.org/h/events/script-alert-1-script/"));
    for address in addresses {
        let path = address.strip_prefix(BASE_URL).expect("every address is on the site");
        assert!(
            path.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'/'),
            "{address}"
        );
    }
    insta::assert_snapshot!("escaping_sitemap_url", fragment);
}

//! The Hugo twin of a generated annals site, so the build bench can compare
//! the two on the same events.
//!
//! Each annals event becomes a Hugo content page with the same title, date,
//! tags and Markdown body; the templates in `support/hugo/` build what annals
//! builds at its core (an index grouped by year, a page per event, a page
//! per tag and a tag index, a feed, a sitemap). Hugo has no year-only,
//! month-only, circa or BCE dates: those become the first day of their year
//! or month, and BCE events land in year 1.

use std::fs;
use std::path::Path;

/// The site configuration and templates, as (path in the site, contents).
const SITE_FILES: [(&str, &str); 7] = [
    ("hugo.toml", include_str!("hugo/hugo.toml")),
    ("layouts/index.html", include_str!("hugo/layouts/index.html")),
    (
        "layouts/_default/baseof.html",
        include_str!("hugo/layouts/_default/baseof.html"),
    ),
    (
        "layouts/_default/single.html",
        include_str!("hugo/layouts/_default/single.html"),
    ),
    (
        "layouts/_default/term.html",
        include_str!("hugo/layouts/_default/term.html"),
    ),
    (
        "layouts/_default/terms.html",
        include_str!("hugo/layouts/_default/terms.html"),
    ),
    (
        "layouts/partials/event_item.html",
        include_str!("hugo/layouts/partials/event_item.html"),
    ),
];

/// Writes into `hugo_root` the Hugo site for the annals site at `annals_root`
/// (as written by `corpus::generate`).
pub fn generate(annals_root: &Path, hugo_root: &Path) {
    for (path, contents) in SITE_FILES {
        let target = hugo_root.join(path);
        fs::create_dir_all(target.parent().expect("a file inside the site")).expect("create Hugo folder");
        fs::write(target, contents).expect("write Hugo site file");
    }
    let events = hugo_root.join("content/events");
    fs::create_dir_all(&events).expect("create Hugo content/events");
    for entry in fs::read_dir(annals_root.join("content/events")).expect("read content/events") {
        let entry = entry.expect("read content/events");
        let text = fs::read_to_string(entry.path()).expect("read event");
        let page = hugo_page(&text).unwrap_or_else(|| panic!("{} is not a generated event", entry.path().display()));
        fs::write(events.join(entry.file_name()), page).expect("write Hugo event");
    }
}

/// The Hugo page for one generated annals event: front matter reduced to
/// title, date and tags, and a `<!--more-->` after the first paragraph so
/// Hugo's summary is the same paragraph annals shows on the timeline.
fn hugo_page(event: &str) -> Option<String> {
    let rest = event.strip_prefix("---\n")?;
    let (front, body) = rest.split_once("\n---\n")?;
    let mut page = String::from("---\n");
    for line in front.lines() {
        if let Some(date) = line.strip_prefix("date: ") {
            page.push_str(&format!("date: {}\n", hugo_date(date)?));
        } else if line.starts_with("title: ") || line.starts_with("tags: ") {
            page.push_str(line);
            page.push('\n');
        }
    }
    page.push_str("---\n");
    match body.split_once("\n\n") {
        Some((summary, more)) => {
            page.push_str(summary);
            page.push_str("\n\n<!--more-->\n\n");
            page.push_str(more);
        }
        None => page.push_str(body),
    }
    Some(page)
}

/// A full `YYYY-MM-DD` date for any date the corpus writes.
fn hugo_date(date: &str) -> Option<String> {
    if date.ends_with(" BCE") {
        return Some("0001-01-01".to_string());
    }
    let date = date.strip_prefix("c. ").unwrap_or(date);
    let mut parts = date.split('-');
    let year: u32 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next().map_or(Some(1), |m| m.parse().ok())?;
    let day: u32 = parts.next().map_or(Some(1), |d| d.parse().ok())?;
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

//! What the scale test reads from each page of the generated site (its
//! [`Facts`], parsed once), and the walks through a split list's parts and
//! pages that check each page's count and put the events in the order the
//! list shows them.

use std::collections::BTreeMap;

use super::{BASE_URL, EVENTS, PAGE_MAX, PART_MIN};
use crate::support::output::{date_key_of, resolve, DateKey, PageLinks, Target};
use crate::support::selector;

/// A link to a page, and how many events it says the page shows.
pub(super) type Link = (String, usize);

/// What the test takes from each page, in the one time it parses it.
pub(super) struct Facts {
    pub(super) links: PageLinks,
    /// The events the page lists (`li.event-entry`): slug and date.
    pub(super) entries: Vec<(String, DateKey)>,
    /// On the first page of a split list: the link to each part and its
    /// count, and to each page of it with its count (none when it has one).
    pub(super) parts: Vec<(Link, Vec<Link>)>,
    /// On a part of the timeline: the link to the next part.
    pub(super) next_part: Option<String>,
    /// Whether the page shows where it is among the pages of a part or a
    /// long list (`.part-nav`).
    pub(super) paged: bool,
    /// The overview's marks of single events: slug and link.
    pub(super) marks: Vec<(String, String)>,
}

impl Facts {
    pub(super) fn of(page: &scraper::Html) -> Facts {
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
        let link_and_count = |item: scraper::ElementRef<'_>, attribute: &str| {
            let count = item.value().attr(attribute).and_then(|n| n.parse().ok());
            let href = item
                .select(&selector("a[href]"))
                .next()
                .and_then(|a| a.value().attr("href"));
            match (href, count) {
                (Some(href), Some(count)) => (href.to_string(), count),
                _ => panic!("a part of the index has a link and a count: {}", item.html()),
            }
        };
        let parts = page
            .select(&selector(".part-list > li[data-part-count]"))
            .map(|item| {
                let (href, count) = link_and_count(item, "data-part-count");
                let pages = item
                    .select(&selector(".part-pages > li[data-page-count]"))
                    .map(|page| link_and_count(page, "data-page-count"))
                    .collect();
                ((href, count), pages)
            })
            .collect();
        let next_part = page
            .select(&selector(".part-pager .pager-next a[href]"))
            .next()
            .and_then(|a| a.value().attr("href"))
            .map(str::to_string);
        let marks = page
            .select(&selector("svg.overview a.overview-mark[data-slug]"))
            .map(|mark| {
                let attr = mark.value();
                let slug = attr.attr("data-slug").expect("a mark has a slug").to_string();
                (slug, attr.attr("href").unwrap_or_default().to_string())
            })
            .collect();
        Facts {
            links: PageLinks::of(page),
            entries,
            parts,
            next_part,
            paged: page.select(&selector(".part-nav")).next().is_some(),
            marks,
        }
    }
}

/// An event where a split list (the timeline, an era) shows it.
pub(super) struct Shown {
    pub(super) slug: String,
    /// The part of the list it is on.
    pub(super) part: String,
    /// Its date, as the part gives it.
    pub(super) date: DateKey,
}

/// The events in the order a split list shows them.
pub(super) type Order = Vec<Shown>;

/// Walks the parts of a split list (the timeline, an era) from the first
/// page its first page lists, following each page's "next" link, and
/// returns the events in that order.
pub(super) fn parts_in_order(facts: &BTreeMap<String, Facts>, first_page: &str) -> Order {
    let index = facts.get(first_page).unwrap_or_else(|| panic!("no {first_page}"));
    assert!(
        index.entries.is_empty(),
        "{first_page} lists the parts of a split list, not events"
    );
    assert!(index.parts.len() > 1, "{first_page} lists the parts");
    let mut order = Order::new();
    for (part, _) in pages_in_order(facts, first_page, EVENTS) {
        order.extend(facts[&part].entries.iter().map(|(slug, date)| Shown {
            slug: slug.clone(),
            part: part.clone(),
            date: date.clone(),
        }));
    }
    order
}

/// Walks the pages of a list of `total` events from its first page
/// (which shows the first events, or, split, lists its parts and their
/// pages), following each page's "next" link; returns each page with
/// the number of events it shows. Each page of a list of several has more
/// than half of `PAGE_MAX` events and at most `PAGE_MAX`; a split list's
/// first page lists every page, with its count, in the order the links
/// walk them, and each part's count, at least `PART_MIN`, is the sum of
/// its pages'.
pub(super) fn pages_in_order(facts: &BTreeMap<String, Facts>, first_page: &str, total: usize) -> Vec<(String, usize)> {
    let index = facts.get(first_page).unwrap_or_else(|| panic!("no {first_page}"));
    let listed: Vec<(String, usize)> = index
        .parts
        .iter()
        .flat_map(|((href, count), pages)| {
            assert!(*count >= PART_MIN, "{first_page}: {href} has {count} events");
            if pages.is_empty() {
                return vec![(local_page(first_page, href), *count)];
            }
            assert_eq!(
                pages.iter().map(|(_, n)| n).sum::<usize>(),
                *count,
                "{first_page}: the pages of {href}"
            );
            assert_eq!(&pages[0].0, href, "{first_page}: a part's link leads to its first page");
            pages
                .iter()
                .map(|(href, n)| (local_page(first_page, href), *n))
                .collect()
        })
        .collect();
    let start = match listed.first() {
        Some((page, _)) if index.entries.is_empty() => page.clone(),
        _ => first_page.to_string(),
    };
    let mut walked: Vec<(String, usize)> = Vec::new();
    let mut at = Some(start);
    while let Some(page) = at {
        assert!(walked.len() <= total, "the pages' next links go round: {walked:?}");
        let facts = facts.get(&page).unwrap_or_else(|| panic!("no page {page}"));
        at = facts.next_part.as_deref().map(|href| local_page(&page, href));
        walked.push((page, facts.entries.len()));
    }
    assert_eq!(
        walked.iter().map(|(_, count)| count).sum::<usize>(),
        total,
        "the pages from {first_page} show each of its {total} events"
    );
    if index.entries.is_empty() {
        assert_eq!(
            walked, listed,
            "following the next links visits the pages {first_page} lists, in order"
        );
    }
    if walked.len() > 1 {
        for (page, count) in &walked {
            assert!(
                (PAGE_MAX / 2 + 1..=PAGE_MAX).contains(count),
                "{page} has {count} events, not more than half of {PAGE_MAX} and at most {PAGE_MAX}"
            );
        }
    }
    walked
}

/// The part a page of a split list belongs to: its folder, without the
/// page's number (`timeline/1950s/2/index.html` → `timeline/1950s/`).
pub(super) fn part_of(page: &str) -> &str {
    let folder = page.strip_suffix("index.html").unwrap_or(page);
    let trimmed = folder.trim_end_matches('/');
    match trimmed.rsplit_once('/') {
        Some((part, number)) if number.bytes().all(|b| b.is_ascii_digit()) => &folder[..part.len() + 1],
        _ => folder,
    }
}

/// The output file a relative link on `page` points to (no fragment).
#[track_caller]
pub(super) fn local_page(page: &str, href: &str) -> String {
    match resolve(page, href, BASE_URL) {
        Target::Local(path, None) => path,
        other => panic!("{page}: `{href}` should be a link to another page, is {other:?}"),
    }
}

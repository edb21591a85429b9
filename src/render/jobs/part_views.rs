//! The parts of a split timeline or list as templates see them: every
//! part with its pages, and the page being shown with links to its
//! neighbours and the place of its events in the whole list.

use serde::Serialize;

use crate::memo::Key;
use crate::render::timeline::Part;

/// The key of the views of `pages` (every page of every part): a page's
/// `parts` is keyed by it and the page's place, rather than by views made
/// for each of a list's pages.
pub(super) fn parts_key(pages: &[Part]) -> Key {
    Key::of_json(&part_views(pages, None))
}

/// A part: a decade (or decades) of a split list, or one page of a list
/// split only into pages.
#[derive(Serialize)]
pub(super) struct PartView {
    label: String,
    /// Its first page.
    url: String,
    /// The events of all its pages.
    count: usize,
    /// Whether the page being shown is one of its pages.
    current: bool,
    /// Its pages, when it has more than one; empty otherwise.
    pages: Vec<PageView>,
}

/// One page of a part of several pages.
#[derive(Serialize)]
struct PageView {
    number: usize,
    /// The years of its events.
    label: String,
    url: String,
    count: usize,
    current: bool,
}

#[derive(Serialize)]
struct PartLink {
    label: String,
    url: String,
}

/// The page being shown.
#[derive(Serialize)]
pub(super) struct CurrentPart {
    /// What names the page among the others: its part's label ("1950s"),
    /// with the years of its events when the part has several pages
    /// ("1950s · 1951 – 1953").
    label: String,
    /// The years of its events.
    span: String,
    /// Its number in its part, and how many pages the part has.
    page: usize,
    pages: usize,
    /// The places of its first and last events in the whole list (from
    /// 1), and how many events the whole list holds.
    first: usize,
    last: usize,
    total: usize,
    prev: Option<PartLink>,
    next: Option<PartLink>,
}

/// The parts of a split timeline or list (`pages`, every page of every
/// part, in display order) as templates see them, the part holding page
/// `current` marked.
pub(super) fn part_views(pages: &[Part], current: Option<usize>) -> Vec<PartView> {
    let mut parts: Vec<PartView> = Vec::new();
    for (at, page) in pages.iter().enumerate() {
        let is_current = Some(at) == current;
        if page.page == 1 {
            parts.push(PartView {
                label: page.label.clone(),
                url: page.url.clone(),
                count: 0,
                current: false,
                pages: Vec::new(),
            });
        }
        let part = parts.last_mut().expect("a part starts at its first page");
        part.count += page.count;
        part.current |= is_current;
        if page.pages > 1 {
            part.pages.push(PageView {
                number: page.page,
                label: page.span.clone(),
                url: page.url.clone(),
                count: page.count,
                current: is_current,
            });
        }
    }
    parts
}

/// Page `at` of `pages`, with links to the pages before and after it.
pub(super) fn current_part(pages: &[Part], at: usize) -> CurrentPart {
    let link = |other: Option<&Part>| {
        other.map(|page| PartLink {
            label: page.title(),
            url: page.url.clone(),
        })
    };
    let page = &pages[at];
    CurrentPart {
        label: page.title(),
        span: page.span.clone(),
        page: page.page,
        pages: page.pages,
        first: page.first,
        last: page.first + page.count - 1,
        total: page.total,
        prev: link(at.checked_sub(1).and_then(|i| pages.get(i))),
        next: link(pages.get(at + 1)),
    }
}

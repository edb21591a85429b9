//! The derived values every mechanism memoizes, computed by the same code so
//! that only the memoization differs: an [`EventView`] per event (its body
//! rendered by pulldown-cmark, as annals does) and a list page per decade.
//!
//! Each computation bumps a counter, so a run can show how many values a
//! mechanism actually recomputed, not only how long it took.

use std::cell::Cell;
use std::fmt::Write as _;
use std::sync::Arc;

use pulldown_cmark::{html, Options, Parser};

use crate::events::{Date, Event, Site, DECADES};

/// What a template needs to show one event.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct EventView {
    pub url: String,
    pub title: Arc<str>,
    pub date_text: String,
    pub html: String,
    pub tags: Arc<[Arc<str>]>,
    pub track: Arc<str>,
}

/// What a list page needs of one of its events.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ListEntry {
    pub slug: Arc<str>,
    pub title: Arc<str>,
    pub date: Date,
}

impl ListEntry {
    /// The fields of `event` that list pages read.
    pub fn of(event: &Event) -> Self {
        Self {
            slug: event.slug.clone(),
            title: event.title.clone(),
            date: event.date,
        }
    }
}

thread_local! {
    static EVENT_VIEWS_COMPUTED: Cell<usize> = const { Cell::new(0) };
    static LIST_PAGES_COMPUTED: Cell<usize> = const { Cell::new(0) };
}

/// How many event views and list pages were computed since the last call.
pub fn take_counts() -> (usize, usize) {
    (EVENT_VIEWS_COMPUTED.replace(0), LIST_PAGES_COMPUTED.replace(0))
}

/// Renders one event.
pub fn event_view(event: &Event) -> EventView {
    EVENT_VIEWS_COMPUTED.set(EVENT_VIEWS_COMPUTED.get() + 1);
    let mut html = String::with_capacity(event.body.len() * 5 / 4);
    html::push_html(&mut html, Parser::new_ext(&event.body, Options::empty()));
    EventView {
        url: format!("/events/{}/", event.slug),
        title: event.title.clone(),
        date_text: format_date(event.date),
        html,
        tags: event.tags.clone(),
        track: event.track.clone(),
    }
}

/// Renders the list page of one decade from its events, in file order.
pub fn list_page<'a>(decade: u16, entries: impl IntoIterator<Item = &'a ListEntry>) -> String {
    LIST_PAGES_COMPUTED.set(LIST_PAGES_COMPUTED.get() + 1);
    let mut page = String::with_capacity(40_000);
    let from = crate::events::FIRST_YEAR + decade * 10;
    let _ = write!(page, "<h1>{from}s</h1>\n<ul>\n");
    for entry in entries {
        let _ = writeln!(
            page,
            "<li><a href=\"/events/{}/\">{}</a> <time>{}</time></li>",
            entry.slug,
            entry.title,
            format_date(entry.date)
        );
    }
    page.push_str("</ul>\n");
    page
}

/// Indices of the events on each decade's list page, in file order.
pub fn decade_members(site: &Site) -> Vec<Vec<u32>> {
    let mut members = vec![Vec::new(); usize::from(DECADES)];
    for (i, event) in site.events.iter().enumerate() {
        members[usize::from(event.date.decade())].push(i as u32);
    }
    members
}

fn format_date(date: Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!("{} {} {}", date.day, MONTHS[usize::from(date.month - 1)], date.year)
}

/// The output of one build: every event view and every list page.
#[derive(Debug, PartialEq, Eq)]
pub struct Build {
    pub views: Vec<Arc<EventView>>,
    pub pages: Vec<Arc<String>>,
}

/// A build without any memo, to check the mechanisms against and to show
/// what a full rebuild costs.
pub fn build_from_scratch(site: &Site) -> Build {
    Build {
        views: views_from_scratch(site),
        pages: pages_from_scratch(site),
    }
}

/// Every event view, computed.
pub fn views_from_scratch(site: &Site) -> Vec<Arc<EventView>> {
    site.events.iter().map(|e| Arc::new(event_view(e))).collect()
}

/// Every list page, computed.
pub fn pages_from_scratch(site: &Site) -> Vec<Arc<String>> {
    decade_members(site)
        .iter()
        .enumerate()
        .map(|(decade, members)| {
            let entries: Vec<ListEntry> = members
                .iter()
                .map(|&i| ListEntry::of(&site.events[i as usize]))
                .collect();
            Arc::new(list_page(decade as u16, &entries))
        })
        .collect()
}

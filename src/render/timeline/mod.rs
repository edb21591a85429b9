//! How the timeline is laid out: which page shows which events (a very
//! large timeline is split into one page per decade), how events are
//! grouped under headings (years, or decades for long spans), where gaps
//! deserve a marker ("7 years later"), and which events are related.

use std::sync::Arc;

use serde::Serialize;

use crate::config::Order;
use crate::date::Date;
use crate::hashing::HashMap;
use crate::lang::{Lang, Unit};
use crate::model::Site;
use crate::slug::Slug;

/// Above this many events, the timeline is split into one part per decade.
pub const SPLIT_AT: usize = 1000;
/// The most events one page of a split timeline or of a list shows: a
/// part with more is shown on several pages of equal size, and so is a
/// list of more, but not more than [`SPLIT_AT`], events. An entry of a
/// list is 1.3 KB of HTML, 3.5 KB with its full story folded in: such a
/// page stays far under 600 KB.
pub const PAGE_MAX: usize = 100;
/// Groups cover decades when the events span more than this many years.
const DECADES_ABOVE: i32 = 60;

/// One page of a split timeline or list.
#[derive(Debug, Clone, Serialize)]
pub struct Part {
    /// Its part: the decades it belongs to ("1980s", "1980年代"), or, on a
    /// list split only into pages, the years of its events.
    pub label: String,
    /// Root-relative URL.
    pub url: String,
    /// How many events it shows.
    pub count: usize,
    /// Its number among the pages of its part, from 1, and how many pages
    /// the part has.
    pub page: usize,
    pub pages: usize,
    /// The years of its events: "1951 – 1953", "1951".
    pub span: String,
    /// The place of its first event in the whole list, from 1, and how
    /// many events the whole list holds.
    pub first: usize,
    pub total: usize,
    /// Indexes of its events, in timeline order.
    #[serde(skip)]
    pub events: Vec<usize>,
}

impl Part {
    /// What names this page among the others: its part's label, and the
    /// years of its events when the part has several pages ("1950s ·
    /// 1951 – 1953").
    pub fn title(&self) -> String {
        if self.pages > 1 {
            format!("{} · {}", self.label, self.span)
        } else {
            self.label.clone()
        }
    }
}

/// The pages of the timeline and where each event is shown.
pub struct Layout {
    /// `None` when the whole timeline is one page; else every page of
    /// every part, in display order.
    pub parts: Option<Arc<Vec<Part>>>,
    /// For each event, the index of its page in `parts`.
    part_of: Vec<usize>,
}

impl Layout {
    /// Splits `site` into pages when it is large ([`split`]): one part per
    /// decade, except that decades with few events (a sparse distant past)
    /// share a part with their neighbours until it holds at least
    /// [`PART_MIN`], and a part of many events takes several pages.
    pub fn new(site: &Site) -> Layout {
        let all: Vec<usize> = (0..site.events.len()).collect();
        let Some(parts) = split(site, &all, "timeline/") else {
            return Layout {
                parts: None,
                part_of: vec![0; site.events.len()],
            };
        };
        let mut part_of = vec![0; site.events.len()];
        for (at, part) in parts.iter().enumerate() {
            for &index in &part.events {
                part_of[index] = at;
            }
        }
        Layout {
            parts: Some(Arc::new(parts)),
            part_of,
        }
    }

    /// The address of the page of the timeline that shows event `index`.
    pub fn page_of(&self, index: usize) -> &str {
        match &self.parts {
            None => "index.html",
            Some(parts) => &parts[self.part_of[index]].url,
        }
    }

    /// Where event `index` (with `slug`) is shown on the timeline.
    pub fn timeline_url(&self, index: usize, slug: &str) -> String {
        format!("{}#{slug}", self.page_of(index))
    }
}

/// The fewest events a page of a split timeline holds (unless the whole
/// rest of the timeline has fewer).
pub const PART_MIN: usize = 100;

/// The events `indexes` (in timeline order) as parts of one page per
/// decade, when there are more than [`SPLIT_AT`]; decades with few events
/// (a sparse distant past) share a part with their neighbours until it
/// holds at least [`PART_MIN`]. A part of more than [`PAGE_MAX`] events is
/// shown on several pages of equal size: `<folder><decade>/index.html`,
/// then `<folder><decade>/2/index.html` and so on. The parts, and the
/// pages of each, are in the site's display order (newest first with
/// `order: descending`); the events inside each page stay in timeline
/// order.
pub fn split(site: &Site, indexes: &[usize], folder: &str) -> Option<Vec<Part>> {
    if indexes.len() <= SPLIT_AT {
        return None;
    }
    // Decades in timeline order: (first decade year, event indexes).
    let mut decades: Vec<(i32, Vec<usize>)> = Vec::new();
    for &index in indexes {
        let decade = site.events[index].date.year().div_euclid(10) * 10;
        match decades.last_mut() {
            Some((known, events)) if *known == decade => events.push(index),
            _ => decades.push((decade, vec![index])),
        }
    }
    // Greedily merge decades into parts of at least PART_MIN events.
    let mut merged: Vec<(i32, i32, Vec<usize>)> = Vec::new();
    for (decade, events) in decades {
        match merged.last_mut() {
            Some((_, last, held)) if held.len() < PART_MIN => {
                *last = decade;
                held.extend(events);
            }
            _ => merged.push((decade, decade, events)),
        }
    }
    // A small last part joins the one before it.
    if merged.len() > 1 && merged.last().is_some_and(|(_, _, held)| held.len() < PART_MIN) {
        let (_, last, held) = merged.pop().expect("checked above");
        let previous = merged.last_mut().expect("checked above");
        previous.1 = last;
        previous.2.extend(held);
    }
    let lang = site.config.language;
    let descending = site.config.order == Order::Descending;
    let mut parts: Vec<Vec<Part>> = merged
        .into_iter()
        .map(|(first, last, events)| {
            let slug = Slug::from_text(&decades_label(first, last, Lang::En));
            let label = decades_label(first, last, lang);
            page_events(&events, descending)
                .into_iter()
                .enumerate()
                .map(|(at, events)| {
                    let url = match at {
                        0 => format!("{folder}{slug}/index.html"),
                        _ => format!("{folder}{slug}/{}/index.html", at + 1),
                    };
                    page(site, label.clone(), url, events)
                })
                .collect()
        })
        .collect();
    if descending {
        parts.reverse();
    }
    Some(numbered(parts))
}

/// The events `indexes` (in timeline order) of a tag, track or era as its
/// pages: above [`SPLIT_AT`] events, in parts as [`split`] makes them;
/// above [`PAGE_MAX`], on pages of equal size, each its own part named
/// for the years of its events, the first at `<folder>index.html`, the
/// next at `<folder>2/index.html` and so on; `None` when one page shows
/// them all.
pub fn paginate(site: &Site, indexes: &[usize], folder: &str) -> Option<Vec<Part>> {
    if indexes.len() > SPLIT_AT {
        return split(site, indexes, folder);
    }
    if indexes.len() <= PAGE_MAX {
        return None;
    }
    let descending = site.config.order == Order::Descending;
    let parts = page_events(indexes, descending)
        .into_iter()
        .enumerate()
        .map(|(at, events)| {
            let url = match at {
                0 => format!("{folder}index.html"),
                _ => format!("{folder}{}/index.html", at + 1),
            };
            let mut page = page(site, String::new(), url, events);
            page.label = page.span.clone();
            vec![page]
        })
        .collect();
    Some(numbered(parts))
}

/// The events `indexes` (in timeline order) cut into as few pages of
/// [`PAGE_MAX`] or fewer as will hold them, of sizes that differ by one at
/// most; the pages in display order, the events of each in timeline order.
fn page_events(indexes: &[usize], descending: bool) -> Vec<Vec<usize>> {
    let pages = indexes.len().div_ceil(PAGE_MAX).max(1);
    let (size, longer) = (indexes.len() / pages, indexes.len() % pages);
    let mut rest = indexes;
    let mut cut: Vec<Vec<usize>> = (0..pages)
        .map(|at| {
            let (page, after) = rest.split_at(size + usize::from(at < longer));
            rest = after;
            page.to_vec()
        })
        .collect();
    if descending {
        cut.reverse();
    }
    cut
}

/// A page of part `label` showing `events`; where it stands among the
/// others is filled in by [`numbered`].
fn page(site: &Site, label: String, url: String, events: Vec<usize>) -> Part {
    let lang = site.config.language;
    let year = |index: usize| site.events[index].date.format_year(lang);
    let span = match (events.first(), events.last()) {
        (Some(&first), Some(&last)) if site.events[first].date.year() != site.events[last].date.year() => {
            lang.range(&year(first), &year(last))
        }
        (Some(&first), _) => year(first),
        _ => String::new(),
    };
    Part {
        label,
        url,
        count: events.len(),
        page: 1,
        pages: 1,
        span,
        first: 1,
        total: 0,
        events,
    }
}

/// The pages of each part, in one list, each told its number in its part
/// and the place of its events in the whole list.
fn numbered(parts: Vec<Vec<Part>>) -> Vec<Part> {
    let total = parts.iter().flatten().map(|page| page.count).sum();
    let mut first = 1;
    let mut all = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    for pages in parts {
        let count = pages.len();
        for (at, mut page) in pages.into_iter().enumerate() {
            page.page = at + 1;
            page.pages = count;
            page.first = first;
            page.total = total;
            first += page.count;
            all.push(page);
        }
    }
    all
}

/// The label of a page covering the decades `first` to `last`:
/// "1980s", "1980s – 1990s", or a range of years for the distant past.
pub fn decades_label(first: i32, last: i32, lang: Lang) -> String {
    if first == last {
        return decade_label(first, lang);
    }
    if first >= 10 {
        return lang.range(&decade_label(first, lang), &decade_label(last, lang));
    }
    let year = |astronomical: i32| {
        Date::from_year(i64::from(astronomical.clamp(-9999, 9999)))
            .map(|date| date.format_year(lang))
            .unwrap_or_else(|_| astronomical.to_string())
    };
    lang.range(&year(first), &year(last + 9))
}

/// "1980s" / "1980年代"; BCE decades are written as their range of years.
pub fn decade_label(decade: i32, lang: Lang) -> String {
    let year = |astronomical: i32| Date::from_year(i64::from(astronomical)).map(|date| date.format_year(lang));
    if decade >= 10 || (decade == 0 && lang == Lang::Zh) {
        return lang.words().decade.replace("{0}", &decade.to_string());
    }
    let (first, last) = (year(decade.max(-9999)), year((decade + 9).min(9999)));
    match (first, last) {
        (Ok(first), Ok(last)) => lang.range(&first, &last),
        _ => decade.to_string(),
    }
}

/// A heading and the events under it.
#[derive(Debug, Clone)]
pub struct Group {
    /// "2013", "1980s", "c. 375 BCE", or a `display_date`.
    pub label: String,
    /// `y2013`, `d1980`, `c-374`, `at-<slug>`.
    pub anchor: String,
    /// "year", "decade", "approximate" or "display".
    pub kind: &'static str,
    /// "7 years later", printed before the group, or `None`.
    pub gap_label: Option<String>,
    /// Indexes of its events, in display order.
    pub events: Vec<usize>,
}

/// What puts an event under a heading: a heading never says more than the
/// event's own date does, nor contradicts its `display_date`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Heading {
    /// The year, or the decade from its first year, of a date known to it.
    Period(i32),
    /// The year of an approximate or doubtful date, written with its marks
    /// ("c. 375 BCE"): a computed year or decade would read as more certain.
    AsWritten { year: i32, circa: bool, uncertain: bool },
    /// A `display_date` that names none of the years of the heading its
    /// date would go under ("Early 1980s" for a date of 1990): it heads
    /// its event itself.
    Display(String),
}

/// The heading `event` goes under, with years grouped by decade when
/// `by_decade`.
fn heading_of(event: &crate::parse::event::Event, by_decade: bool) -> Heading {
    let date = &event.date;
    let year = date.year();
    let approximate = date.is_circa() || date.is_uncertain();
    let (first, last) = if by_decade && !approximate {
        let decade = year.div_euclid(10) * 10;
        (decade, decade + 9)
    } else {
        (year, year)
    };
    match &event.display_date {
        Some(text) if !names_a_year_in(text, first, last) => Heading::Display(text.clone()),
        _ if approximate => Heading::AsWritten {
            year,
            circa: date.is_circa(),
            uncertain: date.is_uncertain(),
        },
        _ => Heading::Period(first),
    }
}

/// Whether `text` writes a year from `first` to `last` (astronomical) as a
/// number of its own: "Announced December 2013" names 2013, "500 BCE" names
/// the astronomical -499. Digits may be ASCII or full-width.
fn names_a_year_in(text: &str, first: i32, last: i32) -> bool {
    let digit = |c: char| match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    };
    let mut numbers = Vec::new();
    let mut current: Option<i64> = None;
    for c in text.chars().chain(std::iter::once(' ')) {
        match digit(c) {
            Some(d) => current = Some(current.unwrap_or(0).saturating_mul(10).saturating_add(i64::from(d))),
            None => numbers.extend(current.take()),
        }
    }
    let years = i64::from(first)..=i64::from(last);
    // A number could be a year of either era: 375 is also 375 BCE (-374).
    numbers
        .into_iter()
        .any(|number| years.contains(&number) || years.contains(&(1 - number)))
}

/// Groups `indexes` (in timeline order) under year or decade headings, in
/// the site's display order, with gap markers between distant groups. An
/// approximate or doubtful date has a heading of its own, as written
/// ("c. 375 BCE"), and a `display_date` that names none of its heading's
/// years heads its event itself.
pub fn groups(site: &Site, indexes: &[usize]) -> Vec<Group> {
    let lang = site.config.language;
    let year_of = |index: usize| site.events[index].date.year();
    let span = match (indexes.first(), indexes.last()) {
        (Some(&first), Some(&last)) => year_of(last) - year_of(first),
        _ => 0,
    };
    let by_decade = span > DECADES_ABOVE;
    let mut groups: Vec<Group> = Vec::new();
    let mut last_heading = None;
    let mut anchors = std::collections::HashSet::new();
    for &index in indexes {
        let event = &site.events[index];
        let heading = heading_of(event, by_decade);
        match groups.last_mut() {
            Some(group) if last_heading.as_ref() == Some(&heading) => group.events.push(index),
            _ => {
                let (label, anchor, kind) = match &heading {
                    Heading::Period(key) if by_decade => (decade_label(*key, lang), format!("d{key}"), "decade"),
                    Heading::Period(key) => (event.date.format_year(lang), format!("y{key}"), "year"),
                    Heading::AsWritten { year, circa, uncertain } => {
                        let marks = match (circa, uncertain) {
                            (true, true) => "cu",
                            (true, false) => "c",
                            _ => "u",
                        };
                        (
                            event.date.format_year_as_written(lang),
                            format!("{marks}{year}"),
                            "approximate",
                        )
                    }
                    Heading::Display(text) => (text.clone(), format!("at-{}", event.slug), "display"),
                };
                // One heading may come back after another (1500, c. 1500,
                // 1500 again): each keeps an id of its own.
                let mut unique = anchor.clone();
                let mut count = 1;
                while !anchors.insert(unique.clone()) {
                    count += 1;
                    unique = format!("{anchor}-{count}");
                }
                groups.push(Group {
                    label,
                    anchor: unique,
                    kind,
                    gap_label: None,
                    events: vec![index],
                });
            }
        }
        last_heading = Some(heading);
    }
    let descending = site.config.order == Order::Descending;
    let threshold = if by_decade { 20 } else { 5 };
    for at in 1..groups.len() {
        let before = year_of(*groups[at - 1].events.last().expect("groups are not empty"));
        let after = year_of(groups[at].events[0]);
        let gap = after - before;
        if gap >= threshold {
            groups[at].gap_label = Some(gap_label(gap, descending, lang));
        }
    }
    if descending {
        groups.reverse();
        let mut gaps: Vec<Option<String>> = groups.iter_mut().map(|group| group.gap_label.take()).collect();
        // A gap sat before the later group; read newest first, it now sits
        // before the earlier one, which follows it.
        gaps.rotate_left(1);
        for (group, gap) in groups.iter_mut().zip(gaps) {
            group.gap_label = gap;
            group.events.reverse();
        }
    }
    groups
}

fn gap_label(years: i32, descending: bool, lang: Lang) -> String {
    let words = lang.words();
    let pattern = if descending { words.earlier } else { words.later };
    pattern.replace("{0}", &lang.amount(i64::from(years), Unit::Year))
}

/// How far along each of its tags (in time order) an event looks for
/// related events. Bounding it keeps the work linear in the number of
/// events, and the nearest events in time are the relevant ones anyway.
const RELATED_WINDOW: usize = 24;

/// For each event, up to `limit` others sharing the most tags with it,
/// closest in time first among equals. Candidates are the events near it
/// on each of its tags.
pub fn related(site: &Site, limit: usize) -> Vec<Vec<usize>> {
    use rayon::prelude::*;
    let tags_of: HashMap<&str, &Vec<usize>> = site.tags.iter().map(|tag| (tag.slug.as_str(), &tag.events)).collect();
    // Events share a few tag names: each is made a slug once.
    let mut by_name: HashMap<&str, Option<&Vec<usize>>> = HashMap::default();
    for event in &site.events {
        for name in &event.tags {
            by_name
                .entry(name.as_str())
                .or_insert_with(|| tags_of.get(Slug::from_text(name).as_str()).copied());
        }
    }
    (0..site.events.len())
        .into_par_iter()
        .map(|index| {
            // The events near this one on each of its tags; an event near
            // it on two tags is there twice.
            let tags = &site.events[index].tags;
            let mut near: Vec<usize> = Vec::with_capacity(tags.len() * (2 * RELATED_WINDOW + 1));
            for name in tags {
                let Some(events) = by_name.get(name.as_str()).copied().flatten() else {
                    continue;
                };
                // Tag lists are in timeline order, so the event's place is found by search.
                let at = events.binary_search(&index).unwrap_or_else(|insert| insert);
                let window = &events[at.saturating_sub(RELATED_WINDOW)..(at + RELATED_WINDOW + 1).min(events.len())];
                near.extend(window.iter().filter(|&&other| other != index));
            }
            // Each window is in timeline order: a stable sort merges them.
            near.sort();
            let mut shared: Vec<(usize, usize)> = Vec::with_capacity(near.len());
            for other in near {
                match shared.last_mut() {
                    Some((known, count)) if *known == other => *count += 1,
                    _ => shared.push((other, 1)),
                }
            }
            // The key orders every pair, so the first `limit` are one set,
            // picked without sorting the rest.
            let key = |&(other, count): &(usize, usize)| (std::cmp::Reverse(count), other.abs_diff(index), other);
            if shared.len() > limit {
                shared.select_nth_unstable_by_key(limit, key);
                shared.truncate(limit);
            }
            shared.sort_unstable_by_key(key);
            // Collected anew, not in place: the list is kept for the whole
            // render, and `shared` was made room for every candidate.
            let mut related = Vec::with_capacity(shared.len());
            related.extend(shared.iter().map(|&(other, _)| other));
            related
        })
        .collect()
}

#[cfg(test)]
mod tests;

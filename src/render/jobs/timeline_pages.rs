//! The timeline's pages: the index (and the embed, when the theme has one)
//! with the intro and the overview drawing, and, for a timeline split in
//! parts, one page per part.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use crate::diagnostic::Diagnostic;
use crate::memo::Key;
use crate::model::Site;
use crate::parse::page::INTRO_FILE;
use crate::render::event::broken_link;
use crate::render::overview::{self, OverviewWords};
use crate::render::theme::Theme;
use crate::render::view::EventView;
use crate::render::{timeline, Shared};

use super::json_ld::index_json_ld;
use super::part_views::{current_part, parts_key};
use super::{theme_string, Job};

/// The links in the intro that name no event.
pub(super) fn intro_problems(shared: &Shared<'_>) -> Vec<Diagnostic> {
    let intro = &shared.site.intro;
    shared
        .intro
        .broken_links
        .iter()
        .map(|link| broken_link(INTRO_FILE, &intro.body, intro.body_line, link))
        .collect()
}

/// The overview drawing of the whole timeline, or `None` without events.
/// One drawing serves the index and the embed: its links to other pages
/// start from the site root.
pub(super) fn overview(shared: &Shared<'_>, views: &[Arc<EventView>], theme: &Theme) -> Option<String> {
    let all: Vec<usize> = (0..views.len()).collect();
    let href = |index: usize| match &shared.layout.parts {
        None => format!("#{}", views[index].slug),
        Some(_) => shared.layout.timeline_url(index, &views[index].slug),
    };
    drawing(shared, views, &DrawingWords::of(theme), &all, &href)
}

/// The key of everything [`overview`] draws: each event's date, end,
/// weight, track, title, date as written, slug and highlight, the pages
/// of a split timeline (the marks link to them), the words, the language,
/// and the tracks and eras. An edit of an event's text leaves it as it is.
pub(super) fn overview_key(shared: &Shared<'_>, views: &[Arc<EventView>], theme: &Theme) -> Key {
    let events: Vec<Key> = shared
        .site
        .events
        .par_iter()
        .zip(views)
        .map(|(event, view)| {
            Key::of(&(
                event.date,
                event.end,
                event.importance,
                &event.track,
                &view.title,
                &view.date_label,
                &view.slug,
                view.highlight,
            ))
        })
        .collect();
    let words = DrawingWords::of(theme);
    Key::of(&("overview", events, words, shared.site.config.language.code()))
        .and(&Key::of_json(&shared.layout.parts.as_deref()))
        .and(&shared.lanes_key)
}

/// The small overview of one page of a long list: its events (whose
/// views `views` holds), each linking to its entry on the page.
pub fn page_overview(
    shared: &Shared<'_>,
    views: &[Arc<EventView>],
    words: &DrawingWords,
    events: &[usize],
) -> Option<String> {
    let href = |index: usize| format!("#{}", views[index].slug);
    drawing(shared, views, words, events, &href)
}

/// The key of everything [`page_overview`] draws: the events' keys, the
/// words, the language, and the tracks and eras (lanes and bands).
pub(super) fn page_overview_key(shared: &Shared<'_>, words: &DrawingWords, events: &[usize]) -> Key {
    let keys: Vec<Key> = events.iter().map(|&index| shared.keys[index]).collect();
    Key::of(&("page overview", keys, words, shared.site.config.language.code())).and(&shared.lanes_key)
}

/// The theme's words for an overview (see [`OverviewWords`]).
#[derive(Hash)]
pub struct DrawingWords {
    label: String,
    other_lane: String,
    separator: String,
}

impl DrawingWords {
    pub fn of(theme: &Theme) -> DrawingWords {
        DrawingWords {
            label: theme_string(theme, "overview", "Overview of the timeline"),
            other_lane: theme_string(theme, "overview_other", "Other"),
            separator: theme_string(theme, "list_sep", ", "),
        }
    }
}

/// The overview drawing of the events `drawn`, named in the theme's words.
fn drawing(
    shared: &Shared<'_>,
    views: &[Arc<EventView>],
    words: &DrawingWords,
    drawn: &[usize],
    href: &dyn Fn(usize) -> String,
) -> Option<String> {
    let words = OverviewWords {
        label: &words.label,
        other_lane: &words.other_lane,
        separator: &words.separator,
    };
    overview::overview_svg(shared.site, views, &shared.track_events, drawn, href, &words)
}

/// The index page, and the embed when the theme has `embed.html`: the
/// intro, the overview, and the events under their headings (or, for a
/// split timeline, links to its parts).
pub(super) fn index_pages(
    shared: &Shared<'_>,
    views: &[Arc<EventView>],
    theme: &Theme,
    overview_svg: &Option<String>,
) -> Vec<Job> {
    let site = shared.site;
    let intro_html = (!site.intro.body.trim().is_empty()).then(|| shared.intro.html.clone());
    let intro_title = site.intro.title.clone().unwrap_or_else(|| site.config.title.clone());
    let description = intro_description(site);
    let mut pages = vec![("index.html", "index.html", "index")];
    if theme.sources.iter().any(|(name, _)| name == "embed.html") {
        pages.push(("embed/index.html", "embed.html", "embed"));
    }
    pages
        .into_iter()
        .map(|(path, template, kind)| {
            // The parts are keyed by their views: a template value holds its
            // fields in a hash map, whose order differs from run to run.
            let page = Job::new(
                path.to_string(),
                template,
                kind,
                site.config.title.clone(),
                description.clone(),
            )
            .text("intro_title", &Some(intro_title.clone()))
            .text("intro_html", &intro_html)
            .text("overview_svg", overview_svg);
            let page = match &shared.layout.parts {
                None => {
                    let all: Vec<usize> = (0..site.events.len()).collect();
                    let key = group_key(shared, &all);
                    page.grouped(all, key).none("parts")
                }
                Some(parts) => page
                    .var("groups", Value::from(Vec::<Value>::new()), Key::of("no groups"))
                    .parts(parts, parts_key(parts), None),
            };
            page.none("part").json_ld(index_json_ld(shared, views))
        })
        .collect()
}

/// Every page of every part of a split timeline, each with the small
/// overview of its events; none for a timeline in one page.
pub(super) fn part_pages(shared: &Shared<'_>, theme: &Theme) -> Vec<Job> {
    let Some(parts) = &shared.layout.parts else {
        return Vec::new();
    };
    let description = intro_description(shared.site);
    let parts_key = parts_key(parts);
    parts
        .iter()
        .enumerate()
        .map(|(at, part)| {
            let key = group_key(shared, &part.events);
            let title = part.title();
            Job::new(
                part.url.clone(),
                "index.html",
                "index",
                title.clone(),
                description.clone(),
            )
            .text("intro_title", &Some(title))
            .none("intro_html")
            .page_overview(shared, theme, part.events.clone())
            .grouped(part.events.clone(), key)
            .parts(parts, parts_key, Some(at))
            .view("part", &current_part(parts, at))
        })
        .collect()
}

/// The timeline's description: the intro's, or the site's.
fn intro_description(site: &Site) -> String {
    site.intro
        .description
        .clone()
        .unwrap_or_else(|| site.config.description.clone())
}

/// A group of the timeline as templates see it, with its `events` added
/// as the events' own values (serializing them again would copy them).
#[derive(Serialize)]
struct GroupView {
    label: String,
    anchor: String,
    kind: &'static str,
    gap_label: Option<String>,
}

/// The key of the events `indexes` under their headings: the headings'
/// and the events' keys.
pub(super) fn group_key(shared: &Shared<'_>, indexes: &[usize]) -> Key {
    let groups = timeline::groups(shared.site, indexes);
    let mut keys = Vec::with_capacity(indexes.len() + groups.len());
    for group in groups {
        keys.push(Key::of(&(&group.label, &group.anchor, &group.gap_label)));
        keys.extend(group.events.iter().map(|&i| shared.keys[i]));
    }
    Key::of(&keys)
}

/// The events `indexes` of `site` under their headings, as template
/// values; `value` gives each event's.
pub fn group_values(site: &Site, indexes: &[usize], value: &dyn Fn(usize) -> Value) -> Vec<Value> {
    timeline::groups(site, indexes)
        .into_iter()
        .map(|group| {
            let Some(mut map) = Value::from_serializable(&GroupView {
                label: group.label,
                anchor: group.anchor,
                kind: group.kind,
                gap_label: group.gap_label,
            })
            .into_map() else {
                unreachable!("a group view is a map");
            };
            let events: Vec<Value> = group.events.iter().map(|&i| value(i)).collect();
            map.insert("events".into(), Value::from(events));
            Value::from(map)
        })
        .collect()
}

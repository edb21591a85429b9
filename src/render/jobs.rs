//! The plan of pages: which template renders which path from which values.
//!
//! Each [`Job`] also carries `inputs`, the [`Key`] of everything specific
//! to that page (its own fields and the views of the events it shows), so
//! an unchanged page can be reused across rebuilds. Each variable adds the
//! key of what it is made from: the text itself, a view's JSON form, or
//! the keys of the events it shows.

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use crate::config::Order;
use crate::diagnostic::Diagnostic;
use crate::parse::markdown::{self, MarkdownContext};
use crate::parse::page::INTRO_FILE;
use crate::render::theme::Theme;

use super::event::broken_link;
use super::Shared;
use super::{overview, timeline};
use crate::memo::Key;

/// One page to render.
pub struct Job {
    pub path: String,
    pub template: &'static str,
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub vars: Vec<(&'static str, Value)>,
    /// The key of this page's own inputs.
    pub inputs: Key,
    /// "website" or "article", for link previews.
    pub og_type: &'static str,
    /// A picture for link previews: (src, whether local, alt).
    pub image: Option<(String, bool, Option<String>)>,
    /// Structured data for search engines.
    pub json_ld: Option<String>,
    /// For an event page, the event: its title, description and structured
    /// data are filled in only when the page is rendered ([`complete`]), so
    /// a big site does not hold them for every page at once.
    pub event: Option<usize>,
    /// For a list page (a tag, track or era, or a part of one), its events
    /// in display order: their values become the variable `events` only
    /// when the page is rendered, as most pages of a rebuild are reused.
    pub listed: Option<Vec<usize>>,
}

impl Job {
    fn new(path: String, template: &'static str, kind: &'static str, title: String, description: String) -> Self {
        Job {
            path,
            template,
            kind,
            title,
            description,
            vars: Vec::new(),
            inputs: Key::of(template),
            og_type: "website",
            image: None,
            json_ld: None,
            event: None,
            listed: None,
        }
    }

    /// Marks the page as an article with an optional picture.
    fn article(mut self, image: Option<(String, bool, Option<String>)>) -> Self {
        self.og_type = "article";
        self.image = image;
        self
    }

    /// Adds a serializable view as a template variable, keyed by its JSON
    /// form.
    fn view<T: Serialize + ?Sized>(self, name: &'static str, view: &T) -> Self {
        let (value, key) = serialized(view);
        self.var(name, value, key)
    }

    /// Adds a text as a template variable, keyed by itself.
    fn text(self, name: &'static str, text: &Option<String>) -> Self {
        let key = Key::of(text);
        self.var(name, Value::from(text.clone()), key)
    }

    /// Adds a variable that is not there for this page (`none`).
    fn none(self, name: &'static str) -> Self {
        self.var(name, Value::none(), Key::of("none"))
    }

    /// Lists the events `order`, whose keys `key` covers, as the variable
    /// `events`.
    fn list(mut self, order: Vec<usize>, key: Key) -> Self {
        self.listed = Some(order);
        self.inputs = self.inputs.and(&("events", key));
        self
    }

    /// Adds structured data.
    fn json_ld(mut self, json: String) -> Self {
        self.json_ld = Some(json);
        self
    }

    /// Adds a template variable; `key` is the key of what it was made from.
    fn var(mut self, name: &'static str, value: Value, key: Key) -> Self {
        self.vars.push((name, value));
        self.inputs = self.inputs.and(&(name, key));
        self
    }

    /// Adds the page's own fields to its key; an event page's is
    /// whole already ([`event_page_inputs`]).
    fn seal(mut self) -> Self {
        if self.event.is_some() {
            return self;
        }
        self.inputs = self.inputs.and(&(
            &self.path,
            self.template,
            self.kind,
            &self.title,
            &self.description,
            self.og_type,
            &self.image,
            &self.json_ld,
            self.event,
        ));
        self
    }
}

/// What an event page is made from, apart from what every page shares:
/// its event and the events before and after it, if any. An event's key
/// covers its slug (the page's path), its picture and what [`complete`]
/// fills in, so these three keys are the page's whole input, and a rebuild
/// can tell an unchanged event page without planning it.
pub fn event_page_inputs(keys: &[Key], index: usize) -> Key {
    let at = |i: Option<usize>| i.and_then(|i| keys.get(i)).copied();
    Key::of(&("event page", at(index.checked_sub(1)), keys[index], at(Some(index + 1))))
}

/// Every page of the site, but the event pages `reused` marks (by event
/// index; an empty slice marks none). Markdown problems found on the way
/// (links to unknown events in pages and the intro) are added to
/// `problems`.
pub fn plan(
    shared: &Shared<'_>,
    theme: &Theme,
    md: &MarkdownContext<'_>,
    reused: &[bool],
    problems: &mut Vec<Diagnostic>,
) -> Vec<Job> {
    let site = shared.site;
    let config = &site.config;
    let mut jobs = Vec::with_capacity(site.events.len() + site.tags.len() + 16);
    let listing = |indexes: &[usize]| -> (Vec<usize>, Key) {
        let mut order: Vec<usize> = indexes.to_vec();
        if config.order == Order::Descending {
            order.reverse();
        }
        let keys: Vec<Key> = order.iter().map(|&i| shared.keys[i]).collect();
        (order, Key::of(&keys))
    };

    let intro = &shared.intro;
    problems.extend(
        intro
            .broken_links
            .iter()
            .map(|link| broken_link(INTRO_FILE, &site.intro.body, site.intro.body_line, link)),
    );
    let intro_html = (!site.intro.body.trim().is_empty()).then(|| intro.html.clone());
    let intro_title = site.intro.title.clone().unwrap_or_else(|| config.title.clone());
    let description = site
        .intro
        .description
        .clone()
        .unwrap_or_else(|| config.description.clone());
    let all: Vec<usize> = (0..site.events.len()).collect();
    let has_embed = theme.sources.iter().any(|(name, _)| name == "embed.html");
    let lang_strings = |key: &str, fallback: &str| theme.strings.get(key).cloned().unwrap_or_else(|| fallback.into());
    let overview_label = lang_strings("overview", "Overview of the timeline");
    let other_lane = lang_strings("overview_other", "Other");
    // One drawing serves the index and the embed: its links to other pages
    // start from the site root.
    let overview = || {
        let href = |index: usize| match &shared.layout.parts {
            None => format!("#{}", shared.views[index].slug),
            Some(_) => shared.layout.timeline_url(index, &shared.views[index].slug),
        };
        overview::overview_svg(
            site,
            &shared.views,
            &shared.track_events,
            &href,
            &overview_label,
            &other_lane,
        )
    };
    let timeline_jobs: Vec<(String, &'static str, &'static str)> = {
        let mut pages = vec![("index.html".to_string(), "index.html", "index")];
        if has_embed {
            pages.push(("embed/index.html".to_string(), "embed.html", "embed"));
        }
        pages
    };
    let event_jobs = || -> Vec<Job> {
        shared
            .views
            .par_iter()
            .enumerate()
            .filter(|(index, _)| !reused.get(*index).copied().unwrap_or(false))
            .map(|(index, view)| {
                let neighbour = |i: Option<usize>| match i.filter(|&i| i < shared.values.len()) {
                    Some(i) => shared.values[i].clone(),
                    None => Value::none(),
                };
                let mut job = Job::new(view.url.clone(), "event.html", "event", String::new(), String::new());
                job.event = Some(index);
                job.vars = vec![
                    ("event", shared.values[index].clone()),
                    ("prev", neighbour(index.checked_sub(1))),
                    ("next", neighbour(Some(index + 1))),
                ];
                job.inputs = event_page_inputs(&shared.keys, index);
                job.article(
                    view.thumbnail
                        .as_ref()
                        .map(|thumb| (thumb.src.clone(), thumb.local, thumb.alt.clone())),
                )
            })
            .collect()
    };
    // The overview of a big site takes a while: drawn beside the event
    // pages' plans.
    let (overview_svg, event_jobs) = rayon::join(overview, event_jobs);
    for (path, template, kind) in timeline_jobs {
        // The parts are keyed by their views: a template value holds its
        // fields in a hash map, whose order differs from run to run.
        let page = Job::new(path, template, kind, config.title.clone(), description.clone())
            .text("intro_title", &Some(intro_title.clone()))
            .text("intro_html", &intro_html)
            .text("overview_svg", &overview_svg);
        let page = match &shared.layout.parts {
            None => {
                let (groups, key) = group_values(shared, &all);
                page.var("groups", Value::from(groups), key).none("parts")
            }
            Some(parts) => page
                .var("groups", Value::from(Vec::<Value>::new()), Key::of("no groups"))
                .view("parts", &part_views(parts, None)),
        };
        jobs.push(page.none("part").json_ld(index_json_ld(shared)));
    }
    if let Some(parts) = &shared.layout.parts {
        for (at, part) in parts.iter().enumerate() {
            let part_view = current_part(parts, at);
            let views = part_views(parts, Some(at));
            let (groups, key) = group_values(shared, &part.events);
            jobs.push(
                Job::new(
                    part.url.clone(),
                    "index.html",
                    "index",
                    part.label.clone(),
                    description.clone(),
                )
                .text("intro_title", &Some(part.label.clone()))
                .none("intro_html")
                .none("overview_svg")
                .var("groups", Value::from(groups), key)
                .view("parts", &views)
                .view("part", &part_view),
            );
        }
    }

    jobs.extend(event_jobs);

    let tags_title = theme.strings.get("tags").cloned().unwrap_or_else(|| "Tags".into());
    jobs.push(
        Job::new(
            "tags/index.html".into(),
            "tags.html",
            "tags",
            tags_title,
            config.description.clone(),
        )
        .view("tags", &shared.tags),
    );
    // The page of a tag, track or era; above SPLIT_AT events, a page that
    // lists its parts and one page per part, as the timeline has.
    let list_pages =
        |folder: String, template: &'static str, title: &str, (about, about_key): (Value, Key), indexes: &[usize]| {
            let kind = template.trim_end_matches(".html");
            let page = |path: String, title: String| {
                Job::new(path, template, kind, title, config.description.clone()).var(kind, about.clone(), about_key)
            };
            let Some(parts) = timeline::split(site, indexes, &folder) else {
                let (events, key) = listing(indexes);
                return vec![page(format!("{folder}index.html"), title.to_string())
                    .list(events, key)
                    .none("parts")
                    .none("part")];
            };
            let views = part_views(&parts, None);
            let mut pages = vec![page(format!("{folder}index.html"), title.to_string())
                .list(Vec::new(), Key::of(&Vec::<Key>::new()))
                .view("parts", &views)
                .none("part")];
            for (at, part) in parts.iter().enumerate() {
                let (events, key) = listing(&part.events);
                let views = part_views(&parts, Some(at));
                let current = current_part(&parts, at);
                pages.push(
                    page(part.url.clone(), format!("{title} · {}", part.label))
                        .list(events, key)
                        .view("parts", &views)
                        .view("part", &current),
                );
            }
            pages
        };
    for (tag, view) in site.tags.iter().zip(&shared.tags) {
        jobs.extend(list_pages(
            format!("tags/{}/", tag.slug),
            "tag.html",
            &tag.name,
            serialized(view),
            &tag.events,
        ));
    }
    for (at, (track, view)) in site.tracks.iter().zip(&shared.tracks).enumerate() {
        jobs.extend(list_pages(
            format!("tracks/{}/", track.id),
            "track.html",
            &track.title,
            serialized(view),
            &shared.track_events[at],
        ));
    }
    for (at, (era, view)) in config.eras.iter().zip(&shared.eras).enumerate() {
        jobs.extend(list_pages(
            format!("eras/{}/", era.slug),
            "era.html",
            &era.title,
            serialized(view),
            &shared.era_events[at],
        ));
    }
    for page in &site.pages {
        let body = markdown::render(&page.body, md);
        problems.extend(
            body.broken_links
                .iter()
                .map(|link| broken_link(&page.path, &page.body, page.body_line, link)),
        );
        let description = page
            .description
            .clone()
            .unwrap_or_else(|| markdown::plain_text(body.first_paragraph(&page.body).unwrap_or_default()));
        jobs.push(
            Job::new(
                format!("{}/index.html", page.slug),
                "page.html",
                "page",
                page.title.clone(),
                description,
            )
            .text("page_title", &Some(page.title.clone()))
            .text("content_html", &Some(body.html)),
        );
    }
    let not_found = theme
        .strings
        .get("not_found_title")
        .cloned()
        .unwrap_or_else(|| "Not found".into());
    jobs.push(Job::new(
        "404.html".into(),
        "404.html",
        "404",
        not_found,
        config.description.clone(),
    ));
    jobs.into_par_iter().map(Job::seal).collect()
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

#[derive(Serialize)]
struct PartView {
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

#[derive(Serialize)]
struct CurrentPart {
    label: String,
    prev: Option<PartLink>,
    next: Option<PartLink>,
}

/// A view as a template value, with the key of its JSON form.
fn serialized<T: Serialize + ?Sized>(view: &T) -> (Value, Key) {
    (Value::from_serializable(view), Key::of_json(view))
}

/// The parts of a split timeline or list as templates see them, `current`
/// marked.
fn part_views(parts: &[timeline::Part], current: Option<usize>) -> Vec<PartView> {
    parts
        .iter()
        .enumerate()
        .map(|(at, part)| PartView {
            label: part.label.clone(),
            url: part.url.clone(),
            count: part.count,
            current: Some(at) == current,
        })
        .collect()
}

/// Part `at` of `parts`, with links to the parts before and after it.
fn current_part(parts: &[timeline::Part], at: usize) -> CurrentPart {
    let link = |other: Option<&timeline::Part>| {
        other.map(|part| PartLink {
            label: part.label.clone(),
            url: part.url.clone(),
        })
    };
    CurrentPart {
        label: parts[at].label.clone(),
        prev: link(at.checked_sub(1).and_then(|i| parts.get(i))),
        next: link(parts.get(at + 1)),
    }
}

/// The events `indexes` under their headings, as template values, with the
/// key of everything they show.
fn group_values(shared: &Shared<'_>, indexes: &[usize]) -> (Vec<Value>, Key) {
    let groups = timeline::groups(shared.site, indexes);
    let mut keys = Vec::with_capacity(indexes.len() + groups.len());
    let values = groups
        .into_iter()
        .map(|group| {
            keys.push(Key::of(&(&group.label, &group.anchor, &group.gap_label)));
            keys.extend(group.events.iter().map(|&i| shared.keys[i]));
            let Some(mut map) = Value::from_serializable(&GroupView {
                label: group.label,
                anchor: group.anchor,
                kind: group.kind,
                gap_label: group.gap_label,
            })
            .into_map() else {
                unreachable!("a group view is a map");
            };
            let events: Vec<Value> = group.events.iter().map(|&i| shared.values[i].clone()).collect();
            map.insert("events".into(), Value::from(events));
            Value::from(map)
        })
        .collect();
    (values, Key::of(&keys))
}

/// JSON for a `<script type="application/ld+json">`: `</` cannot end the
/// script early.
fn script_json(value: &serde_json::Value) -> String {
    super::json::script(value)
}

fn absolute(shared: &Shared<'_>, path: &str) -> String {
    match &shared.site.config.base_url {
        Some(base) => format!("{base}{path}"),
        None => path.to_string(),
    }
}

/// A page's address as its canonical link gives it: the folder, not
/// `index.html`.
fn page_address(shared: &Shared<'_>, path: &str) -> String {
    absolute(shared, path.strip_suffix("index.html").unwrap_or(path))
}

/// An `ItemList` of the events (or, for a split timeline, of its parts).
fn index_json_ld(shared: &Shared<'_>) -> String {
    let items: Vec<serde_json::Value> = match &shared.layout.parts {
        None => shared
            .views
            .iter()
            .enumerate()
            .map(|(i, view)| {
                serde_json::json!({
                    "@type": "ListItem",
                    "position": i + 1,
                    "name": view.title,
                    "url": page_address(shared, &view.url),
                })
            })
            .collect(),
        Some(parts) => parts
            .iter()
            .enumerate()
            .map(|(i, part)| {
                serde_json::json!({
                    "@type": "ListItem",
                    "position": i + 1,
                    "name": part.label,
                    "url": page_address(shared, &part.url),
                })
            })
            .collect(),
    };
    script_json(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": shared.site.config.title,
        "description": shared.site.config.description,
        "numberOfItems": items.len(),
        "itemListElement": items,
    }))
}

/// Fills in what an event page's job leaves for rendering time.
pub fn complete(mut job: Job, shared: &Shared<'_>) -> Job {
    if let Some(index) = job.event {
        let view = &shared.views[index];
        job.title = view.title.clone();
        job.description = view.summary_text.clone();
        job.json_ld = Some(event_json_ld(shared, index));
    }
    job
}

/// An `Event` for an event page.
fn event_json_ld(shared: &Shared<'_>, index: usize) -> String {
    let view = &shared.views[index];
    let mut event = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": view.title,
        "startDate": view.date.datetime,
        "description": view.summary_text,
        "url": page_address(shared, &view.url),
    });
    if let Some(end) = view.end.as_ref().and_then(|end| end.datetime.clone()) {
        event["endDate"] = serde_json::Value::from(end);
    }
    if let Some(thumb) = &view.thumbnail {
        let src = if thumb.local {
            absolute(shared, &thumb.src)
        } else {
            thumb.src.clone()
        };
        event["image"] = serde_json::Value::from(src);
    }
    script_json(&event)
}

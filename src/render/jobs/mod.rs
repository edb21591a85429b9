//! The plan of pages: which template renders which path from which values.
//!
//! Each [`Job`] also carries `inputs`, the [`Key`] of everything specific
//! to that page (its own fields and the views of the events it shows), so
//! an unchanged page can be reused across rebuilds. Each variable adds the
//! key of what it is made from: the text itself, a view's JSON form, or
//! the keys of the events it shows.
//!
//! [`plan`] lists every page; each kind of page is planned in a file of
//! its own: the timeline's pages, the event pages, the list pages (tags,
//! tracks, eras), the index pages of their folders, and the pages outside
//! the timeline (stand-alone pages, 404).

mod event_pages;
mod folder_pages;
mod json_ld;
mod list_pages;
mod part_views;
mod stand_alone;
mod timeline_pages;

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use crate::diagnostic::Diagnostic;
use crate::memo::{Key, Memo};
use crate::parse::markdown::MarkdownContext;
use crate::render::theme::Theme;
use crate::render::timeline::Part;
use crate::render::view::EventView;

use super::Shared;

pub use event_pages::{complete, event_page_inputs};
pub use timeline_pages::{group_values, page_overview, DrawingWords};

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
    /// For an event page, its event's view.
    pub view: Option<Arc<EventView>>,
    /// For a list page (a tag, track or era, or a part of one), its events
    /// in display order: their values become the variable `events` only
    /// when the page is rendered, as most pages of a rebuild are reused.
    pub listed: Option<Vec<usize>>,
    /// For a page of the timeline, the events it shows under their
    /// headings: they become the variable `groups` when it is rendered.
    pub grouped: Option<Vec<usize>>,
    /// For a page of a split timeline or list, every page of its parts
    /// and the one shown: they become the variable `parts` when it is
    /// rendered (each of a list's pages lists them all: held as values
    /// from the plan on, a list of P pages would hold P² of them).
    pub parts: Option<(Arc<Vec<Part>>, Option<usize>)>,
    /// For a page of a long list or of a split timeline's part, the events
    /// its small overview draws, when it is rendered (`overview_svg`).
    pub drawn: Option<Vec<usize>>,
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
            view: None,
            listed: None,
            grouped: None,
            parts: None,
            drawn: None,
        }
    }

    /// The variable `parts`, for a page of a split timeline or list.
    pub fn parts_value(&self) -> Option<Value> {
        let (parts, current) = self.parts.as_ref()?;
        Some(Value::from_serializable(&part_views::part_views(parts, *current)))
    }

    /// The events whose values the page shows, by index, of `count`
    /// events: an event page's event and its neighbours, a list's events,
    /// the timeline's.
    pub fn shown(&self, count: usize) -> Vec<usize> {
        let mut shown = Vec::new();
        if let Some(index) = self.event {
            shown.extend(index.saturating_sub(1)..(index + 2).min(count));
        }
        shown.extend(self.listed.iter().flatten());
        shown.extend(self.grouped.iter().flatten());
        shown
    }

    /// How many events, from the first, must have their values for the
    /// page to be rendered.
    pub fn ready_at(&self, count: usize) -> usize {
        self.shown(count).into_iter().max().map_or(0, |last| last + 1)
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

    /// Shows the events `indexes` under their headings as the variable
    /// `groups`; `key` covers the headings and the events' keys.
    fn grouped(mut self, indexes: Vec<usize>, key: Key) -> Self {
        self.grouped = Some(indexes);
        self.inputs = self.inputs.and(&("groups", key));
        self
    }

    /// Shows the parts `parts` as the variable `parts`, page `current`
    /// marked, keyed by `key` ([`part_views::parts_key`]) and the page's place.
    fn parts(mut self, parts: &Arc<Vec<Part>>, key: Key, current: Option<usize>) -> Self {
        self.parts = Some((Arc::clone(parts), current));
        self.inputs = self.inputs.and(&("parts", key, current));
        self
    }

    /// Draws the small overview of the events `indexes` (a page of a long
    /// list or of a split timeline's part) as the variable `overview_svg`
    /// when the page is rendered.
    fn page_overview(mut self, shared: &Shared<'_>, theme: &Theme, indexes: Vec<usize>) -> Self {
        let key = timeline_pages::page_overview_key(shared, &timeline_pages::DrawingWords::of(theme), &indexes);
        self.drawn = Some(indexes);
        self.inputs = self.inputs.and(&("overview_svg", key));
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

/// Every page of the site but the event pages and the timeline's index
/// ([`event_pages`], [`index_pages`]): the pages of a split timeline's
/// parts, of tags, tracks and eras, the folders' index pages, stand-alone
/// pages and the 404 page. Markdown problems found on the way (links to
/// unknown events in pages and the intro) are added to `problems`.
pub fn plan(shared: &Shared<'_>, theme: &Theme, md: &MarkdownContext<'_>, problems: &mut Vec<Diagnostic>) -> Vec<Job> {
    let site = shared.site;
    let mut jobs = Vec::with_capacity(site.tags.len() + 16);
    problems.extend(timeline_pages::intro_problems(shared));
    jobs.extend(timeline_pages::part_pages(shared, theme));
    jobs.push(list_pages::tags_page(shared, theme));
    jobs.extend(list_pages::list_pages(shared, theme));
    jobs.extend(folder_pages::folder_pages(shared, theme));
    jobs.extend(stand_alone::stand_alone_pages(shared, md, problems));
    jobs.push(stand_alone::not_found_page(shared, theme));
    jobs.into_par_iter().map(Job::seal).collect()
}

/// The pages of the events `first..` whose views are `views`, but those
/// `reused` marks (by event index; an empty slice marks none).
pub fn event_pages(shared: &Shared<'_>, first: usize, views: &[Arc<EventView>], reused: &[bool]) -> Vec<Job> {
    event_pages::event_pages(shared, first, views, reused)
}

/// The overview of the whole timeline as [`index_pages`] drew or found it:
/// its key, the drawing, and whether it was found.
pub type Drawn = (Key, Arc<Option<String>>, bool);

/// The timeline's index page and its embed, once every event's view is
/// made (`views`): they show the overview drawing of them all, taken from
/// `overviews` when nothing it draws changed. With the drawing, its key
/// and whether it was found, for the table to record.
pub fn index_pages(
    shared: &Shared<'_>,
    views: &[Arc<EventView>],
    theme: &Theme,
    overviews: &Memo<Arc<Option<String>>>,
) -> (Vec<Job>, Drawn) {
    let key = timeline_pages::overview_key(shared, views, theme);
    let (overview_svg, found) = match overviews.peek(key) {
        Some(known) => (Arc::clone(known), true),
        None => (Arc::new(timeline_pages::overview(shared, views, theme)), false),
    };
    let jobs = timeline_pages::index_pages(shared, views, theme, &overview_svg)
        .into_iter()
        .map(Job::seal)
        .collect();
    (jobs, (key, overview_svg, found))
}

/// A view as a template value, with the key of its JSON form.
fn serialized<T: Serialize + ?Sized>(view: &T) -> (Value, Key) {
    (Value::from_serializable(view), Key::of_json(view))
}

/// The theme's interface string `key`, or `fallback` when it has none.
fn theme_string(theme: &Theme, key: &str, fallback: &str) -> String {
    theme.strings.get(key).cloned().unwrap_or_else(|| fallback.into())
}

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
use crate::memo::Key;
use crate::parse::markdown::MarkdownContext;
use crate::render::theme::Theme;

use super::Shared;

pub use event_pages::{complete, event_page_inputs};

/// One page to render.
pub struct Job {
    pub path: String,
    pub template: &'static str,
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub vars: Vec<(&'static str, Var)>,
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

/// A template variable's value: made when the page is planned, or, for
/// what is costly to make and most rebuilds reuse (the parts of a split
/// list, a page's groups of events), only when the page is rendered.
pub enum Var {
    Now(Value),
    Later(Box<dyn FnOnce(&Shared<'_>) -> Value + Send + Sync>),
}

impl Var {
    /// The value, made now if it was left for later.
    pub fn into_value(self, shared: &Shared<'_>) -> Value {
        match self {
            Var::Now(value) => value,
            Var::Later(make) => make(shared),
        }
    }
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

    /// Adds a serializable view as a template variable, keyed by its JSON
    /// form, made into a template value only if the page is rendered.
    fn view_later<T: Serialize + Send + Sync + 'static>(self, name: &'static str, view: T) -> Self {
        let key = Key::of_json(&view);
        self.later(name, key, move |_| Value::from_serializable(&view))
    }

    /// Adds the parts of a split timeline or list, page `current` of them
    /// marked, as the variable `parts`, made only if the page is rendered.
    fn parts(self, parts: &part_views::SharedParts, current: Option<usize>) -> Self {
        let pages = Arc::clone(&parts.pages);
        self.later("parts", Key::of(&(parts.key, current)), move |_| {
            Value::from_serializable(&part_views::part_views(&pages, current))
        })
    }

    /// Adds the events `indexes` under their headings as the variable
    /// `groups`, made only if the page is rendered.
    fn grouped(self, shared: &Shared<'_>, indexes: Vec<usize>) -> Self {
        let key = timeline_pages::group_key(shared, &indexes);
        self.later("groups", key, move |shared| {
            Value::from(timeline_pages::group_values(shared, &indexes))
        })
    }

    /// Adds the small overview of the events `indexes` (a page of a long
    /// list) as the variable `overview_svg`, drawn only if the page is
    /// rendered.
    fn page_overview(self, shared: &Shared<'_>, theme: &Theme, indexes: Vec<usize>) -> Self {
        let words = timeline_pages::DrawingWords::of(theme);
        let key = timeline_pages::page_overview_key(shared, &words, &indexes);
        self.later("overview_svg", key, move |shared| {
            Value::from(timeline_pages::page_overview(shared, &words, &indexes))
        })
    }

    /// Adds a template variable that `make` makes when the page is
    /// rendered; `key` is the key of what it is made from.
    fn later(
        mut self,
        name: &'static str,
        key: Key,
        make: impl FnOnce(&Shared<'_>) -> Value + Send + Sync + 'static,
    ) -> Self {
        self.vars.push((name, Var::Later(Box::new(make))));
        self.inputs = self.inputs.and(&(name, key));
        self
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
        self.vars.push((name, Var::Now(value)));
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
    let mut jobs = Vec::with_capacity(site.events.len() + site.tags.len() + 16);
    problems.extend(timeline_pages::intro_problems(shared));
    // The overview of a big site takes a while: drawn beside the event
    // pages' plans.
    let (overview_svg, event_jobs) = rayon::join(
        || timeline_pages::overview(shared, theme),
        || event_pages::event_pages(shared, reused),
    );
    jobs.extend(timeline_pages::index_pages(shared, theme, &overview_svg));
    jobs.extend(timeline_pages::part_pages(shared, theme));
    jobs.extend(event_jobs);
    jobs.push(list_pages::tags_page(shared, theme));
    jobs.extend(list_pages::list_pages(shared, theme));
    jobs.extend(folder_pages::folder_pages(shared, theme));
    jobs.extend(stand_alone::stand_alone_pages(shared, md, problems));
    jobs.push(stand_alone::not_found_page(shared, theme));
    jobs.into_par_iter().map(Job::seal).collect()
}

/// A view as a template value, with the key of its JSON form.
fn serialized<T: Serialize + ?Sized>(view: &T) -> (Value, Key) {
    (Value::from_serializable(view), Key::of_json(view))
}

/// The theme's interface string `key`, or `fallback` when it has none.
fn theme_string(theme: &Theme, key: &str, fallback: &str) -> String {
    theme.strings.get(key).cloned().unwrap_or_else(|| fallback.into())
}

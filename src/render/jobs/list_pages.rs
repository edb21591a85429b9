//! The list pages: the page of every tag, and the page of each tag, track
//! and era. Above `PAGE_MAX` events a list takes several pages, each with
//! the small overview of its events; above `SPLIT_AT`, it is a page that
//! links to its parts and the pages of each part, as the timeline is.

use std::sync::Arc;

use tera::Value;

use crate::config::Order;
use crate::memo::Key;
use crate::render::theme::Theme;
use crate::render::{timeline, Shared};

use super::part_views::{current_part, parts_key};
use super::{serialized, theme_string, Job};

/// The page that lists every tag.
pub(super) fn tags_page(shared: &Shared<'_>, theme: &Theme) -> Job {
    Job::new(
        "tags/index.html".into(),
        "tags.html",
        "tags",
        theme_string(theme, "tags", "Tags"),
        shared.site.config.description.clone(),
    )
    .view("tags", &shared.tags)
}

/// The pages of every tag, then every track, then every era.
pub(super) fn list_pages(shared: &Shared<'_>, theme: &Theme) -> Vec<Job> {
    let site = shared.site;
    let mut jobs = Vec::new();
    for (tag, view) in site.tags.iter().zip(&shared.tags) {
        jobs.extend(pages_of(
            shared,
            theme,
            List {
                folder: format!("tags/{}/", tag.slug),
                template: "tag.html",
                title: &tag.name,
                about: serialized(view),
                events: &tag.events,
            },
        ));
    }
    for (at, (track, view)) in site.tracks.iter().zip(&shared.tracks).enumerate() {
        jobs.extend(pages_of(
            shared,
            theme,
            List {
                folder: format!("tracks/{}/", track.id),
                template: "track.html",
                title: &track.title,
                about: serialized(view),
                events: &shared.track_events[at],
            },
        ));
    }
    for (at, (era, view)) in site.config.eras.iter().zip(&shared.eras).enumerate() {
        jobs.extend(pages_of(
            shared,
            theme,
            List {
                folder: format!("eras/{}/", era.slug),
                template: "era.html",
                title: &era.title,
                about: serialized(view),
                events: &shared.era_events[at],
            },
        ));
    }
    jobs
}

/// A tag, track or era, as its pages show it.
struct List<'a> {
    /// The folder of its pages, e.g. `tags/ai/`.
    folder: String,
    /// Its template, named for its kind: `tag.html`.
    template: &'static str,
    title: &'a str,
    /// Its view as a template value, with the key of its JSON form.
    about: (Value, Key),
    /// Its events, in timeline order.
    events: &'a [usize],
}

impl List<'_> {
    /// A page of the list, with the list's view as the variable named for
    /// its kind (`tag`, `track`, `era`).
    fn page(&self, shared: &Shared<'_>, path: String, title: String) -> Job {
        let kind = self.template.trim_end_matches(".html");
        let (about, about_key) = &self.about;
        let page = Job::new(path, self.template, kind, title, shared.site.config.description.clone());
        page.var(kind, about.clone(), *about_key)
    }
}

/// The pages of `list` ([`timeline::paginate`]): one page; or, above
/// `PAGE_MAX` events, pages of equal size, the first at the list's own
/// address; or, above `SPLIT_AT`, a page that lists its parts and the
/// pages of each part.
fn pages_of(shared: &Shared<'_>, theme: &Theme, list: List<'_>) -> Vec<Job> {
    let index_path = format!("{}index.html", list.folder);
    let Some(parts) = timeline::paginate(shared.site, list.events, &list.folder) else {
        let (events, key) = listing(shared, list.events);
        return vec![list
            .page(shared, index_path, list.title.to_string())
            .list(events, key)
            .none("overview_svg")
            .none("parts")
            .none("part")];
    };
    let parts = Arc::new(parts);
    let parts_key = parts_key(&parts);
    let mut pages = Vec::with_capacity(parts.len() + 1);
    if parts[0].url != index_path {
        pages.push(
            list.page(shared, index_path.clone(), list.title.to_string())
                .list(Vec::new(), Key::of(&Vec::<Key>::new()))
                .none("overview_svg")
                .parts(&parts, parts_key, None)
                .none("part"),
        );
    }
    for (at, part) in parts.iter().enumerate() {
        let (events, key) = listing(shared, &part.events);
        let title = match at {
            0 if part.url == index_path => list.title.to_string(),
            _ => format!("{} · {}", list.title, part.title()),
        };
        pages.push(
            list.page(shared, part.url.clone(), title)
                .list(events, key)
                .page_overview(shared, theme, part.events.clone())
                .parts(&parts, parts_key, Some(at))
                .view("part", &current_part(&parts, at)),
        );
    }
    pages
}

/// The events `indexes` in display order (newest first when the site says
/// so), with the key of their keys.
fn listing(shared: &Shared<'_>, indexes: &[usize]) -> (Vec<usize>, Key) {
    let mut order: Vec<usize> = indexes.to_vec();
    if shared.site.config.order == Order::Descending {
        order.reverse();
    }
    let keys: Vec<Key> = order.iter().map(|&i| shared.keys[i]).collect();
    (order, Key::of(&keys))
}

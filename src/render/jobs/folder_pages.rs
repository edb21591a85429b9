//! The index pages of the folders the other pages live in, so that a
//! reader who trims an address finds a page: `events/` (every event, or
//! the parts of a split timeline), `timeline/` (the headings or parts of
//! the timeline), `tracks/` and `eras/` (`tags/` is planned with the tag
//! pages). Each is made only when the theme has its template: a theme
//! written before them still builds.

use serde::Serialize;
use tera::Value;

use crate::memo::Key;
use crate::render::theme::Theme;
use crate::render::{timeline, Shared};

use super::part_views::parts_key;
use super::timeline_pages::group_key;
use super::{theme_string, Job};

/// The folders' index pages the theme has templates for.
pub(super) fn folder_pages(shared: &Shared<'_>, theme: &Theme) -> Vec<Job> {
    let has = |template: &str| theme.sources.iter().any(|(name, _)| name == template);
    let mut jobs = Vec::new();
    if has("events.html") {
        jobs.push(events_page(shared, theme));
    }
    if has("timeline.html") {
        jobs.push(timeline_page(shared, theme));
    }
    if has("tracks.html") {
        jobs.push(
            folder_page(shared, "tracks", theme_string(theme, "all_tracks", "All tracks"))
                .view("tracks", &shared.tracks),
        );
    }
    if has("eras.html") {
        jobs.push(folder_page(shared, "eras", theme_string(theme, "all_eras", "All eras")).view("eras", &shared.eras));
    }
    jobs
}

/// The page `<kind>/index.html`, from the template `<kind>.html`.
fn folder_page(shared: &Shared<'_>, kind: &'static str, title: String) -> Job {
    let (path, template) = match kind {
        "events" => ("events/index.html", "events.html"),
        "timeline" => ("timeline/index.html", "timeline.html"),
        "tracks" => ("tracks/index.html", "tracks.html"),
        _ => ("eras/index.html", "eras.html"),
    };
    Job::new(
        path.into(),
        template,
        kind,
        title,
        shared.site.config.description.clone(),
    )
}

/// `events/`: every event under its year or decade, as a short list of
/// links; on a split timeline, the parts instead, which list the events.
fn events_page(shared: &Shared<'_>, theme: &Theme) -> Job {
    let site = shared.site;
    let page = folder_page(shared, "events", theme_string(theme, "all_events", "All events")).var(
        "count",
        Value::from(site.events.len()),
        Key::of(&site.events.len()),
    );
    match &shared.layout.parts {
        None => {
            let all: Vec<usize> = (0..site.events.len()).collect();
            let key = group_key(shared, &all);
            page.grouped(all, key).none("parts")
        }
        Some(parts) => page
            .var("groups", Value::from(Vec::<Value>::new()), Key::of("no groups"))
            .parts(parts, parts_key(parts), None),
    }
}

/// A heading of the timeline as `timeline/` lists it.
#[derive(Serialize)]
struct HeadingView {
    label: String,
    /// `index.html#y2013`.
    url: String,
    count: usize,
}

/// `timeline/`: the timeline's headings, each a link to its place on the
/// timeline; on a split timeline, its parts.
fn timeline_page(shared: &Shared<'_>, theme: &Theme) -> Job {
    let site = shared.site;
    let page = folder_page(shared, "timeline", theme_string(theme, "timeline", "Timeline")).var(
        "count",
        Value::from(site.events.len()),
        Key::of(&site.events.len()),
    );
    match &shared.layout.parts {
        None => {
            let all: Vec<usize> = (0..site.events.len()).collect();
            let headings: Vec<HeadingView> = timeline::groups(site, &all)
                .into_iter()
                .map(|group| HeadingView {
                    url: format!("index.html#{}", group.anchor),
                    label: group.label,
                    count: group.events.len(),
                })
                .collect();
            page.view("headings", &headings).none("parts")
        }
        Some(parts) => page
            .view("headings", &Vec::<HeadingView>::new())
            .parts(parts, parts_key(parts), None),
    }
}

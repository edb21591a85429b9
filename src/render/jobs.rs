//! The plan of pages: which template renders which path from which values.
//!
//! Each [`Job`] also carries `inputs`, a fingerprint of everything specific
//! to that page (its own fields and the views of the events it shows), so
//! an unchanged page can be reused across rebuilds.

use serde::Serialize;
use tera::Value;

use crate::config::Order;
use crate::diagnostic::Diagnostic;
use crate::markdown::{self, MarkdownContext};
use crate::page::INTRO_FILE;
use crate::theme::Theme;

use super::cache::{fingerprint_json, fingerprint_of};
use super::event::broken_link;
use super::Shared;

/// One page to render.
pub struct Job {
    pub path: String,
    pub template: &'static str,
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub vars: Vec<(&'static str, Value)>,
    /// Fingerprint of this page's own inputs.
    pub inputs: u64,
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
            inputs: 0,
        }
    }

    /// Adds a template variable; `print` fingerprints what it was made from.
    fn var(mut self, name: &'static str, value: Value, print: u64) -> Self {
        self.vars.push((name, value));
        self.inputs = fingerprint_of(&(self.inputs, name, print));
        self
    }

    fn seal(mut self) -> Self {
        self.inputs = fingerprint_of(&(
            self.inputs,
            &self.path,
            self.template,
            self.kind,
            &self.title,
            &self.description,
        ));
        self
    }
}

/// Every page of the site. Markdown problems found on the way (links to
/// unknown events in pages and the intro) are added to `problems`.
pub fn plan(shared: &Shared<'_>, theme: &Theme, md: &MarkdownContext<'_>, problems: &mut Vec<Diagnostic>) -> Vec<Job> {
    let site = shared.site;
    let config = &site.config;
    let mut jobs = Vec::with_capacity(site.events.len() + site.tags.len() + 16);
    let listing = |indexes: &[usize]| -> (Value, u64) {
        let mut order: Vec<usize> = indexes.to_vec();
        if config.order == Order::Descending {
            order.reverse();
        }
        let prints: Vec<u64> = order.iter().map(|&i| shared.prints[i]).collect();
        let values: Vec<Value> = order.iter().map(|&i| shared.values[i].clone()).collect();
        (Value::from(values), fingerprint_of(&prints))
    };

    let intro = markdown::render(&site.intro.body, md);
    problems.extend(
        intro
            .broken_links
            .iter()
            .map(|link| broken_link(INTRO_FILE, &site.intro.body, site.intro.body_line, link)),
    );
    let intro_html = (!site.intro.body.trim().is_empty()).then_some(intro.html);
    let intro_title = site.intro.title.clone().unwrap_or_else(|| config.title.clone());
    let (years, years_print) = year_groups(shared);
    let description = site
        .intro
        .description
        .clone()
        .unwrap_or_else(|| config.description.clone());
    jobs.push(
        Job::new(
            "index.html".into(),
            "index.html",
            "index",
            config.title.clone(),
            description,
        )
        .var(
            "intro_title",
            Value::from(intro_title.clone()),
            fingerprint_of(&intro_title),
        )
        .var(
            "intro_html",
            Value::from(intro_html.clone()),
            fingerprint_of(&intro_html),
        )
        .var("years", Value::from(years), years_print),
    );

    for (index, view) in shared.views.iter().enumerate() {
        let neighbour = |i: Option<usize>| match i.filter(|&i| i < shared.values.len()) {
            Some(i) => (shared.values[i].clone(), shared.prints[i]),
            None => (Value::none(), 0),
        };
        let (prev, prev_print) = neighbour(index.checked_sub(1));
        let (next, next_print) = neighbour(Some(index + 1));
        jobs.push(
            Job::new(
                format!("events/{}/index.html", view.slug),
                "event.html",
                "event",
                view.title.clone(),
                view.summary_text.clone(),
            )
            .var("event", shared.values[index].clone(), shared.prints[index])
            .var("prev", prev, prev_print)
            .var("next", next, next_print),
        );
    }

    let tags_title = theme.strings.get("tags").cloned().unwrap_or_else(|| "Tags".into());
    jobs.push(
        Job::new(
            "tags/index.html".into(),
            "tags.html",
            "tags",
            tags_title,
            config.description.clone(),
        )
        .var(
            "tags",
            Value::from_serializable(&shared.tags),
            fingerprint_json(&shared.tags),
        ),
    );
    for (tag, view) in site.tags.iter().zip(&shared.tags) {
        let (events, print) = listing(&tag.events);
        jobs.push(
            Job::new(
                format!("tags/{}/index.html", tag.slug),
                "tag.html",
                "tag",
                tag.name.clone(),
                config.description.clone(),
            )
            .var("tag", Value::from_serializable(view), fingerprint_json(view))
            .var("events", events, print),
        );
    }
    for (track, view) in site.tracks.iter().zip(&shared.tracks) {
        let (events, print) = listing(&site.track_events(track));
        jobs.push(
            Job::new(
                format!("tracks/{}/index.html", track.id),
                "track.html",
                "track",
                track.title.clone(),
                config.description.clone(),
            )
            .var("track", Value::from_serializable(view), fingerprint_json(view))
            .var("events", events, print),
        );
    }
    for (era, view) in config.eras.iter().zip(&shared.eras) {
        let (events, print) = listing(&site.era_events(era));
        jobs.push(
            Job::new(
                format!("eras/{}/index.html", era.slug),
                "era.html",
                "era",
                era.title.clone(),
                config.description.clone(),
            )
            .var("era", Value::from_serializable(view), fingerprint_json(view))
            .var("events", events, print),
        );
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
            .unwrap_or_else(|| markdown::plain_text(markdown::first_paragraph(&page.body).unwrap_or_default()));
        jobs.push(
            Job::new(
                format!("{}/index.html", page.slug),
                "page.html",
                "page",
                page.title.clone(),
                description,
            )
            .var("page_title", Value::from(page.title.clone()), 0)
            .var(
                "content_html",
                Value::from(body.html.clone()),
                fingerprint_of(&body.html),
            ),
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
    jobs.into_iter().map(Job::seal).collect()
}

#[derive(Serialize)]
struct YearGroup {
    label: String,
    anchor: String,
    events: Vec<Value>,
}

/// Events grouped under year headings, in display order, and a fingerprint.
fn year_groups(shared: &Shared<'_>) -> (Vec<Value>, u64) {
    let mut groups: Vec<YearGroup> = Vec::new();
    for (index, view) in shared.views.iter().enumerate() {
        let anchor = format!("y{}", view.date.year);
        match groups.last_mut() {
            Some(group) if group.anchor == anchor => group.events.push(shared.values[index].clone()),
            _ => groups.push(YearGroup {
                label: view.date.year_label.clone(),
                anchor,
                events: vec![shared.values[index].clone()],
            }),
        }
    }
    if shared.site.config.order == Order::Descending {
        groups.reverse();
        for group in &mut groups {
            group.events.reverse();
        }
    }
    let print = fingerprint_of(&(&shared.prints, shared.site.config.order == Order::Descending));
    (groups.iter().map(Value::from_serializable).collect(), print)
}

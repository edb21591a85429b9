//! The site as a whole: events sorted and cross-checked, tracks, tags, eras.
//!
//! [`Site::assemble`] takes what the parsers produced and checks what no
//! single file can know (`checks.rs`): duplicate slugs, media files that do
//! not exist, tracks not declared (created on the fly), pages whose URL
//! would clash. It is pure, but for the memo table of orders ([`Orders`],
//! `order.rs`) the preview may hand it, which changes how fast it is and
//! never what it finds; every problem becomes a [`Diagnostic`].

mod checks;
pub mod lint;
mod order;
pub mod partial_check;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use crate::config::{Config, Era, Track};
use crate::date::{Date, EndDate};
use crate::diagnostic::Diagnostic;
use crate::hashing::{HashMap, HashSet};
use crate::load::SourceTexts;
use crate::memo::Key;
use crate::parse::event::Event;
use crate::parse::page::{Intro, Page};
use crate::slug::Slug;

pub use order::{Ordered, Orders};

/// A tag and the events that carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The name as first written.
    pub name: String,
    /// Its URL name.
    pub slug: Slug,
    /// Indexes into [`Site::events`], in timeline order.
    pub events: Vec<usize>,
}

/// The validated site, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    /// Settings.
    pub config: Config,
    /// Intro text for the timeline page.
    pub intro: Intro,
    /// Every published event, oldest first. Events are shared with the
    /// parse cache of a site rebuilt again and again.
    pub events: Vec<Arc<Event>>,
    /// Stand-alone pages, by weight then title.
    pub pages: Vec<Page>,
    /// Declared tracks, then tracks events named without declaring them.
    pub tracks: Vec<Track>,
    /// Tags, sorted by slug.
    pub tags: Vec<Tag>,
    /// The key of every event's date, end, weight, place, slug and tags,
    /// in timeline order: of all that the order of the events, their tags,
    /// the set of slugs and the timeline's layout are made from.
    pub shape: Key,
}

/// What went into the site besides the parsed files.
pub struct Inputs<'a> {
    /// Site-relative paths of every asset under `content/` (for media checks).
    pub content_assets: &'a HashSet<String>,
    /// The text of every content file, to quote lines in diagnostics.
    pub texts: &'a dyn SourceTexts,
    /// Whether drafts are published.
    pub drafts: bool,
}

impl Site {
    /// Checks and orders the parsed content. Returns the site and its
    /// warnings, or every error found. The order and tags come from
    /// `orders` when it has them, and are kept there (a one-shot table
    /// keeps nothing); the caller ends the table's build.
    pub fn assemble(
        config: Config,
        intro: Intro,
        events: Vec<Arc<Event>>,
        pages: Vec<Page>,
        inputs: &Inputs<'_>,
        orders: &mut Orders,
    ) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
        let events: Vec<Arc<Event>> = events
            .into_iter()
            .filter(|event| inputs.drafts || !event.draft)
            .collect();
        let (ordered, mut errors) = order::order_events(&events, inputs.texts, orders);
        let events: Vec<Arc<Event>> = ordered.order.iter().map(|&at| Arc::clone(&events[at])).collect();
        errors.extend(checks::missing_media(&events, inputs));
        let warnings = checks::uncited_events(&events, inputs.texts);
        let tracks = tracks_of(&config, &events);
        let pages = published_pages(pages, inputs.drafts);
        errors.extend(checks::page_slug_clashes(&pages, inputs.texts));
        if !errors.is_empty() {
            errors.extend(warnings);
            return Err(errors);
        }
        let tags = named_tags(&ordered, &config);
        let site = Site {
            config,
            intro,
            events,
            pages,
            tracks,
            tags,
            shape: ordered.shape,
        };
        Ok((site, warnings))
    }

    /// The eras an event falls in.
    pub fn eras_of<'a>(&'a self, event: &'a Event) -> impl Iterator<Item = &'a Era> + 'a {
        self.config.eras.iter().filter(move |era| in_era(&event.date, era))
    }

    /// The events of each era of `config.eras`, as indexes in timeline
    /// order. The events are in date order, and an era holds those from its
    /// start to its end: one run of them, found by two binary searches
    /// rather than by reading every event's date.
    pub fn era_events(&self) -> Vec<Vec<usize>> {
        self.config
            .eras
            .iter()
            .map(|era| {
                let from = self.events.partition_point(|event| !after_start(&event.date, era));
                let to = self.events.partition_point(|event| before_end(&event.date, era));
                (from..to.max(from)).collect()
            })
            .collect()
    }

    /// The events of each track of `tracks`, as indexes in timeline order.
    pub fn track_events(&self) -> Vec<Vec<usize>> {
        let place: HashMap<&Slug, usize> = self
            .tracks
            .iter()
            .enumerate()
            .map(|(at, track)| (&track.id, at))
            .collect();
        let mut events = vec![Vec::new(); self.tracks.len()];
        for (index, event) in self.events.iter().enumerate() {
            if let Some(at) = event.track.as_ref().and_then(|id| place.get(id)) {
                events[*at].push(index);
            }
        }
        events
    }
}

/// The site's tags, by slug, named in the language of `config` where
/// `translations:` names them (the slug, and so the address, stays).
fn named_tags(ordered: &Ordered, config: &Config) -> Vec<Tag> {
    ordered
        .tags
        .values()
        .map(|tag| match config.tag_names.get(tag.slug.as_str()) {
            Some(name) => Tag {
                name: name.clone(),
                ..tag.clone()
            },
            None => tag.clone(),
        })
        .collect()
}

/// The declared tracks, then each track an event names without its being
/// declared, in the order first named.
fn tracks_of(config: &Config, events: &[Arc<Event>]) -> Vec<Track> {
    let mut tracks = config.tracks.clone();
    for event in events {
        if let Some(track) = &event.track {
            if !tracks.iter().any(|known| &known.id == track) {
                tracks.push(Track {
                    id: track.clone(),
                    title: track.to_string(),
                    colour: None,
                    order: i64::MAX,
                });
            }
        }
    }
    tracks
}

/// The pages to publish (drafts too when `drafts`), by weight, then
/// title, then path.
fn published_pages(pages: Vec<Page>, drafts: bool) -> Vec<Page> {
    let mut pages: Vec<Page> = pages.into_iter().filter(|page| drafts || !page.draft).collect();
    pages.sort_by(|a, b| (a.weight, &a.title, &a.path).cmp(&(b.weight, &b.title, &b.path)));
    pages
}

/// Whether `date` falls within the era, comparing at the era's precision:
/// an era ending "2025-11" includes 19 November 2025.
fn in_era(date: &Date, era: &Era) -> bool {
    after_start(date, era) && before_end(date, era)
}

/// Whether `date` is not before the era's start. The dates the start covers
/// (all of 1984 for a start of `c. 1984`) sort right around it, so in date
/// order this is false for some first dates and true for all the rest.
fn after_start(date: &Date, era: &Era) -> bool {
    date >= &era.start || era.start.covers(date)
}

/// Whether `date` is not after the era's end: true for some first dates in
/// date order and false for all the rest.
fn before_end(date: &Date, era: &Era) -> bool {
    match era.end {
        None | Some(EndDate::Ongoing) => true,
        Some(EndDate::On(end)) => date <= &end || end.covers(date),
    }
}

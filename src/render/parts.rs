//! Each event's share of a render: its view, its template value, what its
//! neighbours' pages show of it, and the problems in its Markdown — made
//! once per event, in parallel.
//!
//! The preview keeps the shares between rebuilds, by the event's
//! fingerprint: an event that did not change, on a site whose tracks, tags,
//! eras, pictures and event addresses did not change either, is not made
//! again. What depends on other events (its place on the timeline, its
//! related events) is added afterwards, in [`super::render`].

use std::sync::Arc;

use rayon::prelude::*;
use tera::Value;

use crate::diagnostic::Diagnostic;
use crate::hashing::HashMap;
use crate::parse::event::Event;
use crate::parse::markdown::MarkdownContext;

use super::event::{self, EventMarkdown, ViewInputs};
use super::view::{EraRef, EventRef, EventView, TagView};
use crate::hashing::fingerprint_json;
use crate::hashing::fingerprint_of;

/// One event's share of a render.
pub struct EventPart {
    /// Its view, trimmed to what page plans, the feed and the data files
    /// read; the long texts are in `value` only.
    pub view: Arc<EventView>,
    /// Its template value, before its timeline address and related events
    /// are set.
    pub value: Value,
    /// A fingerprint of what `value` is made from: the event, and what
    /// views read besides it.
    pub print: u64,
    /// What the pages of related events show of it.
    pub reference: Value,
    /// A fingerprint of `reference`.
    pub reference_print: u64,
    /// Links in its Markdown to events that do not exist.
    pub problems: Vec<Diagnostic>,
}

/// Shares kept from the last renders (by `serve`). A rebuild adds the
/// shares it made and leaves the others in place; those of events that are
/// gone or changed stay until the cache holds twice as many shares (or
/// Markdown renderings) as the site has events, and then only the current
/// ones are kept. A share is made from
/// its event and the context alone, so an old one is still right if its
/// event comes back (an edit undone).
#[derive(Default)]
pub struct PartCache {
    /// The fingerprint of what views read besides their event.
    context: u64,
    /// Shares by event fingerprint.
    parts: HashMap<u64, Arc<EventPart>>,
    /// Rendered Markdown by event and Markdown context.
    markdown: HashMap<u64, Arc<EventMarkdown>>,
}

/// Each event's share, in the order of `inputs.site.events`, taken from
/// `cache` where it can be and kept there for next time when `keep`.
pub fn event_parts(
    inputs: &ViewInputs<'_>,
    md: &MarkdownContext<'_>,
    md_key: u64,
    cache: &mut PartCache,
    keep: bool,
) -> Vec<Arc<EventPart>> {
    let site = inputs.site;
    let context = context_print(inputs, md_key);
    if context != cache.context {
        cache.parts.clear();
    }
    let shared = SharedValues::new(inputs);
    // Each share; for one made anew, its Markdown by its key, to keep.
    type Made = (Arc<EventPart>, Option<(u64, Arc<EventMarkdown>)>);
    let made: Vec<Made> = site
        .events
        .par_iter()
        .map(|event| {
            if let Some(known) = cache.parts.get(&event.fingerprint).filter(|_| event.fingerprint != 0) {
                return (Arc::clone(known), None);
            }
            let (markdown_key, markdown) = event::event_markdown(event, md, md_key, &cache.markdown);
            let kept = keep.then(|| (markdown_key, Arc::clone(&markdown)));
            (Arc::new(make_part(inputs, context, event, markdown, &shared)), kept)
        })
        .collect();
    let mut parts = Vec::with_capacity(made.len());
    let mut new_markdown = Vec::new();
    for (part, kept) in made {
        parts.push(part);
        new_markdown.extend(kept);
    }
    if keep {
        cache.context = context;
        let most = 2 * parts.len() + 64;
        if cache.parts.len() > most || cache.markdown.len() > most {
            // Only the current shares, and their Markdown, from here on.
            let current: HashMap<u64, Arc<EventMarkdown>> = site
                .events
                .iter()
                .filter_map(|event| {
                    let key = fingerprint_of(&(md_key, event.fingerprint));
                    Some((key, Arc::clone(cache.markdown.get(&key)?)))
                })
                .collect();
            cache.markdown = current;
            cache.parts.clear();
        }
        cache.markdown.extend(new_markdown);
        for (event, part) in site.events.iter().zip(&parts) {
            if event.fingerprint != 0 {
                cache.parts.entry(event.fingerprint).or_insert_with(|| Arc::clone(part));
            }
        }
    }
    parts
}

/// A fingerprint of everything an event's view reads besides the event.
fn context_print(inputs: &ViewInputs<'_>, md_key: u64) -> u64 {
    let site = inputs.site;
    let tags: Vec<TagView> = site.tags.iter().map(TagView::new).collect();
    let mut sizes: Vec<(&String, &(u32, u32))> = inputs.image_sizes.iter().collect();
    sizes.sort_unstable();
    fingerprint_of(&(
        md_key,
        site.config.language,
        fingerprint_json(inputs.tracks),
        fingerprint_json(&tags),
        format!("{:?}", site.config.eras),
        sizes,
    ))
}

/// The values many events share — their track, their tags, their eras — one
/// of each, reference-counted, rather than a copy per event: on a big site
/// that is most of the memory the values take.
struct SharedValues {
    tracks: HashMap<String, Value>,
    tags: HashMap<String, Value>,
    eras: HashMap<String, Value>,
}

impl SharedValues {
    fn new(inputs: &ViewInputs<'_>) -> Self {
        let site = inputs.site;
        let tracks = inputs
            .tracks
            .iter()
            .map(|track| (track.id.clone(), Value::from_serializable(track)))
            .collect();
        let tags = site
            .tags
            .iter()
            .map(|tag| {
                let view = TagView::new(tag);
                (view.slug.clone(), Value::from_serializable(&view))
            })
            .collect();
        let eras = site
            .config
            .eras
            .iter()
            .map(|era| {
                let reference = EraRef {
                    slug: era.slug.to_string(),
                    title: era.title.clone(),
                    url: format!("eras/{}/index.html", era.slug),
                };
                (reference.slug.clone(), Value::from_serializable(&reference))
            })
            .collect();
        SharedValues { tracks, tags, eras }
    }
}

/// Makes one event's share from its rendered Markdown; `context` is the
/// fingerprint of what views read besides their event.
fn make_part(
    inputs: &ViewInputs<'_>,
    context: u64,
    event: &Event,
    markdown: Arc<EventMarkdown>,
    shared: &SharedValues,
) -> EventPart {
    let (mut view, problems) = event::event_view(inputs, event, markdown);
    // A view is made from its event and the context alone, so their
    // fingerprints stand for it, without going through its texts again;
    // an event made without a fingerprint has its view's.
    let print = if event.fingerprint == 0 {
        fingerprint_json(&view)
    } else {
        fingerprint_of(&(context, event.fingerprint))
    };
    let reference = EventRef {
        slug: view.slug.clone(),
        title: view.title.clone(),
        url: view.url.clone(),
        date_label: view.date_label.clone(),
    };
    let Some(mut map) = Value::from_serializable(&view).into_map() else {
        unreachable!("an event view is a map");
    };
    let share = |known: &HashMap<String, Value>, key: &str, own: &dyn Fn() -> Value| {
        known.get(key).cloned().unwrap_or_else(own)
    };
    let track = view
        .track
        .as_ref()
        .map(|track| share(&shared.tracks, &track.id, &|| Value::from_serializable(track)));
    map.insert("track".into(), track.unwrap_or_else(Value::none));
    let tags: Vec<Value> = view
        .tags
        .iter()
        .map(|tag| share(&shared.tags, &tag.slug, &|| Value::from_serializable(tag)))
        .collect();
    map.insert("tags".into(), Value::from(tags));
    let eras: Vec<Value> = view
        .eras
        .iter()
        .map(|era| share(&shared.eras, &era.slug, &|| Value::from_serializable(era)))
        .collect();
    map.insert("eras".into(), Value::from(eras));
    // From here on the longest texts are read from the value (by pages,
    // `events.json` and `timeline.json`); the view keeps what the page
    // plan and the feed read.
    view.body_html = String::new();
    view.summary_html = String::new();
    view.related = Vec::new();
    view.sources = Vec::new();
    view.eras = Vec::new();
    view.extra = serde_json::Map::new();
    EventPart {
        view: Arc::new(view),
        value: Value::from(map),
        print,
        reference_print: fingerprint_json(&reference),
        reference: Value::from_serializable(&reference),
        problems,
    }
}

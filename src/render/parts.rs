//! Each event's share of a render: its view, its template value, what its
//! neighbours' pages show of it, and the problems in its Markdown — made
//! once per event, in parallel.
//!
//! The preview keeps the shares between rebuilds, by the event's key: an event that did not change, on a site whose tracks, tags,
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
use super::view::{EraRef, EventView, TagView};
use crate::memo::{Key, Memo};

/// One event's share of a render.
pub struct EventPart {
    /// Its view, trimmed to what page plans, the feed and the data files
    /// read; the long texts are in `value` only.
    pub view: Arc<EventView>,
    /// Its template value, before its timeline address and related events
    /// are set.
    pub value: Value,
    /// Links in its Markdown to events that do not exist.
    pub problems: Vec<Diagnostic>,
}

/// The memo tables of event shares (kept by `serve`). A share is made
/// from its event and the context alone, so one is found again whenever
/// both are unchanged, also after an edit undone.
pub struct PartCache {
    /// Shares, by [`part_key`].
    parts: Memo<Arc<EventPart>>,
    /// Rendered Markdown, by [`event::markdown_key`].
    markdown: Memo<Arc<EventMarkdown>>,
}

impl PartCache {
    /// Tables that keep shares from build to build, or none (`keep` false).
    pub fn new(keep: bool) -> Self {
        if keep {
            PartCache {
                parts: Memo::keeping(),
                markdown: Memo::keeping(),
            }
        } else {
            PartCache {
                parts: Memo::one_shot(),
                markdown: Memo::one_shot(),
            }
        }
    }
}

/// The key of an event's share: the event, and the key of what views read
/// besides it ([`context_key`]).
pub fn part_key(context: Key, event: &Event) -> Key {
    Key::of(&(context, event.key))
}

impl PartCache {
    /// Ends a build in both tables, once every window's shares are made.
    pub fn end_build(&mut self) {
        self.parts.end_build();
        self.markdown.end_build();
    }
}

/// What every event's share is made with besides the event: the views'
/// inputs, the Markdown context and their keys, and the values many
/// events share.
pub struct PartInputs<'a> {
    pub inputs: &'a ViewInputs<'a>,
    pub md: &'a MarkdownContext<'a>,
    pub md_key: Key,
    /// The key of everything a view reads besides its event ([`context_key`]).
    pub context: Key,
    shared: SharedValues,
}

impl<'a> PartInputs<'a> {
    /// The inputs of the shares of `inputs.site`'s events.
    pub fn new(inputs: &'a ViewInputs<'a>, md: &'a MarkdownContext<'a>, md_key: Key) -> Self {
        PartInputs {
            inputs,
            md,
            md_key,
            context: context_key(inputs, md_key),
            shared: SharedValues::new(inputs),
        }
    }
}

/// The share of each of `events` (whole, with their texts), in order,
/// taken from `cache` where it can be and kept there for next time.
pub fn event_parts(made_with: &PartInputs<'_>, events: &[Arc<Event>], cache: &mut PartCache) -> Vec<Arc<EventPart>> {
    let PartInputs {
        inputs,
        md,
        md_key,
        context,
        ref shared,
    } = *made_with;
    let keeps = cache.markdown.keeps();
    // Each share, whether it was found, and its Markdown, whether found.
    type Made = (Arc<EventPart>, bool, Option<(Arc<EventMarkdown>, bool)>);
    let made: Vec<Made> = events
        .par_iter()
        .map(|event| {
            if let Some(known) = cache.parts.peek(part_key(context, event)) {
                return (Arc::clone(known), true, None);
            }
            let (markdown, found) = match cache.markdown.peek(event::markdown_key(event, md_key)) {
                Some(known) => (Arc::clone(known), true),
                None => (Arc::new(event::event_markdown(event, md)), false),
            };
            let part = make_part(inputs, event, Arc::clone(&markdown), shared);
            // A one-shot table keeps nothing: the Markdown goes with the view.
            let kept = keeps.then_some((markdown, found));
            (Arc::new(part), false, kept)
        })
        .collect();
    let mut parts = Vec::with_capacity(made.len());
    for (event, (part, found, markdown)) in events.iter().zip(made) {
        match found {
            true => cache.parts.found(part_key(context, event)),
            false => cache.parts.made(part_key(context, event), &part),
        }
        match markdown {
            Some((_, true)) => cache.markdown.found(event::markdown_key(event, md_key)),
            Some((markdown, false)) => cache.markdown.made(event::markdown_key(event, md_key), &markdown),
            None => {}
        }
        parts.push(part);
    }
    parts
}

/// The key of everything an event's view reads besides the event.
fn context_key(inputs: &ViewInputs<'_>, md_key: Key) -> Key {
    let site = inputs.site;
    let mut sizes: Vec<(&String, &(u32, u32))> = inputs.image_sizes.iter().collect();
    sizes.sort_unstable();
    Key::of(&(
        md_key,
        site.config.language,
        // Sources the translation leaves as written are in this language.
        site.config.default_language(),
        Key::of_json(inputs.tracks),
        Key::of_json(inputs.tags),
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

/// Makes one event's share from its rendered Markdown.
fn make_part(inputs: &ViewInputs<'_>, event: &Event, markdown: Arc<EventMarkdown>, shared: &SharedValues) -> EventPart {
    let (mut view, problems) = event::event_view(inputs, event, markdown);
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
    view.source_path = String::new();
    view.timeline_url = String::new();
    view.date.label = String::new();
    EventPart {
        view: Arc::new(view),
        value: Value::from(map),
        problems,
    }
}

//! What pages read of the events. Every event's key is known before any
//! value is made: it covers the event's share ([`super::parts`]), its place
//! on the timeline, what it shows of its related events and its list
//! entry, so that a page's key can cover its events by their keys alone.
//! The values themselves (each event's share completed with its timeline
//! address, its related events and its list entry) are made a window of
//! events at a time ([`window_values`]), as the sweep reaches them.

use std::sync::Arc;

use rayon::prelude::*;
use tera::Value;

use super::cache::{Related, SlugSet};
use super::card::{self, Cards};
use super::event::event_ref;
use super::parts::{self, PartCache, PartInputs};
use super::timeline::{self, Layout};
use super::view::EventView;
use super::RELATED_LIMIT;
use crate::diagnostic::Diagnostic;
use crate::hashing::{fingerprint_of, HashSet};
use crate::memo::{Key, Memo};
use crate::model::Site;
use crate::parse::event::Event;

/// The slug of every event (Markdown links to events are checked against
/// it), taken from the table while the events' shape stays the same.
pub(super) fn event_slugs(site: &Site, slugs: &mut Memo<SlugSet>) -> SlugSet {
    slugs.get_or_make(Key::of(&("slugs", site.shape)), || {
        let set: HashSet<String> = site.events.iter().map(|event| event.slug.to_string()).collect();
        // Markdown reads the set, not its order: the sum of the slugs'
        // fingerprints stands for it without sorting.
        let sum = set
            .iter()
            .fold(0u64, |sum, slug| sum.wrapping_add(fingerprint_of(slug)));
        (Arc::new(set), sum)
    })
}

/// The key of what rendering Markdown reads besides the text.
pub(super) fn markdown_key(site: &Site, slugs: &SlugSet) -> Key {
    Key::of(&(site.config.unsafe_html, slugs.1, slugs.0.len()))
}

/// Each event whole, for the sweep to make its share from. A one-shot
/// build (`keep` false) leaves the site a copy of each event without its
/// texts, so an event's Markdown source goes as soon as its window is
/// done; the preview's parse table holds the events anyway.
pub(super) fn whole_events(site: &mut Site, keep: bool) -> Vec<Arc<Event>> {
    if keep {
        return site.events.clone();
    }
    site.events
        .par_iter_mut()
        .map(|event| {
            let light = Arc::new(event.without_texts());
            std::mem::replace(event, light)
        })
        .collect()
}

/// The key of each event's completed value: its share's key, its timeline
/// page, its related events' references and the list entry's template.
pub(super) fn value_keys(
    site: &Site,
    context: Key,
    layout: &Layout,
    related: &Related,
    card_key: Option<Key>,
    reference_keys: &mut Memo<Key>,
) -> Vec<Key> {
    let references = reference_keys_of(site, reference_keys);
    (0..site.events.len())
        .into_par_iter()
        .map(|index| {
            let related_keys: Vec<Key> = related[index].iter().map(|&other| references[other]).collect();
            let part_key = parts::part_key(context, &site.events[index]);
            // The event's own key covers its slug; the layout adds the page.
            Key::of(&(part_key, layout.page_of(index), related_keys, card_key))
        })
        .collect()
}

/// The key of each event's reference (what related events' pages show of
/// it), from the table by the event's key and language where it can.
fn reference_keys_of(site: &Site, table: &mut Memo<Key>) -> Vec<Key> {
    let lang = site.config.language;
    let made: Vec<(Key, Key, bool)> = site
        .events
        .par_iter()
        .map(|event| {
            let by = Key::of(&("reference", event.key, lang));
            match table.peek(by) {
                Some(&known) => (by, known, true),
                None => (by, Key::of_json(&event_ref(event, lang)), false),
            }
        })
        .collect();
    made.into_iter()
        .map(|(by, key, found)| {
            match found {
                true => table.found(by),
                false => table.made(by, &key),
            }
            key
        })
        .collect()
}

/// What a window of events gives the pages.
pub(super) struct WindowValues {
    /// Each event's view, trimmed to what plans and the feed read.
    pub views: Vec<Arc<EventView>>,
    /// Each event's completed template value.
    pub values: Vec<Value>,
    /// Problems in the events' Markdown.
    pub problems: Vec<Diagnostic>,
    /// Problems of the list-entry template (a value stands empty).
    pub card_problems: Vec<Diagnostic>,
}

/// What completing a window's values reads.
pub(super) struct Completing<'a> {
    pub site: &'a Site,
    pub parts: &'a PartInputs<'a>,
    pub keys: &'a [Key],
    pub layout: &'a Layout,
    pub related: &'a Related,
    pub cards: Option<&'a Cards<'a>>,
}

/// The shares and completed values of `events` (whole), the events from
/// index `first` on, from the tables where they can be.
pub(super) fn window_values(
    with: &Completing<'_>,
    first: usize,
    events: &[Arc<Event>],
    part_cache: &mut PartCache,
    value_cache: &mut Memo<Value>,
) -> WindowValues {
    let parts = parts::event_parts(with.parts, events, part_cache);
    let problems: Vec<Diagnostic> = parts.iter().flat_map(|part| part.problems.iter().cloned()).collect();
    let views: Vec<Arc<EventView>> = parts.iter().map(|part| Arc::clone(&part.view)).collect();
    let lang = with.site.config.language;
    let table = &*value_cache;
    let made: Vec<(Result<Value, Diagnostic>, bool)> = parts
        .into_par_iter()
        .enumerate()
        .map(|(at, part)| {
            let index = first + at;
            if let Some(known) = table.peek(with.keys[index]) {
                return (Ok(known.clone()), true);
            }
            let slug = &part.view.slug;
            let timeline_url = with.layout.timeline_url(index, slug);
            let related_values = with.related[index]
                .iter()
                .map(|&other| Value::from_serializable(&event_ref(&with.site.events[other], lang)))
                .collect();
            let slug = slug.clone();
            // A share nobody else holds gives its value up without a copy.
            let value = Arc::try_unwrap(part).map_or_else(|shared| shared.value.clone(), |part| part.value);
            (complete(value, timeline_url, related_values, with.cards, &slug), false)
        })
        .collect();
    // A broken entry template stops the build once the page plan has found
    // its own problems too; until then the event's value stands empty.
    let mut card_problems = Vec::new();
    let mut values = Vec::with_capacity(made.len());
    for (at, (value, found)) in made.into_iter().enumerate() {
        let key = with.keys[first + at];
        match value {
            Ok(value) if found => {
                value_cache.found(key);
                values.push(value);
            }
            Ok(value) => {
                value_cache.made(key, &value);
                values.push(value);
            }
            Err(problem) => {
                card_problems.push(problem);
                values.push(Value::none());
            }
        }
    }
    WindowValues {
        views,
        values,
        problems,
        card_problems,
    }
}

/// How `site`'s timeline is split into pages and which events each event is
/// related to: made again only when the dates, tags or number of events
/// changed.
pub(super) fn layout_of(site: &Site, layouts: &mut Memo<(Arc<Layout>, Related)>) -> (Arc<Layout>, Related) {
    let key = Key::of(&(site.config.language, format!("{:?}", site.config.order), site.shape));
    layouts.get_or_make(key, || {
        (
            Arc::new(Layout::new(site)),
            Arc::new(timeline::related(site, RELATED_LIMIT)),
        )
    })
}

/// An event's value with its timeline address, its related events and its
/// list entry added.
fn complete(
    value: Value,
    timeline_url: String,
    related: Vec<Value>,
    cards: Option<&Cards<'_>>,
    slug: &str,
) -> Result<Value, Diagnostic> {
    let Some(mut map) = value.into_map() else {
        unreachable!("an event value is a map");
    };
    map.insert("timeline_url".into(), Value::from(timeline_url));
    map.insert("related".into(), Value::from(related));
    let Some(cards) = cards else {
        return Ok(Value::from(map));
    };
    let value = Value::from(map);
    let card = cards.render(&value, slug)?;
    let Some(mut map) = value.into_map() else {
        unreachable!("an event value is a map");
    };
    map.insert(card::CARD_FIELD.into(), Value::from(card));
    Ok(Value::from(map))
}

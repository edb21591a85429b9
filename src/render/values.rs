//! The render's first half: what every page reads of the events. Each
//! event's share (its view, its Markdown, [`super::parts`]) and the
//! timeline's layout are made side by side; then each event's template
//! value is completed with its place on the timeline, its related events
//! and its list entry, and keyed by all four, so that a page's key can
//! cover its events by their keys alone.

use std::sync::Arc;

use rayon::prelude::*;
use tera::Value;

use super::cache::{Related, RenderCache, SlugSet};
use super::card::{self, Cards};
use super::event::ViewInputs;
use super::timeline::{self, Layout};
use super::view::EventView;
use super::{parts, report_once, RELATED_LIMIT};
use crate::diagnostic::Diagnostic;
use crate::hashing::{fingerprint_of, HashSet};
use crate::memo::{Key, Memo};
use crate::model::Site;
use crate::parse::markdown::MarkdownContext;

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

/// What the events give every page.
pub(super) struct EventValues {
    /// Each event's view, trimmed to what plans and the feed read.
    pub views: Vec<Arc<EventView>>,
    /// Each event's completed template value.
    pub values: Vec<Value>,
    /// The key of each value.
    pub keys: Vec<Key>,
    pub layout: Arc<Layout>,
    /// Problems in the events' Markdown.
    pub problems: Vec<Diagnostic>,
    /// Problems of the list-entry template (a value stands empty).
    pub card_problems: Vec<Diagnostic>,
}

/// Each event's share and the timeline's layout.
pub(super) struct Shares {
    parts: Vec<Arc<parts::EventPart>>,
    layout: Arc<Layout>,
    related: Related,
}

/// Makes each event's share and the timeline's layout, side by side, from
/// the tables where it can.
pub(super) fn shares(
    inputs: &ViewInputs<'_>,
    md: &MarkdownContext<'_>,
    md_key: Key,
    cache: &mut RenderCache,
) -> Shares {
    let (part_cache, layouts) = (&mut cache.parts, &mut cache.layouts);
    let (parts, (layout, related)) = rayon::join(
        || parts::event_parts(inputs, md, md_key, part_cache),
        || layout_of(inputs.site, layouts),
    );
    Shares { parts, layout, related }
}

/// Once every event's share is made, what only the views needed — the
/// Markdown source, the biggest text a site has, and the fields the views
/// copied — is let go (unless the parse table shares the event).
pub(super) fn let_sources_go(site: &mut Site) {
    for event in site.events.iter_mut().filter_map(Arc::get_mut) {
        event.body = String::new();
        event.summary = None;
        event.media = Vec::new();
        event.sources = Vec::new();
        event.extra = serde_json::Map::new();
    }
}

/// Completes every event's value, from the table where it can.
pub(super) fn event_values(shares: Shares, cards: Option<&Cards<'_>>, cache: &mut RenderCache) -> EventValues {
    let Shares { parts, layout, related } = shares;
    let problems: Vec<Diagnostic> = parts.iter().flat_map(|part| part.problems.iter().cloned()).collect();
    let card_key = cards.map(|cards| cards.key);
    // A page shows an event's own value, its place on the timeline, what it
    // shows of its related events and its list entry: its key covers all
    // four.
    let keys: Vec<Key> = (0..parts.len())
        .into_par_iter()
        .map(|index| {
            let related_keys: Vec<Key> = related[index].iter().map(|&other| parts[other].reference_key).collect();
            // The event's own key covers its slug; the layout adds the page.
            Key::of(&(parts[index].key, layout.page_of(index), related_keys, card_key))
        })
        .collect();
    let views: Vec<Arc<EventView>> = parts.iter().map(|part| Arc::clone(&part.view)).collect();
    let references: Vec<Value> = parts.iter().map(|part| part.reference.clone()).collect();
    let table = &cache.values;
    let made: Vec<(Result<Value, Diagnostic>, bool)> = parts
        .into_par_iter()
        .enumerate()
        .map(|(index, part)| {
            if let Some(known) = table.peek(keys[index]) {
                return (Ok(known.clone()), true);
            }
            let timeline_url = layout.timeline_url(index, &part.view.slug);
            // A share nobody else holds gives its value up without a copy.
            let value = Arc::try_unwrap(part).map_or_else(|shared| shared.value.clone(), |part| part.value);
            let related_values = related[index].iter().map(|&other| references[other].clone()).collect();
            (
                complete(value, timeline_url, related_values, cards, &views[index].slug),
                false,
            )
        })
        .collect();
    // A broken entry template stops the build once the page plan has found
    // its own problems too; until then the event's value stands empty.
    let mut card_problems = Vec::new();
    let mut values = Vec::with_capacity(made.len());
    for (key, (value, found)) in keys.iter().zip(made) {
        match value {
            Ok(value) if found => {
                cache.values.found(*key);
                values.push(value);
            }
            Ok(value) => {
                cache.values.made(*key, &value);
                values.push(value);
            }
            Err(problem) => {
                card_problems.push(problem);
                values.push(Value::none());
            }
        }
    }
    EventValues {
        views,
        values,
        keys,
        layout,
        problems,
        card_problems: report_once(card_problems, "list entries"),
    }
}

/// How `site`'s timeline is split into pages and which events each event is
/// related to: made again only when the dates, tags or number of events
/// changed.
fn layout_of(site: &Site, layouts: &mut Memo<(Arc<Layout>, Related)>) -> (Arc<Layout>, Related) {
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

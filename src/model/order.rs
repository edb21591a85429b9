//! The events' timeline order and their tags, found once per shape of the
//! site: [`order_events`] takes them from the memo table of [`Orders`]
//! when no event moved, was retagged or changed its slug.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::date::{Date, EndDate};
use crate::diagnostic::Diagnostic;
use crate::hashing::HashMap;
use crate::load::SourceTexts;
use crate::memo::{Key, Memo};
use crate::parse::event::Event;
use crate::slug::Slug;

use super::checks::duplicate_slugs;
use super::Tag;

/// The events' timeline order and tags, and the site's shape: a function of
/// each event's date, end, weight, place, slug and tags, in the order the
/// events came ([`order_key`]). The usual edit (a body, a title, a summary)
/// changes none of these; then the preview takes the order from its table
/// instead of sorting and grouping 10,000 events again.
#[derive(Debug)]
pub struct Ordered {
    /// The timeline order, as indexes into the events as they came.
    pub(super) order: Vec<usize>,
    /// The tags, by slug.
    pub(super) tags: BTreeMap<Slug, Tag>,
    /// [`super::Site::shape`] of the sorted events.
    pub(super) shape: Key,
}

/// The memo table of orders.
pub type Orders = Memo<Arc<Ordered>>;

/// The order and tags of `events`, from `orders` when it has them, else
/// found and kept there, with an error for each slug used twice (an order
/// is kept only when it found none). `texts` holds each file's text, to
/// quote the line.
pub(super) fn order_events(
    events: &[Arc<Event>],
    texts: &dyn SourceTexts,
    orders: &mut Orders,
) -> (Arc<Ordered>, Vec<Diagnostic>) {
    let key = order_key(events);
    if let Some(kept) = orders.get(key) {
        return (kept, Vec::new());
    }
    let order = timeline_order(events);
    let sorted: Vec<Arc<Event>> = order.iter().map(|&at| Arc::clone(&events[at])).collect();
    // Two independent passes over every event, side by side.
    let (slug_errors, tags) = rayon::join(|| duplicate_slugs(&sorted, texts), || group_tags(&sorted));
    let places: Vec<Key> = sorted.iter().map(|event| event.place()).collect();
    let ordered = Arc::new(Ordered {
        order,
        tags,
        shape: Key::of(&places),
    });
    if slug_errors.is_empty() {
        orders.keep(key, Arc::clone(&ordered));
    }
    (ordered, slug_errors)
}

/// The key of the events' order: each one's place, in the order they came.
fn order_key(events: &[Arc<Event>]) -> Key {
    let places: Vec<Key> = events.iter().map(|event| event.place()).collect();
    Key::of(&places)
}

/// The timeline order of `events`, as indexes: by date, end and weight,
/// then by file and line so that the order is the same in every build.
fn timeline_order(events: &[Arc<Event>]) -> Vec<usize> {
    // Sorted by keys gathered once, not looked up in each comparison.
    let mut order: Vec<(Date, Option<EndDate>, i64, usize)> = events
        .iter()
        .enumerate()
        .map(|(at, event)| (event.date, event.end, event.weight, at))
        .collect();
    order.par_sort_unstable_by(|a, b| {
        (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)).then_with(|| {
            let (a, b) = (&events[a.3].origin, &events[b.3].origin);
            (&a.path, a.first_line).cmp(&(&b.path, b.first_line))
        })
    });
    order.into_iter().map(|(.., at)| at).collect()
}

/// Each tag with the events that carry it, in timeline order, by slug.
///
/// Events are grouped by the name written, in parallel runs joined in
/// order; a site uses a few dozen names, so each is made a slug once, and
/// names with the same slug are one tag, named as it was first written.
fn group_tags<'a>(events: &'a [Arc<Event>]) -> BTreeMap<Slug, Tag> {
    // Per name: where it is first written (event, place in its tags), and
    // the events that carry it, in order.
    type Named<'a> = HashMap<&'a str, ((usize, usize), Vec<usize>)>;
    let group_run = |mut names: Named<'a>, (index, event): (usize, &'a Arc<Event>)| {
        for (place, name) in event.tags.iter().enumerate() {
            names
                .entry(name.as_str())
                .or_insert_with(|| ((index, place), Vec::new()))
                .1
                .push(index);
        }
        names
    };
    let names: Named<'a> = events.par_iter().enumerate().fold(HashMap::default, group_run).reduce(
        HashMap::default,
        |mut earlier, later| {
            for (name, (first, indexes)) in later {
                match earlier.get_mut(name) {
                    // The earlier run's events come first.
                    Some(known) => known.1.extend(indexes),
                    None => {
                        earlier.insert(name, (first, indexes));
                    }
                }
            }
            earlier
        },
    );
    let mut tags: BTreeMap<Slug, ((usize, usize), Tag)> = BTreeMap::new();
    for (name, (first, indexes)) in names {
        let slug = Slug::from_text(name);
        match tags.get_mut(&slug) {
            Some((known_first, tag)) => {
                if first < *known_first {
                    *known_first = first;
                    tag.name = name.to_string();
                }
                tag.events.extend(indexes);
                tag.events.sort_unstable();
            }
            None => {
                let tag = Tag {
                    name: name.to_string(),
                    slug: slug.clone(),
                    events: indexes,
                };
                tags.insert(slug, (first, tag));
            }
        }
    }
    tags.into_iter().map(|(slug, (_, tag))| (slug, tag)).collect()
}

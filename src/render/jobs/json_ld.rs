//! Structured data for search engines, as a `<script
//! type="application/ld+json">` holds it: an `ItemList` for the timeline,
//! an `Event` for an event page.

use std::sync::Arc;

use crate::render::view::EventView;
use crate::render::Shared;

/// An `ItemList` of the events (or, for a split timeline, of the pages of
/// its parts).
pub(super) fn index_json_ld(shared: &Shared<'_>, views: &[Arc<EventView>]) -> String {
    let items: Vec<serde_json::Value> = match &shared.layout.parts {
        None => views
            .iter()
            .enumerate()
            .map(|(i, view)| list_item(shared, i, &view.title, &view.url))
            .collect(),
        Some(parts) => parts
            .iter()
            .enumerate()
            .map(|(i, part)| list_item(shared, i, &part.title(), &part.url))
            .collect(),
    };
    script_json(&serde_json::json!({
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": shared.site.config.title,
        "description": shared.site.config.description,
        "numberOfItems": items.len(),
        "itemListElement": items,
    }))
}

/// Item `i` of an `ItemList`: a page's name and address.
fn list_item(shared: &Shared<'_>, i: usize, name: &str, path: &str) -> serde_json::Value {
    serde_json::json!({
        "@type": "ListItem",
        "position": i + 1,
        "name": name,
        "url": page_address(shared, path),
    })
}

/// An `Event` for an event page.
pub(super) fn event_json_ld(shared: &Shared<'_>, view: &EventView) -> String {
    let mut event = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": view.title,
        "startDate": view.date.datetime,
        "description": view.summary_text,
        "url": page_address(shared, &view.url),
    });
    if let Some(end) = view.end.as_ref().and_then(|end| end.datetime.clone()) {
        event["endDate"] = serde_json::Value::from(end);
    }
    if let Some(thumb) = &view.thumbnail {
        let src = if thumb.local {
            absolute(shared, &thumb.src)
        } else {
            thumb.src.clone()
        };
        event["image"] = serde_json::Value::from(src);
    }
    script_json(&event)
}

/// JSON for a `<script type="application/ld+json">`: `</` cannot end the
/// script early.
fn script_json(value: &serde_json::Value) -> String {
    crate::render::json::script(value)
}

fn absolute(shared: &Shared<'_>, path: &str) -> String {
    match &shared.site.config.base_url {
        Some(base) => format!("{base}{path}"),
        None => path.to_string(),
    }
}

/// A page's address as its canonical link gives it: the folder, not
/// `index.html`.
fn page_address(shared: &Shared<'_>, path: &str) -> String {
    absolute(shared, path.strip_suffix("index.html").unwrap_or(path))
}

//! The event pages: one per event, planned with only the event and its
//! neighbours; its title, description and structured data are filled in
//! when it is rendered ([`complete`]).

use rayon::prelude::*;
use tera::Value;

use crate::memo::Key;
use crate::render::view::EventView;
use crate::render::Shared;

use super::json_ld::event_json_ld;
use super::{Job, Var};

/// What an event page is made from, apart from what every page shares:
/// its event and the events before and after it, if any. An event's key
/// covers its slug (the page's path), its picture and what [`complete`]
/// fills in, so these three keys are the page's whole input, and a rebuild
/// can tell an unchanged event page without planning it.
pub fn event_page_inputs(keys: &[Key], index: usize) -> Key {
    let at = |i: Option<usize>| i.and_then(|i| keys.get(i)).copied();
    Key::of(&("event page", at(index.checked_sub(1)), keys[index], at(Some(index + 1))))
}

/// The page of every event but those `reused` marks (by event index).
pub(super) fn event_pages(shared: &Shared<'_>, reused: &[bool]) -> Vec<Job> {
    shared
        .views
        .par_iter()
        .enumerate()
        .filter(|(index, _)| !reused.get(*index).copied().unwrap_or(false))
        .map(|(index, view)| event_page(shared, index, view))
        .collect()
}

/// The page of event `index`, whose view is `view`.
fn event_page(shared: &Shared<'_>, index: usize, view: &EventView) -> Job {
    let neighbour = |i: Option<usize>| match i.filter(|&i| i < shared.values.len()) {
        Some(i) => shared.values[i].clone(),
        None => Value::none(),
    };
    let mut job = Job::new(view.url.clone(), "event.html", "event", String::new(), String::new());
    job.event = Some(index);
    job.vars = vec![
        ("event", Var::Now(shared.values[index].clone())),
        ("prev", Var::Now(neighbour(index.checked_sub(1)))),
        ("next", Var::Now(neighbour(Some(index + 1)))),
    ];
    job.inputs = event_page_inputs(&shared.keys, index);
    job.article(
        view.thumbnail
            .as_ref()
            .map(|thumb| (thumb.src.clone(), thumb.local, thumb.alt.clone())),
    )
}

/// Fills in what an event page's job leaves for rendering time.
pub fn complete(mut job: Job, shared: &Shared<'_>) -> Job {
    if let Some(index) = job.event {
        let view = &shared.views[index];
        job.title = view.title.clone();
        job.description = view.summary_text.clone();
        job.json_ld = Some(event_json_ld(shared, index));
    }
    job
}

//! The event pages: one per event, planned with only the event and its
//! neighbours; its title, description and structured data are filled in
//! when it is rendered ([`complete`]).

use std::sync::Arc;

use rayon::prelude::*;

use crate::memo::Key;
use crate::render::view::EventView;
use crate::render::Shared;

use super::json_ld::event_json_ld;
use super::Job;

/// What an event page is made from, apart from what every page shares:
/// its event and the events before and after it, if any. An event's key
/// covers its slug (the page's path), its picture and what [`complete`]
/// fills in, so these three keys are the page's whole input, and a rebuild
/// can tell an unchanged event page without planning it.
pub fn event_page_inputs(keys: &[Key], index: usize) -> Key {
    let at = |i: Option<usize>| i.and_then(|i| keys.get(i)).copied();
    Key::of(&("event page", at(index.checked_sub(1)), keys[index], at(Some(index + 1))))
}

/// The pages of the events `first..` whose views are `views`, but those
/// `reused` marks (by event index).
pub(super) fn event_pages(shared: &Shared<'_>, first: usize, views: &[Arc<EventView>], reused: &[bool]) -> Vec<Job> {
    views
        .par_iter()
        .enumerate()
        .map(|(at, view)| (first + at, view))
        .filter(|(index, _)| !reused.get(*index).copied().unwrap_or(false))
        .map(|(index, view)| event_page(shared, index, view))
        .collect()
}

/// The page of event `index`, whose view is `view`. Its event and its
/// neighbours become the variables `event`, `prev` and `next` when it is
/// rendered.
fn event_page(shared: &Shared<'_>, index: usize, view: &Arc<EventView>) -> Job {
    let mut job = Job::new(view.url.clone(), "event.html", "event", String::new(), String::new());
    job.event = Some(index);
    job.view = Some(Arc::clone(view));
    job.inputs = event_page_inputs(&shared.keys, index);
    job.article(
        view.thumbnail
            .as_ref()
            .map(|thumb| (thumb.src.clone(), thumb.local, thumb.alt.clone())),
    )
}

/// Fills in what an event page's job leaves for rendering time.
pub fn complete(mut job: Job, shared: &Shared<'_>) -> Job {
    if let Some(view) = &job.view {
        job.title = view.title.clone();
        job.description = view.summary_text.clone();
        job.json_ld = Some(event_json_ld(shared, view));
    }
    job
}

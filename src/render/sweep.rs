//! The render as a sweep along the timeline, so that a big site's memory
//! stays bounded: the events' shares and values are made a window of
//! [`WINDOW`] events at a time, in timeline order; after each window, the
//! pages whose events all have their values are rendered, the window's
//! pieces of `events.json`, `timeline.json` and the search index are sent,
//! and the values no page still to come shows are let go.
//!
//! An event page shows its event and its neighbours, a page of a list or
//! of a split timeline at most [`super::timeline::PAGE_MAX`] events: a value
//! is held from its window until the last page that shows it, so what is
//! held at once is a window and the pages of each list still open. (A
//! timeline in one page, at most [`super::timeline::SPLIT_AT`] events,
//! shows them all on its index: they are held to the end.)

use std::collections::BTreeMap;
use std::sync::Arc;

use tera::Value;

use super::data::DataRun;
use super::feed;
use super::jobs::{self, Job};
use super::pages::PageRun;
use super::parts::PartCache;
use super::search::{SearchCache, SearchRun};
use super::values::{self, Completing};
use super::view::EventView;
use super::Shared;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::memo::Memo;
use crate::parse::event::Event;
use crate::render::cache::DataPiece;
use crate::render::stream::Destination;

/// How many events' values are made at once.
pub(super) const WINDOW: usize = 512;

/// The events' template values the sweep holds, by event index.
pub(super) struct Held {
    values: Vec<Option<Value>>,
    /// For each event, how many events must have their values for the
    /// last page that shows it to be rendered: once the sweep is past
    /// that, its value goes. (`usize::MAX` when the index, rendered after
    /// the sweep, shows it.)
    last_use: Vec<usize>,
}

impl Held {
    /// Nothing held yet of `count` events; `whole_timeline` when the index
    /// shows every event.
    fn new(count: usize, whole_timeline: bool) -> Self {
        // An event page shows its event and its neighbours.
        let last_use = (0..count)
            .map(|index| {
                if whole_timeline {
                    usize::MAX
                } else {
                    (index + 3).min(count)
                }
            })
            .collect();
        Held {
            values: vec![None; count],
            last_use,
        }
    }

    /// Keeps the values of the events `job` shows until it is rendered.
    fn needed_by(&mut self, job: &Job) {
        let count = self.values.len();
        let ready = job.ready_at(count);
        for index in job.shown(count) {
            self.last_use[index] = self.last_use[index].max(ready);
        }
    }

    /// The value of event `index` (none once it is let go, which no page
    /// asks for).
    pub fn value(&self, index: usize) -> Value {
        self.values[index].clone().unwrap_or_else(Value::none)
    }

    /// Lets go of the values no page still to render shows, once every
    /// event before `done` has its value.
    fn release(&mut self, done: usize) {
        for (value, &last) in self.values.iter_mut().zip(&self.last_use) {
            if last <= done {
                *value = None;
            }
        }
    }
}

/// The pages waiting for their events' values, by how many events must
/// have them ([`Job::ready_at`], worked out once), then in the order they
/// came: each window takes those it made ready without looking at the
/// others. (Boxed: a job is a few hundred bytes, which the map would move
/// about at every insertion.)
struct Pending {
    jobs: BTreeMap<(usize, usize), Box<Job>>,
    came: usize,
    count: usize,
}

impl Pending {
    /// No page waiting yet, of `count` events.
    fn new(count: usize) -> Self {
        Pending {
            jobs: BTreeMap::new(),
            came: 0,
            count,
        }
    }

    /// Adds `jobs`, after those that came before.
    fn add(&mut self, jobs: impl IntoIterator<Item = Job>) {
        for job in jobs {
            self.jobs.insert((job.ready_at(self.count), self.came), Box::new(job));
            self.came += 1;
        }
    }

    /// The pages that can be rendered once the first `done` events have
    /// their values, in the order they came.
    fn ready(&mut self, done: usize) -> Vec<Job> {
        let mut ready = Vec::new();
        while let Some(entry) = self.jobs.first_entry() {
            if entry.key().0 > done {
                break;
            }
            let came = entry.key().1;
            ready.push((came, entry.remove()));
        }
        ready.sort_unstable_by_key(|(came, _)| *came);
        ready.into_iter().map(|(_, job)| *job).collect()
    }

    /// What still waits, in the order it came.
    fn rest(self) -> Vec<Job> {
        let mut rest: Vec<(usize, Box<Job>)> = self.jobs.into_iter().map(|((_, came), job)| (came, job)).collect();
        rest.sort_unstable_by_key(|(came, _)| *came);
        rest.into_iter().map(|(_, job)| *job).collect()
    }
}

/// Lets go of what of the views of events `first..` (of `count`), whose
/// pages are rendered, only their pages read: the plain summary and the
/// machine date, and the address unless the index lists every event (but
/// all of it for the events the feed lists). A view something else still
/// holds (the preview's tables) is left as it is.
fn let_go_of_page_texts(views: &mut [Arc<EventView>], first: usize, count: usize, whole_timeline: bool) {
    let in_feed = count.saturating_sub(feed::FEED_ENTRIES);
    for (at, view) in views.iter_mut().enumerate() {
        if first + at < in_feed {
            if let Some(view) = Arc::get_mut(view) {
                view.summary_text = String::new();
                view.date.datetime = String::new();
                if !whole_timeline {
                    view.url = String::new();
                }
            }
        }
    }
}

/// The render's runs the sweep feeds, and the tables they read.
pub(super) struct Runs<'a, 'r> {
    pub pages: &'r mut PageRun<'a>,
    pub data: &'r mut DataRun<'a>,
    pub search: &'r mut SearchRun,
    pub data_pieces: &'r Memo<DataPiece>,
    pub search_cache: &'r SearchCache,
    pub part_cache: &'r mut PartCache,
    pub value_cache: &'r mut Memo<Value>,
    pub out: &'r Destination<'r>,
}

/// What the sweep leaves: every event's view, the values still held, and
/// the problems its events' Markdown and list entries have.
pub(super) struct Swept {
    pub views: Vec<Arc<EventView>>,
    pub held: Held,
    pub problems: Vec<Diagnostic>,
    pub card_problems: Vec<Diagnostic>,
}

/// Makes every event's value a window at a time, rendering `jobs` (and
/// the event pages) as soon as the values they show are made. With
/// `checking`, or once an event has a problem, values are only made to
/// find every problem: nothing more is rendered or sent.
pub(super) fn sweep(
    shared: &Shared<'_>,
    with: &Completing<'_>,
    whole: Vec<Arc<Event>>,
    jobs: Vec<Job>,
    checking: bool,
    runs: Runs<'_, '_>,
) -> Result<Swept, Error> {
    let count = whole.len();
    let whole_timeline = shared.layout.parts.is_none();
    let mut held = Held::new(count, whole_timeline);
    jobs.iter().for_each(|job| held.needed_by(job));
    let mut pending = Pending::new(count);
    pending.add(jobs);
    let mut swept = Swept {
        views: Vec::with_capacity(count),
        held,
        problems: Vec::new(),
        card_problems: Vec::new(),
    };
    let mut whole = whole.into_iter();
    let mut paged_before = 0;
    for first in (0..count).step_by(WINDOW) {
        let end = (first + WINDOW).min(count);
        let events: Vec<Arc<Event>> = whole.by_ref().take(end - first).collect();
        let made = values::window_values(with, first, &events, runs.part_cache, runs.value_cache);
        // A one-shot build's events go with their texts here.
        drop(events);
        swept.problems.extend(made.problems);
        swept.card_problems.extend(made.card_problems);
        if checking || !swept.problems.is_empty() || !swept.card_problems.is_empty() {
            swept.views.extend(made.views);
            continue;
        }
        pending.add(jobs::event_pages(shared, first, &made.views, &runs.pages.reused));
        let ready = pending.ready(end);
        for (at, value) in made.values.iter().enumerate() {
            swept.held.values[first + at] = Some(value.clone());
        }
        swept.views.extend(made.views.iter().cloned());
        let (held, views) = (&swept.held, &swept.views);
        let (data, search) = (&mut *runs.data, &mut *runs.search);
        let (_, (data_sent, search_sent)) = rayon::join(
            || runs.pages.render(ready, &|index| held.value(index), views),
            || {
                rayon::join(
                    || data.window(first, &made.views, &made.values, &shared.keys, runs.data_pieces),
                    || {
                        search.window(
                            first,
                            &made.views,
                            &made.values,
                            &shared.keys,
                            runs.search_cache,
                            runs.out,
                        )
                    },
                )
            },
        );
        data_sent?;
        search_sent?;
        // After the last window too, unless the index shows every event.
        swept.held.release(end);
        // The window's own handles go first, so that the sweep's are the
        // only ones left of the views whose pages are rendered: an event's
        // page is rendered once its next neighbour has its value.
        drop((made.views, made.values));
        let paged = if end == count { count } else { end - 1 };
        let_go_of_page_texts(
            &mut swept.views[paged_before..paged],
            paged_before,
            count,
            whole_timeline,
        );
        paged_before = paged;
    }
    if !checking && swept.problems.is_empty() && swept.card_problems.is_empty() {
        // Pages that show no event (all of them on a site without events).
        let (held, views) = (&swept.held, &swept.views);
        runs.pages.render(pending.rest(), &|index| held.value(index), views);
    }
    Ok(swept)
}

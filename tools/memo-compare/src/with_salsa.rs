//! The salsa mechanism, in salsa 0.28's API: each event and the site are
//! `#[salsa::input]`s in a database, the derived values are
//! `#[salsa::tracked]` functions, and a change is a setter call that starts
//! a new revision.
//!
//! salsa tracks reads per input field, so a list page that reads titles is
//! not invalidated by a body edit. That only holds if the caller sets just
//! the fields that differ: salsa's setters do not compare, so
//! [`Salsa::event_changed`] compares each field with what the input holds
//! (as a watcher re-reading a file would have to) before setting it.

use std::sync::Arc;

use salsa::{Database as _, Setter as _};

use crate::derive::{self, EventView, ListEntry};
use crate::events::{Date, Event, Site, DECADES};
use crate::harness::Mechanism;

#[salsa::input]
struct EventInput {
    #[returns(clone)]
    slug: Arc<str>,
    #[returns(clone)]
    title: Arc<str>,
    #[returns(clone)]
    body: Arc<str>,
    #[returns(copy)]
    date: Date,
    #[returns(clone)]
    tags: Arc<[Arc<str>]>,
    #[returns(clone)]
    track: Arc<str>,
}

#[salsa::input]
struct SiteInput {
    #[returns(ref)]
    events: Vec<EventInput>,
}

#[salsa::tracked(returns(clone))]
fn event_view(db: &dyn salsa::Database, input: EventInput) -> Arc<EventView> {
    let event = Event {
        slug: input.slug(db),
        title: input.title(db),
        body: input.body(db),
        date: input.date(db),
        tags: input.tags(db),
        track: input.track(db),
        fingerprint: 0,
    };
    Arc::new(derive::event_view(&event))
}

/// Which events are on each decade's page: reads every event's date only.
#[salsa::tracked(returns(ref))]
fn decade_members(db: &dyn salsa::Database, site: SiteInput) -> Vec<Vec<EventInput>> {
    let mut members = vec![Vec::new(); usize::from(DECADES)];
    for &event in site.events(db) {
        members[usize::from(event.date(db).decade())].push(event);
    }
    members
}

#[salsa::tracked(returns(clone))]
fn list_page(db: &dyn salsa::Database, site: SiteInput, decade: u16) -> Arc<String> {
    let entries: Vec<ListEntry> = decade_members(db, site)[usize::from(decade)]
        .iter()
        .map(|&e| ListEntry {
            slug: e.slug(db),
            title: e.title(db),
            date: e.date(db),
        })
        .collect();
    Arc::new(derive::list_page(decade, &entries))
}

/// A database holding the site as inputs.
pub struct Salsa {
    db: salsa::DatabaseImpl,
    site: SiteInput,
    events: Vec<EventInput>,
}

impl Mechanism for Salsa {
    const NAME: &'static str = "salsa";

    fn new(site: &Site) -> Self {
        let db = salsa::DatabaseImpl::new();
        let events: Vec<EventInput> = site
            .events
            .iter()
            .map(|e| {
                EventInput::new(
                    &db,
                    e.slug.clone(),
                    e.title.clone(),
                    e.body.clone(),
                    e.date,
                    e.tags.clone(),
                    e.track.clone(),
                )
            })
            .collect();
        let site = SiteInput::new(&db, events.clone());
        Self { db, site, events }
    }

    fn event_changed(&mut self, site: &Site, index: usize) {
        let (db, input, event) = (&mut self.db, self.events[index], &site.events[index]);
        if input.slug(db) != event.slug {
            input.set_slug(db).to(event.slug.clone());
        }
        if input.title(db) != event.title {
            input.set_title(db).to(event.title.clone());
        }
        if input.body(db) != event.body {
            input.set_body(db).to(event.body.clone());
        }
        if input.date(db) != event.date {
            input.set_date(db).to(event.date);
        }
        if input.tags(db) != event.tags {
            input.set_tags(db).to(event.tags.clone());
        }
        if input.track(db) != event.track {
            input.set_track(db).to(event.track.clone());
        }
    }

    fn new_revision(&mut self) -> bool {
        self.db.synthetic_write(salsa::Durability::LOW);
        true
    }

    fn views(&mut self, _: &Site) -> Vec<Arc<EventView>> {
        self.events.iter().map(|&e| event_view(&self.db, e)).collect()
    }

    fn pages(&mut self, _: &Site) -> Vec<Arc<String>> {
        (0..DECADES).map(|d| list_page(&self.db, self.site, d)).collect()
    }
}

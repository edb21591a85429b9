//! The comemo mechanism, written as typst writes it: `#[memoize]` functions
//! over hashed arguments, a `#[track]`ed site for fine-grained reads, and
//! `comemo::evict(1)` after each build (entries unused in the last build go).
//!
//! comemo keys a call by a SipHash-1-3 128-bit hash of its arguments. Hashing
//! a whole event (1.5 kB of body) on every call would be most of the cost,
//! so, as typst does with `LazyHash`, an event's `Hash` writes only the
//! loader's fingerprint ([`ByFingerprint`]). [`ByContent`] hashes every field
//! instead, to show what the naive version costs.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use comemo::{Track, Tracked};

use crate::derive::{self, EventView, ListEntry};
use crate::events::{Event, Site};
use crate::harness::Mechanism;

/// An event whose hash is the loader's fingerprint of its source.
pub struct ByFingerprint<'a>(&'a Event);

impl Hash for ByFingerprint<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.0.fingerprint);
    }
}

/// An event hashed field by field, body included.
pub struct ByContent<'a>(&'a Event);

impl Hash for ByContent<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let e = self.0;
        (&e.slug, &e.title, &e.body, e.date, &e.tags, &e.track).hash(state);
    }
}

#[comemo::memoize]
fn event_view(event: ByFingerprint) -> Arc<EventView> {
    Arc::new(derive::event_view(event.0))
}

#[comemo::memoize]
fn event_view_by_content(event: ByContent) -> Arc<EventView> {
    Arc::new(derive::event_view(event.0))
}

/// A list page: its members are a hashed argument; what it reads of each
/// member goes through the tracked site, so only those reads are checked.
#[comemo::memoize]
fn list_page(decade: u16, members: &[u32], site: Tracked<Site>) -> Arc<String> {
    let entries: Vec<ListEntry> = members.iter().map(|&i| site.list_entry(i)).collect();
    Arc::new(derive::list_page(decade, &entries))
}

/// The same as [`list_page`], for the [`ByContent`] runs: its own cache, so
/// that each variant's memory is measured from nothing.
#[comemo::memoize]
fn list_page_by_content(decade: u16, members: &[u32], site: Tracked<Site>) -> Arc<String> {
    let entries: Vec<ListEntry> = members.iter().map(|&i| site.list_entry(i)).collect();
    Arc::new(derive::list_page(decade, &entries))
}

#[comemo::track]
impl Site {
    /// What a list page reads of event `index`.
    fn list_entry(&self, index: u32) -> ListEntry {
        ListEntry::of(&self.events[index as usize])
    }
}

/// comemo's cache is global; this handle only clears it when dropped, so
/// that runs do not see each other's entries.
pub struct Comemo<const BY_CONTENT: bool>;

impl<const BY_CONTENT: bool> Mechanism for Comemo<BY_CONTENT> {
    const NAME: &'static str = if BY_CONTENT {
        "comemo, hash whole event"
    } else {
        "comemo"
    };

    fn new(_: &Site) -> Self {
        comemo::evict(0);
        Self
    }

    fn views(&mut self, site: &Site) -> Vec<Arc<EventView>> {
        site.events
            .iter()
            .map(|e| {
                if BY_CONTENT {
                    event_view_by_content(ByContent(e))
                } else {
                    event_view(ByFingerprint(e))
                }
            })
            .collect()
    }

    fn pages(&mut self, site: &Site) -> Vec<Arc<String>> {
        let tracked = site.track();
        derive::decade_members(site)
            .iter()
            .enumerate()
            .map(|(decade, members)| {
                if BY_CONTENT {
                    list_page_by_content(decade as u16, members, tracked)
                } else {
                    list_page(decade as u16, members, tracked)
                }
            })
            .collect()
    }

    fn end_build(&mut self) {
        comemo::evict(1);
    }
}

impl<const BY_CONTENT: bool> Drop for Comemo<BY_CONTENT> {
    fn drop(&mut self) {
        comemo::evict(0);
    }
}

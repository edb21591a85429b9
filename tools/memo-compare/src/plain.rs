//! The plain mechanism: a `HashMap<u64, V>` per kind of derived value, keyed
//! by a fingerprint of everything the value is computed from, with a
//! generation counter that drops entries the last build did not use.
//!
//! Invalidation is implicit: changed input, changed key, miss. An event view
//! is keyed by the fingerprint the loader already took of the event's
//! source, so an unchanged event costs one probe. A list page is keyed by an
//! xxh3 of the fields it reads (slug, title, date of each of its events),
//! hashed afresh on every build.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::Arc;

use twox_hash::XxHash3_64;

use crate::derive::{self, EventView, ListEntry};
use crate::events::Site;
use crate::harness::Mechanism;

/// Memoized values of one kind, keyed by the fingerprint of their input.
pub struct MemoTable<V> {
    entries: HashMap<u64, Entry<V>, BuildHasherDefault<KeyIsHash>>,
    generation: u64,
}

struct Entry<V> {
    value: V,
    used_in: u64,
}

impl<V: Clone> MemoTable<V> {
    /// An empty table.
    pub fn new() -> Self {
        Self {
            entries: HashMap::default(),
            generation: 0,
        }
    }

    /// The value memoized under `key`, or `compute()`'s, remembered.
    pub fn get_or_insert_with(&mut self, key: u64, compute: impl FnOnce() -> V) -> V {
        let generation = self.generation;
        let entry = self.entries.entry(key).or_insert_with(|| Entry {
            value: compute(),
            used_in: generation,
        });
        entry.used_in = generation;
        entry.value.clone()
    }

    /// Ends a build: forgets every value it did not ask for.
    pub fn end_build(&mut self) {
        let generation = self.generation;
        self.entries.retain(|_, entry| entry.used_in == generation);
        self.generation += 1;
    }
}

/// The keys are already good 64-bit hashes: hashing them again is waste.
#[derive(Default)]
pub struct KeyIsHash(u64);

impl Hasher for KeyIsHash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, _: &[u8]) {
        unreachable!("MemoTable keys are u64")
    }

    fn write_u64(&mut self, key: u64) {
        self.0 = key;
    }
}

/// The two tables annals would keep between builds.
pub struct Plain {
    views: MemoTable<Arc<EventView>>,
    pages: MemoTable<Arc<String>>,
}

impl Mechanism for Plain {
    const NAME: &'static str = "plain table";

    fn new(_: &Site) -> Self {
        Self {
            views: MemoTable::new(),
            pages: MemoTable::new(),
        }
    }

    fn views(&mut self, site: &Site) -> Vec<Arc<EventView>> {
        site.events
            .iter()
            .map(|event| {
                self.views
                    .get_or_insert_with(event.fingerprint, || Arc::new(derive::event_view(event)))
            })
            .collect()
    }

    fn pages(&mut self, site: &Site) -> Vec<Arc<String>> {
        derive::decade_members(site)
            .iter()
            .enumerate()
            .map(|(decade, members)| {
                let mut hasher = XxHash3_64::with_seed(0);
                decade.hash(&mut hasher);
                for &i in members {
                    let event = &site.events[i as usize];
                    (&event.slug, &event.title, event.date).hash(&mut hasher);
                }
                self.pages.get_or_insert_with(hasher.finish(), || {
                    let entries: Vec<ListEntry> = members
                        .iter()
                        .map(|&i| ListEntry::of(&site.events[i as usize]))
                        .collect();
                    Arc::new(derive::list_page(decade as u16, &entries))
                })
            })
            .collect()
    }

    fn end_build(&mut self) {
        self.views.end_build();
        self.pages.end_build();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_unused_in_a_build_is_dropped_at_its_end() {
        let mut table = MemoTable::new();
        table.get_or_insert_with(1, || "one");
        table.get_or_insert_with(2, || "two");
        table.end_build();
        table.get_or_insert_with(1, || unreachable!("still memoized"));
        table.end_build();
        assert_eq!(table.get_or_insert_with(2, || "recomputed"), "recomputed");
    }
}

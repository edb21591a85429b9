//! The one memo layer: every value a rebuild may reuse — a parsed file, a
//! compiled theme, an event's view, a page's bytes — is kept in a [`Memo`]
//! table under a [`Key`] made from the inputs it was derived from.
//!
//! A key is never written by hand. [`Key::of`] hashes the inputs
//! themselves (anything `Hash`), [`Key::of_json`] their serialized form
//! (for values that are only `Serialize`), and a key may be an input of
//! another key ([`Key::and`]). So when an input changes, so does every key
//! made from it, and the stale value is simply not found: there is nothing
//! to invalidate. Two different inputs could only share a key by a 64-bit
//! collision of the fingerprint hash (fixed seeds, so keys are the same in
//! every process, which the output folder's manifest relies on).
//!
//! A table forgets what the builds stop asking for: each build is a
//! generation, and [`Memo::end_build`] drops the values no build of the
//! last [`KEPT_BUILDS`] used. An edit that is undone at the next save finds
//! its old values still there. A table made with [`Memo::one_shot`] keeps
//! nothing: a build that runs once pays no memory for reuse.
//!
//! Lookups take `&self`, so the parallel stages of a render can read a
//! table at once; what they made is recorded afterwards, in one place.
//!
//! Why not a crate: `comemo` hashes every argument of a memoized call at
//! each call, which at 10,000 events means hashing every event's text on
//! every rebuild; `salsa` would make the pipeline a database of tracked
//! inputs. `tools/memo-compare/` measured both against this table; the
//! numbers are in `docs/architecture.md`.

use std::hash::Hash;

use serde::Serialize;

use crate::hashing::{fingerprint_json, fingerprint_of, map_with_capacity, HashMap};

/// A value is dropped when this many builds in a row did not use it.
pub const KEPT_BUILDS: u32 = 2;

/// A fingerprint of every input a value is derived from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key(u64);

impl Key {
    /// The key of `inputs`.
    pub fn of<T: Hash + ?Sized>(inputs: &T) -> Key {
        Key(fingerprint_of(inputs))
    }

    /// The key of `inputs` by their JSON form (written into the hasher,
    /// never built as text), for values that are `Serialize` but not `Hash`.
    pub fn of_json<T: Serialize + ?Sized>(inputs: &T) -> Key {
        Key(fingerprint_json(inputs))
    }

    /// The key of this key's inputs and `more`.
    pub fn and<T: Hash + ?Sized>(self, more: &T) -> Key {
        Key::of(&(self, more))
    }

    /// The key as a number, for the output folder's manifest.
    pub fn as_u64(self) -> u64 {
        self.0
    }

    /// A key read back from the manifest, where [`Key::as_u64`] wrote it.
    pub fn from_manifest(number: u64) -> Key {
        Key(number)
    }
}

/// How much a table was asked, and how much it could answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemoStats {
    /// Values found.
    pub hits: usize,
    /// Values made anew.
    pub misses: usize,
    /// Values the table holds.
    pub held: usize,
}

/// One table of memoized values of one kind, by key.
pub struct Memo<V> {
    entries: HashMap<Key, Entry<V>>,
    /// The build under way; values used in it carry this number.
    generation: u32,
    /// Whether values are kept at all.
    keeps: bool,
    stats: MemoStats,
}

struct Entry<V> {
    value: V,
    used: u32,
}

impl<V: Clone> Default for Memo<V> {
    fn default() -> Self {
        Memo::one_shot()
    }
}

impl<V: Clone> Memo<V> {
    /// A table that keeps values from build to build (the preview).
    pub fn keeping() -> Self {
        Memo {
            entries: map_with_capacity(0),
            generation: 0,
            keeps: true,
            stats: MemoStats::default(),
        }
    }

    /// A table for one build: it keeps nothing.
    pub fn one_shot() -> Self {
        Memo {
            keeps: false,
            ..Memo::keeping()
        }
    }

    /// Whether values are kept for the next build.
    pub fn keeps(&self) -> bool {
        self.keeps
    }

    /// The value kept under `key`, if any, without marking it used (for
    /// parallel lookups; [`Memo::found`] marks it afterwards).
    pub fn peek(&self, key: Key) -> Option<&V> {
        self.entries.get(&key).map(|entry| &entry.value)
    }

    /// The value under `key`, marked used by this build.
    pub fn get(&mut self, key: Key) -> Option<V> {
        let generation = self.generation;
        let found = self.entries.get_mut(&key).map(|entry| {
            entry.used = generation;
            entry.value.clone()
        });
        match found {
            Some(_) => self.stats.hits += 1,
            None => self.stats.misses += 1,
        }
        found
    }

    /// The value under `key`, made by `make` when it is not kept.
    pub fn get_or_make(&mut self, key: Key, make: impl FnOnce() -> V) -> V {
        if let Some(found) = self.get(key) {
            return found;
        }
        let value = make();
        self.keep(key, value.clone());
        value
    }

    /// Keeps `value` under `key` for the next builds (a one-shot table
    /// drops it), marked used by this build.
    pub fn keep(&mut self, key: Key, value: V) {
        if self.keeps {
            let used = self.generation;
            self.entries.insert(key, Entry { value, used });
        }
    }

    /// Marks the value under `key` used by this build, after a parallel
    /// pass found it with [`Memo::peek`].
    pub fn found(&mut self, key: Key) {
        self.stats.hits += 1;
        let generation = self.generation;
        if let Some(entry) = self.entries.get_mut(&key) {
            entry.used = generation;
        }
    }

    /// Keeps (a copy of) a value a parallel pass made, after
    /// [`Memo::peek`] did not find it; a one-shot table copies nothing.
    pub fn made(&mut self, key: Key, value: &V) {
        self.stats.misses += 1;
        if self.keeps {
            self.keep(key, value.clone());
        }
    }

    /// Ends a build: drops the values the last [`KEPT_BUILDS`] builds did
    /// not use, and starts the next generation. Returns this build's stats.
    pub fn end_build(&mut self) -> MemoStats {
        let generation = self.generation;
        self.entries
            .retain(|_, entry| generation.wrapping_sub(entry.used) < KEPT_BUILDS);
        self.generation = generation.wrapping_add(1);
        let stats = MemoStats {
            held: self.entries.len(),
            ..self.stats
        };
        self.stats = MemoStats::default();
        stats
    }

    /// The number of values held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the table holds nothing.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_follows_its_inputs_and_nothing_else() {
        assert_eq!(Key::of(&("event", 1)), Key::of(&("event", 1)));
        assert_ne!(Key::of(&("event", 1)), Key::of(&("event", 2)));
        assert_eq!(Key::of_json(&["a", "b"]), Key::of_json(&vec!["a", "b"]));
        assert_ne!(Key::of(&1).and("x"), Key::of(&1).and("y"));
        assert_ne!(Key::of(&1).and("x"), Key::of(&2).and("x"));
    }

    #[test]
    fn a_value_lives_while_one_of_the_last_two_builds_used_it() {
        let mut memo = Memo::keeping();
        let (a, b) = (Key::of("a"), Key::of("b"));
        assert_eq!(memo.get_or_make(a, || 1), 1);
        assert_eq!(memo.get_or_make(b, || 2), 2);
        assert_eq!(
            memo.end_build(),
            MemoStats {
                hits: 0,
                misses: 2,
                held: 2
            }
        );
        // The next build uses `a` only: `b` stays one build more (an edit
        // undone finds it), then goes.
        assert_eq!(memo.get_or_make(a, || unreachable!()), 1);
        assert_eq!(
            memo.end_build(),
            MemoStats {
                hits: 1,
                misses: 0,
                held: 2
            }
        );
        assert_eq!(memo.get(a), Some(1));
        assert_eq!(memo.end_build().held, 1);
        assert_eq!(memo.peek(b), None);
        assert_eq!(memo.get_or_make(b, || 3), 3);
    }

    #[test]
    fn a_parallel_pass_records_its_hits_and_what_it_made() {
        let mut memo = Memo::keeping();
        let (a, b) = (Key::of("a"), Key::of("b"));
        memo.keep(a, "kept");
        memo.end_build();
        let found = memo.peek(a).copied();
        assert_eq!(found, Some("kept"));
        memo.found(a);
        memo.made(b, &"made");
        assert_eq!(
            memo.end_build(),
            MemoStats {
                hits: 1,
                misses: 1,
                held: 2
            }
        );
        assert_eq!(memo.peek(b), Some(&"made"));
    }

    #[test]
    fn a_one_shot_table_keeps_nothing() {
        let mut memo = Memo::one_shot();
        assert_eq!(memo.get_or_make(Key::of("a"), || 1), 1);
        assert!(memo.is_empty());
        assert_eq!(memo.get_or_make(Key::of("a"), || 2), 2);
    }
}

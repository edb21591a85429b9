//! The hash tables and fingerprints annals makes for itself.
//!
//! A build hashes every event's slug, tags and paths into tables, and
//! fingerprints every value it may reuse, many times over. The standard
//! library's SipHash guards a table against keys chosen to collide, which
//! annals does not need: its keys come from the site it builds. aHash does
//! the same work several times faster. Fingerprints use fixed keys, so the
//! same content gives the same fingerprint in every run of a build of
//! annals; the manifest of the output folder relies on that.

use std::hash::{BuildHasher, Hash};

/// A hash map with aHash.
pub type HashMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;

/// A hash set with aHash.
pub type HashSet<T> = std::collections::HashSet<T, ahash::RandomState>;

/// An empty map with room for `capacity` entries.
pub fn map_with_capacity<K, V>(capacity: usize) -> HashMap<K, V> {
    HashMap::with_capacity_and_hasher(capacity, ahash::RandomState::default())
}

/// The keys every fingerprint is made with (the first digits of π).
const FINGERPRINT_KEYS: ahash::RandomState = ahash::RandomState::with_seeds(
    0x243f_6a88_85a3_08d3,
    0x1319_8a2e_0370_7344,
    0xa409_3822_299f_31d0,
    0x082e_fa98_ec4e_6c89,
);

/// A hasher for fingerprints: the same input gives the same number in
/// every run.
pub fn fingerprint_hasher() -> ahash::AHasher {
    FINGERPRINT_KEYS.build_hasher()
}

/// A fingerprint of anything hashable.
pub fn fingerprint_of<T: Hash + ?Sized>(value: &T) -> u64 {
    FINGERPRINT_KEYS.hash_one(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::Hasher;

    #[test]
    fn a_fingerprint_is_the_same_from_every_hasher_and_differs_with_its_input() {
        let mut hasher = fingerprint_hasher();
        ("event", 7u64).hash(&mut hasher);
        assert_eq!(hasher.finish(), fingerprint_of(&("event", 7u64)));
        assert_eq!(fingerprint_of("event"), fingerprint_of("event"));
        assert_ne!(fingerprint_of(&("event", 7u64)), fingerprint_of(&("event", 8u64)));
        assert_ne!(fingerprint_of(&("ab", "c")), fingerprint_of(&("a", "bc")));
    }
}

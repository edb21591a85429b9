//! The hash tables and fingerprints annals makes for itself.
//!
//! A build hashes every event's slug, tags and paths into tables, and
//! fingerprints every value it may reuse, many times over. The standard
//! library's SipHash guards a table against keys chosen to collide, which
//! annals does not need: its keys come from the site it builds. aHash does
//! the same work several times faster. Fingerprints use fixed keys, so the
//! same content gives the same fingerprint in every run of a build of
//! annals; the manifest of the output folder relies on that.

use std::hash::{BuildHasher, Hash, Hasher};
use std::io;

use serde::Serialize;

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

/// A hash of bytes that stays the same across builds, machines and Rust
/// releases (FNV-1a), for file names in the output.
pub fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A fingerprint of a serializable value (its JSON form), without building
/// the JSON text.
pub fn fingerprint_json<T: Serialize + ?Sized>(value: &T) -> u64 {
    struct HashWriter(ahash::AHasher);
    impl io::Write for HashWriter {
        fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    // JSON comes in pieces of a few bytes; the hasher takes them in blocks.
    let mut writer = io::BufWriter::with_capacity(4096, HashWriter(fingerprint_hasher()));
    // Serializing plain views into a hasher cannot fail.
    let _ = serde_json::to_writer(&mut writer, value);
    match writer.into_inner() {
        Ok(hasher) => hasher.0.finish(),
        Err(_) => unreachable!("a hasher takes every write"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_is_the_same_from_every_hasher_and_differs_with_its_input() {
        let mut hasher = fingerprint_hasher();
        ("event", 7u64).hash(&mut hasher);
        assert_eq!(hasher.finish(), fingerprint_of(&("event", 7u64)));
        assert_eq!(fingerprint_of("event"), fingerprint_of("event"));
        assert_ne!(fingerprint_of(&("event", 7u64)), fingerprint_of(&("event", 8u64)));
        assert_ne!(fingerprint_of(&("ab", "c")), fingerprint_of(&("a", "bc")));
    }

    #[test]
    fn equal_values_have_equal_fingerprints_and_different_ones_differ() {
        assert_eq!(fingerprint_json(&("a", 1)), fingerprint_json(&("a", 1)));
        assert_ne!(fingerprint_json(&("a", 1)), fingerprint_json(&("a", 2)));
        assert_ne!(fingerprint_of(&("ab", "c")), fingerprint_of(&("a", "bc")));
    }
}

//! The index's terms, each spelled once: an event's part holds its terms
//! as numbers into one dictionary, so a word that 100,000 events use costs
//! 100,000 numbers and one string, not 100,000 strings. The dictionary
//! only grows (a preview's parts, kept from build to build, hold numbers
//! into it); the numbers depend on the order in which the threads met the
//! words, so nothing written is ordered or keyed by them — only by the
//! words themselves.

use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};

use crate::hashing::HashMap;

/// A term's number in the [`Dictionary`].
pub type TermId = u32;

/// Every term met so far, each with its number.
#[derive(Debug, Default)]
pub struct Dictionary {
    names: Vec<Arc<str>>,
    ids: HashMap<Arc<str>, TermId>,
}

impl Dictionary {
    /// The term numbered `id`.
    pub fn name(&self, id: TermId) -> &Arc<str> {
        &self.names[id as usize]
    }

    /// How many terms it holds: every number is below this.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// The number of `name`, given it one if it has none.
    pub fn add(&mut self, name: &str) -> TermId {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = TermId::try_from(self.names.len()).unwrap_or(TermId::MAX);
        let name: Arc<str> = name.into();
        self.names.push(Arc::clone(&name));
        self.ids.insert(name, id);
        id
    }
}

/// A [`Dictionary`] the threads that make events' parts share: most terms
/// are known, and looked up together under one read lock; the few new
/// ones are added under the write lock.
#[derive(Debug, Default)]
pub struct SharedDictionary(RwLock<Dictionary>);

impl SharedDictionary {
    /// The dictionary as it is, to read names.
    pub fn read(&self) -> RwLockReadGuard<'_, Dictionary> {
        self.0.read().unwrap_or_else(PoisonError::into_inner)
    }

    /// The numbers of `names`, in order, adding the names not known yet.
    pub fn ids_of<'a>(&self, names: impl ExactSizeIterator<Item = &'a str> + Clone) -> Vec<TermId> {
        let known: Option<Vec<TermId>> = {
            let dictionary = self.read();
            names.clone().map(|name| dictionary.ids.get(name).copied()).collect()
        };
        known.unwrap_or_else(|| {
            let mut dictionary = self.0.write().unwrap_or_else(PoisonError::into_inner);
            names.map(|name| dictionary.add(name)).collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_term_is_numbered_once_and_keeps_its_number() {
        let shared = SharedDictionary::default();
        let first = shared.ids_of(["bell", "lab", "bell"].into_iter());
        assert_eq!(first[0], first[2]);
        assert_ne!(first[0], first[1]);
        let again = shared.ids_of(["lab", "new"].into_iter());
        assert_eq!(again[0], first[1]);
        assert_eq!(shared.read().names.len(), 3);
        assert_eq!(&**shared.read().name(again[1]), "new");
    }
}

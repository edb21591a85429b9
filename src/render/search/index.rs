//! The index itself: every term's postings (which events hold it, and how
//! strongly), cut into chunks of neighbouring terms, and the manifest that
//! says which chunk holds which terms. Pure: documents in, files out.
//!
//! A posting's weight is the BM25 term-frequency part, computed here once
//! (the field-weighted count of the term in the event, against the event's
//! length); the script multiplies it by the term's rarity, which it reads
//! from the number of postings. The average length is rounded to a step of
//! one eighth of a power of two, so one edit seldom changes every weight.

use std::fmt::Write as _;
use std::sync::Arc;

use super::terms::{Dictionary, TermId};
use super::Doc;
use crate::hashing::stable_hash;
use crate::memo::{Key, Memo};

/// BM25's saturation and length normalization.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// A chunk may end once it holds this many bytes of postings…
const CHUNK_MIN: usize = 6 * 1024;
/// …at a term whose hash says so (so that an edit moves few boundaries),
/// and must end by this many.
const CHUNK_MAX: usize = 24 * 1024;

/// One chunk: its first term, its file name and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The chunk's first term.
    pub first: String,
    /// `t/<hash>.json`, under the index's folder.
    pub path: String,
    /// A JSON object: term → `[id delta, weight, id delta, weight, …]`.
    pub bytes: Arc<Vec<u8>>,
}

/// One term's postings: (document, weight), in document order. The term
/// is the dictionary's string, shared.
type TermPostings = (Arc<str>, Vec<(u32, u32)>);

/// Every term of a set of documents with its postings, in term order: what
/// the chunks are cut from. Made for one list of documents (by their keys);
/// the next build's, after an edit, is this one with the edited documents'
/// postings replaced ([`Postings::for_docs`]).
#[derive(Debug, Clone)]
pub struct Postings {
    keys: Vec<Key>,
    docs: Vec<Arc<Doc>>,
    average: f64,
    terms: Vec<TermPostings>,
}

/// How many documents may change for [`Postings::for_docs`] to patch the
/// previous postings rather than make them anew.
const PATCH_AT_MOST: usize = 64;

impl Postings {
    /// The postings of `docs` (document `i` is `docs[i]`, with key
    /// `keys[i]`), taken from `previous` when it is of the same documents,
    /// patched from it when few changed (in place when nothing else holds
    /// it), made anew otherwise. The result is the same either way. The
    /// documents' terms are numbers in `dictionary`.
    pub fn for_docs(
        keys: Vec<Key>,
        docs: Vec<Arc<Doc>>,
        previous: Option<Arc<Postings>>,
        dictionary: &Dictionary,
    ) -> Arc<Postings> {
        if let Some(previous) = previous {
            if previous.keys == keys {
                return previous;
            }
            if previous.can_patch(&keys, &docs) {
                let mut patched = Arc::unwrap_or_clone(previous);
                patched.patch(keys, docs, dictionary);
                return Arc::new(patched);
            }
        }
        Arc::new(Postings::new(keys, docs, dictionary))
    }

    fn new(keys: Vec<Key>, docs: Vec<Arc<Doc>>, dictionary: &Dictionary) -> Postings {
        let average = rounded_average(&docs);
        // Each term's list is made at its size (counted first): on a big
        // site the postings are the largest thing the index holds at once.
        let mut counts = vec![0usize; dictionary.len()];
        for doc in &docs {
            for &(term, _) in &doc.terms {
                counts[term as usize] += 1;
            }
        }
        let mut by_term: Vec<Vec<(u32, u32)>> = counts.into_iter().map(Vec::with_capacity).collect();
        for (id, doc) in docs.iter().enumerate() {
            let id = u32::try_from(id).unwrap_or(u32::MAX);
            for &(term, frequency) in &doc.terms {
                by_term[term as usize].push((id, weight(frequency, doc.length, average)));
            }
        }
        let mut terms: Vec<TermPostings> = by_term
            .into_iter()
            .enumerate()
            .filter(|(_, list)| !list.is_empty())
            .map(|(term, list)| {
                (
                    Arc::clone(dictionary.name(TermId::try_from(term).unwrap_or(TermId::MAX))),
                    list,
                )
            })
            .collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Postings {
            keys,
            docs,
            average,
            terms,
        }
    }

    /// Whether these postings can be patched into those of `docs`: the
    /// documents are as many, few changed and the average length (rounded)
    /// is the same.
    fn can_patch(&self, keys: &[Key], docs: &[Arc<Doc>]) -> bool {
        keys.len() == self.keys.len()
            && rounded_average(docs) == self.average
            && changed(&self.keys, keys).nth(PATCH_AT_MOST).is_none()
    }

    /// Replaces the postings of the documents that changed ([`can_patch`]).
    fn patch(&mut self, keys: Vec<Key>, docs: Vec<Arc<Doc>>, dictionary: &Dictionary) {
        let changed: Vec<usize> = changed(&self.keys, &keys).collect();
        let patched = self;
        for id in changed {
            let number = u32::try_from(id).unwrap_or(u32::MAX);
            for &(term, _) in &patched.docs[id].terms {
                let term = dictionary.name(term);
                if let Ok(at) = patched.terms.binary_search_by(|(known, _)| known.cmp(term)) {
                    let list = &mut patched.terms[at].1;
                    list.retain(|(doc, _)| *doc != number);
                    if list.is_empty() {
                        patched.terms.remove(at);
                    }
                }
            }
            let doc = &docs[id];
            for &(term, frequency) in &doc.terms {
                let term = dictionary.name(term);
                let posting = (number, weight(frequency, doc.length, patched.average));
                match patched.terms.binary_search_by(|(known, _)| known.cmp(term)) {
                    Ok(at) => {
                        let list = &mut patched.terms[at].1;
                        let place = list.partition_point(|(doc, _)| *doc < number);
                        list.insert(place, posting);
                    }
                    Err(at) => patched.terms.insert(at, (Arc::clone(term), vec![posting])),
                }
            }
        }
        patched.keys = keys;
        patched.docs = docs;
    }

    /// Whether the documents of `keys`, which are as many, hold the same
    /// filters as these postings' documents ([`Doc::facets`]).
    pub fn same_facets(&self, keys: &[Key], docs: &[Arc<Doc>]) -> bool {
        keys.len() == self.keys.len() && changed(&self.keys, keys).all(|id| self.docs[id].facets == docs[id].facets)
    }

    /// The chunks, each taken from `known` (by the key of its terms and
    /// postings) when it is there: (key, chunk, whether it was known). Each
    /// is made as it is asked for, so one can be written and let go before
    /// the next is made.
    pub fn chunks<'p>(&'p self, known: &'p Memo<Arc<Chunk>>) -> impl Iterator<Item = (Key, Arc<Chunk>, bool)> + 'p {
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        let mut start = 0;
        let mut size = 0;
        for (at, (term, list)) in self.terms.iter().enumerate() {
            let ends_here = size >= CHUNK_MAX || (size >= CHUNK_MIN && stable_hash(term.as_bytes()).is_multiple_of(4));
            if ends_here {
                ranges.push((start, at));
                start = at;
                size = 0;
            }
            size += entry_size(term, list);
        }
        if start < self.terms.len() {
            ranges.push((start, self.terms.len()));
        }
        ranges.into_iter().map(move |(from, to)| {
            let terms = &self.terms[from..to];
            let key = Key::of(terms);
            match known.peek(key) {
                Some(chunk) => (key, Arc::clone(chunk), true),
                None => (key, Arc::new(chunk(terms)), false),
            }
        })
    }
}

/// The places where two lists of keys of as many documents differ.
fn changed<'k>(before: &'k [Key], after: &'k [Key]) -> impl Iterator<Item = usize> + 'k {
    (0..after.len()).filter(move |&id| before[id] != after[id])
}

/// About how many bytes a term takes in a chunk (its postings counted at
/// their length in digits).
fn entry_size(term: &str, list: &[(u32, u32)]) -> usize {
    fn digits(number: u32) -> usize {
        number.checked_ilog10().map_or(1, |log| log as usize + 1)
    }
    let mut previous = 0;
    let mut size = term.len() + 5;
    for &(id, weight) in list {
        size += digits(id - previous) + digits(weight) + 2;
        previous = id;
    }
    size
}

/// A chunk of `terms`, named by its content.
fn chunk(terms: &[TermPostings]) -> Chunk {
    let mut body = String::with_capacity(terms.iter().map(|(term, list)| entry_size(term, list)).sum::<usize>() + 4);
    for (term, list) in terms {
        body.push(if body.is_empty() { '{' } else { ',' });
        write_string(&mut body, term);
        body.push_str(":[");
        let mut previous = 0;
        for (at, &(id, weight)) in list.iter().enumerate() {
            if at > 0 {
                body.push(',');
            }
            let _ = write!(body, "{},{weight}", id - previous);
            previous = id;
        }
        body.push(']');
    }
    body.push_str("}\n");
    let bytes = body.into_bytes();
    Chunk {
        first: terms.first().map(|(term, _)| term.to_string()).unwrap_or_default(),
        path: format!("t/{:016x}.json", stable_hash(&bytes)),
        bytes: Arc::new(bytes),
    }
}

/// The average length the weights are computed with: the real average,
/// rounded to one of eight steps per power of two.
pub fn rounded_average(docs: &[Arc<Doc>]) -> f64 {
    if docs.is_empty() {
        return 1.0;
    }
    let average = docs.iter().map(|doc| f64::from(doc.length)).sum::<f64>() / docs.len() as f64;
    let steps = (average.max(1.0).log2() * 8.0).round();
    (steps / 8.0).exp2()
}

/// A posting's weight, 1–44: BM25's term-frequency part times 20.
pub fn weight(frequency: u32, length: u32, average: f64) -> u32 {
    let tf = f64::from(frequency);
    let norm = K1 * (1.0 - B + B * f64::from(length) / average);
    let part = tf * (K1 + 1.0) / (tf + norm);
    ((part * 20.0).round() as u32).max(1)
}

/// A sorted list of document ids as JSON, each the difference from the one
/// before: `[3,1,4]` is 3, 4, 8.
pub fn id_list(ids: &[u32]) -> String {
    let mut out = String::from("[");
    let mut previous = 0;
    for (at, &id) in ids.iter().enumerate() {
        if at > 0 {
            out.push(',');
        }
        let _ = write!(out, "{}", id - previous);
        previous = id;
    }
    out.push_str("]\n");
    out
}

/// Appends `text` as a JSON string.
pub fn write_string(out: &mut String, text: &str) {
    // A string always serializes.
    out.push_str(&serde_json::to_string(text).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::super::terms::SharedDictionary;
    use super::*;

    /// The tests' terms, numbered.
    static TERMS: LazyLock<SharedDictionary> = LazyLock::new(SharedDictionary::default);

    fn doc(terms: &[(&str, u32)], length: u32) -> Arc<Doc> {
        let ids = TERMS.ids_of(terms.iter().map(|(term, _)| *term));
        Arc::new(Doc {
            terms: ids.into_iter().zip(terms.iter().map(|(_, n)| *n)).collect(),
            length,
            fragment: Default::default(),
            facets: Vec::new(),
        })
    }

    fn index(docs: Vec<Arc<Doc>>, previous: Option<&Arc<Postings>>) -> Arc<Postings> {
        let keys = docs.iter().map(|doc| Key::of(&doc.terms)).collect();
        Postings::for_docs(keys, docs, previous.cloned(), &TERMS.read())
    }

    fn texts(postings: &Postings) -> Vec<String> {
        postings
            .chunks(&Memo::one_shot())
            .map(|(_, chunk, _)| String::from_utf8(chunk.bytes.to_vec()).unwrap())
            .collect()
    }

    #[test]
    fn postings_list_documents_by_difference_with_their_weights() {
        let docs = vec![
            doc(&[("bell", 1)], 10),
            doc(&[("lab", 2)], 10),
            doc(&[("bell", 3), ("lab", 1)], 10),
        ];
        let average = rounded_average(&docs);
        let postings = index(docs, None);
        let chunks: Vec<_> = postings.chunks(&Memo::one_shot()).collect();
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].1.first, "bell");
        assert_eq!(
            texts(&postings)[0],
            format!(
                "{{\"bell\":[0,{},2,{}],\"lab\":[1,{},1,{}]}}\n",
                weight(1, 10, average),
                weight(3, 10, average),
                weight(2, 10, average),
                weight(1, 10, average)
            )
        );
        assert!(chunks[0].1.path.starts_with("t/") && chunks[0].1.path.ends_with(".json"));
    }

    #[test]
    fn more_occurrences_weigh_more_and_longer_documents_less() {
        assert!(weight(3, 100, 100.0) > weight(1, 100, 100.0));
        assert!(weight(1, 50, 100.0) > weight(1, 400, 100.0));
        assert!((1..=44).contains(&weight(1000, 1, 100.0)));
    }

    fn many(edited: Option<usize>) -> Vec<Arc<Doc>> {
        (0..400)
            .map(|n| {
                let own = format!("term{n:04}");
                let extra = if Some(n) == edited { "edited" } else { "plain" };
                doc(&[(own.as_str(), 1), ("common", 2), (extra, 1)], 20)
            })
            .collect()
    }

    #[test]
    fn big_indexes_are_cut_into_chunks_in_term_order() {
        let postings = index(many(None), None);
        let chunks: Vec<_> = postings.chunks(&Memo::one_shot()).collect();
        assert!(chunks.len() > 1);
        assert!(chunks.windows(2).all(|pair| pair[0].1.first < pair[1].1.first));
        assert!(chunks.iter().all(|(_, chunk, _)| chunk.bytes.len() <= CHUNK_MAX + 4096));
    }

    #[test]
    fn patched_postings_are_the_postings_made_anew() {
        let before = index(many(None), None);
        for edited in [0, 7, 399] {
            let patched = index(many(Some(edited)), Some(&before));
            let fresh = index(many(Some(edited)), None);
            assert_eq!(patched.terms, fresh.terms, "edit of document {edited}");
            assert_eq!(texts(&patched), texts(&fresh));
        }
        let same = index(many(None), Some(&before));
        assert!(
            Arc::ptr_eq(&same, &before),
            "the same documents take the postings as they are"
        );
    }

    #[test]
    fn unchanged_chunks_are_found_by_their_key() {
        let mut known = Memo::keeping();
        let before = index(many(None), None);
        let made: Vec<_> = before.chunks(&known).collect();
        for (key, chunk, _) in made {
            known.made(key, &chunk);
        }
        let after = index(many(Some(399)), Some(&before));
        let chunks: Vec<_> = after.chunks(&known).collect();
        let found = chunks.iter().filter(|(_, _, found)| *found).count();
        assert!(
            found > 0 && found < chunks.len(),
            "{found} of {} chunks found",
            chunks.len()
        );
    }

    #[test]
    fn id_lists_hold_differences() {
        assert_eq!(id_list(&[3, 4, 8]), "[3,1,4]\n");
        assert_eq!(id_list(&[]), "[]\n");
    }
}

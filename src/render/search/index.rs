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

use super::Doc;
use crate::hashing::{map_with_capacity, stable_hash, HashMap};

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
    pub bytes: Vec<u8>,
}

/// The average length the weights are computed with: the real average,
/// rounded to one of eight steps per power of two.
pub fn rounded_average(docs: &[&Doc]) -> f64 {
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

/// The chunks of an index of `docs` (document `i` is `docs[i]`).
pub fn chunks(docs: &[&Doc]) -> Vec<Chunk> {
    let average = rounded_average(docs);
    // Each term's (document, weight), in document order; the terms in order.
    let mut by_term: HashMap<&str, Vec<(u32, u32)>> = map_with_capacity(docs.len() * 4);
    for (id, doc) in docs.iter().enumerate() {
        let id = u32::try_from(id).unwrap_or(u32::MAX);
        for (term, frequency) in &doc.terms {
            by_term
                .entry(&**term)
                .or_default()
                .push((id, weight(*frequency, doc.length, average)));
        }
    }
    let mut terms: Vec<(&str, Vec<(u32, u32)>)> = by_term.into_iter().collect();
    terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut chunks = Vec::new();
    let mut body = String::new();
    let mut first = String::new();
    for (term, postings) in terms {
        let ends_here =
            body.len() >= CHUNK_MAX || (body.len() >= CHUNK_MIN && stable_hash(term.as_bytes()).is_multiple_of(4));
        if ends_here {
            chunks.push(finish(&first, &mut body));
        }
        if body.is_empty() {
            first = term.to_string();
        }
        body.push(if body.is_empty() { '{' } else { ',' });
        write_string(&mut body, term);
        body.push_str(":[");
        let mut previous = 0;
        for (at, (id, weight)) in postings.into_iter().enumerate() {
            if at > 0 {
                body.push(',');
            }
            let _ = write!(body, "{},{weight}", id - previous);
            previous = id;
        }
        body.push(']');
    }
    if !body.is_empty() {
        chunks.push(finish(&first, &mut body));
    }
    chunks
}

/// Closes a chunk's JSON and names it by its content.
fn finish(first: &str, body: &mut String) -> Chunk {
    body.push_str("}\n");
    let bytes = std::mem::take(body).into_bytes();
    Chunk {
        first: first.to_string(),
        path: format!("t/{:016x}.json", stable_hash(&bytes)),
        bytes,
    }
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
    use super::*;

    fn doc(terms: &[(&str, u32)], length: u32) -> Doc {
        Doc {
            terms: terms.iter().map(|(term, n)| ((*term).into(), *n)).collect(),
            length,
            fragment: Default::default(),
        }
    }

    #[test]
    fn postings_list_documents_by_difference_with_their_weights() {
        let docs = [
            doc(&[("bell", 1)], 10),
            doc(&[("lab", 2)], 10),
            doc(&[("bell", 3), ("lab", 1)], 10),
        ];
        let docs: Vec<&Doc> = docs.iter().collect();
        let chunks = chunks(&docs);
        assert_eq!(chunks.len(), 1);
        assert_eq!(chunks[0].first, "bell");
        let text = String::from_utf8(chunks[0].bytes.clone()).unwrap();
        let average = rounded_average(&docs);
        assert_eq!(
            text,
            format!(
                "{{\"bell\":[0,{},2,{}],\"lab\":[1,{},1,{}]}}\n",
                weight(1, 10, average),
                weight(3, 10, average),
                weight(2, 10, average),
                weight(1, 10, average)
            )
        );
        assert!(chunks[0].path.starts_with("t/") && chunks[0].path.ends_with(".json"));
    }

    #[test]
    fn more_occurrences_weigh_more_and_longer_documents_less() {
        assert!(weight(3, 100, 100.0) > weight(1, 100, 100.0));
        assert!(weight(1, 50, 100.0) > weight(1, 400, 100.0));
        assert!((1..=44).contains(&weight(1000, 1, 100.0)));
    }

    #[test]
    fn big_indexes_are_cut_into_chunks_in_term_order() {
        let many: Vec<Doc> = (0..400)
            .map(|n| doc(&[(format!("term{n:04}").as_str(), 1), ("common", 2)], 20))
            .collect();
        let docs: Vec<&Doc> = many.iter().collect();
        let chunks = chunks(&docs);
        assert!(chunks.len() > 1);
        assert!(chunks.windows(2).all(|pair| pair[0].first < pair[1].first));
        assert!(chunks.iter().all(|chunk| chunk.bytes.len() <= CHUNK_MAX + 4096));
    }

    #[test]
    fn id_lists_hold_differences() {
        assert_eq!(id_list(&[3, 4, 8]), "[3,1,4]\n");
        assert_eq!(id_list(&[]), "[]\n");
    }
}

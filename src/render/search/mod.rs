//! The site's search index, for `assets/annals/search.js`: full text of
//! every event (title, summary, body, tags, track, sources), cut so that a
//! reader's query downloads only what it needs. `docs/search.md` explains
//! the choice (measured against Pagefind) and the format:
//!
//! ```text
//! search/index.json        how many events, the first term of each chunk,
//!                          the filters that have files
//! search/t/<hash>.json     a chunk of neighbouring terms and their postings
//! search/d/<n>.json        event n: title, address, date, slug and text,
//!                          for a result and its excerpt
//! search/f/<name>.json     the events of a track, era, tag, or the key
//!                          moments (`highlights`)
//! ```
//!
//! Each event's part (its terms and its result file) is kept in a memo
//! table under its value's key; the chunks are made anew from the parts.
//! A part holds its terms as numbers into one dictionary (`terms`).

mod index;
mod terms;
mod text;
pub mod words;

use std::sync::Arc;

use rayon::prelude::*;

use super::outputs::FileBytes;
use super::stream::Destination;
use crate::error::Error;
use crate::hashing::{map_with_capacity, HashMap};
use crate::memo::{Key, Memo};
use crate::render::view::EventView;
use tera::Value;
use terms::{Dictionary, SharedDictionary, TermId};

/// The folder of the index, in each language's copy of the site.
pub const FOLDER: &str = "search/";

/// The format of the files, for the script to check.
const VERSION: u32 = 1;

/// How much a word counts in each field (the body counts 1).
const TITLE: u32 = 6;
const TAG: u32 = 4;
const SUMMARY: u32 = 2;
const TRACK: u32 = 2;
const SOURCE: u32 = 2;

/// One event as the index sees it.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// Each term once (its number in the [`SearchCache`]'s dictionary),
    /// with its field-weighted count.
    pub terms: Vec<(TermId, u32)>,
    /// How many terms the event has, counted once each time they occur.
    pub length: u32,
    /// Its result file, `d/<n>.json`.
    pub fragment: Arc<Vec<u8>>,
    /// The filter files that list it ([`facets`]), their names numbered
    /// in the same dictionary as the terms (a site has few, and 100,000
    /// events would otherwise spell them 100,000 times).
    pub facets: Vec<TermId>,
}

impl Doc {
    /// The index's view of `event`, whose template value is `value` (the
    /// view no longer holds the longest texts: they are in the value); its
    /// terms are numbered in `dictionary`.
    pub fn of(event: &EventView, value: &Value, dictionary: &SharedDictionary) -> Doc {
        let body = text::html_text(string(value, "body_html"));
        let sources = source_text(value);
        // Each field folded once; the terms counted are pieces of these.
        let mut fields: Vec<(String, u32)> = Vec::with_capacity(event.tags.len() + 5);
        fields.push((words::fold(&event.title), TITLE));
        fields.extend(event.tags.iter().map(|tag| (words::fold(&tag.name), TAG)));
        if let Some(track) = &event.track {
            fields.push((words::fold(&track.title), TRACK));
        }
        if event.has_summary {
            fields.push((words::fold(&event.summary_text), SUMMARY));
        }
        fields.push((words::fold(&body), 1));
        fields.push((words::fold(&sources), SOURCE));
        let mut counts: HashMap<&str, u32> = map_with_capacity(256);
        let mut length = 0u32;
        for (folded, weight) in &fields {
            words::index_terms(folded, |term| {
                length += 1;
                *counts.entry(term).or_default() += weight;
            });
        }
        let ids = dictionary.ids_of(counts.keys().copied());
        let mut terms: Vec<(TermId, u32)> = ids.into_iter().zip(counts.into_values()).collect();
        terms.sort_unstable();
        let mut text = String::new();
        if event.has_summary {
            text.push_str(&event.summary_text);
            text.push_str(" \u{2014} ");
        }
        text.push_str(&body);
        if !sources.is_empty() {
            text.push_str(" \u{2014} ");
            text.push_str(&sources);
        }
        let mut facets: Vec<String> = Vec::new();
        if let Some(track) = &event.track {
            facets.push(format!("track-{}", track.id));
        }
        for era in items(value, "eras") {
            facets.push(format!("era-{}", string(era, "slug")));
        }
        for tag in &event.tags {
            facets.push(format!("tag-{}", tag.slug));
        }
        if event.highlight {
            facets.push("highlights".into());
        }
        Doc {
            terms,
            length,
            fragment: Arc::new(fragment(event, &text)),
            facets: dictionary.ids_of(facets.iter().map(String::as_str)),
        }
    }
}

/// The text of a value's field `name`, or nothing.
fn string<'v>(value: &'v Value, name: &'v str) -> &'v str {
    value
        .as_map()
        .and_then(|map| map.get(&tera::value::Key::Str(name)))
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// The items of a value's list `name`.
fn items<'v>(value: &'v Value, name: &'v str) -> &'v [Value] {
    value
        .as_map()
        .and_then(|map| map.get(&tera::value::Key::Str(name)))
        .and_then(Value::as_array)
        .map_or(&[], |items| items)
}

/// What the sources say: each one's title and publisher.
fn source_text(value: &Value) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for source in items(value, "sources") {
        parts.extend(
            [string(source, "title"), string(source, "publisher")]
                .into_iter()
                .filter(|text| !text.is_empty()),
        );
    }
    parts.join(" \u{b7} ")
}

/// An event's result file: `{"d":date,"s":slug,"t":title,"u":address,"x":text}`.
fn fragment(event: &EventView, text: &str) -> Vec<u8> {
    let mut out = String::from("{\"d\":");
    index::write_string(&mut out, &event.date_label);
    out.push_str(",\"s\":");
    index::write_string(&mut out, &event.slug);
    out.push_str(",\"t\":");
    index::write_string(&mut out, &event.title);
    out.push_str(",\"u\":");
    index::write_string(&mut out, &event.url);
    out.push_str(",\"x\":");
    index::write_string(&mut out, text);
    out.push_str("}\n");
    out.into_bytes()
}

/// What a rebuild may reuse of the index: each event's part (its terms
/// and result file) by its value's key, each chunk by the key of its terms
/// and postings, and the last build's postings (for its list of events)
/// and filter files (for events that hold the same filters).
pub struct SearchCache {
    /// Every term the parts hold, by number.
    terms: SharedDictionary,
    docs: Memo<Arc<Doc>>,
    chunks: Memo<Arc<index::Chunk>>,
    last: Option<Last>,
}

/// The last build's postings and filter files.
pub(super) struct Last {
    postings: Arc<index::Postings>,
    facets: Arc<FacetFiles>,
}

/// The filters' files: name, key and bytes, in order of name.
type FacetFiles = Vec<(String, Key, Arc<Vec<u8>>)>;

impl SearchCache {
    /// Tables that keep values for the next build when `keep`.
    pub fn new(keep: bool) -> SearchCache {
        fn table<V: Clone>(keep: bool) -> Memo<V> {
            if keep {
                Memo::keeping()
            } else {
                Memo::one_shot()
            }
        }
        SearchCache {
            terms: SharedDictionary::default(),
            docs: table(keep),
            chunks: table(keep),
            last: None,
        }
    }

    /// What the last build left for this one to start from; the render
    /// takes it, so that the postings can be patched in place.
    pub(super) fn take_last(&mut self) -> Option<Last> {
        self.last.take()
    }

    /// Records what a render found and made.
    fn keep(&mut self, made: Made) {
        for (key, doc, found) in made.docs {
            match found {
                true => self.docs.found(key),
                false => self.docs.made(key, &doc),
            }
        }
        for (key, chunk, found) in made.chunks {
            match found {
                true => self.chunks.found(key),
                false => self.chunks.made(key, &chunk),
            }
        }
        if self.docs.keeps() {
            self.last = Some(Last {
                postings: made.postings,
                facets: made.facets,
            });
        }
        self.docs.end_build();
        self.chunks.end_build();
    }
}

/// What a render made of the index, and what of it was known.
pub(super) struct Made {
    docs: Vec<(Key, Arc<Doc>, bool)>,
    chunks: Vec<(Key, Arc<index::Chunk>, bool)>,
    postings: Arc<index::Postings>,
    facets: Arc<FacetFiles>,
}

/// The index in the making: each event's part is made, and its result
/// file sent, a window of events at a time; the postings, chunks and
/// filters, which need every event, come last ([`SearchRun::finish`]).
#[derive(Default)]
pub(super) struct SearchRun {
    docs: Vec<(Key, Arc<Doc>, bool)>,
}

impl SearchRun {
    /// Adds the events `first..`, whose views are `views` and values
    /// `values`, and sends their result files; `keys` are every event's
    /// value keys. Unless the table keeps them, a part's result file is
    /// let go once sent.
    pub fn window(
        &mut self,
        first: usize,
        views: &[Arc<EventView>],
        values: &[Value],
        keys: &[Key],
        cache: &SearchCache,
        out: &Destination<'_>,
    ) -> Result<(), Error> {
        let docs: Vec<(Key, Arc<Doc>, bool)> = (0..views.len())
            .into_par_iter()
            .map(|at| {
                let key = keys[first + at];
                match cache.docs.peek(key) {
                    Some(known) => (key, Arc::clone(known), true),
                    None => (key, Arc::new(Doc::of(&views[at], &values[at], &cache.terms)), false),
                }
            })
            .collect();
        let keeps = cache.docs.keeps();
        let mut held = Vec::new();
        for (at, (key, doc, found)) in docs.into_iter().enumerate() {
            send(
                out,
                &mut held,
                format!("{FOLDER}d/{}.json", first + at),
                &doc.fragment,
                Key::of(&("search result", key)),
            )?;
            let doc = match keeps {
                true => doc,
                false => Arc::new(Doc {
                    fragment: Arc::default(),
                    ..Arc::unwrap_or_clone(doc)
                }),
            };
            self.docs.push((key, doc, found));
        }
        keep_held(out, held)
    }

    /// Makes and sends the postings' chunks, the filters' files and the
    /// index's manifest, from what the last build left (`last`,
    /// [`SearchCache::take_last`]).
    pub fn finish(self, cache: &SearchCache, last: Option<Last>, out: &Destination<'_>) -> Result<Made, Error> {
        let docs = self.docs;
        let keys: Vec<Key> = docs.iter().map(|(key, _, _)| *key).collect();
        let texts: Vec<Arc<Doc>> = docs.iter().map(|(_, doc, _)| Arc::clone(doc)).collect();
        let (previous, known_facets) = match last {
            Some(Last { postings, facets }) => {
                let same = postings.same_facets(&keys, &texts);
                (Some(postings), same.then_some(facets))
            }
            None => (None, None),
        };
        let postings = index::Postings::for_docs(keys, texts, previous, &cache.terms.read());
        // A chunk or filter file the previous build holds as it is is not
        // sent again: the writer is told to keep them all in one word.
        let mut held = Vec::new();
        let keeps = cache.chunks.keeps();
        let mut chunks = Vec::new();
        for (key, chunk, found) in postings.chunks(&cache.chunks) {
            let file_key = Key::of(&("search chunk", key));
            send(
                out,
                &mut held,
                format!("{FOLDER}{}", chunk.path),
                &chunk.bytes,
                file_key,
            )?;
            // A one-shot build keeps only what the manifest names.
            let chunk = match keeps {
                true => chunk,
                false => Arc::new(index::Chunk {
                    bytes: Arc::default(),
                    ..Arc::unwrap_or_clone(chunk)
                }),
            };
            chunks.push((key, chunk, found));
        }
        let facets = known_facets.unwrap_or_else(|| Arc::new(facet_files(&docs, &cache.terms.read())));
        for (name, key, bytes) in facets.iter() {
            send(out, &mut held, format!("{FOLDER}f/{name}.json"), bytes, *key)?;
        }
        keep_held(out, held)?;
        let manifest = manifest(docs.len(), &chunks, &facets);
        out.file(
            format!("{FOLDER}index.json"),
            FileBytes::Whole(Arc::new(manifest.into_bytes())),
            None,
        )?;
        Ok(Made {
            docs,
            chunks,
            postings,
            facets,
        })
    }
}

/// Sends a file of the index with its key, or, when the previous build
/// holds it as it is, adds it to `held`.
fn send(
    out: &Destination<'_>,
    held: &mut Vec<(String, Key)>,
    path: String,
    bytes: &Arc<Vec<u8>>,
    key: Key,
) -> Result<(), Error> {
    if out.holds(&path, key) {
        held.push((path, key));
        Ok(())
    } else {
        out.file(path, FileBytes::Whole(Arc::clone(bytes)), Some(key))
    }
}

/// Tells the writer to keep the files of the index the previous build
/// holds, in one word.
fn keep_held(out: &Destination<'_>, held: Vec<(String, Key)>) -> Result<(), Error> {
    if held.is_empty() {
        Ok(())
    } else {
        out.keep(held)
    }
}

/// Keeps what a render made for the next build.
pub(super) fn keep(cache: &mut SearchCache, made: Made) {
    cache.keep(made);
}

/// The filters' files: `track-<id>`, `era-<slug>`, `tag-<slug>` and
/// `highlights`, each with its events' ids, in order of name.
fn facet_files(docs: &[(Key, Arc<Doc>, bool)], dictionary: &Dictionary) -> FacetFiles {
    facets(docs, dictionary)
        .into_iter()
        .map(|(name, ids)| {
            let key = Key::of(&("search filter", name, &ids));
            (name.to_string(), key, Arc::new(index::id_list(&ids).into_bytes()))
        })
        .collect()
}

/// Each filter's events' ids, in order of name.
fn facets<'d>(docs: &[(Key, Arc<Doc>, bool)], dictionary: &'d Dictionary) -> Vec<(&'d str, Vec<u32>)> {
    let mut facets: HashMap<TermId, Vec<u32>> = map_with_capacity(64);
    for (id, (_, doc, _)) in docs.iter().enumerate() {
        let id = u32::try_from(id).unwrap_or(u32::MAX);
        for &name in &doc.facets {
            facets.entry(name).or_default().push(id);
        }
    }
    let mut facets: Vec<(&str, Vec<u32>)> = facets
        .into_iter()
        .map(|(name, ids)| (&**dictionary.name(name), ids))
        .collect();
    facets.sort_unstable_by_key(|(name, _)| *name);
    facets
}

/// `index.json`: the format's version, how many events, each chunk's first
/// term and file, and the filters that have files.
fn manifest(docs: usize, chunks: &[(Key, Arc<index::Chunk>, bool)], facets: &FacetFiles) -> String {
    let mut out = format!("{{\"version\":{VERSION},\"docs\":{docs},\"chunks\":[");
    for (at, (_, chunk, _)) in chunks.iter().enumerate() {
        if at > 0 {
            out.push(',');
        }
        out.push('[');
        index::write_string(&mut out, &chunk.first);
        out.push(',');
        index::write_string(&mut out, &chunk.path);
        out.push(']');
    }
    out.push_str("],\"facets\":[");
    for (at, (name, _, _)) in facets.iter().enumerate() {
        if at > 0 {
            out.push(',');
        }
        index::write_string(&mut out, name);
    }
    out.push_str("]}\n");
    out
}

//! The render's memo tables ([`crate::memo`]): what a rebuild may reuse
//! from the previous render, each value under the key of what it is made
//! from. A page whose key did not change is taken as it is; since the key
//! covers every input, the result is always what a full render would give
//! (tests check that byte for byte). `docs/architecture.md` lists every
//! table, its key and what changes it.

use std::sync::Arc;

use tera::Value;

use super::parts::PartCache;
use super::timeline::Layout;
use crate::hashing::HashSet;
use crate::memo::Memo;

/// Each event's related events, by index.
pub(super) type Related = Arc<Vec<Vec<usize>>>;

/// The slug of every event, and a sum of their keys that stands for the set
/// without sorting it.
pub(super) type SlugSet = (Arc<HashSet<String>>, u64);

/// A page kept for the next build: its path and bytes (shared with
/// whoever holds the output).
pub(super) type KeptPage = Arc<(String, Arc<Vec<u8>>)>;

/// An event's part of `events.json` and of `timeline.json`.
pub(super) type DataPiece = (Arc<Vec<u8>>, Arc<Vec<u8>>);

/// The render's tables: kept between builds by `serve`, one-shot (keeping
/// nothing) for `annals build`.
pub struct RenderCache {
    /// Each event's share of the render, and its rendered Markdown.
    pub(super) parts: PartCache,
    /// The timeline's layout and each event's related events.
    pub(super) layouts: Memo<(Arc<Layout>, Related)>,
    /// The slugs of every event.
    pub(super) slugs: Memo<SlugSet>,
    /// The key of each event's reference, by the event's key.
    pub(super) references: Memo<crate::memo::Key>,
    /// Each event's completed template value.
    pub(super) values: Memo<Value>,
    /// Rendered pages.
    pub(super) pages: Memo<KeptPage>,
    /// Each event's piece of `events.json` and `timeline.json`.
    pub(super) data_pieces: Memo<DataPiece>,
    /// The search index's parts.
    pub(super) search: super::search::SearchCache,
    /// The sitemap.
    pub(super) sitemaps: Memo<Arc<Vec<u8>>>,
    /// The overview of the whole timeline.
    pub(super) overviews: Memo<Arc<Option<String>>>,
    /// What the last render did.
    pub stats: RenderStats,
    /// Whether the tables keep values for the next build. A one-shot build
    /// does not: keeping them would double its memory for nothing.
    pub keep: bool,
    /// Whether the process ends right after this build (`annals build`):
    /// then what the render holds is freed on a thread of its own, while
    /// the writer finishes, rather than in the way.
    pub exit_after: bool,
}

impl Default for RenderCache {
    fn default() -> Self {
        RenderCache::new(false)
    }
}

impl RenderCache {
    /// Tables that keep values between builds (for `serve`).
    pub fn keeping() -> Self {
        RenderCache::new(true)
    }

    fn new(keep: bool) -> Self {
        fn table<V: Clone>(keep: bool) -> Memo<V> {
            if keep {
                Memo::keeping()
            } else {
                Memo::one_shot()
            }
        }
        RenderCache {
            parts: PartCache::new(keep),
            layouts: table(keep),
            slugs: table(keep),
            references: table(keep),
            values: table(keep),
            pages: table(keep),
            data_pieces: table(keep),
            search: super::search::SearchCache::new(keep),
            sitemaps: table(keep),
            overviews: table(keep),
            stats: RenderStats::default(),
            keep,
            exit_after: false,
        }
    }

    /// Ends a build in every table but the parts' (which end theirs when
    /// the parts are made).
    pub(super) fn end_build(&mut self) {
        self.layouts.end_build();
        self.slugs.end_build();
        self.references.end_build();
        self.values.end_build();
        self.pages.end_build();
        self.data_pieces.end_build();
        self.sitemaps.end_build();
        self.overviews.end_build();
    }
}

/// How much of the last render was reused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderStats {
    /// Pages rendered through the templates.
    pub rendered: usize,
    /// Pages taken unchanged from the previous render.
    pub reused: usize,
}

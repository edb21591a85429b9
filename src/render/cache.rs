//! What a rebuild may reuse from the previous render.
//!
//! Each page is rendered from a known set of inputs (the site-wide values,
//! the theme, and the views of the events it shows). Their fingerprints are
//! combined into the page's fingerprint; a page whose fingerprint did not
//! change is taken from the previous render instead of rendered again.
//! Because the fingerprint covers every input, the result is always what a
//! full render would give — tests check that byte for byte.

use crate::hashing::fingerprint_of;
use std::sync::Arc;

use super::parts::PartCache;
use super::timeline::{self, Layout};
use crate::hashing::{HashMap, HashSet};
use crate::model::Site;

/// Rendered pieces kept between builds (by `serve`); empty for one-shot builds.
#[derive(Default)]
pub struct RenderCache {
    /// Each event's share of the render, by the event's fingerprint.
    pub(super) parts: PartCache,
    /// The timeline's layout and each event's related events.
    pub(super) layout: LayoutCache,
    /// Rendered pages by output path: (fingerprint, bytes).
    pub(super) pages: HashMap<String, (u64, std::sync::Arc<Vec<u8>>)>,
    /// Each event's template value, by its fingerprint (`Shared::prints`).
    pub(super) values: HashMap<u64, tera::Value>,
    /// Each event's part of `events.json` and `timeline.json`.
    pub(super) data_pieces: super::DataPieces,
    /// The path of each event page in `pages`, by its fingerprint.
    pub(super) event_pages: HashMap<u64, String>,
    /// The slug of every event, by [`Site::shape`], with the sum of their
    /// fingerprints.
    pub(super) slugs: Option<(u64, Arc<HashSet<String>>, u64)>,
    /// The sitemap, by a fingerprint of the paths it lists and the base URL.
    pub(super) sitemap: Option<super::Sitemap>,
    /// What the last render did.
    pub stats: RenderStats,
    /// Whether to keep rendered pages for the next build. A one-shot build
    /// does not: keeping them would double its memory for nothing.
    pub keep: bool,
    /// Whether the process ends right after this build (`annals build`):
    /// then what the render holds is not freed piece by piece, which takes
    /// a while on a big site, but left to the operating system.
    pub exit_after: bool,
}

impl RenderCache {
    /// A cache that keeps pages between builds (for `serve`).
    pub fn keeping() -> Self {
        Self {
            keep: true,
            ..Self::default()
        }
    }
}

/// Each event's related events, by index.
pub(super) type Related = Arc<Vec<Vec<usize>>>;

/// The timeline's layout and each event's related events, by a
/// fingerprint of what they are computed from.
#[derive(Default)]
pub struct LayoutCache(Option<(u64, Arc<Layout>, Related)>);

impl LayoutCache {
    /// How `site`'s timeline is split into pages and which events each
    /// event is related to: computed again only when the dates, tags or
    /// number of events changed (or always, when nothing is `keep`t).
    pub(super) fn layout(&mut self, site: &Site, keep: bool) -> (Arc<Layout>, Related) {
        let compute = || {
            (
                Arc::new(Layout::new(site)),
                Arc::new(timeline::related(site, super::RELATED_LIMIT)),
            )
        };
        if !keep {
            return compute();
        }
        let print = fingerprint_of(&(site.config.language, format!("{:?}", site.config.order), site.shape));
        if let Some((known, layout, related)) = &self.0 {
            if *known == print {
                return (Arc::clone(layout), Arc::clone(related));
            }
        }
        let (layout, related) = compute();
        self.0 = Some((print, Arc::clone(&layout), Arc::clone(&related)));
        (layout, related)
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

//! Renders a [`Site`] through a [`Theme`] into files.
//!
//! Nothing here touches the disk: each finished file is sent down a
//! channel as an [`Output`] as soon as it is made, to a consumer that keeps
//! it in memory ([`collect`], for the preview and tests) or writes it out
//! (`write::Staging`), so a big site is never held whole. Markdown is rendered once per event, each event's view
//! and its entry in lists are made once and shared by every page that shows
//! it, and pages render in parallel. With a [`RenderCache`] kept between
//! builds (the preview), each unchanged event's share of the work is kept
//! too, and only pages whose inputs changed are rendered again.

mod assets;
mod cache;
mod card;
mod data;
mod event;
mod feed;
mod jobs;
mod json;
mod outputs;
mod overview;
mod page;
mod pages;
mod parts;
mod search;
mod stream;
pub mod theme;
mod timeline;
mod timelinejs;
mod values;
pub mod view;

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::hashing::HashMap;
use crate::lang::Lang;
use crate::load::Asset;
use crate::memo::Key;
use crate::model::Site;
use crate::parse::markdown::{self, MarkdownContext};
use crate::render::theme::Theme;
pub use cache::{RenderCache, RenderStats};
pub use outputs::{FileBytes, Joined, Outputs};
pub use stream::{channel, collect, unbounded, Chunks, Destination, Output, OutputSender, PreviousBuild};
use view::{EraView, EventView, TagView, TrackView};

/// What a render made, besides the files it sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rendered {
    /// HTML files, pages and the site's own.
    pub pages: usize,
}

/// How many related events an event page shows.
const RELATED_LIMIT: usize = 4;

/// The views every page shares, built once per render.
pub(crate) struct Shared<'a> {
    site: &'a Site,
    views: Vec<Arc<EventView>>,
    values: Vec<Value>,
    /// The key of each event's value: its view, its timeline page, what it
    /// shows of its related events and its list entry.
    keys: Vec<Key>,
    tracks: Vec<TrackView>,
    tags: Vec<TagView>,
    eras: Vec<EraView>,
    /// The events of each track and each era, by index.
    track_events: Vec<Vec<usize>>,
    era_events: Vec<Vec<usize>>,
    layout: Arc<timeline::Layout>,
    /// The intro, rendered once for the timeline pages and `timeline.json`.
    intro: crate::parse::markdown::Rendered,
}

impl<'a> Shared<'a> {
    /// What every page of `site` shares: the events' values and views,
    /// and the views of its tracks, tags and eras.
    fn new(
        site: &'a Site,
        made: values::EventValues,
        tracks: Vec<TrackView>,
        track_events: Vec<Vec<usize>>,
        md: &MarkdownContext<'_>,
    ) -> Self {
        let era_events = site.era_events();
        Shared {
            site,
            values: made.values,
            keys: made.keys,
            tracks,
            tags: site.tags.iter().map(TagView::new).collect(),
            eras: site
                .config
                .eras
                .iter()
                .zip(&era_events)
                .map(|(era, events)| EraView::new(era, events.len(), site.config.language))
                .collect(),
            track_events,
            era_events,
            views: made.views,
            layout: made.layout,
            intro: markdown::render(&site.intro.body, md),
        }
    }
}

/// The languages of a site, and the one being rendered: its pages link to
/// their translations (the default language at the root, others in
/// `<code>/`).
#[derive(Debug, Clone)]
pub struct Languages {
    /// The language of these pages.
    pub current: Lang,
    /// Every language of the site, the default first.
    pub all: Vec<Lang>,
}

impl Languages {
    /// A link to each language's copy of a page, whose relative and
    /// absolute addresses `address` gives; none for a site in one language.
    fn links(&self, address: impl Fn(Lang) -> (String, Option<String>)) -> Vec<LanguageLink> {
        if self.all.len() < 2 {
            return Vec::new();
        }
        self.all
            .iter()
            .map(|&lang| {
                let (url, href) = address(lang);
                LanguageLink {
                    code: lang.code(),
                    tag: lang.html_tag(),
                    name: lang.name(),
                    url,
                    href,
                    current: lang == self.current,
                }
            })
            .collect()
    }

    fn prefix(&self, lang: Lang) -> String {
        if Some(&lang) == self.all.first() {
            String::new()
        } else {
            format!("{}/", lang.code())
        }
    }
}

#[derive(Serialize)]
struct LanguageLink {
    code: &'static str,
    tag: &'static str,
    name: &'static str,
    /// Relative, for links readers follow.
    url: String,
    /// Absolute (with a base URL), for `hreflang` links search engines read.
    href: Option<String>,
    current: bool,
}

/// Renders every page, feed and data file, and gathers the assets, sending
/// each file to `out` as it is made. Template problems fail with
/// [`Error::Invalid`]; a send fails only when the consumer stopped.
pub fn render(
    mut site: Site,
    theme: &Theme,
    assets: &[Asset],
    generator: &str,
    languages: &Languages,
    cache: &mut RenderCache,
    out: &Destination<'_>,
) -> Result<Rendered, Error> {
    let slugs = values::event_slugs(&site, &mut cache.slugs);
    let md_key = values::markdown_key(&site, &slugs);
    let track_events = site.track_events();
    let tracks: Vec<TrackView> = site
        .tracks
        .iter()
        .zip(&track_events)
        .map(|(track, events)| TrackView::new(track, events.len()))
        .collect();
    let shares = {
        let md = MarkdownContext {
            unsafe_html: site.config.unsafe_html,
            event_slugs: &slugs.0,
        };
        let image_sizes = image_sizes(assets);
        let inputs = event::ViewInputs {
            site: &site,
            tracks: &tracks,
            image_sizes: &image_sizes,
        };
        values::shares(&inputs, &md, md_key, cache)
    };
    values::let_sources_go(&mut site);
    let site = &site;
    let md = MarkdownContext {
        unsafe_html: site.config.unsafe_html,
        event_slugs: &slugs.0,
    };
    let cards = card::Cards::new(theme, &site.config.theme, languages);
    let mut made = values::event_values(shares, cards.as_ref(), cache);
    let mut problems = std::mem::take(&mut made.problems);
    problems.append(&mut made.card_problems);
    let shared = Shared::new(site, made, tracks, track_events, &md);
    let (mut static_files, mut renamed) = assets::fingerprint_assets(theme, assets);
    let stylesheets = assets::site_stylesheets(&site.config.stylesheets, assets, &mut static_files, &mut renamed)
        .unwrap_or_else(|missing| {
            problems.extend(missing);
            Vec::new()
        });
    let common = page::Common::new(&shared, theme, languages, &renamed, &stylesheets, generator);
    let side = pages::PageSide {
        common: &common,
        theme,
        md: &md,
        assets,
        static_files,
        renamed: &renamed,
        problems,
    };
    // The pages on one side, `events.json`, `timeline.json` and the
    // search index on the other; a failure on either fails the build.
    let last_search = cache.search.take_last();
    let (pages_made, (data_made, search_made)) = rayon::join(
        || pages::send_pages(side, &cache.pages, &cache.sitemaps, out),
        || {
            rayon::join(
                || data::send_data_files(&shared, &cache.data_pieces, out),
                || search::send_search_files(&shared, &cache.search, last_search, out),
            )
        },
    );
    let recorded = pages_made.and_then(|made| {
        let html_files = made.html_files;
        pages::record(made, cache).map(|()| html_files)
    });
    let data_made = data_made.map(|made| data::keep_pieces(cache, made));
    let search_made = search_made.map(|made| search::keep(&mut cache.search, made));
    cache.end_build();
    if cache.exit_after {
        // Every event's value and view, freed beside the writer's last
        // work rather than before it.
        let Shared { values, views, .. } = shared;
        std::thread::spawn(move || drop((values, views)));
    }
    let html_files = recorded?;
    data_made?;
    search_made?;
    Ok(Rendered { pages: html_files })
}

/// The pixel size of each of the site's pictures, by site-relative path.
fn image_sizes(assets: &[Asset]) -> HashMap<String, (u32, u32)> {
    assets
        .par_iter()
        .filter(|asset| assets::is_image(&asset.source_path))
        .filter_map(|asset| {
            let size = imagesize::blob_size(&asset.bytes).ok()?;
            Some((
                asset.source_path.clone(),
                (u32::try_from(size.width).ok()?, u32::try_from(size.height).ok()?),
            ))
        })
        .collect()
}

/// A broken template fails on every page (or list entry) that uses it:
/// report it once, saying how many other `things` failed the same way.
pub(super) fn report_once(failures: Vec<Diagnostic>, things: &str) -> Vec<Diagnostic> {
    let mut unique: Vec<(Diagnostic, usize)> = Vec::new();
    for failure in failures {
        let place = (&failure.path, failure.line, failure.column);
        match unique
            .iter_mut()
            .find(|(known, _)| (&known.path, known.line, known.column) == place)
        {
            Some((_, others)) => *others += 1,
            None => unique.push((failure, 0)),
        }
    }
    unique
        .into_iter()
        .map(|(diagnostic, others)| match others {
            0 => diagnostic,
            n => diagnostic.with_hint(format!("the same error occurs on {n} more {things}")),
        })
        .collect()
}

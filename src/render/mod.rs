//! Renders a [`Site`] through a [`Theme`] into files.
//!
//! Nothing here touches the disk: each finished file is sent down a
//! channel as an [`Output`] as soon as it is made, to a consumer that keeps
//! it in memory ([`collect`], for the preview and tests) or writes it out
//! (`write::Staging`), so a big site is never held whole. Markdown is
//! rendered once per event, each event's view and its entry in lists are
//! made once and shared by every page that shows it, and pages render in
//! parallel. The events' values are made a window at a time along the
//! timeline and held only until the last page that shows them is rendered
//! (`sweep`), so neither are the values of a big site. With a [`RenderCache`] kept between
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
mod sweep;
pub mod theme;
mod timeline;
mod timelinejs;
mod values;
pub mod view;

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

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
use view::{EraView, TagView, TrackView};

/// What a render made, besides the files it sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rendered {
    /// HTML files, pages and the site's own.
    pub pages: usize,
}

/// How many related events an event page shows.
const RELATED_LIMIT: usize = 4;

/// What every page shares, known before any event's value is made.
pub(crate) struct Shared<'a> {
    site: &'a Site,
    /// The key of each event's value: its view, its timeline page, what it
    /// shows of its related events and its list entry.
    keys: Vec<Key>,
    /// Shared by the events' views (one of each, not a copy per event).
    tracks: Vec<Arc<TrackView>>,
    tags: Vec<Arc<TagView>>,
    eras: Vec<EraView>,
    /// The key of the tracks and eras, as an overview draws them (lanes
    /// and bands): worked out once, not for each page that draws one.
    lanes_key: Key,
    /// The events of each track and each era, by index.
    track_events: Vec<Vec<usize>>,
    era_events: Vec<Vec<usize>>,
    layout: Arc<timeline::Layout>,
    /// The intro, rendered once for the timeline pages and `timeline.json`.
    intro: crate::parse::markdown::Rendered,
}

impl<'a> Shared<'a> {
    /// What every page of `site` shares: the views of its tracks, tags and
    /// eras, its layout and its intro.
    fn new(site: &'a Site, layout: Arc<timeline::Layout>, md: &MarkdownContext<'_>) -> Self {
        let era_events = site.era_events();
        let track_events = site.track_events();
        let tracks: Vec<Arc<TrackView>> = site
            .tracks
            .iter()
            .zip(&track_events)
            .map(|(track, events)| Arc::new(TrackView::new(track, events.len())))
            .collect();
        let eras: Vec<EraView> = site
            .config
            .eras
            .iter()
            .zip(&era_events)
            .map(|(era, events)| EraView::new(era, events.len(), site.config.language))
            .collect();
        Shared {
            site,
            keys: Vec::new(),
            lanes_key: Key::of_json(&tracks).and(&Key::of_json(&eras)),
            tracks,
            tags: site.tags.iter().map(|tag| Arc::new(TagView::new(tag))).collect(),
            eras,
            track_events,
            era_events,
            layout,
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
    let whole = values::whole_events(&mut site, cache.keep);
    let site = &site;
    let md = MarkdownContext {
        unsafe_html: site.config.unsafe_html,
        event_slugs: &slugs.0,
    };
    let (layout, related) = values::layout_of(site, &mut cache.layouts);
    let mut shared = Shared::new(site, layout, &md);
    let image_sizes = image_sizes(assets);
    let view_inputs = event::ViewInputs {
        site,
        tracks: &shared.tracks,
        tags: &shared.tags,
        image_sizes: &image_sizes,
    };
    let part_inputs = parts::PartInputs::new(&view_inputs, &md, md_key);
    let cards = card::Cards::new(theme, &site.config.theme, languages);
    let card_key = cards.as_ref().map(|cards| cards.key);
    shared.keys = values::value_keys(
        site,
        part_inputs.context,
        &shared.layout,
        &related,
        card_key,
        &mut cache.references,
    );
    let completing = values::Completing {
        site,
        parts: &part_inputs,
        keys: &shared.keys,
        layout: &shared.layout,
        related: &related,
        cards: cards.as_ref(),
    };
    let mut problems = Vec::new();
    let (mut static_files, mut renamed) = assets::fingerprint_assets(theme, assets);
    let stylesheets = assets::site_stylesheets(&site.config.stylesheets, assets, &mut static_files, &mut renamed)
        .unwrap_or_else(|missing| {
            problems.extend(missing);
            Vec::new()
        });
    let common = page::Common::new(&shared, theme, languages, &renamed, &stylesheets, generator);
    let jobs = jobs::plan(&shared, theme, &md, &mut problems);
    let side = pages::PageSide {
        common: &common,
        theme,
        assets,
        static_files,
        renamed: &renamed,
    };
    let (html_files, swept) = render_in_sweep(&common, &completing, whole, jobs, problems, side, cache, out)?;
    if cache.exit_after {
        // Every event's view and the values still held, freed beside the
        // writer's last work rather than before it.
        std::thread::spawn(move || drop(swept));
    }
    Ok(Rendered { pages: html_files })
}

/// Sweeps the events ([`sweep::sweep`]), then renders the timeline's index,
/// the feeds and what of the data files and the search index needs every
/// event, and records it all in `cache`. Problems found before (`problems`)
/// or during the sweep fail the render once every event is checked. The
/// number of HTML files, with what is left to free.
#[allow(clippy::too_many_arguments)]
fn render_in_sweep<'a>(
    common: &'a page::Common<'a>,
    completing: &values::Completing<'_>,
    whole: Vec<Arc<crate::parse::event::Event>>,
    jobs: Vec<jobs::Job>,
    mut problems: Vec<Diagnostic>,
    side: pages::PageSide<'a>,
    cache: &mut RenderCache,
    out: &Destination<'_>,
) -> Result<(usize, sweep::Swept), Error> {
    let shared = common.shared;
    let theme = side.theme;
    let mut page_run = pages::PageRun::start(side, &cache.pages, out)?;
    let mut data_run = data::DataRun::start(shared, &cache.data_pieces, out)?;
    let mut search_run = search::SearchRun::default();
    let last_search = cache.search.take_last();
    let runs = sweep::Runs {
        pages: &mut page_run,
        data: &mut data_run,
        search: &mut search_run,
        data_pieces: &cache.data_pieces,
        search_cache: &cache.search,
        part_cache: &mut cache.parts,
        value_cache: &mut cache.values,
        out,
    };
    let swept = sweep::sweep(shared, completing, whole, jobs, !problems.is_empty(), runs)?;
    problems.extend(swept.problems.iter().cloned());
    problems.extend(report_once(swept.card_problems.clone(), "list entries"));
    if !problems.is_empty() {
        cache.parts.end_build();
        cache.end_build();
        return Err(Error::Invalid { diagnostics: problems });
    }
    let held = &swept.held;
    // The index (and the overview it draws) beside what of the data files
    // and the search index needs every event.
    let (pages_made, (data_made, search_made)) = rayon::join(
        || {
            let (index_jobs, overview) = jobs::index_pages(shared, &swept.views, theme, &cache.overviews);
            page_run.render(index_jobs, &|index| held.value(index), &swept.views);
            (page_run.finish(&swept.views, &cache.sitemaps), overview)
        },
        || {
            rayon::join(
                || data_run.finish(out),
                || search_run.finish(&cache.search, last_search, out),
            )
        },
    );
    let (pages_made, (overview_key, overview, found)) = pages_made;
    match found {
        true => cache.overviews.found(overview_key),
        false => cache.overviews.made(overview_key, &overview),
    }
    let recorded = pages_made.and_then(|made| {
        let html_files = made.html_files;
        pages::record(made, cache).map(|()| html_files)
    });
    let data_made = data_made.map(|made| data::keep_pieces(cache, made));
    let search_made = search_made.map(|made| search::keep(&mut cache.search, made));
    cache.parts.end_build();
    cache.end_build();
    let html_files = recorded?;
    data_made?;
    search_made?;
    Ok((html_files, swept))
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

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

mod cache;
mod card;
mod event;
mod feed;
mod jobs;
mod json;
mod outputs;
mod overview;
mod parts;
mod stream;
pub mod theme;
mod timeline;
mod timelinejs;
pub mod view;

use std::collections::BTreeMap;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::config::Stylesheet;
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::hashing::fingerprint_of;
use crate::hashing::{fingerprint_json, stable_hash};
use crate::hashing::{map_with_capacity, HashMap, HashSet};
use crate::lang::Lang;
use crate::load::Asset;
use crate::model::Site;
use crate::parse::markdown::{MarkdownContext, ROOT_MARK};
use crate::render::theme::{template_diagnostic, Theme};
pub use cache::{RenderCache, RenderStats};
use jobs::Job;
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

/// An output file: (path, bytes).
type OutputFile = (String, Vec<u8>);

/// A rendered page (path, bytes), or why it failed.
type PageResult = Result<(String, Vec<u8>), Diagnostic>;

/// The views every page shares, built once per render.
pub(crate) struct Shared<'a> {
    site: &'a Site,
    views: Vec<Arc<EventView>>,
    values: Vec<Value>,
    /// Fingerprint of each event's value: its view, its timeline page, what
    /// it shows of its related events and its list entry.
    prints: Vec<u64>,
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
    let prefix = languages.prefix(languages.current);
    let site_base_url = site
        .config
        .base_url
        .as_deref()
        .map(|base| base.strip_suffix(prefix.as_str()).unwrap_or(base));
    let lang = site.config.language;
    // Markdown reads the set of slugs, not their order: the sum of their
    // fingerprints stands for the set without sorting it. The preview keeps
    // both while the events' shape stays the same.
    let (event_slugs, slug_set) = match cache.slugs.take().filter(|(shape, ..)| *shape == site.shape) {
        Some((_, slugs, sum)) => (slugs, sum),
        None => {
            let slugs: HashSet<String> = site.events.iter().map(|event| event.slug.to_string()).collect();
            let sum = slugs
                .iter()
                .fold(0u64, |sum, slug| sum.wrapping_add(fingerprint_of(slug)));
            (Arc::new(slugs), sum)
        }
    };
    if cache.keep {
        cache.slugs = Some((site.shape, Arc::clone(&event_slugs), slug_set));
    }
    let md = MarkdownContext {
        unsafe_html: site.config.unsafe_html,
        event_slugs: &event_slugs,
    };
    let md_key = fingerprint_of(&(site.config.unsafe_html, slug_set, event_slugs.len()));

    let track_events = site.track_events();
    let tracks: Vec<TrackView> = site
        .tracks
        .iter()
        .zip(&track_events)
        .map(|(track, events)| TrackView::new(track, events.len()))
        .collect();
    let image_sizes: HashMap<String, (u32, u32)> = assets
        .par_iter()
        .filter(|asset| is_image(&asset.source_path))
        .filter_map(|asset| {
            let size = imagesize::blob_size(&asset.bytes).ok()?;
            Some((
                asset.source_path.clone(),
                (u32::try_from(size.width).ok()?, u32::try_from(size.height).ok()?),
            ))
        })
        .collect();
    let inputs = event::ViewInputs {
        site: &site,
        tracks: &tracks,
        image_sizes: &image_sizes,
    };
    let keep = cache.keep;
    // Each event's share, and the timeline's layout, side by side.
    let (part_cache, layout_cache) = (&mut cache.parts, &mut cache.layout);
    let (parts, (layout, related)) = rayon::join(
        || parts::event_parts(&inputs, &md, md_key, part_cache, keep),
        || layout_cache.layout(&site, keep),
    );
    let mut problems: Vec<Diagnostic> = parts.iter().flat_map(|part| part.problems.iter().cloned()).collect();
    // Every event's share is made: what only the view needed — the Markdown
    // source, the biggest text a site has, and the fields the view copied —
    // is not needed any more (unless the parse cache shares the event).
    for event in site.events.iter_mut().filter_map(Arc::get_mut) {
        event.body = String::new();
        event.summary = None;
        event.media = Vec::new();
        event.sources = Vec::new();
        event.extra = serde_json::Map::new();
    }
    let site = &site;
    let cards = card::Cards::new(theme, &site.config.theme, languages);
    let card_print = cards.as_ref().map(|cards| cards.print);
    // A page shows an event's own value, its place on the timeline, what it
    // shows of its related events and its list entry: its fingerprint
    // covers all four.
    let prints: Vec<u64> = (0..parts.len())
        .into_par_iter()
        .map(|index| {
            let related_prints: Vec<u64> = related[index]
                .iter()
                .map(|&other| parts[other].reference_print)
                .collect();
            // The event's own print covers its slug; the layout adds the page.
            let timeline_page = layout.page_of(index);
            fingerprint_of(&(parts[index].print, timeline_page, related_prints, card_print))
        })
        .collect();
    let views: Vec<Arc<view::EventView>> = parts.iter().map(|part| Arc::clone(&part.view)).collect();
    let references: Vec<Value> = parts.iter().map(|part| part.reference.clone()).collect();
    let previous_values = std::mem::take(&mut cache.values);
    let made: Vec<Result<Value, Diagnostic>> = parts
        .into_par_iter()
        .enumerate()
        .map(|(index, part)| {
            if let Some(known) = previous_values.get(&prints[index]) {
                return Ok(known.clone());
            }
            let timeline_url = layout.timeline_url(index, &part.view.slug);
            // A share nobody else holds gives its value up without a copy.
            let value = Arc::try_unwrap(part).map_or_else(|shared| shared.value.clone(), |part| part.value);
            let Some(mut map) = value.into_map() else {
                unreachable!("an event value is a map");
            };
            map.insert("timeline_url".into(), Value::from(timeline_url));
            let related_values: Vec<Value> = related[index].iter().map(|&other| references[other].clone()).collect();
            map.insert("related".into(), Value::from(related_values));
            let Some(cards) = &cards else {
                return Ok(Value::from(map));
            };
            let value = Value::from(map);
            let card = cards.render(&value, &views[index].slug)?;
            let Some(mut map) = value.into_map() else {
                unreachable!("an event value is a map");
            };
            map.insert(card::CARD_FIELD.into(), Value::from(card));
            Ok(Value::from(map))
        })
        .collect();
    // A broken entry template stops the build once the page plan has found
    // its own problems too; until then the event's value stands empty.
    let mut card_problems = Vec::new();
    let values: Vec<Value> = made
        .into_iter()
        .map(|value| {
            value.unwrap_or_else(|problem| {
                card_problems.push(problem);
                Value::none()
            })
        })
        .collect();
    drop(references);
    drop(previous_values);
    if keep && card_problems.is_empty() {
        cache.values = map_with_capacity(values.len());
        cache.values.extend(prints.iter().copied().zip(values.iter().cloned()));
    }
    let era_events = site.era_events();
    let shared = Shared {
        site,
        values,
        prints,
        tracks,
        tags: site.tags.iter().map(TagView::new).collect(),
        eras: site
            .config
            .eras
            .iter()
            .zip(&era_events)
            .map(|(era, events)| EraView::new(era, events.len(), lang))
            .collect(),
        track_events,
        era_events,
        views,
        layout,
        intro: crate::parse::markdown::render(&site.intro.body, &md),
    };
    let page_links: Vec<PageLink> = site
        .pages
        .iter()
        .map(|page| PageLink {
            title: page.title.clone(),
            url: format!("{}/index.html", page.slug),
        })
        .collect();
    let site_view = SiteView {
        title: &site.config.title,
        description: &site.config.description,
        language: lang.code(),
        lang: lang.html_tag(),
        base_url: site.config.base_url.as_deref(),
        tracks: &shared.tracks,
        eras: &shared.eras,
        tags: &shared.tags,
        pages: &page_links,
        extra: &site.config.extra,
    };
    let (mut static_files, mut asset_names) = fingerprint_assets(theme, assets);
    let stylesheets = site_stylesheets(&site.config.stylesheets, assets, &mut static_files, &mut asset_names)
        .unwrap_or_else(|missing| {
            problems.extend(missing);
            Vec::new()
        });
    let common = Common {
        shared: &shared,
        languages,
        site_base_url,
        assets: Value::from_serializable(&asset_names),
        stylesheets: Value::from_serializable(&stylesheets),
        site: Value::from_serializable(&site_view),
        strings: Value::from_serializable(&theme.strings),
        generator: Value::from(generator),
        base_url: site.config.base_url.as_deref(),
        theme_name: &site.config.theme,
        fingerprint: fingerprint_of(&(
            fingerprint_json(&site_view),
            theme.fingerprint,
            generator,
            &asset_names,
            &languages.all,
            languages.current,
        )),
    };

    // Two things happen at once. On one side the pages are planned, then
    // are sent as they are made, with the site's own files, the
    // sitemap and the feed; after the first failure the rest of the pages
    // are still rendered, to report every broken template, but no longer
    // handed on. On the other, `events.json` and `timeline.json` are made
    // from the event values. A failure on either side fails the build.
    let previous = std::mem::take(&mut cache.pages);
    let previous_sitemap = cache.sitemap.take();
    // The preview knows an unchanged event page by its fingerprint alone,
    // and takes it as it is without planning it.
    let previous_event_pages = std::mem::take(&mut cache.event_pages);
    let event_page_prints: Vec<u64> = if keep {
        (0..shared.prints.len())
            .into_par_iter()
            .map(|index| fingerprint_of(&(common.fingerprint, jobs::event_page_inputs(&shared.prints, index))))
            .collect()
    } else {
        Vec::new()
    };
    let kept_event_pages: Vec<_> = event_page_prints
        .iter()
        .map(|&print| {
            let path = previous_event_pages.get(&print)?;
            let (known, bytes) = previous.get(path)?;
            (*known == print).then_some((print, path, bytes))
        })
        .collect();
    let reused: Vec<bool> = kept_event_pages.iter().map(Option::is_some).collect();
    let failed = AtomicBool::new(false);
    let site_files = || -> Result<SiteSide, Error> {
        let mut problems = problems;
        let jobs = jobs::plan(&shared, theme, &md, &reused, &mut problems);
        if !problems.is_empty() || !card_problems.is_empty() {
            problems.extend(report_once(card_problems, "list entries"));
            return Err(Error::Invalid { diagnostics: problems });
        }
        // A site file replaces the theme file of the same name.
        let site_paths: HashSet<&str> = assets.iter().map(|asset| asset.output_path.as_str()).collect();
        let theme_files = static_files.into_iter().filter(|(path, _)| {
            asset_names.values().any(|renamed| renamed == path) || !site_paths.contains(path.as_str())
        });
        let site_assets = assets
            .iter()
            .filter(|asset| !asset_names.contains_key(&asset.output_path))
            .map(|asset| (asset.output_path.clone(), asset.bytes.clone()));
        let mut paths: Vec<String> = Vec::with_capacity(jobs.len() + asset_names.len() + assets.len() + 5);
        for (path, bytes) in theme_files.chain(site_assets) {
            paths.push(path.clone());
            out.file(path, FileBytes::Whole(Arc::new(bytes)), None)?;
        }
        for &(print, path, bytes) in kept_event_pages.iter().flatten() {
            paths.push(path.clone());
            out.file(path.clone(), FileBytes::Whole(Arc::clone(bytes)), Some(print))?;
        }
        paths.extend(jobs.iter().map(|job| job.path.clone()));
        // The sitemap and feed are made while the pages render.
        let render_pages = || -> Vec<PageOutcome> {
            jobs.into_par_iter()
                .map(|job| {
                    let print = fingerprint_of(&(common.fingerprint, job.inputs));
                    let event_page = (keep && job.event.is_some()).then(|| job.path.clone());
                    let outcome = send_page(job, print, &previous, keep, &failed, out, theme, &common);
                    PageOutcome {
                        print,
                        event_page,
                        outcome,
                    }
                })
                .collect()
        };
        // The sitemap lists every page; the preview makes it again only
        // when the pages or the base URL change.
        let site_maps = || -> Result<Option<Sitemap>, Error> {
            let print = fingerprint_of(&(&paths, &site.config.base_url));
            let sitemap = match previous_sitemap {
                Some((known, bytes)) if known == print => Some(bytes),
                _ => {
                    let mut sorted: Vec<&str> = paths.iter().map(String::as_str).collect();
                    sorted.sort_unstable();
                    feed::sitemap(site, &sorted).map(|xml| Arc::new(xml.into_bytes()))
                }
            };
            if let Some(bytes) = &sitemap {
                out.file("sitemap.xml".into(), FileBytes::Whole(Arc::clone(bytes)), None)?;
            }
            let feed = feed::atom(site, &shared.views).into_bytes();
            out.file("feed.xml".into(), FileBytes::Whole(Arc::new(feed)), None)?;
            let robots = feed::robots(site).into_bytes();
            out.file("robots.txt".into(), FileBytes::Whole(Arc::new(robots)), None)?;
            Ok(sitemap.map(|bytes| (print, bytes)))
        };
        let (pages, sitemap) = rayon::join(render_pages, site_maps);
        // The pages the previous build holds, in one word to the writer
        // rather than one each.
        let held: Vec<(String, u64)> = pages
            .iter()
            .filter_map(|page| match &page.outcome {
                Ok(Page {
                    path, on_disk: true, ..
                }) => Some((path.clone(), page.print)),
                _ => None,
            })
            .collect();
        if !held.is_empty() && !failed.load(Ordering::Relaxed) {
            out.keep(held)?;
        }
        Ok(SiteSide {
            pages,
            paths,
            sitemap: sitemap?,
        })
    };
    let previous_pieces = std::mem::take(&mut cache.data_pieces);
    let data_files = || -> Result<DataPieces, Error> {
        let intro_html = (!site.intro.body.trim().is_empty()).then_some(shared.intro.html.as_str());
        let timeline = timelinejs::timeline_json(site, &shared.views, &shared.values, intro_html);
        let count = shared.values.len();
        let (events_head, events_tail) = events_json_envelope(site);
        let (timeline_head, timeline_tail) = timeline.envelope();
        if !keep {
            // Written out as they are made, a piece at a time, side by side.
            let (events, slides) = rayon::join(
                || {
                    out.stream("events.json".into(), |file| {
                        let pieces = (0..count).map(|index| event_json(&shared.values[index]));
                        write_joined(file, &events_head, pieces, &events_tail)
                    })
                },
                || {
                    out.stream("timeline.json".into(), |file| {
                        let pieces = (0..count).map(|index| timeline.slide_json(index));
                        write_joined(file, &timeline_head, pieces, &timeline_tail)
                    })
                },
            );
            events?;
            slides?;
            return Ok(DataPieces::default());
        }
        // The preview keeps each event's part of both files by the event's
        // fingerprint, so a rebuild serializes only the events that changed.
        let keys: Vec<u64> = site
            .events
            .iter()
            .zip(&shared.prints)
            .map(|(event, print)| fingerprint_of(&(print, &event.tags)))
            .collect();
        let pieces: Vec<DataPiece> = (0..keys.len())
            .into_par_iter()
            .map(|index| match previous_pieces.get(&keys[index]) {
                Some(known) => known.clone(),
                None => (
                    Arc::new(event_json(&shared.values[index])),
                    Arc::new(timeline.slide_json(index)),
                ),
            })
            .collect();
        let events = pieces.iter().map(|(event, _)| Arc::clone(event)).collect();
        let events = Joined::new(events_head, events, events_tail);
        out.file("events.json".into(), FileBytes::Joined(Arc::new(events)), None)?;
        let slides = pieces.iter().map(|(_, slide)| Arc::clone(slide)).collect();
        let slides = Joined::new(timeline_head, slides, timeline_tail);
        out.file("timeline.json".into(), FileBytes::Joined(Arc::new(slides)), None)?;
        Ok(keys.into_iter().zip(pieces).collect())
    };
    let (site_side, data) = rayon::join(site_files, data_files);
    let mut send_error = match data {
        Ok(pieces) => {
            cache.data_pieces = pieces;
            None
        }
        Err(error) => Some(error),
    };
    // The event pages taken as they were, before their bytes go back to
    // the cache.
    let kept_count = reused.iter().filter(|&&kept| kept).count();
    let mut event_pages: HashMap<u64, String> = map_with_capacity(if keep { event_page_prints.len() } else { 0 });
    event_pages.extend(
        kept_event_pages
            .iter()
            .flatten()
            .map(|&(print, path, _)| (print, path.clone())),
    );
    // The kept pages stay where they are; those rendered anew replace
    // theirs.
    cache.pages = previous;
    let SiteSide { pages, paths, sitemap } = site_side?;
    if keep {
        cache.sitemap = sitemap;
    }
    cache.stats = RenderStats::default();
    let mut problems = Vec::new();
    cache.stats.reused += kept_count;
    for PageOutcome {
        print,
        event_page,
        outcome,
    } in pages
    {
        if let (Some(path), Ok(_)) = (event_page, &outcome) {
            event_pages.insert(print, path);
        }
        match outcome {
            Ok(Page {
                path, rendered, kept, ..
            }) => {
                if rendered {
                    cache.stats.rendered += 1;
                } else {
                    cache.stats.reused += 1;
                }
                if let Some(bytes) = kept {
                    cache.pages.insert(path, (print, bytes));
                }
            }
            Err(Failure::Template(problem)) => problems.push(problem),
            Err(Failure::Output(error)) => send_error = send_error.or(Some(error)),
        }
    }
    if !problems.is_empty() || send_error.is_some() {
        cache.pages.clear();
    } else {
        cache.event_pages = event_pages;
    }
    if !cache.pages.is_empty() && cache.pages.len() != cache.stats.rendered + cache.stats.reused {
        // Some pages are gone: forget them.
        let current: HashSet<&str> = paths.iter().map(String::as_str).collect();
        cache.pages.retain(|path, _| current.contains(path.as_str()));
    }
    if !problems.is_empty() {
        return Err(Error::Invalid {
            diagnostics: report_once(problems, "pages"),
        });
    }
    if let Some(error) = send_error {
        return Err(error);
    }
    let pages = paths.iter().filter(|path| path.ends_with(".html")).count();
    if cache.exit_after {
        // Every event's value and view, at once, to the operating system.
        std::mem::forget(shared);
    }
    Ok(Rendered { pages })
}

/// What the pages' side of a render made: each page's outcome, every path
/// of the site, and the sitemap with its fingerprint.
struct SiteSide {
    pages: Vec<PageOutcome>,
    paths: Vec<String>,
    sitemap: Option<Sitemap>,
}

/// What became of one page: its fingerprint, and the page or why it failed.
struct PageOutcome {
    print: u64,
    /// For an event page of the preview, its path.
    event_page: Option<String>,
    outcome: Result<Page, Failure>,
}

/// A page sent (or kept).
struct Page {
    /// Its path, when it is rendered (a reused page needs no new entry).
    path: String,
    /// Whether it went through the templates (or was reused).
    rendered: bool,
    /// Its bytes, when they are new and the cache keeps them for the next
    /// build.
    kept: Option<Arc<Vec<u8>>>,
    /// Whether the previous build in the output holds it as it is.
    on_disk: bool,
}

/// Sends one page: taken from the cache or kept from the previous build when
/// its fingerprint did not change, rendered otherwise.
#[allow(clippy::too_many_arguments)]
fn send_page(
    job: Job,
    print: u64,
    previous: &HashMap<String, (u64, Arc<Vec<u8>>)>,
    keep: bool,
    failed: &AtomicBool,
    out: &Destination<'_>,
    theme: &Theme,
    common: &Common<'_>,
) -> Result<Page, Failure> {
    let fail = |failure: Failure| {
        failed.store(true, Ordering::Relaxed);
        Err(failure)
    };
    if let Some((_, bytes)) = previous.get(&job.path).filter(|(known, _)| *known == print) {
        if failed.load(Ordering::Relaxed) {
            return Ok(Page {
                path: job.path,
                rendered: false,
                kept: None,
                on_disk: false,
            });
        }
        // The cache still holds the page where it is: nothing to keep anew.
        return match out.file(job.path, FileBytes::Whole(Arc::clone(bytes)), Some(print)) {
            Ok(()) => Ok(Page {
                path: String::new(),
                rendered: false,
                kept: None,
                on_disk: false,
            }),
            Err(error) => fail(Failure::Output(error)),
        };
    }
    if out.holds(&job.path, print) {
        // Said to the writer with the others once every page is done.
        return Ok(Page {
            path: job.path,
            rendered: false,
            kept: None,
            on_disk: true,
        });
    }
    let (path, bytes) = match render_job(theme, common, job) {
        Ok(page) => page,
        Err(problem) => return fail(Failure::Template(problem)),
    };
    if failed.load(Ordering::Relaxed) {
        return Ok(Page {
            path,
            rendered: true,
            kept: None,
            on_disk: false,
        });
    }
    let shared = Arc::new(bytes);
    let kept = keep.then(|| Arc::clone(&shared));
    let put = out
        .file(path.clone(), FileBytes::Whole(shared), Some(print))
        .map(|()| kept);
    match put {
        Ok(kept) => Ok(Page {
            path,
            rendered: true,
            kept,
            on_disk: false,
        }),
        Err(error) => fail(Failure::Output(error)),
    }
}

/// Why a page was not sent.
enum Failure {
    Template(Diagnostic),
    Output(Error),
}

struct Common<'a> {
    shared: &'a Shared<'a>,
    languages: &'a Languages,
    /// The base URL of the whole site (not of this language's copy).
    site_base_url: Option<&'a str>,
    fingerprint: u64,
    /// Theme asset paths → fingerprinted output paths.
    assets: Value,
    /// The fingerprinted paths of the site's `stylesheets:`, in order.
    stylesheets: Value,
    site: Value,
    strings: Value,
    generator: Value,
    base_url: Option<&'a str>,
    theme_name: &'a str,
}

fn render_job(theme: &Theme, common: &Common<'_>, job: Job) -> PageResult {
    let job = jobs::complete(job, common.shared);
    let depth = job.path.matches('/').count();
    let root = if job.kind == "404" {
        common.base_url.unwrap_or("").to_string()
    } else {
        "../".repeat(depth)
    };
    let canonical = common
        .base_url
        .map(|base| format!("{base}{}", job.path.trim_end_matches("index.html")));
    let mut context = Context::new();
    context.insert_value("site", common.site.clone());
    context.insert_value("t", common.strings.clone());
    context.insert_value("generator", common.generator.clone());
    context.insert("root", &root);
    context.insert("feed_url", "feed.xml");
    // Link previews need absolute addresses: only with a base URL.
    let image = match (&job.image, common.base_url) {
        (Some((src, true, _)), Some(base)) => Some(format!("{base}{src}")),
        (Some((src, false, _)), Some(_)) => Some(src.clone()),
        _ => None,
    };
    context.insert(
        "page",
        &PageView {
            kind: job.kind,
            path: &job.path,
            title: &job.title,
            description: &job.description,
            canonical: canonical.as_deref(),
            og_type: job.og_type,
            image_alt: image
                .as_ref()
                .and(job.image.as_ref())
                .and_then(|(_, _, alt)| alt.as_deref()),
            image,
        },
    );
    let languages = common.languages;
    let to_site_root = "../".repeat(depth + usize::from(!languages.prefix(languages.current).is_empty()));
    let links = if job.kind == "404" {
        Vec::new()
    } else {
        languages.links(|lang| {
            let url = format!("{to_site_root}{}{}", languages.prefix(lang), job.path);
            let href = common.site_base_url.map(|base| {
                format!(
                    "{base}{}{}",
                    languages.prefix(lang),
                    job.path.trim_end_matches("index.html")
                )
            });
            (url, href)
        })
    };
    context.insert("languages", &links);
    context.insert("json_ld", &job.json_ld);
    context.insert("embed", &(job.kind == "embed"));
    context.insert_value("assets", common.assets.clone());
    context.insert_value("stylesheets", common.stylesheets.clone());
    for (name, value) in job.vars {
        context.insert_value(name, value);
    }
    if let Some(order) = &job.listed {
        let values = &common.shared.values;
        let events: Vec<Value> = order.iter().map(|&index| values[index].clone()).collect();
        context.insert_value("events", Value::from(events));
    }
    let mut page = Rooted {
        page: Vec::with_capacity(PAGE_CAPACITY),
        root: root.as_bytes(),
    };
    theme
        .tera
        .render_to(job.template, &context, &mut page)
        .map_err(|error| {
            let mut diagnostic = template_diagnostic(common.theme_name, &error, &theme.sources);
            diagnostic.message = format!("{} (while rendering `{}`)", diagnostic.message, job.path);
            diagnostic
        })?;
    Ok((job.path, page.page))
}

/// Room made for a page before it is rendered: most pages of a timeline are
/// event pages, a few kilobytes each.
const PAGE_CAPACITY: usize = 16 * 1024;

/// A page as the templates write it, with the path to the site root put in
/// place of every root mark on the way in: no second pass over the page.
struct Rooted<'a> {
    page: Vec<u8>,
    root: &'a [u8],
}

impl io::Write for Rooted<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        // The mark is one byte that is never part of another character.
        let mut start = 0;
        for at in memchr::memchr_iter(ROOT_MARK as u8, bytes) {
            self.page.extend_from_slice(&bytes[start..at]);
            self.page.extend_from_slice(self.root);
            start = at + 1;
        }
        self.page.extend_from_slice(&bytes[start..]);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The theme's static files, with stylesheets and scripts under `assets/`
/// renamed after their content (`assets/annals.3f2a9c1b.css`) so browsers
/// may cache them for ever; and the map from old to new names that
/// templates use. A site file of the same name replaces the theme's.
fn fingerprint_assets(theme: &Theme, site_assets: &[Asset]) -> (Vec<OutputFile>, BTreeMap<String, String>) {
    let mut files = Vec::with_capacity(theme.static_files.len());
    let mut names = BTreeMap::new();
    for (path, bytes) in &theme.static_files {
        let fingerprinted = path.starts_with("assets/") && (path.ends_with(".css") || path.ends_with(".js"));
        if !fingerprinted {
            files.push((path.clone(), bytes.clone()));
            continue;
        }
        let bytes = site_assets
            .iter()
            .find(|asset| &asset.output_path == path)
            .map_or(bytes, |asset| &asset.bytes);
        let (stem, extension) = path.rsplit_once('.').expect("checked above");
        let renamed = format!("{stem}.{:08x}.{extension}", stable_hash(bytes) >> 32);
        names.insert(path.clone(), renamed.clone());
        files.push((renamed, bytes.clone()));
    }
    (files, names)
}

/// The site's own stylesheets (`stylesheets:` in site.yaml), fingerprinted
/// like the theme's and added to `files` and `names`; their output paths, in
/// order, for the pages to link. Each must be a file of the site's
/// `static/`: the ones that are not are errors at their line of site.yaml.
fn site_stylesheets(
    wanted: &[Stylesheet],
    site_assets: &[Asset],
    files: &mut Vec<OutputFile>,
    names: &mut BTreeMap<String, String>,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    let mut linked = Vec::with_capacity(wanted.len());
    let mut missing = Vec::new();
    for sheet in wanted {
        let source = format!("static/{}", sheet.path);
        let Some(asset) = site_assets.iter().find(|asset| asset.source_path == source) else {
            missing.push(
                sheet
                    .error(format!("the stylesheet `{source}` does not exist"))
                    .with_hint("stylesheets are named by their path inside the site's `static/` folder"),
            );
            continue;
        };
        let renamed = match names.get(&asset.output_path) {
            // The theme has a file of that name, already fingerprinted
            // with the site's bytes.
            Some(renamed) => renamed.clone(),
            None => {
                let (stem, extension) = asset
                    .output_path
                    .rsplit_once('.')
                    .unwrap_or((&asset.output_path, "css"));
                let renamed = format!("{stem}.{:08x}.{extension}", stable_hash(&asset.bytes) >> 32);
                names.insert(asset.output_path.clone(), renamed.clone());
                files.push((renamed.clone(), asset.bytes.clone()));
                renamed
            }
        };
        if !linked.contains(&renamed) {
            linked.push(renamed);
        }
    }
    if missing.is_empty() {
        Ok(linked)
    } else {
        Err(missing)
    }
}

/// Whether a path names a picture whose size annals can read.
fn is_image(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// A broken template fails on every page (or list entry) that uses it:
/// report it once, saying how many other `things` failed the same way.
fn report_once(failures: Vec<Diagnostic>, things: &str) -> Vec<Diagnostic> {
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

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    lang: &'a str,
    base_url: Option<&'a str>,
    tracks: &'a [TrackView],
    eras: &'a [EraView],
    tags: &'a [TagView],
    pages: &'a [PageLink],
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct PageLink {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct PageView<'a> {
    kind: &'a str,
    path: &'a str,
    title: &'a str,
    description: &'a str,
    canonical: Option<&'a str>,
    og_type: &'a str,
    image: Option<String>,
    image_alt: Option<&'a str>,
}

/// An event's part of `events.json` and of `timeline.json`.
type DataPiece = (Arc<Vec<u8>>, Arc<Vec<u8>>);

/// Each event's [`DataPiece`], by a fingerprint of what it is made from.
type DataPieces = HashMap<u64, DataPiece>;

/// The sitemap's bytes and the fingerprint they were made from.
type Sitemap = (u64, Arc<Vec<u8>>);

/// `events.json` around its events: the site's title, description and
/// language, then the array the events go in, each written from its
/// template value ([`event_json`]).
fn events_json_envelope(site: &Site) -> (Vec<u8>, Vec<u8>) {
    let mut head = b"{\"title\":".to_vec();
    // Writing into memory cannot fail, and these are plain strings.
    let _ = json::write(&mut head, &site.config.title);
    head.extend_from_slice(b",\"description\":");
    let _ = json::write(&mut head, &site.config.description);
    head.extend_from_slice(b",\"language\":");
    let _ = json::write(&mut head, site.config.language.code());
    head.extend_from_slice(b",\"events\":[");
    (head, b"]}\n".to_vec())
}

/// Writes `head`, the pieces with commas between them, then `tail` (what a
/// [`Joined`] holds), for a file made piece by piece as it is written.
fn write_joined<P: AsRef<[u8]>>(
    out: &mut dyn io::Write,
    head: &[u8],
    pieces: impl Iterator<Item = P>,
    tail: &[u8],
) -> io::Result<()> {
    out.write_all(head)?;
    for (index, piece) in pieces.enumerate() {
        if index > 0 {
            out.write_all(b",")?;
        }
        out.write_all(piece.as_ref())?;
    }
    out.write_all(tail)?;
    out.flush()
}

/// One event of `events.json`: its template value, keys in alphabetical
/// order, without its list entry.
fn event_json(value: &Value) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(4096);
    json::write_sorted(&mut bytes, value, &[card::CARD_FIELD]);
    bytes
}

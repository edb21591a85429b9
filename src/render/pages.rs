//! The pages' side of a render: the site's own files, every page (taken
//! from the memo table or the previous build when its key did not change,
//! rendered otherwise, a batch at a time as the sweep makes the values it
//! shows), the sitemap, the feed and `robots.txt`, each sent as it is
//! made. After the first failure the rest of the pages are still rendered,
//! to report every broken template, but no longer sent.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rayon::prelude::*;
use tera::Value;

use super::assets::OutputFile;
use super::cache::{KeptPage, RenderCache, RenderStats};
use super::jobs::{self, Job};
use super::outputs::FileBytes;
use super::page::{render_job, Common};
use super::stream::Destination;
use super::view::EventView;
use super::{feed, report_once};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::hashing::HashSet;
use crate::load::Asset;
use crate::memo::{Key, Memo};
use crate::render::theme::Theme;

/// What the pages' side reads.
pub(super) struct PageSide<'a> {
    pub common: &'a Common<'a>,
    pub theme: &'a Theme,
    /// The site's own files.
    pub assets: &'a [Asset],
    /// The theme's static files and the site's stylesheets, renamed.
    pub static_files: Vec<OutputFile>,
    /// The theme asset paths that were renamed.
    pub renamed: &'a std::collections::BTreeMap<String, String>,
}

/// What the pages' side made: each page's outcome, the event pages taken
/// as they were, the sitemap, and how many HTML files the site has.
pub(super) struct PagesMade {
    outcomes: Vec<PageOutcome>,
    pub html_files: usize,
    /// The event pages kept without being planned: (key, page).
    kept_event_pages: Vec<(Key, KeptPage)>,
    sitemap: Option<Sitemap>,
}

/// The sitemap: its key, its bytes, and whether the table had it.
type Sitemap = (Key, Arc<Vec<u8>>, bool);

/// What became of one page: its key, and the page or why it failed.
struct PageOutcome {
    key: Key,
    outcome: Result<Page, Failure>,
}

/// A page sent (or kept).
struct Page {
    path: String,
    /// Whether it went through the templates (or was reused).
    rendered: bool,
    /// Its bytes, when they are new and the table keeps them.
    kept: Option<Arc<Vec<u8>>>,
    /// Whether the previous build in the output holds it as it is.
    on_disk: bool,
}

/// Why a page was not sent.
enum Failure {
    Template(Diagnostic),
    Output(Error),
}

/// The key of a page: what every page shares, and its own inputs.
fn page_key(common: &Common<'_>, inputs: Key) -> Key {
    common.key.and(&inputs)
}

/// The pages' side of a render in progress: pages are rendered a batch at
/// a time, as the values they show are made ([`PageRun::render`]); the
/// sitemap and the feed, which list them all, come last.
pub(super) struct PageRun<'a> {
    common: &'a Common<'a>,
    theme: &'a Theme,
    /// The table of pages kept from earlier builds.
    pages: &'a Memo<KeptPage>,
    out: &'a Destination<'a>,
    failed: AtomicBool,
    outcomes: Vec<PageOutcome>,
    /// Every page's path, for the sitemap.
    paths: Vec<String>,
    kept_event_pages: Vec<(Key, KeptPage)>,
    /// Whether each event's page was kept as it was (by event index):
    /// those are not planned.
    pub reused: Vec<bool>,
}

impl<'a> PageRun<'a> {
    /// Sends the site's own files and the event pages the table holds
    /// unchanged.
    pub fn start(side: PageSide<'a>, pages: &'a Memo<KeptPage>, out: &'a Destination<'a>) -> Result<Self, Error> {
        let PageSide {
            common,
            theme,
            assets,
            static_files,
            renamed,
        } = side;
        let shared = common.shared;
        // The preview knows an unchanged event page by its key alone, and
        // takes it as it is without planning it.
        let kept_event_pages: Vec<Option<(Key, KeptPage)>> = if pages.keeps() {
            (0..shared.keys.len())
                .into_par_iter()
                .map(|index| {
                    let key = page_key(common, jobs::event_page_inputs(&shared.keys, index));
                    pages.peek(key).map(|page| (key, Arc::clone(page)))
                })
                .collect()
        } else {
            Vec::new()
        };
        let reused: Vec<bool> = kept_event_pages.iter().map(Option::is_some).collect();
        let kept_event_pages: Vec<(Key, KeptPage)> = kept_event_pages.into_iter().flatten().collect();
        let mut paths = send_own_files(static_files, assets, renamed, out)?;
        for (key, page) in &kept_event_pages {
            paths.push(page.0.clone());
            out.file(page.0.clone(), FileBytes::Whole(Arc::clone(&page.1)), Some(*key))?;
        }
        Ok(PageRun {
            common,
            theme,
            pages,
            out,
            failed: AtomicBool::new(false),
            outcomes: Vec::new(),
            paths,
            kept_event_pages,
            reused,
        })
    }

    /// Renders and sends `jobs`, side by side; `value` gives the events'
    /// values they show. After the first failure the pages are still
    /// rendered, to report every broken template, but no longer sent.
    pub fn render(&mut self, jobs: Vec<Job>, value: &(dyn Fn(usize) -> Value + Sync), views: &[Arc<EventView>]) {
        self.paths.extend(jobs.iter().map(|job| job.path.clone()));
        let run = &*self;
        let outcomes: Vec<PageOutcome> = jobs
            .into_par_iter()
            .map(|job| {
                let key = page_key(run.common, job.inputs);
                let outcome = run.send_page(job, key, value, views);
                PageOutcome { key, outcome }
            })
            .collect();
        self.outcomes.extend(outcomes);
    }

    /// Sends the sitemap (from the table when no path changed), the feed
    /// of the events whose views are `views` and `robots.txt`, then tells
    /// the writer which pages the previous build holds as they are.
    pub fn finish(self, views: &[Arc<EventView>], sitemaps: &Memo<Arc<Vec<u8>>>) -> Result<PagesMade, Error> {
        let sitemap = send_feeds(self.common, views, &self.paths, sitemaps, self.out)?;
        // The pages the previous build holds, in one word to the writer
        // rather than one each.
        let held: Vec<(String, Key)> = self
            .outcomes
            .iter()
            .filter_map(|page| match &page.outcome {
                Ok(Page {
                    path, on_disk: true, ..
                }) => Some((path.clone(), page.key)),
                _ => None,
            })
            .collect();
        if !held.is_empty() && !self.failed.load(Ordering::Relaxed) {
            self.out.keep(held)?;
        }
        let html_files = self.paths.iter().filter(|path| path.ends_with(".html")).count();
        Ok(PagesMade {
            outcomes: self.outcomes,
            html_files,
            kept_event_pages: self.kept_event_pages,
            sitemap,
        })
    }
}

/// Sends the theme's static files and the site's own (a site file replaces
/// the theme file of the same name); their paths.
fn send_own_files(
    static_files: Vec<OutputFile>,
    assets: &[Asset],
    renamed: &std::collections::BTreeMap<String, String>,
    out: &Destination<'_>,
) -> Result<Vec<String>, Error> {
    let site_paths: HashSet<&str> = assets.iter().map(|asset| asset.output_path.as_str()).collect();
    let theme_files = static_files
        .into_iter()
        .filter(|(path, _)| renamed.values().any(|name| name == path) || !site_paths.contains(path.as_str()));
    let site_assets = assets
        .iter()
        .filter(|asset| !renamed.contains_key(&asset.output_path))
        .map(|asset| (asset.output_path.clone(), asset.bytes.clone()));
    let mut paths = Vec::with_capacity(assets.len() + 16);
    for (path, bytes) in theme_files.chain(site_assets) {
        paths.push(path.clone());
        out.file(path, FileBytes::Whole(Arc::new(bytes)), None)?;
    }
    Ok(paths)
}

/// Sends the sitemap (which lists every page), the feed and `robots.txt`;
/// the sitemap with its key, and whether the table had it.
fn send_feeds(
    common: &Common<'_>,
    views: &[Arc<EventView>],
    paths: &[String],
    sitemaps: &Memo<Arc<Vec<u8>>>,
    out: &Destination<'_>,
) -> Result<Option<Sitemap>, Error> {
    let site = common.shared.site;
    let key = Key::of(&(paths, &site.config.base_url));
    let sitemap = match sitemaps.peek(key) {
        Some(known) => Some((key, Arc::clone(known), true)),
        None => {
            let mut sorted: Vec<&str> = paths.iter().map(String::as_str).collect();
            sorted.sort_unstable();
            feed::sitemap(site, &sorted).map(|xml| (key, Arc::new(xml.into_bytes()), false))
        }
    };
    if let Some((_, bytes, _)) = &sitemap {
        out.file("sitemap.xml".into(), FileBytes::Whole(Arc::clone(bytes)), None)?;
    }
    let feed = feed::atom(site, views).into_bytes();
    out.file("feed.xml".into(), FileBytes::Whole(Arc::new(feed)), None)?;
    let robots = feed::robots(site).into_bytes();
    out.file("robots.txt".into(), FileBytes::Whole(Arc::new(robots)), None)?;
    Ok(sitemap)
}

/// Sends one page: taken from the table or kept from the previous build
/// when its key did not change, rendered otherwise.
impl PageRun<'_> {
    fn send_page(
        &self,
        job: Job,
        key: Key,
        value: &(dyn Fn(usize) -> Value + Sync),
        views: &[Arc<EventView>],
    ) -> Result<Page, Failure> {
        let PageRun {
            common,
            theme,
            pages,
            out,
            failed,
            ..
        } = self;
        let fail = |failure: Failure| {
            failed.store(true, Ordering::Relaxed);
            Err(failure)
        };
        let unsent = |path: String, rendered: bool| Page {
            path,
            rendered,
            kept: None,
            on_disk: false,
        };
        if let Some(page) = pages.peek(key) {
            if failed.load(Ordering::Relaxed) {
                return Ok(unsent(job.path, false));
            }
            return match out.file(job.path, FileBytes::Whole(Arc::clone(&page.1)), Some(key)) {
                Ok(()) => Ok(unsent(String::new(), false)),
                Err(error) => fail(Failure::Output(error)),
            };
        }
        if out.holds(&job.path, key) {
            // Said to the writer with the others once every page is done.
            return Ok(Page {
                on_disk: true,
                ..unsent(job.path, false)
            });
        }
        let (path, bytes) = match render_job(theme, common, job, value, views) {
            Ok(page) => page,
            Err(problem) => return fail(Failure::Template(problem)),
        };
        if failed.load(Ordering::Relaxed) {
            return Ok(unsent(path, true));
        }
        let bytes = Arc::new(bytes);
        let kept = pages.keeps().then(|| Arc::clone(&bytes));
        // The path stays only with the bytes the table keeps.
        let kept_path = if kept.is_some() { path.clone() } else { String::new() };
        match out.file(path, FileBytes::Whole(bytes), Some(key)) {
            Ok(()) => Ok(Page {
                kept,
                ..unsent(kept_path, true)
            }),
            Err(error) => fail(Failure::Output(error)),
        }
    }
}

/// Records what the pages' side did in the render's tables and stats, and
/// returns the first problem: every broken template, or a failed send.
pub(super) fn record(made: PagesMade, cache: &mut RenderCache) -> Result<(), Error> {
    let PagesMade {
        outcomes,
        kept_event_pages,
        sitemap,
        ..
    } = made;
    let mut stats = RenderStats {
        rendered: 0,
        reused: kept_event_pages.len(),
    };
    for (key, _) in kept_event_pages {
        cache.pages.found(key);
    }
    match sitemap {
        Some((key, _, true)) => cache.sitemaps.found(key),
        Some((key, bytes, false)) => cache.sitemaps.made(key, &bytes),
        None => {}
    }
    let mut problems = Vec::new();
    let mut send_error = None;
    for PageOutcome { key, outcome } in outcomes {
        match outcome {
            Ok(page) => {
                if page.rendered {
                    stats.rendered += 1;
                } else {
                    stats.reused += 1;
                }
                match page.kept {
                    Some(bytes) => cache.pages.made(key, &Arc::new((page.path, bytes))),
                    None if !page.rendered && !page.on_disk => cache.pages.found(key),
                    None => {}
                }
            }
            Err(Failure::Template(problem)) => problems.push(problem),
            Err(Failure::Output(error)) => send_error = send_error.or(Some(error)),
        }
    }
    cache.stats = stats;
    if !problems.is_empty() {
        return Err(Error::Invalid {
            diagnostics: report_once(problems, "pages"),
        });
    }
    send_error.map_or(Ok(()), Err)
}

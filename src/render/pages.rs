//! The pages' side of a render: the site's own files, every page (taken
//! from the memo table or the previous build when its key did not change,
//! rendered otherwise), the sitemap, the feed and `robots.txt`, each sent
//! as it is made. After the first failure the rest of the pages are still
//! rendered, to report every broken template, but no longer sent.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use super::assets::OutputFile;
use super::cache::{KeptPage, RenderCache, RenderStats};
use super::jobs::{self, Job};
use super::outputs::FileBytes;
use super::page::{render_job, Common};
use super::stream::Destination;
use super::{feed, report_once};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::hashing::HashSet;
use crate::load::Asset;
use crate::memo::{Key, Memo};
use crate::parse::markdown::MarkdownContext;
use crate::render::theme::Theme;

/// What the pages' side reads.
pub(super) struct PageSide<'a> {
    pub common: &'a Common<'a>,
    pub theme: &'a Theme,
    pub md: &'a MarkdownContext<'a>,
    /// The site's own files.
    pub assets: &'a [Asset],
    /// The theme's static files and the site's stylesheets, renamed.
    pub static_files: Vec<OutputFile>,
    /// The theme asset paths that were renamed.
    pub renamed: &'a std::collections::BTreeMap<String, String>,
    /// Problems found before the pages were planned.
    pub problems: Vec<Diagnostic>,
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

/// Plans and sends every page and the site's own files; `pages` is the
/// table of pages kept from earlier builds. Template problems fail with
/// [`Error::Invalid`] once every page has been tried.
pub(super) fn send_pages(
    side: PageSide<'_>,
    pages: &Memo<KeptPage>,
    sitemaps: &Memo<Arc<Vec<u8>>>,
    out: &Destination<'_>,
) -> Result<PagesMade, Error> {
    let PageSide {
        common,
        theme,
        md,
        assets,
        static_files,
        renamed,
        mut problems,
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
    let jobs = jobs::plan(shared, theme, md, &reused, &mut problems);
    if !problems.is_empty() {
        return Err(Error::Invalid { diagnostics: problems });
    }
    let kept_event_pages: Vec<(Key, KeptPage)> = kept_event_pages.into_iter().flatten().collect();
    let mut paths = send_own_files(static_files, assets, renamed, out)?;
    for (key, page) in &kept_event_pages {
        paths.push(page.0.clone());
        out.file(page.0.clone(), FileBytes::Whole(Arc::clone(&page.1)), Some(*key))?;
    }
    paths.extend(jobs.iter().map(|job| job.path.clone()));
    let failed = AtomicBool::new(false);
    let render_pages = || -> Vec<PageOutcome> {
        jobs.into_par_iter()
            .map(|job| {
                let key = page_key(common, job.inputs);
                let outcome = send_page(job, key, pages, &failed, out, theme, common);
                PageOutcome { key, outcome }
            })
            .collect()
    };
    let (outcomes, sitemap) = rayon::join(render_pages, || send_feeds(common, &paths, sitemaps, out));
    // The pages the previous build holds, in one word to the writer
    // rather than one each.
    let held: Vec<(String, Key)> = outcomes
        .iter()
        .filter_map(|page| match &page.outcome {
            Ok(Page {
                path, on_disk: true, ..
            }) => Some((path.clone(), page.key)),
            _ => None,
        })
        .collect();
    if !held.is_empty() && !failed.load(Ordering::Relaxed) {
        out.keep(held)?;
    }
    let html_files = paths.iter().filter(|path| path.ends_with(".html")).count();
    Ok(PagesMade {
        outcomes,
        html_files,
        kept_event_pages,
        sitemap: sitemap?,
    })
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
    let feed = feed::atom(site, &common.shared.views).into_bytes();
    out.file("feed.xml".into(), FileBytes::Whole(Arc::new(feed)), None)?;
    let robots = feed::robots(site).into_bytes();
    out.file("robots.txt".into(), FileBytes::Whole(Arc::new(robots)), None)?;
    Ok(sitemap)
}

/// Sends one page: taken from the table or kept from the previous build
/// when its key did not change, rendered otherwise.
fn send_page(
    job: Job,
    key: Key,
    pages: &Memo<KeptPage>,
    failed: &AtomicBool,
    out: &Destination<'_>,
    theme: &Theme,
    common: &Common<'_>,
) -> Result<Page, Failure> {
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
    let (path, bytes) = match render_job(theme, common, job) {
        Ok(page) => page,
        Err(problem) => return fail(Failure::Template(problem)),
    };
    if failed.load(Ordering::Relaxed) {
        return Ok(unsent(path, true));
    }
    let bytes = Arc::new(bytes);
    let kept = pages.keeps().then(|| Arc::clone(&bytes));
    match out.file(path.clone(), FileBytes::Whole(bytes), Some(key)) {
        Ok(()) => Ok(Page {
            kept,
            ..unsent(path, true)
        }),
        Err(error) => fail(Failure::Output(error)),
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

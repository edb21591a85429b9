//! The whole build, from a site folder to files in memory.
//!
//! [`build`] reads the site (the only I/O) and hands the files to
//! [`build_from_files`], which is pure: parse every file in parallel, check
//! the site as a whole, compile the theme, render. Every problem from every
//! file is collected before the build gives up, so one run reports them all.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{self, Diagnostic};
use crate::error::{Error, Result};
use crate::event::{self, Event};
use crate::lint;
use crate::load::{self, SiteFiles};
use crate::model::{Inputs, Site};
use crate::page::{self, Intro, Page, INTRO_FILE, PAGES_DIR};
use crate::render::{self, fingerprint_of, Outputs, RenderCache};
use crate::theme::Theme;

/// The generator name and version stamped into pages.
pub const GENERATOR: &str = concat!("annals ", env!("CARGO_PKG_VERSION"));

/// Choices a build takes besides the site itself.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Publish events and pages marked `draft: true`.
    pub drafts: bool,
    /// Override `base_url` from `site.yaml`.
    pub base_url: Option<String>,
}

/// A successful build, still in memory.
#[derive(Debug, Clone)]
pub struct Built {
    /// Every output file.
    pub outputs: Outputs,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// The settings used.
    pub config: Config,
    /// How many events were published.
    pub event_count: usize,
}

/// Reads the site at `root` and builds it in memory.
pub fn build(root: &Path, options: &BuildOptions) -> Result<Built> {
    let config_text = load::read_config(root)?;
    let config = Config::parse(&config_text)
        .map_err(|diagnostics| Error::Invalid { diagnostics })?
        .with_base_url(options.base_url.clone());
    let files = load::read_site(root, &config.theme)?;
    build_from_files(config, &files, options, &mut Caches::default())
        .map_err(|diagnostics| Error::Invalid { diagnostics })
}

/// What one content file holds, once parsed.
#[derive(Debug, Clone)]
enum Parsed {
    Events(Vec<Event>),
    Page(Page),
    Intro(Intro),
}

type ParseOutcome = std::result::Result<Parsed, Vec<Diagnostic>>;

/// Work a previous build did that the next may reuse (kept by `serve`).
/// A fresh `Caches` makes a full build; reuse never changes the result.
#[derive(Default)]
pub struct Caches {
    /// Parse results by path, with a fingerprint of the text they came from.
    parsed: HashMap<String, (u64, ParseOutcome)>,
    /// The compiled theme, with a fingerprint of its files.
    theme: Option<(u64, Theme)>,
    /// Rendered Markdown and pages.
    pub render: RenderCache,
}

fn parse_file(path: &str, text: &str) -> ParseOutcome {
    if path == INTRO_FILE {
        page::parse_intro(path, text).map(Parsed::Intro).map_err(|d| vec![d])
    } else if path.starts_with(PAGES_DIR) && path.ends_with(".md") {
        page::parse_page(path, text).map(Parsed::Page).map_err(|d| vec![d])
    } else {
        event::parse_event_file(path, text).map(Parsed::Events)
    }
}

/// Builds a site from files already in memory, reusing what `caches` holds.
/// Pure.
pub fn build_from_files(
    config: Config,
    files: &SiteFiles,
    options: &BuildOptions,
    caches: &mut Caches,
) -> std::result::Result<Built, Vec<Diagnostic>> {
    let mut problems = files.problems.clone();
    let parsed: Vec<(String, u64, ParseOutcome)> = files
        .texts
        .par_iter()
        .map(|file| {
            let print = fingerprint_of(&file.text);
            let outcome = match caches.parsed.get(&file.path) {
                Some((known, outcome)) if *known == print => outcome.clone(),
                _ => parse_file(&file.path, &file.text),
            };
            (file.path.clone(), print, outcome)
        })
        .collect();
    let mut events = Vec::new();
    let mut pages = Vec::new();
    let mut intro = Intro::default();
    caches.parsed.clear();
    for (path, print, outcome) in parsed {
        match &outcome {
            Ok(Parsed::Events(found)) => events.extend(found.iter().cloned()),
            Ok(Parsed::Page(page)) => pages.push(page.clone()),
            Ok(Parsed::Intro(found)) => intro = found.clone(),
            Err(found) => problems.extend(found.iter().cloned()),
        }
        caches.parsed.insert(path, (print, outcome));
    }
    let theme_print = fingerprint_of(&(&config.theme, &files.theme, config.language.code()));
    if caches.theme.as_ref().is_none_or(|(known, _)| *known != theme_print) {
        caches.theme = None;
        match Theme::compile(&config.theme, &files.theme, config.language) {
            Ok(theme) => caches.theme = Some((theme_print, theme)),
            Err(found) => problems.extend(found),
        }
    }
    if problems.iter().any(Diagnostic::is_error) {
        diagnostic::sort(&mut problems);
        return Err(problems);
    }
    let Some((_, theme)) = &caches.theme else {
        unreachable!("a theme that failed to compile reported errors above")
    };

    let content_assets: HashSet<String> = files.assets.iter().map(|asset| asset.source_path.clone()).collect();
    let texts: HashMap<&str, &str> = files
        .texts
        .iter()
        .map(|file| (file.path.as_str(), file.text.as_str()))
        .collect();
    let inputs = Inputs {
        content_assets: &content_assets,
        texts: &texts,
        drafts: options.drafts,
    };
    let with_earlier = |mut found: Vec<Diagnostic>| {
        found.extend(problems.iter().cloned());
        diagnostic::sort(&mut found);
        found
    };
    let (site, mut warnings) = Site::assemble(config, intro, events, pages, &inputs).map_err(with_earlier)?;
    warnings.extend(lint::lint(&site, &texts, &files.assets));
    let outputs = render::render(&site, theme, &files.assets, GENERATOR, &mut caches.render).map_err(|mut found| {
        found.extend(warnings.iter().cloned());
        with_earlier(found)
    })?;
    warnings.extend(problems);
    diagnostic::sort(&mut warnings);
    Ok(Built {
        outputs,
        warnings,
        event_count: site.events.len(),
        config: site.config,
    })
}

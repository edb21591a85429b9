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
use crate::load::{self, SiteFiles};
use crate::model::{Inputs, Site};
use crate::page::{self, Intro, Page, INTRO_FILE, PAGES_DIR};
use crate::render::{self, Outputs};
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
    build_from_files(config, files, options).map_err(|diagnostics| Error::Invalid { diagnostics })
}

enum Parsed {
    Events(Vec<Event>),
    Page(Page),
    Intro(Intro),
}

/// Builds a site from files already in memory. Pure.
pub fn build_from_files(
    config: Config,
    files: SiteFiles,
    options: &BuildOptions,
) -> std::result::Result<Built, Vec<Diagnostic>> {
    let mut problems = files.problems.clone();
    let parsed: Vec<std::result::Result<Parsed, Vec<Diagnostic>>> = files
        .texts
        .par_iter()
        .map(|file| {
            let path = file.path.as_str();
            if path == INTRO_FILE {
                page::parse_intro(path, &file.text)
                    .map(Parsed::Intro)
                    .map_err(|d| vec![d])
            } else if path.starts_with(PAGES_DIR) && path.ends_with(".md") {
                page::parse_page(path, &file.text)
                    .map(Parsed::Page)
                    .map_err(|d| vec![d])
            } else {
                event::parse_event_file(path, &file.text).map(Parsed::Events)
            }
        })
        .collect();
    let mut events = Vec::new();
    let mut pages = Vec::new();
    let mut intro = Intro::default();
    for result in parsed {
        match result {
            Ok(Parsed::Events(mut found)) => events.append(&mut found),
            Ok(Parsed::Page(page)) => pages.push(page),
            Ok(Parsed::Intro(found)) => intro = found,
            Err(mut found) => problems.append(&mut found),
        }
    }
    let theme = Theme::compile(&config.theme, &files.theme, config.language);
    if let Err(found) = &theme {
        problems.extend(found.iter().cloned());
    }
    if problems.iter().any(Diagnostic::is_error) {
        diagnostic::sort(&mut problems);
        return Err(problems);
    }
    let Ok(theme) = theme else {
        unreachable!("theme errors returned above")
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
    let (site, mut warnings) = Site::assemble(config, intro, events, pages, &inputs).map_err(|mut found| {
        found.extend(problems.iter().cloned());
        diagnostic::sort(&mut found);
        found
    })?;
    let outputs = render::render(
        &site,
        &theme,
        &files.assets,
        GENERATOR,
        &mut render::RenderCache::default(),
    )
    .map_err(|mut found| {
        found.extend(problems.iter().cloned());
        diagnostic::sort(&mut found);
        found
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

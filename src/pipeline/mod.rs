//! The whole build, from a site folder to files.
//!
//! [`load`](fn@load) reads the site (the only I/O here) and [`build_into`] does the
//! rest: parse every file in parallel, check the site as a whole, compile
//! the theme, render, sending each finished file down a channel as an
//! [`Output`] — kept in memory by [`build`] and [`build_from_files`],
//! written to disk as it comes by `annals build`, whose writer takes it on
//! threads of its own ([`with_consumer`]). Every problem from every file is collected before the
//! build gives up, so one run reports them all.

mod content;
mod languages;
mod partial;
mod themes;

use std::path::Path;
use std::sync::mpsc::Receiver;
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::{self, Code, Diagnostic};
use crate::error::{Error, Result};
use crate::hashing::fingerprint_of;
use crate::hashing::{HashMap, HashSet};
use crate::lang::Lang;
use crate::load::links::LinkRule;
use crate::load::runnable;
use crate::load::{self, Asset, SiteFiles, SourceTexts};
use crate::memo::Memo;
use crate::model::lint;
use crate::model::{Inputs, Orders, Site};
use crate::render::theme::Theme;
use crate::render::{self, Destination, Output, OutputSender, Outputs, PreviousBuild, RenderCache, RenderStats};
use content::{Content, ParseOutcome};
use partial::WhatParsed;

/// The generator name and version stamped into pages.
pub const GENERATOR: &str = concat!("annals ", env!("CARGO_PKG_VERSION"));

/// Choices a build takes besides the site itself.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Publish events and pages marked `draft: true`.
    pub drafts: bool,
    /// Override `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// `--follow-links`: read through symbolic links that lead out of the
    /// site (only ever set on the command line, never by `site.yaml`).
    pub follow_links: bool,
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

/// A build whose files went to a sink: what it found and made.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// The settings used.
    pub config: Config,
    /// How many events were published.
    pub event_count: usize,
    /// How many HTML files were made, in all languages.
    pub page_count: usize,
}

/// Reads the settings and every file of the site at `root`.
pub fn load(root: &Path, options: &BuildOptions) -> Result<(Config, SiteFiles)> {
    let links = LinkRule::new(root, options.follow_links)?;
    let config_text = load::read_config(&links)?;
    let config = Config::parse(&config_text)
        .map_err(|diagnostics| Error::Invalid { diagnostics })?
        .with_base_url(options.base_url.clone());
    let mut files = load::read_site(&links, &config.theme).map_err(|error| match error {
        Error::Invalid { diagnostics } => Error::Invalid {
            diagnostics: diagnostics.into_iter().map(with_load_code).collect(),
        },
        other => other,
    })?;
    files.problems = std::mem::take(&mut files.problems)
        .into_iter()
        .map(with_load_code)
        .collect();
    Ok((config, files))
}

/// Reads the site at `root` and builds it in memory.
pub fn build(root: &Path, options: &BuildOptions) -> Result<Built> {
    let (config, files) = load(root, options)?;
    build_from_files(config, &files, options, &mut Caches::default())
}

/// Builds a site from files already in memory into memory.
pub fn build_from_files(
    config: Config,
    files: &SiteFiles,
    options: &BuildOptions,
    caches: &mut Caches,
) -> Result<Built> {
    // Every file is kept in memory anyway: they are read once the render
    // is done, on this thread.
    let (sender, outputs) = render::unbounded();
    let summary = build_into(config, files, options, caches, None, sender)?;
    Ok(Built {
        outputs: render::collect(outputs)?,
        warnings: summary.warnings,
        config: summary.config,
        event_count: summary.event_count,
    })
}

/// Runs `produce`, which sends a build's output down a channel, beside
/// `consume`, which takes it on a thread of its own as it comes; the
/// channel closes when `produce` returns. Both results come back: when
/// `produce` failed to send, the consumer's error says why.
pub fn with_consumer<P, C>(
    consume: impl FnOnce(Receiver<Output>) -> Result<C> + Send,
    produce: impl FnOnce(OutputSender) -> Result<P>,
) -> (Result<P>, Result<C>)
where
    C: Send,
{
    let (sender, outputs) = render::channel();
    std::thread::scope(|scope| {
        let consumer = scope.spawn(move || consume(outputs));
        let produced = produce(sender);
        let consumed = consumer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (produced, consumed)
    })
}

/// The memo tables of a build ([`crate::memo`]): work a previous build did
/// that the next may reuse (kept by `serve`). A fresh `Caches` makes a full
/// build; reuse never changes the result.
#[derive(Default)]
pub struct Caches {
    /// Parse results, by the file's path and text.
    parsed: Memo<Arc<ParseOutcome>>,
    /// Compiled themes, by the theme's name and files and the language.
    themes: Memo<Arc<Theme>>,
    /// The render's tables, per language.
    renders: HashMap<Lang, RenderCache>,
    /// The events' order and tags, by what they are made from (every
    /// language's).
    orders: Orders,
    /// What the lint finds of each event.
    findings: lint::EventFindings,
    /// Whether the tables keep values for the next build.
    keep: bool,
    /// Whether the process ends right after the build.
    exit_after: bool,
}

impl Caches {
    /// Caches for a site rebuilt again and again (`serve`): rendered pages
    /// are kept so unchanged ones need not be rendered again.
    pub fn for_rebuilds() -> Self {
        Caches {
            parsed: Memo::keeping(),
            themes: Memo::keeping(),
            orders: Memo::keeping(),
            findings: Memo::keeping(),
            keep: true,
            ..Caches::default()
        }
    }

    /// Caches for the one build of a process that ends right after it
    /// (`annals build`): nothing is kept, and the memory of the render is
    /// left to the operating system rather than freed piece by piece.
    pub fn before_exit() -> Self {
        Caches {
            exit_after: true,
            ..Caches::default()
        }
    }

    /// How many pages the last build rendered and reused, in all languages.
    pub fn render_stats(&self) -> RenderStats {
        self.renders
            .values()
            .fold(RenderStats::default(), |sum, cache| RenderStats {
                rendered: sum.rendered + cache.stats.rendered,
                reused: sum.reused + cache.stats.reused,
            })
    }
}

/// Builds a site from files already in memory, reusing what `caches` holds
/// and what `previous` (the build in the output folder) still holds,
/// sending each output file down `sender`. Every language of the site is
/// built; the default one at the root, the others under `<code>/`. Pure.
pub fn build_into(
    config: Config,
    files: &SiteFiles,
    options: &BuildOptions,
    caches: &mut Caches,
    previous: Option<&dyn PreviousBuild>,
    sender: OutputSender,
) -> Result<Summary> {
    let assembled = assemble(config, files, options, caches, previous)?;
    render_assembled(assembled, &files.assets, caches, previous, sender)
}

/// Parses every file, checks the site and assembles it in each language
/// ([`build_into`]'s first half). With a `previous` build, it notes the
/// fingerprint of the inputs, and whether that build is this very one.
pub fn assemble(
    config: Config,
    files: &SiteFiles,
    options: &BuildOptions,
    caches: &mut Caches,
    previous: Option<&dyn PreviousBuild>,
) -> Result<Assembled> {
    let mentionable = lint::content_files(&files.assets);
    let parsed = content::parse_each(&files.texts, &caches.parsed, &mentionable);
    let texts: HashMap<&str, &str> = files
        .texts
        .iter()
        .map(|file| (file.path.as_str(), file.text.as_str()))
        .collect();
    assemble_parsed(config, files, parsed, &texts, options, caches, previous)
}

/// [`assemble`] for a one-shot build: each file's text goes as soon as it
/// is parsed (`files` keeps its path and key), so the texts and the events
/// are never all in memory at once; a problem found afterwards reads again,
/// through `links`, the file it quotes.
pub fn assemble_letting_texts_go(
    config: Config,
    files: &mut SiteFiles,
    links: &LinkRule,
    options: &BuildOptions,
    caches: &mut Caches,
    previous: Option<&dyn PreviousBuild>,
) -> Result<Assembled> {
    let mentionable = lint::content_files(&files.assets);
    let parsed = content::parse_each_letting_go(&mut files.texts, &caches.parsed, &mentionable);
    let texts = load::ReadAgain::new(links, &files.texts);
    assemble_parsed(config, files, parsed, &texts, options, caches, previous)
}

/// Checks the parsed site and assembles it in each language; `texts` are
/// the content files' texts, for problems to quote.
fn assemble_parsed<'a>(
    config: Config,
    files: &'a SiteFiles,
    parsed: Vec<content::ParsedFile<'a>>,
    texts: &dyn SourceTexts,
    options: &BuildOptions,
    caches: &mut Caches,
    previous: Option<&dyn PreviousBuild>,
) -> Result<Assembled> {
    let invalid = |diagnostics| Error::Invalid { diagnostics };
    let Content {
        events,
        pages,
        intro,
        translations,
        broken,
        mut problems,
        mentioned,
    } = content::sort_parsed(&config, files, parsed, &mut caches.parsed);
    let themes = themes::compile_themes(&config, files, &mut caches.themes, &mut problems);
    problems.extend(content::orphan_translations(&translations, &events, &pages, &broken));
    if !config.unsafe_html {
        problems.extend(
            runnable::refuse_in_content(&files.assets)
                .into_iter()
                .map(|d| d.or_code(Code::ScriptInContent)),
        );
    }

    let content_assets: HashSet<String> = files.assets.iter().map(|asset| asset.source_path.clone()).collect();
    let inputs = Inputs {
        content_assets: &content_assets,
        texts,
        drafts: options.drafts,
    };
    let broken_slugs = partial::broken_slugs(&broken, texts);
    let parsed_so_far = WhatParsed {
        config: &config,
        intro: &intro,
        pages: &pages,
        inputs: &inputs,
        broken_slugs: &broken_slugs,
    };
    if problems.iter().any(Diagnostic::is_error) {
        problems.extend(parsed_so_far.check(&events, None));
        diagnostic::sort(&mut problems);
        return Err(invalid(problems));
    }
    let with_earlier = |mut found: Vec<Diagnostic>| {
        found.extend(problems.iter().cloned());
        diagnostic::sort(&mut found);
        found
    };
    let inputs_print = previous.map(|_| inputs_fingerprint(&config, files, options));
    let unchanged = previous
        .zip(inputs_print)
        .is_some_and(|(previous, print)| previous.holds_build(print));
    let each = languages::EachLanguage {
        config: &config,
        events: &events,
        pages: &pages,
        intro: &intro,
        inputs: &inputs,
        texts,
        mentioned: &mentioned,
        assets: &files.assets,
    };
    let languages::Assembly {
        sites,
        warnings,
        event_count,
    } = each
        .assemble(translations, caches, unchanged)
        .map_err(|found| invalid(with_earlier(parsed_so_far.check(&events, Some(found)))))?;
    let languages = config.languages.clone();
    Ok(Assembled {
        sites,
        inputs: inputs_print,
        unchanged,
        languages,
        themes,
        warnings,
        problems,
        config,
        event_count,
    })
}

/// A problem found while rendering: the renderer codes broken links
/// itself; anything else it reports comes from a template.
fn with_render_code(diagnostic: Diagnostic) -> Diagnostic {
    diagnostic.or_code(Code::Template)
}

/// A problem found while reading the site: the loader and its size and
/// link rules code their own; anything else is a file that could not be read.
fn with_load_code(diagnostic: Diagnostic) -> Diagnostic {
    diagnostic.or_code(Code::UnreadableFile)
}

/// A site read, parsed, checked and assembled in every language: what is
/// left is to render it. It holds nothing of the files it came from, so a
/// one-shot build can let their text go.
pub struct Assembled {
    /// Each language's site, in the order to render; none if the output
    /// already holds this very build.
    sites: Vec<(Lang, Site)>,
    /// The fingerprint of the inputs, when there is a previous build.
    inputs: Option<u64>,
    /// Whether the previous build is this very one.
    unchanged: bool,
    /// Every language, the default first.
    languages: Vec<Lang>,
    /// The compiled theme of each language.
    themes: HashMap<Lang, Arc<Theme>>,
    /// What the checks found.
    warnings: Vec<Diagnostic>,
    /// Problems found earlier that did not stop the build.
    problems: Vec<Diagnostic>,
    config: Config,
    event_count: usize,
}

/// Renders an assembled site, with the site's own files, sending each file
/// down `sender`; pages `previous` still holds are kept, not rendered.
pub fn render_assembled(
    assembled: Assembled,
    assets: &[Asset],
    caches: &mut Caches,
    previous: Option<&dyn PreviousBuild>,
    sender: OutputSender,
) -> Result<Summary> {
    let Assembled {
        sites,
        inputs,
        unchanged,
        languages,
        themes,
        mut warnings,
        problems,
        config,
        event_count,
    } = assembled;
    let default = config.default_language();
    if let Some(inputs) = inputs {
        sender.send(Output::Inputs(inputs))?;
    }
    if unchanged {
        sender.send(Output::KeepAll)?;
    }
    let mut page_count = 0;
    for (lang, site) in sites {
        let theme = &themes[&lang];
        let keep = caches.keep;
        let exit_after = caches.exit_after;
        let render_cache = caches.renders.entry(lang).or_insert_with(|| {
            if keep {
                RenderCache::keeping()
            } else {
                let mut cache = RenderCache::default();
                cache.exit_after = exit_after;
                cache
            }
        });
        let links = render::Languages {
            current: lang,
            all: languages.clone(),
        };
        let prefix = if lang == default {
            String::new()
        } else {
            format!("{}/", lang.code())
        };
        let here = Destination {
            sender: &sender,
            previous,
            folder: prefix,
        };
        let rendered = render::render(site, theme, assets, GENERATOR, &links, render_cache, &here).map_err(
            |error| match error {
                Error::Invalid { diagnostics: found } => {
                    let mut found: Vec<Diagnostic> = found.into_iter().map(with_render_code).collect();
                    found.extend(warnings.iter().cloned());
                    found.extend(problems.iter().cloned());
                    diagnostic::sort(&mut found);
                    Error::Invalid { diagnostics: found }
                }
                other => other,
            },
        )?;
        page_count += rendered.pages;
    }
    warnings.extend(problems);
    diagnostic::sort(&mut warnings);
    Ok(Summary {
        warnings,
        config,
        event_count,
        page_count,
    })
}

/// A fingerprint of everything a build's output depends on: this build of
/// annals, the settings and options, and every file read.
fn inputs_fingerprint(config: &Config, files: &SiteFiles, options: &BuildOptions) -> u64 {
    let texts: Vec<(&str, u64)> = files
        .texts
        .iter()
        .map(|file| (file.path.as_str(), file.key.as_u64()))
        .collect();
    let assets: Vec<(&str, &str, &[u8])> = files
        .assets
        .iter()
        .map(|asset| {
            (
                asset.output_path.as_str(),
                asset.source_path.as_str(),
                asset.bytes.as_slice(),
            )
        })
        .collect();
    fingerprint_of(&(
        env!("ANNALS_BUILD_ID"),
        format!("{config:?}"),
        options.drafts,
        &options.base_url,
        texts,
        assets,
        &files.theme,
        format!("{:?}", files.problems),
    ))
}

//! One page through the templates: the context every page gets (the site,
//! the strings, the languages, the assets), the page's own variables, and
//! the path to the site root written in as the page is made.

use std::collections::BTreeMap;
use std::io;
use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Value};

use super::jobs::{self, Job};
use super::view::{EraView, EventView, TagView, TrackView};
use super::{LanguageLink, Languages, Shared};
use crate::diagnostic::Diagnostic;
use crate::memo::Key;
use crate::parse::markdown::ROOT_MARK;
use crate::render::theme::{template_diagnostic, Theme};

/// A rendered page (path, bytes), or why it failed.
pub(super) type PageResult = Result<(String, Vec<u8>), Diagnostic>;

/// What every page of one language is rendered with.
pub(super) struct Common<'a> {
    pub shared: &'a Shared<'a>,
    languages: &'a Languages,
    /// The base URL of the whole site (not of this language's copy).
    site_base_url: Option<&'a str>,
    /// The key of everything here: a page's key is this and its own.
    pub key: Key,
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

impl<'a> Common<'a> {
    /// What every page of `shared`'s site gets; `assets` maps the theme's
    /// asset paths to their renamed paths, `stylesheets` lists the site's.
    pub fn new(
        shared: &'a Shared<'a>,
        theme: &'a Theme,
        languages: &'a Languages,
        assets: &BTreeMap<String, String>,
        stylesheets: &[String],
        generator: &str,
    ) -> Self {
        let site = shared.site;
        let prefix = languages.prefix(languages.current);
        let site_base_url = site
            .config
            .base_url
            .as_deref()
            .map(|base| base.strip_suffix(prefix.as_str()).unwrap_or(base));
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
            language: site.config.language.code(),
            lang: site.config.language.html_tag(),
            base_url: site.config.base_url.as_deref(),
            event_count: site.events.len(),
            tracks: &shared.tracks,
            eras: &shared.eras,
            tags: &shared.tags,
            pages: &page_links,
            extra: &site.config.extra,
        };
        Common {
            shared,
            languages,
            site_base_url,
            key: Key::of(&(
                Key::of_json(&site_view),
                theme.key,
                generator,
                assets,
                &languages.all,
                languages.current,
            )),
            assets: Value::from_serializable(assets),
            stylesheets: Value::from_serializable(&stylesheets),
            site: Value::from_serializable(&site_view),
            strings: Value::from_serializable(&theme.strings),
            generator: Value::from(generator),
            base_url: site.config.base_url.as_deref(),
            theme_name: &site.config.theme,
        }
    }
}

/// Renders one page; `value` gives each event's template value (by index)
/// for the events the page shows, and `views` every event's view made so
/// far (the page's small overview draws from them).
pub(super) fn render_job(
    theme: &Theme,
    common: &Common<'_>,
    job: Job,
    value: &dyn Fn(usize) -> Value,
    views: &[Arc<EventView>],
) -> PageResult {
    let job = jobs::complete(job, common.shared);
    let depth = job.path.matches('/').count();
    let root = if job.kind == "404" {
        common.base_url.unwrap_or("").to_string()
    } else {
        "../".repeat(depth)
    };
    let mut context = Context::new();
    context.insert_value("site", common.site.clone());
    context.insert_value("t", common.strings.clone());
    context.insert_value("generator", common.generator.clone());
    context.insert("root", &root);
    context.insert("feed_url", "feed.xml");
    context.insert("page", &page_view(common, &job));
    context.insert("languages", &language_links(common, &job, depth));
    context.insert("json_ld", &job.json_ld);
    context.insert("embed", &(job.kind == "embed"));
    context.insert_value("assets", common.assets.clone());
    context.insert_value("stylesheets", common.stylesheets.clone());
    if let Some(parts) = job.parts_value() {
        context.insert_value("parts", parts);
    }
    for (name, value) in job.vars {
        context.insert_value(name, value);
    }
    if let Some(index) = job.event {
        let neighbour = |at: Option<usize>| match at.filter(|&at| at < common.shared.keys.len()) {
            Some(at) => value(at),
            None => Value::none(),
        };
        context.insert_value("event", value(index));
        context.insert_value("prev", neighbour(index.checked_sub(1)));
        context.insert_value("next", neighbour(Some(index + 1)));
    }
    if let Some(order) = &job.listed {
        let events: Vec<Value> = order.iter().map(|&index| value(index)).collect();
        context.insert_value("events", Value::from(events));
    }
    if let Some(drawn) = &job.drawn {
        let words = jobs::DrawingWords::of(theme);
        let svg = jobs::page_overview(common.shared, views, &words, drawn);
        context.insert_value("overview_svg", Value::from(svg));
    }
    if let Some(indexes) = &job.grouped {
        let groups = jobs::group_values(common.shared.site, indexes, value);
        context.insert_value("groups", Value::from(groups));
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

/// The page's own fields as templates see them. Link previews need
/// absolute addresses: a picture is given only with a base URL.
fn page_view<'a>(common: &Common<'_>, job: &'a Job) -> PageView<'a> {
    let canonical = common
        .base_url
        .map(|base| format!("{base}{}", job.path.trim_end_matches("index.html")));
    let image = match (&job.image, common.base_url) {
        (Some((src, true, _)), Some(base)) => Some(format!("{base}{src}")),
        (Some((src, false, _)), Some(_)) => Some(src.clone()),
        _ => None,
    };
    PageView {
        kind: job.kind,
        path: &job.path,
        title: &job.title,
        description: &job.description,
        canonical,
        og_type: job.og_type,
        image_alt: image
            .as_ref()
            .and(job.image.as_ref())
            .and_then(|(_, _, alt)| alt.as_deref()),
        image,
    }
}

/// Links to the page's copy in each language, `depth` folders below its
/// language's root; none on the 404 page.
fn language_links(common: &Common<'_>, job: &Job, depth: usize) -> Vec<LanguageLink> {
    if job.kind == "404" {
        return Vec::new();
    }
    let languages = common.languages;
    let to_site_root = "../".repeat(depth + usize::from(!languages.prefix(languages.current).is_empty()));
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

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    lang: &'a str,
    base_url: Option<&'a str>,
    /// How many events the timeline holds.
    event_count: usize,
    tracks: &'a [Arc<TrackView>],
    eras: &'a [EraView],
    tags: &'a [Arc<TagView>],
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
    canonical: Option<String>,
    og_type: &'a str,
    image: Option<String>,
    image_alt: Option<&'a str>,
}

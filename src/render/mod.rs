//! Renders a [`Site`] through a [`Theme`] into files in memory.
//!
//! Nothing here touches the disk: the result is an [`Outputs`] map from
//! output path to bytes, written later (or served from memory). Markdown is
//! rendered once per event, each event's view is built once and shared by
//! every page that lists it, and pages render in parallel.

mod feed;
pub mod view;

use std::collections::{BTreeMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::config::Order;
use crate::date::format_range;
use crate::diagnostic::Diagnostic;
use crate::event::{key_position, Event};
use crate::load::Asset;
use crate::markdown::{self, is_safe_url, MarkdownContext, ROOT_MARK};
use crate::model::Site;
use crate::theme::{template_diagnostic, Theme};
use view::{end_view, DateView, EraRef, EraView, EventView, MediaView, SourceView, TagView, TrackView};

/// The built site: output path → bytes, in path order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outputs {
    /// Every file of the site.
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Outputs {
    /// How many HTML pages the site has.
    pub fn page_count(&self) -> usize {
        self.files.keys().filter(|path| path.ends_with(".html")).count()
    }
}

/// One page to render.
struct Job {
    path: String,
    template: &'static str,
    kind: &'static str,
    title: String,
    description: String,
    vars: Vec<(&'static str, Value)>,
}

/// Renders every page, feed and data file, and gathers the assets.
pub fn render(site: &Site, theme: &Theme, assets: &[Asset], generator: &str) -> Result<Outputs, Vec<Diagnostic>> {
    let lang = site.config.language;
    let event_slugs: HashSet<&str> = site.events.iter().map(|event| event.slug.as_str()).collect();
    let md = MarkdownContext {
        unsafe_html: site.config.unsafe_html,
        event_slugs: &event_slugs,
    };
    let rendered: Vec<(EventView, Vec<Diagnostic>)> = site
        .events
        .par_iter()
        .map(|event| event_view(site, event, &md))
        .collect();
    let mut problems: Vec<Diagnostic> = Vec::new();
    let mut views = Vec::with_capacity(rendered.len());
    for (view, mut found) in rendered {
        problems.append(&mut found);
        views.push(view);
    }
    let values: Vec<Value> = views.par_iter().map(Value::from_serializable).collect();
    let in_display_order = |indexes: &mut dyn Iterator<Item = usize>| -> Vec<Value> {
        let mut list: Vec<Value> = indexes.map(|i| values[i].clone()).collect();
        if site.config.order == Order::Descending {
            list.reverse();
        }
        list
    };

    let track_views: Vec<TrackView> = site
        .tracks
        .iter()
        .map(|track| TrackView::new(track, site.track_events(track).len()))
        .collect();
    let tag_views: Vec<TagView> = site.tags.iter().map(TagView::new).collect();
    let era_views: Vec<EraView> = site
        .config
        .eras
        .iter()
        .map(|era| EraView::new(era, site.era_events(era).len(), lang))
        .collect();
    let page_links: Vec<PageLink> = site
        .pages
        .iter()
        .map(|page| PageLink {
            title: page.title.clone(),
            url: format!("{}/index.html", page.slug),
        })
        .collect();
    let site_value = Value::from_serializable(&SiteView {
        title: &site.config.title,
        description: &site.config.description,
        language: lang.code(),
        lang: lang.html_tag(),
        base_url: site.config.base_url.as_deref(),
        tracks: &track_views,
        eras: &era_views,
        tags: &tag_views,
        pages: &page_links,
        extra: &site.config.extra,
    });
    let strings = Value::from_serializable(&theme.strings);

    let mut jobs = Vec::new();
    let intro = markdown::render(&site.intro.body, &md);
    let intro_html = (!site.intro.body.trim().is_empty()).then_some(intro.html);
    problems.extend(
        intro
            .broken_links
            .iter()
            .map(|link| broken_link(crate::page::INTRO_FILE, &site.intro.body, 1, link)),
    );
    jobs.push(Job {
        path: "index.html".into(),
        template: "index.html",
        kind: "index",
        title: site.config.title.clone(),
        description: site
            .intro
            .description
            .clone()
            .unwrap_or_else(|| site.config.description.clone()),
        vars: vec![
            (
                "intro_title",
                Value::from(site.intro.title.clone().unwrap_or_else(|| site.config.title.clone())),
            ),
            ("intro_html", Value::from(intro_html)),
            ("years", Value::from(year_groups(site, &views, &values))),
        ],
    });
    for (index, view) in views.iter().enumerate() {
        let neighbour = |i: Option<usize>| i.and_then(|i| values.get(i)).cloned().unwrap_or_else(Value::none);
        jobs.push(Job {
            path: format!("events/{}/index.html", view.slug),
            template: "event.html",
            kind: "event",
            title: view.title.clone(),
            description: view.summary_text.clone(),
            vars: vec![
                ("event", values[index].clone()),
                ("prev", neighbour(index.checked_sub(1))),
                ("next", neighbour(Some(index + 1))),
            ],
        });
    }
    jobs.push(Job {
        path: "tags/index.html".into(),
        template: "tags.html",
        kind: "tags",
        title: theme.strings.get("tags").cloned().unwrap_or_else(|| "Tags".into()),
        description: site.config.description.clone(),
        vars: vec![("tags", Value::from_serializable(&tag_views))],
    });
    for (tag, tag_view) in site.tags.iter().zip(&tag_views) {
        jobs.push(Job {
            path: format!("tags/{}/index.html", tag.slug),
            template: "tag.html",
            kind: "tag",
            title: tag.name.clone(),
            description: site.config.description.clone(),
            vars: vec![
                ("tag", Value::from_serializable(tag_view)),
                ("events", Value::from(in_display_order(&mut tag.events.iter().copied()))),
            ],
        });
    }
    for (track, track_view) in site.tracks.iter().zip(&track_views) {
        jobs.push(Job {
            path: format!("tracks/{}/index.html", track.id),
            template: "track.html",
            kind: "track",
            title: track.title.clone(),
            description: site.config.description.clone(),
            vars: vec![
                ("track", Value::from_serializable(track_view)),
                (
                    "events",
                    Value::from(in_display_order(&mut site.track_events(track).into_iter())),
                ),
            ],
        });
    }
    for (era, era_view) in site.config.eras.iter().zip(&era_views) {
        jobs.push(Job {
            path: format!("eras/{}/index.html", era.slug),
            template: "era.html",
            kind: "era",
            title: era.title.clone(),
            description: site.config.description.clone(),
            vars: vec![
                ("era", Value::from_serializable(era_view)),
                (
                    "events",
                    Value::from(in_display_order(&mut site.era_events(era).into_iter())),
                ),
            ],
        });
    }
    for page in &site.pages {
        let body = markdown::render(&page.body, &md);
        problems.extend(
            body.broken_links
                .iter()
                .map(|link| broken_link(&page.path, &page.body, 1, link)),
        );
        jobs.push(Job {
            path: format!("{}/index.html", page.slug),
            template: "page.html",
            kind: "page",
            title: page.title.clone(),
            description: page
                .description
                .clone()
                .unwrap_or_else(|| markdown::plain_text(markdown::first_paragraph(&page.body).unwrap_or_default())),
            vars: vec![
                ("page_title", Value::from(page.title.clone())),
                ("content_html", Value::from(body.html)),
            ],
        });
    }
    jobs.push(Job {
        path: "404.html".into(),
        template: "404.html",
        kind: "404",
        title: theme
            .strings
            .get("not_found_title")
            .cloned()
            .unwrap_or_else(|| "Not found".into()),
        description: site.config.description.clone(),
        vars: Vec::new(),
    });
    if !problems.is_empty() {
        return Err(problems);
    }

    let common = Common {
        site: site_value,
        strings,
        generator: Value::from(generator),
        base_url: site.config.base_url.as_deref(),
        theme_name: &site.config.theme,
    };
    let pages: Vec<Result<(String, Vec<u8>), Diagnostic>> = jobs
        .into_par_iter()
        .map(|job| render_job(theme, &common, job))
        .collect();
    let mut outputs = Outputs::default();
    for (path, bytes) in theme.static_files.iter().cloned().chain(
        assets
            .iter()
            .map(|asset| (asset.output_path.clone(), asset.bytes.clone())),
    ) {
        outputs.files.insert(path, bytes);
    }
    for page in pages {
        match page {
            Ok((path, bytes)) => {
                outputs.files.insert(path, bytes);
            }
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(report_once(problems));
    }
    outputs
        .files
        .insert("feed.xml".into(), feed::atom(site, &views).into_bytes());
    if let Some(sitemap) = feed::sitemap(site, &outputs) {
        outputs.files.insert("sitemap.xml".into(), sitemap.into_bytes());
    }
    outputs
        .files
        .insert("robots.txt".into(), feed::robots(site).into_bytes());
    outputs.files.insert("events.json".into(), events_json(site, &views));
    Ok(outputs)
}

struct Common<'a> {
    site: Value,
    strings: Value,
    generator: Value,
    base_url: Option<&'a str>,
    theme_name: &'a str,
}

fn render_job(theme: &Theme, common: &Common<'_>, job: Job) -> Result<(String, Vec<u8>), Diagnostic> {
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
    context.insert(
        "page",
        &PageView {
            kind: job.kind,
            path: &job.path,
            title: &job.title,
            description: &job.description,
            canonical: canonical.as_deref(),
        },
    );
    for (name, value) in job.vars {
        context.insert_value(name, value);
    }
    let html = theme.tera.render(job.template, &context).map_err(|error| {
        let mut diagnostic = template_diagnostic(common.theme_name, &error, &theme.sources);
        diagnostic.message = format!("{} (while rendering `{}`)", diagnostic.message, job.path);
        diagnostic
    })?;
    let html = if html.contains(ROOT_MARK) {
        html.replace(ROOT_MARK, &root)
    } else {
        html
    };
    Ok((job.path, html.into_bytes()))
}

/// A broken template fails on every page that uses it: report it once,
/// saying how many other pages failed the same way.
fn report_once(failures: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut unique: Vec<(Diagnostic, usize)> = Vec::new();
    for failure in failures {
        let place = (&failure.path, failure.line, failure.column);
        match unique.iter_mut().find(|(known, _)| (&known.path, known.line, known.column) == place) {
            Some((_, others)) => *others += 1,
            None => unique.push((failure, 0)),
        }
    }
    unique
        .into_iter()
        .map(|(diagnostic, others)| match others {
            0 => diagnostic,
            n => diagnostic.with_hint(format!("the same error occurs on {n} more pages")),
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
}

#[derive(Serialize)]
struct YearGroup {
    label: String,
    anchor: String,
    events: Vec<Value>,
}

impl From<YearGroup> for Value {
    fn from(group: YearGroup) -> Value {
        Value::from_serializable(&group)
    }
}

/// Events grouped under year headings, in display order.
fn year_groups(site: &Site, views: &[EventView], values: &[Value]) -> Vec<YearGroup> {
    let mut groups: Vec<YearGroup> = Vec::new();
    for (index, view) in views.iter().enumerate() {
        let anchor = format!("y{}", view.date.year);
        match groups.last_mut() {
            Some(group) if group.anchor == anchor => group.events.push(values[index].clone()),
            _ => groups.push(YearGroup {
                label: view.date.year_label.clone(),
                anchor,
                events: vec![values[index].clone()],
            }),
        }
    }
    if site.config.order == Order::Descending {
        groups.reverse();
        for group in &mut groups {
            group.events.reverse();
        }
    }
    groups
}

/// Renders one event's Markdown and builds its view.
fn event_view(site: &Site, event: &Event, md: &MarkdownContext<'_>) -> (EventView, Vec<Diagnostic>) {
    let lang = site.config.language;
    let mut problems = Vec::new();
    let body = markdown::render(&event.body, md);
    problems.extend(
        body.broken_links
            .iter()
            .map(|link| broken_link(&event.origin.path, &event.body, event.body_line, link)),
    );
    let summary_source = event
        .summary
        .as_deref()
        .or_else(|| markdown::first_paragraph(&event.body))
        .unwrap_or_default();
    let summary = markdown::render(summary_source, md);
    if event.summary.is_some() {
        for link in &summary.broken_links {
            let mut diagnostic = broken_link(&event.origin.path, summary_source, 1, link);
            diagnostic.line = 0;
            problems.push(diagnostic);
        }
    }
    let media = event
        .media
        .iter()
        .map(|item| MediaView {
            src: if is_safe_url(&item.src) {
                item.src.clone()
            } else {
                "#".into()
            },
            local: item.local,
            kind: item.kind,
            alt: item.alt.clone(),
            caption_html: item
                .caption
                .as_deref()
                .map(|caption| inline_html(&markdown::render(caption, md).html)),
            credit: item.credit.clone(),
            link: item.link.clone().filter(|url| is_safe_url(url)),
        })
        .collect();
    let sources = event
        .sources
        .iter()
        .map(|source| SourceView {
            title: source.title.clone(),
            url: source.url.clone().filter(|url| is_safe_url(url)),
            publisher: source.publisher.clone(),
            date_label: source.date.map(|date| date.format(lang)),
        })
        .collect();
    let date_label = event
        .display_date
        .clone()
        .unwrap_or_else(|| format_range(&event.date, event.end.as_ref(), lang));
    let view = EventView {
        slug: event.slug.to_string(),
        title: event.title.clone(),
        url: format!("events/{}/index.html", event.slug),
        date: DateView::new(&event.date, lang),
        end: event.end.as_ref().map(|end| end_view(end, lang)),
        date_label,
        display_date: event.display_date.clone(),
        track: site.track_of(event).map(|track| TrackView::new(track, 0)),
        tags: event
            .tags
            .iter()
            .filter_map(|name| {
                let slug = crate::slug::Slug::from_text(name);
                site.tags.iter().find(|tag| tag.slug == slug).map(TagView::new)
            })
            .collect(),
        importance: event.importance,
        highlight: event.importance >= 4,
        has_summary: event.summary.is_some(),
        summary_text: markdown::plain_text(summary_source),
        summary_html: summary.html,
        body_html: body.html,
        media,
        sources,
        eras: site
            .eras_of(event)
            .map(|era| EraRef {
                slug: era.slug.to_string(),
                title: era.title.clone(),
                url: format!("eras/{}/index.html", era.slug),
            })
            .collect(),
        extra: event.extra.clone(),
        source_path: event.origin.path.clone(),
    };
    (view, problems)
}

/// A one-paragraph caption without its `<p>` wrapper.
fn inline_html(html: &str) -> String {
    let trimmed = html.trim();
    match trimmed.strip_prefix("<p>").and_then(|rest| rest.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

fn broken_link(path: &str, markdown: &str, first_line: usize, link: &markdown::BrokenLink) -> Diagnostic {
    let line_in_text = markdown[..link.offset.min(markdown.len())].matches('\n').count();
    let column = link.offset
        - markdown[..link.offset.min(markdown.len())]
            .rfind('\n')
            .map_or(0, |at| at + 1)
        + 1;
    let line_text = markdown.lines().nth(line_in_text).unwrap_or_default().to_string();
    let mut diagnostic = Diagnostic::error(path, format!("the link `{}` names no event", link.target))
        .with_hint("link to another event as `[text](@/events/<its slug>)`");
    diagnostic.line = first_line.max(1) + line_in_text;
    diagnostic.column = column;
    diagnostic.source_line = Some(line_text);
    diagnostic
}

/// `events.json`: every event with every field, for scripts and search.
fn events_json(site: &Site, views: &[EventView]) -> Vec<u8> {
    #[derive(Serialize)]
    struct Data<'a> {
        title: &'a str,
        description: &'a str,
        language: &'a str,
        events: &'a [EventView],
    }
    let data = Data {
        title: &site.config.title,
        description: &site.config.description,
        language: site.config.language.code(),
        events: views,
    };
    let mut value = serde_json::to_value(&data).expect("views serialize to JSON");
    strip_root_marks(&mut value);
    let mut bytes = serde_json::to_vec_pretty(&value).expect("JSON values serialize");
    bytes.push(b'\n');
    bytes
}

/// events.json sits at the root, so site paths need no prefix there.
fn strip_root_marks(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) if text.contains(ROOT_MARK) => *text = text.replace(ROOT_MARK, ""),
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_root_marks),
        serde_json::Value::Object(map) => map.values_mut().for_each(strip_root_marks),
        _ => {}
    }
}

/// Where `key` sits in an event, for diagnostics raised while rendering.
#[allow(dead_code)]
fn event_key_line(text: &str, event: &Event, key: &str) -> (usize, usize) {
    key_position(text, key, event.origin.first_line, event.origin.last_line)
}

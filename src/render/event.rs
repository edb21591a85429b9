//! One event's view: its Markdown rendered (once, and cached across
//! rebuilds by the event's fingerprint), its dates formatted, its track,
//! tags and eras looked up.

use std::sync::Arc;

use crate::date::{duration_label, format_range};
use crate::diagnostic::{Code, Diagnostic};
use crate::hashing::HashMap;
use crate::lang::Lang;
use crate::model::Site;
use crate::parse::event::{Event, Media, MediaKind};
use crate::parse::markdown::{self, is_safe_url, MarkdownContext, Rendered};
use crate::parse::media;

use super::view::{
    end_view, DateView, EraRef, EventRef, EventView, MediaView, SourceView, TagView, ThumbnailView, TrackView,
};
use crate::memo::Key;

/// An event's Markdown, rendered.
#[derive(Debug, Clone)]
pub struct EventMarkdown {
    body: Rendered,
    summary: Rendered,
    /// The summary's words without markup (its source is found once).
    summary_text: String,
    captions: Vec<Option<String>>,
}

/// The key of an event's rendered Markdown: the event, and `md_key`, the
/// key of what rendering reads besides it (`md`).
pub fn markdown_key(event: &Event, md_key: Key) -> Key {
    Key::of(&(md_key, event.key))
}

/// Renders the Markdown of `event` (its body, summary and captions).
pub fn event_markdown(event: &Event, md: &MarkdownContext<'_>) -> EventMarkdown {
    let body = markdown::render(&event.body, md);
    let summary_source = match &event.summary {
        Some(summary) => summary.as_str(),
        None => body.first_paragraph(&event.body).unwrap_or_default(),
    };
    let captions: Vec<Option<&str>> = event.media.iter().map(|item| item.caption.as_deref()).collect();
    EventMarkdown {
        summary: markdown::render(summary_source, md),
        summary_text: markdown::plain_text(summary_source),
        body,
        captions: captions
            .iter()
            .map(|caption| caption.map(|text| inline_html(&markdown::render(text, md).html)))
            .collect(),
    }
}

/// What building an event's view needs besides the event.
pub struct ViewInputs<'a> {
    /// The whole site.
    pub site: &'a Site,
    /// Every track's view.
    pub tracks: &'a [Arc<TrackView>],
    /// Every tag's view, in the order of the site's tags.
    pub tags: &'a [Arc<TagView>],
    /// Pixel sizes of the site's images, by site-relative path.
    pub image_sizes: &'a HashMap<String, (u32, u32)>,
}

/// Renders one event's Markdown and builds its view. `related` and
/// `timeline_url` are filled in later, when every view exists.
pub fn event_view(
    inputs: &ViewInputs<'_>,
    event: &Event,
    rendered: Arc<EventMarkdown>,
) -> (EventView, Vec<Diagnostic>) {
    let site = inputs.site;
    let lang = site.config.language;
    let EventMarkdown {
        body,
        summary,
        summary_text,
        captions,
    } = Arc::unwrap_or_clone(rendered);
    let problems = markdown_problems(event, &body, &summary);
    let media = media_views(inputs, event, captions);
    let thumbnail = thumbnail_of(&media).map(Box::new);
    let date_label = date_label(event, lang);
    let view = EventView {
        slug: event.slug.to_string(),
        title: event.title.clone(),
        url: format!("events/{}/index.html", event.slug),
        date: Box::new(DateView::new(&event.date, lang)),
        end: event.end.as_ref().map(|end| end_view(end, lang)),
        date_label,
        display_date: event.display_date.clone(),
        duration_label: event
            .end
            .as_ref()
            .and_then(|end| duration_label(&event.date, end, lang)),
        timeline_url: format!("index.html#{}", event.slug),
        track: event
            .track
            .as_ref()
            .and_then(|id| inputs.tracks.iter().find(|track| track.id == id.as_str()).cloned()),
        tags: tag_views(inputs, event),
        importance: event.importance,
        highlight: event.importance >= 4,
        has_summary: event.summary.is_some(),
        summary_text,
        summary_html: summary.html,
        body_html: body.html,
        media,
        thumbnail,
        related: Vec::new(),
        sources: source_views(event, lang, site.config.default_language()),
        eras: era_refs(site, event),
        extra: event.extra.clone(),
        source_path: event.body_file().to_string(),
        untranslated: event.untranslated,
    };
    (view, problems)
}

/// An event's date as printed: the author's label, or its dates.
fn date_label(event: &Event, lang: Lang) -> String {
    event
        .display_date
        .clone()
        .unwrap_or_else(|| format_range(&event.date, event.end.as_ref(), lang))
}

/// What the pages of related events show of `event` (its view's slug,
/// title, address and date), made from the event alone: an event's
/// related events may be anywhere on the timeline.
pub fn event_ref(event: &Event, lang: Lang) -> EventRef {
    EventRef {
        slug: event.slug.to_string(),
        title: event.title.clone(),
        url: format!("events/{}/index.html", event.slug),
        date_label: date_label(event, lang),
    }
}

/// The links in an event's body and summary that name no event.
fn markdown_problems(event: &Event, body: &Rendered, summary: &Rendered) -> Vec<Diagnostic> {
    let mut problems: Vec<Diagnostic> = body
        .broken_links
        .iter()
        .map(|link| {
            let mut diagnostic = broken_link(event.body_file(), &event.body, event.body_line, link);
            if !event.body_file().ends_with(".md") {
                // A YAML block scalar is indented; the column in the
                // Markdown is not the column in the file.
                diagnostic.column = 0;
            }
            diagnostic
        })
        .collect();
    if let Some(summary_source) = &event.summary {
        for link in &summary.broken_links {
            let mut diagnostic = broken_link(event.summary_file(), summary_source, 1, link);
            // The summary sits inside a YAML value; name the file only.
            diagnostic.line = 0;
            diagnostic.column = 0;
            diagnostic.source_line = None;
            problems.push(diagnostic);
        }
    }
    problems
}

/// The views of an event's media, each with its rendered caption.
fn media_views(inputs: &ViewInputs<'_>, event: &Event, captions: Vec<Option<String>>) -> Vec<MediaView> {
    event
        .media
        .iter()
        .zip(captions)
        .map(|(item, caption_html)| media_view(inputs, item, caption_html))
        .collect()
}

/// The view of one media item: its size when it is a picture of the
/// site's, and for another site's video or sound, the player to embed.
fn media_view(inputs: &ViewInputs<'_>, item: &Media, caption_html: Option<String>) -> MediaView {
    let size = item
        .local
        .then(|| inputs.image_sizes.get(&format!("content/{}", item.src)))
        .flatten();
    // A file is played by the page itself; another site's player
    // waits behind a click-to-load link.
    let player = (!item.local && !item.kind.is_file_player(&item.src))
        .then(|| media::player(&item.src))
        .flatten();
    MediaView {
        src: if is_safe_url(&item.src) {
            item.src.clone()
        } else {
            "#".into()
        },
        local: item.local,
        kind: item.kind,
        alt: item.alt.clone(),
        caption_html,
        credit: item.credit.clone(),
        link: item.link.clone().filter(|url| is_safe_url(url)),
        width: size.map(|(width, _)| *width),
        height: size.map(|(_, height)| *height),
        file_player: item.kind.is_file_player(&item.src),
        embed_url: player.as_ref().map(|player| player.embed_url.clone()),
        provider: player.map(|player| player.provider),
    }
}

/// The event's first picture with a safe address, for link previews.
fn thumbnail_of(media: &[MediaView]) -> Option<ThumbnailView> {
    media
        .iter()
        .find(|item| item.kind == MediaKind::Image && item.src != "#")
        .map(|item| ThumbnailView {
            src: item.src.clone(),
            local: item.local,
            alt: item.alt.clone(),
            width: item.width,
            height: item.height,
        })
}

/// The views of the sources an event cites, on a page in `lang` of a site
/// whose originals are in `original`.
fn source_views(event: &Event, lang: Lang, original: Lang) -> Vec<SourceView> {
    event
        .sources
        .iter()
        .map(|source| {
            // What a translation gave is in the page's language; the rest is
            // as the original writes it: in the source's `lang:`, else in
            // the originals' language.
            let written = |translated: bool| {
                let tag = match (&source.lang, translated) {
                    (_, true) => return None,
                    (Some(tag), false) => tag.as_str(),
                    (None, false) => original.code(),
                };
                lang_attribute(tag, lang)
            };
            SourceView {
                title_lang: source.title.as_ref().and_then(|_| written(source.title_translated)),
                publisher_lang: source
                    .publisher
                    .as_ref()
                    .and_then(|_| written(source.publisher_translated)),
                title: source.title.clone(),
                url: source.url.clone().filter(|url| is_safe_url(url)),
                publisher: source.publisher.clone(),
                date_label: source.date.map(|date| date.format(lang)),
            }
        })
        .collect()
}

/// The `lang` attribute for text in the language `tag` on a page in
/// `page`: none when it is the page's language, the language's HTML tag
/// when annals knows it (`zh-Hans`), else the tag as written.
fn lang_attribute(tag: &str, page: Lang) -> Option<String> {
    match tag.parse::<Lang>() {
        Ok(known) if known == page => None,
        Ok(known) => Some(known.html_tag().to_string()),
        Err(_) => Some(tag.to_string()),
    }
}

/// The views of an event's tags, as the site groups them.
fn tag_views(inputs: &ViewInputs<'_>, event: &Event) -> Vec<Arc<TagView>> {
    let tags = &inputs.site.tags;
    event
        .tags
        .iter()
        .filter_map(|name| {
            let slug = crate::slug::Slug::from_text(name);
            let at = tags.iter().position(|tag| tag.slug == slug)?;
            Some(Arc::clone(&inputs.tags[at]))
        })
        .collect()
}

/// The eras an event falls in, as its page links to them.
fn era_refs(site: &Site, event: &Event) -> Vec<EraRef> {
    site.eras_of(event)
        .map(|era| EraRef {
            slug: era.slug.to_string(),
            title: era.title.clone(),
            url: format!("eras/{}/index.html", era.slug),
        })
        .collect()
}

/// A one-paragraph caption without its `<p>` wrapper.
fn inline_html(html: &str) -> String {
    let trimmed = html.trim();
    match trimmed.strip_prefix("<p>").and_then(|rest| rest.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

pub fn broken_link(path: &str, markdown: &str, first_line: usize, link: &markdown::BrokenLink) -> Diagnostic {
    let line_in_text = markdown[..link.offset.min(markdown.len())].matches('\n').count();
    let column = link.offset
        - markdown[..link.offset.min(markdown.len())]
            .rfind('\n')
            .map_or(0, |at| at + 1)
        + 1;
    let line_text = markdown.lines().nth(line_in_text).unwrap_or_default();
    let mut diagnostic = Diagnostic::error(path, format!("the link `{}` names no event", link.target))
        .with_hint("link to another event as `[text](@/events/<its slug>)`")
        .with_code(Code::BrokenLink);
    diagnostic.line = first_line.max(1) + line_in_text;
    diagnostic.column = column;
    diagnostic.source_line = Some(crate::diagnostic::shorten(line_text));
    diagnostic
}

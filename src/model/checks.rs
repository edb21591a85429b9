//! What no single file can know, checked across the site: slugs used
//! twice, media files that do not exist, events that cite no sources,
//! pages whose URL would clash. Each problem is a [`Diagnostic`] that
//! quotes the line of the file at fault.

use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic};
use crate::hashing::{map_with_capacity, HashMap};
use crate::load::SourceTexts;
use crate::parse::event::{key_position, Event};
use crate::parse::page::Page;

use super::Inputs;

/// Top-level output folders a page may not take as its slug (nor may it take
/// a language code: `fr/` holds the French site).
const RESERVED: [&str; 9] = [
    "events", "tags", "tracks", "eras", "timeline", "media", "assets", "embed", "static",
];

/// An error for each event whose slug an earlier event already has.
/// `texts` holds each file's text, to quote the line.
pub(super) fn duplicate_slugs(events: &[Arc<Event>], texts: &dyn SourceTexts) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut first_with_slug: HashMap<&str, &Arc<Event>> = map_with_capacity(events.len());
    for event in events {
        if let Some(first) = first_with_slug.insert(event.slug.as_str(), event) {
            let text = texts.text_of(&event.origin.path);
            let (line, column) = event.position_of(&text, "slug");
            errors.push(
                Diagnostic::error(
                    &event.origin.path,
                    format!(
                        "the slug `{}` is also used by {}:{}",
                        event.slug, first.origin.path, first.origin.first_line
                    ),
                )
                .at(&text, line, column)
                .with_code(Code::DuplicateSlug)
                .with_hint("give one of the two events a different `slug:`"),
            );
        }
    }
    errors
}

/// An error for each local media file of `events` that is not under
/// `content/`.
pub(super) fn missing_media(events: &[Arc<Event>], inputs: &Inputs<'_>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for event in events {
        for media in event.media.iter().filter(|media| media.local) {
            let expected = format!("content/{}", media.src);
            if media.src.split('/').any(|part| part == ".." || part == ".")
                || !inputs.content_assets.contains(&expected)
            {
                // The file's text is looked up only to quote it in a problem.
                let text = inputs.texts.text_of(&event.origin.path);
                let (line, column) = event.position_of(&text, "src");
                errors.push(
                    Diagnostic::error(
                        &event.origin.path,
                        format!("the media file `{expected}` does not exist"),
                    )
                    .at(&text, line, column)
                    .with_code(Code::MissingMedia)
                    .with_hint(
                        "media paths are relative to `content/`, e.g. `media/photo.jpg` for `content/media/photo.jpg`",
                    ),
                );
            }
        }
    }
    errors
}

/// A warning for each of `events` that cites no sources.
pub(super) fn uncited_events(events: &[Arc<Event>], texts: &dyn SourceTexts) -> Vec<Diagnostic> {
    events
        .iter()
        .filter(|event| event.sources.is_empty())
        .map(|event| {
            let text = texts.text_of(&event.origin.path);
            let (line, column) = event.position_of(&text, "title");
            Diagnostic::warning(
                &event.origin.path,
                format!("the event `{}` cites no sources", event.slug),
            )
            .at(&text, line, column)
            .with_code(Code::NoSources)
            .with_hint("add `sources:` so readers can check the facts")
        })
        .collect()
}

/// An error for each page whose URL is a folder annals uses, or an earlier
/// page's.
pub(super) fn page_slug_clashes(pages: &[Page], texts: &dyn SourceTexts) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut page_slugs: HashMap<&str, &str> = HashMap::default();
    for page in pages {
        let slug = page.slug.as_str();
        let clash = (RESERVED.contains(&slug) || crate::lang::Lang::ALL.iter().any(|lang| lang.code() == slug))
            .then(|| "a folder annals uses".to_string())
            .or_else(|| {
                page_slugs
                    .insert(page.slug.as_str(), &page.path)
                    .map(|other| format!("the page {other}"))
            });
        if let Some(clash) = clash {
            let text = texts.text_of(&page.path);
            let (line, column) = key_position(&text, "slug", 1, usize::MAX);
            errors.push(
                Diagnostic::error(
                    &page.path,
                    format!("the page's URL `{}/` clashes with {clash}", page.slug),
                )
                .at(&text, line, column)
                .with_code(Code::PageSlugClash)
                .with_hint("set a different `slug:`"),
            );
        }
    }
    errors
}

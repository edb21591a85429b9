//! Events: what an author writes about one moment, and how it is read.
//!
//! An event comes from a Markdown file (YAML front matter + body), a YAML
//! file holding one event (body in `body:`), or a YAML file holding
//! `events:`, a list. [`parse_event_file`] turns one file's text into
//! [`Event`]s or into diagnostics pointing at the bad line; it is pure.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::date::{Date, EndDate};
use crate::diagnostic::{Code, Diagnostic};
use crate::fields::{DateField, EndField, OneOrMany, SlugField, SourceField};
use crate::memo::Key;
use crate::parse::frontmatter;
use crate::slug::Slug;
use crate::yaml;

/// The fields an event may have; anything else is an error.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = crate::describe::describe_event)]
pub(crate) struct RawEvent {
    #[schemars(regex(pattern = r"\S"))]
    title: String,
    date: DateField,
    #[serde(default)]
    end: Option<EndField>,
    #[serde(default)]
    display_date: Option<String>,
    #[serde(default)]
    track: Option<SlugField>,
    #[serde(default)]
    #[schemars(inner(regex(pattern = r"\S")))]
    tags: Vec<String>,
    #[serde(default)]
    #[schemars(range(min = 1, max = 5))]
    importance: Option<i64>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    media: OneOrMany<RawMedia>,
    #[serde(default)]
    sources: Vec<SourceField>,
    #[serde(default)]
    slug: Option<SlugField>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    weight: i64,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    body: Option<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = crate::describe::describe_media)]
struct RawMedia {
    #[schemars(regex(pattern = r"\S"))]
    src: String,
    #[serde(default)]
    alt: Option<String>,
    #[serde(default)]
    caption: Option<String>,
    #[serde(default)]
    credit: Option<String>,
    #[serde(default)]
    link: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBatch {
    events: Vec<RawEvent>,
}

pub use crate::parse::media::MediaKind;

/// A picture or other media attached to an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media {
    /// A path inside `content/` (e.g. `media/x.jpg`) or an absolute URL.
    pub src: String,
    /// Whether `src` is a file of the site (copied to the output).
    pub local: bool,
    /// What it is.
    pub kind: MediaKind,
    /// Text alternative (required for images).
    pub alt: Option<String>,
    /// Caption, Markdown.
    pub caption: Option<String>,
    /// Who made it.
    pub credit: Option<String>,
    /// Where it links to.
    pub link: Option<String>,
}

/// Where an event was written: its file and the lines it spans there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file, relative to the site root, with `/` separators.
    pub path: String,
    /// First line of the event's YAML in the file.
    pub first_line: usize,
    /// Last line of the event's YAML in the file.
    pub last_line: usize,
}

/// One event, read and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Its headline.
    pub title: String,
    /// When it happened (or began).
    pub date: Date,
    /// When it ended, for spans.
    pub end: Option<EndDate>,
    /// A printed label that replaces the formatted date.
    pub display_date: Option<String>,
    /// The lane it belongs to.
    pub track: Option<Slug>,
    /// Its tags, as written.
    pub tags: Vec<String>,
    /// 1 (minor) to 5 (turning point).
    pub importance: u8,
    /// Markdown summary; when absent the body's first paragraph is used.
    pub summary: Option<String>,
    /// Markdown body.
    pub body: String,
    /// 1-based line of the file where the body starts (for diagnostics).
    pub body_line: usize,
    /// Pictures and links.
    pub media: Vec<Media>,
    /// Where the facts come from.
    pub sources: Vec<SourceField>,
    /// Its URL name.
    pub slug: Slug,
    /// Whether it is left out of normal builds.
    pub draft: bool,
    /// Tie-break when two events share their dates (lower first).
    pub weight: i64,
    /// Free fields for custom themes.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Where it was written.
    pub origin: Origin,
    /// Where the words laid over it in this language were written, when a
    /// translation gave it a summary or body ([`crate::parse::translation::translate`]).
    pub translation: Option<Box<TranslatedText>>,
    /// Shown in a language it was not written in, for want of a translation.
    pub untranslated: bool,
    /// Identifies what the event says: two events with the same key are
    /// equal, so work done for one can be reused for the other. Made from
    /// its file's text, path and its place in the file ([`event_key`]),
    /// and its translation's ([`crate::parse::translation::translate`]).
    pub key: Key,
    /// The key of what its place in the timeline is made from
    /// ([`Event::place`]), taken once.
    place: DerivedKey,
}

/// The translation file an event's summary or body was taken from. The
/// event's [`Origin`] stays the original's: its slug, date and lines are
/// written there.
#[derive(Debug, Clone, PartialEq)]
pub struct TranslatedText {
    /// The translation file, relative to the site root.
    pub path: String,
    /// Whether the body is the translation's.
    pub body: bool,
    /// Whether the summary is the translation's.
    pub summary: bool,
}

/// A key made from an event's own fields on first use. Being derived, it
/// takes no part in comparing two events.
#[derive(Debug, Clone, Default)]
struct DerivedKey(OnceLock<Key>);

impl PartialEq for DerivedKey {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Event {
    /// The event without its texts (body, summary, media, sources, free
    /// fields): what a render reads of it once its share is made. A
    /// one-shot build keeps this copy for the whole render and lets the
    /// whole event go as soon as its share is made.
    pub fn without_texts(&self) -> Event {
        Event {
            title: self.title.clone(),
            date: self.date,
            end: self.end,
            display_date: self.display_date.clone(),
            track: self.track.clone(),
            tags: self.tags.clone(),
            importance: self.importance,
            summary: None,
            body: String::new(),
            body_line: self.body_line,
            media: Vec::new(),
            sources: Vec::new(),
            slug: self.slug.clone(),
            draft: self.draft,
            weight: self.weight,
            extra: serde_json::Map::new(),
            origin: self.origin.clone(),
            translation: self.translation.clone(),
            untranslated: self.untranslated,
            key: self.key,
            place: self.place.clone(),
        }
    }

    /// The key of what the event's place in the timeline, its slug and its
    /// tags are made from: its date, end, weight, file, line, slug and
    /// tags. Taken on first use and kept with the event, so a rebuild
    /// orders 10,000 unchanged events without hashing their fields again.
    pub fn place(&self) -> Key {
        *self.place.0.get_or_init(|| {
            Key::of(&(
                self.date,
                self.end,
                self.weight,
                &self.origin.path,
                self.origin.first_line,
                &self.slug,
                &self.tags,
            ))
        })
    }

    /// The file its body was written in: its translation's when the body
    /// is translated, else its own.
    pub fn body_file(&self) -> &str {
        match &self.translation {
            Some(words) if words.body => &words.path,
            _ => &self.origin.path,
        }
    }

    /// The file its summary was written in, as [`Event::body_file`] for the body.
    pub fn summary_file(&self) -> &str {
        match &self.translation {
            Some(words) if words.summary => &words.path,
            _ => &self.origin.path,
        }
    }

    /// Where `key:` is written in this event, given its file's `text`
    /// (the event's first line when the key is not written).
    pub fn position_of(&self, text: &str, key: &str) -> (usize, usize) {
        key_position(text, key, self.origin.first_line, self.origin.last_line)
    }
}

/// Reads every event in one file. `path` is relative to the site root.
pub fn parse_event_file(path: &str, text: &str) -> Result<Vec<Event>, Vec<Diagnostic>> {
    if path.ends_with(".md") {
        parse_markdown_event(path, text).map(|event| vec![event])
    } else if has_top_level_key(text, "events") {
        parse_batch(path, text)
    } else {
        parse_yaml_event(path, text).map(|event| vec![event])
    }
}

fn parse_markdown_event(path: &str, text: &str) -> Result<Event, Vec<Diagnostic>> {
    let split = frontmatter::split(text).map_err(|error| {
        vec![Diagnostic::error(path, error.to_string())
            .at(text, 1, 1)
            .with_code(error.code())
            .with_hint("an event file starts with `---`, then `title:` and `date:` lines, then `---`")]
    })?;
    let offset = split.yaml_line - 1;
    let raw: RawEvent = yaml::from_str(split.yaml).map_err(|error| vec![error.into_diagnostic(path, text, offset)])?;
    if raw.body.is_some() {
        let (line, column) = key_position(text, "body", offset + 1, offset + count_lines(split.yaml));
        return Err(vec![Diagnostic::error(
            path,
            "a Markdown event has its body after the front matter, not in `body:`",
        )
        .at(text, line, column)
        .with_code(Code::BodyInFrontMatter)]);
    }
    let origin = Origin {
        path: path.to_string(),
        first_line: split.yaml_line,
        last_line: split.yaml_line + count_lines(split.yaml),
    };
    let body = split.body.to_string();
    let key = event_key(Key::of(text), path, 0);
    resolve(
        raw,
        body,
        split.body_line,
        origin,
        text,
        default_slug_from_path(path),
        key,
    )
}

fn parse_yaml_event(path: &str, text: &str) -> Result<Event, Vec<Diagnostic>> {
    let raw: RawEvent = yaml::from_str(text).map_err(|error| vec![error.into_diagnostic(path, text, 0)])?;
    let body = raw.body.clone().unwrap_or_default();
    let body_line = key_position(text, "body", 1, usize::MAX).0 + 1;
    let origin = Origin {
        path: path.to_string(),
        first_line: 1,
        last_line: count_lines(text),
    };
    let key = event_key(Key::of(text), path, 0);
    resolve(raw, body, body_line, origin, text, default_slug_from_path(path), key)
}

fn parse_batch(path: &str, text: &str) -> Result<Vec<Event>, Vec<Diagnostic>> {
    let batch: RawBatch = yaml::from_str(text).map_err(|error| vec![error.into_diagnostic(path, text, 0)])?;
    let starts = list_item_lines(text);
    let file = Key::of(text);
    let mut events = Vec::new();
    let mut problems = Vec::new();
    for (index, raw) in batch.events.into_iter().enumerate() {
        let first_line = starts.get(index).copied().unwrap_or(1);
        let last_line = starts.get(index + 1).map_or(count_lines(text), |next| next - 1);
        let origin = Origin {
            path: path.to_string(),
            first_line,
            last_line,
        };
        let body = raw.body.clone().unwrap_or_default();
        let body_line = key_position(text, "body", first_line, last_line).0 + 1;
        let fallback = Slug::from_text(&raw.title);
        match resolve(
            raw,
            body,
            body_line,
            origin,
            text,
            fallback,
            event_key(file, path, index),
        ) {
            Ok(event) => events.push(event),
            Err(mut found) => problems.append(&mut found),
        }
    }
    if problems.is_empty() {
        Ok(events)
    } else {
        Err(problems)
    }
}

/// The key of the `index`th event of the file at `path` whose text has the
/// key `file`.
pub fn event_key(file: Key, path: &str, index: usize) -> Key {
    Key::of(&(file, path, index))
}

/// Checks what serde could not, and builds the [`Event`].
fn resolve(
    raw: RawEvent,
    body: String,
    body_line: usize,
    origin: Origin,
    text: &str,
    default_slug: Slug,
    key: Key,
) -> Result<Event, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let at = |key: &str| key_position(text, key, origin.first_line, origin.last_line);
    let error_at = |key: &str, code: Code, message: String| {
        let (line, column) = at(key);
        Diagnostic::error(&origin.path, message)
            .at(text, line, column)
            .with_code(code)
    };
    if raw.title.trim().is_empty() {
        problems.push(error_at("title", Code::EmptyTitle, "the title is empty".to_string()));
    }
    let importance = raw.importance.unwrap_or(3);
    if !(1..=5).contains(&importance) {
        problems.push(error_at(
            "importance",
            Code::ImportanceOutOfRange,
            format!("importance is {importance}, but it must be from 1 to 5"),
        ));
    }
    if let Some(EndField(EndDate::On(end))) = raw.end {
        if end < raw.date.0 && !end.covers(&raw.date.0) {
            problems.push(
                error_at(
                    "end",
                    Code::EndBeforeStart,
                    format!(
                        "the event ends ({}) before it starts ({})",
                        end.machine(),
                        raw.date.0.machine()
                    ),
                )
                .with_hint("swap `date` and `end`, or fix the typo"),
            );
        }
    }
    let mut media = Vec::new();
    for item in raw.media.0 {
        match resolve_media(item) {
            Ok(item) => media.push(item),
            Err((code, message)) => problems.push(error_at("media", code, message)),
        }
    }
    let mut tags: Vec<String> = Vec::new();
    for tag in raw.tags {
        let tag = tag.trim().to_string();
        if tag.is_empty() {
            problems.push(error_at("tags", Code::EmptyTag, "a tag is empty".to_string()));
        } else if !tags.iter().any(|known| Slug::from_text(known) == Slug::from_text(&tag)) {
            // "Deep Learning" and "deep-learning" are one tag page; list it once.
            tags.push(tag);
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Event {
        title: raw.title.trim().to_string(),
        date: raw.date.0,
        end: raw.end.map(|end| end.0),
        display_date: raw.display_date.filter(|label| !label.trim().is_empty()),
        track: raw.track.map(|track| track.0),
        tags,
        importance: importance as u8,
        summary: raw.summary,
        body,
        body_line,
        media,
        sources: raw.sources,
        slug: raw.slug.map(|slug| slug.0).unwrap_or(default_slug),
        draft: raw.draft,
        weight: raw.weight,
        extra: raw.extra,
        origin,
        translation: None,
        untranslated: false,
        key,
        place: DerivedKey::default(),
    })
}

/// A media item, or the code and message of what is wrong with it.
fn resolve_media(raw: RawMedia) -> Result<Media, (Code, String)> {
    let src = raw.src.trim().to_string();
    if src.is_empty() {
        return Err((Code::EmptyMediaSrc, "a media item has an empty `src`".to_string()));
    }
    // Anything with a scheme (https:, but also javascript:) is not a file of
    // the site; unsafe schemes are neutralised when rendered.
    let local = crate::parse::markdown::is_site_relative(&src);
    let kind = MediaKind::of(&src);
    let alt = raw.alt.filter(|alt| !alt.trim().is_empty());
    if kind == MediaKind::Image && alt.is_none() {
        return Err((
            Code::ImageWithoutAlt,
            format!("the image `{src}` has no `alt` text; describe it for readers who cannot see it"),
        ));
    }
    Ok(Media {
        src: src.trim_start_matches('/').to_string(),
        local,
        kind,
        alt,
        caption: raw.caption,
        credit: raw.credit,
        link: raw.link,
    })
}

/// `content/events/2013-12-09-fair-founded.md` → `fair-founded`.
pub fn default_slug_from_path(path: &str) -> Slug {
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
    let mut rest = stem;
    // Strip up to three leading numeric groups: YYYY-, YYYY-MM-, YYYY-MM-DD-.
    for _ in 0..3 {
        match rest.split_once('-') {
            Some((digits, tail))
                if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && !tail.is_empty() =>
            {
                rest = tail
            }
            _ => break,
        }
    }
    Slug::from_text(rest)
}

/// Where `key:` is written between two lines of `text` (1-based, inclusive);
/// falls back to the first line when the key is not written there.
pub fn key_position(text: &str, key: &str, first_line: usize, last_line: usize) -> (usize, usize) {
    let skip = first_line.saturating_sub(1);
    let window: String = text
        .lines()
        .skip(skip)
        .take(last_line.saturating_sub(skip))
        .collect::<Vec<_>>()
        .join("\n");
    match yaml::locate_key(&window, key, 0) {
        Some((line, column)) => (line + skip, column),
        None => (first_line.max(1), 1),
    }
}

fn count_lines(text: &str) -> usize {
    text.lines().count().max(1)
}

fn has_top_level_key(text: &str, key: &str) -> bool {
    text.lines().any(|line| {
        line.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })
}

/// 1-based lines on which the items of the first top-level list start.
fn list_item_lines(text: &str) -> Vec<usize> {
    let mut indent = None;
    let mut starts = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let here = line.len() - trimmed.len();
        if trimmed.starts_with("- ") || trimmed == "-" {
            match indent {
                None => {
                    indent = Some(here);
                    starts.push(index + 1);
                }
                Some(expected) if expected == here => starts.push(index + 1),
                _ => {}
            }
        }
    }
    starts
}

#[cfg(test)]
mod tests;

//! Translations of content: `foo.zh.md` is the Chinese version of
//! `foo.md`, `batch.zh.yaml` of `batch.yaml` (its events matched by slug).
//!
//! A translated event holds only what changes with the language — title,
//! display date, summary, body, and the words of its sources and media;
//! everything else (dates, track, tags, slug, addresses) comes from the
//! original, so the two can never disagree on facts. Pages and the intro
//! are translated whole. An event or page with no translation is shown in
//! the default language and marked as such.

use serde::Deserialize;

use crate::diagnostic::{Code, Diagnostic};
use crate::fields::{OneOrMany, SlugField};
use crate::lang::Lang;
use crate::memo::Key;
use crate::parse::event::{event_key, key_position, Event, TranslatedText};
use crate::parse::frontmatter;
use crate::slug::Slug;
use crate::yaml;

/// If `path` is a translation (`content/events/x.zh.md`), the original's
/// path and the language.
pub fn translation_of(path: &str) -> Option<(String, Lang)> {
    let (stem, extension) = path.rsplit_once('.')?;
    let (base, code) = stem.rsplit_once('.')?;
    if base.ends_with('/') || code.contains('/') {
        return None;
    }
    let lang = code.parse::<Lang>().ok()?;
    (code == lang.code()).then(|| (format!("{base}.{extension}"), lang))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSourceWords {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    publisher: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMediaWords {
    #[serde(default)]
    alt: Option<String>,
    #[serde(default)]
    caption: Option<String>,
    #[serde(default)]
    credit: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEventWords {
    #[serde(default)]
    slug: Option<SlugField>,
    title: String,
    #[serde(default)]
    display_date: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    sources: Vec<RawSourceWords>,
    #[serde(default)]
    media: OneOrMany<RawMediaWords>,
    #[serde(default)]
    body: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBatchWords {
    events: Vec<RawEventWords>,
}

/// The words of one event in another language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventWords {
    /// Which event of a batch file (by slug); `None` in single-event files.
    pub slug: Option<Slug>,
    /// The translated title.
    pub title: String,
    /// The translated date label.
    pub display_date: Option<String>,
    /// The translated summary.
    pub summary: Option<String>,
    /// Source titles and publishers, in the original's order.
    pub sources: Vec<(Option<String>, Option<String>)>,
    /// Media alt, caption and credit, in the original's order.
    pub media: Vec<(Option<String>, Option<String>, Option<String>)>,
    /// The translated body, if translated.
    pub body: Option<String>,
    /// 1-based line where the body starts in the translation file.
    pub body_line: usize,
    /// The translation file.
    pub path: String,
    /// Identifies these words, as [`Event::key`] does an event.
    pub key: Key,
}

fn words(raw: RawEventWords, path: &str, body: Option<String>, body_line: usize, key: Key) -> EventWords {
    EventWords {
        slug: raw.slug.map(|slug| slug.0),
        title: raw.title,
        display_date: raw.display_date,
        summary: raw.summary,
        sources: raw.sources.into_iter().map(|s| (s.title, s.publisher)).collect(),
        media: raw.media.0.into_iter().map(|m| (m.alt, m.caption, m.credit)).collect(),
        body: body.or(raw.body),
        body_line,
        path: path.to_string(),
        key,
    }
}

fn yaml_error(path: &str, text: &str, offset: usize, error: yaml::YamlError) -> Vec<Diagnostic> {
    vec![error.into_diagnostic(path, text, offset)]
}

/// Reads a translation of an event file.
pub fn parse_event_words(path: &str, text: &str) -> Result<Vec<EventWords>, Vec<Diagnostic>> {
    let file = Key::of(text);
    if path.ends_with(".md") {
        let split = frontmatter::split(text).map_err(|error| {
            vec![Diagnostic::error(path, error.to_string())
                .at(text, 1, 1)
                .with_code(error.code())]
        })?;
        let raw: RawEventWords =
            yaml::from_str(split.yaml).map_err(|error| yaml_error(path, text, split.yaml_line - 1, error))?;
        return Ok(vec![words(
            raw,
            path,
            Some(split.body.to_string()),
            split.body_line,
            event_key(file, path, 0),
        )]);
    }
    let batch = text.lines().any(|line| {
        line.strip_prefix("events")
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    });
    if batch {
        let raw: RawBatchWords = yaml::from_str(text).map_err(|error| yaml_error(path, text, 0, error))?;
        let mut found = Vec::new();
        for (index, item) in raw.events.into_iter().enumerate() {
            if item.slug.is_none() {
                return Err(vec![Diagnostic::error(
                    path,
                    "each translated event of a batch file needs the `slug:` of the event it translates",
                )
                .with_code(Code::TranslationWithoutSlug)]);
            }
            let line = key_position(text, "body", 1, usize::MAX).0 + 1;
            found.push(words(item, path, None, line, event_key(file, path, index)));
        }
        Ok(found)
    } else {
        let raw: RawEventWords = yaml::from_str(text).map_err(|error| yaml_error(path, text, 0, error))?;
        let line = key_position(text, "body", 1, usize::MAX).0 + 1;
        Ok(vec![words(raw, path, None, line, event_key(file, path, 0))])
    }
}

/// The event in another language: `words` laid over the original.
pub fn translate(event: &Event, words: &EventWords) -> Event {
    let mut translated = event.clone();
    translated.key = Key::of(&(event.key, words.key));
    translated.title = words.title.trim().to_string();
    if words.display_date.is_some() {
        translated.display_date = words.display_date.clone();
    }
    let mut text = TranslatedText {
        path: words.path.clone(),
        body: false,
        summary: false,
    };
    if words.summary.is_some() {
        translated.summary = words.summary.clone();
        text.summary = true;
    }
    if let Some(body) = words.body.as_ref().filter(|body| !body.trim().is_empty()) {
        translated.body = body.clone();
        translated.body_line = words.body_line;
        text.body = true;
    }
    if text.body || text.summary {
        translated.translation = Some(Box::new(text));
    }
    for (source, (title, publisher)) in translated.sources.iter_mut().zip(&words.sources) {
        if title.is_some() {
            source.title = title.clone();
            source.title_translated = true;
        }
        if publisher.is_some() {
            source.publisher = publisher.clone();
            source.publisher_translated = true;
        }
    }
    for (media, (alt, caption, credit)) in translated.media.iter_mut().zip(&words.media) {
        if alt.is_some() {
            media.alt = alt.clone();
        }
        if caption.is_some() {
            media.caption = caption.clone();
        }
        if credit.is_some() {
            media.credit = credit.clone();
        }
    }
    translated.untranslated = false;
    translated
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::event::parse_event_file;

    #[test]
    fn translation_files_are_recognised_by_their_language_suffix() {
        assert_eq!(
            translation_of("content/events/2013-fair.zh.md"),
            Some(("content/events/2013-fair.md".to_string(), Lang::Zh))
        );
        assert_eq!(
            translation_of("content/events/jobs.zh.yaml"),
            Some(("content/events/jobs.yaml".to_string(), Lang::Zh))
        );
        assert_eq!(translation_of("content/events/v1.5.md"), None);
        assert_eq!(translation_of("content/events/2013-fair.md"), None);
        assert_eq!(translation_of("content/events/.zh.md"), None);
    }

    #[test]
    fn words_replace_only_what_changes_with_the_language() {
        let original = parse_event_file(
            "content/events/x.md",
            "---\ntitle: FAIR founded\ndate: 2013-12-09\ntags: [fair]\nsources:\n  - title: Release\n    publisher: NYU\n    url: https://e.org/\n---\nBody.\n",
        )
        .unwrap()
        .remove(0);
        let words = parse_event_words(
            "content/events/x.zh.md",
            "---\ntitle: FAIR成立\nsources:\n  - publisher: 纽约大学\n---\n正文。\n",
        )
        .unwrap()
        .remove(0);
        let translated = translate(&original, &words);
        assert_eq!(translated.title, "FAIR成立");
        assert_eq!(translated.body, "正文。\n");
        assert_eq!(translated.date, original.date);
        assert_eq!(translated.tags, original.tags);
        assert_eq!(translated.sources[0].title.as_deref(), Some("Release"));
        assert_eq!(translated.sources[0].publisher.as_deref(), Some("纽约大学"));
        assert_eq!(translated.sources[0].url, original.sources[0].url);
    }

    #[test]
    fn facts_cannot_be_changed_in_a_translation() {
        let errors = parse_event_words("content/events/x.zh.md", "---\ntitle: X\ndate: 2014\n---\n").unwrap_err();
        assert!(
            errors[0].message.contains("unknown key `date`"),
            "{}",
            errors[0].message
        );
        assert_eq!(errors[0].line, 3);
    }
}

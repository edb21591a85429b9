//! The parse stage of a build, over every content file at once: each file
//! parsed in parallel (or taken from the memo table of parses), sorted
//! into events, pages, the intro and translations, with the files that
//! failed noted so that what refers to them is not reported twice.

use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::hashing::{HashMap, HashSet};
use crate::lang::Lang;
use crate::load::{SiteFiles, TextFile};
use crate::memo::{Key, Memo};
use crate::parse::event::{self, Event};
use crate::parse::page::{self, Intro, Page, INTRO_FILE, PAGES_DIR};
use crate::parse::translation::{self, EventWords};
use crate::slug::Slug;

/// What one content file holds, once parsed.
#[derive(Debug, Clone)]
pub(super) enum Parsed {
    /// Events, shared: a rebuild takes unchanged ones as they are.
    Events(Vec<Arc<Event>>),
    Page(Page),
    Intro(Intro),
    /// A translation of the event file at the path, into the language.
    EventWords(String, Lang, Vec<EventWords>),
    /// A translated page, and the path of the original.
    PageWords(String, Lang, Page),
    /// A translated intro.
    IntroWords(Lang, Intro),
}

pub(super) type ParseOutcome = std::result::Result<Parsed, Vec<Diagnostic>>;

/// The key of a file's parse: its path and its text.
fn parse_key(file: &TextFile) -> Key {
    Key::of(&(&file.path, file.key))
}

/// Parses one content file.
fn parse_file(path: &str, text: &str) -> ParseOutcome {
    if let Some((original, lang)) = translation::translation_of(path) {
        let one = |diagnostic| vec![diagnostic];
        return if original == INTRO_FILE {
            page::parse_intro(path, text)
                .map(|intro| Parsed::IntroWords(lang, intro))
                .map_err(one)
        } else if original.starts_with(PAGES_DIR) && original.ends_with(".md") {
            page::parse_page(path, text)
                .map(|page| Parsed::PageWords(original, lang, page))
                .map_err(one)
        } else {
            translation::parse_event_words(path, text).map(|words| Parsed::EventWords(original, lang, words))
        };
    }
    if path == INTRO_FILE {
        page::parse_intro(path, text).map(Parsed::Intro).map_err(|d| vec![d])
    } else if path.starts_with(PAGES_DIR) && path.ends_with(".md") {
        page::parse_page(path, text).map(Parsed::Page).map_err(|d| vec![d])
    } else {
        event::parse_event_file(path, text).map(|events| Parsed::Events(events.into_iter().map(Arc::new).collect()))
    }
}

/// The content of one language: originals with translations laid over them.
#[derive(Default)]
pub(super) struct Translations {
    pub events: HashMap<(String, Option<Slug>), EventWords>,
    pub pages: HashMap<String, Page>,
    pub intro: Option<Intro>,
}

/// Every content file, parsed and sorted.
pub(super) struct Content<'a> {
    pub events: Vec<Arc<Event>>,
    pub pages: Vec<Page>,
    pub intro: Intro,
    /// The translations, by language.
    pub translations: HashMap<Lang, Translations>,
    /// Files that failed to be read or parsed: what refers to them is not
    /// wrong.
    pub broken: HashSet<&'a str>,
    /// Every problem so far, the loader's first.
    pub problems: Vec<Diagnostic>,
}

/// Parses every content file of `files`, from the table where it can.
pub(super) fn parse_all<'a>(
    config: &Config,
    files: &'a SiteFiles,
    parsed_files: &mut Memo<Arc<ParseOutcome>>,
) -> Content<'a> {
    let mut problems = files.problems.clone();
    // Each file's parse, and whether it was parsed anew.
    let parsed: Vec<(&str, Arc<ParseOutcome>, bool)> = files
        .texts
        .par_iter()
        .map(|file| match parsed_files.peek(parse_key(file)) {
            Some(outcome) => (file.path.as_str(), Arc::clone(outcome), true),
            None => (file.path.as_str(), Arc::new(parse_file(&file.path, &file.text)), false),
        })
        .collect();
    let mut events = Vec::new();
    let mut pages = Vec::new();
    let mut intro = Intro::default();
    let mut translations: HashMap<Lang, Translations> = HashMap::default();
    // Files that failed to be read or parsed: what refers to them is not wrong.
    let mut broken: HashSet<&str> = files
        .problems
        .iter()
        .filter(|problem| problem.is_error())
        .map(|problem| problem.path.as_str())
        .collect();
    for (at, (path, outcome, found)) in parsed.into_iter().enumerate() {
        let unknown_language = |lang: Lang| {
            let why = if lang == config.default_language() {
                format!("`{lang}` is the site's default language, so the original is already in it")
            } else {
                format!("`{lang}` is not in `languages` in site.yaml")
            };
            Diagnostic::warning(path, format!("this translation is ignored: {why}")).with_code(Code::TranslationIgnored)
        };
        match found {
            true => parsed_files.found(parse_key(&files.texts[at])),
            false => parsed_files.made(parse_key(&files.texts[at]), &outcome),
        }
        match outcome.as_ref() {
            Ok(Parsed::Events(found)) => events.extend(found.iter().cloned()),
            Ok(Parsed::Page(page)) => pages.push(page.clone()),
            Ok(Parsed::Intro(found)) => intro = found.clone(),
            Ok(Parsed::EventWords(_, lang, _) | Parsed::PageWords(_, lang, _) | Parsed::IntroWords(lang, _))
                if !config.languages.contains(lang) || *lang == config.default_language() =>
            {
                problems.push(unknown_language(*lang));
            }
            Ok(Parsed::EventWords(original, lang, words)) => {
                let entry = translations.entry(*lang).or_default();
                for item in words {
                    entry.events.insert((original.clone(), item.slug.clone()), item.clone());
                }
            }
            Ok(Parsed::PageWords(original, lang, page)) => {
                translations
                    .entry(*lang)
                    .or_default()
                    .pages
                    .insert(original.clone(), page.clone());
            }
            Ok(Parsed::IntroWords(lang, found)) => translations.entry(*lang).or_default().intro = Some(found.clone()),
            Err(found) => {
                broken.insert(path);
                problems.extend(found.iter().cloned());
            }
        }
    }
    parsed_files.end_build();
    Content {
        events,
        pages,
        intro,
        translations,
        broken,
        problems,
    }
}

/// A warning for each translation with nothing to translate.
pub(super) fn orphan_translations(
    translations: &HashMap<Lang, Translations>,
    events: &[Arc<Event>],
    pages: &[Page],
    broken: &HashSet<&str>,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for words in translations.values() {
        let events_here = words
            .events
            .iter()
            .filter(|((original, _), _)| !broken.contains(original.as_str()));
        for ((original, slug), found) in events_here {
            let exists = events
                .iter()
                .any(|event| &event.origin.path == original && slug.as_ref().is_none_or(|slug| &event.slug == slug));
            if !exists {
                let what = match slug {
                    Some(slug) => format!("no event with the slug `{slug}` in `{original}`"),
                    None => format!("`{original}` does not exist"),
                };
                problems.push(
                    Diagnostic::warning(&found.path, format!("this translation is ignored: {what}"))
                        .with_code(Code::TranslationIgnored),
                );
            }
        }
        for original in words
            .pages
            .keys()
            .filter(|original| !broken.contains(original.as_str()) && !pages.iter().any(|page| &page.path == *original))
        {
            problems.push(
                Diagnostic::warning(
                    original.as_str(),
                    "a translation of this page exists, but the page does not",
                )
                .with_code(Code::TranslationWithoutOriginal),
            );
        }
    }
    problems
}

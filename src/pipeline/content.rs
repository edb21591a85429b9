//! The parse stage of a build, over every content file at once: each file
//! parsed in parallel (or taken from the memo table of parses), sorted
//! into events, pages, the intro and translations, with the files that
//! failed noted so that what refers to them is not reported twice. A
//! one-shot build lets each text go as soon as it is parsed
//! ([`parse_each_letting_go`]); what the lint needs of every text (which
//! files under `content/` it mentions) is found on the way.

use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::hashing::{HashMap, HashSet};
use crate::lang::Lang;
use crate::load::{SiteFiles, TextFile};
use crate::memo::{Key, Memo};
use crate::model::lint;
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

/// One content file's parse, and the files under `content/` it mentions.
pub(super) struct ParsedFile<'a> {
    outcome: Arc<ParseOutcome>,
    /// Whether the parse came from the memo table.
    found: bool,
    mentions: Vec<&'a str>,
}

/// Parses `file`, from the table where it can; `mentionable` are the
/// files under `content/` its text may mention.
fn parse_one<'a>(file: &TextFile, table: &Memo<Arc<ParseOutcome>>, mentionable: &[&'a str]) -> ParsedFile<'a> {
    let (outcome, found) = match table.peek(parse_key(file)) {
        Some(outcome) => (Arc::clone(outcome), true),
        None => (Arc::new(parse_file(&file.path, &file.text)), false),
    };
    ParsedFile {
        outcome,
        found,
        mentions: lint::mentioned_in(&file.text, mentionable),
    }
}

/// Parses every file of `texts` in parallel, from the table where it can.
pub(super) fn parse_each<'a>(
    texts: &[TextFile],
    table: &Memo<Arc<ParseOutcome>>,
    mentionable: &[&'a str],
) -> Vec<ParsedFile<'a>> {
    texts
        .par_iter()
        .map(|file| parse_one(file, table, mentionable))
        .collect()
}

/// [`parse_each`], letting each text go once it is parsed — unless its
/// parse failed: the slugs it would have held are looked for in it.
pub(super) fn parse_each_letting_go<'a>(
    texts: &mut [TextFile],
    table: &Memo<Arc<ParseOutcome>>,
    mentionable: &[&'a str],
) -> Vec<ParsedFile<'a>> {
    texts
        .par_iter_mut()
        .map(|file| {
            let parsed = parse_one(file, table, mentionable);
            if parsed.outcome.is_ok() {
                file.let_go();
            }
            parsed
        })
        .collect()
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
    /// The files under `content/` some content text mentions.
    pub mentioned: HashSet<&'a str>,
}

/// Sorts the parse of each of `files`' texts (`parsed`, in their order),
/// noting in the table which parses were found and which made.
pub(super) fn sort_parsed<'a>(
    config: &Config,
    files: &'a SiteFiles,
    parsed: Vec<ParsedFile<'a>>,
    parsed_files: &mut Memo<Arc<ParseOutcome>>,
) -> Content<'a> {
    let mut problems = files.problems.clone();
    let mut mentioned = HashSet::default();
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
    for (file, parsed) in files.texts.iter().zip(parsed) {
        let ParsedFile {
            outcome,
            found,
            mentions,
        } = parsed;
        let path = file.path.as_str();
        mentioned.extend(mentions);
        let unknown_language = |lang: Lang| {
            let why = if lang == config.default_language() {
                format!("`{lang}` is the site's default language, so the original is already in it")
            } else {
                format!("`{lang}` is not in `languages` in site.yaml")
            };
            Diagnostic::warning(path, format!("this translation is ignored: {why}")).with_code(Code::TranslationIgnored)
        };
        match found {
            true => parsed_files.found(parse_key(file)),
            false => parsed_files.made(parse_key(file), &outcome),
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
        mentioned,
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

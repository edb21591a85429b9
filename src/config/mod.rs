//! `site.yaml`: the site's settings, read in two stages.
//!
//! `RawConfig` mirrors the file exactly (unknown keys are errors); it is
//! then resolved into a [`Config`] with parsed dates, checked colours and
//! slugs, and defaults filled in. Command-line flags override the file
//! afterwards (see [`Config::with_base_url`]).

use serde::Deserialize;

use crate::date::{Date, EndDate};
use crate::diagnostic::Diagnostic;
use crate::fields::{ColourField, DateField, EndField, SlugField};
use crate::lang::Lang;
use crate::slug::Slug;
use crate::yaml;

mod resolve;

use resolve::resolve;

/// The file name of the settings, at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// Which way the timeline runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Oldest first.
    #[default]
    Ascending,
    /// Newest first.
    Descending,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = crate::describe::describe_site)]
pub(crate) struct RawConfig {
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    #[schemars(schema_with = "crate::describe::language")]
    language: Option<String>,
    #[serde(default)]
    #[schemars(schema_with = "crate::describe::languages")]
    languages: Option<Vec<String>>,
    #[serde(default)]
    #[schemars(transform = crate::describe::language_keys)]
    translations: std::collections::BTreeMap<String, RawSiteTranslation>,
    #[serde(default)]
    #[schemars(regex(pattern = r"^https?://"))]
    base_url: Option<String>,
    #[serde(default)]
    theme: Option<String>,
    #[serde(default)]
    output_dir: Option<String>,
    #[serde(default)]
    order: Order,
    #[serde(default)]
    eras: Vec<RawEra>,
    #[serde(default)]
    tracks: Vec<RawTrack>,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    #[schemars(inner(regex(pattern = r"^(?:(?:[^/\\.][^/\\]*|\.[^/\\.][^/\\]*|\.\.[^/\\]+)/)*[^/\\]*\.css$")))]
    stylesheets: Vec<String>,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = crate::describe::describe_era)]
struct RawEra {
    title: String,
    start: DateField,
    #[serde(default)]
    end: Option<EndField>,
    #[serde(default, alias = "color")]
    colour: Option<ColourField>,
    #[serde(default)]
    slug: Option<SlugField>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = crate::describe::describe_track)]
struct RawTrack {
    id: SlugField,
    #[serde(default)]
    title: Option<String>,
    #[serde(default, alias = "color")]
    colour: Option<ColourField>,
    #[serde(default)]
    order: Option<i64>,
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = crate::describe::describe_translation)]
struct RawSiteTranslation {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    eras: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    tracks: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    tags: std::collections::BTreeMap<String, String>,
}

/// The site's own words in another language: its title and description,
/// and the names of eras, tracks and tags (by slug).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SiteTranslation {
    /// The title in that language.
    pub title: Option<String>,
    /// The description in that language.
    pub description: Option<String>,
    /// Era names by era slug.
    pub eras: std::collections::BTreeMap<String, String>,
    /// Track names by track id.
    pub tracks: std::collections::BTreeMap<String, String>,
    /// Tag names by tag slug (a key written as a tag name, `Deep Learning`,
    /// is read as its slug, `deep-learning`).
    pub tags: std::collections::BTreeMap<String, String>,
}

/// A key of an `eras`, `tracks` or `tags` map under `translations:`, and
/// where `site.yaml` writes it, so that a key that names nothing can be
/// pointed at once the site's tags are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TranslatedName {
    /// The language it translates into.
    pub lang: Lang,
    /// `eras`, `tracks` or `tags`.
    pub section: &'static str,
    /// The key as written.
    pub key: String,
    /// The 1-based line and column of the key (of its section, or of
    /// `translations:`, when written in a flow map that cannot be pinned).
    pub line: usize,
    /// See `line`.
    pub column: usize,
    /// The text of that line, for the source frame.
    pub source_line: String,
}

impl TranslatedName {
    /// A warning about this key, pointing at it in `site.yaml`.
    pub fn warning(&self, message: impl Into<String>) -> Diagnostic {
        let mut diagnostic = Diagnostic::warning(CONFIG_FILE, message).at(&self.source_line, 1, self.column);
        diagnostic.line = self.line;
        diagnostic
    }
}

#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = crate::describe::describe_markdown)]
struct RawMarkdown {
    #[serde(default)]
    unsafe_html: bool,
}

/// A period that frames events (e.g. "Bell Labs, 1988–1996").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Era {
    /// Its URL name.
    pub slug: Slug,
    /// Its name.
    pub title: String,
    /// When it begins.
    pub start: Date,
    /// When it ends, or `None` when open-ended.
    pub end: Option<EndDate>,
    /// Its colour on the timeline.
    pub colour: Option<String>,
}

/// A lane of related events (e.g. "Research").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Track {
    /// Its identifier, as events name it in `track:`.
    pub id: Slug,
    /// Its name.
    pub title: String,
    /// Its colour on the timeline.
    pub colour: Option<String>,
    /// Position among tracks (lower first).
    pub order: i64,
}

/// A stylesheet of the site's own, from `stylesheets:`, linked on every
/// page after the theme's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stylesheet {
    /// Its path under `static/`, which is also its path in the output
    /// (before the fingerprint is added).
    pub path: String,
    /// The 1-based line and column where `site.yaml` names it.
    pub line: usize,
    /// See `line`.
    pub column: usize,
    /// The text of that line, for the source frame of an error.
    pub source_line: String,
}

impl Stylesheet {
    /// An error about this stylesheet, pointing at its entry in `site.yaml`.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        let mut diagnostic = Diagnostic::error(CONFIG_FILE, message).at(&self.source_line, 1, self.column);
        diagnostic.line = self.line;
        diagnostic
    }
}

/// The resolved settings of a site.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The site's title.
    pub title: String,
    /// One-sentence description for feeds and search engines.
    pub description: String,
    /// The language of the content and interface (of this build, for a
    /// multilingual site).
    pub language: Lang,
    /// Every language of the site; the first is the default, published at
    /// the root, the others under `/<code>/`.
    pub languages: Vec<Lang>,
    /// The site's words in languages other than the default.
    pub translations: std::collections::BTreeMap<Lang, SiteTranslation>,
    /// Every key of the translated era, track and tag names, with its place.
    pub translated_names: Vec<TranslatedName>,
    /// The tags' names in this build's language, by slug: from
    /// `translations:` (set by [`Config::for_language`]); a tag not named
    /// there keeps the name its events give it.
    pub tag_names: std::collections::BTreeMap<String, String>,
    /// The absolute URL where the site is published, ending in `/`.
    pub base_url: Option<String>,
    /// The theme's name (a folder under `themes/`, or the built-in `default`).
    pub theme: String,
    /// The output folder, relative to the site root.
    pub output_dir: String,
    /// Which way the timeline runs.
    pub order: Order,
    /// The eras, as declared.
    pub eras: Vec<Era>,
    /// The declared tracks, sorted by `order` then declaration.
    pub tracks: Vec<Track>,
    /// Whether raw HTML in Markdown passes through (trusting the authors).
    pub unsafe_html: bool,
    /// The site's own stylesheets, in the order they are linked.
    pub stylesheets: Vec<Stylesheet>,
    /// Free settings for custom themes.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Config {
    /// Reads `site.yaml` text; problems are reported against [`CONFIG_FILE`].
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = yaml::from_str(text).map_err(|error| vec![error.into_diagnostic(CONFIG_FILE, text, 0)])?;
        resolve(raw, text)
    }

    /// The settings for building the `lang` version of the site: its
    /// language, and its title, description, era and track names translated
    /// where `translations` has them.
    pub fn for_language(&self, lang: Lang) -> Config {
        let mut config = self.clone();
        config.language = lang;
        if let Some(words) = self.translations.get(&lang) {
            if let Some(title) = &words.title {
                config.title = title.clone();
            }
            if let Some(description) = &words.description {
                config.description = description.clone();
            }
            for era in &mut config.eras {
                if let Some(title) = words.eras.get(era.slug.as_str()) {
                    era.title = title.clone();
                }
            }
            for track in &mut config.tracks {
                if let Some(title) = words.tracks.get(track.id.as_str()) {
                    track.title = title.clone();
                }
            }
            config.tag_names = words.tags.clone();
        }
        config
    }

    /// The default language (published at the root).
    pub fn default_language(&self) -> Lang {
        self.languages.first().copied().unwrap_or(self.language)
    }

    /// Replaces the base URL (from `--base-url`), normalised to end in `/`.
    pub fn with_base_url(mut self, base_url: Option<String>) -> Config {
        if let Some(url) = base_url {
            self.base_url = Some(normalise_base_url(&url));
        }
        self
    }
}

fn normalise_base_url(url: &str) -> String {
    let trimmed = url.trim();
    if trimmed.ends_with('/') {
        trimmed.to_string()
    } else {
        format!("{trimmed}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_minimal_file_gets_the_defaults() {
        let config = Config::parse("title: T\n").unwrap();
        assert_eq!(config.language, Lang::En);
        assert_eq!(config.output_dir, "public");
        assert_eq!(config.theme, "default");
        assert_eq!(config.order, Order::Ascending);
        assert!(!config.unsafe_html);
    }

    #[test]
    fn eras_and_tracks_are_resolved() {
        let text = "title: T\nlanguage: zh\nbase_url: https://x.org/a\neras:\n  - title: Bell Labs\n    start: 1988\n    end: 1996\n  - title: NYU\n    start: 2003\n    end: ..\ntracks:\n  - id: research\n    colour: \"#123456\"\n    order: 2\n  - id: career\n    title: Career\n    order: 1\n";
        let config = Config::parse(text).unwrap();
        assert_eq!(config.language, Lang::Zh);
        assert_eq!(config.base_url.as_deref(), Some("https://x.org/a/"));
        assert_eq!(config.eras[0].slug.as_str(), "bell-labs");
        assert_eq!(config.eras[1].end, Some(EndDate::Ongoing));
        assert_eq!(config.tracks[0].id.as_str(), "career");
        assert_eq!(config.tracks[1].title, "research");
        assert_eq!(config.tracks[1].colour.as_deref(), Some("#123456"));
    }

    #[test]
    fn unknown_keys_are_errors_with_a_hint() {
        let errors = Config::parse("title: T\ndescriptoin: x\n").unwrap_err();
        assert_eq!(errors[0].line, 2);
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `description`?"));
    }

    #[test]
    fn stylesheets_are_paths_under_static_pinned_to_their_line() {
        let config = Config::parse("title: T\nstylesheets:\n  - brand.css\n  - css/print.css\n").unwrap();
        let found: Vec<_> = config
            .stylesheets
            .iter()
            .map(|sheet| (sheet.path.as_str(), sheet.line, sheet.column))
            .collect();
        assert_eq!(found, [("brand.css", 3, 5), ("css/print.css", 4, 5)]);
        for bad in ["../x.css", "/etc/x.css", "a//b.css", "brand.scss"] {
            let errors = Config::parse(&format!("title: T\nstylesheets: [ok.css, \"{bad}\"]\n")).unwrap_err();
            assert_eq!((errors[0].line, errors[0].path.as_str()), (2, CONFIG_FILE), "{bad}");
        }
    }

    #[test]
    fn tag_names_are_translated_by_slug_and_each_key_is_pinned_to_its_line() {
        let text = "title: T\nlanguages: [en, zh]\ntranslations:\n  zh:\n    eras:\n      awards: 时期\n    tags:\n      awards: 奖项\n      \"Deep Learning\": 深度学习\n";
        let config = Config::parse(text).unwrap();
        let zh = config.for_language(Lang::Zh);
        assert_eq!(zh.tag_names.get("awards").map(String::as_str), Some("奖项"));
        assert_eq!(zh.tag_names.get("deep-learning").map(String::as_str), Some("深度学习"));
        assert!(config.for_language(Lang::En).tag_names.is_empty());
        let places: Vec<_> = config
            .translated_names
            .iter()
            .map(|name| (name.section, name.key.as_str(), name.line, name.column))
            .collect();
        // The tag `awards` is found below `tags:`, not at the era of that name.
        assert_eq!(
            places,
            [
                ("eras", "awards", 6, 7),
                ("tags", "Deep Learning", 9, 7),
                ("tags", "awards", 8, 7)
            ]
        );
    }

    #[test]
    fn a_misspelt_key_under_translations_is_an_error_at_its_line_with_a_hint() {
        let errors =
            Config::parse("title: T\nlanguages: [en, zh]\ntranslations:\n  zh:\n    tag:\n      awards: 奖项\n")
                .unwrap_err();
        assert_eq!((errors[0].line, errors[0].column), (5, 5));
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `tags`?"));
    }

    #[test]
    fn bad_values_point_at_their_line() {
        let errors = Config::parse("title: T\nlanguage: klingon\n").unwrap_err();
        assert_eq!(errors[0].line, 2);
        let errors = Config::parse("title: T\ntracks:\n  - id: Research Lab\n").unwrap_err();
        assert_eq!(errors[0].line, 3);
        let errors = Config::parse("title: T\neras:\n  - title: x\n    start: 2024-13\n").unwrap_err();
        assert_eq!(errors[0].line, 4);
        let errors = Config::parse("title: T\ntracks:\n  - id: a\n    colour: \"red;}\"\n").unwrap_err();
        assert_eq!(errors[0].line, 4);
    }
}

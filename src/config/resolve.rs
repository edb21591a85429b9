//! Resolving `site.yaml`: [`RawConfig`], as the file says it, becomes a
//! [`Config`], each step checking what it reads (languages, translations,
//! the base URL, eras, tracks, stylesheets) and saying where a problem is.

use std::collections::BTreeMap;

use super::{
    normalise_base_url, Config, Era, RawConfig, RawEra, RawSiteTranslation, RawTrack, SiteTranslation, Stylesheet,
    Track, TranslatedName, CONFIG_FILE,
};
use crate::date::EndDate;
use crate::diagnostic::{Code, Diagnostic};
use crate::lang::Lang;
use crate::slug::Slug;
use crate::yaml;

/// The settings `raw` says, checked against `text` (the file) for where
/// each problem is; every problem found, or the settings.
pub(super) fn resolve(raw: RawConfig, text: &str) -> Result<Config, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let languages = languages(raw.language.as_deref(), raw.languages.as_deref(), text, &mut problems);
    let (translations, translated_names) = translations(raw.translations, &languages, text, &mut problems);
    if let Some(url) = &raw.base_url {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            problems.push(
                at_key(text, "base_url", format!("`{url}` is not an absolute http(s) URL"))
                    .with_hint("write the full address, e.g. https://example.org/timeline/"),
            );
        }
    }
    let eras = eras(raw.eras, text, &mut problems);
    let tracks = tracks(raw.tracks);
    for duplicate in duplicates(eras.iter().map(|era| era.slug.as_str())) {
        problems.push(
            at_key(text, "eras", format!("two eras have the URL name `{duplicate}`"))
                .with_hint("give one of them a `slug:`"),
        );
    }
    for duplicate in duplicates(tracks.iter().map(|track| track.id.as_str())) {
        problems.push(at_key(
            text,
            "tracks",
            format!("the track `{duplicate}` is declared twice"),
        ));
    }
    let stylesheets = stylesheets(&raw.stylesheets, text, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Config {
        title: raw.title,
        description: raw.description,
        language: languages[0],
        languages,
        translations,
        translated_names,
        tag_names: BTreeMap::new(),
        base_url: raw.base_url.as_deref().map(normalise_base_url),
        theme: raw.theme.unwrap_or_else(|| "default".to_string()),
        output_dir: raw.output_dir.unwrap_or_else(|| "public".to_string()),
        order: raw.order,
        eras,
        tracks,
        unsafe_html: raw.markdown.unsafe_html,
        stylesheets,
        extra: raw.extra,
    })
}

/// A problem with the setting `key`, placed at its first line.
fn at_key(text: &str, key: &str, message: String) -> Diagnostic {
    let (line, column) = yaml::locate_key(text, key, 0).unwrap_or((0, 0));
    Diagnostic::error(CONFIG_FILE, message)
        .at(text, line, column)
        .with_code(Code::InvalidSetting)
}

/// The site's languages, the default first: `languages:`, or `language:`
/// alone, or English.
fn languages(
    language: Option<&str>,
    listed: Option<&[String]>,
    text: &str,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Lang> {
    let language_given = language.is_some();
    let language = match language.map(str::parse::<Lang>) {
        None => Lang::En,
        Some(Ok(lang)) => lang,
        Some(Err(error)) => {
            problems.push(at_key(text, "language", error.to_string()));
            Lang::En
        }
    };
    let mut languages = Vec::new();
    for code in listed.into_iter().flatten() {
        match code.parse::<Lang>() {
            Ok(lang) if !languages.contains(&lang) => languages.push(lang),
            Ok(_) => problems.push(at_key(
                text,
                "languages",
                format!("the language `{code}` is listed twice"),
            )),
            Err(error) => problems.push(at_key(text, "languages", error.to_string())),
        }
    }
    if languages.is_empty() {
        languages.push(language);
    } else if language_given && languages[0] != language {
        problems.push(
            at_key(
                text,
                "language",
                "`language` and the first of `languages` differ".to_string(),
            )
            .with_hint("keep only `languages`; its first entry is the default language"),
        );
    }
    languages
}

/// The `translations:` of the site's languages, and where each name they
/// translate is written.
fn translations(
    raw: BTreeMap<String, RawSiteTranslation>,
    languages: &[Lang],
    text: &str,
    problems: &mut Vec<Diagnostic>,
) -> (BTreeMap<Lang, SiteTranslation>, Vec<TranslatedName>) {
    let mut translations = BTreeMap::new();
    let mut translated_names = Vec::new();
    for (code, words) in raw {
        match code.parse::<Lang>() {
            Ok(lang) if languages.contains(&lang) => {
                for (section, keys) in [("eras", &words.eras), ("tracks", &words.tracks), ("tags", &words.tags)] {
                    translated_names.extend(keys.keys().map(|key| translated_name(text, lang, &code, section, key)));
                }
                translations.insert(
                    lang,
                    SiteTranslation {
                        title: words.title,
                        description: words.description,
                        eras: words.eras,
                        tracks: words.tracks,
                        tags: words
                            .tags
                            .into_iter()
                            .map(|(key, name)| (Slug::from_text(&key).to_string(), name))
                            .collect(),
                    },
                );
            }
            Ok(lang) => problems.push(at_key(
                text,
                "translations",
                format!("translations for `{lang}`, which is not in `languages`"),
            )),
            Err(error) => problems.push(at_key(text, "translations", error.to_string())),
        }
    }
    (translations, translated_names)
}

/// The eras, each with its URL name; one that ends before it starts is a
/// problem at its `end:`.
fn eras(raw: Vec<RawEra>, text: &str, problems: &mut Vec<Diagnostic>) -> Vec<Era> {
    let mut eras = Vec::new();
    for (index, era) in raw.into_iter().enumerate() {
        let slug = era.slug.map(|s| s.0).unwrap_or_else(|| Slug::from_text(&era.title));
        if let Some(EndDate::On(end)) = era.end.map(|e| e.0) {
            if end < era.start.0 {
                let (line, column) = yaml::locate_key(text, "end", index).unwrap_or((0, 0));
                problems.push(
                    Diagnostic::error(CONFIG_FILE, format!("era `{}` ends before it starts", era.title))
                        .at(text, line, column)
                        .with_code(Code::EndBeforeStart),
                );
            }
        }
        eras.push(Era {
            slug,
            title: era.title,
            start: era.start.0,
            end: era.end.map(|e| e.0),
            colour: era.colour.map(|c| c.0),
        });
    }
    eras
}

/// The tracks in their `order:` (by default, as listed), each named by
/// its title or else its id.
fn tracks(raw: Vec<RawTrack>) -> Vec<Track> {
    let mut tracks: Vec<Track> = raw
        .into_iter()
        .enumerate()
        .map(|(index, track)| Track {
            title: track.title.unwrap_or_else(|| track.id.0.to_string()),
            id: track.id.0,
            colour: track.colour.map(|c| c.0),
            order: track.order.unwrap_or(index as i64),
        })
        .collect();
    tracks.sort_by_key(|track| track.order);
    tracks
}

/// Checks the `stylesheets:` entries: each a `.css` file under `static/`,
/// named by a plain relative path, found where site.yaml names it.
fn stylesheets(paths: &[String], text: &str, problems: &mut Vec<Diagnostic>) -> Vec<Stylesheet> {
    let key_line = yaml::locate_key(text, "stylesheets", 0).map_or(1, |(line, _)| line);
    let mut from_line = key_line;
    let mut found = Vec::new();
    for path in paths {
        let (line, column) = text
            .lines()
            .enumerate()
            .skip(from_line - 1)
            .find_map(|(index, line)| line.find(path.as_str()).map(|at| (index + 1, at + 1)))
            .unwrap_or((key_line, 1));
        from_line = line;
        let stylesheet = Stylesheet {
            path: path.clone(),
            line,
            column,
            source_line: text.lines().nth(line - 1).unwrap_or_default().to_string(),
        };
        let plain = !stylesheet.path.is_empty()
            && !stylesheet.path.starts_with('/')
            && !stylesheet.path.contains('\\')
            && stylesheet
                .path
                .split('/')
                .all(|part| !part.is_empty() && part != "." && part != "..");
        if !plain {
            problems.push(
                stylesheet
                    .error(format!("`{path}` is not a path inside `static/`"))
                    .with_hint("write the path from the `static/` folder, e.g. `css/brand.css`"),
            );
        } else if !stylesheet.path.ends_with(".css") {
            problems.push(stylesheet.error(format!("`{path}` is not a stylesheet: its name must end in `.css`")));
        } else {
            found.push(stylesheet);
        }
    }
    found
}

/// The key `key` of the `section` map of `translations.<code>`, pinned to
/// its line: each step is looked for below the one before, so an era and a
/// tag of one name are told apart. A map written on one line (`tags: {a: b}`)
/// is pinned to the innermost key found.
fn translated_name(text: &str, lang: Lang, code: &str, section: &'static str, key: &str) -> TranslatedName {
    let mut place = (1, 1);
    let mut from = 0;
    for step in ["translations", code, section, key] {
        let found = locate_key_after(text, step, from);
        match found {
            Some(found) => {
                place = found;
                from = found.0;
            }
            None => break,
        }
    }
    TranslatedName {
        lang,
        section,
        key: key.to_string(),
        line: place.0,
        column: place.1,
        source_line: text.lines().nth(place.0 - 1).unwrap_or_default().to_string(),
    }
}

/// The first line after line `after` (1-based; 0 for the whole text) where
/// `key:` (or `"key":`, `'key':`) starts a mapping entry: its line and column.
fn locate_key_after(text: &str, key: &str, after: usize) -> Option<(usize, usize)> {
    text.lines().enumerate().skip(after).find_map(|(index, line)| {
        let trimmed = line.trim_start();
        let rest = [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
            .iter()
            .find_map(|written| trimmed.strip_prefix(written.as_str()))?;
        rest.trim_start_matches([' ', '\t'])
            .starts_with(':')
            .then(|| (index + 1, line.len() - trimmed.len() + 1))
    })
}

/// The names that come more than once, after their first.
fn duplicates<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen = std::collections::BTreeSet::new();
    names.filter(|name| !seen.insert(*name)).collect()
}

//! Stand-alone pages (`content/pages/*.md`) and the timeline's intro
//! (`content/_index.md`): Markdown with a little front matter.

use serde::Deserialize;

use crate::diagnostic::Diagnostic;
use crate::fields::SlugField;
use crate::parse::frontmatter::{self, FrontMatterError};
use crate::slug::Slug;
use crate::yaml;

/// The site-relative path of the intro file.
pub const INTRO_FILE: &str = "content/_index.md";
/// The folder of stand-alone pages, site-relative.
pub const PAGES_DIR: &str = "content/pages/";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: String,
    #[serde(default)]
    slug: Option<SlugField>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    weight: i64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIntro {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

/// A stand-alone page such as "About", published at `/<slug>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Its heading and link text.
    pub title: String,
    /// Its URL name.
    pub slug: Slug,
    /// Text for search engines and link previews.
    pub description: Option<String>,
    /// Markdown body.
    pub body: String,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
    /// Whether it is left out of normal builds.
    pub draft: bool,
    /// Position in navigation (lower first).
    pub weight: i64,
    /// The file, relative to the site root.
    pub path: String,
}

/// The text shown above the timeline.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Intro {
    /// A heading for the timeline (defaults to the site title).
    pub title: Option<String>,
    /// A description (defaults to the site description).
    pub description: Option<String>,
    /// Markdown body.
    pub body: String,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
}

/// Reads a page file.
pub fn parse_page(path: &str, text: &str) -> Result<Page, Diagnostic> {
    let split = frontmatter::split(text).map_err(|error| {
        Diagnostic::error(path, error.to_string())
            .at(text, 1, 1)
            .with_code(error.code())
            .with_hint("a page starts with `---`, a `title:` line, then `---`")
    })?;
    let raw: RawPage =
        yaml::from_str(split.yaml).map_err(|error| error.into_diagnostic(path, text, split.yaml_line - 1))?;
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.strip_suffix(".md").unwrap_or(file);
    Ok(Page {
        slug: raw.slug.map(|s| s.0).unwrap_or_else(|| Slug::from_text(stem)),
        title: raw.title,
        description: raw.description,
        body: split.body.to_string(),
        body_line: split.body_line,
        draft: raw.draft,
        weight: raw.weight,
        path: path.to_string(),
    })
}

/// Reads the intro; front matter is optional there.
pub fn parse_intro(path: &str, text: &str) -> Result<Intro, Diagnostic> {
    match frontmatter::split(text) {
        Err(FrontMatterError::Missing) => Ok(Intro {
            body: text.trim_start_matches('\u{feff}').to_string(),
            body_line: 1,
            ..Intro::default()
        }),
        Err(error) => Err(Diagnostic::error(path, error.to_string())
            .at(text, 1, 1)
            .with_code(error.code())),
        Ok(split) => {
            let raw: RawIntro = if split.yaml.trim().is_empty() {
                RawIntro::default()
            } else {
                yaml::from_str(split.yaml).map_err(|error| error.into_diagnostic(path, text, split.yaml_line - 1))?
            };
            Ok(Intro {
                title: raw.title,
                description: raw.description,
                body: split.body.to_string(),
                body_line: split.body_line,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_takes_its_slug_from_the_file_name() {
        let page = parse_page("content/pages/about.md", "---\ntitle: About\n---\nHello").unwrap();
        assert_eq!(page.slug.as_str(), "about");
        assert_eq!(page.body, "Hello");
    }

    #[test]
    fn page_errors_point_at_the_line() {
        let error = parse_page("content/pages/about.md", "---\ntitle: About\nslgu: x\n---\n").unwrap_err();
        assert_eq!(error.line, 3);
    }

    #[test]
    fn the_intro_may_be_plain_markdown() {
        let intro = parse_intro(INTRO_FILE, "Just text.").unwrap();
        assert_eq!(intro.body, "Just text.");
        let intro = parse_intro(INTRO_FILE, "---\ntitle: Road\n---\nText").unwrap();
        assert_eq!(intro.title.as_deref(), Some("Road"));
    }
}

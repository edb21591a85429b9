//! What a read gives: the site's text files, its assets and its theme,
//! and the files found sorted into them by where they are.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::is_event_file;
use super::read::text_or_diagnostic;
use crate::diagnostic::Diagnostic;
use crate::memo::Key;

/// A text file of the site, by its site-relative path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFile {
    /// Relative to the site root, with `/` separators.
    pub path: String,
    /// Its contents; empty once let go ([`TextFile::let_go`]).
    pub text: String,
    /// The key of `text`, made once when it is read: a rebuild knows which
    /// files changed without hashing them all again.
    pub key: Key,
}

impl TextFile {
    /// A text file and its key.
    pub fn new(path: String, text: String) -> Self {
        let key = Key::of(&text);
        TextFile { path, text, key }
    }

    /// Frees the text, keeping the path and the key: a one-shot build
    /// needs no text once it is parsed, and reads again the few a problem
    /// quotes ([`super::ReadAgain`]).
    pub fn let_go(&mut self) {
        self.text = String::new();
    }

    /// Whether the text is in memory (an empty file's is too, as nothing).
    pub fn holds_text(&self) -> bool {
        !self.text.is_empty()
    }
}

/// A file copied to the output unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Where it goes, relative to the output folder.
    pub output_path: String,
    /// Where it comes from, relative to the site root.
    pub source_path: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Everything a build reads, in memory.
#[derive(Debug, Clone, Default)]
pub struct SiteFiles {
    /// `content/**/*.md|yaml|yml`, sorted by path.
    pub texts: Vec<TextFile>,
    /// Other files of `content/` and all of `static/`, sorted by output path.
    pub assets: Vec<Asset>,
    /// The theme's files by path inside the theme (`templates/base.html`).
    pub theme: BTreeMap<String, Vec<u8>>,
    /// Files skipped or unreadable as text, reported but not fatal here.
    pub problems: Vec<Diagnostic>,
}

impl SiteFiles {
    /// Files the site-relative `path` names: itself, or everything under it.
    fn names(path: &str, candidate: &str) -> bool {
        candidate == path || candidate.strip_prefix(path).is_some_and(|rest| rest.starts_with('/'))
    }

    /// Forgets the file or folder at `path`, and the problems found in it.
    pub fn forget(&mut self, path: &str) {
        self.texts.retain(|file| !Self::names(path, &file.path));
        self.assets.retain(|asset| !Self::names(path, &asset.source_path));
        self.problems.retain(|problem| !Self::names(path, &problem.path));
    }

    /// Adds files read separately (after [`SiteFiles::forget`]). A save
    /// brings one text or a few: each is put in its place, which is quicker
    /// than sorting ten thousand again.
    pub fn merge(&mut self, other: SiteFiles) {
        const FEW: usize = 16;
        if other.texts.len() <= FEW {
            for file in other.texts {
                let place = self.texts.partition_point(|kept| kept.path < file.path);
                self.texts.insert(place, file);
            }
        } else {
            self.texts.extend(other.texts);
            self.sort_texts();
        }
        self.assets.extend(other.assets);
        self.problems.extend(other.problems);
        self.sort_assets();
    }

    /// Sorts files into content text and assets by where they are. Texts
    /// are checked and fingerprinted in parallel.
    pub(super) fn add(&mut self, found: Vec<(String, Vec<u8>)>) {
        enum Sorted {
            Text(TextFile),
            Unreadable(Diagnostic),
            Asset(Asset),
        }
        let sorted: Vec<Sorted> = found
            .into_par_iter()
            .map(|(relative, bytes)| {
                if let Some(output_path) = relative.strip_prefix("static/") {
                    Sorted::Asset(Asset {
                        output_path: output_path.to_string(),
                        source_path: relative,
                        bytes,
                    })
                } else if is_event_file(&relative) {
                    match text_or_diagnostic(&relative, bytes) {
                        Ok(text) => Sorted::Text(TextFile::new(relative, text)),
                        Err(diagnostic) => Sorted::Unreadable(diagnostic),
                    }
                } else {
                    Sorted::Asset(Asset {
                        output_path: relative.trim_start_matches("content/").to_string(),
                        source_path: relative,
                        bytes,
                    })
                }
            })
            .collect();
        for file in sorted {
            match file {
                Sorted::Text(text) => self.texts.push(text),
                Sorted::Unreadable(diagnostic) => self.problems.push(diagnostic),
                Sorted::Asset(asset) => self.assets.push(asset),
            }
        }
    }

    pub(super) fn sort(&mut self) {
        self.sort_texts();
        self.sort_assets();
    }

    fn sort_texts(&mut self) {
        self.texts.sort_by(|a, b| a.path.cmp(&b.path));
    }

    fn sort_assets(&mut self) {
        // Content files first, then static ones, so a site's static/ file
        // wins over a content file of the same output path.
        self.assets.sort_by(|a, b| {
            (&a.output_path, a.source_path.starts_with("static/"))
                .cmp(&(&b.output_path, b.source_path.starts_with("static/")))
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(paths: &[&str]) -> SiteFiles {
        SiteFiles {
            texts: paths
                .iter()
                .map(|path| TextFile::new(path.to_string(), String::new()))
                .collect(),
            ..SiteFiles::default()
        }
    }

    fn paths(files: &SiteFiles) -> Vec<&str> {
        files.texts.iter().map(|file| file.path.as_str()).collect()
    }

    #[test]
    fn merged_texts_keep_the_path_order_whether_few_or_many() {
        let mut files = texts(&["content/b.md", "content/d.md"]);
        files.merge(texts(&["content/e.md", "content/a.md", "content/c.md"]));
        assert_eq!(
            paths(&files),
            [
                "content/a.md",
                "content/b.md",
                "content/c.md",
                "content/d.md",
                "content/e.md"
            ]
        );

        let many: Vec<String> = (0..40).rev().map(|n| format!("content/x{n:02}.md")).collect();
        files.merge(texts(&many.iter().map(String::as_str).collect::<Vec<_>>()));
        let mut expected = paths(&files).to_vec();
        expected.sort_unstable();
        assert_eq!(paths(&files), expected);
        assert_eq!(files.texts.len(), 45);
    }
}

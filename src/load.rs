//! Reads a site from disk: the only place the pipeline reads files.
//!
//! It collects text files under `content/`, every other file under
//! `content/` and `static/` as assets to copy, and the theme's files (the
//! built-in default theme, overridden file by file by `themes/<name>/`).
//! Symbolic links are not followed, so nothing outside the site is read;
//! each one is skipped with a warning. Editor swap, backup and hidden files
//! are ignored.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::CONFIG_FILE;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::theme;

/// A text file of the site, by its site-relative path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFile {
    /// Relative to the site root, with `/` separators.
    pub path: String,
    /// Its contents.
    pub text: String,
    /// A fingerprint of `text`, taken once when it is read: a rebuild
    /// knows which files changed without hashing them all again.
    pub print: u64,
}

impl TextFile {
    /// A text file and its fingerprint.
    pub fn new(path: String, text: String) -> Self {
        let print = crate::render::fingerprint_of(&text);
        TextFile { path, text, print }
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

/// Walks up from `start` to the nearest folder holding `site.yaml`.
pub fn find_root(start: &Path) -> Result<PathBuf> {
    let start = start.canonicalize().map_err(|source| Error::Read {
        path: start.to_path_buf(),
        source,
    })?;
    start
        .ancestors()
        .find(|folder| folder.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
        .ok_or(Error::NoSite { start })
}

/// Reads `site.yaml`.
pub fn read_config(root: &Path) -> Result<String> {
    let path = root.join(CONFIG_FILE);
    let bytes = fs::read(&path).map_err(|source| Error::Read { path, source })?;
    text_or_diagnostic(CONFIG_FILE, bytes).map_err(|diagnostic| Error::Invalid {
        diagnostics: vec![diagnostic],
    })
}

/// Reads content, static files and the theme named `theme_name`.
pub fn read_site(root: &Path, theme_name: &str) -> Result<SiteFiles> {
    let mut files = SiteFiles::default();
    for folder in ["content", "static"] {
        let found = walk(root, folder, &mut files.problems)?;
        files.add(found);
    }
    files.theme = read_theme(root, theme_name, &mut files.problems)?;
    files.sort();
    Ok(files)
}

/// Reads one file or folder under `content/` or `static/` (site-relative).
pub fn read_path(root: &Path, path: &str) -> Result<SiteFiles> {
    let mut files = SiteFiles::default();
    let found = walk(root, path, &mut files.problems)?;
    files.add(found);
    files.sort();
    Ok(files)
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

    /// Adds files read separately (after [`SiteFiles::forget`]).
    pub fn merge(&mut self, other: SiteFiles) {
        self.texts.extend(other.texts);
        self.assets.extend(other.assets);
        self.problems.extend(other.problems);
        self.sort();
    }

    /// Sorts files into content text and assets by where they are. Texts
    /// are checked and fingerprinted in parallel.
    fn add(&mut self, found: Vec<(String, Vec<u8>)>) {
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
                } else if crate::event::is_event_file(&relative) {
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

    fn sort(&mut self) {
        self.texts.sort_by(|a, b| a.path.cmp(&b.path));
        // Content files first, then static ones, so a site's static/ file
        // wins over a content file of the same output path.
        self.assets.sort_by(|a, b| {
            (&a.output_path, a.source_path.starts_with("static/"))
                .cmp(&(&b.output_path, b.source_path.starts_with("static/")))
        });
    }
}

/// The built-in theme's files when the name is `default`, overridden by any
/// file in `themes/<name>/` on disk.
pub fn read_theme(root: &Path, name: &str, problems: &mut Vec<Diagnostic>) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    if name == "default" {
        for (path, bytes) in theme::EMBEDDED_DEFAULT {
            files.insert((*path).to_string(), bytes.to_vec());
        }
    }
    let folder = format!("themes/{name}");
    if !root.join(&folder).is_dir() {
        if name != "default" {
            return Err(Error::Invalid {
                diagnostics: vec![Diagnostic::error(
                    CONFIG_FILE,
                    format!("the theme `{name}` was not found in `{folder}/`"),
                )
                .with_hint("set `theme: default` or add the theme's folder")],
            });
        }
        return Ok(files);
    }
    let prefix = format!("{folder}/");
    for (relative, bytes) in walk(root, &folder, problems)? {
        files.insert(relative.trim_start_matches(&prefix).to_string(), bytes);
    }
    Ok(files)
}

/// Every regular file under `root/folder`, as (site-relative path, bytes).
fn walk(root: &Path, folder: &str, problems: &mut Vec<Diagnostic>) -> Result<Vec<(String, Vec<u8>)>> {
    let base = root.join(folder);
    if !base.exists() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    let walker = WalkDir::new(&base)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_ignored(folder, &entry.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|error| {
            let path = error.path().unwrap_or(&base).to_path_buf();
            Error::Read {
                path,
                source: error
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("cannot walk the folder")),
            }
        })?;
        let relative = site_relative(root, entry.path());
        if entry.path_is_symlink() {
            problems.push(
                Diagnostic::warning(
                    &relative,
                    "skipped: symbolic links are not followed, so nothing outside the site is published",
                )
                .with_hint("copy the file into the site instead of linking to it"),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        found.push((relative, entry.into_path()));
    }
    // Reading many small files is faster from several threads.
    found
        .into_par_iter()
        .map(|(relative, path)| match fs::read(&path) {
            Ok(bytes) => Ok((relative, bytes)),
            Err(source) => Err(Error::Read { path, source }),
        })
        .collect()
}

/// Whether a file or folder under `folder` (the site-relative path being
/// read) is skipped: editor swap and backup files and version-control
/// folders always are; other hidden files are skipped everywhere except in
/// `static/`, where hosts expect `.nojekyll` or `.well-known/`.
pub fn is_ignored(folder: &str, file_name: &str) -> bool {
    let junk = file_name.starts_with('#')
        || file_name.ends_with('~')
        || [".swp", ".swo", ".swx", ".tmp", ".bak", ".orig"]
            .iter()
            .any(|ext| file_name.ends_with(ext))
        || [".git", ".hg", ".svn", ".DS_Store"].contains(&file_name)
        || (file_name.starts_with(".#"));
    let hidden = file_name.starts_with('.');
    junk || (hidden && !(folder == "static" || folder.starts_with("static/")))
}

fn site_relative(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Largest content text file (Markdown or YAML) annals reads. An explainer's
/// event is a few kilobytes; a file this big is a mistake, and refusing it
/// keeps memory and time bounded.
pub const MAX_TEXT_BYTES: usize = 16 * 1024 * 1024;

fn text_or_diagnostic(path: &str, bytes: Vec<u8>) -> std::result::Result<String, Diagnostic> {
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(Diagnostic::error(
            path,
            format!(
                "the file is {} MiB; annals reads content files of at most {} MiB",
                bytes.len() / (1024 * 1024),
                MAX_TEXT_BYTES / (1024 * 1024)
            ),
        )
        .with_hint("split it into several events, or move large media into content/media/"));
    }
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        let column = offset - bytes[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |at| at + 1) + 1;
        let mut diagnostic = Diagnostic::error(
            path,
            format!("the file is not valid UTF-8 (bad byte at offset {offset})"),
        )
        .with_hint("save the file as UTF-8");
        diagnostic.line = line;
        diagnostic.column = column;
        diagnostic
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swap_and_backup_files_are_ignored() {
        for name in [
            ".x.md.swp",
            "x.md~",
            "#x.md#",
            ".DS_Store",
            "4913.tmp",
            ".git",
            ".#x.md",
        ] {
            assert!(is_ignored("content", name), "{name}");
            assert!(is_ignored("static", name), "{name}");
        }
        assert!(!is_ignored("content", "2013-fair.md"));
        assert!(is_ignored("content/events", ".hidden.md"));
        assert!(!is_ignored("static", ".nojekyll"));
        assert!(!is_ignored("static/x", ".well-known"));
    }

    #[test]
    fn oversized_text_files_are_refused() {
        let diagnostic = text_or_diagnostic("content/x.md", vec![b'a'; MAX_TEXT_BYTES + 1]).unwrap_err();
        assert!(diagnostic.message.contains("at most 16 MiB"), "{}", diagnostic.message);
    }

    #[test]
    fn invalid_utf8_names_the_line_and_offset() {
        let diagnostic = text_or_diagnostic("content/x.md", b"ok\nab\xffc".to_vec()).unwrap_err();
        assert_eq!((diagnostic.line, diagnostic.column), (2, 3));
        assert!(diagnostic.message.contains("offset 5"));
    }
}

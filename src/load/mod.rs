//! Reads a site from disk: the only place the pipeline reads files.
//!
//! It collects text files under `content/`, every other file under
//! `content/` and `static/` as assets to copy, and the theme's files (the
//! built-in default theme, overridden file by file by `themes/<name>/`).
//! Editor swap, backup and hidden files are ignored.
//!
//! Reading happens in two steps. First every folder is walked and every
//! symbolic link on the way is put to the [`LinkRule`]: links that stay in
//! the site are followed, links out of it refuse the whole read. Only then
//! are files read, each after its size was checked against its [`Limit`],
//! so a 2 GB file costs a `stat`, not 2 GB of memory.

pub mod limits;
pub mod links;
pub mod runnable;

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::CONFIG_FILE;
use crate::diagnostic::{Code, Diagnostic};
use crate::error::{Error, Result};
use crate::memo::Key;
use limits::{Limit, CONFIG};
use links::{LinkRule, Resolved};

/// The built-in default theme: (path inside the theme, bytes), generated
/// by `build.rs` from `themes/default/`.
pub const DEFAULT_THEME_FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));

/// Whether a content file holds events, judging by its extension.
pub fn is_event_file(path: &str) -> bool {
    path.ends_with(".md") || path.ends_with(".yaml") || path.ends_with(".yml")
}

/// A text file of the site, by its site-relative path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFile {
    /// Relative to the site root, with `/` separators.
    pub path: String,
    /// Its contents.
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

/// Reads `site.yaml`, after the link rule allowed it (a `site.yaml` that
/// links out of the site is refused before a byte of it is read).
pub fn read_config(links: &LinkRule) -> Result<String> {
    let invalid = |diagnostic| Error::Invalid {
        diagnostics: vec![diagnostic],
    };
    let path = match links.resolve(CONFIG_FILE).map_err(invalid)? {
        Resolved::To(path) => path,
        Resolved::Missing => {
            return Err(Error::Read {
                path: links.root().join(CONFIG_FILE),
                source: io::ErrorKind::NotFound.into(),
            })
        }
    };
    let bytes = read_at_most(&path, CONFIG_FILE, &CONFIG).map_err(|unread| match unread {
        Unread::TooBig(diagnostic) => invalid(diagnostic),
        Unread::Failed(error) => error,
    })?;
    text_or_diagnostic(CONFIG_FILE, bytes).map_err(invalid)
}

/// Reads content, static files and the theme named `theme_name`. Every
/// link is checked before anything is read.
pub fn read_site(links: &LinkRule, theme_name: &str) -> Result<SiteFiles> {
    let mut files = SiteFiles::default();
    let mut listing = Listing::default();
    for folder in ["content", "static"] {
        listing.walk(links, folder, &mut files.problems)?;
    }
    let theme_folder = listing.walk_theme(links, theme_name, &mut files.problems)?;
    listing.refuse_links(&files.problems)?;
    let mut theme_files = Vec::new();
    let mut site_files = Vec::new();
    for (relative, bytes) in read_all(listing.files, &mut files.problems)? {
        match theme_folder.as_deref().and_then(|folder| relative.strip_prefix(folder)) {
            Some(inner) => theme_files.push((inner.to_string(), bytes)),
            None => site_files.push((relative, bytes)),
        }
    }
    files.add(site_files);
    files.theme = theme_with(theme_name, theme_files);
    files.sort();
    Ok(files)
}

/// Reads one file or folder under `content/` or `static/` (site-relative).
pub fn read_path(links: &LinkRule, path: &str) -> Result<SiteFiles> {
    let mut files = SiteFiles::default();
    let mut listing = Listing::default();
    listing.walk(links, path, &mut files.problems)?;
    listing.refuse_links(&files.problems)?;
    let found = read_all(listing.files, &mut files.problems)?;
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
pub fn read_theme(links: &LinkRule, name: &str, problems: &mut Vec<Diagnostic>) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut listing = Listing::default();
    let folder = listing.walk_theme(links, name, problems)?;
    listing.refuse_links(problems)?;
    let found = read_all(listing.files, problems)?;
    let inner = found.into_iter().filter_map(|(relative, bytes)| {
        let inner = relative.strip_prefix(folder.as_deref()?)?;
        Some((inner.to_string(), bytes))
    });
    Ok(theme_with(name, inner.collect()))
}

/// The theme's files: the built-in ones for `default`, with `on_disk` (by
/// path inside the theme) laid over them.
fn theme_with(name: &str, on_disk: Vec<(String, Vec<u8>)>) -> BTreeMap<String, Vec<u8>> {
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    if name == "default" {
        for (path, bytes) in DEFAULT_THEME_FILES {
            files.insert((*path).to_string(), bytes.to_vec());
        }
    }
    files.extend(on_disk);
    files
}

/// A file a walk found, not read yet.
struct Found {
    /// Site-relative, through the links as they are named in the site.
    relative: String,
    /// The canonical path to read.
    path: PathBuf,
    /// Its size when it was found.
    size: u64,
}

/// What walks found: files to read, and links refused.
#[derive(Default)]
struct Listing {
    files: Vec<Found>,
    refused: Vec<Diagnostic>,
}

impl Listing {
    /// Lists every regular file under the site-relative `folder` (or the
    /// file itself), following the links the rule allows.
    fn walk(&mut self, links: &LinkRule, folder: &str, problems: &mut Vec<Diagnostic>) -> Result<()> {
        let named = links.root().join(folder);
        let Ok(meta) = fs::symlink_metadata(&named) else {
            return Ok(());
        };
        // The folders above the start are being walked too, as far as a
        // link in it is concerned: a preview that reads one changed folder
        // again skips the same links as a whole build.
        let parts: Vec<&str> = folder.split('/').collect();
        let above = (1..parts.len()).filter_map(|n| links.root().join(parts[..n].join("/")).canonicalize().ok());
        let mut walk = Walk {
            links,
            folder,
            listing: self,
            problems,
            open: above.collect(),
        };
        walk.visit(folder.to_string(), named, meta)
    }

    /// Lists `themes/<name>/`; returns its site path with a trailing `/`, or
    /// `None` when the folder is absent (only the built-in `default` may be).
    fn walk_theme(&mut self, links: &LinkRule, name: &str, problems: &mut Vec<Diagnostic>) -> Result<Option<String>> {
        let not_found = |why: String| Error::Invalid {
            diagnostics: vec![Diagnostic::error(CONFIG_FILE, why)
                .with_hint("set `theme: default` or add the theme's folder under themes/")
                .with_code(Code::InvalidSetting)],
        };
        // The name becomes a path: `../../x` would leave the site.
        let plain = !name.is_empty() && !name.contains(['/', '\\']) && name != "." && name != "..";
        if !plain {
            return Err(not_found(format!("the theme name `{name}` is not a folder name")));
        }
        let folder = format!("themes/{name}");
        let exists = fs::symlink_metadata(links.root().join(&folder)).is_ok();
        if !exists {
            return match name {
                "default" => Ok(None),
                _ => Err(not_found(format!("the theme `{name}` was not found in `{folder}/`"))),
            };
        }
        self.walk(links, &folder, problems)?;
        Ok(Some(format!("{folder}/")))
    }

    /// Fails with every refused link (and the problems found so far), if
    /// there is one.
    fn refuse_links(&mut self, problems: &[Diagnostic]) -> Result<()> {
        if self.refused.is_empty() {
            return Ok(());
        }
        let mut diagnostics = std::mem::take(&mut self.refused);
        diagnostics.extend(problems.iter().cloned());
        crate::diagnostic::sort(&mut diagnostics);
        Err(Error::Invalid { diagnostics })
    }
}

/// One walk down a folder of the site.
struct Walk<'a> {
    links: &'a LinkRule,
    /// The site-relative folder the walk started at, for [`is_ignored`].
    folder: &'a str,
    listing: &'a mut Listing,
    problems: &'a mut Vec<Diagnostic>,
    /// The canonical folders being walked, outermost first: a link to one
    /// of them (or to a folder holding one) would never end.
    open: Vec<PathBuf>,
}

impl Walk<'_> {
    /// Looks at `path`, named `relative` in the site, whose own metadata
    /// (not its target's) is `meta`.
    fn visit(&mut self, relative: String, path: PathBuf, meta: fs::Metadata) -> Result<()> {
        // The walk's start may be reached through links higher up.
        let through_links = relative == self.folder || meta.file_type().is_symlink();
        let (path, meta) = if through_links {
            match self.links.resolve(&relative) {
                Err(refused) => {
                    self.listing.refused.push(refused);
                    return Ok(());
                }
                Ok(Resolved::Missing) => {
                    self.problems.push(
                        Diagnostic::warning(&relative, "skipped: this symbolic link leads to nothing")
                            .with_hint("remove the link, or make it point to a file of the site")
                            .with_code(Code::SkippedLink),
                    );
                    return Ok(());
                }
                Ok(Resolved::To(target)) => {
                    let meta = fs::metadata(&target).map_err(|source| Error::Read {
                        path: target.clone(),
                        source,
                    })?;
                    (target, meta)
                }
            }
        } else {
            (path, meta)
        };
        if meta.is_file() {
            self.listing.files.push(Found {
                relative,
                path,
                size: meta.len(),
            });
        } else if meta.is_dir() {
            if self.open.iter().any(|open| open.starts_with(&path)) {
                self.problems.push(
                    Diagnostic::warning(
                        &relative,
                        "skipped: this symbolic link leads back to a folder that holds it, so following it would never end",
                    )
                    .with_hint("remove the link")
                    .with_code(Code::SkippedLink),
                );
                return Ok(());
            }
            self.open.push(path.clone());
            let read_error = |source| Error::Read {
                path: path.clone(),
                source,
            };
            let mut entries: Vec<fs::DirEntry> = fs::read_dir(&path)
                .map_err(read_error)?
                .collect::<io::Result<_>>()
                .map_err(read_error)?;
            entries.sort_by_key(fs::DirEntry::file_name);
            for entry in entries {
                let name = entry.file_name().to_string_lossy().into_owned();
                if is_ignored(self.folder, &name) {
                    continue;
                }
                let meta = entry.metadata().map_err(read_error)?;
                self.visit(format!("{relative}/{name}"), entry.path(), meta)?;
            }
            self.open.pop();
        }
        Ok(())
    }
}

/// Reads every file found, in parallel (reading many small files is faster
/// from several threads). A file over its limit is reported and not read.
fn read_all(found: Vec<Found>, problems: &mut Vec<Diagnostic>) -> Result<Vec<(String, Vec<u8>)>> {
    let read: Vec<std::result::Result<(String, Vec<u8>), Unread>> = found
        .into_par_iter()
        .map(|file| {
            let limit = Limit::of(&file.relative);
            if file.size > limit.bytes {
                return Err(Unread::TooBig(limit.refuse(&file.relative, file.size)));
            }
            read_at_most(&file.path, &file.relative, limit).map(|bytes| (file.relative, bytes))
        })
        .collect();
    let mut files = Vec::with_capacity(read.len());
    for outcome in read {
        match outcome {
            Ok(file) => files.push(file),
            Err(Unread::TooBig(diagnostic)) => problems.push(diagnostic),
            Err(Unread::Failed(error)) => return Err(error),
        }
    }
    Ok(files)
}

/// Why a file was not read.
enum Unread {
    /// It is larger than its limit.
    TooBig(Diagnostic),
    /// The system could not read it.
    Failed(Error),
}

/// Reads the file at `path` (named `relative` in the site) if it is within
/// `limit`. The size is taken from the open file before reading, and the
/// read stops past the limit, so a file that grows meanwhile is caught too.
fn read_at_most(path: &Path, relative: &str, limit: &Limit) -> std::result::Result<Vec<u8>, Unread> {
    let failed = |source| {
        Unread::Failed(Error::Read {
            path: path.to_path_buf(),
            source,
        })
    };
    let file = fs::File::open(path).map_err(failed)?;
    let size = file.metadata().map_err(failed)?.len();
    if size > limit.bytes {
        return Err(Unread::TooBig(limit.refuse(relative, size)));
    }
    // Room for one byte more than the limit, to see a file that grew.
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit.bytes + 1).read_to_end(&mut bytes).map_err(failed)?;
    if bytes.len() as u64 > limit.bytes {
        return Err(Unread::TooBig(limit.refuse(relative, bytes.len() as u64)));
    }
    Ok(bytes)
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

fn text_or_diagnostic(path: &str, bytes: Vec<u8>) -> std::result::Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        let column = offset - bytes[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |at| at + 1) + 1;
        let mut diagnostic = Diagnostic::error(
            path,
            format!("the file is not valid UTF-8 (bad byte at offset {offset})"),
        )
        .with_hint("save the file as UTF-8")
        .with_code(Code::NotUtf8);
        diagnostic.line = line;
        diagnostic.column = column;
        diagnostic
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use limits::{CONTENT_TEXT, MAX_TEXT_BYTES};

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
    fn oversized_files_are_refused_before_they_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.md");
        // Sparse: it takes no room on disk, and would take 16 MiB + 1 in memory.
        fs::File::create(&path).unwrap().set_len(MAX_TEXT_BYTES + 1).unwrap();
        let Err(Unread::TooBig(diagnostic)) = read_at_most(&path, "content/x.md", &CONTENT_TEXT) else {
            panic!("an oversized file was read");
        };
        assert_eq!(
            diagnostic.message,
            "the file is 16.0 MiB (16777217 bytes); annals reads content files (Markdown or YAML) of at most 16 MiB"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_back_up_is_skipped_alike_by_a_whole_read_and_a_read_of_the_link() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        fs::create_dir_all(root.join("content/events")).unwrap();
        fs::write(root.join("content/events/a.md"), "---\ntitle: A\ndate: 2001\n---\n").unwrap();
        std::os::unix::fs::symlink("..", root.join("content/events/again")).unwrap();
        let links = LinkRule::new(&root, false).unwrap();
        let whole = read_site(&links, "default").unwrap();
        let one = read_path(&links, "content/events/again").unwrap();
        let paths: Vec<&str> = whole.texts.iter().map(|file| file.path.as_str()).collect();
        assert_eq!(paths, ["content/events/a.md"]);
        assert!(one.texts.is_empty() && one.assets.is_empty());
        for files in [&whole, &one] {
            assert_eq!(files.problems.len(), 1);
            assert_eq!(files.problems[0].path, "content/events/again");
        }
    }

    #[test]
    fn invalid_utf8_names_the_line_and_offset() {
        let diagnostic = text_or_diagnostic("content/x.md", b"ok\nab\xffc".to_vec()).unwrap_err();
        assert_eq!((diagnostic.line, diagnostic.column), (2, 3));
        assert!(diagnostic.message.contains("offset 5"));
    }
}

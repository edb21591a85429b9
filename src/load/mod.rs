//! Reads a site from disk: the only place the pipeline reads files.
//!
//! It collects text files under `content/`, every other file under
//! `content/` and `static/` as assets to copy, and the theme's files (the
//! built-in default theme, overridden file by file by `themes/<name>/`).
//! Editor swap, backup and hidden files are ignored.
//!
//! Reading happens in two steps. First every folder is walked (`walk`) and
//! every symbolic link on the way is put to the [`LinkRule`]: links that
//! stay in the site are followed, links out of it refuse the whole read.
//! Only then are files read (`read`), each after its size was checked
//! against its [`Limit`](limits::Limit), so a 2 GB file costs a `stat`, not 2 GB of
//! memory. What was read is sorted into [`SiteFiles`] (`site_files`).

pub mod limits;
pub mod links;
mod read;
pub mod runnable;
mod site_files;
mod sources;
mod walk;

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use limits::CONFIG;
use links::{LinkRule, Resolved};
use read::{read_all, read_at_most, text_or_diagnostic, Unread};
use walk::Listing;

pub use site_files::{Asset, SiteFiles, TextFile};
pub use sources::{ReadAgain, SourceTexts};

/// The built-in default theme: (path inside the theme, bytes), generated
/// by `build.rs` from `themes/default/`.
pub const DEFAULT_THEME_FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));

/// Whether a content file holds events, judging by its extension.
pub fn is_event_file(path: &str) -> bool {
    path.ends_with(".md") || path.ends_with(".yaml") || path.ends_with(".yml")
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

#[cfg(test)]
mod tests {
    use std::fs;

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
}

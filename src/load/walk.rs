//! Walking the site's folders: every file under a folder listed, every
//! symbolic link on the way put to the [`LinkRule`] and followed only if it
//! stays in the site. Nothing is read here, and a folder's files are known
//! by the type its listing gives them, without asking each for its
//! metadata: a file's size is checked when it is read.

use std::fs;
use std::io;
use std::path::PathBuf;

use super::is_ignored;
use super::links::{LinkRule, Resolved};
use crate::config::CONFIG_FILE;
use crate::diagnostic::{Code, Diagnostic};
use crate::error::{Error, Result};

/// A file a walk found, not read yet.
pub(super) struct Found {
    /// Site-relative, through the links as they are named in the site.
    pub(super) relative: String,
    /// The canonical path to read.
    pub(super) path: PathBuf,
}

/// What walks found: files to read, and links refused.
#[derive(Default)]
pub(super) struct Listing {
    pub(super) files: Vec<Found>,
    refused: Vec<Diagnostic>,
}

impl Listing {
    /// Lists every regular file under the site-relative `folder` (or the
    /// file itself), following the links the rule allows.
    pub(super) fn walk(&mut self, links: &LinkRule, folder: &str, problems: &mut Vec<Diagnostic>) -> Result<()> {
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
        walk.visit(folder.to_string(), named, meta.file_type())
    }

    /// Lists `themes/<name>/`; returns its site path with a trailing `/`, or
    /// `None` when the folder is absent (only the built-in `default` may be).
    pub(super) fn walk_theme(
        &mut self,
        links: &LinkRule,
        name: &str,
        problems: &mut Vec<Diagnostic>,
    ) -> Result<Option<String>> {
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
    pub(super) fn refuse_links(&mut self, problems: &[Diagnostic]) -> Result<()> {
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
    /// Looks at `path`, named `relative` in the site, whose own type (not
    /// its target's) is `kind`.
    fn visit(&mut self, relative: String, path: PathBuf, kind: fs::FileType) -> Result<()> {
        // The walk's start may be reached through links higher up.
        let through_links = relative == self.folder || kind.is_symlink();
        let (path, kind) = if through_links {
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
                    (target, meta.file_type())
                }
            }
        } else {
            (path, kind)
        };
        if kind.is_file() {
            self.listing.files.push(Found { relative, path });
        } else if kind.is_dir() {
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
                // From the listing itself where the file system says.
                let kind = entry.file_type().map_err(read_error)?;
                self.visit(format!("{relative}/{name}"), entry.path(), kind)?;
            }
            self.open.pop();
        }
        Ok(())
    }
}

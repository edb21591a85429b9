//! Media files beside the imported timeline (`./media/x.jpg`, as a
//! TimelineJS page next to its pictures has them) copied into the site's
//! `content/media/`, so that the imported events build at once.
//!
//! A path is read relative to the imported file. Nothing is read through a
//! symbolic link (a timeline from elsewhere could otherwise copy any file
//! of the machine into a published site), nothing over the import size
//! limit is copied, and the copies are written as event files are: never
//! through a link in the site, an existing file kept unless `--force`.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::error::Error;

use super::disk::{self, MAX_IMPORT_BYTES};
use super::{ImportReport, Imported};

/// A local media file to copy into the site.
#[derive(Debug)]
pub(super) struct Copy {
    /// "event 3 (Foo)".
    label: String,
    /// As the source wrote it.
    written: String,
    /// Relative to the imported file's folder.
    relative: PathBuf,
    /// Where it goes, relative to `content/`.
    site_path: String,
}

/// Points the local media of `imported` at their places in the site
/// (`./media/x.jpg` → `media/x.jpg`) and lists the files to copy there,
/// each once. A root-relative path (`/media/x.jpg`) is a path of the site
/// already: a note says when the site lacks it.
pub(super) fn relocate(imported: &mut Imported, site_root: &Path, notes: &mut Vec<String>) -> Vec<Copy> {
    let mut copies: Vec<Copy> = Vec::new();
    for event in &mut imported.events {
        let Some(media) = event.media.as_mut() else { continue };
        if !crate::parse::markdown::is_site_relative(&media.src) {
            continue;
        }
        let written = media.src.clone();
        let Some((relative, site_path)) = site_path(&written) else {
            let site_path = written.trim_start_matches('/').to_string();
            if !site_root.join("content").join(&site_path).exists() {
                notes.push(format!(
                    "{}: the media file `{written}` is not in the site; copy it to `content/{site_path}`",
                    event.label
                ));
            }
            media.src = site_path;
            continue;
        };
        media.src = site_path.clone();
        if !copies.iter().any(|copy| copy.written == written) {
            copies.push(Copy {
                label: event.label.clone(),
                written,
                relative,
                site_path,
            });
        }
    }
    copies
}

/// Copies each file from beside `source_path` into `content/`, noting
/// those it cannot copy in `report.not_mapped` and listing copies in
/// `report.copied`. A file already in the site with the same bytes is
/// left as it is; with other bytes, kept unless `force`.
pub(super) fn copy_all(
    copies: &[Copy],
    source_path: &Path,
    site_root: &Path,
    force: bool,
    report: &mut ImportReport,
) -> Result<(), Error> {
    let source_folder = source_path.parent().unwrap_or(Path::new("."));
    for copy in copies {
        let target = site_root.join("content").join(&copy.site_path);
        if let Err(why) = copy_one(source_folder, &copy.relative, site_root, &target, force, report)? {
            report.not_mapped.push(format!(
                "{}: the media file `{}` was not copied: {why}; copy it to `content/{}`",
                copy.label, copy.written, copy.site_path
            ));
        }
    }
    Ok(())
}

/// `./media/x.jpg` → (`media/x.jpg`, `media/x.jpg`); `pics/x.jpg` →
/// (`pics/x.jpg`, `media/pics/x.jpg`); `../x.jpg` → (`../x.jpg`,
/// `media/x.jpg`). `None` for a root-relative path.
fn site_path(src: &str) -> Option<(PathBuf, String)> {
    if src.starts_with('/') {
        return None;
    }
    let path = src.split(['?', '#']).next().unwrap_or_default();
    let relative = PathBuf::from(path);
    let mut parts = Vec::new();
    let mut climbs = false;
    for component in relative.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::ParentDir => climbs = true,
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    if climbs {
        // Outside the timeline's folder: only the file's name is kept.
        parts = parts.split_off(parts.len().saturating_sub(1));
    }
    if parts.first().is_none_or(|first| first != "media") {
        parts.insert(0, "media".to_string());
    }
    Some((relative, parts.join("/")))
}

/// Copies one file; `Ok(Err(why))` when it was not copied.
fn copy_one(
    source_folder: &Path,
    relative: &Path,
    site_root: &Path,
    target: &Path,
    force: bool,
    report: &mut ImportReport,
) -> Result<Result<(), String>, Error> {
    let source = source_folder.join(relative);
    // Every part of the path below the timeline's folder is looked at, so
    // that a linked folder (`media -> /etc`) is refused too.
    let mut walked = source_folder.to_path_buf();
    for component in relative.components() {
        walked.push(component);
        if !matches!(component, Component::Normal(_)) {
            continue;
        }
        match fs::symlink_metadata(&walked) {
            Ok(metadata) if metadata.file_type().is_symlink() => {
                return Ok(Err(format!(
                    "`{}` is a symbolic link, which import does not follow",
                    walked.display()
                )))
            }
            Ok(_) => {}
            // Not beside the timeline, but the site has it already.
            Err(_) if target.exists() => return Ok(Ok(())),
            Err(_) => {
                return Ok(Err(format!(
                    "there is no `{}` beside the imported file",
                    relative.display()
                )))
            }
        }
    }
    let metadata = fs::symlink_metadata(&source).map_err(|error| Error::Read {
        path: source.clone(),
        source: error,
    })?;
    if !metadata.is_file() {
        return Ok(Err(format!("`{}` is not a file", source.display())));
    }
    if metadata.len() > MAX_IMPORT_BYTES {
        return Ok(Err(format!(
            "it is {} bytes, over the import limit of {} MiB",
            metadata.len(),
            MAX_IMPORT_BYTES / 1024 / 1024
        )));
    }
    let bytes = disk::read_source(&source)?;
    let plan = disk::plan(site_root, target, force)?;
    if plan == disk::Plan::Keep {
        if fs::read(target).is_ok_and(|there| there != bytes) {
            report.skipped_existing.push(target.to_path_buf());
        }
        return Ok(Ok(()));
    }
    if let Some(folder) = target.parent() {
        fs::create_dir_all(folder).map_err(|source| Error::Write {
            path: folder.to_path_buf(),
            source,
        })?;
    }
    disk::write(target, &bytes, plan)?;
    report.copied.push(target.to_path_buf());
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_paths_land_in_content_media() {
        let site = |src: &str| site_path(src).map(|(_, path)| path);
        assert_eq!(site("./media/x.jpg").as_deref(), Some("media/x.jpg"));
        assert_eq!(site("media/x.jpg").as_deref(), Some("media/x.jpg"));
        assert_eq!(site("pics/a/x.jpg").as_deref(), Some("media/pics/a/x.jpg"));
        assert_eq!(site("../elsewhere/x.jpg").as_deref(), Some("media/x.jpg"));
        assert_eq!(site("/media/x.jpg"), None);
    }
}

//! Writes a built site into its output folder without ever losing a file.
//!
//! - [`check_output_dir`] refuses folders that would destroy the site: the
//!   site root, `content/`, `themes/`, `static/`, anything inside them or
//!   above the root, `/`, the home folder, and non-empty folders annals did
//!   not create (unless forced). Paths are compared canonically, component by
//!   component, so `site-out/` is not mistaken for `site/`.
//! - [`write_outputs`] writes only files whose bytes changed, each to a
//!   temporary file in the same folder renamed over the old one, then removes
//!   the files the previous build wrote and this one did not, and writes the
//!   manifest last. A file annals did not write is never deleted.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::render::Outputs;

/// The file in the output folder listing what annals wrote there.
pub const MANIFEST: &str = ".annals-manifest";
const MANIFEST_HEADER: &str = "# Files written by annals; it deletes only files listed here.";

/// What a write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or changed.
    pub written: usize,
    /// Files left alone because their bytes were already right.
    pub unchanged: usize,
    /// Files from the previous build that no longer exist in this one.
    pub removed: usize,
}

/// Folders a build must never write into or over.
#[derive(Debug, Clone)]
pub struct Protected {
    /// The site root.
    pub root: PathBuf,
    /// The user's home folder, if known.
    pub home: Option<PathBuf>,
}

/// Makes a path absolute and canonical, resolving the part that exists and
/// keeping the rest (which is checked to hold no `..`).
pub fn resolve_path(path: &Path) -> io::Result<PathBuf> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let mut existing = absolute.as_path();
    let mut missing = Vec::new();
    loop {
        match existing.canonicalize() {
            Ok(canonical) => {
                let mut resolved = canonical;
                for part in missing.iter().rev() {
                    resolved.push(part);
                }
                return Ok(resolved);
            }
            Err(_) => {
                let name = existing
                    .file_name()
                    .ok_or_else(|| io::Error::other("the path has no existing parent"))?;
                if name == ".." {
                    return Err(io::Error::other("the path climbs out of a folder that does not exist"));
                }
                missing.push(name.to_os_string());
                existing = existing
                    .parent()
                    .ok_or_else(|| io::Error::other("the path has no existing parent"))?;
            }
        }
    }
}

/// Refuses an output folder that could destroy the site or foreign files.
/// `output` and `protected.root` must already be resolved ([`resolve_path`]).
pub fn check_output_dir(output: &Path, protected: &Protected, force: bool) -> Result<()> {
    let refuse = |reason: String| {
        Err(Error::UnsafeOutput {
            path: output.to_path_buf(),
            reason,
        })
    };
    let root = &protected.root;
    if output.parent().is_none() {
        return refuse("it is the file system root".into());
    }
    if protected.home.as_deref() == Some(output) {
        return refuse("it is your home folder".into());
    }
    if output == root {
        return refuse("it is the site root; its sources would be overwritten".into());
    }
    if root.starts_with(output) {
        return refuse("it contains the site".into());
    }
    for folder in ["content", "themes", "static"] {
        let source = root.join(folder);
        let source = source.canonicalize().unwrap_or(source);
        if output.starts_with(&source) {
            return refuse(format!("it is inside the site's `{folder}/` folder"));
        }
        if source.starts_with(output) {
            return refuse(format!("it contains the site's `{folder}/` folder"));
        }
    }
    if output.join(MANIFEST).is_file() || force {
        return Ok(());
    }
    let non_empty = fs::read_dir(output).is_ok_and(|mut entries| entries.next().is_some());
    if non_empty {
        return refuse("the folder is not empty and annals did not create it; pass --force to write into it anyway (files annals did not write are kept)".into());
    }
    Ok(())
}

/// Writes `outputs` into `output`, changing only what differs.
pub fn write_outputs(output: &Path, outputs: &Outputs) -> Result<WriteReport> {
    let write_error = |path: &Path, source: io::Error| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    fs::create_dir_all(output).map_err(|source| write_error(output, source))?;
    let previous = read_manifest(output);
    for path in outputs.files.keys() {
        if !is_safe_relative(path) {
            return Err(write_error(
                &output.join(path),
                io::Error::other("the output path leaves the output folder"),
            ));
        }
    }
    let folders: BTreeSet<&Path> = outputs
        .files
        .keys()
        .filter_map(|path| Path::new(path).parent())
        .collect();
    for folder in folders {
        let target = output.join(folder);
        fs::create_dir_all(&target).map_err(|source| write_error(&target, source))?;
    }
    let results: Vec<io::Result<bool>> = outputs
        .files
        .par_iter()
        .map(|(path, bytes)| write_if_changed(&output.join(path), bytes))
        .collect();
    let mut report = WriteReport::default();
    let mut first_error = None;
    let mut now_written: BTreeSet<String> = BTreeSet::new();
    for ((path, _), result) in outputs.files.iter().zip(results) {
        match result {
            Ok(changed) => {
                now_written.insert(path.clone());
                if changed {
                    report.written += 1;
                } else {
                    report.unchanged += 1;
                }
            }
            Err(source) if first_error.is_none() => first_error = Some(write_error(&output.join(path), source)),
            Err(_) => {}
        }
    }
    if let Some(error) = first_error {
        // Keep the record of everything annals may have written, so the
        // next build can still clean up after this one.
        let union: BTreeSet<String> = previous.union(&now_written).cloned().collect();
        let _ = write_manifest(output, &union);
        return Err(error);
    }
    for stale in previous.difference(&now_written) {
        if !is_safe_relative(stale) {
            continue;
        }
        let target = output.join(stale);
        if fs::symlink_metadata(&target).is_ok_and(|meta| meta.is_file()) {
            fs::remove_file(&target).map_err(|source| write_error(&target, source))?;
            report.removed += 1;
            remove_empty_parents(output, &target);
        }
    }
    write_manifest(output, &now_written).map_err(|source| write_error(&output.join(MANIFEST), source))?;
    Ok(report)
}

/// Writes `bytes` to `path` unless it already holds them; returns whether it wrote.
fn write_if_changed(path: &Path, bytes: &[u8]) -> io::Result<bool> {
    if let Ok(meta) = fs::symlink_metadata(path) {
        if meta.is_file() && meta.len() == bytes.len() as u64 && fs::read(path)? == bytes {
            return Ok(false);
        }
        if meta.is_dir() {
            return Err(io::Error::other("a folder is in the way of this file"));
        }
    }
    replace_atomically(path, bytes)?;
    Ok(true)
}

/// Writes to a temporary file beside `path` and renames it over `path`, so
/// no reader ever sees half a file; the temporary file is removed on failure.
fn replace_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.annals-{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.flush()?;
        drop(file);
        fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

fn read_manifest(output: &Path) -> BTreeSet<String> {
    fs::read_to_string(output.join(MANIFEST))
        .map(|text| {
            text.lines()
                .filter(|line| !line.is_empty() && !line.starts_with('#'))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn write_manifest(output: &Path, paths: &BTreeSet<String>) -> io::Result<()> {
    let mut text = String::from(MANIFEST_HEADER);
    text.push('\n');
    for path in paths {
        text.push_str(path);
        text.push('\n');
    }
    write_if_changed(&output.join(MANIFEST), text.as_bytes()).map(drop)
}

/// A relative path with only normal components (no `..`, no root, no drive).
fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|part| matches!(part, Component::Normal(_)))
}

/// Removes folders left empty by a removed file, up to the output folder.
fn remove_empty_parents(output: &Path, file: &Path) {
    let mut folder = file.parent();
    while let Some(current) = folder {
        if current == output || !current.starts_with(output) || fs::remove_dir(current).is_err() {
            break;
        }
        folder = current.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs(files: &[(&str, &str)]) -> Outputs {
        Outputs {
            files: files
                .iter()
                .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec()))
                .collect(),
        }
    }

    #[test]
    fn writes_only_changes_and_removes_only_its_own_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = write_outputs(&out, &outputs(&[("index.html", "a"), ("events/x/index.html", "x")])).unwrap();
        assert_eq!(first.written, 2);
        fs::write(out.join("CNAME"), "example.org").unwrap();
        fs::create_dir_all(out.join(".git")).unwrap();
        fs::write(out.join(".git/HEAD"), "ref").unwrap();
        let second = write_outputs(&out, &outputs(&[("index.html", "a"), ("events/y/index.html", "y")])).unwrap();
        assert_eq!((second.written, second.unchanged, second.removed), (1, 1, 1));
        assert!(
            !out.join("events/x").exists(),
            "the empty folder of the removed page is gone"
        );
        assert!(out.join("CNAME").exists() && out.join(".git/HEAD").exists());
        let leftovers: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn unsafe_output_paths_are_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let error = write_outputs(&dir.path().join("o"), &outputs(&[("../evil", "x")])).unwrap_err();
        assert!(matches!(error, Error::Write { .. }));
        assert!(!dir.path().join("evil").exists());
    }

    #[test]
    fn refuses_folders_that_would_destroy_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        for folder in ["content", "themes", "static"] {
            fs::create_dir_all(root.join(folder)).unwrap();
        }
        let root = root.canonicalize().unwrap();
        let protected = Protected {
            root: root.clone(),
            home: Some(dir.path().canonicalize().unwrap()),
        };
        for bad in [
            root.clone(),
            root.join("content"),
            root.join("content/x"),
            root.join("static"),
            root.parent().unwrap().to_path_buf(),
            PathBuf::from("/"),
        ] {
            assert!(check_output_dir(&bad, &protected, true).is_err(), "{bad:?}");
        }
        assert!(check_output_dir(&root.join("public"), &protected, false).is_ok());
        assert!(check_output_dir(&root.join("content-x"), &protected, false).is_ok());
        let sibling = root.with_file_name("site-out");
        assert!(check_output_dir(&sibling, &protected, false).is_ok());
    }

    #[test]
    fn a_foreign_non_empty_folder_needs_force() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(&root).unwrap();
        let out = root.join("public");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("mine.txt"), "keep").unwrap();
        let protected = Protected {
            root: root.canonicalize().unwrap(),
            home: None,
        };
        let out = out.canonicalize().unwrap();
        assert!(check_output_dir(&out, &protected, false).is_err());
        assert!(check_output_dir(&out, &protected, true).is_ok());
        write_outputs(&out, &outputs(&[("index.html", "a")])).unwrap();
        assert!(
            check_output_dir(&out, &protected, false).is_ok(),
            "annals made it its own"
        );
        assert_eq!(fs::read_to_string(out.join("mine.txt")).unwrap(), "keep");
    }

    #[test]
    fn resolve_keeps_missing_parts_and_rejects_climbing_through_them() {
        let dir = tempfile::tempdir().unwrap();
        let resolved = resolve_path(&dir.path().join("a/b")).unwrap();
        assert!(resolved.ends_with("a/b"));
        assert!(resolve_path(&dir.path().join("missing/../x")).is_err());
    }
}

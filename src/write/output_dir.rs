//! Which folder a build may write into, and opening it.
//!
//! [`check_output_dir`] refuses folders that would destroy the site: the
//! site root, `content/`, `themes/`, `static/`, anything inside them or
//! above the root, `/`, the home folder, and non-empty folders annals did
//! not create (unless forced). Paths are compared canonically, component by
//! component, so `site-out/` is not mistaken for `site/`. The output folder
//! itself, and every folder between the site root and it, must be a real
//! folder: a symbolic link there (a cloned repository can commit
//! `public -> ~/.ssh`) is refused before anything is resolved through it,
//! and `output_dir` in `site.yaml` — which a cloned repository controls —
//! must name a folder inside the site.

use std::io;
use std::path::{Component, Path, PathBuf};

use cap_fs_ext::DirExt;
use cap_std::fs::Dir;

use super::manifest::{LOCK_FILE, MANIFEST};
use crate::error::{Error, Result};

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

/// The output folder `site.yaml` names (`output_dir`), which must be a
/// plain relative path inside the site: a cloned repository controls
/// `site.yaml`, so it may not send the build elsewhere. `-o` on the
/// command line can.
pub fn output_from_config(root: &Path, output_dir: &str) -> Result<PathBuf> {
    let inside = !output_dir.is_empty()
        && Path::new(output_dir)
            .components()
            .all(|part| matches!(part, Component::Normal(_) | Component::CurDir));
    if !inside {
        return Err(Error::UnsafeOutput {
            path: PathBuf::from(output_dir),
            reason: "`output_dir` in site.yaml must be a folder inside the site (a site.yaml may come from someone else); pass -o DIR to write elsewhere".into(),
        });
    }
    Ok(root.join(output_dir))
}

/// Resolves the output folder `given` (relative to the current folder)
/// without going through a symbolic link: the folder itself may not be a
/// link, nor any folder between the site `root` and it.
pub fn resolve_output(given: &Path, root: &Path) -> Result<PathBuf> {
    let write_error = |source| Error::Write {
        path: given.to_path_buf(),
        source,
    };
    let absolute = if given.is_absolute() {
        given.to_path_buf()
    } else {
        std::env::current_dir().map_err(write_error)?.join(given)
    };
    let mut checked = Vec::new();
    if let Ok(below) = absolute.strip_prefix(root) {
        let mut path = root.to_path_buf();
        for part in below.components() {
            path.push(part);
            checked.push(path.clone());
        }
    } else {
        checked.push(absolute.clone());
    }
    for path in checked {
        if let Ok(meta) = std::fs::symlink_metadata(&path) {
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&path).unwrap_or_default();
                return Err(Error::UnsafeOutput {
                    path: path.clone(),
                    reason: format!(
                        "it is a symbolic link to `{}`; annals writes only into a real folder (remove the link, or pass -o with the folder you mean)",
                        target.display()
                    ),
                });
            }
        }
    }
    resolve_path(&absolute).map_err(write_error)
}

/// Refuses an output folder that could destroy the site or foreign files.
/// `output` and `protected.root` must already be resolved ([`resolve_path`]).
pub fn check_output_dir(output: &Path, protected: &Protected, force: bool) -> Result<()> {
    check_output_path(output, protected)?;
    if force || !output.is_dir() {
        return Ok(());
    }
    let dir = Dir::open_ambient_dir(output, cap_std::ambient_authority()).map_err(|source| Error::Read {
        path: output.to_path_buf(),
        source,
    })?;
    check_claimable(&dir, output, force)
}

/// The checks of [`check_output_dir`] that need only the path.
pub fn check_output_path(output: &Path, protected: &Protected) -> Result<()> {
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
    Ok(())
}

/// Refuses an open output folder that holds files but no manifest (annals
/// did not make it), unless forced. The lock file does not count.
pub fn check_claimable(dir: &Dir, output: &Path, force: bool) -> Result<()> {
    if force || dir.symlink_metadata(MANIFEST).is_ok_and(|meta| meta.is_file()) {
        return Ok(());
    }
    let entries = dir.entries().map_err(|source| Error::Read {
        path: output.to_path_buf(),
        source,
    })?;
    let non_empty = entries
        .filter_map(|entry| entry.ok())
        .any(|entry| entry.file_name() != LOCK_FILE);
    if non_empty {
        return Err(Error::UnsafeOutput {
            path: output.to_path_buf(),
            reason: "the folder is not empty and annals did not create it; pass --force to write into it anyway (files annals did not write are kept)".into(),
        });
    }
    Ok(())
}

/// Opens the output folder at the resolved `output`, making it and any
/// missing parents (added to `created`, parents first). The folder itself
/// is opened without following a link.
pub fn open_output(output: &Path, created: &mut Vec<PathBuf>) -> io::Result<Dir> {
    let name = output
        .file_name()
        .ok_or_else(|| io::Error::other("the output folder has no name"))?;
    let parent = output
        .parent()
        .ok_or_else(|| io::Error::other("the output folder has no parent"))?;
    let parent_dir = match Dir::open_ambient_dir(parent, cap_std::ambient_authority()) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            open_output(parent, created)?;
            Dir::open_ambient_dir(parent, cap_std::ambient_authority())?
        }
        other => other?,
    };
    match parent_dir.create_dir(name) {
        Ok(()) => created.push(output.to_path_buf()),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
        Err(error) => return Err(error),
    }
    parent_dir.open_dir_nofollow(name).map_err(|error| {
        if parent_dir.symlink_metadata(name).is_ok_and(|meta| meta.is_symlink()) {
            io::Error::other(format!("`{}` is a symbolic link", output.display()))
        } else {
            error
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

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
        fs::write(out.join(MANIFEST), "").unwrap();
        assert!(
            check_output_dir(&out, &protected, false).is_ok(),
            "annals made it its own"
        );
    }

    #[test]
    fn site_yaml_may_not_send_the_output_out_of_the_site() {
        let root = Path::new("/site");
        assert_eq!(output_from_config(root, "public").unwrap(), root.join("public"));
        assert!(output_from_config(root, "build/site").is_ok());
        for bad in ["../elsewhere", "/home/me/.ssh", "public/../../x", ""] {
            assert!(output_from_config(root, bad).is_err(), "{bad}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_output_folder_is_refused_before_it_is_resolved() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site").canonicalize().unwrap_or_else(|_| {
            fs::create_dir_all(dir.path().join("site")).unwrap();
            dir.path().join("site").canonicalize().unwrap()
        });
        let victim = dir.path().join("victim");
        fs::create_dir_all(&victim).unwrap();
        std::os::unix::fs::symlink(&victim, root.join("public")).unwrap();
        let error = resolve_output(&root.join("public"), &root).unwrap_err().to_string();
        assert!(error.contains("symbolic link"), "{error}");
        fs::create_dir_all(root.join("real")).unwrap();
        std::os::unix::fs::symlink(&victim, root.join("real/inner")).unwrap();
        assert!(resolve_output(&root.join("real/inner/deeper"), &root).is_err());
        assert!(resolve_output(&root.join("real/out"), &root).is_ok());
    }

    #[test]
    fn resolve_keeps_missing_parts_and_rejects_climbing_through_them() {
        let dir = tempfile::tempdir().unwrap();
        let resolved = resolve_path(&dir.path().join("a/b")).unwrap();
        assert!(resolved.ends_with("a/b"));
        assert!(resolve_path(&dir.path().join("missing/../x")).is_err());
    }
}

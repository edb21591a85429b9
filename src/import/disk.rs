//! The disk side of `annals import`: reading the source with a size limit
//! and writing event files without ever following a symbolic link.
//!
//! A cloned site may hold a link where an event file or its folder would
//! go (`content/events/x.md -> ~/.bashrc`); writing through it would
//! overwrite the file it points to. So every target and every folder
//! between the site root and it is looked at first, and a link refuses the
//! whole import before anything is written. New files are created only if
//! nothing is there (`create_new`), and files replaced with `--force` are
//! written beside and renamed over, which replaces a file and never writes
//! into whatever a name points to.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};

use crate::error::Error;

/// The largest file `annals import` reads: far beyond any real timeline,
/// small enough that a hostile one cannot take the machine's memory.
pub const MAX_IMPORT_BYTES: u64 = 64 * 1024 * 1024;

/// Reads the file to import, refusing one over [`MAX_IMPORT_BYTES`] by the
/// size its metadata gives, before reading a byte of it.
pub fn read_source(path: &Path) -> Result<Vec<u8>, Error> {
    let failed = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(failed)?;
    let size = file.metadata().map_err(failed)?.len();
    if size > MAX_IMPORT_BYTES {
        return Err(failed(too_large(size)));
    }
    // A file that grows while it is read, or reports no size (a device),
    // is still cut off at the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(MAX_IMPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(failed)?;
    let read = bytes.len() as u64;
    if read > MAX_IMPORT_BYTES {
        return Err(failed(too_large(read)));
    }
    Ok(bytes)
}

fn too_large(size: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "it is {size} bytes, and annals imports files of at most {} MiB ({MAX_IMPORT_BYTES} bytes)",
            MAX_IMPORT_BYTES / 1024 / 1024
        ),
    )
}

/// What import does with one target path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plan {
    /// Nothing is there: create the file.
    Create,
    /// A regular file is there and `--force` was given: replace it.
    Replace,
    /// A regular file is there: keep it.
    Keep,
}

/// Decides what to do with `path`, refusing a symbolic link at it or at any
/// folder between `site_root` and it (for a path outside the site, at its
/// own folder), and anything there that is not a regular file.
pub fn plan(site_root: &Path, path: &Path, force: bool) -> Result<Plan, Error> {
    if let Some(folder) = path.parent() {
        refuse_linked_folders(site_root, folder)?;
    }
    match fs::symlink_metadata(path) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(Plan::Create),
        Err(source) => Err(Error::Read {
            path: path.to_path_buf(),
            source,
        }),
        Ok(meta) if meta.file_type().is_symlink() => Err(refused(
            path,
            "it is a symbolic link, and import never writes through one (--force overwrites regular files only)",
        )),
        Ok(meta) if !meta.is_file() => Err(refused(
            path,
            "it is not a regular file (--force overwrites regular files only)",
        )),
        Ok(_) if force => Ok(Plan::Replace),
        Ok(_) => Ok(Plan::Keep),
    }
}

/// Refuses when `folder`, or a folder between `site_root` and it, is a
/// symbolic link. Folders not there yet are fine: import creates them.
fn refuse_linked_folders(site_root: &Path, folder: &Path) -> Result<(), Error> {
    let mut checked = Vec::new();
    match folder.strip_prefix(site_root) {
        Ok(inside) => {
            let mut at = site_root.to_path_buf();
            for part in inside.components() {
                if let Component::Normal(name) = part {
                    at.push(name);
                    checked.push(at.clone());
                } else {
                    at.push(part);
                }
            }
        }
        Err(_) => checked.push(folder.to_path_buf()),
    }
    for at in checked {
        match fs::symlink_metadata(&at) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(refused(
                    &at,
                    "it is a symbolic link, and import never writes into a linked folder",
                ))
            }
            Ok(_) => {}
            Err(error) if error.kind() == io::ErrorKind::NotFound => break,
            Err(source) => return Err(Error::Read { path: at, source }),
        }
    }
    Ok(())
}

fn refused(path: &Path, reason: &str) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source: io::Error::new(io::ErrorKind::AlreadyExists, reason),
    }
}

/// Writes `text` (an event file, or the bytes of a media file) to `path`
/// as [`plan`] decided; `Keep` writes nothing.
pub fn write(path: &Path, text: impl AsRef<[u8]>, plan: Plan) -> Result<(), Error> {
    let text = text.as_ref();
    let failed = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    match plan {
        Plan::Keep => Ok(()),
        // `create_new` fails on anything there, a dangling link included.
        Plan::Create => write_new(path, text).map_err(failed),
        Plan::Replace => {
            let temporary = beside(path);
            write_new(&temporary, text).map_err(failed)?;
            fs::rename(&temporary, path).map_err(|source| {
                let _ = fs::remove_file(&temporary);
                failed(source)
            })
        }
    }
}

/// Creates `path`, which must not exist, with `text`; a failed write
/// removes what it created.
fn write_new(path: &Path, text: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(text).inspect_err(|_| {
        let _ = fs::remove_file(path);
    })
}

/// A temporary name in the same folder as `path` (so renaming it over
/// `path` is atomic): `.x.md.<pid>.tmp`.
fn beside(path: &Path) -> PathBuf {
    let name = path.file_name().map(|name| name.to_string_lossy()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_created_and_an_existing_one_kept_or_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let path = root.join("content/events/x.md");
        assert_eq!(plan(root, &path, false).unwrap(), Plan::Create);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        write(&path, "one", Plan::Create).unwrap();
        assert_eq!(plan(root, &path, false).unwrap(), Plan::Keep);
        assert_eq!(plan(root, &path, true).unwrap(), Plan::Replace);
        write(&path, "two", Plan::Replace).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "two");
        let names: Vec<_> = fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file is left: {names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_target_or_a_folder_is_refused_even_with_force() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let victim = dir.path().join("victim");
        fs::create_dir_all(root.join("content/events")).unwrap();
        fs::write(&victim, "keep").unwrap();
        let link = root.join("content/events/x.md");
        std::os::unix::fs::symlink(&victim, &link).unwrap();
        for force in [false, true] {
            let error = plan(&root, &link, force).unwrap_err();
            assert!(
                matches!(&error, Error::Write { path, .. } if path == &link),
                "{error:?}"
            );
        }
        let outside = dir.path().join("elsewhere");
        fs::create_dir_all(&outside).unwrap();
        fs::remove_file(&link).unwrap();
        fs::remove_dir(root.join("content/events")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("content/events")).unwrap();
        let error = plan(&root, &root.join("content/events/y.md"), true).unwrap_err();
        assert!(
            matches!(&error, Error::Write { path, .. } if path == &root.join("content/events")),
            "{error:?}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn creating_never_follows_a_dangling_link() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("x.md");
        std::os::unix::fs::symlink(dir.path().join("made-through-the-link"), &link).unwrap();
        assert!(write(&link, "text", Plan::Create).is_err());
        assert!(!dir.path().join("made-through-the-link").exists());
    }
}

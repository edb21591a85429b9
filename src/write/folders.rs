//! File operations inside the output folder, made relative to open folder
//! handles and never through a symbolic link.
//!
//! A path such as `events/fair/index.html` is walked one name at a time
//! from the handle of the output folder: each folder is opened only if it
//! is a real folder (`O_NOFOLLOW`), a file is created only where nothing is
//! (`O_EXCL`, which a link also fails), opened only if it is not a link,
//! and replaced by renaming a temporary file over its name, which replaces
//! a link itself rather than what it points to. So a link planted in the
//! output folder — committed to a repository, or swapped in while a build
//! runs — can never redirect a write or a delete out of it. Where annals
//! meets a link it must write or delete through, it stops with
//! [`LinkInOutput`] naming it, and the user decides.
//!
//! Handles of the folders opened most recently are kept, up to a bound, so
//! a site of ten thousand folders does not hold ten thousand descriptors.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use cap_fs_ext::{DirExt, FollowSymlinks, OpenOptionsFollowExt};
use cap_std::fs::{Dir, Metadata, OpenOptions};

use crate::hashing::HashMap;

/// How many folder handles are kept open at most.
const KEPT_HANDLES: usize = 256;

/// A symbolic link where annals must write or delete: the output-relative
/// path of the link.
#[derive(Debug)]
pub struct LinkInOutput(pub String);

impl fmt::Display for LinkInOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is a symbolic link", self.0)
    }
}

impl std::error::Error for LinkInOutput {}

/// The link an I/O error is about, if it is one.
pub fn link_of(error: &io::Error) -> Option<&str> {
    error
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<LinkInOutput>())
        .map(|link| link.0.as_str())
}

fn link_error(relative: &str) -> io::Error {
    io::Error::other(LinkInOutput(relative.to_string()))
}

/// The output folder, open, and the folders below it opened so far.
pub struct Folders {
    root: Arc<Dir>,
    /// The output folder's path, for messages only: nothing is opened by it.
    path: PathBuf,
    kept: Mutex<HashMap<String, Arc<Dir>>>,
}

/// The folder part and the name of an output-relative path:
/// `events/x/index.html` → (`events/x`, `index.html`).
pub fn split(path: &str) -> (&str, &str) {
    match path.rsplit_once('/') {
        Some((folder, name)) => (folder, name),
        None => ("", path),
    }
}

impl Folders {
    /// Takes the open output folder found at `path`.
    pub fn new(root: Dir, path: &Path) -> Self {
        Folders {
            root: Arc::new(root),
            path: path.to_path_buf(),
            kept: Mutex::new(HashMap::default()),
        }
    }

    /// The output folder's path, for messages.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The output folder itself.
    pub fn root(&self) -> &Dir {
        &self.root
    }

    /// The output folder's handle, shared.
    pub fn root_handle(&self) -> Arc<Dir> {
        Arc::clone(&self.root)
    }

    /// The folder at the output-relative `relative` (`""` is the output
    /// folder), or `None` if it does not exist.
    pub fn open(&self, relative: &str) -> io::Result<Option<Arc<Dir>>> {
        self.walk(relative, None)
    }

    /// The folder at `relative`, made with any missing parents; the
    /// folders made are added to `created`, parents first. Another thread
    /// making the same folder at the same time is no error.
    pub fn open_or_create(&self, relative: &str, created: &mut Vec<String>) -> io::Result<Arc<Dir>> {
        let opened = self.walk(relative, Some(created))?;
        opened.ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }

    fn walk(&self, relative: &str, mut create: Option<&mut Vec<String>>) -> io::Result<Option<Arc<Dir>>> {
        if relative.is_empty() {
            return Ok(Some(Arc::clone(&self.root)));
        }
        if let Some(dir) = self.kept().get(relative) {
            return Ok(Some(Arc::clone(dir)));
        }
        let (parent, name) = split(relative);
        let Some(parent_dir) = self.walk(parent, create.as_deref_mut())? else {
            return Ok(None);
        };
        // A folder that is there is opened at once; one that is not is made
        // first (or by another thread meanwhile) and then opened.
        let mut opened = parent_dir.open_dir_nofollow(name);
        if let (Err(error), Some(created)) = (&opened, create.as_deref_mut()) {
            if error.kind() == io::ErrorKind::NotFound {
                match parent_dir.create_dir(name) {
                    Ok(()) => created.push(relative.to_string()),
                    Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {}
                    Err(error) => return Err(error),
                }
                opened = parent_dir.open_dir_nofollow(name);
            }
        }
        let dir = match opened {
            Ok(dir) => Arc::new(dir),
            Err(error) => {
                return match parent_dir.symlink_metadata(name) {
                    Ok(meta) if meta.is_symlink() => Err(link_error(relative)),
                    Ok(meta) if !meta.is_dir() => {
                        Err(io::Error::other(format!("`{relative}` is a file, not a folder")))
                    }
                    Err(missing) if missing.kind() == io::ErrorKind::NotFound && create.is_none() => Ok(None),
                    _ => Err(error),
                };
            }
        };
        let mut kept = self.kept();
        if kept.len() < KEPT_HANDLES {
            kept.insert(relative.to_string(), Arc::clone(&dir));
        }
        Ok(Some(dir))
    }

    fn kept(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Dir>>> {
        self.kept.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// What is at `name` in `dir`, without following a link: `None` if
/// nothing; a link is an error naming `relative`, the path it has in the
/// output.
pub fn stat(dir: &Dir, name: &str, relative: &str) -> io::Result<Option<Metadata>> {
    match dir.symlink_metadata(name) {
        Ok(meta) if meta.is_symlink() => Err(link_error(relative)),
        Ok(meta) => Ok(Some(meta)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error),
    }
}

/// Creates the file `name` in `dir`, which must not exist (not even as a link).
pub fn create_new(dir: &Dir, name: &str) -> io::Result<std::fs::File> {
    let file = dir.open_with(name, OpenOptions::new().write(true).create_new(true))?;
    Ok(file.into_std())
}

/// Opens the file `name` in `dir` for reading, unless it is a link.
pub fn open_read(dir: &Dir, name: &str, relative: &str) -> io::Result<std::fs::File> {
    match dir.open_with(name, OpenOptions::new().read(true).follow(FollowSymlinks::No)) {
        Ok(file) => Ok(file.into_std()),
        Err(error) => match dir.symlink_metadata(name) {
            Ok(meta) if meta.is_symlink() => Err(link_error(relative)),
            _ => Err(error),
        },
    }
}

/// Creates or empties the file `name` in `dir` for writing, unless it is a link.
pub fn create_or_truncate(dir: &Dir, name: &str, relative: &str) -> io::Result<std::fs::File> {
    let mut options = OpenOptions::new();
    options
        .write(true)
        .create(true)
        .truncate(true)
        .follow(FollowSymlinks::No);
    match dir.open_with(name, &options) {
        Ok(file) => Ok(file.into_std()),
        Err(error) => match dir.symlink_metadata(name) {
            Ok(meta) if meta.is_symlink() => Err(link_error(relative)),
            _ => Err(error),
        },
    }
}

/// The name of the temporary file that stands in for `name` while this
/// process writes it.
pub fn temporary_name(name: &str) -> String {
    format!(".{name}.annals-{}.tmp", std::process::id())
}

/// Whether `name` is a temporary file of the process `pid`.
pub fn is_temporary_of(name: &str, pid: &str) -> bool {
    name.starts_with('.') && name.ends_with(&format!(".annals-{pid}.tmp"))
}

/// Creates this process's temporary file for `name`, replacing one a
/// killed build of the same process id may have left (a regular file only).
pub fn create_temporary(dir: &Dir, name: &str, relative: &str) -> io::Result<(String, std::fs::File)> {
    let temporary = temporary_name(name);
    match create_new(dir, &temporary) {
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            let (folder, _) = split(relative);
            let shown = if folder.is_empty() {
                temporary.clone()
            } else {
                format!("{folder}/{temporary}")
            };
            stat(dir, &temporary, &shown)?;
            dir.remove_file(&temporary)?;
            let file = create_new(dir, &temporary)?;
            Ok((temporary, file))
        }
        other => other.map(|file| (temporary, file)),
    }
}

/// Writes `bytes` to `name` in `dir` through a temporary file renamed over
/// it, so no reader ever sees half a file and a link at `name` is replaced,
/// not written through.
pub fn replace(dir: &Dir, name: &str, relative: &str, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let (temporary, mut file) = create_temporary(dir, name, relative)?;
    let result = file
        .write_all(bytes)
        .and_then(|()| file.flush())
        .and_then(|()| dir.rename(&temporary, dir, name));
    if result.is_err() {
        let _ = dir.remove_file(&temporary);
    }
    result
}

/// Reads the whole file `name` in `dir`, unless it is a link.
pub fn read_all(dir: &Dir, name: &str, relative: &str) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut file = open_read(dir, name, relative)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Reads the file `name` in `dir`, unless it is a link or longer than `limit`.
pub fn read_limited(dir: &Dir, name: &str, relative: &str, limit: u64) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let file = open_read(dir, name, relative)?;
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::other(format!("`{relative}` is longer than {limit} bytes")));
    }
    Ok(bytes)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn open(dir: &Path) -> Folders {
        let handle = Dir::open_ambient_dir(dir, cap_std::ambient_authority()).unwrap();
        Folders::new(handle, dir)
    }

    #[test]
    fn a_linked_folder_is_named_and_never_entered() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("out");
        let victim = temp.path().join("victim");
        std::fs::create_dir_all(out.join("events")).unwrap();
        std::fs::create_dir_all(&victim).unwrap();
        std::os::unix::fs::symlink(&victim, out.join("events/x")).unwrap();
        let folders = open(&out);
        let error = folders.open_or_create("events/x/deeper", &mut Vec::new()).unwrap_err();
        assert_eq!(link_of(&error), Some("events/x"));
        let error = folders.open("events/x").unwrap_err();
        assert_eq!(link_of(&error), Some("events/x"));
        assert!(
            std::fs::read_dir(&victim).unwrap().next().is_none(),
            "nothing was made in the victim"
        );
    }

    #[test]
    fn a_linked_file_is_neither_read_nor_written_through() {
        let temp = tempfile::tempdir().unwrap();
        let out = temp.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        let victim = temp.path().join("victim.txt");
        std::fs::write(&victim, "secret").unwrap();
        std::os::unix::fs::symlink(&victim, out.join("index.html")).unwrap();
        let folders = open(&out);
        let error = open_read(folders.root(), "index.html", "index.html").unwrap_err();
        assert_eq!(link_of(&error), Some("index.html"));
        let error = create_or_truncate(folders.root(), "index.html", "index.html").unwrap_err();
        assert_eq!(link_of(&error), Some("index.html"));
        assert!(create_new(folders.root(), "index.html").is_err());
        assert_eq!(
            link_of(&stat(folders.root(), "index.html", "index.html").unwrap_err()),
            Some("index.html")
        );
        replace(folders.root(), "index.html", "index.html", b"page").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "secret");
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "page");
    }

    #[test]
    fn many_folders_are_opened_without_keeping_a_handle_for_each() {
        let temp = tempfile::tempdir().unwrap();
        let folders = open(temp.path());
        let mut created = Vec::new();
        for at in 0..(KEPT_HANDLES * 2) {
            folders.open_or_create(&format!("events/e{at}"), &mut created).unwrap();
        }
        assert_eq!(created.len(), KEPT_HANDLES * 2 + 1, "events/ and every event's folder");
        assert_eq!(folders.kept().len(), KEPT_HANDLES);
        assert!(folders.open("events/e300").unwrap().is_some());
        assert!(folders.open("events/missing").unwrap().is_none());
        assert!(folders.open("missing/deeper").unwrap().is_none());
    }
}

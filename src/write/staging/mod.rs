//! Takes the files of a build as they render, and makes them the output
//! folder's only when the whole build succeeded.
//!
//! A file whose bytes are already there is left alone; a new file is
//! written in place; a changed file is written beside the old one and
//! renamed over it at [`Staging::commit`], which then removes the files the
//! previous build wrote and this one did not — only those the manifest
//! records with a size and fingerprint they still have — and writes the
//! manifest last. A failed build is rolled back ([`Staging::abort`], also
//! on drop): the new files and folders go, the old files were never
//! touched. Files and folders are made by the rendering threads side by
//! side; what the build did is noted under a lock, but no file is made
//! while holding it. Every operation goes through [`super::folders`], so
//! nothing is written, read or deleted through a symbolic link.
//!
//! This file opens, locks and claims the folder and holds what the build
//! did; the steps of a build are in files of their own:
//!
//! - `previous`: the build found in the folder — its manifest, the view
//!   the render asks ([`Previous`]), and keeping its unchanged files.
//! - `take`: the writer threads, taking the render's outputs as they come.
//! - `stage`: writing one file, in place, beside the old one, or not at all.
//! - `writers`: the writers a file's bytes pass through on the way.
//! - `removals`: which of the previous build's files may be deleted, and
//!   deleting them.
//! - `commit`: renaming the changed files into place and writing the
//!   manifest.
//! - `rollback`: putting the folder back as it was after a failed build,
//!   and removing what a killed one left.

mod commit;
mod previous;
mod removals;
mod rollback;
mod stage;
mod take;
mod writers;

pub use previous::Previous;

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use cap_std::time::SystemTime;

use self::rollback::{remove_made_folders, remove_temporaries};
use super::folders::{self, link_of, Folders};
use super::lock::{OutputLock, LOCK_WAIT};
use super::manifest::{self, Manifest, Stamp, MANIFEST};
use super::output_dir::{check_claimable, check_output_path, open_output, Protected};
use crate::error::{Error, Result};

/// What a write did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or changed.
    pub written: usize,
    /// Files left alone because their bytes were already right.
    pub unchanged: usize,
    /// Files from the previous build that no longer exist in this one.
    pub removed: usize,
    /// HTML files the build made or kept.
    pub pages: usize,
    /// Files of the previous build this one no longer makes, left in place
    /// because annals cannot prove they are still what it wrote.
    pub kept: Vec<Kept>,
}

/// A file the previous build listed that this one left in place, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// Relative to the output folder.
    pub path: String,
    /// Why it was not deleted.
    pub reason: &'static str,
}

/// An output folder taking the files of a build in progress. See the
/// module documentation for what it promises.
pub struct Staging {
    folders: Folders,
    /// What the manifest of the previous build lists.
    previous: Manifest,
    /// When that manifest was written: after every file of its build.
    previous_written: Option<SystemTime>,
    /// Whether the previous build was made by this very build of annals,
    /// so the fingerprints it recorded can be trusted.
    same_annals: bool,
    /// Whether the folder had no files at all when the build began, so no
    /// file or folder need be looked for before it is written.
    fresh: bool,
    state: Mutex<Staged>,
    committed: bool,
    /// The output folder and its parents, when this build made them.
    made_folders: Vec<PathBuf>,
    /// Held until the build is committed or rolled back.
    lock: Option<OutputLock>,
}

/// What a build in progress did to the output folder; paths are relative
/// to it. Each path is held once, shared by the lists that name it (a big
/// site has hundreds of thousands).
#[derive(Default)]
struct Staged {
    /// Every path the build produced, with what the file looks like once
    /// written (for the manifest): none until it is, or when a kept file
    /// of the previous build had no stamp.
    files: BTreeMap<Arc<str>, Option<Stamp>>,
    /// Folders this build created, parents first.
    created_folders: Vec<String>,
    /// Files this build created where nothing was.
    created_files: Vec<Arc<str>>,
    /// Changed files: (their path, the temporary file beside them).
    replacements: Vec<(Arc<str>, String)>,
    unchanged: usize,
    /// The fingerprint of the build's inputs, once told.
    inputs: Option<u64>,
    /// Whether an empty manifest was written to claim a folder that had none.
    claimed: bool,
}

impl Staging {
    /// Opens `output` (resolved: [`super::resolve_output`]) for a build after
    /// the checks of [`super::check_output_dir`], made once the folder is
    /// locked, so a second build waits instead of finding a half-made folder.
    pub fn open_checked(output: &Path, protected: &Protected, force: bool) -> Result<Self> {
        check_output_path(output, protected)?;
        let staging = Self::open_locked(output)?;
        if !staging.previous_listed() {
            check_claimable(staging.folders.root(), output, force)?;
        }
        staging.claim()
    }

    /// Opens `output` for a build without the checks of
    /// [`super::check_output_dir`] (the caller made them), creating it if
    /// needed and waiting for another build to finish with it.
    pub fn open(output: &Path) -> Result<Self> {
        Self::open_locked(output)?.claim()
    }

    /// Opens `output`, creating it if needed, locks it, and reads what the
    /// previous build left there.
    fn open_locked(output: &Path) -> Result<Self> {
        let mut made_folders = Vec::new();
        let opened = open_output(output, &mut made_folders);
        let root = match opened {
            Ok(root) => root,
            Err(source) => {
                remove_made_folders(&mut made_folders);
                return Err(Error::Write {
                    path: output.to_path_buf(),
                    source,
                });
            }
        };
        let folders = Folders::new(root, output);
        let mut staging = Staging {
            folders,
            previous: Manifest::default(),
            previous_written: None,
            same_annals: false,
            fresh: false,
            state: Mutex::new(Staged::default()),
            committed: false,
            made_folders,
            lock: None,
        };
        // From here a failure drops `staging`, which takes back the folders.
        let (lock, stale) = OutputLock::acquire(staging.folders.root_handle(), output, LOCK_WAIT)?;
        staging.lock = Some(lock);
        if let Some(pid) = stale {
            // A build killed while it wrote: its temporary files carry its
            // process id, and are annals' own to remove.
            remove_temporaries(&staging.folders, "", &pid);
        }
        staging.read_previous()?;
        Ok(staging)
    }

    /// Claims a folder that has no manifest yet with an empty one, so that
    /// if this build is killed half way the next one still knows the folder
    /// is annals' own. It lists nothing, so nothing will be deleted for it;
    /// a failed build removes it again.
    fn claim(self) -> Result<Self> {
        if !self.previous_listed() {
            let text = manifest::render(&Manifest::default());
            folders::replace(self.folders.root(), MANIFEST, MANIFEST, text.as_bytes())
                .map_err(|source| self.error(MANIFEST, source))?;
            self.state().claimed = true;
        }
        Ok(self)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, Staged> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The error for `path` (relative to the output folder); a link found
    /// on the way is named itself.
    fn error(&self, path: &str, source: io::Error) -> Error {
        match link_of(&source) {
            Some(link) => Error::LinkInOutput {
                path: self.folders.path().join(link),
            },
            None => Error::Write {
                path: self.folders.path().join(path),
                source,
            },
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        self.roll_back();
    }
}

//! The build a [`Staging`] found in its folder: its manifest, read when
//! the folder is opened; [`Previous`], the read-only view the render asks
//! whether a page or the whole build is still as that build wrote it; and
//! keeping those files when the render says they are unchanged.
//!
//! A file counts as the previous build's only while it has the size the
//! manifest records and is no newer than the manifest, which is written
//! after every file of its build, and only when that build was made by
//! this very build of annals.

use std::io;

use rayon::prelude::*;

use super::Staging;
use crate::error::Result;
use crate::render::PreviousBuild;
use crate::write::folders;
use crate::write::manifest::{self, is_safe_relative, Stamp, MANIFEST};

/// The largest manifest annals reads (about 4 million files' worth).
const MAX_MANIFEST_BYTES: u64 = 512 * 1024 * 1024;

impl Staging {
    /// Reads the previous build's manifest, if there is one, and whether
    /// the folder holds any file yet.
    pub(super) fn read_previous(&mut self) -> Result<()> {
        let root = self.folders.root();
        let meta = folders::stat(root, MANIFEST, MANIFEST).map_err(|source| self.error(MANIFEST, source))?;
        if let Some(meta) = meta.filter(|meta| meta.is_file()) {
            let bytes = folders::read_limited(root, MANIFEST, MANIFEST, MAX_MANIFEST_BYTES)
                .map_err(|source| self.error(MANIFEST, source))?;
            self.previous = manifest::parse(&String::from_utf8_lossy(&bytes));
            self.previous_written = meta.modified().ok();
        }
        self.same_annals = self
            .previous
            .build
            .as_ref()
            .is_some_and(|(annals, _)| annals == env!("ANNALS_BUILD_ID"));
        let mut entries = root.entries().map_err(|source| self.error("", source))?;
        self.fresh = entries.all(|entry| entry.is_ok_and(|entry| entry.file_name() == manifest::LOCK_FILE));
        Ok(())
    }

    /// Whether the folder had a manifest when the build began (one whose
    /// time cannot be read counts as none).
    pub(super) fn previous_listed(&self) -> bool {
        self.previous_written.is_some()
    }

    /// What the previous build left in the folder, for the render to ask.
    pub fn previous_build(&self) -> Previous<'_> {
        Previous { staging: self }
    }

    /// Keeps the page the previous build wrote at `path`, as
    /// [`PreviousBuild::holds_page`] found it.
    pub(super) fn keep(&self, path: &str, print: u64) -> Result<()> {
        let Some(Some(stamp)) = self
            .previous
            .files
            .get(path)
            .filter(|stamp| stamp.is_some_and(|stamp| stamp.print == Some(print)))
        else {
            return Err(self.error(path, io::Error::other("the previous build has no such page to keep")));
        };
        self.take_path(path, Some(*stamp))
            .map_err(|source| self.error(path, source))?;
        self.state().unchanged += 1;
        Ok(())
    }

    /// Keeps every file of the previous build, as [`PreviousBuild::holds_build`]
    /// found them.
    pub(super) fn keep_all(&self) {
        let mut state = self.state();
        for (path, stamp) in &self.previous.files {
            state.files.insert(path.as_str().into(), *stamp);
        }
        state.unchanged = state.files.len();
    }

    /// Whether the file at `path` is still the one the last build wrote: of
    /// the recorded size, and not modified since the manifest was written
    /// (which is always after every file of its build).
    fn untouched(&self, path: &str, stamp: &Stamp) -> bool {
        let Some(written) = self.previous_written else {
            return false;
        };
        // Looked up in one call from the output folder's handle, which
        // cannot leave the folder; nothing is written on what it finds.
        self.folders.root().symlink_metadata(path).is_ok_and(|meta| {
            meta.is_file() && meta.len() == stamp.size && meta.modified().is_ok_and(|modified| modified <= written)
        })
    }
}

/// A read-only view of the build a [`Staging`] found in its folder.
pub struct Previous<'a> {
    staging: &'a Staging,
}

impl PreviousBuild for Previous<'_> {
    fn holds_page(&self, path: &str, print: u64) -> bool {
        let staging = self.staging;
        if !staging.same_annals || !is_safe_relative(path) {
            return false;
        }
        let Some(Some(stamp)) = staging.previous.files.get(path) else {
            return false;
        };
        stamp.print == Some(print) && staging.untouched(path, stamp)
    }

    fn holds_build(&self, inputs: u64) -> bool {
        let staging = self.staging;
        let same_inputs = staging
            .previous
            .build
            .as_ref()
            .is_some_and(|(_, known)| *known == inputs);
        if !staging.same_annals || !same_inputs {
            return false;
        }
        let files: Vec<(&String, &Option<Stamp>)> = staging.previous.files.iter().collect();
        files
            .par_iter()
            .all(|(path, stamp)| stamp.as_ref().is_some_and(|stamp| staging.untouched(path, stamp)))
    }
}

//! The plan of removals: which files of the previous build this one no
//! longer makes may be deleted, and deleting them.
//!
//! A file is deleted only when the previous manifest records it with a
//! size and fingerprint and the file on disk still has that size and
//! those bytes, and never when it is in `.git/`, the host's `CNAME`, the
//! manifest or the lock file ([`may_delete`]). Everything else is kept,
//! and the report says why. The plan is made before anything is renamed,
//! so a link in the way of a removal stops the build while the folder is
//! still as it was.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::Arc;

use rayon::prelude::*;

use super::writers::HashingWriter;
use super::{Kept, Staging};
use crate::error::Result;
use crate::write::folders::{self, split};
use crate::write::manifest::{may_delete, Stamp};

/// What becomes of one file of the previous build this one did not make.
enum Decision {
    /// It is still what annals wrote: it goes.
    Remove(String),
    /// It stays, for the reason given.
    Keep(Kept),
    /// It is no longer there.
    Gone,
}

impl Staging {
    /// Which files of the previous build this one no longer makes may be
    /// deleted: those the manifest records with a size and fingerprint that
    /// the file on disk still has. The others are kept, and said why.
    pub(super) fn plan_removals(&self, made: &BTreeMap<Arc<str>, Option<Stamp>>) -> Result<(Vec<String>, Vec<Kept>)> {
        let candidates: Vec<(&String, &Option<Stamp>)> = self
            .previous
            .files
            .iter()
            .filter(|(path, _)| !made.contains_key(path.as_str()))
            .collect();
        let decided: Vec<Result<Decision>> = candidates
            .par_iter()
            .map(|(path, stamp)| self.decide(path, stamp.as_ref()))
            .collect();
        let mut stale = Vec::new();
        let mut kept = Vec::new();
        for decision in decided {
            match decision? {
                Decision::Remove(path) => stale.push(path),
                Decision::Keep(reason) => kept.push(reason),
                Decision::Gone => {}
            }
        }
        Ok((stale, kept))
    }

    /// Whether the file at `path`, which the previous build recorded with
    /// `stamp`, may be deleted.
    fn decide(&self, path: &str, stamp: Option<&Stamp>) -> Result<Decision> {
        let kept = |reason| {
            Ok(Decision::Keep(Kept {
                path: path.to_string(),
                reason,
            }))
        };
        if !may_delete(path) {
            return kept("annals never deletes `.git/`, `CNAME` or its own manifest");
        }
        let Some(stamp) = stamp else {
            return kept("the manifest does not record its size and fingerprint");
        };
        match self.still_written(path, stamp) {
            Ok(None) => Ok(Decision::Gone),
            Ok(Some(true)) => Ok(Decision::Remove(path.to_string())),
            Ok(Some(false)) => kept("it changed since annals wrote it"),
            Err(source) => Err(self.error(path, source)),
        }
    }

    /// Whether the file at `path` still has the size and bytes of `stamp`
    /// (`None`: it is gone). A link on the way is an error.
    fn still_written(&self, path: &str, stamp: &Stamp) -> io::Result<Option<bool>> {
        let (folder, name) = split(path);
        let Some(dir) = self.folders.open(folder)? else {
            return Ok(None);
        };
        let Some(meta) = folders::stat(&dir, name, path)? else {
            return Ok(None);
        };
        if !meta.is_file() || meta.len() != stamp.size {
            return Ok(Some(false));
        }
        let file = folders::open_read(&dir, name, path)?;
        let mut hasher = HashingWriter::new(io::sink());
        io::copy(&mut file.take(stamp.size + 1), &mut hasher)?;
        Ok(Some(hasher.size() == stamp.size && hasher.print() == stamp.content))
    }

    /// Deletes the files [`Staging::plan_removals`] found `stale`, and the
    /// folders that leaves empty; returns how many files it deleted. One
    /// already gone is passed over.
    pub(super) fn remove_stale(&self, stale: &[String]) -> Result<usize> {
        let mut removed = 0;
        for path in stale {
            let (folder, name) = split(path);
            let Some(dir) = self.folders.open(folder).map_err(|source| self.error(path, source))? else {
                continue;
            };
            match dir.remove_file(name) {
                Ok(()) => removed += 1,
                Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                Err(error) => return Err(self.error(path, error)),
            }
            self.remove_empty_parents(folder);
        }
        Ok(removed)
    }

    /// Removes folders left empty by a removed file, up to the output folder.
    fn remove_empty_parents(&self, folder: &str) {
        let mut folder = folder;
        while !folder.is_empty() {
            let (parent, name) = split(folder);
            let removed = self
                .folders
                .open(parent)
                .ok()
                .flatten()
                .is_some_and(|dir| dir.remove_dir(name).is_ok());
            if !removed {
                break;
            }
            folder = parent;
        }
    }
}

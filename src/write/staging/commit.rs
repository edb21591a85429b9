//! The commit: the step that makes a build's files the folder's. The plan
//! of removals is made first, while nothing has changed; then each changed
//! file's temporary is renamed over it, the previous build's stale files
//! are deleted, and the manifest is written last, after every file it
//! lists. A rename that fails leaves a manifest of what is on disk
//! then, so the next build can still clean up after this one.

use std::collections::BTreeSet;
use std::io;

use cap_std::fs::Dir;
use rayon::prelude::*;

use super::{Staged, Staging, WriteReport};
use crate::error::Result;
use crate::write::folders::{self, split};
use crate::write::manifest::{self, Manifest, MANIFEST};

impl Staging {
    /// Makes the build's files the folder's: renames the changed files into
    /// place, removes the previous build's files this one did not make, and
    /// writes the manifest.
    pub fn commit(mut self) -> Result<WriteReport> {
        let state = std::mem::take(&mut *self.state());
        // Decided before anything is renamed, so a link in the way of a
        // removal stops the build while the folder is still as it was.
        let (stale, kept) = match self.plan_removals(&state.files) {
            Ok(plan) => plan,
            Err(error) => {
                *self.state() = state;
                return Err(error);
            }
        };
        self.committed = true;
        self.rename_into_place(&state)?;
        let mut report = WriteReport {
            written: state.created_files.len() + state.replacements.len(),
            unchanged: state.unchanged,
            removed: 0,
            pages: state.files.keys().filter(|path| path.ends_with(".html")).count(),
            kept,
        };
        report.removed = self.remove_stale(&stale)?;
        // After a change the manifest is written even if its text is the
        // same: its time must be later than every file's.
        let changed = report.written + report.removed > 0;
        self.write_manifest(&manifest_of(&state), changed)
            .map_err(|source| self.error(MANIFEST, source))?;
        Ok(report)
    }

    /// Renames each changed file's temporary over it. If any rename fails,
    /// records what is on disk now and returns the first failure.
    fn rename_into_place(&self, state: &Staged) -> Result<()> {
        let renamed: Vec<io::Result<()>> = state
            .replacements
            .par_iter()
            .map(|(path, temporary)| {
                let (folder, name) = split(path);
                let dir = self.folders.open(folder)?.ok_or(io::ErrorKind::NotFound)?;
                dir.rename(temporary, &dir, name)
            })
            .collect();
        let failed: Vec<usize> = renamed
            .iter()
            .enumerate()
            .filter(|(_, r)| r.is_err())
            .map(|(at, _)| at)
            .collect();
        let Some(&first) = failed.first() else {
            return Ok(());
        };
        self.record_partial(state, &failed);
        let (path, _) = &state.replacements[first];
        let source = renamed
            .into_iter()
            .nth(first)
            .and_then(Result::err)
            .unwrap_or_else(|| io::Error::other("rename failed"));
        Err(self.error(path, source))
    }

    /// After a rename failed: records in the manifest what is now on disk,
    /// so the next build can still clean up after this one.
    fn record_partial(&self, state: &Staged, failed: &[usize]) {
        let mut union = self.previous.clone();
        union.build = None;
        let pending: BTreeSet<&str> = failed.iter().map(|&at| &*state.replacements[at].0).collect();
        for (path, stamp) in &state.files {
            if let Some(stamp) = stamp.filter(|_| !pending.contains(&**path)) {
                union.files.insert(path.to_string(), Some(stamp));
            }
        }
        for (path, temporary) in failed.iter().map(|&at| &state.replacements[at]) {
            let (folder, _) = split(path);
            if let Ok(Some(dir)) = self.folders.open(folder) {
                let _ = dir.remove_file(temporary);
            }
        }
        let _ = self.write_manifest(&union, true);
    }

    /// Writes the manifest, unless `always` is false and it is already there.
    fn write_manifest(&self, manifest: &Manifest, always: bool) -> io::Result<()> {
        let text = manifest::render(manifest);
        let root = self.folders.root();
        if !always {
            let meta = folders::stat(root, MANIFEST, MANIFEST)?;
            if meta.is_some_and(|meta| meta.is_file() && meta.len() == text.len() as u64)
                && folders::read_all(root, MANIFEST, MANIFEST)? == text.as_bytes()
            {
                return Ok(());
            }
        }
        folders::replace(root, MANIFEST, MANIFEST, text.as_bytes())?;
        wait_for_the_clock(root)
    }
}

/// The manifest of a finished build: every path it made, with the stamp
/// of each it wrote or kept, and the build of annals and its inputs when
/// the render told them.
fn manifest_of(state: &Staged) -> Manifest {
    Manifest {
        build: state.inputs.map(|inputs| (env!("ANNALS_BUILD_ID").to_string(), inputs)),
        files: state
            .files
            .iter()
            .map(|(path, stamp)| (path.to_string(), *stamp))
            .collect(),
    }
}

/// Returns once a file written now would be dated after the manifest. A
/// file counts as untouched while it is no newer than the manifest, so an
/// edit made by hand after the build must not share the manifest's time,
/// as it could on a file system whose clock moves every few milliseconds.
fn wait_for_the_clock(root: &Dir) -> io::Result<()> {
    let dated = root.symlink_metadata(MANIFEST)?.modified()?;
    let probe = folders::temporary_name("clock");
    let now = || {
        folders::create_or_truncate(root, &probe, &probe)
            .and_then(|_| root.symlink_metadata(&probe))
            .and_then(|meta| meta.modified())
    };
    // A second at most: a clock that never moves must not hang the build.
    let mut result = Ok(());
    for _ in 0..1000 {
        match now() {
            Ok(time) if time > dated => break,
            Ok(_) => std::thread::sleep(std::time::Duration::from_millis(1)),
            Err(error) => {
                result = Err(error);
                break;
            }
        }
    }
    let _ = root.remove_file(&probe);
    result
}

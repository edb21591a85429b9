//! Writes a built site into its output folder without ever losing a file.
//!
//! - [`check_output_dir`] refuses folders that would destroy the site: the
//!   site root, `content/`, `themes/`, `static/`, anything inside them or
//!   above the root, `/`, the home folder, and non-empty folders annals did
//!   not create (unless forced). Paths are compared canonically, component by
//!   component, so `site-out/` is not mistaken for `site/`.
//! - [`Staging`] takes files while the build is still rendering, so a big
//!   site is never held in memory whole. A file whose bytes are already
//!   there is left alone; a new file is written in place; a changed file is
//!   written beside the old one and renamed over it only when the whole
//!   build succeeded ([`Staging::commit`]), which then removes the files the
//!   previous build wrote and this one did not, and writes the manifest
//!   last. A failed build is rolled back ([`Staging::abort`], also on drop):
//!   the new files and folders go, the old files were never touched. A file
//!   annals did not write is never deleted.
//! - Files and folders are made by the rendering threads themselves, side by
//!   side: what the build did is noted under a lock, but no file or folder
//!   is made while holding it.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io::{self, BufRead, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::render::{Outputs, Sink};

/// The file in the output folder listing what annals wrote there.
pub const MANIFEST: &str = ".annals-manifest";
const MANIFEST_HEADER: &str = "# Files written by annals; it deletes only files listed here.";
/// The line naming the build of annals and the inputs of the last build.
const MANIFEST_BUILD: &str = "# build ";

/// What a write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files created or changed.
    pub written: usize,
    /// Files left alone because their bytes were already right.
    pub unchanged: usize,
    /// Files from the previous build that no longer exist in this one.
    pub removed: usize,
    /// HTML files the build made or kept.
    pub pages: usize,
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
    let staging = Staging::open(output)?;
    outputs
        .files
        .par_iter()
        .try_for_each(|(path, bytes)| staging.put(path.clone(), bytes.to_vec()))?;
    staging.commit()
}

/// An output folder taking the files of a build in progress. See the
/// module documentation for what it promises.
pub struct Staging {
    output: PathBuf,
    /// What the manifest of the previous build lists.
    previous: Manifest,
    /// Whether the previous build was made by this very build of annals,
    /// so the fingerprints it recorded can be trusted.
    same_annals: bool,
    /// Whether the folder had no files at all when the build began, so no
    /// file or folder need be looked for before it is written.
    fresh: bool,
    state: Mutex<Staged>,
    committed: bool,
}

/// What a build in progress did to the output folder.
#[derive(Default)]
struct Staged {
    /// Every path the build produced.
    paths: BTreeSet<String>,
    /// Folders known to exist.
    folders: HashSet<PathBuf>,
    /// Folders this build created (the output folder itself included).
    created_folders: Vec<PathBuf>,
    /// Files this build created where nothing was.
    created_files: Vec<PathBuf>,
    /// Changed files: (temporary file, final place).
    replacements: Vec<(PathBuf, PathBuf)>,
    unchanged: usize,
    /// What each file looks like once written, for the manifest.
    stamps: HashMap<String, Stamp>,
    /// The fingerprint of the build's inputs, once told.
    inputs: Option<u64>,
    /// The empty manifest written to claim a folder that had none.
    claimed: Option<PathBuf>,
}

/// What annals knows of a file it wrote: its size and, for a page, the
/// fingerprint of the inputs it was rendered from. Nothing in it depends on
/// when the build ran, so the manifest is the same for the same site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    size: u64,
    print: Option<u64>,
}

/// The manifest: the files the last build wrote and, when it succeeded,
/// which annals made it from which inputs.
#[derive(Debug, Default)]
struct Manifest {
    /// (build of annals, fingerprint of the inputs).
    build: Option<(String, u64)>,
    files: BTreeMap<String, Option<Stamp>>,
    /// When the manifest was written: after every file of its build.
    written: Option<SystemTime>,
}

impl Manifest {
    /// Whether the file at `path` is still the one the last build wrote: of
    /// the recorded size, and not modified since the manifest was written
    /// (which is always after every file of its build).
    fn untouched(&self, output: &Path, path: &str, stamp: &Stamp) -> bool {
        let Some(written) = self.written else {
            return false;
        };
        is_safe_relative(path)
            && fs::symlink_metadata(output.join(path)).is_ok_and(|meta| {
                meta.is_file() && meta.len() == stamp.size && meta.modified().is_ok_and(|modified| modified <= written)
            })
    }
}

impl Staging {
    /// Opens `output` (already checked: [`check_output_dir`]) for a build,
    /// creating it if needed.
    pub fn open(output: &Path) -> Result<Self> {
        let mut state = Staged::default();
        let made = create_folders(output, &mut state.created_folders);
        made.map_err(|source| write_error(output, source))?;
        state.folders.insert(output.to_path_buf());
        let previous = read_manifest(output);
        let fresh = fs::read_dir(output).is_ok_and(|mut entries| entries.next().is_none());
        let manifest = output.join(MANIFEST);
        if !manifest.exists() {
            // Claim the folder at once, so that if this build is killed half
            // way the next one still knows the folder is annals' own. The
            // manifest lists nothing, so nothing in it will ever be deleted;
            // a failed build removes it again.
            write_manifest(output, &Manifest::default(), true).map_err(|source| write_error(&manifest, source))?;
            state.claimed = Some(manifest);
        }
        let same_annals = previous
            .build
            .as_ref()
            .is_some_and(|(annals, _)| annals == env!("ANNALS_BUILD_ID"));
        Ok(Self {
            output: output.to_path_buf(),
            previous,
            same_annals,
            fresh,
            state: Mutex::new(state),
            committed: false,
        })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, Staged> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Makes the build's files the folder's: renames the changed files into
    /// place, removes the previous build's files this one did not make, and
    /// writes the manifest.
    pub fn commit(mut self) -> Result<WriteReport> {
        let state = std::mem::take(&mut *self.state());
        let renamed: Vec<io::Result<()>> = state
            .replacements
            .par_iter()
            .map(|(temporary, target)| fs::rename(temporary, target))
            .collect();
        for ((temporary, target), result) in state.replacements.iter().zip(renamed) {
            if let Err(source) = result {
                let _ = fs::remove_file(temporary);
                // Record what this build may have written, so the next one
                // can still clean up after it.
                let mut union = Manifest::default();
                for path in self.previous.files.keys().chain(&state.paths) {
                    union.files.insert(path.clone(), None);
                }
                let _ = write_manifest(&self.output, &union, true);
                self.committed = true;
                return Err(write_error(target, source));
            }
        }
        self.committed = true;
        let mut report = WriteReport {
            written: state.created_files.len() + state.replacements.len(),
            unchanged: state.unchanged,
            removed: 0,
            pages: state.paths.iter().filter(|path| path.ends_with(".html")).count(),
        };
        for stale in self.previous.files.keys().filter(|path| !state.paths.contains(*path)) {
            if !is_safe_relative(stale) {
                continue;
            }
            let target = self.output.join(stale);
            if fs::symlink_metadata(&target).is_ok_and(|meta| meta.is_file()) {
                fs::remove_file(&target).map_err(|source| write_error(&target, source))?;
                report.removed += 1;
                remove_empty_parents(&self.output, &target);
            }
        }
        let manifest = Manifest {
            build: state.inputs.map(|inputs| (env!("ANNALS_BUILD_ID").to_string(), inputs)),
            files: state
                .paths
                .iter()
                .map(|path| (path.clone(), state.stamps.get(path).copied()))
                .collect(),
            written: None,
        };
        // After a change the manifest is written even if its text is the
        // same: its time must be later than every file's.
        let changed = report.written + report.removed > 0;
        write_manifest(&self.output, &manifest, changed)
            .map_err(|source| write_error(&self.output.join(MANIFEST), source))?;
        Ok(report)
    }

    /// Puts the folder back as it was: removes the files and folders this
    /// build created and the temporary files it wrote.
    pub fn abort(mut self) {
        self.roll_back();
    }

    fn roll_back(&mut self) {
        if self.committed {
            return;
        }
        self.committed = true;
        let state = std::mem::take(&mut *self.state());
        for path in state.created_files {
            let _ = fs::remove_file(path);
        }
        for (temporary, _) in state.replacements {
            let _ = fs::remove_file(temporary);
        }
        if let Some(manifest) = state.claimed {
            let _ = fs::remove_file(manifest);
        }
        let mut folders = state.created_folders;
        // Deepest first, so each is empty when its turn comes.
        folders.sort_by_key(|folder| std::cmp::Reverse(folder.components().count()));
        for folder in folders {
            let _ = fs::remove_dir(folder);
        }
    }

    /// Makes the folder for `path` and says what is at its place now.
    fn prepare(&self, path: &str) -> io::Result<(PathBuf, Option<fs::Metadata>)> {
        if !is_safe_relative(path) {
            return Err(io::Error::other("the output path leaves the output folder"));
        }
        let target = self.output.join(path);
        let folder = target.parent().unwrap_or(&self.output);
        let known = {
            let mut state = self.state();
            if !state.paths.insert(path.to_string()) {
                return Err(io::Error::other("two outputs have this path"));
            }
            state.folders.contains(folder)
        };
        if !known {
            // Made without holding the lock: the other threads write on.
            let mut created = Vec::new();
            let made = create_folders(folder, &mut created);
            let mut state = self.state();
            state.folders.extend(created.iter().cloned());
            // Recorded even when it failed half-way, so a rollback removes them.
            state.created_folders.extend(created);
            made?;
            state.folders.insert(folder.to_path_buf());
        }
        if self.fresh {
            return Ok((target, None));
        }
        match fs::symlink_metadata(&target) {
            Ok(meta) if meta.is_dir() => Err(io::Error::other("a folder is in the way of this file")),
            Ok(meta) => Ok((target, Some(meta))),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok((target, None)),
            Err(error) => Err(error),
        }
    }

    /// Writes one file, a page when it has a fingerprint: see [`Sink::put`].
    fn stage(&self, path: &str, bytes: &[u8], print: Option<u64>) -> io::Result<()> {
        match self.prepare(path)? {
            (target, None) => {
                let written = write_new(&target, bytes);
                // Recorded even when it failed half-way, so a rollback removes it.
                self.state().created_files.push(target);
                written?;
            }
            (target, Some(meta))
                if meta.is_file() && meta.len() == bytes.len() as u64 && fs::read(&target)? == bytes =>
            {
                self.state().unchanged += 1;
            }
            (target, Some(_)) => {
                let temporary = temporary_beside(&target);
                let written = write_temporary(&temporary, bytes);
                self.state().replacements.push((temporary, target));
                written?;
            }
        }
        // The file now holds exactly `bytes`.
        self.stamp(path, bytes.len() as u64, print);
        Ok(())
    }

    fn stamp(&self, path: &str, size: u64, print: Option<u64>) {
        let stamp = Stamp { size, print };
        self.state().stamps.insert(path.to_string(), stamp);
    }

    /// Writes one file as it is made: see [`Sink::put_written`].
    fn stage_written(&self, path: &str, write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>) -> io::Result<()> {
        match self.prepare(path)? {
            (target, None) => {
                let written = fs::File::create_new(&target).and_then(|file| {
                    let mut out = io::BufWriter::with_capacity(1 << 16, file);
                    write(&mut out)?;
                    out.into_inner().map_err(io::IntoInnerError::into_error)?.metadata()
                });
                self.state().created_files.push(target);
                self.stamp(path, written?.len(), None);
                Ok(())
            }
            (target, Some(meta)) => {
                let existing = if meta.is_file() {
                    Some(io::BufReader::new(fs::File::open(&target)?))
                } else {
                    None
                };
                let mut divert = Divert {
                    existing,
                    matched: 0,
                    target: &target,
                    temporary: temporary_beside(&target),
                    out: None,
                };
                let result = {
                    let mut out = io::BufWriter::with_capacity(1 << 16, &mut divert);
                    write(&mut out).and_then(|()| out.flush())
                }
                .and_then(|()| divert.finish());
                if let Some(out) = &divert.out {
                    let written = result.and_then(|()| out.metadata());
                    let temporary = divert.temporary;
                    self.state().replacements.push((temporary, target));
                    self.stamp(path, written?.len(), None);
                    return Ok(());
                }
                result?;
                self.state().unchanged += 1;
                self.stamp(path, meta.len(), None);
                Ok(())
            }
        }
    }
}

/// A writer that compares what it is given with the file already there and
/// starts a temporary file only at the first byte that differs, so an
/// unchanged file is read once and never written.
struct Divert<'a> {
    /// The old file, while everything so far matched it.
    existing: Option<io::BufReader<fs::File>>,
    /// How many bytes matched.
    matched: u64,
    target: &'a Path,
    temporary: PathBuf,
    /// The new file, once the bytes differ.
    out: Option<fs::File>,
}

impl Divert<'_> {
    /// Starts the temporary file with the part that matched.
    fn diverge(&mut self) -> io::Result<&mut fs::File> {
        if self.out.is_none() {
            self.existing = None;
            let mut out = match fs::File::create_new(&self.temporary) {
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                    fs::remove_file(&self.temporary)?;
                    fs::File::create_new(&self.temporary)?
                }
                other => other?,
            };
            let copied = match self.matched {
                0 => Ok(0),
                matched => fs::File::open(self.target).and_then(|old| io::copy(&mut old.take(matched), &mut out)),
            };
            if let Err(error) = copied {
                // Not yet handed to the staging, so not yet its to remove.
                drop(out);
                let _ = fs::remove_file(&self.temporary);
                return Err(error);
            }
            self.out = Some(out);
        }
        Ok(self.out.as_mut().expect("just set"))
    }

    /// Ends the comparison: an old file with more bytes differs too.
    fn finish(&mut self) -> io::Result<()> {
        if let Some(existing) = &mut self.existing {
            if existing.fill_buf()?.is_empty() {
                return Ok(());
            }
            self.diverge()?;
        }
        self.flush()
    }
}

impl Write for Divert<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if let Some(existing) = &mut self.existing {
            // Compare without consuming, so a mismatch part-way through
            // leaves `matched` exact.
            let mut compared = 0;
            let mut same = true;
            while compared < bytes.len() {
                let old = existing.fill_buf()?;
                let n = old.len().min(bytes.len() - compared);
                if n == 0 || old[..n] != bytes[compared..compared + n] {
                    same = false;
                    break;
                }
                existing.consume(n);
                compared += n;
                self.matched += n as u64;
            }
            if same {
                return Ok(bytes.len());
            }
            self.diverge()?.write_all(&bytes[compared..])?;
            return Ok(bytes.len());
        }
        self.diverge()?.write_all(bytes)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.out {
            Some(out) => out.flush(),
            None => Ok(()),
        }
    }
}

impl Sink for Staging {
    fn put(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        self.stage(&path, &bytes, None)
            .map_err(|source| write_error(&self.output.join(&path), source))
    }

    fn put_page(&self, path: String, bytes: Vec<u8>, print: u64) -> Result<()> {
        self.stage(&path, &bytes, Some(print))
            .map_err(|source| write_error(&self.output.join(&path), source))
    }

    fn keep_if_current(&self, path: &str, print: u64) -> Result<bool> {
        if !self.same_annals || !is_safe_relative(path) {
            return Ok(false);
        }
        let Some(Some(stamp)) = self.previous.files.get(path) else {
            return Ok(false);
        };
        if stamp.print != Some(print) || !self.previous.untouched(&self.output, path, stamp) {
            return Ok(false);
        }
        let mut state = self.state();
        if !state.paths.insert(path.to_string()) {
            return Err(write_error(
                &self.output.join(path),
                io::Error::other("two outputs have this path"),
            ));
        }
        state.stamps.insert(path.to_string(), *stamp);
        state.unchanged += 1;
        Ok(true)
    }

    fn begin_build(&self, inputs: &dyn Fn() -> u64) -> bool {
        let inputs = inputs();
        self.state().inputs = Some(inputs);
        let same_inputs = self.previous.build.as_ref().is_some_and(|(_, known)| *known == inputs);
        if !self.same_annals || !same_inputs {
            return false;
        }
        let files: Vec<(&String, &Option<Stamp>)> = self.previous.files.iter().collect();
        let intact = files.par_iter().all(|(path, stamp)| {
            stamp
                .as_ref()
                .is_some_and(|stamp| self.previous.untouched(&self.output, path, stamp))
        });
        if !intact {
            return false;
        }
        let mut state = self.state();
        for (path, stamp) in files {
            state.paths.insert(path.clone());
            if let Some(stamp) = stamp {
                state.stamps.insert(path.clone(), *stamp);
            }
        }
        state.unchanged = state.paths.len();
        true
    }

    fn put_written(
        &self,
        path: String,
        _size: usize,
        write: &mut dyn FnMut(&mut dyn Write) -> io::Result<()>,
    ) -> Result<()> {
        self.stage_written(&path, write)
            .map_err(|source| write_error(&self.output.join(&path), source))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        self.roll_back();
    }
}

fn write_error(path: &Path, source: io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Creates `folder` and any missing parents, adding those it made to
/// `created`, parents first. Another thread making the same folder at the
/// same time is no error.
fn create_folders(folder: &Path, created: &mut Vec<PathBuf>) -> io::Result<()> {
    // Made at once when its parent exists (one call, the usual case), else
    // after its parent; a name already taken must be a real folder.
    let made = match fs::create_dir(folder) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            let parent = folder.parent().ok_or(error)?;
            create_folders(parent, created)?;
            fs::create_dir(folder)
        }
        other => other,
    };
    match made {
        Ok(()) => created.push(folder.to_path_buf()),
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            if !fs::symlink_metadata(folder)?.is_dir() {
                return Err(io::Error::other(format!(
                    "`{}` is a file, not a folder",
                    folder.display()
                )));
            }
        }
        Err(error) => return Err(error),
    }
    Ok(())
}

/// Writes a file that must not exist yet; says what it looks like then.
fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = fs::File::create_new(path)?;
    file.write_all(bytes)?;
    file.flush()
}

/// Writes a temporary file, replacing one a killed build may have left.
fn write_temporary(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match write_new(path, bytes) {
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(path)?;
            write_new(path, bytes)
        }
        other => other,
    }
}

/// Returns once a file written now would be dated after `path`. A file
/// counts as untouched while it is no newer than the manifest, so an edit
/// made by hand after the build must not share the manifest's time, as it
/// could on a file system whose clock moves every few milliseconds.
fn wait_for_the_clock(path: &Path) -> io::Result<()> {
    let dated = fs::metadata(path)?.modified()?;
    let probe = temporary_beside(path);
    let now = || fs::write(&probe, b"").and_then(|()| fs::metadata(&probe)?.modified());
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
    let _ = fs::remove_file(&probe);
    result
}

fn temporary_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.annals-{}.tmp", std::process::id()))
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
    let temporary = temporary_beside(path);
    let result = write_temporary(&temporary, bytes).and_then(|_| fs::rename(&temporary, path));
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

/// Reads the manifest; a missing or unreadable one lists nothing. Lines
/// are `path`, or `path<TAB>size<TAB>fingerprint` (`-` for none).
fn read_manifest(output: &Path) -> Manifest {
    let mut manifest = Manifest::default();
    let path = output.join(MANIFEST);
    let Ok(text) = fs::read_to_string(&path) else {
        return manifest;
    };
    manifest.written = fs::metadata(&path).and_then(|meta| meta.modified()).ok();
    for line in text.lines().filter(|line| !line.is_empty()) {
        if let Some(build) = line.strip_prefix(MANIFEST_BUILD) {
            let mut parts = build.split(' ');
            if let (Some(annals), Some(inputs)) = (parts.next(), parts.next()) {
                if let Ok(inputs) = u64::from_str_radix(inputs, 16) {
                    manifest.build = Some((annals.to_string(), inputs));
                }
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let mut fields = line.split('\t');
        let path = fields.next().unwrap_or_default().to_string();
        let stamp = (|| {
            let size = fields.next()?.parse().ok()?;
            let print = match fields.next()? {
                "-" => None,
                hex => Some(u64::from_str_radix(hex, 16).ok()?),
            };
            Some(Stamp { size, print })
        })();
        manifest.files.insert(path, stamp);
    }
    manifest
}

fn write_manifest(output: &Path, manifest: &Manifest, always: bool) -> io::Result<()> {
    let mut text = String::from(MANIFEST_HEADER);
    text.push('\n');
    if let Some((annals, inputs)) = &manifest.build {
        let _ = writeln!(text, "{MANIFEST_BUILD}{annals} {inputs:016x}");
    }
    // A name with a line break or tab could not be read back as one path;
    // leaving it out means only that annals will never delete it.
    for (path, stamp) in manifest
        .files
        .iter()
        .filter(|(path, _)| !path.contains(['\n', '\r', '\t']))
    {
        text.push_str(path);
        if let Some(stamp) = stamp {
            let print = stamp.print.map_or("-".to_string(), |print| format!("{print:016x}"));
            let _ = write!(text, "\t{}\t{print}", stamp.size);
        }
        text.push('\n');
    }
    let path = output.join(MANIFEST);
    let written = if always {
        replace_atomically(&path, text.as_bytes())?;
        true
    } else {
        write_if_changed(&path, text.as_bytes())?
    };
    if written {
        wait_for_the_clock(&path)?;
    }
    Ok(())
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
    use crate::render::FileBytes;

    fn outputs(files: &[(&str, &str)]) -> Outputs {
        Outputs {
            files: files
                .iter()
                .map(|(p, c)| {
                    (
                        p.to_string(),
                        FileBytes::Whole(std::sync::Arc::new(c.as_bytes().to_vec())),
                    )
                })
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
    fn a_streamed_file_is_rewritten_only_where_it_differs() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let old = "a".repeat(100_000);
        write_outputs(&out, &outputs(&[("data.json", old.as_str())])).unwrap();
        let mut changed_middle = old.clone();
        changed_middle.replace_range(70_000..70_001, "b");
        for (new, written) in [
            (old.clone(), 0),
            (changed_middle, 1),
            (format!("{old}tail"), 1),
            (old[..500].to_string(), 1),
            (String::new(), 1),
        ] {
            write_outputs(&out, &outputs(&[("data.json", old.as_str())])).unwrap();
            let staging = Staging::open(&out).unwrap();
            staging
                .put_written("data.json".into(), 0, &mut |w| {
                    // In uneven pieces, as a serializer writes.
                    for piece in new.as_bytes().chunks(777) {
                        w.write_all(piece)?;
                    }
                    Ok(())
                })
                .unwrap();
            let report = staging.commit().unwrap();
            assert_eq!(report.written, written, "{} bytes", new.len());
            assert_eq!(fs::read_to_string(out.join("data.json")).unwrap(), new);
        }
    }

    #[test]
    fn a_build_killed_half_way_leaves_a_folder_the_next_build_accepts() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        fs::create_dir_all(&root).unwrap();
        let out = root.join("public");
        let staging = Staging::open(&out).unwrap();
        staging.put("index.html".into(), b"half".to_vec()).unwrap();
        // A killed process runs no destructors.
        std::mem::forget(staging);
        let protected = Protected {
            root: root.canonicalize().unwrap(),
            home: None,
        };
        let out = out.canonicalize().unwrap();
        assert!(
            check_output_dir(&out, &protected, false).is_ok(),
            "the folder is annals' own"
        );
        write_outputs(&out, &outputs(&[("index.html", "whole")])).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "whole");
    }

    #[test]
    fn a_failed_build_takes_back_what_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_outputs(&out, &outputs(&[("index.html", "old"), ("a/b.html", "old")])).unwrap();
        fs::write(out.join("CNAME"), "example.org").unwrap();
        let before = snapshot(&out);
        let staging = Staging::open(&out).unwrap();
        staging.put("index.html".into(), b"new".to_vec()).unwrap();
        staging.put("new/deep/page.html".into(), b"new".to_vec()).unwrap();
        staging.put("a/b.html".into(), b"old".to_vec()).unwrap();
        staging.abort();
        assert_eq!(snapshot(&out), before);
        drop(Staging::open(&dir.path().join("never")).unwrap());
        assert!(
            !dir.path().join("never").exists(),
            "an output folder made for nothing is removed"
        );
    }

    #[test]
    fn files_written_at_once_into_shared_new_folders_are_all_kept_or_all_taken_back() {
        let paths: Vec<String> = (0..400)
            .map(|at| format!("events/part-{}/deep-{}/page-{at}.html", at % 7, at % 3))
            .collect();
        for commit in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("public");
            write_outputs(&out, &outputs(&[("index.html", "old")])).unwrap();
            let before = snapshot(&out);
            let staging = Staging::open(&out).unwrap();
            paths
                .par_iter()
                .for_each(|path| staging.put(path.clone(), path.as_bytes().to_vec()).unwrap());
            if commit {
                staging.commit().unwrap();
                for path in &paths {
                    assert_eq!(fs::read_to_string(out.join(path)).unwrap(), *path);
                }
            } else {
                staging.abort();
                assert_eq!(snapshot(&out), before, "every folder made at once is removed");
            }
        }
    }

    /// Every path under `dir` with its bytes.
    fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut all: Vec<_> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|entry| entry.unwrap())
            .map(|entry| {
                let bytes = if entry.file_type().is_file() {
                    fs::read(entry.path()).unwrap()
                } else {
                    Vec::new()
                };
                (entry.path().to_path_buf(), bytes)
            })
            .collect();
        all.sort();
        all
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

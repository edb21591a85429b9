//! Writing one file of a build into the output folder. Its folder is made
//! if need be; then a new file is written in place, a file whose bytes are
//! already there is left alone, and a changed file is written to a
//! temporary file beside the old one, for [`Staging::commit`] to rename
//! over it. Each step is noted in the staging's record as it is taken, so
//! a rollback finds everything this build made, even half-way.

use std::collections::btree_map::Entry;
use std::io::{self, Write};
use std::sync::Arc;

use cap_std::fs::{Dir, Metadata};

use super::writers::{Divert, HashingWriter};
use super::Staging;
use crate::write::folders::{self, split};
use crate::write::manifest::{content_print, is_safe_relative, Stamp};

/// Writes a file's bytes as they are made.
type WriteBytes<'w> = dyn FnMut(&mut dyn Write) -> io::Result<()> + 'w;

/// A file's place, made ready for it by [`Staging::prepare`].
struct Place<'p> {
    /// Its folder, open.
    dir: Arc<Dir>,
    /// Its name in the folder.
    name: &'p str,
    /// What is at its place now (nothing in a fresh folder).
    existing: Option<Metadata>,
    /// Its path as the staging's lists hold it.
    path: Arc<str>,
}

impl Staging {
    /// Makes the folder for `path` and says what is at its place now.
    fn prepare<'p>(&self, path: &'p str) -> io::Result<Place<'p>> {
        if !is_safe_relative(path) {
            return Err(io::Error::other("the output path leaves the output folder"));
        }
        let shared = self.take_path(path, None)?;
        let (folder, name) = split(path);
        let mut created = Vec::new();
        // Made without holding the lock: the other threads write on.
        let opened = self.folders.open_or_create(folder, &mut created);
        // Recorded even when it failed half-way, so a rollback removes them.
        self.state().created_folders.extend(created);
        let dir = opened?;
        let existing = match self.fresh {
            true => None,
            false => folders::stat(&dir, name, path)?,
        };
        if existing.as_ref().is_some_and(Metadata::is_dir) {
            return Err(io::Error::other("a folder is in the way of this file"));
        }
        Ok(Place {
            dir,
            name,
            existing,
            path: shared,
        })
    }

    /// Notes `path` as this build's, with its `stamp` if it is known yet;
    /// no two outputs may have the same path. Returns the path as the
    /// staging's lists hold it.
    pub(super) fn take_path(&self, path: &str, stamp: Option<Stamp>) -> io::Result<Arc<str>> {
        let shared: Arc<str> = path.into();
        match self.state().files.entry(Arc::clone(&shared)) {
            Entry::Occupied(_) => Err(io::Error::other("two outputs have this path")),
            Entry::Vacant(place) => {
                place.insert(stamp);
                Ok(shared)
            }
        }
    }

    /// Records what the file at `path` looks like now it is written.
    fn stamp(&self, path: &str, stamp: Stamp) {
        if let Some(place) = self.state().files.get_mut(path) {
            *place = Some(stamp);
        }
    }

    /// Writes one file, a page when it has a fingerprint: see [`Staging::take_one`].
    pub(super) fn stage(&self, path: &str, bytes: &[u8], print: Option<u64>) -> io::Result<()> {
        let place = self.prepare(path)?;
        let (dir, name) = (&place.dir, place.name);
        match place.existing {
            None => {
                let mut file = folders::create_new(dir, name)?;
                // Recorded even if writing fails half-way, so a rollback removes it.
                self.state().created_files.push(place.path);
                file.write_all(bytes)?;
            }
            Some(meta)
                if meta.is_file()
                    && meta.len() == bytes.len() as u64
                    && folders::read_all(dir, name, path)? == bytes =>
            {
                self.state().unchanged += 1;
            }
            Some(_) => {
                let (temporary, mut file) = folders::create_temporary(dir, name, path)?;
                self.state().replacements.push((place.path, temporary));
                file.write_all(bytes)?;
            }
        }
        // The file now holds exactly `bytes`.
        let stamp = Stamp {
            size: bytes.len() as u64,
            print,
            content: content_print(bytes),
        };
        self.stamp(path, stamp);
        Ok(())
    }

    /// Writes one file as it is made: see [`crate::render::Output::Stream`].
    pub(super) fn stage_written(&self, path: &str, write: &mut WriteBytes<'_>) -> io::Result<()> {
        let place = self.prepare(path)?;
        let (size, content) = match &place.existing {
            None => self.write_new(&place.dir, place.name, place.path, write)?,
            Some(meta) => self.write_over(&place.dir, place.name, place.path, meta, write)?,
        };
        let stamp = Stamp {
            size,
            print: None,
            content,
        };
        self.stamp(path, stamp);
        Ok(())
    }

    /// Writes the file `name` in `dir` where nothing was; returns its size
    /// and fingerprint.
    fn write_new(&self, dir: &Dir, name: &str, path: Arc<str>, write: &mut WriteBytes<'_>) -> io::Result<(u64, u64)> {
        let file = folders::create_new(dir, name)?;
        // Recorded even if writing fails half-way, so a rollback removes it.
        self.state().created_files.push(path);
        let mut out = HashingWriter::new(io::BufWriter::with_capacity(1 << 16, file));
        write(&mut out)?;
        out.flush()?;
        Ok((out.size(), out.print()))
    }

    /// Writes the file `name` in `dir` over what is there (`meta`): not at
    /// all if its bytes are the same, else to a temporary file beside it.
    /// Returns its size and fingerprint.
    fn write_over(
        &self,
        dir: &Dir,
        name: &str,
        path: Arc<str>,
        meta: &Metadata,
        write: &mut WriteBytes<'_>,
    ) -> io::Result<(u64, u64)> {
        let existing = if meta.is_file() {
            Some(io::BufReader::new(folders::open_read(dir, name, &path)?))
        } else {
            None
        };
        let mut divert = Divert::new(existing, dir, name, &path);
        let result = {
            let mut out = HashingWriter::new(io::BufWriter::with_capacity(1 << 16, &mut divert));
            write(&mut out)
                .and_then(|()| out.flush())
                .map(|()| (out.size(), out.print()))
        };
        let result = result.and_then(|written| divert.finish().map(|()| written));
        if let Some(temporary) = divert.into_temporary() {
            self.state().replacements.push((path, temporary));
        } else if result.is_ok() {
            self.state().unchanged += 1;
        }
        result
    }
}

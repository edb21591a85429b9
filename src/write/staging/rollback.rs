//! Putting the output folder back as it was. A failed build — aborted, or
//! dropped before its commit — takes back only what it made: the files and
//! folders it created, its temporary files, the manifest it claimed the
//! folder with, and the output folder and its parents if it made them. The
//! files of the previous build were never touched. A build killed while it
//! wrote leaves its lock and temporary files named with its process id,
//! which the next build removes.

use std::path::PathBuf;

use super::Staging;
use crate::write::folders::{self, split, Folders};
use crate::write::manifest::MANIFEST;

impl Staging {
    /// Puts the folder back as it was: removes the files and folders this
    /// build created and the temporary files it wrote.
    pub fn abort(mut self) {
        self.roll_back();
    }

    /// What [`Staging::abort`] does, and dropping a staging not committed.
    pub(super) fn roll_back(&mut self) {
        if self.committed {
            return;
        }
        self.committed = true;
        let state = std::mem::take(&mut *self.state());
        for path in &state.created_files {
            let (folder, name) = split(path);
            if let Ok(Some(dir)) = self.folders.open(folder) {
                let _ = dir.remove_file(name);
            }
        }
        for (path, temporary) in &state.replacements {
            let (folder, _) = split(path);
            if let Ok(Some(dir)) = self.folders.open(folder) {
                let _ = dir.remove_file(temporary);
            }
        }
        if state.claimed {
            let _ = self.folders.root().remove_file(MANIFEST);
        }
        let mut folders = state.created_folders;
        // Deepest first, so each is empty when its turn comes.
        folders.sort_by_key(|folder| std::cmp::Reverse(folder.matches('/').count()));
        for folder in folders {
            let (parent, name) = split(&folder);
            if let Ok(Some(dir)) = self.folders.open(parent) {
                let _ = dir.remove_dir(name);
            }
        }
        // The lock file goes with the lock, before its folder can go.
        self.lock = None;
        remove_made_folders(&mut self.made_folders);
    }
}

/// Removes the folders `open_output` made, deepest first.
pub(super) fn remove_made_folders(made: &mut Vec<PathBuf>) {
    for folder in made.drain(..).rev() {
        let _ = std::fs::remove_dir(folder);
    }
}

/// Removes the temporary files the killed process `pid` left under the
/// folder `relative`, without entering a link.
pub(super) fn remove_temporaries(folders: &Folders, relative: &str, pid: &str) {
    let Ok(Some(dir)) = folders.open(relative) else {
        return;
    };
    let Ok(entries) = dir.entries() else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        if kind.is_dir() {
            let path = if relative.is_empty() {
                name
            } else {
                format!("{relative}/{name}")
            };
            remove_temporaries(folders, &path, pid);
        } else if kind.is_file() && folders::is_temporary_of(&name, pid) {
            let _ = dir.remove_file(&name);
        }
    }
}

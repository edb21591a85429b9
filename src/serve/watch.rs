//! Watches the site's sources and reports changed paths, each with whether
//! the change is finished: a file closed after writing, moved into place or
//! removed is a save that is over, where a write alone may have more to
//! come.
//!
//! The site root is watched alone (for `site.yaml` and for `content/`,
//! `static/` or `themes/` appearing), and each of those folders
//! recursively; the output folder and everything else are never watched.
//! When a watched folder is created again (deleted and restored, or
//! replaced by `git checkout`), its watch is set up again. When the system
//! refuses native watches (Linux's inotify limit), the watcher falls back to
//! polling and says how to raise the limit.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, EventKind, ModifyKind, RenameMode};
use notify::{Config, PollWatcher, RecommendedWatcher, RecursiveMode, Watcher};

/// The folders of a site that hold sources.
pub const WATCHED_FOLDERS: [&str; 3] = ["content", "static", "themes"];

/// How often the polling fallback looks at the files.
pub const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// A running watcher, native or polling.
pub struct SiteWatcher {
    root: PathBuf,
    inner: Box<dyn Watcher + Send>,
    /// Whether it fell back to polling.
    pub polling: bool,
}

/// A message for the user about watching.
pub type Notice = String;

/// A path the watcher saw change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub path: PathBuf,
    /// Whether the change is finished (the file was closed after writing,
    /// moved into place or removed), so a rebuild need not wait for more.
    pub finished: bool,
}

impl SiteWatcher {
    /// Starts watching `root`; changed paths are sent to `changes`.
    /// `force_polling` skips native watches. Returns the watcher and, when
    /// it had to fall back, a notice saying why.
    pub fn start(root: &Path, changes: Sender<Seen>, force_polling: bool) -> notify::Result<(Self, Option<Notice>)> {
        let handler = move |event: notify::Result<notify::Event>| {
            let Ok(event) = event else { return };
            if changes_content(&event.kind) {
                let finished = finishes_a_change(&event.kind);
                for path in event.paths {
                    let _ = changes.send(Seen { path, finished });
                }
            }
        };
        if !force_polling {
            let native = RecommendedWatcher::new(handler.clone(), Config::default()).and_then(|watcher| {
                let mut watcher = Self {
                    root: root.to_path_buf(),
                    inner: Box::new(watcher),
                    polling: false,
                };
                watcher.watch_all()?;
                Ok(watcher)
            });
            match native {
                Ok(watcher) => return Ok((watcher, None)),
                Err(error) => {
                    let notice = fallback_notice(&error);
                    let watcher = Self::polling(root, handler)?;
                    return Ok((watcher, Some(notice)));
                }
            }
        }
        Ok((Self::polling(root, handler)?, None))
    }

    fn polling<F: notify::EventHandler>(root: &Path, handler: F) -> notify::Result<Self> {
        let config = Config::default()
            .with_poll_interval(POLL_INTERVAL)
            // The poller compares modification times in whole seconds: without
            // the contents, a second save within the same second would be missed.
            .with_compare_contents(true);
        let mut watcher = Self {
            root: root.to_path_buf(),
            inner: Box::new(PollWatcher::new(handler, config)?),
            polling: true,
        };
        watcher.watch_all()?;
        Ok(watcher)
    }

    fn watch_all(&mut self) -> notify::Result<()> {
        self.inner.watch(&self.root, RecursiveMode::NonRecursive)?;
        for folder in WATCHED_FOLDERS {
            self.rewatch(folder)?;
        }
        Ok(())
    }

    /// Watches `folder` (one of [`WATCHED_FOLDERS`]) again if it exists;
    /// call it when the folder reappears.
    pub fn rewatch(&mut self, folder: &str) -> notify::Result<()> {
        let path = self.root.join(folder);
        let _ = self.inner.unwatch(&path);
        if path.is_dir() {
            self.inner.watch(&path, RecursiveMode::Recursive)?;
        }
        Ok(())
    }
}

/// Whether an event can change a file's contents or presence. Reads (which
/// the build itself causes) must not trigger a rebuild.
fn changes_content(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Whether an event ends a change: a file closed after writing (a save in
/// place), moved to its name (a save through a temporary file) or removed.
fn finishes_a_change(kind: &EventKind) -> bool {
    matches!(
        kind,
        EventKind::Access(AccessKind::Close(AccessMode::Write))
            | EventKind::Modify(ModifyKind::Name(RenameMode::To | RenameMode::Both))
            | EventKind::Remove(_)
    )
}

fn fallback_notice(error: &notify::Error) -> Notice {
    let limit = matches!(error.kind, notify::ErrorKind::MaxFilesWatch)
        || matches!(&error.kind, notify::ErrorKind::Io(io) if io.raw_os_error() == Some(28));
    if limit {
        "the system's limit on watched folders is reached, so annals checks files every 300 ms instead; \
         to raise it on Linux: sudo sysctl fs.inotify.max_user_watches=524288"
            .to_string()
    } else {
        format!("cannot watch files natively ({error}), so annals checks them every 300 ms instead")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// Waits for the watcher to report `path` with `finished`, up to a
    /// generous bound (the machine may be busy).
    fn reported(seen: &mpsc::Receiver<Seen>, path: &Path, finished: bool) -> bool {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match seen.recv_timeout(left) {
                Ok(event) if event.path == path && event.finished == finished => return true,
                Ok(_) => {}
                Err(_) => return false,
            }
        }
        false
    }

    #[test]
    fn a_save_in_place_and_one_through_a_rename_are_reported_finished() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path().canonicalize().unwrap();
        std::fs::create_dir(root.join("content")).unwrap();
        let (sender, seen) = mpsc::channel();
        let (_watcher, notice) = SiteWatcher::start(&root, sender, false).unwrap();
        if notice.is_some() {
            eprintln!("native watches refused here; the polling watcher reports no close events");
            return;
        }
        let event = root.join("content/a.md");
        std::fs::write(&event, "title: A\n").unwrap();
        assert!(reported(&seen, &event, true), "a file closed after writing ends a save");

        let temporary = root.join("content/b.md.new");
        let renamed = root.join("content/b.md");
        std::fs::write(&temporary, "title: B\n").unwrap();
        std::fs::rename(&temporary, &renamed).unwrap();
        assert!(reported(&seen, &renamed, true), "a file moved into place ends a save");
    }
}

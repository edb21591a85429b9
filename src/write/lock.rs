//! One build at a time in an output folder.
//!
//! A build holds an exclusive lock (`flock`) on the output folder itself
//! for as long as it writes there, and names itself in `.annals-lock` (its
//! process id). A second build waits a moment for the lock and then stops,
//! naming the first, instead of mixing its files with the other's. The
//! operating system drops the lock when a process ends, however it ends:
//! a build killed half way leaves only a stale `.annals-lock`, and the next
//! build takes the folder over and is told which process it was, so the
//! temporary files that process left can be removed.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cap_fs_ext::OpenOptionsMaybeDirExt;
use cap_std::fs::{Dir, OpenOptions};

use super::folders;
use super::manifest::LOCK_FILE;
use crate::error::{Error, Result};

/// How long a build waits for another one to finish before giving up.
pub const LOCK_WAIT: Duration = Duration::from_secs(3);

/// The held lock; dropping it removes `.annals-lock` and releases the folder.
pub struct OutputLock {
    root: Arc<Dir>,
    /// The folder opened for reading, which is what holds the lock.
    held: std::fs::File,
}

impl OutputLock {
    /// Takes the lock on the output folder `root` (found at `path`),
    /// waiting up to `wait` for another build to release it. Also returns
    /// the process id named by a stale `.annals-lock`: a build that was
    /// killed while it wrote.
    pub fn acquire(root: Arc<Dir>, path: &Path, wait: Duration) -> Result<(OutputLock, Option<String>)> {
        let error = |source| Error::Write {
            path: path.to_path_buf(),
            source,
        };
        // Folder handles are for walking only (`O_PATH`); a lock needs the
        // folder opened for reading.
        let held = root
            .open_with(".", OpenOptions::new().read(true).maybe_dir(true))
            .map_err(error)?
            .into_std();
        let deadline = Instant::now() + wait;
        loop {
            match held.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(Error::Locked {
                        path: path.to_path_buf(),
                        pid: read_pid(&root).unwrap_or_else(|| "unknown".to_string()),
                    });
                }
                Err(std::fs::TryLockError::Error(source)) => return Err(error(source)),
            }
        }
        let stale = read_pid(&root);
        let mut file = folders::create_or_truncate(&root, LOCK_FILE, LOCK_FILE).map_err(|source| Error::Write {
            path: path.join(LOCK_FILE),
            source,
        })?;
        let written = writeln!(file, "{}", std::process::id());
        written.map_err(|source| Error::Write {
            path: path.join(LOCK_FILE),
            source,
        })?;
        Ok((OutputLock { root, held }, stale))
    }
}

/// The process id `.annals-lock` names, if it holds one.
fn read_pid(root: &Dir) -> Option<String> {
    let file = folders::open_read(root, LOCK_FILE, LOCK_FILE).ok()?;
    let mut text = String::new();
    file.take(32).read_to_string(&mut text).ok()?;
    let pid = text.trim();
    (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then(|| pid.to_string())
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still held, so no other build sees it half way.
        let _ = self.root.remove_file(LOCK_FILE);
        let _ = self.held.unlock();
    }
}

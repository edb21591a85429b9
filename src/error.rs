//! What can stop annals, each with the path it concerns.

use std::io;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

/// Everything that can make a command fail.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No `site.yaml` in the folder or any folder above it.
    #[error("no site.yaml in `{start}` or any folder above it")]
    NoSite {
        /// Where the search started.
        start: PathBuf,
    },
    /// A file or folder could not be read.
    #[error("cannot read `{path}`")]
    Read {
        /// What was being read.
        path: PathBuf,
        /// Why it failed.
        #[source]
        source: io::Error,
    },
    /// A file or folder could not be written.
    #[error("cannot write `{path}`")]
    Write {
        /// What was being written.
        path: PathBuf,
        /// Why it failed.
        #[source]
        source: io::Error,
    },
    /// The content has errors; each is a diagnostic.
    #[error("{} in the site; nothing was written", count_errors(.diagnostics))]
    Invalid {
        /// Every problem found, errors and warnings.
        diagnostics: Vec<Diagnostic>,
    },
    /// A command-line value is wrong.
    #[error("{0}")]
    Usage(String),
    /// A symbolic link in the output folder stands where annals must write
    /// or delete; annals never writes or deletes through one.
    #[error("`{path}` is a symbolic link; annals never writes or deletes through a link in the output folder (remove the link and build again)")]
    LinkInOutput {
        /// The link.
        path: PathBuf,
    },
    /// Another build is writing to the output folder.
    #[error("another annals build (pid {pid}) is writing to `{path}`; wait for it to finish, or stop it")]
    Locked {
        /// The output folder.
        path: PathBuf,
        /// The other build's process id, as it wrote it.
        pid: String,
    },
    /// The output folder is not one annals may write to.
    #[error("refusing to write to `{path}`: {reason}")]
    UnsafeOutput {
        /// The output folder as given.
        path: PathBuf,
        /// Why it is refused.
        reason: String,
    },
}

fn count_errors(diagnostics: &[Diagnostic]) -> String {
    match diagnostics.iter().filter(|d| d.is_error()).count() {
        1 => "1 error".to_string(),
        n => format!("{n} errors"),
    }
}

/// An error and every cause behind it, as one line: `outer: inner: …`.
/// Libraries (Tera, the file system) keep the useful detail in `source()`.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        cause = inner.source();
    }
    message
}

/// Shorthand for results in annals.
pub type Result<T, E = Error> = std::result::Result<T, E>;

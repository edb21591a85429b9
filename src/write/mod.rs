//! Writes a built site into its output folder without ever losing a file,
//! and without ever touching a file outside it.
//!
//! - `output_dir`: which folder a build may write into. It refuses the
//!   site's own folders, the home folder and foreign non-empty folders, and
//!   an output folder that is a symbolic link.
//! - `lock`: one build at a time holds the folder.
//! - `folders`: every read, write, rename and delete in the folder goes
//!   through open folder handles, one name at a time, and never through a
//!   symbolic link.
//! - `manifest`: what annals wrote, with each file's size and
//!   fingerprint: all it may ever delete.
//! - `staging`: takes the files of a build as they render, and commits
//!   them or rolls them back; a folder, with each step of a build in a
//!   file of its own.

mod folders;
mod lock;
pub mod manifest;
mod output_dir;
mod staging;

pub use lock::LOCK_WAIT;
pub use manifest::{LOCK_FILE, MANIFEST};
pub use output_dir::{check_output_dir, output_from_config, resolve_output, resolve_path, Protected};
pub use staging::{Kept, Previous, Staging, WriteReport};

use rayon::prelude::*;

use crate::error::Result;
use crate::render::{Output, Outputs};

/// Writes `outputs` into `output`, changing only what differs.
pub fn write_outputs(output: &std::path::Path, outputs: &Outputs) -> Result<WriteReport> {
    let staging = Staging::open(output)?;
    outputs.files.par_iter().try_for_each(|(path, bytes)| {
        staging.take_one(Output::File {
            path: path.clone(),
            bytes: bytes.clone(),
            print: None,
        })
    })?;
    staging.commit()
}

#[cfg(test)]
mod tests;

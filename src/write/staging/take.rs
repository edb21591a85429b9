//! The writer threads: a [`Staging`] takes the render's outputs from its
//! channel on as many threads as the render works on, gives each streamed
//! file a thread of its own, and stops them all at the first file that
//! cannot be written. The threads letting go of the channel is what stops
//! the render.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::thread::{Scope, ScopedJoinHandle};

use super::Staging;
use crate::error::Result;
use crate::render::{Chunks, FileBytes, Output};

/// The outputs of a build, shared by the writer threads; the channel
/// closes when the last of them lets go.
type SharedOutputs = Arc<Mutex<Receiver<Output>>>;

/// A thread writing one streamed file.
type StreamThread<'scope> = ScopedJoinHandle<'scope, Result<()>>;

impl Staging {
    /// Takes the outputs of a build as they come, until the render closes
    /// the channel; stops at the first that cannot be written. As many
    /// files are written at once as the render makes at once (creating
    /// files is most of a cold build's time), and each streamed file on a
    /// thread of its own as its pieces come.
    pub fn take(&self, outputs: Receiver<Output>) -> Result<()> {
        let outputs: SharedOutputs = Arc::new(Mutex::new(outputs));
        let failed = AtomicBool::new(false);
        let failed = &failed;
        std::thread::scope(|scope| {
            let workers: Vec<_> = (0..rayon::current_num_threads().max(1))
                .map(|_| {
                    let outputs = Arc::clone(&outputs);
                    scope.spawn(move || self.take_until_closed(scope, outputs, failed))
                })
                .collect();
            drop(outputs);
            let mut taken = Ok(());
            let mut streams = Vec::new();
            for handle in workers {
                let (worked, started) = joined(handle);
                taken = taken.and(worked);
                streams.extend(started);
            }
            for handle in streams {
                taken = taken.and(joined(handle));
            }
            taken
        })
    }

    /// One writer thread: takes outputs until the channel closes or a
    /// write fails (here or on another thread, as `failed` says). Returns
    /// how it ended and the threads it started for streamed files, which
    /// the caller joins.
    fn take_until_closed<'scope>(
        &'scope self,
        scope: &'scope Scope<'scope, '_>,
        outputs: SharedOutputs,
        failed: &AtomicBool,
    ) -> (Result<()>, Vec<StreamThread<'scope>>) {
        let mut streams = Vec::new();
        while !failed.load(Ordering::Relaxed) {
            let next = outputs.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).recv();
            let Ok(output) = next else {
                break;
            };
            if let Output::Stream { path, chunks } = output {
                streams.push(scope.spawn(move || self.take_stream(&path, chunks)));
                continue;
            }
            if let Err(error) = self.take_one(output) {
                // The channel closes with the last worker, and that stops
                // the render.
                failed.store(true, Ordering::Relaxed);
                return (Err(error), streams);
            }
        }
        (Ok(()), streams)
    }

    /// Takes one output of a build.
    pub fn take_one(&self, output: Output) -> Result<()> {
        match output {
            Output::Inputs(inputs) => {
                self.state().inputs = Some(inputs);
                Ok(())
            }
            Output::KeepAll => {
                self.keep_all();
                Ok(())
            }
            Output::File {
                path,
                bytes: FileBytes::Whole(bytes),
                print,
            } => self
                .stage(&path, &bytes, print)
                .map_err(|source| self.error(&path, source)),
            Output::File {
                path,
                bytes: FileBytes::Joined(joined),
                ..
            } => self
                .stage_written(&path, &mut |out| joined.write_to(out))
                .map_err(|source| self.error(&path, source)),
            Output::Keep { pages } => pages.iter().try_for_each(|(path, print)| self.keep(path, *print)),
            Output::Stream { path, chunks } => self.take_stream(&path, chunks),
        }
    }

    /// Writes one whole file that is not a page.
    pub fn put(&self, path: String, bytes: Vec<u8>) -> Result<()> {
        self.take_one(Output::File {
            path,
            bytes: FileBytes::Whole(Arc::new(bytes)),
            print: None,
        })
    }

    /// Writes a streamed file as its pieces come.
    fn take_stream(&self, path: &str, chunks: Chunks) -> Result<()> {
        let mut chunks = Some(chunks);
        self.stage_written(path, &mut |out| {
            chunks.take().map_or(Ok(()), |chunks| chunks.copy_to(out))
        })
        .map_err(|source| self.error(path, source))
    }
}

/// What a thread returned; its panic goes on.
fn joined<T>(handle: ScopedJoinHandle<'_, T>) -> T {
    handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

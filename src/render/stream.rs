//! The render's output as a stream of [`Output`] values.
//!
//! The render sends each file down a bounded channel as soon as it is made,
//! and a consumer on the other end — the writer (`write::Staging`), or
//! [`collect`] for the preview and tests — takes them as they come: a page
//! is held only until it is written. Nothing flows back: to skip a page the
//! previous build already wrote, the render asks a read-only view of that
//! build ([`PreviousBuild`]) and sends [`Output::Keep`], which the writer
//! resolves.

use crate::memo::Key;
use std::io;
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::Arc;

use super::outputs::{FileBytes, Outputs};
use crate::error::Error;
use crate::hashing::{map_with_capacity, HashMap};

/// How many outputs may wait for the consumer before the render waits for
/// it: enough to keep the writer busy, few enough that pages are not held.
const QUEUE: usize = 64;

/// How many pieces of a streamed file may wait for the consumer.
const STREAM_QUEUE: usize = 8;

/// The size of each piece of a streamed file.
const STREAM_CHUNK: usize = 1 << 16;

/// One item of a build's output. Paths are relative to the output folder.
pub enum Output {
    /// The fingerprint of everything this build is made from, first of all,
    /// for a consumer that records it.
    Inputs(u64),
    /// The previous build, made from the very same inputs, stands whole.
    KeepAll,
    /// One finished file; a page carries the fingerprint of its inputs.
    File {
        path: String,
        bytes: FileBytes,
        print: Option<u64>,
    },
    /// The pages the previous build wrote at these paths with these
    /// fingerprints are still right, and still there untouched: keep them.
    Keep { pages: Vec<(String, u64)> },
    /// A file too big to hold twice (`events.json` of a large site), in
    /// pieces as it is made.
    Stream { path: String, chunks: Chunks },
}

/// The pieces of a streamed file. It ends with an explicit end mark, so a
/// file whose maker failed half-way is never taken for whole.
pub struct Chunks(Receiver<Option<Vec<u8>>>);

impl Chunks {
    /// Copies the file to `out` as it comes.
    pub fn copy_to(self, out: &mut dyn io::Write) -> io::Result<()> {
        for chunk in self.0 {
            match chunk {
                Some(bytes) => out.write_all(&bytes)?,
                None => return Ok(()),
            }
        }
        Err(io::Error::other("the file ended before it was made whole"))
    }
}

/// What the previous build left in the output folder, as the render may
/// ask of it. Asking changes nothing.
pub trait PreviousBuild: Sync {
    /// Whether it holds, untouched, the page at `path` made from inputs
    /// with the fingerprint `print`.
    fn holds_page(&self, path: &str, print: u64) -> bool;

    /// Whether it holds the complete, untouched output of a build from
    /// inputs with the fingerprint `inputs`.
    fn holds_build(&self, inputs: u64) -> bool;
}

/// Makes the channel a render sends its output down, for a consumer that
/// takes it as it comes on a thread of its own (the writer): bounded, so
/// the render waits for the consumer rather than pile files up.
pub fn channel() -> (OutputSender, Receiver<Output>) {
    let (sender, receiver) = mpsc::sync_channel(QUEUE);
    (OutputSender(Kind::Bounded(sender)), receiver)
}

/// Makes a channel that holds everything until it is read, for a consumer
/// that keeps every file in memory anyway and reads once the render is
/// done ([`collect`]): no thread waits or wakes for each file.
pub fn unbounded() -> (OutputSender, Receiver<Output>) {
    let (sender, receiver) = mpsc::channel();
    (OutputSender(Kind::Unbounded(sender)), receiver)
}

/// The render's end of the output channel.
#[derive(Clone)]
pub struct OutputSender(Kind<Output>);

/// A channel's sending end, of either kind.
enum Kind<T> {
    Bounded(SyncSender<T>),
    Unbounded(Sender<T>),
}

impl<T> Clone for Kind<T> {
    fn clone(&self) -> Self {
        match self {
            Kind::Bounded(sender) => Kind::Bounded(sender.clone()),
            Kind::Unbounded(sender) => Kind::Unbounded(sender.clone()),
        }
    }
}

impl<T> Kind<T> {
    fn send(&self, item: T) -> Result<(), mpsc::SendError<T>> {
        match self {
            Kind::Bounded(sender) => sender.send(item),
            Kind::Unbounded(sender) => sender.send(item),
        }
    }
}

impl OutputSender {
    /// Sends one output. It fails only once the consumer has stopped, on
    /// an error of its own that says why.
    pub fn send(&self, output: Output) -> Result<(), Error> {
        self.0.send(output).map_err(|mpsc::SendError(output)| {
            let path = match output {
                Output::File { path, .. } | Output::Stream { path, .. } => path,
                Output::Inputs(_) | Output::KeepAll | Output::Keep { .. } => String::new(),
            };
            closed(path)
        })
    }

    /// Sends a file made by `write` as it writes it, a piece at a time.
    pub fn stream(&self, path: String, write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>) -> Result<(), Error> {
        let mut file = self.open_stream(path)?;
        // A failure leaves the file without its end mark.
        write(&mut file).map_err(|_| closed(file.path.clone()))?;
        file.finish()
    }

    /// Starts a file that is written a piece at a time, as its parts are
    /// made, and sent as it is written ([`StreamFile::finish`] ends it).
    pub fn open_stream(&self, path: String) -> Result<StreamFile, Error> {
        // The pieces go the way the files go: bounded for a consumer that
        // reads them as they come, held for one that reads later.
        let (sender, receiver) = match self.0 {
            Kind::Bounded(_) => {
                let (sender, receiver) = mpsc::sync_channel(STREAM_QUEUE);
                (Kind::Bounded(sender), receiver)
            }
            Kind::Unbounded(_) => {
                let (sender, receiver) = mpsc::channel();
                (Kind::Unbounded(sender), receiver)
            }
        };
        self.send(Output::Stream {
            path: path.clone(),
            chunks: Chunks(receiver),
        })?;
        Ok(StreamFile {
            path,
            out: ChunkWriter {
                sender,
                chunk: Vec::with_capacity(STREAM_CHUNK),
            },
        })
    }
}

/// A file being sent as it is written. Dropped without
/// [`finish`](Self::finish), it stays without its end mark: the consumer
/// never takes it for whole.
pub struct StreamFile {
    path: String,
    out: ChunkWriter,
}

impl StreamFile {
    /// Sends what is left of the file and its end mark.
    pub fn finish(mut self) -> Result<(), Error> {
        self.out.flush_chunk().map_err(|_| closed(self.path.clone()))?;
        self.out.sender.send(None).map_err(|_| closed(self.path))
    }
}

impl io::Write for StreamFile {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.out.write(bytes)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The error of a send to a consumer that stopped.
fn closed(path: String) -> Error {
    Error::Write {
        path: path.into(),
        source: io::Error::new(io::ErrorKind::BrokenPipe, "the writer stopped"),
    }
}

/// Writes into a stream, a chunk at a time.
struct ChunkWriter {
    sender: Kind<Option<Vec<u8>>>,
    chunk: Vec<u8>,
}

impl ChunkWriter {
    fn flush_chunk(&mut self) -> io::Result<()> {
        if self.chunk.is_empty() {
            return Ok(());
        }
        let full = std::mem::replace(&mut self.chunk, Vec::with_capacity(STREAM_CHUNK));
        self.sender
            .send(Some(full))
            .map_err(|_| io::Error::from(io::ErrorKind::BrokenPipe))
    }
}

impl io::Write for ChunkWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.chunk.extend_from_slice(bytes);
        if self.chunk.len() >= STREAM_CHUNK {
            self.flush_chunk()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Takes every output into memory: the preview's build, and the tests'
/// (from an [`unbounded`] channel, once the render is done). There is no
/// previous build to keep anything from.
pub fn collect(outputs: Receiver<Output>) -> Result<Outputs, Error> {
    // Read once the render is done, everything is there: the map is made
    // at its size, not grown ten thousand files at a time.
    let outputs: Vec<Output> = outputs.into_iter().collect();
    let mut files: HashMap<String, FileBytes> = map_with_capacity(outputs.len());
    for output in outputs {
        match output {
            Output::File { path, bytes, .. } => {
                files.insert(path, bytes);
            }
            Output::Stream { path, chunks } => {
                let mut bytes = Vec::new();
                chunks.copy_to(&mut bytes).map_err(|source| Error::Write {
                    path: path.clone().into(),
                    source,
                })?;
                files.insert(path, FileBytes::Whole(Arc::new(bytes)));
            }
            Output::Inputs(_) => {}
            Output::KeepAll | Output::Keep { .. } => {
                unreachable!("nothing is kept from a build that was never made")
            }
        }
    }
    Ok(Outputs { files })
}

/// Where one language's copy of the site goes: down the channel, under its
/// folder, next to what the previous build left there.
pub struct Destination<'a> {
    /// The channel.
    pub sender: &'a OutputSender,
    /// The previous build, when there is one to keep pages from.
    pub previous: Option<&'a dyn PreviousBuild>,
    /// `zh/`; empty for the default language.
    pub folder: String,
}

impl Destination<'_> {
    /// Where a file goes, or `None` if this copy leaves it out.
    fn place(&self, path: String) -> Option<String> {
        if self.folder.is_empty() {
            Some(path)
        } else if path == "robots.txt" {
            // Crawlers read robots.txt at the root only.
            None
        } else {
            Some(format!("{}{path}", self.folder))
        }
    }

    /// Sends one finished file; a page with its key.
    pub(crate) fn file(&self, path: String, bytes: FileBytes, key: Option<Key>) -> Result<(), Error> {
        let print = key.map(Key::as_u64);
        match self.place(path) {
            Some(path) => self.sender.send(Output::File { path, bytes, print }),
            None => Ok(()),
        }
    }

    /// Whether the previous build holds this very page untouched, so it
    /// need not be rendered (if it is then [kept](Self::keep)).
    pub(crate) fn holds(&self, path: &str, key: Key) -> bool {
        let Some(previous) = self.previous else {
            return false;
        };
        self.place(path.to_string())
            .is_some_and(|path| previous.holds_page(&path, key.as_u64()))
    }

    /// Says to keep the pages the previous build holds: (path, key).
    pub(crate) fn keep(&self, pages: Vec<(String, Key)>) -> Result<(), Error> {
        let pages = pages
            .into_iter()
            .filter_map(|(path, key)| Some((self.place(path)?, key.as_u64())))
            .collect();
        self.sender.send(Output::Keep { pages })
    }

    /// Starts a file sent as it is written ([`OutputSender::open_stream`]);
    /// `None` when this copy leaves it out.
    pub(crate) fn open_stream(&self, path: String) -> Result<Option<StreamFile>, Error> {
        self.place(path).map(|path| self.sender.open_stream(path)).transpose()
    }
}

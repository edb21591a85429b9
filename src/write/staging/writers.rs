//! The two writers a staged file's bytes pass through: [`HashingWriter`]
//! counts and fingerprints them on their way to the file, and [`Divert`]
//! compares them with the file already there, so that a temporary file
//! is started only at the first byte that differs and an unchanged file is
//! never written. Both reach the folder only through
//! [`crate::write::folders`].

use std::hash::Hasher;
use std::io::{self, BufRead, Read, Write};

use cap_std::fs::Dir;

use crate::write::folders;
use crate::write::manifest::content_hasher;

/// A writer that passes bytes on and keeps their count and fingerprint.
pub(super) struct HashingWriter<W> {
    hasher: twox_hash::XxHash3_64,
    inner: W,
    size: u64,
}

impl<W: Write> HashingWriter<W> {
    pub(super) fn new(inner: W) -> Self {
        HashingWriter {
            hasher: content_hasher(),
            inner,
            size: 0,
        }
    }

    /// How many bytes passed.
    pub(super) fn size(&self) -> u64 {
        self.size
    }

    /// The fingerprint of the bytes that passed, as the manifest records it.
    pub(super) fn print(&self) -> u64 {
        self.hasher.finish()
    }
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let written = self.inner.write(bytes)?;
        self.hasher.write(&bytes[..written]);
        self.size += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A writer that compares what it is given with the file already there and
/// starts a temporary file only at the first byte that differs, so an
/// unchanged file is read once and never written.
pub(super) struct Divert<'a> {
    /// The old file, while everything so far matched it.
    existing: Option<io::BufReader<std::fs::File>>,
    /// How many bytes matched.
    matched: u64,
    dir: &'a Dir,
    name: &'a str,
    /// The file's path in the output, for messages.
    path: &'a str,
    /// The temporary file and the new bytes, once they differ.
    out: Option<(String, std::fs::File)>,
}

impl<'a> Divert<'a> {
    /// Compares with `existing`, the file `name` in `dir` (`None` when what
    /// is there is not a file, so every byte differs); `path` is its path
    /// in the output.
    pub(super) fn new(
        existing: Option<io::BufReader<std::fs::File>>,
        dir: &'a Dir,
        name: &'a str,
        path: &'a str,
    ) -> Self {
        Divert {
            existing,
            matched: 0,
            dir,
            name,
            path,
            out: None,
        }
    }

    /// The temporary file holding the new bytes, if they differed.
    pub(super) fn into_temporary(self) -> Option<String> {
        self.out.map(|(temporary, _)| temporary)
    }

    /// Starts the temporary file with the part that matched.
    fn diverge(&mut self) -> io::Result<&mut std::fs::File> {
        if self.out.is_none() {
            self.existing = None;
            let (temporary, mut out) = folders::create_temporary(self.dir, self.name, self.path)?;
            let copied = match self.matched {
                0 => Ok(0),
                matched => folders::open_read(self.dir, self.name, self.path)
                    .and_then(|old| io::copy(&mut old.take(matched), &mut out)),
            };
            if let Err(error) = copied {
                // Not yet handed to the staging, so not yet its to remove.
                drop(out);
                let _ = self.dir.remove_file(&temporary);
                return Err(error);
            }
            self.out = Some((temporary, out));
        }
        Ok(&mut self.out.as_mut().expect("just set").1)
    }

    /// Ends the comparison: an old file with more bytes differs too.
    pub(super) fn finish(&mut self) -> io::Result<()> {
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
            Some((_, out)) => out.flush(),
            None => Ok(()),
        }
    }
}

//! A built site held in memory: each file's bytes by its path.
//!
//! Pages are shared with the preview's cache, so a rebuild copies no page
//! it did not render again. The two big data files, `events.json` and
//! `timeline.json`, are held by the preview as their events' pieces
//! ([`Joined`]): a rebuild after one edit puts one new piece among the
//! kept ones instead of writing tens of megabytes, and the file is joined
//! into one text only when it is asked for.

use std::fmt;
use std::io;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

use crate::hashing::HashMap;

/// The built site: output path → bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outputs {
    /// Every file of the site. A preview rebuild makes this map anew from
    /// 10,000 paths: hashing them is quicker than sorting them.
    pub files: HashMap<String, FileBytes>,
}

impl Outputs {
    /// How many HTML pages the site has.
    pub fn page_count(&self) -> usize {
        self.files.keys().filter(|path| path.ends_with(".html")).count()
    }
}

/// The bytes of one file: whole, or the pieces it is joined from. Either
/// way it reads as one slice of bytes, and two files are equal when their
/// bytes are.
#[derive(Clone)]
pub enum FileBytes {
    /// The file as it is.
    Whole(Arc<Vec<u8>>),
    /// The file as its pieces, joined when first read.
    Joined(Arc<Joined>),
}

impl FileBytes {
    /// The file's bytes.
    pub fn as_slice(&self) -> &[u8] {
        self
    }
}

impl Deref for FileBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Whole(bytes) => bytes,
            FileBytes::Joined(joined) => joined.bytes(),
        }
    }
}

impl PartialEq for FileBytes {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for FileBytes {}

impl fmt::Debug for FileBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileBytes::Whole(bytes) => write!(f, "{} bytes", bytes.len()),
            FileBytes::Joined(joined) => write!(f, "{} bytes in {} pieces", joined.len(), joined.pieces.len()),
        }
    }
}

/// A file whose middle is a list of pieces separated by commas — the items
/// of a JSON array — between a `head` and a `tail`.
pub struct Joined {
    head: Vec<u8>,
    pieces: Vec<Arc<Vec<u8>>>,
    tail: Vec<u8>,
    /// The whole text, once it has been asked for.
    whole: OnceLock<Vec<u8>>,
}

impl Joined {
    /// `head`, the pieces with commas between them, then `tail`.
    pub fn new(head: Vec<u8>, pieces: Vec<Arc<Vec<u8>>>, tail: Vec<u8>) -> Self {
        Joined {
            head,
            pieces,
            tail,
            whole: OnceLock::new(),
        }
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        let pieces: usize = self.pieces.iter().map(|piece| piece.len()).sum();
        self.head.len() + pieces + self.pieces.len().saturating_sub(1) + self.tail.len()
    }

    /// Whether it has no bytes at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes it out.
    pub fn write_to(&self, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(&self.head)?;
        for (index, piece) in self.pieces.iter().enumerate() {
            if index > 0 {
                out.write_all(b",")?;
            }
            out.write_all(piece)?;
        }
        out.write_all(&self.tail)
    }

    fn bytes(&self) -> &[u8] {
        self.whole.get_or_init(|| {
            let mut whole = Vec::with_capacity(self.len());
            // Writing into memory cannot fail.
            let _ = self.write_to(&mut whole);
            whole
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_joined_file_reads_and_compares_as_its_whole_text() {
        let pieces = vec![Arc::new(b"1".to_vec()), Arc::new(b"22".to_vec())];
        let joined = Joined::new(b"[".to_vec(), pieces, b"]\n".to_vec());
        assert_eq!(joined.len(), 7);
        let file = FileBytes::Joined(Arc::new(joined));
        assert_eq!(file.as_slice(), b"[1,22]\n");
        assert_eq!(file, FileBytes::Whole(Arc::new(b"[1,22]\n".to_vec())));
        let empty = Joined::new(b"[".to_vec(), Vec::new(), b"]".to_vec());
        assert_eq!(FileBytes::Joined(Arc::new(empty)).as_slice(), b"[]");
    }
}

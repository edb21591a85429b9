//! Reading the files a walk found, each only after its size was checked
//! against its [`Limit`], and text checked to be UTF-8.

use std::fs;
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use super::limits::Limit;
use super::walk::Found;
use crate::diagnostic::{Code, Diagnostic};
use crate::error::{Error, Result};

/// How many files are read at once, at most. Reading waits on the disk far
/// more than on the processor: a site not in the system's cache reads
/// about twice as fast from 16 threads as from one per core.
const READERS: usize = 16;

/// What reading one file came to.
type Outcome = std::result::Result<(String, Vec<u8>), Unread>;

/// Reads every file found, many at once (see [`READERS`]), and gives them
/// back in the order they were found. A file over its limit is reported
/// and not read.
pub(super) fn read_all(found: Vec<Found>, problems: &mut Vec<Diagnostic>) -> Result<Vec<(String, Vec<u8>)>> {
    let outcomes = read_side_by_side(found);
    let mut files = Vec::with_capacity(outcomes.len());
    for outcome in outcomes {
        match outcome {
            Ok(file) => files.push(file),
            Err(Unread::TooBig(diagnostic)) => problems.push(diagnostic),
            Err(Unread::Failed(error)) => return Err(error),
        }
    }
    Ok(files)
}

/// Reads `found` on up to [`READERS`] threads of their own (the pool the
/// render works on has one per core), or here if it is one file (the
/// preview's usual edit); the outcomes are in the order of `found`.
fn read_side_by_side(found: Vec<Found>) -> Vec<Outcome> {
    let read_one = |file: Found| {
        let limit = Limit::of(&file.relative);
        read_at_most(&file.path, &file.relative, limit).map(|bytes| (file.relative, bytes))
    };
    if found.len() <= 1 {
        return found.into_iter().map(read_one).collect();
    }
    let readers = rayon::ThreadPoolBuilder::new()
        .num_threads(READERS.min(found.len()))
        .build();
    match readers {
        Ok(readers) => readers.install(|| found.into_par_iter().map(read_one).collect()),
        // Without threads of its own, it reads on the render's.
        Err(_) => found.into_par_iter().map(read_one).collect(),
    }
}

/// Why a file was not read.
pub(super) enum Unread {
    /// It is larger than its limit.
    TooBig(Diagnostic),
    /// The system could not read it.
    Failed(Error),
}

/// Reads the file at `path` (named `relative` in the site) if it is within
/// `limit`. The size is taken from the open file before reading, and the
/// read stops past the limit, so a file that grows meanwhile is caught too.
pub(super) fn read_at_most(path: &Path, relative: &str, limit: &Limit) -> std::result::Result<Vec<u8>, Unread> {
    let failed = |source| {
        Unread::Failed(Error::Read {
            path: path.to_path_buf(),
            source,
        })
    };
    let file = fs::File::open(path).map_err(failed)?;
    let size = file.metadata().map_err(failed)?.len();
    if size > limit.bytes {
        return Err(Unread::TooBig(limit.refuse(relative, size)));
    }
    // Room for one byte more than the limit, to see a file that grew.
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit.bytes + 1).read_to_end(&mut bytes).map_err(failed)?;
    if bytes.len() as u64 > limit.bytes {
        return Err(Unread::TooBig(limit.refuse(relative, bytes.len() as u64)));
    }
    Ok(bytes)
}

/// The text of a file, or an error at the first byte that is not UTF-8.
pub(super) fn text_or_diagnostic(path: &str, bytes: Vec<u8>) -> std::result::Result<String, Diagnostic> {
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
        let column = offset - bytes[..offset].iter().rposition(|&b| b == b'\n').map_or(0, |at| at + 1) + 1;
        let mut diagnostic = Diagnostic::error(
            path,
            format!("the file is not valid UTF-8 (bad byte at offset {offset})"),
        )
        .with_hint("save the file as UTF-8")
        .with_code(Code::NotUtf8);
        diagnostic.line = line;
        diagnostic.column = column;
        diagnostic
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::limits::{CONTENT_TEXT, MAX_TEXT_BYTES};

    #[test]
    fn oversized_files_are_refused_before_they_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.md");
        // Sparse: it takes no room on disk, and would take 16 MiB + 1 in memory.
        fs::File::create(&path).unwrap().set_len(MAX_TEXT_BYTES + 1).unwrap();
        let Err(Unread::TooBig(diagnostic)) = read_at_most(&path, "content/x.md", &CONTENT_TEXT) else {
            panic!("an oversized file was read");
        };
        assert_eq!(
            diagnostic.message,
            "the file is 16.0 MiB (16777217 bytes); annals reads content files (Markdown or YAML) of at most 16 MiB"
        );
    }

    #[test]
    fn files_read_side_by_side_come_back_in_the_order_found_less_those_too_big() {
        let dir = tempfile::tempdir().unwrap();
        let mut found = Vec::new();
        // More files than readers, named so that no sorting restores the order.
        for at in (0..READERS * 3).rev() {
            let relative = format!("content/events/e{at}.md");
            let path = dir.path().join(format!("e{at}.md"));
            fs::write(&path, format!("event {at}")).unwrap();
            found.push(Found { relative, path });
        }
        let big = dir.path().join("big.md");
        fs::File::create(&big).unwrap().set_len(MAX_TEXT_BYTES + 1).unwrap();
        found.insert(
            5,
            Found {
                relative: "content/events/big.md".into(),
                path: big,
            },
        );
        let mut problems = Vec::new();
        let read = read_all(found, &mut problems).unwrap();
        let expected: Vec<(String, Vec<u8>)> = (0..READERS * 3)
            .rev()
            .map(|at| (format!("content/events/e{at}.md"), format!("event {at}").into_bytes()))
            .collect();
        assert_eq!(read, expected);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, "content/events/big.md");
    }

    #[test]
    fn invalid_utf8_names_the_line_and_offset() {
        let diagnostic = text_or_diagnostic("content/x.md", b"ok\nab\xffc".to_vec()).unwrap_err();
        assert_eq!((diagnostic.line, diagnostic.column), (2, 3));
        assert!(diagnostic.message.contains("offset 5"));
    }
}

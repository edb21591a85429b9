//! The manifest: what annals wrote into an output folder, and so the only
//! files it may ever delete there.
//!
//! `.annals-manifest` is a text file: a header, a line naming the build of
//! annals and the fingerprint of the inputs, then one line per file:
//!
//! ```text
//! events/fair/index.html<TAB>5120<TAB>9f0c…(page fingerprint, or -)<TAB>77ab…(bytes)
//! ```
//!
//! A rebuild deletes a file the new build no longer makes only when its
//! line has all four fields and the file on disk still has that size and
//! those bytes (an XXH3 fingerprint, the same on every machine). So a line
//! planted in a cloned repository's manifest cannot delete a file annals
//! did not write: it would have to know the file's bytes already. A line
//! with only a path (an older manifest, or one written by hand) deletes
//! nothing, and `.git/`, `CNAME`, the manifest and the lock file are never
//! deleted whatever the manifest says.
//!
//! Reading is pure ([`parse`]), so it is fuzzed on its own.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Component, Path};

/// The file in the output folder listing what annals wrote there.
pub const MANIFEST: &str = ".annals-manifest";
/// The file that names the process writing into the output folder.
pub const LOCK_FILE: &str = ".annals-lock";
const HEADER: &str = "# Files written by annals; it deletes only files listed here whose size and bytes still match.";
/// The line naming the build of annals and the inputs of the last build.
const BUILD: &str = "# build ";

/// What annals knows of a file it wrote. Nothing in it depends on when the
/// build ran, so the manifest is the same for the same site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    /// Its length in bytes.
    pub size: u64,
    /// For a page, the fingerprint of the inputs it was rendered from.
    pub print: Option<u64>,
    /// The fingerprint of its bytes ([`content_print`]).
    pub content: u64,
}

/// The manifest: the files the last build wrote and, when it succeeded,
/// which annals made it from which inputs.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// (build of annals, fingerprint of the inputs).
    pub build: Option<(String, u64)>,
    /// Every file listed, with its stamp when the line had one.
    pub files: BTreeMap<String, Option<Stamp>>,
}

/// The fingerprint of a file's bytes recorded in the manifest: XXH3, which
/// gives the same number on every machine and in every build of annals, so
/// a folder built elsewhere is still cleaned up.
pub fn content_print(bytes: &[u8]) -> u64 {
    twox_hash::XxHash3_64::oneshot(bytes)
}

/// A hasher giving [`content_print`] of the bytes written to it.
pub fn content_hasher() -> twox_hash::XxHash3_64 {
    twox_hash::XxHash3_64::new()
}

/// A relative path with only plain components (no `..`, no root, no
/// drive, no backslash).
pub fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && !path.contains(['\n', '\r', '\t'])
        && Path::new(path)
            .components()
            .all(|part| matches!(part, Component::Normal(_)))
}

/// Whether annals may ever delete the file at `path` (when the manifest
/// lists it and it still matches): never outside the folder, never in
/// `.git/`, never `CNAME`, the manifest or the lock file.
pub fn may_delete(path: &str) -> bool {
    is_safe_relative(path)
        && !path.split('/').any(|part| part == ".git")
        && !["CNAME", MANIFEST, LOCK_FILE].contains(&path)
}

/// Reads a manifest's text. Lines it cannot read are skipped: a line that
/// is not exactly annals' own can only make a file undeletable.
pub fn parse(text: &str) -> Manifest {
    let mut manifest = Manifest::default();
    for line in text.lines().filter(|line| !line.is_empty()) {
        if let Some(build) = line.strip_prefix(BUILD) {
            let mut parts = build.split(' ');
            if let (Some(annals), Some(inputs), None) = (parts.next(), parts.next(), parts.next()) {
                if let Ok(inputs) = u64::from_str_radix(inputs, 16) {
                    if !annals.is_empty() {
                        manifest.build = Some((annals.to_string(), inputs));
                    }
                }
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let mut fields = line.split('\t');
        let path = fields.next().unwrap_or_default();
        if !is_safe_relative(path) {
            continue;
        }
        let stamp = (|| {
            // Exactly as `render` writes it: digits, no sign, no leading zero.
            let size_field = fields.next()?;
            let size: u64 = size_field.parse().ok()?;
            if size.to_string() != size_field {
                return None;
            }
            let print = match fields.next()? {
                "-" => None,
                hex => Some(parse_hex(hex)?),
            };
            let content = parse_hex(fields.next()?)?;
            fields.next().is_none().then_some(Stamp { size, print, content })
        })();
        manifest.files.insert(path.to_string(), stamp);
    }
    manifest
}

/// Sixteen lower-case hex digits, as [`render`] writes them.
fn parse_hex(text: &str) -> Option<u64> {
    let digits = text.len() == 16 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
    digits.then(|| u64::from_str_radix(text, 16).ok()).flatten()
}

/// The manifest's text.
pub fn render(manifest: &Manifest) -> String {
    let mut text = String::from(HEADER);
    text.push('\n');
    if let Some((annals, inputs)) = &manifest.build {
        let _ = writeln!(text, "{BUILD}{annals} {inputs:016x}");
    }
    // A name that could not be read back as one path is left out; that
    // means only that annals will never delete it.
    for (path, stamp) in manifest.files.iter().filter(|(path, _)| is_safe_relative(path)) {
        text.push_str(path);
        if let Some(stamp) = stamp {
            let print = stamp.print.map_or("-".to_string(), |print| format!("{print:016x}"));
            let _ = write!(text, "\t{}\t{print}\t{:016x}", stamp.size, stamp.content);
        }
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_as_it_was_written() {
        let mut manifest = Manifest {
            build: Some(("annals-1".into(), 42)),
            ..Manifest::default()
        };
        let stamp = Stamp {
            size: 5,
            print: Some(7),
            content: content_print(b"hello"),
        };
        manifest.files.insert("events/x/index.html".into(), Some(stamp));
        manifest
            .files
            .insert("style.css".into(), Some(Stamp { print: None, ..stamp }));
        manifest.files.insert("old.html".into(), None);
        assert_eq!(parse(&render(&manifest)), manifest);
    }

    #[test]
    fn lines_without_every_field_or_with_unsafe_paths_give_nothing_to_delete() {
        let manifest = parse(
            "old.html\n\
             three.html\t5\t-\n\
             ../outside.txt\t5\t-\t0000000000000001\n\
             /etc/passwd\t5\t-\t0000000000000001\n\
             a\\b\t5\t-\t0000000000000001\n\
             upper.html\t5\t-\t00000000000000AB\n\
             signed.html\t+5\t-\t0000000000000001\n\
             extra.html\t5\t-\t0000000000000001\tmore\n\
             good.html\t5\t-\t0000000000000001\n",
        );
        assert_eq!(manifest.files.get("old.html"), Some(&None));
        assert_eq!(manifest.files.get("three.html"), Some(&None));
        assert_eq!(manifest.files.get("upper.html"), Some(&None));
        assert_eq!(manifest.files.get("signed.html"), Some(&None));
        assert_eq!(manifest.files.get("extra.html"), Some(&None));
        assert!(manifest.files.get("good.html").is_some_and(Option::is_some));
        assert_eq!(manifest.files.len(), 6, "{manifest:?}");
    }

    #[test]
    fn git_cname_the_manifest_and_the_lock_are_never_deletable() {
        for path in [
            ".git/HEAD",
            "deploy/.git/config",
            "CNAME",
            MANIFEST,
            LOCK_FILE,
            "../x",
            "",
        ] {
            assert!(!may_delete(path), "{path}");
        }
        assert!(may_delete("events/x/index.html"));
        assert!(may_delete("sub/CNAME"), "only the host's CNAME at the top is kept");
    }

    #[test]
    fn the_content_fingerprint_is_xxh3_and_streams_alike() {
        use std::hash::Hasher;
        let mut hasher = content_hasher();
        hasher.write(b"hel");
        hasher.write(b"lo");
        assert_eq!(hasher.finish(), content_print(b"hello"));
        assert_ne!(content_print(b"hello"), content_print(b"hellp"));
        // XXH3-64 with seed 0 of the empty input, as every implementation gives it.
        assert_eq!(content_print(b""), 0x2d06_8005_38d3_94c2);
    }
}

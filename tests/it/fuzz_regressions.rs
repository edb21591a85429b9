//! The fuzz targets' checks under plain `cargo test`: every input saved in
//! `tests/fuzz_corpus/<target>/` (crashes the fuzzer found, and inputs that
//! reached new code) is replayed, and property tests feed the same checks
//! text built from the pieces each parser cares about.

use std::fs;
use std::path::Path;

use annals::fuzzing::{check_date, check_frontmatter, check_manifest, check_request_path, check_slug, TARGETS};
use proptest::prelude::*;

#[test]
fn every_saved_fuzz_input_still_keeps_its_target_s_promises() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus");
    for (target, check) in TARGETS {
        let folder = corpus.join(target);
        let mut inputs: Vec<_> = fs::read_dir(&folder)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", folder.display()))
            .map(|entry| entry.expect("a corpus entry").path())
            .collect();
        inputs.sort();
        assert!(!inputs.is_empty(), "{} holds no inputs", folder.display());
        for input in inputs {
            let bytes = fs::read(&input).expect("a corpus file");
            // The fuzz targets skip input that is not UTF-8, so such a file
            // could never have failed; a corpus file must be text.
            let text = String::from_utf8(bytes).unwrap_or_else(|_| panic!("{} is not UTF-8", input.display()));
            let outcome = std::panic::catch_unwind(|| check(&text));
            assert!(outcome.is_ok(), "{target} fails on {}", input.display());
        }
    }
}

#[test]
fn every_fuzz_target_has_a_corpus_folder_and_no_stray_ones() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus");
    let mut folders: Vec<String> = fs::read_dir(&corpus)
        .expect("tests/fuzz_corpus")
        .map(|entry| {
            entry
                .expect("a corpus entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    folders.sort();
    let mut targets: Vec<&str> = TARGETS.iter().map(|(name, _)| *name).collect();
    targets.sort();
    assert_eq!(folders, targets);
}

/// Text assembled from `pieces` and arbitrary strings, so that the
/// characters a parser treats specially meet often.
fn text_from(pieces: &'static [&'static str]) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::sample::select(pieces).prop_map(str::to_string),
        1 => any::<String>(),
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

const FRONT_MATTER_PIECES: &[&str] = &[
    "---", "...", "--- ", "---\t", "\n", "\r\n", "\r", "\u{feff}", "title: A", "\u{2028}", " ", "é", "",
];

const DATE_PIECES: &[&str] = &[
    "2013", "-", "12", "09", "1", "0", "00", "0000", "9999", "10000", "-9999", "T", "t", " ", ":", "14", "23", "24",
    "59", "60", "Z", "BCE", "BC", "CE", "AD", "A.D.", "b.c.e.", "c.", "ca.", "circa", "~", "?", "%", "约", "..", "now",
    "Present", "至今", "02", "29", "31", "\n",
];

const SLUG_PIECES: &[&str] = &[
    "a", "Z", "0", "9", "-", "--", " ", "/", "\\", "..", ".", "é", "ß", "Æ", "İ", "杨", "🙂", "\u{200f}", "CON", "\0",
    "word ",
];

const REQUEST_PIECES: &[&str] = &[
    "/",
    "//",
    "a",
    "index.html",
    "..",
    ".",
    "%2e",
    "%2E",
    "%2f",
    "%2F",
    "%5c",
    "%00",
    "%0a",
    "%",
    "%+1",
    "%zz",
    "%c3%a9",
    "%c0%ae",
    "%25",
    "?",
    "#",
    "\\",
    "\0",
    "é",
    "C:",
    " ",
    "%20",
];

const MANIFEST_PIECES: &[&str] = &[
    "index.html",
    "events/x/index.html",
    "/",
    "..",
    ".",
    ".git",
    "CNAME",
    "\t",
    "\n",
    "\r\n",
    "\\",
    "12",
    "-",
    "00000000000000ab",
    "00000000000000AB",
    "ffffffffffffffff",
    "# build ",
    "annals-1 ",
    "#",
    " ",
    "é",
    "\0",
    "/etc/passwd",
    "C:",
    "18446744073709551616",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, .. ProptestConfig::default() })]

    #[test]
    fn front_matter_splits_keep_their_promises(text in text_from(FRONT_MATTER_PIECES)) {
        check_frontmatter(&text);
    }

    #[test]
    fn dates_keep_their_promises(text in text_from(DATE_PIECES)) {
        check_date(&text);
    }

    #[test]
    fn slugs_keep_their_promises(text in text_from(SLUG_PIECES)) {
        check_slug(&text);
    }

    #[test]
    fn request_paths_keep_their_promises(path in text_from(REQUEST_PIECES)) {
        check_request_path(&format!("/{path}"));
        check_request_path(&path);
    }

    #[test]
    fn manifests_keep_their_promises(text in text_from(MANIFEST_PIECES)) {
        check_manifest(&text);
    }
}

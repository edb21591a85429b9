//! Sites in temp dirs and the real binary run on them: [`Site`] copies a
//! fixture or the example, [`annals`] runs a command, [`Run`] holds what it
//! printed, and [`Tree`] captures a folder (path → bytes, folders and links
//! included) so a test can prove it did not change at all.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

use super::REPO;

/// A site copied into its own temp dir: `<dir>/site/` holds the site, and
/// `<dir>/out/` is where [`Site::build`] writes.
pub struct Site {
    temp: TempDir,
    /// The site root (holds `site.yaml`).
    pub root: PathBuf,
}

impl Site {
    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> Site {
        let site = Site::empty();
        copy_dir(&fixture_dir(name), &site.root);
        site
    }

    /// A copy of the repository's example site (`site.yaml`, `content/`,
    /// `static/` and `themes/`).
    pub fn example() -> Site {
        let site = Site::empty();
        let repo = Path::new(REPO);
        fs::copy(repo.join("site.yaml"), site.root.join("site.yaml")).expect("copy site.yaml");
        for folder in ["content", "static", "themes"] {
            if repo.join(folder).is_dir() {
                copy_dir(&repo.join(folder), &site.root.join(folder));
            }
        }
        site
    }

    /// A site with no files yet, for a test that writes its own.
    pub fn empty() -> Site {
        let temp = tempfile::tempdir().expect("create a temp dir");
        // Canonical, so paths compare equal to the ones annals prints.
        let base = temp.path().canonicalize().expect("canonical temp dir");
        let root = base.join("site");
        fs::create_dir_all(&root).expect("create the site folder");
        Site { temp, root }
    }

    /// The temp dir holding the site (and, by default, the output).
    pub fn base(&self) -> PathBuf {
        self.temp.path().canonicalize().expect("canonical temp dir")
    }

    /// The default output folder of [`Site::build`], beside the site.
    pub fn out(&self) -> PathBuf {
        self.base().join("out")
    }

    /// A path inside the site.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// Copies `tests/fixtures/<name>/` over the site, replacing files of the same path.
    pub fn overlay(&self, name: &str) {
        copy_dir(&fixture_dir(name), &self.root);
    }

    /// Writes a file of the site, creating its folder.
    pub fn write(&self, relative: &str, text: &str) {
        write_file(&self.path(relative), text);
    }

    /// Reads a text file of the site.
    #[track_caller]
    pub fn read(&self, relative: &str) -> String {
        read(&self.path(relative))
    }

    /// Replaces the first `from` in a file of the site with `to`, asserting
    /// `from` is there.
    #[track_caller]
    pub fn replace(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "`{from}` is not in {relative}:\n{text}");
        self.write(relative, &text.replacen(from, to, 1));
    }

    /// Removes a file of the site.
    #[track_caller]
    pub fn remove(&self, relative: &str) {
        fs::remove_file(self.path(relative)).unwrap_or_else(|error| panic!("cannot remove {relative}: {error}"));
    }

    /// `annals build --root <site> -o <out>`, run from the temp dir.
    pub fn build(&self) -> Run {
        self.build_into(&self.out(), &[])
    }

    /// `annals build --root <site> -o <output> <extra…>`, run from the temp dir.
    pub fn build_into(&self, output: &Path, extra: &[&str]) -> Run {
        let mut args = vec![
            "build".as_ref(),
            "--root".as_ref(),
            self.root.as_os_str(),
            "-o".as_ref(),
            output.as_os_str(),
        ];
        args.extend(extra.iter().map(std::ffi::OsStr::new));
        annals(&self.base(), &args)
    }
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// The exit code (`None` if killed by a signal).
    pub code: Option<i32>,
    /// Everything printed to stdout.
    pub stdout: String,
    /// Everything printed to stderr.
    pub stderr: String,
}

impl Run {
    /// Asserts the run exited 0.
    #[track_caller]
    pub fn success(self) -> Run {
        assert_eq!(self.code, Some(0), "annals failed:\n{self}");
        self
    }

    /// Asserts the run exited 1.
    #[track_caller]
    pub fn failure(self) -> Run {
        assert_eq!(
            self.code,
            Some(1),
            "annals should have failed with exit code 1:\n{self}"
        );
        self
    }

    /// The counts of the summary line `annals build` prints:
    /// `Built N events, P pages in T ms → out/ (W written, U unchanged, R removed)`,
    /// the numbers grouped ("2,000") and "1 event" in the singular.
    #[track_caller]
    pub fn summary(&self) -> BuildSummary {
        let line = self
            .stdout
            .lines()
            .find(|line| line.starts_with("Built "))
            .unwrap_or_else(|| panic!("no summary line:\n{self}"));
        let words: Vec<&str> = line.split(' ').collect();
        assert!(
            matches!(words.get(2), Some(&"events," | &"event,")) && matches!(words.get(4), Some(&"pages" | &"page")),
            "{line}"
        );
        let number = |text: Option<&&str>| -> usize {
            text.and_then(|word| {
                word.trim_start_matches('(')
                    .trim_end_matches(',')
                    .replace(',', "")
                    .parse()
                    .ok()
            })
            .unwrap_or_else(|| panic!("a count missing in `{line}`"))
        };
        let writes: Vec<&str> = line
            .split_once(" (")
            .unwrap_or_else(|| panic!("no `(… written, … unchanged, … removed)` in `{line}`"))
            .1
            .split(' ')
            .collect();
        let count_of = |what: &str| {
            let at = writes
                .iter()
                .position(|word| word.trim_end_matches([',', ')']) == what)
                .unwrap_or_else(|| panic!("no `{what}` count in `{line}`"));
            number(at.checked_sub(1).and_then(|before| writes.get(before)))
        };
        BuildSummary {
            events: number(words.get(1)),
            pages: number(words.get(3)),
            written: count_of("written"),
            unchanged: count_of("unchanged"),
            removed: count_of("removed"),
        }
    }

    /// The stderr line of an error at `location` (`path:line` or
    /// `path:line:column`), asserting there is one.
    #[track_caller]
    pub fn error_at(&self, location: &str) -> &str {
        self.stderr
            .lines()
            .find(|line| line.strip_prefix(location).is_some_and(starts_an_error))
            .unwrap_or_else(|| panic!("no error at `{location}` in stderr:\n{}", self.stderr))
    }
}

/// The counts of a build's summary line ([`Run::summary`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildSummary {
    pub events: usize,
    pub pages: usize,
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit code: {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs the real binary in `cwd` with `args`, without colour.
pub fn annals<S: AsRef<std::ffi::OsStr>>(cwd: &Path, args: &[S]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run annals");
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// One entry of a [`Tree`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A folder.
    Dir,
    /// A regular file and its bytes.
    File(Vec<u8>),
    /// A symbolic link and where it points.
    Link(PathBuf),
}

/// Everything under a folder, by `/`-separated relative path.
pub type Tree = BTreeMap<String, Entry>;

/// Captures every folder, file and symlink under `dir` (hidden ones too;
/// symlinks are recorded, not followed). A missing `dir` is an empty tree.
pub fn tree(dir: &Path) -> Tree {
    let mut found = Tree::new();
    if !dir.exists() {
        return found;
    }
    for entry in walkdir::WalkDir::new(dir).min_depth(1).follow_links(false) {
        let entry = entry.expect("walk the tree");
        let relative = relative_name(dir, entry.path());
        let kind = entry.file_type();
        let value = if kind.is_symlink() {
            Entry::Link(fs::read_link(entry.path()).expect("read a symlink"))
        } else if kind.is_dir() {
            Entry::Dir
        } else {
            Entry::File(fs::read(entry.path()).expect("read a file"))
        };
        found.insert(relative, value);
    }
    found
}

/// The files (not folders) of a tree, by relative path.
pub fn files(tree: &Tree) -> BTreeMap<&str, &[u8]> {
    tree.iter()
        .filter_map(|(path, entry)| match entry {
            Entry::File(bytes) => Some((path.as_str(), bytes.as_slice())),
            _ => None,
        })
        .collect()
}

/// Asserts two trees are identical, listing what differs.
#[track_caller]
pub fn assert_same_tree(before: &Tree, after: &Tree, what: &str) {
    let mut differences = Vec::new();
    for (path, entry) in before {
        match after.get(path) {
            None => differences.push(format!("removed: {path}")),
            Some(other) if other != entry => differences.push(format!("changed: {path}")),
            Some(_) => {}
        }
    }
    for path in after.keys().filter(|path| !before.contains_key(*path)) {
        differences.push(format!("added:   {path}"));
    }
    assert!(differences.is_empty(), "{what} changed:\n{}", differences.join("\n"));
}

/// Paths under `dir` of leftover temporary files (`*.tmp`).
pub fn temporary_files(dir: &Path) -> Vec<String> {
    tree(dir).into_keys().filter(|path| path.ends_with(".tmp")).collect()
}

/// Reads a text file, naming it if that fails.
#[track_caller]
pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// Parses an HTML file.
#[track_caller]
pub fn html(path: &Path) -> scraper::Html {
    scraper::Html::parse_document(&read(path))
}

/// A CSS selector; panics on a typo in the test.
pub fn selector(css: &str) -> scraper::Selector {
    scraper::Selector::parse(css).unwrap_or_else(|error| panic!("bad selector `{css}`: {error:?}"))
}

/// Writes a file, creating its folder.
pub fn write_file(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().expect("a file has a parent")).expect("create the folder");
    fs::write(path, text).expect("write the file");
}

/// `: error: …`, or `:<column>: error: …` when the location had no column.
fn starts_an_error(rest: &str) -> bool {
    let rest = match rest.strip_prefix(':') {
        Some(after) if after.starts_with(|c: char| c.is_ascii_digit()) => {
            after.trim_start_matches(|c: char| c.is_ascii_digit())
        }
        _ => rest,
    };
    rest.starts_with(": error:")
}

fn fixture_dir(name: &str) -> PathBuf {
    let dir = Path::new(REPO).join("tests/fixtures").join(name);
    assert!(dir.is_dir(), "no fixture {}", dir.display());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).follow_links(false) {
        let entry = entry.expect("walk the fixture");
        let target = to.join(entry.path().strip_prefix(from).expect("inside the fixture"));
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("create a folder");
        } else {
            fs::copy(entry.path(), &target).unwrap_or_else(|error| panic!("copy {}: {error}", entry.path().display()));
        }
    }
}

fn relative_name(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .expect("inside the tree")
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// An event of the example site that the live-preview tests edit: its file,
/// its page and its title.
pub const EXAMPLE_EVENT_FILE: &str = "content/events/2013-12-09-fair-founded.md";
/// The address of [`EXAMPLE_EVENT_FILE`]'s page.
pub const EXAMPLE_EVENT_PAGE: &str = "/events/fair-founded/";
/// The title of [`EXAMPLE_EVENT_FILE`].
pub const EXAMPLE_EVENT_TITLE: &str = "LeCun to lead Facebook AI Research";

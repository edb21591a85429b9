//! The one rule for symbolic links among a site's inputs.
//!
//! A cloned repository can hold any link: `static/` pointing at a home
//! folder, `site.yaml` pointing at a key file. So every path annals reads is
//! checked here *before* it is opened: a link whose target, resolved to a
//! canonical path, stays inside the site root is followed; one that leads
//! out is refused, naming the link and where it leads, unless the user
//! passed `--follow-links` on the command line (never a `site.yaml` key:
//! the repository controls that file). Paths are compared component by
//! component on canonical paths ([`Path::strip_prefix`]), never as strings,
//! so `site-other/` is not taken for inside `site/`.
//!
//! Inside the site, a link may not lead to what annals never reads itself
//! ([`crate::load::is_ignored`]: `.git/`, hidden files outside `static/`,
//! editor backups), whatever the flag: the cloner's own `.env` or
//! `.git/config` lies inside the site folder too.

use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic};
use crate::error::{Error, Result};

/// The site folder and whether links out of it may be followed.
#[derive(Debug, Clone)]
pub struct LinkRule {
    /// The site root, canonical.
    root: PathBuf,
    /// `--follow-links`: follow links that lead out of the site too.
    follow_out: bool,
}

/// Where a site path leads, once the rule has looked at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// Nothing is there, or a link leads to nothing: nothing to read.
    Missing,
    /// The canonical path to read.
    To(PathBuf),
}

impl LinkRule {
    /// The rule for the site at `root`; `follow_out` is `--follow-links`.
    pub fn new(root: &Path, follow_out: bool) -> Result<Self> {
        let root = root.canonicalize().map_err(|source| Error::Read {
            path: root.to_path_buf(),
            source,
        })?;
        Ok(LinkRule { root, follow_out })
    }

    /// The site root, canonical.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the site-relative `relative` (`/`-separated) leads, or an error
    /// naming the link that leads out of the site. Nothing is opened: only
    /// the names of the path and its links are looked at.
    pub fn resolve(&self, relative: &str) -> std::result::Result<Resolved, Diagnostic> {
        let canonical = match self.root.join(relative).canonicalize() {
            Ok(canonical) => canonical,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Resolved::Missing),
            Err(error) => {
                return Err(Diagnostic::error(relative, format!("cannot follow this path: {error}"))
                    .with_code(Code::LinkRefused));
            }
        };
        match canonical.strip_prefix(&self.root) {
            Ok(inside) => match skipped_part(inside) {
                Some(part) => Err(into_skipped(relative, &part)),
                None => Ok(Resolved::To(canonical)),
            },
            Err(_) if self.follow_out => Ok(Resolved::To(canonical)),
            Err(_) => Err(self.refusal(relative, &canonical)),
        }
    }

    /// The error for a path that leads out of the site: it names the first
    /// link on the way that does, and its target.
    fn refusal(&self, relative: &str, canonical: &Path) -> Diagnostic {
        let mut prefix = PathBuf::new();
        let mut culprit = (relative.to_string(), canonical.to_path_buf());
        for part in relative.split('/').filter(|part| !part.is_empty()) {
            prefix.push(part);
            let here = self.root.join(&prefix);
            let is_link = here.symlink_metadata().is_ok_and(|meta| meta.file_type().is_symlink());
            if let (true, Ok(target)) = (is_link, here.canonicalize()) {
                if !target.starts_with(&self.root) {
                    culprit = (site_path(&prefix), target);
                    break;
                }
            }
        }
        let (link, target) = culprit;
        Diagnostic::error(
            link,
            format!(
                "this symbolic link leads out of the site, to `{}`; annals does not follow it",
                target.display()
            ),
        )
        .with_hint("copy what it points to into the site, or pass --follow-links if you trust where it leads")
        .with_code(Code::LinkRefused)
    }
}

/// The first part of a site path that annals never reads (`.git`, a hidden
/// file outside `static/`, an editor backup), as a site path.
fn skipped_part(inside: &Path) -> Option<String> {
    let mut folder = String::new();
    for part in inside.components() {
        let name = part.as_os_str().to_string_lossy();
        if crate::load::is_ignored(&folder, &name) {
            return Some(if folder.is_empty() {
                name.into_owned()
            } else {
                format!("{folder}/{name}")
            });
        }
        if !folder.is_empty() {
            folder.push('/');
        }
        folder.push_str(&name);
    }
    None
}

/// The error for a link to a file annals never reads: a repository could
/// otherwise link `static/x.txt` to the `.env` or `.git/config` its cloner
/// keeps beside the site, and publish it.
fn into_skipped(link: &str, part: &str) -> Diagnostic {
    Diagnostic::error(
        link,
        format!(
            "this symbolic link leads to `{part}`, which annals never reads (a hidden, version-control or backup file)"
        ),
    )
    .with_hint("if the file is meant to be published, copy it into the site under a name that is not hidden")
    .with_code(Code::LinkRefused)
}

fn site_path(relative: &Path) -> String {
    relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::symlink;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().canonicalize().unwrap().join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        fs::write(root.join("content/a.md"), "a").unwrap();
        (temp, root)
    }

    #[test]
    fn a_link_inside_the_site_resolves_to_its_target() {
        let (_temp, root) = site();
        symlink("content", root.join("static")).unwrap();
        let rule = LinkRule::new(&root, false).unwrap();
        assert_eq!(rule.resolve("static/a.md"), Ok(Resolved::To(root.join("content/a.md"))));
        assert_eq!(rule.resolve("static/none.md"), Ok(Resolved::Missing));
    }

    #[test]
    fn a_link_out_of_the_site_is_named_with_its_target() {
        let (temp, root) = site();
        let outside = temp.path().canonicalize().unwrap().join("site-other");
        fs::create_dir_all(&outside).unwrap();
        // A sibling whose name starts like the site's is still outside.
        symlink("../../site-other", root.join("content/media")).unwrap();
        let rule = LinkRule::new(&root, false).unwrap();
        let refused = rule.resolve("content/media").unwrap_err();
        assert_eq!(refused.path, "content/media");
        assert!(
            refused.message.contains(&outside.display().to_string()),
            "{}",
            refused.message
        );
        assert!(refused.hint.unwrap().contains("--follow-links"));
        let followed = LinkRule::new(&root, true).unwrap().resolve("content/media");
        assert_eq!(followed, Ok(Resolved::To(outside)));
    }

    #[test]
    fn the_first_link_out_is_named_when_a_deeper_path_is_read() {
        let (temp, root) = site();
        let outside = temp.path().join("elsewhere");
        fs::create_dir_all(outside.join("events")).unwrap();
        fs::remove_dir_all(root.join("content")).unwrap();
        symlink(&outside, root.join("content")).unwrap();
        let refused = LinkRule::new(&root, false)
            .unwrap()
            .resolve("content/events")
            .unwrap_err();
        assert_eq!(refused.path, "content");
    }

    #[test]
    fn a_link_to_a_file_annals_never_reads_is_refused_even_inside_the_site() {
        let (_temp, root) = site();
        fs::create_dir_all(root.join(".git")).unwrap();
        fs::write(root.join(".git/config"), "[remote]").unwrap();
        fs::write(root.join(".env"), "TOKEN=x").unwrap();
        fs::create_dir_all(root.join("static/.well-known")).unwrap();
        fs::write(root.join("static/.well-known/security.txt"), "x").unwrap();
        symlink("../.git/config", root.join("content/config.txt")).unwrap();
        symlink("../.env", root.join("content/env.txt")).unwrap();
        symlink("../static/.well-known/security.txt", root.join("content/security.txt")).unwrap();
        for follow in [false, true] {
            let rule = LinkRule::new(&root, follow).unwrap();
            let refused = rule.resolve("content/config.txt").unwrap_err();
            assert!(refused.message.contains("leads to `.git`"), "{}", refused.message);
            let refused = rule.resolve("content/env.txt").unwrap_err();
            assert!(refused.message.contains("leads to `.env`"), "{}", refused.message);
            // static/ publishes hidden files on purpose.
            assert!(matches!(rule.resolve("content/security.txt"), Ok(Resolved::To(_))));
        }
    }

    #[test]
    fn a_loop_of_links_is_an_error_naming_it() {
        let (_temp, root) = site();
        symlink("b", root.join("content/a")).unwrap();
        symlink("a", root.join("content/b")).unwrap();
        let rule = LinkRule::new(&root, false).unwrap();
        let refused = rule.resolve("content/a").unwrap_err();
        assert_eq!(refused.path, "content/a");
        assert!(
            refused.message.starts_with("cannot follow this path"),
            "{}",
            refused.message
        );
    }
}

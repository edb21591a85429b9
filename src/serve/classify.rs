//! What a changed path means for the site, decided from the path alone.
//!
//! The watcher reports raw paths; [`classify`] sorts each into the kind of
//! rebuild it needs, and drops what must not trigger one (editor swap and
//! backup files, hidden files, the output folder, anything outside the
//! watched folders).

use std::path::{Component, Path};

use crate::config::CONFIG_FILE;
use crate::load::is_ignored;

/// The kind of rebuild a changed path calls for.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// `site.yaml`: everything may change.
    Config,
    /// A file or folder under `content/` (site-relative path).
    Content(String),
    /// A file or folder under `static/` (site-relative path).
    Static(String),
    /// A file or folder under `themes/` (site-relative path).
    Theme(String),
}

/// Sorts one path (absolute, or relative to `root`) into a [`Change`], or
/// `None` when it needs no rebuild. `output_dir` is the site-relative
/// output folder, which is never watched.
pub fn classify(root: &Path, output_dir: &str, path: &Path) -> Option<Change> {
    let relative = if path.is_absolute() {
        path.strip_prefix(root).ok()?
    } else {
        path
    };
    let mut parts = Vec::new();
    for component in relative.components() {
        match component {
            Component::Normal(part) => parts.push(part.to_str()?),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if parts.iter().any(|part| is_ignored(parts[0], part)) {
        return None;
    }
    let joined = parts.join("/");
    let output = output_dir.trim_matches('/');
    if !output.is_empty() && (joined == output || joined.starts_with(&format!("{output}/"))) {
        return None;
    }
    match parts.first().copied()? {
        CONFIG_FILE if parts.len() == 1 => Some(Change::Config),
        "content" => Some(Change::Content(joined)),
        "static" => Some(Change::Static(joined)),
        "themes" => Some(Change::Theme(joined)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(path: &str) -> Option<Change> {
        classify(Path::new("/site"), "public", Path::new(path))
    }

    #[test]
    fn sorts_paths_into_the_rebuild_they_need() {
        assert_eq!(kind("/site/site.yaml"), Some(Change::Config));
        assert_eq!(
            kind("/site/content/events/a.md"),
            Some(Change::Content("content/events/a.md".into()))
        );
        assert_eq!(kind("content/events"), Some(Change::Content("content/events".into())));
        assert_eq!(
            kind("/site/static/favicon.svg"),
            Some(Change::Static("static/favicon.svg".into()))
        );
        assert_eq!(
            kind("/site/themes/default/templates/base.html"),
            Some(Change::Theme("themes/default/templates/base.html".into()))
        );
    }

    #[test]
    fn hidden_files_count_in_static_only() {
        assert_eq!(
            kind("/site/static/.nojekyll"),
            Some(Change::Static("static/.nojekyll".into()))
        );
        assert_eq!(kind("/site/content/events/.draft.md"), None);
    }

    #[test]
    fn ignores_editor_files_the_output_and_everything_else() {
        for path in [
            "/site/content/events/.a.md.swp",
            "/site/content/events/a.md~",
            "/site/content/events/4913.tmp",
            "/site/content/events/#a.md#",
            "/site/content/.git/index",
            "/site/static/.git/HEAD",
            "/site/public/index.html",
            "/site/public",
            "/site/target/debug/annals",
            "/site/README.md",
            "/elsewhere/content/a.md",
            "/site/content/../site.yaml",
            "/site/sub/site.yaml",
        ] {
            assert_eq!(kind(path), None, "{path}");
        }
    }

    #[test]
    fn an_output_folder_inside_a_watched_folder_is_still_ignored() {
        assert_eq!(
            classify(
                Path::new("/site"),
                "static/out",
                Path::new("/site/static/out/index.html")
            ),
            None
        );
    }
}

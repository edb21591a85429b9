//! The text of a content file when a problem found after the parse quotes
//! it (to give its line and column and show the line). The preview and
//! `check` hold every text anyway ([`SourceTexts`] over a map of them); a
//! one-shot build lets each text go once it is parsed and reads again,
//! through the same link rule as the first read, the few files a problem
//! quotes ([`ReadAgain`]).

use std::borrow::Cow;

use super::links::LinkRule;
use super::site_files::TextFile;
use crate::hashing::HashMap;

/// Where the checks after the parse find the text of a content file.
pub trait SourceTexts: Sync {
    /// The text of the content file at the site-relative `path`; empty when
    /// there is none (or it changed since the build read it).
    fn text_of(&self, path: &str) -> Cow<'_, str>;
}

/// Every text in memory, by path.
impl SourceTexts for HashMap<&str, &str> {
    fn text_of(&self, path: &str) -> Cow<'_, str> {
        Cow::Borrowed(self.get(path).copied().unwrap_or(""))
    }
}

/// The content files of a build that let their texts go after the parse
/// ([`TextFile::let_go`]): a text still held is quoted from memory, one let
/// go is read again from disk, and quoted only if it is still the text the
/// build read (its key says so).
pub struct ReadAgain<'a> {
    links: &'a LinkRule,
    /// Sorted by path, as [`super::SiteFiles`] holds them.
    files: &'a [TextFile],
}

impl<'a> ReadAgain<'a> {
    /// The texts of `files` (sorted by path), read again through `links`.
    pub fn new(links: &'a LinkRule, files: &'a [TextFile]) -> Self {
        ReadAgain { links, files }
    }
}

impl SourceTexts for ReadAgain<'_> {
    fn text_of(&self, path: &str) -> Cow<'_, str> {
        let Ok(at) = self.files.binary_search_by(|file| file.path.as_str().cmp(path)) else {
            return Cow::Borrowed("");
        };
        let file = &self.files[at];
        if file.holds_text() {
            return Cow::Borrowed(&file.text);
        }
        // Through the loader, so a file that became a link out of the site
        // meanwhile is not read.
        let again = super::read_path(self.links, path)
            .ok()
            .and_then(|mut read| read.texts.pop());
        match again {
            Some(again) if again.path == file.path && again.key == file.key => Cow::Owned(again.text),
            _ => Cow::Borrowed(""),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    fn site_with(text: &str) -> (tempfile::TempDir, LinkRule) {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content/events")).unwrap();
        fs::write(dir.path().join("content/events/a.md"), text).unwrap();
        let links = LinkRule::new(dir.path(), false).unwrap();
        (dir, links)
    }

    #[test]
    fn a_text_let_go_is_read_again_from_disk() {
        let text = "---\ntitle: A\ndate: 2001\n---\n";
        let (_dir, links) = site_with(text);
        let mut file = TextFile::new("content/events/a.md".into(), text.into());
        file.let_go();
        let files = [file];
        let texts = ReadAgain::new(&links, &files);
        assert_eq!(texts.text_of("content/events/a.md"), text);
        assert_eq!(texts.text_of("content/events/b.md"), "");
    }

    #[test]
    fn a_text_changed_since_the_build_read_it_is_not_quoted() {
        let (dir, links) = site_with("---\ntitle: A\ndate: 2001\n---\n");
        let mut file = TextFile::new("content/events/a.md".into(), "---\ntitle: A\ndate: 2001\n---\n".into());
        file.let_go();
        fs::write(
            dir.path().join("content/events/a.md"),
            "---\ntitle: B\ndate: 2002\n---\n",
        )
        .unwrap();
        let files = [file];
        assert_eq!(ReadAgain::new(&links, &files).text_of("content/events/a.md"), "");
    }

    #[test]
    fn a_text_still_held_is_quoted_from_memory() {
        let (dir, links) = site_with("on disk");
        fs::remove_file(dir.path().join("content/events/a.md")).unwrap();
        let files = [TextFile::new("content/events/a.md".into(), "in memory".into())];
        assert_eq!(
            ReadAgain::new(&links, &files).text_of("content/events/a.md"),
            "in memory"
        );
    }
}

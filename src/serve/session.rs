//! A site kept in memory between builds, for the live preview.
//!
//! A [`Session`] holds the site's files and the work of the last build
//! ([`Caches`]). [`Session::rebuild`] re-reads only the paths that changed —
//! a file that is now there is read again, one that is gone is forgotten, a
//! folder is walked again — then runs the same pipeline as `build`, which
//! reuses every parse, theme and page whose inputs did not change. The
//! result is always identical to a fresh full build.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Error, Result};
use crate::load::links::LinkRule;
use crate::load::{self, SiteFiles};
use crate::pipeline::{self, BuildOptions, Built, Caches};
use crate::serve::classify::Change;

/// A site in memory, rebuilt on demand.
pub struct Session {
    root: PathBuf,
    options: BuildOptions,
    config: Option<Config>,
    files: SiteFiles,
    caches: Caches,
}

impl Session {
    /// A session for the site at `root`; nothing is read until a build.
    pub fn new(root: &Path, options: BuildOptions) -> Self {
        Self {
            root: root.to_path_buf(),
            options,
            config: None,
            files: SiteFiles::default(),
            caches: Caches::for_rebuilds(),
        }
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The settings of the last successful read of `site.yaml`.
    pub fn config(&self) -> Option<&Config> {
        self.config.as_ref()
    }

    /// How many pages the last render drew and how many it reused.
    pub fn render_stats(&self) -> crate::render::RenderStats {
        self.caches.render_stats()
    }

    /// Reads everything from disk and builds.
    pub fn build_all(&mut self) -> Result<Built> {
        self.config = None;
        let config = self.read_config()?;
        self.files = load::read_site(&self.links()?, &config.theme)?;
        self.build_with(config)
    }

    /// Re-reads what `changes` name and builds.
    pub fn rebuild(&mut self, changes: &[Change]) -> Result<Built> {
        let config = match (&self.config, changes.contains(&Change::Config)) {
            (Some(config), false) => config.clone(),
            _ => return self.build_all(),
        };
        for change in changes {
            match change {
                Change::Config => {}
                Change::Content(path) | Change::Static(path) => self.refresh(path)?,
                Change::Theme(_) => {
                    let mut problems = Vec::new();
                    self.files.theme = load::read_theme(&self.links()?, &config.theme, &mut problems)?;
                }
            }
        }
        self.build_with(config)
    }

    fn read_config(&mut self) -> Result<Config> {
        let text = load::read_config(&self.links()?)?;
        let config = Config::parse(&text)
            .map_err(|diagnostics| Error::Invalid { diagnostics })?
            .with_base_url(self.options.base_url.clone());
        self.config = Some(config.clone());
        Ok(config)
    }

    /// Brings one path (file or folder) of `content/` or `static/` up to date.
    fn refresh(&mut self, path: &str) -> Result<()> {
        self.files.forget(path);
        let on_disk = self.root.join(path);
        if on_disk.is_dir() || on_disk.is_file() {
            let fresh = load::read_path(&self.links()?, path)?;
            self.files.merge(fresh);
        }
        Ok(())
    }

    /// The link rule, taken anew for each read: the site folder may have
    /// been moved or replaced since the last one.
    fn links(&self) -> Result<LinkRule> {
        LinkRule::new(&self.root, self.options.follow_links)
    }

    fn build_with(&mut self, config: Config) -> Result<Built> {
        pipeline::build_from_files(config, &self.files, &self.options, &mut self.caches)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn example_copy() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let source = Path::new(env!("CARGO_MANIFEST_DIR"));
        for entry in walkdir::WalkDir::new(source.join("content"))
            .into_iter()
            .filter_map(|e| e.ok())
        {
            let relative = entry.path().strip_prefix(source).unwrap();
            if entry.file_type().is_dir() {
                fs::create_dir_all(dir.path().join(relative)).unwrap();
            } else {
                fs::copy(entry.path(), dir.path().join(relative)).unwrap();
            }
        }
        fs::copy(source.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
        dir
    }

    fn full_build(root: &Path) -> crate::render::Outputs {
        pipeline::build(root, &BuildOptions::default()).unwrap().outputs
    }

    fn change(path: &str) -> Change {
        crate::serve::classify::classify(Path::new("/"), "public", Path::new(path)).unwrap()
    }

    #[test]
    fn incremental_rebuilds_equal_full_builds_after_every_kind_of_edit() {
        let site = example_copy();
        let root = site.path();
        let mut session = Session::new(root, BuildOptions::default());
        assert_eq!(session.build_all().unwrap().outputs, full_build(root));
        let events = root.join("content/events");

        // Edit one event's title.
        let fair = events.join("2013-12-09-fair-founded.md");
        let text = fs::read_to_string(&fair).unwrap();
        fs::write(
            &fair,
            text.replace("title: LeCun to lead Facebook AI Research", "title: FAIR opens"),
        )
        .unwrap();
        let built = session
            .rebuild(&[change("content/events/2013-12-09-fair-founded.md")])
            .unwrap();
        assert_eq!(built.outputs, full_build(root));
        let stats = session.render_stats();
        assert!(stats.reused > 0, "unrelated pages are reused: {stats:?}");
        assert!(stats.rendered < built.outputs.page_count(), "{stats:?}");

        // Its tags: the search's filter files change with them.
        let text = fs::read_to_string(&fair).unwrap();
        fs::write(&fair, text.replace("tags: [meta, fair, nyu]", "tags: [meta, fair]")).unwrap();
        let built = session
            .rebuild(&[change("content/events/2013-12-09-fair-founded.md")])
            .unwrap();
        assert_eq!(built.outputs, full_build(root));

        // A new slug for an event, and the links to it, in one rebuild: the
        // links are checked against the new set of slugs.
        let paper = "content/events/2022-06-autonomous-machine-intelligence.md";
        let text = fs::read_to_string(root.join(paper)).unwrap();
        fs::write(root.join(paper), text.replacen("---\n", "---\nslug: ami\n", 1)).unwrap();
        let mut relinked = vec![change(paper)];
        for report in [
            "content/events/2025-11-11-ft-report.md",
            "content/events/2025-11-11-ft-report.zh.md",
        ] {
            let text = fs::read_to_string(root.join(report)).unwrap();
            assert!(
                text.contains("@/events/autonomous-machine-intelligence"),
                "{report} links to the paper"
            );
            fs::write(
                root.join(report),
                text.replace("@/events/autonomous-machine-intelligence", "@/events/ami"),
            )
            .unwrap();
            relinked.push(change(report));
        }
        let built = session.rebuild(&relinked).unwrap();
        assert!(built.outputs.files.contains_key("events/ami/index.html"));
        assert_eq!(built.outputs, full_build(root));

        // Add an event, then delete it.
        fs::write(
            events.join("2024-new.md"),
            "---\ntitle: New\ndate: 2024-05\ntrack: career\n---\nNew.\n",
        )
        .unwrap();
        let built = session.rebuild(&[change("content/events/2024-new.md")]).unwrap();
        assert!(built.outputs.files.contains_key("events/new/index.html"));
        assert_eq!(built.outputs, full_build(root));
        fs::remove_file(events.join("2024-new.md")).unwrap();
        let built = session.rebuild(&[change("content/events/2024-new.md")]).unwrap();
        assert!(!built.outputs.files.contains_key("events/new/index.html"));
        assert_eq!(built.outputs, full_build(root));

        // Rename a folder of events.
        fs::rename(events.join("parallels"), events.join("jobs")).unwrap();
        let built = session
            .rebuild(&[change("content/events/parallels"), change("content/events/jobs")])
            .unwrap();
        assert_eq!(built.outputs, full_build(root));

        // Override a theme template, change settings, add a static file.
        fs::create_dir_all(root.join("themes/default/templates")).unwrap();
        let footer = String::from_utf8(
            crate::load::DEFAULT_THEME_FILES
                .iter()
                .find(|(p, _)| *p == "templates/404.html")
                .unwrap()
                .1
                .to_vec(),
        )
        .unwrap();
        fs::write(
            root.join("themes/default/templates/404.html"),
            footer.replace("</main>", "<p>Lost?</p></main>"),
        )
        .unwrap();
        session.rebuild(&[change("themes/default/templates/404.html")]).unwrap();
        fs::create_dir_all(root.join("static")).unwrap();
        fs::write(root.join("static/CNAME"), "example.org\n").unwrap();
        session.rebuild(&[change("static/CNAME")]).unwrap();
        let config = fs::read_to_string(root.join("site.yaml")).unwrap();
        fs::write(
            root.join("site.yaml"),
            config.replace("order: ascending", "order: descending"),
        )
        .unwrap();
        let built = session.rebuild(&[change("site.yaml")]).unwrap();
        assert_eq!(built.outputs.files["CNAME"].as_slice(), b"example.org\n");
        assert_eq!(built.outputs, full_build(root));
    }

    #[test]
    fn many_rebuilds_that_change_every_events_markdown_still_equal_full_builds() {
        // Each new event changes the set of slugs links are checked against,
        // so every event's Markdown is rendered again and kept: the cache of
        // shares fills up and is cut back to the current ones on the way.
        let site = example_copy();
        let root = site.path();
        let mut session = Session::new(root, BuildOptions::default());
        session.build_all().unwrap();
        for at in 0..10 {
            let path = format!("content/events/2024-added-{at}.md");
            fs::write(
                root.join(&path),
                format!(
                    "---\ntitle: Added {at}\ndate: 2024-0{}\n---\nSee [FAIR](@/events/fair-founded).\n",
                    1 + at % 9
                ),
            )
            .unwrap();
            let built = session.rebuild(&[change(&path)]).unwrap();
            assert_eq!(built.outputs, full_build(root), "after adding {path}");
        }
    }

    /// A site big enough for the timeline, and its one era, to be split
    /// into parts of three pages each (about 26 events a year over 40
    /// years), with tags of three pages (`t0` to `t3`), of one (`t4` to
    /// `t10`), and one of exactly `PAGE_MAX` events (`edge`).
    fn split_site(events: usize) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("content/events");
        fs::create_dir_all(&folder).unwrap();
        fs::write(
            dir.path().join("site.yaml"),
            "title: Many\neras:\n  - title: All\n    start: 1800\n    end: ..\n",
        )
        .unwrap();
        for index in 0..events {
            let year = 1900 + index % 40;
            let edge = if index < 100 { ", edge" } else { "" };
            let tags = format!("[t{}, t{}{edge}]", index % 4, index % 11);
            let text = format!(
                "---\ntitle: Event {index}\ndate: {year}-03-01\ntags: {tags}\ntrack: lane{}\n\
                 sources: [{{title: S}}]\n---\nBody of {index}, see [the first](events/event-0).\n",
                index % 3
            );
            fs::write(folder.join(format!("e{index:05}.md")), text).unwrap();
        }
        dir
    }

    #[test]
    fn on_a_split_timeline_edits_to_text_tags_dates_and_tracks_rebuild_as_a_full_build_would() {
        // The timeline and the era are split into parts from 1,000 events
        // on, and a part of more than 100 events takes several pages.
        let site = split_site(1_050);
        let root = site.path();
        let mut session = Session::new(root, BuildOptions::default());
        let built = session.build_all().unwrap();
        for page in [
            "eras/all/1920s/2/index.html",
            "timeline/1930s/2/index.html",
            "tags/t3/2/index.html",
            "events/index.html",
            "timeline/index.html",
        ] {
            assert!(built.outputs.files.contains_key(page), "{page}");
        }
        assert!(!built.outputs.files.contains_key("tags/edge/2/index.html"));
        let read = |path: &str| fs::read_to_string(root.join(path)).unwrap();
        let edited = |path: &str, from: &str, to: &str| {
            let text = read(path);
            assert!(text.contains(from), "{path} has `{from}`");
            (path.to_string(), text.replace(from, to))
        };
        let (first, last) = ("content/events/e00042.md", "content/events/e00989.md");
        let edits = [
            edited(first, "Body of 42", "Body, rewritten, of 42"),
            edited(first, "tags: [t2, t9, edge]", "tags: [t2, fresh, edge]"),
            // A tag of 100 events takes a second page, then no longer.
            edited(last, "tags: [t1, t10]", "tags: [t1, t10, edge]"),
            (last.to_string(), read(last)),
            // Moves the event to the start of the timeline.
            edited(first, "date: 1902-03-01", "date: 1871-03-01"),
            edited(first, "track: lane0", "track: other"),
            edited(first, "title: Event 42", "title: Event forty-two"),
            (first.to_string(), read(first)),
            // The last event of the 1920s moves to the first page of the
            // next part of the timeline, and stays where it was in timeline
            // order; the first event of the second page of the 1930s moves
            // to its first page.
            edited(last, "date: 1929-03-01", "date: 1930-01-01"),
        ];
        for (at, (path, text)) in edits.iter().enumerate() {
            fs::write(root.join(path), text).unwrap();
            let built = session.rebuild(&[change(path)]).unwrap();
            assert_eq!(built.outputs, full_build(root), "after writing {path}:\n{text}");
            let edge_paged = built.outputs.files.contains_key("tags/edge/2/index.html");
            assert_eq!(edge_paged, at == 2, "a second page of `edge` after edit {at}");
            // The big data files are kept as their events' pieces, not joined.
            for data in ["events.json", "timeline.json"] {
                assert!(
                    matches!(built.outputs.files[data], crate::render::FileBytes::Joined(_)),
                    "{data} is held in pieces"
                );
            }
        }
        // The last edit re-renders the 24 pages of the timeline and of the
        // era (each lists the parts with their counts, which changed), the
        // pages of its tags and track that show it, and the pages of the
        // few events that moved to another page: not the other 1,000.
        let stats = session.render_stats();
        assert!(
            stats.rendered < 80,
            "the last edit re-renders only what shows the event: {stats:?}"
        );
    }

    #[test]
    fn a_broken_edit_fails_and_the_fix_recovers() {
        let site = example_copy();
        let root = site.path();
        let mut session = Session::new(root, BuildOptions::default());
        session.build_all().unwrap();
        let path = root.join("content/events/1989-zip-code-cnn.md");
        let good = fs::read_to_string(&path).unwrap();
        fs::write(&path, good.replacen("date: 1989", "date: 1989-02-30", 1)).unwrap();
        let Err(Error::Invalid { diagnostics }) = session.rebuild(&[change("content/events/1989-zip-code-cnn.md")])
        else {
            panic!("a bad date must fail the rebuild");
        };
        assert_eq!(diagnostics[0].path, "content/events/1989-zip-code-cnn.md");
        fs::write(&path, good).unwrap();
        let built = session
            .rebuild(&[change("content/events/1989-zip-code-cnn.md")])
            .unwrap();
        assert_eq!(built.outputs, full_build(root));
    }

    #[test]
    fn a_problem_found_after_the_parse_quotes_its_line_and_the_fix_recovers() {
        use crate::diagnostic::Code::DuplicateSlug;
        let site = example_copy();
        let root = site.path();
        // Without their translations, so the one copy in error is the original.
        for translation in ["1988-bell-labs.zh.md", "1989-zip-code-cnn.zh.md"] {
            fs::remove_file(root.join("content/events").join(translation)).unwrap();
        }
        let mut session = Session::new(root, BuildOptions::default());
        session.build_all().unwrap();
        let path = root.join("content/events/1989-zip-code-cnn.md");
        let good = fs::read_to_string(&path).unwrap();
        fs::write(&path, good.replacen("---\n", "---\nslug: bell-labs\n", 1)).unwrap();
        let Err(Error::Invalid { diagnostics }) = session.rebuild(&[change("content/events/1989-zip-code-cnn.md")])
        else {
            panic!("a slug used twice must fail the rebuild");
        };
        let twice = diagnostics
            .iter()
            .find(|d| d.code == Some(DuplicateSlug) && d.path == "content/events/1989-zip-code-cnn.md")
            .expect("the slug used twice is reported");
        assert_eq!((twice.line, twice.column), (2, 1));
        assert_eq!(twice.source_line.as_deref(), Some("slug: bell-labs"));
        fs::write(&path, good).unwrap();
        let built = session
            .rebuild(&[change("content/events/1989-zip-code-cnn.md")])
            .unwrap();
        assert_eq!(built.outputs, full_build(root));
    }
}

//! Starting points: a whole new site (`annals new`), a new event file
//! (`annals add`) and a copy of the built-in theme to edit (`annals theme
//! eject`). The texts are pure functions; the small writers at the end
//! refuse to overwrite anything.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::date::Date;
use crate::error::{Error, Result};
use crate::slug::Slug;

const SITE_YAML: &str = r##"# Settings of this timeline. Every key is optional except `title`.
title: "My timeline"
description: "What this timeline explains, in one sentence."
language: en               # en or zh: the language of dates and the interface
# base_url: "https://example.org/timeline/"   # where the site will live (for feeds and link previews)
theme: default             # the built-in theme; a themes/default/ folder overrides it file by file
# stylesheets: [css/site.css]   # your own CSS in static/, linked after the theme's (colours, fonts: docs/themes.md)
output_dir: public         # where `annals build` writes the site
order: ascending           # ascending (oldest first) or descending

# Periods shown as bands above the timeline. `end: ..` means ongoing.
eras:
  - title: The beginning
    start: 1990
    end: 1999
  - title: The present
    start: 2000
    end: ..

# Lanes that group events; an event names one with `track:`.
tracks:
  - id: people
    title: People
    colour: "#1d6fa5"
  - id: places
    title: Places
    colour: "#b3401b"

markdown:
  unsafe_html: false       # true passes raw HTML in Markdown through: only if you trust every author
"##;

const INTRO: &str =
    "---\ntitle: \"My timeline\"\n---\nA few sentences introduce the timeline: what it covers and why it matters.\n";

const ABOUT: &str =
    "---\ntitle: About this timeline\n---\nWho made this timeline, from which sources, and how to send a correction.\n";

const FIRST_EVENT: &str = r#"---
title: The first event
date: 1990-05            # 1990 (a year), 1990-05 (a month), 1990-05-17 (a day), c. 1990, 500 BCE…
track: people
tags: [beginnings]
importance: 4            # 1 to 5; 4 and 5 stand out as highlights
sources:
  - title: Where this fact comes from
    url: https://example.org/source
---
The first paragraph is the summary shown on the timeline.

More text follows on the event's own page. Link to another event like
[this](@/events/a-second-event).
"#;

const SECOND_EVENT: &str = r#"# An event may also be a YAML file, with its text in `body:`.
title: A second event
date: 1996
end: 2004                # a span; `end: ..` means it is still going on
track: places
tags: [beginnings]
importance: 3
sources:
  - https://example.org/another-source
body: |
  A span shows its length on the timeline.
"#;

const BATCH: &str = r#"# Several events in one file, under `events:`.
events:
  - title: A third event
    date: 2013-12-09
    track: people
    tags: [beginnings]
    sources:
      - title: A newspaper article
        publisher: The Daily Example
        date: 2013-12-10
        url: https://example.org/article
    body: |
      Dates keep their precision: this one is a day.
"#;

/// Creates a working site in `dir`, which must be empty or missing.
pub fn new_site(dir: &Path) -> Result<Vec<PathBuf>> {
    if fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some()) {
        return Err(Error::Write {
            path: dir.to_path_buf(),
            source: io::Error::new(
                io::ErrorKind::AlreadyExists,
                "the folder is not empty; choose a new one",
            ),
        });
    }
    let files: [(&str, &str); 7] = [
        ("site.yaml", SITE_YAML),
        ("content/_index.md", INTRO),
        ("content/pages/about.md", ABOUT),
        ("content/events/1990-05-the-first-event.md", FIRST_EVENT),
        ("content/events/1996-a-second-event.yaml", SECOND_EVENT),
        ("content/events/more-events.yaml", BATCH),
        (".gitignore", "/public\n"),
    ];
    let mut written = Vec::new();
    for (relative, text) in files {
        let path = dir.join(relative);
        write_new(&path, text)?;
        written.push(path);
    }
    Ok(written)
}

/// The front matter and body of a new event file.
pub fn event_text(title: &str, date: &str, track: Option<&str>, tags: &[String]) -> String {
    let quoted = serde_json::to_string(title).unwrap_or_default();
    // The date as typed, so "c. 1500" stays approximate; quoted for YAML.
    let date = serde_json::to_string(date.trim()).unwrap_or_default();
    let mut text = format!("---\ntitle: {quoted}\ndate: {date}\n");
    match track {
        Some(track) => text.push_str(&format!("track: {track}\n")),
        None => text.push_str("# track: research\n"),
    }
    if tags.is_empty() {
        text.push_str("# tags: [one, two]\n");
    } else {
        let tags: Vec<String> = tags
            .iter()
            .map(|tag| serde_json::to_string(tag).unwrap_or_default())
            .collect();
        text.push_str(&format!("tags: [{}]\n", tags.join(", ")));
    }
    text.push_str(
        "# end: 2026-01             # makes a span; `..` = ongoing\n\
         # display_date: \"Autumn 2025\"\n\
         # importance: 3             # 1 to 5\n\
         # media:\n\
         #   src: media/photo.jpg\n\
         #   alt: What the picture shows\n\
         #   credit: Who took it\n\
         # sources:\n\
         #   - title: Where this comes from\n\
         #     url: https://example.org/\n\
         ---\n\
         One or two sentences that sum the event up; they appear on the timeline.\n",
    );
    text
}

/// Writes a new event file under `root/content/events/`; returns its path.
/// `date` is checked and written as typed.
pub fn add_event(root: &Path, title: &str, date: &str, track: Option<&str>, tags: &[String]) -> Result<PathBuf> {
    let parsed = Date::parse(date).map_err(|error| Error::Usage(format!("--date: {error}")))?;
    if let Some(track) = track.filter(|track| Slug::parse(track).is_none()) {
        return Err(Error::Usage(format!(
            "--track: `{track}` is not a track id; ids are lower-case letters, digits and dashes, e.g. `{}`",
            Slug::from_text(track)
        )));
    }
    let machine = parsed.machine();
    let prefix = match machine.strip_prefix('-') {
        Some(bce) => format!("{bce}-bce"),
        None => machine,
    };
    let name = format!("{prefix}-{}.md", Slug::from_text(title));
    let path = root.join("content/events").join(name);
    write_new(&path, event_text(title, date, track, tags))?;
    Ok(path)
}

/// Writes the built-in theme to `root/themes/<name>/`, which must not exist,
/// so that `theme: <name>` builds what the built-in theme builds, from
/// files the site can edit; returns the folder. Nothing is written through
/// a symbolic link: `themes/` must be a real folder (or is created), the
/// theme's folder is created new, and so is every file and folder in it.
pub fn eject_theme(root: &Path, name: &str) -> Result<PathBuf> {
    if Slug::parse(name).is_none() {
        return Err(Error::Usage(format!(
            "`{name}` is not a theme name; use lower-case letters, digits and dashes, e.g. `{}`",
            Slug::from_text(name)
        )));
    }
    let themes = root.join("themes");
    let refuse = |path: &Path, why: &str| Error::Write {
        path: path.to_path_buf(),
        source: io::Error::new(io::ErrorKind::AlreadyExists, why.to_string()),
    };
    match fs::symlink_metadata(&themes) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(refuse(
                &themes,
                "it is a symbolic link; annals does not write through one",
            ))
        }
        Ok(meta) if !meta.is_dir() => return Err(refuse(&themes, "it is not a folder")),
        Ok(_) => {}
        Err(_) => fs::create_dir(&themes).map_err(|source| Error::Write {
            path: themes.clone(),
            source,
        })?,
    }
    let folder = themes.join(name);
    // create_dir fails on anything already there, a link included.
    fs::create_dir(&folder).map_err(|source| {
        if source.kind() == io::ErrorKind::AlreadyExists {
            refuse(
                &folder,
                "it already exists; annals does not overwrite a theme (choose another name)",
            )
        } else {
            Error::Write {
                path: folder.clone(),
                source,
            }
        }
    })?;
    for (relative, bytes) in crate::load::DEFAULT_THEME_FILES {
        let path = folder.join(relative);
        let mut parent = folder.clone();
        for part in Path::new(relative).parent().into_iter().flat_map(Path::components) {
            parent.push(part);
            match fs::create_dir(&parent) {
                Err(source) if source.kind() != io::ErrorKind::AlreadyExists => {
                    return Err(Error::Write { path: parent, source })
                }
                _ => {}
            }
        }
        if *relative == "theme.yaml" {
            write_new(&path, ejected_theme_yaml(name, bytes))?;
        } else {
            write_new(&path, bytes)?;
        }
    }
    Ok(folder)
}

/// The built-in `theme.yaml` renamed, saying which annals it was copied
/// from (so whoever updates annals knows which built-in fixes it lacks).
fn ejected_theme_yaml(name: &str, built_in: &[u8]) -> String {
    let text = String::from_utf8_lossy(built_in);
    let rest = text.strip_prefix("name: default\n").unwrap_or(&text);
    format!(
        "# Copied from the built-in theme of annals {} by `annals theme eject`.\nname: {name}\n{rest}",
        env!("CARGO_PKG_VERSION")
    )
}

/// Creates `path` with `text`, refusing to replace an existing file.
fn write_new(path: &Path, text: impl AsRef<[u8]>) -> Result<()> {
    let write_error = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(write_error)?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| {
            if source.kind() == io::ErrorKind::AlreadyExists {
                write_error(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "the file already exists; annals does not overwrite it",
                ))
            } else {
                write_error(source)
            }
        })?;
    io::Write::write_all(&mut file, text.as_ref()).map_err(write_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::event::parse_event_file;
    use crate::pipeline::{build, BuildOptions};

    #[test]
    fn a_new_site_builds_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        new_site(&site).unwrap();
        let built = build(&site, &BuildOptions::default()).unwrap();
        assert_eq!(built.event_count, 3);
        assert!(built.warnings.is_empty(), "{:?}", built.warnings);
        assert!(built.outputs.files.contains_key("about/index.html"));
    }

    #[test]
    fn a_new_site_refuses_a_folder_with_files() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        assert!(new_site(dir.path()).is_err());
        assert_eq!(fs::read_to_string(dir.path().join("notes.txt")).unwrap(), "mine");
    }

    #[test]
    fn an_added_event_parses_and_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let date = "2025-11-11";
        let tags = vec!["meta".to_string(), "world models".to_string()];
        let path = add_event(dir.path(), "LeCun: \"leaving\" Meta", date, Some("career"), &tags).unwrap();
        assert!(path.ends_with("content/events/2025-11-11-lecun-leaving-meta.md"));
        let text = fs::read_to_string(&path).unwrap();
        let events = parse_event_file("content/events/x.md", &text).unwrap();
        assert_eq!(events[0].title, "LeCun: \"leaving\" Meta");
        assert_eq!(events[0].tags, tags);
        assert!(add_event(dir.path(), "LeCun: \"leaving\" Meta", date, None, &[]).is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), text);
    }

    #[test]
    fn an_ejected_theme_holds_every_built_in_file_and_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let folder = eject_theme(dir.path(), "custom").unwrap();
        for (relative, bytes) in crate::load::DEFAULT_THEME_FILES {
            if *relative != "theme.yaml" {
                assert_eq!(fs::read(folder.join(relative)).unwrap(), *bytes, "{relative}");
            }
        }
        let theme_yaml: serde_json::Value =
            serde_yaml::from_str(&fs::read_to_string(folder.join("theme.yaml")).unwrap()).unwrap();
        assert_eq!(theme_yaml["name"], "custom");
        assert!(theme_yaml["description"].as_str().unwrap().contains("annals"));
        fs::write(folder.join("static/assets/annals.css"), "mine").unwrap();
        assert!(eject_theme(dir.path(), "custom").is_err());
        assert_eq!(
            fs::read_to_string(folder.join("static/assets/annals.css")).unwrap(),
            "mine"
        );
        assert!(eject_theme(dir.path(), "../out").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn ejecting_never_writes_through_a_symbolic_link() {
        let dir = tempfile::tempdir().unwrap();
        let (site, elsewhere) = (dir.path().join("site"), dir.path().join("elsewhere"));
        fs::create_dir_all(&site).unwrap();
        fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, site.join("themes")).unwrap();
        assert!(eject_theme(&site, "custom").is_err());
        fs::remove_file(site.join("themes")).unwrap();
        fs::create_dir(site.join("themes")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, site.join("themes/custom")).unwrap();
        assert!(eject_theme(&site, "custom").is_err());
        assert_eq!(
            fs::read_dir(&elsewhere).unwrap().count(),
            0,
            "nothing written through the links"
        );
    }

    #[test]
    fn an_added_event_keeps_an_approximate_date_and_names_bce_files_plainly() {
        let dir = tempfile::tempdir().unwrap();
        let path = add_event(dir.path(), "Marathon", "c. 490 BCE", None, &[]).unwrap();
        assert!(path.ends_with("content/events/0489-bce-marathon.md"), "{path:?}");
        let events = parse_event_file("content/events/x.md", &fs::read_to_string(&path).unwrap()).unwrap();
        assert!(events[0].date.is_circa());
        assert!(add_event(dir.path(), "X", "2025-02-30", None, &[]).is_err());
        assert!(add_event(dir.path(), "X", "2025", Some("Not An Id"), &[]).is_err());
    }
}

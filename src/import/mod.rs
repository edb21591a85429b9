//! `annals import`: event files from other timeline tools.
//!
//! Four formats are read: TimelineJS3 JSON (which is also what annals
//! exports as `timeline.json`, so an export imports back to the same
//! events), the TimelineJS Google Sheets template saved as CSV,
//! ProPublica's TimelineSetter CSV, and markwhen's text format. Each
//! parser is pure (`&str` in, [`Imported`] out) and notes what it could
//! not carry over; `emit` turns the result into annals files; only
//! [`import_file`] touches the disk, through `disk`, which never writes
//! through a symbolic link.

mod disk;
mod emit;
mod html;
mod local_media;
mod mapping;
mod markwhen;
#[cfg(test)]
mod tests;
mod timelinejs_csv;
mod timelinejs_json;
mod timelinesetter;

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::date::{Date, EndDate};
use crate::diagnostic::Diagnostic;
use crate::error::Error;
use crate::slug::Slug;

use mapping::csv_header;

pub use disk::MAX_IMPORT_BYTES;
pub use emit::{eras_yaml, event_file, intro_file, title_yaml, tracks_yaml};
pub use html::{to_markdown, to_plain_text, Converted};

/// Where imported files go, and whether existing ones may be replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// The folder for event files (by default `<root>/content/events`).
    pub into: PathBuf,
    /// Overwrite files that already exist.
    pub force: bool,
}

impl ImportOptions {
    /// The defaults for the site at `site_root`: `content/events`, no overwriting.
    pub fn new(site_root: &Path) -> Self {
        Self {
            into: site_root.join("content").join("events"),
            force: false,
        }
    }
}

/// What an import did, for the command line to print.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Event files written (the intro is reported in `intro`).
    pub written: Vec<PathBuf>,
    /// Files left alone because they exist, the intro included (pass
    /// `force` to replace them).
    pub skipped_existing: Vec<PathBuf>,
    /// Notes on what was imported, one a line, e.g. "event 3 (Foo):
    /// `background` not imported".
    pub not_mapped: Vec<String>,
    /// Rows or events left out, each with why: "line 9 (Foo): no Year".
    pub skipped: Vec<String>,
    /// The title slide's headline as a `title:` line for `site.yaml`, when
    /// the site has no title of its own (or still the one `annals new`
    /// gives it).
    pub title_yaml: Option<String>,
    /// The intro written (`content/_index.md`), if the source had a title.
    pub intro: Option<PathBuf>,
    /// The source's eras as a `site.yaml` snippet to paste.
    pub eras_yaml: Option<String>,
    /// The source's groups as a `tracks:` snippet for `site.yaml`, so the
    /// lanes keep their names.
    pub tracks_yaml: Option<String>,
    /// Media files copied from beside the source into `content/media/`.
    pub copied: Vec<PathBuf>,
}

/// The formats annals imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TimelineJS3 JSON: `{"title": …, "events": […], "eras": […]}`.
    TimelineJsJson,
    /// The TimelineJS Google Sheets template, saved as CSV.
    TimelineJsCsv,
    /// ProPublica TimelineSetter CSV.
    TimelineSetterCsv,
    /// markwhen's text format (`.mw`).
    Markwhen,
}

/// One event read from a source, ready to be written as an annals file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedEvent {
    /// How notes name it: "event 3 (Foo)" or "row 4 (Foo)".
    pub label: String,
    /// Its headline, plain text.
    pub title: String,
    /// When it happened.
    pub date: Date,
    /// When it ended, or that it has not (`end: ..`).
    pub end: Option<EndDate>,
    /// A label printed instead of the date.
    pub display_date: Option<String>,
    /// Its lane.
    pub track: Option<Slug>,
    /// Its tags.
    pub tags: Vec<String>,
    /// Its URL name.
    pub slug: Slug,
    /// A picture or link.
    pub media: Option<ImportedMedia>,
    /// Source URLs.
    pub sources: Vec<String>,
    /// The text, as Markdown.
    pub body: String,
}

/// A media item of an imported event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportedMedia {
    /// Path or URL.
    pub src: String,
    /// Text alternative.
    pub alt: Option<String>,
    /// Caption, Markdown.
    pub caption: Option<String>,
    /// Who made it.
    pub credit: Option<String>,
    /// Where it links to.
    pub link: Option<String>,
}

/// The title slide, which becomes `content/_index.md`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportedIntro {
    /// The timeline's heading.
    pub title: Option<String>,
    /// The text, as Markdown.
    pub body: String,
}

/// A named period, for `site.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedEra {
    /// Its name.
    pub title: String,
    /// When it begins.
    pub start: Date,
    /// When it ends.
    pub end: Option<Date>,
}

/// A lane named by the source, for `site.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedTrack {
    /// What events write in `track:`.
    pub id: Slug,
    /// The name the source gave it.
    pub title: String,
}

/// Everything read from one source.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Imported {
    /// The events, in source order.
    pub events: Vec<ImportedEvent>,
    /// The title slide.
    pub intro: Option<ImportedIntro>,
    /// Named periods.
    pub eras: Vec<ImportedEra>,
    /// Lanes, in order of first use.
    pub tracks: Vec<ImportedTrack>,
    /// What could not be carried over.
    pub notes: Vec<String>,
    /// Rows or events left out, with why.
    pub skipped: Vec<String>,
}

impl Imported {
    /// Gives every event a distinct slug (`x`, `x-2`…) and turns links to
    /// imported events' pages back into `@/events/<slug>` links, which
    /// annals checks.
    fn finish(mut self) -> Self {
        let mut taken = HashSet::new();
        for event in &mut self.events {
            let base = event.slug.to_string();
            let mut n = 1;
            while !taken.insert(event.slug.clone()) {
                n += 1;
                let suffix = format!("-{n}");
                // Shorten the base so that the number is never cut off.
                let room = crate::slug::MAX_LEN - suffix.len();
                let head = base[..base.len().min(room)].trim_end_matches('-');
                event.slug = Slug::from_text(&format!("{head}{suffix}"));
            }
        }
        let slugs: HashSet<&str> = taken.iter().map(Slug::as_str).collect();
        for event in &mut self.events {
            event.body = link_events(&event.body, &slugs);
        }
        self
    }

    /// Remembers a lane, keeping the first name given to an id.
    fn add_track(&mut self, id: &Slug, title: &str) {
        if !self.tracks.iter().any(|track| &track.id == id) {
            self.tracks.push(ImportedTrack {
                id: id.clone(),
                title: title.to_string(),
            });
        }
    }
}

/// `[x](events/<slug>/index.html#f)` → `[x](@/events/<slug>#f)` for slugs
/// of imported events (annals exports its `@/events/` links that way).
fn link_events(markdown: &str, slugs: &HashSet<&str>) -> String {
    const OPEN: &str = "](events/";
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(at) = rest.find(OPEN) {
        let after = &rest[at + OPEN.len()..];
        let slug_len = after.find('/').unwrap_or(0);
        let slug = &after[..slug_len];
        let tail = &after[slug_len..];
        if slug_len > 0 && slugs.contains(slug) && tail.starts_with("/index.html") {
            let tail = &tail["/index.html".len()..];
            if tail.starts_with(['#', ')', ' ']) {
                out.push_str(&rest[..at]);
                out.push_str("](@/events/");
                out.push_str(slug);
                rest = tail;
                continue;
            }
        }
        out.push_str(&rest[..at + OPEN.len()]);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Tells the format from the content (not the file name).
pub fn detect(text: &str) -> Option<Format> {
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.starts_with('{') {
        let value: serde_json::Value = serde_json::from_str(text).ok()?;
        return value
            .get("events")
            .is_some_and(serde_json::Value::is_array)
            .then_some(Format::TimelineJsJson);
    }
    let header = csv_header(text).unwrap_or_default();
    let has = |name: &str| header.iter().any(|column| column == name);
    if has("headline") && has("year") {
        Some(Format::TimelineJsCsv)
    } else if has("date") && has("description") {
        Some(Format::TimelineSetterCsv)
    } else if markwhen::looks_like(text) {
        Some(Format::Markwhen)
    } else {
        None
    }
}

/// Reads `text` in the given format.
pub fn parse(format: Format, path: &str, text: &str) -> Result<Imported, Diagnostic> {
    let imported = match format {
        Format::TimelineJsJson => timelinejs_json::parse(path, text)?,
        Format::TimelineJsCsv => timelinejs_csv::parse(path, text)?,
        Format::TimelineSetterCsv => timelinesetter::parse(path, text)?,
        Format::Markwhen => markwhen::parse(path, text)?,
    };
    let mut imported = imported;
    mapping::quotes_into_bodies(&mut imported);
    Ok(imported.finish())
}

/// Reads `source_path` (at most [`MAX_IMPORT_BYTES`]), writes one event
/// file per event into `options.into` and the title slide to
/// `content/_index.md`, and reports what it did. Existing files are kept
/// unless `options.force` is set; a symbolic link at a target, or at a
/// folder between the site root and it, refuses the import before anything
/// is written.
pub fn import_file(source_path: &Path, site_root: &Path, options: &ImportOptions) -> Result<ImportReport, Error> {
    check_into(site_root, options)?;
    let bytes = disk::read_source(source_path)?;
    let text = String::from_utf8(bytes).map_err(|error| Error::Read {
        path: source_path.to_path_buf(),
        source: io::Error::new(io::ErrorKind::InvalidData, error.utf8_error()),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let shown = source_path.display().to_string();
    let invalid = |diagnostic: Diagnostic| Error::Invalid {
        diagnostics: vec![diagnostic],
    };
    let format = detect(text).ok_or_else(|| invalid(unknown_format(&shown, text)))?;
    let mut imported = parse(format, &shown, text).map_err(invalid)?;

    let mut report = ImportReport {
        not_mapped: imported.notes.clone(),
        skipped: imported.skipped.clone(),
        title_yaml: site_title_yaml(site_root, imported.intro.as_ref()),
        eras_yaml: eras_yaml(&imported.eras),
        tracks_yaml: tracks_yaml(&imported.tracks),
        ..ImportReport::default()
    };
    let media_copies = local_media::relocate(&mut imported, site_root, &mut report.not_mapped);
    let mut files: Vec<(PathBuf, String)> = imported
        .events
        .iter()
        .map(|event| {
            let (name, text) = event_file(event);
            (options.into.join(name), text)
        })
        .collect();
    let intro_path = site_root.join("content").join("_index.md");
    if let Some(intro) = &imported.intro {
        files.push((intro_path.clone(), intro_file(intro)));
    }
    // Every target is looked at before the first is written, so a refused
    // link leaves the site as it was.
    let plans = files
        .iter()
        .map(|(path, _)| disk::plan(site_root, path, options.force))
        .collect::<Result<Vec<_>, _>>()?;
    local_media::copy_all(&media_copies, source_path, site_root, options.force, &mut report)?;
    let mut folders = BTreeSet::new();
    for ((path, text), plan) in files.into_iter().zip(plans) {
        if plan == disk::Plan::Keep {
            report.skipped_existing.push(path);
            continue;
        }
        if let Some(folder) = path.parent() {
            if folders.insert(folder.to_path_buf()) {
                fs::create_dir_all(folder).map_err(|source| Error::Write {
                    path: folder.to_path_buf(),
                    source,
                })?;
            }
        }
        disk::write(&path, &text, plan)?;
        if path == intro_path {
            report.intro = Some(path);
        } else {
            report.written.push(path);
        }
    }
    Ok(report)
}

/// Refuses an `into` folder outside `content/` (its events would never be
/// built) unless `force` is set.
fn check_into(site_root: &Path, options: &ImportOptions) -> Result<(), Error> {
    let content = lexical(&site_root.join("content"));
    let into = lexical(&site_root.join(&options.into));
    if options.force || into.starts_with(&content) {
        return Ok(());
    }
    let diagnostic = Diagnostic::error(
        into.display().to_string(),
        format!(
            "--into `{}` is outside the site's content/ folder ({}), so `annals build` would never read the events \
             written there",
            options.into.display(),
            content.display()
        ),
    )
    .with_hint("import into a folder under content/ (for example --into content/events/imported), or pass --force to write there anyway");
    Err(Error::Invalid {
        diagnostics: vec![diagnostic],
    })
}

/// `path` with `.` and `..` resolved by their names, not the disk.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The title `annals new` writes into `site.yaml`, which stands for none.
const NEW_SITE_TITLE: &str = "My timeline";

/// `title: "…"` from the title slide, when `site.yaml` has no title, an
/// empty one or the placeholder of `annals new`; `None` when the site has a
/// title of its own (the headline then titles only the intro).
fn site_title_yaml(site_root: &Path, intro: Option<&ImportedIntro>) -> Option<String> {
    let headline = intro?.title.as_deref()?;
    let text = fs::read_to_string(site_root.join("site.yaml")).unwrap_or_default();
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).unwrap_or_default();
    let current = yaml.get("title").and_then(serde_yaml::Value::as_str).map(str::trim);
    match current {
        Some(title) if !title.is_empty() && title != NEW_SITE_TITLE => None,
        _ => Some(emit::title_yaml(headline)),
    }
}

/// Why `text` is none of the formats, as precisely as can be told.
fn unknown_format(path: &str, text: &str) -> Diagnostic {
    let hint = "annals imports TimelineJS3 JSON (an `events` list), the TimelineJS spreadsheet as CSV \
                (columns Year, Month, Day, …, Headline, Text), TimelineSetter CSV (columns date, description, …) \
                and markwhen (lines like `1988 - 1996: Bell Labs`)";
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return match serde_json::from_str::<serde_json::Value>(trimmed) {
            Err(error) => Diagnostic::error(path, format!("this is not valid JSON: {error}")).at(
                text,
                error.line(),
                error.column(),
            ),
            Ok(_) => Diagnostic::error(
                path,
                "this JSON has no `events` list, so it is not a TimelineJS3 timeline",
            ),
        }
        .with_hint(hint);
    }
    let message = match csv_header(trimmed) {
        Some(header) if !header.is_empty() => format!(
            "cannot tell what kind of timeline this is: its first row ({}) names neither `Year` and `Headline` \
             (TimelineJS) nor `date` and `description` (TimelineSetter)",
            header.join(", ")
        ),
        _ => "cannot tell what kind of timeline this is: it is neither JSON, nor CSV with a header row, \
              nor markwhen (no line like `1988: Headline`)"
            .to_string(),
    };
    Diagnostic::error(path, message).with_hint(hint)
}

//! markwhen's text format (`.mw`): a header, then one event a line.
//!
//! ```text
//! title: Deep learning
//! description: From perceptrons to transformers.
//!
//! // a comment
//! group Career
//! 1988 - 1996: Bell Labs #research
//! More about it, on the lines that follow.
//! endGroup
//! ```
//!
//! The header (lines before the first event, or a `---` block) gives the
//! intro's `title` and text (`description`). An event line is a date or a
//! range (`1988`, `2013-12-09`, `12/2013`, `1988 - 1996`, `2023-01/2023-03`,
//! `2020 - now`, `500 BCE`, `c. 1500`), a colon and a headline; the lines after it, up to
//! the next event, are its text. `#tags` become tags; `group Name` …
//! `endGroup` and `section Name` … `endSection` make the events inside a
//! track (the innermost one). What annals has no place for (relative dates,
//! durations, recurrences, tag colours, pages) is named in a note or a
//! skipped line.

use crate::date::{Date, EndDate};
use crate::diagnostic::Diagnostic;
use crate::slug::Slug;

use super::mapping::{checked_end, event_slug, label};
use super::{Imported, ImportedEvent, ImportedIntro};

/// markwhen's page break.
const PAGE_BREAK: &str = "_-_-_break_-_-_";

/// Whether `text` reads as markwhen: some line is an event with a date
/// annals understands.
pub fn looks_like(text: &str) -> bool {
    text.lines()
        .filter_map(|line| event_line(line.trim()))
        .any(|(when, _)| range(when).is_ok())
}

/// Reads a markwhen document. `path` names it in errors.
pub fn parse(path: &str, text: &str) -> Result<Imported, Diagnostic> {
    let mut reader = Reader::default();
    for (index, raw) in text.lines().enumerate() {
        reader.line(index + 1, raw);
    }
    reader.into_imported(path)
}

/// A document read line by line: what it gave so far, and where the
/// reading is (in the header, in its `---` block, in which groups).
struct Reader {
    imported: Imported,
    intro: ImportedIntro,
    groups: Vec<String>,
    current: Option<Pending>,
    in_header: bool,
    fenced: bool,
}

impl Default for Reader {
    fn default() -> Self {
        Self {
            imported: Imported::default(),
            intro: ImportedIntro::default(),
            groups: Vec::new(),
            current: None,
            in_header: true,
            fenced: false,
        }
    }
}

impl Reader {
    /// Reads line `number`, `raw` as written.
    fn line(&mut self, number: usize, raw: &str) {
        let line = raw.trim();
        if self.fenced {
            if line == "---" {
                self.fenced = false;
            } else {
                header_line(line, number, &mut self.intro, &mut self.imported.notes);
            }
            return;
        }
        if self.in_header && line == "---" && self.imported.events.is_empty() && self.current.is_none() {
            self.fenced = true;
            return;
        }
        if line.starts_with("//") {
            return;
        }
        if line == PAGE_BREAK {
            self.imported.notes.push(format!(
                "line {number}: a page break; the pages were imported as one timeline"
            ));
            return;
        }
        if self.group_line(line, number) {
            return;
        }
        if let Some((when, what)) = event_line(line) {
            return self.start_event(number, when, what);
        }
        match &mut self.current {
            Some(event) => event.body.push(raw.to_string()),
            None if self.in_header => header_line(line, number, &mut self.intro, &mut self.imported.notes),
            // Text under an event that was skipped goes with it.
            None => {}
        }
    }

    /// Opens or closes a group (`group Name`, `endGroup`, and the same for
    /// sections); whether `line` was one of those.
    fn group_line(&mut self, line: &str, number: usize) -> bool {
        let word = line.split_whitespace().next().unwrap_or_default();
        match word {
            "group" | "section" => {
                finish(self.current.take(), &mut self.imported);
                self.in_header = false;
                let name = without_tags(line[word.len()..].trim());
                self.groups
                    .push(if name.is_empty() { "Group".to_string() } else { name });
                true
            }
            "endGroup" | "endSection" if line == word => {
                finish(self.current.take(), &mut self.imported);
                if self.groups.pop().is_none() {
                    self.imported
                        .notes
                        .push(format!("line {number}: `{word}` without a group; ignored"));
                }
                true
            }
            _ => false,
        }
    }

    /// Ends the event before and starts one at line `number`, in the
    /// innermost group's track; a date it cannot read skips it.
    fn start_event(&mut self, number: usize, when: &str, what: &str) {
        finish(self.current.take(), &mut self.imported);
        self.in_header = false;
        let track = self.groups.last().map(|name| {
            let id = Slug::from_text(name);
            self.imported.add_track(&id, name);
            id
        });
        let title = without_tags(what);
        let label = label("line", number, &title);
        match range(when) {
            Ok((date, end)) => {
                self.current = Some(Pending {
                    label,
                    title,
                    date,
                    end,
                    track,
                    tags: tags(what),
                    body: Vec::new(),
                });
            }
            Err(problem) => self.imported.skipped.push(format!("{label}: {problem}")),
        }
    }

    /// What the document gave, once its last line is read.
    fn into_imported(mut self, path: &str) -> Result<Imported, Diagnostic> {
        finish(self.current, &mut self.imported);
        if self.fenced {
            return Err(Diagnostic::error(path, "the header's `---` block is never closed")
                .with_hint("end the header with a line of `---`"));
        }
        if self.intro.title.is_some() || !self.intro.body.is_empty() {
            self.imported.intro = Some(self.intro);
        }
        Ok(self.imported)
    }
}

/// An event read so far; its text may still grow.
struct Pending {
    label: String,
    title: String,
    date: Date,
    end: Option<EndDate>,
    track: Option<Slug>,
    tags: Vec<String>,
    body: Vec<String>,
}

/// Adds the event read so far, if there is one, to `imported`, with the
/// tags its text holds too.
fn finish(pending: Option<Pending>, imported: &mut Imported) {
    let Some(event) = pending else { return };
    let end = match event.end {
        Some(EndDate::On(end)) => {
            checked_end(&event.label, &event.date, Some(end), &mut imported.notes).map(EndDate::On)
        }
        ongoing => ongoing,
    };
    let title = if event.title.is_empty() {
        imported
            .notes
            .push(format!("{}: no headline; titled \"Untitled\"", event.label));
        "Untitled".to_string()
    } else {
        event.title
    };
    let mut tags = event.tags;
    for line in &event.body {
        for tag in self::tags(line) {
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
    }
    let body = event.body.join("\n").trim().to_string();
    imported.events.push(ImportedEvent {
        label: event.label,
        slug: event_slug(None, &title),
        title,
        date: event.date,
        end,
        display_date: None,
        track: event.track,
        tags,
        media: None,
        sources: Vec::new(),
        body: if body.is_empty() { body } else { format!("{body}\n") },
    });
}

/// A header line: `title:` and `description:` are kept, blank lines are
/// nothing, anything else is named in a note.
fn header_line(line: &str, number: usize, intro: &mut ImportedIntro, notes: &mut Vec<String>) {
    if line.is_empty() || line.starts_with("//") {
        return;
    }
    let (key, value) = line.split_once(':').unwrap_or((line, ""));
    let value = value.trim().trim_matches('"').trim();
    match key.trim() {
        "title" => intro.title = Some(value.to_string()).filter(|title| !title.is_empty()),
        "description" => {
            intro.body = if value.is_empty() {
                String::new()
            } else {
                format!("{value}\n")
            };
        }
        key if key.starts_with('#') => notes.push(format!("line {number}: the colour of tag `{key}` not imported")),
        key => notes.push(format!("line {number}: header `{key}` not imported")),
    }
}

/// `(date part, headline)` of a line that is shaped like an event: a short
/// date part that starts as dates do, then `: `.
fn event_line(line: &str) -> Option<(&str, &str)> {
    let at = line
        .find(": ")
        .or_else(|| line.ends_with(':').then(|| line.len() - 1))?;
    let (when, what) = (line[..at].trim(), line[at + 1..].trim());
    let dateish = when.starts_with(|c: char| c.is_ascii_digit() || c == '-')
        || ["now", "c.", "ca.", "circa", "after ", "before ", "!"]
            .iter()
            .any(|start| when.to_lowercase().starts_with(start));
    (dateish && when.len() <= 60).then_some((when, what))
}

/// A date or a range: `1988`, `1988 - 1996`, `1988-1996`, `2023-01/2023-03`,
/// `2020 - now`.
fn range(text: &str) -> Result<(Date, Option<EndDate>), String> {
    if let Ok(date) = date(text) {
        return Ok((date, None));
    }
    for separator in [" - ", " – ", " — ", " to ", "–", "—", "/", "-"] {
        for (at, _) in text.match_indices(separator) {
            let (start, end) = (text[..at].trim(), text[at + separator.len()..].trim());
            let Ok(start) = date(start) else { continue };
            if matches!(end.to_lowercase().as_str(), "now" | "present") {
                return Ok((start, Some(EndDate::Ongoing)));
            }
            if let Ok(end) = date(end) {
                return Ok((start, Some(EndDate::On(end))));
            }
        }
    }
    Err(format!(
        "cannot read `{text}` as a date or a range of dates (annals reads 1988, 2013-12-09, 12/2013, \
         12/9/2013, 1988 - 1996, 2023-01/2023-03 and 2020 - now; relative dates, durations and recurrences are not imported)"
    ))
}

/// One date: annals' own forms, or markwhen's American `12/2013` and
/// `12/9/2013` (month first).
fn date(text: &str) -> Result<Date, String> {
    if let Ok(date) = Date::parse(text) {
        return Ok(date);
    }
    let parts: Vec<&str> = text.split('/').collect();
    let number = |part: &str| {
        part.parse::<u32>()
            .ok()
            .filter(|_| part.bytes().all(|b| b.is_ascii_digit()))
    };
    let iso = match parts.as_slice() {
        [month, year] if year.len() == 4 => number(month).map(|month| format!("{year}-{month:02}")),
        [month, day, year] if year.len() == 4 => number(month)
            .zip(number(day))
            .map(|(month, day)| format!("{year}-{month:02}-{day:02}")),
        _ => None,
    };
    iso.and_then(|iso| Date::parse(&iso).ok())
        .ok_or_else(|| format!("`{text}` is not a date"))
}

/// The `#tags` of a line, without their `#`.
fn tags(text: &str) -> Vec<String> {
    text.split_whitespace()
        .filter_map(|word| word.strip_prefix('#'))
        .map(|tag| tag.trim_end_matches([',', '.', ';']))
        .filter(|tag| tag.starts_with(|c: char| c.is_alphanumeric()))
        .map(String::from)
        .collect()
}

/// `text` without its `#tags`.
fn without_tags(text: &str) -> String {
    text.split_whitespace()
        .filter(|word| {
            !word
                .strip_prefix('#')
                .is_some_and(|tag| tag.starts_with(|c: char| c.is_alphanumeric()))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine(text: &str) -> (String, Option<String>) {
        let (start, end) = range(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let end = end.map(|end| match end {
            EndDate::On(end) => end.machine(),
            EndDate::Ongoing => "..".to_string(),
        });
        (start.machine(), end)
    }

    #[test]
    fn dates_and_ranges_read_as_markwhen_writes_them() {
        let one = |start: &str| (start.to_string(), None);
        let two = |start: &str, end: &str| (start.to_string(), Some(end.to_string()));
        assert_eq!(machine("1988"), one("1988"));
        assert_eq!(machine("2013-12-09"), one("2013-12-09"));
        assert_eq!(machine("12/2013"), one("2013-12"));
        assert_eq!(machine("12/9/2013"), one("2013-12-09"));
        assert_eq!(machine("1988 - 1996"), two("1988", "1996"));
        assert_eq!(machine("1988-1996"), two("1988", "1996"));
        assert_eq!(machine("2023-01/2023-03"), two("2023-01", "2023-03"));
        assert_eq!(machine("02/2024-04/2024"), two("2024-02", "2024-04"));
        assert_eq!(machine("500 BCE - 480 BCE"), two("-0499", "-0479"));
        assert!(range("2023-04/4 months").unwrap_err().contains("durations"));
        assert_eq!(machine("2020 - now"), two("2020", ".."));
        assert_eq!(machine("2020-now"), two("2020", ".."));
    }

    #[test]
    fn a_document_becomes_events_tracks_tags_and_an_intro() {
        let text = "---\ntitle: Deep learning\ndescription: From perceptrons on.\n#Research: blue\n---\n\
                    // a comment\n\
                    1958: The perceptron #research\n\
                    A machine that learns.\n\
                    \n\
                    group Career\n\
                    \x20 1988 - 1996: Bell Labs #work #research\n\
                    \x20 section Inner\n\
                    \x20 2003: NYU\n\
                    \x20 endSection\n\
                    endGroup\n\
                    after !bell 2 years: A relative date\n\
                    2013: Back at the top\n";
        let imported = parse("t.mw", text).expect("parses");
        let intro = imported.intro.as_ref().expect("an intro");
        assert_eq!(intro.title.as_deref(), Some("Deep learning"));
        assert_eq!(intro.body, "From perceptrons on.\n");
        /// Title, date, track, tags and text of an event.
        type Shown<'a> = (&'a str, String, Option<&'a str>, &'a [String], &'a str);
        let events: Vec<Shown> = imported
            .events
            .iter()
            .map(|event| {
                (
                    event.title.as_str(),
                    event.date.machine(),
                    event.track.as_ref().map(Slug::as_str),
                    event.tags.as_slice(),
                    event.body.as_str(),
                )
            })
            .collect();
        let research = ["research".to_string()];
        let work = ["work".to_string(), "research".to_string()];
        assert_eq!(
            events,
            [
                (
                    "The perceptron",
                    "1958".into(),
                    None,
                    &research[..],
                    "A machine that learns.\n"
                ),
                ("Bell Labs", "1988".into(), Some("career"), &work[..], ""),
                ("NYU", "2003".into(), Some("inner"), &[][..], ""),
                ("Back at the top", "2013".into(), None, &[][..], ""),
            ]
        );
        assert_eq!(imported.events[1].end, Some(EndDate::On(Date::parse("1996").unwrap())));
        assert_eq!(imported.skipped.len(), 1);
        assert!(imported.skipped[0].starts_with("line 16 (A relative date): cannot read `after !bell 2 years`"));
        assert_eq!(imported.notes, ["line 4: the colour of tag `#Research` not imported"]);
        let tracks: Vec<&str> = imported.tracks.iter().map(|track| track.title.as_str()).collect();
        assert_eq!(tracks, ["Career", "Inner"]);
        assert!(looks_like(text));
        assert!(!looks_like("Year,Headline\n1988,x\n"));
    }
}

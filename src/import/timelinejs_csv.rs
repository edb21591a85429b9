//! The TimelineJS Google Sheets template, saved as CSV (or TSV).
//!
//! Columns are found by name, ignoring case and spacing: `Year, Month, Day,
//! Time, End Year, End Month, End Day, End Time, Display Date, Headline,
//! Text, Media, Media Credit, Media Caption, Media Thumbnail, Type, Group,
//! Background`; missing ones are empty and unknown ones are reported. A row
//! of `Type` `title` is the intro, `era` an era; empty rows are skipped.
//! Rows are named by the line a spreadsheet shows for them (the header is
//! line 1; a cell with line breaks is still one line), and a row with fewer
//! cells than the header is an error, as it means a comma went missing.

use crate::date::{Date, EndDate, Precision};
use crate::diagnostic::Diagnostic;
use crate::slug::Slug;

use super::mapping::{
    body_from_html, checked_end, clock, csv_diagnostic, date_from_parts, event_slug, label, media_item, read_columns,
    RawMedia,
};
use super::timelinejs_json::astronomical_year;
use super::{to_plain_text, Imported, ImportedEra, ImportedEvent, ImportedIntro};

/// Every column annals reads, by its normalised name; several spellings
/// of the alt text are accepted.
const COLUMNS: [(&str, &str); 23] = [
    ("year", "year"),
    ("month", "month"),
    ("day", "day"),
    ("time", "time"),
    ("end year", "end year"),
    ("end month", "end month"),
    ("end day", "end day"),
    ("end time", "end time"),
    ("display date", "display date"),
    ("headline", "headline"),
    ("text", "text"),
    ("media", "media"),
    ("media credit", "media credit"),
    ("media caption", "media caption"),
    ("media thumbnail", "media thumbnail"),
    ("media alt", "media alt"),
    ("media alt text", "media alt"),
    ("alt text", "media alt"),
    ("type", "type"),
    ("group", "group"),
    ("background", "background"),
    ("tags", "tags"),
    ("unique id", "unique id"),
];

/// Reads a TimelineJS spreadsheet saved as CSV. `path` names it in errors.
pub fn parse(path: &str, text: &str) -> Result<Imported, Diagnostic> {
    let mut imported = Imported::default();
    let (mut reader, columns) = read_columns(path, text, &COLUMNS, &mut imported.notes)?;
    let width = reader.headers().map_or(0, csv::StringRecord::len);
    let rows = SheetLines::new(text);
    for record in reader.records() {
        let record = record.map_err(|error| csv_diagnostic(path, text, &error))?;
        let byte = rows.record_start(text, &record);
        let line = rows.line_at(byte);
        let empty = record.iter().all(|value| value.trim().is_empty());
        if record.len() < width && !empty {
            let (physical, _) = rows.physical_at(byte);
            return Err(too_few_cells(path, text, (line, physical), record.len(), width));
        }
        if empty {
            continue;
        }
        let cell = |column: &str| -> &str {
            columns
                .get(column)
                .and_then(|&index| record.get(index))
                .map_or("", str::trim)
        };
        row(line, &cell, &mut imported);
    }
    Ok(imported)
}

/// A row with fewer cells than the header has columns, at the `line` a
/// spreadsheet shows (the `physical` line of the text for the frame).
fn too_few_cells(path: &str, text: &str, (line, physical): (usize, usize), cells: usize, width: usize) -> Diagnostic {
    let mut diagnostic = Diagnostic::error(
        path,
        format!("line {line} has {cells} cells, but the header has {width}: a comma or a quote is missing"),
    )
    .at(text, physical, 1)
    .with_hint("every row needs a cell for every column, even an empty one (`1988,,,Headline`)");
    diagnostic.line = line;
    diagnostic
}

/// Reads a row that is not empty, by its `Type`: the intro, an era or an
/// event.
fn row<'a>(line: usize, cell: &impl Fn(&str) -> &'a str, imported: &mut Imported) {
    let headline = to_plain_text(cell("headline"));
    let label = label("line", line, &headline);
    let kind = cell("type").to_lowercase();
    match kind.as_str() {
        "title" => title_row(&label, headline, cell, imported),
        "era" => era_row(&label, headline, cell, imported),
        _ => {
            if !kind.is_empty() {
                imported.notes.push(format!(
                    "{label}: type `{}` is not `title` or `era`; read as an event",
                    cell("type")
                ));
            }
            if let Some(event) = event(&label, headline, cell, imported) {
                imported.events.push(event);
            }
        }
    }
}

/// The intro, from the first row of type `title`.
fn title_row<'a>(label: &str, headline: String, cell: &impl Fn(&str) -> &'a str, imported: &mut Imported) {
    if imported.intro.is_some() {
        imported
            .notes
            .push(format!("{label}: a second title row; only the first became the intro"));
        return;
    }
    let body = body_from_html(cell("text"), label, &mut imported.notes);
    let title = Some(headline).filter(|title| !title.is_empty());
    note_unused(label, cell, &["media", "background"], &mut imported.notes);
    imported.intro = Some(ImportedIntro { title, body });
}

/// An era, from a row of type `era`.
fn era_row<'a>(label: &str, headline: String, cell: &impl Fn(&str) -> &'a str, imported: &mut Imported) {
    let notes = &mut imported.notes;
    let title = if headline.is_empty() {
        notes.push(format!("{label}: an era without a headline; titled \"Era\""));
        "Era".to_string()
    } else {
        headline
    };
    let start = match start_date(cell) {
        Ok(start) => start,
        Err(problem) => {
            imported.skipped.push(format!("{label}: {problem}"));
            return;
        }
    };
    let end = end_date(label, cell, notes);
    let end = checked_end(label, &start, end, notes);
    if !cell("text").is_empty() {
        notes.push(format!("{label}: its text not imported (eras in site.yaml have none)"));
    }
    imported.eras.push(ImportedEra { title, start, end });
}

/// An event, from a row of no type (or one annals does not know).
fn event<'a>(
    label: &str,
    headline: String,
    cell: &impl Fn(&str) -> &'a str,
    imported: &mut Imported,
) -> Option<ImportedEvent> {
    let title = if headline.is_empty() {
        imported
            .notes
            .push(format!("{label}: no headline; titled \"Untitled\""));
        "Untitled".to_string()
    } else {
        headline
    };
    let date = match start_date(cell) {
        Ok(date) => date,
        Err(problem) => {
            imported.skipped.push(format!("{label}: {problem}"));
            return None;
        }
    };
    let end = end_date(label, cell, &mut imported.notes);
    let end = checked_end(label, &date, end, &mut imported.notes);
    let track = Some(cell("group")).filter(|group| !group.is_empty()).map(|group| {
        let id = Slug::from_text(group);
        imported.add_track(&id, group);
        id
    });
    let notes = &mut imported.notes;
    let media = media_item(
        RawMedia {
            url: cell("media"),
            alt: Some(cell("media alt")),
            caption: Some(cell("media caption")),
            credit: Some(cell("media credit")),
            link: None,
        },
        &title,
        label,
        notes,
    );
    note_unused(label, cell, &["media thumbnail", "background"], notes);
    let tags = cell("tags")
        .split(',')
        .map(str::trim)
        .filter(|tag| !tag.is_empty())
        .map(String::from)
        .collect();
    Some(ImportedEvent {
        label: label.to_string(),
        slug: event_slug(Some(cell("unique id")), &title),
        title,
        date,
        end: end.map(EndDate::On),
        display_date: Some(cell("display date").to_string()).filter(|label| !label.is_empty()),
        track,
        tags,
        media,
        sources: Vec::new(),
        body: body_from_html(cell("text"), label, notes),
    })
}

fn note_unused<'a>(label: &str, cell: &impl Fn(&str) -> &'a str, columns: &[&str], notes: &mut Vec<String>) {
    for column in columns {
        if !cell(column).is_empty() {
            notes.push(format!("{label}: {column} not imported"));
        }
    }
}

fn start_date<'a>(cell: &impl Fn(&str) -> &'a str) -> Result<Date, String> {
    if cell("year").is_empty() {
        return Err("no Year".to_string());
    }
    date_columns(cell("year"), cell("month"), cell("day"), cell("time"))
}

fn end_date<'a>(label: &str, cell: &impl Fn(&str) -> &'a str, notes: &mut Vec<String>) -> Option<Date> {
    let year = cell("end year");
    if year.is_empty() {
        if ["end month", "end day", "end time"]
            .iter()
            .any(|column| !cell(column).is_empty())
        {
            notes.push(format!("{label}: an end without End Year was left out"));
        }
        return None;
    }
    match date_columns(year, cell("end month"), cell("end day"), cell("end time")) {
        Ok(end) => Some(end),
        Err(problem) => {
            notes.push(format!("{label}: the end was left out: {problem}"));
            None
        }
    }
}

/// A date from the Year, Month, Day and Time cells.
fn date_columns(year: &str, month: &str, day: &str, time: &str) -> Result<Date, String> {
    let year = match whole(year) {
        Some(year) => astronomical_year(year)?,
        // "500 BCE" in the Year column: take what annals reads as a year.
        None => match Date::parse(year) {
            Ok(date) if date.precision() == Precision::Year => i64::from(date.year()),
            _ => return Err(format!("Year `{year}` is not a year")),
        },
    };
    let number = |text: &str, column: &str| -> Result<Option<i64>, String> {
        if text.is_empty() {
            return Ok(None);
        }
        whole(text)
            .map(Some)
            .ok_or_else(|| format!("{column} `{text}` is not a whole number"))
    };
    let month = number(month, "Month")?;
    let day = number(day, "Day")?;
    if month.is_none() && day.is_some() {
        return Err("a Day without a Month".to_string());
    }
    let time = if time.is_empty() {
        None
    } else if day.is_none() {
        return Err("a Time without a Day".to_string());
    } else {
        Some(clock(time).ok_or_else(|| format!("Time `{time}` is not a time like 14:30 or 2:30 PM"))?)
    };
    date_from_parts(year, month, day, time)
}

/// Where the lines of a sheet begin, as a spreadsheet counts them: a line
/// break inside a quoted cell does not start a new one; `\r\n`, `\n` and a
/// lone `\r` all end one.
pub(super) struct SheetLines {
    /// The byte offset of each line's start, and its physical line number.
    starts: Vec<(usize, usize)>,
}

impl SheetLines {
    pub(super) fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![(0, 1)];
        let (mut quoted, mut physical, mut at) = (false, 1, 0);
        while at < bytes.len() {
            let byte = bytes[at];
            at += 1;
            let newline = match byte {
                b'"' => {
                    quoted = !quoted;
                    false
                }
                b'\r' => {
                    if bytes.get(at) == Some(&b'\n') {
                        at += 1;
                    }
                    true
                }
                b'\n' => true,
                _ => false,
            };
            if newline {
                physical += 1;
                if !quoted {
                    starts.push((at, physical));
                }
            }
        }
        Self { starts }
    }

    /// Where `record` of `text` begins. The reader's position can be that
    /// of blank lines it skipped before the record.
    pub(super) fn record_start(&self, text: &str, record: &csv::StringRecord) -> usize {
        let byte = record.position().map_or(0, |position| position.byte() as usize);
        byte + text
            .get(byte..)
            .map_or(0, |rest| rest.len() - rest.trim_start_matches(['\r', '\n']).len())
    }

    /// The spreadsheet line (from 1) of the row starting at `byte`.
    pub(super) fn line_at(&self, byte: usize) -> usize {
        self.starts.partition_point(|&(start, _)| start <= byte).max(1)
    }

    /// The line of the text file, and the spreadsheet line, at `byte`.
    fn physical_at(&self, byte: usize) -> (usize, usize) {
        let line = self.line_at(byte);
        (self.starts[line - 1].1, line)
    }
}

/// A whole number, also when a spreadsheet wrote it as `2013.0`.
fn whole(text: &str) -> Option<i64> {
    let text = text.trim();
    text.parse::<i64>()
        .ok()
        .or_else(|| text.strip_suffix(".0").and_then(|integer| integer.parse::<i64>().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_read_both_ways() {
        assert_eq!(clock("14:30"), Some((14, 30)));
        assert_eq!(clock("14:30:59"), Some((14, 30)));
        assert_eq!(clock("2:30 PM"), Some((14, 30)));
        assert_eq!(clock("12:05 a.m."), Some((0, 5)));
        assert_eq!(clock("12 pm"), Some((12, 0)));
        assert_eq!(clock("13 pm"), None);
        assert_eq!(clock("noon"), None);
    }

    #[test]
    fn lines_are_counted_as_a_spreadsheet_counts_them() {
        let text = "Year,Headline\r\n1,\"two\r\nlines\"\r\n2,b\n\r3,c";
        let lines = SheetLines::new(text);
        assert_eq!(lines.line_at(0), 1);
        assert_eq!(lines.line_at(text.find("1,").unwrap()), 2);
        assert_eq!(lines.line_at(text.find("2,").unwrap()), 3);
        assert_eq!(lines.physical_at(text.find("2,").unwrap()), (4, 3));
        assert_eq!(lines.line_at(text.find("3,").unwrap()), 5, "an empty line still counts");
    }

    #[test]
    fn notes_name_the_line_a_spreadsheet_shows() {
        for newline in ["\n", "\r\n"] {
            let text = [
                "Year,Headline,Text",
                "1988,First,\"A cell",
                "over two lines\"",
                "",
                ",No year,",
                "1990,Third,",
            ]
            .join(newline);
            let imported = parse("s.csv", &text).expect("parses");
            assert_eq!(imported.skipped, ["line 4 (No year): no Year"], "{newline:?}");
            assert_eq!(imported.events[1].label, "line 5 (Third)", "{newline:?}");
        }
    }

    #[test]
    fn a_row_with_too_few_cells_is_an_error_at_its_line() {
        let text = "Year,Month,Headline\n1988,,\"Two\nlines\"\n1990,Short\n";
        let error = parse("s.csv", text).expect_err("a short row");
        assert_eq!(error.line, 3);
        assert_eq!(
            error.message,
            "line 3 has 2 cells, but the header has 3: a comma or a quote is missing"
        );
        assert_eq!(error.source_line.as_deref(), Some("1990,Short"));
    }

    #[test]
    fn date_columns_keep_their_precision() {
        assert_eq!(date_columns("2013", "", "", "").unwrap().machine(), "2013");
        assert_eq!(date_columns("2013", "12", "", "").unwrap().machine(), "2013-12");
        assert_eq!(
            date_columns("2013", "12", "9", "2:05 pm").unwrap().machine(),
            "2013-12-09T14:05"
        );
        assert_eq!(date_columns("-500", "", "", "").unwrap().machine(), "-0499");
        assert_eq!(date_columns("-1", "", "", "").unwrap().machine(), "0000");
        assert!(date_columns("0", "", "", "").unwrap_err().contains("year 0"));
        assert_eq!(date_columns("500 BCE", "", "", "").unwrap().machine(), "-0499");
        assert!(date_columns("2013", "", "9", "").is_err());
        assert!(date_columns("2013", "2", "30", "").unwrap_err().contains("day 30"));
    }
}

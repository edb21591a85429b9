//! ProPublica TimelineSetter CSV: `date, display_date, description, link,
//! series, html`.
//!
//! Dates are free-form (`2013-12-09`, `12/9/2013`, `December 9, 2013`,
//! `Dec 2013`, `2013`) and keep the precision they were written with. A
//! short description is the title; a long one gives its first sentence to
//! the title and the rest to the body, before the `html`.

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::slug::Slug;

use super::html::text_to_markdown;
use super::mapping::{body_from_html, clock, csv_diagnostic, date_from_parts, event_slug, label, read_columns};
use super::timelinejs_csv::SheetLines;
use super::{to_plain_text, Imported, ImportedEvent};

/// A description longer than this gives only its first sentence to the title.
const MAX_TITLE: usize = 100;

const COLUMNS: [(&str, &str); 6] = [
    ("date", "date"),
    ("display date", "display date"),
    ("description", "description"),
    ("link", "link"),
    ("series", "series"),
    ("html", "html"),
];

/// Reads a TimelineSetter CSV. `path` names it in errors.
pub fn parse(path: &str, text: &str) -> Result<Imported, Diagnostic> {
    let mut imported = Imported::default();
    let (mut reader, columns) = read_columns(path, text, &COLUMNS, &mut imported.notes)?;
    let rows = SheetLines::new(text);
    for record in reader.records() {
        let record = record.map_err(|error| csv_diagnostic(path, text, &error))?;
        if record.iter().all(|value| value.trim().is_empty()) {
            continue;
        }
        let line = rows.line_at(rows.record_start(text, &record));
        let cell = |column: &str| -> &str {
            columns
                .get(column)
                .and_then(|&index| record.get(index))
                .map_or("", str::trim)
        };
        let description = to_plain_text(cell("description"));
        let (title, rest) = split_title(&description);
        let label = label("line", line, &title);
        let notes = &mut imported.notes;
        let title = if title.is_empty() {
            notes.push(format!("{label}: no description; titled \"Untitled\""));
            "Untitled".to_string()
        } else {
            title
        };
        let date = match read_date(cell("date")) {
            Ok(date) => date,
            Err(problem) => {
                imported.skipped.push(format!("{label}: {problem}"));
                continue;
            }
        };
        let mut body = rest
            .map(|rest| format!("{}\n", text_to_markdown(&rest)))
            .unwrap_or_default();
        let html = body_from_html(cell("html"), &label, notes);
        if !body.is_empty() && !html.is_empty() {
            body.push('\n');
        }
        body.push_str(&html);
        let series = cell("series");
        let track = (!series.is_empty()).then(|| Slug::from_text(series));
        if let Some(id) = &track {
            imported.add_track(id, series);
        }
        let link = cell("link");
        imported.events.push(ImportedEvent {
            label,
            slug: event_slug(None, &title),
            title,
            date,
            end: None,
            display_date: Some(cell("display date").to_string()).filter(|label| !label.is_empty()),
            track,
            tags: Vec::new(),
            media: None,
            sources: if link.is_empty() {
                Vec::new()
            } else {
                vec![link.to_string()]
            },
            body,
        });
    }
    Ok(imported)
}

/// The title and, for a long description, the rest of it.
fn split_title(description: &str) -> (String, Option<String>) {
    if description.chars().count() <= MAX_TITLE {
        return (description.to_string(), None);
    }
    let mut chars = description.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let ends_sentence =
            matches!(c, '.' | '!' | '?') && chars.peek().is_some_and(|(_, next)| next.is_whitespace()) && at > 0;
        if ends_sentence {
            let cut = at + c.len_utf8();
            let rest = description[cut..].trim();
            return (
                description[..cut].to_string(),
                Some(rest.to_string()).filter(|rest| !rest.is_empty()),
            );
        }
    }
    (description.to_string(), None)
}

/// A TimelineSetter date, at the precision written.
fn read_date(text: &str) -> Result<Date, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("no date".to_string());
    }
    if let Ok(date) = Date::parse(text) {
        return Ok(date);
    }
    let unreadable = || format!("cannot read the date `{text}`");
    let (day_text, time) = split_time(text);
    let (year, month, day) = calendar(day_text).ok_or_else(unreadable)?;
    if time.is_some() && day.is_none() {
        return Err(unreadable());
    }
    date_from_parts(year, month, day, time).map_err(|problem| format!("the date `{text}`: {problem}"))
}

/// Splits a trailing clock time (`14:30`, `2:30 PM`) off a date.
fn split_time(text: &str) -> (&str, Option<(i64, i64)>) {
    let words: Vec<&str> = text.split_whitespace().collect();
    for take in [2, 1] {
        if words.len() > take {
            let tail = words[words.len() - take..].join(" ");
            if tail.contains(':') || tail.to_ascii_lowercase().contains('m') {
                if let Some(time) = clock(&tail) {
                    let cut = text.rfind(words[words.len() - take]).unwrap_or(text.len());
                    return (text[..cut].trim_end().trim_end_matches(','), Some(time));
                }
            }
        }
    }
    (text, None)
}

/// Year, month and day from `12/9/2013`, `12/2013`, `2013-1-5`,
/// `December 9, 2013`, `9 Dec. 2013`, `Dec 2013`.
fn calendar(text: &str) -> Option<(i64, Option<i64>, Option<i64>)> {
    let numbers = |separator: char| -> Option<Vec<i64>> {
        text.split(separator)
            .map(|part| part.trim().parse::<i64>().ok())
            .collect()
    };
    if text.contains('/') {
        return match numbers('/')?.as_slice() {
            [month, day, year] if *year >= 100 => Some((*year, Some(*month), Some(*day))),
            [month, year] if *year >= 100 => Some((*year, Some(*month), None)),
            _ => None,
        };
    }
    if text.contains('-') && !text.starts_with('-') {
        return match numbers('-')?.as_slice() {
            [year, month, day] => Some((*year, Some(*month), Some(*day))),
            [year, month] => Some((*year, Some(*month), None)),
            _ => None,
        };
    }
    let words: Vec<String> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|word| word.trim_end_matches('.').to_ascii_lowercase())
        .filter(|word| !word.is_empty())
        .collect();
    let month_at = words.iter().position(|word| month_number(word).is_some())?;
    let month = month_number(&words[month_at])?;
    let mut numbers = words
        .iter()
        .enumerate()
        .filter(|(at, _)| *at != month_at)
        .map(|(_, word)| {
            let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            (word.len() - digits.len(), digits.parse::<i64>().ok())
        });
    let (day, year) = match (numbers.next(), numbers.next(), numbers.next()) {
        (Some((_, Some(year))), None, None) => (None, year),
        (Some((_, Some(first))), Some((_, Some(second))), None) => {
            // "December 9, 2013" or "9 December 2013": the year is the big one.
            if first > 31 {
                (Some(second), first)
            } else {
                (Some(first), second)
            }
        }
        _ => return None,
    };
    Some((year, Some(month), day))
}

fn month_number(word: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if word.len() < 3 {
        return None;
    }
    let word = if word == "sept" { "sep" } else { word };
    MONTHS
        .iter()
        .position(|name| name.starts_with(word))
        .map(|index| index as i64 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_the_precision_written() {
        for (written, machine) in [
            ("2013-12-09", "2013-12-09"),
            ("12/9/2013", "2013-12-09"),
            ("December 9, 2013", "2013-12-09"),
            ("9 December 2013", "2013-12-09"),
            ("Dec. 9th, 2013", "2013-12-09"),
            ("Dec 2013", "2013-12"),
            ("12/2013", "2013-12"),
            ("2013", "2013"),
            ("2013-1-5", "2013-01-05"),
            ("Sept 1, 1939 4:45 AM", "1939-09-01T04:45"),
            ("2013-12-09 14:30", "2013-12-09T14:30"),
        ] {
            assert_eq!(
                read_date(written).map(|d| d.machine()),
                Ok(machine.to_string()),
                "{written}"
            );
        }
        assert!(read_date("2/30/2013").unwrap_err().contains("day 30"));
        assert!(read_date("someday").is_err());
    }

    #[test]
    fn long_descriptions_give_their_first_sentence_to_the_title() {
        assert_eq!(split_title("Short."), ("Short.".to_string(), None));
        let long = format!("First sentence here. {}", "More words. ".repeat(10));
        let (title, rest) = split_title(long.trim());
        assert_eq!(title, "First sentence here.");
        assert!(rest.unwrap().starts_with("More words."));
    }
}

//! TimelineJS3 JSON: `{"title": {…}, "events": […], "eras": […]}`.
//!
//! This is also what annals exports as `timeline.json`, with two extra
//! fields TimelineJS ignores (`annals_track`, `tags`), so an annals export
//! imports back to the same events. Years are counted as TimelineJS prints
//! them: `-500` is 500 BCE, and there is no year 0 (see [`astronomical_year`]);
//! any part of a date may be a number or a string of digits. Text is HTML
//! and is converted to Markdown.

use serde_json::{Map, Value};

use crate::diagnostic::Diagnostic;
use crate::slug::Slug;

use super::mapping::{body_from_html, checked_end, date_from_parts, event_slug, label, media_item, RawMedia};
use super::{to_plain_text, Imported, ImportedEra, ImportedEvent, ImportedIntro, ImportedMedia};
use crate::date::{format_range, Date, EndDate, Qualifier};
use crate::lang::Lang;

const EVENT_KEYS: [&str; 9] = [
    "start_date",
    "end_date",
    "text",
    "media",
    "group",
    "display_date",
    "unique_id",
    "annals_track",
    "tags",
];
const MEDIA_KEYS: [&str; 5] = ["url", "caption", "credit", "alt", "link"];
const DATE_KEYS: [&str; 8] = [
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "second",
    "millisecond",
    "display_date",
];

/// Reads a TimelineJS3 JSON document. `path` names it in the error.
pub fn parse(path: &str, text: &str) -> Result<Imported, Diagnostic> {
    let document: Value = serde_json::from_str(text).map_err(|error| {
        Diagnostic::error(path, format!("this is not valid JSON: {error}")).at(text, error.line(), error.column())
    })?;
    let Some(events) = document.get("events").and_then(Value::as_array) else {
        return Err(Diagnostic::error(
            path,
            "this JSON has no `events` list, so it is not a TimelineJS3 timeline",
        ));
    };
    let mut imported = Imported::default();
    if let Some(top) = document.as_object() {
        for (key, value) in top {
            match key.as_str() {
                "title" | "events" | "eras" => {}
                "scale" if value.as_str() == Some("human") => {}
                _ => imported.notes.push(format!("timeline: `{key}` not imported")),
            }
        }
    }
    if let Some(title) = document.get("title").and_then(Value::as_object) {
        imported.intro = Some(title_slide(title, &mut imported.notes));
    }
    for (index, value) in events.iter().enumerate() {
        let Some(object) = value.as_object() else {
            imported.skipped.push(format!("event {}: not an object", index + 1));
            continue;
        };
        if let Some(event) = event(index + 1, object, &mut imported) {
            imported.events.push(event);
        }
    }
    for (index, value) in document
        .get("eras")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        match value.as_object() {
            Some(object) => {
                if let Some(era) = era(index + 1, object, &mut imported) {
                    imported.eras.push(era);
                }
            }
            None => imported.skipped.push(format!("era {}: not an object", index + 1)),
        }
    }
    Ok(imported)
}

fn title_slide(title: &Map<String, Value>, notes: &mut Vec<String>) -> ImportedIntro {
    let headline = text_field(title, "headline")
        .map(to_plain_text)
        .filter(|h| !h.is_empty());
    let body = text_field(title, "text")
        .map(|html| body_from_html(html, "title slide", notes))
        .unwrap_or_default();
    for key in title.keys().filter(|key| key.as_str() != "text") {
        notes.push(format!("title slide: `{key}` not imported"));
    }
    ImportedIntro { title: headline, body }
}

fn event(number: usize, object: &Map<String, Value>, imported: &mut Imported) -> Option<ImportedEvent> {
    let notes = &mut imported.notes;
    let headline = text_field(object, "headline").map(to_plain_text).unwrap_or_default();
    let label = label("event", number, &headline);
    let title = if headline.is_empty() {
        notes.push(format!("{label}: no headline; titled \"Untitled\""));
        "Untitled".to_string()
    } else {
        headline
    };
    let (date, end, display_date) = match event_dates(object, &label, notes) {
        Ok(dates) => dates,
        Err(problem) => {
            imported.skipped.push(format!("{label}: {problem}"));
            return None;
        }
    };
    let track = event_track(object, imported);
    let notes = &mut imported.notes;
    let tags = match object.get("tags") {
        Some(Value::Array(items)) => items.iter().filter_map(|item| string(Some(item))).collect(),
        Some(Value::String(one)) if !one.trim().is_empty() => vec![one.trim().to_string()],
        _ => Vec::new(),
    };
    let slug = event_slug(string(object.get("unique_id")).as_deref(), &title);
    let media = object
        .get("media")
        .and_then(Value::as_object)
        .and_then(|media| event_media(media, &title, &label, notes));
    let body = text_field(object, "text")
        .map(|html| body_from_html(html, &label, notes))
        .unwrap_or_default();
    note_unread_event_keys(object, &label, notes);
    Some(ImportedEvent {
        label,
        title,
        date,
        end: end.map(EndDate::On),
        display_date,
        track,
        tags,
        slug,
        media,
        sources: Vec::new(),
        body,
    })
}

/// An event's date, its end and its `display_date`; `Err` when it has no
/// start date annals can read.
fn event_dates(
    object: &Map<String, Value>,
    label: &str,
    notes: &mut Vec<String>,
) -> Result<(Date, Option<Date>, Option<String>), String> {
    let (date, start_label) = match object.get("start_date") {
        Some(value) => date_object(value, &format!("{label}: start_date"), notes)?,
        None => return Err("no start_date".to_string()),
    };
    let end = object
        .get("end_date")
        .filter(|value| !is_empty(value))
        .and_then(|value| match date_object(value, &format!("{label}: end_date"), notes) {
            Ok(found) => Some(found),
            Err(problem) => {
                notes.push(format!("{label}: end_date not imported: {problem}"));
                None
            }
        });
    let (end, end_label) = match end {
        Some((end, end_label)) => (Some(end), end_label),
        None => (None, None),
    };
    let end = checked_end(label, &date, end, notes);
    // A label that is only annals' way of printing a circa or uncertain
    // date gives back the marks instead of becoming a `display_date`.
    let shown = string(object.get("display_date"));
    let restored = shown
        .as_deref()
        .and_then(|shown| restore_qualifiers(&date, end.as_ref(), shown));
    let (date, end) = restored.unwrap_or((date, end));
    // An event's `display_date` replaces its whole date; the start's and
    // end's labels only make one when the start has its own.
    let display_date = match (shown, start_label, end_label) {
        _ if restored.is_some() => None,
        (Some(shown), _, _) => Some(shown),
        (None, Some(start), Some(end)) => Some(format!("{start} – {end}")),
        (None, Some(start), None) => Some(start),
        (None, None, Some(_)) => {
            notes.push(format!("{label}: `end_date.display_date` not imported"));
            None
        }
        (None, None, None) => None,
    };
    Ok((date, end, display_date))
}

/// An event's track: annals' own `annals_track`, else one named by its
/// TimelineJS `group`; added to the tracks imported.
fn event_track(object: &Map<String, Value>, imported: &mut Imported) -> Option<Slug> {
    let group = string(object.get("group"));
    let track = match string(object.get("annals_track")).and_then(|id| Slug::parse(&id)) {
        Some(id) => Some(id),
        None => group.as_deref().map(Slug::from_text),
    };
    if let Some(id) = &track {
        let title = group.clone().unwrap_or_else(|| id.to_string());
        imported.add_track(id, &title);
    }
    track
}

/// An event's `media` object as a media item, its unknown keys noted.
fn event_media(media: &Map<String, Value>, title: &str, label: &str, notes: &mut Vec<String>) -> Option<ImportedMedia> {
    for key in media.keys().filter(|key| !MEDIA_KEYS.contains(&key.as_str())) {
        notes.push(format!("{label}: `media.{key}` not imported"));
    }
    let raw = RawMedia {
        url: media.get("url").and_then(Value::as_str).unwrap_or_default(),
        alt: media.get("alt").and_then(Value::as_str),
        caption: media.get("caption").and_then(Value::as_str),
        credit: media.get("credit").and_then(Value::as_str),
        link: media.get("link").and_then(Value::as_str),
    };
    media_item(raw, title, label, notes)
}

/// Notes the keys of an event, and of its `text`, that annals does not read.
fn note_unread_event_keys(object: &Map<String, Value>, label: &str, notes: &mut Vec<String>) {
    if let Some(text) = object.get("text").and_then(Value::as_object) {
        for key in text.keys().filter(|key| !matches!(key.as_str(), "headline" | "text")) {
            notes.push(format!("{label}: `text.{key}` not imported"));
        }
    }
    for key in object.keys().filter(|key| !EVENT_KEYS.contains(&key.as_str())) {
        notes.push(format!("{label}: `{key}` not imported"));
    }
}

fn era(number: usize, object: &Map<String, Value>, imported: &mut Imported) -> Option<ImportedEra> {
    let notes = &mut imported.notes;
    let headline = text_field(object, "headline").map(to_plain_text).unwrap_or_default();
    let label = label("era", number, &headline);
    let title = if headline.is_empty() {
        notes.push(format!("{label}: no headline; titled \"Era {number}\""));
        format!("Era {number}")
    } else {
        headline
    };
    let start = match object.get("start_date") {
        Some(value) => date_object(value, &format!("{label}: start_date"), notes),
        None => Err("no start_date".to_string()),
    };
    let start = match start {
        Ok((start, _)) => start,
        Err(problem) => {
            imported.skipped.push(format!("{label}: {problem}"));
            return None;
        }
    };
    let end = match object.get("end_date").filter(|value| !is_empty(value)) {
        Some(value) => match date_object(value, &format!("{label}: end_date"), notes) {
            Ok((end, _)) => Some(end),
            Err(problem) => {
                notes.push(format!("{label}: end_date not imported: {problem}"));
                None
            }
        },
        None => None,
    };
    let end = checked_end(&label, &start, end, notes);
    if text_field(object, "text").is_some_and(|text| !text.trim().is_empty()) {
        notes.push(format!("{label}: its text not imported (eras in site.yaml have none)"));
    }
    for key in object
        .keys()
        .filter(|key| !matches!(key.as_str(), "start_date" | "end_date" | "text"))
    {
        notes.push(format!("{label}: `{key}` not imported"));
    }
    Some(ImportedEra { title, start, end })
}

/// A TimelineJS date object: the date, at the precision given, and its
/// `display_date`. `what` names it in notes.
fn date_object(value: &Value, what: &str, notes: &mut Vec<String>) -> Result<(Date, Option<String>), String> {
    let Some(object) = value.as_object() else {
        return Err("the date is not an object with a `year`".to_string());
    };
    let part = |key: &str| -> Result<Option<i64>, String> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
            Some(Value::String(text)) => text
                .trim()
                .parse::<i64>()
                .map(Some)
                .map_err(|_| format!("{key} `{text}` is not a whole number")),
            Some(Value::Number(number)) => match number.as_i64() {
                Some(whole) => Ok(Some(whole)),
                None => match number.as_f64() {
                    Some(float) if float.fract() == 0.0 && float.abs() < 1e9 => Ok(Some(float as i64)),
                    _ => Err(format!("{key} `{number}` is not a whole number")),
                },
            },
            Some(other) => Err(format!("{key} `{other}` is not a whole number")),
        }
    };
    let year = astronomical_year(part("year")?.ok_or_else(|| "the date has no `year`".to_string())?)?;
    let month = part("month")?;
    let mut day = part("day")?;
    let hour = part("hour")?;
    let minute = part("minute")?;
    let mut time = match (hour, minute) {
        (None, None) => None,
        (hour, minute) => Some((hour.unwrap_or(0), minute.unwrap_or(0))),
    };
    if month.is_none() && (day.is_some() || time.is_some()) {
        notes.push(format!("{what}: a day or time without a month; only the year was kept"));
        (day, time) = (None, None);
    }
    if day.is_none() && time.is_some() {
        notes.push(format!("{what}: a time without a day; the time was left out"));
        time = None;
    }
    let date = date_from_parts(year, month, day, time)?;
    for key in object.keys().filter(|key| !DATE_KEYS.contains(&key.as_str())) {
        notes.push(format!("{what}: `{key}` not imported"));
    }
    Ok((date, string(object.get("display_date"))))
}

/// The circa and uncertain marks back on `date` and `end` when `shown` (a
/// `display_date`) is exactly how annals prints them, as its `timeline.json`
/// carries a qualified date ("c. 1500", "1984? – 1990"); `None` when
/// `shown` is a label of the author's own.
pub(super) fn restore_qualifiers(date: &Date, end: Option<&Date>, shown: &str) -> Option<(Date, Option<Date>)> {
    let variants = |date: &Date| -> Vec<Date> {
        let machine = date.machine();
        [
            machine.clone(),
            format!("{machine}~"),
            format!("{machine}?"),
            format!("{machine}%"),
        ]
        .iter()
        .filter_map(|text| Date::parse(text).ok())
        .collect()
    };
    let ends: Vec<Option<Date>> = match end {
        Some(end) => variants(end).into_iter().map(Some).collect(),
        None => vec![None],
    };
    for start in variants(date) {
        for end in &ends {
            let qualified =
                start.qualifier() != Qualifier::Exact || end.is_some_and(|end| end.qualifier() != Qualifier::Exact);
            let range = end.map(EndDate::On);
            if qualified
                && [Lang::En, Lang::Zh]
                    .into_iter()
                    .any(|lang| format_range(&start, range.as_ref(), lang) == shown)
            {
                return Some((start, *end));
            }
        }
    }
    None
}

/// A TimelineJS year as annals stores it (astronomical: `0` is 1 BCE).
///
/// TimelineJS prints year `-N` as "N BCE" (it shows the number without its
/// sign and adds the era), so `-500` is 500 BCE and `-1` is 1 BCE; its year
/// 0 would print as "0", which is no year at all.
pub(super) fn astronomical_year(year: i64) -> Result<i64, String> {
    match year {
        0 => Err("year 0 does not exist: TimelineJS writes 1 BCE as -1 and 1 CE as 1".to_string()),
        year if year < 0 => Ok(year + 1),
        year => Ok(year),
    }
}

/// `object.text.<key>` as a string.
fn text_field<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    object.get("text")?.get(key)?.as_str()
}

/// A non-empty string, trimmed; numbers are written out.
fn string(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(text) => Some(text.trim().to_string()).filter(|text| !text.is_empty()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Object(map) => map.values().all(is_empty),
        Value::String(text) => text.trim().is_empty(),
        _ => false,
    }
}

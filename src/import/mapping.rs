//! What the three readers share: CSV headers, dates built from parts,
//! clock times, slugs, media items and HTML bodies, each noting what could
//! not be carried over.

use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::slug::Slug;

use super::html::{self, to_markdown, to_plain_text, Embed};
use crate::parse::media::MediaKind;

use super::{Imported, ImportedMedia};

/// The CSV field delimiter: a tab when the first line has more tabs than
/// commas (a sheet saved as TSV), else a comma.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().next().unwrap_or_default();
    if first.matches('\t').count() > first.matches(',').count() {
        b'\t'
    } else {
        b','
    }
}

/// The first row, each name lower-cased with its spaces squeezed.
pub(super) fn csv_header(text: &str) -> Option<Vec<String>> {
    let mut reader = csv_reader(text);
    let header = reader.headers().ok()?;
    if header.len() < 2 {
        return None;
    }
    Some(header.iter().map(normalise_column).collect())
}

pub(super) fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .flexible(true)
        .from_reader(text.as_bytes())
}

/// `" End  Year "` → `"end year"`; underscores count as spaces.
pub(super) fn normalise_column(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .split(|c: char| c.is_whitespace() || c == '_')
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Where each known column is in a spreadsheet, by column name.
pub(super) type Columns = std::collections::HashMap<&'static str, usize>;

/// Opens a spreadsheet and finds its columns: each header is normalised and
/// looked up in `spellings` (written spelling → column name). The first
/// column of each name wins; unknown columns are noted as not imported.
pub(super) fn read_columns<'t>(
    path: &str,
    text: &'t str,
    spellings: &[(&str, &'static str)],
    notes: &mut Vec<String>,
) -> Result<(csv::Reader<&'t [u8]>, Columns), Diagnostic> {
    let mut reader = csv_reader(text);
    let header = reader
        .headers()
        .map_err(|error| csv_diagnostic(path, text, &error))?
        .clone();
    let mut columns = std::collections::HashMap::new();
    for (index, name) in header.iter().enumerate() {
        let name = normalise_column(name);
        match spellings.iter().find(|(spelling, _)| *spelling == name) {
            Some((_, column)) => {
                columns.entry(*column).or_insert(index);
            }
            None if name.is_empty() => {}
            None => notes.push(format!("column `{}` not imported", header[index].trim())),
        }
    }
    Ok((reader, columns))
}

/// A CSV problem as a diagnostic at its line.
pub(super) fn csv_diagnostic(path: &str, text: &str, error: &csv::Error) -> Diagnostic {
    let line = error.position().map_or(0, |position| position.line() as usize);
    let diagnostic = Diagnostic::error(path, format!("cannot read this CSV: {error}"));
    if line > 0 {
        diagnostic.at(text, line, 1)
    } else {
        diagnostic
    }
}

/// Builds a date from parts, checking them as annals checks a written date.
pub(super) fn date_from_parts(
    year: i64,
    month: Option<i64>,
    day: Option<i64>,
    time: Option<(i64, i64)>,
) -> Result<Date, String> {
    let year = Date::from_year(year).map_err(|error| error.to_string())?;
    let Some(month) = month else { return Ok(year) };
    let mut text = format!("{}-{:02}", year.machine(), month.clamp(0, 99));
    if let Some(day) = day {
        text.push_str(&format!("-{:02}", day.clamp(0, 99)));
        if let Some((hour, minute)) = time {
            text.push_str(&format!("T{:02}:{:02}", hour.clamp(0, 99), minute.clamp(0, 99)));
        }
    }
    Date::parse(&text).map_err(|error| error.to_string())
}

/// An end that comes before the start cannot be built; `None` and a note then.
pub(super) fn checked_end(label: &str, start: &Date, end: Option<Date>, notes: &mut Vec<String>) -> Option<Date> {
    let end = end?;
    if end < *start && !end.covers(start) {
        notes.push(format!(
            "{label}: the end ({}) is before the start ({}), so it was left out",
            end.machine(),
            start.machine()
        ));
        return None;
    }
    Some(end)
}

/// The slug an event takes: its id when that is already a valid slug,
/// else one made from its title.
pub(super) fn event_slug(id: Option<&str>, title: &str) -> Slug {
    id.map(str::trim)
        .and_then(Slug::parse)
        .unwrap_or_else(|| Slug::from_text(title))
}

/// The parts of a media item as a source gives them (caption and credit
/// may be HTML).
#[derive(Debug, Default)]
pub(super) struct RawMedia<'a> {
    pub(super) url: &'a str,
    pub(super) alt: Option<&'a str>,
    pub(super) caption: Option<&'a str>,
    pub(super) credit: Option<&'a str>,
    pub(super) link: Option<&'a str>,
}

/// Turns a source's media fields into an annals media item, noting what is
/// lost. `None` when there is no usable address.
///
/// TimelineJS also takes embed code as the address: an `<iframe>` becomes
/// the player's address (or its page), a `<blockquote>` (a quoted post)
/// the post's address with the quote as caption. A quote that links
/// nowhere comes back with an empty `src`, for [`quotes_into_bodies`].
pub(super) fn media_item(
    raw: RawMedia<'_>,
    title: &str,
    label: &str,
    notes: &mut Vec<String>,
) -> Option<ImportedMedia> {
    let url = raw.url.trim();
    if url.is_empty() {
        return None;
    }
    let mut caption = present(raw.caption)
        .map(|caption| to_markdown(caption).markdown.trim_end().to_string())
        .filter(|caption| !caption.is_empty());
    let mut link = present(raw.link).map(String::from);
    let mut alt = present(raw.alt).map(String::from);
    let src = if url.starts_with('<') {
        embedded_source(url, &mut alt, &mut caption, label, notes)?
    } else {
        media_address(url)
    };
    let credit = present(raw.credit).map(|credit| credit_text(credit, &mut link));
    if alt.is_none() && !src.is_empty() {
        alt = alt_when_missing(MediaKind::of(&src), title, label, notes);
    }
    Some(ImportedMedia {
        src,
        alt,
        caption,
        credit: credit.filter(|credit| !credit.is_empty()),
        link,
    })
}

/// The address embed code stands for: an `<iframe>`'s player (its title
/// the alt text when there is none), or a quoted post (the quote goes
/// before the caption). `None`, and a note, for other HTML.
fn embedded_source(
    url: &str,
    alt: &mut Option<String>,
    caption: &mut Option<String>,
    label: &str,
    notes: &mut Vec<String>,
) -> Option<String> {
    match html::embed(url) {
        Embed::Frame {
            src,
            title: frame_title,
        } => {
            *alt = alt.take().or(frame_title);
            Some(html::player_page(&src))
        }
        Embed::Quote { markdown, link: post } => {
            *caption = Some(match caption.take() {
                Some(caption) => format!("{markdown}\n\n{caption}"),
                None => markdown,
            });
            Some(post.unwrap_or_default())
        }
        Embed::Other { text } => {
            let words = if text.is_empty() {
                String::new()
            } else {
                format!(" ({text})")
            };
            notes.push(format!(
                "{label}: the media is HTML annals cannot show{words}; not imported"
            ));
            None
        }
    }
}

/// A credit as plain text. A credit that is one link gives the media its
/// link (when it has none); with more links, each stays in the credit,
/// written out.
fn credit_text(credit: &str, link: &mut Option<String>) -> String {
    let links = html::links(credit);
    match links.as_slice() {
        [(_, href)] if link.is_none() => {
            *link = Some(href.clone());
            to_plain_text(credit)
        }
        [] | [_] => to_plain_text(credit),
        _ => credit_with_links(credit, &links),
    }
}

/// The alt text of media that has none, with a note: an image takes its
/// event's title for now; players and maps are only noted.
fn alt_when_missing(kind: MediaKind, title: &str, label: &str, notes: &mut Vec<String>) -> Option<String> {
    match kind {
        MediaKind::Image => {
            notes.push(format!(
                "{label}: the image had no alt text; its headline was used, please describe the picture"
            ));
            Some(title.to_string())
        }
        MediaKind::Video | MediaKind::Audio | MediaKind::Map => {
            notes.push(format!(
                "{label}: the {} had no alt text; add `alt:` to say what it is",
                format!("{kind:?}").to_lowercase()
            ));
            None
        }
        _ => None,
    }
}

/// A media address as annals writes it: `./media/x.jpg` → `media/x.jpg`,
/// a Spotify URI → its page, `//host/x` → `https://host/x`.
fn media_address(url: &str) -> String {
    if let Some(rest) = url.strip_prefix("spotify:") {
        let parts: Vec<&str> = rest.split(':').collect();
        if let [kind, id] = parts.as_slice() {
            return format!("https://open.spotify.com/{kind}/{id}");
        }
    }
    if let Some(rest) = url.strip_prefix("//") {
        return format!("https://{rest}");
    }
    let mut path = url;
    while let Some(rest) = path.strip_prefix("./") {
        path = rest;
    }
    path.to_string()
}

/// A credit of several links as plain text that keeps every address:
/// "Photo: A (https://a.org), B (https://b.org)".
fn credit_with_links(credit: &str, links: &[(String, String)]) -> String {
    let mut text = to_plain_text(credit);
    let mut from = 0;
    for (words, href) in links {
        let shown = format!("{words} ({href})");
        match text[from..].find(words.as_str()).filter(|_| !words.is_empty()) {
            Some(at) => {
                let at = from + at;
                text.replace_range(at..at + words.len(), &shown);
                from = at + shown.len();
            }
            None => {
                text.push_str(&format!(" ({href})"));
                from = text.len();
            }
        }
    }
    text
}

fn present(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|value| !value.is_empty())
}

/// Moves quotes that link nowhere (TimelineJS media given as a bare
/// `<blockquote>`) from the media into the event's text, where annals
/// shows a quote; nothing else can hold them.
pub(super) fn quotes_into_bodies(imported: &mut Imported) {
    for event in &mut imported.events {
        let Some(media) = event.media.take_if(|media| media.src.is_empty()) else {
            continue;
        };
        let quote = [media.caption, media.credit.map(|credit| format!("— {credit}"))]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n\n");
        if !quote.is_empty() {
            event.body = if event.body.trim().is_empty() {
                format!("{quote}\n")
            } else {
                format!("{}\n\n{quote}\n", event.body.trim_end())
            };
        }
    }
}

/// A body converted from HTML, with a note when raw HTML had to be kept.
pub(super) fn body_from_html(text: &str, label: &str, notes: &mut Vec<String>) -> String {
    let converted = to_markdown(text);
    if !converted.raw_tags.is_empty() {
        let tags: Vec<String> = converted.raw_tags.iter().map(|tag| format!("<{tag}>")).collect();
        notes.push(format!(
            "{label}: raw HTML kept ({}); annals shows it as text unless site.yaml sets `markdown: {{unsafe_html: true}}`",
            tags.join(", ")
        ));
    }
    if !converted.dropped_tags.is_empty() {
        let tags: Vec<String> = converted.dropped_tags.iter().map(|tag| format!("<{tag}>")).collect();
        notes.push(format!(
            "{label}: {} in the text left out (an embed's script; annals pages run none of their own)",
            tags.join(", ")
        ));
    }
    converted.markdown
}

/// "event 3 (Foo)".
pub(super) fn label(kind: &str, number: usize, title: &str) -> String {
    if title.is_empty() {
        format!("{kind} {number}")
    } else {
        format!("{kind} {number} ({title})")
    }
}

/// `14:30`, `14:30:15`, `2:30 PM`, `2 pm`, `12:05 a.m.` → (hour, minute).
/// Range checks are left to the date parser, which explains them.
pub(super) fn clock(text: &str) -> Option<(i64, i64)> {
    let lower = text.trim().to_ascii_lowercase().replace('.', "");
    let (digits, meridiem) = if let Some(rest) = lower.strip_suffix("am") {
        (rest.trim_end(), Some(false))
    } else if let Some(rest) = lower.strip_suffix("pm") {
        (rest.trim_end(), Some(true))
    } else {
        (lower.as_str(), None)
    };
    let mut parts = digits.split(':');
    let hour: i64 = parts.next()?.trim().parse().ok()?;
    let minute: i64 = match parts.next() {
        Some(minute) => minute.trim().parse().ok()?,
        None if meridiem.is_some() => 0,
        None => return None,
    };
    if let Some(second) = parts.next() {
        second.trim().parse::<u8>().ok().filter(|second| *second < 60)?;
    }
    if parts.next().is_some() {
        return None;
    }
    let hour = match meridiem {
        Some(_) if !(1..=12).contains(&hour) => return None,
        Some(false) => hour % 12,
        Some(true) => hour % 12 + 12,
        None => hour,
    };
    Some((hour, minute))
}

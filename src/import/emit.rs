//! Imported events as annals files: Markdown with YAML front matter, and
//! `site.yaml` snippets for eras and tracks.
//!
//! The YAML is written by hand so that every string is double-quoted with
//! JSON-style escapes (valid YAML whatever the text holds); dates are
//! written in their machine form, which annals reads unquoted.

use crate::date::EndDate;

use super::{ImportedEra, ImportedEvent, ImportedIntro, ImportedTrack};

/// The file name and text of an event file: `2013-12-09-fair-founded.md`,
/// `0500-bce-marathon.md` for `-0499` (500 BCE), `2013-12-09T1400-x.md`
/// with a time.
pub fn event_file(event: &ImportedEvent) -> (String, String) {
    let machine = event.date.machine();
    let stem = if event.date.is_bce() {
        // The machine form is astronomical (`-0499`); a name says the
        // year as readers count it.
        let rest = machine.trim_start_matches('-').get(4..).unwrap_or_default();
        format!("{:04}{rest}-bce", 1 - i64::from(event.date.year()))
    } else {
        machine.clone()
    };
    let name = format!("{}-{}.md", stem.replace(':', ""), event.slug);

    let mut text = String::from("---\n");
    field(&mut text, "title", &event.title);
    text.push_str(&format!("date: {machine}{}\n", bce_comment(&event.date)));
    match &event.end {
        Some(EndDate::On(end)) => text.push_str(&format!("end: {}{}\n", end.machine(), bce_comment(end))),
        Some(EndDate::Ongoing) => text.push_str("end: ..\n"),
        None => {}
    }
    if let Some(label) = &event.display_date {
        field(&mut text, "display_date", label);
    }
    if let Some(track) = &event.track {
        field(&mut text, "track", track.as_str());
    }
    if !event.tags.is_empty() {
        let tags: Vec<String> = event.tags.iter().map(|tag| quote(tag)).collect();
        text.push_str(&format!("tags: [{}]\n", tags.join(", ")));
    }
    field(&mut text, "slug", event.slug.as_str());
    if let Some(media) = &event.media {
        text.push_str("media:\n");
        field(&mut text, "  src", &media.src);
        for (key, value) in [
            ("alt", &media.alt),
            ("caption", &media.caption),
            ("credit", &media.credit),
            ("link", &media.link),
        ] {
            if let Some(value) = value {
                field(&mut text, &format!("  {key}"), value);
            }
        }
    }
    if !event.sources.is_empty() {
        text.push_str("sources:\n");
        for url in &event.sources {
            field(&mut text, "  - url", url);
        }
    }
    text.push_str("---\n");
    text.push_str(&event.body);
    (name, text)
}

/// `  # 500 BCE` after a BCE date, whose ISO form (`-0499`) is one off
/// from the year readers know.
fn bce_comment(date: &crate::date::Date) -> String {
    if date.is_bce() {
        format!("  # {}", date.format(crate::lang::Lang::En))
    } else {
        String::new()
    }
}

/// The text of `content/_index.md`.
pub fn intro_file(intro: &ImportedIntro) -> String {
    let mut text = String::new();
    if let Some(title) = &intro.title {
        text.push_str("---\n");
        field(&mut text, "title", title);
        text.push_str("---\n");
    }
    text.push_str(&intro.body);
    text
}

/// `eras:` for `site.yaml`, or `None` without eras.
pub fn eras_yaml(eras: &[ImportedEra]) -> Option<String> {
    if eras.is_empty() {
        return None;
    }
    let mut text = String::from("eras:\n");
    for era in eras {
        field(&mut text, "  - title", &era.title);
        text.push_str(&format!(
            "    start: {}{}\n",
            era.start.machine(),
            bce_comment(&era.start)
        ));
        if let Some(end) = &era.end {
            text.push_str(&format!("    end: {}{}\n", end.machine(), bce_comment(end)));
        }
    }
    Some(text)
}

/// `title:` for `site.yaml`.
pub fn title_yaml(title: &str) -> String {
    let mut text = String::new();
    field(&mut text, "title", title);
    text
}

/// `tracks:` for `site.yaml`, or `None` without tracks.
pub fn tracks_yaml(tracks: &[ImportedTrack]) -> Option<String> {
    if tracks.is_empty() {
        return None;
    }
    let mut text = String::from("tracks:\n");
    for track in tracks {
        field(&mut text, "  - id", track.id.as_str());
        field(&mut text, "    title", &track.title);
    }
    Some(text)
}

fn field(text: &mut String, key: &str, value: &str) {
    text.push_str(key);
    text.push_str(": ");
    text.push_str(&quote(value));
    text.push('\n');
}

/// A YAML double-quoted string. JSON's escapes are YAML's too; characters
/// YAML does not allow in a document (other controls, U+FEFF…) are escaped
/// as well.
fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if is_yaml_printable(c) => out.push(c),
            c => out.push_str(&format!("\\u{:04X}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// YAML 1.2's `c-printable`, less the line breaks handled above.
fn is_yaml_printable(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7E}' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && c != '\u{FEFF}'
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::Date;
    use crate::parse::event::parse_event_file;
    use crate::slug::Slug;

    fn event(date: &str) -> ImportedEvent {
        ImportedEvent {
            label: "event 1".into(),
            title: "A \"quoted\" title: with \\ and \u{7f}".into(),
            date: Date::parse(date).unwrap(),
            end: None,
            display_date: None,
            track: None,
            tags: vec!["a: b".into()],
            slug: Slug::parse("x").unwrap(),
            media: None,
            sources: vec![],
            body: "Body.\n".into(),
        }
    }

    #[test]
    fn file_names_carry_the_date_without_a_minus_or_colons() {
        assert_eq!(event_file(&event("2013-12-09")).0, "2013-12-09-x.md");
        assert_eq!(event_file(&event("-0499")).0, "0500-bce-x.md");
        assert_eq!(event_file(&event("-0043-03-15")).0, "0044-03-15-bce-x.md");
        assert_eq!(event_file(&event("0000")).0, "0001-bce-x.md");
        assert!(event_file(&event("-0499")).1.contains("\ndate: -0499  # 500 BCE\n"));
        assert_eq!(event_file(&event("2013-12-09T14:30")).0, "2013-12-09T1430-x.md");
    }

    #[test]
    fn awkward_strings_survive_the_yaml() {
        for date in ["-0499", "0800", "0000", "2013-12-09T14:30", "1984"] {
            let mut event = event(date);
            event.end = Some(EndDate::Ongoing);
            let (name, text) = event_file(&event);
            let parsed =
                parse_event_file(&format!("content/events/{name}"), &text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
            assert_eq!(parsed[0].title, "A \"quoted\" title: with \\ and \u{7f}");
            assert_eq!(parsed[0].date.machine(), Date::parse(date).unwrap().machine());
            assert_eq!(parsed[0].tags, ["a: b"]);
            assert_eq!(parsed[0].slug.as_str(), "x");
            assert_eq!(parsed[0].end, Some(EndDate::Ongoing));
        }
    }
}

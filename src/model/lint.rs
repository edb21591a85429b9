//! Checks that do not stop a build but help an editor publish with care:
//! images without credit, events outside every era, tracks and tags used
//! only once (often a typo), media files nothing refers to, and text that
//! the feed must leave out because XML cannot hold it. Pure: it reads the
//! assembled site and the content texts.

use crate::diagnostic::{Code, Diagnostic};
use crate::hashing::HashMap;
use crate::load::Asset;
use crate::model::Site;
use crate::parse::event::MediaKind;
use crate::xml::{holds_left_out_of_xml, left_out_of_xml};

/// Every warning and note about `site`.
pub fn lint(site: &Site, texts: &HashMap<&str, &str>, assets: &[Asset]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let text_of = |path: &str| texts.get(path).copied().unwrap_or("");
    for event in &site.events {
        // The file's text is looked up only to quote it in a finding.
        let text = || text_of(&event.origin.path);
        let at = |key: &str| event.position_of(text(), key);
        for media in &event.media {
            if media.kind == MediaKind::Image && media.credit.is_none() {
                let (line, column) = at("src");
                found.push(
                    Diagnostic::warning(&event.origin.path, format!("the image `{}` has no credit", media.src))
                        .at(text(), line, column)
                        .with_code(Code::ImageWithoutCredit)
                        .with_hint("add `credit:` naming the photographer or the owner of the picture"),
                );
            }
        }
        let tags = event.tags.join(", ");
        let fields = [
            ("title", event.title.as_str()),
            ("display_date", event.display_date.as_deref().unwrap_or("")),
            ("tags", &tags),
            ("summary", event.summary.as_deref().unwrap_or("")),
            ("body", &event.body),
        ];
        if let Some(warning) = not_for_xml(&event.origin.path, &fields) {
            let (line, column) = match (warning.first, event.body.find(left_out_of_xml)) {
                ("body", Some(at)) => {
                    let before = &event.body[..at];
                    let line = event.body_line + before.matches('\n').count();
                    // A YAML body is indented in its file; a Markdown body is not.
                    let column = if event.origin.path.ends_with(".md") {
                        before.rsplit('\n').next().unwrap_or("").chars().count() + 1
                    } else {
                        0
                    };
                    (line, column)
                }
                (key, _) => at(key),
            };
            found.push(warning.diagnostic.at(text(), line, column));
        }
        if !site.config.eras.is_empty() && site.eras_of(event).next().is_none() {
            let (line, column) = at("date");
            found.push(
                Diagnostic::info(
                    &event.origin.path,
                    format!("the event `{}` falls outside every era", event.slug),
                )
                .at(text(), line, column)
                .with_code(Code::OutsideEras),
            );
        }
    }
    // A declared track may well hold one event; an undeclared one used once
    // is most likely a typo.
    for track in site
        .tracks
        .iter()
        .filter(|track| !site.config.tracks.iter().any(|known| known.id == track.id))
    {
        let users: Vec<_> = site
            .events
            .iter()
            .filter(|event| event.track.as_ref() == Some(&track.id))
            .collect();
        if let [only] = users.as_slice() {
            let text = text_of(&only.origin.path);
            let (line, column) = only.position_of(text, "track");
            found.push(
                Diagnostic::warning(
                    &only.origin.path,
                    format!(
                        "the track `{}` is not in site.yaml and is used by this event only",
                        track.id
                    ),
                )
                .at(text, line, column)
                .with_code(Code::TrackUsedOnce)
                .with_hint("check the spelling against the tracks in site.yaml"),
            );
        }
    }
    for tag in &site.tags {
        if let [only] = tag.events.as_slice() {
            let event = &site.events[*only];
            let text = text_of(&event.origin.path);
            let (line, column) = event.position_of(text, "tags");
            found.push(
                Diagnostic::warning(
                    &event.origin.path,
                    format!("the tag `{}` is used by this event only", tag.name),
                )
                .at(text, line, column)
                .with_code(Code::TagUsedOnce)
                .with_hint("a tag groups events; check its spelling against the other events' tags"),
            );
        }
    }
    let config = &site.config;
    if let Some(warning) = not_for_xml(
        crate::config::CONFIG_FILE,
        &[("title", &config.title), ("description", &config.description)],
    ) {
        found.push(warning.diagnostic);
    }
    let referenced: Vec<&str> = texts.values().copied().collect();
    for asset in assets.iter().filter(|asset| asset.source_path.starts_with("content/")) {
        let inside_content = asset.source_path.trim_start_matches("content/");
        if !referenced.iter().any(|text| text.contains(inside_content)) {
            found.push(
                Diagnostic::warning(&asset.source_path, "no event or page refers to this file")
                    .with_code(Code::UnreferencedFile)
                    .with_hint("it is still published; delete it if it is not needed"),
            );
        }
    }
    found
}

/// A warning that fields of a file hold characters XML cannot hold, and
/// the first of those fields, to point at.
struct NotForXml<'a> {
    diagnostic: Diagnostic,
    first: &'a str,
}

/// Warns when any of `fields` (name, text) holds a character
/// [`left_out_of_xml`]: the feed leaves it out, so the file should too.
fn not_for_xml<'a>(path: &str, fields: &[(&'a str, &str)]) -> Option<NotForXml<'a>> {
    let mut names = Vec::new();
    let mut found: Vec<char> = Vec::new();
    for (name, text) in fields.iter().filter(|(_, text)| holds_left_out_of_xml(text)) {
        let mut here = text.chars().filter(|c| left_out_of_xml(*c)).peekable();
        if here.peek().is_some() {
            names.push(*name);
        }
        for c in here {
            if !found.contains(&c) {
                found.push(c);
            }
        }
    }
    if names.is_empty() {
        return None;
    }
    let shown: Vec<String> = found
        .iter()
        .take(5)
        .map(|c| format!("U+{:04X}", u32::from(*c)))
        .collect();
    let more = if found.len() > 5 { ", …" } else { "" };
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    let (fields_text, verb) = match quoted.split_last() {
        Some((last, init)) if !init.is_empty() => (format!("{} and {last}", init.join(", ")), "hold"),
        _ => (quoted.concat(), "holds"),
    };
    let diagnostic = Diagnostic::warning(
        path,
        format!(
            "{fields_text} {verb} characters XML does not allow ({}{more}); feed.xml and the other XML files leave them out",
            shown.join(", ")
        ),
    )
    .with_code(Code::NotForXml)
    .with_hint("delete them: they are invisible, and often come pasted in from another program");
    Some(NotForXml {
        diagnostic,
        first: names[0],
    })
}

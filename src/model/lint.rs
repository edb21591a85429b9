//! Checks that do not stop a build but help an editor publish with care:
//! images without credit, events outside every era, tracks and tags used
//! only once (often a typo), media files nothing refers to, and text that
//! the feed must leave out because XML cannot hold it. Pure: it reads the
//! assembled site and the content texts. What it finds of each event alone
//! is a value of the memo layer, keyed by the event and the eras, so a
//! rebuild looks again only at the events that changed.

use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic};
use crate::hashing::HashSet;
use crate::load::{Asset, SourceTexts};
use crate::memo::{Key, Memo};
use crate::model::Site;
use crate::parse::event::{Event, MediaKind};
use crate::xml::{holds_left_out_of_xml, left_out_of_xml};

/// What the lint finds of one event, by [`event_key`].
pub type EventFindings = Memo<Arc<Vec<Diagnostic>>>;

/// The key of what the lint finds of `event`: the event (which covers its
/// file's text, quoted in findings) and the site's eras.
fn event_key(event: &Event, eras: Key) -> Key {
    event.key.and(&eras)
}

/// Every warning and note about `site`; what it finds of each event comes
/// from `per_event` where it can. `mentioned` holds the files under
/// `content/` some content text mentions ([`mentioned_in`]).
pub fn lint(
    site: &Site,
    texts: &dyn SourceTexts,
    mentioned: &HashSet<&str>,
    assets: &[Asset],
    per_event: &mut EventFindings,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let eras = Key::of(&format!("{:?}", site.config.eras));
    for event in &site.events {
        let of_event = per_event.get_or_make(event_key(event, eras), || {
            let mut here = uncredited_images(event, texts);
            here.extend(event_not_for_xml(event, texts));
            here.extend(outside_eras(site, event, texts));
            Arc::new(here)
        });
        found.extend(of_event.iter().cloned());
    }
    per_event.end_build();
    found.extend(tracks_used_once(site, texts));
    found.extend(tags_used_once(site, texts));
    found.extend(unused_names(site));
    let config = &site.config;
    if let Some(warning) = not_for_xml(
        crate::config::CONFIG_FILE,
        &[("title", &config.title), ("description", &config.description)],
    ) {
        found.push(warning.diagnostic);
    }
    found.extend(unreferenced_files(mentioned, assets));
    found
}

/// A warning for each picture of `event` that names no one to credit.
fn uncredited_images(event: &Event, texts: &dyn SourceTexts) -> Vec<Diagnostic> {
    event
        .media
        .iter()
        .filter(|media| media.kind == MediaKind::Image && media.credit.is_none())
        .map(|media| {
            // The file's text is looked up only to quote it in a finding.
            let text = texts.text_of(&event.origin.path);
            let (line, column) = event.position_of(&text, "src");
            Diagnostic::warning(&event.origin.path, format!("the image `{}` has no credit", media.src))
                .at(&text, line, column)
                .with_code(Code::ImageWithoutCredit)
                .with_hint("add `credit:` naming the photographer or the owner of the picture")
        })
        .collect()
}

/// A warning when fields of `event` hold characters XML cannot hold,
/// pointing at the first such character of the body, or else at the
/// first such field.
fn event_not_for_xml(event: &Event, texts: &dyn SourceTexts) -> Option<Diagnostic> {
    let tags = event.tags.join(", ");
    let fields = [
        ("title", event.title.as_str()),
        ("display_date", event.display_date.as_deref().unwrap_or("")),
        ("tags", &tags),
        ("summary", event.summary.as_deref().unwrap_or("")),
        ("body", &event.body),
    ];
    let mut warning = not_for_xml(&event.origin.path, &fields)?;
    if let ("body", Some(at)) = (warning.first, event.body.find(left_out_of_xml)) {
        // The body may be a translation's, in a file of its own.
        let file = event.body_file();
        let text = texts.text_of(file);
        let before = &event.body[..at];
        let line = event.body_line + before.matches('\n').count();
        // A YAML body is indented in its file; a Markdown body is not.
        let column = if file.ends_with(".md") {
            before.rsplit('\n').next().unwrap_or("").chars().count() + 1
        } else {
            0
        };
        warning.diagnostic.path = file.to_string();
        return Some(warning.diagnostic.at(&text, line, column));
    }
    let text = texts.text_of(&event.origin.path);
    let (line, column) = event.position_of(&text, warning.first);
    Some(warning.diagnostic.at(&text, line, column))
}

/// A note when the site has eras and `event` falls in none of them.
fn outside_eras(site: &Site, event: &Event, texts: &dyn SourceTexts) -> Option<Diagnostic> {
    if site.config.eras.is_empty() || site.eras_of(event).next().is_some() {
        return None;
    }
    let text = texts.text_of(&event.origin.path);
    let (line, column) = event.position_of(&text, "date");
    Some(
        Diagnostic::info(
            &event.origin.path,
            format!("the event `{}` falls outside every era", event.slug),
        )
        .at(&text, line, column)
        .with_code(Code::OutsideEras),
    )
}

/// A warning for each track not declared in `site.yaml` that one event
/// only uses. A declared track may well hold one event; an undeclared one
/// used once is most likely a typo.
fn tracks_used_once(site: &Site, texts: &dyn SourceTexts) -> Vec<Diagnostic> {
    let mut found = Vec::new();
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
            let text = texts.text_of(&only.origin.path);
            let (line, column) = only.position_of(&text, "track");
            found.push(
                Diagnostic::warning(
                    &only.origin.path,
                    format!(
                        "the track `{}` is not in site.yaml and is used by this event only",
                        track.id
                    ),
                )
                .at(&text, line, column)
                .with_code(Code::TrackUsedOnce)
                .with_hint("check the spelling against the tracks in site.yaml"),
            );
        }
    }
    found
}

/// A warning for each tag one event only carries.
fn tags_used_once(site: &Site, texts: &dyn SourceTexts) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for tag in &site.tags {
        if let [only] = tag.events.as_slice() {
            let event = &site.events[*only];
            let text = texts.text_of(&event.origin.path);
            let (line, column) = event.position_of(&text, "tags");
            found.push(
                Diagnostic::warning(
                    &event.origin.path,
                    format!("the tag `{}` is used by this event only", tag.name),
                )
                .at(&text, line, column)
                .with_code(Code::TagUsedOnce)
                .with_hint("a tag groups events; check its spelling against the other events' tags"),
            );
        }
    }
    found
}

/// A warning for each era, track or tag name under `translations:` that
/// names none: a misspelt slug leaves a name untranslated without a word.
fn unused_names(site: &Site) -> Vec<Diagnostic> {
    let config = &site.config;
    let eras: Vec<&str> = config.eras.iter().map(|era| era.slug.as_str()).collect();
    let tracks: Vec<&str> = config.tracks.iter().map(|track| track.id.as_str()).collect();
    let tags: Vec<&str> = site.tags.iter().map(|tag| tag.slug.as_str()).collect();
    config
        .translated_names
        .iter()
        .filter_map(|name| {
            let (known, what, key) = match name.section {
                "eras" => (&eras, "no era has the slug", name.key.clone()),
                "tracks" => (&tracks, "no track in site.yaml has the id", name.key.clone()),
                _ => (
                    &tags,
                    "no event has the tag",
                    crate::slug::Slug::from_text(&name.key).to_string(),
                ),
            };
            if known.contains(&key.as_str()) {
                return None;
            }
            let hint = match crate::yaml::did_you_mean(&key, known) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!(
                    "`translations.{}.{}` names {} by the slug in their address",
                    name.lang, name.section, name.section
                ),
            };
            Some(
                name.warning(format!("{what} `{}`", name.key))
                    .with_code(Code::UnusedName)
                    .with_hint(hint),
            )
        })
        .collect()
}

/// The site-relative paths of the files under `content/` among `assets`,
/// those a content text may mention.
pub fn content_files(assets: &[Asset]) -> Vec<&str> {
    assets
        .iter()
        .map(|asset| asset.source_path.as_str())
        .filter(|path| path.starts_with("content/"))
        .collect()
}

/// Which of `files` ([`content_files`]) `text` mentions, by their path
/// inside `content/`. Found while the texts are read, since a one-shot
/// build lets them go before the lint.
pub fn mentioned_in<'a>(text: &str, files: &[&'a str]) -> Vec<&'a str> {
    files
        .iter()
        .copied()
        .filter(|path| text.contains(path.trim_start_matches("content/")))
        .collect()
}

/// A warning for each file under `content/` whose path no content file
/// mentions (`mentioned`).
fn unreferenced_files(mentioned: &HashSet<&str>, assets: &[Asset]) -> Vec<Diagnostic> {
    content_files(assets)
        .into_iter()
        .filter(|path| !mentioned.contains(path))
        .map(|path| {
            Diagnostic::warning(path, "no event or page refers to this file")
                .with_code(Code::UnreferencedFile)
                .with_hint("it is still published; delete it if it is not needed")
        })
        .collect()
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

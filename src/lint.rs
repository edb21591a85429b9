//! Checks that do not stop a build but help an editor publish with care:
//! images without credit, events outside every era, tracks and tags used
//! only once (often a typo), and media files nothing refers to. Pure: it
//! reads the assembled site and the content texts.

use crate::diagnostic::Diagnostic;
use crate::event::MediaKind;
use crate::hashing::HashMap;
use crate::load::Asset;
use crate::model::Site;

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
                        .with_hint("add `credit:` naming the photographer or the owner of the picture"),
                );
            }
        }
        if !site.config.eras.is_empty() && site.eras_of(event).next().is_none() {
            let (line, column) = at("date");
            found.push(
                Diagnostic::info(
                    &event.origin.path,
                    format!("the event `{}` falls outside every era", event.slug),
                )
                .at(text(), line, column),
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
                .with_hint("a tag groups events; check its spelling against the other events' tags"),
            );
        }
    }
    let referenced: Vec<&str> = texts.values().copied().collect();
    for asset in assets.iter().filter(|asset| asset.source_path.starts_with("content/")) {
        let inside_content = asset.source_path.trim_start_matches("content/");
        if !referenced.iter().any(|text| text.contains(inside_content)) {
            found.push(
                Diagnostic::warning(&asset.source_path, "no event or page refers to this file")
                    .with_hint("it is still published; delete it if it is not needed"),
            );
        }
    }
    found
}

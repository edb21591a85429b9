//! The data files: `events.json` (every event's template value, the data
//! export) and `timeline.json` (TimelineJS's format). A one-shot build
//! streams them to the writer a piece at a time; the preview keeps each
//! event's piece of both under the key of its value, so a rebuild
//! serializes only the events that changed.

use std::io;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Value;

use super::cache::{DataPiece, RenderCache};
use super::outputs::{FileBytes, Joined};
use super::stream::Destination;
use super::{card, json, timelinejs, Shared};
use crate::error::Error;
use crate::memo::{Key, Memo};
use crate::model::Site;

/// Makes and sends `events.json` and `timeline.json`.
pub(super) fn send_data_files(
    shared: &Shared<'_>,
    pieces: &Memo<DataPiece>,
    out: &Destination<'_>,
) -> Result<Vec<(Key, DataPiece, bool)>, Error> {
    let site = shared.site;
    let intro_html = (!site.intro.body.trim().is_empty()).then_some(shared.intro.html.as_str());
    let timeline = timelinejs::timeline_json(site, &shared.views, &shared.values, intro_html);
    let count = shared.values.len();
    let (events_head, events_tail) = events_json_envelope(site);
    let (timeline_head, timeline_tail) = timeline.envelope();
    if !pieces.keeps() {
        // Written out as they are made, a piece at a time, side by side.
        let (events, slides) = rayon::join(
            || {
                out.stream("events.json".into(), |file| {
                    let pieces = (0..count).map(|index| event_json(&shared.values[index]));
                    write_joined(file, &events_head, pieces, &events_tail)
                })
            },
            || {
                out.stream("timeline.json".into(), |file| {
                    let pieces = (0..count).map(|index| timeline.slide_json(index));
                    write_joined(file, &timeline_head, pieces, &timeline_tail)
                })
            },
        );
        events?;
        slides?;
        return Ok(Vec::new());
    }
    // Each event's pieces, by its value's key (which covers its tags, the
    // one thing the slide reads besides the value: they are in its file).
    let made: Vec<(Key, DataPiece, bool)> = (0..count)
        .into_par_iter()
        .map(|index| {
            let key = shared.keys[index];
            match pieces.peek(key) {
                Some(known) => (key, known.clone(), true),
                None => {
                    let piece = (
                        Arc::new(event_json(&shared.values[index])),
                        Arc::new(timeline.slide_json(index)),
                    );
                    (key, piece, false)
                }
            }
        })
        .collect();
    let events = made.iter().map(|(_, (event, _), _)| Arc::clone(event)).collect();
    let events = Joined::new(events_head, events, events_tail);
    out.file("events.json".into(), FileBytes::Joined(Arc::new(events)), None)?;
    let slides = made.iter().map(|(_, (_, slide), _)| Arc::clone(slide)).collect();
    let slides = Joined::new(timeline_head, slides, timeline_tail);
    out.file("timeline.json".into(), FileBytes::Joined(Arc::new(slides)), None)?;
    Ok(made)
}

/// Keeps the pieces a render made for the next one.
pub(super) fn keep_pieces(cache: &mut RenderCache, made: Vec<(Key, DataPiece, bool)>) {
    for (key, piece, found) in made {
        match found {
            true => cache.data_pieces.found(key),
            false => cache.data_pieces.made(key, &piece),
        }
    }
}

/// `events.json` around its events: the site's title, description and
/// language, then the array the events go in, each written from its
/// template value ([`event_json`]).
pub(super) fn events_json_envelope(site: &Site) -> (Vec<u8>, Vec<u8>) {
    let mut head = b"{\"title\":".to_vec();
    // Writing into memory cannot fail, and these are plain strings.
    let _ = json::write(&mut head, &site.config.title);
    head.extend_from_slice(b",\"description\":");
    let _ = json::write(&mut head, &site.config.description);
    head.extend_from_slice(b",\"language\":");
    let _ = json::write(&mut head, site.config.language.code());
    head.extend_from_slice(b",\"events\":[");
    (head, b"]}\n".to_vec())
}

/// Writes `head`, the pieces with commas between them, then `tail` (what a
/// [`Joined`] holds), for a file made piece by piece as it is written.
fn write_joined<P: AsRef<[u8]>>(
    out: &mut dyn io::Write,
    head: &[u8],
    pieces: impl Iterator<Item = P>,
    tail: &[u8],
) -> io::Result<()> {
    out.write_all(head)?;
    for (index, piece) in pieces.enumerate() {
        if index > 0 {
            out.write_all(b",")?;
        }
        out.write_all(piece.as_ref())?;
    }
    out.write_all(tail)?;
    out.flush()
}

/// One event of `events.json`: its template value, keys in alphabetical
/// order, without its list entry.
pub(super) fn event_json(value: &Value) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(4096);
    json::write_sorted(&mut bytes, value, &[card::CARD_FIELD]);
    bytes
}

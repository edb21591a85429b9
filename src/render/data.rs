//! The data files: `events.json` (every event's template value, the data
//! export) and `timeline.json` (TimelineJS's format), made a window of
//! events at a time as the sweep makes their values. A one-shot build
//! streams them to the writer as they are made; the preview keeps each
//! event's piece of both under the key of its value, so a rebuild
//! serializes only the events that changed.

use std::io;
use std::sync::Arc;

use rayon::prelude::*;
use tera::Value;

use super::cache::{DataPiece, RenderCache};
use super::outputs::{FileBytes, Joined};
use super::stream::{Destination, StreamFile};
use super::view::EventView;
use super::{card, json, timelinejs, Shared};
use crate::error::Error;
use crate::memo::{Key, Memo};
use crate::model::Site;

/// `events.json` and `timeline.json` in the making, a window of events at
/// a time, in timeline order.
pub(super) struct DataRun<'a> {
    site: &'a Site,
    timeline: timelinejs::TimelineDocument<'a>,
    sink: Sink,
}

/// Where the events' pieces go.
enum Sink {
    /// A one-shot build writes both files out as the pieces are made.
    Streams {
        events: Option<StreamFile>,
        slides: Option<StreamFile>,
        /// How many events are written.
        written: usize,
    },
    /// The preview keeps each event's pieces, by its value's key (which
    /// covers its tags, the one thing the slide reads besides the value:
    /// they are in its file), and whether the table had them.
    Pieces(Vec<(Key, DataPiece, bool)>),
}

impl<'a> DataRun<'a> {
    /// Starts both files: streamed when `pieces` keeps nothing, kept a
    /// piece per event otherwise.
    pub fn start(shared: &'a Shared<'a>, pieces: &Memo<DataPiece>, out: &Destination<'_>) -> Result<Self, Error> {
        let site = shared.site;
        let intro_html = (!site.intro.body.trim().is_empty()).then_some(shared.intro.html.as_str());
        let timeline = timelinejs::timeline_json(site, intro_html);
        let sink = if pieces.keeps() {
            Sink::Pieces(Vec::with_capacity(site.events.len()))
        } else {
            let mut events = out.open_stream("events.json".into())?;
            let mut slides = out.open_stream("timeline.json".into())?;
            write_to(&mut events, "events.json", &events_json_envelope(site).0)?;
            write_to(&mut slides, "timeline.json", &timeline.envelope().0)?;
            Sink::Streams {
                events,
                slides,
                written: 0,
            }
        };
        Ok(DataRun { site, timeline, sink })
    }

    /// Adds the events `first..`, whose views are `views` and values
    /// `values`; `keys` are every event's value keys.
    pub fn window(
        &mut self,
        first: usize,
        views: &[Arc<EventView>],
        values: &[Value],
        keys: &[Key],
        pieces: &Memo<DataPiece>,
    ) -> Result<(), Error> {
        let (site, timeline) = (self.site, &self.timeline);
        let make = |at: usize| {
            let event = &site.events[first + at];
            (
                event_json(&values[at]),
                timeline.slide_json(event, &views[at], &values[at]),
            )
        };
        match &mut self.sink {
            Sink::Pieces(made) => {
                let window: Vec<(Key, DataPiece, bool)> = (0..views.len())
                    .into_par_iter()
                    .map(|at| {
                        let key = keys[first + at];
                        match pieces.peek(key) {
                            Some(known) => (key, known.clone(), true),
                            None => {
                                let (event, slide) = make(at);
                                (key, (Arc::new(event), Arc::new(slide)), false)
                            }
                        }
                    })
                    .collect();
                made.extend(window);
                Ok(())
            }
            Sink::Streams {
                events,
                slides,
                written,
            } => {
                let window: Vec<(Vec<u8>, Vec<u8>)> = (0..views.len()).into_par_iter().map(make).collect();
                for (event, slide) in window {
                    if *written > 0 {
                        write_to(events, "events.json", b",")?;
                        write_to(slides, "timeline.json", b",")?;
                    }
                    write_to(events, "events.json", &event)?;
                    write_to(slides, "timeline.json", &slide)?;
                    *written += 1;
                }
                Ok(())
            }
        }
    }

    /// Ends both files: the streams get their tails, the kept pieces are
    /// sent joined. The pieces made, for the table.
    pub fn finish(self, out: &Destination<'_>) -> Result<Vec<(Key, DataPiece, bool)>, Error> {
        let (events_tail, timeline_tail) = (events_json_envelope(self.site).1, self.timeline.envelope().1);
        match self.sink {
            Sink::Streams { events, slides, .. } => {
                for (file, name, tail) in [
                    (events, "events.json", events_tail),
                    (slides, "timeline.json", timeline_tail),
                ] {
                    if let Some(mut file) = file {
                        write_to(&mut Some(&mut file), name, &tail)?;
                        file.finish()?;
                    }
                }
                Ok(Vec::new())
            }
            Sink::Pieces(made) => {
                let events = made.iter().map(|(_, (event, _), _)| Arc::clone(event)).collect();
                let events = Joined::new(events_json_envelope(self.site).0, events, events_tail);
                out.file("events.json".into(), FileBytes::Joined(Arc::new(events)), None)?;
                let slides = made.iter().map(|(_, (_, slide), _)| Arc::clone(slide)).collect();
                let slides = Joined::new(self.timeline.envelope().0, slides, timeline_tail);
                out.file("timeline.json".into(), FileBytes::Joined(Arc::new(slides)), None)?;
                Ok(made)
            }
        }
    }
}

/// Writes `bytes` to a streamed file, if this copy of the site has it.
fn write_to<W: io::Write>(file: &mut Option<W>, name: &str, bytes: &[u8]) -> Result<(), Error> {
    match file {
        Some(file) => file.write_all(bytes).map_err(|source| Error::Write {
            path: name.into(),
            source,
        }),
        None => Ok(()),
    }
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

/// One event of `events.json`: its template value, keys in alphabetical
/// order, without its list entry.
pub(super) fn event_json(value: &Value) -> Vec<u8> {
    json::piece(|bytes| json::write_sorted(bytes, value, &[card::CARD_FIELD]))
}

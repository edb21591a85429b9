//! The overview navigator: an inline SVG of the whole time span, computed
//! at build time so it works without JavaScript.
//!
//! Eras are bands across the top (stacked in rows so that neither bands
//! nor labels collide), each track has a lane, and every event is a mark (a
//! dot sized by importance, or a bar for a span) that links to the event on
//! the page and is named by its title, date and track. Positions are
//! percentages of the width and sizes pixels, so the drawing fits any
//! screen without scrolling sideways (`scale.rs`); marks too close to tell
//! apart become counted groups and overlapping ones are stacked
//! (`layout.rs`); a very large timeline is drawn as counts per period
//! instead (`density.rs`). The theme's script zooms and pans, and opens
//! groups and finer periods as room allows, from what the drawing carries:
//! `data-scale` (the axis), `data-years` (how a year is written),
//! `data-range` (how two years make a range), `data-events` (how a count
//! of events is written) and `data-group` (how a group is named).

mod density;
mod draw;
mod layout;
mod scale;

use std::sync::Arc;

use crate::date::{Date, EndDate};
use crate::model::Site;
use crate::parse::event::Event;

use super::view::EventView;

use density::Bin;
use layout::{LabelAt, Mark, Placed, TARGET};
use scale::{label_width, round, Scale};

/// Above this many events, the overview counts events per period instead
/// of drawing a mark for each.
pub const MARKS_LIMIT: usize = 600;

/// The height of a row of era bands, and of a band, in pixels.
const ERA_ROW: f64 = 20.0;
const ERA_BAND: f64 = 17.0;
/// The era labels' font size (as in the theme's CSS).
const ERA_FONT: f64 = 12.0;
/// Above each lane, the line its label takes.
const LANE_LABEL: f64 = 15.0;
/// A row of marks.
const ROW: f64 = TARGET + 2.0;
/// Between two lanes.
const LANE_GAP: f64 = 5.0;
/// The axis with its labels.
const AXIS: f64 = 24.0;
/// The bars of a density overview, and their counts' font size (as in
/// the theme's CSS).
const HISTOGRAM: f64 = 72.0;
const COUNT_FONT: f64 = 11.0;

/// The position of the start of a date's period, in fractional years.
fn start_of(date: &Date) -> f64 {
    f64::from(date.year())
        + f64::from(date.month().unwrap_or(1) - 1) / 12.0
        + f64::from(date.day().unwrap_or(1) - 1) / 365.25
}

/// The position of the end of a date's period (the end of 1996 for `1996`).
fn end_of(date: &Date) -> f64 {
    match (date.month(), date.day()) {
        (None, _) => f64::from(date.year()) + 1.0,
        (Some(month), None) => f64::from(date.year()) + f64::from(month) / 12.0,
        (Some(_), Some(_)) => start_of(date) + 1.0 / 365.25,
    }
}

/// A lane of marks: a track's, or the one for events without a track.
struct Lane<'a> {
    title: &'a str,
    colour: Option<&'a str>,
    /// Whether it is the lane of events without a track.
    other: bool,
}

/// The lanes, top to bottom, and the lane of each event.
struct Lanes<'a> {
    all: Vec<Lane<'a>>,
    of_event: Vec<usize>,
}

impl<'a> Lanes<'a> {
    /// A lane per track with events among `drawn`, then one (`other_lane`)
    /// for events without a track; each drawn event's lane (by its place in
    /// `drawn`) is found from the tracks' lists of events (`track_events`).
    fn of(site: &'a Site, track_events: &[Vec<usize>], drawn: &[usize], other_lane: &'a str) -> Self {
        let mut place = vec![usize::MAX; site.events.len()];
        for (at, &index) in drawn.iter().enumerate() {
            place[index] = at;
        }
        let mut lanes = Vec::new();
        let mut of_event = vec![usize::MAX; drawn.len()];
        for (track, events) in site.tracks.iter().zip(track_events) {
            let mut drawn_here = events
                .iter()
                .map(|&index| place[index])
                .filter(|&at| at != usize::MAX)
                .peekable();
            if drawn_here.peek().is_none() {
                continue;
            }
            for at in drawn_here {
                of_event[at] = lanes.len();
            }
            lanes.push(Lane {
                title: track.title.as_str(),
                colour: track.colour.as_deref(),
                other: false,
            });
        }
        if of_event.contains(&usize::MAX) {
            for lane in of_event.iter_mut().filter(|lane| **lane == usize::MAX) {
                *lane = lanes.len();
            }
            lanes.push(Lane {
                title: other_lane,
                colour: None,
                other: true,
            });
        }
        Lanes { all: lanes, of_event }
    }

    /// The colour of lane `lane`'s marks.
    fn colour(&self, lane: usize) -> &'a str {
        self.all[lane].colour.unwrap_or("#5f6368")
    }
}

/// An era band, placed.
struct EraBand<'a> {
    title: &'a str,
    colour: &'a str,
    left: f64,
    right: f64,
    row: usize,
    label_at: LabelAt,
}

/// Everything the drawing is made from. Its events are numbered by their
/// place among the drawn ones.
struct Drawing<'a> {
    site: &'a Site,
    /// Between the parts of a mark's name: ", ", "，".
    separator: &'a str,
    events: Vec<&'a Event>,
    views: Vec<&'a EventView>,
    href: &'a dyn Fn(usize) -> String,
    scale: Scale,
    eras: Vec<EraBand<'a>>,
    /// Where the lanes (or the bars) start, below the eras.
    top: f64,
    lanes: Lanes<'a>,
    /// Marks mode: the placed marks and each lane's rows.
    placed: Vec<Placed>,
    rows: Vec<usize>,
    /// Each event's place: start, and end for a span (percentages).
    marks: Vec<Mark>,
    /// Density mode: the bins.
    bins: Vec<Bin>,
}

/// The words of a drawing, from the theme: `label` names it, `other_lane`
/// names the lane of events without a track, and `separator` joins the
/// parts of a mark's name (the theme's `list_sep`: ", ", "，").
pub struct OverviewWords<'a> {
    pub label: &'a str,
    pub other_lane: &'a str,
    pub separator: &'a str,
}

/// The overview of the events `drawn` (indexes into `site.events`, in
/// timeline order: all of them, or one page's) as an SVG string, or `None`
/// without events. `track_events` holds the events of each of
/// `site.tracks`. `href` gives each event's link (by index): a fragment,
/// or an address from the site root, written after the root mark so that
/// the drawing serves pages at any depth.
pub fn overview_svg(
    site: &Site,
    views: &[Arc<EventView>],
    track_events: &[Vec<usize>],
    drawn: &[usize],
    href: &dyn Fn(usize) -> String,
    words: &OverviewWords<'_>,
) -> Option<String> {
    let events: Vec<&Event> = drawn.iter().map(|&index| &*site.events[index]).collect();
    let starts: Vec<f64> = events.iter().map(|event| start_of(&event.date)).collect();
    let finite_end = |event: &Event| match event.end {
        Some(EndDate::On(end)) => Some(end_of(&end)),
        _ => None,
    };
    // An ongoing span runs to the latest date on the overview.
    let last = events
        .iter()
        .zip(&starts)
        .map(|(event, &start)| finite_end(event).unwrap_or(start))
        .fold(f64::NEG_INFINITY, f64::max);
    let periods: Vec<(f64, f64)> = events
        .iter()
        .zip(&starts)
        .map(|(event, &start)| match event.end {
            None => (start, start),
            Some(EndDate::On(end)) => (start, end_of(&end).max(start)),
            Some(EndDate::Ongoing) => (start, last.max(start)),
        })
        .collect();
    let dense = drawn.len() > MARKS_LIMIT;
    // Counts per period read best against linear time.
    let scale = Scale::of(&periods, !dense)?;
    let first = starts.iter().copied().fold(f64::INFINITY, f64::min);
    let eras = era_bands(site, &scale, first, last);
    let era_rows = eras.iter().map(|band| band.row + 1).max().unwrap_or(0);
    let top = era_rows as f64 * ERA_ROW + if era_rows == 0 { 0.0 } else { 6.0 };
    let lanes = Lanes::of(site, track_events, drawn, words.other_lane);
    let marks: Vec<Mark> = periods
        .iter()
        .zip(&events)
        .enumerate()
        .map(|(index, (&(start, end), event))| Mark {
            lane: lanes.of_event[index],
            from: scale.x(start),
            to: event.end.map(|_| scale.x(end)),
        })
        .collect();
    let (placed, rows) = if dense {
        (Vec::new(), Vec::new())
    } else {
        layout::place(&marks, lanes.all.len())
    };
    let bins = if dense {
        density::bins(&starts, &scale)
    } else {
        Vec::new()
    };
    let href_of_place = |at: usize| href(drawn[at]);
    let drawing = Drawing {
        site,
        separator: words.separator,
        views: drawn.iter().map(|&index| &*views[index]).collect(),
        events,
        href: &href_of_place,
        scale,
        eras,
        top,
        lanes,
        placed,
        rows,
        marks,
        bins,
    };
    Some(drawing.svg(words.label))
}

/// The eras that meet the events' time, clamped to it, in rows.
fn era_bands<'a>(site: &'a Site, scale: &Scale, first: f64, last: f64) -> Vec<EraBand<'a>> {
    let mut shown = Vec::new();
    for era in &site.config.eras {
        let start = start_of(&era.start);
        let end = match era.end {
            Some(EndDate::On(end)) => end_of(&end),
            _ => f64::INFINITY,
        };
        if end < first || start > last {
            continue;
        }
        let left = scale.x(start.max(first));
        let right = scale.x(end.min(last)).max(left);
        shown.push((era, left, right));
    }
    let bands: Vec<layout::Band> = shown
        .iter()
        .map(|&(era, left, right)| layout::Band {
            left,
            right,
            label: label_width(&era.title, ERA_FONT) + 8.0,
        })
        .collect();
    let (rows, _) = layout::era_rows(&bands);
    shown
        .into_iter()
        .zip(rows)
        .map(|((era, left, right), (row, label_at))| EraBand {
            title: &era.title,
            colour: era.colour.as_deref().unwrap_or("#8a8f98"),
            left,
            right,
            row,
            label_at,
        })
        .collect()
}

/// A percentage as the drawing writes it.
fn pct(value: f64) -> String {
    format!("{}%", round(value, 3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use draw::bin_label;
    use scale::{percent, REF_WIDTH};

    #[test]
    fn periods_span_their_whole_length() {
        let year = Date::parse("1996").unwrap();
        assert_eq!(end_of(&year), 1997.0);
        let month = Date::parse("2025-11").unwrap();
        assert!((end_of(&month) - (2025.0 + 11.0 / 12.0)).abs() < 1e-9);
    }

    #[test]
    fn periods_are_named_as_readers_write_them() {
        let bin = |from, size| Bin {
            from,
            to: from + size,
            size,
            left: 0.0,
            right: 1.0,
            count: 1,
            first: 0,
            members: Vec::new(),
        };
        assert_eq!(bin_label(&bin(1990, 10), Lang::En), "1990s");
        assert_eq!(bin_label(&bin(1990, 10), Lang::Zh), "1990年代");
        assert_eq!(bin_label(&bin(1995, 1), Lang::En), "1995");
        assert_eq!(bin_label(&bin(1900, 100), Lang::En), "1900 – 1999");
        assert_eq!(bin_label(&bin(1900, 20), Lang::En), "1900 – 1919");
        assert_eq!(bin_label(&bin(-499, 100), Lang::En), "500 BCE – 401 BCE");
    }

    #[test]
    fn percentages_are_short() {
        assert_eq!(pct(12.3456), "12.346%");
        assert_eq!(pct(100.0), "100%");
        assert!(percent(REF_WIDTH) == 100.0);
    }
}

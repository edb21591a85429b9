//! The overview navigator: an inline SVG of the whole time span, computed
//! at build time so it works without JavaScript.
//!
//! Eras are bands across the top (overlapping eras stacked in rows), each
//! track has a lane, and every event is a mark (a dot sized by importance,
//! or a bar for a span) that links to the event on the page and carries an
//! accessible name. Approximate dates get their own class so the theme can
//! draw them faded or dashed. With very many events, marks become one bar
//! per lane and year, sized by how many events it holds.

use std::fmt::Write;
use std::sync::Arc;

use crate::config::Era;
use crate::date::{Date, EndDate};
use crate::lang::Lang;
use crate::model::Site;
use crate::parse::event::Event;
use crate::parse::markdown::ROOT_MARK;

use super::view::EventView;
use crate::xml::escape_xml as escape;

const WIDTH: f64 = 1000.0;
const PLOT_LEFT: f64 = 150.0;
const PLOT_RIGHT: f64 = 985.0;
const ERA_ROW: f64 = 20.0;
const LANE: f64 = 30.0;
const AXIS: f64 = 26.0;
/// Above this many events, marks are grouped per lane and year.
pub const MARKS_LIMIT: usize = 600;

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

/// Where years fall across the drawing.
struct Scale {
    min: f64,
    max: f64,
    /// Where the last event or era ends, before the padding: an ongoing
    /// span stops here.
    last: f64,
}

impl Scale {
    /// The span of `site`'s events and eras, padded a little either side,
    /// or `None` without events.
    fn of(site: &Site) -> Option<Scale> {
        let first = site.events.first()?;
        let mut min = start_of(&first.date);
        let mut max = min;
        for event in &site.events {
            min = min.min(start_of(&event.date));
            max = max.max(end_of(&event.date));
            if let Some(EndDate::On(end)) = event.end {
                max = max.max(end_of(&end));
            }
        }
        for era in &site.config.eras {
            min = min.min(start_of(&era.start));
            if let Some(EndDate::On(end)) = era.end {
                max = max.max(end_of(&end));
            }
        }
        let padding = ((max - min) * 0.02).max(0.25);
        Some(Scale {
            min: min - padding,
            max: max + padding,
            last: max,
        })
    }

    fn x(&self, at: f64) -> f64 {
        PLOT_LEFT + (at - self.min) / (self.max - self.min) * (PLOT_RIGHT - PLOT_LEFT)
    }
}

/// An era's band across the top: its row, and where it starts and ends.
struct Band<'a> {
    era: &'a Era,
    row: usize,
    start: f64,
    end: f64,
}

/// The eras in rows: each goes in the first row where it overlaps
/// nothing. Returns the bands and how many rows they take.
fn era_bands<'a>(eras: &'a [Era], scale: &Scale) -> (Vec<Band<'a>>, usize) {
    let mut rows: Vec<f64> = Vec::new();
    let mut bands = Vec::new();
    for era in eras {
        let start = start_of(&era.start);
        let end = match era.end {
            Some(EndDate::On(end)) => end_of(&end),
            // The padded end of the drawing.
            _ => scale.max,
        };
        let row = rows
            .iter()
            .position(|&free_from| free_from <= start)
            .unwrap_or(rows.len());
        if row == rows.len() {
            rows.push(end);
        } else {
            rows[row] = end;
        }
        bands.push(Band { era, row, start, end });
    }
    (bands, rows.len())
}

/// A lane of marks: a track's, or the one for events without a track.
struct Lane<'a> {
    title: &'a str,
    colour: Option<&'a str>,
}

/// The lanes, top to bottom, and the lane of each event.
struct Lanes<'a> {
    all: Vec<Lane<'a>>,
    of_event: Vec<usize>,
    /// Where the first lane starts, below the eras.
    top: f64,
}

impl<'a> Lanes<'a> {
    /// A lane per track with events, then one (`other_lane`) for events
    /// without a track; each event's lane is found from the tracks' lists
    /// of events (`track_events`).
    fn of(site: &'a Site, track_events: &[Vec<usize>], other_lane: &'a str, top: f64) -> Self {
        let mut lanes = Vec::new();
        let mut of_event = vec![usize::MAX; site.events.len()];
        for (track, events) in site.tracks.iter().zip(track_events) {
            if events.is_empty() {
                continue;
            }
            for &index in events {
                of_event[index] = lanes.len();
            }
            lanes.push(Lane {
                title: track.title.as_str(),
                colour: track.colour.as_deref(),
            });
        }
        if of_event.contains(&usize::MAX) {
            for lane in of_event.iter_mut().filter(|lane| **lane == usize::MAX) {
                *lane = lanes.len();
            }
            lanes.push(Lane {
                title: other_lane,
                colour: None,
            });
        }
        Lanes {
            all: lanes,
            of_event,
            top,
        }
    }

    /// The top of lane `lane`.
    fn y(&self, lane: usize) -> f64 {
        self.top + lane as f64 * LANE
    }

    /// Below the last lane: where the axis is drawn.
    fn bottom(&self) -> f64 {
        self.y(self.all.len())
    }

    /// The colour of lane `lane`'s marks.
    fn colour(&self, lane: usize) -> &'a str {
        self.all[lane].colour.unwrap_or("#5f6368")
    }
}

/// Everything the drawing is made from.
struct Drawing<'a> {
    site: &'a Site,
    views: &'a [Arc<EventView>],
    href: &'a dyn Fn(usize) -> String,
    scale: Scale,
    bands: Vec<Band<'a>>,
    lanes: Lanes<'a>,
}

/// The overview of `site` as an SVG string, or `None` without events.
/// `track_events` holds the events of each of `site.tracks`. `href` gives
/// each event's link (by index): a fragment, or an address from the site
/// root, written after the root mark so that the drawing serves pages at
/// any depth.
pub fn overview_svg(
    site: &Site,
    views: &[Arc<EventView>],
    track_events: &[Vec<usize>],
    href: &dyn Fn(usize) -> String,
    label: &str,
    other_lane: &str,
) -> Option<String> {
    let scale = Scale::of(site)?;
    let (bands, rows) = era_bands(&site.config.eras, &scale);
    let eras_height = rows as f64 * ERA_ROW + if rows == 0 { 0.0 } else { 6.0 };
    let drawing = Drawing {
        site,
        views,
        href,
        scale,
        bands,
        lanes: Lanes::of(site, track_events, other_lane, eras_height),
    };
    let mut svg = String::new();
    drawing.write_start(&mut svg, label);
    drawing.write_eras(&mut svg);
    drawing.write_lanes(&mut svg);
    drawing.write_marks(&mut svg);
    drawing.write_axis(&mut svg);
    svg.push_str("</svg>\n");
    Some(svg)
}

impl Drawing<'_> {
    /// The opening tag and the title, `label`.
    fn write_start(&self, svg: &mut String, label: &str) {
        let height = self.lanes.bottom() + AXIS;
        let _ = write!(
            svg,
            "<svg class=\"overview\" viewBox=\"0 0 {WIDTH} {height:.0}\" role=\"group\" aria-labelledby=\"overview-title\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"overview-title\">{}</title>\n",
            escape(label)
        );
    }

    /// A band and a label per era.
    fn write_eras(&self, svg: &mut String) {
        svg.push_str("<g class=\"overview-eras\">\n");
        for Band { era, row, start, end } in &self.bands {
            let y = *row as f64 * ERA_ROW;
            let (x0, x1) = (self.scale.x(*start), self.scale.x(*end).min(PLOT_RIGHT));
            let _ = writeln!(
                svg,
                "<rect class=\"overview-era\" x=\"{x0:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"3\" fill=\"{}\"/><text class=\"overview-era-label\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                (x1 - x0).max(1.0),
                ERA_ROW - 4.0,
                escape(era.colour.as_deref().unwrap_or("#8a8f98")),
                x0 + 4.0,
                y + ERA_ROW - 8.0,
                escape(&era.title)
            );
        }
        svg.push_str("</g>\n");
    }

    /// A line and a label per lane.
    fn write_lanes(&self, svg: &mut String) {
        svg.push_str("<g class=\"overview-lanes\">\n");
        for (index, lane) in self.lanes.all.iter().enumerate() {
            let y = self.lanes.y(index);
            let _ = writeln!(
                svg,
                "<line class=\"overview-lane-line\" x1=\"{PLOT_LEFT}\" x2=\"{PLOT_RIGHT}\" y1=\"{:.1}\" y2=\"{:.1}\"/><text class=\"overview-lane-label\" x=\"4\" y=\"{:.1}\">{}</text>",
                y + LANE / 2.0,
                y + LANE / 2.0,
                y + LANE / 2.0 + 4.0,
                escape(lane.title)
            );
        }
        svg.push_str("</g>\n");
    }

    /// A mark per event, or with very many events a bar per lane and year.
    fn write_marks(&self, svg: &mut String) {
        svg.push_str("<g class=\"overview-marks\">\n");
        if self.site.events.len() <= MARKS_LIMIT {
            for (index, (event, view)) in self.site.events.iter().zip(self.views).enumerate() {
                self.write_mark(svg, index, event, view);
            }
        } else {
            self.write_density_marks(svg);
        }
        svg.push_str("</g>\n");
    }

    /// The mark of event `index`: a link around a dot sized by importance,
    /// or a bar for a span.
    fn write_mark(&self, svg: &mut String, index: usize, event: &Event, view: &EventView) {
        let lane = self.lanes.of_event[index];
        let cy = self.lanes.y(lane) + LANE / 2.0;
        let colour = escape(self.lanes.colour(lane));
        let mut classes = String::from("overview-mark");
        if view.highlight {
            classes.push_str(" is-highlight");
        }
        if event.date.is_circa() || event.date.is_uncertain() {
            classes.push_str(" is-approx");
        }
        let _ = write!(
            svg,
            "<a class=\"{classes}\" href=\"{}\" aria-label=\"{}\" data-slug=\"{}\">",
            link(&(self.href)(index)),
            escape(&format!("{}, {}", view.title, view.date_label)),
            escape(&view.slug)
        );
        let size = 2.0 + f64::from(event.importance);
        let x0 = self.scale.x(start_of(&event.date));
        match event.end {
            Some(end) => {
                let x1 = match end {
                    EndDate::On(end) => self.scale.x(end_of(&end)),
                    EndDate::Ongoing => self.scale.x(self.scale.last),
                };
                let _ = write!(
                    svg,
                    "<rect class=\"overview-span\" x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"{:.1}\" fill=\"{colour}\"/>",
                    cy - size / 2.0,
                    (x1 - x0).max(size),
                    size,
                    size / 2.0,
                );
            }
            None => {
                let _ = write!(
                    svg,
                    "<circle class=\"overview-point\" cx=\"{x0:.1}\" cy=\"{cy:.1}\" r=\"{:.1}\" fill=\"{colour}\"/>",
                    size / 2.0 + 1.0,
                );
            }
        }
        svg.push_str("</a>\n");
    }

    /// One bar per lane and year, its height by how many events it holds.
    fn write_density_marks(&self, svg: &mut String) {
        let lang = self.site.config.language;
        let mut buckets: std::collections::BTreeMap<(usize, i32), (usize, usize)> = std::collections::BTreeMap::new();
        for (index, event) in self.site.events.iter().enumerate() {
            let lane = self.lanes.of_event[index];
            let bucket = buckets.entry((lane, event.date.year())).or_insert((index, 0));
            bucket.1 += 1;
        }
        let most = buckets.values().map(|(_, count)| *count).max().unwrap_or(1) as f64;
        let width = ((self.scale.x(1.0) - self.scale.x(0.0)) * 0.8).max(1.0);
        for ((lane, year), (first, count)) in buckets {
            let height = (LANE - 8.0) * (count as f64 / most).sqrt().max(0.15);
            let y = self.lanes.y(lane) + (LANE - height) / 2.0;
            let year_label = self.views[first].date.year_label.clone();
            let label = format!("{year_label}{}{}", lang.words().colon, lang.events(count));
            let _ = writeln!(
                svg,
                "<a class=\"overview-mark overview-bucket\" href=\"{}\" aria-label=\"{}\"><rect class=\"overview-span\" x=\"{:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"{height:.1}\" fill=\"{}\"/></a>",
                link(&(self.href)(first)),
                escape(&label),
                self.scale.x(f64::from(year)),
                escape(self.lanes.colour(lane))
            );
        }
    }

    /// The axis line, and its ticks with their years (or months).
    fn write_axis(&self, svg: &mut String) {
        svg.push_str("<g class=\"overview-axis\">\n");
        let axis_y = self.lanes.bottom();
        let _ = writeln!(
            svg,
            "<line class=\"overview-axis-line\" x1=\"{PLOT_LEFT}\" x2=\"{PLOT_RIGHT}\" y1=\"{axis_y:.1}\" y2=\"{axis_y:.1}\"/>"
        );
        for (at, text) in ticks(self.scale.min, self.scale.max, self.site.config.language) {
            let x = self.scale.x(at);
            let _ = writeln!(
                svg,
                "<line class=\"overview-tick-line\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{axis_y:.1}\" y2=\"{:.1}\"/><text class=\"overview-tick\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                axis_y + 4.0,
                axis_y + 18.0,
                escape(&text)
            );
        }
        svg.push_str("</g>\n");
    }
}

/// A link's address as the drawing writes it: a fragment as it is, an
/// address from the site root after the root mark.
fn link(href: &str) -> String {
    if href.starts_with('#') {
        escape(href).into_owned()
    } else {
        format!("{ROOT_MARK}{}", escape(href))
    }
}

/// Axis ticks for the span: about eight, on round years (or months).
fn ticks(min: f64, max: f64, lang: Lang) -> Vec<(f64, String)> {
    let span = max - min;
    if span < 2.0 {
        let mut ticks = Vec::new();
        let mut month = (min * 12.0).ceil() as i64;
        let step = if span < 0.7 { 1 } else { 3 };
        while (month as f64) / 12.0 <= max {
            let year = month.div_euclid(12) as i32;
            let label = Date::parse(&format!("{year:04}-{:02}", month.rem_euclid(12) + 1))
                .map(|date| date.format(lang))
                .unwrap_or_default();
            ticks.push((month as f64 / 12.0, label));
            month += step;
        }
        return ticks;
    }
    let step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000]
        .into_iter()
        .find(|&step| span / f64::from(step) <= 9.0)
        .unwrap_or(10_000);
    // Round numbers as printed: 500 BCE is astronomical -499, and there is
    // no year 0 between 1 BCE and 1 CE.
    let printed = |astronomical: f64| {
        if astronomical >= 1.0 {
            astronomical
        } else {
            astronomical - 1.0
        }
    };
    let astronomical = |printed: i32| if printed >= 1 { printed } else { printed + 1 };
    let mut printed_year = (printed(min) / f64::from(step)).ceil() as i32 * step;
    let mut ticks = Vec::new();
    while f64::from(astronomical(printed_year)) <= max {
        if printed_year != 0 {
            let year = astronomical(printed_year);
            if let Ok(date) = Date::from_year(i64::from(year)) {
                ticks.push((f64::from(year), date.format_year(lang)));
            }
        }
        printed_year += step;
    }
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_few() {
        let years: Vec<String> = ticks(1984.6, 2026.2, Lang::En).into_iter().map(|(_, t)| t).collect();
        assert_eq!(
            years,
            ["1985", "1990", "1995", "2000", "2005", "2010", "2015", "2020", "2025"]
        );
        let months = ticks(2013.0, 2013.5, Lang::En);
        assert_eq!(months[0].1, "January 2013");
        let bce: Vec<String> = ticks(-520.0, 40.0, Lang::En).into_iter().map(|(_, t)| t).collect();
        assert_eq!(bce, ["500 BCE", "400 BCE", "300 BCE", "200 BCE", "100 BCE"]);
    }

    #[test]
    fn periods_span_their_whole_length() {
        let year = Date::parse("1996").unwrap();
        assert_eq!(end_of(&year), 1997.0);
        let month = Date::parse("2025-11").unwrap();
        assert!((end_of(&month) - (2025.0 + 11.0 / 12.0)).abs() < 1e-9);
    }
}

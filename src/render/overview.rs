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

use crate::date::{Date, EndDate};
use crate::lang::Lang;
use crate::model::Site;
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

struct Scale {
    min: f64,
    max: f64,
}

impl Scale {
    fn x(&self, at: f64) -> f64 {
        PLOT_LEFT + (at - self.min) / (self.max - self.min) * (PLOT_RIGHT - PLOT_LEFT)
    }
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
    let lang = site.config.language;
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
    let scale = Scale {
        min: min - padding,
        max: max + padding,
    };

    // Eras in rows: each goes in the first row where it overlaps nothing.
    let mut rows: Vec<f64> = Vec::new();
    let mut placed = Vec::new();
    for era in &site.config.eras {
        let start = start_of(&era.start);
        let end = match era.end {
            Some(EndDate::On(end)) => end_of(&end),
            _ => max + padding,
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
        placed.push((era, row, start, end));
    }
    // A lane per track with events, then one for events without a track;
    // each event's lane is found from the tracks' lists of events.
    let mut lanes: Vec<(Option<&str>, &str, Option<&str>)> = Vec::new();
    let mut lane_of_event = vec![usize::MAX; site.events.len()];
    for (track, events) in site.tracks.iter().zip(track_events) {
        if events.is_empty() {
            continue;
        }
        for &index in events {
            lane_of_event[index] = lanes.len();
        }
        lanes.push((Some(track.id.as_str()), track.title.as_str(), track.colour.as_deref()));
    }
    if lane_of_event.contains(&usize::MAX) {
        for lane in lane_of_event.iter_mut().filter(|lane| **lane == usize::MAX) {
            *lane = lanes.len();
        }
        lanes.push((None, other_lane, None));
    }
    let eras_height = rows.len() as f64 * ERA_ROW + if rows.is_empty() { 0.0 } else { 6.0 };
    let lanes_top = eras_height;
    let height = lanes_top + lanes.len() as f64 * LANE + AXIS;

    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"overview\" viewBox=\"0 0 {WIDTH} {height:.0}\" role=\"group\" aria-labelledby=\"overview-title\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"overview-title\">{}</title>\n",
        escape(label)
    );
    svg.push_str("<g class=\"overview-eras\">\n");
    for (era, row, start, end) in &placed {
        let y = *row as f64 * ERA_ROW;
        let (x0, x1) = (scale.x(*start), scale.x(*end).min(PLOT_RIGHT));
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
    svg.push_str("</g>\n<g class=\"overview-lanes\">\n");
    for (index, (_, title, _)) in lanes.iter().enumerate() {
        let y = lanes_top + index as f64 * LANE;
        let _ = writeln!(
            svg,
            "<line class=\"overview-lane-line\" x1=\"{PLOT_LEFT}\" x2=\"{PLOT_RIGHT}\" y1=\"{:.1}\" y2=\"{:.1}\"/><text class=\"overview-lane-label\" x=\"4\" y=\"{:.1}\">{}</text>",
            y + LANE / 2.0,
            y + LANE / 2.0,
            y + LANE / 2.0 + 4.0,
            escape(title)
        );
    }
    svg.push_str("</g>\n<g class=\"overview-marks\">\n");
    if site.events.len() <= MARKS_LIMIT {
        for (index, (event, view)) in site.events.iter().zip(views).enumerate() {
            let lane = lane_of_event[index];
            let cy = lanes_top + lane as f64 * LANE + LANE / 2.0;
            let colour = lanes[lane].2.unwrap_or("#5f6368");
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
                link(&href(index)),
                escape(&format!("{}, {}", view.title, view.date_label)),
                escape(&view.slug)
            );
            let size = 2.0 + f64::from(event.importance);
            match event.end {
                Some(end) => {
                    let x0 = scale.x(start_of(&event.date));
                    let x1 = match end {
                        EndDate::On(end) => scale.x(end_of(&end)),
                        EndDate::Ongoing => scale.x(max),
                    };
                    let _ = write!(
                        svg,
                        "<rect class=\"overview-span\" x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"{:.1}\" fill=\"{}\"/>",
                        cy - size / 2.0,
                        (x1 - x0).max(size),
                        size,
                        size / 2.0,
                        escape(colour)
                    );
                }
                None => {
                    let _ = write!(
                        svg,
                        "<circle class=\"overview-point\" cx=\"{:.1}\" cy=\"{cy:.1}\" r=\"{:.1}\" fill=\"{}\"/>",
                        scale.x(start_of(&event.date)),
                        size / 2.0 + 1.0,
                        escape(colour)
                    );
                }
            }
            svg.push_str("</a>\n");
        }
    } else {
        density_marks(
            &mut svg,
            site,
            views,
            href,
            &scale,
            lanes_top,
            &lane_of_event,
            &lanes,
            lang,
        );
    }
    svg.push_str("</g>\n<g class=\"overview-axis\">\n");
    let axis_y = lanes_top + lanes.len() as f64 * LANE;
    let _ = writeln!(
        svg,
        "<line class=\"overview-axis-line\" x1=\"{PLOT_LEFT}\" x2=\"{PLOT_RIGHT}\" y1=\"{axis_y:.1}\" y2=\"{axis_y:.1}\"/>"
    );
    for (at, text) in ticks(scale.min, scale.max, lang) {
        let x = scale.x(at);
        let _ = writeln!(
            svg,
            "<line class=\"overview-tick-line\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{axis_y:.1}\" y2=\"{:.1}\"/><text class=\"overview-tick\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            axis_y + 4.0,
            axis_y + 18.0,
            escape(&text)
        );
    }
    svg.push_str("</g>\n</svg>\n");
    Some(svg)
}

/// One bar per lane and year, its height by how many events it holds.
#[allow(clippy::too_many_arguments)]
fn density_marks(
    svg: &mut String,
    site: &Site,
    views: &[Arc<EventView>],
    href: &dyn Fn(usize) -> String,
    scale: &Scale,
    lanes_top: f64,
    lane_of_event: &[usize],
    lanes: &[(Option<&str>, &str, Option<&str>)],
    lang: Lang,
) {
    let mut buckets: std::collections::BTreeMap<(usize, i32), (usize, usize)> = std::collections::BTreeMap::new();
    for (index, event) in site.events.iter().enumerate() {
        let lane = lane_of_event[index];
        let bucket = buckets.entry((lane, event.date.year())).or_insert((index, 0));
        bucket.1 += 1;
    }
    let most = buckets.values().map(|(_, count)| *count).max().unwrap_or(1) as f64;
    let width = ((scale.x(1.0) - scale.x(0.0)) * 0.8).max(1.0);
    for ((lane, year), (first, count)) in buckets {
        let height = (LANE - 8.0) * (count as f64 / most).sqrt().max(0.15);
        let y = lanes_top + lane as f64 * LANE + (LANE - height) / 2.0;
        let year_label = views[first].date.year_label.clone();
        let label = format!("{year_label}{}{}", lang.words().colon, lang.events(count));
        let _ = writeln!(
            svg,
            "<a class=\"overview-mark overview-bucket\" href=\"{}\" aria-label=\"{}\"><rect class=\"overview-span\" x=\"{:.1}\" y=\"{y:.1}\" width=\"{width:.1}\" height=\"{height:.1}\" fill=\"{}\"/></a>",
            link(&href(first)),
            escape(&label),
            scale.x(f64::from(year)),
            escape(lanes[lane].2.unwrap_or("#5f6368"))
        );
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

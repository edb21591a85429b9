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
mod layout;
mod scale;

use std::fmt::Write;
use std::sync::Arc;

use crate::date::{Date, EndDate};
use crate::lang::Lang;
use crate::model::Site;
use crate::parse::event::Event;
use crate::parse::markdown::ROOT_MARK;

use super::view::EventView;
use crate::xml::escape_xml as escape;

use density::Bin;
use layout::{Item, LabelAt, Mark, Placed, TARGET};
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
    let mut svg = String::new();
    drawing.write_start(&mut svg, words.label);
    drawing.write_breaks(&mut svg);
    drawing.write_eras(&mut svg);
    if dense {
        drawing.write_bins(&mut svg);
    } else {
        drawing.write_lanes(&mut svg);
        drawing.write_marks(&mut svg);
    }
    drawing.write_axis(&mut svg);
    svg.push_str("</svg>\n");
    Some(svg)
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

impl Drawing<'_> {
    /// The top of lane `lane`.
    fn lane_top(&self, lane: usize) -> f64 {
        self.top
            + self.rows[..lane]
                .iter()
                .map(|rows| LANE_LABEL + *rows as f64 * ROW + LANE_GAP)
                .sum::<f64>()
    }

    /// The middle of row `row` of lane `lane`.
    fn row_y(&self, lane: usize, row: usize) -> f64 {
        self.lane_top(lane) + LANE_LABEL + row as f64 * ROW + ROW / 2.0
    }

    /// Where the axis line is drawn.
    fn axis_y(&self) -> f64 {
        if self.rows.is_empty() {
            self.top + HISTOGRAM
        } else {
            self.lane_top(self.rows.len()) - LANE_GAP
        }
    }

    /// The opening tag and the title, `label`.
    fn write_start(&self, svg: &mut String, label: &str) {
        let lang = self.site.config.language;
        let height = self.axis_y() + AXIS;
        let events: Vec<String> = lang
            .words()
            .events
            .iter()
            .map(|(category, form)| format!("{category}:{form}"))
            .collect();
        let _ = write!(
            svg,
            "<svg class=\"overview{}\" width=\"100%\" height=\"{height:.0}\" role=\"group\" aria-labelledby=\"overview-title\" data-scale=\"{}\" data-years=\"{}\" data-range=\"{}\" data-events=\"{}\" data-group=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">\n<title id=\"overview-title\">{}</title>\n",
            if self.rows.is_empty() { " is-dense" } else { "" },
            self.scale.data(),
            escape(&scale::year_patterns(lang)),
            escape(lang.cldr().range),
            escape(&events.join("|")),
            escape(&self.group_pattern()),
            escape(label)
        );
    }

    /// A band across the drawing where the axis is broken, marked on the
    /// axis, and named by the years it leaves out.
    fn write_breaks(&self, svg: &mut String) {
        let breaks = self.scale.breaks();
        if breaks.is_empty() {
            return;
        }
        let lang = self.site.config.language;
        let axis = self.axis_y();
        svg.push_str("<g class=\"overview-breaks\">\n");
        for gap in breaks {
            let years = lang.amount(gap.years.round() as i64, crate::lang::Unit::Year);
            let _ = writeln!(
                svg,
                "<g class=\"overview-break\"><title>{}</title><rect class=\"overview-break-band\" x=\"{}\" y=\"0\" width=\"{}\" height=\"{axis:.0}\"/><svg class=\"overview-break-mark\" x=\"{}\" y=\"{axis:.0}\" overflow=\"visible\"><path d=\"M-8 6 -3 -6 M3 6 8 -6\"/></svg></g>",
                escape(&years),
                pct(gap.left),
                pct(gap.right - gap.left),
                pct((gap.left + gap.right) / 2.0),
            );
        }
        svg.push_str("</g>\n");
    }

    /// A band and a label per era.
    fn write_eras(&self, svg: &mut String) {
        if self.eras.is_empty() {
            return;
        }
        svg.push_str("<g class=\"overview-eras\">\n");
        for band in &self.eras {
            let y = band.row as f64 * ERA_ROW;
            let (x, anchor) = match band.label_at {
                LabelAt::Start => (pct(band.left), "\" dx=\"4"),
                LabelAt::End => (pct(band.right), "\" dx=\"-4\" text-anchor=\"end"),
            };
            let _ = writeln!(
                svg,
                "<rect class=\"overview-era\" x=\"{}\" y=\"{y:.0}\" width=\"{}\" height=\"{ERA_BAND:.0}\" rx=\"3\" fill=\"{}\"/><text class=\"overview-era-label\" x=\"{x}{anchor}\" y=\"{:.0}\">{}</text>",
                pct(band.left),
                pct(band.right - band.left),
                escape(band.colour),
                y + ERA_BAND - 5.0,
                escape(band.title)
            );
        }
        svg.push_str("</g>\n");
    }

    /// A label above each lane and a guide line through each of its rows.
    fn write_lanes(&self, svg: &mut String) {
        svg.push_str("<g class=\"overview-lanes\">\n");
        for (index, lane) in self.lanes.all.iter().enumerate() {
            let top = self.lane_top(index);
            let _ = write!(
                svg,
                "<text class=\"overview-lane-label\" x=\"0\" y=\"{:.0}\">{}</text>",
                top + LANE_LABEL - 4.0,
                escape(lane.title)
            );
            for row in 0..self.rows[index] {
                let y = self.row_y(index, row);
                let _ = write!(
                    svg,
                    "<line class=\"overview-lane-line\" x1=\"0\" x2=\"100%\" y1=\"{y:.0}\" y2=\"{y:.0}\"/>"
                );
            }
            svg.push('\n');
        }
        svg.push_str("</g>\n");
    }

    /// A mark per event, in time order; points too close to tell apart in
    /// a counted group.
    fn write_marks(&self, svg: &mut String) {
        svg.push_str("<g class=\"overview-marks\">\n");
        let mut placed: Vec<&Placed> = self.placed.iter().collect();
        let first = |item: &Item| match item {
            Item::One(index) => *index,
            Item::Group(indexes) => indexes[0],
        };
        placed.sort_by_key(|p| first(&p.item));
        for p in placed {
            let y = self.row_y(p.lane, p.row);
            match &p.item {
                Item::One(index) => self.write_mark(svg, *index, y, false),
                Item::Group(indexes) => self.write_group(svg, p.lane, indexes, y),
            }
        }
        svg.push_str("</g>\n");
    }

    /// How a group is named: `{0}` the lane, `{1}` the years, `{2}` the
    /// count ("{0}, {1}: {2}").
    fn group_pattern(&self) -> String {
        format!(
            "{{0}}{}{{1}}{}{{2}}",
            self.separator,
            self.site.config.language.words().colon
        )
    }

    /// What a mark is called: its title, date and track.
    fn mark_label(&self, index: usize) -> String {
        let view = self.views[index];
        let lane = &self.lanes.all[self.lanes.of_event[index]];
        let sep = self.separator;
        if lane.other {
            format!("{}{sep}{}", view.title, view.date_label)
        } else {
            format!("{}{sep}{}{sep}{}", view.title, view.date_label, lane.title)
        }
    }

    /// The mark of event `index` on the line `y`: a link around a dot
    /// sized by importance, or a bar for a span, each with a target of at
    /// least 24 pixels. A `member` of a group is drawn hidden, for the
    /// script to show when there is room.
    fn write_mark(&self, svg: &mut String, index: usize, y: f64, member: bool) {
        let event = self.events[index];
        let view = self.views[index];
        let lane = self.lanes.of_event[index];
        let colour = escape(self.lanes.colour(lane));
        let mut classes = String::from("overview-mark");
        if view.highlight {
            classes.push_str(" is-highlight");
        }
        if event.date.is_circa() || event.date.is_uncertain() {
            classes.push_str(" is-approx");
        }
        if member {
            classes.push_str(" is-member");
        }
        let _ = write!(
            svg,
            "<a class=\"{classes}\" href=\"{}\" aria-label=\"{}\" data-slug=\"{}\">",
            link(&(self.href)(index)),
            escape(&self.mark_label(index)),
            escape(&view.slug)
        );
        let half = TARGET / 2.0;
        let mark = self.marks[index];
        let x0 = pct(mark.from);
        match mark.to {
            Some(to) => {
                let x1 = pct(to);
                let _ = write!(
                    svg,
                    "<rect class=\"overview-hit\" x=\"{x0}\" y=\"{:.0}\" width=\"{}\" height=\"{TARGET}\"/><circle class=\"overview-hit\" cx=\"{x0}\" cy=\"{y:.0}\" r=\"{half}\"/><circle class=\"overview-hit\" cx=\"{x1}\" cy=\"{y:.0}\" r=\"{half}\"/><line class=\"overview-span\" x1=\"{x0}\" x2=\"{x1}\" y1=\"{y:.0}\" y2=\"{y:.0}\" stroke=\"{colour}\"/>",
                    y - half,
                    pct(to - mark.from),
                );
            }
            None => {
                let _ = write!(
                    svg,
                    "<circle class=\"overview-hit\" cx=\"{x0}\" cy=\"{y:.0}\" r=\"{half}\"/><circle class=\"overview-point\" cx=\"{x0}\" cy=\"{y:.0}\" r=\"{}\" fill=\"{colour}\"/>",
                    round(3.0 + f64::from(event.importance) * 0.75, 2),
                );
            }
        }
        svg.push_str("</a>\n");
    }

    /// Points too close to tell apart: one counted capsule from the first
    /// to the last, named by the lane, the years and the count, linking to
    /// the first; then the points themselves, hidden.
    fn write_group(&self, svg: &mut String, lane: usize, indexes: &[usize], y: f64) {
        let lang = self.site.config.language;
        let title = self.lanes.all[lane].title;
        let colour = escape(self.lanes.colour(lane));
        let (first, last) = (indexes[0], indexes[indexes.len() - 1]);
        let years = years_label(
            &self.views[first].date.year_label,
            &self.views[last].date.year_label,
            lang,
        );
        let label = format!(
            "{title}{}{years}{}{}",
            self.separator,
            lang.words().colon,
            lang.events(indexes.len())
        );
        let (from, to) = (self.marks[first].from, self.marks[last].from);
        let half = TARGET / 2.0;
        let _ = write!(
            svg,
            "<g class=\"overview-cluster\" data-lane=\"{}\">\n<a class=\"overview-mark overview-group\" href=\"{}\" aria-label=\"{}\"><rect class=\"overview-group-box\" x=\"{}\" y=\"{:.0}\" width=\"{}\" height=\"{TARGET}\" fill=\"{colour}\"/><circle class=\"overview-group-end\" cx=\"{}\" cy=\"{y:.0}\" r=\"{half}\" fill=\"{colour}\"/><circle class=\"overview-group-end\" cx=\"{}\" cy=\"{y:.0}\" r=\"{half}\" fill=\"{colour}\"/><text class=\"overview-count\" x=\"{}\" y=\"{:.0}\" text-anchor=\"middle\">{}</text></a>\n",
            escape(title),
            link(&(self.href)(first)),
            escape(&label),
            pct(from),
            y - half,
            pct(to - from),
            pct(from),
            pct(to),
            pct((from + to) / 2.0),
            y + 4.0,
            indexes.len()
        );
        for &index in indexes {
            self.write_mark(svg, index, y, true);
        }
        svg.push_str("</g>\n");
    }

    /// Density mode: a bar per period, as tall as its events are dense
    /// (events a year), each holding the finer periods for the script to
    /// open.
    fn write_bins(&self, svg: &mut String) {
        svg.push_str("<g class=\"overview-bins\">\n");
        fn densest(bins: &[Bin]) -> f64 {
            bins.iter()
                .map(|bin| density(bin).max(densest(&bin.members)))
                .fold(0.0, f64::max)
        }
        let most = densest(&self.bins).max(f64::MIN_POSITIVE);
        for bin in &self.bins {
            self.write_bin(svg, bin, most);
        }
        svg.push_str("</g>\n");
    }

    fn write_bin(&self, svg: &mut String, bin: &Bin, most: f64) {
        let lang = self.site.config.language;
        let label = format!(
            "{}{}{}",
            bin_label(bin, lang),
            lang.words().colon,
            lang.events(bin.count)
        );
        let top = self.top;
        let height = ((HISTOGRAM - COUNT_FONT - 6.0) * (density(bin) / most).sqrt()).max(3.0);
        let (x, width) = (pct(bin.left), pct(bin.right - bin.left));
        // The count above the bar, where it fits at the narrowest width
        // (the script decides again at the width it has).
        let count = bin.count.to_string();
        let tight = if label_width(&count, COUNT_FONT) + 4.0 > scale::px(bin.right - bin.left) {
            " is-tight"
        } else {
            ""
        };
        let _ = write!(
            svg,
            "<g class=\"overview-bin-group\"><a class=\"overview-mark overview-bin\" href=\"{}\" aria-label=\"{}\" data-from=\"{}\" data-to=\"{}\"><rect class=\"overview-hit\" x=\"{x}\" y=\"{top:.0}\" width=\"{width}\" height=\"{HISTOGRAM:.0}\"/><rect class=\"overview-bar\" x=\"{x}\" y=\"{:.1}\" width=\"{width}\" height=\"{height:.1}\"/><text class=\"overview-bin-count{tight}\" x=\"{}\" y=\"{:.1}\" text-anchor=\"middle\">{count}</text></a>",
            link(&(self.href)(bin.first)),
            escape(&label),
            bin.from,
            bin.to,
            top + HISTOGRAM - height,
            pct((bin.left + bin.right) / 2.0),
            top + HISTOGRAM - height - 3.0,
        );
        if !bin.members.is_empty() {
            svg.push_str("<g class=\"overview-bin-members\">");
            for member in &bin.members {
                self.write_bin(svg, member, most);
            }
            svg.push_str("</g>");
        }
        svg.push_str("</g>\n");
    }

    /// The axis line of each part, and the ticks with their years (or
    /// months).
    fn write_axis(&self, svg: &mut String) {
        svg.push_str("<g class=\"overview-axis\">\n");
        let axis_y = self.axis_y();
        for piece in self.scale.parts() {
            let _ = writeln!(
                svg,
                "<line class=\"overview-axis-line\" x1=\"{}\" x2=\"{}\" y1=\"{axis_y:.0}\" y2=\"{axis_y:.0}\"/>",
                pct(piece.left),
                pct(piece.right)
            );
        }
        svg.push_str("<g class=\"overview-ticks\">");
        for tick in self.scale.ticks(self.site.config.language) {
            let x = pct(tick.x);
            let (_, _, anchor) = tick.extent();
            let _ = write!(
                svg,
                "<line class=\"overview-tick-line\" x1=\"{x}\" x2=\"{x}\" y1=\"{axis_y:.0}\" y2=\"{:.0}\"/><text class=\"overview-tick\" x=\"{x}\" y=\"{:.0}\" text-anchor=\"{anchor}\">{}</text>",
                axis_y + 4.0,
                axis_y + 17.0,
                escape(&tick.label)
            );
        }
        svg.push_str("</g>\n</g>\n");
    }
}

/// How many events a year a period holds.
fn density(bin: &Bin) -> f64 {
    bin.count as f64 / f64::from((bin.to - bin.from).max(1))
}

/// "2025", or "2023 – 2025" for points over several years.
fn years_label(first: &str, last: &str, lang: Lang) -> String {
    if first == last {
        first.to_string()
    } else {
        lang.range(first, last)
    }
}

/// A period's name: "1995", "1990s", or its first and last years.
fn bin_label(bin: &Bin, lang: Lang) -> String {
    let year = |year: i32| scale::year_label(year, lang);
    if bin.to - bin.from == 1 {
        year(bin.from)
    } else if bin.size == 10 && bin.from >= 1 && bin.from % 10 == 0 && bin.to - bin.from == 10 {
        lang.words().decade.replace("{0}", &bin.from.to_string())
    } else {
        lang.range(&year(bin.from), &year(bin.to - 1))
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

#[cfg(test)]
mod tests {
    use super::*;
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

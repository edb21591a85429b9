//! The overview's SVG, written from a laid-out [`Drawing`]: the opening
//! tag with what the script reads, the axis breaks, the era bands, the
//! lanes, the marks and counted groups (or, for a big timeline, the bars of
//! counts per period), and the axis with its ticks.

use std::fmt::Write;

use crate::lang::Lang;
use crate::parse::markdown::ROOT_MARK;
use crate::xml::escape_xml as escape;

use super::density::Bin;
use super::layout::{Item, LabelAt, Placed, TARGET};
use super::scale::{self, label_width, round};
use super::{pct, Drawing, AXIS, COUNT_FONT, ERA_BAND, ERA_ROW, HISTOGRAM, LANE_GAP, LANE_LABEL, ROW};

impl Drawing<'_> {
    /// The whole drawing, named `label`.
    pub(super) fn svg(&self, label: &str) -> String {
        let mut svg = String::new();
        self.write_start(&mut svg, label);
        self.write_breaks(&mut svg);
        self.write_eras(&mut svg);
        if self.rows.is_empty() {
            self.write_bins(&mut svg);
        } else {
            self.write_lanes(&mut svg);
            self.write_marks(&mut svg);
        }
        self.write_axis(&mut svg);
        svg.push_str("</svg>\n");
        svg
    }

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
pub(super) fn bin_label(bin: &Bin, lang: Lang) -> String {
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

//! Where time falls across the overview.
//!
//! Positions are percentages of the drawing's width, so one drawing serves
//! a phone and a desktop: marks keep their size in pixels while the years
//! spread out. The layout is worked out at [`REF_WIDTH`], the narrowest
//! drawing it promises to fit (a 320 px phone); on a wider screen every gap
//! only grows.
//!
//! The scale is broken where the events leave a long empty stretch (one
//! event in 500 BCE before twenty modern ones): the stretch is cut out and
//! drawn as a narrow break, and each part on either side gets room by how
//! many events it holds and how long it lasts, so an outlier never squeezes
//! the rest of the story. Inside a part, each year's room blends its length
//! with its share of the events ([`DENSITY`]): a busy year is wider than a
//! quiet one, and the scale is linear between year boundaries.

use crate::date::Date;
use crate::lang::Lang;

/// The narrowest drawing the layout is made for, in CSS pixels: the plot of
/// a 320 px wide phone. Nothing overlaps at this width or any wider one.
pub const REF_WIDTH: f64 = 264.0;
/// How wide a break is at [`REF_WIDTH`], in pixels.
const BREAK_PX: f64 = 24.0;
/// The least room a piece of the axis gets at [`REF_WIDTH`], in pixels.
const MIN_PIECE_PX: f64 = 26.0;
/// A gap becomes a break when it is longer than this share of the time
/// still drawn to scale...
const BREAK_SHARE: f64 = 0.5;
/// ...and at least this many years long.
const BREAK_YEARS: f64 = 10.0;
/// How much a year's room follows its share of the events rather than its
/// length: 0 is linear time, 1 gives every event the same room.
const DENSITY: f64 = 0.4;
/// Above this many pieces, the parts are drawn to linear time: the axis
/// would take more bytes than it is worth.
const MOST_PIECES: usize = 240;

/// A piece of the axis drawn linearly: the years `from`..`to` run from
/// `left` to `right` (percentages of the width). Pieces that meet in time
/// make a part of the axis; a break lies between two parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub from: f64,
    pub to: f64,
    pub left: f64,
    pub right: f64,
}

/// The axis: pieces in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct Scale {
    pub pieces: Vec<Piece>,
}

/// A break between two pieces: where it is drawn and how many years it
/// leaves out.
#[derive(Debug, Clone, PartialEq)]
pub struct Break {
    pub left: f64,
    pub right: f64,
    pub years: f64,
}

impl Scale {
    /// The scale for events covering `periods` (start and end, in
    /// fractional years; a point has its start as its end), or `None`
    /// without any. With `warp`, busy years get more room.
    pub fn of(periods: &[(f64, f64)], warp: bool) -> Option<Scale> {
        let mut sorted: Vec<(f64, f64)> = periods.to_vec();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        // Stretches of time covered by events, each with its event count.
        let mut covered: Vec<(f64, f64, usize)> = Vec::new();
        for (start, end) in sorted {
            match covered.last_mut() {
                Some(last) if start <= last.1 => {
                    last.1 = last.1.max(end);
                    last.2 += 1;
                }
                _ => covered.push((start, end.max(start), 1)),
            }
        }
        let (first, last) = (covered.first()?.0, covered.last()?.1);
        // The longest gaps become breaks while each is long next to the
        // time still drawn to scale.
        let mut gaps: Vec<(usize, f64)> = covered
            .windows(2)
            .enumerate()
            .map(|(at, pair)| (at, pair[1].0 - pair[0].1))
            .collect();
        gaps.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut to_scale = last - first;
        let mut broken = vec![false; covered.len()];
        for (at, gap) in gaps {
            if gap < BREAK_YEARS || gap <= BREAK_SHARE * to_scale {
                break;
            }
            broken[at] = true;
            to_scale -= gap;
        }
        let mut spans: Vec<(f64, f64, usize)> = Vec::new();
        for (at, &(start, end, count)) in covered.iter().enumerate() {
            match spans.last_mut() {
                Some(span) if at > 0 && !broken[at - 1] => {
                    span.1 = end;
                    span.2 += count;
                }
                _ => spans.push((start, end, count)),
            }
        }
        let widths = piece_widths(&spans);
        let mut starts: Vec<f64> = periods.iter().map(|period| period.0).collect();
        starts.sort_by(f64::total_cmp);
        let mut left = 0.0;
        let mut parts = Vec::new();
        for (&(from, to, _), width) in spans.iter().zip(widths) {
            parts.push(Piece {
                from,
                to,
                left,
                right: left + width,
            });
            left += width + percent(BREAK_PX);
        }
        if !warp {
            return Some(Scale { pieces: parts });
        }
        let warped: Vec<Piece> = parts.iter().flat_map(|part| warped(part, &starts)).collect();
        let pieces = if warped.len() <= MOST_PIECES { warped } else { parts };
        Some(Scale { pieces })
    }

    /// Where year `at` is drawn, as a percentage of the width. A moment in
    /// a break falls inside the break; one outside the events, at the edge.
    pub fn x(&self, at: f64) -> f64 {
        let mut previous: Option<&Piece> = None;
        for piece in &self.pieces {
            if at < piece.from {
                return match previous {
                    None => piece.left,
                    Some(before) => {
                        let share = (at - before.to) / (piece.from - before.to);
                        before.right + share * (piece.left - before.right)
                    }
                };
            }
            if at <= piece.to {
                return if piece.to > piece.from {
                    piece.left + (at - piece.from) / (piece.to - piece.from) * (piece.right - piece.left)
                } else {
                    (piece.left + piece.right) / 2.0
                };
            }
            previous = Some(piece);
        }
        previous.map_or(0.0, |piece| piece.right)
    }

    /// The parts of the axis: its pieces joined where they meet in time.
    pub fn parts(&self) -> Vec<Piece> {
        let mut parts: Vec<Piece> = Vec::new();
        for piece in &self.pieces {
            match parts.last_mut() {
                Some(part) if piece.from <= part.to => {
                    part.to = piece.to;
                    part.right = piece.right;
                }
                _ => parts.push(piece.clone()),
            }
        }
        parts
    }

    /// The breaks between the parts.
    pub fn breaks(&self) -> Vec<Break> {
        self.parts()
            .windows(2)
            .map(|pair| Break {
                left: pair[0].right,
                right: pair[1].left,
                years: pair[1].from - pair[0].to,
            })
            .collect()
    }

    /// The pieces for the script: `from to left right` each, joined by
    /// commas, so that it can turn a year into a place and back.
    pub fn data(&self) -> String {
        self.pieces
            .iter()
            .map(|piece| {
                format!(
                    "{} {} {} {}",
                    round(piece.from, 3),
                    round(piece.to, 3),
                    round(piece.left, 3),
                    round(piece.right, 3)
                )
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The axis ticks: round years (or months, for a short timeline), as
    /// many as fit at [`REF_WIDTH`] without their labels touching.
    pub fn ticks(&self, lang: Lang) -> Vec<Tick> {
        let mut ticks: Vec<Tick> = Vec::new();
        let parts = self.parts();
        let single = parts.len() == 1;
        for piece in &parts {
            let candidates = if single && piece.to - piece.from < 2.0 {
                month_steps(piece, lang)
            } else {
                year_steps(piece, lang)
            };
            let placed = candidates
                .into_iter()
                .map(|marks| self.placed(marks))
                .find(|marks| fits(&ticks, marks));
            match placed {
                Some(marks) => ticks.extend(marks),
                None => {
                    // Too short for any round year: its first year alone.
                    let year = piece.from.floor();
                    let label = year_label(year as i32, lang);
                    let marks = self.placed(vec![(piece.from.max(year), label)]);
                    if fits(&ticks, &marks) {
                        ticks.extend(marks);
                    }
                }
            }
        }
        ticks
    }

    fn placed(&self, marks: Vec<(f64, String)>) -> Vec<Tick> {
        marks
            .into_iter()
            .map(|(at, label)| Tick { x: self.x(at), label })
            .collect()
    }
}

/// A tick on the axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Percentage of the width.
    pub x: f64,
    pub label: String,
}

impl Tick {
    /// Where its label starts and ends at [`REF_WIDTH`], in pixels, and
    /// how it is anchored: labels at the edges keep inside the drawing.
    pub fn extent(&self) -> (f64, f64, &'static str) {
        let width = label_width(&self.label, TICK_FONT);
        let x = px(self.x);
        if x < width / 2.0 {
            (x, x + width, "start")
        } else if x > REF_WIDTH - width / 2.0 {
            (x - width, x, "end")
        } else {
            (x - width / 2.0, x + width / 2.0, "middle")
        }
    }
}

/// The tick labels' font size, in pixels (as in the theme's CSS).
pub const TICK_FONT: f64 = 12.0;
/// The least space between two tick labels, in pixels.
const TICK_GAP: f64 = 10.0;

/// Whether `marks` can follow `placed` without any two labels touching.
fn fits(placed: &[Tick], marks: &[Tick]) -> bool {
    let mut right = placed.last().map_or(f64::NEG_INFINITY, |tick| tick.extent().1);
    for tick in marks {
        let (start, end, _) = tick.extent();
        if start < right + TICK_GAP {
            return false;
        }
        right = end;
    }
    true
}

/// The round years of `piece` at each step, finest first.
fn year_steps(piece: &Piece, lang: Lang) -> Vec<Vec<(f64, String)>> {
    const STEPS: [i32; 16] = [
        1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000,
    ];
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
    STEPS
        .iter()
        .map(|&step| {
            let mut printed_year = (printed(piece.from) / f64::from(step)).ceil() as i32 * step;
            let mut marks = Vec::new();
            while f64::from(astronomical(printed_year)) <= piece.to {
                if printed_year != 0 {
                    let year = astronomical(printed_year);
                    marks.push((f64::from(year), year_label(year, lang)));
                }
                printed_year += step;
            }
            marks
        })
        .filter(|marks| !marks.is_empty())
        .collect()
}

/// The months of `piece` every one, three or six months.
fn month_steps(piece: &Piece, lang: Lang) -> Vec<Vec<(f64, String)>> {
    [1, 3, 6, 12]
        .iter()
        .map(|&step| {
            let mut marks = Vec::new();
            let mut month = (piece.from * 12.0).ceil() as i64;
            // Start on a multiple of the step, so quarters start in January.
            while month.rem_euclid(step) != 0 {
                month += 1;
            }
            while (month as f64) / 12.0 <= piece.to {
                let year = month.div_euclid(12) as i32;
                let label = Date::parse(&format!("{year:04}-{:02}", month.rem_euclid(12) + 1))
                    .map(|date| date.format(lang))
                    .unwrap_or_default();
                marks.push((month as f64 / 12.0, label));
                month += step;
            }
            marks
        })
        .filter(|marks| !marks.is_empty())
        .collect()
}

/// A year as the axis prints it: "1990", "500 BCE", "1990年".
pub fn year_label(year: i32, lang: Lang) -> String {
    Date::from_year(i64::from(year))
        .map(|date| date.format_year(lang))
        .unwrap_or_else(|_| year.to_string())
}

/// How year labels are written, for the script: the pattern of a CE year
/// and of a BCE year, `{y}` standing for the number ("{y}|{y} BCE").
pub fn year_patterns(lang: Lang) -> String {
    let ce = year_label(1234, lang).replace("1234", "{y}");
    let bce = year_label(-1233, lang).replace("1234", "{y}");
    format!("{ce}|{bce}")
}

/// `part` in pieces a year long or less (runs of years without events
/// joined), each as wide as its length and its share of the events blend
/// ([`DENSITY`]). `starts` are every event's start, in order.
fn warped(part: &Piece, starts: &[f64]) -> Vec<Piece> {
    let length = part.to - part.from;
    let first = starts.partition_point(|&start| start < part.from);
    let last = starts.partition_point(|&start| start <= part.to);
    let events = (last - first) as f64;
    if length <= 0.0 || events == 0.0 {
        return vec![part.clone()];
    }
    // Each year (cut to the part) with its events.
    let mut years: Vec<(f64, f64, f64)> = Vec::new();
    let mut at = part.from;
    let mut next_event = first;
    while at < part.to {
        let end = (at.floor() + 1.0).min(part.to);
        let mut count = 0.0;
        while next_event < last && (starts[next_event] < end || end == part.to) {
            count += 1.0;
            next_event += 1;
        }
        match years.last_mut() {
            // A run of years without events: one piece.
            Some(run) if count == 0.0 && run.2 == 0.0 => {
                run.1 = end;
            }
            _ => years.push((at, end, count)),
        }
        at = end;
    }
    let weights: Vec<f64> = years
        .iter()
        .map(|&(from, to, count)| (1.0 - DENSITY) * (to - from) / length + DENSITY * count / events)
        .collect();
    let total: f64 = weights.iter().sum();
    let mut left = part.left;
    years
        .iter()
        .zip(weights)
        .map(|(&(from, to, _), weight)| {
            let right = left + (part.right - part.left) * weight / total;
            let piece = Piece { from, to, left, right };
            left = right;
            piece
        })
        .collect()
}

/// The room each stretch of events gets, as percentages that, with the
/// breaks between them, add up to the whole width: by the geometric mean
/// of how many events it holds and how many years it lasts, and never less
/// than [`MIN_PIECE_PX`].
fn piece_widths(spans: &[(f64, f64, usize)]) -> Vec<f64> {
    let available = 100.0 - percent(BREAK_PX) * (spans.len() - 1) as f64;
    let least = percent(MIN_PIECE_PX).min(available / spans.len() as f64);
    let weights: Vec<f64> = spans
        .iter()
        .map(|&(from, to, count)| (count as f64 * (to - from + 1.0)).sqrt())
        .collect();
    let mut fixed = vec![false; spans.len()];
    loop {
        let left = available - least * fixed.iter().filter(|&&f| f).count() as f64;
        let total: f64 = weights.iter().zip(&fixed).filter(|(_, f)| !**f).map(|(w, _)| w).sum();
        let mut changed = false;
        for (at, weight) in weights.iter().enumerate() {
            if !fixed[at] && left * weight / total < least {
                fixed[at] = true;
                changed = true;
            }
        }
        if !changed {
            return weights
                .iter()
                .zip(&fixed)
                .map(|(weight, &f)| if f { least } else { left * weight / total })
                .collect();
        }
    }
}

/// Pixels at [`REF_WIDTH`] as a percentage of the width.
pub fn percent(px: f64) -> f64 {
    px / REF_WIDTH * 100.0
}

/// A percentage of the width in pixels at [`REF_WIDTH`].
pub fn px(percent: f64) -> f64 {
    percent / 100.0 * REF_WIDTH
}

/// `value` to `places` decimals, without trailing zeros.
pub fn round(value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    if text == "-0" {
        "0".into()
    } else {
        text.into()
    }
}

/// How wide `text` is in pixels at `font` pixels, roughly: wide (CJK)
/// characters take a whole em, others six tenths. Generous, so that labels
/// placed apart by it never touch.
pub fn label_width(text: &str, font: f64) -> f64 {
    text.chars().map(|c| if is_wide(c) { 1.0 } else { 0.62 }).sum::<f64>() * font
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(scale: &Scale) -> Vec<String> {
        scale.ticks(Lang::En).into_iter().map(|tick| tick.label).collect()
    }

    #[test]
    fn one_part_fills_the_width_busy_years_wider() {
        let mut periods = vec![(1985.0, 1985.0), (2000.0, 2010.0)];
        periods.extend((0..6).map(|month| (2025.0 + f64::from(month) / 12.0, 2025.0 + f64::from(month) / 12.0)));
        let scale = Scale::of(&periods, true).unwrap();
        assert_eq!(scale.parts().len(), 1);
        assert!(scale.breaks().is_empty());
        assert_eq!(scale.x(1985.0), 0.0);
        assert!((scale.x(2025.0 + 5.0 / 12.0) - 100.0).abs() < 1e-9);
        // 2025 holds six of the eight events: wider than a quiet year, and
        // the scale still runs forward.
        let busy = scale.x(2025.4) - scale.x(2025.0);
        let quiet = scale.x(1991.0) - scale.x(1990.0);
        assert!(busy > 5.0 * quiet, "{busy} {quiet}");
        let xs: Vec<f64> = (0..=40).map(|i| scale.x(1985.0 + f64::from(i))).collect();
        assert!(xs.windows(2).all(|pair| pair[0] <= pair[1]));
        assert!(!labels(&scale).is_empty());
    }

    #[test]
    fn a_distant_outlier_is_cut_off_by_a_break() {
        let mut periods = vec![(-499.0, -499.0)];
        periods.extend((0..20).map(|i| (1985.0 + 2.0 * f64::from(i), 1985.0 + 2.0 * f64::from(i))));
        let scale = Scale::of(&periods, true).unwrap();
        assert_eq!(scale.parts().len(), 2);
        let breaks = scale.breaks();
        assert_eq!(breaks.len(), 1);
        assert!((breaks[0].years - 2484.0).abs() < 1e-9);
        // The modern events keep most of the width.
        let modern = scale.x(2023.0) - scale.x(1985.0);
        assert!(modern > 75.0, "{modern}");
        assert_eq!(labels(&scale)[0], "500 BCE");
    }

    #[test]
    fn gaps_short_next_to_the_story_stay_to_scale() {
        let scale = Scale::of(&[(1985.0, 1986.0), (2003.0, 2026.0)], true).unwrap();
        assert_eq!(scale.parts().len(), 1);
    }

    #[test]
    fn a_sparse_distant_past_gets_little_room() {
        let mut periods: Vec<(f64, f64)> = (0..10).map(|i| (-499.0 + 50.0 * f64::from(i), 0.0)).collect();
        for period in &mut periods {
            period.1 = period.0;
        }
        periods.extend((0..1990).map(|i| (1900.0 + f64::from(i % 126), 1900.0 + f64::from(i % 126))));
        let scale = Scale::of(&periods, true).unwrap();
        let parts = scale.parts();
        assert_eq!(parts.len(), 2);
        let past = parts[0].right - parts[0].left;
        assert!(past < 20.0, "{past}");
    }

    #[test]
    fn ticks_never_touch_at_the_reference_width() {
        for periods in [
            vec![(1984.6, 2026.2)],
            vec![(-520.0, 40.0)],
            vec![(2013.0, 2013.5)],
            vec![(1.0, 9999.0)],
        ] {
            let scale = Scale::of(&periods, true).unwrap();
            let ticks = scale.ticks(Lang::Zh);
            assert!(!ticks.is_empty());
            for pair in ticks.windows(2) {
                assert!(pair[0].extent().1 + TICK_GAP <= pair[1].extent().0 + 1e-9, "{pair:?}");
            }
        }
        let months = Scale::of(&[(2013.0, 2013.5)], true).unwrap().ticks(Lang::En);
        assert_eq!(months[0].label, "January 2013");
    }

    #[test]
    fn year_patterns_stand_for_any_year() {
        assert_eq!(year_patterns(Lang::En), "{y}|{y} BCE");
        assert_eq!(year_patterns(Lang::Zh), "{y}年|公元前{y}年");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(round(12.5, 3), "12.5");
        assert_eq!(round(100.0, 3), "100");
        assert_eq!(round(-0.0001, 3), "0");
    }
}

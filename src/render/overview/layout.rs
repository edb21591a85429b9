//! Where each mark of the overview goes, so that no two overlap.
//!
//! Every mark is a target of at least [`TARGET`] pixels square. In its
//! track's lane, points closer than that at [`REF_WIDTH`] are drawn as one
//! counted group ("3"), which the theme's script opens again where the
//! drawing is wider or zoomed in; spans, groups and points are then stacked
//! into rows, each in the first row where it touches nothing. Era bands are
//! stacked the same way, their labels counted in, so labels never collide.
//!
//! Everything is decided at [`REF_WIDTH`]: positions are percentages and
//! sizes pixels, so on a wider drawing every gap grows and nothing that was
//! apart comes together.
//!
//! [`REF_WIDTH`]: super::scale::REF_WIDTH

use super::scale::{px, REF_WIDTH};

/// The least size of a mark, in CSS pixels (WCAG 2.2, 2.5.8).
pub const TARGET: f64 = 24.0;
/// The least space between two marks of a row, in pixels.
const GAP: f64 = 2.0;
/// The least space after an era's label, in pixels.
const ERA_GAP: f64 = 6.0;

/// An event as the layout sees it: its lane, and where it starts and (for
/// a span) ends, as percentages of the width.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    pub lane: usize,
    pub from: f64,
    pub to: Option<f64>,
}

/// What is drawn in a row: one event, or a group of points.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A point or a span (the event's index).
    One(usize),
    /// Points too close to tell apart (their indexes, in time order).
    Group(Vec<usize>),
}

/// An item placed in its lane's row.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub lane: usize,
    pub row: usize,
    pub item: Item,
}

/// The marks in rows: each item with its lane and row, and how many rows
/// each of `lanes` lanes takes (at least one).
pub fn place(marks: &[Mark], lanes: usize) -> (Vec<Placed>, Vec<usize>) {
    let mut placed = Vec::new();
    let mut rows = vec![1; lanes];
    for (lane, lane_rows) in rows.iter_mut().enumerate() {
        // (left edge, right edge, is a point, item), in pixels at REF_WIDTH.
        let mut items: Vec<(f64, f64, bool, Item)> = Vec::new();
        let mut points: Vec<usize> = (0..marks.len())
            .filter(|&i| marks[i].lane == lane && marks[i].to.is_none())
            .collect();
        points.sort_by(|&a, &b| marks[a].from.total_cmp(&marks[b].from).then(a.cmp(&b)));
        let mut chain: Vec<usize> = Vec::new();
        for index in points {
            if let Some(&last) = chain.last() {
                if px(marks[index].from) - px(marks[last].from) >= TARGET {
                    items.push(point_item(marks, std::mem::take(&mut chain)));
                }
            }
            chain.push(index);
        }
        if !chain.is_empty() {
            items.push(point_item(marks, chain));
        }
        for (index, mark) in marks.iter().enumerate() {
            if let (true, Some(to)) = (mark.lane == lane, mark.to) {
                let half = TARGET / 2.0;
                items.push((px(mark.from) - half, px(to) + half, false, Item::One(index)));
            }
        }
        items.sort_by(|a, b| {
            a.0.total_cmp(&b.0)
                .then(a.2.cmp(&b.2))
                .then(first(&a.3).cmp(&first(&b.3)))
        });
        let mut ends: Vec<f64> = Vec::new();
        for (left, right, _, item) in items {
            let row = match ends.iter().position(|&end| end + GAP <= left) {
                Some(row) => row,
                None => {
                    ends.push(f64::NEG_INFINITY);
                    ends.len() - 1
                }
            };
            ends[row] = right;
            placed.push(Placed { lane, row, item });
        }
        *lane_rows = ends.len().max(1);
    }
    (placed, rows)
}

/// The item a chain of close points makes, with its extent.
fn point_item(marks: &[Mark], chain: Vec<usize>) -> (f64, f64, bool, Item) {
    let half = TARGET / 2.0;
    let left = px(marks[chain[0]].from) - half;
    let right = px(marks[chain[chain.len() - 1]].from) + half;
    let item = if chain.len() == 1 {
        Item::One(chain[0])
    } else {
        Item::Group(chain)
    };
    (left, right, true, item)
}

fn first(item: &Item) -> usize {
    match item {
        Item::One(index) => *index,
        Item::Group(indexes) => indexes[0],
    }
}

/// An era band as the layout sees it: where it starts and ends
/// (percentages) and how wide its label is (pixels).
#[derive(Debug, Clone, Copy)]
pub struct Band {
    pub left: f64,
    pub right: f64,
    pub label: f64,
}

/// Where an era's label goes: at the start of its band, or, when it would
/// run out of the drawing there, ending at the band's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelAt {
    Start,
    End,
}

/// Each band's row and label place, and how many rows they take: a band
/// goes in the first row where neither it nor its label touches another.
pub fn era_rows(bands: &[Band]) -> (Vec<(usize, LabelAt)>, usize) {
    let mut ends: Vec<f64> = Vec::new();
    let mut rows = Vec::new();
    for band in bands {
        let (left, right) = (px(band.left), px(band.right));
        let (at, start, end) = if left + band.label + ERA_GAP <= REF_WIDTH {
            (LabelAt::Start, left, right.max(left + band.label + ERA_GAP))
        } else {
            (LabelAt::End, left.min(right - band.label - ERA_GAP), right)
        };
        let row = match ends.iter().position(|&free| free <= start) {
            Some(row) => row,
            None => {
                ends.push(f64::NEG_INFINITY);
                ends.len() - 1
            }
        };
        ends[row] = end;
        rows.push((row, at));
    }
    (rows, ends.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::overview::scale::percent;

    fn point(lane: usize, at_px: f64) -> Mark {
        Mark {
            lane,
            from: percent(at_px),
            to: None,
        }
    }

    #[test]
    fn points_closer_than_a_target_become_one_group() {
        let marks = [
            point(0, 10.0),
            point(0, 20.0),
            point(0, 40.0),
            point(0, 100.0),
            point(1, 21.0),
        ];
        let (placed, rows) = place(&marks, 2);
        assert_eq!(rows, [1, 1]);
        let items: Vec<&Item> = placed.iter().map(|p| &p.item).collect();
        assert_eq!(items, [&Item::Group(vec![0, 1, 2]), &Item::One(3), &Item::One(4)]);
    }

    #[test]
    fn overlapping_spans_and_points_are_stacked() {
        let marks = [
            Mark {
                lane: 0,
                from: percent(10.0),
                to: Some(percent(200.0)),
            },
            Mark {
                lane: 0,
                from: percent(100.0),
                to: Some(percent(150.0)),
            },
            point(0, 150.0),
            point(0, 250.0),
        ];
        let (placed, rows) = place(&marks, 1);
        assert_eq!(rows, [3]);
        let row_of = |index: usize| placed.iter().find(|p| p.item == Item::One(index)).unwrap().row;
        assert_eq!((row_of(0), row_of(1), row_of(2), row_of(3)), (0, 1, 2, 0));
    }

    #[test]
    fn era_labels_take_room_in_their_row() {
        let bands = [
            Band {
                left: 0.0,
                right: percent(20.0),
                label: 60.0,
            },
            Band {
                left: percent(40.0),
                right: percent(100.0),
                label: 30.0,
            },
            Band {
                left: percent(250.0),
                right: 100.0,
                label: 80.0,
            },
        ];
        let (rows, count) = era_rows(&bands);
        assert_eq!(rows, [(0, LabelAt::Start), (1, LabelAt::Start), (0, LabelAt::End)]);
        assert_eq!(count, 2);
    }
}

//! The overview of a very large timeline: how many events each period
//! holds, not one mark per event.
//!
//! Events are counted in bins of 1, 5, 10, 20, 100, 200, 1,000, 2,000
//! or 10,000 years (each size divides the next, so a bin holds whole finer
//! ones). At [`REF_WIDTH`] each piece of the axis uses the finest bins
//! that are all at least a target wide; each bin holds the bins one size
//! finer, which the theme's script shows instead once they are wide enough
//! (on a wider screen, or zoomed in). Levels with too many bins are left
//! out, which keeps the drawing small.
//!
//! [`REF_WIDTH`]: super::scale::REF_WIDTH

use super::layout::TARGET;
use super::scale::{px, Scale};

/// Bin sizes in years, finest first; each divides the next.
const SIZES: [i32; 9] = [1, 5, 10, 20, 100, 200, 1000, 2000, 10000];
/// The most bins a finer level may add to the drawing.
const MOST_BINS: usize = 400;
/// A finer level is drawn only if its bins are at least this wide at
/// [`REF_WIDTH`]: wide enough to open on a desktop zoomed in twice.
///
/// [`REF_WIDTH`]: super::scale::REF_WIDTH
const LEAST_FINER_PX: f64 = TARGET / 9.0;

/// A period and the events in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Bin {
    /// Its first year (astronomical).
    pub from: i32,
    /// The year after its last.
    pub to: i32,
    /// Bin size in years (0 for a bin across a whole piece of the axis).
    pub size: i32,
    /// Where it is drawn: percentages of the width.
    pub left: f64,
    pub right: f64,
    /// How many events it holds, and the first of them (by index).
    pub count: usize,
    pub first: usize,
    /// The same period in bins one size finer, if the drawing has room.
    pub members: Vec<Bin>,
}

/// The bins of events starting at `times` (fractional years, in timeline
/// order, one per event), with their finer bins inside.
pub fn bins(times: &[f64], scale: &Scale) -> Vec<Bin> {
    let mut bins = Vec::new();
    let parts = scale.parts();
    for (at, piece) in parts.iter().enumerate() {
        let last = at + 1 == parts.len();
        let events: Vec<usize> = (0..times.len())
            .filter(|&i| times[i] >= piece.from && (times[i] <= piece.to || last && times[i] > piece.to))
            .collect();
        if events.is_empty() {
            continue;
        }
        let counts: Vec<Vec<Bin>> = SIZES
            .iter()
            .map(|&size| level(times, &events, scale, piece, size))
            .collect();
        // The piece may cut its first and last bins short: too narrow, they
        // join their neighbours.
        let joined: Vec<Vec<Bin>> = counts.iter().cloned().map(join_narrow_ends).collect();
        let wide = |bins: &Vec<Bin>| bins.iter().all(|bin| px(bin.right - bin.left) >= TARGET);
        let (chosen, mut top) = match (0..joined.len()).find(|&level| wide(&joined[level])) {
            Some(level) => (level, joined[level].clone()),
            None => {
                // Too short for any bin to be a target: one bin across the piece.
                let coarsest = counts.len() - 1;
                let whole = Bin {
                    from: piece.from.floor() as i32,
                    to: piece.to.floor() as i32 + 1,
                    size: 0,
                    left: piece.left,
                    right: piece.right,
                    count: events.len(),
                    first: events[0],
                    members: Vec::new(),
                };
                (coarsest + 1, vec![whole])
            }
        };
        // Each finer level that does not add too many bins.
        let mut finer = chosen;
        let mut parents: Vec<&mut Bin> = top.iter_mut().collect();
        while finer > 0 && counts[finer - 1].len() <= MOST_BINS && typical_px(&counts[finer - 1]) >= LEAST_FINER_PX {
            finer -= 1;
            let mut next: Vec<&mut Bin> = Vec::new();
            for parent in parents {
                parent.members = counts[finer]
                    .iter()
                    .filter(|bin| bin.from < parent.to && bin.to > parent.from)
                    .cloned()
                    .collect();
                next.extend(parent.members.iter_mut());
            }
            parents = next;
        }
        bins.extend(top);
    }
    bins
}

/// `bins` with a first or last bin narrower than a target joined to its
/// neighbour.
fn join_narrow_ends(mut bins: Vec<Bin>) -> Vec<Bin> {
    let narrow = |bin: &Bin| px(bin.right - bin.left) < TARGET;
    if bins.len() > 1 && narrow(&bins[bins.len() - 1]) {
        let last = bins.pop().expect("more than one bin");
        let before = bins.last_mut().expect("more than one bin");
        before.to = last.to;
        before.right = last.right;
        before.count += last.count;
    }
    if bins.len() > 1 && narrow(&bins[0]) {
        let first = bins.remove(0);
        let after = &mut bins[0];
        after.from = first.from;
        after.left = first.left;
        after.count += first.count;
        after.first = first.first;
    }
    bins
}

/// How wide the bins are at [`REF_WIDTH`], in the middle of the range.
///
/// [`REF_WIDTH`]: super::scale::REF_WIDTH
fn typical_px(bins: &[Bin]) -> f64 {
    let mut widths: Vec<f64> = bins.iter().map(|bin| px(bin.right - bin.left)).collect();
    widths.sort_by(f64::total_cmp);
    widths.get(widths.len() / 2).copied().unwrap_or(0.0)
}

/// The non-empty bins of `size` years of the `events` in `piece`.
fn level(times: &[f64], events: &[usize], scale: &Scale, piece: &super::scale::Piece, size: i32) -> Vec<Bin> {
    let mut bins: Vec<Bin> = Vec::new();
    for &index in events {
        let year = times[index].floor() as i32;
        let from = year.div_euclid(size) * size;
        match bins.last_mut() {
            Some(bin) if bin.from.div_euclid(size) * size == from => bin.count += 1,
            _ => {
                let start = f64::from(from).max(piece.from);
                let end = f64::from(from + size).min(piece.to).max(start);
                // Named by the years of the piece it covers.
                bins.push(Bin {
                    from: from.max(piece.from.floor() as i32),
                    to: (from + size).min(piece.to.floor() as i32 + 1),
                    size,
                    left: scale.x(start),
                    right: scale.x(end),
                    count: 1,
                    first: index,
                    members: Vec::new(),
                });
            }
        }
    }
    bins
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_century_of_events_is_counted_in_bins_a_target_wide_with_finer_ones_inside() {
        let times: Vec<f64> = (0..2000).map(|i| 1900.0 + f64::from(i % 126) + 0.5).collect();
        let mut sorted = times.clone();
        sorted.sort_by(f64::total_cmp);
        let periods: Vec<(f64, f64)> = sorted.iter().map(|&t| (t, t)).collect();
        let scale = Scale::of(&periods, false).unwrap();
        let bins = bins(&sorted, &scale);
        assert!(bins.len() <= 11, "{} bins", bins.len());
        assert!(bins.iter().all(|bin| px(bin.right - bin.left) >= TARGET - 1e-9));
        assert_eq!(bins.iter().map(|bin| bin.count).sum::<usize>(), 2000);
        // Twenty years a bar at the narrowest width; decades, then five
        // years, inside; single years would be under 3 px each, too many
        // bytes for what they show.
        assert!(bins.iter().all(|bin| bin.size == 20), "{bins:?}");
        let decades: Vec<&Bin> = bins.iter().flat_map(|bin| &bin.members).collect();
        assert_eq!(decades.len(), 13);
        let halves: Vec<&Bin> = decades.iter().flat_map(|bin| &bin.members).collect();
        assert_eq!(halves.len(), 26);
        assert!(halves.iter().all(|bin| bin.size == 5 && bin.members.is_empty()));
    }

    #[test]
    fn one_day_of_events_is_one_bin() {
        let times = [2020.5, 2020.5, 2020.5];
        let scale = Scale::of(&[(2020.5, 2020.5)], false).unwrap();
        let bins = bins(&times, &scale);
        assert_eq!(bins.len(), 1);
        assert_eq!(bins[0].count, 3);
        assert!(px(bins[0].right - bins[0].left) >= TARGET);
    }
}

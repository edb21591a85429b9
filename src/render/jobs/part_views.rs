//! The parts of a split timeline or list as templates see them: every
//! part, and the part a page shows with links to its neighbours.

use serde::Serialize;

use crate::render::timeline::Part;

#[derive(Serialize)]
pub(super) struct PartView {
    label: String,
    url: String,
    count: usize,
    current: bool,
}

#[derive(Serialize)]
struct PartLink {
    label: String,
    url: String,
}

#[derive(Serialize)]
pub(super) struct CurrentPart {
    label: String,
    prev: Option<PartLink>,
    next: Option<PartLink>,
}

/// The parts of a split timeline or list as templates see them, `current`
/// marked.
pub(super) fn part_views(parts: &[Part], current: Option<usize>) -> Vec<PartView> {
    parts
        .iter()
        .enumerate()
        .map(|(at, part)| PartView {
            label: part.label.clone(),
            url: part.url.clone(),
            count: part.count,
            current: Some(at) == current,
        })
        .collect()
}

/// Part `at` of `parts`, with links to the parts before and after it.
pub(super) fn current_part(parts: &[Part], at: usize) -> CurrentPart {
    let link = |other: Option<&Part>| {
        other.map(|part| PartLink {
            label: part.label.clone(),
            url: part.url.clone(),
        })
    };
    CurrentPart {
        label: parts[at].label.clone(),
        prev: link(at.checked_sub(1).and_then(|i| parts.get(i))),
        next: link(parts.get(at + 1)),
    }
}

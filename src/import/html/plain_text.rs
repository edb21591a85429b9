//! The words of HTML without its markup.

use super::is_dropped;
use super::tree::{is_block_name, is_html_space, Node};

/// The text of `nodes`; with `spaced`, blocks and line breaks count as spaces
/// and scripts are skipped.
pub(super) fn collect_text(nodes: &[Node], out: &mut String, spaced: bool) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Element(element) if spaced && is_dropped(&element.name) => {}
            Node::Element(element) => {
                let space = spaced && (element.name == "br" || is_block_name(&element.name));
                if space {
                    out.push(' ');
                }
                collect_text(&element.children, out, spaced);
                if space {
                    out.push(' ');
                }
            }
        }
    }
}

/// The words of `text` with one space between each two.
pub(super) fn collapse_spaces(text: &str) -> String {
    text.split(is_html_space)
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

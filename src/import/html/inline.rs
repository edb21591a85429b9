//! The [`Converter`] within a paragraph: text, emphasis, code spans, line
//! breaks, links, images, TimelineJS notes and players as links; any other
//! element kept as raw HTML on one line.

use super::escape::{destination, escape_text, longest_run, push_title, BREAK};
use super::plain_text::collect_text;
use super::players::{host, player_page};
use super::tree::{is_html_space, Element, Node};
use super::{is_dropped, Converter};

/// Block elements whose content converts: inside inline content (a `<p>`
/// within a link, say) their words join the flow.
const CONVERTIBLE_BLOCKS: [&str; 11] = ["p", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"];

impl Converter {
    /// Adds the Markdown of `node` to the paragraph `out`.
    pub(super) fn inline(&mut self, node: &Node, out: &mut String) {
        let element = match node {
            Node::Text(text) => {
                let escaped = escape_text(text, out.chars().last());
                out.push_str(&escaped);
                return;
            }
            Node::Element(element) => element,
        };
        match element.name.as_str() {
            "em" | "i" => self.delimited(element, "*", "_", out),
            "strong" | "b" => self.delimited(element, "**", "__", out),
            "del" | "s" | "strike" => self.delimited(element, "~~", "~~", out),
            "code" => code_span(element, out),
            "br" => out.push(BREAK),
            "a" => self.link(element, out),
            "img" => image(element, out),
            "span" if element.attrs.is_empty() => self.inline_children(element, out),
            // TimelineJS shows its notes in italics.
            "span" if element.has_class("tl-note") => self.delimited(element, "*", "_", out),
            // A player cannot be shown from Markdown: link to its page.
            "iframe" => player_link(element, out),
            name if is_dropped(name) => {
                self.dropped.insert(name.to_string());
            }
            // A block inside inline content: keep its words in the flow.
            name if CONVERTIBLE_BLOCKS.contains(&name) || (name == "div" && element.attrs.is_empty()) => {
                self.inline_children(element, out)
            }
            _ => self.raw_inline(element, out),
        }
    }

    /// The Markdown of `nodes` as a paragraph of their own, whitespace not
    /// yet settled.
    pub(super) fn inline_text(&mut self, nodes: &[Node]) -> String {
        let mut text = String::new();
        for node in nodes {
            self.inline(node, &mut text);
        }
        text
    }

    fn inline_children(&mut self, element: &Element, out: &mut String) {
        for child in &element.children {
            self.inline(child, out);
        }
    }

    /// A link with an address; its words alone without one.
    fn link(&mut self, element: &Element, out: &mut String) {
        let text = self.inline_text(&element.children);
        match element.attr("href") {
            Some(href) => {
                out.push('[');
                out.push_str(&text);
                out.push_str("](");
                out.push_str(&destination(href));
                push_title(out, element.attr("title"));
                out.push(')');
            }
            None => out.push_str(&text),
        }
    }

    fn raw_inline(&mut self, element: &Element, out: &mut String) {
        self.raw.insert(element.name.clone());
        // On one line, so that nothing in it is read as the start of a block.
        out.push_str(&element.html().split(['\n', '\r']).collect::<Vec<_>>().join(" "));
    }

    /// Emphasis and the like: spaces go outside the markers, or Markdown
    /// would not read them as markers; the second spelling is used where
    /// the first would touch the same character.
    fn delimited(&mut self, element: &Element, marker: &str, other: &str, out: &mut String) {
        let inner = self.inline_text(&element.children);
        let core = inner.trim_matches(|c| is_html_space(c) || c == BREAK);
        if core.is_empty() {
            out.push_str(&inner);
            return;
        }
        let lead = &inner[..inner.len() - inner.trim_start_matches(|c| is_html_space(c) || c == BREAK).len()];
        let trail = &inner[inner.trim_end_matches(|c| is_html_space(c) || c == BREAK).len()..];
        let first = marker.chars().next().unwrap_or('*');
        let clash = core.starts_with(first) || core.ends_with(first) || (lead.is_empty() && out.ends_with(first));
        let marker = if clash { other } else { marker };
        out.push_str(lead);
        out.push_str(marker);
        out.push_str(core);
        out.push_str(marker);
        out.push_str(trail);
    }
}

/// A code span, its fence longer than any run of backticks inside.
fn code_span(element: &Element, out: &mut String) {
    let mut text = String::new();
    collect_text(&element.children, &mut text, false);
    // Markdown reads a line break in a code span as a space.
    let text = text.replace(['\n', '\r'], " ");
    if text.is_empty() {
        return;
    }
    let fence = "`".repeat(longest_run(&text, '`') + 1);
    let pad = text.starts_with('`')
        || text.ends_with('`')
        || (text.starts_with(' ') && text.ends_with(' ') && !text.chars().all(|c| c == ' '));
    let pad = if pad { " " } else { "" };
    out.push_str(&format!("{fence}{pad}{text}{pad}{fence}"));
}

/// An image with an address; nothing without one.
fn image(element: &Element, out: &mut String) {
    let Some(src) = element.attr("src") else { return };
    out.push_str("![");
    out.push_str(&escape_text(element.attr("alt").unwrap_or_default(), None));
    out.push_str("](");
    out.push_str(&destination(src));
    push_title(out, element.attr("title"));
    out.push(')');
}

/// An `<iframe>` as a link to the page it shows, named by its title or
/// its host.
fn player_link(element: &Element, out: &mut String) {
    let Some(src) = element.attr("src").map(str::trim).filter(|src| !src.is_empty()) else {
        return;
    };
    let label = element
        .attr("title")
        .map(str::trim)
        .filter(|title| !title.is_empty())
        .map_or_else(|| format!("Embedded content from {}", host(src)), String::from);
    out.push('[');
    out.push_str(&escape_text(&label, None));
    out.push_str("](");
    out.push_str(&destination(&player_page(src)));
    out.push(')');
}

//! Embed code where a media address is expected (TimelineJS accepts an
//! `<iframe>` or a quoted post there), and the links of an HTML fragment.

use super::blocks::join;
use super::plain_text::{collapse_spaces, collect_text};
use super::tree::{parse, Element, Node};
use super::{to_plain_text, Converter};

/// The links of an HTML fragment, in order: (words, address).
pub fn links(html: &str) -> Vec<(String, String)> {
    fn walk(nodes: &[Node], out: &mut Vec<(String, String)>) {
        for node in nodes {
            if let Node::Element(element) = node {
                match element.attr("href").map(str::trim).filter(|href| !href.is_empty()) {
                    Some(href) if element.name == "a" => {
                        let mut text = String::new();
                        collect_text(&element.children, &mut text, true);
                        out.push((collapse_spaces(&text), href.to_string()));
                    }
                    _ => walk(&element.children, out),
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(&parse(html).children, &mut out);
    out
}

/// What an HTML media field (TimelineJS accepts embed code there) holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Embed {
    /// An `<iframe>`: the address it shows, and its title.
    Frame { src: String, title: Option<String> },
    /// A `<blockquote>` (a quoted post or any quote): its words as
    /// Markdown, and the address of the post when it links to one.
    Quote { markdown: String, link: Option<String> },
    /// Neither; the words it has.
    Other { text: String },
}

/// Reads embed code given where a media address is expected.
pub fn embed(html: &str) -> Embed {
    let root = parse(html);
    let first = find(&root.children, &|element| {
        matches!(element.name.as_str(), "iframe" | "blockquote")
    });
    match first {
        Some(frame) if frame.name == "iframe" => match frame.attr("src").map(str::trim).filter(|s| !s.is_empty()) {
            Some(src) => Embed::Frame {
                src: src.to_string(),
                title: frame
                    .attr("title")
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(String::from),
            },
            None => Embed::Other { text: String::new() },
        },
        Some(quote) => {
            // A tweet ends with a link to itself (its date); other quotes
            // may cite their source in `cite`.
            let link = links(&quote.html())
                .into_iter()
                .map(|(_, href)| href)
                .rfind(|href| href.contains("/status/") || href.contains("/statuses/"))
                .or_else(|| quote.attr("cite").map(String::from));
            let mut converter = Converter::default();
            let mut out = Vec::new();
            converter.block(quote, &mut out);
            Embed::Quote {
                markdown: join(&out, "\n\n"),
                link,
            }
        }
        None => Embed::Other {
            text: to_plain_text(html),
        },
    }
}

/// The first element in `nodes` or under them, in document order, that is `wanted`.
fn find<'a>(nodes: &'a [Node], wanted: &dyn Fn(&Element) -> bool) -> Option<&'a Element> {
    nodes.iter().find_map(|node| match node {
        Node::Element(element) if wanted(element) => Some(element),
        Node::Element(element) => find(&element.children, wanted),
        Node::Text(_) => None,
    })
}

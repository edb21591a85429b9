//! HTML read by html5ever, as browsers read it, into
//! the small owned tree the converter walks: character references decoded
//! as a browser decodes them (`&#150;` is an en dash), unclosed elements
//! closed where HTML closes them, comments dropped. An element keeps its
//! serialised HTML, so that one that cannot be converted can be kept.

use html5ever::serialize::{serialize, SerializeOpts, TraversalScope};
use html5ever::tendril::TendrilSink;
use html5ever::{local_name, ns, parse_fragment, ParseOpts, QualName};
use markup5ever_rcdom::{Handle, NodeData, RcDom, SerializableHandle};

/// Whitespace as HTML counts it (not U+00A0, which is a visible space).
pub(super) fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// Block-level elements: at block level they stand on their own instead of
/// joining a paragraph. (Embeds such as `<iframe>` and `<video>` are inline
/// in HTML, and stay so here.)
const BLOCKS: [&str; 36] = [
    "p",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "hr",
    "div",
    "table",
    "figure",
    "figcaption",
    "section",
    "article",
    "aside",
    "header",
    "footer",
    "nav",
    "form",
    "dl",
    "dt",
    "dd",
    "details",
    "summary",
    "address",
    "fieldset",
    "main",
    "center",
    "menu",
    "hgroup",
    "dialog",
];

pub(super) fn is_block_name(name: &str) -> bool {
    BLOCKS.contains(&name) || matches!(name, "html" | "body" | "head")
}

pub(super) struct Element {
    pub(super) name: String,
    pub(super) attrs: Vec<(String, String)>,
    pub(super) children: Vec<Node>,
    /// The parsed element, to write it out again if it is kept raw.
    handle: Option<Handle>,
    /// For the root: the parsed document, kept alive while the tree is
    /// (dropping it empties every element under it).
    _document: Option<Handle>,
}

impl Element {
    /// The element as HTML (serialised as a browser's `outerHTML`), for
    /// keeping it raw. Made only when asked for: most elements convert.
    pub(super) fn html(&self) -> String {
        let Some(node) = &self.handle else {
            return String::new();
        };
        let mut bytes = Vec::new();
        let options = SerializeOpts {
            traversal_scope: TraversalScope::IncludeNode,
            ..SerializeOpts::default()
        };
        // Writing to memory cannot fail.
        let _ = serialize(&mut bytes, &SerializableHandle::from(node.clone()), options);
        String::from_utf8_lossy(&bytes).into_owned()
    }

    pub(super) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Whether its `class` attribute lists `class`.
    pub(super) fn has_class(&self, class: &str) -> bool {
        self.attr("class")
            .is_some_and(|classes| classes.split_ascii_whitespace().any(|c| c == class))
    }
}

pub(super) enum Node {
    /// Text with character references decoded.
    Text(String),
    Element(Element),
}

/// Reads an HTML fragment (as the content of a `<body>`) into a root
/// element named `html` holding its nodes.
pub(super) fn parse(html: &str) -> Element {
    if nesting_estimate(html) > MAX_PARSE_NESTING {
        // No timeline's text nests this deep; the tree builder's time grows
        // with the square of the depth, so such input is taken as text.
        return Element {
            name: "html".to_string(),
            attrs: Vec::new(),
            children: vec![Node::Text(html.to_string())],
            handle: None,
            _document: None,
        };
    }
    let context = QualName::new(None, ns!(html), local_name!("body"));
    let dom = parse_fragment(RcDom::default(), ParseOpts::default(), context, Vec::new(), false).one(html);
    // The fragment's nodes are the children of the `<html>` element the
    // parser puts at the top of the document.
    let top = dom.document.children.borrow().first().cloned();
    let children = top.map_or_else(Vec::new, |top| {
        top.children
            .borrow()
            .iter()
            .filter_map(|node| convert(node, 0))
            .collect()
    });
    Element {
        name: "html".to_string(),
        attrs: Vec::new(),
        children,
        handle: None,
        _document: Some(dom.document),
    }
}

/// Input whose tags may nest deeper than this is not parsed as HTML.
const MAX_PARSE_NESTING: usize = 2_000;

/// An upper bound on how deep the tags of `html` nest: start tags count
/// one deeper, end tags one shallower (void elements overcount, which
/// errs on the safe side). Linear, unlike the tree builder.
fn nesting_estimate(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    for (at, byte) in bytes.iter().enumerate() {
        if *byte != b'<' {
            continue;
        }
        match bytes.get(at + 1) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(next) if next.is_ascii_alphabetic() => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            _ => {}
        }
    }
    deepest
}

/// Elements nested deeper than this keep only their words, so that hostile
/// input cannot exhaust the stack of the converter, which recurses.
const MAX_DEPTH: usize = 200;

fn convert(node: &Handle, depth: usize) -> Option<Node> {
    if depth > MAX_DEPTH {
        return Some(Node::Text(words(node)));
    }
    match &node.data {
        NodeData::Text { contents } => Some(Node::Text(contents.borrow().to_string())),
        NodeData::Element { name, attrs, .. } => Some(Node::Element(Element {
            name: name.local.to_string(),
            attrs: attrs
                .borrow()
                .iter()
                .map(|attr| (attr.name.local.to_string(), attr.value.to_string()))
                .collect(),
            children: node
                .children
                .borrow()
                .iter()
                .filter_map(|child| convert(child, depth + 1))
                .collect(),
            handle: Some(node.clone()),
            _document: None,
        })),
        _ => None,
    }
}

/// The text under `node`, in order, walked without recursion.
fn words(node: &Handle) -> String {
    let mut text = String::new();
    let mut stack = vec![node.clone()];
    while let Some(next) = stack.pop() {
        if let NodeData::Text { contents } = &next.data {
            text.push_str(&contents.borrow());
        }
        stack.extend(next.children.borrow().iter().rev().cloned());
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_keeps_its_words_without_recursing_forever() {
        let html = format!("{}deep{}", "<div>".repeat(1_500), "</div>".repeat(1_500));
        let root = parse(&html);
        let mut depth = 0;
        let mut node = root.children.first();
        while let Some(Node::Element(element)) = node {
            depth += 1;
            node = element.children.first();
        }
        assert!(depth <= MAX_DEPTH + 1, "{depth}");
        assert!(matches!(node, Some(Node::Text(text)) if text == "deep"));
        // Deeper still is not parsed at all, but kept as text.
        let html = "<b>".repeat(100_000);
        assert!(matches!(parse(&html).children.as_slice(), [Node::Text(text)] if *text == html));
    }

    #[test]
    fn kept_elements_are_written_out_whole() {
        let root = parse("<table class=\"x\"><tr><td>1 &amp; 2</td></tr></table>");
        let Some(Node::Element(table)) = root.children.first() else {
            panic!("no table")
        };
        assert_eq!(
            table.html(),
            "<table class=\"x\"><tbody><tr><td>1 &amp; 2</td></tr></tbody></table>"
        );
    }
}

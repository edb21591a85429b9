//! HTML read by html5ever (through `scraper`), as browsers read it, into
//! the small owned tree the converter walks: character references decoded
//! as a browser decodes them (`&#150;` is an en dash), unclosed elements
//! closed where HTML closes them, comments dropped. An element keeps its
//! serialised HTML, so that one that cannot be converted can be kept.

use ego_tree::NodeRef;
use scraper::{ElementRef, Html};

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

#[derive(Debug)]
pub(super) struct Element {
    pub(super) name: String,
    pub(super) attrs: Vec<(String, String)>,
    pub(super) children: Vec<Node>,
    /// The element as HTML, for keeping it raw.
    pub(super) html: String,
}

impl Element {
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

#[derive(Debug)]
pub(super) enum Node {
    /// Text with character references decoded.
    Text(String),
    Element(Element),
}

/// Reads an HTML fragment (as the content of a `<body>`) into a root
/// element named `html` holding its nodes.
pub(super) fn parse(html: &str) -> Element {
    let document = Html::parse_fragment(html);
    let root = document.root_element();
    Element {
        name: "html".to_string(),
        attrs: Vec::new(),
        children: root.children().filter_map(convert).collect(),
        html: String::new(),
    }
}

fn convert(node: NodeRef<'_, scraper::Node>) -> Option<Node> {
    match node.value() {
        scraper::Node::Text(text) => Some(Node::Text(text.to_string())),
        scraper::Node::Element(element) => {
            let reference = ElementRef::wrap(node)?;
            Some(Node::Element(Element {
                name: element.name().to_string(),
                attrs: element
                    .attrs()
                    .map(|(name, value)| (name.to_string(), value.to_string()))
                    .collect(),
                children: node.children().filter_map(convert).collect(),
                html: reference.html(),
            }))
        }
        _ => None,
    }
}

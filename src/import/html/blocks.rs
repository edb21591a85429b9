//! The [`Converter`] at block level: paragraphs, lists, quotes, headings,
//! code blocks and rules, each a Markdown block, and any other block kept
//! as raw HTML.

use super::escape::{finish_inline, longest_run, BREAK};
use super::tree::{is_block_name, is_html_space, Element, Node};
use super::{is_dropped, Converter};

/// One Markdown block and what kind it is (two lists of the same kind in a
/// row need different markers, or Markdown would merge them).
pub(super) struct Block {
    list: Option<ListKind>,
    text: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct ListKind {
    ordered: bool,
    alternate: bool,
}

/// The blocks' Markdown, `separator` between them.
pub(super) fn join(blocks: &[Block], separator: &str) -> String {
    blocks
        .iter()
        .map(|block| block.text.as_str())
        .collect::<Vec<_>>()
        .join(separator)
}

impl Converter {
    /// The blocks of `nodes`: block elements each stand alone, and the
    /// inline content between them makes paragraphs.
    pub(super) fn blocks(&mut self, nodes: &[Node]) -> Vec<Block> {
        let mut out = Vec::new();
        let mut run: Vec<&Node> = Vec::new();
        for node in nodes {
            match node {
                Node::Element(element) if is_dropped(&element.name) => {
                    self.dropped.insert(element.name.clone());
                }
                Node::Element(element) if is_block_name(&element.name) => {
                    self.paragraph(&run, &mut out);
                    run.clear();
                    self.block(element, &mut out);
                }
                _ => run.push(node),
            }
        }
        self.paragraph(&run, &mut out);
        out
    }

    fn paragraph(&mut self, run: &[&Node], out: &mut Vec<Block>) {
        let mut text = String::new();
        for node in run {
            self.inline(node, &mut text);
        }
        let text = finish_inline(&text);
        if !text.is_empty() {
            out.push(Block { list: None, text });
        }
    }

    /// Adds the Markdown of one block element to `out` (none for an empty
    /// heading or a `<head>`, several for a plain `<div>`).
    pub(super) fn block(&mut self, element: &Element, out: &mut Vec<Block>) {
        let plain = element.attrs.is_empty();
        let text = match element.name.as_str() {
            "p" => {
                let refs: Vec<&Node> = element.children.iter().collect();
                return self.paragraph(&refs, out);
            }
            "html" | "body" => return out.extend(self.blocks(&element.children)),
            "div" | "li" if plain => return out.extend(self.blocks(&element.children)),
            "head" => return,
            "ul" | "ol" => return self.list_block(element, out),
            "blockquote" => {
                let inner = join(&self.blocks(&element.children), "\n\n");
                indent(&inner, "> ", "> ")
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => match self.heading(element) {
                Some(text) => text,
                None => return,
            },
            "pre" => match code_block(element) {
                Some(text) => text,
                None => self.raw_block(element),
            },
            "hr" => "***".to_string(),
            _ => self.raw_block(element),
        };
        out.push(Block { list: None, text });
    }

    /// A heading on one line, or `None` when it has no words.
    fn heading(&mut self, element: &Element) -> Option<String> {
        let text = self.inline_text(&element.children);
        let text = finish_inline(&text.replace(BREAK, " ")).replace('\n', " ");
        if text.is_empty() {
            return None;
        }
        // annals renders `#` and `##` as <h2> (the page title is the only
        // <h1>) and other levels as written, so `<hN>` comes back as N `#`s.
        let level = element.name[1..].parse::<usize>().unwrap_or(2);
        let text = match text.strip_suffix('#') {
            Some(head) => format!("{head}\\#"),
            None => text,
        };
        Some(format!("{} {text}", "#".repeat(level)))
    }

    /// A `<ul>` or `<ol>`, with the other marker when the block before it
    /// is a list of the same kind.
    fn list_block(&mut self, element: &Element, out: &mut Vec<Block>) {
        let ordered = element.name == "ol";
        let alternate = matches!(
            out.last(),
            Some(Block { list: Some(kind), .. }) if kind.ordered == ordered && !kind.alternate
        );
        let kind = ListKind { ordered, alternate };
        let text = self.list(element, kind);
        out.push(Block { list: Some(kind), text });
    }

    fn list(&mut self, element: &Element, kind: ListKind) -> String {
        let items: Vec<&Node> = element
            .children
            .iter()
            .filter(|node| !matches!(node, Node::Text(text) if text.chars().all(is_html_space)))
            .collect();
        let loose = items.iter().any(|node| match node {
            Node::Element(item) => item
                .children
                .iter()
                .any(|child| matches!(child, Node::Element(inner) if inner.name == "p")),
            Node::Text(_) => false,
        });
        let separator = if loose { "\n\n" } else { "\n" };
        let first: u64 = element
            .attr("start")
            .and_then(|start| start.trim().parse().ok())
            .unwrap_or(1);
        let mut rendered = Vec::new();
        for (index, node) in items.into_iter().enumerate() {
            let marker = list_marker(kind, first + index as u64);
            let blocks = match node {
                Node::Element(item) if item.name == "li" => self.blocks(&item.children),
                other => self.blocks(std::slice::from_ref(other)),
            };
            let body = join(&blocks, separator);
            rendered.push(indent(&body, &marker, &" ".repeat(marker.len())));
        }
        rendered.join(separator)
    }

    fn raw_block(&mut self, element: &Element) -> String {
        self.raw.insert(element.name.clone());
        without_blank_lines(&element.html())
    }
}

/// The marker of a list's item numbered `number` (if it is ordered).
fn list_marker(kind: ListKind, number: u64) -> String {
    match (kind.ordered, kind.alternate) {
        (true, false) => format!("{number}. "),
        (true, true) => format!("{number}) "),
        (false, false) => "- ".to_string(),
        (false, true) => "* ".to_string(),
    }
}

/// A fenced code block, or `None` when the `<pre>` holds markup.
fn code_block(pre: &Element) -> Option<String> {
    let significant: Vec<&Node> = pre
        .children
        .iter()
        .filter(|node| !matches!(node, Node::Text(text) if text.chars().all(is_html_space)))
        .collect();
    let (language, nodes) = match significant.as_slice() {
        [Node::Element(code)] if code.name == "code" => {
            let language = code
                .attr("class")
                .and_then(|class| class.split_whitespace().find_map(|c| c.strip_prefix("language-")));
            (language, &code.children)
        }
        _ => (None, &pre.children),
    };
    let mut text = String::new();
    for node in nodes {
        match node {
            Node::Text(words) => text.push_str(words),
            Node::Element(_) => return None,
        }
    }
    // (html5ever has already dropped the newline right after `<pre>`.)
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    let fence = "`".repeat(longest_run(&text, '`').max(2) + 1);
    Some(format!("{fence}{}\n{text}{fence}", language.unwrap_or_default()))
}

/// Prefixes the first line with `first` and the others with `rest`; blank
/// lines get `rest` without its trailing spaces.
fn indent(text: &str, first: &str, rest: &str) -> String {
    if text.is_empty() {
        return first.trim_end().to_string();
    }
    text.lines()
        .enumerate()
        .map(|(index, line)| {
            let prefix = if index == 0 { first } else { rest };
            if line.is_empty() {
                prefix.trim_end().to_string()
            } else {
                format!("{prefix}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Raw HTML in Markdown ends at a blank line, so none may remain inside.
fn without_blank_lines(html: &str) -> String {
    html.lines()
        .filter(|line| !line.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

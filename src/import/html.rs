//! HTML to Markdown, for event text written for TimelineJS and its kin.
//!
//! Only HTML with an exact Markdown form is converted: paragraphs, line
//! breaks, links, emphasis, strikethrough, lists, quotes, headings, rules,
//! code and images. Any other element (a table, an iframe, a `<div>` with
//! attributes) is kept verbatim as raw HTML and named in
//! [`Converted::raw_tags`], so the importer can tell the editor. HTML that
//! annals itself rendered converts back to Markdown that renders to the same
//! HTML; headings move up one level because annals moves them down.

use std::collections::BTreeSet;
use std::ops::Range;

/// Markdown made from HTML, and the elements that had to stay HTML.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Converted {
    /// The Markdown, ending with a newline unless empty.
    pub markdown: String,
    /// Names of the elements kept as raw HTML (`table`, `iframe`…), sorted.
    pub raw_tags: Vec<String>,
}

/// Converts an HTML fragment to Markdown.
pub fn to_markdown(html: &str) -> Converted {
    let root = parse(html);
    let mut converter = Converter {
        source: html,
        raw: BTreeSet::new(),
    };
    let blocks = converter.blocks(&root.children);
    let mut markdown = join(&blocks, "\n\n");
    if !markdown.is_empty() {
        markdown.push('\n');
    }
    Converted {
        markdown,
        raw_tags: converter.raw.into_iter().collect(),
    }
}

/// The words of an HTML fragment without any markup, on one line (for
/// headlines and credits).
pub fn to_plain_text(html: &str) -> String {
    let root = parse(html);
    let mut text = String::new();
    collect_text(&root.children, &mut text, true);
    collapse_spaces(&text)
}

/// Replaces character references (`&amp;`, `&#39;`, `&#x2014;`, `&eacute;`…);
/// an unknown name is left as written, as browsers do.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match read_entity(rest) {
            Some((decoded, length)) => {
                out.push_str(&decoded);
                rest = &rest[length..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Stands for a `<br>` until the paragraph's whitespace is settled.
const BREAK: char = '\u{2}';

/// Whitespace as HTML counts it (not U+00A0, which is a visible space).
fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// Elements with no content and no end tag.
const VOID: [&str; 13] = [
    "br", "img", "hr", "input", "meta", "link", "wbr", "source", "embed", "col", "area", "param", "track",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: [&str; 4] = ["script", "style", "textarea", "title"];

/// Block-level elements: they end an open `<p>`, and at block level they
/// stand on their own instead of joining a paragraph.
const BLOCKS: [&str; 40] = [
    "p", "ul", "ol", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "hr", "div", "table",
    "iframe", "figure", "figcaption", "video", "audio", "section", "article", "aside", "header", "footer",
    "nav", "form", "dl", "dt", "dd", "details", "script", "style", "object", "embed", "canvas", "address",
    "fieldset", "main", "center",
];

fn is_block_name(name: &str) -> bool {
    BLOCKS.contains(&name) || matches!(name, "html" | "body" | "head")
}

#[derive(Debug)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    /// Where it was written, start tag to end tag, for keeping it raw.
    span: Range<usize>,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }
}

#[derive(Debug)]
enum Node {
    /// Text with character references decoded.
    Text(String),
    Element(Element),
}

enum Token<'a> {
    Text(&'a str),
    Start {
        name: String,
        attrs: Vec<(String, String)>,
        self_closing: bool,
        span: Range<usize>,
    },
    End {
        name: String,
        span: Range<usize>,
    },
}

/// Splits HTML into text and tags. Anything that is not a well-formed tag
/// (`a < b`, an unclosed `<`) is text; comments and doctypes are dropped.
fn tokenize(html: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut text_start = 0;
    let mut at = 0;
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        let Some((token, end)) = read_markup(html, start) else {
            at = start + 1;
            continue;
        };
        if text_start < start {
            tokens.push(Token::Text(&html[text_start..start]));
        }
        at = end;
        text_start = end;
        let Some(token) = token else { continue };
        let raw_text = match &token {
            Token::Start {
                name, self_closing, ..
            } if !self_closing && RAW_TEXT.contains(&name.as_str()) => Some(format!("</{name}")),
            _ => None,
        };
        tokens.push(token);
        if let Some(closing) = raw_text {
            let content_end = find_ignoring_case(&html[end..], &closing).map_or(html.len(), |i| end + i);
            if end < content_end {
                tokens.push(Token::Text(&html[end..content_end]));
            }
            at = content_end;
            text_start = content_end;
        }
    }
    if text_start < html.len() {
        tokens.push(Token::Text(&html[text_start..]));
    }
    tokens
}

fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Reads the markup starting at `html[start]` (a `<`): the token (none for
/// a comment) and where it ends, or `None` when it is just a `<` in text.
fn read_markup(html: &str, start: usize) -> Option<(Option<Token<'_>>, usize)> {
    let rest = &html[start..];
    let bytes = rest.as_bytes();
    if rest.starts_with("<!--") {
        let end = rest[4..].find("-->").map_or(html.len(), |i| start + 4 + i + 3);
        return Some((None, end));
    }
    if rest.starts_with("<!") || rest.starts_with("<?") {
        return rest.find('>').map(|i| (None, start + i + 1));
    }
    let closing = bytes.get(1) == Some(&b'/');
    let name_start = if closing { 2 } else { 1 };
    if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let name_len = bytes[name_start..]
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-' || *b == b':'))
        .unwrap_or(bytes.len() - name_start);
    let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
    let mut i = name_start + name_len;
    if closing {
        let end = rest[i..].find('>')? + i + 1;
        return Some((
            Some(Token::End {
                name,
                span: start..start + end,
            }),
            start + end,
        ));
    }
    let mut attrs = Vec::new();
    loop {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => {
                i += 1;
                break;
            }
            b'/' if bytes.get(i + 1) == Some(&b'>') => {
                let span = start..start + i + 2;
                let end = span.end;
                let token = Token::Start {
                    name,
                    attrs,
                    self_closing: true,
                    span,
                };
                return Some((Some(token), end));
            }
            b'/' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        let key_len = bytes[i..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>' | b'='))
            .unwrap_or(bytes.len() - i);
        let key = rest[i..i + key_len].to_ascii_lowercase();
        i += key_len;
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            match bytes.get(i)? {
                quote @ (b'"' | b'\'') => {
                    let len = rest[i + 1..].find(char::from(*quote))?;
                    value = decode_entities(&rest[i + 1..i + 1 + len]);
                    i += len + 2;
                }
                _ => {
                    let len = bytes[i..]
                        .iter()
                        .position(|b| b.is_ascii_whitespace() || *b == b'>')
                        .unwrap_or(bytes.len() - i);
                    value = decode_entities(&rest[i..i + len]);
                    i += len;
                }
            }
        }
        if !key.is_empty() {
            attrs.push((key, value));
        }
    }
    let token = Token::Start {
        name,
        attrs,
        self_closing: false,
        span: start..start + i,
    };
    Some((Some(token), start + i))
}

/// Builds the element tree, closing what HTML closes implicitly: a block
/// ends an open `<p>`, a `<li>` ends the previous item, and everything open
/// is closed at the end.
fn parse(html: &str) -> Element {
    let mut stack = vec![Element {
        name: String::new(),
        attrs: Vec::new(),
        children: Vec::new(),
        span: 0..html.len(),
    }];
    for token in tokenize(html) {
        match token {
            Token::Text(text) => push_child(&mut stack, Node::Text(decode_entities(text))),
            Token::Start {
                name,
                attrs,
                self_closing,
                span,
            } => {
                if is_block_name(&name) {
                    close_open(&mut stack, "p", span.start, |open| is_block_name(open));
                }
                if name == "li" {
                    close_open(&mut stack, "li", span.start, |open| open == "ul" || open == "ol");
                }
                let leaf = self_closing || VOID.contains(&name.as_str());
                let element = Element {
                    name,
                    attrs,
                    children: Vec::new(),
                    span,
                };
                if leaf {
                    push_child(&mut stack, Node::Element(element));
                } else {
                    stack.push(element);
                }
            }
            Token::End { name, span } => {
                if name == "br" {
                    // Browsers read a stray `</br>` as `<br>`.
                    push_child(
                        &mut stack,
                        Node::Element(Element {
                            name,
                            attrs: Vec::new(),
                            children: Vec::new(),
                            span,
                        }),
                    );
                } else if let Some(at) = stack.iter().rposition(|open| open.name == name).filter(|at| *at > 0) {
                    while stack.len() > at + 1 {
                        pop_into_parent(&mut stack, span.start);
                    }
                    pop_into_parent(&mut stack, span.end);
                }
            }
        }
    }
    while stack.len() > 1 {
        pop_into_parent(&mut stack, html.len());
    }
    stack.pop().unwrap_or_else(|| unreachable!("the root is never popped"))
}

fn push_child(stack: &mut [Element], node: Node) {
    if let Some(top) = stack.last_mut() {
        top.children.push(node);
    }
}

fn pop_into_parent(stack: &mut Vec<Element>, end: usize) {
    if stack.len() > 1 {
        if let Some(mut element) = stack.pop() {
            element.span.end = end.max(element.span.end);
            push_child(stack, Node::Element(element));
        }
    }
}

/// Closes the innermost open `name` unless an element for which `stop`
/// holds is open inside it.
fn close_open(stack: &mut Vec<Element>, name: &str, end: usize, stop: impl Fn(&str) -> bool) {
    let Some(at) = stack.iter().rposition(|open| open.name == name || stop(&open.name)) else {
        return;
    };
    if at > 0 && stack[at].name == name {
        while stack.len() > at {
            pop_into_parent(stack, end);
        }
    }
}

/// One Markdown block and what kind it is (two lists of the same kind in a
/// row need different markers, or Markdown would merge them).
struct Block {
    list: Option<ListKind>,
    text: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct ListKind {
    ordered: bool,
    alternate: bool,
}

fn join(blocks: &[Block], separator: &str) -> String {
    blocks
        .iter()
        .map(|block| block.text.as_str())
        .collect::<Vec<_>>()
        .join(separator)
}

struct Converter<'a> {
    source: &'a str,
    raw: BTreeSet<String>,
}

impl Converter<'_> {
    fn blocks(&mut self, nodes: &[Node]) -> Vec<Block> {
        let mut out = Vec::new();
        let mut run: Vec<&Node> = Vec::new();
        for node in nodes {
            match node {
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

    fn block(&mut self, element: &Element, out: &mut Vec<Block>) {
        let plain = element.attrs.is_empty();
        let text = match element.name.as_str() {
            "p" => {
                let refs: Vec<&Node> = element.children.iter().collect();
                return self.paragraph(&refs, out);
            }
            "html" | "body" => return out.extend(self.blocks(&element.children)),
            "div" | "li" if plain => return out.extend(self.blocks(&element.children)),
            "head" => return,
            "ul" | "ol" => {
                let ordered = element.name == "ol";
                let alternate = matches!(
                    out.last(),
                    Some(Block { list: Some(kind), .. }) if kind.ordered == ordered && !kind.alternate
                );
                let kind = ListKind { ordered, alternate };
                let text = self.list(element, kind);
                out.push(Block { list: Some(kind), text });
                return;
            }
            "blockquote" => {
                let inner = join(&self.blocks(&element.children), "\n\n");
                indent(&inner, "> ", "> ")
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let mut text = String::new();
                for child in &element.children {
                    self.inline(child, &mut text);
                }
                let text = finish_inline(&text.replace(BREAK, " ")).replace('\n', " ");
                if text.is_empty() {
                    return;
                }
                // annals renders `#` as <h2>, so <h2> came from `#`.
                let level = element.name[1..].parse::<usize>().unwrap_or(2).saturating_sub(1).max(1);
                let text = match text.strip_suffix('#') {
                    Some(head) => format!("{head}\\#"),
                    None => text,
                };
                format!("{} {text}", "#".repeat(level))
            }
            "pre" => match self.code_block(element) {
                Some(text) => text,
                None => self.raw_block(element),
            },
            "hr" => "***".to_string(),
            _ => self.raw_block(element),
        };
        out.push(Block { list: None, text });
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
        let first: u64 = element.attr("start").and_then(|start| start.trim().parse().ok()).unwrap_or(1);
        let mut rendered = Vec::new();
        for (index, node) in items.into_iter().enumerate() {
            let marker = match (kind.ordered, kind.alternate) {
                (true, false) => format!("{}. ", first + index as u64),
                (true, true) => format!("{}) ", first + index as u64),
                (false, false) => "- ".to_string(),
                (false, true) => "* ".to_string(),
            };
            let blocks = match node {
                Node::Element(item) if item.name == "li" => self.blocks(&item.children),
                other => self.blocks(std::slice::from_ref(*other)),
            };
            let body = join(&blocks, separator);
            rendered.push(indent(&body, &marker, &" ".repeat(marker.len())));
        }
        rendered.join(separator)
    }

    /// A fenced code block, or `None` when the `<pre>` holds markup.
    fn code_block(&self, pre: &Element) -> Option<String> {
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
        // HTML drops a newline right after `<pre>`.
        let mut text = text.strip_prefix('\n').unwrap_or(&text).to_string();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        let fence = "`".repeat(longest_run(&text, '`').max(2) + 1);
        Some(format!("{fence}{}\n{text}{fence}", language.unwrap_or_default()))
    }

    fn raw_block(&mut self, element: &Element) -> String {
        self.raw.insert(element.name.clone());
        without_blank_lines(&self.source[element.span.clone()])
    }

    fn inline(&mut self, node: &Node, out: &mut String) {
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
            "code" => {
                let mut text = String::new();
                collect_text(&element.children, &mut text, false);
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
            "br" => out.push(BREAK),
            "a" => {
                let mut text = String::new();
                for child in &element.children {
                    self.inline(child, &mut text);
                }
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
            "img" => {
                let Some(src) = element.attr("src") else { return };
                out.push_str("![");
                out.push_str(&escape_text(element.attr("alt").unwrap_or_default(), None));
                out.push_str("](");
                out.push_str(&destination(src));
                push_title(out, element.attr("title"));
                out.push(')');
            }
            "span" if element.attrs.is_empty() => {
                for child in &element.children {
                    self.inline(child, out);
                }
            }
            // A block inside inline content: keep its words in the flow.
            name if is_block_name(name) && !matches!(name, "table" | "iframe" | "video" | "audio" | "object") => {
                if element.name == "div" && !element.attrs.is_empty() {
                    return self.raw_inline(element, out);
                }
                for child in &element.children {
                    self.inline(child, out);
                }
            }
            _ => self.raw_inline(element, out),
        }
    }

    fn raw_inline(&mut self, element: &Element, out: &mut String) {
        self.raw.insert(element.name.clone());
        out.push_str(&without_blank_lines(&self.source[element.span.clone()]));
    }

    /// Emphasis and the like: spaces go outside the markers, or Markdown
    /// would not read them as markers; the second spelling is used where
    /// the first would touch the same character.
    fn delimited(&mut self, element: &Element, marker: &str, other: &str, out: &mut String) {
        let mut inner = String::new();
        for child in &element.children {
            self.inline(child, &mut inner);
        }
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

/// Settles the whitespace of a paragraph's Markdown: a run of spaces that
/// holds a line break becomes one line break (HTML would show one space, and
/// a blank line would end the paragraph), `<br>`s become hard breaks, and
/// lines that would start a list, heading or quote are escaped.
fn finish_inline(text: &str) -> String {
    let mut settled = String::with_capacity(text.len());
    let mut pending = String::new();
    for c in text.chars() {
        if is_html_space(c) {
            pending.push(c);
            continue;
        }
        if !pending.is_empty() {
            settled.push_str(if pending.contains('\n') { "\n" } else { &pending });
            pending.clear();
        }
        settled.push(c);
    }
    // Breaks: drop those at either end, and let a break absorb the
    // whitespace around it.
    let mut out = String::with_capacity(settled.len());
    let mut chars = settled.trim_matches(|c| is_html_space(c) || c == BREAK).chars().peekable();
    while let Some(c) = chars.next() {
        if c == BREAK {
            while out.ends_with(is_html_space) {
                out.pop();
            }
            out.push_str("\\\n");
            while chars.peek().is_some_and(|c| is_html_space(*c)) {
                chars.next();
            }
        } else {
            out.push(c);
        }
    }
    out.lines().map(escape_line_start).collect::<Vec<_>>().join("\n")
}

/// Escapes what Markdown would read as the start of a block.
fn escape_line_start(line: &str) -> String {
    match line.chars().next() {
        Some('#' | '+' | '-' | '=' | '>' | '|') => format!("\\{line}"),
        Some(c) if c.is_ascii_digit() => {
            let digits = line.find(|c: char| !c.is_ascii_digit()).unwrap_or(line.len());
            match line[digits..].chars().next() {
                Some('.' | ')') => format!("{}\\{}", &line[..digits], &line[digits..]),
                _ => line.to_string(),
            }
        }
        _ => line.to_string(),
    }
}

/// Escapes the characters Markdown would read as markup inside a line.
/// `prev` is the character written just before, for `_` inside words.
fn escape_text(text: &str, prev: Option<char>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (index, &c) in chars.iter().enumerate() {
        let before = if index == 0 { prev } else { Some(chars[index - 1]) };
        let after = chars.get(index + 1).copied();
        match c {
            '\\' | '*' | '[' | ']' | '`' | '~' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric)) => {
                out.push_str("\\_")
            }
            '<' if after.is_some_and(|next| next.is_ascii_alphabetic() || matches!(next, '/' | '!' | '?')) => {
                out.push_str("\\<")
            }
            '&' if read_entity(&text[char_offset(text, index)..]).is_some() => out.push_str("\\&"),
            // Control characters cannot be typed and would confuse the
            // paragraph logic above.
            c if c.is_control() && !is_html_space(c) => {}
            _ => out.push(c),
        }
    }
    out
}

fn char_offset(text: &str, index: usize) -> usize {
    text.char_indices().nth(index).map_or(text.len(), |(offset, _)| offset)
}

/// A link or image address, in `<…>` when it holds spaces or brackets.
fn destination(url: &str) -> String {
    let url: String = url.trim().chars().filter(|c| !matches!(c, '\n' | '\r')).collect();
    let mut escaped = String::with_capacity(url.len());
    for (offset, c) in url.char_indices() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '&' if read_entity(&url[offset..]).is_some() => escaped.push_str("\\&"),
            _ => escaped.push(c),
        }
    }
    let opens = url.matches('(').count();
    let closes = url.matches(')').count();
    let plain = !url.is_empty()
        && opens == closes
        && !url.chars().any(|c| c == ' ' || c == '<' || c == '>' || c.is_control());
    if plain {
        escaped
    } else {
        format!("<{}>", escaped.replace('<', "\\<").replace('>', "\\>"))
    }
}

fn push_title(out: &mut String, title: Option<&str>) {
    if let Some(title) = title.filter(|title| !title.is_empty()) {
        out.push_str(" \"");
        out.push_str(&title.replace('\\', "\\\\").replace('"', "\\\""));
        out.push('"');
    }
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

fn longest_run(text: &str, wanted: char) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for c in text.chars() {
        current = if c == wanted { current + 1 } else { 0 };
        longest = longest.max(current);
    }
    longest
}

/// Raw HTML in Markdown ends at a blank line, so none may remain inside.
fn without_blank_lines(html: &str) -> String {
    html.lines()
        .filter(|line| !line.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of `nodes`; with `spaced`, blocks and line breaks count as spaces
/// and scripts are skipped.
fn collect_text(nodes: &[Node], out: &mut String, spaced: bool) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Element(element) if spaced && matches!(element.name.as_str(), "script" | "style") => {}
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

fn collapse_spaces(text: &str) -> String {
    text.split(is_html_space)
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads one character reference at the start of `text` (which starts with
/// `&`): what it stands for and how many bytes it took.
fn read_entity(text: &str) -> Option<(String, usize)> {
    let end = text.find(';')?;
    let body = &text[1..end];
    if body.is_empty() || end > 40 {
        return None;
    }
    let decoded = if let Some(number) = body.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) if !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()) => {
                u32::from_str_radix(hex, 16).ok()?
            }
            None if number.chars().all(|c| c.is_ascii_digit()) => number.parse().ok()?,
            _ => return None,
        };
        let c = match code {
            0 => '\u{FFFD}',
            code => char::from_u32(code).unwrap_or('\u{FFFD}'),
        };
        c.to_string()
    } else {
        if !body.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        named_entity(body)?
    };
    Some((decoded, end + 1))
}

fn named_entity(name: &str) -> Option<String> {
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "laquo" => '«',
        "raquo" => '»',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "middot" => '·',
        "bull" => '•',
        "times" => '×',
        "divide" => '÷',
        "plusmn" => '±',
        "minus" => '−',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "sect" => '§',
        "para" => '¶',
        "dagger" => '†',
        "Dagger" => '‡',
        "prime" => '′',
        "Prime" => '″',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "iexcl" => '¡',
        "iquest" => '¿',
        "shy" => '\u{ad}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "zwnj" => '\u{200c}',
        "zwj" => '\u{200d}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        "szlig" => 'ß',
        _ => return accented_letter(name).map(String::from),
    };
    Some(c.to_string())
}

/// `&eacute;`, `&Ouml;`, `&ccedil;`…: a letter and its accent.
fn accented_letter(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let letter = chars.next()?;
    let accent = chars.as_str();
    let lower = match (letter.to_ascii_lowercase(), accent) {
        ('a', "grave") => 'à',
        ('a', "acute") => 'á',
        ('a', "circ") => 'â',
        ('a', "tilde") => 'ã',
        ('a', "uml") => 'ä',
        ('a', "ring") => 'å',
        ('a', "elig") => 'æ',
        ('c', "cedil") => 'ç',
        ('e', "grave") => 'è',
        ('e', "acute") => 'é',
        ('e', "circ") => 'ê',
        ('e', "uml") => 'ë',
        ('i', "grave") => 'ì',
        ('i', "acute") => 'í',
        ('i', "circ") => 'î',
        ('i', "uml") => 'ï',
        ('n', "tilde") => 'ñ',
        ('o', "grave") => 'ò',
        ('o', "acute") => 'ó',
        ('o', "circ") => 'ô',
        ('o', "tilde") => 'õ',
        ('o', "uml") => 'ö',
        ('o', "slash") => 'ø',
        ('o', "elig") => 'œ',
        ('u', "grave") => 'ù',
        ('u', "acute") => 'ú',
        ('u', "circ") => 'û',
        ('u', "uml") => 'ü',
        ('y', "acute") => 'ý',
        ('y', "uml") => 'ÿ',
        _ => return None,
    };
    Some(if letter.is_ascii_uppercase() {
        lower.to_uppercase().collect()
    } else {
        lower.to_string()
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::markdown::{render, MarkdownContext};

    fn md(html: &str) -> String {
        to_markdown(html).markdown
    }

    fn rendered(markdown: &str) -> String {
        let slugs = HashSet::new();
        render(
            markdown,
            &MarkdownContext {
                unsafe_html: false,
                event_slugs: &slugs,
            },
        )
        .html
    }

    /// Markdown → annals HTML → Markdown → annals HTML gives the same HTML.
    fn round_trips(markdown: &str) {
        let html = rendered(markdown);
        let back = md(&html);
        assert_eq!(rendered(&back), html, "\nMarkdown:\n{markdown}\nHTML:\n{html}\nback:\n{back}");
    }

    #[test]
    fn paragraphs_links_and_emphasis_convert() {
        assert_eq!(
            md("<p>A <a href=\"https://e.org/?a=1&amp;b=2\" title=\"T\">link</a>, <em>em</em> and <b>bold</b>.</p><p>Two</p>"),
            "A [link](https://e.org/?a=1&b=2 \"T\"), *em* and **bold**.\n\nTwo\n"
        );
        assert_eq!(md("plain &amp; simple"), "plain & simple\n");
        assert_eq!(md("<p><em> spaced </em>x</p>"), " *spaced* x\n".trim_start());
    }

    #[test]
    fn lists_quotes_headings_and_code_convert() {
        assert_eq!(md("<ul><li>a</li><li>b<ol start=\"3\"><li>c</li></ol></li></ul>"), "- a\n- b\n  3. c\n");
        assert_eq!(md("<blockquote><p>q</p><p>r</p></blockquote>"), "> q\n>\n> r\n");
        assert_eq!(md("<h2>Head</h2><h1>Top</h1><h4>Low</h4>"), "# Head\n\n# Top\n\n### Low\n");
        assert_eq!(
            md("<pre><code class=\"language-rust\">let a = 1 &lt; 2;\n</code></pre>"),
            "```rust\nlet a = 1 < 2;\n```\n"
        );
        assert_eq!(md("<p>a <code>x`y</code></p>"), "a ``x`y``\n");
        assert_eq!(
            md("<p><img src=\"media/a b.png\" alt=\"A [b]\"></p>"),
            "![A \\[b\\]](<media/a b.png>)\n"
        );
    }

    #[test]
    fn text_that_looks_like_markup_is_escaped() {
        assert_eq!(md("<p>*not em* and [x] and a_b and _c_</p>"), "\\*not em\\* and \\[x\\] and a_b and \\_c\\_\n");
        assert_eq!(md("<p># not a heading</p>"), "\\# not a heading\n");
        assert_eq!(md("<p>1984. A year</p>"), "1984\\. A year\n");
        assert_eq!(md("<p>- dash\n+ plus</p>"), "\\- dash\n\\+ plus\n");
        assert_eq!(md("<p>&lt;b&gt; &amp;amp;</p>"), "\\<b> \\&amp;\n");
    }

    #[test]
    fn line_breaks_become_hard_breaks() {
        assert_eq!(md("<p>a<br>b<br/></p>"), "a\\\nb\n");
        assert_eq!(md("<p>a<br />\nb</p>"), "a\\\nb\n");
    }

    #[test]
    fn other_html_is_kept_raw_and_named() {
        let converted = to_markdown("<p>Intro</p><table class=\"x\"><tr><td>1</td></tr>\n\n</table><div>plain</div>");
        assert_eq!(
            converted.markdown,
            "Intro\n\n<table class=\"x\"><tr><td>1</td></tr>\n</table>\n\nplain\n"
        );
        assert_eq!(converted.raw_tags, ["table"]);
        let converted = to_markdown("<p>a <span class=\"k\">b</span> <iframe src=\"x\"></iframe></p>");
        assert_eq!(converted.markdown, "a <span class=\"k\">b</span> <iframe src=\"x\"></iframe>\n");
        assert_eq!(converted.raw_tags, ["iframe", "span"]);
    }

    #[test]
    fn sloppy_html_is_closed_as_browsers_close_it() {
        assert_eq!(md("<p>one<p>two<ul><li>a<li>b</ul>"), "one\n\ntwo\n\n- a\n- b\n");
        assert_eq!(md("a < b and <3"), "a < b and <3\n");
        assert_eq!(md("<!-- note --><p>x</p>"), "x\n");
    }

    #[test]
    fn entities_decode() {
        assert_eq!(decode_entities("&amp;&lt;&gt;&quot;&#39;&nbsp;&#x2014;&eacute;&Eacute;&bogus;"), "&<>\"'\u{a0}—éÉ&bogus;");
        assert_eq!(to_plain_text("<b>AT&amp;T</b>\n  Bell<br>Labs"), "AT&T Bell Labs");
    }

    #[test]
    fn annals_html_converts_back_to_the_same_html() {
        round_trips("A paragraph with *em*, **strong**, `code` and a [link](https://e.org/a_b \"Title\").\nA second line.\n\nNext \"quoted\" -- text...\n");
        round_trips("# Heading\n\n## Sub\n\n- one\n- two\n  - nested\n- three\n\n1. first\n2. second\n");
        round_trips("- loose\n\n- list\n\n  with two paragraphs\n\n> A quote\n>\n> - in a list\n");
        round_trips("```python\nprint('<hi>')\n```\n\nText with \\*stars\\*, a\\_b, [brackets], 1\\. and a | pipe.\n");
        round_trips("Hard  \nbreak and ![An image](media/x.png \"T\") and ~~gone~~.\n\n***\n\n3. starts at three\n4. four\n");
        round_trips("- a\n- b\n\n* c\n* d\n");
        round_trips("Café & crème, AT&T, 5 < 6 > 4, &copy; written out.\n");
        round_trips("**bold *and em* inside** and *em **and bold** inside*\n");
        round_trips("A link to [site path](media/file.pdf) and <https://auto.link/>.\n");
    }
}

//! Reading HTML into a small element tree, as forgiving as a browser:
//! stray `<` are text, unclosed elements are closed where HTML would close
//! them, and each element remembers where it was written so that one that
//! cannot be converted can be kept verbatim.

use std::ops::Range;

use super::entities::decode_entities;

/// Whitespace as HTML counts it (not U+00A0, which is a visible space).
pub(super) fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// Elements with no content and no end tag.
const VOID: [&str; 13] = [
    "br", "img", "hr", "input", "meta", "link", "wbr", "source", "embed", "col", "area", "param", "track",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: [&str; 4] = ["script", "style", "textarea", "title"];

/// Block-level elements: they end an open `<p>`, and at block level they
/// stand on their own instead of joining a paragraph. (Embeds such as
/// `<iframe>` and `<video>` are inline in HTML, and stay so here.)
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
    /// Where it was written, start tag to end tag, for keeping it raw.
    pub(super) span: Range<usize>,
}

impl Element {
    pub(super) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

#[derive(Debug)]
pub(super) enum Node {
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
            Token::Start { name, self_closing, .. } if !self_closing && RAW_TEXT.contains(&name.as_str()) => {
                Some(format!("</{name}"))
            }
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
    if let Some(comment) = rest.strip_prefix("<!--") {
        let end = comment.find("-->").map_or(html.len(), |i| start + 4 + i + 3);
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
pub(super) fn parse(html: &str) -> Element {
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
                    close_open(&mut stack, "p", span.start, is_block_name);
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

//! HTML to Markdown, for event text written for TimelineJS and its kin.
//!
//! The HTML is read by html5ever, as a browser reads it. Only HTML with an
//! exact Markdown form is converted: paragraphs, line breaks, links,
//! emphasis, strikethrough, lists, quotes, headings, rules, code and
//! images; TimelineJS's notes (`<span class="tl-note">`) become italics and
//! an `<iframe>` a link to the page it shows. Any other element (a table, a
//! `<div>` with attributes) is kept as raw HTML and named in
//! [`Converted::raw_tags`], so the importer can tell the editor; scripts
//! and styles are left out and named in [`Converted::dropped_tags`]. HTML
//! that annals itself rendered converts back to Markdown that renders to
//! the same HTML (an `<h1>`, which annals never writes, becomes `#`).

mod tree;

use std::collections::BTreeSet;

use tree::{is_block_name, is_html_space, parse, Element, Node};

/// Markdown made from HTML, and the elements that had to stay HTML.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Converted {
    /// The Markdown, ending with a newline unless empty.
    pub markdown: String,
    /// Names of the elements kept as raw HTML (`table`, `span`…), sorted.
    pub raw_tags: Vec<String>,
    /// Names of the elements left out (`script`, `style`), sorted.
    pub dropped_tags: Vec<String>,
}

/// Converts an HTML fragment to Markdown.
pub fn to_markdown(html: &str) -> Converted {
    let root = parse(html);
    let mut converter = Converter::default();
    let blocks = converter.blocks(&root.children);
    let mut markdown = join(&blocks, "\n\n");
    if !markdown.is_empty() {
        markdown.push('\n');
    }
    Converted {
        markdown,
        raw_tags: converter.raw.into_iter().collect(),
        dropped_tags: converter.dropped.into_iter().collect(),
    }
}

/// Plain text as one Markdown paragraph, with markup characters escaped.
pub fn text_to_markdown(text: &str) -> String {
    finish_inline(&escape_text(text, None))
}

/// The words of an HTML fragment without any markup, on one line (for
/// headlines and credits).
pub fn to_plain_text(html: &str) -> String {
    let root = parse(html);
    let mut text = String::new();
    collect_text(&root.children, &mut text, true);
    collapse_spaces(&text)
}

/// Stands for a `<br>` until the paragraph's whitespace is settled.
const BREAK: char = '\u{2}';

/// Block elements whose content converts: inside inline content (a `<p>`
/// within a link, say) their words join the flow.
const CONVERTIBLE_BLOCKS: [&str; 11] = ["p", "li", "ul", "ol", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"];

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

#[derive(Default)]
struct Converter {
    raw: BTreeSet<String>,
    dropped: BTreeSet<String>,
}

/// Elements whose content is not words for the reader.
fn is_dropped(name: &str) -> bool {
    matches!(name, "script" | "style" | "template" | "noscript")
}

impl Converter {
    fn blocks(&mut self, nodes: &[Node]) -> Vec<Block> {
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
                // annals renders `#` and `##` as <h2> (the page title is
                // the only <h1>) and other levels as written, so `<hN>`
                // comes back as N `#`s.
                let level = element.name[1..].parse::<usize>().unwrap_or(2);
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
        let first: u64 = element
            .attr("start")
            .and_then(|start| start.trim().parse().ok())
            .unwrap_or(1);
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
                other => self.blocks(std::slice::from_ref(other)),
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
        // (html5ever has already dropped the newline right after `<pre>`.)
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        let fence = "`".repeat(longest_run(&text, '`').max(2) + 1);
        Some(format!("{fence}{}\n{text}{fence}", language.unwrap_or_default()))
    }

    fn raw_block(&mut self, element: &Element) -> String {
        self.raw.insert(element.name.clone());
        without_blank_lines(&element.html())
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
            // TimelineJS shows its notes in italics.
            "span" if element.has_class("tl-note") => self.delimited(element, "*", "_", out),
            // A player cannot be shown from Markdown: link to its page.
            "iframe" => {
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
            name if is_dropped(name) => {
                self.dropped.insert(name.to_string());
            }
            // A block inside inline content: keep its words in the flow.
            name if CONVERTIBLE_BLOCKS.contains(&name) || (name == "div" && element.attrs.is_empty()) => {
                for child in &element.children {
                    self.inline(child, out);
                }
            }
            _ => self.raw_inline(element, out),
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
    let mut chars = settled
        .trim_matches(|c| is_html_space(c) || c == BREAK)
        .chars()
        .peekable();
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
            '&' if looks_like_reference(&chars[index + 1..]) => out.push_str("\\&"),
            // Control characters cannot be typed and would confuse the
            // paragraph logic above.
            c if c.is_control() && !is_html_space(c) => {}
            _ => out.push(c),
        }
    }
    out
}

/// Whether the characters after a `&` would be read as a character
/// reference (`amp;`, `#150;`, `#x2014;`), in which case the `&` is escaped.
/// Markdown knows only named references that exist, so this may escape an
/// `&` that needed none, which shows the same.
fn looks_like_reference(after: &[char]) -> bool {
    let Some(end) = after.iter().position(|c| *c == ';') else {
        return false;
    };
    let name = &after[..end];
    match name {
        ['#', 'x' | 'X', hex @ ..] => !hex.is_empty() && hex.iter().all(char::is_ascii_hexdigit),
        ['#', digits @ ..] => !digits.is_empty() && digits.iter().all(char::is_ascii_digit),
        _ => !name.is_empty() && name.iter().all(char::is_ascii_alphanumeric),
    }
}

/// `https://www.youtube.com/embed/x` → `youtube.com`.
pub fn host(url: &str) -> String {
    let rest = url.split_once("//").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or(host);
    host.strip_prefix("www.").unwrap_or(host).to_ascii_lowercase()
}

/// The page a reader can open for a player's address: a YouTube or Vimeo
/// player links to its video's page (keeping the start time); others to
/// the player itself. Addresses without a scheme (`//host/…`) get `https:`.
pub fn player_page(src: &str) -> String {
    let src = src.trim();
    let src = match src.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => src.to_string(),
    };
    let (address, fragment) = src.split_once('#').unwrap_or((&src, ""));
    let (path, query) = address.split_once('?').unwrap_or((address, ""));
    let start = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("start=").or_else(|| pair.strip_prefix("t=")))
        .or_else(|| fragment.strip_prefix("t="))
        .filter(|time| !time.is_empty() && time.chars().all(|c| c.is_ascii_alphanumeric()));
    let host_path = path.split_once("//").map_or(path, |(_, rest)| rest);
    let host_path = host_path.strip_prefix("www.").unwrap_or(host_path);
    for prefix in ["youtube.com/embed/", "youtube-nocookie.com/embed/"] {
        if let Some(id) = host_path
            .strip_prefix(prefix)
            .filter(|id| !id.is_empty() && !id.contains('/'))
        {
            return match start {
                Some(time) => format!("https://www.youtube.com/watch?v={id}&t={time}"),
                None => format!("https://www.youtube.com/watch?v={id}"),
            };
        }
    }
    if let Some(id) = host_path
        .strip_prefix("player.vimeo.com/video/")
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
    {
        return match start {
            Some(time) => format!("https://vimeo.com/{id}#t={time}"),
            None => format!("https://vimeo.com/{id}"),
        };
    }
    src
}

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

fn find<'a>(nodes: &'a [Node], wanted: &dyn Fn(&Element) -> bool) -> Option<&'a Element> {
    nodes.iter().find_map(|node| match node {
        Node::Element(element) if wanted(element) => Some(element),
        Node::Element(element) => find(&element.children, wanted),
        Node::Text(_) => None,
    })
}

/// A link or image address, in `<…>` when it holds spaces or brackets.
fn destination(url: &str) -> String {
    let url: String = url.trim().chars().filter(|c| !matches!(c, '\n' | '\r')).collect();
    let chars: Vec<char> = url.chars().collect();
    let mut escaped = String::with_capacity(url.len());
    for (index, &c) in chars.iter().enumerate() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '&' if looks_like_reference(&chars[index + 1..]) => escaped.push_str("\\&"),
            _ => escaped.push(c),
        }
    }
    let opens = url.matches('(').count();
    let closes = url.matches(')').count();
    let plain =
        !url.is_empty() && opens == closes && !url.chars().any(|c| c == ' ' || c == '<' || c == '>' || c.is_control());
    if plain {
        escaped
    } else {
        format!("<{}>", escaped.replace('<', "\\<").replace('>', "\\>"))
    }
}

fn push_title(out: &mut String, title: Option<&str>) {
    if let Some(title) = title.filter(|title| !title.is_empty()) {
        out.push_str(" \"");
        let title = title.replace(['\n', '\r'], " ");
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

fn collapse_spaces(text: &str) -> String {
    text.split(is_html_space)
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hashing::HashSet;
    use crate::parse::markdown::{render, MarkdownContext};

    fn md(html: &str) -> String {
        to_markdown(html).markdown
    }

    fn rendered(markdown: &str) -> String {
        let slugs = HashSet::default();
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
        // Exports carry root-relative paths without the mark.
        let back = md(&html.replace(crate::parse::markdown::ROOT_MARK, ""));
        assert_eq!(
            rendered(&back),
            html,
            "\nMarkdown:\n{markdown}\nHTML:\n{html}\nback:\n{back}"
        );
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
        assert_eq!(
            md("<ul><li>a</li><li>b<ol start=\"3\"><li>c</li></ol></li></ul>"),
            "- a\n- b\n  3. c\n"
        );
        assert_eq!(md("<blockquote><p>q</p><p>r</p></blockquote>"), "> q\n>\n> r\n");
        assert_eq!(
            md("<h2>Head</h2><h1>Top</h1><h4>Low</h4>"),
            "## Head\n\n# Top\n\n#### Low\n"
        );
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
        assert_eq!(
            md("<p>*not em* and [x] and a_b and _c_</p>"),
            "\\*not em\\* and \\[x\\] and a_b and \\_c\\_\n"
        );
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
        // As a browser reads it: the table gets its <tbody>.
        assert_eq!(
            converted.markdown,
            "Intro\n\n<table class=\"x\"><tbody><tr><td>1</td></tr>\n</tbody></table>\n\nplain\n"
        );
        assert_eq!(converted.raw_tags, ["table"]);
        let converted = to_markdown("<p>a <span class=\"k\">b</span></p><script>alert(1)</script>");
        assert_eq!(converted.markdown, "a <span class=\"k\">b</span>\n");
        assert_eq!(converted.raw_tags, ["span"]);
        assert_eq!(converted.dropped_tags, ["script"]);
    }

    #[test]
    fn timelinejs_notes_become_italics() {
        let converted = to_markdown("<p>Text. <span class=\"tl-note\">Note: a TimelineJS note.</span></p>");
        assert_eq!(converted.markdown, "Text. *Note: a TimelineJS note.*\n");
        assert!(converted.raw_tags.is_empty());
    }

    #[test]
    fn an_iframe_in_text_becomes_a_link_to_its_page() {
        assert_eq!(
            md("<p>Watch: <iframe src=\"https://www.youtube.com/embed/dQw4w9WgXcQ?start=42\"></iframe></p>"),
            "Watch: [Embedded content from youtube.com](https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42)\n"
        );
        assert_eq!(
            md("<iframe title=\"Map\" src=\"//maps.example.org/embed?x=1\"></iframe>"),
            "[Map](https://maps.example.org/embed?x=1)\n"
        );
        assert_eq!(
            player_page("https://player.vimeo.com/video/76979871#t=1m2s"),
            "https://vimeo.com/76979871#t=1m2s"
        );
    }

    #[test]
    fn embed_code_is_read_as_a_frame_or_a_quote() {
        assert_eq!(
            embed("<iframe width=\"560\" src=\"https://w.soundcloud.com/player/?url=x\"></iframe>"),
            Embed::Frame {
                src: "https://w.soundcloud.com/player/?url=x".into(),
                title: None
            }
        );
        let tweet = "<blockquote class=\"twitter-tweet\" lang=\"en\"><p>Words &amp; more <a href=\"https://t.co/x\">pic</a></p>&mdash; Knight Lab (@knightlab) <a href=\"https://twitter.com/knightlab/status/123\">May 1, 2014</a></blockquote><script async src=\"//platform.twitter.com/widgets.js\"></script>";
        assert_eq!(
            embed(tweet),
            Embed::Quote {
                markdown: "> Words & more [pic](https://t.co/x)\n>\n> — Knight Lab (@knightlab) [May 1, 2014](https://twitter.com/knightlab/status/123)".into(),
                link: Some("https://twitter.com/knightlab/status/123".into()),
            }
        );
        // The same tweet in the text: a quote with its words, author and
        // link; its script is left out.
        let converted = to_markdown(tweet);
        assert_eq!(
            converted.markdown,
            "> Words & more [pic](https://t.co/x)\n>\n> — Knight Lab (@knightlab) [May 1, 2014](https://twitter.com/knightlab/status/123)\n"
        );
        assert_eq!(converted.dropped_tags, ["script"]);
        assert!(converted.raw_tags.is_empty());
        assert_eq!(
            links("<a href=\"https://a.org\">A</a> and <a href='https://b.org'>B</a>"),
            [
                ("A".to_string(), "https://a.org".to_string()),
                ("B".to_string(), "https://b.org".to_string())
            ]
        );
    }

    #[test]
    fn sloppy_html_is_closed_as_browsers_close_it() {
        assert_eq!(md("<p>one<p>two<ul><li>a<li>b</ul>"), "one\n\ntwo\n\n- a\n- b\n");
        assert_eq!(md("a < b and <3"), "a < b and <3\n");
        assert_eq!(md("<!-- note --><p>x</p>"), "x\n");
    }

    #[test]
    fn entities_decode() {
        assert_eq!(
            to_plain_text("&amp;&lt;&gt;&quot;&#39;&nbsp;&#x2014;&eacute;&Eacute;&bogus;"),
            "&<>\"'\u{a0}—éÉ&bogus;"
        );
        // As browsers (and so TimelineJS) decode it: windows-1252's en dash.
        assert_eq!(to_plain_text("1914&#150;1918"), "1914–1918");
        assert_eq!(md("<p>1914&#150;1918 &#x96;</p>"), "1914–1918 –\n");
        assert_eq!(to_plain_text("<b>AT&amp;T</b>\n  Bell<br>Labs"), "AT&T Bell Labs");
    }

    #[test]
    fn annals_html_converts_back_to_the_same_html() {
        round_trips("A paragraph with *em*, **strong**, `code` and a [link](https://e.org/a_b \"Title\").\nA second line.\n\nNext \"quoted\" -- text...\n");
        round_trips("# Heading\n\n## Sub\n\n### Third\n\n- one\n- two\n  - nested\n- three\n\n1. first\n2. second\n");
        round_trips("- loose\n\n- list\n\n  with two paragraphs\n\n> A quote\n>\n> - in a list\n");
        round_trips("```python\nprint('<hi>')\n```\n\nText with \\*stars\\*, a\\_b, [brackets], 1\\. and a | pipe.\n");
        round_trips(
            "Hard  \nbreak and ![An image](media/x.png \"T\") and ~~gone~~.\n\n***\n\n3. starts at three\n4. four\n",
        );
        round_trips("- a\n- b\n\n* c\n* d\n");
        round_trips("Café & crème, AT&T, 5 < 6 > 4, &copy; written out.\n");
        round_trips("**bold *and em* inside** and *em **and bold** inside*\n");
        round_trips("A link to [site path](media/file.pdf) and <https://auto.link/>.\n");
    }
}

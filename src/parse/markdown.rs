//! Markdown to HTML, with the rules a published timeline needs.
//!
//! - Raw HTML in Markdown is shown as text unless the site trusts its authors
//!   (`markdown.unsafe_html: true`).
//! - Links and images with relative addresses are taken as relative to the
//!   site root and written with [`ROOT_MARK`] in front; the renderer swaps
//!   the mark for the page's own relative prefix (`../../`), so the same HTML
//!   works on every page and from `file://`.
//! - `@/events/<slug>` links to another event's page; an unknown slug is
//!   reported with its line.
//! - `javascript:`, `vbscript:` and `data:` addresses are replaced by `#`.
//! - A `#` heading becomes `<h2>`: the page's only `<h1>` is its title.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use crate::hashing::HashSet;

/// Stands for "the path from this page to the site root" in rendered HTML.
/// A control character, so it can never come from the content itself:
/// [`render`] replaces any in its input.
pub const ROOT_MARK: char = '\u{1}';

/// How to render: the site's trust setting and the events links may name.
pub struct MarkdownContext<'a> {
    /// Pass raw HTML through instead of escaping it.
    pub unsafe_html: bool,
    /// Slugs of every event, for `@/events/<slug>` links.
    pub event_slugs: &'a HashSet<String>,
}

/// An `@/events/<slug>` link whose slug is not an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The address as written.
    pub target: String,
    /// Byte offset in the Markdown where the link starts.
    pub offset: usize,
}

/// Rendered HTML and any broken internal links found on the way.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rendered {
    /// The HTML, with [`ROOT_MARK`] before site-relative addresses.
    pub html: String,
    /// `@/events/…` links that name no event.
    pub broken_links: Vec<BrokenLink>,
    /// Where the first paragraph outside any other block is in the
    /// Markdown rendered: see [`Rendered::first_paragraph`].
    first_paragraph: Option<Range<usize>>,
}

impl Rendered {
    /// The Markdown source of the first paragraph of `markdown`, the text
    /// this was rendered from, for a default summary: found while
    /// rendering, so the text is not parsed again.
    pub fn first_paragraph<'m>(&self, markdown: &'m str) -> Option<&'m str> {
        let range = self.first_paragraph.clone()?;
        markdown.get(range).map(str::trim)
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders Markdown to HTML.
pub fn render(markdown: &str, context: &MarkdownContext<'_>) -> Rendered {
    let original = markdown;
    let cleaned;
    let markdown = if markdown.contains(ROOT_MARK) {
        cleaned = markdown.replace(ROOT_MARK, "\u{FFFD}");
        cleaned.as_str()
    } else {
        markdown
    };
    let mut broken_links = Vec::new();
    let mut events = Vec::new();
    let (mut depth, mut first_paragraph) = (0usize, None);
    let mut parser = Parser::new_ext(markdown, options()).into_offset_iter();
    while let Some((event, range)) = parser.next() {
        match &event {
            Event::Start(Tag::Paragraph) if depth == 0 && first_paragraph.is_none() => {
                first_paragraph = Some(range.clone());
            }
            // An image's own events are taken whole below.
            Event::Start(Tag::Image { .. }) => {}
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        match event {
            Event::Html(html) | Event::InlineHtml(html) if !context.unsafe_html => events.push(Event::Text(html)),
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => events.push(Event::Start(Tag::Heading {
                level: demote(level),
                id,
                classes,
                attrs,
            })),
            Event::End(TagEnd::Heading(level)) => events.push(Event::End(TagEnd::Heading(demote(level)))),
            Event::Start(Tag::Link { dest_url, title, .. }) => {
                let href = resolve(&dest_url, context, range.start, &mut broken_links);
                events.push(Event::InlineHtml(link_tag(&href, &title).into()));
            }
            Event::End(TagEnd::Link) => events.push(Event::InlineHtml("</a>".into())),
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                let src = resolve(&dest_url, context, range.start, &mut broken_links);
                let alt = image_alt(&mut parser);
                events.push(Event::InlineHtml(image_tag(&src, &alt, &title).into()));
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // Offsets into a cleaned text are not offsets into the original (a
    // mark is one byte, its stand-in three): look again, in the original.
    if markdown.len() != original.len() {
        first_paragraph = first_paragraph_range(original);
    }
    Rendered {
        html,
        broken_links,
        first_paragraph,
    }
}

/// The opening `<a>` of a link to `href`.
fn link_tag(href: &str, title: &str) -> String {
    let mut tag = String::from("<a href=\"");
    push_href(&mut tag, href);
    if !title.is_empty() {
        tag.push_str("\" title=\"");
        push_escaped(&mut tag, title);
    }
    tag.push_str("\">");
    tag
}

/// The words of an image's description, read up to the image's end: its
/// alt text, without markup.
fn image_alt<'a>(events: &mut impl Iterator<Item = (Event<'a>, Range<usize>)>) -> String {
    let mut alt = String::new();
    let mut depth = 0;
    for (inner, _) in events {
        match inner {
            Event::Start(_) => depth += 1,
            Event::End(_) if depth == 0 => break,
            Event::End(_) => depth -= 1,
            Event::Text(text) | Event::Code(text) | Event::InlineMath(text) | Event::DisplayMath(text) => {
                alt.push_str(&text)
            }
            Event::SoftBreak | Event::HardBreak => alt.push(' '),
            _ => {}
        }
    }
    alt
}

/// An `<img>` of `src`, loaded when it comes into view.
fn image_tag(src: &str, alt: &str, title: &str) -> String {
    let mut tag = String::from("<img src=\"");
    push_href(&mut tag, src);
    tag.push_str("\" alt=\"");
    push_escaped(&mut tag, alt);
    if !title.is_empty() {
        tag.push_str("\" title=\"");
        push_escaped(&mut tag, title);
    }
    tag.push_str("\" loading=\"lazy\">");
    tag
}

/// Where the first paragraph outside any other block is in `markdown`.
fn first_paragraph_range(markdown: &str) -> Option<Range<usize>> {
    let mut depth = 0usize;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => return Some(range),
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The words of a Markdown snippet without any markup, on one line.
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(words) | Event::Code(words) => text.push_str(&words),
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where a link really goes: [`ROOT_MARK`]-prefixed for site paths, `#`
/// for script addresses, unchanged for absolute URLs and fragments.
fn resolve(url: &CowStr<'_>, context: &MarkdownContext<'_>, offset: usize, broken: &mut Vec<BrokenLink>) -> String {
    let url = url.trim();
    if let Some(slug) = url.strip_prefix("@/events/") {
        let (slug, fragment) = slug.split_once('#').map_or((slug, None), |(s, f)| (s, Some(f)));
        let slug = slug.trim_end_matches('/');
        if !context.event_slugs.contains(slug) {
            broken.push(BrokenLink {
                target: url.to_string(),
                offset,
            });
            return "#".to_string();
        }
        let mut href = format!("{ROOT_MARK}events/{slug}/index.html");
        if let Some(fragment) = fragment {
            href.push('#');
            href.push_str(fragment);
        }
        return href;
    }
    if !is_safe_url(url) {
        return "#".to_string();
    }
    if is_site_relative(url) {
        format!("{ROOT_MARK}{}", url.trim_start_matches("./"))
    } else {
        url.to_string()
    }
}

/// False for addresses that would run code or embed data when followed,
/// also when written with character references (`&#106;avascript:`), which
/// a program reading `events.json` might decode.
pub fn is_safe_url(url: &str) -> bool {
    let head: String = url.chars().take(256).collect();
    let squeezed: String = decode_references(&head)
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .flat_map(char::to_lowercase)
        .collect();
    !["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|scheme| squeezed.starts_with(scheme))
}

/// Decodes numeric character references (`&#106;`, `&#x6A;`, with or
/// without the `;`) and the named ones that can hide a scheme (`&colon;`,
/// `&Tab;`, `&NewLine;`), as a browser would inside an attribute. Unlike
/// the importer's `decode_entities`, which turns HTML into text and reads
/// only well-formed references, this one must be as lenient as the most
/// lenient reader of the address, so it does not share that code.
fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        let named = [("colon;", ':'), ("tab;", '\t'), ("newline;", '\n')]
            .into_iter()
            .find(|(name, _)| {
                rest.get(..name.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(name))
            });
        if let Some((name, decoded)) = named {
            out.push(decoded);
            rest = &rest[name.len()..];
            continue;
        }
        let Some(number) = rest.strip_prefix('#') else {
            out.push('&');
            continue;
        };
        let (digits, radix) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (number, 10),
        };
        let end = digits.find(|c: char| !c.is_digit(radix)).unwrap_or(digits.len());
        match u32::from_str_radix(&digits[..end], radix).ok().and_then(char::from_u32) {
            Some(decoded) if end > 0 => {
                out.push(decoded);
                rest = digits[end..].strip_prefix(';').unwrap_or(&digits[end..]);
            }
            _ => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

/// A path inside the site: no scheme, not protocol-relative, not a fragment.
pub fn is_site_relative(url: &str) -> bool {
    let has_scheme = url.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    !(has_scheme || url.starts_with("//") || url.starts_with('#') || url.starts_with('?') || url.is_empty())
}

fn push_href(out: &mut String, href: &str) {
    // The mark is written as is; everything else is escaped as an href.
    let rest = match href.strip_prefix(ROOT_MARK) {
        Some(rest) => {
            out.push(ROOT_MARK);
            rest.trim_start_matches('/')
        }
        None => href,
    };
    let _ = escape_href(&mut *out, rest);
}

fn push_escaped(out: &mut String, text: &str) {
    let _ = escape_html(&mut *out, text);
}

/// The page's title is its only `<h1>`: a `#` heading in the text becomes
/// an `<h2>`, like `##`; the other levels stay as written.
fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(markdown: &str) -> String {
        let slugs: HashSet<String> = ["fair".to_string()].into_iter().collect();
        render(
            markdown,
            &MarkdownContext {
                unsafe_html: false,
                event_slugs: &slugs,
            },
        )
        .html
    }

    #[test]
    fn raw_html_is_escaped_unless_trusted() {
        assert_eq!(
            html("<script>alert(1)</script>\n"),
            "&lt;script&gt;alert(1)&lt;/script&gt;\n"
        );
        assert!(html("a <img src=x onerror=alert(1)> b").contains("&lt;img"));
        let slugs = HashSet::default();
        let trusted = render(
            "<b>bold</b>",
            &MarkdownContext {
                unsafe_html: true,
                event_slugs: &slugs,
            },
        );
        assert!(trusted.html.contains("<b>bold</b>"));
    }

    #[test]
    fn site_paths_get_the_root_mark_and_absolute_urls_do_not() {
        assert_eq!(html("[a](media/x.pdf)"), "<p><a href=\"\u{1}media/x.pdf\">a</a></p>\n");
        assert_eq!(
            html("[a](https://e.org/?a=1&b=2)"),
            "<p><a href=\"https://e.org/?a=1&amp;b=2\">a</a></p>\n"
        );
        assert_eq!(html("[a](#x)"), "<p><a href=\"#x\">a</a></p>\n");
        assert_eq!(
            html("![A \"cat\"](media/c.jpg)"),
            "<p><img src=\"\u{1}media/c.jpg\" alt=\"A “cat”\" loading=\"lazy\"></p>\n"
        );
    }

    #[test]
    fn event_links_resolve_or_are_reported() {
        assert_eq!(
            html("[F](@/events/fair)"),
            "<p><a href=\"\u{1}events/fair/index.html\">F</a></p>\n"
        );
        let slugs: HashSet<String> = ["fair".to_string()].into_iter().collect();
        let rendered = render(
            "x\n\n[G](@/events/nope)",
            &MarkdownContext {
                unsafe_html: false,
                event_slugs: &slugs,
            },
        );
        assert_eq!(
            rendered.broken_links,
            [BrokenLink {
                target: "@/events/nope".into(),
                offset: 3
            }]
        );
    }

    #[test]
    fn script_urls_are_neutralised() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "&#106;avascript:alert(1)",
            "java\tscript:x",
            "data:text/html,x",
            " vbscript:x",
        ] {
            let out = html(&format!("[x](<{url}>)"));
            assert!(out.contains("href=\"#\""), "{url} → {out}");
        }
    }

    #[test]
    fn addresses_from_front_matter_are_checked_with_their_character_references_decoded() {
        for url in [
            "&#106;avascript:alert(7)",
            "&#x6A;avascript&colon;alert(7)",
            "java&Tab;script:alert(7)",
            "&#0000106avascript:alert(7)",
            "&#100;ata:text/html,x",
        ] {
            assert!(!is_safe_url(url), "{url}");
        }
        for url in [
            "https://example.org/?a=1&b=2",
            "images/a&b.png",
            "&amp;",
            "mailto:a@b.org",
        ] {
            assert!(is_safe_url(url), "{url}");
        }
    }

    #[test]
    fn the_title_is_the_only_h1() {
        assert_eq!(html("# A"), "<h2>A</h2>\n");
        assert_eq!(html("## B"), "<h2>B</h2>\n");
        assert_eq!(html("### C"), "<h3>C</h3>\n");
    }

    #[test]
    fn the_mark_cannot_be_smuggled_in() {
        assert!(!html("a\u{1}b").contains('\u{1}'));
    }

    #[test]
    fn first_paragraph_skips_headings_and_returns_source() {
        let slugs = HashSet::default();
        let context = MarkdownContext {
            unsafe_html: false,
            event_slugs: &slugs,
        };
        let first = |markdown| render(markdown, &context).first_paragraph(markdown);
        assert_eq!(first("# Head\n\nOne *two*\nthree.\n\nNext."), Some("One *two*\nthree."));
        assert_eq!(first("> quote\n\npara"), Some("para"));
        assert_eq!(
            first("- a list\n\n![image *alt*](x.png) and text\n\nlast"),
            Some("![image *alt*](x.png) and text")
        );
        assert_eq!(first(""), None);
        // Found in the original even when the text had to be cleaned.
        assert_eq!(first("# \u{1}\n\nOne \u{1} two\n\nNext."), Some("One \u{1} two"));
    }
}

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
//!
//! `tree` reads the HTML; the [`Converter`] walks it, in `blocks` at block
//! level and in `inline` within a paragraph; `escape` writes text that
//! Markdown reads back as written; `plain_text` takes only the words;
//! `embed` reads embed code given for media, and `players` the page
//! behind a player's address.

mod blocks;
mod embed;
mod escape;
mod inline;
mod plain_text;
mod players;
#[cfg(test)]
mod tests;
mod tree;

use std::collections::BTreeSet;

use blocks::join;
use escape::{escape_text, finish_inline};
use plain_text::{collapse_spaces, collect_text};
use tree::parse;

pub use embed::{embed, links, Embed};
pub use players::player_page;

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

/// Walks the HTML tree writing Markdown, and notes the elements it had to
/// keep as HTML or leave out. Its methods are in `blocks` and `inline`.
#[derive(Default)]
struct Converter {
    raw: BTreeSet<String>,
    dropped: BTreeSet<String>,
}

/// Elements whose content is not words for the reader.
fn is_dropped(name: &str) -> bool {
    matches!(name, "script" | "style" | "template" | "noscript")
}

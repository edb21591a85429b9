//! Checking a site some of whose files did not parse, so that one run names
//! every problem.
//!
//! When a file fails to parse, the build cannot render, but the files that
//! did parse can still be checked against each other: duplicate slugs and
//! missing media by [`crate::model`], and `@/events/` links here, the check
//! the renderer would otherwise make. A file that failed to parse is not
//! gone: its event is "known but broken", so a link to it or a translation
//! of it is not reported as a second, false problem.

use std::sync::Arc;

use crate::diagnostic::{shorten, Code, Diagnostic};
use crate::hashing::HashSet;
use crate::parse::event::{default_slug_from_path, Event};
use crate::parse::markdown::{self, BrokenLink, MarkdownContext};
use crate::parse::page::{Intro, Page, INTRO_FILE};
use crate::slug::Slug;

/// The slugs a file that failed to parse would probably have given its
/// events: the one from its name, and every `slug:` (and, in a YAML
/// file, every `title:`) written in it. Guessing too many only means a
/// link to a broken event is not reported twice.
pub fn slugs_of_broken_file(path: &str, text: &str) -> Vec<Slug> {
    let mut slugs = vec![default_slug_from_path(path)];
    for line in text.lines() {
        let entry = line.trim_start();
        let entry = entry.strip_prefix("- ").unwrap_or(entry).trim_start();
        let value = entry
            .strip_prefix("slug:")
            .or_else(|| (!path.ends_with(".md")).then(|| entry.strip_prefix("title:")).flatten());
        if let Some(value) = value {
            let value = value.trim().trim_matches(['"', '\'']);
            if !value.is_empty() {
                slugs.push(Slug::from_text(value));
            }
        }
    }
    slugs
}

/// Every `@/events/<slug>` link, in the events, pages and intro given,
/// whose slug is not in `known`.
pub fn unknown_event_links(
    events: &[Arc<Event>],
    pages: &[Page],
    intro: &Intro,
    known: &HashSet<String>,
    unsafe_html: bool,
) -> Vec<Diagnostic> {
    let context = MarkdownContext {
        unsafe_html,
        event_slugs: known,
    };
    // Only Markdown that holds such a link is read.
    let broken = |markdown: &str| -> Vec<BrokenLink> {
        if markdown.contains("@/events/") {
            markdown::render(markdown, &context).broken_links
        } else {
            Vec::new()
        }
    };
    let mut found = Vec::new();
    for event in events {
        for link in broken(&event.body) {
            let mut diagnostic = broken_link(event.body_file(), &event.body, event.body_line, &link);
            if !event.body_file().ends_with(".md") {
                // A YAML block scalar is indented: the column in the
                // Markdown is not the column in the file.
                diagnostic.column = 0;
            }
            found.push(diagnostic);
        }
        if let Some(summary) = &event.summary {
            for link in broken(summary) {
                // The summary sits inside a YAML value; name the file only.
                let mut diagnostic = broken_link(event.summary_file(), summary, 1, &link);
                (diagnostic.line, diagnostic.column, diagnostic.source_line) = (0, 0, None);
                found.push(diagnostic);
            }
        }
    }
    for page in pages {
        for link in broken(&page.body) {
            found.push(broken_link(&page.path, &page.body, page.body_line, &link));
        }
    }
    for link in broken(&intro.body) {
        found.push(broken_link(INTRO_FILE, &intro.body, intro.body_line, &link));
    }
    found
}

/// The error for one link to an unknown event, at its place in the file
/// whose Markdown starts on `first_line`.
fn broken_link(path: &str, markdown: &str, first_line: usize, link: &BrokenLink) -> Diagnostic {
    // The offset is into the Markdown as the renderer read it, which may
    // differ from `markdown` by a replaced character: never cut inside one.
    let mut cut = link.offset.min(markdown.len());
    while !markdown.is_char_boundary(cut) {
        cut -= 1;
    }
    let before = &markdown[..cut];
    let line_in_text = before.matches('\n').count();
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    let mut diagnostic = Diagnostic::error(path, format!("the link `{}` names no event", link.target))
        .with_code(Code::BrokenLink)
        .with_hint("link to another event as `[text](@/events/<its slug>)`");
    diagnostic.line = first_line.max(1) + line_in_text;
    diagnostic.column = column;
    diagnostic.source_line = Some(shorten(markdown.lines().nth(line_in_text).unwrap_or_default()));
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::event::parse_event_file;

    #[test]
    fn a_broken_file_is_known_by_its_name_and_the_slugs_written_in_it() {
        let slugs = slugs_of_broken_file("content/events/2001-lab.md", "---\ntitle: [x\nslug: the-lab\n---\n");
        let slugs: Vec<&str> = slugs.iter().map(Slug::as_str).collect();
        assert_eq!(slugs, ["lab", "the-lab"]);
        let slugs = slugs_of_broken_file("content/events/b.yaml", "events:\n  - title: First One\n    date: [\n");
        assert!(slugs.iter().any(|slug| slug.as_str() == "first-one"), "{slugs:?}");
    }

    #[test]
    fn links_to_unknown_events_are_found_at_their_line_and_column() {
        let text = "---\ntitle: A\ndate: 2001\n---\nSee [b](@/events/b) and [c](@/events/c).\n";
        let events: Vec<Arc<Event>> = parse_event_file("content/events/a.md", text)
            .unwrap()
            .into_iter()
            .map(Arc::new)
            .collect();
        let known: HashSet<String> = ["b".to_string()].into_iter().collect();
        let found = unknown_event_links(&events, &[], &Intro::default(), &known, false);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].line, found[0].column), (5, 25));
        assert_eq!(found[0].code, Some(Code::BrokenLink));
        assert!(found[0].message.contains("@/events/c"));
    }
}

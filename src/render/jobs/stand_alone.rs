//! The pages outside the timeline: each stand-alone page of
//! `content/pages/`, and the page for addresses that lead nowhere (404).

use crate::diagnostic::Diagnostic;
use crate::parse::markdown::{self, MarkdownContext};
use crate::parse::page::Page;
use crate::render::event::broken_link;
use crate::render::theme::Theme;
use crate::render::Shared;

use super::{theme_string, Job};

/// Every stand-alone page, its Markdown rendered; links to unknown events
/// are added to `problems`.
pub(super) fn stand_alone_pages(
    shared: &Shared<'_>,
    md: &MarkdownContext<'_>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Job> {
    shared
        .site
        .pages
        .iter()
        .map(|page| stand_alone_page(page, md, problems))
        .collect()
}

/// One stand-alone page; its description is its own or its first
/// paragraph's words.
fn stand_alone_page(page: &Page, md: &MarkdownContext<'_>, problems: &mut Vec<Diagnostic>) -> Job {
    let body = markdown::render(&page.body, md);
    problems.extend(
        body.broken_links
            .iter()
            .map(|link| broken_link(&page.path, &page.body, page.body_line, link)),
    );
    let description = page
        .description
        .clone()
        .unwrap_or_else(|| markdown::plain_text(body.first_paragraph(&page.body).unwrap_or_default()));
    Job::new(
        format!("{}/index.html", page.slug),
        "page.html",
        "page",
        page.title.clone(),
        description,
    )
    .text("page_title", &Some(page.title.clone()))
    .text("content_html", &Some(body.html))
}

/// The page for addresses that lead nowhere.
pub(super) fn not_found_page(shared: &Shared<'_>, theme: &Theme) -> Job {
    Job::new(
        "404.html".into(),
        "404.html",
        "404",
        theme_string(theme, "not_found_title", "Not found"),
        shared.site.config.description.clone(),
    )
}

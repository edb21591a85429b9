//! What a build that cannot go on still checks: the files that parsed, of
//! a site some of whose files did not, checked against each other so that
//! one run names every problem.

use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::hashing::HashSet;
use crate::load::SourceTexts;
use crate::model::partial_check;
use crate::model::{Inputs, Orders, Site};
use crate::parse::event::Event;
use crate::parse::page::{Intro, Page, INTRO_FILE, PAGES_DIR};
use crate::parse::translation;
use crate::slug::Slug;

/// The files that parsed, of a site that cannot be built: what is left to
/// check so that one run names every problem.
pub(super) struct WhatParsed<'a> {
    pub config: &'a Config,
    pub intro: &'a Intro,
    pub pages: &'a [Page],
    pub inputs: &'a Inputs<'a>,
    /// The slugs events of files that failed to parse would have.
    pub broken_slugs: &'a [Slug],
}

impl WhatParsed<'_> {
    /// The problems of the site as a whole among `events` — duplicate
    /// slugs, missing media (`assembled`, when the assembly already ran),
    /// and links to events that do not exist. Warnings that only a good
    /// site can judge (tags used once…) wait for one.
    pub fn check(&self, events: &[Arc<Event>], assembled: Option<Vec<Diagnostic>>) -> Vec<Diagnostic> {
        let mut found = assembled.unwrap_or_else(|| {
            match Site::assemble(
                self.config.clone(),
                self.intro.clone(),
                events.to_vec(),
                self.pages.to_vec(),
                self.inputs,
                &mut Orders::one_shot(),
            ) {
                Ok((_, warnings)) => warnings,
                Err(problems) => problems,
            }
        });
        let drafts = self.inputs.drafts;
        let events: Vec<Arc<Event>> = events.iter().filter(|event| drafts || !event.draft).cloned().collect();
        let pages: Vec<Page> = self
            .pages
            .iter()
            .filter(|page| drafts || !page.draft)
            .cloned()
            .collect();
        let known: HashSet<String> = events
            .iter()
            .map(|event| &event.slug)
            .chain(self.broken_slugs)
            .map(|slug| slug.to_string())
            .collect();
        found.extend(partial_check::unknown_event_links(
            &events,
            &pages,
            self.intro,
            &known,
            self.config.unsafe_html,
        ));
        found
    }
}

/// What the events of the files that failed to parse would be called.
pub(super) fn broken_slugs(broken: &HashSet<&str>, texts: &dyn SourceTexts) -> Vec<Slug> {
    broken
        .iter()
        .filter(|path| crate::load::is_event_file(path) && translation::translation_of(path).is_none())
        .filter(|path| **path != INTRO_FILE && !path.starts_with(PAGES_DIR))
        .flat_map(|path| partial_check::slugs_of_broken_file(path, &texts.text_of(path)))
        .collect()
}

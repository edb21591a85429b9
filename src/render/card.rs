//! Each event's entry in lists of events, rendered once per event.
//!
//! The timeline, its parts and the tag, track and era pages list the same
//! events again and again. The theme's `partials/event_item.html` is
//! rendered once for each event, with `root` left as a mark the page swaps
//! for its own, and list templates take it from `event.card_html`: a page
//! of 2,000 events is then a matter of joining texts, not of running a
//! template 2,000 times.

use tera::{Context, Value};

use crate::diagnostic::Diagnostic;
use crate::parse::markdown::ROOT_MARK;
use crate::render::theme::{template_diagnostic, Theme};

use super::Languages;
use crate::memo::Key;

/// The template of an entry.
pub const CARD_TEMPLATE: &str = "partials/event_item.html";

/// The field of an event's value that holds its entry.
pub const CARD_FIELD: &str = "card_html";

/// What every entry is rendered with besides its event.
pub struct Cards<'a> {
    theme: &'a Theme,
    theme_name: &'a str,
    strings: Value,
    languages: Value,
    /// The key of all of the above.
    pub key: Key,
}

impl<'a> Cards<'a> {
    /// The entries of `theme`, or `None` if it has no entry template.
    pub fn new(theme: &'a Theme, theme_name: &'a str, languages: &Languages) -> Option<Self> {
        if !theme.sources.iter().any(|(name, _)| name == CARD_TEMPLATE) {
            return None;
        }
        // An entry is the same on every page, so it knows the languages
        // but not the addresses of this page in them.
        let links = languages.links(|_| (String::new(), None));
        Some(Cards {
            theme,
            theme_name,
            strings: Value::from_serializable(&theme.strings),
            languages: Value::from_serializable(&links),
            key: Key::of(&(theme.key, &languages.all, languages.current)),
        })
    }

    /// The entry of the event whose template value is `event`.
    pub fn render(&self, event: &Value, slug: &str) -> Result<String, Diagnostic> {
        let mut context = Context::new();
        context.insert_value("event", event.clone());
        context.insert_value("t", self.strings.clone());
        context.insert_value("languages", self.languages.clone());
        context.insert("root", &ROOT_MARK.to_string());
        self.theme.tera.render(CARD_TEMPLATE, &context).map_err(|error| {
            let mut diagnostic = template_diagnostic(self.theme_name, &error, &self.theme.sources);
            diagnostic.message = format!(
                "{} (while rendering the list entry of `events/{slug}/`)",
                diagnostic.message
            );
            diagnostic
        })
    }
}

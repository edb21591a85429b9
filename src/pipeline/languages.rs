//! Each language's copy of a site: the originals with that language's
//! translations laid over them. An event without a translation is shown as
//! written, marked untranslated; a page or intro without one likewise.

use std::sync::Arc;

use super::content::Translations;
use crate::config::Config;
use crate::lang::Lang;
use crate::parse::event::Event;
use crate::parse::page::{Intro, Page};
use crate::parse::translation;

/// What one language's site is assembled from.
pub(super) struct InLanguage {
    pub config: Config,
    pub intro: Intro,
    pub events: Vec<Arc<Event>>,
    pub pages: Vec<Page>,
}

/// The site in `lang`, with its translations `words`. The default
/// language's events are the originals, shared.
pub(super) fn in_language(
    lang: Lang,
    config: &Config,
    words: &Translations,
    events: &[Arc<Event>],
    pages: &[Page],
    intro: &Intro,
) -> InLanguage {
    let default = config.default_language();
    let localised = |event: &Arc<Event>| -> Arc<Event> {
        let key = (event.origin.path.clone(), None);
        let batch_key = (event.origin.path.clone(), Some(event.slug.clone()));
        Arc::new(match words.events.get(&key).or_else(|| words.events.get(&batch_key)) {
            Some(found) => translation::translate(event, found),
            None => {
                let mut untranslated = Event::clone(event);
                untranslated.untranslated = true;
                untranslated.key = event.key.and("untranslated");
                untranslated
            }
        })
    };
    let events: Vec<Arc<Event>> = if lang == default {
        events.to_vec()
    } else {
        events.iter().map(localised).collect()
    };
    let pages: Vec<Page> = pages
        .iter()
        .map(|page| match words.pages.get(&page.path) {
            Some(found) => Page {
                slug: page.slug.clone(),
                ..found.clone()
            },
            None => page.clone(),
        })
        .collect();
    let mut config_here = config.for_language(lang);
    if lang != default {
        config_here.base_url = config_here.base_url.map(|base| format!("{base}{}/", lang.code()));
    }
    InLanguage {
        config: config_here,
        intro: words.intro.clone().unwrap_or_else(|| intro.clone()),
        events,
        pages,
    }
}

//! Each language's copy of a site: the originals with that language's
//! translations laid over them. An event without a translation is shown as
//! written, marked untranslated; a page or intro without one likewise.
//! Each copy is assembled into a [`Site`] of its own.

use std::sync::Arc;

use super::content::Translations;
use super::Caches;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::hashing::{HashMap, HashSet};
use crate::lang::Lang;
use crate::load::{Asset, SourceTexts};
use crate::model::{lint, Inputs, Site};
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

/// Every language's site, assembled.
pub(super) struct Assembly {
    /// Each language's site, the default last.
    pub sites: Vec<(Lang, Site)>,
    /// The default language's warnings.
    pub warnings: Vec<Diagnostic>,
    /// The default language's number of events.
    pub event_count: usize,
}

/// What every language's copy of a site is assembled from.
pub(super) struct EachLanguage<'a> {
    pub config: &'a Config,
    pub events: &'a [Arc<Event>],
    pub pages: &'a [Page],
    pub intro: &'a Intro,
    pub inputs: &'a Inputs<'a>,
    pub texts: &'a dyn SourceTexts,
    /// The files under `content/` some content text mentions.
    pub mentioned: &'a HashSet<&'a str>,
    pub assets: &'a [Asset],
}

impl EachLanguage<'_> {
    /// Each language's site (none when `unchanged`: the output holds this
    /// very build), the default language's warnings and its number of
    /// events; or the problems that stopped an assembly.
    pub fn assemble(
        &self,
        mut translations: HashMap<Lang, Translations>,
        caches: &mut Caches,
        unchanged: bool,
    ) -> Result<Assembly, Vec<Diagnostic>> {
        let default = self.config.default_language();
        let mut warnings = Vec::new();
        let mut event_count = 0;
        let mut sites = Vec::with_capacity(self.config.languages.len());
        // The default language comes last, so it can take the events
        // rather than copy them.
        let mut order: Vec<Lang> = self
            .config
            .languages
            .iter()
            .copied()
            .filter(|&lang| lang != default)
            .collect();
        order.push(default);
        for lang in order {
            let words = translations.remove(&lang).unwrap_or_default();
            let here = in_language(lang, self.config, &words, self.events, self.pages, self.intro);
            let (site, mut found) = Site::assemble(
                here.config,
                here.intro,
                here.events,
                here.pages,
                self.inputs,
                &mut caches.orders,
            )?;
            if lang == default {
                found.extend(lint::lint(
                    &site,
                    self.texts,
                    self.mentioned,
                    self.assets,
                    &mut caches.findings,
                ));
                warnings.extend(found);
                event_count = site.events.len();
            }
            if !unchanged {
                sites.push((lang, site));
            }
        }
        caches.orders.end_build();
        Ok(Assembly {
            sites,
            warnings,
            event_count,
        })
    }
}

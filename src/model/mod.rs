//! The site as a whole: events sorted and cross-checked, tracks, tags, eras.
//!
//! [`Site::assemble`] takes what the parsers produced and checks what no
//! single file can know: duplicate slugs, media files that do not exist,
//! tracks not declared (created on the fly), pages whose URL would clash.
//! It is pure, but for the memo table of orders ([`Orders`]) the preview
//! may hand it, which changes how fast it is and never what it finds;
//! every problem becomes a [`Diagnostic`].

pub mod lint;
pub mod partial_check;

use std::collections::BTreeMap;
use std::hash::Hash;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{Config, Era, Track};
use crate::date::{Date, EndDate};
use crate::diagnostic::{Code, Diagnostic};
use crate::hashing::{map_with_capacity, HashMap, HashSet};
use crate::memo::{Key, Memo};
use crate::parse::event::{key_position, Event};
use crate::parse::page::{Intro, Page};
use crate::slug::Slug;

/// Top-level output folders a page may not take as its slug (nor may it take
/// a language code: `fr/` holds the French site).
const RESERVED: [&str; 8] = ["events", "tags", "tracks", "eras", "media", "assets", "embed", "static"];

/// A tag and the events that carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The name as first written.
    pub name: String,
    /// Its URL name.
    pub slug: Slug,
    /// Indexes into [`Site::events`], in timeline order.
    pub events: Vec<usize>,
}

/// The validated site, ready to render.
#[derive(Debug, Clone)]
pub struct Site {
    /// Settings.
    pub config: Config,
    /// Intro text for the timeline page.
    pub intro: Intro,
    /// Every published event, oldest first. Events are shared with the
    /// parse cache of a site rebuilt again and again.
    pub events: Vec<Arc<Event>>,
    /// Stand-alone pages, by weight then title.
    pub pages: Vec<Page>,
    /// Declared tracks, then tracks events named without declaring them.
    pub tracks: Vec<Track>,
    /// Tags, sorted by slug.
    pub tags: Vec<Tag>,
    /// The key of every event's date, end, weight, place, slug and tags,
    /// in timeline order: of all that the order of the events, their tags,
    /// the set of slugs and the timeline's layout are made from.
    pub shape: Key,
}

/// The events' timeline order and tags, and the site's shape: a function of
/// each event's date, end, weight, place, slug and tags, in the order the
/// events came ([`order_key`]). The usual edit (a body, a title, a summary)
/// changes none of these; then the preview takes the order from its table
/// instead of sorting and grouping 10,000 events again.
#[derive(Debug)]
pub struct Ordered {
    /// The timeline order, as indexes into the events as they came.
    order: Vec<usize>,
    /// The tags, by slug.
    tags: BTreeMap<Slug, Tag>,
    /// [`Site::shape`] of the sorted events.
    shape: Key,
}

/// The memo table of orders.
pub type Orders = Memo<Arc<Ordered>>;

/// What an event's place in the timeline, its slug and its tags are made
/// from.
fn place_of(event: &Event) -> impl Hash + '_ {
    (
        event.date,
        event.end,
        event.weight,
        &event.origin.path,
        event.origin.first_line,
        &event.slug,
        &event.tags,
    )
}

/// The key of the events' order: each one's place, in the order they came.
fn order_key(events: &[Arc<Event>]) -> Key {
    let places: Vec<_> = events.iter().map(|event| place_of(event)).collect();
    Key::of(&places)
}

/// What went into the site besides the parsed files.
pub struct Inputs<'a> {
    /// Site-relative paths of every asset under `content/` (for media checks).
    pub content_assets: &'a HashSet<String>,
    /// The text of every content file, to quote lines in diagnostics.
    pub texts: &'a HashMap<&'a str, &'a str>,
    /// Whether drafts are published.
    pub drafts: bool,
}

impl Site {
    /// Checks and orders the parsed content. Returns the site and its
    /// warnings, or every error found. The order and tags come from
    /// `orders` when it has them, and are kept there (a one-shot table
    /// keeps nothing); the caller ends the table's build.
    pub fn assemble(
        config: Config,
        intro: Intro,
        events: Vec<Arc<Event>>,
        pages: Vec<Page>,
        inputs: &Inputs<'_>,
        orders: &mut Orders,
    ) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let text_of = |path: &str| inputs.texts.get(path).copied().unwrap_or("");
        let events: Vec<Arc<Event>> = events
            .into_iter()
            .filter(|event| inputs.drafts || !event.draft)
            .collect();
        let key = order_key(&events);
        // An order is kept only when it found no slug used twice.
        let (ordered, mut slug_errors) = match orders.get(key) {
            Some(kept) => (kept, Vec::new()),
            None => {
                let order = timeline_order(&events);
                let sorted: Vec<Arc<Event>> = order.iter().map(|&at| Arc::clone(&events[at])).collect();
                // Two independent passes over every event, side by side.
                let (slug_errors, tags) =
                    rayon::join(|| duplicate_slugs(&sorted, inputs.texts), || group_tags(&sorted));
                let places: Vec<_> = sorted.iter().map(|event| place_of(event)).collect();
                let ordered = Arc::new(Ordered {
                    order,
                    tags,
                    shape: Key::of(&places),
                });
                if slug_errors.is_empty() {
                    orders.keep(key, Arc::clone(&ordered));
                }
                (ordered, slug_errors)
            }
        };
        let events: Vec<Arc<Event>> = ordered.order.iter().map(|&at| Arc::clone(&events[at])).collect();
        let shape = ordered.shape;
        let tags = ordered.tags.clone();
        errors.append(&mut slug_errors);
        for event in &events {
            // The file's text is looked up only to quote it in a problem.
            let text = || text_of(&event.origin.path);
            for media in event.media.iter().filter(|media| media.local) {
                let expected = format!("content/{}", media.src);
                if media.src.split('/').any(|part| part == ".." || part == ".")
                    || !inputs.content_assets.contains(&expected)
                {
                    let (line, column) = event.position_of(text(), "src");
                    errors.push(
                        Diagnostic::error(&event.origin.path, format!("the media file `{expected}` does not exist"))
                            .at(text(), line, column)
                            .with_code(Code::MissingMedia)
                            .with_hint("media paths are relative to `content/`, e.g. `media/photo.jpg` for `content/media/photo.jpg`"),
                    );
                }
            }
            if event.sources.is_empty() {
                let (line, column) = event.position_of(text(), "title");
                warnings.push(
                    Diagnostic::warning(
                        &event.origin.path,
                        format!("the event `{}` cites no sources", event.slug),
                    )
                    .at(text(), line, column)
                    .with_code(Code::NoSources)
                    .with_hint("add `sources:` so readers can check the facts"),
                );
            }
        }

        let mut tracks = config.tracks.clone();
        for event in &events {
            if let Some(track) = &event.track {
                if !tracks.iter().any(|known| &known.id == track) {
                    tracks.push(Track {
                        id: track.clone(),
                        title: track.to_string(),
                        colour: None,
                        order: i64::MAX,
                    });
                }
            }
        }

        let mut pages: Vec<Page> = pages.into_iter().filter(|page| inputs.drafts || !page.draft).collect();
        pages.sort_by(|a, b| (a.weight, &a.title, &a.path).cmp(&(b.weight, &b.title, &b.path)));
        let mut page_slugs: HashMap<&str, &str> = HashMap::default();
        for page in &pages {
            let slug = page.slug.as_str();
            let clash = (RESERVED.contains(&slug) || crate::lang::Lang::ALL.iter().any(|lang| lang.code() == slug))
                .then(|| "a folder annals uses".to_string())
                .or_else(|| {
                    page_slugs
                        .insert(page.slug.as_str(), &page.path)
                        .map(|other| format!("the page {other}"))
                });
            if let Some(clash) = clash {
                let text = text_of(&page.path);
                let (line, column) = key_position(text, "slug", 1, usize::MAX);
                errors.push(
                    Diagnostic::error(
                        &page.path,
                        format!("the page's URL `{}/` clashes with {clash}", page.slug),
                    )
                    .at(text, line, column)
                    .with_code(Code::PageSlugClash)
                    .with_hint("set a different `slug:`"),
                );
            }
        }

        if !errors.is_empty() {
            errors.extend(warnings);
            return Err(errors);
        }
        let site = Site {
            config,
            intro,
            events,
            pages,
            tracks,
            tags: tags.into_values().collect(),
            shape,
        };
        Ok((site, warnings))
    }

    /// The eras an event falls in.
    pub fn eras_of<'a>(&'a self, event: &'a Event) -> impl Iterator<Item = &'a Era> + 'a {
        self.config.eras.iter().filter(move |era| in_era(&event.date, era))
    }

    /// The events of each era of `config.eras`, as indexes in timeline
    /// order. The events are in date order, and an era holds those from its
    /// start to its end: one run of them, found by two binary searches
    /// rather than by reading every event's date.
    pub fn era_events(&self) -> Vec<Vec<usize>> {
        self.config
            .eras
            .iter()
            .map(|era| {
                let from = self.events.partition_point(|event| !after_start(&event.date, era));
                let to = self.events.partition_point(|event| before_end(&event.date, era));
                (from..to.max(from)).collect()
            })
            .collect()
    }

    /// The events of each track of `tracks`, as indexes in timeline order.
    pub fn track_events(&self) -> Vec<Vec<usize>> {
        let place: HashMap<&Slug, usize> = self
            .tracks
            .iter()
            .enumerate()
            .map(|(at, track)| (&track.id, at))
            .collect();
        let mut events = vec![Vec::new(); self.tracks.len()];
        for (index, event) in self.events.iter().enumerate() {
            if let Some(at) = event.track.as_ref().and_then(|id| place.get(id)) {
                events[*at].push(index);
            }
        }
        events
    }
}

/// The timeline order of `events`, as indexes: by date, end and weight,
/// then by file and line so that the order is the same in every build.
fn timeline_order(events: &[Arc<Event>]) -> Vec<usize> {
    // Sorted by keys gathered once, not looked up in each comparison.
    let mut order: Vec<(Date, Option<EndDate>, i64, usize)> = events
        .iter()
        .enumerate()
        .map(|(at, event)| (event.date, event.end, event.weight, at))
        .collect();
    order.par_sort_unstable_by(|a, b| {
        (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)).then_with(|| {
            let (a, b) = (&events[a.3].origin, &events[b.3].origin);
            (&a.path, a.first_line).cmp(&(&b.path, b.first_line))
        })
    });
    order.into_iter().map(|(.., at)| at).collect()
}

/// An error for each event whose slug an earlier event already has.
/// `texts` holds each file's text, to quote the line.
fn duplicate_slugs(events: &[Arc<Event>], texts: &HashMap<&str, &str>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut first_with_slug: HashMap<&str, &Arc<Event>> = map_with_capacity(events.len());
    for event in events {
        if let Some(first) = first_with_slug.insert(event.slug.as_str(), event) {
            let text = texts.get(event.origin.path.as_str()).copied().unwrap_or("");
            let (line, column) = event.position_of(text, "slug");
            errors.push(
                Diagnostic::error(
                    &event.origin.path,
                    format!(
                        "the slug `{}` is also used by {}:{}",
                        event.slug, first.origin.path, first.origin.first_line
                    ),
                )
                .at(text, line, column)
                .with_code(Code::DuplicateSlug)
                .with_hint("give one of the two events a different `slug:`"),
            );
        }
    }
    errors
}

/// Each tag with the events that carry it, in timeline order, by slug.
///
/// Events are grouped by the name written, in parallel runs joined in
/// order; a site uses a few dozen names, so each is made a slug once, and
/// names with the same slug are one tag, named as it was first written.
fn group_tags<'a>(events: &'a [Arc<Event>]) -> BTreeMap<Slug, Tag> {
    // Per name: where it is first written (event, place in its tags), and
    // the events that carry it, in order.
    type Named<'a> = HashMap<&'a str, ((usize, usize), Vec<usize>)>;
    let group_run = |mut names: Named<'a>, (index, event): (usize, &'a Arc<Event>)| {
        for (place, name) in event.tags.iter().enumerate() {
            names
                .entry(name.as_str())
                .or_insert_with(|| ((index, place), Vec::new()))
                .1
                .push(index);
        }
        names
    };
    let names: Named<'a> = events.par_iter().enumerate().fold(HashMap::default, group_run).reduce(
        HashMap::default,
        |mut earlier, later| {
            for (name, (first, indexes)) in later {
                match earlier.get_mut(name) {
                    // The earlier run's events come first.
                    Some(known) => known.1.extend(indexes),
                    None => {
                        earlier.insert(name, (first, indexes));
                    }
                }
            }
            earlier
        },
    );
    let mut tags: BTreeMap<Slug, ((usize, usize), Tag)> = BTreeMap::new();
    for (name, (first, indexes)) in names {
        let slug = Slug::from_text(name);
        match tags.get_mut(&slug) {
            Some((known_first, tag)) => {
                if first < *known_first {
                    *known_first = first;
                    tag.name = name.to_string();
                }
                tag.events.extend(indexes);
                tag.events.sort_unstable();
            }
            None => {
                let tag = Tag {
                    name: name.to_string(),
                    slug: slug.clone(),
                    events: indexes,
                };
                tags.insert(slug, (first, tag));
            }
        }
    }
    tags.into_iter().map(|(slug, (_, tag))| (slug, tag)).collect()
}

/// Whether `date` falls within the era, comparing at the era's precision:
/// an era ending "2025-11" includes 19 November 2025.
fn in_era(date: &Date, era: &Era) -> bool {
    after_start(date, era) && before_end(date, era)
}

/// Whether `date` is not before the era's start. The dates the start covers
/// (all of 1984 for a start of `c. 1984`) sort right around it, so in date
/// order this is false for some first dates and true for all the rest.
fn after_start(date: &Date, era: &Era) -> bool {
    date >= &era.start || era.start.covers(date)
}

/// Whether `date` is not after the era's end: true for some first dates in
/// date order and false for all the rest.
fn before_end(date: &Date, era: &Era) -> bool {
    match era.end {
        None | Some(EndDate::Ongoing) => true,
        Some(EndDate::On(end)) => date <= &end || end.covers(date),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::event::parse_event_file;
    use crate::parse::page::parse_page;

    fn site(files: &[(&str, &str)], config: &str) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
        site_kept(files, config, &mut Orders::one_shot())
    }

    fn site_kept(
        files: &[(&str, &str)],
        config: &str,
        orders: &mut Orders,
    ) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
        let config = Config::parse(config).unwrap();
        let mut events = Vec::new();
        let mut pages = Vec::new();
        for (path, text) in files {
            if path.starts_with("content/pages/") {
                pages.push(parse_page(path, text).unwrap());
            } else {
                events.extend(parse_event_file(path, text).unwrap().into_iter().map(Arc::new));
            }
        }
        let assets: HashSet<String> = ["content/media/a.jpg".to_string()].into_iter().collect();
        let texts: HashMap<&str, &str> = files.iter().copied().collect();
        Site::assemble(
            config,
            Intro::default(),
            events,
            pages,
            &Inputs {
                content_assets: &assets,
                texts: &texts,
                drafts: false,
            },
            orders,
        )
    }

    /// What a site's order and tags come to, to compare two assemblies.
    fn shape(site: &Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>>) -> String {
        match site {
            Ok((site, _)) => {
                let events: Vec<&str> = site.events.iter().map(|event| event.title.as_str()).collect();
                let tags: Vec<(&str, &str, &[usize])> = site
                    .tags
                    .iter()
                    .map(|tag| (tag.name.as_str(), tag.slug.as_str(), tag.events.as_slice()))
                    .collect();
                format!("{events:?} {tags:?}")
            }
            Err(problems) => format!("{:?}", problems.iter().map(|p| &p.message).collect::<Vec<_>>()),
        }
    }

    #[test]
    fn a_kept_order_gives_what_a_fresh_assembly_gives_after_every_kind_of_edit() {
        let event = |title: &str, date: &str, slug: &str, tags: &str| {
            format!("---\ntitle: {title}\ndate: {date}\nslug: {slug}\ntags: [{tags}]\nsources: [{{title: S}}]\n---\nBody.\n")
        };
        let a = event("A", "2001", "a", "x, Y");
        let c = event("C", "2003", "c", "y");
        let versions = [
            event("B", "2002", "b", "x"),
            // The usual edit: the title (or the body) only.
            event("B again", "2002", "b", "x"),
            // A date that moves it first.
            event("B again", "2000", "b", "x"),
            // Its tags: a new one, and one that changes how `y` is first written.
            event("B again", "2000", "b", "x, y, new"),
            // A slug another event has, and its own again.
            event("B again", "2000", "a", "x, y, new"),
            event("B again", "2000", "b", "x, y, new"),
        ];
        let mut orders = Orders::keeping();
        for text in &versions {
            let files = [
                ("content/events/a.md", a.as_str()),
                ("content/events/b.md", text.as_str()),
                ("content/events/c.md", c.as_str()),
            ];
            let kept = site_kept(&files, "title: T\n", &mut orders);
            orders.end_build();
            assert_eq!(
                shape(&kept),
                shape(&site(&files, "title: T\n")),
                "after writing:\n{text}"
            );
        }
    }

    #[test]
    fn events_are_ordered_by_date_then_end_then_weight_then_path() {
        let (site, _) = site(
            &[
                ("content/events/c.md", "---\ntitle: C\ndate: 2013-12\n---\n"),
                ("content/events/b.md", "---\ntitle: B\ndate: 2013\nweight: 2\n---\n"),
                ("content/events/a.md", "---\ntitle: A\ndate: 2013\nweight: 2\n---\n"),
                ("content/events/z.md", "---\ntitle: Z\ndate: 2013\nweight: 1\n---\n"),
                ("content/events/s.md", "---\ntitle: S\ndate: 2013\nend: 2020\n---\n"),
                ("content/events/e.md", "---\ntitle: E\ndate: 500 BCE\n---\n"),
            ],
            "title: T\n",
        )
        .unwrap();
        let titles: Vec<&str> = site.events.iter().map(|e| e.title.as_str()).collect();
        assert_eq!(titles, ["E", "Z", "A", "B", "S", "C"]);
    }

    #[test]
    fn duplicate_slugs_name_both_files() {
        let errors = site(
            &[
                ("content/events/2001-x.md", "---\ntitle: A\ndate: 2001\n---\n"),
                ("content/events/y.md", "---\ntitle: B\ndate: 2002\nslug: x\n---\n"),
            ],
            "title: T\n",
        )
        .unwrap_err();
        assert_eq!(errors[0].path, "content/events/y.md");
        assert_eq!(errors[0].line, 4);
        assert!(
            errors[0].message.contains("content/events/2001-x.md"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn missing_media_files_are_errors() {
        let errors = site(
            &[(
                "content/events/x.md",
                "---\ntitle: A\ndate: 2001\nmedia:\n  src: media/missing.jpg\n  alt: x\n---\n",
            )],
            "title: T\n",
        )
        .unwrap_err();
        assert!(errors[0].message.contains("content/media/missing.jpg"));
        assert_eq!(errors[0].line, 5);
    }

    #[test]
    fn tags_are_grouped_by_slug_in_timeline_order_named_as_first_written() {
        let pool = ["AI", "ai", "A.I.", "Deep Learning", "deep-learning", "x"];
        let files: Vec<(String, String)> = (0..300)
            .map(|at: usize| {
                let tags: Vec<&str> = (0..1 + at % 3).map(|k| pool[(at * 7 + k * 5) % pool.len()]).collect();
                (
                    format!("content/events/e{at}.md"),
                    format!(
                        "---\ntitle: E{at}\ndate: {}\ntags: {tags:?}\n---\n",
                        1900 + (at * 37) % 120
                    ),
                )
            })
            .collect();
        let borrowed: Vec<(&str, &str)> = files
            .iter()
            .map(|(path, text)| (path.as_str(), text.as_str()))
            .collect();
        let (site, _) = site(&borrowed, "title: T\n").unwrap();
        // The plain way: every event in timeline order, every tag in order.
        let mut expected: BTreeMap<Slug, Tag> = BTreeMap::new();
        for (index, event) in site.events.iter().enumerate() {
            for name in &event.tags {
                let slug = Slug::from_text(name);
                expected
                    .entry(slug.clone())
                    .or_insert_with(|| Tag {
                        name: name.clone(),
                        slug,
                        events: Vec::new(),
                    })
                    .events
                    .push(index);
            }
        }
        let expected: Vec<Tag> = expected.into_values().collect();
        assert_eq!(site.tags, expected);
    }

    #[test]
    fn undeclared_tracks_are_created_and_tags_grouped() {
        let (site, warnings) = site(
            &[
                (
                    "content/events/a.md",
                    "---\ntitle: A\ndate: 2001\ntrack: lab\ntags: [Deep Learning]\n---\n",
                ),
                (
                    "content/events/b.md",
                    "---\ntitle: B\ndate: 2002\ntags: [deep-learning, x]\n---\n",
                ),
            ],
            "title: T\n",
        )
        .unwrap();
        assert_eq!(site.tracks[0].id.as_str(), "lab");
        assert_eq!(site.tags[0].name, "Deep Learning");
        assert_eq!(site.tags[0].events, [0, 1]);
        assert_eq!(warnings.len(), 2, "two events without sources");
    }

    #[test]
    fn drafts_are_left_out_and_pages_cannot_take_reserved_names() {
        let (site, _) = site(
            &[("content/events/a.md", "---\ntitle: A\ndate: 2001\ndraft: true\n---\n")],
            "title: T\n",
        )
        .unwrap();
        assert!(site.events.is_empty());
        let errors = site_err_page();
        assert!(errors[0].message.contains("clashes"));
    }

    fn site_err_page() -> Vec<Diagnostic> {
        site(
            &[("content/pages/events.md", "---\ntitle: Events\n---\n")],
            "title: T\n",
        )
        .unwrap_err()
    }

    #[test]
    fn each_era_holds_the_events_it_includes_found_by_binary_search() {
        let dates = [
            "500 BCE",
            "1 BCE",
            "1983",
            "1984",
            "c. 1984",
            "1984?",
            "c. 1984?",
            "1984-01",
            "1984-06-15",
            "1984-06-15T10:00",
            "1985",
            "2013-11-30",
            "2013-12",
            "c. 2013-12",
            "2013-12-09",
            "2025-11",
            "2025-11-19",
            "2025-11-19T23:59",
            "2025-12",
            "2026",
        ];
        let texts: Vec<(String, String)> = dates
            .iter()
            .enumerate()
            .map(|(at, date)| {
                (
                    format!("content/events/e{at:02}.md"),
                    format!("---\ntitle: E{at}\ndate: {date}\n---\nBody.\n"),
                )
            })
            .collect();
        let files: Vec<(&str, &str)> = texts
            .iter()
            .map(|(path, text)| (path.as_str(), text.as_str()))
            .collect();
        let eras = [
            ("c. 1984", "2013-12"),
            ("1984-06-15", "2025-11"),
            ("1984", ".."),
            ("2025-11-19", "2025-11-19"),
            ("500 BCE", "1"),
            ("c. 1984", "c. 1984?"),
            ("2026", "2030"),
            ("1700", "1800"),
        ];
        let mut config = String::from("title: T\neras:\n");
        for (at, (start, end)) in eras.iter().enumerate() {
            config.push_str(&format!("  - title: Era {at}\n    start: {start}\n    end: {end}\n"));
        }
        let (site, _) = site(&files, &config).unwrap();
        for (era, found) in site.config.eras.iter().zip(site.era_events()) {
            let every: Vec<usize> = (0..site.events.len())
                .filter(|&at| in_era(&site.events[at].date, era))
                .collect();
            assert_eq!(found, every, "{}", era.title);
        }
    }

    #[test]
    fn eras_include_dates_inside_their_last_period() {
        let config = Config::parse("title: T\neras:\n  - title: FAIR\n    start: 2013-12\n    end: 2025-11\n").unwrap();
        let era = &config.eras[0];
        assert!(in_era(&Date::parse("2025-11-19").unwrap(), era));
        assert!(in_era(&Date::parse("2013-12-09").unwrap(), era));
        assert!(!in_era(&Date::parse("2025-12").unwrap(), era));
        assert!(!in_era(&Date::parse("2013-11-30").unwrap(), era));
    }
}

//! What templates and `events.json` see: plain serializable views of the
//! model, with dates already formatted for the site's language and Markdown
//! already rendered. Each view is built once per build, not per page.

use std::sync::Arc;

use serde::Serialize;

use crate::config::{Era, Track};
use crate::date::{format_range, Date, EndDate, Precision};
use crate::lang::Lang;
use crate::model::Tag;
use crate::parse::event::MediaKind;

/// A track as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct TrackView {
    /// Identifier.
    pub id: String,
    /// Name.
    pub title: String,
    /// CSS colour.
    pub colour: Option<String>,
    /// Root-relative URL of its page.
    pub url: String,
    /// How many events it has.
    pub count: usize,
}

impl TrackView {
    /// The view of `track` with `count` events.
    pub fn new(track: &Track, count: usize) -> Self {
        Self {
            id: track.id.to_string(),
            title: track.title.clone(),
            colour: track.colour.clone(),
            url: format!("tracks/{}/index.html", track.id),
            count,
        }
    }
}

/// A tag as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct TagView {
    /// Name as written.
    pub name: String,
    /// URL name.
    pub slug: String,
    /// Root-relative URL of its page.
    pub url: String,
    /// How many events carry it.
    pub count: usize,
}

impl TagView {
    /// The view of `tag`.
    pub fn new(tag: &Tag) -> Self {
        Self {
            name: tag.name.clone(),
            slug: tag.slug.to_string(),
            url: format!("tags/{}/index.html", tag.slug),
            count: tag.events.len(),
        }
    }
}

/// An era as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct EraView {
    /// URL name.
    pub slug: String,
    /// Name.
    pub title: String,
    /// Root-relative URL of its page.
    pub url: String,
    /// "1988 – 1996".
    pub date_label: String,
    /// Machine start date.
    pub start: String,
    /// Machine end date, or null when ongoing.
    pub end: Option<String>,
    /// CSS colour.
    pub colour: Option<String>,
    /// How many events fall in it.
    pub count: usize,
}

impl EraView {
    /// The view of `era` with `count` events.
    pub fn new(era: &Era, count: usize, lang: Lang) -> Self {
        Self {
            slug: era.slug.to_string(),
            title: era.title.clone(),
            url: format!("eras/{}/index.html", era.slug),
            date_label: format_range(&era.start, Some(&era.end.unwrap_or(EndDate::Ongoing)), lang),
            start: era.start.machine(),
            end: match era.end {
                Some(EndDate::On(end)) => Some(end.machine()),
                _ => None,
            },
            colour: era.colour.clone(),
            count,
        }
    }
}

/// A short reference to an era from an event.
#[derive(Debug, Clone, Serialize)]
pub struct EraRef {
    /// URL name.
    pub slug: String,
    /// Name.
    pub title: String,
    /// Root-relative URL.
    pub url: String,
}

/// A date as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// Formatted for readers.
    pub label: String,
    /// ISO 8601 at its precision.
    pub datetime: String,
    /// Astronomical year.
    pub year: i32,
    /// The year as printed ("500 BCE").
    pub year_label: String,
    /// "year", "month", "day" or "minute".
    pub precision: &'static str,
    /// Approximate.
    pub circa: bool,
    /// Not certain.
    pub uncertain: bool,
    /// Before the common era.
    pub bce: bool,
}

impl DateView {
    /// The view of `date` in `lang`.
    pub fn new(date: &Date, lang: Lang) -> Self {
        Self {
            label: date.format(lang),
            datetime: date.machine(),
            year: date.year(),
            year_label: date.format_year(lang),
            precision: match date.precision() {
                Precision::Year => "year",
                Precision::Month => "month",
                Precision::Day => "day",
                Precision::Minute => "minute",
            },
            circa: date.is_circa(),
            uncertain: date.is_uncertain(),
            bce: date.is_bce(),
        }
    }
}

/// The end of a span.
#[derive(Debug, Clone, Serialize)]
pub struct EndView {
    /// Formatted end ("present" when ongoing).
    pub label: String,
    /// ISO 8601, or null when ongoing.
    pub datetime: Option<String>,
    /// Still going on.
    pub ongoing: bool,
}

/// A media item as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct MediaView {
    /// Root-relative path or absolute URL.
    pub src: String,
    /// Whether `src` is a file of the site.
    pub local: bool,
    /// "image", "video", "audio", "map", "document", "post", "article" or "link".
    pub kind: MediaKind,
    /// Text alternative.
    pub alt: Option<String>,
    /// Caption as HTML.
    pub caption_html: Option<String>,
    /// Who made it.
    pub credit: Option<String>,
    /// Where it links.
    pub link: Option<String>,
    /// Pixel width, for local images.
    pub width: Option<u32>,
    /// Pixel height, for local images.
    pub height: Option<u32>,
    /// For audio and video files: played by the page (`<audio>`, `<video>`).
    pub file_player: bool,
    /// For another site's player (a video, sound or map): its address,
    /// loaded only when the reader asks.
    pub embed_url: Option<String>,
    /// Who provides the player: "YouTube", "SoundCloud", "Google Maps"…
    pub provider: Option<&'static str>,
}

/// The picture shown beside an event in lists.
#[derive(Debug, Clone, Serialize)]
pub struct ThumbnailView {
    /// Root-relative path or absolute URL.
    pub src: String,
    /// Whether `src` is a file of the site.
    pub local: bool,
    /// Text alternative.
    pub alt: Option<String>,
    /// Pixel width, when known.
    pub width: Option<u32>,
    /// Pixel height, when known.
    pub height: Option<u32>,
}

/// A short reference to another event.
#[derive(Debug, Clone, Serialize)]
pub struct EventRef {
    /// URL name.
    pub slug: String,
    /// Headline.
    pub title: String,
    /// Root-relative URL of its page.
    pub url: String,
    /// Its printed date.
    pub date_label: String,
}

/// A source as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceView {
    /// Its title.
    pub title: Option<String>,
    /// Its address (script addresses removed).
    pub url: Option<String>,
    /// Its publisher.
    pub publisher: Option<String>,
    /// Its date, formatted.
    pub date_label: Option<String>,
    /// The `lang` of its title when not the page's language (an English
    /// title on a Chinese page: `en`), else `None`.
    pub title_lang: Option<String>,
    /// The `lang` of its publisher, likewise.
    pub publisher_lang: Option<String>,
}

/// An event as templates and `events.json` see it.
#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    /// URL name.
    pub slug: String,
    /// Headline.
    pub title: String,
    /// Root-relative URL of its page.
    pub url: String,
    /// Start date. (Boxed, as is the thumbnail, so that the view every
    /// event keeps for the whole render takes 512 bytes rather than 768.)
    pub date: Box<DateView>,
    /// End of a span.
    pub end: Option<EndView>,
    /// The date as printed (display_date, range or start).
    pub date_label: String,
    /// The author's label, if any.
    pub display_date: Option<String>,
    /// How long a span lasted ("8 years"), or null.
    pub duration_label: Option<String>,
    /// Root-relative URL of the event on the timeline (`index.html#slug`).
    pub timeline_url: String,
    /// Its track (the site's view of it, shared).
    pub track: Option<Arc<TrackView>>,
    /// Its tags (the site's views of them, shared).
    pub tags: Vec<Arc<TagView>>,
    /// 1–5.
    pub importance: u8,
    /// Importance 4 or 5.
    pub highlight: bool,
    /// Summary as HTML.
    pub summary_html: String,
    /// Whether the author wrote a `summary:` (otherwise it is the body's
    /// first paragraph, and an event page should not print it twice).
    pub has_summary: bool,
    /// Plain-text summary, for descriptions.
    pub summary_text: String,
    /// Body as HTML.
    pub body_html: String,
    /// Media.
    pub media: Vec<MediaView>,
    /// The first image, for lists.
    pub thumbnail: Option<Box<ThumbnailView>>,
    /// Events sharing the most tags with this one.
    pub related: Vec<EventRef>,
    /// Sources.
    pub sources: Vec<SourceView>,
    /// Eras it falls in.
    pub eras: Vec<EraRef>,
    /// Free fields.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Site-relative path of the file it came from.
    pub source_path: String,
    /// Shown in the default language for want of a translation.
    pub untranslated: bool,
}

/// The end view for a span's end.
pub fn end_view(end: &EndDate, lang: Lang) -> EndView {
    match end {
        EndDate::On(date) => EndView {
            label: date.format(lang),
            datetime: Some(date.machine()),
            ongoing: false,
        },
        EndDate::Ongoing => EndView {
            label: lang.words().present.to_string(),
            datetime: None,
            ongoing: true,
        },
    }
}

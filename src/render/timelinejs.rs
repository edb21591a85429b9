//! `timeline.json`: the site in TimelineJS3's format, so the same content
//! can feed an existing TimelineJS embed.
//!
//! Dates keep their precision (a year is only `year`), BCE years are
//! negative years as TimelineJS prints them (500 BCE is `-500`), tracks become
//! `group`s, slugs `unique_id`s, and eras `eras`. Two fields TimelineJS
//! ignores, `annals_track` and `tags`, let `annals import` restore the
//! exact track ids and tags.

use crate::date::{Date, EndDate, Qualifier};
use crate::model::Site;
use crate::parse::event::Event;

use super::view::EventView;

/// A date as TimelineJS reads it. Fields are in alphabetical order, as
/// in every object of the file.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
struct DateParts {
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hour: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    minute: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<u8>,
    year: i32,
}

fn date_parts(date: &Date) -> DateParts {
    let time = date.time();
    DateParts {
        day: date.day(),
        hour: time.map(|(hour, _)| hour),
        minute: time.map(|(_, minute)| minute),
        month: date.month(),
        year: timelinejs_year(date.year()),
    }
}

/// An astronomical year (`0` is 1 BCE) as TimelineJS counts it: it prints
/// year `-N` as "N BCE" and has no year 0, so 500 BCE is `-500`.
fn timelinejs_year(year: i32) -> i32 {
    if year <= 0 {
        year - 1
    } else {
        year
    }
}

#[derive(serde::Serialize)]
struct Text<'a> {
    headline: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
}

#[derive(serde::Serialize)]
struct Media<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    alt: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    caption: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    link: Option<&'a str>,
    url: &'a str,
}

/// One event: a TimelineJS slide.
#[derive(serde::Serialize)]
struct Slide<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    annals_track: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    display_date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<DateParts>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    media: Option<Media<'a>>,
    start_date: DateParts,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    tags: &'a [String],
    text: Text<'a>,
    unique_id: &'a str,
}

#[derive(serde::Serialize)]
struct Era<'a> {
    end_date: DateParts,
    start_date: DateParts,
    text: Text<'a>,
}

#[derive(serde::Serialize)]
struct Title<'a> {
    text: Text<'a>,
}

/// The whole site as a TimelineJS3 document, written piece by piece
/// (its [`envelope`](Self::envelope), then each event's
/// [`slide_json`](Self::slide_json)) so it is never held whole.
pub struct TimelineDocument<'a> {
    site: &'a Site,
    headline: &'a str,
    intro_html: Option<&'a str>,
}

/// The whole site as a TimelineJS3 document.
pub fn timeline_json<'a>(site: &'a Site, intro_html: Option<&'a str>) -> TimelineDocument<'a> {
    TimelineDocument {
        site,
        headline: site.intro.title.as_deref().unwrap_or(&site.config.title),
        intro_html,
    }
}

impl<'a> TimelineDocument<'a> {
    fn slide<'e>(event: &'e Event, view: &'e EventView, value: &'e tera::Value) -> Slide<'e> {
        Slide {
            annals_track: view.track.as_ref().map(|track| track.id.as_str()),
            display_date: exported_display_date(event, view),
            end_date: match &event.end {
                Some(EndDate::On(end)) => Some(date_parts(end)),
                _ => None,
            },
            group: view.track.as_ref().map(|track| track.title.as_str()),
            media: view.media.first().map(|media| Media {
                alt: media.alt.as_deref(),
                caption: media.caption_html.as_deref(),
                credit: media.credit.as_deref(),
                link: media.link.as_deref(),
                url: &media.src,
            }),
            start_date: date_parts(&event.date),
            tags: &event.tags,
            text: Text {
                headline: &view.title,
                text: body_html(value),
            },
            unique_id: &view.slug,
        }
    }

    /// The slide of `event`, whose view is `view` and template value `value`.
    pub fn slide_json(&self, event: &Event, view: &EventView, value: &tera::Value) -> Vec<u8> {
        let slide = Self::slide(event, view, value);
        // Writing into memory cannot fail.
        super::json::piece(|bytes| {
            let _ = super::json::write(bytes, &slide);
        })
    }

    fn eras(&self) -> Vec<Era<'a>> {
        let site = self.site;
        // TimelineJS needs an end; an open era runs to the last event, or
        // to its own start when it begins after every event.
        let last = site
            .events
            .iter()
            .map(|event| match event.end {
                Some(EndDate::On(end)) if end > event.date => end,
                _ => event.date,
            })
            .max();
        site.config
            .eras
            .iter()
            .map(|era| {
                let end = match era.end {
                    Some(EndDate::On(end)) => end,
                    _ => last.map_or(era.start, |last| last.max(era.start)),
                };
                let (start_date, end_date) = apart(date_parts(&era.start), date_parts(&end));
                Era {
                    end_date,
                    start_date,
                    text: Text {
                        headline: &era.title,
                        text: None,
                    },
                }
            })
            .collect()
    }

    fn title(&self) -> Title<'a> {
        Title {
            text: Text {
                headline: self.headline,
                text: self.intro_html,
            },
        }
    }

    /// The document around its slides: what comes before the first
    /// ([`slide_json`](Self::slide_json)) and after the last.
    pub fn envelope(&self) -> (Vec<u8>, Vec<u8>) {
        let mut head = b"{\"eras\":".to_vec();
        // Writing into memory cannot fail, and these are plain data.
        let _ = super::json::write(&mut head, &self.eras());
        head.extend_from_slice(b",\"events\":[");
        let mut tail = b"],\"title\":".to_vec();
        let _ = super::json::write(&mut tail, &self.title());
        tail.extend_from_slice(b"}\n");
        (head, tail)
    }
}

/// An era's start and end, with the end moved past the start when they
/// are the same: TimelineJS drops an end equal to the start and then
/// refuses the whole timeline ("All eras must have start and end dates").
/// An era of one year (`1990` to `1990`) ends as 1991 begins; a finer
/// one gets a finer start, so that the two differ.
fn apart(mut start: DateParts, mut end: DateParts) -> (DateParts, DateParts) {
    if start != end {
        return (start, end);
    }
    match (start.month, start.day, start.hour) {
        (None, _, _) => end.year += 1,
        (Some(12), None, _) => (end.year, end.month) = (end.year + 1, Some(1)),
        (Some(month), None, _) => end.month = Some(month + 1),
        (Some(_), Some(_), None) => {
            (start.hour, start.minute) = (Some(0), Some(0));
            (end.hour, end.minute) = (Some(23), Some(59));
        }
        (Some(_), Some(_), Some(_)) => match start.minute {
            Some(0) | None => end.minute = Some(1),
            Some(minute) => start.minute = Some(minute - 1),
        },
    }
    (start, end)
}

/// What TimelineJS should print instead of the bare date: the author's
/// `display_date`, or, for a circa or uncertain date, which TimelineJS
/// cannot express, the label annals prints ("c. 1500", "1984? – 1990").
/// `annals import` reads such a label back as the marks it stands for.
fn exported_display_date<'a>(event: &Event, view: &'a EventView) -> Option<&'a str> {
    let qualified = |date: &Date| date.qualifier() != Qualifier::Exact;
    let marked = qualified(&event.date) || matches!(&event.end, Some(EndDate::On(end)) if qualified(end));
    (event.display_date.is_some() || marked).then_some(view.date_label.as_str())
}

/// An event's HTML, from its template value.
fn body_html(value: &tera::Value) -> Option<&str> {
    value
        .as_map()
        .and_then(|map| map.get(&tera::value::Key::Str("body_html")))
        .and_then(tera::Value::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::json;

    fn parts(text: &str) -> serde_json::Value {
        serde_json::to_value(date_parts(&Date::parse(text).unwrap())).unwrap()
    }

    fn apart_texts(start: &str, end: &str) -> (serde_json::Value, serde_json::Value) {
        let (start, end) = apart(
            date_parts(&Date::parse(start).unwrap()),
            date_parts(&Date::parse(end).unwrap()),
        );
        (serde_json::to_value(start).unwrap(), serde_json::to_value(end).unwrap())
    }

    #[test]
    fn an_era_never_ends_where_it_starts() {
        assert_eq!(
            apart_texts("1990", "1996"),
            (json!({"year": 1990}), json!({"year": 1996}))
        );
        assert_eq!(
            apart_texts("1990", "1990"),
            (json!({"year": 1990}), json!({"year": 1991}))
        );
        assert_eq!(
            apart_texts("1990-12", "1990-12"),
            (json!({"year": 1990, "month": 12}), json!({"year": 1991, "month": 1}))
        );
        assert_eq!(
            apart_texts("1990-02-28", "1990-02-28"),
            (
                json!({"year": 1990, "month": 2, "day": 28, "hour": 0, "minute": 0}),
                json!({"year": 1990, "month": 2, "day": 28, "hour": 23, "minute": 59})
            )
        );
        let (start, end) = apart_texts("1990-02-28T10:30", "1990-02-28T10:30");
        assert_ne!(start, end);
    }

    #[test]
    fn dates_keep_their_precision() {
        assert_eq!(parts("2013"), json!({"year": 2013}));
        assert_eq!(parts("2013-12"), json!({"year": 2013, "month": 12}));
        assert_eq!(
            parts("2013-12-09T14:05"),
            json!({"year": 2013, "month": 12, "day": 9, "hour": 14, "minute": 5})
        );
        assert_eq!(parts("500 BCE"), json!({"year": -500}));
        assert_eq!(parts("1 BCE"), json!({"year": -1}));
        assert_eq!(parts("1"), json!({"year": 1}));
    }
}

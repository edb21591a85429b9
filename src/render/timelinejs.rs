//! `timeline.json`: the site in TimelineJS3's format, so the same content
//! can feed an existing TimelineJS embed.
//!
//! Dates keep their precision (a year is only `year`), BCE years are
//! negative astronomical years as JavaScript counts them, tracks become
//! `group`s, slugs `unique_id`s, and eras `eras`. Two fields TimelineJS
//! ignores, `annals_track` and `tags`, let `annals import` restore the
//! exact track ids and tags.

use serde_json::{json, Map, Value};

use crate::date::{Date, EndDate};
use crate::model::Site;

use super::view::EventView;

fn date_parts(date: &Date) -> Value {
    let mut parts = Map::new();
    parts.insert("year".into(), json!(date.year()));
    if let Some(month) = date.month() {
        parts.insert("month".into(), json!(month));
    }
    if let Some(day) = date.day() {
        parts.insert("day".into(), json!(day));
    }
    if let Some((hour, minute)) = date.time() {
        parts.insert("hour".into(), json!(hour));
        parts.insert("minute".into(), json!(minute));
    }
    Value::Object(parts)
}

/// The whole site as a TimelineJS3 document.
pub fn timeline_json(site: &Site, views: &[EventView], intro_html: Option<&str>) -> Value {
    let events: Vec<Value> = site
        .events
        .iter()
        .zip(views)
        .map(|(event, view)| {
            let mut item = json!({
                "start_date": date_parts(&event.date),
                "text": { "headline": view.title, "text": view.body_html },
                "unique_id": view.slug,
            });
            if let Some(EndDate::On(end)) = &event.end {
                item["end_date"] = date_parts(end);
            }
            if let Some(label) = &event.display_date {
                item["display_date"] = json!(label);
            }
            if let Some(track) = &view.track {
                item["group"] = json!(track.title);
                item["annals_track"] = json!(track.id);
            }
            if !event.tags.is_empty() {
                item["tags"] = json!(event.tags);
            }
            if let Some(media) = view.media.first() {
                let mut entry = json!({ "url": media.src });
                if let Some(caption) = &media.caption_html {
                    entry["caption"] = json!(caption);
                }
                if let Some(credit) = &media.credit {
                    entry["credit"] = json!(credit);
                }
                if let Some(alt) = &media.alt {
                    entry["alt"] = json!(alt);
                }
                if let Some(link) = &media.link {
                    entry["link"] = json!(link);
                }
                item["media"] = entry;
            }
            item
        })
        .collect();
    let eras: Vec<Value> = site
        .config
        .eras
        .iter()
        .map(|era| {
            let mut item = json!({
                "start_date": date_parts(&era.start),
                "text": { "headline": era.title },
            });
            // TimelineJS needs an end; an open era runs to the last event.
            let end = match era.end {
                Some(EndDate::On(end)) => Some(end),
                _ => site
                    .events
                    .iter()
                    .map(|event| match event.end {
                        Some(EndDate::On(end)) if end > event.date => end,
                        _ => event.date,
                    })
                    .max(),
            };
            if let Some(end) = end {
                item["end_date"] = date_parts(&end);
            }
            item
        })
        .collect();
    let mut title_text = json!({ "headline": site.intro.title.clone().unwrap_or_else(|| site.config.title.clone()) });
    if let Some(html) = intro_html {
        title_text["text"] = json!(html);
    }
    json!({
        "title": { "text": title_text },
        "events": events,
        "eras": eras,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_precision() {
        assert_eq!(date_parts(&Date::parse("2013").unwrap()), json!({"year": 2013}));
        assert_eq!(
            date_parts(&Date::parse("2013-12").unwrap()),
            json!({"year": 2013, "month": 12})
        );
        assert_eq!(
            date_parts(&Date::parse("2013-12-09T14:05").unwrap()),
            json!({"year": 2013, "month": 12, "day": 9, "hour": 14, "minute": 5})
        );
        assert_eq!(date_parts(&Date::parse("500 BCE").unwrap()), json!({"year": -499}));
    }
}

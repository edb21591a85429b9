//! The Atom feed, the sitemap and robots.txt, written with XML escaping
//! rather than templates so no title can break the markup.

use std::fmt::Write;
use std::sync::Arc;

use crate::date::Date;
use crate::model::Site;

use super::view::EventView;
use crate::xml::escape_xml as escape;

/// How many events the feed carries (the latest by date).
pub(super) const FEED_ENTRIES: usize = 50;

/// An RFC 3339 timestamp for a date, taking the start of its period; years
/// outside 1–9999 (which RFC 3339 cannot express) are clamped.
fn timestamp(date: &Date) -> String {
    let year = date.year().clamp(1, 9999);
    let (hour, minute) = date.time().unwrap_or((0, 0));
    format!(
        "{year:04}-{:02}-{:02}T{hour:02}:{minute:02}:00Z",
        date.month().unwrap_or(1),
        date.day().unwrap_or(1)
    )
}

/// The absolute URL of a root-relative path, or the path itself.
fn absolute(site: &Site, path: &str) -> String {
    match &site.config.base_url {
        Some(base) => format!("{base}{path}"),
        None => path.to_string(),
    }
}

/// An Atom feed of the most recent events.
pub fn atom(site: &Site, views: &[Arc<EventView>]) -> String {
    let config = &site.config;
    let mut latest: Vec<(&Date, &EventView)> = site
        .events
        .iter()
        .map(|event| &event.date)
        .zip(views.iter().map(|view| &**view))
        .collect();
    latest.reverse();
    latest.truncate(FEED_ENTRIES);
    let updated = site
        .events
        .last()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |event| timestamp(&event.date));
    let feed_id = config
        .base_url
        .clone()
        .unwrap_or_else(|| format!("urn:annals:{}", crate::slug::Slug::from_text(&config.title)));
    let mut xml = String::new();
    let _ = writeln!(xml, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    let _ = writeln!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        config.language.html_tag()
    );
    let _ = writeln!(xml, "  <title>{}</title>", escape(&config.title));
    if !config.description.is_empty() {
        let _ = writeln!(xml, "  <subtitle>{}</subtitle>", escape(&config.description));
    }
    let _ = writeln!(xml, "  <id>{}</id>", escape(&feed_id));
    let _ = writeln!(
        xml,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&absolute(site, "index.html"))
    );
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&absolute(site, "feed.xml"))
    );
    let _ = writeln!(xml, "  <updated>{updated}</updated>");
    let _ = writeln!(xml, "  <author><name>{}</name></author>", escape(&config.title));
    let _ = writeln!(xml, "  <generator>annals</generator>");
    for (date, view) in latest {
        let id = match &config.base_url {
            Some(base) => format!("{base}{}", view.url),
            None => format!("{feed_id}:event:{}", view.slug),
        };
        let _ = writeln!(xml, "  <entry>");
        let _ = writeln!(xml, "    <title>{}</title>", escape(&view.title));
        let _ = writeln!(xml, "    <id>{}</id>", escape(&id));
        let _ = writeln!(
            xml,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
            escape(&absolute(site, &view.url))
        );
        let _ = writeln!(xml, "    <updated>{}</updated>", timestamp(date));
        let _ = writeln!(
            xml,
            "    <summary>{}</summary>",
            escape(&format!("{} — {}", view.date_label, view.summary_text))
        );
        for tag in &view.tags {
            let _ = writeln!(
                xml,
                "    <category term=\"{}\" label=\"{}\"/>",
                escape(&tag.slug),
                escape(&tag.name)
            );
        }
        let _ = writeln!(xml, "  </entry>");
    }
    xml.push_str("</feed>\n");
    xml
}

/// A sitemap of every page, when the site knows its address.
pub fn sitemap(site: &Site, paths: &[&str]) -> Option<String> {
    let base = site.config.base_url.as_ref()?;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    // The embed is a copy of the timeline for other sites' frames, not a page to index.
    let base = escape(base);
    for path in paths
        .iter()
        .filter(|path| path.ends_with("index.html") && !path.starts_with("embed/"))
    {
        xml.push_str("  <url><loc>");
        xml.push_str(&base);
        xml.push_str(&escape(path.trim_end_matches("index.html")));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    Some(xml)
}

/// robots.txt: everything may be indexed; the sitemap is named when known.
pub fn robots(site: &Site) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &site.config.base_url {
        let _ = writeln!(text, "Sitemap: {base}sitemap.xml");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escaping_leaves_out_what_xml_forbids_and_keeps_what_it_allows() {
        let text = "a\u{0}\u{1}\u{8}\u{b}\u{c}\u{e}\u{1f}\u{fffe}\u{ffff}b";
        assert_eq!(escape(text), "ab");
        assert_eq!(
            escape("tab\tline\ncr\r\u{fffd}\u{1fffe}<"),
            "tab\tline\ncr\r\u{fffd}\u{1fffe}&lt;"
        );
    }

    #[test]
    fn timestamps_start_their_period_and_clamp_bce() {
        assert_eq!(timestamp(&Date::parse("2013").unwrap()), "2013-01-01T00:00:00Z");
        assert_eq!(
            timestamp(&Date::parse("2013-12-09T14:30").unwrap()),
            "2013-12-09T14:30:00Z"
        );
        assert_eq!(timestamp(&Date::parse("500 BCE").unwrap()), "0001-01-01T00:00:00Z");
    }
}

//! JSON Schemas for `site.yaml` and event front matter, for editors: a YAML
//! language server given these completes keys and flags mistakes as you
//! type. They describe the same rules the parser applies (the date pattern
//! is a first check; annals itself validates calendars exactly).

use serde_json::{json, Value};

use crate::lang::Lang;

const DATE_PATTERN: &str = r"^\s*(~|c\.?\s*|ca\.?\s*|circa\s+|约)?(-?\d{1,4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2})?Z?)?)?)?|\d{1,4}\s*(BCE|BC|B\.C\.|CE|AD)|AD\s*\d{1,4})\s*[~?%]*\s*$";

fn date() -> Value {
    json!({
        "description": "A date at the precision you know it: 2013, 2013-12, 2013-12-09, 2013-12-09T14:00, 500 BCE, c. 1500, 1984?",
        "anyOf": [
            { "type": "integer", "minimum": -9999, "maximum": 9999 },
            { "type": "string", "pattern": DATE_PATTERN }
        ]
    })
}

fn end_date() -> Value {
    json!({
        "description": "When a span ended; `..` or `now` for ongoing.",
        "anyOf": [date(), { "enum": ["..", "now", "present"] }]
    })
}

fn slug() -> Value {
    json!({ "type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 80 })
}

fn colour() -> Value {
    json!({ "type": "string", "pattern": "^(#([0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})|[a-zA-Z]{1,30})$" })
}

/// The schema of `site.yaml`.
pub fn site_schema() -> Value {
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "annals site.yaml",
        "type": "object",
        "additionalProperties": false,
        "required": ["title"],
        "properties": {
            "title": { "type": "string", "description": "The site's title." },
            "description": { "type": "string" },
            "language": { "enum": Lang::ALL.map(Lang::code), "default": "en" },
            "languages": { "type": "array", "items": { "enum": Lang::ALL.map(Lang::code) }, "description": "Languages of a multilingual site; the first is the default." },
            "base_url": { "type": "string", "pattern": "^https?://" },
            "theme": { "type": "string", "default": "default" },
            "output_dir": { "type": "string", "default": "public" },
            "order": { "enum": ["ascending", "descending"], "default": "ascending" },
            "eras": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["title", "start"],
                    "properties": {
                        "title": { "type": "string" },
                        "start": date(),
                        "end": end_date(),
                        "colour": colour(),
                        "color": colour(),
                        "slug": slug()
                    }
                }
            },
            "tracks": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["id"],
                    "properties": {
                        "id": slug(),
                        "title": { "type": "string" },
                        "colour": colour(),
                        "color": colour(),
                        "order": { "type": "integer" }
                    }
                }
            },
            "translations": {
                "type": "object",
                "description": "Per language: title, description, and era and track names by slug.",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                        "title": { "type": "string" },
                        "description": { "type": "string" },
                        "eras": { "type": "object", "additionalProperties": { "type": "string" } },
                        "tracks": { "type": "object", "additionalProperties": { "type": "string" } }
                    }
                }
            },
            "markdown": {
                "type": "object",
                "additionalProperties": false,
                "properties": { "unsafe_html": { "type": "boolean", "default": false } }
            },
            "extra": { "type": "object" }
        }
    })
}

/// The schema of an event's front matter (or a YAML event file).
pub fn event_schema() -> Value {
    let media = json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["src"],
        "properties": {
            "src": { "type": "string", "description": "A path inside content/ (media/x.jpg) or an https URL." },
            "alt": { "type": "string", "description": "Required for images." },
            "caption": { "type": "string" },
            "credit": { "type": "string" },
            "link": { "type": "string" }
        }
    });
    let source = json!({
        "anyOf": [
            { "type": "string", "description": "A URL." },
            {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "title": { "type": "string" },
                    "url": { "type": "string" },
                    "publisher": { "type": "string" },
                    "date": date()
                }
            }
        ]
    });
    let event_properties = json!({
        "title": { "type": "string" },
        "date": date(),
        "end": end_date(),
        "display_date": { "type": "string", "description": "Printed instead of the date; never changes the position." },
        "track": slug(),
        "tags": { "type": "array", "items": { "type": "string" } },
        "importance": { "type": "integer", "minimum": 1, "maximum": 5, "default": 3 },
        "summary": { "type": "string" },
        "media": { "anyOf": [media.clone(), { "type": "array", "items": media }] },
        "sources": { "type": "array", "items": source },
        "slug": slug(),
        "draft": { "type": "boolean", "default": false },
        "weight": { "type": "integer", "default": 0 },
        "extra": { "type": "object" },
        "body": { "type": "string", "description": "Only in YAML event files: the Markdown text." }
    });
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "annals event",
        "anyOf": [
            {
                "type": "object",
                "additionalProperties": false,
                "required": ["title", "date"],
                "properties": event_properties.clone()
            },
            {
                "type": "object",
                "additionalProperties": false,
                "required": ["events"],
                "properties": {
                    "events": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": false,
                            "required": ["title", "date"],
                            "properties": event_properties
                        }
                    }
                }
            }
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys the parser accepts, read from its "unknown field" message.
    fn parser_keys(message: &str) -> Vec<String> {
        let listed = message.split("expected one of").nth(1).unwrap_or_default();
        let mut keys: Vec<String> = listed.split('`').skip(1).step_by(2).map(str::to_string).collect();
        keys.sort();
        keys
    }

    fn schema_keys(properties: &Value) -> Vec<String> {
        let mut keys: Vec<String> = properties.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    }

    #[test]
    fn the_event_schema_lists_exactly_the_fields_the_parser_accepts() {
        let errors = crate::event::parse_event_file("content/events/x.md", "---\nzzz: 1\n---\n").unwrap_err();
        let accepted = parser_keys(&errors[0].message);
        assert!(accepted.contains(&"title".to_string()), "{accepted:?}");
        assert_eq!(schema_keys(&event_schema()["anyOf"][0]["properties"]), accepted);
    }

    #[test]
    fn the_site_schema_lists_exactly_the_keys_the_parser_accepts() {
        let errors = crate::config::Config::parse("title: T\nzzz: 1\n").unwrap_err();
        let accepted = parser_keys(&errors[0].message);
        assert_eq!(schema_keys(&site_schema()["properties"]), accepted);
    }
}

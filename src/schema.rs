//! JSON Schemas for `site.yaml` and event files, for editors: a YAML
//! language server given these completes keys and flags mistakes as you
//! type.
//!
//! They are generated (with `schemars`) from the raw serde structs the
//! parsers read, `RawConfig` and `RawEvent`, so a field added to the parser
//! is in the schema, with the same names, defaults and unknown-field rule.
//! The values whose reading is hand-written in [`crate::fields`] (dates,
//! slugs, colours, sources, one-or-many) get their schemas here, beside the
//! rules they restate; the descriptions editors show are here too. What a
//! schema cannot say — that 30 February does not exist, that an image needs
//! `alt`, that a slug is used twice — annals checks when it reads the file.

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Value};

use crate::config::RawConfig;
use crate::date::{MAX_YEAR, MIN_YEAR};
use crate::fields::{ColourField, DateField, EndField, OneOrMany, SlugField, SourceField};
use crate::parse::event::RawEvent;

/// The shape of a date as [`crate::date::Date::parse`] reads it: circa
/// before (`~`, `c.`, `ca.`, `circa`, `约`), then an ISO date and time, a
/// year with an era (`500 BCE`, `B.C.`) or `AD 30`, then `?`, `~` or `%`
/// after. Letters in any case, as annals reads them. The shape only: the
/// calendar (no 30 February) is checked by annals.
const DATE_PATTERN: &str = concat!(
    r"^\s*(?:(?:[Cc][Ii][Rr][Cc][Aa]|[Cc][Aa]\.?|[Cc]\.?|~|约)\s*)?",
    r"(?:-?\d+(?:-\d{1,2}(?:-\d{1,2}(?:[Tt ]\s*\d{1,2}:\d{2}(?::\d{2})?[Zz]?)?)?)?",
    r"|-?\d+\s*(?:[Bb][.\s]*[Cc][.\s]*(?:[Ee][.\s]*)?|[Cc][.\s]*[Ee][.\s]*|[Aa][.\s]*[Dd][.\s]*)",
    r"|(?:[Aa]\.[Dd]\.|[Aa][Dd])\s*\d+)",
    r"\s*(?:\?~|~\?|%|\?|~)?\s*$"
);

/// `end:` words for a span that has not ended, in any case.
const ONGOING_PATTERN: &str = r"^\s*(?:\.\.|[Nn][Oo][Ww]|[Pp][Rr][Ee][Ss][Ee][Nn][Tt]|至今)\s*$";

/// The schema of `site.yaml`.
pub fn site_schema() -> Value {
    let mut schema = generator().into_root_schema_for::<RawConfig>();
    schema.insert("title".into(), json!("annals site.yaml"));
    schema.to_value()
}

/// The schema of an event file: the front matter of a Markdown event, a
/// YAML file holding one event, or a YAML file holding `events:`, a list.
///
/// Editors complete best from one object with its properties listed, where
/// an `anyOf` of the three forms gives them little to offer. So the root is
/// the one-event object, with `events` as one more property; `if` the file
/// has `events`, it may have nothing else, `else` it needs `title` and
/// `date`. That accepts exactly the three forms. The price: completion
/// offers `events` beside the event fields (and in Markdown front matter,
/// where annals does not take it), and a file mixing the two forms is
/// flagged on its extra keys rather than as "the wrong form".
pub fn event_schema() -> Value {
    let mut generator = generator();
    let mut root = generator.root_schema_for::<RawEvent>();
    let mut event = root.clone();
    for key in ["$schema", "definitions", "title"] {
        event.remove(key);
    }
    let required = root.remove("required").unwrap_or_else(|| json!([]));
    let mut definitions = generator.take_definitions(true);
    definitions.insert("event".into(), event.to_value());
    root.insert("title".into(), json!("annals event"));
    root.insert(
        "description".into(),
        json!("One event, or `events:` with a list of events (YAML files only)."),
    );
    if let Some(properties) = root.get_mut("properties").and_then(Value::as_object_mut) {
        properties.insert(
            "events".into(),
            json!({
                "description": "A list of events, each with the fields of one event file (YAML files only; then no other key).",
                "type": "array",
                "items": { "$ref": "#/definitions/event" }
            }),
        );
    }
    root.insert("if".into(), json!({ "required": ["events"] }));
    root.insert("then".into(), json!({ "propertyNames": { "const": "events" } }));
    root.insert("else".into(), json!({ "required": required }));
    root.insert("definitions".into(), Value::Object(definitions));
    root.to_value()
}

/// Draft-07, which every YAML language server reads, and the schemas of
/// what annals reads (a field with a default is not required).
fn generator() -> SchemaGenerator {
    SchemaSettings::draft07().for_deserialize().into_generator()
}

impl JsonSchema for DateField {
    fn schema_name() -> Cow<'static, str> {
        "date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A date at the precision you know it: 2013, 2013-12, 2013-12-09, 2013-12-09T14:00, 500 BCE, AD 30, c. 1500, 1984?",
            "anyOf": [
                { "type": "integer", "minimum": MIN_YEAR, "maximum": MAX_YEAR },
                { "type": "string", "pattern": DATE_PATTERN }
            ]
        })
    }
}

impl JsonSchema for EndField {
    fn schema_name() -> Cow<'static, str> {
        "end".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "When a span ended, as a date; `..`, `now`, `present` or `至今` while it goes on.",
            "anyOf": [
                generator.subschema_for::<DateField>(),
                { "type": "string", "pattern": ONGOING_PATTERN }
            ]
        })
    }
}

impl JsonSchema for SlugField {
    fn schema_name() -> Cow<'static, str> {
        "slug".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Lower-case letters, digits and single dashes, e.g. `fair-founded`.",
            "type": "string",
            "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$",
            "maxLength": crate::slug::MAX_LEN
        })
    }
}

impl JsonSchema for ColourField {
    fn schema_name() -> Cow<'static, str> {
        "colour".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A colour: \"#1d6fa5\" (quoted), \"#abc\", or a CSS colour name such as teal.",
            "type": "string",
            "pattern": "^(?:#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})|[a-zA-Z]{1,30})$"
        })
    }
}

impl<T: JsonSchema> JsonSchema for OneOrMany<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        format!("one_or_many_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let one = generator.subschema_for::<T>();
        json_schema!({
            "anyOf": [one.clone(), { "type": "array", "items": one }, { "type": "null" }]
        })
    }
}

impl JsonSchema for SourceField {
    fn schema_name() -> Cow<'static, str> {
        "source".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Where a fact comes from: a URL, or its title, url, publisher and date.",
            "anyOf": [
                { "type": "string", "description": "The source's address." },
                {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                        "title": { "description": "What the source is called.", "type": ["string", "null"] },
                        "url": { "description": "Where to read it.", "type": ["string", "null"] },
                        "publisher": { "description": "Who published it.", "type": ["string", "null"] },
                        "lang": {
                            "description": "The language its title and publisher are written in, when not the file's (a language tag: en, fr, pt-BR).",
                            "type": ["string", "null"],
                            "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
                        },
                        "date": {
                            "description": "When it was published.",
                            "anyOf": [generator.subschema_for::<DateField>(), { "type": "null" }]
                        }
                    },
                    "anyOf": [
                        {
                            "required": ["title"],
                            "properties": { "title": { "description": "A source needs a title or a url.", "type": "string" } }
                        },
                        {
                            "required": ["url"],
                            "properties": { "url": { "description": "A source needs a title or a url.", "type": "string" } }
                        }
                    ]
                }
            ]
        })
    }
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
        let errors = crate::parse::event::parse_event_file("content/events/x.md", "---\nzzz: 1\n---\n").unwrap_err();
        let accepted = parser_keys(&errors[0].message);
        assert!(accepted.contains(&"title".to_string()), "{accepted:?}");
        let schema = event_schema();
        assert_eq!(schema_keys(&schema["definitions"]["event"]["properties"]), accepted);
        let mut root = accepted.clone();
        root.push("events".to_string());
        root.sort();
        assert_eq!(schema_keys(&schema["properties"]), root);
    }

    #[test]
    fn the_site_schema_lists_exactly_the_keys_the_parser_accepts() {
        let errors = crate::config::Config::parse("title: T\nzzz: 1\n").unwrap_err();
        let accepted = parser_keys(&errors[0].message);
        assert!(accepted.contains(&"stylesheets".to_string()), "{accepted:?}");
        assert_eq!(schema_keys(&site_schema()["properties"]), accepted);
    }

    /// Every property of every object in `schema`, with its path.
    fn properties<'a>(schema: &'a Value, path: &str, found: &mut Vec<(String, &'a Value)>) {
        match schema {
            Value::Object(map) => {
                for (key, value) in map {
                    if key == "properties" {
                        for (name, property) in value.as_object().unwrap() {
                            found.push((format!("{path}/{name}"), property));
                        }
                    }
                    properties(value, &format!("{path}/{key}"), found);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    properties(item, &format!("{path}/{index}"), found);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_field_editors_complete_has_a_description() {
        for schema in [site_schema(), event_schema()] {
            let mut found = Vec::new();
            properties(&schema, "", &mut found);
            assert!(found.len() > 20, "{found:?}");
            for (path, property) in found {
                assert!(property.get("description").is_some(), "{path} has no description");
            }
        }
    }

    #[test]
    fn the_date_pattern_takes_the_spellings_annals_reads() {
        let pattern = regex_lite(DATE_PATTERN);
        for date in [
            "2013",
            "2013-12",
            "2013-12-09",
            "2013-12-09T14:00",
            "2013-12-09 14:00:05Z",
            "-0499",
            "500 BCE",
            "500 B.C.E.",
            "500 bc",
            "30 AD",
            "AD 30",
            "A.D. 30",
            "c. 1500",
            "ca. 1500",
            "Circa 1500",
            "~1500",
            "约 1500",
            "1984?",
            "1984~",
            "1984%",
            "1984?~",
        ] {
            assert!(crate::date::Date::parse(date).is_ok(), "annals reads {date}");
            assert!(pattern(date), "the schema takes {date}");
        }
        for not_a_date in ["yesterday", "2013/12/09", "12-09-2013x", "BCE 500", ""] {
            assert!(
                crate::date::Date::parse(not_a_date).is_err(),
                "annals refuses {not_a_date}"
            );
            assert!(!pattern(not_a_date), "the schema refuses {not_a_date}");
        }
    }

    /// Whether `text` matches `pattern`, as a validator would test it.
    fn regex_lite(pattern: &str) -> impl Fn(&str) -> bool {
        let schema = json!({ "type": "string", "pattern": pattern });
        move |text: &str| {
            let mut schemas = boon::Schemas::new();
            let mut compiler = boon::Compiler::new();
            compiler.add_resource("urn:pattern", schema.clone()).unwrap();
            let index = compiler.compile("urn:pattern", &mut schemas).unwrap();
            schemas.validate(&json!(text), index).is_ok()
        }
    }
}

//! The descriptions an editor sees for each key of `site.yaml` and of an
//! event file, and the language codes the schemas allow. `schemars`
//! attaches them to the raw structs the parsers read (`RawConfig`,
//! `RawEvent`) through attributes naming the functions here, so this
//! module sits below both: it knows their keys, not their types. The
//! schemas themselves are made in [`crate::schema`].

use schemars::{json_schema, Schema, SchemaGenerator};
use serde_json::{json, Value};

/// The language codes annals reads ([`crate::lang::Lang`]'s `FromStr`).
const LANGUAGE_CODES: [&str; 20] = [
    "en", "en-gb", "en-us", "zh", "zh-cn", "zh-hans", "fr", "fr-fr", "de", "de-de", "es", "es-es", "ja", "ja-jp", "ko",
    "ko-kr", "pt", "pt-br", "ru", "ru-ru",
];

/// A pattern matching [`LANGUAGE_CODES`] in any case (JSON Schema patterns
/// have no flag for that).
fn language_pattern() -> String {
    let any_case = |code: &str| -> String {
        code.chars()
            .map(|c| match c {
                'a'..='z' => format!("[{}{c}]", c.to_ascii_uppercase()),
                other => other.to_string(),
            })
            .collect()
    };
    let codes: Vec<String> = LANGUAGE_CODES.iter().map(|code| any_case(code)).collect();
    format!(r"^\s*(?:{})\s*$", codes.join("|"))
}

/// The codes of every language, for examples and descriptions.
fn language_list() -> Vec<&'static str> {
    crate::lang::Lang::ALL.iter().map(|lang| lang.code()).collect()
}

/// `language:` (used by `#[schemars(schema_with)]` in `config`).
pub fn language(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": format!("The language of the content and the interface: {}.", language_list().join(", ")),
        "type": ["string", "null"],
        "pattern": language_pattern(),
        "examples": language_list()
    })
}

/// `languages:` (used by `#[schemars(schema_with)]` in `config`).
pub fn languages(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "Every language the site is published in; the first is the default, at the root.",
        "type": ["array", "null"],
        "items": { "type": "string", "pattern": language_pattern(), "examples": language_list() }
    })
}

/// `translations:` is keyed by language code.
pub fn language_keys(schema: &mut Schema) {
    schema.insert("propertyNames".into(), json!({ "pattern": language_pattern() }));
}

/// Sets the description of each named property that `schema` has.
fn describe(schema: &mut Schema, descriptions: &[(&str, &str)]) {
    let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) else {
        return;
    };
    for (key, text) in descriptions {
        if let Some(Value::Object(property)) = properties.get_mut(*key) {
            property.insert("description".into(), json!(text));
        }
    }
}

/// `color:` is read as `colour:` (a serde alias, which schemars does not
/// see); writing both is an error, as it is for annals.
fn colour_alias(schema: &mut Schema) {
    let colour = schema
        .get("properties")
        .and_then(|properties| properties.get("colour"))
        .cloned();
    if let (Some(colour), Some(properties)) = (colour, schema.get_mut("properties").and_then(Value::as_object_mut)) {
        properties.insert("color".into(), colour);
        schema.insert("not".into(), json!({ "required": ["colour", "color"] }));
    }
}

pub fn describe_site(schema: &mut Schema) {
    describe(
        schema,
        &[
            ("title", "The site's title."),
            (
                "description",
                "One sentence on what the timeline explains, for feeds and search engines.",
            ),
            ("language", "The language of the content and the interface: en or zh."),
            (
                "languages",
                "Every language the site is published in; the first is the default, at the root.",
            ),
            (
                "translations",
                "Per language: the title, description, and era, track and tag names by slug.",
            ),
            (
                "base_url",
                "The address the site will be published at, for canonical links and feeds.",
            ),
            ("theme", "The theme: `default` (built in), or a folder under themes/."),
            ("output_dir", "Where `annals build` writes the site."),
            (
                "order",
                "Which way the timeline runs: ascending (oldest first) or descending.",
            ),
            ("eras", "Periods shown as bands above the timeline."),
            ("tracks", "Lanes that group events; an event names one with `track:`."),
            ("markdown", "How Markdown is rendered."),
            (
                "stylesheets",
                "The site's own CSS files, paths inside static/, linked after the theme's on every page.",
            ),
            (
                "extra",
                "Free settings for custom themes, as `site.extra` in templates.",
            ),
        ],
    );
}

pub fn describe_era(schema: &mut Schema) {
    describe(
        schema,
        &[
            ("title", "The era's name."),
            ("start", "When it begins."),
            ("end", "When it ends; `..` while it goes on."),
            ("colour", "Its colour on the timeline."),
            ("slug", "Its URL name (made from the title when left out)."),
        ],
    );
    colour_alias(schema);
}

pub fn describe_track(schema: &mut Schema) {
    describe(
        schema,
        &[
            ("id", "The track's identifier, as events name it in `track:`."),
            ("title", "Its name (the id when left out)."),
            ("colour", "Its colour on the timeline."),
            (
                "order",
                "Its position among tracks, lower first (the order written when left out).",
            ),
        ],
    );
    colour_alias(schema);
}

pub fn describe_translation(schema: &mut Schema) {
    describe(
        schema,
        &[
            ("title", "The site's title in that language."),
            ("description", "The site's description in that language."),
            ("eras", "Era names in that language, by era slug."),
            ("tracks", "Track names in that language, by track id."),
            (
                "tags",
                "Tag names in that language, by tag slug (as in tags/<slug>/); the address stays the same.",
            ),
        ],
    );
}

pub fn describe_markdown(schema: &mut Schema) {
    describe(
        schema,
        &[(
            "unsafe_html",
            "Let raw HTML in Markdown through, trusting every author (off: it is shown as text).",
        )],
    );
}

pub fn describe_event(schema: &mut Schema) {
    describe(
        schema,
        &[
            ("title", "The headline."),
            ("date", "When it happened, or began."),
            ("end", "When it ended, for a span; `..` while it goes on."),
            (
                "display_date",
                "Printed instead of the date; never changes the event's place.",
            ),
            ("track", "The id of the track (lane) it belongs to, from site.yaml."),
            ("tags", "Tags; each has a page listing its events."),
            ("importance", "1 (minor) to 5 (a turning point); 3 when left out."),
            (
                "summary",
                "Markdown shown on the timeline; the body's first paragraph when left out.",
            ),
            ("media", "A picture, video or link, or a list of them."),
            ("sources", "Where the facts come from."),
            ("slug", "The URL name (made from the file name when left out)."),
            ("draft", "Left out of builds unless `--drafts` is given."),
            ("weight", "Orders events on the same date, lower first."),
            ("extra", "Free fields for custom themes, as `event.extra` in templates."),
            (
                "body",
                "The Markdown text, in YAML event files only (a Markdown file has it after the front matter).",
            ),
        ],
    );
}

pub fn describe_media(schema: &mut Schema) {
    describe(
        schema,
        &[
            (
                "src",
                "A path inside content/ (media/x.jpg) or a URL (an image, a YouTube or Vimeo video, a page).",
            ),
            (
                "alt",
                "What the picture shows, for readers who cannot see it; required for images.",
            ),
            ("caption", "A caption, Markdown."),
            ("credit", "Who made it."),
            ("link", "Where the item links to."),
        ],
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_codes_are_the_ones_annals_reads() {
        for code in LANGUAGE_CODES {
            assert!(code.parse::<crate::lang::Lang>().is_ok(), "{code}");
        }
        for lang in crate::lang::Lang::ALL {
            assert!(LANGUAGE_CODES.contains(&lang.code()), "{}", lang.code());
        }
        assert!(language_pattern().contains("[Ff][Rr]"));
    }
}

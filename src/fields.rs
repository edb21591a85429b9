//! Serde building blocks for the values authors write in YAML.
//!
//! Validation happens while deserializing, inside the visitor, so a bad
//! value (an impossible date, a slug with spaces) is reported by the YAML
//! reader at the exact line and column where it was written.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, value::MapAccessDeserializer, value::SeqAccessDeserializer, Deserializer, Visitor};
use serde::Deserialize;

use crate::date::{Date, EndDate};
use crate::slug::Slug;

/// A `date:` value: a string such as `2013-12-09` or `500 BCE`, or a bare
/// year that YAML reads as a number (`2013`, `-0499`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateField(pub Date);

impl<'de> Deserialize<'de> for DateField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DateVisitor).map(DateField)
    }
}

struct DateVisitor;

impl Visitor<'_> for DateVisitor {
    type Value = Date;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date such as 2013, 2013-12, 2013-12-09 or 500 BCE")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Date, E> {
        Date::parse(text).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, year: i64) -> Result<Date, E> {
        Date::from_year(year).map_err(E::custom)
    }

    fn visit_u64<E: de::Error>(self, year: u64) -> Result<Date, E> {
        let year = i64::try_from(year).unwrap_or(i64::MAX);
        Date::from_year(year).map_err(E::custom)
    }
}

/// An `end:` value: a date, or `..` / `now` for an ongoing span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndField(pub EndDate);

impl<'de> Deserialize<'de> for EndField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EndVisitor;
        impl Visitor<'_> for EndVisitor {
            type Value = EndDate;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an end date, or `..` / `now` for an ongoing span")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<EndDate, E> {
                EndDate::parse(text).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, year: i64) -> Result<EndDate, E> {
                DateVisitor.visit_i64(year).map(EndDate::On)
            }
            fn visit_u64<E: de::Error>(self, year: u64) -> Result<EndDate, E> {
                DateVisitor.visit_u64(year).map(EndDate::On)
            }
        }
        deserializer.deserialize_any(EndVisitor).map(EndField)
    }
}

/// A slug written by an author; it must already be clean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlugField(pub Slug);

impl<'de> Deserialize<'de> for SlugField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SlugVisitor;
        impl Visitor<'_> for SlugVisitor {
            type Value = Slug;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a slug of lower-case letters, digits and single dashes")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Slug, E> {
                Slug::parse(text).ok_or_else(|| {
                    E::custom(format!(
                        "`{text}` is not a valid slug: use lower-case letters, digits and single dashes (e.g. `{}`)",
                        Slug::from_text(text)
                    ))
                })
            }
        }
        deserializer.deserialize_str(SlugVisitor).map(SlugField)
    }
}

/// A CSS colour as an author may write it: `#rgb`, `#rrggbb` (with optional
/// alpha) or a colour keyword. Anything else could break out of a `style`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColourField(pub String);

impl<'de> Deserialize<'de> for ColourField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ColourVisitor;
        impl Visitor<'_> for ColourVisitor {
            type Value = String;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a colour such as \"#1d6fa5\" or \"teal\"")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<String, E> {
                let hex = text.strip_prefix('#').is_some_and(|digits| {
                    matches!(digits.len(), 3 | 4 | 6 | 8) && digits.bytes().all(|b| b.is_ascii_hexdigit())
                });
                let keyword = !text.is_empty() && text.len() <= 30 && text.bytes().all(|b| b.is_ascii_alphabetic());
                if hex || keyword {
                    Ok(text.to_ascii_lowercase())
                } else {
                    Err(E::custom(format!(
                        "`{text}` is not a colour annals accepts; write \"#rrggbb\" (quoted) or a CSS colour name"
                    )))
                }
            }
        }
        deserializer.deserialize_str(ColourVisitor).map(ColourField)
    }
}

/// One value or a list of them (`media:` may be a single item or a list).
#[derive(Debug, Clone, PartialEq)]
pub struct OneOrMany<T>(pub Vec<T>);

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneOrManyVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrManyVisitor<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("one item or a list of items")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Vec<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(|one| vec![one])
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
                Vec::deserialize(SeqAccessDeserializer::new(seq))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
        }
        deserializer
            .deserialize_any(OneOrManyVisitor(PhantomData))
            .map(OneOrMany)
    }
}

/// A `sources:` entry: a plain URL string or `{title, url, publisher, date,
/// lang}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SourceField {
    /// What the source is called.
    pub title: Option<String>,
    /// Where to read it.
    pub url: Option<String>,
    /// Who published it.
    pub publisher: Option<String>,
    /// When it was published.
    pub date: Option<Date>,
    /// The language its title and publisher are written in (`lang:`, a
    /// BCP 47 tag); `None` when it is the language of the file.
    pub lang: Option<String>,
    /// Whether a translation gave `title` (then in the translation's language).
    pub title_translated: bool,
    /// Whether a translation gave `publisher`.
    pub publisher_translated: bool,
}

/// Whether `tag` has the shape of a BCP 47 language tag: a language of two
/// or three letters, then subtags of letters and digits (`en`, `pt-BR`,
/// `zh-Hant`, `sr-Latn-RS`).
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    (2..=3).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|part| (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric()))
}

impl<'de> Deserialize<'de> for SourceField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct FullSource {
            title: Option<String>,
            url: Option<String>,
            publisher: Option<String>,
            date: Option<DateField>,
            lang: Option<String>,
        }
        struct SourceVisitor;
        impl<'de> Visitor<'de> for SourceVisitor {
            type Value = SourceField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a URL, or a source with title, url, publisher, date and lang")
            }
            fn visit_str<E: de::Error>(self, url: &str) -> Result<SourceField, E> {
                Ok(SourceField {
                    url: Some(url.to_string()),
                    ..SourceField::default()
                })
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<SourceField, A::Error> {
                let full = FullSource::deserialize(MapAccessDeserializer::new(map))?;
                if full.title.is_none() && full.url.is_none() {
                    return Err(de::Error::custom("a source needs at least a `title` or a `url`"));
                }
                if let Some(lang) = full.lang.as_deref().filter(|lang| !is_language_tag(lang)) {
                    return Err(de::Error::custom(format!(
                        "`{lang}` is not a language tag: write the language's code, e.g. `en`, `fr` or `pt-BR`"
                    )));
                }
                Ok(SourceField {
                    title: full.title,
                    url: full.url,
                    publisher: full.publisher,
                    date: full.date.map(|d| d.0),
                    lang: full.lang,
                    ..SourceField::default()
                })
            }
        }
        deserializer.deserialize_any(SourceVisitor)
    }
}

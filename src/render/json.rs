//! JSON as annals writes it: into data files (`events.json`,
//! `timeline.json`) and into `<script>` elements (JSON-LD).
//!
//! Two rules apply to every string, while it is serialized, so no copy of
//! the text is made: `<`, `>` and `&` are written as `\u003c`, `\u003e` and
//! `\u0026` — the same data, but no title can close a `<script>` element or
//! be read as markup by a careless consumer — and the root mark (the
//! placeholder for the path to the site root, see [`ROOT_MARK`]) is
//! dropped, since these files sit at the root. Output is compact: a 10,000
//! event site's `events.json` is tens of megabytes already.

use std::io;

use serde::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter, Serializer};

use crate::markdown::ROOT_MARK;

/// Serializes `value` into `writer` with the rules above.
pub fn write<W: io::Write, T: Serialize + ?Sized>(writer: W, value: &T) -> io::Result<()> {
    let mut serializer = Serializer::with_formatter(writer, MarkupSafe);
    value.serialize(&mut serializer).map_err(io::Error::other)
}

/// The JSON text of `value`, for a `<script>` element.
pub fn script<T: Serialize + ?Sized>(value: &T) -> String {
    let mut bytes = Vec::new();
    write(&mut bytes, value).expect("views serialize to JSON");
    // The serializer writes valid UTF-8 and the formatter only ASCII.
    String::from_utf8(bytes).expect("JSON is UTF-8")
}

/// A template value written as JSON with the keys of every map in
/// alphabetical order (template maps have no order of their own), so the
/// same value always gives the same text.
pub struct Sorted<'a> {
    value: &'a tera::Value,
    /// Keys of the outermost map not written.
    left_out: &'a [&'a str],
}

impl<'a> Sorted<'a> {
    /// All of `value`.
    pub fn new(value: &'a tera::Value) -> Self {
        Sorted { value, left_out: &[] }
    }

    /// `value` without the keys `left_out` of its outermost map.
    pub fn leaving_out(value: &'a tera::Value, left_out: &'a [&'a str]) -> Self {
        Sorted { value, left_out }
    }
}

impl Serialize for Sorted<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        let value = self.value;
        if let Some(map) = value.as_map() {
            let mut entries: Vec<(&str, &tera::Value)> = map
                .iter()
                .map(|(key, value)| (key.as_str().unwrap_or_default(), value))
                .filter(|(key, _)| !self.left_out.contains(key))
                .collect();
            entries.sort_unstable_by_key(|(key, _)| *key);
            let mut out = serializer.serialize_map(Some(entries.len()))?;
            for (key, value) in entries {
                out.serialize_entry(key, &Sorted::new(value))?;
            }
            out.end()
        } else if let Some(items) = value.as_array() {
            let mut out = serializer.serialize_seq(Some(items.len()))?;
            for item in items {
                out.serialize_element(&Sorted::new(item))?;
            }
            out.end()
        } else {
            value.serialize(serializer)
        }
    }
}

/// The compact formatter with markup characters escaped and root marks dropped.
struct MarkupSafe;

impl Formatter for MarkupSafe {
    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
        let bytes = fragment.as_bytes();
        let mut start = 0;
        for at in memchr::memchr3_iter(b'<', b'>', b'&', bytes) {
            writer.write_all(&bytes[start..at])?;
            let escaped: &[u8] = match bytes[at] {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                _ => b"\\u0026",
            };
            writer.write_all(escaped)?;
            start = at + 1;
        }
        writer.write_all(&bytes[start..])
    }

    fn write_char_escape<W: ?Sized + io::Write>(&mut self, writer: &mut W, escape: CharEscape) -> io::Result<()> {
        match escape {
            CharEscape::AsciiControl(byte) if char::from(byte) == ROOT_MARK => Ok(()),
            other => CompactFormatter.write_char_escape(writer, other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped_and_the_data_is_unchanged() {
        let title = "\"><script>alert(1)</script> & more";
        let text = script(&serde_json::json!({ "title": title }));
        assert!(!text.contains(['<', '>', '&']), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["title"], title);
    }

    #[test]
    fn root_marks_are_dropped_and_other_escapes_kept() {
        let text = format!("{ROOT_MARK}events/x/ \"quoted\" \\ \u{2}");
        let mut bytes = Vec::new();
        write(&mut bytes, &[text]).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "[\"events/x/ \\\"quoted\\\" \\\\ \\u0002\"]"
        );
    }
}

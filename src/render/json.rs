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

use std::cell::Cell;
use std::io;

use serde::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter, Serializer};

use crate::parse::markdown::ROOT_MARK;

/// Serializes `value` into `writer` with the rules above.
pub fn write<W: io::Write, T: Serialize + ?Sized>(writer: W, value: &T) -> io::Result<()> {
    let mut serializer = Serializer::with_formatter(writer, MarkupSafe);
    value.serialize(&mut serializer).map_err(io::Error::other)
}

/// What `write` writes, in a vector of exactly its size. It writes into
/// a buffer this thread keeps from one piece to the next, so a piece of a
/// data file (an event of `events.json`, a slide of `timeline.json`) is
/// not made by growing a vector step by step, each step a copy, and holds
/// no spare room while it waits to be written or is kept by the preview.
pub fn piece(write: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    /// A buffer that grew past this is let go rather than kept.
    const KEPT: usize = 1 << 20;
    thread_local! {
        static SCRATCH: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
    }
    // Taken, not borrowed: a `write` that made a piece of its own would
    // find an empty buffer, not a panic.
    let mut scratch = SCRATCH.take();
    scratch.clear();
    write(&mut scratch);
    let piece = scratch.to_vec();
    if scratch.capacity() <= KEPT {
        SCRATCH.set(scratch);
    }
    piece
}

/// The JSON text of `value`, for a `<script>` element.
pub fn script<T: Serialize + ?Sized>(value: &T) -> String {
    let mut bytes = Vec::new();
    write(&mut bytes, value).expect("views serialize to JSON");
    // The serializer writes valid UTF-8 and the formatter only ASCII.
    String::from_utf8(bytes).expect("JSON is UTF-8")
}

/// Writes a template value as JSON into `out`, with the rules above and
/// the keys of every map in alphabetical order (template maps have no order
/// of their own), so the same value always gives the same text; the keys
/// `left_out` of the outermost map are not written.
///
/// The same text as [`write`] would give, made in one pass over each
/// string instead of two: `events.json` is mostly long strings.
pub fn write_sorted(out: &mut Vec<u8>, value: &tera::Value, left_out: &[&str]) {
    if let Some(map) = value.as_map() {
        let mut entries: Vec<(&str, &tera::Value)> = map
            .iter()
            .map(|(key, value)| (key.as_str().unwrap_or_default(), value))
            .filter(|(key, _)| !left_out.contains(key))
            .collect();
        entries.sort_unstable_by_key(|(key, _)| *key);
        out.push(b'{');
        for (at, (key, value)) in entries.into_iter().enumerate() {
            if at > 0 {
                out.push(b',');
            }
            write_string(out, key);
            out.push(b':');
            write_sorted(out, value, &[]);
        }
        out.push(b'}');
    } else if let Some(items) = value.as_array() {
        out.push(b'[');
        for (at, item) in items.iter().enumerate() {
            if at > 0 {
                out.push(b',');
            }
            write_sorted(out, item, &[]);
        }
        out.push(b']');
    } else if let Some(text) = value.as_str() {
        write_string(out, text);
    } else {
        // Numbers, booleans and nothing: no strings inside.
        let _ = serde_json::to_writer(&mut *out, value);
    }
}

/// Bytes a JSON string cannot hold as they are: control characters
/// (the root mark among them), quotes, backslashes and markup characters.
const SPECIAL: [bool; 256] = {
    let mut special = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        special[byte] = true;
        byte += 1;
    }
    special[b'"' as usize] = true;
    special[b'\\' as usize] = true;
    special[b'<' as usize] = true;
    special[b'>' as usize] = true;
    special[b'&' as usize] = true;
    special
};

/// Writes `text` as a JSON string, escaped as [`MarkupSafe`] escapes it.
fn write_string(out: &mut Vec<u8>, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        if !SPECIAL[usize::from(byte)] {
            continue;
        }
        out.extend_from_slice(&bytes[start..at]);
        start = at + 1;
        let escaped: &[u8] = match byte {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'<' => b"\\u003c",
            b'>' => b"\\u003e",
            b'&' => b"\\u0026",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            _ if char::from(byte) == ROOT_MARK => b"",
            _ => {
                let code = [
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[usize::from(byte >> 4)],
                    HEX[usize::from(byte & 0xf)],
                ];
                out.extend_from_slice(&code);
                continue;
            }
        };
        out.extend_from_slice(escaped);
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
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
    fn a_piece_is_exactly_what_was_written_even_when_made_inside_another() {
        let outer = piece(|bytes| {
            bytes.extend_from_slice(b"[");
            let inner = piece(|bytes| write_sorted(bytes, &tera::Value::from("a<b"), &[]));
            bytes.extend_from_slice(&inner);
            bytes.extend_from_slice(b"]");
        });
        assert_eq!(outer, b"[\"a\\u003cb\"]");
        assert_eq!(outer.capacity(), outer.len(), "no spare room");
        let again = piece(|bytes| bytes.extend_from_slice(b"{}"));
        assert_eq!(again, b"{}", "the buffer starts empty each time");
    }

    #[test]
    fn markup_characters_are_escaped_and_the_data_is_unchanged() {
        let title = "\"><script>alert(1)</script> & more";
        let text = script(&serde_json::json!({ "title": title }));
        assert!(!text.contains(['<', '>', '&']), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["title"], title);
    }

    #[test]
    fn sorted_values_are_written_as_the_serializer_writes_them() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        let text = format!("{every_ascii} <b>é 日本</b> {ROOT_MARK}events/x/");
        let value = tera::Value::from_serializable(&serde_json::json!({
            "zeta": [1, -2, 2.5, true, null, text],
            "alpha": { "b": "x", "a": text },
            "left": "out",
        }));
        let mut ours = Vec::new();
        write_sorted(&mut ours, &value, &["left"]);
        let expected = serde_json::json!({
            "alpha": { "a": text, "b": "x" },
            "zeta": [1, -2, 2.5, true, null, text],
        });
        let mut theirs = Vec::new();
        write(&mut theirs, &expected).unwrap();
        assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(theirs).unwrap());
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

//! What XML can hold: the characters XML 1.0 leaves out, and escaping
//! text for the XML files annals writes (the feed, the sitemap, the
//! overview SVG). Shared by the render, which writes XML, and the lint,
//! which warns about text that would lose characters there.

use std::borrow::Cow;

/// Whether `c` is left out of XML: XML 1.0 forbids the C0 controls other
/// than tab, line feed and carriage return, and U+FFFE and U+FFFF, and a
/// feed reader gives up on a document holding one; DEL and the C1
/// controls, which it only discourages, are left out too. The lint warns
/// about a file whose text would lose one.
pub fn left_out_of_xml(c: char) -> bool {
    (c.is_control() && !matches!(c, '\n' | '\t' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// Whether `text` holds a character [`left_out_of_xml`]. A scan of bytes
/// finds none in almost every text at once: such a character is a control
/// byte, DEL, or starts with 0xC2 (U+0080–U+00BF) or 0xEF (U+F000–U+FFFF);
/// only a text with one of those is looked at character by character.
pub fn holds_left_out_of_xml(text: &str) -> bool {
    let suspect = |b: &u8| (*b < 0x20 && !matches!(*b, b'\n' | b'\t' | b'\r')) || matches!(*b, 0x7f | 0xc2 | 0xef);
    text.as_bytes().iter().any(suspect) && text.chars().any(left_out_of_xml)
}

/// Escapes text for XML content and attribute values, leaving out the
/// characters XML cannot hold ([`left_out_of_xml`]); text with nothing
/// to escape comes back as it is. Every value of the feed, the sitemap and
/// the overview SVG passes through here.
pub fn escape_xml(text: &str) -> Cow<'_, str> {
    let needs_escape = |c: char| matches!(c, '&' | '<' | '>' | '"' | '\'') || left_out_of_xml(c);
    let Some(first) = text.find(needs_escape) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if left_out_of_xml(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_scan_finds_every_character_left_out_of_xml_and_passes_the_rest() {
        for c in [
            '\u{0}', '\u{1}', '\u{b}', '\u{c}', '\u{1f}', '\u{7f}', '\u{80}', '\u{9f}', '\u{fffe}', '\u{ffff}',
        ] {
            assert!(holds_left_out_of_xml(&format!("a{c}b")), "U+{:04X}", u32::from(c));
        }
        for text in [
            "plain",
            "tab\tand\nlines\r",
            "é · ½ «»",
            "杨立昆",
            "\u{f8ff}\u{fffd}",
            "🙂",
        ] {
            assert!(!holds_left_out_of_xml(text), "{text}");
        }
    }
}

//! Text on its way to a terminal, which obeys some characters instead of
//! showing them: ESC starts sequences that retitle the window, move the
//! cursor or clear the screen, BEL rings, CR returns to the start of the line
//! to write over it, and the Unicode bidirectional overrides reorder what
//! follows. File names, messages and quoted lines come from a site's files,
//! so the command line passes every text it prints through [`escape`], which
//! writes such characters out as `\u{1b}`. Only the colour codes and line
//! breaks annals itself adds reach the terminal as they are.

use std::borrow::Cow;

/// Longest source line quoted in a diagnostic's frame, in characters as
/// shown (after escaping, see [`quote`]).
pub const FRAME_WIDTH: usize = 160;

/// Whether a terminal could act on `c` rather than show it: control
/// characters (C0 but tab, DEL, C1) and the bidi embeddings, overrides and
/// isolates (U+202A–U+202E, U+2066–U+2069). A tab only moves the cursor
/// right, and source lines keep theirs so the caret under them lines up.
fn acts_on_terminal(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every character a terminal would act on written out as
/// `\u{…}`; text with none comes back as it is.
pub fn escape(text: &str) -> Cow<'_, str> {
    let Some(first) = text.find(acts_on_terminal) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len() + 16);
    out.push_str(&text[..first]);
    for c in text[first..].chars() {
        push_shown(&mut out, c);
    }
    Cow::Owned(out)
}

fn push_shown(out: &mut String, c: char) {
    if acts_on_terminal(c) {
        out.extend(c.escape_unicode());
    } else {
        out.push(c);
    }
}

/// A source line as a frame quotes it: escaped, then cut with `…` to at
/// most [`FRAME_WIDTH`] characters as shown, so escapes cannot make a
/// quoted line longer. Also where the 1-based `column` of `line` falls in
/// the quote (past its end when the cut removed that column; 0 stays 0).
pub fn quote(line: &str, column: usize) -> (String, usize) {
    let mut out = String::new();
    let mut shown = 0;
    let mut at = 0;
    for (index, c) in line.chars().enumerate() {
        if index + 1 == column {
            at = shown + 1;
        }
        let width = if acts_on_terminal(c) {
            c.escape_unicode().count()
        } else {
            1
        };
        if shown + width > FRAME_WIDTH {
            out.push('…');
            break;
        }
        push_shown(&mut out, c);
        shown += width;
    }
    if column > 0 && at == 0 {
        at = shown + 1;
    }
    (out, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_without_control_characters_is_borrowed_unchanged() {
        let text = "content/events/2001-éa\tb.md: error: `x` — ok";
        assert!(matches!(escape(text), Cow::Borrowed(same) if same == text));
    }

    #[test]
    fn esc_bel_cr_newline_and_nul_are_written_out() {
        assert_eq!(
            escape("a\x1b]0;pwned\x07b\rc\nd\0"),
            "a\\u{1b}]0;pwned\\u{7}b\\u{d}c\\u{a}d\\u{0}"
        );
    }

    #[test]
    fn del_c1_and_bidi_overrides_are_written_out() {
        assert_eq!(escape("\u{7f}\u{9b}31m"), "\\u{7f}\\u{9b}31m");
        assert_eq!(
            escape("x\u{202e}fdp.exe\u{2066}y\u{2069}"),
            "x\\u{202e}fdp.exe\\u{2066}y\\u{2069}"
        );
    }

    #[test]
    fn escaping_twice_changes_nothing_more() {
        let once = escape("\x1b[2J\u{202d}").into_owned();
        assert_eq!(escape(&once), once);
    }

    #[test]
    fn a_quoted_line_is_cut_after_escaping() {
        let line = "\x1b".repeat(1000);
        let (quoted, _) = quote(&line, 0);
        assert!(quoted.chars().count() <= FRAME_WIDTH + 1, "{}", quoted.chars().count());
        assert!(quoted.ends_with("\\u{1b}…"), "an escape is never cut in half: {quoted}");
        assert!(!quoted.contains('\x1b'));
    }

    #[test]
    fn a_short_line_is_quoted_whole() {
        assert_eq!(quote("title: A", 8), ("title: A".to_string(), 8));
    }

    #[test]
    fn the_column_moves_right_past_escapes() {
        let (quoted, column) = quote("a\x1bb", 3);
        assert_eq!(quoted, "a\\u{1b}b");
        assert_eq!(quoted.chars().nth(column - 1), Some('b'));
    }

    #[test]
    fn a_column_beyond_the_cut_points_past_the_quote() {
        let line = "x".repeat(500);
        let (quoted, column) = quote(&line, 400);
        assert_eq!(quoted.chars().count(), FRAME_WIDTH + 1);
        assert_eq!(column, FRAME_WIDTH + 1);
    }
}

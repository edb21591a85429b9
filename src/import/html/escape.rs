//! Markdown that reads back as the text it was made from: characters that
//! Markdown would take for markup escaped, a paragraph's whitespace and
//! line breaks settled, link addresses and titles quoted, and code fenced
//! with more backticks than it holds.

use super::tree::is_html_space;

/// Stands for a `<br>` until the paragraph's whitespace is settled.
pub(super) const BREAK: char = '\u{2}';

/// Settles the whitespace of a paragraph's Markdown: a run of spaces that
/// holds a line break becomes one line break (HTML would show one space, and
/// a blank line would end the paragraph), `<br>`s become hard breaks, and
/// lines that would start a list, heading or quote are escaped.
pub(super) fn finish_inline(text: &str) -> String {
    let mut settled = String::with_capacity(text.len());
    let mut pending = String::new();
    for c in text.chars() {
        if is_html_space(c) {
            pending.push(c);
            continue;
        }
        if !pending.is_empty() {
            settled.push_str(if pending.contains('\n') { "\n" } else { &pending });
            pending.clear();
        }
        settled.push(c);
    }
    // Breaks: drop those at either end, and let a break absorb the
    // whitespace around it.
    let mut out = String::with_capacity(settled.len());
    let mut chars = settled
        .trim_matches(|c| is_html_space(c) || c == BREAK)
        .chars()
        .peekable();
    while let Some(c) = chars.next() {
        if c == BREAK {
            while out.ends_with(is_html_space) {
                out.pop();
            }
            out.push_str("\\\n");
            while chars.peek().is_some_and(|c| is_html_space(*c)) {
                chars.next();
            }
        } else {
            out.push(c);
        }
    }
    out.lines().map(escape_line_start).collect::<Vec<_>>().join("\n")
}

/// Escapes what Markdown would read as the start of a block.
fn escape_line_start(line: &str) -> String {
    match line.chars().next() {
        Some('#' | '+' | '-' | '=' | '>' | '|') => format!("\\{line}"),
        Some(c) if c.is_ascii_digit() => {
            let digits = line.find(|c: char| !c.is_ascii_digit()).unwrap_or(line.len());
            match line[digits..].chars().next() {
                Some('.' | ')') => format!("{}\\{}", &line[..digits], &line[digits..]),
                _ => line.to_string(),
            }
        }
        _ => line.to_string(),
    }
}

/// Escapes the characters Markdown would read as markup inside a line.
/// `prev` is the character written just before, for `_` inside words.
pub(super) fn escape_text(text: &str, prev: Option<char>) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (index, &c) in chars.iter().enumerate() {
        let before = if index == 0 { prev } else { Some(chars[index - 1]) };
        let after = chars.get(index + 1).copied();
        match c {
            '\\' | '*' | '[' | ']' | '`' | '~' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric)) => {
                out.push_str("\\_")
            }
            '<' if after.is_some_and(|next| next.is_ascii_alphabetic() || matches!(next, '/' | '!' | '?')) => {
                out.push_str("\\<")
            }
            '&' if looks_like_reference(&chars[index + 1..]) => out.push_str("\\&"),
            // Control characters cannot be typed and would confuse the
            // paragraph logic above.
            c if c.is_control() && !is_html_space(c) => {}
            _ => out.push(c),
        }
    }
    out
}

/// Whether the characters after a `&` would be read as a character
/// reference (`amp;`, `#150;`, `#x2014;`), in which case the `&` is escaped.
/// Markdown knows only named references that exist, so this may escape an
/// `&` that needed none, which shows the same.
fn looks_like_reference(after: &[char]) -> bool {
    let Some(end) = after.iter().position(|c| *c == ';') else {
        return false;
    };
    let name = &after[..end];
    match name {
        ['#', 'x' | 'X', hex @ ..] => !hex.is_empty() && hex.iter().all(char::is_ascii_hexdigit),
        ['#', digits @ ..] => !digits.is_empty() && digits.iter().all(char::is_ascii_digit),
        _ => !name.is_empty() && name.iter().all(char::is_ascii_alphanumeric),
    }
}

/// A link or image address, in `<…>` when it holds spaces or brackets.
pub(super) fn destination(url: &str) -> String {
    let url: String = url.trim().chars().filter(|c| !matches!(c, '\n' | '\r')).collect();
    let chars: Vec<char> = url.chars().collect();
    let mut escaped = String::with_capacity(url.len());
    for (index, &c) in chars.iter().enumerate() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '&' if looks_like_reference(&chars[index + 1..]) => escaped.push_str("\\&"),
            _ => escaped.push(c),
        }
    }
    let opens = url.matches('(').count();
    let closes = url.matches(')').count();
    let plain =
        !url.is_empty() && opens == closes && !url.chars().any(|c| c == ' ' || c == '<' || c == '>' || c.is_control());
    if plain {
        escaped
    } else {
        format!("<{}>", escaped.replace('<', "\\<").replace('>', "\\>"))
    }
}

/// Adds ` "title"` to a link or image, when it has a title.
pub(super) fn push_title(out: &mut String, title: Option<&str>) {
    if let Some(title) = title.filter(|title| !title.is_empty()) {
        out.push_str(" \"");
        let title = title.replace(['\n', '\r'], " ");
        out.push_str(&title.replace('\\', "\\\\").replace('"', "\\\""));
        out.push('"');
    }
}

/// The length of the longest run of `wanted` in `text`.
pub(super) fn longest_run(text: &str, wanted: char) -> usize {
    let mut longest = 0;
    let mut current = 0;
    for c in text.chars() {
        current = if c == wanted { current + 1 } else { 0 };
        longest = longest.max(current);
    }
    longest
}

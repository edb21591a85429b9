//! The YAML mistakes people make most, explained in plain words.
//!
//! The parser's messages ("mapping values are not allowed in this context")
//! describe its state, not the author's mistake, and sometimes point past it
//! (an unclosed quote is reported where the text runs out). When the parser
//! fails, [`explain`] looks at the line it names (and the line its message
//! says it was reading) for the usual suspects — an unquoted `: ` in a
//! value, a tab, `key:value`, an unclosed quote, text where a list belongs,
//! a value starting with a character YAML reserves — and returns a message
//! pinned to the mistake, with the line rewritten as it should be.

use super::{Reported, YamlError};
use crate::diagnostic::Code;

/// A plain-language error for a common mistake, or `None` to keep the
/// parser's own words.
pub(super) fn explain(text: &str, reported: Reported<'_>) -> Option<YamlError> {
    let full = reported.full;
    if full.contains("invalid type: string") && full.contains("expected a sequence") {
        return text_for_a_list(text, reported);
    }
    if (full.contains("invalid type: sequence") || full.contains("invalid type: map"))
        && full.contains("expected a string")
    {
        return list_for_text(text, reported);
    }
    if !super::is_syntax_error(full) {
        return None;
    }
    if let Some(found) = unclosed_quote(text, reported) {
        return Some(found);
    }
    for (sign, open, close) in [
        ("while parsing a flow sequence", '[', ']'),
        ("while parsing a flow mapping", '{', '}'),
    ] {
        if let Some(opened) = position_after(full, sign) {
            if let Some(found) = unclosed_bracket(text, opened, open, close) {
                return Some(found);
            }
        }
    }
    if full.contains("cannot start any token") {
        // The parser points at the character: a tab, or one YAML reserves.
        let at_column =
            line_of(text, reported.line).and_then(|line| line.chars().nth(reported.column.saturating_sub(1)));
        return match at_column {
            Some('\t') => tab(text, reported.line),
            _ => reserved_first_character(text, reported),
        };
    }
    if full.contains("tab character") {
        if let Some(found) = tab(text, reported.line) {
            return Some(found);
        }
    }
    if full.contains("mapping values are not allowed") {
        return colon_in_value(text, reported);
    }
    if full.contains("could not find expected ':'") {
        let (line, _) = position_after(full, "while scanning a simple key").unwrap_or((reported.line, 1));
        return no_space_after_colon(text, line);
    }
    if full.contains("did not find expected key") {
        return text_after_closing_quote(text, reported.line);
    }
    None
}

/// A mistake at 1-based `line` and `column`.
fn at(line: usize, column: usize, code: Code, message: String, hint: String) -> YamlError {
    YamlError {
        line,
        column,
        message,
        hint: Some(hint),
        code,
    }
}

/// `title: Meta: the end` — YAML takes the second `: ` for a new key.
fn colon_in_value(text: &str, reported: Reported<'_>) -> Option<YamlError> {
    let entry = Entry::parse(line_of(text, reported.line)?)?;
    if !entry.value.contains(": ") && !entry.value.ends_with(':') {
        return None;
    }
    Some(at(
        reported.line,
        reported.column,
        Code::YamlColonInValue,
        format!(
            "the value of `{}` holds a colon and a space, which YAML reads as the start of another key",
            entry.key
        ),
        format!("put the value in quotes: {}", entry.with_value(&quoted(entry.value))),
    ))
}

/// A tab where YAML wants spaces (indentation, or before a key).
fn tab(text: &str, line: usize) -> Option<YamlError> {
    let written = line_of(text, line)?;
    let column = written.chars().position(|c| c == '\t')? + 1;
    let indent: String = written.chars().take_while(|c| c.is_whitespace()).collect();
    let rest = &written[indent.len()..];
    // Each tab of the indentation becomes two spaces; a line that is not
    // under an opening `key:` goes back to the indentation of the one above.
    let opens = (1..line)
        .rev()
        .filter_map(|above| line_of(text, above))
        .find(|above| !above.trim().is_empty());
    let spaces = match opens {
        Some(above) if above.trim_end().ends_with(':') => indent.replace('\t', "  "),
        Some(above) => above.chars().take_while(|c| *c == ' ').collect(),
        None => String::new(),
    };
    let fixed = format!("{spaces}{}", rest.replace('\t', " "));
    Some(at(
        line,
        column,
        Code::YamlTab,
        "a tab: YAML allows only spaces for indentation and between a key and its value".to_string(),
        format!("use spaces instead: `{fixed}`"),
    ))
}

/// `date:1969` — without a space after it, the colon is part of a word.
fn no_space_after_colon(text: &str, line: usize) -> Option<YamlError> {
    let written = line_of(text, line)?;
    let indent = written.len() - written.trim_start().len();
    let body = &written[indent..];
    let item = if body.starts_with("- ") { 2 } else { 0 };
    let (key, value) = body[item..].split_once(':').unwrap_or((&body[item..], ""));
    let is_key = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if !is_key || value.is_empty() || value.starts_with([' ', '\t']) {
        return Some(at(
            line,
            indent + 1,
            Code::YamlSyntax,
            "this line is not `key: value`, and not part of the value above".to_string(),
            "write `key: value`; a value that goes on over several lines is indented under its key".to_string(),
        ));
    }
    let column = written[..indent + item + key.len() + 1].chars().count() + 1;
    Some(at(
        line,
        column,
        Code::YamlNoSpaceAfterColon,
        format!("`{key}:{value}` needs a space after the colon"),
        format!("write it as: {}{}{key}: {value}", &written[..indent], &body[..item]),
    ))
}

/// A quote opened and never closed: the parser reads on to the end of the
/// front matter (or to the next quote) and reports there.
fn unclosed_quote(text: &str, reported: Reported<'_>) -> Option<YamlError> {
    let (line, column) = match position_after(reported.full, "while scanning a quoted scalar") {
        Some(opened) => opened,
        None => first_unclosed_quote(text, reported.line)?,
    };
    let entry = Entry::parse(line_of(text, line)?)?;
    let quote = entry.value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let fixed = format!("{}{quote}", entry.value.trim_end());
    Some(at(
        line,
        column,
        Code::YamlUnclosedQuote,
        format!("the quote that opens the value of `{}` is never closed", entry.key),
        format!("close it at the end of the value: {}", entry.with_value(&fixed)),
    ))
}

/// The first line up to `last` whose value opens a quote the line does not
/// close, with the quote's 1-based column.
fn first_unclosed_quote(text: &str, last: usize) -> Option<(usize, usize)> {
    (1..=last).find_map(|line| {
        let written = line_of(text, line)?;
        let entry = Entry::parse(written)?;
        let quote = entry.value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        let inner = &entry.value[1..];
        let closed = match quote {
            '"' => {
                let mut escaped = false;
                inner.chars().any(|c| {
                    let closes = c == '"' && !escaped;
                    escaped = c == '\\' && !escaped;
                    closes
                })
            }
            _ => inner.contains('\''),
        };
        // A quoted value may go on over several lines; it was not meant
        // to when the next line is a key of its own.
        let indent = |line: &str| line.len() - line.trim_start().len();
        let swallows_a_key = line == last
            || line_of(text, line + 1)
                .is_some_and(|next| Entry::parse(next).is_some() && indent(next) <= indent(written));
        (!closed && swallows_a_key).then(|| (line, written[..entry.value_at].chars().count() + 1))
    })
}

/// `summary: "A" quote` — text after a quoted value's closing quote.
fn text_after_closing_quote(text: &str, line: usize) -> Option<YamlError> {
    let entry = Entry::parse(line_of(text, line)?)?;
    let quote = entry.value.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let close = entry.value[1..].find(quote)? + 1;
    if entry.value[close + 1..].trim().is_empty() {
        return None;
    }
    let after = &entry.value[close + 1..];
    let extra_at = entry.value_at + close + 1 + (after.len() - after.trim_start().len());
    let column = line_of(text, line)?[..extra_at].chars().count() + 1;
    Some(at(
        line,
        column,
        Code::YamlTextAfterQuote,
        format!(
            "the value of `{}` goes on after its closing quote; YAML takes only what is inside the quotes",
            entry.key
        ),
        format!("quote the whole value: {}", entry.with_value(&quoted(entry.value))),
    ))
}

/// `title: @home` or `` title: `x` `` — characters YAML reserves.
fn reserved_first_character(text: &str, reported: Reported<'_>) -> Option<YamlError> {
    let entry = Entry::parse(line_of(text, reported.line)?)?;
    let first = entry.value.chars().next().filter(|c| matches!(c, '@' | '`' | '%'))?;
    Some(at(
        reported.line,
        reported.column,
        Code::YamlReservedCharacter,
        format!("in YAML a value cannot start with `{first}`"),
        format!("put the value in quotes: {}", entry.with_value(&quoted(entry.value))),
    ))
}

/// `tags: [a, b` — a list (or `{` mapping) opened on a line and never
/// closed; the parser reports where the text runs out.
fn unclosed_bracket(text: &str, (line, column): (usize, usize), open: char, close: char) -> Option<YamlError> {
    let entry = Entry::parse(line_of(text, line)?)?;
    if !entry.value.starts_with(open) || entry.value.contains(close) {
        return None;
    }
    let what = if open == '[' { "list" } else { "mapping" };
    Some(at(
        line,
        column,
        Code::YamlUnclosedBracket,
        format!(
            "the {what} that opens the value of `{}` with `{open}` is never closed",
            entry.key
        ),
        format!(
            "close it at the end of the line: {}",
            entry.with_value(&format!("{}{close}", entry.value))
        ),
    ))
}

/// `title: [draft] Notes` where text belongs: `[` and `{` start a list
/// and a mapping in YAML.
fn list_for_text(text: &str, reported: Reported<'_>) -> Option<YamlError> {
    let entry = Entry::parse(line_of(text, reported.line)?)?;
    let first = entry.value.chars().next().filter(|c| matches!(c, '[' | '{'))?;
    Some(at(
        reported.line,
        reported.column,
        Code::InvalidValue,
        format!(
            "`{}` is text, but in YAML a value that starts with `{first}` is a {}",
            entry.key,
            if first == '[' { "list" } else { "mapping" }
        ),
        format!("put the value in quotes: {}", entry.with_value(&quoted(entry.value))),
    ))
}

/// `tags: x` where a list belongs.
fn text_for_a_list(text: &str, reported: Reported<'_>) -> Option<YamlError> {
    let entry = Entry::parse(line_of(text, reported.line)?)?;
    let items: Vec<&str> = entry
        .value
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .collect();
    let list = format!("[{}]", items.join(", "));
    Some(at(
        reported.line,
        reported.column,
        Code::NotAList,
        format!("`{}` is a list, but here it is the text `{}`", entry.key, entry.value),
        format!("write a list in square brackets: {}", entry.with_value(&list)),
    ))
}

/// One `key: value` line, as written.
struct Entry<'a> {
    /// Everything before the value: indentation, `- `, the key, `: `.
    lead: &'a str,
    key: &'a str,
    /// The value, without the spaces around it or a trailing comment.
    value: &'a str,
    /// Byte offset of the value in the line.
    value_at: usize,
}

impl<'a> Entry<'a> {
    fn parse(line: &'a str) -> Option<Self> {
        let indent = line.len() - line.trim_start().len();
        let body = &line[indent..];
        let item = if body.starts_with("- ") { 2 } else { 0 };
        let colon = body[item..].find(": ")? + item;
        let key = body[item..colon].trim();
        if key.is_empty() || key.contains(['"', '\'', '{', '[']) {
            return None;
        }
        let after = &body[colon + 1..];
        let value_at = indent + colon + 1 + (after.len() - after.trim_start().len());
        let value = line[value_at..].trim_end();
        Some(Self {
            lead: &line[..value_at],
            key,
            value,
            value_at,
        })
    }

    /// The line with another value, e.g. `title: "Meta: the end"`.
    fn with_value(&self, value: &str) -> String {
        format!("{}{value}", self.lead.trim_start())
    }
}

/// `value` in the quotes that need no escaping inside it.
fn quoted(value: &str) -> String {
    if !value.contains(['"', '\\']) {
        format!("\"{value}\"")
    } else {
        format!("'{}'", value.replace('\'', "''"))
    }
}

/// The 1-based `line` of `text`.
fn line_of(text: &str, line: usize) -> Option<&str> {
    text.lines().nth(line.checked_sub(1)?)
}

/// The position in "`sign` at line L column C" of a parser message.
fn position_after(message: &str, sign: &str) -> Option<(usize, usize)> {
    let rest = &message[message.find(sign)? + sign.len()..];
    let rest = rest.strip_prefix(" at line ")?;
    let (line, rest) = rest.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.parse().ok()?, column.parse().ok()?))
}

#[cfg(test)]
mod tests;

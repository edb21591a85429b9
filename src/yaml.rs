//! The one place annals reads YAML.
//!
//! Every YAML document (site settings, front matter, event files, theme
//! strings) goes through [`from_str`], which turns the parser's error into a
//! [`YamlError`] with a 1-based line and column, a code, and where it can, a
//! hint: "did you mean" for a misspelt key, and for the common syntax
//! mistakes (see `mistakes`) a message in plain words with the line as it
//! should read. Keeping `serde_yaml` behind this module means the YAML
//! crate can be swapped without touching the rest of annals.

use serde::de::DeserializeOwned;

use crate::diagnostic::{Code, Diagnostic};

/// Largest YAML document annals accepts, in bytes. Front matter is small;
/// anything this big is a mistake or an attack, and the parser's memory use
/// grows with it.
pub const MAX_YAML_BYTES: usize = 4 * 1024 * 1024;

mod mistakes;

/// A YAML document that could not be read into the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line within the YAML text.
    pub line: usize,
    /// 1-based column within the YAML text.
    pub column: usize,
    /// What is wrong, in plain words, without the position.
    pub message: String,
    /// A suggestion: the key that was probably meant, or the line fixed.
    pub hint: Option<String>,
    /// Which kind of mistake it is (see [`crate::diagnostic::Diagnostic::code`]).
    pub code: Code,
}

impl YamlError {
    /// The error as a diagnostic about `path`, whose YAML starts after
    /// `line_offset` lines of `file_text` (the `---` of front matter).
    pub fn into_diagnostic(self, path: &str, file_text: &str, line_offset: usize) -> Diagnostic {
        let diagnostic = Diagnostic::error(path, self.message)
            .at(file_text, self.line + line_offset, self.column)
            .with_code(self.code);
        match self.hint {
            Some(hint) => diagnostic.with_hint(hint),
            None => diagnostic,
        }
    }
}

/// Parses `text` as YAML into `T`, reporting where and why it failed.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if text.len() > MAX_YAML_BYTES {
        return Err(YamlError {
            line: 1,
            column: 1,
            message: format!(
                "this YAML is {} bytes; annals reads at most {} bytes of YAML per file",
                text.len(),
                MAX_YAML_BYTES
            ),
            hint: Some("move long text into the Markdown body".to_string()),
            code: Code::YamlTooLarge,
        });
    }
    serde_yaml::from_str(text).map_err(|error| describe(text, &error))
}

/// What the parser said, in its words and at its position.
#[derive(Debug, Clone, Copy)]
struct Reported<'a> {
    /// The whole message, positions and all.
    full: &'a str,
    /// 1-based line and column of the error, as the parser gives them.
    line: usize,
    column: usize,
}

fn describe(text: &str, error: &serde_yaml::Error) -> YamlError {
    let full = error.to_string();
    let (line, column) = error.location().map(|at| (at.line(), at.column())).unwrap_or((1, 1));
    let reported = Reported {
        full: &full,
        line,
        column,
    };
    mistakes::explain(text, reported).unwrap_or_else(|| field_error(text, reported))
}

/// Errors about fields rather than syntax: unknown, duplicate, missing
/// keys, and values of the wrong kind, in the parser's words.
fn field_error(text: &str, reported: Reported<'_>) -> YamlError {
    let message = strip_position(reported.full);
    let (mut line, mut column) = (reported.line, reported.column);
    let mut hint = None;
    let mut code = if is_syntax_error(&message) {
        Code::YamlSyntax
    } else if ["date: ", "end: ", "start: "]
        .iter()
        .any(|key| message.starts_with(key) || message.contains(&format!(".{key}")))
    {
        // A value `date:`, `end:` or `start:` could not take: serde names
        // the field first (`events[2].date: …`).
        Code::InvalidDate
    } else {
        Code::InvalidValue
    };
    // serde names where in the document a field error is: `media: …`,
    // `events[1]: …`.
    let within = |sign: &str| {
        let before = message.find(sign).map_or("", |at| &message[..at]);
        match before.trim_end_matches([':', ' ']) {
            "" => String::new(),
            place => format!(" in `{place}`"),
        }
    };
    if let Some(field) = quoted_after(&message, "unknown field `") {
        // The parser points at the key; older versions pointed elsewhere.
        let on_its_line = text
            .lines()
            .nth(line.saturating_sub(1))
            .is_some_and(|written| written.contains(field));
        if !on_its_line {
            if let Some((l, c)) = locate_key(text, field, 0) {
                (line, column) = (l, c);
            }
        }
        let known = expected_names(&message);
        let unknown = format!("unknown key `{field}`{}", within("unknown field"));
        // With a likely key at hand, the list of every key is noise.
        let (message, hint) = match did_you_mean(field, &known) {
            Some(meant) => (unknown, format!("did you mean `{meant}`?")),
            None if known.is_empty() => (unknown, "this key is not allowed here".to_string()),
            None => (
                format!("{unknown}, expected one of {}", quoted_list(&known)),
                "remove it, or fix its spelling".to_string(),
            ),
        };
        return YamlError {
            line,
            column,
            message,
            hint: Some(hint),
            code: Code::UnknownKey,
        };
    } else if let Some(field) = quoted_after(&message, "duplicate field `") {
        if let Some((l, c)) = locate_key(text, field, 1) {
            (line, column) = (l, c);
        }
        hint = Some(format!("`{field}` appears twice; keep one"));
        code = Code::DuplicateKey;
    } else if let Some(field) = quoted_after(&message, "missing field `") {
        return YamlError {
            line,
            column,
            message: format!("the required key `{field}` is missing{}", within("missing field")),
            hint: Some(format!("add a line `{field}: …`")),
            code: Code::MissingField,
        };
    }
    YamlError {
        line,
        column,
        message,
        hint,
        code,
    }
}

/// Whether a parser message is about the YAML's syntax rather than the
/// values it holds.
fn is_syntax_error(message: &str) -> bool {
    [
        "while scanning",
        "while parsing",
        "did not find expected",
        "could not find expected",
        "found ",
        "mapping values",
    ]
    .iter()
    .any(|sign| message.contains(sign))
        && !message.contains("invalid type")
}

/// `` `a`, `b` or `c` ``.
fn quoted_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
    match quoted.split_last() {
        Some((last, init)) if !init.is_empty() => format!("{} or {last}", init.join(", ")),
        _ => quoted.concat(),
    }
}

/// serde_yaml writes positions (" at line N column M") into its messages,
/// counted from the start of the YAML rather than the file; the position is
/// reported separately, so every one of them is removed.
fn strip_position(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(" at line ") {
        out.push_str(&rest[..at]);
        let after = &rest[at + " at line ".len()..];
        let digits = |text: &str| text.bytes().take_while(u8::is_ascii_digit).count();
        let line_len = digits(after);
        match after[line_len..].strip_prefix(" column ") {
            Some(column) if line_len > 0 && digits(column) > 0 => rest = &column[digits(column)..],
            _ => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn quoted_after<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    let start = message.find(prefix)? + prefix.len();
    let rest = &message[start..];
    Some(&rest[..rest.find('`')?])
}

/// The names serde lists after "expected one of `a`, `b`" or "expected `a` or `b`".
fn expected_names(message: &str) -> Vec<&str> {
    let Some(at) = message.find("expected") else {
        return Vec::new();
    };
    message[at..].split('`').skip(1).step_by(2).collect()
}

/// Finds the `nth` (0-based) line where `key:` starts a mapping entry, and
/// returns its 1-based line and column.
pub fn locate_key(text: &str, key: &str, nth: usize) -> Option<(usize, usize)> {
    text.lines()
        .enumerate()
        .filter_map(|(index, line)| {
            let trimmed = line.trim_start();
            let trimmed = trimmed.strip_prefix("- ").unwrap_or(trimmed).trim_start();
            let rest = trimmed.strip_prefix(key)?;
            let rest = rest.trim_start_matches([' ', '\t']);
            rest.starts_with(':')
                .then(|| (index + 1, line.len() - trimmed.len() + 1))
        })
        .nth(nth)
}

/// The closest of `candidates` to `word`, if it is close enough to be a
/// typo: one letter in three may be wrong, swapped, missing or extra.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .iter()
        .map(|candidate| (strsim::damerau_levenshtein(&lower, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= candidate.chars().count().max(lower.chars().count()).div_ceil(3))
        .min()
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        title: String,
        #[serde(default)]
        weight: i64,
    }

    #[test]
    fn unknown_key_points_at_its_line_and_suggests_the_known_one() {
        let error = from_str::<Sample>("weight: 1\ntitel: x\n").unwrap_err();
        assert_eq!((error.line, error.column), (2, 1));
        assert_eq!(error.message, "unknown key `titel`");
        assert_eq!(error.hint.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn a_key_of_a_nested_item_is_named_with_its_place() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Outer {
            items: Vec<Sample>,
        }
        let error =
            from_str::<Outer>("items:\n  - title: a\n    wieght: 1\n  - title: b\n    wieght: 2\n").unwrap_err();
        assert_eq!((error.line, error.column), (3, 5));
        assert_eq!(error.message, "unknown key `wieght` in `items[0]`");
        assert_eq!(error.hint.as_deref(), Some("did you mean `weight`?"));
        let error = from_str::<Outer>("items:\n  - title: a\n  - weight: 2\n").unwrap_err();
        assert_eq!(error.message, "the required key `title` is missing in `items[1]`");
    }

    #[test]
    fn type_errors_keep_the_parser_position_without_repeating_it() {
        let error = from_str::<Sample>("title: x\nweight: heavy\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(!error.message.contains("at line"), "{}", error.message);
    }

    #[test]
    fn duplicate_keys_point_at_the_second_one() {
        let error = from_str::<Sample>("title: a\nweight: 1\ntitle: b\n").unwrap_err();
        assert_eq!(error.line, 3);
        assert!(error.message.contains("duplicate field"));
    }

    #[test]
    fn did_you_mean_ignores_words_that_are_not_close() {
        assert_eq!(did_you_mean("titel", &["title", "date"]), Some("title"));
        assert_eq!(did_you_mean("colour", &["color", "title"]), Some("color"));
        assert_eq!(did_you_mean("banana", &["title", "date"]), None);
    }

    #[test]
    fn positions_inside_messages_are_removed() {
        assert_eq!(
            strip_position(
                "did not find expected ',' at line 4 column 1, while parsing a flow sequence at line 2 column 7"
            ),
            "did not find expected ',', while parsing a flow sequence"
        );
        assert_eq!(strip_position("title: bad at line x"), "title: bad at line x");
    }

    #[test]
    fn oversized_documents_are_refused() {
        let text = format!("title: \"{}\"\n", "x".repeat(MAX_YAML_BYTES));
        let error = from_str::<Sample>(&text).unwrap_err();
        assert!(error.message.contains("at most"));
    }
}

//! Tests of the plain-language YAML errors: each common mistake explained
//! at its place with the line fixed, and any broken text explained
//! without panicking.

use serde::Deserialize;

use crate::diagnostic::Code;
use crate::yaml::{from_str, YamlError};

/// The shape of an event, as far as these mistakes go.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Sample {
    title: String,
    date: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    summary: Option<String>,
}

fn error(yaml: &str) -> YamlError {
    from_str::<Sample>(yaml).expect_err("the YAML should not parse")
}

/// `(yaml, line, column, code, message, hint)` for each common mistake.
const MISTAKES: &[(&str, usize, usize, Code, &str, &str)] = &[
    (
        "title: Meta: the end\ndate: 2025\n",
        1,
        12,
        Code::YamlColonInValue,
        "the value of `title` holds a colon and a space, which YAML reads as the start of another key",
        "put the value in quotes: title: \"Meta: the end\"",
    ),
    (
        "title: A\ndate: 2025\nsummary: He said \"no\": twice\n",
        3,
        22,
        Code::YamlColonInValue,
        "the value of `summary` holds a colon and a space, which YAML reads as the start of another key",
        "put the value in quotes: summary: 'He said \"no\": twice'",
    ),
    (
        "title: A\n\tdate: 2025\n",
        2,
        1,
        Code::YamlTab,
        "a tab: YAML allows only spaces for indentation and between a key and its value",
        "use spaces instead: `date: 2025`",
    ),
    (
        "\ttitle: A\ndate: 2025\n",
        1,
        1,
        Code::YamlTab,
        "a tab: YAML allows only spaces for indentation and between a key and its value",
        "use spaces instead: `title: A`",
    ),
    (
        "title: A\ndate: 2025\ntags:\n\t- a\n",
        4,
        1,
        Code::YamlTab,
        "a tab: YAML allows only spaces for indentation and between a key and its value",
        "use spaces instead: `  - a`",
    ),
    (
        "title: A\ndate:1969\n",
        2,
        6,
        Code::YamlNoSpaceAfterColon,
        "`date:1969` needs a space after the colon",
        "write it as: date: 1969",
    ),
    (
        "title: A\ndate:1969\ntags: [a]\n",
        2,
        6,
        Code::YamlNoSpaceAfterColon,
        "`date:1969` needs a space after the colon",
        "write it as: date: 1969",
    ),
    (
        "title: \"Meta: the end\ndate: 2025\ntags: [a]\n",
        1,
        8,
        Code::YamlUnclosedQuote,
        "the quote that opens the value of `title` is never closed",
        "close it at the end of the value: title: \"Meta: the end\"",
    ),
    (
        "title: A\ndate: 2025\nsummary: 'Not closed\n",
        3,
        10,
        Code::YamlUnclosedQuote,
        "the quote that opens the value of `summary` is never closed",
        "close it at the end of the value: summary: 'Not closed'",
    ),
    (
        "title: \"Not closed\ndate: 2025\nsummary: \"a\"\n",
        1,
        8,
        Code::YamlUnclosedQuote,
        "the quote that opens the value of `title` is never closed",
        "close it at the end of the value: title: \"Not closed\"",
    ),
    (
        "title: A\ndate: 2025\ntags: research\n",
        3,
        7,
        Code::NotAList,
        "`tags` is a list, but here it is the text `research`",
        "write a list in square brackets: tags: [research]",
    ),
    (
        "title: A\ndate: 2025\ntags: ai, labs\n",
        3,
        7,
        Code::NotAList,
        "`tags` is a list, but here it is the text `ai, labs`",
        "write a list in square brackets: tags: [ai, labs]",
    ),
    (
        "titel: A\ndate: 2025\n",
        1,
        1,
        Code::UnknownKey,
        "unknown key `titel`",
        "did you mean `title`?",
    ),
    (
        "title: A\nDate: 2025\n",
        2,
        1,
        Code::UnknownKey,
        "unknown key `Date`",
        "did you mean `date`?",
    ),
    (
        "title: A\ndate: 2025\nsummary: \"No\" he said\n",
        3,
        15,
        Code::YamlTextAfterQuote,
        "the value of `summary` goes on after its closing quote; YAML takes only what is inside the quotes",
        "quote the whole value: summary: '\"No\" he said'",
    ),
    (
        "title: @home\ndate: 2025\n",
        1,
        8,
        Code::YamlReservedCharacter,
        "in YAML a value cannot start with `@`",
        "put the value in quotes: title: \"@home\"",
    ),
    (
        "title: A\ndate: 2025\ntags: [a, b\n",
        3,
        7,
        Code::YamlUnclosedBracket,
        "the list that opens the value of `tags` with `[` is never closed",
        "close it at the end of the line: tags: [a, b]",
    ),
    (
        "title: [Draft] notes\ndate: 2025\n",
        1,
        8,
        Code::InvalidValue,
        "`title` is text, but in YAML a value that starts with `[` is a list",
        "put the value in quotes: title: \"[Draft] notes\"",
    ),
    (
        "date: 2025\n",
        1,
        1,
        Code::MissingField,
        "the required key `title` is missing",
        "add a line `title: …`",
    ),
];

#[test]
fn each_common_mistake_is_explained_at_its_place_with_the_line_fixed() {
    for &(yaml, line, column, code, message, hint) in MISTAKES {
        let error = error(yaml);
        assert_eq!(
            (
                error.line,
                error.column,
                error.code,
                error.message.as_str(),
                error.hint.as_deref()
            ),
            (line, column, code, message, Some(hint)),
            "for:\n{yaml}"
        );
    }
}

#[test]
fn each_fixed_line_parses() {
    for &(yaml, line, _, code, _, hint) in MISTAKES {
        let Some((_, fixed)) = hint
            .split_once(": ")
            .filter(|_| code.as_str().starts_with("yaml-") || code == Code::NotAList)
        else {
            continue;
        };
        let fixed = fixed.trim_matches('`');
        let mut lines: Vec<&str> = yaml.lines().collect();
        lines[line - 1] = fixed;
        let text = lines.join("\n");
        // An unclosed quote has no other mistake; the others may.
        if let Err(error) = from_str::<Sample>(&text) {
            assert_ne!(error.line, line, "the fixed line is still wrong:\n{text}\n{error:?}");
        }
    }
}

#[test]
fn a_quoted_value_over_several_lines_is_not_taken_for_an_unclosed_quote() {
    let error = error("summary: \"one\n  two\"\ntitle: A\ndate:1969\n");
    assert_eq!(error.code, Code::YamlNoSpaceAfterColon);
    assert_eq!(error.line, 4);
}

proptest::proptest! {
    /// Whatever the text, explaining its error neither panics nor
    /// points outside it.
    #[test]
    fn any_broken_yaml_is_explained_inside_the_text(text in "[a-z:'\"\t\n\\[\\]{}@ ,#-]{0,80}") {
        if let Err(error) = from_str::<Sample>(&text) {
            let lines = text.lines().count();
            proptest::prop_assert!(error.line >= 1 && error.line <= lines + 1, "{error:?} for {text:?}");
        }
    }
}

#[test]
fn a_tab_inside_a_value_is_not_blamed_for_another_mistake() {
    let error = error("title: @home\tpage\ndate: 2025\n");
    assert_eq!(error.code, Code::YamlReservedCharacter);
}

#[test]
fn a_line_that_is_no_key_keeps_a_general_message() {
    let error = error("title: A\ndate: 2025\nsome words\n");
    assert_eq!((error.line, error.code), (3, Code::YamlSyntax));
    assert!(error.message.contains("not `key: value`"), "{}", error.message);
}

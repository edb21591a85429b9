//! Problems found in a site, each pinned to a file, line and column.
//!
//! The pipeline collects diagnostics instead of stopping at the first one, so
//! one build reports every bad file. The binary prints them as
//! `content/events/x.md:3:7: error: …` with the offending source line.

use std::fmt;

use serde::Serialize;

/// Which kind of problem a diagnostic is. The names (`yaml-tab`,
/// `duplicate-slug`…) are stable, for scripts and editors; each is listed
/// with its meaning in `docs/content.md`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// YAML that cannot be read, other than the mistakes named below.
    YamlSyntax,
    /// A `: ` inside an unquoted value (`title: Meta: the end`).
    YamlColonInValue,
    /// A tab in indentation.
    YamlTab,
    /// `key:value` without a space after the colon.
    YamlNoSpaceAfterColon,
    /// A quoted value never closed.
    YamlUnclosedQuote,
    /// A `[` list or `{` mapping never closed.
    YamlUnclosedBracket,
    /// Text after a quoted value's closing quote.
    YamlTextAfterQuote,
    /// A value starting with a character YAML reserves (`@`, `` ` ``, `%`).
    YamlReservedCharacter,
    /// More YAML in one file than annals reads.
    YamlTooLarge,
    /// A key annals does not know.
    UnknownKey,
    /// A required key is not there.
    MissingField,
    /// The same key twice.
    DuplicateKey,
    /// Text where a list belongs (`tags: x`).
    NotAList,
    /// A date that cannot be read or does not exist.
    InvalidDate,
    /// Any other value of the wrong kind.
    InvalidValue,
    /// A Markdown file without front matter.
    NoFrontMatter,
    /// Front matter without its closing `---`.
    UnclosedFrontMatter,
    /// `body:` in a Markdown event.
    BodyInFrontMatter,
    /// An empty title.
    EmptyTitle,
    /// An empty tag.
    EmptyTag,
    /// A media item with an empty `src`.
    EmptyMediaSrc,
    /// `importance` not from 1 to 5.
    ImportanceOutOfRange,
    /// An event or era that ends before it starts.
    EndBeforeStart,
    /// An image without `alt` text.
    ImageWithoutAlt,
    /// Two events with one slug.
    DuplicateSlug,
    /// A `media:` file that does not exist.
    MissingMedia,
    /// A page URL that clashes with another page or a folder annals uses.
    PageSlugClash,
    /// An `@/events/` link to no event.
    BrokenLink,
    /// A bad value in `site.yaml`.
    InvalidSetting,
    /// A batch translation item without `slug:`.
    TranslationWithoutSlug,
    /// A theme that cannot be read.
    Theme,
    /// A template that fails to render.
    Template,
    /// A file under `content/` a browser would run.
    ScriptInContent,
    /// `not-utf8`
    NotUtf8,
    /// A file larger than annals reads.
    FileTooLarge,
    /// A symbolic link annals does not follow.
    LinkRefused,
    /// A file that cannot be read for another reason.
    UnreadableFile,
    /// An event that cites no sources (warning).
    NoSources,
    /// An image without credit (warning).
    ImageWithoutCredit,
    /// An undeclared track used by one event (warning).
    TrackUsedOnce,
    /// A tag used by one event (warning).
    TagUsedOnce,
    /// A content file nothing refers to (warning).
    UnreferencedFile,
    /// Characters XML cannot hold (warning).
    NotForXml,
    /// A symbolic link skipped (warning).
    SkippedLink,
    /// A translation of nothing, or into a language not published (warning).
    TranslationIgnored,
    /// A page translation without its page (warning).
    TranslationWithoutOriginal,
    /// A name under `translations:` for an era, track or tag that does not
    /// exist (warning).
    UnusedName,
    /// An event outside every era (note).
    OutsideEras,
}

impl Code {
    /// Every code, in the order of the documentation.
    pub const ALL: [Code; 48] = [
        Code::YamlSyntax,
        Code::YamlColonInValue,
        Code::YamlTab,
        Code::YamlNoSpaceAfterColon,
        Code::YamlUnclosedQuote,
        Code::YamlUnclosedBracket,
        Code::YamlTextAfterQuote,
        Code::YamlReservedCharacter,
        Code::YamlTooLarge,
        Code::UnknownKey,
        Code::MissingField,
        Code::DuplicateKey,
        Code::NotAList,
        Code::InvalidDate,
        Code::InvalidValue,
        Code::NoFrontMatter,
        Code::UnclosedFrontMatter,
        Code::BodyInFrontMatter,
        Code::EmptyTitle,
        Code::EmptyTag,
        Code::EmptyMediaSrc,
        Code::ImportanceOutOfRange,
        Code::EndBeforeStart,
        Code::ImageWithoutAlt,
        Code::DuplicateSlug,
        Code::MissingMedia,
        Code::PageSlugClash,
        Code::BrokenLink,
        Code::InvalidSetting,
        Code::TranslationWithoutSlug,
        Code::Theme,
        Code::Template,
        Code::ScriptInContent,
        Code::NotUtf8,
        Code::FileTooLarge,
        Code::LinkRefused,
        Code::UnreadableFile,
        Code::NoSources,
        Code::ImageWithoutCredit,
        Code::TrackUsedOnce,
        Code::TagUsedOnce,
        Code::UnreferencedFile,
        Code::NotForXml,
        Code::SkippedLink,
        Code::TranslationIgnored,
        Code::TranslationWithoutOriginal,
        Code::UnusedName,
        Code::OutsideEras,
    ];

    /// The code as printed: `yaml-tab`.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::YamlSyntax => "yaml-syntax",
            Code::YamlColonInValue => "yaml-colon-in-value",
            Code::YamlTab => "yaml-tab",
            Code::YamlNoSpaceAfterColon => "yaml-no-space-after-colon",
            Code::YamlUnclosedQuote => "yaml-unclosed-quote",
            Code::YamlUnclosedBracket => "yaml-unclosed-bracket",
            Code::YamlTextAfterQuote => "yaml-text-after-quote",
            Code::YamlReservedCharacter => "yaml-reserved-character",
            Code::YamlTooLarge => "yaml-too-large",
            Code::UnknownKey => "unknown-key",
            Code::MissingField => "missing-field",
            Code::DuplicateKey => "duplicate-key",
            Code::NotAList => "not-a-list",
            Code::InvalidDate => "invalid-date",
            Code::InvalidValue => "invalid-value",
            Code::NoFrontMatter => "no-front-matter",
            Code::UnclosedFrontMatter => "unclosed-front-matter",
            Code::BodyInFrontMatter => "body-in-front-matter",
            Code::EmptyTitle => "empty-title",
            Code::EmptyTag => "empty-tag",
            Code::EmptyMediaSrc => "empty-media-src",
            Code::ImportanceOutOfRange => "importance-out-of-range",
            Code::EndBeforeStart => "end-before-start",
            Code::ImageWithoutAlt => "image-without-alt",
            Code::DuplicateSlug => "duplicate-slug",
            Code::MissingMedia => "missing-media",
            Code::PageSlugClash => "page-slug-clash",
            Code::BrokenLink => "broken-link",
            Code::InvalidSetting => "invalid-setting",
            Code::TranslationWithoutSlug => "translation-without-slug",
            Code::Theme => "theme",
            Code::Template => "template",
            Code::ScriptInContent => "script-in-content",
            Code::NotUtf8 => "not-utf8",
            Code::FileTooLarge => "file-too-large",
            Code::LinkRefused => "link-refused",
            Code::UnreadableFile => "unreadable-file",
            Code::NoSources => "no-sources",
            Code::ImageWithoutCredit => "image-without-credit",
            Code::TrackUsedOnce => "track-used-once",
            Code::TagUsedOnce => "tag-used-once",
            Code::UnreferencedFile => "unreferenced-file",
            Code::NotForXml => "not-for-xml",
            Code::SkippedLink => "skipped-link",
            Code::TranslationIgnored => "translation-ignored",
            Code::TranslationWithoutOriginal => "translation-without-original",
            Code::UnusedName => "unused-name",
            Code::OutsideEras => "outside-eras",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How bad a problem is: errors stop the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The site cannot be built until this is fixed.
    Error,
    /// Worth fixing; the site still builds.
    Warning,
    /// Worth knowing; shown by `annals check`.
    Info,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Which kind of problem it is, stable across versions for tools and
    /// documentation (`yaml-syntax`, `unknown-key`, `duplicate-slug`…).
    /// `None` until set; the pipeline sets one on every diagnostic.
    pub code: Option<Code>,
    /// The file, relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based line, or 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, or 0 when unknown.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when annals can tell.
    pub hint: Option<String>,
    /// The text of the offending line, for a source frame.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error about `path` as a whole.
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, path.into(), message.into())
    }

    /// A note about `path` as a whole, shown by `annals check`.
    pub fn info(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Info, path.into(), message.into())
    }

    /// A warning about `path` as a whole.
    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, path.into(), message.into())
    }

    fn new(severity: Severity, path: String, message: String) -> Self {
        Self {
            severity,
            code: None,
            path,
            line: 0,
            column: 0,
            message,
            hint: None,
            source_line: None,
        }
    }

    /// Pins the problem to a 1-based line and column of `source`, keeping
    /// that line for the source frame.
    pub fn at(mut self, source: &str, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self.source_line = source
            .lines()
            .nth(line.saturating_sub(1))
            .filter(|_| line > 0)
            .map(|text| shorten(text.trim_end_matches('\r')));
        self
    }

    /// Names the kind of problem (see [`Diagnostic::code`]).
    pub fn with_code(mut self, code: Code) -> Self {
        self.code = Some(code);
        self
    }

    /// Names the kind of problem unless it is named already.
    pub fn or_code(mut self, code: Code) -> Self {
        self.code.get_or_insert(code);
        self
    }

    /// Adds a suggestion.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this diagnostic stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// One JSON object per diagnostic: `file`, `line`, `column`, `severity`,
/// `code`, `message`, `hint` (and `path`, the same as `file`, which
/// earlier versions printed).
impl Serialize for Diagnostic {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut object = serializer.serialize_struct("Diagnostic", 8)?;
        object.serialize_field("file", &self.path)?;
        object.serialize_field("line", &self.line)?;
        object.serialize_field("column", &self.column)?;
        object.serialize_field("severity", &self.severity)?;
        object.serialize_field("code", &self.code.map(Code::as_str))?;
        object.serialize_field("message", &self.message)?;
        object.serialize_field("hint", &self.hint)?;
        object.serialize_field("path", &self.path)?;
        object.end()
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

impl fmt::Display for Diagnostic {
    /// `path:line:column: severity: message` — the frame and hint are the
    /// printer's business.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
            if self.column > 0 {
                write!(f, ":{}", self.column)?;
            }
        }
        write!(f, ": {}: {}", self.severity, self.message)
    }
}

pub use crate::terminal::FRAME_WIDTH;

/// A source line short enough to print: a 10 MB line is cut, not quoted.
pub fn shorten(line: &str) -> String {
    match line.char_indices().nth(FRAME_WIDTH) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}

/// How [`frame`] marks up text: `(style, text) -> styled text`, where the
/// style is one of "error", "warning", "location", "gutter", "hint", or
/// "text" and "source" for the message, the hint's words and the quoted
/// line. Every text of a frame passes through it, so a printer that
/// escapes what it paints prints nothing unescaped.
pub type Painter<'a> = &'a dyn Fn(&str, &str) -> String;

/// `path:line:col: error: message`, the source line with a caret under the
/// column, the hint and the code — the form both the terminal and the preview's
/// error overlay show. The line is quoted escaped and cut (see
/// [`crate::terminal::quote`]), so the caret stays under its column.
pub fn frame(diagnostic: &Diagnostic, paint: Painter<'_>) -> String {
    let severity = paint(&diagnostic.severity.to_string(), &diagnostic.severity.to_string());
    let mut location = diagnostic.path.clone();
    if diagnostic.line > 0 {
        location.push_str(&format!(":{}", diagnostic.line));
        if diagnostic.column > 0 {
            location.push_str(&format!(":{}", diagnostic.column));
        }
    }
    let mut text = format!(
        "{}: {severity}: {}\n",
        paint("location", &location),
        paint("text", &diagnostic.message)
    );
    if let Some(line) = &diagnostic.source_line {
        let (quoted, column) = crate::terminal::quote(line, diagnostic.column);
        let number = diagnostic.line.to_string();
        let gutter = " ".repeat(number.len());
        let bar = paint("gutter", "|");
        text.push_str(&format!(
            "{gutter} {bar}\n{} {bar} {}\n",
            paint("gutter", &number),
            paint("source", &quoted)
        ));
        if column > 0 {
            let pad: String = quoted
                .chars()
                .take(column - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            text.push_str(&format!("{gutter} {bar} {pad}{}\n", paint("error", "^")));
        }
    }
    if let Some(hint) = &diagnostic.hint {
        text.push_str(&format!("  = {} {}\n", paint("hint", "hint:"), paint("text", hint)));
    }
    if let Some(code) = diagnostic.code {
        text.push_str(&format!(
            "  = {} {}\n",
            paint("gutter", "code:"),
            paint("text", code.as_str())
        ));
    }
    text
}

/// Every diagnostic framed, without colour.
pub fn plain_report(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| frame(d, &|_, text| text.to_string()))
        .collect()
}

/// Sorts diagnostics by file and position so output is stable, and drops
/// repeats (a theme error is found once per language, reported once).
pub fn sort(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity, &a.message).cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
    });
    diagnostics.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_path_line_column_severity_and_message() {
        let source = "title: A\ndate: 2024-02-30\n";
        let diagnostic = Diagnostic::error("content/events/x.md", "no such day").at(source, 2, 7);
        assert_eq!(diagnostic.to_string(), "content/events/x.md:2:7: error: no such day");
        assert_eq!(diagnostic.source_line.as_deref(), Some("date: 2024-02-30"));
    }

    #[test]
    fn a_frame_quotes_the_line_escaped_with_the_caret_under_its_column() {
        let source = "title: \x1b]0;x\x07 A\x1b\n";
        let diagnostic = Diagnostic::error("content/events/\x07.md", "bad")
            .at(source, 1, 15)
            .with_code(Code::YamlSyntax);
        let framed = frame(&diagnostic, &|_, text| crate::terminal::escape(text).into_owned());
        assert!(!framed.contains(['\x1b', '\x07']), "{framed}");
        let lines: Vec<&str> = framed.lines().collect();
        assert_eq!(lines[0], "content/events/\\u{7}.md:1:15: error: bad");
        assert_eq!(lines[4], "  = code: yaml-syntax");
        assert_eq!(lines[2], "1 | title: \\u{1b}]0;x\\u{7} A\\u{1b}");
        let caret = lines[3].find('^').unwrap();
        assert_eq!(&lines[2][caret..], "A\\u{1b}", "the caret is under the A");
    }

    #[test]
    fn every_code_is_distinct_and_documented() {
        let docs = include_str!("../docs/content.md");
        let mut names: Vec<&str> = Code::ALL.iter().map(|code| code.as_str()).collect();
        for name in &names {
            assert!(
                docs.contains(&format!("`{name}`")),
                "`{name}` is not in docs/content.md"
            );
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Code::ALL.len(), "two codes print the same");
        // Distinct, and as many as there are variants: `ALL` has them all.
        let mut all = Code::ALL.to_vec();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), Code::OutsideEras as usize + 1, "`Code::ALL` misses a code");
    }

    #[test]
    fn a_whole_file_problem_has_no_position() {
        let diagnostic = Diagnostic::warning("content/events/x.md", "no sources");
        assert_eq!(diagnostic.to_string(), "content/events/x.md: warning: no sources");
    }
}

//! Splits a Markdown file into its YAML front matter and its body.
//!
//! Front matter sits between a first line of `---` and the next line of `---`
//! (or `...`). A UTF-8 byte-order mark and Windows line endings are accepted.
//! The splitter borrows from the input and records on which line each part
//! starts, so errors inside the YAML can be reported at file positions.

/// The two parts of a Markdown file with front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences (may be empty).
    pub yaml: &'a str,
    /// 1-based line of the file on which the YAML starts.
    pub yaml_line: usize,
    /// Everything after the closing fence.
    pub body: &'a str,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// Why a file's front matter could not be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrontMatterError {
    /// The file does not begin with `---`.
    #[error("the file does not start with front matter (a line `---`, the fields, then `---`)")]
    Missing,
    /// The opening fence has no closing fence.
    #[error("the front matter opened on line {opened_on} is never closed with a line `---`")]
    Unclosed {
        /// The line of the opening fence.
        opened_on: usize,
    },
}

impl FrontMatterError {
    /// The diagnostic code of this mistake.
    pub fn code(&self) -> crate::diagnostic::Code {
        match self {
            FrontMatterError::Missing => crate::diagnostic::Code::NoFrontMatter,
            FrontMatterError::Unclosed { .. } => crate::diagnostic::Code::UnclosedFrontMatter,
        }
    }
}

/// Splits `text` into front matter and body.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = LineSpans::new(text);
    let Some((_, first)) = lines.next() else {
        return Err(FrontMatterError::Missing);
    };
    if !is_fence(first) {
        return Err(FrontMatterError::Missing);
    }
    let yaml_start = first.len() + line_ending_len(text, first.len());
    for (index, (start, line)) in lines.by_ref().enumerate() {
        if is_fence(line) || line.trim_end() == "..." {
            let body_start = (start + line.len() + line_ending_len(text, start + line.len())).min(text.len());
            return Ok(Split {
                yaml: &text[yaml_start.min(start)..start],
                yaml_line: 2,
                body: &text[body_start..],
                body_line: index + 3,
            });
        }
    }
    Err(FrontMatterError::Unclosed { opened_on: 1 })
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

fn line_ending_len(text: &str, at: usize) -> usize {
    let rest = &text.as_bytes()[at.min(text.len())..];
    match rest {
        [b'\r', b'\n', ..] => 2,
        [b'\n', ..] | [b'\r', ..] => 1,
        _ => 0,
    }
}

/// Iterates over `(byte offset, line without its ending)`.
struct LineSpans<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> LineSpans<'a> {
    fn new(text: &'a str) -> Self {
        Self { text, at: 0 }
    }
}

impl<'a> Iterator for LineSpans<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.text.len() {
            return None;
        }
        let start = self.at;
        let rest = &self.text[start..];
        let end = rest.find(['\n', '\r']).map_or(self.text.len(), |i| start + i);
        self.at = end + line_ending_len(self.text, end);
        Some((start, &self.text[start..end]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_yaml_and_body_with_their_lines() {
        let split = split("---\ntitle: A\ndate: 2013\n---\nBody\n").unwrap();
        assert_eq!(split.yaml, "title: A\ndate: 2013\n");
        assert_eq!(split.yaml_line, 2);
        assert_eq!(split.body, "Body\n");
        assert_eq!(split.body_line, 5);
    }

    #[test]
    fn accepts_a_byte_order_mark_and_windows_line_endings() {
        let split = split("\u{feff}---\r\ntitle: A\r\n---\r\nBody\r\n").unwrap();
        assert_eq!(split.yaml, "title: A\r\n");
        assert_eq!(split.body, "Body\r\n");
        assert_eq!(split.body_line, 4);
    }

    #[test]
    fn empty_front_matter_is_empty_yaml() {
        let split = split("---\n---\nBody").unwrap();
        assert_eq!(split.yaml, "");
        assert_eq!(split.body, "Body");
    }

    #[test]
    fn a_file_ending_at_the_closing_fence_has_an_empty_body() {
        let split = split("---\ntitle: A\n---").unwrap();
        assert_eq!(split.yaml, "title: A\n");
        assert_eq!(split.body, "");
    }

    #[test]
    fn a_missing_closing_fence_is_an_error_naming_the_opening_line() {
        assert_eq!(
            split("---\ntitle: A\nBody"),
            Err(FrontMatterError::Unclosed { opened_on: 1 })
        );
    }

    #[test]
    fn a_file_without_front_matter_is_an_error() {
        assert_eq!(split("# Just Markdown\n"), Err(FrontMatterError::Missing));
        assert_eq!(split(""), Err(FrontMatterError::Missing));
    }

    #[test]
    fn a_dashed_line_in_the_body_is_not_a_fence() {
        let split = split("---\na: 1\n---\ntext\n---\nmore\n").unwrap();
        assert_eq!(split.body, "text\n---\nmore\n");
    }

    #[test]
    fn the_dot_fence_closes_too() {
        assert_eq!(split("---\na: 1\n...\nbody").unwrap().body, "body");
    }
}

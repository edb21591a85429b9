//! The words of an event's rendered body, for the index and the excerpts
//! of results: the HTML's tags dropped (a block's end leaves a space), its
//! character references decoded, its white space collapsed.

/// Elements whose start or end separates words.
const BLOCKS: [&str; 20] = [
    "p",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "div",
    "pre",
    "figure",
    "figcaption",
    "tr",
    "td",
    "th",
    "hr",
];

/// The text of `html`, on one line.
pub fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(['<', '&']) {
        text.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |end| end + 1);
            let tag = rest[1..end].trim_start_matches('/');
            let name = &tag[..tag.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(tag.len())];
            if BLOCKS.iter().any(|block| block.eq_ignore_ascii_case(name)) {
                text.push(' ');
            }
            rest = &rest[end..];
        } else {
            let (decoded, used) = reference(rest);
            text.push(decoded);
            rest = &rest[used..];
        }
    }
    text.push_str(rest);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The character a reference at the start of `text` stands for, and how
/// many bytes it takes; a lone `&` stands for itself.
fn reference(text: &str) -> (char, usize) {
    let Some(end) = text.find(';').filter(|&end| end <= 10) else {
        return ('&', 1);
    };
    let name = &text[1..end];
    let named = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => None,
    };
    let numeric = || {
        let number = name.strip_prefix('#')?;
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        char::from_u32(code)
    };
    match named.or_else(numeric) {
        Some(c) => (c, end + 1),
        None => ('&', 1),
    }
}

#[cfg(test)]
mod tests {
    use super::html_text;

    #[test]
    fn tags_go_and_blocks_leave_a_space() {
        assert_eq!(
            html_text("<p>One <em>two</em></p>\n<ul><li>three</li><li>four</li></ul><p>fi<b>ve</b></p>"),
            "One two three four five"
        );
    }

    #[test]
    fn white_space_is_collapsed_across_tags_and_references() {
        assert_eq!(html_text("  <p>\n  a\tb&nbsp; c </p>\n<p>d</p>  "), "a b c d");
        assert_eq!(html_text("x&amp;<em>y</em> z<br>w"), "x&y z w");
        assert_eq!(html_text("<p> </p>"), "");
    }

    #[test]
    fn references_are_decoded() {
        assert_eq!(html_text("AT&amp;T &lt;3 &#39;x&#x27; & more"), "AT&T <3 'x' & more");
    }
}

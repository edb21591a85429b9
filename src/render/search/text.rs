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
            let name: String = rest[1..end]
                .trim_start_matches('/')
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_lowercase();
            if BLOCKS.contains(&name.as_str()) {
                text.push(' ');
            }
            rest = &rest[end..];
        } else {
            let (decoded, used) = reference(rest);
            text.push_str(&decoded);
            rest = &rest[used..];
        }
    }
    text.push_str(rest);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The character a reference at the start of `text` stands for, and how
/// many bytes it takes; a lone `&` stands for itself.
fn reference(text: &str) -> (String, usize) {
    let Some(end) = text.find(';').filter(|&end| end <= 10) else {
        return ("&".into(), 1);
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
        Some(c) => (c.to_string(), end + 1),
        None => ("&".into(), 1),
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
    fn references_are_decoded() {
        assert_eq!(html_text("AT&amp;T &lt;3 &#39;x&#x27; & more"), "AT&T <3 'x' & more");
    }
}

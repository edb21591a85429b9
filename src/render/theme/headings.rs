//! The `shift_headings` filter: `{{ html | shift_headings(by=2) }}` moves
//! the headings `<h2>`–`<h6>` of a piece of HTML `by` levels down, none
//! below `<h6>`, in one pass over the text. A list entry's title is an
//! `<h3>`, so the body folded inside it needs its `<h2>`s as `<h4>`s; a
//! chain of `replace` filters did the same in eight passes over every
//! body. An `<h1>` stays: a body has none (its `#` headings are `<h2>`).

/// The highest level a heading may be moved to.
const LOWEST: u8 = b'6';

/// `html` with its headings from `<h2>` down moved `by` levels down.
pub fn shift_headings(html: &str, by: u8) -> String {
    let bytes = html.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut copied = 0;
    for at in memchr::memchr_iter(b'<', bytes) {
        // `<h2`…`<h6` opens a heading, `</h2>`…`</h6>` closes one: where
        // is the level's digit?
        let digit = match bytes.get(at + 1..at + 3) {
            Some([b'h', _]) => at + 2,
            Some([b'/', b'h']) if bytes.get(at + 4) == Some(&b'>') => at + 3,
            _ => continue,
        };
        let level = bytes[digit];
        if !(b'2'..=LOWEST).contains(&level) {
            continue;
        }
        out.extend_from_slice(&bytes[copied..digit]);
        out.push(level.saturating_add(by).min(LOWEST));
        copied = digit + 1;
    }
    out.extend_from_slice(&bytes[copied..]);
    // Only ASCII digits were replaced by ASCII digits.
    String::from_utf8(out).expect("still UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the default theme did before, with `replace` filters.
    fn by_replacing(html: &str) -> String {
        html.replace("<h5", "<h6")
            .replace("</h5>", "</h6>")
            .replace("<h4", "<h6")
            .replace("</h4>", "</h6>")
            .replace("<h3", "<h5")
            .replace("</h3>", "</h5>")
            .replace("<h2", "<h4")
            .replace("</h2>", "</h4>")
    }

    #[test]
    fn moves_headings_two_levels_down_as_the_replace_chain_did() {
        for html in [
            "<h2>Background</h2><p>Text.</p><h3 id=\"x\">More</h3><h4>a</h4><h5>b</h5><h6>c</h6>",
            "<p>No heading, a <header> and an <hr>.</p>",
            "<h1>Stays</h1><h2>Moves</h2>",
            "</h2 ><h2",
            "<p>&lt;h2&gt; as text</p><h",
            "",
            "<h7>Not a heading</h7><h0>",
            "中文<h2>标题</h2>",
        ] {
            assert_eq!(shift_headings(html, 2), by_replacing(html), "{html}");
        }
    }

    #[test]
    fn never_goes_below_h6() {
        assert_eq!(shift_headings("<h2>a</h2><h5>b</h5>", 5), "<h6>a</h6><h6>b</h6>");
        assert_eq!(shift_headings("<h3>a</h3>", 0), "<h3>a</h3>");
    }
}

//! Tests of HTML to Markdown: the conversion of each kind of element, the
//! escaping of text that looks like markup, embed code, and round trips
//! through the HTML annals renders.

use super::*;
use crate::hashing::HashSet;
use crate::parse::markdown::{render, MarkdownContext};

fn md(html: &str) -> String {
    to_markdown(html).markdown
}

fn rendered(markdown: &str) -> String {
    let slugs = HashSet::default();
    render(
        markdown,
        &MarkdownContext {
            unsafe_html: false,
            event_slugs: &slugs,
        },
    )
    .html
}

/// Markdown → annals HTML → Markdown → annals HTML gives the same HTML.
fn round_trips(markdown: &str) {
    let html = rendered(markdown);
    // Exports carry root-relative paths without the mark.
    let back = md(&html.replace(crate::parse::markdown::ROOT_MARK, ""));
    assert_eq!(
        rendered(&back),
        html,
        "\nMarkdown:\n{markdown}\nHTML:\n{html}\nback:\n{back}"
    );
}

#[test]
fn paragraphs_links_and_emphasis_convert() {
    assert_eq!(
        md("<p>A <a href=\"https://e.org/?a=1&amp;b=2\" title=\"T\">link</a>, <em>em</em> and <b>bold</b>.</p><p>Two</p>"),
        "A [link](https://e.org/?a=1&b=2 \"T\"), *em* and **bold**.\n\nTwo\n"
    );
    assert_eq!(md("plain &amp; simple"), "plain & simple\n");
    assert_eq!(md("<p><em> spaced </em>x</p>"), " *spaced* x\n".trim_start());
}

#[test]
fn lists_quotes_headings_and_code_convert() {
    assert_eq!(
        md("<ul><li>a</li><li>b<ol start=\"3\"><li>c</li></ol></li></ul>"),
        "- a\n- b\n  3. c\n"
    );
    assert_eq!(md("<blockquote><p>q</p><p>r</p></blockquote>"), "> q\n>\n> r\n");
    assert_eq!(
        md("<h2>Head</h2><h1>Top</h1><h4>Low</h4>"),
        "## Head\n\n# Top\n\n#### Low\n"
    );
    assert_eq!(
        md("<pre><code class=\"language-rust\">let a = 1 &lt; 2;\n</code></pre>"),
        "```rust\nlet a = 1 < 2;\n```\n"
    );
    assert_eq!(md("<p>a <code>x`y</code></p>"), "a ``x`y``\n");
    assert_eq!(
        md("<p><img src=\"media/a b.png\" alt=\"A [b]\"></p>"),
        "![A \\[b\\]](<media/a b.png>)\n"
    );
}

#[test]
fn text_that_looks_like_markup_is_escaped() {
    assert_eq!(
        md("<p>*not em* and [x] and a_b and _c_</p>"),
        "\\*not em\\* and \\[x\\] and a_b and \\_c\\_\n"
    );
    assert_eq!(md("<p># not a heading</p>"), "\\# not a heading\n");
    assert_eq!(md("<p>1984. A year</p>"), "1984\\. A year\n");
    assert_eq!(md("<p>- dash\n+ plus</p>"), "\\- dash\n\\+ plus\n");
    assert_eq!(md("<p>&lt;b&gt; &amp;amp;</p>"), "\\<b> \\&amp;\n");
}

#[test]
fn line_breaks_become_hard_breaks() {
    assert_eq!(md("<p>a<br>b<br/></p>"), "a\\\nb\n");
    assert_eq!(md("<p>a<br />\nb</p>"), "a\\\nb\n");
}

#[test]
fn other_html_is_kept_raw_and_named() {
    let converted = to_markdown("<p>Intro</p><table class=\"x\"><tr><td>1</td></tr>\n\n</table><div>plain</div>");
    // As a browser reads it: the table gets its <tbody>.
    assert_eq!(
        converted.markdown,
        "Intro\n\n<table class=\"x\"><tbody><tr><td>1</td></tr>\n</tbody></table>\n\nplain\n"
    );
    assert_eq!(converted.raw_tags, ["table"]);
    let converted = to_markdown("<p>a <span class=\"k\">b</span></p><script>alert(1)</script>");
    assert_eq!(converted.markdown, "a <span class=\"k\">b</span>\n");
    assert_eq!(converted.raw_tags, ["span"]);
    assert_eq!(converted.dropped_tags, ["script"]);
}

#[test]
fn timelinejs_notes_become_italics() {
    let converted = to_markdown("<p>Text. <span class=\"tl-note\">Note: a TimelineJS note.</span></p>");
    assert_eq!(converted.markdown, "Text. *Note: a TimelineJS note.*\n");
    assert!(converted.raw_tags.is_empty());
}

#[test]
fn an_iframe_in_text_becomes_a_link_to_its_page() {
    assert_eq!(
        md("<p>Watch: <iframe src=\"https://www.youtube.com/embed/dQw4w9WgXcQ?start=42\"></iframe></p>"),
        "Watch: [Embedded content from youtube.com](https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42)\n"
    );
    assert_eq!(
        md("<iframe title=\"Map\" src=\"//maps.example.org/embed?x=1\"></iframe>"),
        "[Map](https://maps.example.org/embed?x=1)\n"
    );
    assert_eq!(
        player_page("https://player.vimeo.com/video/76979871#t=1m2s"),
        "https://vimeo.com/76979871#t=1m2s"
    );
}

#[test]
fn embed_code_is_read_as_a_frame_or_a_quote() {
    assert_eq!(
        embed("<iframe width=\"560\" src=\"https://w.soundcloud.com/player/?url=x\"></iframe>"),
        Embed::Frame {
            src: "https://w.soundcloud.com/player/?url=x".into(),
            title: None
        }
    );
    let tweet = "<blockquote class=\"twitter-tweet\" lang=\"en\"><p>Words &amp; more <a href=\"https://t.co/x\">pic</a></p>&mdash; Knight Lab (@knightlab) <a href=\"https://twitter.com/knightlab/status/123\">May 1, 2014</a></blockquote><script async src=\"//platform.twitter.com/widgets.js\"></script>";
    assert_eq!(
        embed(tweet),
        Embed::Quote {
            markdown: "> Words & more [pic](https://t.co/x)\n>\n> — Knight Lab (@knightlab) [May 1, 2014](https://twitter.com/knightlab/status/123)".into(),
            link: Some("https://twitter.com/knightlab/status/123".into()),
        }
    );
    // The same tweet in the text: a quote with its words, author and
    // link; its script is left out.
    let converted = to_markdown(tweet);
    assert_eq!(
        converted.markdown,
        "> Words & more [pic](https://t.co/x)\n>\n> — Knight Lab (@knightlab) [May 1, 2014](https://twitter.com/knightlab/status/123)\n"
    );
    assert_eq!(converted.dropped_tags, ["script"]);
    assert!(converted.raw_tags.is_empty());
    assert_eq!(
        links("<a href=\"https://a.org\">A</a> and <a href='https://b.org'>B</a>"),
        [
            ("A".to_string(), "https://a.org".to_string()),
            ("B".to_string(), "https://b.org".to_string())
        ]
    );
}

#[test]
fn sloppy_html_is_closed_as_browsers_close_it() {
    assert_eq!(md("<p>one<p>two<ul><li>a<li>b</ul>"), "one\n\ntwo\n\n- a\n- b\n");
    assert_eq!(md("a < b and <3"), "a < b and <3\n");
    assert_eq!(md("<!-- note --><p>x</p>"), "x\n");
}

#[test]
fn entities_decode() {
    assert_eq!(
        to_plain_text("&amp;&lt;&gt;&quot;&#39;&nbsp;&#x2014;&eacute;&Eacute;&bogus;"),
        "&<>\"'\u{a0}—éÉ&bogus;"
    );
    // As browsers (and so TimelineJS) decode it: windows-1252's en dash.
    assert_eq!(to_plain_text("1914&#150;1918"), "1914–1918");
    assert_eq!(md("<p>1914&#150;1918 &#x96;</p>"), "1914–1918 –\n");
    assert_eq!(to_plain_text("<b>AT&amp;T</b>\n  Bell<br>Labs"), "AT&T Bell Labs");
}

#[test]
fn annals_html_converts_back_to_the_same_html() {
    round_trips("A paragraph with *em*, **strong**, `code` and a [link](https://e.org/a_b \"Title\").\nA second line.\n\nNext \"quoted\" -- text...\n");
    round_trips("# Heading\n\n## Sub\n\n### Third\n\n- one\n- two\n  - nested\n- three\n\n1. first\n2. second\n");
    round_trips("- loose\n\n- list\n\n  with two paragraphs\n\n> A quote\n>\n> - in a list\n");
    round_trips("```python\nprint('<hi>')\n```\n\nText with \\*stars\\*, a\\_b, [brackets], 1\\. and a | pipe.\n");
    round_trips(
        "Hard  \nbreak and ![An image](media/x.png \"T\") and ~~gone~~.\n\n***\n\n3. starts at three\n4. four\n",
    );
    round_trips("- a\n- b\n\n* c\n* d\n");
    round_trips("Café & crème, AT&T, 5 < 6 > 4, &copy; written out.\n");
    round_trips("**bold *and em* inside** and *em **and bold** inside*\n");
    round_trips("A link to [site path](media/file.pdf) and <https://auto.link/>.\n");
}

//! Which content files a browser would run as script.
//!
//! A file copied from `content/` is published beside the site's pages, on
//! the same origin: an HTML page or a script there could read and change
//! everything the site's visitors see. While `markdown.unsafe_html` is off,
//! content authors are not trusted with raw HTML, so they are not trusted
//! with these files either. `static/` is the site owner's and is not
//! checked.

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
use crate::load::Asset;

/// An error for each file from `content/` among `assets` that a browser
/// would run; the caller asks only while `markdown.unsafe_html` is off.
pub fn refuse_in_content(assets: &[Asset]) -> Vec<Diagnostic> {
    assets
        .par_iter()
        .filter(|asset| asset.source_path.starts_with("content/"))
        .filter_map(|asset| {
            let what = runs_script(&asset.source_path, &asset.bytes)?;
            Some(
                Diagnostic::error(
                    &asset.source_path,
                    format!(
                        "a browser would run this file ({what}), and content may not publish script while `markdown.unsafe_html` is off"
                    ),
                )
                .with_hint(
                    "remove it, or move it to static/ if it is the site's own; set `markdown.unsafe_html: true` in site.yaml only if you trust every author",
                ),
            )
        })
        .collect()
}

/// Why a browser would run the file at `path` with these bytes, or `None`.
pub fn runs_script(path: &str, bytes: &[u8]) -> Option<&'static str> {
    let extension = path.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase())?;
    match extension.as_str() {
        "html" | "htm" | "xhtml" | "xht" | "shtml" => Some("an HTML page"),
        "js" | "mjs" | "cjs" => Some("JavaScript"),
        // Compressed: its script cannot be seen without unpacking it.
        "svgz" => Some("a compressed SVG image, which annals cannot check for script"),
        // An XML file can hold XHTML elements, script included, and
        // browsers run them when the file is opened.
        "svg" | "xml" | "xsl" | "xslt" if has_script(bytes) => Some("an image or XML file with script in it"),
        _ => None,
    }
}

/// Whether SVG or XML text holds script: a `<script` element, an
/// event-handler attribute (`onload=`, also set through `<set
/// attributeName="onload">`) or a `javascript:` address, in any letter case.
///
/// This is a scan, not a parser, on purpose: it errs towards refusing. A
/// parser would have to agree with every browser on entities, namespaces,
/// CDATA and broken markup to be sure nothing runs; a scan that looks for
/// the few things that make script run, wherever they are (comments and
/// text included), needs none of that. A rare image that merely mentions
/// `<script` is refused too; its owner can move it to `static/`.
fn has_script(bytes: &[u8]) -> bool {
    let lower = bytes.to_ascii_lowercase();
    // Whitespace and control characters are dropped for the names below,
    // so `java\tscript:` is seen too; browsers skip some of them in
    // addresses.
    let squeezed: Vec<u8> = lower
        .iter()
        .copied()
        .filter(|byte| !byte.is_ascii_whitespace() && !byte.is_ascii_control())
        .collect();
    let found = |needle: &[u8]| squeezed.windows(needle.len()).any(|window| window == needle);
    found(b"<script")
        || found(b"javascript:")
        // `javascript&#58;`, `javascript&#x3a;`, `javascript&colon;`
        || found(b"javascript&#")
        || found(b"javascript&colon")
        || found(b"attributename=\"on")
        || found(b"attributename='on")
        || has_event_handler(&lower)
}

/// A name `on` + letters followed by `=`, after whitespace, `/` or a
/// quote: an event-handler attribute (`<svg onload=…>`). Where tags begin
/// and end is not tracked, since a `>` inside a quoted value would fool
/// that; such a name in an image's text is refused too. Attribute names
/// start after whitespace, `/` or the quote closing the previous value,
/// which keeps `<polygon points=…>` from counting.
fn has_event_handler(text: &[u8]) -> bool {
    let starts_a_name = |byte: u8| byte.is_ascii_whitespace() || matches!(byte, b'/' | b'"' | b'\'');
    // One pass, so a huge file costs time in proportion to its size.
    (1..text.len()).any(|at| {
        if !text[at..].starts_with(b"on") || !starts_a_name(text[at - 1]) {
            return false;
        }
        let after = &text[at + 2..];
        let letters = after.iter().take_while(|byte| byte.is_ascii_lowercase()).count();
        let equals = after[letters..]
            .iter()
            .find(|byte| !byte.is_ascii_whitespace())
            .is_some_and(|&byte| byte == b'=');
        letters > 0 && equals
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_scripts_are_refused_by_their_extension() {
        for path in [
            "content/media/a.html",
            "content/x.HTM",
            "content/a.xhtml",
            "content/a.js",
            "content/a.mjs",
        ] {
            assert!(runs_script(path, b"").is_some(), "{path}");
        }
        assert_eq!(runs_script("content/media/photo.jpg", b"<script>"), None);
        assert_eq!(runs_script("content/media/README", b"<script>"), None);
    }

    #[test]
    fn svg_with_script_is_refused() {
        for svg in [
            "<svg><script>alert(1)</script></svg>",
            "<svg onload=\"alert(1)\"/>",
            "<svg ONLOAD = 'alert(1)'/>",
            "<svg>\n<rect\n\tonclick=alert(1) /></svg>",
            "<svg><a href=\"javascript:alert(1)\"><text>x</text></a></svg>",
            "<svg><a xlink:href=\"java\tscript:alert(1)\">x</a></svg>",
            "<svg><a href=\"javascript&#58;alert(1)\">x</a></svg>",
            "<svg><set attributeName=\"onmouseover\" to=\"alert(1)\"/></svg>",
            "<SVG><SCRIPT>x</SCRIPT></SVG>",
            "<svg x=\"1\"onload=\"alert(1)\"/>",
            "<svg><title>a > b</title><g title=\"x>y\" onclick=\"alert(1)\"/></svg>",
        ] {
            assert!(runs_script("content/media/x.svg", svg.as_bytes()).is_some(), "{svg}");
        }
    }

    #[test]
    fn a_plain_svg_is_fine() {
        let svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n  <title>Onset of the era: on = off</title>\n  <circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"#c00\"/>\n  <polygon points=\"0,0 1,1\"/><g><path d=\"M0 0\" transform=\"rotate(1)\"/></g>\n  <text font-family=\"sans-serif\">JavaScript conference</text>\n</svg>\n";
        assert_eq!(runs_script("content/media/x.svg", svg.as_bytes()), None);
    }
}

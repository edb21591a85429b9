//! The promises annals' input parsers make about hostile text, written once
//! as checks that panic when a promise is broken.
//!
//! The fuzz targets in `fuzz/` feed these checks arbitrary input, and the
//! integration tests run them on property-test input and on a regression
//! corpus (`tests/fuzz_corpus/<target>/`), so a bug the fuzzer finds once
//! stays fixed under plain `cargo test`. Each check takes one input as text;
//! every function it calls must return, never panic, and its result must
//! keep what the function's documentation says.
//!
//! This module is public only so that `fuzz/` and `tests/` can reach it; it
//! is not part of annals' API.

use std::cmp::Ordering;

use crate::date::{duration_label, format_range, Date, EndDate, MAX_YEAR, MIN_YEAR};
use crate::lang::Lang;
use crate::parse::frontmatter::{self, FrontMatterError};
use crate::serve::http::{resolve, Resolved, MAX_TARGET_LEN};
use crate::slug::{Slug, MAX_LEN};
use crate::write::manifest;

/// A check: panics if the input makes a function break a promise.
pub type Check = fn(&str);

/// The fuzz targets, by the name of their folder in `fuzz/fuzz_targets/`
/// and in the regression corpus, with the check each one runs.
pub const TARGETS: [(&str, Check); 5] = [
    ("frontmatter", check_frontmatter),
    ("date", check_date),
    ("slug", check_slug),
    ("request_path", check_request_path),
    ("manifest", check_manifest),
];

/// [`frontmatter::split`]: the parts are pieces of the input in order, the
/// YAML holds no fence, and the line numbers count the input's line breaks.
pub fn check_frontmatter(text: &str) {
    let unmarked = text.strip_prefix('\u{feff}').unwrap_or(text);
    let split = match frontmatter::split(text) {
        Ok(split) => split,
        Err(FrontMatterError::Missing) => {
            let first = lines(unmarked).next().map(|(_, line)| line);
            assert!(
                first.is_none_or(|line| line.trim_end() != "---"),
                "front matter reported missing after an opening fence: {text:?}"
            );
            return;
        }
        Err(FrontMatterError::Unclosed { opened_on }) => {
            assert_eq!(opened_on, 1, "the opening fence is always the first line");
            assert!(
                lines(unmarked).skip(1).all(|(_, line)| !is_closing_fence(line)),
                "front matter reported unclosed despite a closing fence: {text:?}"
            );
            return;
        }
    };
    let yaml_at = offset_in(unmarked, split.yaml);
    let body_at = offset_in(unmarked, split.body);
    assert!(unmarked.starts_with("---"), "split without an opening fence: {text:?}");
    assert!(yaml_at <= body_at, "the YAML comes before the body: {text:?}");
    assert_eq!(
        body_at + split.body.len(),
        unmarked.len(),
        "the body runs to the end: {text:?}"
    );
    assert_eq!(split.yaml_line, 2, "the YAML starts under the opening fence: {text:?}");
    assert!(
        lines(split.yaml).all(|(_, line)| !is_closing_fence(line)),
        "the YAML holds a fence: {text:?}"
    );
    if !split.yaml.is_empty() {
        assert_eq!(line_breaks(&unmarked[..yaml_at]), 1, "the YAML's line: {text:?}");
    }
    if !split.body.is_empty() {
        assert_eq!(
            line_breaks(&unmarked[..body_at]) + 1,
            split.body_line,
            "the body's line: {text:?}"
        );
    }
}

/// [`Date::parse`] and [`EndDate::parse`]: a date is within its documented
/// ranges, survives its ISO form, formats in every language, and orders
/// consistently. An input with a line break is also read as a start and an
/// end, to check ordering, ranges and durations between two parsed dates.
pub fn check_date(text: &str) {
    let date = Date::parse(text);
    if let Ok(date) = &date {
        check_one_date(text, date);
    }
    match EndDate::parse(text) {
        Ok(EndDate::On(end)) => assert_eq!(Ok(end), date, "an end reads as a date: {text:?}"),
        Ok(EndDate::Ongoing) => assert!(
            EndDate::Ongoing > EndDate::On(Date::parse("9999-12-31T23:59").expect("the latest date")),
            "ongoing sorts after every date"
        ),
        Err(error) => assert_eq!(Err(error), date, "an end fails as a date does: {text:?}"),
    }
    if let Some((start, end)) = text.split_once('\n') {
        if let (Ok(start), Ok(end)) = (Date::parse(start), EndDate::parse(end)) {
            check_pair(text, &start, &end);
        }
    }
}

fn check_one_date(text: &str, date: &Date) {
    assert!(
        (MIN_YEAR..=MAX_YEAR).contains(&date.year()),
        "year out of range: {text:?}"
    );
    assert!(date.month().is_none_or(|month| (1..=12).contains(&month)), "{text:?}");
    if let (Some(month), Some(day)) = (date.month(), date.day()) {
        assert!(
            (1..=days_in_month(date.year(), month)).contains(&day),
            "{month:02}-{day:02} is not a day of {}: {text:?}",
            date.year()
        );
    }
    assert!(
        date.day().is_none() || date.month().is_some(),
        "a day without a month: {text:?}"
    );
    assert!(
        date.time().is_none() || date.day().is_some(),
        "a time without a day: {text:?}"
    );
    assert!(
        date.time().is_none_or(|(hour, minute)| hour < 24 && minute < 60),
        "{text:?}"
    );

    let iso = date.machine();
    let reread = Date::parse(&iso).unwrap_or_else(|error| panic!("{text:?} → {iso:?} does not parse: {error}"));
    assert_eq!(reread.machine(), iso, "the ISO form is stable: {text:?}");
    assert_eq!(
        (reread.year(), reread.month(), reread.day(), reread.time()),
        (date.year(), date.month(), date.day(), date.time()),
        "the ISO form keeps the date: {text:?} → {iso:?}"
    );

    for lang in Lang::ALL {
        assert!(!date.format(lang).is_empty(), "{text:?}");
        assert!(!date.format_year(lang).is_empty(), "{text:?}");
        assert_eq!(
            format_range(date, Some(&EndDate::On(*date)), lang),
            date.format(lang),
            "a range from a date to itself is the date: {text:?}"
        );
        assert!(!format_range(date, Some(&EndDate::Ongoing), lang).is_empty());
        assert!(duration_label(date, &EndDate::On(*date), lang).is_none(), "{text:?}");
        assert!(duration_label(date, &EndDate::Ongoing, lang).is_some(), "{text:?}");
    }

    assert_eq!(date.cmp(date), Ordering::Equal);
    assert!(date.covers(date), "a date covers itself: {text:?}");
    for anchor in [
        "-9999",
        "0000",
        "2013",
        "2013-12",
        "2013-12-09T14:00",
        "9999-12-31T23:59",
    ] {
        let anchor = Date::parse(anchor).expect("an anchor date");
        check_order(text, date, &anchor);
    }
}

fn check_pair(text: &str, start: &Date, end: &EndDate) {
    let EndDate::On(end_date) = end else {
        assert!(EndDate::On(*start) < *end, "ongoing sorts last: {text:?}");
        return;
    };
    check_order(text, start, end_date);
    for lang in Lang::ALL {
        assert!(!format_range(start, Some(end), lang).is_empty(), "{text:?}");
        let label = duration_label(start, end, lang);
        if fields(end_date) < fields(start) {
            assert_eq!(label, None, "a span that ends before it starts has no length: {text:?}");
        }
        assert!(label.is_none_or(|label| !label.is_empty()), "{text:?}");
    }
}

/// The order must agree with equality, be antisymmetric, and put a coarser
/// date ahead of the dates it covers.
fn check_order(text: &str, a: &Date, b: &Date) {
    assert_eq!(a.cmp(b), b.cmp(a).reverse(), "antisymmetric: {text:?}");
    assert_eq!(a.cmp(b) == Ordering::Equal, a == b, "agrees with equality: {text:?}");
    if a.covers(b) && a.precision() < b.precision() {
        assert!(a < b, "a coarser date heads the dates it covers: {text:?}");
    }
    if b.covers(a) && b.precision() < a.precision() {
        assert!(b < a, "a coarser date heads the dates it covers: {text:?}");
    }
}

type Fields = (i32, Option<u8>, Option<u8>, Option<(u8, u8)>);

fn fields(date: &Date) -> Fields {
    (date.year(), date.month(), date.day(), date.time())
}

/// Days in a month of the proleptic Gregorian calendar, counted here
/// independently of the date module.
fn days_in_month(year: i32, month: u8) -> u8 {
    let leap = year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// [`Slug::from_text`] and [`Slug::parse`]: every slug made from text is a
/// clean slug, and `parse` accepts exactly the clean ones.
pub fn check_slug(text: &str) {
    let slug = Slug::from_text(text);
    let made = slug.as_str();
    assert!(is_clean(made), "from_text({text:?}) = {made:?} is not a clean slug");
    assert!(!made.contains(['/', '\\', '.']), "{text:?} → {made:?}");
    assert_eq!(Slug::parse(made).as_ref(), Some(&slug), "{text:?} → {made:?}");
    assert_eq!(Slug::from_text(text), slug, "from_text is deterministic: {text:?}");
    assert_eq!(
        Slug::from_text(&text.to_ascii_lowercase()),
        slug,
        "ASCII case does not change a slug: {text:?}"
    );

    let parsed = Slug::parse(text);
    assert_eq!(parsed.is_some(), is_clean(text), "parse({text:?}) = {parsed:?}");
    if let Some(parsed) = parsed {
        assert_eq!(parsed.as_str(), text, "parse keeps the text");
        assert_eq!(parsed, slug, "a clean slug is its own slug: {text:?}");
    }
}

/// The rule the slug module documents: `[a-z0-9-]`, 1 to [`MAX_LEN`] bytes,
/// no `-` at either end, no `--`.
fn is_clean(text: &str) -> bool {
    (1..=MAX_LEN).contains(&text.len())
        && text.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
}

/// [`resolve`]: whatever the build holds, a request names a file only by a
/// relative path of plain segments, and a redirect stays on this server and
/// leads to the folder's index.
pub fn check_request_path(target: &str) {
    let anything = resolve(target, |_| true);
    let nothing = resolve(target, |_| false);
    let folders = resolve(target, |key| key.ends_with("index.html"));

    if let Resolved::File(key) = &anything {
        check_key(target, key);
    }
    assert!(
        matches!(nothing, Resolved::NotFound | Resolved::BadRequest),
        "{target:?} → {nothing:?} with no files"
    );
    assert_eq!(
        nothing == Resolved::BadRequest,
        anything == Resolved::BadRequest,
        "whether a target is well formed does not depend on the files: {target:?}"
    );
    if target.len() > MAX_TARGET_LEN || has_bad_escape(target) {
        assert_eq!(anything, Resolved::BadRequest, "{target:?}");
    }
    match &folders {
        Resolved::File(key) => check_key(target, key),
        Resolved::Redirect(location) => {
            assert!(
                location.starts_with('/') && location.ends_with('/'),
                "{target:?} → {location:?}"
            );
            assert!(
                !location[1..].starts_with(['/', '\\']),
                "a redirect must not leave the server: {target:?} → {location:?}"
            );
            match resolve(location, |key| key.ends_with("index.html")) {
                Resolved::File(key) => assert!(key.ends_with("/index.html"), "{target:?} → {location:?} → {key:?}"),
                other => panic!("{target:?} → {location:?} → {other:?}, not the folder's index"),
            }
        }
        Resolved::NotFound | Resolved::BadRequest => {}
    }
}

fn check_key(target: &str, key: &str) {
    assert!(!key.is_empty(), "{target:?} names an empty key");
    assert!(!key.starts_with('/'), "{target:?} → absolute key {key:?}");
    assert!(!key.contains(['\\', '\0']), "{target:?} → {key:?}");
    assert!(!key.chars().any(char::is_control), "{target:?} → {key:?}");
    assert!(
        key.split('/').all(|segment| !matches!(segment, "" | "." | "..")),
        "{target:?} → {key:?} has an empty or dot segment"
    );
}

/// Whether the path part of `target` holds a `%` not followed by two hex digits.
fn has_bad_escape(target: &str) -> bool {
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let bytes = path.as_bytes();
    bytes.iter().enumerate().any(|(at, &byte)| {
        byte == b'%'
            && !(bytes
                .get(at + 1..at + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)))
    })
}

fn is_closing_fence(line: &str) -> bool {
    let line = line.trim_end();
    line == "---" || line == "..."
}

/// `(offset, line without its ending)` for each line, where `\n`, `\r\n`
/// and a lone `\r` each end a line, as the front matter splitter counts.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= text.len() {
            return None;
        }
        let start = at;
        let end = text[start..].find(['\n', '\r']).map_or(text.len(), |i| start + i);
        at = end
            + if text[end..].starts_with("\r\n") {
                2
            } else {
                usize::from(end < text.len())
            };
        Some((start, &text[start..end]))
    })
}

fn line_breaks(text: &str) -> usize {
    text.matches(['\n', '\r']).count() - text.matches("\r\n").count()
}

/// Where `part`, a slice of `whole`, starts in it.
fn offset_in(whole: &str, part: &str) -> usize {
    let offset = (part.as_ptr() as usize).wrapping_sub(whole.as_ptr() as usize);
    assert!(
        offset <= whole.len() && offset + part.len() <= whole.len(),
        "not a piece of the input"
    );
    offset
}

/// [`manifest::parse`], the reader of a manifest a cloned repository may
/// have planted: every path it lists is a plain relative path, one that may
/// be deleted is never in `.git/` nor `CNAME`, and what it read is written
/// back and read again unchanged.
pub fn check_manifest(text: &str) {
    let listed = manifest::parse(text);
    for (path, stamp) in &listed.files {
        assert!(manifest::is_safe_relative(path), "an unsafe path was read: {path:?}");
        assert!(!path.split('/').any(|part| part == ".."), "{path:?}");
        if manifest::may_delete(path) {
            assert!(
                !path.split('/').any(|part| part == ".git") && path != "CNAME",
                "{path:?}"
            );
        }
        if let Some(stamp) = stamp {
            let line = format!("{path}\t{}", stamp.size);
            assert!(text.contains(&line), "a stamp was read from no line: {line:?}");
        }
    }
    let again = manifest::parse(&manifest::render(&listed));
    assert_eq!(again, listed, "the manifest does not read back as written");
}

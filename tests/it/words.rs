//! The words readers see: counts and numbers in the page's language, tag
//! names translated in `site.yaml`, the language of sources, and dates
//! read as written (circa dates, `display_date` under its heading). Built
//! from `tests/fixtures/languages/` and small sites written here.

use crate::support::{annals, html, selector, Site};

/// The texts of every element matching `css` in a built page.
fn texts_of(site: &Site, page: &str, css: &str) -> Vec<String> {
    html(&site.out().join(page))
        .select(&selector(css))
        .map(|element| element.text().collect::<String>().trim().to_string())
        .collect()
}

/// The value of `attribute` on every element matching `css` in a built page.
fn attributes_of(site: &Site, page: &str, css: &str, attribute: &str) -> Vec<String> {
    html(&site.out().join(page))
        .select(&selector(css))
        .filter_map(|element| element.value().attr(attribute).map(str::to_string))
        .collect()
}

/// The languages fixture in English and Chinese, its tags named in Chinese.
fn bilingual_with_tag_names(names: &str) -> Site {
    let site = Site::fixture("languages");
    site.replace(
        "site.yaml",
        "language: en",
        &format!("languages: [en, zh]\ntranslations:\n  zh:\n    tags:\n{names}"),
    );
    site
}

#[test]
fn tag_names_from_site_yaml_show_on_that_languages_pages_at_the_same_addresses() {
    let site = bilingual_with_tag_names("      dates: 日期\n      pair: 成对\n");
    site.build().success();
    assert_eq!(texts_of(&site, "zh/tags/index.html", ".tag-index a"), ["日期", "成对"]);
    assert_eq!(texts_of(&site, "tags/index.html", ".tag-index a"), ["dates", "pair"]);
    assert_eq!(
        attributes_of(&site, "zh/tags/index.html", ".tag-index a", "href"),
        attributes_of(&site, "tags/index.html", ".tag-index a", "href"),
    );
    assert_eq!(texts_of(&site, "zh/tags/pair/index.html", "h1"), ["成对"]);
    assert_eq!(
        texts_of(&site, "zh/events/range/index.html", ".tag-list a"),
        ["日期", "成对"]
    );
    assert_eq!(
        attributes_of(&site, "zh/events/range/index.html", ".tag-list a", "href"),
        ["../../tags/dates/index.html", "../../tags/pair/index.html"]
    );
    let chips = texts_of(&site, "zh/index.html", ".chip-tag");
    assert!(chips[0].starts_with("日期"), "{chips:?}");
    let data: serde_json::Value =
        serde_json::from_str(&crate::support::read(&site.out().join("zh/events.json"))).expect("JSON");
    let tags = &data["events"][0]["tags"];
    assert_eq!(tags[0]["name"], "日期", "{tags}");
    assert_eq!(tags[0]["slug"], "dates", "{tags}");
    let feed = crate::support::read(&site.out().join("zh/feed.xml"));
    assert!(feed.contains(r#"<category term="dates" label="日期"/>"#), "{feed}");
}

#[test]
fn a_translated_name_that_names_no_tag_is_a_warning_at_its_line() {
    let site = bilingual_with_tag_names("      dates: 日期\n      piar: 成对\n");
    let run = annals(
        &site.base(),
        &["check", "--root", site.root.to_str().expect("a UTF-8 path")],
    )
    .success();
    assert!(
        run.stderr
            .contains("site.yaml:10:7: warning: no event has the tag `piar`"),
        "{run}"
    );
    assert!(run.stderr.contains("did you mean `pair`?"), "{run}");
    assert!(run.stderr.contains("code: unused-name"), "{run}");
}

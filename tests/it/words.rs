//! The words readers see: counts and numbers in the page's language, tag
//! names translated in `site.yaml`, the language of sources, and dates
//! read as written (circa dates, `display_date` under its heading). Built
//! from `tests/fixtures/languages/` and small sites written here.

use crate::support::{annals, corpus, html, selector, Site};

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

/// The `lang` attribute of the title link and the publisher of each source
/// of an event page, `-` where there is none.
fn source_langs(site: &Site, page: &str) -> Vec<(String, String)> {
    let document = html(&site.out().join(page));
    let attribute = |element: Option<scraper::ElementRef<'_>>| {
        element
            .and_then(|element| element.value().attr("lang"))
            .unwrap_or("-")
            .to_string()
    };
    document
        .select(&selector(".sources > li"))
        .map(|source| {
            let title = source.select(&selector("a, cite")).next();
            let publisher = source.select(&selector(".publisher")).next();
            (attribute(title), attribute(publisher))
        })
        .collect()
}

#[test]
fn sources_in_another_language_than_the_page_carry_its_lang() {
    let site = Site::fixture("languages");
    site.replace("site.yaml", "language: en", "languages: [en, zh]");
    site.write(
        "content/events/2001-sources.md",
        "---\ntitle: Sources in three languages\ndate: 2001\nsources:\n  \
         - title: An English report\n    publisher: The Paper\n    url: https://example.test/en\n  \
         - title: Un article en français\n    publisher: Le Journal\n    url: https://example.test/fr\n    lang: fr\n  \
         - title: A report the translation translates\n    publisher: An agency\n\
         ---\nText.\n",
    );
    site.write(
        "content/events/2001-sources.zh.md",
        "---\ntitle: 三种语言的来源\nsources:\n  - {}\n  - {}\n  - title: 译出的报道\n---\n正文。\n",
    );
    site.build().success();
    let pair = |title: &str, publisher: &str| (title.to_string(), publisher.to_string());
    // On the English page only the French source is marked.
    assert_eq!(
        source_langs(&site, "events/sources/index.html"),
        [pair("-", "-"), pair("fr", "fr"), pair("-", "-")]
    );
    // On the Chinese page what the translation left as written keeps its
    // language; what it translated is in the page's.
    assert_eq!(
        source_langs(&site, "zh/events/sources/index.html"),
        [pair("en", "en"), pair("fr", "fr"), pair("-", "en")]
    );
}

/// Each heading of a built timeline with the ids of the events under it.
fn headings(site: &Site, page: &str) -> Vec<(String, Vec<String>)> {
    let document = html(&site.out().join(page));
    document
        .select(&selector(".timeline > .group"))
        .map(|group| {
            let heading = group
                .select(&selector(".group-heading"))
                .next()
                .map(|heading| heading.text().collect::<String>())
                .unwrap_or_default();
            let events = group
                .select(&selector(".event-entry"))
                .filter_map(|entry| entry.value().attr("id").map(str::to_string))
                .collect();
            (heading, events)
        })
        .collect()
}

/// A site of events dated in the ways a heading could misread.
fn dated_site(events: &[(&str, &str)]) -> Site {
    let site = Site::empty();
    site.write("site.yaml", "title: Headings\nlanguages: [en, zh]\n");
    for (slug, front) in events {
        site.write(
            &format!("content/events/{slug}.md"),
            &format!("---\ntitle: {slug}\n{front}\nsources: [https://example.org/]\n---\nText.\n"),
        );
    }
    site
}

#[test]
fn a_circa_date_is_headed_as_written_never_by_a_computed_range() {
    // 2,400 years: grouped by decade, where 375 BCE would fall under
    // "381 BCE – 372 BCE".
    let site = dated_site(&[
        ("plato", "date: c. 375 BCE"),
        ("exact", "date: 372 BCE"),
        ("maybe", "date: 1984?"),
        ("known", "date: 1985"),
    ]);
    site.build().success();
    let heads = |page: &str| -> Vec<(String, Vec<String>)> { headings(&site, page) };
    let one = |heading: &str, slug: &str| (heading.to_string(), vec![slug.to_string()]);
    assert_eq!(
        heads("index.html"),
        [
            one("c. 375 BCE", "plato"),
            one("381 BCE – 372 BCE", "exact"),
            one("1984?", "maybe"),
            one("1980s", "known")
        ]
    );
    assert_eq!(
        heads("zh/index.html"),
        [
            one("约公元前375年", "plato"),
            one("公元前381年—公元前372年", "exact"),
            one("1984年（存疑）", "maybe"),
            one("1980年代", "known")
        ]
    );
    assert_eq!(
        texts_of(&site, "index.html", "#plato .event-date .date-text"),
        ["c. 375 BCE"]
    );
    assert_eq!(texts_of(&site, "index.html", ".gap"), ["2,355 years later"]);
}

#[test]
fn a_display_date_is_never_under_a_year_heading_that_contradicts_it() {
    let site = dated_site(&[
        ("before", "date: 1990-03"),
        ("late", "date: 1990\ndisplay_date: Early 1980s, in print from 1990"),
        ("vague", "date: 1990-06\ndisplay_date: Early 1980s"),
        ("after", "date: 1990-09\ndisplay_date: Announced September 1990"),
    ]);
    site.build().success();
    let names = |slugs: &[&str]| slugs.iter().map(|slug| slug.to_string()).collect::<Vec<_>>();
    assert_eq!(
        headings(&site, "index.html"),
        [
            ("1990".to_string(), names(&["late", "before"])),
            ("Early 1980s".to_string(), names(&["vague"])),
            ("1990".to_string(), names(&["after"]))
        ]
    );
    // Each heading keeps an id of its own, and the jump list names them all.
    let ids = attributes_of(&site, "index.html", ".group-heading", "id");
    assert_eq!(ids, ["y1990", "at-vague", "y1990-2"]);
    assert_eq!(
        attributes_of(&site, "index.html", ".group-jump a", "href"),
        ["#y1990", "#at-vague", "#y1990-2"]
    );
}

#[test]
fn counts_agree_with_their_number_and_group_its_digits_on_pages_and_on_the_command_line() {
    let site = Site::empty();
    corpus::generate(&site.root, 1001, 7);
    site.replace("site.yaml", "base_url:", "languages: [de, es]\nbase_url:");
    let run = site.build().success();
    // The command line speaks English, whatever the site's languages.
    assert!(run.stdout.starts_with("Built 1,001 events, "), "{run}");
    for (page, count) in [
        ("index.html", "1.001 Ereignisse"),
        // Spanish groups from five digits.
        ("es/index.html", "1001 eventos"),
    ] {
        assert_eq!(texts_of(&site, page, ".timeline-count"), [count], "{page}");
    }

    // One event: "1 event" in the count, on the page and on the command line.
    let one = Site::fixture("languages");
    for slug in ["1988-range", "1990-year", "1995-12-month", "bce-500"] {
        one.remove(&format!("content/events/{slug}.md"));
    }
    let run = one.build().success();
    assert!(run.stdout.starts_with("Built 1 event, "), "{run}");
    assert_eq!(texts_of(&one, "index.html", ".timeline-count"), ["1 event"]);
    assert_eq!(texts_of(&one, "tags/index.html", ".count"), ["1 event", "1 event"]);
    let checked = annals(
        &one.base(),
        &["check", "--root", one.root.to_str().expect("a UTF-8 path")],
    )
    .success();
    assert!(
        checked
            .stdout
            .contains("Checked 1 event: 0 errors, 2 warnings, 0 notes"),
        "{checked}"
    );
}

//! A site in each language annals knows: `tests/fixtures/languages/` built
//! with `language: <code>`, read back to see that its pages declare the
//! language and show that language's dates, counts and interface words.

use std::collections::BTreeMap;

use annals::lang::Lang;

use crate::support::{html, read, selector, Site, REPO};

/// What the built fixture must show in one language.
struct Case {
    code: &'static str,
    html_lang: &'static str,
    /// The dates of the fixture's events: 2013-12-09, 1995-12, 1990,
    /// 500 BCE, and 1988 to 1996.
    day: &'static str,
    month: &'static str,
    year: &'static str,
    bce: &'static str,
    range: &'static str,
    /// How long the range lasted.
    duration: &'static str,
    /// The tags page: five events tagged `dates`, two tagged `pair`.
    five_events: &'static str,
    two_events: &'static str,
    /// The event page's "Sources" heading and its link back to the timeline.
    sources: &'static str,
    view_on_timeline: &'static str,
}

const CASES: &[Case] = &[
    Case {
        code: "en",
        html_lang: "en",
        day: "9 December 2013",
        month: "December 1995",
        year: "1990",
        bce: "500 BCE",
        range: "1988 – 1996",
        duration: "8 years",
        five_events: "5 events",
        two_events: "2 events",
        sources: "Sources",
        view_on_timeline: "View on the timeline",
    },
    Case {
        code: "zh",
        html_lang: "zh-Hans",
        day: "2013年12月9日",
        month: "1995年12月",
        year: "1990年",
        bce: "公元前500年",
        range: "1988年—1996年",
        duration: "8年",
        five_events: "5 个事件",
        two_events: "2 个事件",
        sources: "来源",
        view_on_timeline: "在时间线上查看",
    },
    Case {
        code: "fr",
        html_lang: "fr",
        day: "9 décembre 2013",
        month: "décembre 1995",
        year: "1990",
        bce: "500 av. J.-C.",
        range: "1988\u{2009}–\u{2009}1996",
        duration: "8 ans",
        five_events: "5 événements",
        two_events: "2 événements",
        sources: "Sources",
        view_on_timeline: "Voir sur la frise",
    },
    Case {
        code: "de",
        html_lang: "de",
        day: "9. Dezember 2013",
        month: "Dezember 1995",
        year: "1990",
        bce: "500 v. Chr.",
        range: "1988\u{2009}–\u{2009}1996",
        duration: "8 Jahre",
        five_events: "5 Ereignisse",
        two_events: "2 Ereignisse",
        sources: "Quellen",
        view_on_timeline: "Auf der Zeitleiste ansehen",
    },
    Case {
        code: "es",
        html_lang: "es",
        day: "9 de diciembre de 2013",
        month: "diciembre de 1995",
        year: "1990",
        bce: "500 a. C.",
        range: "1988\u{2009}–\u{2009}1996",
        duration: "8 años",
        five_events: "5 eventos",
        two_events: "2 eventos",
        sources: "Fuentes",
        view_on_timeline: "Ver en la cronología",
    },
    Case {
        code: "ja",
        html_lang: "ja",
        day: "2013年12月9日",
        month: "1995年12月",
        year: "1990年",
        bce: "紀元前500年",
        range: "1988年～1996年",
        duration: "8 年",
        five_events: "5件の出来事",
        two_events: "2件の出来事",
        sources: "出典",
        view_on_timeline: "年表で見る",
    },
    Case {
        code: "ko",
        html_lang: "ko",
        day: "2013년 12월 9일",
        month: "1995년 12월",
        year: "1990년",
        bce: "기원전 500년",
        range: "1988년 ~ 1996년",
        duration: "8년",
        five_events: "사건 5건",
        two_events: "사건 2건",
        sources: "출처",
        view_on_timeline: "연표에서 보기",
    },
    Case {
        code: "pt",
        html_lang: "pt",
        day: "9 de dezembro de 2013",
        month: "dezembro de 1995",
        year: "1990",
        bce: "500 a.C.",
        range: "1988\u{2009}–\u{2009}1996",
        duration: "8 anos",
        five_events: "5 eventos",
        two_events: "2 eventos",
        sources: "Fontes",
        view_on_timeline: "Ver na linha do tempo",
    },
    Case {
        code: "ru",
        html_lang: "ru",
        day: "9 декабря 2013\u{202f}г.",
        month: "декабрь 1995\u{202f}г.",
        year: "1990",
        bce: "500\u{202f}г. до н. э.",
        range: "1988 – 1996",
        duration: "8 лет",
        // Russian has a form for 2–4 and another for 5–20.
        five_events: "5 событий",
        two_events: "2 события",
        sources: "Источники",
        view_on_timeline: "Показать на хронологии",
    },
];

/// The text of the first element matching `css` in a built page.
fn text_of(site: &Site, page: &str, css: &str) -> String {
    let document = html(&site.out().join(page));
    let element = document
        .select(&selector(css))
        .next()
        .unwrap_or_else(|| panic!("{page} has no `{css}`"));
    element.text().collect::<String>().trim().to_string()
}

/// The date of an event page, without the duration that follows it.
fn date_of(site: &Site, page: &str) -> String {
    let whole = text_of(site, page, ".event-date");
    match texts_of(site, page, ".event-date .duration").first() {
        Some(duration) => whole
            .strip_suffix(duration.as_str())
            .unwrap_or(&whole)
            .trim()
            .to_string(),
        None => whole,
    }
}

/// The texts of every element matching `css` in a built page.
fn texts_of(site: &Site, page: &str, css: &str) -> Vec<String> {
    html(&site.out().join(page))
        .select(&selector(css))
        .map(|element| element.text().collect::<String>().trim().to_string())
        .collect()
}

#[test]
fn a_site_in_each_language_shows_its_dates_counts_and_words() {
    for case in CASES {
        let site = Site::fixture("languages");
        site.replace("site.yaml", "language: en", &format!("language: {}", case.code));
        let run = site.build().success();
        assert!(run.stderr.is_empty(), "{}: {run}", case.code);

        let lang = html(&site.out().join("index.html"))
            .select(&selector("html"))
            .next()
            .and_then(|root| root.value().attr("lang").map(str::to_string));
        assert_eq!(lang.as_deref(), Some(case.html_lang), "{}", case.code);

        for (page, date) in [
            ("events/day/index.html", case.day),
            ("events/month/index.html", case.month),
            ("events/year/index.html", case.year),
            ("events/bce-500/index.html", case.bce),
            ("events/range/index.html", case.range),
        ] {
            assert_eq!(date_of(&site, page), date, "{}: {page}", case.code);
        }
        let duration = text_of(&site, "events/range/index.html", ".event-date .duration");
        assert!(duration.ends_with(case.duration), "{}: {duration}", case.code);
        assert_eq!(
            text_of(&site, "events/day/index.html", "#sources-title"),
            case.sources,
            "{}",
            case.code
        );
        assert_eq!(
            text_of(&site, "events/day/index.html", ".back-to-timeline"),
            case.view_on_timeline,
            "{}",
            case.code
        );
        assert_eq!(
            texts_of(&site, "tags/index.html", ".count"),
            [case.five_events, case.two_events],
            "{}",
            case.code
        );
    }
}

#[test]
fn a_site_in_french_and_russian_writes_each_copy_in_its_language() {
    let site = Site::fixture("languages");
    site.replace("site.yaml", "language: en", "languages: [fr, ru]");
    site.build().success();
    assert_eq!(date_of(&site, "events/day/index.html"), "9 décembre 2013");
    assert_eq!(date_of(&site, "ru/events/day/index.html"), "9 декабря 2013\u{202f}г.");
    let switcher = texts_of(&site, "index.html", "[hreflang]");
    assert!(switcher.iter().any(|name| name == "Français"), "{switcher:?}");
    assert!(switcher.iter().any(|name| name == "Русский"), "{switcher:?}");
}

#[test]
fn a_language_annals_does_not_know_is_an_error_that_lists_the_known_ones() {
    let site = Site::fixture("languages");
    site.replace("site.yaml", "language: en", "language: xx");
    let run = site.build().failure();
    assert!(
        run.stderr
            .contains("unknown language `xx`; annals knows: en, zh, fr, de, es, ja, ko, pt, ru"),
        "{run}"
    );
}

/// The default theme's interface strings in `lang`.
fn default_strings(lang: Lang) -> BTreeMap<String, String> {
    let path = format!("{REPO}/themes/default/i18n/{}.yaml", lang.code());
    serde_yaml::from_str(&read(std::path::Path::new(&path))).unwrap_or_else(|error| panic!("{path}: {error}"))
}

#[test]
fn every_language_of_the_default_theme_has_every_string_and_every_plural_form() {
    let english = default_strings(Lang::En);
    for lang in Lang::ALL {
        let strings = default_strings(lang);
        let missing: Vec<&String> = english.keys().filter(|key| !strings.contains_key(*key)).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        let unknown: Vec<&String> = strings
            .keys()
            .filter(|key| !english.contains_key(*key) && !key.starts_with("event_count_"))
            .collect();
        assert!(unknown.is_empty(), "{lang} has keys English does not: {unknown:?}");
        for count in (0..=200).chain([1_000_000]) {
            let key = format!("event_count_{}", lang.plural(count));
            assert!(
                strings.contains_key(&key),
                "{lang} has no `{key}`, the form for {count}"
            );
        }
    }
}

/// The top-level keys of an i18n file (`key: value` at the start of a line).
fn i18n_keys(lang: &str) -> std::collections::BTreeSet<String> {
    let path = std::path::Path::new(REPO).join(format!("themes/default/i18n/{lang}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    text.lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_lowercase()))
        .filter_map(|line| line.split_once(':').map(|(key, _)| key.to_string()))
        .collect()
}

#[test]
fn every_language_file_has_every_interface_string_english_has() {
    let english = i18n_keys("en");
    assert!(english.len() > 50, "{} keys", english.len());
    for lang in ["zh", "fr", "de", "es", "ja", "ko", "pt", "ru"] {
        let keys = i18n_keys(lang);
        let missing: Vec<&String> = english.difference(&keys).collect();
        assert!(missing.is_empty(), "{lang}.yaml lacks {missing:?}");
    }
}

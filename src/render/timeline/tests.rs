//! Tests of the timeline's layout: parts, pages, headings, gaps and related events.

use std::sync::Arc;

use super::*;
use crate::config::Config;
use crate::hashing::HashSet;
use crate::memo::Memo;
use crate::model::Inputs;
use crate::parse::event::parse_event_file;
use crate::parse::page::Intro;

/// A site of one event in each of `years`, in that order; `settings`
/// are added to its `site.yaml`.
fn site_of(years: impl IntoIterator<Item = i32>, settings: &str) -> Site {
    let mut text = String::from("events:\n");
    for (at, year) in years.into_iter().enumerate() {
        text.push_str(&format!("  - title: E{at}\n    date: {year}\n"));
    }
    let path = "content/events/all.yaml";
    let events = parse_event_file(path, &text).expect("the events parse");
    let config = Config::parse(&format!("title: T\n{settings}")).expect("the settings parse");
    let texts: crate::hashing::HashMap<&str, &str> = [(path, text.as_str())].into_iter().collect();
    let inputs = Inputs {
        content_assets: &HashSet::default(),
        texts: &texts,
        drafts: false,
    };
    let events = events.into_iter().map(Arc::new).collect();
    Site::assemble(
        config,
        Intro::default(),
        events,
        Vec::new(),
        &inputs,
        &mut Memo::one_shot(),
    )
    .expect("the site assembles")
    .0
}

/// (url, label, span, page, pages, first, count) of each page.
fn outline(parts: &[Part]) -> Vec<(String, String, String, usize, usize, usize, usize)> {
    parts
        .iter()
        .map(|part| {
            let url = part.url.clone();
            (
                url,
                part.label.clone(),
                part.span.clone(),
                part.page,
                part.pages,
                part.first,
                part.count,
            )
        })
        .collect()
}

#[test]
fn a_list_of_up_to_page_max_events_is_one_page() {
    let site = site_of((0..PAGE_MAX as i32).map(|at| 1800 + at), "");
    let all: Vec<usize> = (0..site.events.len()).collect();
    assert!(paginate(&site, &all, "tags/a/").is_none());
    assert!(split(&site, &all, "timeline/").is_none());
}

#[test]
fn a_longer_list_takes_numbered_pages_of_equal_size_named_for_their_years() {
    // 250 events, one a year from 1600: pages of 84, 83 and 83.
    let site = site_of((0..250).map(|at| 1600 + at), "");
    let all: Vec<usize> = (0..site.events.len()).collect();
    let pages = paginate(&site, &all, "tags/a/").expect("more than one page");
    let s = String::from;
    assert_eq!(
        outline(&pages),
        [
            (s("tags/a/index.html"), s("1600 – 1683"), s("1600 – 1683"), 1, 1, 1, 84),
            (
                s("tags/a/2/index.html"),
                s("1684 – 1766"),
                s("1684 – 1766"),
                1,
                1,
                85,
                83
            ),
            (
                s("tags/a/3/index.html"),
                s("1767 – 1849"),
                s("1767 – 1849"),
                1,
                1,
                168,
                83
            ),
        ]
    );
    assert!(pages.iter().all(|page| page.total == 250));
    assert_eq!(pages[1].events, (84..167).collect::<Vec<_>>());
    // The timeline itself stays in one page up to SPLIT_AT events.
    assert!(split(&site, &all, "timeline/").is_none());
}

#[test]
fn sizes_differ_by_one_at_most() {
    let site = site_of((0..401).map(|at| 1600 + at / 2), "");
    let all: Vec<usize> = (0..site.events.len()).collect();
    let pages = paginate(&site, &all, "tags/a/").expect("more than one page");
    let counts: Vec<usize> = pages.iter().map(|page| page.count).collect();
    assert_eq!(counts, [81, 80, 80, 80, 80]);
}

/// 1,100 events: 600 in the 1950s, 60 a year, then 500 in the
/// 1960s, 50 a year.
fn crowded_decades(settings: &str) -> Site {
    let years = (0..600)
        .map(|at| 1950 + at / 60)
        .chain((0..500).map(|at| 1960 + at / 50));
    site_of(years, settings)
}

#[test]
fn a_decade_of_many_events_takes_several_pages_the_first_at_its_own_address() {
    let site = crowded_decades("");
    let all: Vec<usize> = (0..site.events.len()).collect();
    let pages = split(&site, &all, "timeline/").expect("a split timeline");
    let s = String::from;
    let outlined = outline(&pages);
    assert_eq!(outlined.len(), 11, "six pages of the 1950s, five of the 1960s");
    assert_eq!(
        outlined[..2],
        [
            (
                s("timeline/1950s/index.html"),
                s("1950s"),
                s("1950 – 1951"),
                1,
                6,
                1,
                100
            ),
            (
                s("timeline/1950s/2/index.html"),
                s("1950s"),
                s("1951 – 1953"),
                2,
                6,
                101,
                100
            ),
        ]
    );
    assert_eq!(
        outlined[5..7],
        [
            (
                s("timeline/1950s/6/index.html"),
                s("1950s"),
                s("1958 – 1959"),
                6,
                6,
                501,
                100
            ),
            (
                s("timeline/1960s/index.html"),
                s("1960s"),
                s("1960 – 1961"),
                1,
                5,
                601,
                100
            ),
        ]
    );
    assert_eq!(pages[1].title(), "1950s · 1951 – 1953");
    assert_eq!(
        paginate(&site, &all, "timeline/").map(|pages| outline(&pages)),
        Some(outlined)
    );
    let layout = Layout::new(&site);
    assert_eq!(layout.page_of(0), "timeline/1950s/index.html");
    assert_eq!(layout.page_of(600), "timeline/1960s/index.html");
    assert_eq!(layout.page_of(1099), "timeline/1960s/5/index.html");
}

#[test]
fn newest_first_the_parts_and_their_pages_are_reversed_but_not_the_events_in_a_page() {
    let site = crowded_decades("order: descending\n");
    let all: Vec<usize> = (0..site.events.len()).collect();
    let pages = split(&site, &all, "timeline/").expect("a split timeline");
    let spans: Vec<(&str, &str, usize)> = pages
        .iter()
        .map(|page| (page.url.as_str(), page.span.as_str(), page.first))
        .collect();
    assert_eq!(
        spans[4..6],
        [
            ("timeline/1960s/5/index.html", "1960 – 1961", 401),
            ("timeline/1950s/index.html", "1958 – 1959", 501),
        ]
    );
    assert_eq!(spans[0], ("timeline/1960s/index.html", "1968 – 1969", 1));
    assert_eq!(spans[10], ("timeline/1950s/6/index.html", "1950 – 1951", 1001));
    assert!(pages[0].events.is_sorted(), "events in a page stay in timeline order");
}

#[test]
fn decades_are_labelled_as_readers_say_them() {
    assert_eq!(decade_label(1980, Lang::En), "1980s");
    assert_eq!(decade_label(1980, Lang::Zh), "1980年代");
    assert_eq!(decade_label(-500, Lang::En), "501 BCE – 492 BCE");
    assert_eq!(decade_label(0, Lang::En), "1 BCE – 9");
}

#[test]
fn pages_of_several_decades_are_labelled_by_their_ends() {
    assert_eq!(decades_label(1980, 1980, Lang::En), "1980s");
    assert_eq!(decades_label(1980, 1990, Lang::En), "1980s – 1990s");
    assert_eq!(decades_label(1980, 1990, Lang::Zh), "1980年代—1990年代");
    assert_eq!(decades_label(-500, 1890, Lang::En), "501 BCE – 1899");
}

#[test]
fn a_display_date_names_a_year_only_as_a_number_of_its_own() {
    assert!(names_a_year_in("Announced at NIPS, December 2013", 2013, 2013));
    assert!(names_a_year_in("2018 award, announced 27 March 2019", 2019, 2019));
    assert!(names_a_year_in("2018年度奖项，2019年3月27日公布", 2019, 2019));
    assert!(names_a_year_in("Early 1980s", 1980, 1989));
    assert!(names_a_year_in("２０１９年春", 2019, 2019));
    // 375 BCE is the astronomical year -374.
    assert!(names_a_year_in("Around 375 BCE", -374, -374));
    assert!(!names_a_year_in("Late 1990s", 1997, 1997));
    assert!(!names_a_year_in("20世纪90年代末", 1997, 1997));
    assert!(!names_a_year_in("Early 1980s", 1990, 1990));
    assert!(!names_a_year_in("Spring, year unknown", 1942, 1942));
    assert!(!names_a_year_in("201", 2013, 2013));
}

#[test]
fn gaps_read_in_the_direction_of_the_timeline() {
    assert_eq!(gap_label(7, false, Lang::En), "7 years later");
    assert_eq!(gap_label(7, true, Lang::Zh), "7年前");
}

#[test]
fn decades_and_gaps_in_other_languages_use_their_words_and_plurals() {
    assert_eq!(decade_label(1980, Lang::Fr), "années 1980");
    assert_eq!(decade_label(1980, Lang::De), "1980er-Jahre");
    assert_eq!(decade_label(1980, Lang::Ru), "1980-е");
    assert_eq!(decades_label(1980, 1990, Lang::Ja), "1980年代～1990年代");
    assert_eq!(gap_label(7, false, Lang::Fr), "7 ans plus tard");
    assert_eq!(gap_label(7, false, Lang::Ru), "7 лет спустя");
    assert_eq!(gap_label(22, true, Lang::Ru), "на 22 года раньше");
    assert_eq!(gap_label(7, true, Lang::Ko), "7년 전");
}

//! Tests of reading an event file: front matter, dates, media, sources and their errors.

use super::*;

fn one(path: &str, text: &str) -> Event {
    let mut events = parse_event_file(path, text).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(events.len(), 1);
    events.remove(0)
}

fn errors(path: &str, text: &str) -> Vec<Diagnostic> {
    parse_event_file(path, text).expect_err("should fail")
}

#[test]
fn a_source_may_say_which_language_it_is_written_in() {
    let event = one(
        "content/events/x.md",
        "---\ntitle: X\ndate: 2001\nsources:\n  - title: Un article\n    lang: fr\n  - https://e.org/\n---\n",
    );
    assert_eq!(event.sources[0].lang.as_deref(), Some("fr"));
    assert_eq!(event.sources[1].lang, None);
    for good in ["en", "pt-BR", "zh-Hant", "sr-Latn-RS", "gsw"] {
        assert!(crate::fields::is_language_tag(good), "{good}");
    }
    let found = errors(
        "content/events/x.md",
        "---\ntitle: X\ndate: 2001\nsources:\n  - title: Un article\n    lang: French language\n---\n",
    );
    assert!(
        found[0]
            .message
            .contains("`French language` is not a language tag: write the language's code"),
        "{found:?}"
    );
    assert_eq!(found[0].line, 5, "{found:?}");
}

#[test]
fn reads_a_markdown_event() {
    let event = one(
        "content/events/2013-12-09-fair-founded.md",
        "---\ntitle: FAIR founded\ndate: 2013-12-09\ntags: [meta, fair]\nimportance: 5\n---\nFirst paragraph.\n\nSecond.\n",
    );
    assert_eq!(event.title, "FAIR founded");
    assert_eq!(event.date.machine(), "2013-12-09");
    assert_eq!(event.slug.as_str(), "fair-founded");
    assert_eq!(event.tags, ["meta", "fair"]);
    assert_eq!(event.importance, 5);
    assert_eq!(event.body, "First paragraph.\n\nSecond.\n");
    assert_eq!(event.body_line, 7);
}

#[test]
fn reads_a_yaml_event_and_a_batch() {
    let event = one(
        "content/events/1989.yaml",
        "title: Zip codes\ndate: 1989\nbody: |\n  Text.\n",
    );
    assert_eq!(event.body, "Text.\n");
    assert_eq!(event.date.machine(), "1989");
    let batch = parse_event_file(
        "content/events/jobs.yaml",
        "events:\n  - title: A\n    date: 1985-09\n    slug: a\n  - title: B thing\n    date: 1986-02\n",
    )
    .unwrap();
    assert_eq!(batch.len(), 2);
    assert_eq!(batch[1].slug.as_str(), "b-thing");
    assert_eq!(batch[1].origin.first_line, 5);
}

#[test]
fn media_may_be_one_item_or_a_list_and_images_need_alt() {
    let event = one(
        "content/events/x.md",
        "---\ntitle: X\ndate: 2000\nmedia:\n  src: media/a.jpg\n  alt: A\n---\n",
    );
    assert_eq!(event.media.len(), 1);
    assert_eq!(event.media[0].kind, MediaKind::Image);
    assert!(event.media[0].local);
    let problems = errors(
        "content/events/x.md",
        "---\ntitle: X\ndate: 2000\nmedia:\n  - src: https://e.org/a.png\n---\n",
    );
    assert!(problems[0].message.contains("no `alt`"), "{}", problems[0].message);
    assert_eq!(problems[0].line, 4);
}

#[test]
fn sources_may_be_urls_or_full_entries() {
    let event = one(
        "content/events/x.md",
        "---\ntitle: X\ndate: 2000\nsources:\n  - https://a.org/\n  - title: Paper\n    publisher: IEEE\n    date: 1998-11\n---\n",
    );
    assert_eq!(event.sources[0].url.as_deref(), Some("https://a.org/"));
    assert_eq!(event.sources[1].publisher.as_deref(), Some("IEEE"));
}

#[test]
fn errors_point_at_the_file_line() {
    let problems = errors("content/events/x.md", "---\ntitle: X\ndate: 2024-02-30\n---\n");
    assert_eq!((problems[0].line, problems[0].column), (3, 7));
    let problems = errors("content/events/x.md", "---\ntitle: X\ndate: 2000\ntrakc: a\n---\n");
    assert_eq!(problems[0].line, 4);
    assert_eq!(problems[0].hint.as_deref(), Some("did you mean `track`?"));
    let problems = errors("content/events/x.md", "---\ndate: 2000\n---\n");
    assert_eq!(problems[0].message, "the required key `title` is missing");
    assert_eq!(problems[0].code, Some(Code::MissingField));
    let problems = errors("content/events/x.md", "---\ntitle: X\ndate: 2000\nimportance: 9\n---\n");
    assert_eq!(problems[0].line, 4);
    let problems = errors("content/events/x.md", "---\ntitle: X\ndate: 2001\nend: 2000\n---\n");
    assert_eq!(problems[0].line, 4);
    let problems = errors("content/events/x.md", "no front matter");
    assert_eq!(problems[0].line, 1);
}

#[test]
fn a_span_may_end_in_the_year_or_month_that_contains_its_start() {
    let event = one("content/events/x.md", "---\ntitle: X\ndate: 2013-12\nend: 2013\n---\n");
    assert_eq!(event.end.map(|e| matches!(e, EndDate::On(_))), Some(true));
    let event = one(
        "content/events/x.md",
        "---\ntitle: X\ndate: 2013-12-09\nend: 2013-12\n---\n",
    );
    assert!(event.end.is_some());
}

#[test]
fn tags_spelt_two_ways_for_one_page_are_listed_once() {
    let event = one(
        "content/events/x.md",
        "---\ntitle: X\ndate: 2013\ntags: [Deep Learning, deep-learning, x]\n---\n",
    );
    assert_eq!(event.tags, ["Deep Learning", "x"]);
}

#[test]
fn yaml_mistakes_are_explained_at_their_place_in_the_file() {
    let cases = [
        (
            "content/events/x.md",
            "---\ntitle: Meta: the end\ndate: 2025\n---\nBody.\n",
            2,
            12,
            "",
        ),
        ("content/events/x.yaml", "title: Meta: the end\ndate: 2025\n", 1, 12, ""),
        (
            "content/events/b.yaml",
            "events:\n  - title: A\n    date: 2025\n  - title: Meta: the end\n    date: 2025\n",
            4,
            16,
            "- ",
        ),
    ];
    for (path, text, line, column, item) in cases {
        let problems = errors(path, text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let problem = &problems[0];
        assert_eq!((problem.line, problem.column), (line, column), "{path}");
        assert_eq!(problem.code, Some(Code::YamlColonInValue), "{path}");
        assert_eq!(
            problem.hint,
            Some(format!("put the value in quotes: {item}title: \"Meta: the end\"")),
            "{path}"
        );
        assert!(problem.source_line.as_deref().unwrap().contains("Meta: the end"));
    }
    // `date:1969` is reported on its line, not at the closing `---`.
    let problems = errors("content/events/x.md", "---\ntitle: A\ndate:1969\n---\n");
    assert_eq!((problems[0].line, problems[0].column), (3, 6));
    assert_eq!(problems[0].code, Some(Code::YamlNoSpaceAfterColon));
}

#[test]
fn batch_errors_point_into_the_right_item() {
    let problems = errors(
        "content/events/b.yaml",
        "events:\n  - title: A\n    date: 2000\n  - title: B\n    date: 2000\n    importance: 0\n",
    );
    assert_eq!(problems[0].line, 6);
}

#[test]
fn default_slugs_drop_the_date_prefix() {
    assert_eq!(
        default_slug_from_path("content/events/2013-12-09-fair.md").as_str(),
        "fair"
    );
    assert_eq!(
        default_slug_from_path("content/events/1988-bell-labs.md").as_str(),
        "bell-labs"
    );
    assert_eq!(
        default_slug_from_path("content/events/2013-12-nips.md").as_str(),
        "nips"
    );
    assert_eq!(default_slug_from_path("content/events/lenet.yaml").as_str(), "lenet");
    assert_eq!(
        default_slug_from_path("content/events/2020-v1.5-notes.md").as_str(),
        "v1-5-notes"
    );
}

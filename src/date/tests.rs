//! Table-driven tests for reading, ordering and writing dates.
//!
//! Each table row is one input with every output it must produce, so a
//! failing row names the exact form that broke.

use super::{format_range, Date, DateError, EndDate, Precision, Qualifier};
use crate::lang::Lang;

fn date(text: &str) -> Date {
    match Date::parse(text) {
        Ok(date) => date,
        Err(error) => panic!("`{text}` should parse, got: {error}"),
    }
}

fn end(text: &str) -> EndDate {
    match EndDate::parse(text) {
        Ok(end) => end,
        Err(error) => panic!("end `{text}` should parse, got: {error}"),
    }
}

/// input → machine() → format(En) → format(Zh)
const FORMS: &[(&str, &str, &str, &str)] = &[
    // ISO forms at each precision.
    ("2013", "2013", "2013", "2013年"),
    ("2013-12", "2013-12", "December 2013", "2013年12月"),
    ("2013-12-09", "2013-12-09", "9 December 2013", "2013年12月9日"),
    (
        "2013-12-09T14:00",
        "2013-12-09T14:00",
        "9 December 2013, 14:00",
        "2013年12月9日 14:00",
    ),
    (
        "2013-12-09T14:00:59",
        "2013-12-09T14:00",
        "9 December 2013, 14:00",
        "2013年12月9日 14:00",
    ),
    (
        "2013-12-09 14:00",
        "2013-12-09T14:00",
        "9 December 2013, 14:00",
        "2013年12月9日 14:00",
    ),
    (
        "2013-12-09T14:00:00Z",
        "2013-12-09T14:00",
        "9 December 2013, 14:00",
        "2013年12月9日 14:00",
    ),
    (
        "2013-12-09t07:05z",
        "2013-12-09T07:05",
        "9 December 2013, 07:05",
        "2013年12月9日 07:05",
    ),
    ("  1988-01-01  ", "1988-01-01", "1 January 1988", "1988年1月1日"),
    (
        "2013-12-09T00:00",
        "2013-12-09T00:00",
        "9 December 2013, 00:00",
        "2013年12月9日 00:00",
    ),
    (
        "2013-12-09T23:59",
        "2013-12-09T23:59",
        "9 December 2013, 23:59",
        "2013年12月9日 23:59",
    ),
    // Short and padded years.
    ("800", "0800", "800", "800年"),
    ("0800", "0800", "800", "800年"),
    ("1", "0001", "1", "1年"),
    ("02013", "2013", "2013", "2013年"),
    ("9999", "9999", "9999", "9999年"),
    ("0476-09-04", "0476-09-04", "4 September 476", "476年9月4日"),
    // Leap days in the proleptic Gregorian calendar.
    ("2024-02-29", "2024-02-29", "29 February 2024", "2024年2月29日"),
    ("2000-02-29", "2000-02-29", "29 February 2000", "2000年2月29日"),
    ("0000-02-29", "0000-02-29", "29 February 1 BCE", "公元前1年2月29日"),
    (
        "-0400-02-29",
        "-0400-02-29",
        "29 February 401 BCE",
        "公元前401年2月29日",
    ),
    // Astronomical years: 0 is 1 BCE, -499 is 500 BCE.
    ("0", "0000", "1 BCE", "公元前1年"),
    ("0000", "0000", "1 BCE", "公元前1年"),
    ("-0499", "-0499", "500 BCE", "公元前500年"),
    ("-499", "-0499", "500 BCE", "公元前500年"),
    ("-0043-03", "-0043-03", "March 44 BCE", "公元前44年3月"),
    ("-0043-03-15", "-0043-03-15", "15 March 44 BCE", "公元前44年3月15日"),
    ("-9999", "-9999", "10000 BCE", "公元前10000年"),
    // Era spellings.
    ("500 BCE", "-0499", "500 BCE", "公元前500年"),
    ("500 BC", "-0499", "500 BCE", "公元前500年"),
    ("500 B.C.", "-0499", "500 BCE", "公元前500年"),
    ("500 b.c.e.", "-0499", "500 BCE", "公元前500年"),
    ("500BCE", "-0499", "500 BCE", "公元前500年"),
    ("500 bce", "-0499", "500 BCE", "公元前500年"),
    ("1 BCE", "0000", "1 BCE", "公元前1年"),
    ("1 CE", "0001", "1", "1年"),
    ("30 CE", "0030", "30", "30年"),
    ("30 AD", "0030", "30", "30年"),
    ("30 A.D.", "0030", "30", "30年"),
    ("AD 30", "0030", "30", "30年"),
    ("A.D. 30", "0030", "30", "30年"),
    ("ad30", "0030", "30", "30年"),
    ("9999 CE", "9999", "9999", "9999年"),
    ("10000 BCE", "-9999", "10000 BCE", "公元前10000年"),
    // Circa in every spelling.
    ("c. 1500", "1500", "c. 1500", "约1500年"),
    ("c.1500", "1500", "c. 1500", "约1500年"),
    ("c 1500", "1500", "c. 1500", "约1500年"),
    ("c1500", "1500", "c. 1500", "约1500年"),
    ("C. 1500", "1500", "c. 1500", "约1500年"),
    ("ca. 1500", "1500", "c. 1500", "约1500年"),
    ("ca 1500", "1500", "c. 1500", "约1500年"),
    ("circa 1500", "1500", "c. 1500", "约1500年"),
    ("Circa 1500", "1500", "c. 1500", "约1500年"),
    ("~1500", "1500", "c. 1500", "约1500年"),
    ("~ 1500", "1500", "c. 1500", "约1500年"),
    ("约1500", "1500", "c. 1500", "约1500年"),
    ("约 1500", "1500", "c. 1500", "约1500年"),
    ("1500~", "1500", "c. 1500", "约1500年"),
    ("2013-12~", "2013-12", "c. December 2013", "约2013年12月"),
    ("c. 2013-12", "2013-12", "c. December 2013", "约2013年12月"),
    ("c. 500 BCE", "-0499", "c. 500 BCE", "约公元前500年"),
    // Uncertain.
    ("1984?", "1984", "1984?", "1984年（存疑）"),
    ("1984 ?", "1984", "1984?", "1984年（存疑）"),
    ("2013-12?", "2013-12", "December 2013?", "2013年12月（存疑）"),
    ("2013-12-09?", "2013-12-09", "9 December 2013?", "2013年12月9日（存疑）"),
    ("500 BCE?", "-0499", "500 BCE?", "公元前500年（存疑）"),
    // Circa and uncertain together.
    ("c. 1984?", "1984", "c. 1984?", "约1984年（存疑）"),
    ("~1984?", "1984", "c. 1984?", "约1984年（存疑）"),
    ("1984%", "1984", "c. 1984?", "约1984年（存疑）"),
    ("1984?~", "1984", "c. 1984?", "约1984年（存疑）"),
    ("1984~?", "1984", "c. 1984?", "约1984年（存疑）"),
    ("约1984?", "1984", "c. 1984?", "约1984年（存疑）"),
    ("c. 500 BCE?", "-0499", "c. 500 BCE?", "约公元前500年（存疑）"),
    (
        "2013-12-09T14:00%",
        "2013-12-09T14:00",
        "c. 9 December 2013, 14:00?",
        "约2013年12月9日 14:00（存疑）",
    ),
];

#[test]
fn every_form_reads_and_writes_in_both_languages() {
    for &(input, machine, english, chinese) in FORMS {
        let parsed = date(input);
        assert_eq!(parsed.machine(), machine, "machine() of `{input}`");
        assert_eq!(parsed.format(Lang::En), english, "English for `{input}`");
        assert_eq!(parsed.format(Lang::Zh), chinese, "Chinese for `{input}`");
        let via_from_str: Result<Date, _> = input.parse();
        assert_eq!(via_from_str, Ok(parsed), "FromStr for `{input}`");
    }
}

#[test]
fn qualifier_spellings_give_the_right_qualifier() {
    use Qualifier::*;
    let cases: &[(&str, Qualifier, bool, bool)] = &[
        ("1500", Exact, false, false),
        ("c. 1500", Circa, true, false),
        ("ca. 1500", Circa, true, false),
        ("circa 1500", Circa, true, false),
        ("~1500", Circa, true, false),
        ("1500~", Circa, true, false),
        ("约1500", Circa, true, false),
        ("1984?", Uncertain, false, true),
        ("1984%", CircaUncertain, true, true),
        ("1984?~", CircaUncertain, true, true),
        ("1984~?", CircaUncertain, true, true),
        ("c. 1984?", CircaUncertain, true, true),
        ("c. 500 BCE", Circa, true, false),
        ("500 BCE?", Uncertain, false, true),
    ];
    for &(input, qualifier, circa, uncertain) in cases {
        let parsed = date(input);
        assert_eq!(parsed.qualifier(), qualifier, "qualifier of `{input}`");
        assert_eq!(parsed.is_circa(), circa, "is_circa of `{input}`");
        assert_eq!(parsed.is_uncertain(), uncertain, "is_uncertain of `{input}`");
    }
}

#[test]
fn accessors_report_fields_precision_and_era() {
    use Precision::*;
    type Fields = (i32, Option<u8>, Option<u8>, Option<(u8, u8)>, Precision, bool);
    let cases: &[(&str, Fields)] = &[
        ("2013", (2013, None, None, None, Year, false)),
        ("2013-12", (2013, Some(12), None, None, Month, false)),
        ("2013-12-09", (2013, Some(12), Some(9), None, Day, false)),
        (
            "2013-12-09T14:05",
            (2013, Some(12), Some(9), Some((14, 5)), Minute, false),
        ),
        ("1 BCE", (0, None, None, None, Year, true)),
        ("1 CE", (1, None, None, None, Year, false)),
        ("500 BCE", (-499, None, None, None, Year, true)),
        ("-0043-03-15", (-43, Some(3), Some(15), None, Day, true)),
    ];
    for &(input, (year, month, day, time, precision, bce)) in cases {
        let parsed = date(input);
        assert_eq!(parsed.year(), year, "year of `{input}`");
        assert_eq!(parsed.month(), month, "month of `{input}`");
        assert_eq!(parsed.day(), day, "day of `{input}`");
        assert_eq!(parsed.time(), time, "time of `{input}`");
        assert_eq!(parsed.precision(), precision, "precision of `{input}`");
        assert_eq!(parsed.is_bce(), bce, "is_bce of `{input}`");
    }
}

#[test]
fn no_year_zero_between_1_bce_and_1_ce() {
    let one_bce = date("1 BCE");
    let one_ce = date("1 CE");
    assert_eq!(one_bce.year(), 0);
    assert_eq!(one_ce.year(), 1);
    assert_eq!(one_bce.format(Lang::En), "1 BCE");
    assert_eq!(one_ce.format(Lang::En), "1");
    assert_eq!(one_bce.format(Lang::Zh), "公元前1年");
    assert_eq!(one_ce.format(Lang::Zh), "1年");
    // Adjacent years: nothing fits between them.
    assert_eq!(one_ce.year() - one_bce.year(), 1);
    assert_eq!(date("0000"), one_bce);
    assert_eq!(date("2 BCE").year(), -1);
}

#[test]
fn integers_from_yaml_are_astronomical_years() {
    let cases: &[(i64, &str, &str, &str)] = &[
        (2013, "2013", "2013", "2013年"),
        (800, "0800", "800", "800年"),
        (1, "0001", "1", "1年"),
        (0, "0000", "1 BCE", "公元前1年"),
        (-499, "-0499", "500 BCE", "公元前500年"),
        (9999, "9999", "9999", "9999年"),
        (-9999, "-9999", "10000 BCE", "公元前10000年"),
    ];
    for &(year, machine, english, chinese) in cases {
        let parsed = Date::from_year(year).expect("year in range");
        assert_eq!(parsed.precision(), Precision::Year);
        assert_eq!(parsed.qualifier(), Qualifier::Exact);
        assert_eq!(parsed.machine(), machine, "machine() of {year}");
        assert_eq!(parsed.format(Lang::En), english, "English for {year}");
        assert_eq!(parsed.format(Lang::Zh), chinese, "Chinese for {year}");
    }
    for year in [10000, -10000, i64::MAX, i64::MIN] {
        assert_eq!(
            Date::from_year(year),
            Err(DateError::YearOutOfRange { year: year.to_string() }),
            "from_year({year})"
        );
    }
}

fn unreadable(text: &str) -> DateError {
    DateError::Unreadable { text: text.to_string() }
}

fn day_out_of_range(year: i32, month: u8, day: u8, days_in_month: u8) -> DateError {
    DateError::DayOutOfRange {
        year,
        month,
        day,
        days_in_month,
    }
}

#[test]
fn bad_dates_give_the_right_error() {
    let out_of_range = |year: &str| DateError::YearOutOfRange { year: year.to_string() };
    let text = |text: &str| text.to_string();
    let cases: Vec<(&str, DateError)> = vec![
        ("", DateError::Empty),
        ("   ", DateError::Empty),
        ("\t\n", DateError::Empty),
        // Calendar validation.
        ("2024-02-30", day_out_of_range(2024, 2, 30, 29)),
        ("2023-02-29", day_out_of_range(2023, 2, 29, 28)),
        ("1900-02-29", day_out_of_range(1900, 2, 29, 28)),
        ("-0001-02-29", day_out_of_range(-1, 2, 29, 28)),
        ("2024-04-31", day_out_of_range(2024, 4, 31, 30)),
        ("2024-01-32", day_out_of_range(2024, 1, 32, 31)),
        ("2024-01-00", day_out_of_range(2024, 1, 0, 31)),
        ("2024-13-01", DateError::MonthOutOfRange { month: 13 }),
        ("2024-13", DateError::MonthOutOfRange { month: 13 }),
        ("2024-00-10", DateError::MonthOutOfRange { month: 0 }),
        // Times.
        (
            "2013-12-09T25:00",
            DateError::HourOutOfRange {
                text: text("2013-12-09T25:00"),
                hour: 25,
            },
        ),
        (
            "2013-12-09T24:00",
            DateError::HourOutOfRange {
                text: text("2013-12-09T24:00"),
                hour: 24,
            },
        ),
        (
            "2013-12-09T14:60",
            DateError::MinuteOutOfRange {
                text: text("2013-12-09T14:60"),
                minute: 60,
            },
        ),
        (
            "2013-12-09T14:00:60",
            DateError::SecondOutOfRange {
                text: text("2013-12-09T14:00:60"),
                second: 60,
            },
        ),
        ("2013-12-09T14", unreadable("2013-12-09T14")),
        ("2013-12-09T14:00:00:00", unreadable("2013-12-09T14:00:00:00")),
        ("2013-12-09T1:00", unreadable("2013-12-09T1:00")),
        ("2013-12T14:00", unreadable("2013-12T14:00")),
        ("2013 14:00", unreadable("2013 14:00")),
        ("2013-12-09T14:00+08:00", unreadable("2013-12-09T14:00+08:00")),
        // Year zero and range.
        ("0 BCE", DateError::YearZeroWithEra),
        ("0 CE", DateError::YearZeroWithEra),
        ("0000 BC", DateError::YearZeroWithEra),
        ("AD 0", DateError::YearZeroWithEra),
        ("-0000", DateError::NegativeZeroYear { text: text("-0000") }),
        ("-0", DateError::NegativeZeroYear { text: text("-0") }),
        ("-0000-03", DateError::NegativeZeroYear { text: text("-0000") }),
        ("10000", out_of_range("10000")),
        ("-10000", out_of_range("-10000")),
        ("99999999999999999999999", out_of_range("99999999999999999999999")),
        ("10000-01-01", out_of_range("10000")),
        ("10000 CE", out_of_range("10000 CE")),
        ("10001 BCE", out_of_range("10001 BCE")),
        // Eras that contradict a sign.
        (
            "-500 BCE",
            DateError::NegativeYearWithEra {
                text: text("-500 BCE"),
                suggestion: text("500 BCE"),
                iso: text("-0499"),
            },
        ),
        // Unpadded ISO fields.
        (
            "2013-1-5",
            DateError::UnpaddedMonthOrDay {
                text: text("2013-1-5"),
                suggestion: text("2013-01-05"),
            },
        ),
        (
            "2013-1",
            DateError::UnpaddedMonthOrDay {
                text: text("2013-1"),
                suggestion: text("2013-01"),
            },
        ),
        (
            "2013-12-5",
            DateError::UnpaddedMonthOrDay {
                text: text("2013-12-5"),
                suggestion: text("2013-12-05"),
            },
        ),
        (
            "-0043-3-15",
            DateError::UnpaddedMonthOrDay {
                text: text("-0043-3-15"),
                suggestion: text("-0043-03-15"),
            },
        ),
        (
            "2013-1-5T14:00",
            DateError::UnpaddedMonthOrDay {
                text: text("2013-1-5T14:00"),
                suggestion: text("2013-01-05T14:00"),
            },
        ),
        // Nothing like a date.
        ("yesterday", unreadable("yesterday")),
        ("foo", unreadable("foo")),
        ("c.", unreadable("c.")),
        ("~", unreadable("~")),
        ("?", unreadable("?")),
        ("BCE", unreadable("BCE")),
        ("500 BCX", unreadable("500 BCX")),
        ("2013-12-09 BCE", unreadable("2013-12-09 BCE")),
        ("2013-123", unreadable("2013-123")),
        ("2013-12-09-01", unreadable("2013-12-09-01")),
        ("2013-", unreadable("2013-")),
        ("2013/12/09", unreadable("2013/12/09")),
        ("1500年", unreadable("1500年")),
        ("--2013", unreadable("--2013")),
        ("1984??", unreadable("1984??")),
        ("  foo  ", unreadable("foo")),
    ];
    for (input, expected) in cases {
        assert_eq!(Date::parse(input), Err(expected), "parse(`{input}`)");
    }
}

#[test]
fn error_messages_speak_to_the_editor() {
    let cases: &[(&str, &str)] = &[
        ("2024-02-30", "2024-02 has 29 days, so day 30 does not exist"),
        ("-0499-02-30", "-0499-02 has 28 days, so day 30 does not exist"),
        ("2024-13-01", "month 13 does not exist (months are 1–12)"),
        ("", "a date cannot be empty"),
        (
            "0 BCE",
            "there is no year 0 in BCE/CE notation: 1 BCE is followed by 1 CE",
        ),
        (
            "10000",
            "year 10000 is out of range (annals supports years from 10000 BCE to 9999 CE, \
             which is -9999 to 9999 in ISO form)",
        ),
        (
            "2013-12-09T25:00",
            "`2013-12-09T25:00`: hour 25 does not exist (hours are 00–23)",
        ),
        (
            "foo",
            "cannot read `foo` as a date; write it like 2013, 2013-12, 2013-12-09, \
             2013-12-09T14:00, 500 BCE, c. 1500 or 1984?",
        ),
        (
            "2013-1-5",
            "`2013-1-5`: months and days need two digits; write `2013-01-05`",
        ),
        (
            "-0000",
            "`-0000` is not a year: write `0000` (ISO form) or `1 BCE` for the year before 1 CE",
        ),
        (
            "-500 BCE",
            "`-500 BCE`: a year with an era has no minus sign; write `500 BCE` \
             (or the ISO form `-0499` without an era)",
        ),
    ];
    for &(input, message) in cases {
        match Date::parse(input) {
            Ok(parsed) => panic!("`{input}` should fail, got {parsed:?}"),
            Err(error) => assert_eq!(error.to_string(), message, "message for `{input}`"),
        }
    }
}

#[test]
fn end_dates_read_ongoing_words_and_dates() {
    for input in ["..", "now", "NOW", "present", "Present", " .. ", "至今"] {
        assert_eq!(EndDate::parse(input), Ok(EndDate::Ongoing), "end `{input}`");
    }
    assert_eq!(end("2025-11"), EndDate::On(date("2025-11")));
    assert_eq!(end("c. 30 CE"), EndDate::On(date("c. 30")));
    assert_eq!("..".parse::<EndDate>(), Ok(EndDate::Ongoing));
    assert_eq!(EndDate::parse(""), Err(DateError::Empty));
    assert_eq!(EndDate::parse("later"), Err(unreadable("later")));
    assert_eq!(EndDate::parse("..."), Err(unreadable("...")));
}

#[test]
fn dates_order_chronologically_coarse_before_fine() {
    let ascending = [
        "10000 BCE",
        "500 BCE",
        "-0499-01",
        "-0043-03-15",
        "1 BCE",
        "1",
        "800",
        "2013",
        "2013-01",
        "2013-01-01",
        "2013-01-01T00:00",
        "2013-01-01T09:30",
        "2013-01-02",
        "2013-02",
        "2013-12-31T23:59",
        "2014",
        "9999",
    ];
    for pair in ascending.windows(2) {
        assert!(
            date(pair[0]) < date(pair[1]),
            "`{}` should sort before `{}`",
            pair[0],
            pair[1]
        );
        assert!(
            date(pair[1]) > date(pair[0]),
            "`{}` should sort after `{}`",
            pair[1],
            pair[0]
        );
    }
    // A fixed shuffle, so a failure reproduces.
    let shuffled = [7, 14, 0, 11, 3, 16, 9, 1, 12, 5, 15, 2, 8, 13, 4, 10, 6];
    let mut dates: Vec<Date> = shuffled.iter().map(|&index| date(ascending[index])).collect();
    dates.sort();
    let sorted: Vec<String> = dates.iter().map(Date::machine).collect();
    let expected: Vec<String> = ascending.iter().map(|text| date(text).machine()).collect();
    assert_eq!(sorted, expected);
}

#[test]
fn the_order_is_the_field_by_field_order_at_every_extreme() {
    let mut dates = Vec::new();
    for year in [i32::MIN, -9999, -1, 0, 1, 2013, 9999, i32::MAX] {
        for month in [None, Some(1), Some(12)] {
            for day in [None, Some(1), Some(31)] {
                for time in [None, Some((0, 0)), Some((0, 59)), Some((1, 0)), Some((23, 59))] {
                    for qualifier in [
                        Qualifier::Exact,
                        Qualifier::Circa,
                        Qualifier::Uncertain,
                        Qualifier::CircaUncertain,
                    ] {
                        dates.push(Date {
                            year,
                            month,
                            day,
                            time,
                            qualifier,
                        });
                    }
                }
            }
        }
    }
    let fields = |date: &Date| (date.year, date.month, date.day, date.time, date.qualifier);
    for a in &dates {
        for b in &dates {
            assert_eq!(a.cmp(b), fields(a).cmp(&fields(b)), "{a:?} against {b:?}");
        }
    }
}

#[test]
fn qualifiers_only_break_ties() {
    let ascending = ["1984", "c. 1984", "1984?", "c. 1984?", "1984-01"];
    for pair in ascending.windows(2) {
        assert!(
            date(pair[0]) < date(pair[1]),
            "`{}` should sort before `{}`",
            pair[0],
            pair[1]
        );
    }
    assert!(date("c. 1983?") < date("1984"));
    assert_ne!(date("1984"), date("c. 1984"));
    assert_eq!(date("c. 1984"), date("1984~"));
    assert_eq!(date("1984%"), date("c. 1984?"));
}

#[test]
fn ongoing_sorts_after_every_date() {
    let mut ends = vec![EndDate::Ongoing, end("9999-12-31T23:59"), end("500 BCE"), end("2013")];
    ends.sort();
    assert_eq!(
        ends,
        vec![end("500 BCE"), end("2013"), end("9999-12-31T23:59"), EndDate::Ongoing]
    );
    assert!(EndDate::On(date("9999")) < EndDate::Ongoing);
}

#[test]
fn ranges_read_naturally_in_both_languages() {
    // (start, end or None, English, Chinese); end ".." is ongoing.
    let cases: &[(&str, Option<&str>, &str, &str)] = &[
        ("1988", Some("1996"), "1988 – 1996", "1988年—1996年"),
        (
            "2013-12",
            Some("2025-11"),
            "December 2013 – November 2025",
            "2013年12月—2025年11月",
        ),
        (
            "2013-12-09",
            Some("2013-12-20"),
            "9 December 2013 – 20 December 2013",
            "2013年12月9日—2013年12月20日",
        ),
        ("2013", Some(".."), "2013 – present", "2013年至今"),
        ("2013", Some("now"), "2013 – present", "2013年至今"),
        ("c. 1500", Some("1984?"), "c. 1500 – 1984?", "约1500年—1984年（存疑）"),
        ("500 BCE", Some("30 CE"), "500 BCE – 30 CE", "公元前500年—公元30年"),
        (
            "500 BCE",
            Some("2013-12"),
            "500 BCE – December 2013 CE",
            "公元前500年—公元2013年12月",
        ),
        (
            "c. 500 BCE",
            Some("30?"),
            "c. 500 BCE – 30 CE?",
            "约公元前500年—公元30年（存疑）",
        ),
        ("500 BCE", Some("44 BCE"), "500 BCE – 44 BCE", "公元前500年—公元前44年"),
        ("500 BCE", Some(".."), "500 BCE – present", "公元前500年至今"),
        ("30", Some("60"), "30 – 60", "30年—60年"),
        ("2013", None, "2013", "2013年"),
        ("2013", Some("2013"), "2013", "2013年"),
        ("1 BCE", Some("1 CE"), "1 BCE – 1 CE", "公元前1年—公元1年"),
    ];
    for &(start, end_text, english, chinese) in cases {
        let start_date = date(start);
        let end_date = end_text.map(end);
        assert_eq!(
            format_range(&start_date, end_date.as_ref(), Lang::En),
            english,
            "{start} to {end_text:?}"
        );
        assert_eq!(
            format_range(&start_date, end_date.as_ref(), Lang::Zh),
            chinese,
            "{start} to {end_text:?}"
        );
    }
}

#[test]
fn year_headings_keep_the_era_and_drop_the_rest() {
    let cases: &[(&str, &str, &str)] = &[
        ("2013-12-09T14:00", "2013", "2013年"),
        ("c. 1500?", "1500", "1500年"),
        ("500 BCE", "500 BCE", "公元前500年"),
        ("-0043-03-15", "44 BCE", "公元前44年"),
        ("0", "1 BCE", "公元前1年"),
        ("0800", "800", "800年"),
    ];
    for &(input, english, chinese) in cases {
        let parsed = date(input);
        assert_eq!(parsed.format_year(Lang::En), english, "English year of `{input}`");
        assert_eq!(parsed.format_year(Lang::Zh), chinese, "Chinese year of `{input}`");
    }
}

#[test]
fn every_month_has_its_english_name() {
    let names = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    for (index, name) in names.iter().enumerate() {
        let input = format!("2013-{:02}", index + 1);
        assert_eq!(date(&input).format(Lang::En), format!("{name} 2013"));
        assert_eq!(date(&input).format(Lang::Zh), format!("2013年{}月", index + 1));
    }
}

/// What one language must write for the same dates; every string is CLDR's
/// pattern filled in (see `src/lang/cldr.rs`), with annals' own circa and
/// doubt marks. `\u{2009}` is a thin space and `\u{202f}` a narrow no-break
/// space, both CLDR's.
struct Expected {
    day: &'static str,
    month: &'static str,
    year: &'static str,
    bce: &'static str,
    range: &'static str,
    bce_range: &'static str,
    circa: &'static str,
    uncertain: &'static str,
    time: &'static str,
}

#[track_caller]
fn assert_writes(lang: Lang, expected: Expected) {
    let cases = [
        (date("2013-12-09").format(lang), expected.day),
        (date("2013-12").format(lang), expected.month),
        (date("2013").format(lang), expected.year),
        (date("500 BCE").format(lang), expected.bce),
        (format_range(&date("1988"), Some(&end("1996")), lang), expected.range),
        (
            format_range(&date("-0043-03-15"), Some(&end("30")), lang),
            expected.bce_range,
        ),
        (date("c. 1500").format(lang), expected.circa),
        (date("1984?").format(lang), expected.uncertain),
        (date("2013-12-09T14:00").format(lang), expected.time),
    ];
    for (written, wanted) in cases {
        assert_eq!(written, wanted, "{lang}");
    }
}

#[test]
fn french_dates_follow_cldr() {
    assert_writes(
        Lang::Fr,
        Expected {
            day: "9 décembre 2013",
            month: "décembre 2013",
            year: "2013",
            bce: "500 av. J.-C.",
            range: "1988\u{2009}–\u{2009}1996",
            bce_range: "15 mars 44 av. J.-C.\u{2009}–\u{2009}30 ap. J.-C.",
            circa: "vers 1500",
            uncertain: "1984 (?)",
            time: "9 décembre 2013, 14:00",
        },
    );
}

#[test]
fn german_dates_follow_cldr() {
    assert_writes(
        Lang::De,
        Expected {
            day: "9. Dezember 2013",
            month: "Dezember 2013",
            year: "2013",
            bce: "500 v. Chr.",
            range: "1988\u{2009}–\u{2009}1996",
            bce_range: "15. März 44 v. Chr.\u{2009}–\u{2009}30 n. Chr.",
            circa: "ca. 1500",
            uncertain: "1984 (?)",
            time: "9. Dezember 2013, 14:00",
        },
    );
}

#[test]
fn spanish_dates_follow_cldr() {
    assert_writes(
        Lang::Es,
        Expected {
            day: "9 de diciembre de 2013",
            month: "diciembre de 2013",
            year: "2013",
            bce: "500 a. C.",
            range: "1988\u{2009}–\u{2009}1996",
            bce_range: "15 de marzo de 44 a. C.\u{2009}–\u{2009}30 d. C.",
            circa: "c. 1500",
            uncertain: "1984 (?)",
            time: "9 de diciembre de 2013, 14:00",
        },
    );
}

#[test]
fn japanese_dates_follow_cldr() {
    assert_writes(
        Lang::Ja,
        Expected {
            day: "2013年12月9日",
            month: "2013年12月",
            year: "2013年",
            bce: "紀元前500年",
            range: "1988年～1996年",
            bce_range: "紀元前44年3月15日～西暦30年",
            circa: "1500年頃",
            uncertain: "1984年（？）",
            time: "2013年12月9日 14:00",
        },
    );
}

#[test]
fn korean_dates_follow_cldr() {
    assert_writes(
        Lang::Ko,
        Expected {
            day: "2013년 12월 9일",
            month: "2013년 12월",
            year: "2013년",
            bce: "기원전 500년",
            range: "1988년 ~ 1996년",
            bce_range: "기원전 44년 3월 15일 ~ 서기 30년",
            circa: "1500년경",
            uncertain: "1984년(?)",
            time: "2013년 12월 9일 14:00",
        },
    );
}

#[test]
fn portuguese_dates_follow_cldr() {
    assert_writes(
        Lang::Pt,
        Expected {
            day: "9 de dezembro de 2013",
            month: "dezembro de 2013",
            year: "2013",
            bce: "500 a.C.",
            range: "1988\u{2009}–\u{2009}1996",
            bce_range: "15 de março de 44 a.C.\u{2009}–\u{2009}30 d.C.",
            circa: "c. 1500",
            uncertain: "1984 (?)",
            time: "9 de dezembro de 2013 14:00",
        },
    );
}

#[test]
fn russian_dates_follow_cldr() {
    assert_writes(
        Lang::Ru,
        Expected {
            day: "9 декабря 2013\u{202f}г.",
            month: "декабрь 2013\u{202f}г.",
            year: "2013",
            bce: "500\u{202f}г. до н. э.",
            range: "1988 – 1996",
            bce_range: "15 марта 44\u{202f}г. до н. э. – 30\u{202f}г. н. э.",
            circa: "ок. 1500",
            uncertain: "1984 (?)",
            time: "9 декабря 2013\u{202f}г., 14:00",
        },
    );
}

#[test]
fn english_and_chinese_read_the_same_table() {
    assert_writes(
        Lang::En,
        Expected {
            day: "9 December 2013",
            month: "December 2013",
            year: "2013",
            bce: "500 BCE",
            range: "1988 – 1996",
            bce_range: "15 March 44 BCE – 30 CE",
            circa: "c. 1500",
            uncertain: "1984?",
            time: "9 December 2013, 14:00",
        },
    );
    assert_writes(
        Lang::Zh,
        Expected {
            day: "2013年12月9日",
            month: "2013年12月",
            year: "2013年",
            bce: "公元前500年",
            range: "1988年—1996年",
            bce_range: "公元前44年3月15日—公元30年",
            circa: "约1500年",
            uncertain: "1984年（存疑）",
            time: "2013年12月9日 14:00",
        },
    );
}

#[test]
fn a_year_as_written_keeps_the_marks_of_an_approximate_or_doubtful_date() {
    assert_eq!(date("c. 375 BCE").format_year_as_written(Lang::En), "c. 375 BCE");
    assert_eq!(date("c. 375 BCE").format_year_as_written(Lang::Zh), "约公元前375年");
    assert_eq!(date("1500-06~").format_year_as_written(Lang::En), "c. 1500");
    assert_eq!(date("1984?").format_year_as_written(Lang::En), "1984?");
    assert_eq!(date("1984?").format_year_as_written(Lang::Fr), "1984 (?)");
    assert_eq!(date("2013-12-09").format_year_as_written(Lang::En), "2013");
}

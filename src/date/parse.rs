//! Reading dates the way authors write them in event files.
//!
//! Accepted: ISO 8601 (`2013`, `2013-12`, `2013-12-09`, `2013-12-09T14:00`,
//! optional seconds and a trailing `Z`, a space instead of `T`), astronomical
//! negative years (`-0499`), era years (`500 BCE`, `30 AD`, `AD 30`), and
//! qualifiers: circa (`~`, `c.`, `ca.`, `circa`, `约` before; `~` after),
//! uncertain (`?` after) and both (`%`, `?~`, `~?` after). Every rejection
//! says what was wrong, because the reader of the error is editing a file.

use std::str::FromStr;

use super::{days_in_month, Date, DateError, EndDate, Qualifier, MAX_YEAR, MIN_YEAR};

/// Circa markers written before a date. Longer spellings come first so that
/// `ca.` is not read as `c` followed by `a.`.
const CIRCA_PREFIXES: [&str; 7] = ["circa", "ca.", "ca", "c.", "c", "~", "约"];

/// Markers written after a date, with whether each means circa and uncertain.
/// Two-character EDTF forms come first so `?~` is not read as a lone `~`.
const QUALIFIER_SUFFIXES: [(&str, bool, bool); 5] = [
    ("?~", true, true),
    ("~?", true, true),
    ("%", true, true),
    ("?", false, true),
    ("~", true, false),
];

/// Spellings of an `end:` that has not happened yet (compared ignoring case).
const ONGOING_WORDS: [&str; 4] = ["..", "now", "present", "至今"];

/// Which side of 1 CE an era-marked year is on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Era {
    Bce,
    Ce,
}

impl Era {
    fn label(self) -> &'static str {
        match self {
            Era::Bce => "BCE",
            Era::Ce => "CE",
        }
    }
}

impl Date {
    /// Reads a date as an author wrote it; see the module docs for the forms.
    pub fn parse(text: &str) -> Result<Date, DateError> {
        let written = text.trim();
        if written.is_empty() {
            return Err(DateError::Empty);
        }
        let (circa_before, rest) = strip_circa_prefix(written);
        let (circa_after, uncertain, core) = strip_qualifier_suffix(rest);
        let mut date = parse_unqualified(core.trim(), written)?;
        date.qualifier = Qualifier::from_markers(circa_before || circa_after, uncertain);
        Ok(date)
    }

    /// A year-only date from an integer, which is how YAML hands over an
    /// unquoted `2013` or `-0499`. The integer is an astronomical year, as in
    /// ISO 8601: `0` is 1 BCE and `-499` is 500 BCE.
    pub fn from_year(year: i64) -> Result<Date, DateError> {
        if year < i64::from(MIN_YEAR) || year > i64::from(MAX_YEAR) {
            return Err(DateError::YearOutOfRange { year: year.to_string() });
        }
        // The range check above guarantees the value fits.
        let year = i32::try_from(year).map_err(|_| DateError::YearOutOfRange { year: year.to_string() })?;
        Ok(Date::year_only(year))
    }

    fn year_only(year: i32) -> Date {
        Date {
            year,
            month: None,
            day: None,
            time: None,
            qualifier: Qualifier::Exact,
        }
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Date::parse(text)
    }
}

impl EndDate {
    /// Reads an `end:` value: `..`, `now`, `present` (any case) or `至今`
    /// mean the event is ongoing; anything else must be a [`Date`].
    pub fn parse(text: &str) -> Result<EndDate, DateError> {
        let written = text.trim();
        if ONGOING_WORDS.iter().any(|word| written.eq_ignore_ascii_case(word)) {
            return Ok(EndDate::Ongoing);
        }
        Date::parse(written).map(EndDate::On)
    }
}

impl FromStr for EndDate {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        EndDate::parse(text)
    }
}

/// `prefix` removed from the start of `text`, ignoring ASCII case.
fn strip_prefix_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    // `get` returns None rather than panicking when the cut would split a
    // multi-byte character.
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

fn strip_circa_prefix(text: &str) -> (bool, &str) {
    CIRCA_PREFIXES
        .iter()
        .find_map(|prefix| strip_prefix_ignoring_case(text, prefix))
        .map_or((false, text), |rest| (true, rest.trim_start()))
}

/// Returns (circa, uncertain, the text before the marker).
fn strip_qualifier_suffix(text: &str) -> (bool, bool, &str) {
    QUALIFIER_SUFFIXES
        .iter()
        .find_map(|&(marker, circa, uncertain)| {
            text.strip_suffix(marker)
                .map(|rest| (circa, uncertain, rest.trim_end()))
        })
        .unwrap_or((false, false, text))
}

/// Parses a date with its qualifiers already removed. `written` is the whole
/// trimmed input, quoted in error messages so the editor can find it.
fn parse_unqualified(core: &str, written: &str) -> Result<Date, DateError> {
    let unreadable = || DateError::Unreadable {
        text: written.to_string(),
    };
    if core.is_empty() {
        return Err(unreadable());
    }
    let ad_prefix = strip_prefix_ignoring_case(core, "a.d.").or_else(|| strip_prefix_ignoring_case(core, "ad"));
    if let Some(number) = ad_prefix {
        let number = number.trim_start();
        if !is_all_digits(number) {
            return Err(unreadable());
        }
        return era_year(false, number, Era::Ce, written).map(Date::year_only);
    }

    let (negative, unsigned) = match core.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, core),
    };
    let digits_end = unsigned.find(|c: char| !c.is_ascii_digit()).unwrap_or(unsigned.len());
    let (digits, tail) = unsigned.split_at(digits_end);
    let era_text = tail.trim_start();
    if era_text.starts_with(|c: char| c.is_ascii_alphabetic()) {
        let era = read_era(era_text).ok_or_else(unreadable)?;
        if digits.is_empty() {
            return Err(unreadable());
        }
        return era_year(negative, digits, era, written).map(Date::year_only);
    }
    parse_iso(negative, unsigned, written)
}

/// Recognises `BCE`, `BC`, `CE`, `AD` in any case, with dots or spaces
/// anywhere (`B.C.`, `b.c.e.`).
fn read_era(text: &str) -> Option<Era> {
    let letters: String = text
        .chars()
        .filter(|c| *c != '.' && !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    match letters.as_str() {
        "bce" | "bc" => Some(Era::Bce),
        "ce" | "ad" => Some(Era::Ce),
        _ => None,
    }
}

/// The astronomical year for `digits` written with an era.
fn era_year(negative: bool, digits: &str, era: Era, written: &str) -> Result<i32, DateError> {
    let shown = digits.trim_start_matches('0');
    let out_of_range = || DateError::YearOutOfRange {
        year: format!("{} {}", shown, era.label()),
    };
    let number = small_number(digits).ok_or_else(out_of_range)?;
    if number == 0 {
        return Err(DateError::YearZeroWithEra);
    }
    let limit = match era {
        // 10000 BCE is astronomical -9999, the same limit as ISO input.
        Era::Bce => 1 - MIN_YEAR,
        Era::Ce => MAX_YEAR,
    };
    if number > limit {
        return Err(out_of_range());
    }
    if negative {
        // The minus sign most likely means "before Christ", so suggest that.
        return Err(DateError::NegativeYearWithEra {
            text: written.to_string(),
            suggestion: format!("{number} BCE"),
            iso: format!("-{:04}", number - 1),
        });
    }
    Ok(match era {
        Era::Bce => 1 - number,
        Era::Ce => number,
    })
}

/// Parses an ISO 8601 date or date-time whose leading minus sign (if any)
/// has been removed and reported as `negative`.
fn parse_iso(negative: bool, unsigned: &str, written: &str) -> Result<Date, DateError> {
    let unreadable = || DateError::Unreadable {
        text: written.to_string(),
    };
    let (date_text, time_text) = match unsigned.find(['T', 't', ' ']) {
        Some(at) => (&unsigned[..at], Some(unsigned[at + 1..].trim_start())),
        None => (unsigned, None),
    };
    let parts: Vec<&str> = date_text.split('-').collect();
    if parts.len() > 3 || !parts.iter().all(|part| is_all_digits(part)) {
        return Err(unreadable());
    }
    let year = iso_year(negative, parts[0])?;
    let month_and_day = &parts[1..];
    if month_and_day.iter().any(|part| part.len() != 2) {
        if month_and_day.iter().any(|part| part.len() > 2) {
            return Err(unreadable());
        }
        return Err(unpadded(negative, &parts, time_text, written));
    }

    let mut date = Date::year_only(year);
    if let Some(month_text) = month_and_day.first() {
        let month = small_number(month_text).ok_or_else(unreadable)?;
        let month = u8::try_from(month).map_err(|_| unreadable())?;
        if !(1..=12).contains(&month) {
            return Err(DateError::MonthOutOfRange { month });
        }
        date.month = Some(month);
    }
    if let (Some(month), Some(day_text)) = (date.month, month_and_day.get(1)) {
        let day = small_number(day_text).ok_or_else(unreadable)?;
        let day = u8::try_from(day).map_err(|_| unreadable())?;
        let days_in_month = days_in_month(year, month);
        if !(1..=days_in_month).contains(&day) {
            return Err(DateError::DayOutOfRange {
                year,
                month,
                day,
                days_in_month,
            });
        }
        date.day = Some(day);
    }
    if let Some(time_text) = time_text {
        // A time of day only makes sense once the day is known.
        if date.day.is_none() {
            return Err(unreadable());
        }
        date.time = Some(parse_time(time_text, written)?);
    }
    Ok(date)
}

/// The astronomical year from ISO year digits (any count, leading zeros
/// allowed), checked against the supported range.
fn iso_year(negative: bool, digits: &str) -> Result<i32, DateError> {
    let sign = if negative { "-" } else { "" };
    let out_of_range = || DateError::YearOutOfRange {
        year: format!("{sign}{}", digits.trim_start_matches('0')),
    };
    let magnitude = small_number(digits).ok_or_else(out_of_range)?;
    if magnitude > MAX_YEAR {
        return Err(out_of_range());
    }
    if negative && magnitude == 0 {
        return Err(DateError::NegativeZeroYear {
            text: format!("-{digits}"),
        });
    }
    Ok(if negative { -magnitude } else { magnitude })
}

/// The error for `2013-1-5`, suggesting the same date with padded fields.
fn unpadded(negative: bool, parts: &[&str], time_text: Option<&str>, written: &str) -> DateError {
    let mut suggestion = String::new();
    if negative {
        suggestion.push('-');
    }
    suggestion.push_str(parts[0]);
    for part in &parts[1..] {
        suggestion.push_str(&format!("-{part:0>2}"));
    }
    if let Some(time_text) = time_text {
        suggestion.push('T');
        suggestion.push_str(time_text);
    }
    DateError::UnpaddedMonthOrDay {
        text: written.to_string(),
        suggestion,
    }
}

/// Parses `HH:MM`, `HH:MM:SS`, optionally followed by `Z`, into hour and
/// minute. Seconds are checked but dropped: annals shows times to the minute.
fn parse_time(text: &str, written: &str) -> Result<(u8, u8), DateError> {
    let unreadable = || DateError::Unreadable {
        text: written.to_string(),
    };
    let text = text.strip_suffix(['Z', 'z']).map_or(text, str::trim_end);
    let fields: Vec<&str> = text.split(':').collect();
    if !(2..=3).contains(&fields.len()) || !fields.iter().all(|field| field.len() == 2 && is_all_digits(field)) {
        return Err(unreadable());
    }
    // Two ASCII digits always fit in a u8.
    let number = |field: &str| field.parse::<u8>().map_err(|_| unreadable());
    let hour = number(fields[0])?;
    let minute = number(fields[1])?;
    if hour > 23 {
        return Err(DateError::HourOutOfRange {
            text: written.to_string(),
            hour,
        });
    }
    if minute > 59 {
        return Err(DateError::MinuteOutOfRange {
            text: written.to_string(),
            minute,
        });
    }
    if let Some(second_text) = fields.get(2) {
        let second = number(second_text)?;
        if second > 59 {
            return Err(DateError::SecondOutOfRange {
                text: written.to_string(),
                second,
            });
        }
    }
    Ok((hour, minute))
}

fn is_all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// The value of an all-digit string, or `None` if it has more than five
/// significant digits (far beyond any supported year, and safe from overflow).
fn small_number(digits: &str) -> Option<i32> {
    let significant = digits.trim_start_matches('0');
    if significant.len() > 5 {
        return None;
    }
    if significant.is_empty() {
        return Some(0);
    }
    significant.parse().ok()
}

//! Writing dates and date ranges for readers, in each language annals knows.
//!
//! The patterns, month and era names come from CLDR (see `crate::lang`), so
//! French reads "9 décembre 2013", German "9. Dezember 2013" and Japanese
//! "2013年12月9日". annals' own model decides which pattern applies: a date
//! is written at its precision (a year stays a year), approximate and
//! doubtful dates get the language's marks ("c. 1500", "1500年頃"), and BCE
//! years take the era ("500 av. J.-C."). CE years are marked only when a
//! range starts BCE, because that is the only place a reader could misread
//! them.

use super::{Date, EndDate};
use crate::lang::{Cldr, Lang};

impl Date {
    /// The date for readers, at its precision and with its qualifier:
    /// "9 December 2013", "c. 500 BCE", "2013年12月9日 14:00", "约1984年（存疑）".
    pub fn format(&self, lang: Lang) -> String {
        self.format_marking_ce(lang, false)
    }

    /// Only the year, for year headings: "2013", "500 BCE", "2013年",
    /// "公元前500年". Month, day, time and qualifier are left out because a
    /// heading groups every event of that year.
    pub fn format_year(&self, lang: Lang) -> String {
        let cldr = lang.cldr();
        let pattern = if self.year <= 0 { cldr.year_era } else { cldr.year };
        expand(pattern, cldr, self.year, None, None)
    }

    /// The year with the date's own marks, for the heading of an approximate
    /// or doubtful date, which reads as written rather than as the year or
    /// decade it may fall in: "c. 375 BCE", "约公元前375年", "1984?".
    pub fn format_year_as_written(&self, lang: Lang) -> String {
        let mut text = self.format_year(lang);
        let words = lang.words();
        if self.is_circa() {
            text = words.circa.replace("{0}", &text);
        }
        if self.is_uncertain() {
            text = words.uncertain.replace("{0}", &text);
        }
        text
    }

    /// `mark_ce` adds the era to CE years ("30 CE", "公元30年").
    fn format_marking_ce(&self, lang: Lang, mark_ce: bool) -> String {
        let cldr = lang.cldr();
        let era = mark_ce || self.year <= 0;
        let pattern = match (self.month, self.day, era) {
            (Some(_), Some(_), false) => cldr.day,
            (Some(_), Some(_), true) => cldr.day_era,
            (Some(_), None, false) => cldr.month,
            (Some(_), None, true) => cldr.month_era,
            (None, _, false) => cldr.year,
            (None, _, true) => cldr.year_era,
        };
        let mut text = expand(pattern, cldr, self.year, self.month, self.day);
        if let Some((hour, minute)) = self.time {
            // Times are always written on the 24-hour clock.
            text = cldr
                .date_time
                .replace("{0}", &format!("{hour:02}:{minute:02}"))
                .replace("{1}", &text);
        }
        let words = lang.words();
        if self.is_circa() {
            text = words.circa.replace("{0}", &text);
        }
        if self.is_uncertain() {
            text = words.uncertain.replace("{0}", &text);
        }
        text
    }
}

/// A start date and an optional end, for readers: "1988 – 1996",
/// "2013 – present", "500 BCE – 30 CE", "1988年—1996年", "2013年至今".
///
/// With no end, or an end equal to the start, only the start is written:
/// "2013 – 2013" would tell the reader nothing more than "2013".
pub fn format_range(start: &Date, end: Option<&EndDate>, lang: Lang) -> String {
    let start_text = start.format(lang);
    match end {
        None => start_text,
        Some(EndDate::On(end)) if end == start => start_text,
        Some(EndDate::Ongoing) => lang.words().ongoing_range.replace("{0}", &start_text),
        Some(EndDate::On(end)) => {
            // "500 BCE – 30" would read as thirty years BCE, so the CE end
            // of a range that starts BCE carries its era too.
            let end_text = end.format_marking_ce(lang, start.is_bce() && !end.is_bce());
            lang.range(&start_text, &end_text)
        }
    }
}

/// Fills a CLDR date pattern ("d MMMM y G", "Gy年M月d日", "LLLL y 'г'.").
///
/// `year` is astronomical; the era, when the pattern has one, is chosen from
/// it and the year is written in that era (-499 is 500 BCE).
fn expand(pattern: &str, cldr: &Cldr, year: i32, month: Option<u8>, day: Option<u8>) -> String {
    let mut text = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(symbol) = chars.next() {
        if symbol == '\'' {
            // Quoted text; '' is a single quote, inside quotes or out.
            if chars.peek() == Some(&'\'') {
                chars.next();
                text.push('\'');
                continue;
            }
            while let Some(quoted) = chars.next() {
                match (quoted, chars.peek()) {
                    ('\'', Some('\'')) => {
                        chars.next();
                        text.push('\'');
                    }
                    ('\'', _) => break,
                    _ => text.push(quoted),
                }
            }
            continue;
        }
        if !symbol.is_ascii_alphabetic() {
            text.push(symbol);
            continue;
        }
        let mut width = 1;
        while chars.peek() == Some(&symbol) {
            chars.next();
            width += 1;
        }
        let month_index = month.map_or(0, |month| usize::from(month.clamp(1, 12)) - 1);
        match (symbol, width) {
            ('y', _) if year <= 0 => text.push_str(&(1 - i64::from(year)).to_string()),
            ('y', _) => text.push_str(&year.to_string()),
            ('G', _) => text.push_str(if year <= 0 { cldr.bce } else { cldr.ce }),
            ('M', 3..) => text.push_str(cldr.months[month_index]),
            ('L', 3..) => text.push_str(cldr.standalone_months[month_index]),
            ('M' | 'L', 2) => text.push_str(&format!("{:02}", month.unwrap_or(1))),
            ('M' | 'L', _) => text.push_str(&month.unwrap_or(1).to_string()),
            ('d', 2) => text.push_str(&format!("{:02}", day.unwrap_or(1))),
            ('d', _) => text.push_str(&day.unwrap_or(1).to_string()),
            // A symbol annals never asks CLDR for is kept as written.
            _ => (0..width).for_each(|_| text.push(symbol)),
        }
    }
    text
}

//! Writing dates and date ranges for readers, in English or Chinese.
//!
//! Each language follows its own conventions rather than a shared template:
//! English puts the day first ("9 December 2013", "c. 1500", "1984?") and
//! Chinese runs from year to day ("2013年12月9日", "约1500年", "1984年（存疑）").
//! BCE years are always marked; CE years are marked only when a range starts
//! BCE, because that is the only place a reader could misread them.

use super::{Date, EndDate};
use crate::lang::Lang;

const ENGLISH_MONTHS: [&str; 12] = [
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
        match lang {
            Lang::En => english_year(self.year, false),
            Lang::Zh => chinese_year(self.year, false),
        }
    }

    /// `mark_ce` adds the era to CE years ("30 CE", "公元30年").
    fn format_marking_ce(&self, lang: Lang, mark_ce: bool) -> String {
        match lang {
            Lang::En => self.english(mark_ce),
            Lang::Zh => self.chinese(mark_ce),
        }
    }

    fn english(&self, mark_ce: bool) -> String {
        let year = english_year(self.year, mark_ce);
        let mut text = String::new();
        if self.is_circa() {
            text.push_str("c. ");
        }
        match (self.month, self.day) {
            (Some(month), Some(day)) => {
                text.push_str(&format!("{day} {} {year}", english_month(month)));
            }
            (Some(month), None) => text.push_str(&format!("{} {year}", english_month(month))),
            _ => text.push_str(&year),
        }
        if let Some((hour, minute)) = self.time {
            text.push_str(&format!(", {hour:02}:{minute:02}"));
        }
        if self.is_uncertain() {
            text.push('?');
        }
        text
    }

    fn chinese(&self, mark_ce: bool) -> String {
        let mut text = String::new();
        if self.is_circa() {
            text.push('约');
        }
        text.push_str(&chinese_year(self.year, mark_ce));
        if let Some(month) = self.month {
            text.push_str(&format!("{month}月"));
        }
        if let Some(day) = self.day {
            text.push_str(&format!("{day}日"));
        }
        if let Some((hour, minute)) = self.time {
            text.push_str(&format!(" {hour:02}:{minute:02}"));
        }
        if self.is_uncertain() {
            text.push_str("（存疑）");
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
        Some(EndDate::Ongoing) => match lang {
            Lang::En => format!("{start_text} – present"),
            Lang::Zh => format!("{start_text}至今"),
        },
        Some(EndDate::On(end)) => {
            // "500 BCE – 30" would read as thirty years BCE, so the CE end
            // of a range that starts BCE carries its era too.
            let end_text = end.format_marking_ce(lang, start.is_bce() && !end.is_bce());
            match lang {
                Lang::En => format!("{start_text} – {end_text}"),
                Lang::Zh => format!("{start_text}—{end_text}"),
            }
        }
    }
}

fn english_month(month: u8) -> &'static str {
    // Months are validated to 1–12 when a Date is built; the fallback only
    // keeps this function total.
    ENGLISH_MONTHS
        .get(usize::from(month).wrapping_sub(1))
        .copied()
        .unwrap_or("?")
}

/// "2013", "800", "500 BCE" (astronomical -499), "1 BCE" (year 0).
fn english_year(year: i32, mark_ce: bool) -> String {
    if year <= 0 {
        format!("{} BCE", 1 - i64::from(year))
    } else if mark_ce {
        format!("{year} CE")
    } else {
        year.to_string()
    }
}

/// "2013年", "公元前500年", and "公元30年" when the era must be shown.
fn chinese_year(year: i32, mark_ce: bool) -> String {
    if year <= 0 {
        format!("公元前{}年", 1 - i64::from(year))
    } else if mark_ce {
        format!("公元{year}年")
    } else {
        format!("{year}年")
    }
}

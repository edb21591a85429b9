//! Dates as authors know them: a year, perhaps a month, day and time, and
//! whether the author is sure.
//!
//! A [`Date`] keeps exactly the precision it was written with, so "2013"
//! stays a year and is never silently turned into 1 January 2013. Years are
//! astronomical (`0` is 1 BCE, `-499` is 500 BCE) so that arithmetic and
//! sorting need no special case for the missing year 0 of BCE/CE notation.
//! Reading text lives in `parse.rs`, writing it for readers in `format.rs`.

mod duration;
mod format;
mod parse;
#[cfg(test)]
mod tests;

pub use duration::duration_label;
pub use format::format_range;

use std::cmp::Ordering;

/// The earliest astronomical year annals accepts (10000 BCE, written `-9999`).
pub const MIN_YEAR: i32 = -9999;
/// The latest year annals accepts (9999 CE).
pub const MAX_YEAR: i32 = 9999;

/// When an event happened, to the precision the author knows it.
///
/// Dates order chronologically. Within the same year a year-only date comes
/// before every month of that year, a month before its days, and a day
/// before the same day with a time, so coarser dates head their group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    /// Astronomical year: 0 is 1 BCE, -499 is 500 BCE.
    year: i32,
    /// 1–12; present whenever `day` is.
    month: Option<u8>,
    /// 1–31, valid for the month; present whenever `time` is.
    day: Option<u8>,
    /// Hour 0–23 and minute 0–59.
    time: Option<(u8, u8)>,
    qualifier: Qualifier,
}

/// How finely a [`Date`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Precision {
    /// Only the year: `2013`.
    Year,
    /// Year and month: `2013-12`.
    Month,
    /// A calendar day: `2013-12-09`.
    Day,
    /// A day with hour and minute: `2013-12-09T14:00`.
    Minute,
}

/// How sure the author is of a [`Date`].
///
/// The variant order is the tie-break used when two dates are otherwise
/// equal, so that sorting stays consistent with equality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Qualifier {
    /// Known as written.
    Exact,
    /// Approximately this date: `c. 1500`, `1500~`.
    Circa,
    /// This date, but the source is doubtful: `1984?`.
    Uncertain,
    /// Approximate and doubtful: `c. 1984?`, `1984%`.
    CircaUncertain,
}

impl Qualifier {
    /// Combines the two independent markers an author can write.
    fn from_markers(circa: bool, uncertain: bool) -> Qualifier {
        match (circa, uncertain) {
            (false, false) => Qualifier::Exact,
            (true, false) => Qualifier::Circa,
            (false, true) => Qualifier::Uncertain,
            (true, true) => Qualifier::CircaUncertain,
        }
    }
}

/// The value of an event's `end:` field.
///
/// `Ongoing` is declared last so the derived order puts it after every date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EndDate {
    /// The event ended at this date.
    On(Date),
    /// The event has not ended (`..`, `now` or `present`).
    Ongoing,
}

/// Why a piece of text is not a date. Messages are written for the editor
/// who has to fix the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// The field was empty or only whitespace.
    #[error("a date cannot be empty")]
    Empty,
    /// The text does not match any accepted form.
    #[error(
        "cannot read `{text}` as a date; write it like 2013, 2013-12, 2013-12-09, \
         2013-12-09T14:00, 500 BCE, c. 1500 or 1984?"
    )]
    Unreadable { text: String },
    /// `0 BCE` or `0 CE`.
    #[error("there is no year 0 in BCE/CE notation: 1 BCE is followed by 1 CE")]
    YearZeroWithEra,
    /// `-0000`: a sign on zero says nothing.
    #[error("`{text}` is not a year: write `0000` (ISO form) or `1 BCE` for the year before 1 CE")]
    NegativeZeroYear { text: String },
    /// A year beyond what annals supports; `year` is as the author wrote it.
    #[error(
        "year {year} is out of range (annals supports years from 10000 BCE to 9999 CE, \
         which is -9999 to 9999 in ISO form)"
    )]
    YearOutOfRange { year: String },
    /// A month outside 1–12.
    #[error("month {month} does not exist (months are 1–12)")]
    MonthOutOfRange { month: u8 },
    /// A day the month does not have, including day 0.
    #[error(
        "{year_month} has {days_in_month} days, so day {day} does not exist",
        year_month = format!("{}-{:02}", machine_year(*.year), .month)
    )]
    DayOutOfRange {
        year: i32,
        month: u8,
        day: u8,
        days_in_month: u8,
    },
    /// An hour outside 00–23 (`24:00` included: write the next day's `00:00`).
    #[error("`{text}`: hour {hour} does not exist (hours are 00–23)")]
    HourOutOfRange { text: String, hour: u8 },
    /// A minute outside 00–59.
    #[error("`{text}`: minute {minute} does not exist (minutes are 00–59)")]
    MinuteOutOfRange { text: String, minute: u8 },
    /// A second outside 00–59.
    #[error("`{text}`: second {second} does not exist (seconds are 00–59)")]
    SecondOutOfRange { text: String, second: u8 },
    /// `2013-1-5`: ISO dates need two-digit months and days.
    #[error("`{text}`: months and days need two digits; write `{suggestion}`")]
    UnpaddedMonthOrDay { text: String, suggestion: String },
    /// `-500 BCE`: a minus sign and an era both say which side of 1 CE.
    #[error(
        "`{text}`: a year with an era has no minus sign; write `{suggestion}` \
         (or the ISO form `{iso}` without an era)"
    )]
    NegativeYearWithEra {
        text: String,
        suggestion: String,
        iso: String,
    },
}

impl Date {
    /// The astronomical year: 0 is 1 BCE, -499 is 500 BCE.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month, 1–12, if known.
    pub fn month(&self) -> Option<u8> {
        self.month
    }

    /// The day of the month, if known.
    pub fn day(&self) -> Option<u8> {
        self.day
    }

    /// The hour (0–23) and minute (0–59), if known.
    pub fn time(&self) -> Option<(u8, u8)> {
        self.time
    }

    /// How finely this date is known.
    pub fn precision(&self) -> Precision {
        match (self.month, self.day, self.time) {
            (_, _, Some(_)) => Precision::Minute,
            (_, Some(_), None) => Precision::Day,
            (Some(_), None, None) => Precision::Month,
            (None, None, None) => Precision::Year,
        }
    }

    /// How sure the author is of this date.
    pub fn qualifier(&self) -> Qualifier {
        self.qualifier
    }

    /// Whether the date is approximate (`c. 1500`).
    pub fn is_circa(&self) -> bool {
        matches!(self.qualifier, Qualifier::Circa | Qualifier::CircaUncertain)
    }

    /// Whether the date is doubtful (`1984?`).
    pub fn is_uncertain(&self) -> bool {
        matches!(self.qualifier, Qualifier::Uncertain | Qualifier::CircaUncertain)
    }

    /// Whether `other` falls inside the period this date names: the year
    /// `2013` covers `2013-12-09`, the month `2013-12` covers `2013-12-09`
    /// but not `2013`. A date covers itself.
    pub fn covers(&self, other: &Date) -> bool {
        self.year == other.year
            && (self.month.is_none() || self.month == other.month)
            && (self.day.is_none() || self.day == other.day)
            && (self.time.is_none() || self.time == other.time)
    }

    /// Whether the year is before 1 CE (astronomical year 0 or less).
    pub fn is_bce(&self) -> bool {
        self.year <= 0
    }

    /// The ISO 8601 form at this date's precision, for `<time datetime>` and
    /// JSON: `2013`, `2013-12`, `2013-12-09`, `2013-12-09T14:00`, `-0499`.
    /// Qualifiers are not part of ISO 8601 and are left out.
    pub fn machine(&self) -> String {
        let mut text = machine_year(self.year);
        if let Some(month) = self.month {
            text.push_str(&format!("-{month:02}"));
        }
        if let Some(day) = self.day {
            text.push_str(&format!("-{day:02}"));
        }
        if let Some((hour, minute)) = self.time {
            text.push_str(&format!("T{hour:02}:{minute:02}"));
        }
        text
    }
}

impl Ord for Date {
    /// Compares field by field in order of significance. A field not given
    /// sorts before any value, which is what puts a year ahead of its
    /// months, a month ahead of its days and a day ahead of its times; the
    /// qualifier only breaks ties so that the order agrees with `Eq`.
    fn cmp(&self, other: &Self) -> Ordering {
        self.order_key().cmp(&other.order_key())
    }
}

impl Date {
    /// The date as one number that orders as the date does: each field in
    /// its own bits, most significant first, 0 for a field not given and
    /// its value plus one otherwise. Sorting 10,000 events compares dates
    /// about 150,000 times; one comparison of numbers is the cheapest.
    fn order_key(&self) -> u64 {
        // Bits 32–63: the year, moved up so that every `i32` is positive.
        let year = u64::from(self.year.wrapping_sub(i32::MIN) as u32);
        // Bits 28–31: month 1–12; bits 22–27: day 1–31.
        let month = self.month.map_or(0, |month| u64::from(month) + 1);
        let day = self.day.map_or(0, |day| u64::from(day) + 1);
        // Bits 2–12: minute of the day, 0–1439.
        let time = self
            .time
            .map_or(0, |(hour, minute)| u64::from(hour) * 60 + u64::from(minute) + 1);
        // Bits 0–1: the qualifier.
        let qualifier = self.qualifier as u64;
        debug_assert!(month < 16 && day < 64 && time < 2048);
        year << 32 | month << 28 | day << 22 | time << 2 | qualifier
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// An astronomical year in ISO 8601 form: at least four digits, with a minus
/// sign before 1 BCE (`-0499`, `0000`, `0800`, `2013`).
fn machine_year(year: i32) -> String {
    if year < 0 {
        format!("-{:04}", year.unsigned_abs())
    } else {
        format!("{year:04}")
    }
}

/// Proleptic Gregorian leap years, applied to astronomical years as ISO 8601
/// does (so year 0 and -400 are leap years).
fn is_leap_year(year: i32) -> bool {
    year.rem_euclid(4) == 0 && (year.rem_euclid(100) != 0 || year.rem_euclid(400) == 0)
}

/// The number of days in `month` (1–12) of `year`.
fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

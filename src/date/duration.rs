//! How long a span lasted, said the way a reader would say it.
//!
//! The length is counted at the coarser precision of its two ends, so a span
//! from 1988 to 1996 lasts "8 years" and never "8 years, 0 months, 3 days".
//! An approximate end makes an approximate length ("about 8 years").

use super::{Date, EndDate, Precision};
use crate::lang::{Lang, Unit};

/// A span's length for readers, or `None` when it is shorter than the
/// precision of its ends can tell (1988 to 1988).
pub fn duration_label(start: &Date, end: &EndDate, lang: Lang) -> Option<String> {
    let EndDate::On(end) = end else {
        return Some(lang.words().ongoing.to_string());
    };
    let precision = start.precision().min(end.precision());
    let (years, months, days) = match precision {
        Precision::Year => (end.year() - start.year(), 0, 0),
        Precision::Month => {
            let total = months_between(start, end);
            (total / 12, total % 12, 0)
        }
        Precision::Day | Precision::Minute => {
            let days = day_number(end) - day_number(start);
            let mut total = months_between(start, end);
            if end.day() < start.day() {
                total -= 1;
            }
            if total >= 1 {
                (total / 12, total % 12, 0)
            } else {
                (0, 0, i32::try_from(days).unwrap_or(i32::MAX))
            }
        }
    };
    if years <= 0 && months <= 0 && days <= 0 {
        return None;
    }
    let approximate = [start, end].iter().any(|date| date.is_circa() || date.is_uncertain());
    let parts: Vec<String> = [(years, Unit::Year), (months, Unit::Month), (days, Unit::Day)]
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, unit)| lang.amount(i64::from(count), unit))
        .collect();
    // At most two parts: years and months, or days alone.
    let text = parts
        .into_iter()
        .reduce(|first, second| lang.cldr().unit_list.replace("{0}", &first).replace("{1}", &second))
        .unwrap_or_default();
    Some(if approximate {
        lang.words().about.replace("{0}", &text)
    } else {
        text
    })
}

fn months_between(start: &Date, end: &Date) -> i32 {
    let month = |date: &Date| i32::from(date.month().unwrap_or(1));
    (end.year() - start.year()) * 12 + month(end) - month(start)
}

/// Days since a fixed epoch in the proleptic Gregorian calendar.
fn day_number(date: &Date) -> i64 {
    let (year, month, day) = (
        i64::from(date.year()),
        i64::from(date.month().unwrap_or(1)),
        i64::from(date.day().unwrap_or(1)),
    );
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(start: &str, end: &str, lang: Lang) -> Option<String> {
        duration_label(&Date::parse(start).unwrap(), &EndDate::parse(end).unwrap(), lang)
    }

    #[test]
    fn lengths_are_counted_at_the_coarser_precision() {
        assert_eq!(label("1988", "1996", Lang::En).as_deref(), Some("8 years"));
        assert_eq!(label("1988-03", "1996", Lang::En).as_deref(), Some("8 years"));
        assert_eq!(
            label("2013-12", "2025-11", Lang::En).as_deref(),
            Some("11 years, 11 months")
        );
        assert_eq!(
            label("2013-12-09", "2018-01", Lang::En).as_deref(),
            Some("4 years, 1 month")
        );
        assert_eq!(label("2024-02-01", "2024-03-01", Lang::En).as_deref(), Some("1 month"));
        assert_eq!(label("2024-02-10", "2024-03-01", Lang::En).as_deref(), Some("20 days"));
        assert_eq!(label("2024-12-31", "2025-01-01", Lang::En).as_deref(), Some("1 day"));
        assert_eq!(label("1988", "1988", Lang::En), None);
        assert_eq!(label("500 BCE", "30 CE", Lang::En).as_deref(), Some("529 years"));
    }

    #[test]
    fn chinese_lengths_and_approximate_and_ongoing_spans() {
        assert_eq!(label("2013-12", "2025-11", Lang::Zh).as_deref(), Some("11年11个月"));
        assert_eq!(label("c. 1500", "1510", Lang::En).as_deref(), Some("about 10 years"));
        assert_eq!(label("c. 1500", "1510", Lang::Zh).as_deref(), Some("约10年"));
        assert_eq!(label("2003", "..", Lang::En).as_deref(), Some("ongoing"));
        assert_eq!(label("2003", "..", Lang::Zh).as_deref(), Some("持续至今"));
    }

    #[test]
    fn other_languages_count_lengths_with_cldr_units_and_plurals() {
        let cases: &[(&str, &str, Lang, &str)] = &[
            ("2013-12", "2025-11", Lang::Fr, "11 ans et 11\u{a0}mois"),
            ("2020-01", "2021-03", Lang::Fr, "1\u{a0}an et 2\u{a0}mois"),
            ("2013-12", "2025-11", Lang::De, "11 Jahre, 11 Monate"),
            ("2013-12", "2025-11", Lang::Es, "11 años y 11 meses"),
            ("2013-12", "2025-11", Lang::Pt, "11 anos e 11 meses"),
            ("2013-12", "2025-11", Lang::Ja, "11 年 11 か月"),
            ("2013-12", "2025-11", Lang::Ko, "11년 11개월"),
            ("2013-12", "2025-11", Lang::Ru, "11 лет 11 месяцев"),
            ("2020-01", "2021-03", Lang::Ru, "1 год 2 месяца"),
            ("2024-02-10", "2024-03-01", Lang::Ru, "20 дней"),
            ("2024-02-01", "2024-02-22", Lang::Ru, "21 день"),
            ("c. 1500", "1502", Lang::Ru, "примерно 2 года"),
            ("c. 1500", "1510", Lang::De, "etwa 10 Jahre"),
            ("2003", "..", Lang::Fr, "en cours"),
        ];
        for &(start, end, lang, expected) in cases {
            assert_eq!(
                label(start, end, lang).as_deref(),
                Some(expected),
                "{start} to {end} in {lang}"
            );
        }
    }
}

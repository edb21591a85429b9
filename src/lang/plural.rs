//! CLDR plural rules, evaluated for whole numbers.
//!
//! The rules come from `cldr.rs` as CLDR writes them
//! (`v = 0 and i % 10 = 2..4 and i % 100 != 12..14`). annals only counts
//! whole things, so the operands are those of an integer: `n` and `i` are the
//! number, and the fraction and exponent operands (`v w f t c e`) are 0.

/// The first category whose rule holds for `count`, or "other".
pub fn category(rules: &[(&'static str, &'static str)], count: u64) -> &'static str {
    rules
        .iter()
        .find(|(_, rule)| holds(rule, count))
        .map_or("other", |(name, _)| *name)
}

/// `a and b or c`: "and" binds tighter than "or", as in CLDR.
fn holds(rule: &str, count: u64) -> bool {
    rule.split(" or ")
        .any(|all| all.split(" and ").all(|relation| relation_holds(relation, count)))
}

/// One relation: `i % 100 != 12..14`, `i = 0,1`, `e = 0`.
fn relation_holds(relation: &str, count: u64) -> bool {
    let words: Vec<&str> = relation.split_whitespace().collect();
    let (operand, rest) = match words.as_slice() {
        [operand, "%", modulus, rest @ ..] => {
            let modulus: u64 = modulus.parse().unwrap_or(1).max(1);
            (operand_value(operand, count) % modulus, rest)
        }
        [operand, rest @ ..] => (operand_value(operand, count), rest),
        [] => return false,
    };
    let (equal, ranges) = match rest {
        ["=", ranges] => (true, ranges),
        ["!=", ranges] => (false, ranges),
        _ => return false,
    };
    let inside = ranges.split(',').any(|range| match range.split_once("..") {
        Some((low, high)) => {
            low.parse().is_ok_and(|low: u64| low <= operand) && high.parse().is_ok_and(|high: u64| operand <= high)
        }
        None => range.parse() == Ok(operand),
    });
    inside == equal
}

fn operand_value(operand: &str, count: u64) -> u64 {
    match operand {
        "n" | "i" => count,
        // The visible fraction digits and the exponent of a whole number.
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUSSIAN: &[(&str, &str)] = &[
        ("one", "v = 0 and i % 10 = 1 and i % 100 != 11"),
        ("few", "v = 0 and i % 10 = 2..4 and i % 100 != 12..14"),
        (
            "many",
            "v = 0 and i % 10 = 0 or v = 0 and i % 10 = 5..9 or v = 0 and i % 100 = 11..14",
        ),
    ];

    #[test]
    fn russian_rules_pick_one_few_and_many() {
        let got: Vec<&str> = [0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 101, 112]
            .map(|n| category(RUSSIAN, n))
            .to_vec();
        assert_eq!(
            got,
            ["many", "one", "few", "few", "many", "many", "many", "many", "one", "few", "one", "many"]
        );
    }

    #[test]
    fn french_one_covers_zero_and_many_covers_millions() {
        let french = [
            ("one", "i = 0,1"),
            ("many", "e = 0 and i != 0 and i % 1000000 = 0 and v = 0 or e != 0..5"),
        ];
        let got: Vec<&str> = [0, 1, 2, 1_000_000, 2_000_000, 1_000_001]
            .map(|n| category(&french, n))
            .to_vec();
        assert_eq!(got, ["one", "one", "other", "many", "many", "other"]);
    }

    #[test]
    fn a_language_without_rules_has_only_other() {
        assert_eq!(category(&[], 1), "other");
    }
}

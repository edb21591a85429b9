//! How the search index and the search script cut text into terms. Both
//! sides must agree, so the rules are few and written the same way in
//! `assets/annals/search.js`:
//!
//! - text is folded: decomposed (NFKD), accents (U+0300–U+036F) dropped,
//!   lower-cased, so "Café" and "cafe" are one term;
//! - a word is a run of letters and digits (Unicode `Alphabetic` or
//!   numeric); anything else separates words;
//! - Chinese and Japanese are written without spaces, so a run of their
//!   characters ([`is_cjk`]) is indexed as its characters and each pair of
//!   neighbours (bigrams): "卷积网络" gives 卷, 积, 网, 络, 卷积, 积网, 网络.
//!   A query made of such characters asks for its bigrams (or its one
//!   character), which finds a word without a dictionary of words.

use unicode_normalization::UnicodeNormalization;

/// `text` folded: NFKD, without U+0300–U+036F, lower case.
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let stripped: String = text.nfkd().filter(|c| !('\u{300}'..='\u{36f}').contains(c)).collect();
    stripped.to_lowercase()
}

/// Characters of the scripts written without spaces between words: the
/// kana and the CJK ideographs (with their extensions and compatibility
/// forms).
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}'
        | '\u{31f0}'..='\u{31ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{20000}'..='\u{3134f}')
}

/// What a piece of text is made of: words, and runs of [`is_cjk`]
/// characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Run<'t> {
    Word(&'t str),
    Cjk(&'t str),
}

/// The runs of already folded text.
fn runs(folded: &str) -> impl Iterator<Item = Run<'_>> {
    let mut rest = folded;
    std::iter::from_fn(move || {
        let start = rest.find(|c: char| c.is_alphanumeric())?;
        rest = &rest[start..];
        let cjk = rest.starts_with(is_cjk);
        let end = rest
            .find(|c: char| !c.is_alphanumeric() || is_cjk(c) != cjk)
            .unwrap_or(rest.len());
        let (run, after) = rest.split_at(end);
        rest = after;
        Some(if cjk { Run::Cjk(run) } else { Run::Word(run) })
    })
}

/// Every term of `folded` text (see [`fold`]) as the index records it, in
/// order, repeated as often as it occurs: words, and the characters and
/// bigrams of CJK runs. The terms are pieces of `folded`.
pub fn index_terms<'t>(folded: &'t str, mut term: impl FnMut(&'t str)) {
    for run in runs(folded) {
        match run {
            Run::Word(word) => term(word),
            Run::Cjk(chars) => {
                let mut previous: Option<(usize, char)> = None;
                for (at, c) in chars.char_indices() {
                    term(&chars[at..at + c.len_utf8()]);
                    if let Some((start, _)) = previous {
                        term(&chars[start..at + c.len_utf8()]);
                    }
                    previous = Some((at, c));
                }
            }
        }
    }
}

/// The terms a query asks for, each once, in order: its words, and for a
/// CJK run its bigrams (its one character when it has one).
#[cfg(test)]
pub fn query_terms(query: &str) -> Vec<String> {
    let folded = fold(query);
    let mut terms: Vec<String> = Vec::new();
    let mut add = |term: &str| {
        if !terms.iter().any(|known| known == term) {
            terms.push(term.to_string());
        }
    };
    for run in runs(&folded) {
        match run {
            Run::Word(word) => add(word),
            Run::Cjk(chars) => {
                let starts: Vec<usize> = chars.char_indices().map(|(at, _)| at).collect();
                if starts.len() == 1 {
                    add(chars);
                }
                for pair in starts.windows(2) {
                    let end = chars[pair[1]..]
                        .chars()
                        .next()
                        .map_or(chars.len(), |c| pair[1] + c.len_utf8());
                    add(&chars[pair[0]..end]);
                }
            }
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_terms(text: &str) -> Vec<String> {
        let mut terms = Vec::new();
        index_terms(&fold(text), |term| terms.push(term.to_string()));
        terms
    }

    #[test]
    fn folding_drops_accents_and_case() {
        assert_eq!(fold("Café CRÈME Ångström"), "cafe creme angstrom");
        assert_eq!(fold("ﬁle"), "file");
    }

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        assert_eq!(
            all_terms("LeCun's LeNet-5, in 1989!"),
            ["lecun", "s", "lenet", "5", "in", "1989"]
        );
    }

    #[test]
    fn cjk_runs_give_characters_and_bigrams() {
        assert_eq!(all_terms("卷积网"), ["卷", "积", "卷积", "网", "积网"]);
        assert_eq!(all_terms("AT&T贝尔"), ["at", "t", "贝", "尔", "贝尔"]);
    }

    #[test]
    fn a_cjk_query_asks_for_its_bigrams() {
        assert_eq!(query_terms("卷积网络"), ["卷积", "积网", "网络"]);
        assert_eq!(query_terms("网"), ["网"]);
        assert_eq!(query_terms("Bell 实验室 bell"), ["bell", "实验", "验室"]);
    }
}

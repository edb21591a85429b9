//! URL-safe names for events, tags, tracks, eras and pages.
//!
//! A [`Slug`] can only hold `[a-z0-9-]`, never starts or ends with `-`, never
//! holds `--`, and is at most [`MAX_LEN`] bytes, so it is safe as a folder
//! name on every file system and in every URL. Latin letters with accents are
//! folded to their base letter; text with no Latin letters or digits at all
//! (a Chinese title, say) gets a short stable name derived from its text.

use std::fmt;

/// Longest slug, in bytes; longer ones are cut at a word boundary.
pub const MAX_LEN: usize = 80;

/// A name that is safe as one path segment and one URL segment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slug(String);

impl Slug {
    /// Makes a slug from any text: titles, file names, tag names.
    pub fn from_text(text: &str) -> Slug {
        let mut slug = String::with_capacity(text.len().min(MAX_LEN));
        let mut pending_dash = false;
        for c in text.chars().flat_map(fold_to_ascii) {
            if c.is_ascii_alphanumeric() {
                if pending_dash && !slug.is_empty() {
                    slug.push('-');
                }
                pending_dash = false;
                slug.push(c.to_ascii_lowercase());
            } else {
                pending_dash = true;
            }
        }
        if slug.is_empty() {
            return Slug::from_hash(text);
        }
        Slug(cut_at_word(slug))
    }

    /// Checks a slug an author wrote (`slug: fair-founded`); `None` if it
    /// holds anything but `[a-z0-9-]` or is badly formed.
    pub fn parse(text: &str) -> Option<Slug> {
        let valid = !text.is_empty()
            && text.len() <= MAX_LEN
            && text
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !text.starts_with('-')
            && !text.ends_with('-')
            && !text.contains("--");
        valid.then(|| Slug(text.to_string()))
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn from_hash(text: &str) -> Slug {
        // FNV-1a: tiny, stable across platforms and releases.
        let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
        Slug(format!("n-{:08x}", hash >> 32))
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for Slug {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

fn cut_at_word(mut slug: String) -> String {
    if slug.len() > MAX_LEN {
        let cut = slug[..=MAX_LEN].rfind('-').filter(|&i| i > 0).unwrap_or(MAX_LEN);
        slug.truncate(cut);
    }
    slug
}

/// Folds common accented Latin letters to ASCII so "Élan" becomes "elan".
fn fold_to_ascii(c: char) -> impl Iterator<Item = char> {
    let folded: &str = match c {
        'à'..='å' | 'À'..='Å' | 'ā' | 'Ā' | 'ă' | 'Ă' | 'ą' | 'Ą' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' | 'ć' | 'Ć' | 'č' | 'Č' => "c",
        'ď' | 'Ď' | 'đ' | 'Đ' | 'ð' | 'Ð' => "d",
        'è'..='ë' | 'È'..='Ë' | 'ē' | 'Ē' | 'ę' | 'Ę' | 'ě' | 'Ě' => "e",
        'ğ' | 'Ğ' => "g",
        'ì'..='ï' | 'Ì'..='Ï' | 'ī' | 'Ī' | 'ı' | 'İ' => "i",
        'ł' | 'Ł' => "l",
        'ñ' | 'Ñ' | 'ń' | 'Ń' | 'ň' | 'Ň' => "n",
        'ò'..='ö' | 'Ò'..='Ö' | 'ø' | 'Ø' | 'ō' | 'Ō' | 'ő' | 'Ő' => "o",
        'œ' | 'Œ' => "oe",
        'ř' | 'Ř' => "r",
        'ś' | 'Ś' | 'š' | 'Š' | 'ş' | 'Ş' => "s",
        'ß' => "ss",
        'ť' | 'Ť' | 'ţ' | 'Ţ' => "t",
        'þ' | 'Þ' => "th",
        'ù'..='ü' | 'Ù'..='Ü' | 'ū' | 'Ū' | 'ů' | 'Ů' | 'ű' | 'Ű' => "u",
        'ý' | 'Ý' | 'ÿ' => "y",
        'ź' | 'Ź' | 'ż' | 'Ż' | 'ž' | 'Ž' => "z",
        _ => "",
    };
    let passthrough = folded.is_empty().then_some(c);
    folded.chars().chain(passthrough)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_become_lowercase_words_joined_by_dashes() {
        assert_eq!(
            Slug::from_text("Facebook AI Research founded").as_str(),
            "facebook-ai-research-founded"
        );
        assert_eq!(Slug::from_text("  LeNet-5 & MNIST!  ").as_str(), "lenet-5-mnist");
        assert_eq!(Slug::from_text("../../etc/passwd").as_str(), "etc-passwd");
        assert_eq!(Slug::from_text("C:\\Windows").as_str(), "c-windows");
    }

    #[test]
    fn accents_fold_to_their_base_letters() {
        assert_eq!(
            Slug::from_text("Élan à Zürich, Kraków").as_str(),
            "elan-a-zurich-krakow"
        );
        assert_eq!(Slug::from_text("Straße").as_str(), "strasse");
    }

    #[test]
    fn non_latin_titles_get_a_stable_safe_name() {
        let chinese = Slug::from_text("杨立昆离开Meta");
        assert_eq!(chinese.as_str(), "meta");
        let only_chinese = Slug::from_text("卷积神经网络之父");
        assert!(only_chinese.as_str().starts_with("n-"), "{only_chinese}");
        assert_eq!(only_chinese, Slug::from_text("卷积神经网络之父"));
        assert_ne!(only_chinese, Slug::from_text("世界模型"));
        assert!(Slug::parse(only_chinese.as_str()).is_some());
        assert!(Slug::from_text("").as_str().starts_with("n-"));
        assert!(Slug::from_text("🙂 ‏שלום").as_str().starts_with("n-"));
    }

    #[test]
    fn long_titles_are_cut_at_a_word_boundary() {
        let slug = Slug::from_text(&"word ".repeat(100));
        assert!(slug.as_str().len() <= MAX_LEN);
        assert!(slug.as_str().ends_with("word"));
        let unbroken = Slug::from_text(&"x".repeat(1000));
        assert_eq!(unbroken.as_str().len(), MAX_LEN);
    }

    #[test]
    fn every_slug_made_from_text_is_a_valid_slug() {
        for text in [
            "CON",
            "a--b",
            "-x-",
            "Ünïcödé",
            "2013-12-09 FAIR",
            "x".repeat(500).as_str(),
        ] {
            let slug = Slug::from_text(text);
            assert_eq!(Slug::parse(slug.as_str()), Some(slug.clone()), "{text:?}");
        }
    }

    #[test]
    fn written_slugs_must_already_be_clean() {
        assert!(Slug::parse("fair-founded").is_some());
        for bad in ["", "Fair", "a b", "a/b", "..", "-a", "a-", "a--b", "é"] {
            assert_eq!(Slug::parse(bad), None, "{bad:?}");
        }
    }
}
